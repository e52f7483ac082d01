//! Tests of `throttle.rs`.

use super::*;

fn addr(n: u8) -> Option<IpAddr> {
    Some(IpAddr::from([10, 0, 0, n]))
}

#[test]
fn a_name_waits_after_five_failures_from_one_address_and_twice_as_long_after_each_more() {
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
        throttle.check("anna", addr(1), t0),
        Err(Duration::from_secs(1))
    );
    let t1 = t0 + Duration::from_secs(1);
    assert_eq!(throttle.check("anna", addr(1), t1), Ok(()));
    throttle.failed("anna", addr(1), t1);
    assert_eq!(
        throttle.check("anna", addr(1), t1),
        Err(Duration::from_secs(2))
    );
    // Anna at her own tablet is not kept out by a stranger typing her name.
    assert_eq!(throttle.check("anna", addr(2), t1), Ok(()));
    // Another name is not held up by Anna's.
    assert_eq!(throttle.check("bo", addr(1), t1), Ok(()));
}

#[test]
fn a_name_guessed_from_many_addresses_waits_a_minute_at_most() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for n in 0..FREE_FAILURES_PER_NAME_ANYWHERE {
        throttle.failed("anna", addr(n as u8 + 10), t0);
    }
    assert!(throttle.check("anna", addr(200), t0).is_err());
    for n in 0..40u8 {
        throttle.failed("anna", addr(n + 100), t0);
    }
    assert_eq!(throttle.check("anna", addr(201), t0), Err(MAX_ADDR_WAIT));
}

#[test]
fn a_success_forgets_the_names_failures() {
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for _ in 0..4 {
        throttle.failed("anna", addr(1), t0);
    }
    throttle.succeeded("anna", addr(1));
    throttle.failed("anna", addr(1), t0);
    assert_eq!(throttle.check("anna", addr(1), t0), Ok(()));
}

#[test]
fn an_ipv6_address_counts_by_its_64_and_a_mapped_ipv4_as_itself() {
    let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
    let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
    let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
    assert_eq!(address_group(a), address_group(b));
    assert_ne!(address_group(a), address_group(other));
    let mapped: IpAddr = "::ffff:10.0.0.1".parse().expect("ip");
    assert_eq!(address_group(mapped), IpAddr::from([10, 0, 0, 1]));
    let throttle = LoginThrottle::new(1);
    let t0 = Instant::now();
    for _ in 0..FREE_FAILURES_PER_NAME {
        throttle.failed("anna", Some(a), t0);
    }
    assert!(throttle.check("anna", Some(b), t0).is_err(), "same /64");
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
        throttle.failed("anna", addr(1), t0);
    }
    assert_eq!(throttle.check("anna", addr(1), t0), Err(MAX_WAIT));
    let later = t0 + MAX_WAIT + Duration::from_secs(1);
    throttle.failed("anna", addr(1), later);
    assert_eq!(
        throttle.check("anna", addr(1), later),
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
