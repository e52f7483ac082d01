//! Citizens and planned visits: reference data the server sends to devices.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A citizen who receives home care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Citizen {
    /// Citizen id.
    pub id: Uuid,
    /// Full name.
    pub name: String,
    /// Street address, postcode and town.
    pub address: String,
    /// The home-care team responsible.
    pub team: String,
}

impl Citizen {
    /// What the team she left is told when she moves to `to`: her id and
    /// her new team, nothing that names her or where she lives (it stays in
    /// that team's feed for every device it ever has).
    pub fn departure_notice(&self, to: &str) -> Citizen {
        Citizen {
            id: self.id,
            name: String::new(),
            address: String::new(),
            team: to.to_string(),
        }
    }
}

/// A planned home-care visit: who comes when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedVisit {
    /// Visit id.
    pub id: Uuid,
    /// The citizen visited.
    pub citizen_id: Uuid,
    /// Start of the time window (UTC).
    pub starts_at: DateTime<Utc>,
    /// End of the time window (UTC).
    pub ends_at: DateTime<Utc>,
    /// Name of the worker planned to come, if assigned.
    pub worker_name: Option<String>,
    /// What the visit is for, in plain words.
    pub purpose: String,
}
