//! Writing a visit note, or a new revision of one. Saved to the device first.

use chrono::Utc;
use leptos::prelude::*;

use crate::components::bind::{ErrorLine, shown, store};
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{NoteCategory, VisitNote};
use uuid::Uuid;

use crate::actions::{report_save, save_note};
use crate::app::use_ctx;
use crate::i18n::category_label;
use crate::pages::citizen::citizen_form_target;
use crate::pages::citizen::route_citizen_id;
use crate::sync::random_uuid;
use crate::time_fmt::clock;

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
                    .filter_map(|e| e.note())
                    .find(|n| n.id == id)
                    .cloned()
            })
        })
    });
    let category = RwSignal::new(NoteCategory::Observation);
    let visit = RwSignal::new(None::<Uuid>);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(note) = editing.get() {
            category.set(note.category);
            visit.set(note.visit_id);
            text.set(note.text);
        }
    });

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
        let base = editing.get_untracked();
        let note = VisitNote {
            id,
            note_id: base.as_ref().map(|b| b.note_id).unwrap_or(id),
            replaces: base.as_ref().map(|b| b.id),
            citizen_id: citizen,
            visit_id: visit.get_untracked(),
            category: category.get_untracked(),
            text: text.get_untracked(),
            author_id: Some(session.user.id),
            author_name: session.user.name.clone(),
            written_at: Utc::now(),
        };
        if note.validate().is_err() {
            error.set(Some(t.text_required.to_string()));
            return;
        }
        report_save(ctx, save_note(ctx, note), citizen, &navigate, error);
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
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", t.back)}</a>
            <form class="card note-form" on:submit=submit.clone()>
                <h1>{format!("{} · {}", t.write_note, name)}</h1>
                <label>
                    {t.category}
                    <select name="category" on:change=move |ev| {
                        if let Some(c) = NoteCategory::parse(&event_target_value(&ev)) { category.set(c) }
                    }>
                        {NoteCategory::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == c>{category_label(lang, c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {t.visit}
                    <select name="visit" on:change=move |ev| visit.set(Uuid::parse_str(&event_target_value(&ev)).ok())>
                        <option value="" selected=move || visit.get().is_none()>{t.no_visit}</option>
                        {visits.into_iter().map(|v| {
                            let vid = v.id;
                            view! {
                                <option value=vid.to_string() selected=move || visit.get() == Some(vid)>
                                    {format!("{}–{} {}", clock(v.starts_at), clock(v.ends_at), v.purpose)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {t.note_text}
                    <textarea name="text" rows="8" prop:value=shown(text)
                        on:input=store(text)></textarea>
                </label>
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
