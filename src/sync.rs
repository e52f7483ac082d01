//! The sync engine: pushes the outbox and pulls changes through
//! `POST /api/v1/sync`, page by page, and tells the header the truth.
//! Runs at start, on the browser's `online` event, after each save, and on a
//! timer, backing off after failures.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use naervaer_domain::{SyncRequest, SyncResponse};
use uuid::Uuid;

use crate::app::Ctx;
use crate::data::{EntryState, LocalData};
use crate::http::{HttpError, post_json};
use crate::store::{LocalStore, StoreError};

/// How many mutations one request pushes, and how many changes it pulls.
pub const BATCH: usize = 200;
/// How often the app syncs while open.
pub const TIMER: Duration = Duration::from_secs(30);

/// What the header shows about sync.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    /// A sync is under way.
    pub running: bool,
    /// Another sync was asked for while one ran.
    pub again: bool,
    /// The last sync's error, for people.
    pub error: Option<String>,
    /// Failures in a row (for backoff).
    pub failures: u32,
    /// The server no longer accepts the login.
    pub needs_login: bool,
    /// When the last sync of this session succeeded (the header shows it).
    pub synced_at: Option<DateTime<Utc>>,
}

/// The wait before retrying after `failures` failures in a row:
/// 5 s, 10 s, 20 s, … up to 5 minutes.
pub fn backoff_delay(failures: u32) -> Duration {
    let secs = 5u64.saturating_mul(1u64 << failures.saturating_sub(1).min(6));
    Duration::from_secs(secs.min(300))
}

/// The next request: the oldest pending mutations (at most `BATCH`) and the cursor.
pub fn build_request(data: &LocalData, client_id: Uuid) -> SyncRequest {
    SyncRequest {
        client_id,
        cursor: data.meta.cursor,
        // An entry whose record cannot be encoded stays in the outbox (it is
        // never dropped); encoding a record the app built does not fail.
        mutations: data
            .pending()
            .take(BATCH)
            .filter_map(|e| e.mutation().ok())
            .collect(),
        limit: Some(BATCH as u32),
    }
}

/// Settles acknowledged outbox entries: a rejected one is kept and marked; an
/// applied one is written as a record first, then removed from the outbox.
fn settle_outbox(store: &LocalStore, data: &mut LocalData) -> Result<(), StoreError> {
    let acked = data.meta.acknowledged_seq;
    let settled: Vec<u64> = data
        .outbox
        .iter()
        .filter(|(seq, e)| **seq <= acked && e.state == EntryState::Pending)
        .map(|(seq, _)| *seq)
        .collect();
    for seq in settled {
        let Some(entry) = data.outbox.get(&seq) else {
            continue;
        };
        let record = entry.record.clone();
        store.put_record(&record)?;
        data.apply(record);
        store.remove_outbox(seq)?;
        data.outbox.remove(&seq);
    }
    Ok(())
}

/// Takes a sync answer into storage and memory. Storage is written before
/// memory, and the cursor only after the records it covers.
pub fn apply_response(
    store: &LocalStore,
    data: &mut LocalData,
    response: &SyncResponse,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for rejection in &response.rejections {
        if let Some(entry) = data.outbox.get_mut(&rejection.seq) {
            entry.reject(rejection);
            store.put_outbox(entry)?;
        }
    }
    let mut meta = data.meta.clone();
    meta.acknowledged_seq = meta.acknowledged_seq.max(response.acknowledged_seq);
    store.put_meta(&meta)?;
    data.meta = meta;
    settle_outbox(store, data)?;
    for change in &response.changes {
        store.put_record(&change.record)?;
        data.apply(change.record.clone());
    }
    let mut meta = data.meta.clone();
    meta.cursor = response.next_cursor.max(meta.cursor);
    meta.last_success = Some(now);
    store.put_meta(&meta)?;
    data.meta = meta;
    Ok(())
}

/// A new random id from the browser (`crypto.randomUUID`).
pub fn random_uuid() -> Option<Uuid> {
    let id = web_sys::window()?.crypto().ok()?.random_uuid();
    Uuid::parse_str(&id).ok()
}

