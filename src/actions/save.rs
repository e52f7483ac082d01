//! Saving what the user made: into the outbox in storage through the
//! device's sync, committed before the app says it is saved; what storage
//! refuses is held in memory, shown as waiting and retried.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::VisitNote;
use naervaer_domain::protocol::Record;
use naervaer_sync::Device;

use crate::context::Ctx;
use crate::notice::Notice;
use crate::store::DeviceStoreError;
use crate::sync_glue::{AppStore, device_for, request_sync};
use crate::windows;

/// Puts a record (a note revision, a registration, …) into the outbox in
/// storage, through the device's sync: `Ok` only once the store's
/// transaction has committed. If storage refuses, the record is held in
/// memory (and shown as waiting), the error is returned for the user, and
/// saving is retried.
pub async fn save_record(ctx: Ctx, record: Record) -> Result<(), DeviceStoreError> {
    let Some(session) = ctx.session.get_untracked() else {
        return Err(DeviceStoreError::Unavailable);
    };
    let user_id = session.user.id;
    let Some(device) = device_for(user_id) else {
        return Err(DeviceStoreError::Locked);
    };
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

/// A fresh id for a new record, or `None` with the user told why (a
/// browser that gives no random numbers cannot make records).
pub fn fresh_id(error: RwSignal<Option<Notice>>) -> Option<uuid::Uuid> {
    let id = crate::sync_glue::random_uuid();
    if id.is_none() {
        error.set(Some(Notice::Storage(DeviceStoreError::Unavailable)));
    }
    id
}

/// Saves a visit-note revision (see [`save_record`]).
pub async fn save_note(ctx: Ctx, note: VisitNote) -> Result<(), DeviceStoreError> {
    save_record(ctx, Record::Note(note)).await
}

/// Shows held changes that have now been written, and what is still held.
fn show_saved(ctx: Ctx, device: &Device<AppStore>) {
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
    let Some(device) = device_for(session.user.id) else {
        return;
    };
    if device.held_count() == 0 {
        return;
    }
    let result = device.retry_held().await;
    show_saved(ctx, &device);
    match result {
        Err(e) => {
            ctx.notice.set(Some(Notice::KeptRetrying(e)));
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

/// Runs a save; once it has committed, says it is on the device and goes
/// back to the citizen's page, or shows the user why not (the record is then
/// kept and retried).
pub fn report_save(
    ctx: Ctx,
    save: impl std::future::Future<Output = Result<(), DeviceStoreError>> + 'static,
    citizen: uuid::Uuid,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
    error: RwSignal<Option<Notice>>,
) {
    leptos::task::spawn_local(async move {
        match save.await {
            Ok(()) => {
                ctx.notice.set(Some(Notice::Saved));
                navigate(&format!("/borger/{citizen}"), Default::default());
            }
            Err(e) => error.set(Some(Notice::KeptRetrying(e))),
        }
    });
}
