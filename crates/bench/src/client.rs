//! The server's two calls the benchmark uses: login and sync.

use naervaer_domain::protocol::PROTOCOL_VERSION;
use serde_json::{Value, json};
use uuid::Uuid;

/// What can stop the benchmark.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// Wrong command line.
    #[error("{0}")]
    Usage(String),
    /// The server could not be reached or answered with an error.
    #[error("{0}")]
    Server(String),
}

/// An HTTP client for one server.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

/// A sync's answer, as far as the benchmark reads it.
#[derive(serde::Deserialize)]
pub struct Answer {
    /// Every seq up to this is settled.
    pub acknowledged_seq: u64,
    /// The cursor to send next.
    pub next_cursor: u64,
    /// Its tag, sent back with it.
    #[serde(default)]
    pub cursor_tag: u64,
}

impl Answer {
    /// Where the next pull starts.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            at: self.next_cursor,
            tag: self.cursor_tag,
        }
    }
}

/// A device's place in the feed: the change number and its tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The change number.
    pub at: u64,
    /// Its tag.
    pub tag: u64,
}

impl Client {
    /// A client for the server at `base` (e.g. `http://127.0.0.1:8080`).
    pub fn new(base: &str) -> Result<Client, BenchError> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(1024)
            .build()
            .map_err(|e| BenchError::Server(e.to_string()))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    /// POSTs `body` with a bearer token, accepting `encoding`; returns the
    /// answer's bytes as they came over the wire and their encoding.
    pub async fn post_raw(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        encoding: &str,
    ) -> Result<(Vec<u8>, String), BenchError> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("accept-encoding", encoding)
            .json(body)
            .send()
            .await
            .map_err(|e| BenchError::Server(format!("{path}: {e}")))?;
        let status = response.status();
        let used = response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("identity")
            .to_string();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| BenchError::Server(format!("{path}: {e}")))?;
        if !status.is_success() {
            return Err(BenchError::Server(format!("{path}: {status}")));
        }
        Ok((bytes.to_vec(), used))
    }

    /// Logs a demo user in (password `demo`); returns the token.
    pub async fn login(&self, username: &str) -> Result<String, BenchError> {
        let body = self
            .post(
                "/api/v1/session",
                None,
                json!({"username": username, "password": "demo"}),
            )
            .await?;
        body["token"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| BenchError::Server(format!("no token for {username}: {body}")))
    }

    /// One sync. Only the two numbers the benchmark needs are read from
    /// the answer (the changes are skipped over, not built), so the client
    /// takes as little of the machine as it can.
    pub async fn sync(
        &self,
        token: &str,
        client_id: Uuid,
        cursor: Cursor,
        mutations: Vec<Value>,
    ) -> Result<Answer, BenchError> {
        let body = json!({"protocol": PROTOCOL_VERSION, "client_id": client_id,
            "cursor": cursor.at, "cursor_tag": cursor.tag, "mutations": mutations, "limit": 200});
        let response = self
            .http
            .post(format!("{}/api/v1/sync", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .map_err(|e| BenchError::Server(format!("/api/v1/sync: {e}")))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| BenchError::Server(format!("/api/v1/sync: {e}")))?;
        if !status.is_success() {
            return Err(BenchError::Server(format!(
                "/api/v1/sync: {status} {}",
                String::from_utf8_lossy(&bytes)
            )));
        }
        serde_json::from_slice(&bytes).map_err(|e| BenchError::Server(format!("/api/v1/sync: {e}")))
    }

    /// The first citizen in what this user sees, and the cursor after
    /// everything there is now.
    pub async fn citizen_and_head(&self, token: &str) -> Result<(Uuid, Cursor), BenchError> {
        let client = Uuid::new_v4();
        let mut cursor = Cursor::default();
        let mut citizen = None;
        loop {
            let body = json!({"protocol": PROTOCOL_VERSION, "client_id": client,
                "cursor": cursor.at, "cursor_tag": cursor.tag, "limit": 1000});
            let answer = self.post("/api/v1/sync", Some(token), body).await?;
            let changes = answer["changes"].as_array().cloned().unwrap_or_default();
            citizen = citizen.or_else(|| {
                changes
                    .iter()
                    .find(|c| c["record"]["kind"] == "citizen")
                    .and_then(|c| c["record"]["data"]["id"].as_str())
                    .and_then(|id| Uuid::parse_str(id).ok())
            });
            cursor = Cursor {
                at: answer["next_cursor"].as_u64().unwrap_or(cursor.at),
                tag: answer["cursor_tag"].as_u64().unwrap_or(cursor.tag),
            };
            if !answer["more"].as_bool().unwrap_or(false) {
                break;
            }
        }
        let citizen =
            citizen.ok_or_else(|| BenchError::Server("no citizen to write about".into()))?;
        Ok((citizen, cursor))
    }

    async fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Result<Value, BenchError> {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| BenchError::Server(format!("{path}: {e}")))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| BenchError::Server(format!("{path}: {e}")))?;
        if !status.is_success() {
            return Err(BenchError::Server(format!("{path}: {status} {body}")));
        }
        Ok(body)
    }
}

/// `count` new notes about `citizen` as mutations numbered from `first_seq`.
pub fn notes(citizen: Uuid, first_seq: u64, count: usize) -> Vec<Value> {
    (first_seq..)
        .take(count)
        .map(|seq| {
            let id = Uuid::new_v4();
            json!({"seq": seq, "op": "note.save", "data": {
                "id": id, "note_id": id, "replaces": null, "citizen_id": citizen, "visit_id": null,
                "category": "observation", "text": format!("Benchmark note {seq}"),
                "author_id": null, "author_name": "bench", "written_at": "2026-11-30T09:00:00Z"
            }})
        })
        .collect()
}
