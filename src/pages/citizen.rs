//! A citizen's page: address, today's visits, the notes history, the
//! loneliness registrations with their score chart, the clip card, and
//! bookings with the booking form.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use naervaer_domain::time::copenhagen_date;
use uuid::Uuid;

use naervaer_domain::activity::Booking;

use crate::components::book_activity::BookActivity;
use crate::components::booking_list::BookingList;
use crate::components::clip_card::ClipCardView;
use crate::components::score_chart::ScoreChart;
use crate::context::{tr, use_ctx};
use crate::data::RecordStatus;
use crate::i18n::{Locale, category_label, code_label, td_string};
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

/// Whom a form about the citizen in the route is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormTarget {
    /// Nobody is logged in.
    LoggedOut,
    /// The route names no citizen this device knows.
    NotFound,
    /// The citizen's id and name.
    Citizen(Uuid, String),
}

impl FormTarget {
    /// The citizen's id and name, or the page to show instead (the login,
    /// or "not found").
    pub fn page(self) -> Result<(Uuid, String), AnyView> {
        match self {
            FormTarget::LoggedOut => Err(view! { <Login/> }.into_any()),
            FormTarget::NotFound => {
                Err(view! { <p>{tr(|l| td_string!(l, not_found))}</p> }.into_any())
            }
            FormTarget::Citizen(id, name) => Ok((id, name)),
        }
    }
}

/// Whom the form in the route is for, as a memo: a sync that changes other
/// data does not rebuild a form being filled in; only a change of login,
/// citizen or her name does.
pub fn form_target(ctx: crate::context::Ctx, citizen_id: Memo<Option<Uuid>>) -> Memo<FormTarget> {
    Memo::new(move |_| {
        if ctx.session.with(Option::is_none) {
            return FormTarget::LoggedOut;
        }
        match citizen_id.get() {
            None => FormTarget::NotFound,
            Some(cid) => FormTarget::Citizen(cid, ctx.data.with(|d| d.citizen_name(cid))),
        }
    })
}

/// Where a record stands: a class for the styles and tests, and the words.
fn status_of(lang: Locale, status: &RecordStatus) -> (&'static str, String) {
    match status {
        RecordStatus::Synced => ("synced", String::new()),
        RecordStatus::Waiting => ("waiting", td_string!(lang, waiting).to_owned()),
        RecordStatus::Rejected(m) => ("rejected", format!("{}: {m}", td_string!(lang, rejected))),
    }
}

/// A section with a heading, and a line when it has nothing to show.
#[component]
fn Section(
    /// `data-testid`.
    test: &'static str,
    /// The heading.
    title: &'static str,
    /// Shown when `empty` is true.
    #[prop(optional)]
    empty_text: &'static str,
    /// Whether there is nothing to show.
    empty: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <section data-testid=test>
            <h2>{title}</h2>
            {(empty && !empty_text.is_empty()).then(|| view! { <p class="empty">{empty_text}</p> })}
            {children()}
        </section>
    }
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
        let lang = ctx.lang.get();
        let Some(citizen) = id
            .get()
            .and_then(|id| ctx.data.with(|d| d.citizen(id).cloned()))
        else {
            return view! { <p>{td_string!(lang, not_found)}</p> <a href="/">{td_string!(lang, back)}</a> }.into_any();
        };
        let today = copenhagen_date(Utc::now());
        let visits = ctx.data.with(|d| {
            d.visits_on(today)
                .into_iter()
                .filter(|v| v.citizen_id == citizen.id)
                .cloned()
                .collect::<Vec<_>>()
        });
        let bookings: Vec<Booking> = ctx.data.with(|d| {
            d.bookings()
                .into_iter()
                .map(|(b, _)| b)
                .filter(|b| b.citizen_id == citizen.id)
                .collect()
        });
        let visit_items = visits
            .into_iter()
            .map(|v| {
                let line = format!(
                    "{}–{} · {} · {}",
                    clock(v.starts_at),
                    clock(v.ends_at),
                    v.purpose,
                    v.worker_name.unwrap_or_default()
                );
                view! { <li>{line}</li> }
            })
            .collect::<Vec<_>>();
        let has_visits = !visit_items.is_empty();
        view! {
            <a href="/" class="back">{format!("‹ {}", td_string!(lang, back))}</a>
            <h1>{citizen.name.clone()}</h1>
            <p class="address">{citizen.address.clone()}</p>
            <div class="row">
                <a href=format!("/borger/{}/notat", citizen.id) class="button big">{td_string!(lang, write_note)}</a>
                <a href=format!("/borger/{}/ensomhed", citizen.id) class="button big secondary">{td_string!(lang, register_loneliness)}</a>
            </div>
            <Section test="visits" title=td_string!(lang, visits_today) empty=!has_visits>
                {has_visits.then(|| view! { <ul class="visits small">{visit_items}</ul> })}
            </Section>
            <ClipCardView citizen_id=citizen.id/>
            <section data-testid="citizen-bookings">
                <h2>{td_string!(lang, activities)}</h2>
                {if bookings.is_empty() {
                    view! { <p class="empty">{td_string!(lang, no_activities_yet)}</p> }.into_any()
                } else {
                    view! { <BookingList bookings=bookings/> }.into_any()
                }}
                <BookActivity citizen=citizen.id/>
            </section>
            <Registrations citizen=citizen.id/>
            <Notes citizen=citizen.id/>
            // Retention keeps the device to the working set; say where the rest is.
            <p class="history-note">{td_string!(lang, older_history)}</p>
        }
        .into_any()
    }
}

