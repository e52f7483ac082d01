//! Glue between the page and the device's sync (`naervaer-sync`): one
//! `Device` per logged-in user over the IndexedDB store, `fetch` as its
//! transport, the triggers (start, `online`, after each save, a timer, backoff
//! after failures), and the signals the header reads. Every sync decision is
//! made in the crate; the windows of one login take turns through
//! [`crate::windows`].

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::protocol::Record;
use naervaer_domain::{SyncRequest, SyncResponse};
use naervaer_sync::{
    Device, DeviceStore, RunReport, SyncError, Transport, TransportError, sync_into,
};
use uuid::Uuid;

use crate::context::Ctx;
use crate::crypto::WebCipher;
use crate::data::LocalData;
use crate::http::post_json;
use crate::rows::IdbRows;
use crate::session::Session;
use crate::store::DeviceStoreError;
use crate::windows;
use naervaer_sync::sealed::SealedStore;

/// How often the app syncs while open.
pub const TIMER: Duration = Duration::from_secs(30);

/// The device's store: sealed rows in IndexedDB, opened with the user's
/// unlocked keys.
pub type AppStore = SealedStore<IdbRows, WebCipher>;

thread_local! {
    static DEVICE: RefCell<Option<(Uuid, Rc<Device<AppStore>>)>> = const { RefCell::new(None) };
}

/// The sync of this user in this window, if the user unlocked it here
/// (changes the store refused are held in it until they are written).
pub fn device_for(user_id: Uuid) -> Option<Rc<Device<AppStore>>> {
    DEVICE.with(|slot| match &*slot.borrow() {
        Some((id, device)) if *id == user_id => Some(device.clone()),
        _ => None,
    })
}

/// The sync of this user over their store, sealed with the keys just
/// unlocked (replacing any other user's in this window).
pub fn unlock_device(user_id: Uuid, cipher: WebCipher) -> Rc<Device<AppStore>> {
    let store = SealedStore::new(IdbRows::for_user(user_id), Rc::new(cipher), user_id);
    let device = Rc::new(Device::new(store));
    DEVICE.with(|slot| *slot.borrow_mut() = Some((user_id, device.clone())));
    device
}

/// Forgets this window's device and with it the keys (at a lock or logout).
pub fn forget_device() {
    DEVICE.with(|slot| slot.borrow_mut().take());
}

/// A new random id from the browser (`crypto.randomUUID`).
pub fn random_uuid() -> Option<Uuid> {
    let id = web_sys::window()?.crypto().ok()?.random_uuid();
    Uuid::parse_str(&id).ok()
}

/// `POST /api/v1/sync` with the user's token.
struct Fetch {
    token: String,
}

impl Transport for Fetch {
    async fn sync(&self, request: &SyncRequest) -> Result<SyncResponse, TransportError> {
        post_json("/api/v1/sync", Some(&self.token), request).await
    }
}

/// Whether this window should prune now: after its first sync, then once an
/// hour (pruning reads every record, so not after every sync).
fn prune_due() -> bool {
    thread_local! {
        static LAST: RefCell<Option<chrono::DateTime<Utc>>> = const { RefCell::new(None) };
    }
    let now = Utc::now();
    LAST.with(|last| {
        let due = last
            .borrow()
            .is_none_or(|at| now - at >= chrono::Duration::hours(1));
        if due {
            *last.borrow_mut() = Some(now);
        }
        due
    })
}

/// Asks for a sync soon (after a save, on `online`, on the timer).
pub fn request_sync(ctx: Ctx) {
    leptos::task::spawn_local(sync_now(ctx));
}

/// The server no longer takes the login (it answered 401: expired or
/// revoked): the citizens leave the screen and memory, and the keys too,
/// until the user logs in again. Changes waiting on the device stay there,
/// sealed; changes storage refused and this window still holds keep the
/// keys until they are written.
pub fn require_login(ctx: Ctx) {
    ctx.status.update(|s| s.needs_login = true);
    ctx.data.set(Default::default());
    ctx.loaded.set(false);
    let user = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    if user
        .and_then(device_for)
        .is_some_and(|device| device.held_count() == 0)
    {
        forget_device();
    }
}

