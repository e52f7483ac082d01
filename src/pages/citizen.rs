//! A citizen: address, today's visits, and the notes history.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use crate::bookings::on_booking_click;
use crate::components::book_activity::BookActivity;
use crate::components::clip_card::ClipCardView;
use crate::components::score_chart::chart_svg;
use crate::context::use_ctx;
use crate::data::RecordStatus;
use crate::html::{el, esc, link};
use crate::i18n::category_label;
use crate::i18n::pick;
use crate::pages::calendar::bookings_html;
use crate::pages::login::Login;
use crate::time_fmt::{clock, day_and_clock};

/// The citizen id in the route, if it is one.
pub fn route_citizen_id() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| Uuid::parse_str(&id).ok())
    })
}

/// For a form about the citizen in the route: the citizen's id and name, or
/// the page to show instead (the login, or "not found").
pub fn citizen_form_target(
    ctx: crate::context::Ctx,
    citizen_id: Memo<Option<Uuid>>,
) -> Result<(Uuid, String), AnyView> {
    if ctx.session.get().is_none() {
        return Err(view! { <Login/> }.into_any());
    }
    let Some(cid) = citizen_id.get() else {
        return Err(view! { <p>{ctx.t().not_found}</p> }.into_any());
    };
    Ok((cid, ctx.data.with(|d| d.citizen_name(cid))))
}

