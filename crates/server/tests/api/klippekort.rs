//! Clip cards over HTTP: ledger entries exactly once, the overdraft of two
//! offline tablets, malformed entries rejected by code, and scopes.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{TestServer, rejection_codes};

/// The card (as pulled) of the named citizen, seen by `token`'s user.
async fn card_of(s: &TestServer, token: &str, name: &str) -> Value {
    let all = s.pull_all(token, 1000).await;
    let citizen = all
        .iter()
        .find(|c| c["record"]["kind"] == "citizen" && c["record"]["data"]["name"] == name)
        .map(|c| c["record"]["data"]["id"].clone())
        .expect("citizen");
    // The newest version of the card wins (it is republished when its check changes).
    all.iter()
        .rev()
        .find(|c| {
            c["record"]["kind"] == "clip_card" && c["record"]["data"]["citizen_id"] == citizen
        })
        .map(|c| c["record"]["data"].clone())
        .expect("card")
}

fn entries_of(all: &[Value], card: &Value) -> Vec<Value> {
    all.iter()
        .filter(|c| {
            c["record"]["kind"] == "clip_entry" && c["record"]["data"]["card_id"] == card["id"]
        })
        .map(|c| c["record"]["data"].clone())
        .collect()
}

/// A use of `minutes` on the card, today at 12:00 UTC (13:00 in Copenhagen).
fn use_of(card: &Value, minutes: i64) -> Value {
    let today = chrono::Utc::now().date_naive();
    json!({
        "id": Uuid::new_v4(), "card_id": card["id"], "citizen_id": card["citizen_id"],
        "kind": "use", "at": format!("{today}T12:00:00Z"), "minutes": minutes,
        "purpose": "Spisecafé", "recorded_at": chrono::Utc::now()
    })
}

fn record(seq: u64, entry: &Value) -> Value {
    json!({"seq": seq, "op": "clip.record", "data": entry})
}

#[tokio::test]
async fn the_login_carries_the_configured_clip_policy() {
    let s = TestServer::start().await;
    let (status, body) = s
        .post(
            "/api/v1/session",
            None,
            json!({"username": "anna", "password": "demo"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["clip_policy"]["id"], "furesoe");
    assert_eq!(body["clip_policy"]["saving_cap_minutes"], 240);
}

#[tokio::test]
async fn a_ledger_entry_is_stored_once_however_often_it_is_pushed() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let card = card_of(&s, &anna, "Inger Nielsen").await;
    let before = card["check"]["available_minutes"]
        .as_i64()
        .expect("minutes");
    let entry = use_of(&card, 30);
    let client = Uuid::new_v4();
    for _ in 0..3 {
        let (status, body) = s
            .sync(
                &anna,
                json!({"client_id": client, "cursor": 0, "mutations": [record(1, &entry)]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["acknowledged_seq"], 1);
        assert_eq!(body["rejections"], json!([]));
    }
    // The same entry again from another device login of anna: still once.
    let (_, body) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "cursor": 0, "mutations": [record(1, &entry)]}),
        )
        .await;
    assert_eq!(body["rejections"], json!([]));
    let all = s.pull_all(&anna, 1000).await;
    let stored: Vec<Value> = entries_of(&all, &card)
        .into_iter()
        .filter(|e| e["id"] == entry["id"])
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["author_name"], "Anna Holm");
    let after = card_of(&s, &anna, "Inger Nielsen").await;
    assert_eq!(
        after["check"]["available_minutes"].as_i64(),
        Some(before - 30)
    );
}

