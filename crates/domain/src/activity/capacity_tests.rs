//! Tests of `capacity.rs`.

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

fn booking(n: u128, booking: u128, replaces: Option<u128>, status: &str, start: &str) -> Booking {
    let status = match status {
        "booked" => super::super::record::BookingStatus::Booked,
        "requested" => super::super::record::BookingStatus::Requested,
        _ => super::super::record::BookingStatus::Cancelled,
    };
    Booking {
        id: Uuid::from_u128(n),
        booking_id: Uuid::from_u128(booking),
        replaces: replaces.map(Uuid::from_u128),
        citizen_id: Uuid::from_u128(100 + booking),
        activity_id: Uuid::from_u128(1),
        occurrence_start: crate::wire_time::parse_instant(start).unwrap(),
        status,
        needs: Default::default(),
        reason: String::new(),
        clip_entry_id: None,
        overfilled: false,
        author_id: None,
        author_name: String::new(),
        recorded_at: crate::wire_time::parse_instant("2026-11-22T10:00:00Z").unwrap(),
    }
}

#[test]
fn places_are_held_by_current_booked_revisions_once_per_booking() {
    let at = "2026-11-26T16:00:00Z";
    let revisions = vec![
        booking(1, 1, None, "booked", at),
        booking(2, 1, Some(1), "cancelled", at), // called off: no place
        booking(3, 3, None, "booked", at),
        booking(4, 4, None, "requested", at), // asked, not booked
        booking(5, 5, None, "booked", "2026-12-03T16:00:00Z"), // another week
        booking(6, 6, None, "requested", at),
        booking(7, 6, Some(6), "booked", at), // two devices confirmed it apart:
        booking(8, 6, Some(6), "booked", at), // one place, not two
    ];
    let start = crate::wire_time::parse_instant(at).unwrap();
    let activity = Uuid::from_u128(1);
    assert_eq!(places_held(&revisions, activity, start, None), 2);
    assert_eq!(
        places_held(&revisions, activity, start, Some(Uuid::from_u128(3))),
        1
    );
    assert_eq!(places_held(&revisions, Uuid::from_u128(2), start, None), 0);
}
