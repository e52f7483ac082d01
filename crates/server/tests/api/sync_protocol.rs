use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::common::{TestServer, note, rejection_codes, save};

#[tokio::test]
async fn a_pushed_note_is_stored_and_a_repeated_push_does_not_duplicate_it() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let body =
        json!({"client_id": client, "mutations": [save(1, note(citizen, "Spiste godt i dag"))]});

    let (status, first) = s.sync(&anna, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["acknowledged_seq"], 1);
    assert_eq!(first["rejections"], json!([]));

    // The answer was lost; the device pushes the same batch again.
    let (status, again) = s.sync(&anna, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["acknowledged_seq"], 1);

    let stored = s.notes_with_text(&anna, "Spiste godt i dag").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["record"]["data"]["author_name"], "Anna Holm");
}

#[tokio::test]
async fn a_gap_stops_the_batch_and_the_missing_one_then_lets_it_through() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [save(1, note(citizen, "en"))]}),
        )
        .await;
    assert_eq!(r["acknowledged_seq"], 1);

    let (status, r) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [
            save(3, note(citizen, "tre")), save(4, note(citizen, "fire"))]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["acknowledged_seq"], 1);
    assert_eq!(r["gap"], json!({"expected": 2, "got": 3}));
    assert!(s.notes_with_text(&anna, "tre").await.is_empty());

    let (_, r) = s
        .sync(&anna, json!({"client_id": client, "mutations": [
            save(2, note(citizen, "to")), save(3, note(citizen, "tre")), save(4, note(citizen, "fire"))]}))
        .await;
    assert_eq!(r["acknowledged_seq"], 4);
    assert_eq!(r["gap"], json!(null));
    for text in ["en", "to", "tre", "fire"] {
        assert_eq!(s.notes_with_text(&anna, text).await.len(), 1, "{text}");
    }
}

#[tokio::test]
async fn an_invalid_mutation_is_rejected_on_its_own_and_the_rest_apply() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let body = json!({"client_id": client, "mutations": [
        save(1, note(citizen, "før")),
        save(2, note(citizen, "   ")),
        {"seq": 3, "op": "note.shred", "data": {}},
        {"seq": 4, "op": "note.save", "data": {"text": 7}},
        save(5, note(Uuid::new_v4(), "ukendt borger")),
        save(6, note(citizen, "efter")),
    ]});
    let (status, r) = s.sync(&anna, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["acknowledged_seq"], 6);
    let codes = rejection_codes(&r);
    assert_eq!(
        codes,
        vec![
            (2, "empty_field".to_string()),
            (3, "unknown_op".to_string()),
            (4, "bad_data".to_string()),
            (5, "unknown_citizen".to_string()),
        ]
    );
    assert!(
        r["rejections"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(s.notes_with_text(&anna, "før").await.len(), 1);
    assert_eq!(s.notes_with_text(&anna, "efter").await.len(), 1);

    // Pushed again (the answer was lost): the same rejections come back, nothing more is stored.
    let (_, again) = s.sync(&anna, body).await;
    assert_eq!(again["rejections"], r["rejections"]);
    assert_eq!(s.notes_with_text(&anna, "efter").await.len(), 1);
}

#[tokio::test]
async fn an_edit_is_a_new_revision_and_two_edits_of_one_revision_are_both_kept() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let bo = s.login("bo").await;
    let citizen = s.citizen_of("Nord").await;
    let first = note(citizen, "Første udgave");
    let mut edit_a = note(citizen, "Annas rettelse");
    edit_a["note_id"] = first["id"].clone();
    edit_a["replaces"] = first["id"].clone();
    let mut edit_b = note(citizen, "Bos rettelse");
    edit_b["note_id"] = first["id"].clone();
    edit_b["replaces"] = first["id"].clone();
    let edit_b_id = edit_b["id"].clone();

    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, first), save(2, edit_a)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let (_, r) = s
        .sync(
            &bo,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, edit_b)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    for text in ["Første udgave", "Annas rettelse", "Bos rettelse"] {
        assert_eq!(s.notes_with_text(&bo, text).await.len(), 1, "{text}");
    }

    // An edit of a revision the server does not have (yet: one sent again
    // after a restore may come later) is kept; one of a revision of
    // another note is refused.
    let mut orphan = note(citizen, "retter noget der kommer senere");
    orphan["replaces"] = json!(Uuid::new_v4());
    let mut astray = note(citizen, "retter et andet notat");
    astray["replaces"] = edit_b_id;
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [save(1, orphan), save(2, astray)]}),
        )
        .await;
    assert_eq!(
        rejection_codes(&r),
        vec![(2, "unknown_revision".to_string())]
    );
    assert_eq!(
        s.notes_with_text(&anna, "retter noget der kommer senere")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn changes_come_in_pages_that_resume_at_the_cursor_without_loss_or_repeat() {
    let s = TestServer::start().await;
    let dorte = s.login("dorte").await;
    let all_at_once = s.pull_all(&dorte, 1000).await;
    let paged = s.pull_all(&dorte, 7).await;
    assert!(
        all_at_once.len() > 50,
        "demo data has citizens and a week of visits"
    );
    assert_eq!(paged, all_at_once);
    let seqs: Vec<u64> = paged
        .iter()
        .map(|c| c["seq"].as_u64().unwrap_or(0))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "strictly increasing");

    let (_, first) = s
        .sync(
            &dorte,
            json!({"client_id": Uuid::new_v4(), "cursor": 0, "limit": 5}),
        )
        .await;
    assert_eq!(first["changes"].as_array().map(Vec::len), Some(5));
    assert_eq!(first["more"], true);
    assert_eq!(first["next_cursor"], first["changes"][4]["seq"]);
}