/// The citizen page.
#[component]
pub fn CitizenPage() -> impl IntoView {
    let ctx = use_ctx();
    let id = route_citizen_id();
    move || {
        if ctx.session.get().is_none() {
            return view! { <Login/> }.into_any();
        }
        let t = ctx.t();
        let lang = ctx.lang.get();
        let Some(citizen) = id
            .get()
            .and_then(|id| ctx.data.with(|d| d.citizen(id).cloned()))
        else {
            return view! { <p>{t.not_found}</p> <a href="/">{t.back}</a> }.into_any();
        };
        let today = copenhagen_date(Utc::now());
        let visits = ctx.data.with(|d| {
            d.visits_on(today)
                .into_iter()
                .filter(|v| v.citizen_id == citizen.id)
                .cloned()
                .collect::<Vec<_>>()
        });
        let notes = ctx.data.with(|d| d.notes_of(citizen.id));
        let registrations = ctx.data.with(|d| d.registrations_of(citizen.id));
        let mut points: Vec<_> = registrations
            .iter()
            .filter_map(|(r, _)| r.ucla.map(|u| (r.observed_on, u.total())))
            .collect();
        points.sort_by_key(|p| *p);
        let policy = ctx
            .session
            .get_untracked()
            .map(|s| s.loneliness_policy)
            .unwrap_or_default();
        let status_of = |status: &RecordStatus| match status {
            RecordStatus::Synced => ("synced", String::new()),
            RecordStatus::Waiting => ("waiting", t.waiting.to_string()),
            RecordStatus::Rejected(m) => ("rejected", format!("{}: {m}", t.rejected)),
        };
        let visits_html: String = visits
            .into_iter()
            .map(|v| {
                el(
                    "li",
                    "",
                    &format!(
                        "{}–{} · {} · {}",
                        clock(v.starts_at),
                        clock(v.ends_at),
                        v.purpose,
                        v.worker_name.unwrap_or_default()
                    ),
                )
            })
            .collect();
        let registrations_html: String = registrations
            .iter()
            .map(|(r, status)| {
                let replaced = registrations.iter().any(|(o, _)| o.corrects == Some(r.id));
                let (class, label) = status_of(status);
                let signs = r.signs.iter().map(|s| pick(lang, s.label_da(), s.label_en())).collect::<Vec<_>>().join(", ");
                let step = r.next_step.as_ref().map(|s| {
                    let date = s.follow_up_on.map(|d| format!(" · {} {}", t.follow_up_on, crate::time_fmt::date(d))).unwrap_or_default();
                    format!("{}: {} ({}){date}", t.next_step, pick(lang, s.kind.label_da(), s.kind.label_en()), s.responsible)
                }).unwrap_or_default();
                let meta = format!(
                    " {} · {}{}",
                    crate::time_fmt::date(r.observed_on),
                    r.author_name,
                    r.ucla.map(|u| format!(" · {} {}", t.score, u.total())).unwrap_or_default()
                );
                format!(
                    "<li class=\"registration {class}{}\" data-status=\"{class}\">{}{}<p class=\"meta\">{}{}</p>{}{}{}{}{}</li>",
                    if replaced { " replaced" } else { "" },
                    if replaced { el("p", "status", t.corrected_later) } else { String::new() },
                    if r.corrects.is_some() { el("p", "status", t.is_correction) } else { String::new() },
                    el("span", &format!("level level-{}", r.chosen_level.code()), &pick(lang, r.chosen_level.label_da(), r.chosen_level.label_en())),
                    esc(&meta),
                    el("p", "", &signs),
                    if r.own_words.is_empty() { String::new() } else { el("p", "quote", &format!("»{}«", r.own_words)) },
                    el("p", "", &step),
                    el("p", "status", &label),
                    if replaced { String::new() } else {
                        link(&format!("/borger/{}/ensomhed?retter={}", r.citizen_id, r.id), "button secondary", t.edit)
                    },
                )
            })
            .collect();
        let notes_html: String = notes
            .into_iter()
            .map(|view_| {
                let conflict = view_.in_conflict();
                let note_id = view_.note_id();
                let revisions = view_.revisions;
                let heads: String = view_.heads.into_iter().map(|(note, status)| {
                    let (class, label) = status_of(&status);
                    let meta = format!(
                        "{} · {} · {}{}",
                        day_and_clock(note.written_at),
                        category_label(lang, note.category),
                        note.author_name,
                        if revisions > 1 { format!(" · {revisions} {}", t.revisions) } else { String::new() }
                    );
                    format!(
                        "<article class=\"revision {class}\" data-status=\"{class}\">{}{}{}{}</article>",
                        el("p", "meta", &meta),
                        el("p", "text", &note.text),
                        el("p", "status", &label),
                        link(&format!("/borger/{}/notat?ret={}", note.citizen_id, note.id), "button secondary", t.edit),
                    )
                }).collect();
                let merge = match (conflict, note_id) {
                    (true, Some(note_id)) => link(
                        &format!("/borger/{}/notat?flet={note_id}", citizen.id),
                        "button",
                        t.merge,
                    ),
                    _ => String::new(),
                };
                format!(
                    "<li class=\"note{}\">{}{heads}{merge}</li>",
                    if conflict { " conflict" } else { "" },
                    if conflict { el("p", "warning", t.in_conflict) } else { String::new() },
                )
            })
            .collect();
        let bookings = ctx.data.with(|d| {
            let mine: Vec<_> = d
                .bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| b.citizen_id == citizen.id)
                .collect();
            if mine.is_empty() {
                el(
                    "p",
                    "empty",
                    &pick(lang, "Ingen aktiviteter endnu.", "No activities yet."),
                )
            } else {
                bookings_html(lang, d, &mine)
            }
        });
        let section = |test: &str, title: &str, empty: &str, body: String| {
            format!(
                "<section data-testid=\"{test}\"><h2>{}</h2>{}{body}</section>",
                esc(title),
                if body.is_empty() {
                    el("p", "empty", empty)
                } else {
                    String::new()
                }
            )
        };
        let head = format!(
            "{}<h1>{}</h1>{}<div class=\"row\">{}{}</div>{}",
            link("/", "back", &format!("‹ {}", t.back)),
            esc(&citizen.name),
            el("p", "address", &citizen.address),
            link(
                &format!("/borger/{}/notat", citizen.id),
                "button big",
                t.write_note
            ),
            link(
                &format!("/borger/{}/ensomhed", citizen.id),
                "button big secondary",
                t.register_loneliness
            ),
            section(
                "visits",
                t.visits_today,
                "",
                if visits_html.is_empty() {
                    String::new()
                } else {
                    format!("<ul class=\"visits small\">{visits_html}</ul>")
                }
            ),
        );
        let chart = if points.is_empty() {
            String::new()
        } else {
            format!(
                "<div>{}</div>",
                chart_svg(
                    &points,
                    policy.ucla_cutoff,
                    &format!("UCLA-3 · {}", t.score)
                )
            )
        };
        let registrations_html = if registrations_html.is_empty() {
            String::new()
        } else {
            format!("{chart}<ul class=\"registrations\">{registrations_html}</ul>")
        };
        let notes_html = if notes_html.is_empty() {
            String::new()
        } else {
            format!("<ul class=\"notes\" data-testid=\"notes\">{notes_html}</ul>")
        };
        let rest = [
            section(
                "loneliness",
                t.loneliness,
                t.no_registrations,
                registrations_html,
            ),
            section("notes-section", t.notes, t.no_notes, notes_html),
        ]
        .concat();
        view! {
            <div inner_html=head></div>
            <ClipCardView citizen_id=citizen.id/>
            <section data-testid="citizen-bookings">
                <h2>{pick(lang, "Aktiviteter", "Activities")}</h2>
                <div on:click=on_booking_click(ctx) inner_html=bookings></div>
                <BookActivity citizen=citizen.id/>
            </section>
            <div inner_html=rest></div>
            // Retention keeps the device to the working set; say where the rest is.
            <p class="history-note">{t.older_history}</p>
        }
        .into_any()
    }
}
