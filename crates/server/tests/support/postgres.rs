//! A fresh database in the test cluster that `cargo xtask test` starts.

use sqlx::Connection;
use uuid::Uuid;

/// A new, empty database in the cluster at `NAERVAER_TEST_PG` (a URL of its
/// `postgres` database), as a URL.
pub async fn fresh_postgres_database() -> String {
    let admin = std::env::var("NAERVAER_TEST_PG")
        .expect("NAERVAER_TEST_PG: the URL of a PostgreSQL cluster's postgres database");
    let name = format!("naervaer_test_{}", Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let _closed = conn.close().await;
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    format!("{base}/{name}")
}
