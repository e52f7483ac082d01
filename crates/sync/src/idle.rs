//! When an unused app locks its screen: the device's decision, from the
//! municipality's [`LockPolicy`] and two clocks.
//!
//! - **Soft lock** after `soft_after_minutes` without use (a page that was
//!   hidden had no use either): the citizens leave the screen, the keys
//!   stay in memory and sync goes on; the PIN chosen at unlock resumes.
//!   [`PIN_MAX_TRIES`] wrong PINs make it hard. Without a PIN the soft lock
//!   is hard.
//! - **Hard lock** after `hard_after_minutes` without use: the keys leave
//!   memory; only the password opens the device.
//!
//! Time without use is the longer of the two clocks' reckonings: the
//! monotonic clock (a clock set back by hand does not keep the screen
//! open) and the wall clock (the monotonic one may stand still while the
//! tablet sleeps). A wall clock seen going back against the monotonic one
//! between two looks (set back by hand, perhaps to hide a sleep) locks hard.
//!
//! Wrong PINs are counted per login, across its windows (the app keeps the
//! count where every window sees it): a finder gets
//! [`PIN_MAX_TRIES`] tries in all, not in each window.

use naervaer_domain::screen_lock::{LockPolicy, PIN_MAX_TRIES};

/// A moment on both clocks, in milliseconds (`Date.now()` and
/// `performance.now()` in the browser).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// The wall clock.
    pub wall_ms: f64,
    /// The monotonic clock.
    pub mono_ms: f64,
}

/// What the screen may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// In use: everything.
    Open,
    /// Soft-locked: nothing of the citizens; the PIN resumes.
    Soft,
    /// Hard-locked: the keys are dropped; the password opens.
    Hard,
}

/// What a PIN given at the soft lock did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinAnswer {
    /// The right PIN: the screen is open again.
    Resumed,
    /// A wrong PIN, with this many tries left.
    Wrong {
        /// Tries left before the hard lock.
        left: u32,
    },
    /// The lock is hard (too many wrong PINs, or it already was).
    Hard,
}

/// The screen lock of one window, from unlock to the next hard lock.
#[derive(Debug, Clone)]
pub struct IdleLock {
    policy: LockPolicy,
    pin: Option<String>,
    last_use: Moment,
    last_seen: Moment,
    screen: Screen,
}

/// How far the wall clock may fall behind the monotonic one between two
/// looks before it counts as set back (clock corrections are smaller).
const SET_BACK_MS: f64 = 60_000.0;

impl IdleLock {
    /// A screen just unlocked at `now`, with the PIN chosen then (if any).
    pub fn new(policy: LockPolicy, pin: Option<String>, now: Moment) -> IdleLock {
        IdleLock {
            policy,
            pin,
            last_use: now,
            last_seen: now,
            screen: Screen::Open,
        }
    }

    /// What the screen may show now.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// Minutes without use at `now`, by whichever clock says more.
    fn unused_ms(&self, now: Moment) -> f64 {
        let mono = now.mono_ms - self.last_use.mono_ms;
        let wall = now.wall_ms - self.last_use.wall_ms;
        mono.max(wall).max(0.0)
    }

    /// Time has passed: the screen at `now`. A lock never opens by itself.
    pub fn tick(&mut self, now: Moment) -> Screen {
        let wall_step = now.wall_ms - self.last_seen.wall_ms;
        let mono_step = now.mono_ms - self.last_seen.mono_ms;
        self.last_seen = now;
        if wall_step < mono_step - SET_BACK_MS {
            self.screen = Screen::Hard;
            return self.screen;
        }
        let unused = self.unused_ms(now);
        let minutes = |m: u32| f64::from(m) * 60_000.0;
        if unused >= minutes(self.policy.hard_after_minutes) {
            self.screen = Screen::Hard;
        } else if unused >= minutes(self.policy.soft_after_minutes) && self.screen == Screen::Open {
            self.screen = if self.pin.is_some() {
                Screen::Soft
            } else {
                Screen::Hard
            };
        }
        self.screen
    }

    /// The user touched or typed at `now`. It counts as use only on an open
    /// screen that had not yet become due to lock (a tap on a tablet left
    /// unused for an hour locks it, it does not keep it open).
    pub fn used(&mut self, now: Moment) -> Screen {
        if self.tick(now) == Screen::Open {
            self.last_use = now;
        }
        self.screen
    }

    /// A PIN given at the soft lock at `now`, after `wrong_before` wrong
    /// PINs in a row in any window of the login. A wrong one is counted by
    /// the caller (this answer says how many tries are left).
    pub fn try_pin(&mut self, pin: &str, now: Moment, wrong_before: u32) -> PinAnswer {
        if self.tick(now) == Screen::Hard {
            return PinAnswer::Hard;
        }
        let Some(chosen) = &self.pin else {
            self.screen = Screen::Hard;
            return PinAnswer::Hard;
        };
        if self.screen == Screen::Open {
            return PinAnswer::Resumed;
        }
        if wrong_before >= PIN_MAX_TRIES {
            self.screen = Screen::Hard;
            return PinAnswer::Hard;
        }
        if same(chosen.as_bytes(), pin.as_bytes()) {
            self.screen = Screen::Open;
            self.last_use = now;
            return PinAnswer::Resumed;
        }
        let wrong = wrong_before.saturating_add(1);
        if wrong >= PIN_MAX_TRIES {
            self.screen = Screen::Hard;
            return PinAnswer::Hard;
        }
        PinAnswer::Wrong {
            left: PIN_MAX_TRIES - wrong,
        }
    }
}

/// Byte strings compared without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[path = "idle_tests.rs"]
mod tests;