/// The loneliness registrations, newest first, under the score chart.
#[component]
fn Registrations(citizen: Uuid) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang.get_untracked();
    let registrations = ctx.data.with_untracked(|d| d.registrations_of(citizen));
    let mut points: Vec<_> = registrations
        .iter()
        .filter_map(|(r, _)| r.ucla.map(|u| (r.observed_on, u.total())))
        .collect();
    points.sort_by_key(|p| *p);
    let cutoff = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.loneliness_policy.ucla_cutoff))
        .unwrap_or_default();
    let replaced: Vec<Uuid> = registrations
        .iter()
        .filter_map(|(r, _)| r.corrects)
        .collect();
    let empty = registrations.is_empty();
    let items = registrations
        .into_iter()
        .map(|(r, status)| {
            let replaced = replaced.contains(&r.id);
            let (class, label) = status_of(lang, &status);
            let signs = r
                .signs
                .iter()
                .map(|s| code_label(lang, s.label_da(), s.label_en()))
                .collect::<Vec<_>>()
                .join(", ");
            let step = r.next_step.as_ref().map(|s| {
                let date = s
                    .follow_up_on
                    .map(|d| format!(" · {} {}", td_string!(lang, follow_up_on), crate::time_fmt::date(d)))
                    .unwrap_or_default();
                format!(
                    "{}: {} ({}){date}",
                    td_string!(lang, next_step),
                    code_label(lang, s.kind.label_da(), s.kind.label_en()),
                    s.responsible
                )
            });
            let meta = format!(
                " {} · {}{}",
                crate::time_fmt::date(r.observed_on),
                r.author_name,
                r.ucla
                    .map(|u| format!(" · {} {}", td_string!(lang, score), u.total()))
                    .unwrap_or_default()
            );
            let level = r.chosen_level;
            let edit = format!("/borger/{}/ensomhed?retter={}", r.citizen_id, r.id);
            view! {
                <li class=format!("registration {class}") class:replaced=replaced data-status=class>
                    {replaced.then(|| view! { <p class="status">{td_string!(lang, corrected_later)}</p> })}
                    {r.corrects.is_some().then(|| view! { <p class="status">{td_string!(lang, is_correction)}</p> })}
                    <p class="meta">
                        <span class=format!("level level-{}", level.code())>{code_label(lang, level.label_da(), level.label_en())}</span>
                        {meta}
                    </p>
                    <p>{signs}</p>
                    {(!r.own_words.is_empty()).then(|| view! { <p class="quote">{format!("»{}«", r.own_words)}</p> })}
                    {step.map(|step| view! { <p>{step}</p> })}
                    {(!label.is_empty()).then(|| view! { <p class="status">{label}</p> })}
                    {(!replaced).then(|| view! { <a href=edit class="button secondary">{td_string!(lang, edit)}</a> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <Section test="loneliness" title=td_string!(lang, loneliness) empty_text=td_string!(lang, no_registrations) empty=empty>
            {(!points.is_empty()).then(|| view! {
                <div><ScoreChart points=points cutoff=cutoff label=format!("UCLA-3 · {}", td_string!(lang, score))/></div>
            })}
            {(!empty).then(|| view! { <ul class="registrations">{items}</ul> })}
        </Section>
    }
}

/// The visit notes: each note's current revision, or both when in conflict.
#[component]
fn Notes(citizen: Uuid) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang.get_untracked();
    let notes = ctx.data.with_untracked(|d| d.notes_of(citizen));
    let empty = notes.is_empty();
    let items = notes
        .into_iter()
        .map(|note_view| {
            let conflict = note_view.in_conflict();
            let note_id = note_view.note_id();
            let revisions = note_view.revisions;
            let heads = note_view
                .heads
                .into_iter()
                .map(|(note, status)| {
                    let (class, label) = status_of(lang, &status);
                    let meta = format!(
                        "{} · {} · {}{}",
                        day_and_clock(note.written_at),
                        category_label(lang, note.category),
                        note.author_name,
                        if revisions > 1 {
                            format!(" · {}", td_string!(lang, revisions, count = crate::i18n::count(revisions)))
                        } else {
                            String::new()
                        }
                    );
                    let edit = format!("/borger/{}/notat?ret={}", note.citizen_id, note.id);
                    view! {
                        <article class=format!("revision {class}") data-status=class>
                            <p class="meta">{meta}</p>
                            <p class="text">{note.text}</p>
                            {(!label.is_empty()).then(|| view! { <p class="status">{label}</p> })}
                            <a href=edit class="button secondary">{td_string!(lang, edit)}</a>
                        </article>
                    }
                })
                .collect_view();
            let merge = note_id.filter(|_| conflict).map(|note_id| {
                view! {
                    <a href=format!("/borger/{citizen}/notat?flet={note_id}") class="button">{td_string!(lang, merge)}</a>
                }
            });
            view! {
                <li class="note" class:conflict=conflict>
                    {conflict.then(|| view! { <p class="warning">{td_string!(lang, in_conflict)}</p> })}
                    {heads}
                    {merge}
                </li>
            }
        })
        .collect_view();
    view! {
        <Section test="notes-section" title=td_string!(lang, notes) empty_text=td_string!(lang, no_notes) empty=empty>
            {(!empty).then(|| view! { <ul class="notes" data-testid="notes">{items}</ul> })}
        </Section>
    }
}
