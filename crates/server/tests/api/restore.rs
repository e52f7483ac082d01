//! Protocol 2: the answers that let a device recover on its own when the
//! server's database, or the device's storage, went back in time or
//! changed under it; and the answer to an app too old for the server.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{TestServer, note, save};

#[tokio::test]
async fn an_app_too_old_is_told_to_update_and_nothing_of_its_push_is_applied() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let body = json!({"client_id": client, "protocol": 1,
        "mutations": [save(1, note(citizen, "Fra en gammel app"))]});
    let (status, answer) = s.post("/api/v1/sync", Some(&anna), body).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED, "{answer}");
    assert_eq!(answer["error"]["code"], "app_too_old");
    assert!(
        s.notes_with_text(&anna, "Fra en gammel app")
            .await
            .is_empty()
    );
    // Without any version at all (the first protocol), the same.
    let body = json!({"client_id": client, "mutations": [save(1, note(citizen, "Ældre endnu"))]});
    let (status, _) = s.post("/api/v1/sync", Some(&anna), body).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
    // Updated, the app sends it and it is applied once.
    let (status, answer) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [save(1, note(citizen, "Fra en gammel app"))]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["protocol"], 2);
    assert_eq!(s.notes_with_text(&anna, "Fra en gammel app").await.len(), 1);
}

#[tokio::test]
async fn a_settled_seq_sent_again_with_other_content_is_refused_as_reused() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let first = note(citizen, "Fra tablet A");
    let (_, answer) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [save(1, first.clone())]}),
        )
        .await;
    assert_eq!(answer["acknowledged_seq"], 1);
    // A copy of the tablet made seq 1 and 2 with other notes.
    let (status, answer) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [
                save(1, note(citizen, "Fra kopien")), save(2, note(citizen, "Kopien igen"))]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["seq_reused"], 1);
    assert_eq!(answer["acknowledged_seq"], 1);
    assert!(s.notes_with_text(&anna, "Fra kopien").await.is_empty());
    assert!(s.notes_with_text(&anna, "Kopien igen").await.is_empty());
    // The same change sent again, with its fields in another order, is an
    // ordinary repeat.
    let reordered: Value = serde_json::from_str(&first.to_string()).expect("json");
    let (_, answer) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [save(1, reordered)]}),
        )
        .await;
    assert_eq!(answer["seq_reused"], Value::Null);
    assert_eq!(s.notes_with_text(&anna, "Fra tablet A").await.len(), 1);
}

/// Pulls one page from the start with a new client: (next cursor, its tag).
async fn first_page(s: &TestServer, token: &str) -> (u64, u64) {
    let (status, answer) = s
        .sync(token, json!({"client_id": Uuid::new_v4(), "limit": 5}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let tag = answer["cursor_tag"].as_u64().expect("cursor_tag");
    assert_ne!(tag, 0, "every new feed row has a tag");
    (answer["next_cursor"].as_u64().expect("cursor"), tag)
}

#[tokio::test]
async fn a_cursor_with_another_tag_is_not_in_this_feed_and_nothing_is_pulled() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let (cursor, tag) = first_page(&s, &anna).await;
    let (_, answer) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "cursor": cursor, "cursor_tag": tag, "limit": 5}),
        )
        .await;
    assert_eq!(answer["feed_lost"], false);
    assert_eq!(answer["changes"].as_array().map(Vec::len), Some(5));
    // The row at this number is another one (a restored database wrote a
    // different change there), or there is no row at all.
    for (cursor, tag) in [(cursor, tag ^ 1), (cursor + 1_000_000, 7)] {
        let (status, answer) = s
            .sync(
                &anna,
                json!({"client_id": Uuid::new_v4(), "cursor": cursor, "cursor_tag": tag}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["feed_lost"], true);
        assert_eq!(answer["changes"], json!([]));
    }
}

