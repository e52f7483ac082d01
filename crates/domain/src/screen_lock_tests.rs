//! Tests of `screen_lock.rs`.

use super::*;

#[test]
fn a_pin_is_four_to_six_digits() {
    assert_eq!(check_pin("2580"), Ok(()));
    assert_eq!(check_pin("205813"), Ok(()));
    assert_eq!(check_pin("258"), Err(PinProblem::Length));
    assert_eq!(check_pin("2058134"), Err(PinProblem::Length));
    assert_eq!(check_pin(""), Err(PinProblem::Length));
    assert_eq!(check_pin("25a0"), Err(PinProblem::NotDigits));
    assert_eq!(check_pin("２５８０"), Err(PinProblem::NotDigits));
}

#[test]
fn the_first_pins_a_finder_tries_are_refused() {
    for pin in ["0000", "111111", "1234", "3456", "987654", "6543"] {
        assert_eq!(check_pin(pin), Err(PinProblem::Guessable), "{pin}");
    }
    // Runs that step by more than one, or change step, are allowed.
    for pin in ["1357", "1235", "2468", "9080"] {
        assert_eq!(check_pin(pin), Ok(()), "{pin}");
    }
}

#[test]
fn the_setting_is_checked() {
    assert_eq!(LockPolicy::default().validate(), Ok(()));
    let soft_zero = LockPolicy {
        soft_after_minutes: 0,
        ..LockPolicy::default()
    };
    assert_eq!(soft_zero.validate(), Err(LockPolicyError::SoftTooSoon));
    let hard_first = LockPolicy {
        soft_after_minutes: 10,
        hard_after_minutes: 5,
        ..LockPolicy::default()
    };
    assert!(hard_first.validate().is_err());
    let forever = LockPolicy {
        offline_unlock_days: 0,
        ..LockPolicy::default()
    };
    assert_eq!(forever.validate(), Err(LockPolicyError::OfflineDays(0)));
    assert_eq!(forever.or_default(), LockPolicy::default());
    let older_server: LockPolicy =
        serde_json::from_str(r#"{"soft_after_minutes":2,"hard_after_minutes":20}"#)
            .unwrap_or_default();
    assert_eq!(older_server.soft_after_minutes, 2);
    assert_eq!(older_server.offline_unlock_days, 7);
}
