use naervaer_server::sessions::SessionPolicy;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestServer;

#[tokio::test]
async fn a_demo_worker_logs_in_and_gets_a_token_that_expires_and_who_she_is() {
    let s = TestServer::start().await;
    let (status, body) = s.try_login("anna", "demo").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token"].as_str().map(str::len), Some(64));
    assert_eq!(body["user"]["name"], "Anna Holm");
    assert_eq!(body["user"]["role"], "worker");
    assert_eq!(body["user"]["team"], "Nord");
    let expires: chrono::DateTime<chrono::Utc> = body["expires_at"]
        .as_str()
        .expect("expiry")
        .parse()
        .expect("rfc3339");
    assert!(expires > chrono::Utc::now() + chrono::Duration::hours(11));
}

#[tokio::test]
async fn every_demo_account_logs_in_with_its_role() {
    let s = TestServer::start().await;
    for (user, role) in [
        ("anna", "worker"),
        ("bo", "worker"),
        ("carl", "worker"),
        ("dorte", "coordinator"),
        ("else", "citizen"),
    ] {
        let (status, body) = s.try_login(user, "demo").await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(body["user"]["role"], role, "{user}");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_the_same_401() {
    let s = TestServer::start().await;
    for body in [
        json!({"username": "anna", "password": "wrong"}),
        json!({"username": "nobody", "password": "demo"}),
    ] {
        let (status, answer) = s.post("/api/v1/session", None, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer["error"]["code"], "unauthorized");
        assert_eq!(answer["error"]["message"], "wrong username or password");
    }
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let s = TestServer::start_with(
        None,
        SessionPolicy {
            lifetime: chrono::Duration::seconds(1),
            ..Default::default()
        },
    )
    .await;
    let token = s.login("anna").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, body) = s
        .sync(&token, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn a_token_unused_for_the_idle_time_is_refused_and_a_used_one_lives_on() {
    let s = TestServer::start_with(
        None,
        SessionPolicy {
            lifetime: chrono::Duration::hours(12),
            idle: chrono::Duration::seconds(2),
        },
    )
    .await;
    let idle = s.login("anna").await;
    let busy = s.login("bo").await;
    let sync = |token: String| {
        let s = &s;
        async move {
            s.sync(&token, json!({"client_id": uuid::Uuid::new_v4()}))
                .await
        }
    };
    // Requests within the idle time keep a session; the stored end moves
    // at most once a minute, so within two seconds it does not move.
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(sync(busy.clone()).await.0, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let (status, body) = sync(idle).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized");
    // A new login works at once.
    let again = s.login("anna").await;
    assert_eq!(sync(again).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_login_carries_the_users_data_key_the_same_every_time_and_one_per_user() {
    let s = TestServer::start().await;
    let key_of = |user: &'static str| {
        let s = &s;
        async move {
            s.login_answer(user).await["data_key"]
                .as_str()
                .expect("a data key")
                .to_string()
        }
    };
    let anna = key_of("anna").await;
    assert_eq!(anna.len(), 64, "32 bytes in hex");
    assert!(anna.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(key_of("anna").await, anna, "the key never changes");
    assert_ne!(key_of("bo").await, anna, "one key per user");
    // A wrong password gets no key.
    let (status, body) = s.try_login("anna", "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.get("data_key").is_none());
}

#[tokio::test]
async fn a_disabled_account_is_told_so_at_its_next_sync_and_login_and_enabling_it_needs_a_new_login()
 {
    let s = TestServer::start().await;
    let token = s.login("anna").await;
    let bo = s.login("bo").await;
    s.set_disabled("anna", true).await;
    let (status, body) = s
        .sync(&token, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "account_disabled");
    // A login is told only with the right password (no account probing).
    let (status, body) = s.try_login("anna", "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, body) = s.try_login("anna", "demo").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "account_disabled");
    assert!(body.get("token").is_none() && body.get("data_key").is_none());
    // Others work on.
    let (status, _) = s
        .sync(&bo, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Enabled again: the old token stays ended; a new login works.
    s.set_disabled("anna", false).await;
    let (status, _) = s
        .sync(&token, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let again = s.login("anna").await;
    let (status, _) = s
        .sync(&again, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::OK);
}
