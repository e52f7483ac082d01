//! Logging in (online, once per shift) and unlocking the device's data
//! (offline too), choosing the PIN that resumes a soft lock.

use crate::context::tr;
use crate::i18n::td_string;
use crate::notice::Notice;
use leptos::prelude::*;

use crate::components::bind::{ErrorLine, on_input, shown};
use leptos::task::spawn_local;

use crate::actions::session::{
    LoginOptions, collect_municipal_login, login, login_municipal, login_options,
};
use crate::context::use_ctx;
use crate::session::Session;
use naervaer_domain::SessionResponse;

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
    let options = RwSignal::new(None::<LoginOptions>);
    let municipal = RwSignal::new(None::<SessionResponse>);
    let collecting = RwSignal::new(false);
    spawn_local(async move { options.set(Some(login_options().await)) });
    match came_back() {
        Some(Back::Handoff(code)) => {
            collecting.set(true);
            spawn_local(async move {
                match collect_municipal_login(&code).await {
                    Ok(response) => municipal.set(Some(response)),
                    Err(notice) => error.set(Some(notice)),
                }
                collecting.set(false);
            });
        }
        Some(Back::Error(code)) => error.set(Some(municipal_error(&code))),
        None => {}
    }
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
    let password_off = move || options.get().is_some_and(|o| !o.password);
    let form = move || {
        view! {
        <form class="card login" on:submit=submit>
            <h1>{tr(|l| td_string!(l, log_in))}</h1>
            <p class="hint">{tr(|l| td_string!(l, login_intro))}</p>
            {move || options.get().filter(|o| o.municipal).map(|_| view! {
                <a class="button municipal-login" href="/api/v1/oidc/start" rel="external"
                    data-testid="municipal-login">
                    {tr(|l| td_string!(l, municipal.button))}
                </a>
                <p class="hint">
                    {move || if password_off() {
                        td_string!(ctx.lang.get(), municipal.password_off)
                    } else {
                        td_string!(ctx.lang.get(), municipal.or_password)
                    }}
                </p>
            })}
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
            <PinField pin/>
            <ErrorLine error=error/>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { td_string!(ctx.lang.get(), logging_in) } else { td_string!(ctx.lang.get(), log_in) }}
            </button>
            <WaitingHere/>
        </form>
        }
    };
    view! {
        {move || {
            if collecting.get() {
                view! { <p class="card" role="status">{tr(|l| td_string!(l, municipal.collecting))}</p> }.into_any()
            } else if let Some(response) = municipal.get() {
                view! { <DeviceCode response=response/> }.into_any()
            } else {
                form().into_any()
            }
        }}
    }
}

/// What the municipality's login came back with, in this page's address.
enum Back {
    /// A one-time code to collect the session with.
    Handoff(String),
    /// Why it failed.
    Error(String),
}

/// Reads (and removes from the address, so a reload or a bookmark does not
/// repeat it) what the municipality's login came back with.
fn came_back() -> Option<Back> {
    let window = web_sys::window()?;
    let search = window.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let back = match (params.get("handoff"), params.get("login_error")) {
        (Some(code), _) => Back::Handoff(code),
        (None, Some(code)) => Back::Error(code),
        (None, None) => return None,
    };
    if let Ok(history) = window.history() {
        let _cleaned = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
    }
    Some(back)
}

/// The words for an error code the municipality's login came back with.
fn municipal_error(code: &str) -> Notice {
    match code {
        "unknown_user" => Notice::Text(|l| td_string!(l, municipal.unknown_user)),
        "account_disabled" => Notice::Text(|l| td_string!(l, municipal.account_disabled)),
        "another_person" => Notice::Text(|l| td_string!(l, municipal.another_person)),
        "idp_unreachable" => Notice::Text(|l| td_string!(l, municipal.unreachable)),
        _ => Notice::Text(|l| td_string!(l, municipal.failed)),
    }
}

/// After the municipality's login: the code that guards the user's data
/// on this device (and opens it offline), and the PIN of the soft lock.
#[component]
fn DeviceCode(response: SessionResponse) -> impl IntoView {
    let ctx = use_ctx();
    let code = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let name = response.user.name.clone();
    let response = StoredValue::new(response);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let response = response.get_value();
        spawn_local(async move {
            let result =
                login_municipal(ctx, response, &code.get_untracked(), &pin.get_untracked()).await;
            busy.set(false);
            if let Err(notice) = result {
                error.set(Some(notice));
            }
        });
    };
    view! {
        <form class="card login" on:submit=submit data-testid="device-code">
            <h1>{tr(|l| td_string!(l, municipal.choose_code))}</h1>
            <p>{move || td_string!(ctx.lang.get(), municipal.welcome, name = name.clone())}</p>
            <label>
                {tr(|l| td_string!(l, municipal.device_code))}
                <input name="device-code" type="password" autocomplete="new-password" required
                    minlength="8" aria-describedby="device-code-hint"
                    prop:value=shown(code) on:input=on_input(code)/>
            </label>
            <p class="hint" id="device-code-hint">{tr(|l| td_string!(l, municipal.choose_code_hint))}</p>
            <PinField pin/>
            <ErrorLine error=error/>
            <button type="submit" disabled=move || busy.get()>
                {tr(|l| td_string!(l, municipal.go_on))}
            </button>
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

/// The PIN chosen at login, which resumes a soft lock.
#[component]
fn PinField(pin: RwSignal<String>) -> impl IntoView {
    view! {
        <label>
            {tr(|l| td_string!(l, pin_choose))}
            <input name="pin" type="password" inputmode="numeric" autocomplete="one-time-code"
                minlength="4" maxlength="6" pattern="[0-9]*" aria-describedby="pin-hint"
                prop:value=shown(pin) on:input=on_input(pin)/>
        </label>
        <p class="hint" id="pin-hint">{tr(|l| td_string!(l, pin_hint))}</p>
    }
}
