//! Nærvær's web app: an offline-first PWA for home-care workers and citizens.
//! Everything the user writes goes to the device first (IndexedDB, one
//! database per user) and is synced to the server when online.

pub mod actions;
pub mod app;
pub mod app_update;
pub mod calendar;
pub mod clip_text;
pub mod components;
pub mod context;
pub mod crypto;
pub mod data;
pub mod http;
pub mod i18n;
pub mod legacy;
pub mod notice;
pub mod pages;
pub mod perf;
pub mod rows;
pub mod screen_lock;
pub mod session;
pub mod settings;
pub mod store;
pub mod sync_glue;
pub mod time_fmt;
pub mod windows;

/// Mounts the app (which registers the service worker, see [`app_update`]).
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
