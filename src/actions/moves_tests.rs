//! Tests of `moves.rs`.

use super::*;

fn worker(team: Option<&str>) -> Worker {
    Worker {
        username: "x".into(),
        name: "X".into(),
        team: team.map(str::to_string),
    }
}

#[test]
fn known_teams_come_once_each_sorted_from_citizens_and_workers() {
    let teams = known_teams(
        ["Syd", "Nord", "Syd"].into_iter().map(String::from),
        &[worker(Some("Vest")), worker(None), worker(Some("Nord"))],
    );
    assert_eq!(teams, ["Nord", "Syd", "Vest"]);
}

#[test]
fn a_failed_move_says_why_in_the_language_shown() {
    let offline = failed(HttpError::Offline);
    assert!(
        offline
            .text(crate::i18n::Locale::da)
            .starts_with("Flytning kræver forbindelse")
    );
    let refused = failed(HttpError::Status {
        status: 422,
        code: "bad_team".into(),
        message: "team name".into(),
    });
    assert_eq!(
        refused.text(crate::i18n::Locale::da),
        "Flytningen lykkedes ikke: Serveren svarede 422: team name"
    );
    assert!(
        refused
            .text(crate::i18n::Locale::en)
            .starts_with("The move did not succeed: The server answered 422")
    );
}
