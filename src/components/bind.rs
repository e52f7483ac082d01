//! Two-way binding of text inputs to signals, and the form error line.

use leptos::prelude::*;

use crate::context::use_ctx;
use crate::notice::Notice;

/// The input handler that stores the field's text in `signal`.
pub fn on_input(signal: RwSignal<String>) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    move |ev| signal.set(event_target_value(&ev))
}

/// The field's value, read from `signal`.
pub fn shown(signal: RwSignal<String>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || signal.get()
}

/// A form's error message, when there is one.
#[component]
pub fn ErrorLine(
    /// The message, if any.
    error: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let lang = use_ctx().lang;
    move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{e.text(lang.get())}</p> })
    }
}
