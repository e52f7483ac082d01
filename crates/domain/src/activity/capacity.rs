//! Places on an occurrence. Online, a booking that would overfill is refused
//! on the device; a booking made offline that overfills is accepted (the
//! citizen was promised a place) and flagged for a coordinator, like an
//! overdrawn clip card.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::record::{Booking, current};

/// How full an occurrence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// No limit is set.
    Open,
    /// This many places are free.
    Free(u32),
    /// Every place is taken.
    Full,
    /// More are booked than there are places, by this many.
    Overfilled(u32),
}

/// How full an occurrence with `capacity` places (none: no limit) is with
/// `booked` places taken.
pub fn fill(capacity: Option<u32>, booked: u32) -> Fill {
    match capacity {
        None => Fill::Open,
        Some(c) if booked < c => Fill::Free(c - booked),
        Some(c) if booked == c => Fill::Full,
        Some(c) => Fill::Overfilled(booked - c),
    }
}

/// Whether one more booking fits.
pub fn one_more_fits(capacity: Option<u32>, booked: u32) -> bool {
    matches!(fill(capacity, booked), Fill::Open | Fill::Free(_))
}

/// Places held on one occurrence: bookings whose current revision is
/// `booked`, counted once per booking, leaving out the booking `except`
/// (the one being written).
pub fn places_held(
    revisions: &[Booking],
    activity_id: Uuid,
    occurrence_start: DateTime<Utc>,
    except: Option<Uuid>,
) -> u32 {
    let holding = current(revisions, |b: &Booking| b.id, |b| b.replaces)
        .into_iter()
        .filter(|b| {
            b.holds_place()
                && b.activity_id == activity_id
                && b.occurrence_start == occurrence_start
                && Some(b.booking_id) != except
        })
        .map(|b| b.booking_id)
        .collect::<std::collections::BTreeSet<_>>();
    u32::try_from(holding.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[path = "capacity_tests.rs"]
mod tests;
