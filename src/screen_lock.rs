//! This window's screen lock: counts use (touches, keys) and time hidden,
//! and tells the app when to hide the citizens (soft lock) or drop the keys
//! (hard lock). When each applies is `naervaer_sync::idle`'s decision; this
//! module gives it the browser's clocks and events. The PIN chosen at
//! unlock is held only here, in memory, never stored; the count of wrong
//! PINs is kept in `localStorage` (`nv:pin-tries:<user>`), so that every
//! window of the login counts towards the same five tries.

use std::cell::RefCell;

use gloo_storage::Storage;
use leptos::prelude::*;
use naervaer_domain::screen_lock::LockPolicy;
use naervaer_sync::idle::{IdleLock, Moment, PinAnswer, Screen};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use crate::context::Ctx;

thread_local! {
    static LOCK: RefCell<Option<IdleLock>> = const { RefCell::new(None) };
}

/// How often the clocks are looked at while the app is open.
const TICK_MS: i32 = 10_000;

/// Now, on the wall clock and the monotonic clock.
fn now() -> Moment {
    let wall_ms = js_sys::Date::now();
    let mono_ms = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(wall_ms, |p| p.now());
    Moment { wall_ms, mono_ms }
}

fn tries_key(user: Uuid) -> String {
    format!("nv:pin-tries:{user}")
}

fn wrong_pins(user: Uuid) -> u32 {
    gloo_storage::LocalStorage::get::<u32>(tries_key(user)).unwrap_or(0)
}

/// Starts counting after an unlock with the password, with the PIN chosen
/// then. A setting out of range (storage changed by hand) counts as the
/// defaults.
pub fn start(user: Uuid, policy: LockPolicy, pin: Option<String>) {
    let policy = policy.or_default();
    gloo_storage::LocalStorage::delete(tries_key(user));
    LOCK.with(|l| *l.borrow_mut() = Some(IdleLock::new(policy, pin, now())));
}

/// Stops counting (at a hard lock or logout); the PIN is forgotten.
pub fn stop() {
    LOCK.with(|l| l.borrow_mut().take());
}

/// Whether this window has a PIN to resume with.
pub fn has_pin() -> bool {
    LOCK.with(|l| {
        l.borrow()
            .as_ref()
            .is_some_and(|l| l.screen() != Screen::Hard)
    })
}

fn show(ctx: Ctx, screen: Option<Screen>, hard_lock: fn(Ctx)) {
    match screen {
        Some(Screen::Soft) => {
            if !ctx.soft_locked.get_untracked() {
                ctx.soft_locked.set(true);
            }
        }
        Some(Screen::Hard) => hard_lock(ctx),
        Some(Screen::Open) | None => {}
    }
}

/// Watches use and time for the app's lifetime: a touch or key counts as
/// use; every few seconds, and when the app is shown again, the clocks are
/// read. `hard_lock` drops the keys of this window.
pub fn watch(ctx: Ctx, hard_lock: fn(Ctx)) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_use = Closure::<dyn FnMut()>::new(move || {
        let screen = LOCK.with(|l| l.borrow_mut().as_mut().map(|l| l.used(now())));
        show(ctx, screen, hard_lock);
    });
    let on_time = Closure::<dyn FnMut()>::new(move || {
        let screen = LOCK.with(|l| l.borrow_mut().as_mut().map(|l| l.tick(now())));
        show(ctx, screen, hard_lock);
    });
    for event in ["pointerdown", "keydown", "wheel"] {
        let _listening =
            window.add_event_listener_with_callback(event, on_use.as_ref().unchecked_ref());
    }
    if let Some(document) = window.document() {
        let _listening = document
            .add_event_listener_with_callback("visibilitychange", on_time.as_ref().unchecked_ref());
    }
    let _timer = window.set_interval_with_callback_and_timeout_and_arguments_0(
        on_time.as_ref().unchecked_ref(),
        TICK_MS,
    );
    // The app lives as long as its window: so do the listeners.
    on_use.forget();
    on_time.forget();
}

/// A PIN given at the soft lock: the right one shows the citizens again.
/// Wrong ones count for every window of the login.
pub fn try_pin(ctx: Ctx, pin: &str, hard_lock: fn(Ctx)) -> PinAnswer {
    let Some(user) = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id))
    else {
        return PinAnswer::Hard;
    };
    let before = wrong_pins(user);
    let answer = LOCK.with(|l| {
        l.borrow_mut()
            .as_mut()
            .map_or(PinAnswer::Hard, |l| l.try_pin(pin, now(), before))
    });
    match answer {
        PinAnswer::Resumed => {
            gloo_storage::LocalStorage::delete(tries_key(user));
            ctx.soft_locked.set(false);
        }
        PinAnswer::Hard => hard_lock(ctx),
        PinAnswer::Wrong { .. } => {
            // A wrong PIN that cannot be counted ends the tries.
            if gloo_storage::LocalStorage::set(tries_key(user), before + 1).is_err() {
                hard_lock(ctx);
                return PinAnswer::Hard;
            }
        }
    }
    answer
}
