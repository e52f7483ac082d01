//! Tests of `record.rs`.

use super::*;
use crate::clips::ClockTime;
use crate::wire_time::{parse_date, parse_instant};

fn cafe() -> Activity {
    Activity {
        id: Uuid::from_u128(1),
        activity_id: Uuid::from_u128(1),
        replaces: None,
        title: "Spisecafé".into(),
        description: "Varm mad og hyggeligt samvær.".into(),
        organiser: Organiser::Volunteers,
        organiser_name: "Ældre Sagen Køge".into(),
        place: "Aktivitetscentret, Ølbycenter 2".into(),
        schedule: Schedule::Weekly {
            weekday: 4,
            start: ClockTime::parse("17:00").unwrap(),
            end: ClockTime::parse("19:00").unwrap(),
            from: parse_date("2026-09-01").unwrap(),
            until: None,
        },
        transport_offered: true,
        wheelchair_access: true,
        capacity: Some(20),
        contact: "Grethe, 40 12 34 56".into(),
        withdrawn: false,
        author_id: None,
        author_name: String::new(),
        recorded_at: parse_instant("2026-11-20T10:00:00Z").unwrap(),
    }
}

fn request() -> Booking {
    Booking {
        id: Uuid::from_u128(10),
        booking_id: Uuid::from_u128(10),
        replaces: None,
        citizen_id: Uuid::from_u128(20),
        activity_id: Uuid::from_u128(1),
        occurrence_start: parse_instant("2026-11-26T16:00:00Z").unwrap(),
        status: BookingStatus::Requested,
        needs: Needs {
            companion: true,
            transport: true,
            care: false,
        },
        reason: String::new(),
        clip_entry_id: None,
        overfilled: false,
        author_id: None,
        author_name: String::new(),
        recorded_at: parse_instant("2026-11-22T10:00:00Z").unwrap(),
    }
}

#[test]
fn an_activity_needs_a_title_a_place_and_a_usable_schedule() {
    assert_eq!(cafe().validate(), Ok(()));
    let mut a = cafe();
    a.title = " ".into();
    assert_eq!(a.validate(), Err(ValidationError::Empty("title")));
    let mut a = cafe();
    a.capacity = Some(0);
    assert_eq!(a.validate().unwrap_err().code(), "out_of_range");
    let mut a = cafe();
    if let Schedule::Weekly { weekday, .. } = &mut a.schedule {
        *weekday = 9;
    }
    assert_eq!(a.validate(), Err(ValidationError::OutOfRange("schedule")));
}

#[test]
fn a_decline_must_say_why() {
    assert_eq!(request().validate(), Ok(()));
    let mut declined = request();
    declined.id = Uuid::from_u128(11);
    declined.replaces = Some(request().id);
    declined.status = BookingStatus::Declined;
    assert_eq!(declined.validate(), Err(ValidationError::Empty("reason")));
    declined.reason = "Ingen ledsager den dag".into();
    assert_eq!(declined.validate(), Ok(()));
}

#[test]
fn the_current_revision_is_the_one_nothing_replaces() {
    let first = request();
    let mut confirmed = request();
    confirmed.id = Uuid::from_u128(11);
    confirmed.replaces = Some(first.id);
    confirmed.status = BookingStatus::Booked;
    let all = vec![first, confirmed.clone()];
    let now = current(&all, |b: &Booking| b.id, |b| b.replaces);
    assert_eq!(now, vec![&confirmed]);
    assert!(now[0].holds_place());
}

#[test]
fn records_round_trip_through_json() {
    let text = serde_json::to_string(&cafe()).unwrap();
    assert!(
        text.contains(r#""schedule":{"weekly":{"weekday":4,"start":"17:00""#),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Activity>(&text).unwrap(), cafe());
    let text = serde_json::to_string(&request()).unwrap();
    assert!(
        text.contains(r#""occurrence_start":"2026-11-26T16:00:00Z""#),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Booking>(&text).unwrap(), request());
}
