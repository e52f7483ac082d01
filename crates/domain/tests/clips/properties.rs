//! Property tests over many random ledgers (a fixed-seed generator, so a
//! failure names its case and repeats exactly).

use chrono::{Duration, NaiveDate, NaiveTime};
use uuid::Uuid;

use crate::policies::day;
use naervaer_domain::clips::*;
use naervaer_domain::time::from_copenhagen;

/// xorshift64*: small, deterministic, good enough to spread test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const CASES: u64 = 300;
const START: &str = "2025-10-06";

fn at(d: NaiveDate, minute: u32) -> chrono::DateTime<chrono::Utc> {
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or_default();
    from_copenhagen(d.and_time(time))
}

/// A random ledger over about 40 weeks: uses, plans, adjustments, pauses and
/// cancels of earlier entries.
fn random_ledger(rng: &mut Rng, n: usize) -> Vec<ClipEntry> {
    let start = day(START);
    let mut entries: Vec<ClipEntry> = Vec::new();
    for i in 0..n {
        let d = start + Duration::days(rng.below(280) as i64);
        let made = at(d, 8 * 60 + rng.below(10 * 60) as u32);
        let id = Uuid::from_u128(1000 + i as u128);
        let kind = match rng.below(10) {
            0..=4 => EntryKind::Use,
            5 => EntryKind::Plan,
            6 => EntryKind::Adjust,
            7 => EntryKind::Pause,
            _ => EntryKind::Cancel,
        };
        let mut e = ClipEntry::new(kind, Uuid::from_u128(1), Uuid::from_u128(2), id, made);
        match kind {
            EntryKind::Use | EntryKind::Plan => {
                e.at = Some(at(d, 10 * 60 + rng.below(300) as u32));
                e.minutes = 30 * (1 + rng.below(4) as i32);
                e.helpers = 1 + rng.below(2) as u8;
                e.transport_minutes = 15 * rng.below(3) as i32;
            }
            EntryKind::Adjust => {
                e.minutes = 30 * (rng.below(7) as i32 - 3);
                if e.minutes == 0 {
                    e.minutes = 30;
                }
                e.reason = "Rettelse".into();
            }
            EntryKind::Pause => {
                e.pause_from = Some(d);
                e.pause_weeks = 1 + rng.below(3) as u32;
            }
            EntryKind::Cancel => {
                if entries.is_empty() {
                    continue;
                }
                let target = &entries[rng.below(entries.len() as u64) as usize];
                e.target = Some(target.id);
            }
        }
        entries.push(e);
    }
    entries
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

#[test]
fn the_balance_never_counts_a_clip_twice() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..CASES {
        for policy in policies() {
            let ledger = random_ledger(&mut rng, 30);
            let today = day(START) + Duration::days(rng.below(300) as i64);
            let b = balance(&policy, day(START), &ledger, today);
            // Every week earns its clips once: kept or lost to the cap, never both.
            let earning_weeks = b
                .weeks
                .iter()
                .filter(|w| !(w.paused && policy.earn_only_with_home_care))
                .count() as i64;
            let gross: i64 = b.weeks.iter().map(|w| w.earned + w.forfeited).sum();
            assert_eq!(
                gross,
                earning_weeks * i64::from(policy.clips_per_week * policy.clip_minutes),
                "case {case}, policy {}",
                policy.id
            );
            // What is left is what came in less what went out, week by week.
            let mut running = 0;
            for w in &b.weeks {
                running += w.earned + w.adjusted - w.used - w.expired;
                assert_eq!(
                    running, w.end_minutes,
                    "case {case}, {} week {}",
                    policy.id, w.starts_on
                );
            }
            assert_eq!(running, b.available_minutes, "case {case}, {}", policy.id);
            // Each counted use is drawn exactly once.
            let cancelled = naervaer_domain::clips::balance::cancelled_ids(&ledger);
            let drawn: i64 = ledger
                .iter()
                .filter(|e| e.kind == EntryKind::Use && !cancelled.contains(&e.id))
                .map(|e| entry_cost(&policy, e))
                .sum();
            assert_eq!(
                b.weeks.iter().map(|w| w.used).sum::<i64>(),
                drawn,
                "case {case}"
            );
        }
    }
}

