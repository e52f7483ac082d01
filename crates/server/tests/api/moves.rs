//! Citizens and care workers moving between teams: the feed follows who
//! belongs where now.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{TestServer, note, rejection_codes, save};

/// A device that pulls page by page and remembers its cursor.
struct Puller {
    client: Uuid,
    cursor: u64,
    tag: u64,
}

impl Puller {
    fn new() -> Puller {
        Puller {
            client: Uuid::new_v4(),
            cursor: 0,
            tag: 0,
        }
    }

    /// Every change after the cursor, and the last answer.
    async fn pull(&mut self, s: &TestServer, token: &str) -> (Vec<Value>, Value) {
        let mut all = Vec::new();
        loop {
            let (status, answer) = s
                .sync(
                    token,
                    json!({"client_id": self.client, "cursor": self.cursor,
                           "cursor_tag": self.tag, "limit": 1000}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{answer}");
            all.extend(answer["changes"].as_array().expect("changes").clone());
            self.cursor = answer["next_cursor"].as_u64().expect("cursor");
            self.tag = answer["cursor_tag"].as_u64().expect("tag");
            if answer["more"] != json!(true) {
                return (all, answer);
            }
        }
    }
}

fn of_citizen(changes: &[Value], citizen: Uuid) -> Vec<&Value> {
    let id = citizen.to_string();
    changes
        .iter()
        .filter(|c| {
            let data = &c["record"]["data"];
            data["citizen_id"] == json!(id)
                || (c["record"]["kind"] == "citizen" && data["id"] == json!(id))
        })
        .collect()
}

#[tokio::test]
async fn a_moved_citizen_leaves_the_old_teams_feed_and_her_history_reaches_the_new_team() {
    let s = TestServer::start().await;
    let (anna, carl, dorte) = (
        s.login("anna").await,
        s.login("carl").await,
        s.login("dorte").await,
    );
    let citizen = s.citizen_of("Nord").await;
    let (_, written) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, note(citizen, "Før flytningen"))]}),
        )
        .await;
    assert_eq!(written["rejections"], json!([]));
    // Both teams' devices are up to date before the move.
    let (mut nord_device, mut syd_device) = (Puller::new(), Puller::new());
    let (nord_before, _) = nord_device.pull(&s, &anna).await;
    assert!(!of_citizen(&nord_before, citizen).is_empty());
    let (syd_before, _) = syd_device.pull(&s, &carl).await;
    assert!(of_citizen(&syd_before, citizen).is_empty());

    let (status, moved) = s
        .post(
            "/api/v1/admin/citizen-team",
            Some(&dorte),
            json!({"citizen_id": citizen, "team": "Syd"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["from"], "Nord");
    assert!(moved["republished"].as_u64().expect("count") > 1, "{moved}");

    // The Nord device hears only that she is in Syd now (and forgets her).
    let (nord_after, _) = nord_device.pull(&s, &anna).await;
    let told = of_citizen(&nord_after, citizen);
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["record"]["kind"], "citizen");
    assert_eq!(told[0]["record"]["data"]["team"], "Syd");
    // Neither her name nor her address: Nord keeps that notice for every
    // device it ever gets.
    assert_eq!(told[0]["record"]["data"]["name"], "", "{told:?}");
    assert_eq!(told[0]["record"]["data"]["address"], "", "{told:?}");
    // A new Nord device gets nothing of hers but that.
    let (fresh_nord, _) = Puller::new().pull(&s, &anna).await;
    assert!(
        of_citizen(&fresh_nord, citizen)
            .iter()
            .all(|c| c["record"]["data"]["team"] == "Syd" && c["record"]["data"]["name"] == ""),
        "a new Nord device got her history"
    );
    // The Syd device that had synced past her history gets it now.
    let (syd_after, _) = syd_device.pull(&s, &carl).await;
    let hers = of_citizen(&syd_after, citizen);
    assert!(
        hers.iter()
            .any(|c| c["record"]["data"]["text"] == "Før flytningen"),
        "her note did not reach team Syd"
    );
    assert!(hers.iter().any(|c| c["record"]["kind"] == "clip_card"));
    // Writes follow her: Syd may write for her, Nord may not.
    let (_, carl_wrote) = s
        .sync(
            &carl,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, note(citizen, "Hos Syd"))]}),
        )
        .await;
    assert_eq!(carl_wrote["rejections"], json!([]));
    let (_, anna_wrote) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, note(citizen, "Fra Nord"))]}),
        )
        .await;
    assert_eq!(
        rejection_codes(&anna_wrote),
        vec![(1, "unknown_citizen".to_string())]
    );
}

