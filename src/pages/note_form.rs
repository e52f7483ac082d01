//! Writing a visit note, or a new revision of one. Saved to the device first.

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{NoteCategory, VisitNote};
use uuid::Uuid;

use crate::actions::save::{report_save, save_note};
use crate::components::bind::ErrorLine;
use crate::components::field::TextArea;
use crate::context::use_ctx;
use crate::i18n::{category_label, td_string};
use crate::notice::Notice;
use crate::pages::citizen::citizen_form_target;
use crate::pages::citizen::route_citizen_id;
use crate::sync_glue::random_uuid;
use crate::time_fmt::{clock, day_and_clock};

/// The note form.
#[component]
pub fn NoteForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let query = use_query_map();
    let navigate = use_navigate();
    // The revision being edited, if any (`?ret=<id>`).
    let editing = query
        .with_untracked(|q| q.get("ret"))
        .and_then(|s| Uuid::parse_str(&s).ok())
        .and_then(|id| {
            ctx.data.with_untracked(|d| {
                d.note(id).cloned().or_else(|| {
                    d.outbox
                        .values()
                        .filter_map(crate::data::entry_note)
                        .find(|n| n.id == id)
                        .cloned()
                })
            })
        });
    // The current revisions of a note in conflict, when merging them (`?flet=<note id>`).
    let merging = query
        .with_untracked(|q| q.get("flet"))
        .and_then(|s| Uuid::parse_str(&s).ok())
        .zip(citizen_id.get_untracked())
        .and_then(|(note_id, citizen)| {
            let heads: Vec<VisitNote> = ctx.data.with_untracked(|d| {
                d.notes_of(citizen)
                    .into_iter()
                    .find(|v| v.note_id() == Some(note_id))
                    .map(|v| v.heads.into_iter().map(|(n, _)| n).collect())
                    .unwrap_or_default()
            });
            (heads.len() > 1).then_some(heads)
        });
    // The form starts from the revision edited, or both versions merged.
    let (category, visit, text) = match (&merging, &editing) {
        (Some(heads), _) => (
            heads[0].category,
            heads[0].visit_id,
            heads
                .iter()
                .map(|n| n.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        (None, Some(n)) => (n.category, n.visit_id, n.text.clone()),
        (None, None) => (NoteCategory::Observation, None, String::new()),
    };
    let category = RwSignal::new(category);
    let visit = RwSignal::new(visit);
    let text = RwSignal::new(text);
    let error = RwSignal::new(None::<Notice>);
    // A merge replaces every head; an edit the revision edited.
    let replaced: Vec<VisitNote> = merging
        .clone()
        .or_else(|| editing.map(|b| vec![b]))
        .unwrap_or_default();
    let replaced = StoredValue::new(replaced);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(session), Some(citizen)) =
            (ctx.session.get_untracked(), citizen_id.get_untracked())
        else {
            return;
        };
        let Some(id) = random_uuid() else {
            error.set(Some(Notice::Storage(
                crate::store::DeviceStoreError::Unavailable,
            )));
            return;
        };
        let replaced = replaced.get_value();
        let note = VisitNote {
            visit_id: visit.get_untracked(),
            author_id: Some(session.user.id),
            author_name: session.user.name.clone(),
            ..VisitNote::written(
                id,
                citizen,
                &replaced,
                category.get_untracked(),
                text.get_untracked(),
                Utc::now(),
            )
        };
        if note.validate().is_err() {
            error.set(Some(Notice::Text(|l| td_string!(l, text_required))));
            return;
        }
        report_save(ctx, save_note(ctx, note), citizen, navigate.clone(), error);
    };
    let merging = StoredValue::new(merging);

    move || {
        let (cid, name) = match citizen_form_target(ctx, citizen_id) {
            Ok(target) => target,
            Err(page) => return page,
        };
        let lang = ctx.lang.get();
        let today = copenhagen_date(Utc::now());
        let visits = ctx.data.with(|d| {
            d.visits_on(today)
                .into_iter()
                .filter(|v| v.citizen_id == cid)
                .cloned()
                .collect::<Vec<_>>()
        });
        let categories = NoteCategory::ALL
            .into_iter()
            .map(|c| {
                view! {
                    <option value=c.as_str() selected=move || category.get() == c>{category_label(lang, c)}</option>
                }
            })
            .collect_view();
        let visit_options = visits
            .into_iter()
            .map(|v| {
                let label = format!("{}–{} {}", clock(v.starts_at), clock(v.ends_at), v.purpose);
                let id = v.id;
                view! { <option value=id.to_string() selected=move || visit.get() == Some(id)>{label}</option> }
            })
            .collect_view();
        let heads = merging.get_value();
        let title = if heads.is_some() {
            td_string!(lang, merge_title)
        } else {
            td_string!(lang, write_note)
        };
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", td_string!(lang, back))}</a>
            <form class="card note-form" on:submit=submit.clone()>
                <h1>{format!("{title} · {name}")}</h1>
                {heads.map(|heads| view! {
                    <p class="help">{td_string!(lang, merge_help)}</p>
                    <div class="merge" data-testid="merge-versions">
                        {heads.into_iter().map(|n| view! {
                            <article class="revision">
                                <p class="meta">{format!("{} · {}", day_and_clock(n.written_at), n.author_name)}</p>
                                <p class="text">{n.text}</p>
                            </article>
                        }).collect_view()}
                    </div>
                })}
                <label>
                    {td_string!(lang, category)}
                    <select name="category" on:change=move |ev| {
                        category.set(NoteCategory::parse(&event_target_value(&ev)).unwrap_or(NoteCategory::Observation));
                    }>
                        {categories}
                    </select>
                </label>
                <label>
                    {td_string!(lang, visit)}
                    <select name="visit" on:change=move |ev| visit.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="" selected=move || visit.get().is_none()>{td_string!(lang, no_visit)}</option>
                        {visit_options}
                    </select>
                </label>
                <TextArea label=td_string!(lang, note_text).to_owned() name="text" rows=8 value=text/>
                <ErrorLine error=error/>
                <div class="row">
                    <button type="submit" class="big">{td_string!(lang, save)}</button>
                    <a href=format!("/borger/{cid}") class="button secondary">{td_string!(lang, cancel)}</a>
                </div>
            </form>
        }
        .into_any()
    }
}
