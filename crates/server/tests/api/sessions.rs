//! Logging out on the server, and the login throttle.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestServer;

#[tokio::test]
async fn a_logout_ends_the_token_at_once_and_other_logins_work_on() {
    let s = TestServer::start().await;
    let token = s.login("anna").await;
    let other = s.login("anna").await;
    let client = json!({"client_id": uuid::Uuid::new_v4()});
    let (status, _) = s.sync(&token, client.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.logout(&token).await, StatusCode::OK);
    let (status, body) = s.sync(&token, client.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    // Her login on another device goes on.
    let (status, _) = s
        .sync(&other, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::OK);
    // A logout without a token is a 401 with a JSON body.
    let answer = s
        .http
        .delete(s.url("/api/v1/session"))
        .send()
        .await
        .expect("logout");
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = answer.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn forty_wrong_passwords_are_throttled_and_the_right_one_works_after_the_wait() {
    let s = TestServer::start().await;
    let mut statuses = Vec::new();
    let mut last_wait = 0;
    for _ in 0..40 {
        let answer = s
            .http
            .post(s.url("/api/v1/session"))
            .json(&json!({"username": "anna", "password": "wrong"}))
            .send()
            .await
            .expect("login");
        let status = answer.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            last_wait = answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .expect("a Retry-After in seconds");
            let body: serde_json::Value = answer.json().await.expect("a JSON body");
            assert_eq!(body["error"]["code"], "too_many_requests");
        }
        statuses.push(status);
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    println!("40 wrong passwords: {refused} answered 401, {throttled} answered 429");
    assert_eq!(refused, 5, "five checked, then a wait: {statuses:?}");
    assert_eq!(refused + throttled, 40, "never a 5xx: {statuses:?}");
    // While it waits, even the right password is not checked.
    let (status, _) = s.try_login("anna", "demo").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Bo is not held up by Anna's failures.
    let (status, _) = s.try_login("bo", "demo").await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_secs(last_wait)).await;
    let (status, body) = s.try_login("anna", "demo").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
