//! Big radio buttons and checkboxes for tablets, bound to signals.

use leptos::prelude::*;

/// One choice: the value stored, and the label shown.
pub type Item = (&'static str, String);

/// Radio buttons over `items`; `chosen` holds the value picked.
#[component]
pub fn Radios(
    /// The group's name (one per form).
    name: &'static str,
    /// (value, label) pairs.
    items: Vec<Item>,
    /// The value picked.
    chosen: RwSignal<String>,
) -> impl IntoView {
    let inputs = items
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=name
                        value=value
                        prop:checked=move || chosen.with(|c| c == value)
                        on:change=move |_| chosen.set(value.to_string())
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! { <div class="radios" role="radiogroup">{inputs}</div> }
}

/// Checkboxes over `items`; `chosen` holds the values ticked.
#[component]
pub fn Checks(
    /// The group's name (one per form).
    name: &'static str,
    /// (value, label) pairs.
    items: Vec<Item>,
    /// The values ticked.
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    let inputs = items
        .into_iter()
        .map(|(value, label)| {
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    c.retain(|v| v != value);
                    if on {
                        c.push(value.to_string());
                    }
                });
            };
            view! {
                <label class="choice">
                    <input
                        type="checkbox"
                        name=name
                        value=value
                        prop:checked=move || chosen.with(|c| c.iter().any(|v| v == value))
                        on:change=toggle
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! { <div class="choices" role="group">{inputs}</div> }
}