#[tokio::test]
async fn a_client_id_belongs_to_the_user_who_first_used_it() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let bo = s.login("bo").await;
    let client = Uuid::new_v4();
    let (status, _) = s.sync(&anna, json!({"client_id": client})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = s.sync(&bo, json!({"client_id": client})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "forbidden");
}

#[tokio::test]
async fn a_thousand_mutations_are_acknowledged_in_one_push() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let mutations: Vec<_> = (1..=1000)
        .map(|i| save(i, note(citizen, &format!("n{i}"))))
        .collect();
    let started = std::time::Instant::now();
    let (status, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": mutations, "limit": 1}),
        )
        .await;
    println!(
        "1000 mutations pushed and acknowledged in {:?}",
        started.elapsed()
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["acknowledged_seq"], 1000);
    assert_eq!(r["rejections"], json!([]));
}

#[tokio::test]
async fn the_same_batch_pushed_concurrently_from_one_client_is_applied_once() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let body = json!({"client_id": client, "mutations": [
        save(1, note(citizen, "Samtidig 1")),
        save(2, note(citizen, "   ")),
        save(3, note(citizen, "Samtidig 3")),
    ]});
    // Five copies in flight at once: a device that timed out and retried,
    // a second window, a proxy that resent.
    let answers = futures_join_all(&s, &anna, &body, 5).await;
    for (status, answer) in &answers {
        assert_eq!(*status, StatusCode::OK, "{answer}");
        assert_eq!(answer["acknowledged_seq"], 3, "{answer}");
        assert_eq!(
            rejection_codes(answer),
            vec![(2, "empty_field".to_string())],
            "every copy reports the one rejection: {answer}"
        );
    }
    assert_eq!(s.notes_with_text(&anna, "Samtidig 1").await.len(), 1);
    assert_eq!(s.notes_with_text(&anna, "Samtidig 3").await.len(), 1);
    let next = json!({"client_id": client, "mutations": [save(4, note(citizen, "Samtidig 4"))]});
    let (_, answer) = s.sync(&anna, next).await;
    assert_eq!(answer["acknowledged_seq"], 4, "{answer}");
}

async fn futures_join_all(
    s: &TestServer,
    token: &str,
    body: &serde_json::Value,
    copies: usize,
) -> Vec<(StatusCode, serde_json::Value)> {
    let mut tasks = Vec::new();
    for _ in 0..copies {
        let http = s.http.clone();
        let url = s.url("/api/v1/sync");
        let (token, mut body) = (token.to_string(), body.clone());
        body["protocol"] = serde_json::json!(naervaer_domain::protocol::PROTOCOL_VERSION);
        tasks.push(tokio::spawn(async move {
            let resp = http
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = resp.status();
            (status, resp.json().await.unwrap_or(serde_json::Value::Null))
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

#[tokio::test]
async fn a_client_id_of_another_user_is_refused_and_stores_nothing() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let bo = s.login("bo").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let first = json!({"client_id": client, "mutations": [save(1, note(citizen, "Annas"))]});
    assert_eq!(s.sync(&anna, first).await.0, StatusCode::OK);
    let stolen = json!({"client_id": client, "mutations": [save(2, note(citizen, "Bos"))]});
    let (status, body) = s.sync(&bo, stolen).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(s.notes_with_text(&anna, "Bos").await.is_empty());
}

#[tokio::test]
async fn a_merge_replaces_every_head_and_must_name_revisions_of_the_same_note() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let first = note(citizen, "Udgangspunkt");
    let edit = |text: &str| {
        let mut e = note(citizen, text);
        e["note_id"] = first["id"].clone();
        e["replaces"] = first["id"].clone();
        e
    };
    let (a, b) = (edit("Gren A"), edit("Gren B"));
    let mut merge = note(citizen, "Gren A og B flettet");
    merge["note_id"] = first["id"].clone();
    merge["replaces"] = json!([a["id"], b["id"]]);
    let other = note(citizen, "Et andet notat");
    let mut wrong = note(citizen, "Fletter på tværs");
    wrong["note_id"] = first["id"].clone();
    wrong["replaces"] = json!([a["id"], other["id"]]);
    let client = Uuid::new_v4();
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [
                save(1, first), save(2, a), save(3, b), save(4, merge), save(5, other), save(6, wrong)
            ]}),
        )
        .await;
    assert_eq!(
        rejection_codes(&r),
        vec![(6, "unknown_revision".to_string())],
        "{r}"
    );
    let merged = s.notes_with_text(&anna, "Gren A og B flettet").await;
    assert_eq!(merged.len(), 1);
    let replaces = merged[0]["record"]["data"]["replaces"]
        .as_array()
        .expect("a merge is sent as a list")
        .len();
    assert_eq!(replaces, 2);
}

#[tokio::test]
async fn answers_go_compressed_to_a_client_that_accepts_it() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let body = serde_json::json!({"protocol": naervaer_domain::protocol::PROTOCOL_VERSION,
        "client_id": Uuid::new_v4(), "limit": 1000});
    let ask = |encoding: &'static str| {
        s.http
            .post(s.url("/api/v1/sync"))
            .bearer_auth(&anna)
            .header("accept-encoding", encoding)
            .json(&body)
            .send()
    };
    let plain = ask("identity").await.expect("request");
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain_len = plain.bytes().await.expect("body").len();
    let brotli = ask("br").await.expect("request");
    assert_eq!(
        brotli
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("br")
    );
    let brotli_len = brotli.bytes().await.expect("body").len();
    assert!(
        brotli_len * 4 < plain_len,
        "{brotli_len} bytes compressed of {plain_len}"
    );
}
