use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::common::{TestServer, register, registration, registrations_with_words};

#[tokio::test]
async fn a_registration_pushed_twice_is_stored_once() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let body = json!({"client_id": Uuid::new_v4(), "mutations": [register(1, registration(citizen, "Jeg savner min mand"))]});
    let (status, first) = s.sync(&anna, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["rejections"], json!([]));
    let (_, again) = s.sync(&anna, body).await;
    assert_eq!(again["acknowledged_seq"], 1);
    let stored = registrations_with_words(&s, &anna, "Jeg savner min mand").await;
    assert_eq!(stored.len(), 1);
    let data = &stored[0]["record"]["data"];
    assert_eq!(data["author_name"], "Anna Holm");
    assert_eq!(data["ucla"]["isolated"], 3);
    assert_eq!(data["chosen_level"], "red");
}

#[tokio::test]
async fn invalid_registrations_are_rejected_with_their_codes_while_the_others_apply() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let mut out_of_range = registration(citizen, "skala");
    out_of_range["ucla"]["left_out"] = json!(4);
    let mut unknown_sign = registration(citizen, "tegn");
    unknown_sign["signs"] = json!(["withdrawn", "grumpy"]);
    let mut early_follow_up = registration(citizen, "dato");
    early_follow_up["next_step"]["follow_up_on"] = json!("2026-11-19");
    // A correction must be of the same citizen (one naming a registration
    // the server does not have yet is kept: it may come later).
    let good = registration(citizen, "god");
    let dorte = s.login("dorte").await;
    let other_citizen = s
        .citizens(&dorte)
        .await
        .into_iter()
        .find(|(id, _, team)| team == "Nord" && *id != citizen)
        .map(|(id, _, _)| id)
        .expect("a second citizen of Nord");
    let mut orphan_correction = registration(other_citizen, "rettelse");
    orphan_correction["corrects"] = good["id"].clone();
    let mut no_reason = registration(citizen, "grund");
    no_reason["chosen_level"] = json!("yellow");
    // A registration made offline long ago is still valid when it arrives.
    let mut late = registration(citizen, "sent");
    late["observed_on"] = json!("2025-01-10");
    late["recorded_at"] = json!("2025-01-10T09:00:00Z");
    late["next_step"]["follow_up_on"] = json!("2025-01-12");

    let (status, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [
                register(1, good),
                register(2, out_of_range),
                register(3, unknown_sign),
                register(4, early_follow_up),
                register(5, orphan_correction),
                register(6, no_reason),
                register(7, late),
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["acknowledged_seq"], 7);
    let codes: Vec<&str> = r["rejections"]
        .as_array()
        .expect("rejections")
        .iter()
        .map(|x| x["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        vec![
            "score_out_of_range",
            "unknown_sign",
            "follow_up_before_observation",
            "unknown_registration",
            "empty_field"
        ]
    );
    assert!(
        r["rejections"][1]["message"]
            .as_str()
            .unwrap_or("")
            .contains("grumpy")
    );
    assert_eq!(registrations_with_words(&s, &anna, "god").await.len(), 1);
    assert_eq!(registrations_with_words(&s, &anna, "sent").await.len(), 1);
    assert!(
        registrations_with_words(&s, &anna, "skala")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_correction_names_the_registration_and_both_are_kept() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let first = registration(citizen, "første");
    let mut correction = registration(citizen, "rettet");
    correction["corrects"] = first["id"].clone();
    let (_, r) = s
        .sync(&anna, json!({"client_id": Uuid::new_v4(), "mutations": [register(1, first), register(2, correction)]}))
        .await;
    assert_eq!(r["rejections"], json!([]));
    assert_eq!(registrations_with_words(&s, &anna, "første").await.len(), 1);
    assert_eq!(registrations_with_words(&s, &anna, "rettet").await.len(), 1);
}

#[tokio::test]
async fn team_syd_never_sees_team_nords_registrations() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let carl = s.login("carl").await;
    let nord = s.citizen_of("Nord").await;
    let (_, r) = s
        .sync(&anna, json!({"client_id": Uuid::new_v4(), "mutations": [register(1, registration(nord, "kun Nord"))]}))
        .await;
    assert_eq!(r["rejections"], json!([]));
    assert!(
        registrations_with_words(&s, &carl, "kun Nord")
            .await
            .is_empty()
    );

    let carl_citizens: Vec<String> = s
        .citizens(&carl)
        .await
        .iter()
        .map(|(id, _, _)| id.to_string())
        .collect();
    let carl_registrations: Vec<_> = s
        .pull_all(&carl, 1000)
        .await
        .into_iter()
        .filter(|c| c["record"]["kind"] == "loneliness")
        .collect();
    assert!(
        !carl_registrations.is_empty(),
        "team Syd has demo registrations of its own"
    );
    for c in carl_registrations {
        let citizen = c["record"]["data"]["citizen_id"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(carl_citizens.contains(&citizen), "{c}");
    }
    let (_, r) = s
        .sync(&carl, json!({"client_id": Uuid::new_v4(), "mutations": [register(1, registration(nord, "Syd skriver"))]}))
        .await;
    assert_eq!(r["rejections"][0]["code"], "unknown_citizen");
}

#[tokio::test]
async fn the_login_carries_the_municipalitys_policy_to_the_device() {
    let default = TestServer::start().await;
    let (_, body) = default
        .post(
            "/api/v1/session",
            None,
            json!({"username": "anna", "password": "demo"}),
        )
        .await;
    assert_eq!(body["loneliness_policy"]["ucla_cutoff"], 6);
    assert_eq!(body["loneliness_policy"]["yellow_follow_up_hours"], 48);
    assert_eq!(body["loneliness_policy"]["not_screened_days"], 90);

    let strict = TestServer::start_with_policy(
        naervaer_domain::loneliness::LonelinessPolicy::with_cutoff(7),
    )
    .await;
    let (_, body) = strict
        .post(
            "/api/v1/session",
            None,
            json!({"username": "anna", "password": "demo"}),
        )
        .await;
    assert_eq!(body["loneliness_policy"]["ucla_cutoff"], 7);
}
