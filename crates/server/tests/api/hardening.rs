//! The server's edge under slow clients and a busy database: headers that
//! never finish, a request that waits too long for the writers' turn, the
//! database's own lock timeout, HSTS, and addresses behind a proxy.

use std::time::{Duration, Instant};

use naervaer_server::http_limits::{HSTS, HttpSettings};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{StoreKind, TestServer, note, save, store_under_test};

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let s = TestServer::start_with_http(HttpSettings {
        header_read_timeout: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    stream
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("send part of the headers");
    let began = Instant::now();
    let mut buf = Vec::new();
    // The server closes the connection (after at most a 408); without the
    // timeout this read would wait for the 10 s below.
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection stayed open");
    let waited = began.elapsed();
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    // A client that sends its request whole is served as ever.
    assert_eq!(s.get("/api/v1/health").await.0, StatusCode::OK);
}

/// Sends one push of a note; returns the status, the body and Retry-After.
async fn push_once(
    s: &TestServer,
    token: &str,
    client: uuid::Uuid,
    n: &serde_json::Value,
) -> (StatusCode, serde_json::Value, Option<String>) {
    let answer = s
        .http
        .post(s.url("/api/v1/sync"))
        .bearer_auth(token)
        .json(&json!({
            "protocol": naervaer_domain::protocol::PROTOCOL_VERSION,
            "client_id": client,
            "mutations": [save(1, n.clone())],
        }))
        .send()
        .await
        .expect("send");
    let status = answer.status();
    let retry = answer
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = answer.json().await.unwrap_or_default();
    (status, body, retry)
}

#[tokio::test]
async fn a_push_that_waits_too_long_is_answered_503_and_kept_once_when_sent_again() {
    let s = TestServer::start_with_http(HttpSettings {
        request_timeout: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let token = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let n = note(citizen, "sendt mens databasen var optaget");
    let client = uuid::Uuid::new_v4();
    let held = s.hold_writers().await;
    let began = Instant::now();
    let (status, body, retry) = push_once(&s, &token, client, &n).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", body["error"]);
    assert!(
        ["timeout", "database_busy"].contains(&body["error"]["code"].as_str().unwrap_or("")),
        "{body}"
    );
    assert_eq!(retry.as_deref(), Some("5"));
    assert!(
        began.elapsed() < Duration::from_secs(8),
        "{:?}",
        began.elapsed()
    );
    drop(held);
    // Sent again, the same push is kept, once.
    let (status, body, _) = push_once(&s, &token, client, &n).await;
    assert_eq!(status, StatusCode::OK, "{}", body["error"]);
    let (status, _, _) = push_once(&s, &token, client, &n).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s.notes_with_text(&token, "sendt mens databasen var optaget")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn the_database_gives_up_waiting_for_a_lock_before_the_request_does() {
    // The in-memory twin has no database to time out; the request timeout
    // (above) is what bounds it.
    if store_under_test() == StoreKind::Memory {
        return;
    }
    let s = TestServer::start_with_http(HttpSettings {
        request_timeout: Duration::from_secs(60),
        ..Default::default()
    })
    .await;
    let token = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let n = note(citizen, "databasen svarer optaget");
    let held = s.hold_writers().await;
    let began = Instant::now();
    let (status, body, retry) = push_once(&s, &token, uuid::Uuid::new_v4(), &n).await;
    let waited = began.elapsed();
    drop(held);
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", body["error"]);
    assert_eq!(body["error"]["code"], "database_busy");
    assert_eq!(retry.as_deref(), Some("5"));
    // SQLite's busy timeout and PostgreSQL's lock timeout are 10 s.
    assert!(waited < Duration::from_secs(20), "waited {waited:?}");
}

#[tokio::test]
async fn hsts_is_sent_over_https_only() {
    let plain = TestServer::start().await;
    let answer = plain
        .http
        .get(plain.url("/api/v1/health"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("get");
    // A client cannot switch it on by claiming HTTPS itself.
    assert!(answer.headers().get("strict-transport-security").is_none());
    let https = TestServer::start_with_http(HttpSettings {
        https: true,
        ..Default::default()
    })
    .await;
    let answer = https
        .http
        .get(https.url("/api/v1/health"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        answer
            .headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some(HSTS)
    );
    // Behind a trusted proxy that says the client came over HTTPS.
    let proxied = TestServer::start_with_http(HttpSettings {
        trusted_proxies: vec!["127.0.0.1".parse().expect("ip")],
        ..Default::default()
    })
    .await;
    let answer = proxied
        .http
        .get(proxied.url("/api/v1/health"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("get");
    assert!(answer.headers().get("strict-transport-security").is_some());
}

#[tokio::test]
async fn failed_logins_behind_a_trusted_proxy_count_per_client_address() {
    let s = TestServer::start_with_http(HttpSettings {
        trusted_proxies: vec!["127.0.0.1".parse().expect("ip")],
        ..Default::default()
    })
    .await;
    let login_from = |address: &'static str, name: &'static str| {
        let s = &s;
        async move {
            s.http
                .post(s.url("/api/v1/session"))
                .header("x-forwarded-for", address)
                .json(&json!({"username": name, "password": "forkert"}))
                .send()
                .await
                .expect("login")
                .status()
        }
    };
    // One client address tries 25 names: past the 20 free tries per
    // address it is throttled...
    let mut throttled = 0;
    for i in 0..25 {
        let name: &'static str = Box::leak(format!("navn{i}").into_boxed_str());
        if login_from("198.51.100.7", name).await == StatusCode::TOO_MANY_REQUESTS {
            throttled += 1;
        }
    }
    assert!(throttled > 0, "one address was never throttled");
    // ...while another client behind the same proxy is not.
    assert_eq!(
        login_from("198.51.100.8", "andet").await,
        StatusCode::UNAUTHORIZED
    );
    // And the account log names the client, not the proxy.
    let log = s
        .admin(&naervaer_server::admin_cli::AdminCommand::AccountLog { limit: 1 })
        .await
        .expect("log");
    assert!(log.contains("198.51.100.8"), "{log}");
}
