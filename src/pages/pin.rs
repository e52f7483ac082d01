//! The soft lock: nothing of the citizens on screen until the PIN chosen at
//! unlock is given (sync goes on meanwhile). Too many wrong PINs, or "Brug
//! adgangskode", lock every window of the login hard.

use std::sync::Arc;

use leptos::prelude::*;
use naervaer_sync::idle::PinAnswer;

use crate::actions::session::{lock_everywhere, lock_here};
use crate::components::bind::{ErrorLine, on_input, shown};
use crate::context::{tr, use_ctx};
use crate::i18n::td_string;
use crate::notice::Notice;

/// The PIN form shown while the screen is soft-locked.
#[component]
pub fn PinUnlock() -> impl IntoView {
    let ctx = use_ctx();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = pin.get_untracked();
        pin.set(String::new());
        match crate::screen_lock::try_pin(ctx, &given, lock_here) {
            PinAnswer::Resumed => error.set(None),
            PinAnswer::Wrong { left } => error.set(Some(Notice::Worded(Arc::new(move |l| {
                td_string!(l, pin_wrong, left = left)
            })))),
            PinAnswer::Hard => {
                // Every window of the login: a finder must not get five
                // more tries in each.
                lock_everywhere(ctx);
                ctx.notice
                    .set(Some(Notice::Text(|l| td_string!(l, pin_too_many))));
            }
        }
    };
    view! {
        <form class="card login" on:submit=submit data-testid="pin-lock">
            <h1>{tr(|l| td_string!(l, screen_locked))}</h1>
            <p class="hint">{tr(|l| td_string!(l, screen_locked_intro))}</p>
            <label>
                {tr(|l| td_string!(l, pin))}
                <input name="pin" type="password" inputmode="numeric" autocomplete="one-time-code" required
                    maxlength="6" pattern="[0-9]*" autofocus
                    prop:value=shown(pin) on:input=on_input(pin)/>
            </label>
            <ErrorLine error=error/>
            <button type="submit">{tr(|l| td_string!(l, unlock))}</button>
            <button type="button" class="secondary" on:click=move |_| lock_everywhere(ctx)>
                {tr(|l| td_string!(l, use_password))}
            </button>
        </form>
    }
}
