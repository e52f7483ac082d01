//! How much history a worker's device keeps: the municipality's retention
//! setting (sent with the login like the other policies) and the rule that
//! says whether one synced record has fallen outside it. Older history stays
//! on the server; changes waiting to be sent are never a question here (they
//! live in the outbox, not among the synced records).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::protocol::Record;
use crate::time::copenhagen_date;

/// The municipality's retention setting for devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPolicy {
    /// Notes written, and loneliness registrations observed, more than this
    /// many days ago leave the device (default 90). A citizen's newest
    /// registration always stays: it is what her level is shown from.
    pub history_days: i64,
    /// Planned visits that ended, and activity bookings whose occurrence
    /// started, more than this many days ago leave the device (default 14).
    pub past_visit_days: i64,
    /// Changes the server has settled are kept on the device this many days
    /// more (default 30), so that a server restored from a backup gets them
    /// again. Missing in a setting from an older server: the default.
    #[serde(default = "default_sent_log_days")]
    pub sent_log_days: i64,
}

fn default_sent_log_days() -> i64 {
    30
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            history_days: 90,
            past_visit_days: 14,
            sent_log_days: default_sent_log_days(),
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
    /// rules look back that far), at least 1 day of past visits, and at
    /// least 1 day of sent changes.
    pub fn validate(&self) -> Result<(), RetentionError> {
        for (field, least, was) in [
            ("history_days", 30, self.history_days),
            ("past_visit_days", 1, self.past_visit_days),
            ("sent_log_days", 1, self.sent_log_days),
        ] {
            if was < least {
                return Err(RetentionError::TooShort { field, least, was });
            }
        }
        Ok(())
    }

    /// Whether a synced record has fallen outside the setting at `now`
    /// (the server's time). A note's age is reckoned from when the server
    /// received it (`received_at`), never from the clock of the device that
    /// wrote it, which may be months off; only a record from a server that
    /// did not say falls back to the device's time.
    /// `newest_registration` says whether a registration is its citizen's
    /// newest (kept whatever its age). Citizens, clip cards, clip ledgers
    /// (a card's balance is the sum of its whole ledger) and the activity
    /// catalogue never expire.
    pub fn expired(
        &self,
        record: &Record,
        received_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        newest_registration: impl FnOnce() -> bool,
    ) -> bool {
        if let Record::Loneliness(r) = record {
            return r.observed_on < copenhagen_date(self.history_start(now))
                && !newest_registration();
        }
        match reckoned_from(record, received_at) {
            Some((window, from)) => from < self.start(window, now),
            None => false,
        }
    }

    /// The oldest instant `window` keeps at `now`.
    pub fn start(&self, window: Window, now: DateTime<Utc>) -> DateTime<Utc> {
        match window {
            Window::History => self.history_start(now),
            Window::PastVisits => self.past_visit_start(now),
        }
    }

    /// The oldest instant of history (notes) kept at `now`.
    pub fn history_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(self.history_days)
    }

    /// The oldest end of a past visit or booking kept at `now`.
    pub fn past_visit_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(self.past_visit_days)
    }

    /// Whether a change settled at `settled_at` has been kept long enough.
    pub fn sent_expired(&self, settled_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        settled_at < now - Duration::days(self.sent_log_days)
    }
}

/// The two windows of the setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Notes (and registrations, with the newest kept).
    History,
    /// Planned visits and bookings.
    PastVisits,
}

impl Window {
    /// The stable name, as the server stores it beside a change.
    pub fn as_str(self) -> &'static str {
        match self {
            Window::History => "history",
            Window::PastVisits => "past",
        }
    }
}

/// Which window keeps a record and the instant its age is reckoned from:
/// a note from when the server received it (the device's time only when
/// the server did not say), a visit from its end, a booking from its
/// occurrence. `None` for records kept by other rules or always
/// (registrations, whose newest always stays; citizens; clip cards and
/// ledgers; the catalogue). The server sends a device no change whose
/// record has fallen outside its window, by the same rule.
pub fn reckoned_from(
    record: &Record,
    received_at: Option<DateTime<Utc>>,
) -> Option<(Window, DateTime<Utc>)> {
    match record {
        Record::Note(note) => Some((Window::History, received_at.unwrap_or(note.written_at))),
        Record::Visit(visit) => Some((Window::PastVisits, visit.ends_at)),
        Record::Booking(booking) => Some((Window::PastVisits, booking.occurrence_start)),
        Record::Loneliness(_)
        | Record::Citizen(_)
        | Record::ClipCard(_)
        | Record::ClipEntry(_)
        | Record::Activity(_) => None,
    }
}

#[cfg(test)]
#[path = "retention_tests.rs"]
pub(crate) mod tests;