/// The server says the user's account is disabled: this device forgets the
/// key to the user's data (the wrapped key, the sealed token, the user's
/// login here), so nobody can open it again, online or offline; every window
/// lets go. The sealed rows stay unreadable (an account enabled again gets
/// its key from the server at its next login, and with it its waiting
/// changes).
pub fn forget_user(ctx: Ctx, user_id: Uuid) {
    crate::crypto::wrap::forget(user_id);
    Session::forget_token(user_id);
    Session::forget_known(user_id);
    if Session::load().is_some_and(|s| s.user.id == user_id) {
        Session::clear();
    }
    windows::tell_others(user_id, windows::Changed::LoggedOut);
    if ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id))
        == Some(user_id)
    {
        close_here(ctx);
    }
}

/// Ends the login in this window only: its citizens leave the screen and
/// memory, its keys are dropped, and its sync stops. Changes its store
/// refused and still holds in memory are tried once more.
pub fn close_here(ctx: Ctx) {
    let_go(ctx);
    ctx.session.set(None);
    ctx.locked.set(false);
}

/// Drops what this window holds of the logged-in user: keys, data, sync
/// state, the screen lock and its PIN. Changes its store refused and still
/// holds in memory are tried once more.
pub fn let_go(ctx: Ctx) {
    let device = ctx
        .session
        .with_untracked(|s| s.as_ref().and_then(|s| device_for(s.user.id)));
    forget_device();
    crate::screen_lock::stop();
    ctx.soft_locked.set(false);
    ctx.data.set(Default::default());
    ctx.loaded.set(false);
    ctx.status.set(Default::default());
    ctx.unsaved.set(Vec::new());
    if let Some(device) = device.filter(|d| d.held_count() > 0) {
        leptos::task::spawn_local(async move {
            let _stored = device.retry_held().await;
        });
    }
}

/// Whether this window shows `user_id`'s data: logged in as that user,
/// and the login has not ended.
fn showing(ctx: Ctx, user_id: Uuid) -> bool {
    ctx.session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id))
        == Some(user_id)
        && !ctx.status.with_untracked(|s| s.needs_login)
}

/// Shows the store as it now is (after a sync, or a save in another
/// window), and what this window still holds unsaved. A reload asked for
/// while one runs is done once more after it.
pub async fn reload_view(ctx: Ctx, user_id: Uuid) {
    thread_local! {
        static RELOADING: RefCell<(bool, bool)> = const { RefCell::new((false, false)) };
    }
    let busy = RELOADING.with(|r| {
        let mut r = r.borrow_mut();
        if r.0 {
            r.1 = true;
        }
        std::mem::replace(&mut r.0, true)
    });
    if busy {
        return;
    }
    loop {
        let Some(device) = device_for(user_id) else {
            break;
        };
        if let Ok(opened) = device.store().open_everything().await
            && showing(ctx, user_id)
        {
            ctx.data.set(LocalData::from_maps(opened.maps));
        }
        ctx.unsaved.set(device.held_records());
        let again = RELOADING.with(|r| {
            let mut r = r.borrow_mut();
            let again = std::mem::take(&mut r.1);
            r.0 = again;
            again
        });
        if !again {
            break;
        }
    }
}

/// Brings this window's view up to a sync it ran: the records it wrote and
/// the ones retention removed go into the view in memory, the outbox and the
/// bookkeeping (small) are read again. The whole store is not read again.
async fn follow_run(ctx: Ctx, user_id: Uuid, records: Vec<Record>, pruned: &[Uuid]) {
    let Some(device) = device_for(user_id) else {
        return;
    };
    let store = device.store();
    let (Ok(meta), Ok(outbox)) = (store.meta().await, store.outbox().await) else {
        reload_view(ctx, user_id).await;
        return;
    };
    if !showing(ctx, user_id) {
        return;
    }
    ctx.data.update(|d| {
        for record in records {
            d.apply(record);
        }
        for id in pruned {
            d.records.remove(id);
        }
        d.set_outbox(outbox);
        d.meta = meta;
    });
    ctx.unsaved.set(device.held_records());
}

/// Brings this window's view up to a save in another window (the outbox
/// and the bookkeeping only).
async fn follow_outbox(ctx: Ctx, user_id: Uuid) {
    follow_run(ctx, user_id, Vec::new(), &[]).await;
}