#[tokio::test]
async fn a_moved_worker_sees_the_new_team_from_the_next_sync() {
    let s = TestServer::start().await;
    let (bo, dorte) = (s.login("bo").await, s.login("dorte").await);
    let (_, before) = s.sync(&bo, json!({"client_id": Uuid::new_v4()})).await;
    assert_eq!(before["scope"], "team:Nord");
    let (status, moved) = s
        .post(
            "/api/v1/admin/worker-team",
            Some(&dorte),
            json!({"username": "bo", "team": "Syd"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    let (_, after) = s.sync(&bo, json!({"client_id": Uuid::new_v4()})).await;
    assert_eq!(after["scope"], "team:Syd");
    let teams: Vec<String> = s
        .citizens(&bo)
        .await
        .into_iter()
        .map(|(_, _, t)| t)
        .collect();
    assert!(
        !teams.is_empty() && teams.iter().all(|t| t == "Syd"),
        "{teams:?}"
    );
    let (_, workers) = s.get_with("/api/v1/admin/workers", &dorte).await;
    let bo_now = workers
        .as_array()
        .expect("workers")
        .iter()
        .find(|w| w["username"] == "bo")
        .cloned();
    assert_eq!(bo_now.map(|w| w["team"].clone()), Some(json!("Syd")));
}

#[tokio::test]
async fn only_a_coordinator_moves_and_bad_moves_get_clear_errors() {
    let s = TestServer::start().await;
    let (anna, dorte) = (s.login("anna").await, s.login("dorte").await);
    let citizen = s.citizen_of("Nord").await;
    let body = json!({"citizen_id": citizen, "team": "Syd"});
    let (status, answer) = s
        .post("/api/v1/admin/citizen-team", Some(&anna), body)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let (status, _) = s.get_with("/api/v1/admin/workers", &anna).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let cases = [
        (
            "/api/v1/admin/citizen-team",
            json!({"citizen_id": Uuid::new_v4(), "team": "Syd"}),
            StatusCode::NOT_FOUND,
            "unknown_citizen",
        ),
        (
            "/api/v1/admin/citizen-team",
            json!({"citizen_id": citizen, "team": "  "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_team",
        ),
        (
            "/api/v1/admin/citizen-team",
            json!({"citizen_id": citizen, "team": "Nord\u{200b}"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_team",
        ),
        (
            "/api/v1/admin/worker-team",
            json!({"username": "bo", "team": "Sy\u{7}d"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_team",
        ),
        (
            "/api/v1/admin/worker-team",
            json!({"username": "else", "team": "Syd"}),
            StatusCode::NOT_FOUND,
            "unknown_worker",
        ),
        (
            "/api/v1/admin/worker-team",
            json!({"username": "bo"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
    ];
    for (path, body, status, code) in cases {
        let (got, answer) = s.post(path, Some(&dorte), body).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_team_named_but_for_case_and_spaces_is_the_team_already_there() {
    let s = TestServer::start().await;
    let dorte = s.login("dorte").await;
    let citizen = s.citizen_of("Nord").await;
    let (status, moved) = s
        .post(
            "/api/v1/admin/citizen-team",
            Some(&dorte),
            json!({"citizen_id": citizen, "team": " syd "}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["to"], "Syd");
    let carl = s.login("carl").await;
    assert!(
        s.citizens(&carl)
            .await
            .iter()
            .any(|(id, _, _)| *id == citizen),
        "team Syd does not see her"
    );
    // A name no team has starts a new team, spaces evened out.
    let (status, moved) = s
        .post(
            "/api/v1/admin/worker-team",
            Some(&dorte),
            json!({"username": "bo", "team": "Vest  Køge"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["to"], "Vest Køge");
}
