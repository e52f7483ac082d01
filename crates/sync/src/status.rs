//! The truth about sync that the header shows, and when to try again.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::run::{SyncError, TransportError};

/// What the app knows about sync right now (in memory, per window).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    /// A sync is under way.
    pub running: bool,
    /// Another sync was asked for while one ran.
    pub again: bool,
    /// Why the last sync failed, if it did (the app words it for people).
    pub error: Option<SyncError>,
    /// Failures in a row (for backoff).
    pub failures: u32,
    /// The server no longer accepts the login.
    pub needs_login: bool,
    /// When the last sync of this session succeeded.
    pub synced_at: Option<DateTime<Utc>>,
    /// How far this device's clock is off the server's, in whole minutes
    /// (server minus device), when more than [`CLOCK_TOLERANCE_MINUTES`].
    pub clock_off_minutes: Option<i64>,
    /// How the last sync recovered from a server or a device that went
    /// back in time, for the header to say.
    pub recovery: Option<crate::Recovery>,
}

/// A device clock further than this from the server's is shown to the user.
pub const CLOCK_TOLERANCE_MINUTES: i64 = 10;

/// The minutes a device clock is off the server's, when it is off by more
/// than the tolerance (`offset`: server time minus device time).
pub fn clock_off(offset: chrono::Duration) -> Option<i64> {
    let minutes = offset.num_minutes();
    (minutes.abs() > CLOCK_TOLERANCE_MINUTES).then_some(minutes)
}

impl SyncStatus {
    /// After a run that ended well.
    pub fn succeeded(&mut self, now: DateTime<Utc>) {
        self.error = None;
        self.failures = 0;
        self.needs_login = false;
        self.synced_at = Some(now);
    }

    /// What a run learnt about the server, whether it ended well or not:
    /// the clock's offset and any recovery.
    pub fn learn(&mut self, report: &crate::RunReport) {
        if let Some(offset) = report.clock_offset {
            self.clock_off_minutes = clock_off(offset);
        }
        if report.recovery.is_some() {
            self.recovery = report.recovery;
        }
    }

    /// After a run that failed: the message to show, and the wait before the
    /// next try (none when a person must act first).
    pub fn failed(&mut self, error: &SyncError) -> Option<Duration> {
        self.error = Some(error.clone());
        if matches!(
            error,
            SyncError::Transport(TransportError::Unauthorized | TransportError::AccountDisabled)
        ) {
            self.needs_login = true;
        }
        if error.retry() {
            self.failures = self.failures.saturating_add(1);
            Some(backoff_delay(self.failures))
        } else {
            None
        }
    }
}

/// The wait before retrying after `failures` failures in a row:
/// 5 s, 10 s, 20 s, … up to 5 minutes.
pub fn backoff_delay(failures: u32) -> Duration {
    let secs = 5u64.saturating_mul(1u64 << failures.saturating_sub(1).min(6));
    Duration::from_secs(secs.min(300))
}

/// What the header says about sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderState {
    /// A sync is under way.
    Running,
    /// Everything made on this device is on the server.
    AllSynced,
    /// The last sync failed.
    Error,
    /// Changes wait, or the device has never synced.
    Waiting,
}

impl HeaderState {
    /// "All synced" only when nothing waits (outbox and held saves), the last
    /// sync succeeded, and one ever did.
    pub fn of(
        waiting: usize,
        status: &SyncStatus,
        last_success: Option<DateTime<Utc>>,
    ) -> HeaderState {
        let last = status.synced_at.max(last_success);
        if status.running {
            HeaderState::Running
        } else if waiting == 0 && status.error.is_none() && last.is_some() {
            HeaderState::AllSynced
        } else if status.error.is_some() {
            HeaderState::Error
        } else {
            HeaderState::Waiting
        }
    }

    /// The name used in the page (`data-state`).
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderState::Running => "running",
            HeaderState::AllSynced => "synced",
            HeaderState::Error => "error",
            HeaderState::Waiting => "waiting",
        }
    }
}
