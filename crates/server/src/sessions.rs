//! How long a login lasts: a fixed lifetime, and an end after a time
//! without requests (the server's idle timeout), kept in one place.

use chrono::{DateTime, Duration, Utc};

/// A session's two ends, as stored with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimes {
    /// When the login ends however busy it is.
    pub expires_at: DateTime<Utc>,
    /// When it ends unless a request comes first (`None`: no idle end).
    pub idle_until: Option<DateTime<Utc>>,
}

impl SessionTimes {
    /// Whether the session still works at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.expires_at > now && self.idle_until.is_none_or(|idle| idle > now)
    }
}

/// The server's session settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// How long a login lasts at most (default 12 hours).
    pub lifetime: Duration,
    /// How long a login lasts without a request (default 30 minutes).
    pub idle: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            lifetime: Duration::hours(12),
            idle: Duration::minutes(30),
        }
    }
}

/// How stale the stored idle end may grow before a request moves it on:
/// requests within a minute of the last move write nothing.
const TOUCH_EVERY: Duration = Duration::minutes(1);

impl SessionPolicy {
    /// The times of a session beginning at `now`.
    pub fn start(&self, now: DateTime<Utc>) -> SessionTimes {
        SessionTimes {
            expires_at: now + self.lifetime,
            idle_until: Some(now + self.idle),
        }
    }

    /// The new idle end to store after a request at `now`, when the stored
    /// one is more than a minute old (`None`: leave it).
    pub fn touch(&self, times: &SessionTimes, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let stored = times.idle_until?;
        let wanted = now + self.idle;
        (wanted - stored >= TOUCH_EVERY).then_some(wanted)
    }

    /// Whether the settings make sense: a lifetime of 1 hour to 30 days,
    /// an idle end of 5 minutes up to the lifetime.
    pub fn validate(&self) -> Result<(), String> {
        if self.lifetime < Duration::hours(1) || self.lifetime > Duration::days(30) {
            return Err("a session lasts from 1 hour to 30 days".into());
        }
        if self.idle < Duration::minutes(5) || self.idle > self.lifetime {
            return Err("the idle timeout is from 5 minutes up to the session's lifetime".into());
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "sessions_tests.rs"]
mod tests;
