//! Accounts as both sides see them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an account may do and see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Care worker: sees the citizens of their own team.
    Worker,
    /// Coordinator (visitator, team leader): sees every team.
    Coordinator,
    /// Citizen: sees only their own data.
    Citizen,
}

impl Role {
    /// The role's stable name, as stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Worker => "worker",
            Role::Coordinator => "coordinator",
            Role::Citizen => "citizen",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "worker" => Some(Role::Worker),
            "coordinator" => Some(Role::Coordinator),
            "citizen" => Some(Role::Citizen),
            _ => None,
        }
    }
}

/// A logged-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Account id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown to people.
    pub name: String,
    /// What the account may do.
    pub role: Role,
    /// The team's name, for workers (and the citizen's team for citizens).
    pub team: Option<String>,
    /// For a citizen account: the citizen record it belongs to.
    pub citizen_id: Option<Uuid>,
}

/// The answer to a successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// When the token stops working (UTC, the server's clock).
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// When the server made the token (its clock): with `expires_at`, how
    /// long the login lasts, which a device measures on its own clock
    /// (that may be days off). Absent from servers before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The user's device data key: 32 bytes in hex, which seal everything
    /// the app keeps of this user on a device. Sent only with a login that
    /// proved who the user is; a device keeps it only wrapped under the
    /// user's password (never as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_key: Option<String>,
    /// Who logged in.
    pub user: User,
    /// The municipality's loneliness-detection rules, so the device suggests
    /// levels exactly as configured on the server.
    #[serde(default)]
    pub loneliness_policy: crate::loneliness::LonelinessPolicy,
    /// The municipality's klippekort rules, so the device computes balances
    /// and checks uses exactly as the server does.
    #[serde(default)]
    pub clip_policy: Option<crate::clips::ClipPolicy>,
    /// How much synced history the device keeps (older history stays on
    /// the server).
    #[serde(default)]
    pub retention: crate::retention::RetentionPolicy,
    /// When an unused app locks its screen (missing from older servers:
    /// the defaults).
    #[serde(default)]
    pub screen_lock: crate::screen_lock::LockPolicy,
}

impl SessionResponse {
    /// How long the login lasts: from when it was made until it expires
    /// (`None` from a server that does not say when it made it).
    pub fn lifetime(&self) -> Option<chrono::Duration> {
        self.issued_at
            .map(|issued| (self.expires_at - issued).max(chrono::Duration::zero()))
    }
}
