//! Tests of `catalogue.rs`.

use super::*;

fn filled() -> Fields {
    Fields {
        title: "Spisecafé".into(),
        place: "Aktivitetscentret".into(),
        ..Fields::of(None)
    }
}

#[test]
fn a_new_weekly_activity_is_made_from_the_fields() {
    let id = Uuid::from_u128(5);
    let activity = checked_activity(&filled(), None, id).expect("valid fields");
    assert_eq!((activity.id, activity.activity_id), (id, id));
    assert_eq!(activity.title, "Spisecafé");
    assert!(matches!(
        activity.schedule,
        Schedule::Weekly { weekday: 1, .. }
    ));
}

#[test]
fn fields_that_cannot_be_saved_say_why() {
    let id = Uuid::from_u128(5);
    let no_title = Fields {
        title: " ".into(),
        ..filled()
    };
    let why = checked_activity(&no_title, None, id).expect_err("no title");
    assert_eq!(why.text(Locale::da), "Skriv en titel.");
    let no_time = Fields {
        start: "kl. to".into(),
        ..filled()
    };
    let why = checked_activity(&no_time, None, id).expect_err("no start time");
    assert_eq!(
        why.text(Locale::da),
        "Vælg dato, ugedag og tider; pladser skal være et tal."
    );
    let backwards = Fields {
        start: "16:00".into(),
        end: "14:00".into(),
        ..filled()
    };
    let why = checked_activity(&backwards, None, id).expect_err("ends before it starts");
    assert_eq!(
        why.text(Locale::en),
        td_string!(Locale::en, activity_problem.times)
    );
}