/// Follows what the other windows of `user_id` save and sync, until the
/// user logs out, another logs in or this window locks; `on_ended` runs
/// when the user logged out ([`windows::Changed::LoggedOut`]) or the login
/// was locked ([`windows::Changed::Locked`]) in another window.
pub fn follow_other_windows(
    ctx: Ctx,
    user_id: Uuid,
    on_ended: impl Fn(windows::Changed) + 'static,
) {
    windows::listen(
        user_id,
        move |changed| match changed {
            windows::Changed::Outbox => leptos::task::spawn_local(follow_outbox(ctx, user_id)),
            windows::Changed::Records => leptos::task::spawn_local(reload_view(ctx, user_id)),
            ended @ (windows::Changed::LoggedOut | windows::Changed::Locked) => on_ended(ended),
        },
        move || {
            ctx.session.with(|s| s.as_ref().map(|s| s.user.id)) == Some(user_id)
                && !ctx.locked.get()
        },
    );
}

/// Runs one sync to the end: all pages, all pending changes. Only one
/// window of this login syncs at a time (a Web Lock); the others wait their
/// turn, then find little left to do.
pub async fn sync_now(ctx: Ctx) {
    let Some(session) = ctx.session.get_untracked() else {
        return;
    };
    if ctx.status.with_untracked(|s| s.needs_login) {
        return;
    }
    if ctx.status.with_untracked(|s| s.running) {
        ctx.status.update(|s| s.again = true);
        return;
    }
    ctx.status.update(|s| {
        s.running = true;
        s.again = false;
    });
    let user_id = session.user.id;
    let Some(fresh) = random_uuid() else {
        ctx.status.update(|s| {
            s.running = false;
            s.error = Some(SyncError::Store(DeviceStoreError::Unavailable));
        });
        return;
    };
    let Some(device) = device_for(user_id) else {
        ctx.status.update(|s| s.running = false);
        return;
    };
    let transport = Fetch {
        token: session.token.clone(),
    };
    let retention = session.retention;
    let run: Option<(RunReport, Result<(), SyncError>, Vec<Uuid>)> =
        windows::with_sync_lock(user_id, async move {
            // Another window may have logged out while this one waited for
            // the lock (and emptied the store): nothing is downloaded then.
            if !session.same_login(Session::load().as_ref()) {
                return None;
            }
            let mut report = RunReport::default();
            let ids = move || random_uuid().unwrap_or(fresh);
            let outcome = sync_into(&device, &transport, ids, Utc::now, &mut report).await;
            let mut pruned = Vec::new();
            if outcome.is_ok() && (prune_due() || report.restarted) {
                // Synced history past the municipality's retention leaves the
                // device; waiting changes never do. Its age is reckoned by
                // the server's clock: this device's may be days off.
                let now = Utc::now() + report.clock_offset.unwrap_or_default();
                pruned = naervaer_sync::retention::prune(device.store(), &retention, now)
                    .await
                    .unwrap_or_default();
            }
            Some((report, outcome, pruned))
        })
        .await;
    let Some((report, outcome, pruned)) = run else {
        ctx.status.update(|s| s.running = false);
        return;
    };
    // Pages are re-rendered only when something changed: an empty answer
    // (every 30 s) must not reset forms being filled in.
    let written = device_for(user_id).is_some_and(|d| !d.take_written_from_held().is_empty());
    ctx.status.update(|s| s.learn(&report));
    if report.changed() || !pruned.is_empty() || written {
        windows::tell_others(user_id, windows::Changed::Records);
        if report.restarted || !report.forgotten.is_empty() {
            // The store was restarted or a citizen left it: read it whole.
            reload_view(ctx, user_id).await;
        } else {
            follow_run(ctx, user_id, report.records, &pruned).await;
        }
    }
    let retry = ctx.status.try_update(|s| match &outcome {
        Ok(_) => {
            s.succeeded(Utc::now());
            None
        }
        Err(e) => s.failed(e),
    });
    if matches!(
        outcome,
        Err(SyncError::Transport(TransportError::AccountDisabled))
    ) {
        forget_user(ctx, user_id);
        ctx.notice.set(Some(crate::notice::Notice::Text(|l| {
            crate::i18n::td_string!(l, sync_problem.account_disabled)
        })));
    } else if ctx.status.with_untracked(|s| s.needs_login) {
        require_login(ctx);
    }
    if let Some(Some(delay)) = retry {
        set_timeout(move || request_sync(ctx), delay);
    }
    let again = ctx.status.with_untracked(|s| s.again);
    ctx.status.update(|s| s.running = false);
    if again {
        request_sync(ctx);
    }
}
