//! How much history a worker's device keeps: the municipality's retention
//! setting (sent with the login like the other policies) and the rule that
//! says whether one synced record has fallen outside it. Older history stays
//! on the server; changes waiting to be sent are never a question here (they
//! live in the outbox, not among the synced records).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::Record;
use crate::time::copenhagen_date;

/// The municipality's retention setting for devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Notes written, and loneliness registrations observed, more than this
    /// many days ago leave the device (default 90). A citizen's newest
    /// registration always stays: it is what her level is shown from.
    pub history_days: i64,
    /// Planned visits that ended, and activity bookings whose occurrence
    /// started, more than this many days ago leave the device (default 14).
    pub past_visit_days: i64,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            history_days: 90,
            past_visit_days: 14,
        }
    }
}

/// Why a retention setting is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    /// A number of days below the least that keeps the app working.
    #[error("{field} must be at least {least} days (was {was})")]
    TooShort {
        /// The setting.
        field: &'static str,
        /// The least allowed.
        least: i64,
        /// What was given.
        was: i64,
    },
}

impl RetentionPolicy {
    /// Checks the numbers: at least 30 days of history (the loneliness
    /// rules look back that far) and at least 1 day of past visits.
    pub fn validate(&self) -> Result<(), RetentionError> {
        for (field, least, was) in [
            ("history_days", 30, self.history_days),
            ("past_visit_days", 1, self.past_visit_days),
        ] {
            if was < least {
                return Err(RetentionError::TooShort { field, least, was });
            }
        }
        Ok(())
    }

    /// Whether a synced record has fallen outside the setting at `now`.
    /// `newest_registration` says whether a registration is its citizen's
    /// newest (kept whatever its age). Citizens, clip cards, clip ledgers
    /// (a card's balance is the sum of its whole ledger) and the activity
    /// catalogue never expire.
    pub fn expired(
        &self,
        record: &Record,
        now: DateTime<Utc>,
        newest_registration: impl FnOnce() -> bool,
    ) -> bool {
        let history = now - Duration::days(self.history_days);
        let past = now - Duration::days(self.past_visit_days);
        match record {
            Record::Note(note) => note.written_at < history,
            Record::Loneliness(r) => {
                r.observed_on < copenhagen_date(history) && !newest_registration()
            }
            Record::Visit(visit) => visit.ends_at < past,
            Record::Booking(booking) => booking.occurrence_start < past,
            Record::Citizen(_)
            | Record::ClipCard(_)
            | Record::ClipEntry(_)
            | Record::Activity(_) => false,
        }
    }
}

#[cfg(test)]
#[path = "retention_tests.rs"]
pub(crate) mod tests;
