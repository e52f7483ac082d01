//! Writing a visit note, or a new revision of one. Saved to the device first.

use chrono::Utc;
use leptos::prelude::*;

use crate::components::bind::{ErrorLine, FormValues, event_form};
use crate::html::esc;
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{NoteCategory, VisitNote};
use uuid::Uuid;

use crate::actions::{report_save, save_note};
use crate::context::use_ctx;
use crate::i18n::category_label;
use crate::pages::citizen::citizen_form_target;
use crate::pages::citizen::route_citizen_id;
use crate::sync::random_uuid;
use crate::time_fmt::{clock, day_and_clock};

/// The note form.
#[component]
pub fn NoteForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let query = use_query_map();
    let navigate = use_navigate();
    // The revision being edited, if any.
    let editing = Memo::new(move |_| {
        let id = query
            .with(|q| q.get("ret"))
            .and_then(|s| Uuid::parse_str(&s).ok())?;
        ctx.data.with(|d| {
            d.note(id).cloned().or_else(|| {
                d.outbox
                    .values()
                    .filter_map(crate::data::entry_note)
                    .find(|n| n.id == id)
                    .cloned()
            })
        })
    });
    // The current revisions of a note in conflict, when merging them.
    let merging = Memo::new(move |_| {
        let note_id = query
            .with(|q| q.get("flet"))
            .and_then(|s| Uuid::parse_str(&s).ok())?;
        let citizen = citizen_id.get()?;
        let heads: Vec<VisitNote> = ctx.data.with(|d| {
            d.notes_of(citizen)
                .into_iter()
                .find(|v| v.note_id() == Some(note_id))
                .map(|v| v.heads.into_iter().map(|(n, _)| n).collect())
                .unwrap_or_default()
        });
        (heads.len() > 1).then_some(heads)
    });
    // What the form shows: the revision being edited until the user types.
    let typed = RwSignal::new(None::<(NoteCategory, Option<Uuid>, String)>);
    let shown_values = move || {
        typed
            .get_untracked()
            .unwrap_or_else(|| match (merging.get(), editing.get()) {
                (Some(heads), _) => (
                    heads[0].category,
                    heads[0].visit_id,
                    heads
                        .iter()
                        .map(|n| n.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                ),
                (None, Some(n)) => (n.category, n.visit_id, n.text),
                (None, None) => (NoteCategory::Observation, None, String::new()),
            })
    };
    let error = RwSignal::new(None::<String>);
    let on_input = move |ev: leptos::ev::Event| {
        if let Some(values) = event_form(&ev).and_then(|f| FormValues::of(&f)) {
            let get = |name: &str| values.get(name);
            typed.set(Some((
                NoteCategory::parse(&get("category")).unwrap_or(NoteCategory::Observation),
                Uuid::parse_str(&get("visit")).ok(),
                get("text"),
            )));
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = ctx.texts();
        let (Some(session), Some(citizen)) =
            (ctx.session.get_untracked(), citizen_id.get_untracked())
        else {
            return;
        };
        let Some(id) = random_uuid() else {
            error.set(Some(crate::store::StoreError::Unavailable.to_string()));
            return;
        };
        // A merge replaces every head; an edit the revision edited.
        let replaced: Vec<VisitNote> = merging
            .get_untracked()
            .or_else(|| editing.get_untracked().map(|b| vec![b]))
            .unwrap_or_default();
        let note = VisitNote {
            id,
            note_id: replaced.first().map(|b| b.note_id).unwrap_or(id),
            replaces: replaced.iter().map(|b| b.id).collect(),
            citizen_id: citizen,
            visit_id: shown_values().1,
            category: shown_values().0,
            text: shown_values().2,
            author_id: Some(session.user.id),
            author_name: session.user.name.clone(),
            written_at: Utc::now(),
        };
        if note.validate().is_err() {
            error.set(Some(t.text_required.to_string()));
            return;
        }
        report_save(ctx, save_note(ctx, note), citizen, navigate.clone(), error);
    };

    move || {
        let (cid, name) = match citizen_form_target(ctx, citizen_id) {
            Ok(target) => target,
            Err(page) => return page,
        };
        let t = ctx.t();
        let lang = ctx.lang.get();
        let today = copenhagen_date(Utc::now());
        let visits = ctx.data.with(|d| {
            d.visits_on(today)
                .into_iter()
                .filter(|v| v.citizen_id == cid)
                .cloned()
                .collect::<Vec<_>>()
        });
        let (category, visit, text) = shown_values();
        let option = |value: &str, chosen: bool, label: &str| {
            format!(
                "<option value=\"{value}\"{}>{}</option>",
                if chosen { " selected" } else { "" },
                esc(label)
            )
        };
        let categories: String = NoteCategory::ALL
            .into_iter()
            .map(|c| option(c.as_str(), c == category, category_label(lang, c)))
            .collect();
        let visit_options: String = visits
            .iter()
            .map(|v| {
                let label = format!("{}–{} {}", clock(v.starts_at), clock(v.ends_at), v.purpose);
                option(&v.id.to_string(), visit == Some(v.id), &label)
            })
            .collect();
        let fields = format!(
            "<label>{}<select name=\"category\">{categories}</select></label>\
             <label>{}<select name=\"visit\">{}{visit_options}</select></label>\
             <label>{}<textarea name=\"text\" rows=\"8\">{}</textarea></label>",
            esc(t.category),
            esc(t.visit),
            option("", visit.is_none(), t.no_visit),
            esc(t.note_text),
            esc(&text),
        );
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", t.back)}</a>
            <form class="card note-form" on:submit=submit.clone() on:input=on_input>
                <h1>{format!("{} · {}", if merging.get().is_some() { t.merge_title } else { t.write_note }, name)}</h1>
                {move || merging.get().map(|heads| view! {
                    <p class="help">{ctx.t().merge_help}</p>
                    <div class="merge" data-testid="merge-versions">
                        {heads.into_iter().map(|n| view! {
                            <article class="revision">
                                <p class="meta">{format!("{} · {}", day_and_clock(n.written_at), n.author_name)}</p>
                                <p class="text">{n.text}</p>
                            </article>
                        }).collect_view()}
                    </div>
                })}
                <div inner_html=fields></div>
                <ErrorLine error=error/>
                <div class="row">
                    <button type="submit" class="big">{t.save}</button>
                    <a href=format!("/borger/{cid}") class="button secondary">{t.cancel}</a>
                </div>
            </form>
        }
        .into_any()
    }
}
