//! A new version of the app, offered, never forced: the service worker
//! installs it in the background and waits; the header says "Der er en ny
//! version af appen." and the user chooses when to take it (the page then
//! reloads). Code
//! is never swapped under someone filling in a form.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

use crate::context::Ctx;

/// What the page asks a waiting service worker to do: take over.
const TAKE_OVER: &str = "skip-waiting";

/// Registers `/sw.js` (so the app shell opens with no network) and marks
/// `ctx.update_ready` when a new version waits.
pub fn watch(ctx: Ctx) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let registered = container.register("/sw.js");
    leptos::task::spawn_local(async move {
        // A failed registration only means no offline shell; the app still runs.
        let Ok(registration) = JsFuture::from(registered).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        if registration.waiting().is_some() && has_controller() {
            ctx.update_ready.set(true);
        }
        let on_found = {
            let registration = registration.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(installing) = registration.installing() {
                    watch_installing(ctx, installing);
                }
            })
        };
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        // Lives as long as the page.
        on_found.forget();
    });
}

/// A version being installed: ready once installed, if an older one runs
/// this page (the very first install needs no offer).
fn watch_installing(ctx: Ctx, worker: ServiceWorker) {
    let watched = worker.clone();
    let on_state = Closure::<dyn FnMut()>::new(move || {
        if watched.state() == ServiceWorkerState::Installed && has_controller() {
            ctx.update_ready.set(true);
        }
    });
    worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
    on_state.forget();
}

fn has_controller() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
}

/// Takes the new version now: the waiting worker takes over, and the page
/// reloads once it has.
pub fn take_new_version() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _reloading = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let ready = container.get_registration();
    leptos::task::spawn_local(async move {
        let registration = JsFuture::from(ready)
            .await
            .ok()
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok());
        match registration.and_then(|r| r.waiting()) {
            Some(waiting) => {
                let _asked = waiting.post_message(&TAKE_OVER.into());
            }
            // Nothing waits (another window took it already): reload.
            None => {
                if let Some(window) = web_sys::window() {
                    let _reloading = window.location().reload();
                }
            }
        }
    });
}
