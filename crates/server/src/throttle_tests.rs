//! Tests of `throttle.rs`.

use super::*;

fn addr(n: u8) -> Option<IpAddr> {
    Some(IpAddr::from([10, 0, 0, n]))
}

#[test]
fn a_name_waits_after_five_failures_and_twice_as_long_after_each_more() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for i in 0..4 {
        throttle.failed("anna", addr(1), t0);
        assert_eq!(
            throttle.check("anna", addr(1), t0),
            Ok(()),
            "failure {}",
            i + 1
        );
    }
    throttle.failed("anna", addr(1), t0);
    assert_eq!(
        throttle.check("anna", addr(2), t0),
        Err(Duration::from_secs(1))
    );
    let t1 = t0 + Duration::from_secs(1);
    assert_eq!(throttle.check("anna", addr(2), t1), Ok(()));
    throttle.failed("anna", addr(2), t1);
    assert_eq!(
        throttle.check("anna", None, t1),
        Err(Duration::from_secs(2))
    );
    // Another name is not held up by Anna's.
    assert_eq!(throttle.check("bo", addr(3), t1), Ok(()));
}

#[test]
fn a_success_forgets_the_names_failures() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for _ in 0..4 {
        throttle.failed("anna", addr(1), t0);
    }
    throttle.succeeded("anna");
    throttle.failed("anna", addr(1), t0);
    assert_eq!(throttle.check("anna", addr(4), t0), Ok(()));
}

#[test]
fn an_address_trying_many_names_waits_too() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for n in 0..FREE_FAILURES_PER_ADDR {
        throttle.failed(&format!("user{n}"), addr(9), t0);
    }
    assert!(throttle.check("someone", addr(9), t0).is_err());
    assert_eq!(throttle.check("someone", addr(8), t0), Ok(()));
    for n in 0..40 {
        throttle.failed(&format!("more{n}"), addr(9), t0);
    }
    assert_eq!(throttle.check("someone", addr(9), t0), Err(MAX_ADDR_WAIT));
}

#[test]
fn the_wait_is_capped_and_old_failures_are_forgotten() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for _ in 0..60 {
        throttle.failed("anna", None, t0);
    }
    assert_eq!(throttle.check("anna", None, t0), Err(MAX_WAIT));
    let later = t0 + MAX_WAIT + Duration::from_secs(1);
    throttle.failed("anna", None, later);
    assert_eq!(
        throttle.check("anna", None, later),
        Ok(()),
        "counted from one again"
    );
}

#[test]
fn a_flood_of_names_does_not_grow_memory_without_bound() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for n in 0..(MAX_KEYS + 50) {
        throttle.failed(&format!("flood{n}"), None, t0);
    }
    assert!(throttle.with(|map| map.len()) <= MAX_KEYS);
}
