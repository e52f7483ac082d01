//! What the user does that changes data: log in, save a note, log out.
//! Each writes to storage (one IndexedDB transaction, committed) before the
//! app says it is done.

use crate::i18n::td_string;
use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::sync::Record;
use naervaer_domain::{SessionResponse, VisitNote};
use serde::Serialize;

use crate::context::Ctx;
use crate::http::{HttpError, post_json};
use crate::session::Session;
use crate::store::{IdbStore, StoreError};
use crate::sync::{device_for, forget_device, request_sync};
use crate::windows;
use naervaer_sync::Device;

/// Opens the logged-in user's data: moves anything an earlier version kept
/// in `localStorage` into IndexedDB (once), loads it into memory, and starts
/// listening to the user's other windows.
pub async fn open_user_data(ctx: Ctx, session: &Session) {
    let user_id = session.user.id;
    let device = device_for(user_id);
    let store = device.store().clone();
    if let Err(e) = store.upgrade_from_local_storage(user_id).await {
        // The old keys stay where they are; the next start tries again.
        ctx.notice.set(Some(e.to_string()));
    }
    let timing = crate::perf::Timing::start("naervaer:load");
    let loaded = store.load().await;
    timing.end();
    match loaded {
        Ok((data, damaged)) => {
            ctx.data.set(data);
            if damaged > 0 {
                ctx.notice.set(Some(format!(
                    "{damaged} poster på enheden kunne ikke læses og er sprunget over."
                )));
            }
        }
        Err(e) => ctx.notice.set(Some(e.to_string())),
    }
    ctx.loaded.set(true);
    windows::listen(ctx, user_id);
    check_persisted(ctx, false).await;
}

/// Asks the browser to keep this device's data (`navigator.storage.persist()`,
/// at login) or only whether it does (`persisted()`, at start); the header
/// warns when it may be cleared under storage pressure.
async fn check_persisted(ctx: Ctx, ask: bool) {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return;
    };
    let promise = if ask {
        storage.persist()
    } else {
        storage.persisted()
    };
    let Ok(promise) = promise else {
        return;
    };
    if let Ok(answer) = wasm_bindgen_futures::JsFuture::from(promise).await {
        ctx.persisted.set(answer.as_bool());
    }
}

#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
}

/// Logs in online and keeps the session on the device.
pub async fn login(ctx: Ctx, username: &str, password: &str) -> Result<(), String> {
    let lang = ctx.lang.get_untracked();
    let body = LoginBody { username, password };
    let response: SessionResponse =
        post_json("/api/v1/session", None, &body)
            .await
            .map_err(|e| match e {
                HttpError::Unauthorized => td_string!(lang, login_wrong).to_string(),
                HttpError::Offline => td_string!(lang, login_offline).to_string(),
                other => other.to_string(),
            })?;
    let session = Session::from(response);
    session.save().map_err(|e| e.to_string())?;
    ctx.session.set(Some(session.clone()));
    check_persisted(ctx, true).await;
    open_user_data(ctx, &session).await;
    ctx.status.update(|s| {
        s.needs_login = false;
        s.error = None;
    });
    request_sync(ctx);
    Ok(())
}

/// Puts a record (a note revision, a registration, …) into the outbox in
/// storage, through the device's sync: `Ok` only once the store's
/// transaction has committed. If storage refuses, the record is held in
/// memory (and shown as waiting), the error is returned for the user, and
/// saving is retried.
pub async fn save_record(ctx: Ctx, record: Record) -> Result<(), StoreError> {
    let Some(session) = ctx.session.get_untracked() else {
        return Err(StoreError::Unavailable);
    };
    let user_id = session.user.id;
    let device = device_for(user_id);
    let timing = crate::perf::Timing::start("naervaer:save");
    let result = device.save(record, Utc::now()).await;
    timing.end();
    show_saved(ctx, &device);
    match &result {
        Ok(entry) => {
            let entry = entry.clone();
            ctx.data.update(|d| {
                d.outbox.insert(entry.seq, entry);
            });
            windows::tell_others(user_id, windows::Changed::Outbox);
            request_sync(ctx);
        }
        Err(_) => {
            let retry = move || leptos::task::spawn_local(flush_unsaved(ctx));
            set_timeout(retry, std::time::Duration::from_secs(5));
        }
    }
    result.map(|_| ())
}

/// Saves a visit-note revision (see [`save_record`]).
pub async fn save_note(ctx: Ctx, note: VisitNote) -> Result<(), StoreError> {
    save_record(ctx, Record::Note(note)).await
}

/// Shows held changes that have now been written, and what is still held.
fn show_saved(ctx: Ctx, device: &Device<IdbStore>) {
    let written = device.take_written_from_held();
    if !written.is_empty() {
        ctx.data.update(|d| {
            for entry in written {
                d.outbox.insert(entry.seq, entry);
            }
        });
    }
    let held = device.held_records();
    if ctx.unsaved.with_untracked(|shown| *shown != held) {
        ctx.unsaved.set(held);
    }
}

/// Retries records that could not be written to storage.
pub async fn flush_unsaved(ctx: Ctx) {
    let Some(session) = ctx.session.get_untracked() else {
        return;
    };
    let device = device_for(session.user.id);
    if device.held_count() == 0 {
        return;
    }
    let result = device.retry_held().await;
    show_saved(ctx, &device);
    match result {
        Err(e) => {
            ctx.notice.set(Some(format!(
                "{} {}",
                e,
                td_string!(ctx.lang.get_untracked(), kept_retrying)
            )));
            set_timeout(
                move || leptos::task::spawn_local(flush_unsaved(ctx)),
                std::time::Duration::from_secs(5),
            );
        }
        Ok(_) => {
            ctx.notice.set(None);
            windows::tell_others(session.user.id, windows::Changed::Outbox);
            request_sync(ctx);
        }
    }
}

/// Logs out. Unless `force`, refuses while changes wait to be sent; the
/// user's cached data is cleared only when nothing is waiting.
pub fn logout(ctx: Ctx, force: bool) -> Result<(), usize> {
    let Some(session) = ctx.session.get_untracked() else {
        return Ok(());
    };
    let waiting =
        ctx.data.with_untracked(|d| d.pending_count()) + ctx.unsaved.with_untracked(Vec::len);
    if waiting > 0 && !force {
        return Err(waiting);
    }
    if waiting == 0 {
        // Only synced data is cleared; waiting changes (this window's, or
        // another window's saved a moment ago) stay for the next login.
        let store = device_for(session.user.id).store().clone();
        leptos::task::spawn_local(async move {
            let _cleared = store.clear_if_all_sent().await;
        });
    }
    forget_device();
    Session::clear();
    ctx.session.set(None);
    ctx.data.set(Default::default());
    ctx.loaded.set(false);
    ctx.status.set(Default::default());
    Ok(())
}

/// Runs a save; once it has committed, says it is on the device and goes
/// back to the citizen's page, or shows the user why not (the record is then
/// kept and retried).
pub fn report_save(
    ctx: Ctx,
    save: impl std::future::Future<Output = Result<(), StoreError>> + 'static,
    citizen: uuid::Uuid,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
    error: RwSignal<Option<String>>,
) {
    leptos::task::spawn_local(async move {
        let result = save.await;
        let lang = ctx.lang.get_untracked();
        match result {
            Ok(()) => {
                ctx.notice
                    .set(Some(td_string!(lang, saved_on_device).to_string()));
                navigate(&format!("/borger/{citizen}"), Default::default());
            }
            Err(e) => error.set(Some(format!("{e} {}", td_string!(lang, kept_retrying)))),
        }
    });
}
