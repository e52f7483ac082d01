//! Logging in (online, once per shift).

use leptos::prelude::*;

use crate::components::bind::{ErrorLine, shown, store};
use leptos::task::spawn_local;

use crate::actions::login;
use crate::context::use_ctx;

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
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = login(ctx, &name.get_untracked(), &password.get_untracked()).await;
            busy.set(false);
            match result {
                Ok(()) => password.set(String::new()),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <form class="card login" on:submit=submit>
            <h1>{move || ctx.t().log_in}</h1>
            <p class="hint">{move || ctx.t().login_intro}</p>
            <label>
                {move || ctx.t().username}
                <input name="username" autocomplete="username" autocapitalize="none" required
                    prop:value=shown(name) on:input=store(name)/>
            </label>
            <label>
                {move || ctx.t().password}
                <input name="password" type="password" autocomplete="current-password" required
                    prop:value=shown(password) on:input=store(password)/>
            </label>
            <ErrorLine error=error/>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { ctx.t().logging_in } else { ctx.t().log_in }}
            </button>
        </form>
    }
}
