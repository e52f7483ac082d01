//! A coordinator's accounts: list them, add a care worker or coordinator,
//! disable or enable one, set a new password. Each is made on the server at
//! once (it needs the network) with the server's rules.

use leptos::prelude::*;
pub use naervaer_domain::accounts::{Account, AccountState, AccountToAdd, NewPassword};

use crate::context::Ctx;
use crate::http::{HttpError, get_json, post_json};
use crate::i18n::td_string;
use crate::notice::{Notice, transport_text};

/// Why a change did not happen, for the coordinator.
fn failed(e: HttpError) -> Notice {
    match e {
        HttpError::Offline => Notice::Text(|l| td_string!(l, accounts.need_online)),
        HttpError::Status { code, .. } if code == "username_taken" => {
            Notice::Text(|l| td_string!(l, accounts.taken))
        }
        HttpError::Status { code, .. } if code == "bad_password" => {
            Notice::Text(|l| td_string!(l, accounts.bad_password))
        }
        HttpError::Status { code, .. } if code == "bad_username" => {
            Notice::Text(|l| td_string!(l, accounts.bad_username))
        }
        HttpError::Status { code, .. } if code == "incomplete" => {
            Notice::Text(|l| td_string!(l, accounts.needs_team))
        }
        other => Notice::worded(move |l| {
            td_string!(l, accounts.failed, error = transport_text(l, &other))
        }),
    }
}

fn token(ctx: Ctx) -> Result<String, Notice> {
    ctx.session
        .get_untracked()
        .map(|s| s.token.clone())
        .ok_or_else(|| Notice::request(HttpError::Unauthorized))
}

/// Every account (none offline).
pub async fn accounts(ctx: Ctx) -> Result<Vec<Account>, Notice> {
    get_json("/api/v1/admin/accounts", &token(ctx)?)
        .await
        .map_err(failed)
}

/// Adds an account.
pub async fn add(ctx: Ctx, account: AccountToAdd) -> Result<Notice, Notice> {
    let added: Account = post_json("/api/v1/admin/accounts", Some(&token(ctx)?), &account)
        .await
        .map_err(failed)?;
    Ok(Notice::worded(move |l| {
        td_string!(
            l,
            accounts.added,
            name = added.name.clone(),
            username = added.username.clone()
        )
    }))
}

/// Disables (or enables) an account.
pub async fn set_disabled(
    ctx: Ctx,
    username: String,
    name: String,
    disabled: bool,
) -> Result<Notice, Notice> {
    let body = AccountState {
        username: username.clone(),
        disabled,
    };
    let _changed: Account = post_json("/api/v1/admin/account-state", Some(&token(ctx)?), &body)
        .await
        .map_err(failed)?;
    Ok(Notice::worded(move |l| match disabled {
        true => td_string!(l, accounts.disabled_done, name = name.clone()),
        false => td_string!(l, accounts.enabled_done, name = name.clone()),
    }))
}

/// Sets a new password.
pub async fn set_password(
    ctx: Ctx,
    username: String,
    name: String,
    password: String,
) -> Result<Notice, Notice> {
    let body = NewPassword {
        username: username.clone(),
        password: Some(password),
    };
    let _changed: Account = post_json("/api/v1/admin/account-password", Some(&token(ctx)?), &body)
        .await
        .map_err(failed)?;
    Ok(Notice::worded(move |l| {
        td_string!(l, accounts.password_done, name = name.clone())
    }))
}
