//! The server's `admin` command: accounts and team moves made on the
//! database the servers use (they need not be stopped), with the same
//! rules as the coordinator's screen, each written to the account log.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use naervaer_domain::Role;
use naervaer_domain::retention::RetentionPolicy;
use thiserror::Error;
use uuid::Uuid;

use crate::Database;
use crate::accounts::{self, AccountError, Actor, NewAccount};
use crate::rules::{self, MoveError};
use crate::store::{PgStore, SqliteStore, Store, StoreError};

/// The environment variable a new password may come from.
pub const PASSWORD_ENV: &str = "NAERVAER_PASSWORD";

/// An account's role, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// A care worker (needs --team).
    Worker,
    /// A coordinator (sees every team).
    Coordinator,
    /// A citizen (needs --citizen-id).
    Citizen,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Worker => Role::Worker,
            RoleArg::Coordinator => Role::Coordinator,
            RoleArg::Citizen => Role::Citizen,
        }
    }
}

/// Where a new password comes from. Never the command line itself, where
/// `ps` and the shell's history would show it.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PasswordSource {
    /// Read the password from the first line of this file (`-`: standard
    /// input). Without it: the environment variable NAERVAER_PASSWORD, or
    /// else a new random password, printed once.
    #[arg(long, value_name = "PATH")]
    pub password_file: Option<PathBuf>,
    /// No local password: the account logs in only through the
    /// municipality's login.
    #[arg(long, conflicts_with = "password_file")]
    pub no_password: bool,
}

