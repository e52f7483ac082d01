//! The clip ledger: entries are facts (plan, use, cancel, adjustment, pause),
//! never edited in place. A cancel is a new entry naming the one it reverses.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validation::ValidationError;

/// The longest free text on an entry.
pub const MAX_TEXT: usize = 500;
/// The longest activity or transport time one entry may name (a day).
pub const MAX_MINUTES: i32 = 24 * 60;
/// The longest pause one entry may register.
pub const MAX_PAUSE_WEEKS: u32 = 52;

/// What a ledger entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A use planned ahead: reserves minutes, draws none yet.
    Plan,
    /// Time spent: draws minutes, oldest clips first. May convert a plan.
    Use,
    /// Reverses the entry it names (a plan, use, adjustment or pause).
    Cancel,
    /// A coordinator's correction, plus or minus, with a reason.
    Adjust,
    /// Weeks without home care (hospital stay, holiday).
    Pause,
}

impl EntryKind {
    /// The stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Plan => "plan",
            EntryKind::Use => "use",
            EntryKind::Cancel => "cancel",
            EntryKind::Adjust => "adjust",
            EntryKind::Pause => "pause",
        }
    }
}

/// One fact in a card's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClipEntry {
    /// Entry id, made on the device.
    pub id: Uuid,
    /// The card.
    pub card_id: Uuid,
    /// The card's citizen.
    pub citizen_id: Uuid,
    /// What the entry records.
    pub kind: EntryKind,
    /// Plan and use: when the activity starts.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// Plan and use: the activity's minutes (> 0). Adjust: minutes added (+)
    /// or taken (−). Otherwise 0.
    #[serde(default)]
    pub minutes: i32,
    /// Plan and use: helpers needed (1 or 2).
    #[serde(default = "one")]
    pub helpers: u8,
    /// Plan and use: transport minutes (drawn only if the policy says so).
    #[serde(default)]
    pub transport_minutes: i32,
    /// Plan and use: what the time is for.
    #[serde(default)]
    pub purpose: String,
    /// Plan and use: the social activity it goes with, if any.
    #[serde(default)]
    pub activity_id: Option<Uuid>,
    /// Cancel: the entry reversed. Use: the plan it converts, if any.
    #[serde(default)]
    pub target: Option<Uuid>,
    /// Pause: the first day without home care (its week earns nothing).
    #[serde(default)]
    pub pause_from: Option<NaiveDate>,
    /// Pause: how many weeks.
    #[serde(default)]
    pub pause_weeks: u32,
    /// Adjust and cancel: why. Plan and use: a coordinator's reason for
    /// overriding a rule, if any.
    #[serde(default)]
    pub reason: String,
    /// Who made it (set by the server).
    #[serde(default)]
    pub author_id: Option<Uuid>,
    /// The author's name.
    #[serde(default)]
    pub author_name: String,
    /// When it was made on the device.
    pub recorded_at: DateTime<Utc>,
}

fn one() -> u8 {
    1
}

impl ClipEntry {
    /// A blank entry of `kind` for a card, made now; callers fill in the rest.
    pub fn new(
        kind: EntryKind,
        card_id: Uuid,
        citizen_id: Uuid,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Self {
        ClipEntry {
            id,
            card_id,
            citizen_id,
            kind,
            at: None,
            minutes: 0,
            helpers: 1,
            transport_minutes: 0,
            purpose: String::new(),
            activity_id: None,
            target: None,
            pause_from: None,
            pause_weeks: 0,
            reason: String::new(),
            author_id: None,
            author_name: String::new(),
            recorded_at: now,
        }
    }

    /// Checks the entry's shape. Rule breaches (hours, notice, balance) are
    /// not errors here: a use that happened is never refused (see `rules`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.purpose.chars().count() > MAX_TEXT {
            return Err(ValidationError::TooLong {
                field: "purpose",
                max: MAX_TEXT,
            });
        }
        if self.reason.chars().count() > MAX_TEXT {
            return Err(ValidationError::TooLong {
                field: "reason",
                max: MAX_TEXT,
            });
        }
        match self.kind {
            EntryKind::Plan | EntryKind::Use => {
                if self.minutes < 0 || self.transport_minutes < 0 {
                    return Err(ValidationError::NegativeMinutes);
                }
                if self.minutes == 0 {
                    return Err(ValidationError::OutOfRange("minutes"));
                }
                if self.minutes > MAX_MINUTES || self.transport_minutes > MAX_MINUTES {
                    return Err(ValidationError::OutOfRange("minutes"));
                }
                if !(1..=2).contains(&self.helpers) {
                    return Err(ValidationError::OutOfRange("helpers"));
                }
                if self.at.is_none() {
                    return Err(ValidationError::Missing("at"));
                }
                if self.kind == EntryKind::Plan && self.target.is_some() {
                    return Err(ValidationError::OutOfRange("target"));
                }
            }
            EntryKind::Cancel => {
                if self.target.is_none() {
                    return Err(ValidationError::Missing("target"));
                }
                if self.target == Some(self.id) {
                    return Err(ValidationError::ReplacesItself);
                }
            }
            EntryKind::Adjust => {
                if self.minutes == 0 || self.minutes.abs() > 100 * MAX_MINUTES {
                    return Err(ValidationError::OutOfRange("minutes"));
                }
                if self.reason.trim().is_empty() {
                    return Err(ValidationError::Empty("reason"));
                }
            }
            EntryKind::Pause => {
                if self.pause_from.is_none() {
                    return Err(ValidationError::Missing("pause_from"));
                }
                if !(1..=MAX_PAUSE_WEEKS).contains(&self.pause_weeks) {
                    return Err(ValidationError::OutOfRange("pause_weeks"));
                }
            }
        }
        Ok(())
    }
}

/// What the server last found on a card: its balance and the rule breaches a
/// coordinator should look at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardCheck {
    /// Minutes available by the server's ledger (negative when overdrawn).
    pub available_minutes: i64,
    /// Whether more was used than the card had.
    pub overdrawn: bool,
    /// Entries that broke a rule of the policy.
    pub flags: Vec<CardFlag>,
    /// When the server checked.
    #[serde(default)]
    pub checked_at: Option<DateTime<Utc>>,
}

/// One entry that broke a rule of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardFlag {
    /// The entry.
    pub entry_id: Uuid,
    /// The breach, e.g. `outside_hours` (see `rules::Breach`).
    pub code: String,
}

/// A citizen's clip card. Created by the municipality (server); its ledger
/// entries come from devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClipCard {
    /// Card id.
    pub id: Uuid,
    /// The citizen.
    pub citizen_id: Uuid,
    /// The policy it runs under (e.g. `furesoe`).
    pub policy_id: String,
    /// The first day of the card; its week earns the first clips.
    pub starts_on: NaiveDate,
    /// The server's latest check.
    #[serde(default)]
    pub check: CardCheck,
}

#[cfg(test)]
#[path = "entry_tests.rs"]
mod tests;
