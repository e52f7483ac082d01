//! Changes to accounts, the same from the server's `admin` command and the
//! coordinator's screen: add one, set a new local password, disable or
//! enable it, move a care worker to another team. Each is written to the
//! account log with who made it.

use chrono::{DateTime, Utc};
use naervaer_domain::{Role, User};
use thiserror::Error;
use uuid::Uuid;

use crate::account_log::{AccountEvent, AccountEventKind};
use crate::auth::{HashError, hash_password};
use crate::rules::{self, MoveError, Moved};
use crate::store::{Credentials, Store, StoreError, Tx};

/// The shortest new local password.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The longest login name.
pub const MAX_USERNAME_CHARS: usize = 64;
/// The longest name shown to people.
pub const MAX_NAME_CHARS: usize = 100;

/// Why an account change was not made.
#[derive(Debug, Error)]
pub enum AccountError {
    /// The login name has characters other than a–z, 0–9, `.`, `_`, `-`, `@`.
    #[error(
        "a login name has 1 to {MAX_USERNAME_CHARS} characters: a-z, 0-9, '.', '_', '-' and '@'"
    )]
    BadUsername,
    /// The name shown to people is empty or too long.
    #[error("a name has 1 to {MAX_NAME_CHARS} characters")]
    BadName,
    /// The login name is taken.
    #[error("there is already an account named '{0}'")]
    Taken(String),
    /// No such account.
    #[error("no account named '{0}'")]
    Unknown(String),
    /// A password too short or too long.
    #[error("a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    BadPassword,
    /// A worker without a team, or a citizen's account without its citizen.
    #[error("{0}")]
    Incomplete(&'static str),
    /// The citizen a citizen's account names does not exist.
    #[error("no citizen with id {0}")]
    UnknownCitizen(Uuid),
    /// A team name that cannot be one, or another move problem.
    #[error(transparent)]
    Move(#[from] MoveError),
    /// The password could not be hashed.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who makes a change: a coordinator (by login), or the server's command line.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The coordinator's login; `None` for the command line.
    pub by: Option<&'a str>,
    /// The client's address, for a change made over HTTP.
    pub address: Option<std::net::IpAddr>,
    /// When.
    pub at: DateTime<Utc>,
}

impl Actor<'_> {
    fn event(&self, kind: AccountEventKind, user: &User) -> AccountEvent {
        let mut event = AccountEvent::new(kind, &user.username, self.at)
            .of(user.id)
            .from_address(self.address);
        event.by_user = self.by.map(str::to_owned);
        event
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The login name (lower case is made of it).
    pub username: String,
    /// The name shown to people.
    pub name: String,
    /// What the account may do.
    pub role: Role,
    /// The team (a worker's must be given).
    pub team: Option<String>,
    /// For a citizen's account: her citizen record.
    pub citizen_id: Option<Uuid>,
    /// A local password; `None` for an account that logs in only through
    /// the municipality's login.
    pub password: Option<String>,
}

/// A login name as stored: trimmed and lower case.
pub fn normal_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// A name from elsewhere (the municipality's login) as a login name: only
/// if it is one already but for ASCII case (nothing trimmed, no other
/// letters folded).
pub fn plain_username(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    check_username(&lower).ok().map(|()| lower)
}

fn check_username(username: &str) -> Result<(), AccountError> {
    let ok = !username.is_empty()
        && username.chars().count() <= MAX_USERNAME_CHARS
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-@".contains(c));
    ok.then_some(()).ok_or(AccountError::BadUsername)
}

/// Whether a new password may be used.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS)
        .contains(&n)
        .then_some(())
        .ok_or(AccountError::BadPassword)
}

async fn hashed(password: Option<String>) -> Result<String, AccountError> {
    let Some(password) = password else {
        // No hash: no password opens the account.
        return Ok(String::new());
    };
    check_password(&password)?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AccountError::Hash(HashError::new(e.to_string())))?
        .map_err(AccountError::from)
}

