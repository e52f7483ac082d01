//! Several windows of one login on one device (the installed app and a
//! browser tab): they share one IndexedDB store; one syncs at a time (a Web
//! Lock named after the user), and each tells the others when it saved or
//! synced (a `BroadcastChannel` named after the user), so every window shows
//! a change within a moment without a reload. Knows nothing of the app's
//! context: callers pass what to do as callbacks.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it only behind its unstable flag).
    type LockManager;

    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &js_sys::Function) -> js_sys::Promise;
}

fn lock_manager() -> Option<LockManager> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    Some(locks.unchecked_into())
}

/// Runs `work` holding this user's sync lock: another window of the same
/// login that is syncing finishes first. Where the browser has no Web Locks,
/// `work` runs at once (the server applies every change once).
pub async fn with_sync_lock<T>(user_id: Uuid, work: impl Future<Output = T>) -> T {
    let _held = lock(&format!("naervaer-sync-{user_id}")).await;
    work.await
}

/// A Web Lock held until this is dropped (every window of the origin waits
/// for it). A reload or a closed window lets it go too.
#[derive(Debug)]
pub struct Held {
    release: Option<js_sys::Function>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _released = release.call0(&JsValue::NULL);
        }
    }
}

/// Waits for the Web Lock `name` and holds it. `None` where the browser has
/// no Web Locks (the caller goes on without).
pub async fn lock(name: &str) -> Option<Held> {
    let locks = lock_manager()?;
    // `granted` resolves with the function that lets the lock go: the lock
    // is held while the promise the callback returned is pending.
    let mut on_grant = None;
    let granted = js_sys::Promise::new(&mut |resolve, _reject| on_grant = Some(resolve));
    let on_grant = on_grant?;
    let callback = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
        let mut release = None;
        let held = js_sys::Promise::new(&mut |resolve, _reject| release = Some(resolve));
        if let Some(release) = release {
            let _told = on_grant.call1(&JsValue::NULL, &release);
        }
        held
    });
    let _request = locks.request(name, callback.unchecked_ref());
    let release = JsFuture::from(granted).await.ok()?;
    Some(Held {
        release: release.dyn_into().ok(),
    })
}

fn channel(user_id: Uuid) -> Option<web_sys::BroadcastChannel> {
    web_sys::BroadcastChannel::new(&format!("naervaer-{user_id}")).ok()
}

/// What another window changed in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// It saved a change: only the outbox and the bookkeeping.
    Outbox,
    /// It synced: records too.
    Records,
    /// The user logged out there: this window must let go too.
    LoggedOut,
    /// The login was locked hard there: this window locks too.
    Locked,
}

impl Changed {
    const ALL: [Changed; 4] = [
        Changed::Outbox,
        Changed::Records,
        Changed::LoggedOut,
        Changed::Locked,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Changed::Outbox => "outbox",
            Changed::Records => "records",
            Changed::LoggedOut => "logged-out",
            Changed::Locked => "locked",
        }
    }

    /// The change a message names; anything else counts as a sync (the
    /// safe reading: the store is read again).
    fn of(message: Option<String>) -> Changed {
        Changed::ALL
            .into_iter()
            .find(|c| message.as_deref() == Some(c.as_str()))
            .unwrap_or(Changed::Records)
    }
}

/// Tells the other windows of this login that the store changed.
pub fn tell_others(user_id: Uuid, changed: Changed) {
    if let Some(channel) = channel(user_id) {
        let _sent = channel.post_message(&JsValue::from_str(changed.as_str()));
        channel.close();
    }
}

/// Listens for the other windows of `user_id`: `on_change` runs for each
/// change another window tells of, as long as `listening()` (read in a
/// reactive effect) is true; once it turns false the channel is closed.
pub fn listen(
    user_id: Uuid,
    on_change: impl Fn(Changed) + 'static,
    listening: impl Fn() -> bool + 'static,
) {
    let Some(channel) = channel(user_id) else {
        return;
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            on_change(Changed::of(event.data().as_string()));
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let stop = Rc::new(RefCell::new(Some((channel, on_message))));
    Effect::new(move |_| {
        if !listening()
            && let Some((channel, _callback)) = stop.borrow_mut().take()
        {
            channel.set_onmessage(None);
            channel.close();
        }
    });
}

/// Calls `on_change` whenever another window of this app changes `key` in
/// `localStorage` (or clears it): the `storage` event, which reaches every
/// other window of the origin even where `BroadcastChannel` does not. Runs
/// as long as the app does.
pub fn on_storage_change(key: &'static str, on_change: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            // No key: the other window cleared all of localStorage.
            if event.key().is_none_or(|k| k == key) {
                on_change();
            }
        });
    if window
        .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())
        .is_ok()
    {
        // The app lives as long as its window: the listener does too.
        listener.forget();
    }
}
