//! The coordinator's **Konti** page: every account with its team and
//! state; add a care worker (coordinators are the server command's); disable or enable an
//! account (two taps: the second confirms); set a new password
//! ([`crate::actions::accounts`]).

use leptos::prelude::*;
use naervaer_domain::Role;

use crate::actions::accounts::{Account, AccountToAdd, accounts, add, set_disabled, set_password};
use crate::components::bind::{on_input, shown};
use crate::components::outcome::{Outcome, OutcomeLine, run_change};
use crate::context::{tr, use_ctx};
use crate::i18n::td_string;
use crate::pages::login::Login;

/// The page.
#[component]
pub fn Accounts() -> impl IntoView {
    let ctx = use_ctx();
    let listed = RwSignal::new(Vec::<Account>::new());
    let outcome: Outcome = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match accounts(ctx).await {
                Ok(list) => listed.set(list),
                Err(why) => outcome.set(Some(Err(why))),
            }
        })
    };
    reload();
    view! {
        {move || match ctx.session.get() {
            None => view! { <Login/> }.into_any(),
            Some(s) if s.user.role != Role::Coordinator => view! {
                <p>{tr(|l| td_string!(l, accounts.coordinators_only))}</p>
            }.into_any(),
            Some(s) => {
                let me = s.user.username.clone();
                view! {
                    <h1>{tr(|l| td_string!(l, accounts.title))}</h1>
                    <p>{tr(|l| td_string!(l, accounts.intro))}</p>
                    {move || (!ctx.online.get()).then(|| view! {
                        <p class="notice" role="status">{tr(|l| td_string!(l, accounts.need_online))}</p>
                    })}
                    <OutcomeLine outcome test_id="account-result"/>
                    <AddForm outcome busy on_done=reload/>
                    <AccountList listed me outcome busy on_done=reload/>
                }.into_any()
            }
        }}
    }
}

/// Add a care worker or a coordinator.
#[component]
fn AddForm(
    outcome: Outcome,
    busy: RwSignal<bool>,
    on_done: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let account = AccountToAdd {
            username: username.get_untracked(),
            name: name.get_untracked(),
            role: "worker".into(),
            team: Some(team.get_untracked()).filter(|t| !t.trim().is_empty()),
            password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
        };
        run_change(outcome, busy, add(ctx, account), move |ok| {
            if ok {
                for field in [name, username, team, password] {
                    field.set(String::new());
                }
                on_done();
            }
        });
    };
    view! {
        <form class="card" on:submit=submit data-testid="add-account">
            <h2>{tr(|l| td_string!(l, accounts.add_heading))}</h2>
            <label>
                {tr(|l| td_string!(l, accounts.name))}
                <input name="name" required maxlength="100" autocomplete="off"
                    prop:value=shown(name) on:input=on_input(name)/>
            </label>
            <label>
                {tr(|l| td_string!(l, accounts.username))}
                <input name="new-username" required maxlength="64" autocapitalize="none" autocomplete="off"
                    aria-describedby="username-hint" prop:value=shown(username) on:input=on_input(username)/>
            </label>
            <p class="hint" id="username-hint">{tr(|l| td_string!(l, accounts.username_hint))}</p>
            <label>
                {tr(|l| td_string!(l, accounts.team))}
                <input name="team" maxlength="64" prop:value=shown(team) on:input=on_input(team)/>
            </label>
            <label>
                {tr(|l| td_string!(l, accounts.first_password))}
                <input name="first-password" type="password" autocomplete="new-password" minlength="10"
                    aria-describedby="first-password-hint" prop:value=shown(password) on:input=on_input(password)/>
            </label>
            <p class="hint" id="first-password-hint">{tr(|l| td_string!(l, accounts.first_password_hint))}</p>
            <button type="submit" disabled=move || busy.get() || !ctx.online.get()>
                {tr(|l| td_string!(l, accounts.add_button))}
            </button>
        </form>
    }
}

