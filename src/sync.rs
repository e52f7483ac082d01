//! Glue between the page and the device's sync (`naervaer-sync`): one
//! `Device` per logged-in user over the browser store, `fetch` as its
//! transport, the triggers (start, `online`, after each save, a timer, backoff
//! after failures), and the signals the header reads. Every sync decision is
//! made in the crate.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::{SyncRequest, SyncResponse};
use naervaer_sync::{Device, Transport, TransportError, sync_to_end};
use uuid::Uuid;

pub use naervaer_sync::{SyncStatus, backoff_delay};

use crate::app::Ctx;
use crate::http::post_json;
use crate::store::{LocalStore, StoreError};

/// How often the app syncs while open.
pub const TIMER: Duration = Duration::from_secs(30);

thread_local! {
    static DEVICE: RefCell<Option<(Uuid, Rc<Device<LocalStore>>)>> = const { RefCell::new(None) };
}

/// The sync of this user in this window (made on first use; changes the
/// store refused are held in it until they are written).
pub fn device_for(user_id: Uuid) -> Rc<Device<LocalStore>> {
    DEVICE.with(|slot| {
        let mut slot = slot.borrow_mut();
        match &*slot {
            Some((id, device)) if *id == user_id => device.clone(),
            _ => {
                let device = Rc::new(Device::new(LocalStore::for_user(user_id)));
                *slot = Some((user_id, device.clone()));
                device
            }
        }
    })
}

/// Forgets this window's device (at logout).
pub fn forget_device() {
    DEVICE.with(|slot| slot.borrow_mut().take());
}

/// Runs a store operation to its end. The browser store is localStorage,
/// which answers at once, so the future is ready on its first poll; one that
/// is not is an error (and the change is held and retried), never a hang.
pub fn at_once<T>(future: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(result) => result,
        Poll::Pending => Err(StoreError::Write(
            "lageret svarede ikke med det samme".into(),
        )),
    }
}

/// A new random id from the browser (`crypto.randomUUID`).
pub fn random_uuid() -> Option<Uuid> {
    let id = web_sys::window()?.crypto().ok()?.random_uuid();
    Uuid::parse_str(&id).ok()
}

/// `POST /api/v1/sync` with the user's token.
struct Fetch<'a> {
    token: &'a str,
}

impl Transport for Fetch<'_> {
    async fn sync(&self, request: &SyncRequest) -> Result<SyncResponse, TransportError> {
        post_json("/api/v1/sync", Some(self.token), request).await
    }
}

/// Asks for a sync soon (after a save, on `online`, on the timer).
pub fn request_sync(ctx: Ctx) {
    leptos::task::spawn_local(sync_now(ctx));
}

/// Shows the store as it now is (after a sync that changed something).
pub fn reload_view(ctx: Ctx, user_id: Uuid) {
    if let Ok((data, _damaged)) = LocalStore::for_user(user_id).load() {
        ctx.data.set(data);
    }
    ctx.unsaved.set(device_for(user_id).held_records());
}

/// Runs one sync to the end: all pages, all pending changes.
pub async fn sync_now(ctx: Ctx) {
    let Some(session) = ctx.session.get_untracked() else {
        return;
    };
    if ctx.status.with_untracked(|s| s.running) {
        ctx.status.update(|s| s.again = true);
        return;
    }
    ctx.status.update(|s| {
        s.running = true;
        s.again = false;
    });
    let device = device_for(session.user.id);
    let Some(fresh) = random_uuid() else {
        ctx.status.update(|s| {
            s.running = false;
            s.error = Some(StoreError::Unavailable.to_string());
        });
        return;
    };
    let outcome = sync_to_end(
        &device,
        &Fetch {
            token: &session.token,
        },
        fresh,
        Utc::now,
    )
    .await;
    // Pages are re-rendered only when something changed: an empty answer
    // (every 30 s) must not reset forms being filled in.
    let changed = match &outcome {
        Ok(report) => report.settled + report.rejected + report.pulled > 0,
        Err(_) => true,
    };
    if changed || !device.take_written_from_held().is_empty() {
        reload_view(ctx, session.user.id);
    }
    let retry = ctx.status.try_update(|s| match &outcome {
        Ok(_) => {
            s.succeeded(Utc::now());
            None
        }
        Err(e) => s.failed(e),
    });
    if let Some(Some(delay)) = retry {
        set_timeout(move || request_sync(ctx), delay);
    }
    let again = ctx.status.with_untracked(|s| s.again);
    ctx.status.update(|s| s.running = false);
    if again {
        request_sync(ctx);
    }
}
