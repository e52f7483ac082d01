//! Places on an occurrence. Online, a booking that would overfill is refused
//! on the device; a booking made offline that overfills is accepted (the
//! citizen was promised a place) and flagged for a coordinator, like an
//! overdrawn clip card.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_place_fits_and_the_one_after_overfills() {
        assert_eq!(fill(Some(8), 6), Fill::Free(2));
        assert!(one_more_fits(Some(8), 7));
        assert_eq!(fill(Some(8), 8), Fill::Full);
        assert!(!one_more_fits(Some(8), 8));
        assert_eq!(fill(Some(8), 9), Fill::Overfilled(1));
        assert_eq!(fill(None, 40), Fill::Open);
        assert!(one_more_fits(None, 40));
        assert_eq!(fill(Some(0), 0), Fill::Full);
    }
}
