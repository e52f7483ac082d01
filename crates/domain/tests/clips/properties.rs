//! Property tests over random ledgers with `proptest`: a failure shrinks
//! to a small ledger and is saved under `proptest-regressions/` so it is
//! tried first next time.

use chrono::{Duration, NaiveDate, NaiveTime};
use proptest::prelude::*;
use proptest::sample::Index;
use uuid::Uuid;

use crate::policies::day;
use naervaer_domain::clips::*;
use naervaer_domain::time::from_copenhagen;

const START: &str = "2025-10-06";

fn at(d: NaiveDate, minute: u32) -> chrono::DateTime<chrono::Utc> {
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or_default();
    from_copenhagen(d.and_time(time))
}

/// One random entry, before it is placed in a ledger.
#[derive(Debug, Clone)]
struct Spec {
    day: i64,
    made: u32,
    kind: EntryKind,
    at: u32,
    units: i32,
    helpers: u8,
    transport: i32,
    adjust: i32,
    weeks: u32,
    target: Index,
}

fn kind() -> impl Strategy<Value = EntryKind> {
    prop_oneof![
        5 => Just(EntryKind::Use),
        1 => Just(EntryKind::Plan),
        1 => Just(EntryKind::Adjust),
        1 => Just(EntryKind::Pause),
        2 => Just(EntryKind::Cancel),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (0..280i64, 0..600u32, kind(), 0..300u32),
        (
            1..=4i32,
            1..=2u8,
            0..3i32,
            -3..=3i32,
            1..=3u32,
            any::<Index>(),
        ),
    )
        .prop_map(
            |((day, made, kind, at), (units, helpers, transport, adjust, weeks, target))| Spec {
                day,
                made,
                kind,
                at,
                units,
                helpers,
                transport,
                adjust,
                weeks,
                target,
            },
        )
}

/// The ledger the specs make, over about 40 weeks: uses, plans,
/// adjustments, pauses and cancels of earlier entries.
fn ledger_of(specs: &[Spec]) -> Vec<ClipEntry> {
    let start = day(START);
    let mut entries: Vec<ClipEntry> = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let d = start + Duration::days(s.day);
        let made = at(d, 8 * 60 + s.made);
        let id = Uuid::from_u128(1000 + i as u128);
        let mut e = ClipEntry::new(s.kind, Uuid::from_u128(1), Uuid::from_u128(2), id, made);
        match s.kind {
            EntryKind::Use | EntryKind::Plan => {
                e.at = Some(at(d, 10 * 60 + s.at));
                e.minutes = 30 * s.units;
                e.helpers = s.helpers;
                e.transport_minutes = 15 * s.transport;
            }
            EntryKind::Adjust => {
                e.minutes = if s.adjust == 0 { 30 } else { 30 * s.adjust };
                e.reason = "Rettelse".into();
            }
            EntryKind::Pause => {
                e.pause_from = Some(d);
                e.pause_weeks = s.weeks;
            }
            EntryKind::Cancel => {
                if entries.is_empty() {
                    continue;
                }
                e.target = Some(s.target.get(&entries).id);
            }
        }
        entries.push(e);
    }
    entries
}

/// A random ledger of at most `n` entries.
fn ledger(n: usize) -> impl Strategy<Value = Vec<ClipEntry>> {
    prop::collection::vec(spec(), 0..=n).prop_map(|specs| ledger_of(&specs))
}

fn policies() -> Vec<ClipPolicy> {
    let mut all: Vec<ClipPolicy> = SHIPPED
        .iter()
        .map(|(id, _)| ClipPolicy::shipped(id).unwrap().unwrap())
        .collect();
    // A policy with every rule switched on at once.
    let mut strict = all[0].clone();
    strict.earn_only_with_home_care = true;
    strict.transport_from_clips = true;
    strict.two_helpers_factor = 2;
    strict.saving_cap_minutes = Some(150);
    all.push(strict);
    all
}

fn policy() -> impl Strategy<Value = ClipPolicy> {
    prop::sample::select(policies())
}

