use chrono::{Duration, TimeZone, Utc};

use super::{SessionPolicy, SessionTimes};

fn at(minute: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0)
        .single()
        .expect("time")
        + Duration::minutes(minute)
}

#[test]
fn a_session_ends_after_its_lifetime_however_busy() {
    let policy = SessionPolicy::default();
    let mut times = policy.start(at(0));
    for minute in (10..=12 * 60).step_by(10) {
        if let Some(idle) = policy.touch(&times, at(minute)) {
            times.idle_until = Some(idle);
        }
        assert_eq!(
            times.is_live(at(minute)),
            minute < 12 * 60,
            "minute {minute}"
        );
    }
}

#[test]
fn a_session_ends_after_the_idle_time_without_requests() {
    let policy = SessionPolicy::default();
    let times = policy.start(at(0));
    assert!(times.is_live(at(29)));
    assert!(!times.is_live(at(30)));
}

#[test]
fn requests_move_the_idle_end_at_most_once_a_minute() {
    let policy = SessionPolicy::default();
    let times = policy.start(at(0));
    // Within the minute nothing is written.
    assert_eq!(policy.touch(&times, at(0) + Duration::seconds(59)), None);
    assert_eq!(policy.touch(&times, at(1)), Some(at(31)));
    // A session without an idle end is never touched.
    let endless = SessionTimes {
        expires_at: at(600),
        idle_until: None,
    };
    assert_eq!(policy.touch(&endless, at(100)), None);
    assert!(endless.is_live(at(599)));
}

#[test]
fn settings_out_of_range_are_refused() {
    let ok = SessionPolicy::default();
    assert!(ok.validate().is_ok());
    for bad in [
        SessionPolicy {
            lifetime: Duration::minutes(30),
            ..ok
        },
        SessionPolicy {
            lifetime: Duration::days(31),
            ..ok
        },
        SessionPolicy {
            idle: Duration::minutes(4),
            ..ok
        },
        SessionPolicy {
            idle: Duration::hours(13),
            ..ok
        },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
}
