//! Starting a server and talking to it.

#![allow(dead_code)]

use naervaer_server::admin_cli::{self, AdminCommand, AdminError};
use naervaer_server::http_limits::HttpSettings;
use naervaer_server::sessions::SessionPolicy;
use std::path::PathBuf;

use naervaer_server::store::MemoryStore;
use naervaer_server::{Config, Database, LoginSettings, start, start_with_store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// The stores every test of this suite runs against: the same tests, once
/// per store (`cargo xtask test` runs the suite for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// The embedded SQLite file (the default).
    Sqlite,
    /// The in-memory twin.
    Memory,
    /// PostgreSQL: a fresh database for each test server, made in the
    /// cluster at `NAERVAER_TEST_PG` (`cargo xtask test` starts one).
    Postgres,
}

/// The store chosen by `NAERVAER_TEST_STORE` (`sqlite`, `memory` or `postgres`).
pub fn store_under_test() -> StoreKind {
    match std::env::var("NAERVAER_TEST_STORE").as_deref() {
        Ok("memory") => StoreKind::Memory,
        Ok("postgres") => StoreKind::Postgres,
        Ok("sqlite") | Err(_) => StoreKind::Sqlite,
        Ok(other) => panic!("NAERVAER_TEST_STORE={other}: use sqlite, memory or postgres"),
    }
}

#[path = "../support/postgres.rs"]
mod postgres;
pub use postgres::fresh_postgres_database;

pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    /// The server's data, for administrative changes (none when attached).
    data: Option<Data>,
    _dir: Option<tempfile::TempDir>,
}

/// Where a test server keeps its data.
enum Data {
    Database(Database),
    Memory(MemoryStore),
}

impl TestServer {
    /// Talks to a server started elsewhere.
    pub fn attach(base: &str) -> TestServer {
        TestServer {
            base: base.to_string(),
            http: reqwest::Client::new(),
            data: None,
            _dir: None,
        }
    }

    pub async fn start() -> TestServer {
        Self::start_with(None, SessionPolicy::default()).await
    }

    pub async fn start_with(static_dir: Option<PathBuf>, session: SessionPolicy) -> TestServer {
        Self::start_full(static_dir, session, Default::default()).await
    }

    pub async fn start_with_policy(
        policy: naervaer_domain::loneliness::LonelinessPolicy,
    ) -> TestServer {
        Self::start_full(None, SessionPolicy::default(), policy).await
    }

    /// A server with the municipality-scale demo.
    pub async fn start_municipality() -> TestServer {
        Self::start_scaled(
            None,
            SessionPolicy::default(),
            Default::default(),
            naervaer_server::demo::DemoScale::Municipality,
        )
        .await
    }

    async fn start_full(
        static_dir: Option<PathBuf>,
        session: SessionPolicy,
        policy: naervaer_domain::loneliness::LonelinessPolicy,
    ) -> TestServer {
        Self::start_scaled(static_dir, session, policy, Default::default()).await
    }

    async fn start_scaled(
        static_dir: Option<PathBuf>,
        session: SessionPolicy,
        policy: naervaer_domain::loneliness::LonelinessPolicy,
        demo_scale: naervaer_server::demo::DemoScale,
    ) -> TestServer {
        Self::start_all(
            static_dir,
            session,
            policy,
            demo_scale,
            Default::default(),
            Default::default(),
        )
        .await
    }

    /// A server with these ways to log in.
    pub async fn start_with_login(login: LoginSettings) -> TestServer {
        Self::start_all(
            None,
            SessionPolicy::default(),
            Default::default(),
            Default::default(),
            Default::default(),
            login,
        )
        .await
    }

    /// A server with these timeouts, proxies and HTTPS setting.
    pub async fn start_with_http(http: HttpSettings) -> TestServer {
        Self::start_all(
            None,
            SessionPolicy::default(),
            Default::default(),
            Default::default(),
            http,
            Default::default(),
        )
        .await
    }

