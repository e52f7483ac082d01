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
    /// The last sync's error, for people.
    pub error: Option<String>,
    /// Failures in a row (for backoff).
    pub failures: u32,
    /// The server no longer accepts the login.
    pub needs_login: bool,
    /// When the last sync of this session succeeded.
    pub synced_at: Option<DateTime<Utc>>,
}

impl SyncStatus {
    /// After a run that ended well.
    pub fn succeeded(&mut self, now: DateTime<Utc>) {
        self.error = None;
        self.failures = 0;
        self.needs_login = false;
        self.synced_at = Some(now);
    }

    /// After a run that failed: the message to show, and the wait before the
    /// next try (none when a person must act first).
    pub fn failed(&mut self, error: &SyncError) -> Option<Duration> {
        self.error = Some(error.to_string());
        if matches!(error, SyncError::Transport(TransportError::Unauthorized)) {
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
