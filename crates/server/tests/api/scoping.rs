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
        if change["record"]["kind"] == "activity" {
            continue; // the catalogue is for everyone
        }
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
async fn an_id_of_another_teams_record_tells_an_outsider_nothing() {
    let s = TestServer::start().await;
    let (anna, carl, else_) = (
        s.login("anna").await,
        s.login("carl").await,
        s.login("else").await,
    );
    let syd_citizen = s.citizen_of("Syd").await;
    let carls = note(syd_citizen, "Carls note");
    let (_, r) = s
        .sync(
            &carl,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, carls.clone())]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    // Someone outside team Syd sends a note under carl's id, and one under
    // an id nobody used: both are told the same (not "duplicate_id").
    let mut taken = note(syd_citizen, "Gæt");
    taken["id"] = carls["id"].clone();
    taken["note_id"] = carls["id"].clone();
    let fresh = note(syd_citizen, "Gæt");
    for token in [&anna, &else_] {
        let (_, r) = s
            .sync(
                token,
                json!({"client_id": Uuid::new_v4(),
                "mutations": [save(1, taken.clone()), save(2, fresh.clone())]}),
            )
            .await;
        assert_eq!(
            crate::common::rejection_codes(&r),
            vec![
                (1, "unknown_citizen".to_string()),
                (2, "unknown_citizen".to_string())
            ],
            "{r}"
        );
    }
    // Carl himself, from a second login, is told his id is taken.
    let (_, r) = s
        .sync(
            &carl,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, taken)]}),
        )
        .await;
    assert_eq!(r["rejections"][0]["code"], "duplicate_id", "{r}");
}

#[tokio::test]
async fn a_citizens_sync_returns_only_her_own_data_of_every_kind() {
    let s = TestServer::start().await;
    let else_ = s.login("else").await;
    let citizens = s.citizens(&else_).await;
    assert_eq!(citizens.len(), 1);
    assert_eq!(citizens[0].1, "Else Marie Jensen");
    let own = citizens[0].0;
    // Notes about her and about a neighbour, so both exist.
    let anna = s.login("anna").await;
    let other = s
        .citizens(&anna)
        .await
        .into_iter()
        .find(|(id, _, _)| *id != own)
        .map(|(id, _, _)| id)
        .expect("another citizen");
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [
            save(1, note(own, "Om Else")), save(2, note(other, "Om naboen"))]}),
        )
        .await;
    assert_eq!(r["acknowledged_seq"], 2);

    let mut kinds = std::collections::BTreeSet::new();
    for change in s.pull_all(&else_, 1000).await {
        let kind = change["record"]["kind"].as_str().unwrap_or("").to_string();
        let data = &change["record"]["data"];
        if kind == "activity" {
            // The catalogue is public and names no citizen.
            assert!(data.get("citizen_id").is_none(), "{change}");
        } else {
            let citizen = data["citizen_id"]
                .as_str()
                .or(data["id"].as_str())
                .unwrap_or("");
            assert_eq!(citizen, own.to_string(), "{change}");
        }
        kinds.insert(kind);
    }
    // Every kind the server has reached her, so the check above covered each.
    for kind in [
        "citizen",
        "visit",
        "note",
        "loneliness",
        "clip_card",
        "clip_entry",
        "activity",
        "booking",
    ] {
        assert!(kinds.contains(kind), "no {kind} for else: {kinds:?}");
    }
    // The same data exists for others: the coordinator sees bookings of several citizens.
    let dorte = s.login("dorte").await;
    let booked: std::collections::BTreeSet<String> = s
        .pull_all(&dorte, 1000)
        .await
        .into_iter()
        .filter(|c| c["record"]["kind"] == "booking")
        .map(|c| {
            c["record"]["data"]["citizen_id"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(booked.len() >= 3, "{booked:?}");
}
