//! Tests of `clip_form.rs`.

use super::*;

fn card() -> ClipCard {
    ClipCard {
        id: uuid::Uuid::from_u128(1),
        citizen_id: uuid::Uuid::from_u128(2),
        policy_id: "furesoe".into(),
        starts_on: parse_date("2026-01-05").unwrap(),
        check: Default::default(),
    }
}

fn anna() -> User {
    User {
        id: uuid::Uuid::from_u128(3),
        username: "anna".into(),
        name: "Anna Holm".into(),
        role: Role::Worker,
        team: Some("Nord".into()),
        citizen_id: None,
    }
}

fn fields(kind: &str) -> Fields {
    Fields {
        kind: kind.into(),
        purpose: " Spisecafé ".into(),
        date: "2026-11-24".into(),
        time: "12:00".into(),
        helpers: "2".into(),
        transport: "15".into(),
        weeks: "2".into(),
        ..Fields::default()
    }
}

#[test]
fn a_use_takes_one_clip_when_no_minutes_are_given() {
    let e = entry_from(&fields("use"), &card(), &anna(), 30);
    assert_eq!(
        (e.kind, e.minutes, e.helpers, e.transport_minutes),
        (EntryKind::Use, 30, 2, 15)
    );
    assert_eq!(e.purpose, "Spisecafé");
    assert_eq!(e.author_name, "Anna Holm");
    assert_eq!(problem(&e).map(|n| n.text(Locale::da)), None);
}

#[test]
fn each_kind_reads_only_its_fields_and_names_what_is_missing() {
    let pause = entry_from(&fields("pause"), &card(), &anna(), 30);
    assert_eq!(
        (pause.kind, pause.pause_weeks, pause.at, pause.minutes),
        (EntryKind::Pause, 2, None, 0)
    );
    assert_eq!(pause.pause_from, parse_date("2026-11-24"));
    let mut f = fields("adjust");
    f.minutes = "-60".into();
    let adjust = entry_from(&f, &card(), &anna(), 30);
    assert_eq!((adjust.minutes, adjust.at), (-60, None));
    assert_eq!(
        problem(&adjust).map(|n| n.text(Locale::da)).as_deref(),
        Some("Skriv minutter (+ giver, − tager) og en begrundelse.")
    );
    let mut f = fields("plan");
    f.purpose = " ".into();
    assert_eq!(
        problem(&entry_from(&f, &card(), &anna(), 30))
            .map(|n| n.text(Locale::en))
            .as_deref(),
        Some("Write what the time is for.")
    );
    let mut f = fields("use");
    f.transport = "x".into();
    assert!(problem(&entry_from(&f, &card(), &anna(), 30)).is_some());
}

#[test]
fn a_plan_that_breaks_a_rule_is_refused_unless_a_coordinator_gives_a_reason() {
    let plan = entry_from(&fields("plan"), &card(), &anna(), 30);
    let breaks = [Breach::OutsideHours];
    let Verdict::Refuse(why) = verdict(plan.clone(), &breaks, false, false) else {
        panic!("a worker's plan that breaks a rule was not refused");
    };
    assert!(
        why.text(Locale::en).starts_with("The plan breaks"),
        "{}",
        why.text(Locale::en)
    );
    assert!(matches!(
        verdict(plan.clone(), &breaks, true, false),
        Verdict::Refuse(_)
    ));
    let mut excused = plan;
    excused.reason = "Aftalt med lederen".into();
    let Verdict::Save(saved) = verdict(excused, &breaks, true, false) else {
        panic!("a coordinator's plan with a reason was not saved");
    };
    assert_eq!(saved.reason, "Aftalt med lederen");
}

#[test]
fn time_spent_that_breaks_a_rule_is_saved_after_the_user_was_asked() {
    let spent = entry_from(&fields("use"), &card(), &anna(), 30);
    let breaks = [Breach::ShortNotice(7)];
    assert!(matches!(
        verdict(spent.clone(), &breaks, false, false),
        Verdict::Confirm
    ));
    assert!(matches!(
        verdict(spent.clone(), &breaks, false, true),
        Verdict::Save(_)
    ));
    assert!(matches!(
        verdict(spent, &[], false, false),
        Verdict::Save(_)
    ));
}

#[test]
fn a_workers_reason_is_not_kept_on_time_spent() {
    let mut f = fields("use");
    f.reason = "fordi".into();
    let Verdict::Save(saved) = verdict(entry_from(&f, &card(), &anna(), 30), &[], false, false)
    else {
        panic!("a valid use was not saved");
    };
    assert_eq!(saved.reason, "");
    let mut blank = fields("plan");
    blank.purpose = String::new();
    assert!(matches!(
        verdict(entry_from(&blank, &card(), &anna(), 30), &[], true, true),
        Verdict::Refuse(_)
    ));
}

#[test]
fn a_new_use_starts_today_at_the_quarter_hour_just_passed_in_copenhagen() {
    // 22:52 UTC on 24 November is 23:52 in Copenhagen; 23:07 UTC is already the 25th.
    let late = chrono::DateTime::parse_from_rfc3339("2026-11-24T22:52:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let fields = initial_fields(late);
    assert_eq!(
        (fields.date.as_str(), fields.time.as_str()),
        ("2026-11-24", "23:45")
    );
    assert_eq!(
        (fields.kind.as_str(), fields.helpers.as_str()),
        ("use", "1")
    );
    let after_midnight = late + chrono::Duration::minutes(15);
    assert_eq!(initial_fields(after_midnight).date, "2026-11-25");
    assert_eq!(initial_fields(after_midnight).time, "00:00");
}
