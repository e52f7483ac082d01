//! Tests of `idle.rs`.

use super::*;

const MINUTE: f64 = 60_000.0;

fn at(minutes: f64) -> Moment {
    Moment {
        wall_ms: 1.8e12 + minutes * MINUTE,
        mono_ms: 5_000.0 + minutes * MINUTE,
    }
}

fn with_pin() -> IdleLock {
    IdleLock::new(LockPolicy::default(), Some("2580".into()), at(0.0))
}

#[test]
fn soft_after_five_minutes_and_hard_after_thirty() {
    let mut lock = with_pin();
    assert_eq!(lock.tick(at(4.9)), Screen::Open);
    assert_eq!(lock.tick(at(5.0)), Screen::Soft);
    assert_eq!(lock.tick(at(29.9)), Screen::Soft);
    assert_eq!(lock.tick(at(30.0)), Screen::Hard);
}

#[test]
fn use_keeps_it_open_and_a_tap_on_a_screen_due_to_lock_locks_it() {
    let mut lock = with_pin();
    assert_eq!(lock.used(at(4.0)), Screen::Open);
    assert_eq!(lock.tick(at(8.9)), Screen::Open);
    assert_eq!(lock.used(at(9.5)), Screen::Soft);
    assert_eq!(lock.used(at(10.0)), Screen::Soft, "a tap is not a PIN");
}

#[test]
fn a_page_hidden_for_an_hour_is_hard_locked_at_its_first_tick() {
    let mut lock = with_pin();
    assert_eq!(lock.tick(at(60.0)), Screen::Hard);
    assert_eq!(lock.try_pin("2580", at(60.0), 0), PinAnswer::Hard);
}

#[test]
fn without_a_pin_the_soft_lock_is_hard() {
    let mut lock = IdleLock::new(LockPolicy::default(), None, at(0.0));
    assert_eq!(lock.tick(at(5.0)), Screen::Hard);
}

#[test]
fn the_right_pin_resumes_and_five_wrong_make_it_hard() {
    let mut lock = with_pin();
    lock.tick(at(6.0));
    assert_eq!(
        lock.try_pin("1111", at(6.1), 0),
        PinAnswer::Wrong { left: 4 }
    );
    assert_eq!(lock.try_pin("2580", at(6.2), 1), PinAnswer::Resumed);
    assert_eq!(lock.screen(), Screen::Open);
    assert_eq!(
        lock.tick(at(11.0)),
        Screen::Open,
        "use counted from the PIN"
    );
    assert_eq!(lock.tick(at(11.2)), Screen::Soft);
    for (wrong, left) in (0..4).zip((1..=4).rev()) {
        assert_eq!(
            lock.try_pin("9999", at(11.3), wrong),
            PinAnswer::Wrong { left }
        );
    }
    assert_eq!(lock.try_pin("9999", at(11.4), 4), PinAnswer::Hard);
    assert_eq!(lock.try_pin("2580", at(11.5), 0), PinAnswer::Hard);
    assert_eq!(lock.screen(), Screen::Hard);
}

#[test]
fn wrong_pins_in_other_windows_count_here_even_the_right_pin_is_too_late() {
    let mut lock = with_pin();
    lock.tick(at(5.0));
    assert_eq!(
        lock.try_pin("0000", at(5.5), 3),
        PinAnswer::Wrong { left: 1 }
    );
    assert_eq!(lock.try_pin("2580", at(5.6), 5), PinAnswer::Hard);
}

#[test]
fn a_wall_clock_set_back_while_the_app_runs_locks_hard() {
    let mut lock = with_pin();
    assert_eq!(lock.tick(at(1.0)), Screen::Open);
    // A minute later by the monotonic clock, the wall clock shows a minute
    // earlier: set back by hand (to hide a sleep the monotonic clock did
    // not count). Each clock alone says the screen was used a minute ago.
    let mut set_back = at(2.0);
    set_back.wall_ms = at(0.0).wall_ms;
    assert_eq!(lock.tick(set_back), Screen::Hard);
}

#[test]
fn small_clock_corrections_do_not_lock() {
    let mut lock = with_pin();
    let mut corrected = at(2.0);
    corrected.wall_ms -= 30_000.0;
    assert_eq!(lock.tick(corrected), Screen::Open);
}

#[test]
fn a_wall_clock_set_back_does_not_keep_the_screen_open() {
    let mut lock = with_pin();
    let mut now = at(31.0);
    now.wall_ms -= 24.0 * 60.0 * MINUTE;
    assert_eq!(lock.tick(now), Screen::Hard);
}

#[test]
fn a_tablet_that_slept_locks_by_the_wall_clock() {
    let mut lock = with_pin();
    let mut now = at(45.0);
    now.mono_ms = at(0.5).mono_ms;
    assert_eq!(lock.tick(now), Screen::Hard);
}
