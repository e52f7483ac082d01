//! The coordinator's accounts endpoints: list the accounts, add one,
//! disable or enable one, set a new local password. The rules are
//! [`crate::accounts`]'s, the same as the server's `admin` command; every
//! change is written to the account log with the coordinator's name.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use naervaer_domain::{Role, User};
use serde::{Deserialize, Serialize};

use crate::accounts::{self, AccountError, Actor, NewAccount};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser, ClientAddr};
use crate::state::AppState;
use crate::store::Store;

/// An account as the coordinator sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Account {
    /// The login name.
    pub username: String,
    /// The name shown to people.
    pub name: String,
    /// `worker`, `coordinator` or `citizen`.
    pub role: String,
    /// The team.
    pub team: Option<String>,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// Whether a local password opens it (else only the municipal login).
    pub local_password: bool,
}

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountToAdd {
    /// The login name.
    pub username: String,
    /// The name shown to people.
    pub name: String,
    /// `worker` or `coordinator` (citizens' accounts are made with the
    /// server's command, which names her record).
    pub role: String,
    /// The team (a worker's must be given).
    pub team: Option<String>,
    /// A first local password (10 to 256 characters); none: the account
    /// logs in only through the municipal login.
    pub password: Option<String>,
}

/// Disable or enable an account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    /// The login name.
    pub username: String,
    /// Disabled from now on (true) or enabled again (false).
    pub disabled: bool,
}

/// A new local password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// The login name.
    pub username: String,
    /// The new password; none: no local password any more.
    pub password: Option<String>,
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        let (status, code) = match &e {
            AccountError::BadUsername => (StatusCode::UNPROCESSABLE_ENTITY, "bad_username"),
            AccountError::BadName => (StatusCode::UNPROCESSABLE_ENTITY, "bad_name"),
            AccountError::BadPassword => (StatusCode::UNPROCESSABLE_ENTITY, "bad_password"),
            AccountError::Incomplete(_) => (StatusCode::UNPROCESSABLE_ENTITY, "incomplete"),
            AccountError::Taken(_) => (StatusCode::CONFLICT, "username_taken"),
            AccountError::Unknown(_) => (StatusCode::NOT_FOUND, "unknown_account"),
            AccountError::UnknownCitizen(_) => (StatusCode::NOT_FOUND, "unknown_citizen"),
            AccountError::Move(_) | AccountError::Hash(_) | AccountError::Store(_) => {
                return match e {
                    AccountError::Move(m) => m.into(),
                    AccountError::Store(s) => s.into(),
                    other => ApiError::Internal(other.to_string()),
                };
            }
        };
        ApiError::BadRequest {
            status,
            code,
            message: e.to_string(),
        }
    }
}

fn coordinator(user: &User) -> Result<(), ApiError> {
    if user.role == Role::Coordinator {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only a coordinator may do this"))
    }
}

/// Every account (coordinators).
#[utoipa::path(
    get, path = "/api/v1/admin/accounts", security(("bearer" = [])),
    responses(
        (status = 200, description = "The accounts", body = Vec<Account>),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
    )
)]
pub async fn list<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
) -> Result<Json<Vec<Account>>, ApiError> {
    coordinator(&user)?;
    let mut accounts = Vec::new();
    for u in state.store.users().await? {
        let local_password = state
            .store
            .credentials(&u.username)
            .await?
            .is_some_and(|c| !c.password_hash.is_empty());
        accounts.push(Account {
            disabled: state.store.is_disabled(u.id).await?,
            local_password,
            role: u.role.as_str().into(),
            username: u.username,
            name: u.name,
            team: u.team,
        });
    }
    Ok(Json(accounts))
}

/// Adds an account (coordinators).
#[utoipa::path(
    post, path = "/api/v1/admin/accounts", request_body = AccountToAdd, security(("bearer" = [])),
    responses(
        (status = 200, description = "Added", body = Account),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 409, description = "The login name is taken", body = ErrorBody),
        (status = 422, description = "A field breaks a rule", body = ErrorBody),
    )
)]
pub async fn add<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
    ClientAddr(address): ClientAddr,
    ApiJson(request): ApiJson<AccountToAdd>,
) -> Result<Json<Account>, ApiError> {
    coordinator(&user)?;
    let role = match request.role.as_str() {
        "worker" => Role::Worker,
        "coordinator" => Role::Coordinator,
        _ => {
            return Err(ApiError::invalid(
                "bad_role",
                "a coordinator adds a worker or a coordinator",
            ));
        }
    };
    let actor = Actor {
        by: Some(&user.username),
        address,
        at: (state.now)(),
    };
    let password = request.password.filter(|p| !p.is_empty());
    let local_password = password.is_some();
    let account = NewAccount {
        username: request.username,
        name: request.name,
        role,
        team: request.team.filter(|t| !t.trim().is_empty()),
        citizen_id: None,
        password,
    };
    let added = accounts::add_user(&state.store, account, actor).await?;
    Ok(Json(Account {
        role: added.role.as_str().into(),
        username: added.username,
        name: added.name,
        team: added.team,
        disabled: false,
        local_password,
    }))
}

/// Disables or enables an account (coordinators; not their own).
#[utoipa::path(
    post, path = "/api/v1/admin/account-state", request_body = AccountState, security(("bearer" = [])),
    responses(
        (status = 200, description = "Done", body = Account),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "One's own account", body = ErrorBody),
    )
)]
pub async fn set_state<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
    ClientAddr(address): ClientAddr,
    ApiJson(request): ApiJson<AccountState>,
) -> Result<Json<Account>, ApiError> {
    coordinator(&user)?;
    if accounts::normal_username(&request.username) == user.username {
        return Err(ApiError::invalid(
            "own_account",
            "a coordinator cannot disable their own account",
        ));
    }
    let actor = Actor {
        by: Some(&user.username),
        address,
        at: (state.now)(),
    };
    let changed =
        accounts::set_disabled(&state.store, &request.username, request.disabled, actor).await?;
    account_of(&state, changed).await.map(Json)
}

/// Sets a new local password (coordinators).
#[utoipa::path(
    post, path = "/api/v1/admin/account-password", request_body = NewPassword, security(("bearer" = [])),
    responses(
        (status = 200, description = "Done", body = Account),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "A password too short or too long", body = ErrorBody),
    )
)]
pub async fn set_password<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
    ClientAddr(address): ClientAddr,
    ApiJson(request): ApiJson<NewPassword>,
) -> Result<Json<Account>, ApiError> {
    coordinator(&user)?;
    let actor = Actor {
        by: Some(&user.username),
        address,
        at: (state.now)(),
    };
    let password = request.password.filter(|p| !p.is_empty());
    let changed =
        accounts::reset_password(&state.store, &request.username, password, actor).await?;
    account_of(&state, changed).await.map(Json)
}

async fn account_of<S: Store>(state: &AppState<S>, user: User) -> Result<Account, ApiError> {
    let local_password = state
        .store
        .credentials(&user.username)
        .await?
        .is_some_and(|c| !c.password_hash.is_empty());
    Ok(Account {
        disabled: state.store.is_disabled(user.id).await?,
        local_password,
        role: user.role.as_str().into(),
        username: user.username,
        name: user.name,
        team: user.team,
    })
}