/// The accounts, each with its actions.
#[component]
fn AccountList(
    listed: RwSignal<Vec<Account>>,
    me: String,
    outcome: Outcome,
    busy: RwSignal<bool>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <section class="card" data-testid="account-list">
            <h2>{tr(|l| td_string!(l, accounts.list_heading))}</h2>
            <ul class="accounts">
                <For each=move || listed.get() key=|a| (a.username.clone(), a.disabled, a.local_password) let:account>
                    <AccountRow is_me=account.username == me account outcome busy on_done/>
                </For>
            </ul>
        </section>
    }
}

/// One account: who, and what a coordinator may do with it.
#[component]
fn AccountRow(
    account: Account,
    is_me: bool,
    outcome: Outcome,
    busy: RwSignal<bool>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let confirming = RwSignal::new(false);
    let new_password = RwSignal::new(String::new());
    let setting = RwSignal::new(false);
    let role = account.role.clone();
    let team = account.team.clone().unwrap_or_default();
    let username = account.username.clone();
    let name = account.name.clone();
    let disabled = account.disabled;
    let local_password = account.local_password;
    // Another coordinator's account is the server command's (one
    // coordinator cannot shut out or take over the others).
    let coordinator = account.role == "coordinator";
    let toggle = {
        let (username, name) = (username.clone(), name.clone());
        move |_| {
            if !disabled && !confirming.get_untracked() {
                confirming.set(true);
                return;
            }
            confirming.set(false);
            let work = set_disabled(ctx, username.clone(), name.clone(), !disabled);
            run_change(outcome, busy, work, move |ok| {
                if ok {
                    on_done()
                }
            });
        }
    };
    let save_password = {
        let (username, name) = (username.clone(), name.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let work = set_password(
                ctx,
                username.clone(),
                name.clone(),
                new_password.get_untracked(),
            );
            run_change(outcome, busy, work, move |ok| {
                if ok {
                    new_password.set(String::new());
                    setting.set(false);
                    on_done();
                }
            });
        }
    };
    let field_id = format!("password-{username}");
    view! {
        <li class:disabled=disabled data-testid="account">
            <p class="who">
                <strong>{name.clone()}</strong>" · "{username.clone()}
                <span class="role">{move || match role.as_str() {
                    "coordinator" => td_string!(ctx.lang.get(), accounts.role_coordinator),
                    "citizen" => td_string!(ctx.lang.get(), accounts.role_citizen),
                    _ => td_string!(ctx.lang.get(), accounts.role_worker),
                }}{(!team.is_empty()).then(|| format!(" · {team}"))}</span>
                {disabled.then(|| view! { <span class="tag">{tr(|l| td_string!(l, accounts.is_disabled))}</span> })}
            </p>
            {coordinator.then(|| view! {
                <p class="hint">{tr(|l| td_string!(l, accounts.coordinator_by_command))}</p>
            })}
            {(!is_me && !coordinator).then(|| view! {
                <button type="button" class="secondary" disabled=move || busy.get() || !ctx.online.get()
                    on:click=toggle.clone()>
                    {move || match (disabled, confirming.get()) {
                        (true, _) => td_string!(ctx.lang.get(), accounts.enable),
                        (false, false) => td_string!(ctx.lang.get(), accounts.disable),
                        (false, true) => td_string!(ctx.lang.get(), accounts.disable_confirm),
                    }}
                </button>
            })}
            {move || (local_password && !coordinator && !setting.get()).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| setting.set(true)>
                    {tr(|l| td_string!(l, accounts.new_password))}
                </button>
            })}
            {
                let field_id = field_id.clone();
                let save_password = save_password.clone();
                move || setting.get().then(|| view! {
                    <form class="inline" on:submit=save_password.clone()>
                        <label for=field_id.clone()>{tr(|l| td_string!(l, accounts.new_password))}</label>
                        <input id=field_id.clone() type="password" autocomplete="new-password" minlength="10" required
                            prop:value=shown(new_password) on:input=on_input(new_password)/>
                        <button type="submit" disabled=move || busy.get() || !ctx.online.get()>
                            {tr(|l| td_string!(l, accounts.save_password))}
                        </button>
                    </form>
                })
            }
        </li>
    }
}