#[tokio::test]
async fn another_database_is_named_and_the_cursor_is_lost() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let (_, answer) = s.sync(&anna, json!({"client_id": Uuid::new_v4()})).await;
    let database = answer["database_id"]
        .as_str()
        .expect("database id")
        .to_string();
    assert_eq!(answer["scope"], "team:Nord");
    let (_, same) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "database_id": database}),
        )
        .await;
    assert_eq!(same["feed_lost"], false);
    let (_, other) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "database_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(other["feed_lost"], true);
}

#[tokio::test]
async fn a_device_holding_more_as_settled_than_the_server_hears_that_seqs_were_lost() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let (_, answer) = s
        .sync(
            &anna,
            json!({"client_id": client, "mutations": [save(1, note(citizen, "en"))]}),
        )
        .await;
    assert_eq!(answer["seqs_lost"], false);
    // The device believes 3 settled (the database has since gone back).
    let (_, answer) = s
        .sync(
            &anna,
            json!({"client_id": client, "acknowledged_seq": 3,
                   "mutations": [save(4, note(citizen, "fire"))]}),
        )
        .await;
    assert_eq!(answer["seqs_lost"], true);
    assert_eq!(answer["acknowledged_seq"], 1);
    assert_eq!(answer["gap"], json!({"expected": 2, "got": 4}));
    // What it believes no more than what is held: nothing lost.
    let (_, answer) = s
        .sync(&anna, json!({"client_id": client, "acknowledged_seq": 1}))
        .await;
    assert_eq!(answer["seqs_lost"], false);
}

