//! Logging in (online, once per shift) and unlocking the device's data
//! (offline too), choosing the PIN that resumes a soft lock.

use crate::context::tr;
use crate::i18n::td_string;
use crate::notice::Notice;
use leptos::prelude::*;

use crate::components::bind::{ErrorLine, on_input, shown};
use leptos::task::spawn_local;

use crate::actions::session::login;
use crate::context::use_ctx;
use crate::session::Session;

/// The login form. `username` pre-fills the name (when logging in again).
#[component]
pub fn Login(
    /// The username to pre-fill.
    #[prop(optional)]
    username: Option<String>,
) -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(username.unwrap_or_default());
    let password = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = login(
                ctx,
                &name.get_untracked(),
                &password.get_untracked(),
                &pin.get_untracked(),
            )
            .await;
            busy.set(false);
            match result {
                Ok(()) => {
                    password.set(String::new());
                    pin.set(String::new());
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <form class="card login" on:submit=submit>
            <h1>{tr(|l| td_string!(l, log_in))}</h1>
            <p class="hint">{tr(|l| td_string!(l, login_intro))}</p>
            <label>
                {tr(|l| td_string!(l, username))}
                <input name="username" autocomplete="username" autocapitalize="none" required
                    prop:value=shown(name) on:input=on_input(name)/>
            </label>
            <label>
                {tr(|l| td_string!(l, password))}
                <input name="password" type="password" autocomplete="current-password" required
                    prop:value=shown(password) on:input=on_input(password)/>
            </label>
            <label>
                {tr(|l| td_string!(l, pin_choose))}
                <input name="pin" type="password" inputmode="numeric" autocomplete="one-time-code"
                    minlength="4" maxlength="6" pattern="[0-9]*" aria-describedby="pin-hint"
                    prop:value=shown(pin) on:input=on_input(pin)/>
            </label>
            <p class="hint" id="pin-hint">{tr(|l| td_string!(l, pin_hint))}</p>
            <ErrorLine error=error/>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { td_string!(ctx.lang.get(), logging_in) } else { td_string!(ctx.lang.get(), log_in) }}
            </button>
            <WaitingHere/>
        </form>
    }
}

/// Whose changes wait on this device to be sent (after a logout or lock
/// with changes waiting): they are sent at that user's next login.
#[component]
fn WaitingHere() -> impl IntoView {
    let ctx = use_ctx();
    let waiting: Vec<(String, usize)> = Session::known()
        .into_iter()
        .filter(|k| k.waiting > 0)
        .map(|k| (k.session.user.name.clone(), k.waiting))
        .collect();
    (!waiting.is_empty()).then(|| {
        view! {
            <ul class="waiting-here" data-testid="waiting-here">
                {waiting.into_iter().map(|(name, count)| {
                    view! { <li>{move || td_string!(ctx.lang.get(), waiting_for, name = name.clone(), count = crate::i18n::count(count))}</li> }
                }).collect_view()}
            </ul>
        }
    })
}
