use serde_json::json;
use uuid::Uuid;

use crate::common::{TestServer, note, save};

#[tokio::test]
async fn a_worker_of_team_syd_never_sees_team_nords_citizens_visits_or_notes() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let carl = s.login("carl").await;
    let nord_citizen = s.citizen_of("Nord").await;
    let (_, r) = s
        .sync(&anna, json!({"client_id": Uuid::new_v4(), "mutations": [save(1, note(nord_citizen, "Kun for Nord"))]}))
        .await;
    assert_eq!(r["acknowledged_seq"], 1);

    let carl_sees = s.pull_all(&carl, 1000).await;
    assert!(!carl_sees.is_empty());
    let carl_citizens = s.citizens(&carl).await;
    assert_eq!(carl_citizens.len(), 5);
    assert!(carl_citizens.iter().all(|(_, _, team)| team == "Syd"));
    let syd_ids: Vec<String> = carl_citizens
        .iter()
        .map(|(id, _, _)| id.to_string())
        .collect();
    for change in &carl_sees {
        let data = &change["record"]["data"];
        let citizen = data["citizen_id"]
            .as_str()
            .or(data["id"].as_str())
            .unwrap_or("");
        assert!(syd_ids.iter().any(|id| id == citizen), "carl saw {change}");
    }
    assert!(s.notes_with_text(&carl, "Kun for Nord").await.is_empty());
    assert_eq!(s.notes_with_text(&anna, "Kun for Nord").await.len(), 1);
}

#[tokio::test]
async fn a_worker_cannot_write_for_another_teams_citizen_and_a_citizen_cannot_write_notes() {
    let s = TestServer::start().await;
    let carl = s.login("carl").await;
    let else_ = s.login("else").await;
    let nord_citizen = s.citizen_of("Nord").await;
    for token in [&carl, &else_] {
        let (_, r) = s
            .sync(token, json!({"client_id": Uuid::new_v4(), "mutations": [save(1, note(nord_citizen, "ulovlig"))]}))
            .await;
        assert_eq!(r["acknowledged_seq"], 1);
        assert_eq!(r["rejections"][0]["code"], "unknown_citizen");
    }
    let dorte = s.login("dorte").await;
    assert!(s.notes_with_text(&dorte, "ulovlig").await.is_empty());
}

#[tokio::test]
async fn a_citizen_sees_only_herself() {
    let s = TestServer::start().await;
    let else_ = s.login("else").await;
    let citizens = s.citizens(&else_).await;
    assert_eq!(citizens.len(), 1);
    assert_eq!(citizens[0].1, "Else Marie Jensen");
    let own = citizens[0].0.to_string();
    for change in s.pull_all(&else_, 1000).await {
        let data = &change["record"]["data"];
        let citizen = data["citizen_id"]
            .as_str()
            .or(data["id"].as_str())
            .unwrap_or("");
        assert_eq!(citizen, own, "{change}");
    }
}