#[tokio::test]
async fn a_device_naming_another_record_at_its_acknowledged_seq_hears_that_seqs_were_lost() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let citizen = s.citizen_of("Nord").await;
    let client = Uuid::new_v4();
    let mine = note(citizen, "Min");
    let id = mine["id"].clone();
    s.sync(
        &anna,
        json!({"client_id": client, "mutations": [save(1, mine)]}),
    )
    .await;
    let (_, same) = s
        .sync(
            &anna,
            json!({"client_id": client, "acknowledged_seq": 1, "acknowledged_id": id}),
        )
        .await;
    assert_eq!(same["seqs_lost"], false);
    // After a restore, a copy of this tablet sent another change as seq 1.
    let (_, other) = s
        .sync(
            &anna,
            json!({"client_id": client, "acknowledged_seq": 1, "acknowledged_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(other["seqs_lost"], true);
}

mod device_after_a_restore {
    //! Real devices (the sync crate over HTTP) against a server whose
    //! database is restored from a backup taken between their syncs.

    use std::path::PathBuf;

    use chrono::Utc;
    use naervaer_domain::protocol::Record;
    use naervaer_domain::{NoteCategory, SyncRequest, SyncResponse, VisitNote};
    use naervaer_server::store::{MemorySnapshot, MemoryStore};
    use naervaer_server::{Config, Database, Running, start, start_with_store};
    use naervaer_sync::{
        Device, DeviceStore, MemoryDeviceStore as DeviceMemory, Recovery, Transport,
        TransportError, sync_to_end,
    };
    use serde_json::json;
    use sqlx::Connection;
    use uuid::Uuid;

    use crate::common::{StoreKind, fresh_postgres_database, store_under_test};

    /// `POST /api/v1/sync` with reqwest, as the app does with `fetch`.
    struct Http {
        http: reqwest::Client,
        base: String,
        token: String,
    }

    impl Transport for Http {
        async fn sync(&self, request: &SyncRequest) -> Result<SyncResponse, TransportError> {
            let response = self
                .http
                .post(format!("{}/api/v1/sync", self.base))
                .bearer_auth(&self.token)
                .json(request)
                .send()
                .await
                .map_err(|_| TransportError::Offline)?;
            let status = response.status().as_u16();
            let text = response.text().await.map_err(|_| TransportError::Offline)?;
            if status != 200 {
                return Err(TransportError::Status {
                    status,
                    code: String::new(),
                    message: text,
                });
            }
            serde_json::from_str(&text).map_err(|e| TransportError::BadResponse(e.to_string()))
        }
    }

    /// Where the test's database is, and how it is backed up and restored.
    enum Db {
        Sqlite(tempfile::TempDir, PathBuf),
        Memory(MemoryStore),
        Postgres(String),
    }

    enum Backup {
        Sqlite(PathBuf),
        Memory(Box<MemorySnapshot>),
        Postgres(String),
    }

    fn config(database: Database) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database,
            static_dir: None,
            demo: true,
            sessions: Default::default(),
            loneliness_policy: Default::default(),
            clip_policy: naervaer_domain::clips::ClipPolicy::shipped("furesoe")
                .expect("shipped")
                .expect("valid"),
            retention: Default::default(),
            screen_lock: Default::default(),
            demo_scale: Default::default(),
            http: Default::default(),
            login: Default::default(),
        }
    }

    impl Db {
        async fn new() -> Db {
            match store_under_test() {
                StoreKind::Sqlite => {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let path = dir.path().join("live.sqlite3");
                    Db::Sqlite(dir, path)
                }
                StoreKind::Memory => Db::Memory(MemoryStore::new(
                    config(Database::Sqlite(PathBuf::new())).clip_policy,
                )),
                StoreKind::Postgres => Db::Postgres(fresh_postgres_database().await),
            }
        }

        async fn serve(&self) -> Running {
            match self {
                Db::Sqlite(_, path) => start(config(Database::Sqlite(path.clone()))).await,
                Db::Memory(store) => {
                    start_with_store(store.clone(), config(Database::Sqlite(PathBuf::new()))).await
                }
                Db::Postgres(url) => start(config(Database::Postgres(url.clone()))).await,
            }
            .expect("server starts")
        }

        /// A consistent copy taken while the server runs (SQLite's online
        /// backup, as the README says; a template copy on PostgreSQL).
        async fn backup(&self) -> Backup {
            match self {
                Db::Sqlite(dir, path) => {
                    let copy = dir.path().join("backup.sqlite3");
                    let mut conn =
                        sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                            .await
                            .expect("open the live database");
                    sqlx::query(&format!("VACUUM INTO '{}'", copy.display()))
                        .execute(&mut conn)
                        .await
                        .expect("online backup");
                    let _closed = conn.close().await;
                    Backup::Sqlite(copy)
                }
                Db::Memory(store) => {
                    Backup::Memory(Box::new(store.snapshot().expect("no open transaction")))
                }
                Db::Postgres(url) => {
                    let (base, name) = url.rsplit_once('/').expect("a database URL");
                    let copy = format!("{name}_backup");
                    let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
                        .await
                        .expect("connect");
                    // A template copy needs the source to itself: the
                    // server's connections are closed by terminating them.
                    sqlx::query(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                    ))
                    .execute(&mut conn)
                    .await
                    .expect("terminate");
                    sqlx::query(&format!("CREATE DATABASE {copy} TEMPLATE {name}"))
                        .execute(&mut conn)
                        .await
                        .expect("copy the database");
                    Backup::Postgres(format!("{base}/{copy}"))
                }
            }
        }

        /// The database put back to `backup` (the running server is gone).
        fn restored(self, backup: Backup) -> Db {
            match (self, backup) {
                (Db::Sqlite(dir, _), Backup::Sqlite(copy)) => Db::Sqlite(dir, copy),
                (Db::Memory(store), Backup::Memory(snapshot)) => {
                    assert!(store.restore(&snapshot), "no transaction is open");
                    Db::Memory(store)
                }
                (_, Backup::Postgres(url)) => Db::Postgres(url),
                _ => unreachable!("a backup of another store"),
            }
        }
    }

    fn note(citizen: Uuid, text: &str) -> Record {
        Record::Note(VisitNote::written(
            Uuid::new_v4(),
            citizen,
            &[],
            NoteCategory::Observation,
            text.into(),
            Utc::now(),
        ))
    }

    async fn login(http: &reqwest::Client, base: &str, username: &str) -> String {
        let answer: serde_json::Value = http
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"username": username, "password": "demo"}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        answer["token"].as_str().expect("token").to_string()
    }

    async fn sync(device: &Device<DeviceMemory>, http: &Http) -> naervaer_sync::RunReport {
        sync_to_end(device, http, Uuid::new_v4, Utc::now)
            .await
            .expect("sync")
    }

    fn texts(store: &DeviceMemory) -> Vec<String> {
        let records = futures_executor::block_on(store.records()).expect("records");
        let mut texts: Vec<String> = records
            .into_iter()
            .filter_map(|s| match s.record {
                Record::Note(n) => Some(n.text),
                _ => None,
            })
            .collect();
        texts.sort();
        texts
    }

    #[tokio::test]
    async fn nothing_settled_after_the_backup_is_lost_and_devices_go_on_by_themselves() {
        let db = Db::new().await;
        let first = db.serve().await;
        let base = format!("http://{}", first.addr);
        let http = reqwest::Client::new();
        let (anna_token, bo_token) = (
            login(&http, &base, "anna").await,
            login(&http, &base, "bo").await,
        );
        let anna = Device::new(DeviceMemory::new());
        let bo = Device::new(DeviceMemory::new());
        let mut to_anna = Http {
            http: http.clone(),
            base: base.clone(),
            token: anna_token,
        };
        let mut to_bo = Http {
            http: http.clone(),
            base: base.clone(),
            token: bo_token,
        };
        sync(&anna, &to_anna).await;
        let citizen = futures_executor::block_on(anna.store().records())
            .expect("records")
            .into_iter()
            .find_map(|s| match s.record {
                Record::Citizen(c) => Some(c.id),
                _ => None,
            })
            .expect("a citizen");
        anna.save(note(citizen, "Før backup"), Utc::now())
            .await
            .expect("save");
        sync(&anna, &to_anna).await;
        let backup = db.backup().await;

        anna.save(note(citizen, "Efter backup"), Utc::now())
            .await
            .expect("save");
        sync(&anna, &to_anna).await;
        sync(&bo, &to_bo).await;
        assert!(texts(bo.store()).contains(&"Efter backup".to_string()));
        assert_eq!(anna.counts().await.expect("counts"), (0, 0), "all settled");

        // The database goes back to the backup; the server starts on it.
        first.task.abort();
        let _stopped = first.task.await;
        let db = db.restored(backup);
        let second = db.serve().await;
        let base = format!("http://{}", second.addr);
        to_anna.base = base.clone();
        to_bo.base = base.clone();

        anna.save(note(citizen, "Efter gendannelse"), Utc::now())
            .await
            .expect("save");
        let report = sync(&anna, &to_anna).await;
        assert!(
            matches!(
                report.recovery,
                Some(Recovery::FeedRestored | Recovery::ChangesSentAgain(_))
            ),
            "{:?}",
            report.recovery
        );
        // Once more, as the app would a moment later: nothing changes.
        sync(&anna, &to_anna).await;
        let bo_report = sync(&bo, &to_bo).await;
        assert_eq!(bo_report.recovery, Some(Recovery::FeedRestored));

        let want = vec![
            "Efter backup".to_string(),
            "Efter gendannelse".to_string(),
            "Før backup".to_string(),
        ];
        let written: Vec<String> = texts(anna.store())
            .into_iter()
            .filter(|t| want.contains(t))
            .collect();
        assert_eq!(written, want, "anna's device");
        let seen: Vec<String> = texts(bo.store())
            .into_iter()
            .filter(|t| want.contains(t))
            .collect();
        assert_eq!(seen, want, "bo's device, which had synced past the backup");
        // On the server each exactly once (a fresh pull sees every row).
        let server = crate::common::TestServer::attach(&base);
        let token = login(&http, &base, "bo").await;
        for text in &want {
            assert_eq!(
                server.notes_with_text(&token, text).await.len(),
                1,
                "{text}"
            );
        }
        assert_eq!(anna.counts().await.expect("counts"), (0, 0));
    }
}
