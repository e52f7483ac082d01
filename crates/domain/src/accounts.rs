//! The coordinator's accounts as they travel between the app and the
//! server (`/api/v1/admin/accounts`, `account-state`, `account-password`).

use serde::{Deserialize, Serialize};

/// An account as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountToAdd {
    /// The login name.
    pub username: String,
    /// The name shown to people.
    pub name: String,
    /// `worker` (coordinators' and citizens' accounts are made with the
    /// server's command).
    pub role: String,
    /// The team (a worker's must be given).
    pub team: Option<String>,
    /// A first local password (10 to 256 characters); none: the account
    /// logs in only through the municipal login.
    pub password: Option<String>,
}

/// Disable or enable an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountState {
    /// The login name.
    pub username: String,
    /// Disabled from now on (true) or enabled again (false).
    pub disabled: bool,
}

/// A new local password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    /// The login name.
    pub username: String,
    /// The new password; none: no local password any more.
    pub password: Option<String>,
}
