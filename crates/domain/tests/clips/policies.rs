//! Dated scenarios for each shipped policy, taken from its published rules.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

use naervaer_domain::clips::*;
use naervaer_domain::time::from_copenhagen;

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn local(s: &str) -> DateTime<Utc> {
    from_copenhagen(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

fn policy(id: &str) -> ClipPolicy {
    ClipPolicy::shipped(id).unwrap().unwrap()
}

/// A plan or use of `minutes` at a Copenhagen time, made at `made`.
pub fn spend(kind: EntryKind, n: u128, at: &str, minutes: i32, made: &str) -> ClipEntry {
    let mut e = ClipEntry::new(
        kind,
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(n),
        local(made),
    );
    e.at = Some(local(at));
    e.minutes = minutes;
    e.purpose = "Tur i byen".into();
    e
}

pub fn cancel(n: u128, target: u128, made: &str) -> ClipEntry {
    let mut e = ClipEntry::new(
        EntryKind::Cancel,
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(n),
        local(made),
    );
    e.target = Some(Uuid::from_u128(target));
    e
}

fn available(p: &ClipPolicy, start: &str, ledger: &[ClipEntry], on: &str) -> i64 {
    balance(p, day(start), ledger, day(on)).available_minutes
}

#[test]
fn nyborg_saves_four_hours_over_eight_weeks_oldest_first_and_loses_them_at_year_end() {
    let p = policy("nyborg");
    // Eight Mondays from 5 January: 4 hours, the published maximum.
    let b = balance(&p, day("2026-01-05"), &[], day("2026-03-01"));
    assert_eq!(b.available_minutes, 240);
    assert_eq!(b.clips(b.available_minutes), 8);
    assert_eq!(
        b.next_expiry,
        Some(Expiry {
            on: day("2026-03-02"),
            minutes: 30
        })
    );
    // The ninth Monday: the oldest half hour goes as the new one comes.
    assert_eq!(available(&p, "2026-01-05", &[], "2026-03-02"), 240);
    // One hour used on 4 February takes the two oldest clips (5 and 12
    // January), so nothing is lost on 2 March: 240 − 60 + 30 = 210. Newest
    // first would have lost the 5 January clip and left 180.
    let used = [spend(
        EntryKind::Use,
        10,
        "2026-02-04 11:00",
        60,
        "2026-02-04 12:00",
    )];
    assert_eq!(available(&p, "2026-01-05", &used, "2026-03-01"), 180);
    assert_eq!(available(&p, "2026-01-05", &used, "2026-03-02"), 210);
    // Saved time does not pass into the new year.
    assert_eq!(available(&p, "2026-11-02", &[], "2026-12-31"), 240);
    assert_eq!(available(&p, "2026-11-02", &[], "2027-01-01"), 0);
    assert_eq!(available(&p, "2026-11-02", &[], "2027-01-04"), 30);
    // Weekdays from 10, over before 15.
    assert!(within_hours(&p, local("2026-11-24 14:30"), 30));
    assert!(!within_hours(&p, local("2026-11-24 14:45"), 30));
    assert!(!within_hours(&p, local("2026-11-24 09:30"), 30));
    assert!(!within_hours(&p, local("2026-11-28 11:00"), 30));
}

#[test]
fn haderslev_caps_three_hours_over_six_weeks_and_asks_seven_or_fourteen_days_notice() {
    let p = policy("haderslev");
    assert_eq!(available(&p, "2026-09-07", &[], "2026-10-18"), 180);
    assert_eq!(available(&p, "2026-09-07", &[], "2026-10-19"), 180);
    // A coordinator's extra hour on top of a full card is lost to the cap.
    let mut extra = ClipEntry::new(
        EntryKind::Adjust,
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(5),
        local("2026-10-18 09:00"),
    );
    extra.minutes = 60;
    extra.reason = "Aflyst besøg".into();
    let b = balance(&p, day("2026-09-07"), &[extra], day("2026-10-18"));
    assert_eq!(b.available_minutes, 180);
    assert_eq!(b.weeks.iter().map(|w| w.end_minutes).max(), Some(180));
    // Notice: 7 days for one clip, 14 for several.
    let ledger: Vec<ClipEntry> = Vec::new();
    let start = day("2026-09-07");
    let made = "2026-11-02 09:00";
    let one_ok = spend(EntryKind::Plan, 20, "2026-11-09 10:00", 30, made);
    assert_eq!(check(&p, start, &ledger, &one_ok, local(made)), vec![]);
    let one_late = spend(EntryKind::Plan, 21, "2026-11-08 10:00", 30, made);
    assert_eq!(
        check(&p, start, &ledger, &one_late, local(made)),
        vec![Breach::ShortNotice(7)]
    );
    let two_late = spend(EntryKind::Plan, 22, "2026-11-09 10:00", 60, made);
    assert_eq!(
        check(&p, start, &ledger, &two_late, local(made)),
        vec![Breach::ShortNotice(14)]
    );
    let two_ok = spend(EntryKind::Plan, 23, "2026-11-16 10:00", 60, made);
    assert_eq!(check(&p, start, &ledger, &two_ok, local(made)), vec![]);
}

#[test]
fn viborg_saves_up_to_six_hours_and_two_helpers_cost_double() {
    let p = policy("viborg");
    assert_eq!(available(&p, "2026-01-05", &[], "2026-02-15"), 360);
    // The cap holds: four more weeks earn nothing more.
    let b = balance(&p, day("2026-01-05"), &[], day("2026-03-15"));
    assert_eq!(b.available_minutes, 360);
    assert_eq!(b.weeks.iter().map(|w| w.forfeited).sum::<i64>(), 240);
    assert_eq!(b.next_expiry, None);
    // One hour with two helpers costs two clips.
    let mut two = spend(
        EntryKind::Use,
        30,
        "2026-02-18 10:00",
        60,
        "2026-02-18 12:00",
    );
    two.helpers = 2;
    assert_eq!(entry_cost(&p, &two), 120);
    assert_eq!(available(&p, "2026-01-05", &[two], "2026-02-22"), 240);
    // Weekdays 9:30–15:30; a week's notice.
    assert!(within_hours(&p, local("2026-11-24 09:30"), 60));
    assert!(!within_hours(&p, local("2026-11-24 15:00"), 60));
    let made = "2026-11-23 09:00";
    let plan = spend(EntryKind::Plan, 31, "2026-11-26 10:00", 60, made);
    assert_eq!(
        check(&p, day("2026-01-05"), &[], &plan, local(made)),
        vec![Breach::ShortNotice(7)]
    );
}

#[test]
fn furesoe_earns_only_in_weeks_with_home_care_and_asks_a_month_for_saved_time() {
    let p = policy("furesoe");
    let mut pause = ClipEntry::new(
        EntryKind::Pause,
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(40),
        local("2026-01-19 08:00"),
    );
    pause.pause_from = Some(day("2026-01-20"));
    pause.pause_weeks = 2;
    pause.reason = "Indlagt".into();
    // Weeks of 5 and 12 January earn; 19 and 26 January are in hospital.
    let b = balance(&p, day("2026-01-05"), &[pause.clone()], day("2026-02-01"));
    assert_eq!(b.available_minutes, 60);
    assert_eq!(b.weeks.iter().filter(|w| w.paused).count(), 2);
    // A cancelled pause earns as usual.
    let undone = [pause, cancel(41, 40, "2026-01-21 08:00")];
    assert_eq!(available(&p, "2026-01-05", &undone, "2026-02-01"), 120);
    // Four hours over eight weeks at most.
    assert_eq!(available(&p, "2026-01-05", &[], "2026-06-01"), 240);
    // Saved time (several clips) is agreed a month ahead; one clip needs no notice.
    let made = "2026-03-02 09:00";
    let start = day("2026-01-05");
    let saved = spend(EntryKind::Plan, 42, "2026-03-20 12:00", 120, made);
    assert_eq!(
        check(&p, start, &[], &saved, local(made)),
        vec![Breach::ShortNotice(30)]
    );
    let ahead = spend(EntryKind::Plan, 43, "2026-04-06 12:00", 120, made);
    assert_eq!(check(&p, start, &[], &ahead, local(made)), vec![]);
    let early = spend(EntryKind::Plan, 44, "2026-03-03 10:30", 30, made);
    assert_eq!(
        check(&p, start, &[], &early, local(made)),
        vec![Breach::OutsideHours]
    );
}

#[test]
fn faxe_baseline_saves_without_a_cap_and_an_overdraft_is_repaid_by_the_next_clip() {
    let p = policy("faxe");
    assert_eq!(available(&p, "2026-01-05", &[], "2026-12-27"), 51 * 30);
    // Two tablets each use the last clip: −30, overdrawn.
    let both = [
        spend(
            EntryKind::Use,
            50,
            "2026-11-17 11:00",
            30,
            "2026-11-17 12:00",
        ),
        spend(
            EntryKind::Use,
            51,
            "2026-11-17 13:00",
            30,
            "2026-11-17 14:00",
        ),
    ];
    let b = balance(&p, day("2026-11-16"), &both, day("2026-11-17"));
    assert_eq!(b.available_minutes, -30);
    assert!(b.overdrawn());
    assert_eq!(b.clips(b.available_minutes), -1);
    // Next Monday's clip pays the debt first.
    assert_eq!(available(&p, "2026-11-16", &both, "2026-11-23"), 0);
    // 45 minutes is not a whole number of 30-minute clips.
    let odd = spend(
        EntryKind::Plan,
        52,
        "2026-12-01 11:00",
        45,
        "2026-11-17 12:00",
    );
    assert_eq!(
        check(&p, day("2026-01-05"), &[], &odd, local("2026-11-17 12:00")),
        vec![Breach::NotWholeClips]
    );
}

#[test]
fn a_plan_reserves_and_the_use_converting_it_draws_once() {
    let p = policy("faxe");
    let plan = spend(
        EntryKind::Plan,
        60,
        "2026-11-20 11:00",
        60,
        "2026-11-17 09:00",
    );
    let b = balance(
        &p,
        day("2026-11-02"),
        std::slice::from_ref(&plan),
        day("2026-11-17"),
    );
    assert_eq!(
        (b.available_minutes, b.reserved_minutes, b.free_minutes()),
        (90, 60, 30)
    );
    // A second plan of an hour would overdraw what is free.
    let other = spend(
        EntryKind::Plan,
        61,
        "2026-11-21 11:00",
        60,
        "2026-11-17 09:00",
    );
    assert_eq!(
        check(
            &p,
            day("2026-11-02"),
            std::slice::from_ref(&plan),
            &other,
            local("2026-11-17 09:00")
        ),
        vec![Breach::Overdraws(30)]
    );
    // The use converting the plan fits: its own reservation is freed.
    let mut done = spend(
        EntryKind::Use,
        62,
        "2026-11-20 11:00",
        60,
        "2026-11-20 13:00",
    );
    done.target = Some(plan.id);
    assert_eq!(
        check(
            &p,
            day("2026-11-02"),
            std::slice::from_ref(&plan),
            &done,
            local("2026-11-20 13:00")
        ),
        vec![]
    );
    let b = balance(&p, day("2026-11-02"), &[plan, done], day("2026-11-20"));
    assert_eq!((b.available_minutes, b.reserved_minutes), (30, 0));
}

#[test]
fn a_use_recorded_after_it_happened_needs_no_notice_where_none_is_asked() {
    let p = policy("furesoe");
    let late = spend(
        EntryKind::Use,
        70,
        "2026-11-20 12:00",
        30,
        "2026-11-22 18:00",
    );
    assert_eq!(
        check(&p, day("2026-01-05"), &[], &late, local("2026-11-22 18:00")),
        vec![]
    );
    // Haderslev asks a week for one clip: an unplanned use is flagged.
    let p = policy("haderslev");
    assert_eq!(
        check(&p, day("2026-01-05"), &[], &late, local("2026-11-22 18:00")),
        vec![Breach::ShortNotice(7)]
    );
}