    async fn start_all(
        static_dir: Option<PathBuf>,
        session: SessionPolicy,
        policy: naervaer_domain::loneliness::LonelinessPolicy,
        demo_scale: naervaer_server::demo::DemoScale,
        http: HttpSettings,
        login: LoginSettings,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database: match store_under_test() {
                StoreKind::Postgres => Database::Postgres(fresh_postgres_database().await),
                _ => Database::Sqlite(dir.path().join("test.sqlite3")),
            },
            static_dir,
            demo: true,
            sessions: session,
            loneliness_policy: policy,
            clip_policy: naervaer_domain::clips::ClipPolicy::shipped("furesoe")
                .expect("shipped")
                .expect("valid"),
            retention: Default::default(),
            screen_lock: Default::default(),
            demo_scale,
            http,
            login,
        };
        let (running, data) = match store_under_test() {
            StoreKind::Sqlite | StoreKind::Postgres => {
                let data = Data::Database(config.database.clone());
                (start(config).await, data)
            }
            StoreKind::Memory => {
                let store = MemoryStore::new(config.clip_policy.clone());
                let data = Data::Memory(store.clone());
                (start_with_store(store, config).await, data)
            }
        };
        let running = running.expect("server starts");
        TestServer {
            base: format!("http://{}", running.addr),
            http: reqwest::Client::new(),
            data: Some(data),
            _dir: Some(dir),
        }
    }

    /// Holds the writers' turn on the test's database, with a write made
    /// in it (as a slow push on another server would), until the answer
    /// is dropped: then the write is undone.
    pub async fn hold_writers(&self) -> Box<dyn std::any::Any + Send> {
        use naervaer_server::store::{AuditEntry, PgStore, Store, Tx};
        let entry = AuditEntry {
            at: chrono::Utc::now(),
            user_id: Uuid::new_v4(),
            citizen_id: Uuid::new_v4(),
            action: "read".into(),
            detail: "a test holding the writers' turn".into(),
        };
        let policy = naervaer_domain::clips::ClipPolicy::shipped("furesoe")
            .expect("shipped")
            .expect("valid");
        match self.data.as_ref().expect("a server started by the test") {
            Data::Memory(store) => {
                let mut tx = store.begin().await.expect("begin");
                tx.audit(&entry).await.expect("write");
                Box::new(tx)
            }
            Data::Database(Database::Sqlite(path)) => {
                // The store's own transactions take the file's lock at
                // commit; this one takes it now, as a writer mid-commit does.
                use sqlx::Connection;
                let mut connection =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                        .await
                        .expect("open");
                sqlx::query("BEGIN IMMEDIATE")
                    .execute(&mut connection)
                    .await
                    .expect("lock");
                Box::new(connection)
            }
            Data::Database(Database::Postgres(url)) => {
                let store = PgStore::connect(url, policy).await.expect("connect");
                let mut tx = store.begin().await.expect("begin");
                tx.audit(&entry).await.expect("write");
                Box::new((tx, store))
            }
        }
    }

    /// Disables (or enables) an account, as the admin command does.
    pub async fn set_disabled(&self, username: &str, disable: bool) {
        let command = match disable {
            true => AdminCommand::DisableUser {
                username: username.into(),
            },
            false => AdminCommand::EnableUser {
                username: username.into(),
            },
        };
        self.admin(&command).await.expect("set");
    }

    /// Runs the server's `admin` command on the test's database.
    pub async fn admin(&self, command: &AdminCommand) -> Result<String, AdminError> {
        let retention = Default::default();
        match self.data.as_ref().expect("a server started by the test") {
            Data::Database(database) => {
                let policy = naervaer_domain::clips::ClipPolicy::shipped("furesoe")
                    .expect("shipped")
                    .expect("valid");
                admin_cli::run(database, policy, &retention, command).await
            }
            Data::Memory(store) => admin_cli::run_on(store, &retention, command).await,
        }
    }

    /// Logs out with `token` (`DELETE /api/v1/session`); the status.
    pub async fn logout(&self, token: &str) -> StatusCode {
        self.http
            .delete(self.url("/api/v1/session"))
            .bearer_auth(token)
            .send()
            .await
            .expect("logout")
            .status()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A login with this name and password: the status and the answer.
    pub async fn try_login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.post(
            "/api/v1/session",
            None,
            json!({"username": username, "password": password}),
        )
        .await
    }

    /// A demo user's login answer (asserted to be 200).
    pub async fn login_answer(&self, username: &str) -> Value {
        let (status, body) = self.try_login(username, "demo").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub async fn login(&self, username: &str) -> String {
        self.login_answer(username).await["token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// `GET` with a bearer token.
    pub async fn get_with(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = resp.status();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let resp = self.http.get(self.url(path)).send().await.expect("request");
        let status = resp.status();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// `POST /api/v1/sync`, speaking the current protocol unless the body
    /// names one.
    pub async fn sync(&self, token: &str, mut body: Value) -> (StatusCode, Value) {
        if let Some(fields) = body.as_object_mut() {
            fields
                .entry("protocol")
                .or_insert(json!(naervaer_domain::protocol::PROTOCOL_VERSION));
        }
        self.post("/api/v1/sync", Some(token), body).await
    }

    /// Pulls every page with a fresh client; returns all changes.
    pub async fn pull_all(&self, token: &str, limit: u32) -> Vec<Value> {
        let client = Uuid::new_v4();
        let (mut cursor, mut tag) = (0, 0);
        let mut all = Vec::new();
        loop {
            let (status, body) = self
                .sync(
                    token,
                    json!({"client_id": client, "cursor": cursor, "cursor_tag": tag, "limit": limit}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let changes = body["changes"].as_array().expect("changes").clone();
            assert!(changes.len() <= limit as usize);
            all.extend(changes);
            cursor = body["next_cursor"].as_u64().expect("cursor");
            tag = body["cursor_tag"].as_u64().expect("cursor_tag");
            if !body["more"].as_bool().expect("more") {
                return all;
            }
        }
    }

    /// The citizens this user sees: (id, name, team).
    pub async fn citizens(&self, token: &str) -> Vec<(Uuid, String, String)> {
        self.pull_all(token, 1000)
            .await
            .into_iter()
            .filter(|c| c["record"]["kind"] == "citizen")
            .map(|c| {
                let d = &c["record"]["data"];
                (
                    Uuid::parse_str(d["id"].as_str().expect("id")).expect("uuid"),
                    d["name"].as_str().expect("name").to_string(),
                    d["team"].as_str().expect("team").to_string(),
                )
            })
            .collect()
    }

    /// The first citizen of a team, seen by a coordinator.
    pub async fn citizen_of(&self, team: &str) -> Uuid {
        let dorte = self.login("dorte").await;
        self.citizens(&dorte)
            .await
            .into_iter()
            .find(|(_, _, t)| t == team)
            .map(|(id, _, _)| id)
            .expect("a citizen in the team")
    }

    /// Notes (kind note) visible to this user, with the given text.
    pub async fn notes_with_text(&self, token: &str, text: &str) -> Vec<Value> {
        self.pull_all(token, 1000)
            .await
            .into_iter()
            .filter(|c| c["record"]["kind"] == "note" && c["record"]["data"]["text"] == text)
            .collect()
    }
}

/// A new visit-note record.
pub fn note(citizen: Uuid, text: &str) -> Value {
    let id = Uuid::new_v4();
    json!({
        "id": id, "note_id": id, "replaces": null, "citizen_id": citizen, "visit_id": null,
        "category": "observation", "text": text, "author_id": null, "author_name": "x",
        "written_at": "2026-11-20T09:00:00Z"
    })
}

/// A note.save mutation.
pub fn save(seq: u64, note: Value) -> Value {
    json!({"seq": seq, "op": "note.save", "data": note})
}

/// A valid loneliness registration (UCLA 3, 2, 3; two signs; red).
pub fn registration(citizen: Uuid, words: &str) -> Value {
    json!({
        "id": Uuid::new_v4(), "corrects": null, "citizen_id": citizen, "observed_on": "2026-11-20",
        "signs": ["withdrawn", "few_visitors"], "other_sign": null,
        "ucla": {"missing_company": 3, "left_out": 2, "isolated": 3},
        "own_words": words, "wishes": ["eating_together"], "other_wish": null,
        "barriers": ["transport", "not_alone"], "other_barrier": null,
        "next_step": {"kind": "companion_activity", "other_text": null, "responsible": "Anna Holm",
                      "follow_up_on": "2026-11-23"},
        "suggested_level": "red", "chosen_level": "red", "override_reason": null,
        "author_id": null, "author_name": "x", "recorded_at": "2026-11-20T10:00:00Z"
    })
}

/// A loneliness.register mutation.
pub fn register(seq: u64, registration: Value) -> Value {
    json!({"seq": seq, "op": "loneliness.register", "data": registration})
}

/// Registrations visible to this user whose own words are `words`.
pub async fn registrations_with_words(s: &TestServer, token: &str, words: &str) -> Vec<Value> {
    s.pull_all(token, 1000)
        .await
        .into_iter()
        .filter(|c| {
            c["record"]["kind"] == "loneliness" && c["record"]["data"]["own_words"] == words
        })
        .collect()
}

/// The `(seq, code)` of each rejection in a sync answer; every rejection must
/// carry a message for people.
pub fn rejection_codes(answer: &Value) -> Vec<(u64, String)> {
    answer["rejections"]
        .as_array()
        .expect("rejections")
        .iter()
        .map(|r| {
            assert!(!r["message"].as_str().unwrap_or("").is_empty(), "{r}");
            (
                r["seq"].as_u64().unwrap_or(0),
                r["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}