/// Asks for a sync soon (after a save, on `online`, on the timer).
pub fn request_sync(ctx: Ctx) {
    leptos::task::spawn_local(sync_now(ctx));
}

fn fail(ctx: Ctx, message: String, retry: bool) {
    ctx.status.update(|s| {
        s.error = Some(message);
        if retry {
            s.failures += 1;
        }
    });
    if retry {
        let delay = backoff_delay(ctx.status.with_untracked(|s| s.failures));
        set_timeout(move || request_sync(ctx), delay);
    }
}

/// Runs one sync to the end: all pages, all pending mutations.
pub async fn sync_now(ctx: Ctx) {
    let Some(session) = ctx.session.get_untracked() else {
        return;
    };
    let busy = ctx.status.with_untracked(|s| s.running);
    if busy {
        ctx.status.update(|s| s.again = true);
        return;
    }
    ctx.status.update(|s| {
        s.running = true;
        s.again = false;
    });
    crate::actions::flush_unsaved(ctx);
    let store = LocalStore::for_user(session.user.id);
    if let Err(e) = run_pages(ctx, &store, &session.token).await {
        match e {
            SyncError::Http(HttpError::Unauthorized) => {
                ctx.status.update(|s| s.needs_login = true);
                fail(ctx, HttpError::Unauthorized.to_string(), false);
            }
            SyncError::Http(e) => fail(ctx, e.to_string(), true),
            SyncError::Store(e) => fail(ctx, e.to_string(), true),
            SyncError::Gap(expected) => fail(
                ctx,
                format!(
                    "Serveren mangler ændring nr. {expected} fra denne enhed. Kontakt support."
                ),
                false,
            ),
        }
    } else {
        ctx.status.update(|s| {
            s.error = None;
            s.failures = 0;
            s.needs_login = false;
            s.synced_at = Some(Utc::now());
        });
    }
    let again = ctx.status.with_untracked(|s| s.again);
    ctx.status.update(|s| s.running = false);
    if again {
        request_sync(ctx);
    }
}

enum SyncError {
    Http(HttpError),
    Store(StoreError),
    Gap(u64),
}

async fn run_pages(ctx: Ctx, store: &LocalStore, token: &str) -> Result<(), SyncError> {
    let client_id = ensure_client_id(ctx, store).map_err(SyncError::Store)?;
    loop {
        let (request, acked_before) = ctx
            .data
            .with_untracked(|d| (build_request(d, client_id), d.meta.acknowledged_seq));
        let response: SyncResponse = post_json("/api/v1/sync", Some(token), &request)
            .await
            .map_err(SyncError::Http)?;
        let mut result = Ok(());
        // Views are told only when something changed: an empty answer (every
        // 30 s) must not re-render pages and reset forms being filled in.
        let changed = !response.changes.is_empty()
            || !response.rejections.is_empty()
            || response.acknowledged_seq != acked_before;
        ctx.data.maybe_update(|d| {
            result = apply_response(store, d, &response, Utc::now());
            changed || result.is_err()
        });
        result.map_err(SyncError::Store)?;
        if let Some(gap) = &response.gap {
            return Err(SyncError::Gap(gap.expected));
        }
        let (pending, acked_after) = ctx
            .data
            .with_untracked(|d| (d.pending_count(), d.meta.acknowledged_seq));
        let pushed_progress = acked_after > acked_before;
        if !response.more && (pending == 0 || !pushed_progress) {
            return Ok(());
        }
    }
}

fn ensure_client_id(ctx: Ctx, store: &LocalStore) -> Result<Uuid, StoreError> {
    if let Some(id) = ctx.data.with_untracked(|d| d.meta.client_id) {
        return Ok(id);
    }
    let id = random_uuid().ok_or(StoreError::Unavailable)?;
    let mut meta = ctx.data.with_untracked(|d| d.meta.clone());
    meta.client_id = Some(id);
    store.put_meta(&meta)?;
    ctx.data.update(|d| d.meta = meta);
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_five_seconds_up_to_five_minutes() {
        let secs: Vec<u64> = (1..=9).map(|f| backoff_delay(f).as_secs()).collect();
        assert_eq!(secs, vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
    }
}
