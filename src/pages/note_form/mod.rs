//! Writing a visit note, or a new revision of one (an edit, or a merge of
//! a note in conflict). Saved to the device first. The form is built once
//! per citizen: texts follow the language and the visit list follows the
//! data without rebuilding what is being typed. Its values and the
//! revision they make are plain functions in [`draft`].

pub mod draft;

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{NoteCategory, VisitNote};
use uuid::Uuid;

use crate::actions::save::{fresh_id, report_save, save_note};
use crate::components::bind::ErrorLine;
use crate::components::field::TextArea;
use crate::context::{Ctx, tr, use_ctx};
use crate::i18n::{category_label, td_string};
use crate::notice::Notice;
use crate::pages::citizen::{form_target, route_citizen_id};
use crate::time_fmt::{clock, day_and_clock};
use draft::{Draft, revision, starting_draft};

/// The revision edited (`?ret=<id>`) and the current versions of a note in
/// conflict being merged (`?flet=<note id>`), read once from the route.
fn from_route(
    ctx: Ctx,
    citizen_id: Memo<Option<Uuid>>,
) -> (Option<VisitNote>, Option<Vec<VisitNote>>) {
    let query = use_query_map();
    let id_in = |key: &str| {
        query
            .with_untracked(|q| q.get(key))
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let editing = id_in("ret").and_then(|id| {
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
    let merging = id_in("flet")
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
    (editing, merging)
}

/// The note form.
#[component]
pub fn NoteForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let navigate = use_navigate();
    let (editing, merging) = from_route(ctx, citizen_id);
    let start = starting_draft(editing.as_ref(), merging.as_deref());
    let (category, visit, text) = (
        RwSignal::new(start.category),
        RwSignal::new(start.visit),
        RwSignal::new(start.text),
    );
    let error = RwSignal::new(None::<Notice>);
    // A merge replaces every version; an edit the revision edited.
    let replaced = merging.clone().or_else(|| editing.map(|b| vec![b]));
    let replaced = StoredValue::new(replaced.unwrap_or_default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(session), Some(citizen)) =
            (ctx.session.get_untracked(), citizen_id.get_untracked())
        else {
            return;
        };
        let Some(id) = fresh_id(error) else {
            return;
        };
        let draft = Draft {
            category: category.get_untracked(),
            visit: visit.get_untracked(),
            text: text.get_untracked(),
        };
        let now = Utc::now();
        match revision(
            draft,
            id,
            citizen,
            &replaced.get_value(),
            &session.user,
            now,
        ) {
            Ok(note) => report_save(ctx, save_note(ctx, note), citizen, navigate.clone(), error),
            Err(why) => error.set(Some(why)),
        }
    };
    let merging = StoredValue::new(merging);
    let target = form_target(ctx, citizen_id);
    let note_text = Signal::derive(move || td_string!(ctx.lang.get(), note_text).to_owned());
    move || {
        let (cid, name) = match target.get().page() {
            Ok(target) => target,
            Err(page) => return page,
        };
        let heads = merging.get_value();
        let title = if heads.is_some() {
            tr(|l| td_string!(l, merge_title))
        } else {
            tr(|l| td_string!(l, write_note))
        };
        view! {
            <a href=format!("/borger/{cid}") class="back">"‹ "{tr(|l| td_string!(l, back))}</a>
            <form class="card note-form" on:submit=submit.clone()>
                <h1>{title}" · "{name}</h1>
                {heads.map(|heads| view! { <MergeVersions heads/> })}
                <CategoryField category/>
                <VisitField citizen=cid visit/>
                <TextArea label=note_text name="text" rows=8 value=text/>
                <ErrorLine error/>
                <div class="row">
                    <button type="submit" class="big">{tr(|l| td_string!(l, save))}</button>
                    <a href=format!("/borger/{cid}") class="button secondary">{tr(|l| td_string!(l, cancel))}</a>
                </div>
            </form>
        }
        .into_any()
    }
}

/// The versions of a note in conflict, side by side, above the merged text.
#[component]
fn MergeVersions(
    /// The current versions.
    heads: Vec<VisitNote>,
) -> impl IntoView {
    view! {
        <p class="help">{tr(|l| td_string!(l, merge_help))}</p>
        <div class="merge" data-testid="merge-versions">
            {heads.into_iter().map(|n| view! {
                <article class="revision">
                    <p class="meta">{format!("{} · {}", day_and_clock(n.written_at), n.author_name)}</p>
                    <p class="text">{n.text}</p>
                </article>
            }).collect_view()}
        </div>
    }
}

/// The note's topic.
#[component]
fn CategoryField(
    /// The topic chosen.
    category: RwSignal<NoteCategory>,
) -> impl IntoView {
    let lang = use_ctx().lang;
    let choose = move |ev| {
        let chosen = NoteCategory::parse(&event_target_value(&ev));
        category.set(chosen.unwrap_or(NoteCategory::Observation));
    };
    view! {
        <label>
            {tr(|l| td_string!(l, category))}
            <select name="category" on:change=choose>
                {NoteCategory::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=move || category.get() == c>
                        {move || category_label(lang.get(), c)}
                    </option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// Today's planned visit to the citizen the note was written on, if any.
#[component]
fn VisitField(
    /// The citizen.
    citizen: Uuid,
    /// The visit chosen.
    visit: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let today = copenhagen_date(Utc::now());
    let visits = Memo::new(move |_| {
        ctx.data.with(|d| {
            d.visits_on(today)
                .into_iter()
                .filter(|v| v.citizen_id == citizen)
                .map(|v| {
                    (
                        v.id,
                        format!("{}–{} {}", clock(v.starts_at), clock(v.ends_at), v.purpose),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <label>
            {tr(|l| td_string!(l, visit))}
            <select name="visit" on:change=move |ev| visit.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                <option value="" selected=move || visit.get().is_none()>{tr(|l| td_string!(l, no_visit))}</option>
                {move || visits.get().into_iter().map(|(id, label)| view! {
                    <option value=id.to_string() selected=move || visit.get() == Some(id)>{label}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