/// As many cases as the fixed-seed loops these replaced ran (300 ledgers
/// under each of the six policies).
fn config() -> ProptestConfig {
    ProptestConfig::with_cases(1_800)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_balance_never_counts_a_clip_twice(
        policy in policy(),
        ledger in ledger(30),
        today in 0..300i64,
    ) {
        let today = day(START) + Duration::days(today);
        let b = balance(&policy, day(START), &ledger, today);
        // Every week earns its clips once: kept or lost to the cap, never both.
        let earning_weeks = b
            .weeks
            .iter()
            .filter(|w| !(w.paused && policy.earn_only_with_home_care))
            .count() as i64;
        let gross: i64 = b.weeks.iter().map(|w| w.earned + w.forfeited).sum();
        prop_assert_eq!(
            gross,
            earning_weeks * i64::from(policy.clips_per_week * policy.clip_minutes)
        );
        // What is left is what came in less what went out, week by week.
        let mut running = 0;
        for w in &b.weeks {
            running += w.earned + w.adjusted - w.used - w.expired;
            prop_assert_eq!(running, w.end_minutes, "week {}", w.starts_on);
        }
        prop_assert_eq!(running, b.available_minutes);
        // Each counted use is drawn exactly once.
        let cancelled = naervaer_domain::clips::balance::cancelled_ids(&ledger);
        let drawn: i64 = ledger
            .iter()
            .filter(|e| e.kind == EntryKind::Use && !cancelled.contains(&e.id))
            .map(|e| entry_cost(&policy, e))
            .sum();
        prop_assert_eq!(b.weeks.iter().map(|w| w.used).sum::<i64>(), drawn);
    }

    #[test]
    fn cancelling_a_use_restores_exactly_what_it_took(
        policy in policy(),
        ledger in ledger(20),
        today in 281..301i64,
        units in 1..=3i32,
    ) {
        // After every random entry, and recorded last that day, so that no
        // later entry (an adjustment meeting the cap) depends on it.
        let today = day(START) + Duration::days(today);
        let before = balance(&policy, day(START), &ledger, today);
        let mut use_ = ClipEntry::new(
            EntryKind::Use,
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(7),
            at(today, 23 * 60),
        );
        use_.at = Some(at(today, 11 * 60));
        use_.minutes = 30 * units;
        let mut with_use = ledger.clone();
        with_use.push(use_.clone());
        let after_use = balance(&policy, day(START), &with_use, today);
        prop_assert_eq!(
            before.available_minutes - after_use.available_minutes,
            entry_cost(&policy, &use_)
        );
        let mut cancel = ClipEntry::new(
            EntryKind::Cancel,
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(8),
            at(today, 12 * 60),
        );
        cancel.target = Some(use_.id);
        with_use.push(cancel);
        prop_assert_eq!(&balance(&policy, day(START), &with_use, today), &before);
        // Also for a use in the past: everything after it comes back as it was.
        let cancelled_before = naervaer_domain::clips::balance::cancelled_ids(&ledger);
        if let Some(past) = ledger
            .iter()
            .find(|e| e.kind == EntryKind::Use && !cancelled_before.contains(&e.id))
        {
            let mut undo = ClipEntry::new(
                EntryKind::Cancel,
                Uuid::from_u128(1),
                Uuid::from_u128(2),
                Uuid::from_u128(9),
                at(today, 12 * 60),
            );
            undo.target = Some(past.id);
            let mut cancelled = ledger.clone();
            cancelled.push(undo);
            let stripped: Vec<ClipEntry> = ledger
                .iter()
                .filter(|e| e.id != past.id && e.target != Some(past.id))
                .cloned()
                .collect();
            prop_assert_eq!(
                balance(&policy, day(START), &cancelled, today).available_minutes,
                balance(&policy, day(START), &stripped, today).available_minutes
            );
        }
    }

    #[test]
    fn the_saving_cap_is_never_exceeded(
        policy in policy(),
        ledger in ledger(25),
        today in 0..300i64,
    ) {
        if let Some(cap) = policy.saving_cap_minutes {
            let b = balance(&policy, day(START), &ledger, day(START) + Duration::days(today));
            for w in &b.weeks {
                prop_assert!(w.end_minutes <= i64::from(cap), "{:?}", w);
            }
            prop_assert!(b.available_minutes <= i64::from(cap));
        }
    }

    #[test]
    fn the_result_does_not_depend_on_the_order_entries_arrived_in(
        policy in policy(),
        (ledger, mut shuffled) in ledger(30).prop_flat_map(|l| (Just(l.clone()), Just(l).prop_shuffle())),
        today in 0..300i64,
    ) {
        let today = day(START) + Duration::days(today);
        let expected = balance(&policy, day(START), &ledger, today);
        prop_assert_eq!(&balance(&policy, day(START), &shuffled, today), &expected);
        shuffled.reverse();
        prop_assert_eq!(&balance(&policy, day(START), &shuffled, today), &expected);
    }
}