/// Adds an account.
pub async fn add_user<S: Store>(
    store: &S,
    account: NewAccount,
    actor: Actor<'_>,
) -> Result<User, AccountError> {
    let username = normal_username(&account.username);
    check_username(&username)?;
    let name = account
        .name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AccountError::BadName);
    }
    if store.credentials(&username).await?.is_some() {
        return Err(AccountError::Taken(username));
    }
    let team = match &account.team {
        Some(team) => Some(rules::team_name(store, team).await?),
        None => None,
    };
    let (team, citizen_id) = match account.role {
        Role::Worker if team.is_none() => {
            return Err(AccountError::Incomplete("a care worker belongs to a team"));
        }
        Role::Citizen => {
            let id = account.citizen_id.ok_or(AccountError::Incomplete(
                "a citizen's account names her citizen id",
            ))?;
            let mut tx = store.begin().await?;
            let her_team = tx
                .citizen_team(id)
                .await?
                .ok_or(AccountError::UnknownCitizen(id))?;
            (Some(her_team), Some(id))
        }
        _ => (team, None),
    };
    let user = User {
        id: Uuid::new_v4(),
        username,
        name,
        role: account.role,
        team,
        citizen_id,
    };
    let password_hash = hashed(account.password).await?;
    store
        .insert_user(&Credentials {
            user: user.clone(),
            password_hash,
        })
        .await?;
    let event = actor
        .event(AccountEventKind::Added, &user)
        .saying(format!("role {}", user.role.as_str()));
    store.record_account_event(&event).await?;
    Ok(user)
}

/// Sets a new local password (`None`: none, the account logs in only
/// through the municipality's login). The account's sessions end.
pub async fn reset_password<S: Store>(
    store: &S,
    username: &str,
    password: Option<String>,
    actor: Actor<'_>,
) -> Result<User, AccountError> {
    let username = normal_username(username);
    let hash = hashed(password).await?;
    let user = store
        .set_password_hash(&username, &hash)
        .await
        .map_err(|e| unknown_or(e, &username))?;
    store
        .record_account_event(&actor.event(AccountEventKind::PasswordReset, &user))
        .await?;
    Ok(user)
}

/// Disables an account (or enables it, `disable` false): its sessions are
/// answered "account disabled" at once, on every server, and its devices
/// forget the key to its data at their next contact.
pub async fn set_disabled<S: Store>(
    store: &S,
    username: &str,
    disable: bool,
    actor: Actor<'_>,
) -> Result<User, AccountError> {
    let username = normal_username(username);
    let user = store
        .set_disabled(&username, disable.then_some(actor.at))
        .await
        .map_err(|e| unknown_or(e, &username))?;
    let kind = match disable {
        true => AccountEventKind::Disabled,
        false => AccountEventKind::Enabled,
    };
    store
        .record_account_event(&actor.event(kind, &user))
        .await?;
    Ok(user)
}

/// Undoes an account's link to the provider's person (made at its first
/// municipal login): the next municipal login with its name links again.
/// For a person whose provider account was made anew.
pub async fn unlink_municipal<S: Store>(
    store: &S,
    username: &str,
    actor: Actor<'_>,
) -> Result<User, AccountError> {
    let username = normal_username(username);
    let user = store
        .credentials(&username)
        .await?
        .ok_or_else(|| AccountError::Unknown(username.clone()))?
        .user;
    store.set_municipal_subject(user.id, None).await?;
    store
        .record_account_event(&actor.event(AccountEventKind::Unlinked, &user))
        .await?;
    Ok(user)
}

/// Moves a care worker to another team (see [`rules::move_worker`]).
pub async fn move_worker<S: Store>(
    store: &S,
    username: &str,
    team: &str,
    actor: Actor<'_>,
) -> Result<Moved, MoveError> {
    let moved = rules::move_worker(store, username, team).await?;
    if let Some(credentials) = store.credentials(&normal_username(username)).await? {
        let event = actor
            .event(AccountEventKind::Moved, &credentials.user)
            .saying(format!("team {} to {}", moved.from, moved.to));
        store.record_account_event(&event).await?;
    }
    Ok(moved)
}

fn unknown_or(e: StoreError, username: &str) -> AccountError {
    match e {
        StoreError::Missing("user") => AccountError::Unknown(username.to_owned()),
        e => AccountError::Store(e),
    }
}

#[cfg(test)]
#[path = "accounts_tests.rs"]
mod tests;
