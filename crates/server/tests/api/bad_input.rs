use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::TestServer;

async fn raw(
    s: &TestServer,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = s
        .http
        .post(s.url(path))
        .header(CONTENT_TYPE, content_type)
        .body(body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

/// (path, token, content type, body, expected status, expected code)
type Case<'a> = (
    &'a str,
    Option<&'a str>,
    &'a str,
    Vec<u8>,
    StatusCode,
    &'a str,
);

#[tokio::test]
async fn malformed_or_mistyped_bodies_are_4xx_json() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let json_type = "application/json";
    let cases: Vec<Case> = vec![
        ("/api/v1/session", None, json_type, b"{not json".to_vec(), StatusCode::BAD_REQUEST, "malformed_json"),
        ("/api/v1/session", None, json_type, br#"{"username":"anna"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/session", None, json_type, br#"{"username":5,"password":"x"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/session", None, "text/plain", br#"{"username":"a","password":"b"}"#.to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json"),
        ("/api/v1/sync", Some(&anna), json_type, b"[]".to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"not-a-uuid"}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"cursor":0}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","cursor":-1}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","mutations":[{"seq":1}]}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","limit":0}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_limit"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","mutations":[{"seq":0,"op":"x","data":{}}]}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_seq"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","protocol":2,"cursor":9223372036854775808}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "number_too_large"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","protocol":2,"pulling":{"seq":18446744073709551615,"tag":1}}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "number_too_large"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","protocol":2,"cursor":1,"cursor_tag":18446744073709551615}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "number_too_large"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","protocol":2,"mutations":[{"seq":9223372036854775808,"op":"x","data":{}}]}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "number_too_large"),
        ("/api/v1/sync", Some(&anna), json_type, br#"{"client_id":"6f1b3a7e-1111-4222-8333-444455556666","surprise":1}"#.to_vec(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
    ];
    for (path, token, content_type, body, status, code) in cases {
        let shown = String::from_utf8_lossy(&body).to_string();
        let (got, answer) = raw(&s, path, token, content_type, body).await;
        assert_eq!(got, status, "{path} {shown}: {answer}");
        assert_error(got, &answer, status, code);
    }
}

#[tokio::test]
async fn missing_or_wrong_tokens_are_401_json() {
    let s = TestServer::start().await;
    let body = json!({"client_id": Uuid::new_v4()});
    let (status, answer) = s.post("/api/v1/sync", None, body.clone()).await;
    assert_error(status, &answer, StatusCode::UNAUTHORIZED, "unauthorized");
    let (status, answer) = s
        .post("/api/v1/sync", Some("not-a-real-token"), body.clone())
        .await;
    assert_error(status, &answer, StatusCode::UNAUTHORIZED, "unauthorized");
    let resp = s
        .http
        .post(s.url("/api/v1/sync"))
        .header("Authorization", "Basic YW5uYTpkZW1v")
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_oversized_body_and_too_many_mutations_are_refused_with_json() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let huge = vec![b' '; naervaer_server::MAX_BODY_BYTES + 1];
    let (status, answer) = raw(&s, "/api/v1/sync", Some(&anna), "application/json", huge).await;
    assert_error(
        status,
        &answer,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
    );

    let many: Vec<Value> = (1..=1001)
        .map(|i| json!({"seq": i, "op": "x", "data": {}}))
        .collect();
    let (status, answer) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": many}),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_mutations",
    );
}

#[tokio::test]
async fn unknown_endpoints_and_wrong_methods_are_json_too() {
    let s = TestServer::start().await;
    let (status, body) = s.get("/api/v1/nothing").await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = s.get("/api/v1/sync").await;
    assert_error(
        status,
        &body,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
}

#[tokio::test]
async fn health_and_the_generated_openapi_document_answer() {
    let s = TestServer::start().await;
    let (status, health) = s.get("/api/v1/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], "reachable");
    let (status, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in ["/api/v1/session", "/api/v1/sync", "/api/v1/health"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["SyncRequest"].is_object());
    assert!(doc["components"]["schemas"]["VisitNote"].is_object());
}