#[test]
fn cancelling_a_use_restores_exactly_what_it_took() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for case in 0..CASES {
        for policy in policies() {
            let ledger = random_ledger(&mut rng, 20);
            // After every random entry, and recorded last that day, so that no
            // later entry (an adjustment meeting the cap) depends on it.
            let today = day(START) + Duration::days(281 + rng.below(20) as i64);
            let before = balance(&policy, day(START), &ledger, today);
            let mut use_ = ClipEntry::new(
                EntryKind::Use,
                Uuid::from_u128(1),
                Uuid::from_u128(2),
                Uuid::from_u128(7),
                at(today, 23 * 60),
            );
            use_.at = Some(at(today, 11 * 60));
            use_.minutes = 30 * (1 + rng.below(3) as i32);
            let mut with_use = ledger.clone();
            with_use.push(use_.clone());
            let after_use = balance(&policy, day(START), &with_use, today);
            assert_eq!(
                before.available_minutes - after_use.available_minutes,
                entry_cost(&policy, &use_),
                "case {case}, {}",
                policy.id
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
            assert_eq!(
                balance(&policy, day(START), &with_use, today),
                before,
                "case {case}"
            );
            // Also for a use in the past: everything after it comes back as it was.
            if let Some(past) = ledger.iter().find(|e| {
                e.kind == EntryKind::Use
                    && !naervaer_domain::clips::balance::cancelled_ids(&ledger).contains(&e.id)
            }) {
                let mut undo = ClipEntry::new(
                    EntryKind::Cancel,
                    Uuid::from_u128(1),
                    Uuid::from_u128(2),
                    Uuid::from_u128(9),
                    at(today, 12 * 60),
                );
                undo.target = Some(past.id);
                let without: Vec<ClipEntry> =
                    ledger.iter().filter(|e| e.id != past.id).cloned().collect();
                let mut cancelled = ledger.clone();
                cancelled.push(undo);
                let stripped: Vec<ClipEntry> = without
                    .into_iter()
                    .filter(|e| e.target != Some(past.id))
                    .collect();
                assert_eq!(
                    balance(&policy, day(START), &cancelled, today).available_minutes,
                    balance(&policy, day(START), &stripped, today).available_minutes,
                    "case {case}"
                );
            }
        }
    }
}

#[test]
fn the_saving_cap_is_never_exceeded() {
    let mut rng = Rng(0x94D0_49BB_1331_11EB);
    for case in 0..CASES {
        for policy in policies() {
            let Some(cap) = policy.saving_cap_minutes else {
                continue;
            };
            let ledger = random_ledger(&mut rng, 25);
            let today = day(START) + Duration::days(rng.below(300) as i64);
            let b = balance(&policy, day(START), &ledger, today);
            for w in &b.weeks {
                assert!(
                    w.end_minutes <= i64::from(cap),
                    "case {case}, {}: {w:?}",
                    policy.id
                );
            }
            assert!(b.available_minutes <= i64::from(cap));
        }
    }
}

#[test]
fn the_result_does_not_depend_on_the_order_entries_arrived_in() {
    let mut rng = Rng(0xBF58_476D_1CE4_E5B9);
    for case in 0..CASES {
        for policy in policies() {
            let ledger = random_ledger(&mut rng, 30);
            let today = day(START) + Duration::days(rng.below(300) as i64);
            let expected = balance(&policy, day(START), &ledger, today);
            let mut shuffled = ledger.clone();
            for i in (1..shuffled.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                shuffled.swap(i, j);
            }
            assert_eq!(
                balance(&policy, day(START), &shuffled, today),
                expected,
                "case {case}"
            );
            shuffled.reverse();
            assert_eq!(
                balance(&policy, day(START), &shuffled, today),
                expected,
                "case {case}"
            );
        }
    }
}
