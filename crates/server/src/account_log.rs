//! The account log: every login, failed login and logout, and every change
//! to an account, with when, from where and by whom.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What happened to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountEventKind {
    /// A login that worked.
    Login,
    /// A login with a wrong name or password.
    LoginFailed,
    /// The right password for a disabled account.
    LoginDisabled,
    /// A logout (the token ended on the server).
    Logout,
    /// An account made.
    Added,
    /// An account disabled.
    Disabled,
    /// An account enabled again.
    Enabled,
    /// A worker moved to another team.
    Moved,
    /// A local password set anew.
    PasswordReset,
    /// An account's link to the provider's person undone.
    Unlinked,
}

impl AccountEventKind {
    /// Every kind, for parsing and tests.
    pub const ALL: [AccountEventKind; 10] = [
        AccountEventKind::Login,
        AccountEventKind::LoginFailed,
        AccountEventKind::LoginDisabled,
        AccountEventKind::Logout,
        AccountEventKind::Added,
        AccountEventKind::Disabled,
        AccountEventKind::Enabled,
        AccountEventKind::Moved,
        AccountEventKind::PasswordReset,
        AccountEventKind::Unlinked,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountEventKind::Login => "login",
            AccountEventKind::LoginFailed => "login_failed",
            AccountEventKind::LoginDisabled => "login_disabled",
            AccountEventKind::Logout => "logout",
            AccountEventKind::Added => "added",
            AccountEventKind::Disabled => "disabled",
            AccountEventKind::Enabled => "enabled",
            AccountEventKind::Moved => "moved",
            AccountEventKind::PasswordReset => "password_reset",
            AccountEventKind::Unlinked => "unlinked",
        }
    }

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<AccountEventKind> {
        AccountEventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// The longest login name kept for a failed login (whatever was typed).
pub const MAX_LOGGED_NAME: usize = 64;

/// One line of the account log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// The login name as given (shortened to [`MAX_LOGGED_NAME`] characters).
    pub username: String,
    /// The account, when the name is one.
    pub user_id: Option<Uuid>,
    /// What happened.
    pub kind: AccountEventKind,
    /// The client's address (`None` for the server's own commands).
    pub address: Option<IpAddr>,
    /// Who made an account change: a coordinator's login, or `None` for
    /// the command line or the user themself.
    pub by_user: Option<String>,
    /// More, in words (the new team, the way of login).
    pub detail: String,
}

impl AccountEvent {
    /// An event of `kind` for `username` at `at`, with nothing else known yet.
    pub fn new(kind: AccountEventKind, username: &str, at: DateTime<Utc>) -> AccountEvent {
        AccountEvent {
            at,
            username: username.chars().take(MAX_LOGGED_NAME).collect(),
            user_id: None,
            kind,
            address: None,
            by_user: None,
            detail: String::new(),
        }
    }

    /// The same, for this account.
    pub fn of(mut self, user_id: Uuid) -> AccountEvent {
        self.user_id = Some(user_id);
        self
    }

    /// The same, from this address.
    pub fn from_address(mut self, address: Option<IpAddr>) -> AccountEvent {
        self.address = address;
        self
    }

    /// The same, done by this coordinator.
    pub fn by(mut self, username: &str) -> AccountEvent {
        self.by_user = Some(username.to_owned());
        self
    }

    /// The same, with these words.
    pub fn saying(mut self, detail: impl Into<String>) -> AccountEvent {
        self.detail = detail.into();
        self
    }
}
