//! The municipality's screen-lock setting (sent with the login like the
//! other policies) and the rule for the PIN that resumes a soft lock.
//!
//! A soft lock hides the citizens after a few minutes without use (or
//! hidden that long); the PIN chosen at unlock resumes it. A hard lock
//! drops the keys: only the password opens the device again. When each
//! applies on a device is `naervaer_sync::idle`'s decision.

use serde::{Deserialize, Serialize};

/// The least digits a PIN has.
pub const PIN_MIN_DIGITS: usize = 4;
/// The most digits a PIN has.
pub const PIN_MAX_DIGITS: usize = 6;
/// Wrong PINs in a row that make a soft lock hard.
pub const PIN_MAX_TRIES: u32 = 5;

/// When an unused app locks its screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LockPolicy {
    /// Minutes without use (or hidden) before the soft lock (default 5).
    pub soft_after_minutes: u32,
    /// Minutes without use before the hard lock (default 30).
    pub hard_after_minutes: u32,
    /// Days after the last online login during which the password unlocks
    /// the device offline (default 7): a disabled account's device that
    /// never comes online again stops opening after this. Missing in a
    /// setting from an older server: the default.
    #[serde(default = "default_offline_days")]
    pub offline_unlock_days: u32,
}

fn default_offline_days() -> u32 {
    7
}

impl Default for LockPolicy {
    fn default() -> Self {
        LockPolicy {
            soft_after_minutes: 5,
            hard_after_minutes: 30,
            offline_unlock_days: default_offline_days(),
        }
    }
}

/// Why a screen-lock setting is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockPolicyError {
    /// Offline unlocking must be allowed for 1 to 90 days.
    #[error("offline unlocking must be allowed for 1 to 90 days (was {0})")]
    OfflineDays(u32),
    /// The soft lock must come after at least a minute.
    #[error("the soft lock must come after at least 1 minute")]
    SoftTooSoon,
    /// The hard lock must not come before the soft lock, nor later than
    /// a working day.
    #[error(
        "the hard lock must come after the soft lock and within 720 minutes (soft {soft}, hard {hard})"
    )]
    HardOutOfRange {
        /// The soft lock's minutes.
        soft: u32,
        /// The hard lock's minutes.
        hard: u32,
    },
}

impl LockPolicy {
    /// The setting as a device uses it: itself when valid, else the
    /// defaults (a setting changed by hand in storage cannot switch the
    /// locks off).
    pub fn or_default(self) -> LockPolicy {
        if self.validate().is_ok() {
            self
        } else {
            LockPolicy::default()
        }
    }

    /// Checks the setting.
    pub fn validate(&self) -> Result<(), LockPolicyError> {
        if !(1..=90).contains(&self.offline_unlock_days) {
            return Err(LockPolicyError::OfflineDays(self.offline_unlock_days));
        }
        if self.soft_after_minutes == 0 {
            return Err(LockPolicyError::SoftTooSoon);
        }
        if self.hard_after_minutes < self.soft_after_minutes || self.hard_after_minutes > 720 {
            return Err(LockPolicyError::HardOutOfRange {
                soft: self.soft_after_minutes,
                hard: self.hard_after_minutes,
            });
        }
        Ok(())
    }
}

/// What is wrong with a PIN someone chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinProblem {
    /// Something other than the digits 0–9.
    #[error("a PIN is digits only")]
    NotDigits,
    /// Fewer than [`PIN_MIN_DIGITS`] or more than [`PIN_MAX_DIGITS`].
    #[error("a PIN has 4 to 6 digits")]
    Length,
    /// The same digit throughout, or digits counting up or down (1234,
    /// 9876): the first a finder tries.
    #[error("a PIN must not be one digit repeated or digits in a row")]
    Guessable,
}

/// Checks a chosen PIN: 4–6 digits, not one digit repeated nor a run.
pub fn check_pin(pin: &str) -> Result<(), PinProblem> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinProblem::NotDigits);
    }
    if !(PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&pin.len()) {
        return Err(PinProblem::Length);
    }
    let digits: Vec<i16> = pin.bytes().map(|b| i16::from(b - b'0')).collect();
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    let same_step = steps.windows(2).all(|w| w[0] == w[1]);
    if same_step && steps.first().is_some_and(|s| s.abs() <= 1) {
        return Err(PinProblem::Guessable);
    }
    Ok(())
}

#[cfg(test)]
#[path = "screen_lock_tests.rs"]
mod tests;
