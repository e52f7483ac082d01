//! Two-way binding of text inputs to signals, and the form error line. One
//! function each, so every input shares one compiled handler type (the
//! download is smaller than with a closure per input).

use leptos::prelude::*;

/// The input handler that stores the field's text in `signal`.
pub fn store(signal: RwSignal<String>) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    move |ev| signal.set(event_target_value(&ev))
}

/// The field's value, read from `signal`.
pub fn shown(signal: RwSignal<String>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || signal.get()
}

/// The form an input or submit event belongs to (the handler's element).
pub fn event_form(ev: &leptos::ev::Event) -> Option<web_sys::HtmlFormElement> {
    use wasm_bindgen::JsCast;
    ev.current_target()?.dyn_into().ok()
}

/// A form's values as the browser would send them (`FormData`).
pub struct FormValues(web_sys::FormData);

impl FormValues {
    /// The values of `form`.
    pub fn of(form: &web_sys::HtmlFormElement) -> Option<FormValues> {
        web_sys::FormData::new_with_form(form).ok().map(FormValues)
    }

    /// The value of a field, or empty.
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).as_string().unwrap_or_default()
    }

    /// Every value of a field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .get_all(name)
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    }
}

/// A form's error message, when there is one.
#[component]
pub fn ErrorLine(
    /// The message, if any.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{e}</p> })
    }
}
