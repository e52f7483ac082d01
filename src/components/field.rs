//! Labelled text inputs and text areas bound to signals.

use leptos::prelude::*;

use crate::components::bind;

/// A labelled input (`kind` is the input type: text, date, time, number …).
#[component]
pub fn TextField(
    /// The label, read by screen readers too.
    #[prop(into)]
    label: Signal<String>,
    /// The input's name (forms and tests find it by name).
    name: &'static str,
    /// The text.
    value: RwSignal<String>,
    /// The input type; text unless given.
    #[prop(optional)]
    kind: Option<&'static str>,
    /// The label's class (CSS may hide it).
    #[prop(optional)]
    class: &'static str,
    /// Whether the field must be filled in.
    #[prop(optional)]
    required: bool,
    /// Number fields: the keyboard to show (`numeric`).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// Number fields: the smallest value.
    #[prop(optional)]
    min: Option<&'static str>,
    /// Number fields: the largest value.
    #[prop(optional)]
    max: Option<&'static str>,
    /// Number fields: the step between values.
    #[prop(optional, into)]
    step: Option<String>,
    /// A hint shown while empty.
    #[prop(optional, into)]
    placeholder: Option<String>,
) -> impl IntoView {
    view! {
        <label class=class>
            {label}
            <input
                type=kind.unwrap_or("text")
                name=name
                required=required
                inputmode=inputmode
                min=min
                max=max
                step=step
                placeholder=placeholder
                prop:value=bind::shown(value)
                on:input=bind::on_input(value)
            />
        </label>
    }
}

/// A labelled text area.
#[component]
pub fn TextArea(
    /// The label.
    #[prop(into)]
    label: Signal<String>,
    /// The area's name.
    name: &'static str,
    /// The text.
    value: RwSignal<String>,
    /// Visible rows.
    rows: u8,
    /// The label's class.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! {
        <label class=class>
            {label}
            <textarea name=name rows=rows prop:value=bind::shown(value) on:input=bind::on_input(value)></textarea>
        </label>
    }
}
