//! The coordinator's accounts endpoints: list the accounts, add one,
//! disable or enable one, set a new local password. The rules are
//! [`crate::accounts`]'s, the same as the server's `admin` command; every
//! change is written to the account log with the coordinator's name.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
pub use naervaer_domain::accounts::{Account, AccountState, AccountToAdd, NewPassword};
use naervaer_domain::{Role, User};

use crate::accounts::{self, AccountError, Actor, NewAccount};
use crate::admin::coordinator;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser, ClientAddr};
use crate::state::AppState;
use crate::store::Store;

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
    // Care workers only: a coordinator's account is the server command's,
    // so that one coordinator cannot make another behind the others' backs.
    let role = match request.role.as_str() {
        "worker" => Role::Worker,
        _ => {
            return Err(ApiError::invalid(
                "bad_role",
                "a coordinator adds care workers; coordinators are added with the server's admin command",
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
    staff_only(&state, &request.username).await?;
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
    let target = staff_only(&state, &request.username).await?;
    // A coordinator replaces a password, and never gives one to an account
    // that logs in only through the municipal login (that would open it
    // to whoever the coordinator tells).
    if !target.local_password {
        return Err(ApiError::invalid(
            "no_local_password",
            "this account logs in only through the municipality's login",
        ));
    }
    let password = request.password.filter(|p| !p.is_empty());
    let changed =
        accounts::reset_password(&state.store, &request.username, password, actor).await?;
    account_of(&state, changed).await.map(Json)
}

/// The account a coordinator changes over HTTP: a care worker's or a
/// citizen's, never another coordinator's (that is for the server's
/// `admin` command, so that one coordinator cannot shut out or take over
/// the others).
async fn staff_only<S: Store>(state: &AppState<S>, username: &str) -> Result<Account, ApiError> {
    let name = accounts::normal_username(username);
    let user = state
        .store
        .credentials(&name)
        .await?
        .ok_or_else(|| ApiError::from(AccountError::Unknown(name)))?
        .user;
    if user.role == Role::Coordinator {
        return Err(ApiError::Forbidden(
            "a coordinator's account is changed with the server's admin command",
        ));
    }
    account_of(state, user).await
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
