//! Big, thumb-sized choices: a list of checkboxes and a row of radio buttons.

use leptos::prelude::*;

/// Checkboxes over (code, label) pairs; `selected` holds the chosen codes.
#[component]
pub fn CheckList(
    /// Form name of the group.
    name: &'static str,
    /// (code, label) of each choice.
    items: Vec<(String, String)>,
    /// The chosen codes.
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <div class="choices" role="group">
            {items.into_iter().map(|(code, label)| {
                let check = code.clone();
                let toggle = code.clone();
                view! {
                    <label class="choice">
                        <input type="checkbox" name=name value=code.clone()
                            prop:checked=move || selected.with(|s| s.contains(&check))
                            on:change=move |_| selected.update(|s| {
                                if let Some(i) = s.iter().position(|c| *c == toggle) {
                                    s.remove(i);
                                } else {
                                    s.push(toggle.clone());
                                }
                            })/>
                        <span>{label}</span>
                    </label>
                }
            }).collect_view()}
        </div>
    }
}

/// Radio buttons over (code, label) pairs; `selected` holds the chosen code.
/// (Codes, not a generic value: one compiled copy keeps the download small.)
#[component]
pub fn RadioRow(
    /// Form name of the group.
    name: String,
    /// (code, label) of each choice.
    items: Vec<(String, String)>,
    /// The chosen code.
    selected: RwSignal<Option<String>>,
    /// The code shown as chosen while nothing is chosen (a suggestion).
    #[prop(optional, into)]
    default: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div class="radios" role="radiogroup">
            {items.into_iter().map(|(value, label)| {
                let is = value.clone();
                let set = value.clone();
                view! {
                    <label class="choice">
                        <input type="radio" name=name.clone() value=value
                            prop:checked=move || {
                                selected.get().or_else(|| default.map(|d| d.get())).as_ref() == Some(&is)
                            }
                            on:change=move |_| selected.set(Some(set.clone()))/>
                        <span>{label}</span>
                    </label>
                }
            }).collect_view()}
        </div>
    }
}