#[tokio::test]
async fn two_tablets_using_the_last_clip_offline_overdraw_the_card_and_both_uses_are_kept() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let bo = s.login("bo").await;
    let card = card_of(&s, &anna, "Kaj Andersen").await;
    assert_eq!(card["check"]["available_minutes"], 30, "{card}");
    assert_eq!(card["check"]["overdrawn"], false);
    // Both saw one clip while offline; both pushes arrive afterwards.
    let from_anna = use_of(&card, 30);
    let from_bo = use_of(&card, 30);
    for (token, entry) in [(&anna, &from_anna), (&bo, &from_bo)] {
        let (status, body) = s
            .sync(
                token,
                json!({"client_id": Uuid::new_v4(), "cursor": 0, "mutations": [record(1, entry)]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["acknowledged_seq"], 1);
        assert_eq!(
            body["rejections"],
            json!([]),
            "the time was spent: never rejected"
        );
    }
    let dorte = s.login("dorte").await;
    let card = card_of(&s, &dorte, "Kaj Andersen").await;
    assert_eq!(card["check"]["overdrawn"], true, "{card}");
    assert_eq!(card["check"]["available_minutes"], -30);
    let all = s.pull_all(&dorte, 1000).await;
    let ids: Vec<Value> = entries_of(&all, &card)
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert!(ids.contains(&from_anna["id"]) && ids.contains(&from_bo["id"]));
    // The use that arrived second is the one flagged as overdrawing.
    let flags = card["check"]["flags"].as_array().expect("flags");
    assert!(
        flags
            .iter()
            .any(|f| f["entry_id"] == from_bo["id"] && f["code"] == "overdraws"),
        "{flags:?}"
    );
    // Cancelling one use takes the card out of overdraft again.
    let cancel = json!({
        "id": Uuid::new_v4(), "card_id": card["id"], "citizen_id": card["citizen_id"],
        "kind": "cancel", "target": from_bo["id"], "reason": "Dobbelt registreret",
        "recorded_at": chrono::Utc::now()
    });
    let (_, body) = s
        .sync(
            &dorte,
            json!({"client_id": Uuid::new_v4(), "cursor": 0, "mutations": [record(1, &cancel)]}),
        )
        .await;
    assert_eq!(body["rejections"], json!([]));
    let card = card_of(&s, &dorte, "Kaj Andersen").await;
    assert_eq!(card["check"]["overdrawn"], false);
    assert_eq!(card["check"]["available_minutes"], 0);
}

#[tokio::test]
async fn malformed_entries_are_rejected_each_with_its_code_and_later_ones_still_apply() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let card = card_of(&s, &anna, "Inger Nielsen").await;
    let negative = use_of(&card, -30);
    let mut unknown_card = use_of(&card, 30);
    unknown_card["card_id"] = json!(Uuid::new_v4());
    let cancel_nothing = json!({
        "id": Uuid::new_v4(), "card_id": card["id"], "citizen_id": card["citizen_id"],
        "kind": "cancel", "target": Uuid::new_v4(), "recorded_at": chrono::Utc::now()
    });
    let cancel_without_target = json!({
        "id": Uuid::new_v4(), "card_id": card["id"], "citizen_id": card["citizen_id"],
        "kind": "cancel", "recorded_at": chrono::Utc::now()
    });
    let adjust = json!({
        "id": Uuid::new_v4(), "card_id": card["id"], "citizen_id": card["citizen_id"],
        "kind": "adjust", "minutes": 60, "reason": "Ekstra", "recorded_at": chrono::Utc::now()
    });
    let good = use_of(&card, 30);
    let mutations: Vec<Value> = [
        &negative,
        &unknown_card,
        &cancel_nothing,
        &cancel_without_target,
        &adjust,
        &good,
    ]
    .iter()
    .enumerate()
    .map(|(i, e)| record(i as u64 + 1, e))
    .collect();
    let (status, body) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "cursor": 0, "mutations": mutations}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["acknowledged_seq"], 6);
    let codes = rejection_codes(&body);
    assert_eq!(
        codes,
        vec![
            (1, "negative_minutes".into()),
            (2, "unknown_card".into()),
            (3, "unknown_entry".into()),
            (4, "missing_field".into()),
            (5, "coordinator_only".into()),
        ]
    );
    let all = s.pull_all(&anna, 1000).await;
    assert!(
        entries_of(&all, &card)
            .iter()
            .any(|e| e["id"] == good["id"])
    );
}

#[tokio::test]
async fn cards_are_scoped_like_the_citizen_and_a_citizen_cannot_write_to_her_card() {
    let s = TestServer::start().await;
    let carl = s.login("carl").await;
    let carl_sees = s.pull_all(&carl, 1000).await;
    assert!(
        !carl_sees.iter().any(|c| c["record"]["kind"] == "clip_card"),
        "team Syd has no cards"
    );
    let anna = s.login("anna").await;
    let card = card_of(&s, &anna, "Poul Erik Hansen").await;
    let (_, body) = s
        .sync(&carl, json!({"client_id": Uuid::new_v4(), "cursor": 0, "mutations": [record(1, &use_of(&card, 30))]}))
        .await;
    assert_eq!(body["rejections"][0]["code"], "unknown_citizen");

    let else_ = s.login("else").await;
    let hers = s.pull_all(&else_, 1000).await;
    let own = hers
        .iter()
        .find(|c| c["record"]["kind"] == "citizen")
        .map(|c| c["record"]["data"]["id"].clone())
        .expect("herself");
    let cards: Vec<&Value> = hers
        .iter()
        .filter(|c| c["record"]["kind"] == "clip_card")
        .collect();
    assert!(!cards.is_empty());
    assert!(
        cards
            .iter()
            .all(|c| c["record"]["data"]["citizen_id"] == own)
    );
    assert!(
        hers.iter()
            .filter(|c| c["record"]["kind"] == "clip_entry")
            .all(|c| c["record"]["data"]["citizen_id"] == own)
    );
    // The demo history names who wrote each entry.
    assert!(
        hers.iter()
            .filter(|c| c["record"]["kind"] == "clip_entry")
            .all(|c| !c["record"]["data"]["author_name"]
                .as_str()
                .unwrap_or("")
                .is_empty())
    );
    let her_card = cards[0]["record"]["data"].clone();
    let (_, body) = s
        .sync(&else_, json!({"client_id": Uuid::new_v4(), "cursor": 0, "mutations": [record(1, &use_of(&her_card, 30))]}))
        .await;
    assert_eq!(body["rejections"][0]["code"], "unknown_citizen");
}
