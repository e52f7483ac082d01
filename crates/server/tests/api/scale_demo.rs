//! The municipality-scale demo: the size promised in the README, and a
//! team's working set as a worker's device pulls it.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestServer;

#[tokio::test]
async fn the_municipality_demo_has_600_citizens_in_5_teams_and_a_team_set_of_about_20000() {
    let server = TestServer::start_municipality().await;
    // A generated worker of team Øst logs in like anyone.
    let oest = server.login("oest07").await;
    let seen = server.pull_all(&oest, 1000).await;
    let kind = |k: &str| seen.iter().filter(|c| c["record"]["kind"] == k).count();
    assert_eq!(kind("citizen"), 120, "one team's citizens");
    let set = seen.len();
    assert!(
        (17_000..=23_000).contains(&set),
        "a team's working set is about 20,000 records (was {set})"
    );
    assert!(kind("note") > 10_000 && kind("visit") > 3_000 && kind("loneliness") >= 600);
    assert!(kind("clip_entry") > 0 && kind("booking") > 0);
    // The coordinator sees all five teams.
    let dorte = server.login("dorte").await;
    let citizens = server
        .pull_all(&dorte, 1000)
        .await
        .iter()
        .filter(|c| c["record"]["kind"] == "citizen")
        .count();
    assert_eq!(citizens, 600);
    // 80 care workers: the last of each team exists, one more does not.
    for user in [
        "anna", "bo", "nord16", "carl", "syd16", "oest16", "vest16", "midt16",
    ] {
        server.login(user).await;
    }
    let (status, _) = server
        .post(
            "/api/v1/session",
            None,
            json!({"username": "midt17", "password": "demo"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_login_answer_carries_the_retention_setting() {
    let server = TestServer::start().await;
    let (status, body) = server
        .post(
            "/api/v1/session",
            None,
            json!({"username": "anna", "password": "demo"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["retention"],
        json!({"history_days": 90, "past_visit_days": 14, "sent_log_days": 30})
    );
}