/// An administrative change.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Add an account.
    AddUser {
        /// The login name (a-z, 0-9, '.', '_', '-', '@'; as the
        /// municipality's login names the person, when it is used).
        username: String,
        /// The name shown to people.
        #[arg(long)]
        name: String,
        /// What the account may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The team (a care worker's must be given).
        #[arg(long)]
        team: Option<String>,
        /// For a citizen's account: her citizen id.
        #[arg(long)]
        citizen_id: Option<Uuid>,
        /// The password.
        #[command(flatten)]
        password: PasswordSource,
    },
    /// Set a new local password (the account's sessions end).
    ResetPassword {
        /// The login name.
        username: String,
        /// The password.
        #[command(flatten)]
        password: PasswordSource,
    },
    /// Disable an account: its sessions are refused at once, and its
    /// devices forget the key to its data at their next contact.
    DisableUser {
        /// The login name.
        username: String,
    },
    /// Enable a disabled account again (its old sessions stay ended).
    EnableUser {
        /// The login name.
        username: String,
    },
    /// Undo an account's link to the person at the municipality's login
    /// (made at its first municipal login), for a person whose account
    /// there was made anew.
    UnlinkMunicipalLogin {
        /// The login name.
        username: String,
    },
    /// Move a care worker to another team: their devices forget the old
    /// team and get the new one at the next sync.
    MoveWorker {
        /// The login name.
        username: String,
        /// The team they work in from now on.
        team: String,
    },
    /// Move a citizen to another team: the old team's devices forget her,
    /// the new team's get what they keep of her history.
    MoveCitizen {
        /// The citizen's id.
        citizen_id: Uuid,
        /// The team she belongs to from now on.
        team: String,
    },
    /// List the accounts.
    Users,
    /// Show the newest lines of the account log (logins, failed logins,
    /// logouts, changes to accounts).
    AccountLog {
        /// How many lines.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

/// Why an administrative change was not made.
#[derive(Debug, Error)]
pub enum AdminError {
    /// The account change was refused.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// The move was refused.
    #[error(transparent)]
    Move(#[from] MoveError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The password file could not be read.
    #[error("cannot read the password from {path}: {why}")]
    PasswordFile {
        /// The file.
        path: String,
        /// Why.
        why: String,
    },
    /// No randomness from the operating system.
    #[error("no random numbers: {0}")]
    Random(String),
}

/// Runs `command` on `database`, returning what to print.
pub async fn run(
    database: &Database,
    clip_policy: naervaer_domain::clips::ClipPolicy,
    retention: &RetentionPolicy,
    command: &AdminCommand,
) -> Result<String, AdminError> {
    match database {
        Database::Sqlite(path) => {
            run_on(
                &SqliteStore::open(path, clip_policy).await?,
                retention,
                command,
            )
            .await
        }
        Database::Postgres(url) => {
            run_on(
                &PgStore::connect(url, clip_policy).await?,
                retention,
                command,
            )
            .await
        }
    }
}

/// Runs `command` on an open store, returning what to print.
pub async fn run_on<S: Store>(
    store: &S,
    retention: &RetentionPolicy,
    command: &AdminCommand,
) -> Result<String, AdminError> {
    let actor = Actor {
        by: None,
        address: None,
        at: Utc::now(),
    };
    Ok(match command {
        AdminCommand::AddUser {
            username,
            name,
            role,
            team,
            citizen_id,
            password,
        } => {
            let (password, shown) = new_password(password)?;
            let account = NewAccount {
                username: username.clone(),
                name: name.clone(),
                role: (*role).into(),
                team: team.clone(),
                citizen_id: *citizen_id,
                password,
            };
            let user = accounts::add_user(store, account, actor).await?;
            let team = user.team.as_deref().unwrap_or("no team");
            format!(
                "added {} ({}), {}, {team}{shown}",
                user.username,
                user.name,
                user.role.as_str()
            )
        }
        AdminCommand::ResetPassword { username, password } => {
            let (password, shown) = new_password(password)?;
            let user = accounts::reset_password(store, username, password, actor).await?;
            format!("new password for {} ({}){shown}", user.username, user.name)
        }
        AdminCommand::DisableUser { username } | AdminCommand::EnableUser { username } => {
            let disable = matches!(command, AdminCommand::DisableUser { .. });
            let user = accounts::set_disabled(store, username, disable, actor).await?;
            let done = if disable { "disabled" } else { "enabled" };
            format!("{} ({}) {done}", user.username, user.name)
        }
        AdminCommand::UnlinkMunicipalLogin { username } => {
            let user = accounts::unlink_municipal(store, username, actor).await?;
            format!(
                "{} ({}) is no longer linked to a person at the municipal login",
                user.username, user.name
            )
        }
        AdminCommand::MoveWorker { username, team } => {
            let moved = accounts::move_worker(store, username, team, actor).await?;
            format!("moved from team {} to team {}", moved.from, moved.to)
        }
        AdminCommand::MoveCitizen { citizen_id, team } => {
            let moved =
                rules::move_citizen(store, retention, *citizen_id, team, None, actor.at).await?;
            format!(
                "moved from team {} to team {} ({} records sent to the new team's devices)",
                moved.from, moved.to, moved.republished
            )
        }
        AdminCommand::Users => {
            let mut lines = Vec::new();
            for user in store.users().await? {
                let disabled = if store.is_disabled(user.id).await? {
                    "  (disabled)"
                } else {
                    ""
                };
                lines.push(format!(
                    "{}\t{}\t{}\t{}{disabled}",
                    user.username,
                    user.role.as_str(),
                    user.team.as_deref().unwrap_or("-"),
                    user.name
                ));
            }
            lines.join("\n")
        }
        AdminCommand::AccountLog { limit } => store
            .account_events(*limit)
            .await?
            .iter()
            .map(|e| {
                format!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    e.at.format("%Y-%m-%d %H:%M:%S UTC"),
                    e.kind.as_str(),
                    e.username,
                    e.address
                        .map(|a| a.to_string())
                        .unwrap_or_else(|| "-".into()),
                    e.by_user.as_deref().unwrap_or("-"),
                    e.detail
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// The new password and what to print about it: a random one is shown
/// once, one the caller gave is not.
fn new_password(source: &PasswordSource) -> Result<(Option<String>, String), AdminError> {
    if source.no_password {
        return Ok((None, "; no local password".into()));
    }
    if let Some(path) = &source.password_file {
        return Ok((Some(read_password(path)?), String::new()));
    }
    if let Ok(password) = std::env::var(PASSWORD_ENV) {
        return Ok((Some(password), format!("; password from {PASSWORD_ENV}")));
    }
    let password = random_password()?;
    let shown = format!("; password (shown only now): {password}");
    Ok((Some(password), shown))
}

fn read_password(path: &Path) -> Result<String, AdminError> {
    let failed = |why: String| AdminError::PasswordFile {
        path: path.display().to_string(),
        why,
    };
    let mut line = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| failed(e.to_string()))?;
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| failed(e.to_string()))?;
        line = text.lines().next().unwrap_or_default().to_owned();
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// 16 characters from an alphabet without look-alikes (about 85 bits).
fn random_password() -> Result<String, AdminError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AdminError::Random(e.to_string()))?;
    // 250 is the largest multiple of the alphabet's 50 below 256: bytes
    // above it would favour the first letters, so they are drawn again.
    let mut out = String::new();
    for mut b in bytes {
        while b >= 250 {
            let mut again = [0u8; 1];
            getrandom::fill(&mut again).map_err(|e| AdminError::Random(e.to_string()))?;
            b = again[0];
        }
        out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
    }
    Ok(out)
}
