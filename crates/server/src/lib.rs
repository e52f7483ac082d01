//! Nærvær's sync server: accounts, the exactly-once sync endpoint, the audit
//! log, the OpenAPI document, and the built app from the same origin.

pub mod account_log;
pub mod accounts;
pub mod admin;
pub mod admin_accounts;
pub mod admin_cli;
pub mod api;
pub mod auth;
pub mod demo;
pub mod error;
pub mod extract;
pub mod http_limits;
pub mod listen;
pub mod oidc;
pub mod openapi;
pub mod policy_file;
pub mod rules;
pub mod sessions;
pub mod state;
pub mod static_files;
pub mod store;
pub mod throttle;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
use thiserror::Error;
use tokio::net::TcpListener;

use crate::state::AppState;
use crate::store::{PgStore, SqliteStore, Store, StoreError};

/// The largest request body accepted (8 MiB): room for a full push batch.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Where the data is kept.
    pub database: Database,
    /// The built app to serve, if any.
    pub static_dir: Option<PathBuf>,
    /// Seed demo data into an empty database.
    pub demo: bool,
    /// How long a login lasts, and how long without a request.
    pub sessions: sessions::SessionPolicy,
    /// The municipality's loneliness-detection rules.
    pub loneliness_policy: naervaer_domain::loneliness::LonelinessPolicy,
    /// The municipality's klippekort rules (a shipped policy or a file).
    pub clip_policy: naervaer_domain::clips::ClipPolicy,
    /// How much synced history devices keep.
    pub retention: naervaer_domain::retention::RetentionPolicy,
    /// When an unused app locks its screen.
    pub screen_lock: naervaer_domain::screen_lock::LockPolicy,
    /// How big the demo is, when `demo` is set.
    pub demo_scale: demo::DemoScale,
    /// Timeouts, trusted proxies and HTTPS.
    pub http: http_limits::HttpSettings,
    /// How people log in.
    pub login: LoginSettings,
}

/// How people log in: local passwords, the municipality's identity
/// provider, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSettings {
    /// Whether local passwords log in (small setups and the demo).
    pub password: bool,
    /// The identity provider, when there is one.
    pub oidc: Option<oidc::OidcSettings>,
}

impl Default for LoginSettings {
    fn default() -> Self {
        LoginSettings {
            password: true,
            oidc: None,
        }
    }
}

/// Where the server keeps its data: an embedded SQLite file (one server), or
/// a PostgreSQL database that several server processes share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, created with its folder if missing.
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Database {
    /// A `postgres://` or `postgresql://` URL is PostgreSQL; anything else
    /// is a SQLite file path.
    pub fn parse(text: &str) -> Database {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Database::Postgres(text.to_string())
        } else {
            Database::Sqlite(PathBuf::from(text))
        }
    }

    /// Whether a PostgreSQL URL carries a password
    /// (`postgres://user:password@host/…` or `?password=…`).
    pub fn has_password(&self) -> bool {
        let Database::Postgres(url) = self else {
            return false;
        };
        let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
        let authority = after_scheme.split(['/', '?']).next().unwrap_or_default();
        let in_user_info = authority
            .rsplit_once('@')
            .is_some_and(|(user_info, _)| user_info.contains(':'));
        let query = url.split_once('?').map_or("", |(_, q)| q);
        let in_query = query
            .split('&')
            .any(|pair| pair.split('=').next() == Some("password"));
        in_user_info || in_query
    }
}

/// Starting the server failed.
#[derive(Debug, Error)]
pub enum StartError {
    /// The database could not be opened or prepared.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// The identity provider's settings cannot work.
    #[error("municipal login: {0}")]
    Oidc(#[from] oidc::OidcError),
    /// Demo data could not be seeded.
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    /// The address could not be bound.
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

/// The whole HTTP application over a store.
pub fn router<S: Store>(state: Arc<AppState<S>>, static_dir: Option<&std::path::Path>) -> Router {
    let http_settings = Arc::new(state.http.clone());
    let api = Router::new()
        .route(
            "/api/v1/session",
            post(api::session::<S>).delete(api::logout::<S>),
        )
        // Sync answers go compressed to clients that accept it (a first
        // sync of a team's working set is mostly repeated JSON keys). Level
        // 4 keeps brotli fast. Only here: the bearer token travels in a
        // request header and is never echoed in a sync answer, so a
        // compression side channel (BREACH) has no secret to recover from
        // it; the login's answer carries the token and stays uncompressed.
        .route(
            "/api/v1/sync",
            post(api::sync::<S>).layer(
                tower_http::compression::CompressionLayer::new()
                    .br(true)
                    .gzip(true)
                    .quality(tower_http::CompressionLevel::Precise(4)),
            ),
        )
        .route("/api/v1/health", get(api::health::<S>))
        .route(
            "/api/v1/login-options",
            get(oidc::routes::login_options::<S>),
        )
        .route("/api/v1/oidc/start", get(oidc::routes::start::<S>))
        .route("/api/v1/oidc/callback", get(oidc::routes::callback::<S>))
        .route("/api/v1/session/handoff", post(oidc::routes::handoff::<S>))
        .route("/api/v1/admin/workers", get(admin::workers::<S>))
        .route("/api/v1/admin/citizen-team", post(admin::citizen_team::<S>))
        .route("/api/v1/admin/worker-team", post(admin::worker_team::<S>))
        .route(
            "/api/v1/admin/accounts",
            get(admin_accounts::list::<S>).post(admin_accounts::add::<S>),
        )
        .route(
            "/api/v1/admin/account-state",
            post(admin_accounts::set_state::<S>),
        )
        .route(
            "/api/v1/admin/account-password",
            post(admin_accounts::set_password::<S>),
        )
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api", any(api::not_found))
        .route("/api/{*rest}", any(api::not_found))
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    let app = match static_dir {
        Some(dir) => api.fallback_service(static_files::service(dir)),
        None => api,
    };
    app.layer(axum::middleware::from_fn(static_files::headers))
        .layer(axum::middleware::from_fn_with_state(
            http_settings,
            http_limits::edge,
        ))
}

/// A server that is listening.
pub struct Running {
    /// Where it listens (with the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// Resolves when the server stops.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Opens the database, seeds demo data if asked, and starts serving.
pub async fn start(config: Config) -> Result<Running, StartError> {
    match &config.database {
        Database::Sqlite(path) => {
            if let Some(parent) = path.parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent)?;
            }
            let store = SqliteStore::open(path, config.clip_policy.clone()).await?;
            start_with_store(store, config).await
        }
        Database::Postgres(url) => {
            let store = PgStore::connect(url, config.clip_policy.clone()).await?;
            start_with_store(store, config).await
        }
    }
}

/// Seeds demo data if asked and starts serving over `store` (the tests run
/// every store through the same HTTP suite this way). `config.database` is
/// not used.
pub async fn start_with_store<S: Store>(store: S, config: Config) -> Result<Running, StartError> {
    if config.demo && demo::seed(&store, &config.clip_policy, config.demo_scale).await? {
        tracing::info!("seeded demo data");
    }
    let state = Arc::new(AppState {
        store,
        sessions: config.sessions,
        loneliness_policy: config.loneliness_policy,
        clip_policy: config.clip_policy,
        retention: config.retention,
        screen_lock: config.screen_lock,
        throttle: Default::default(),
        http: config.http.clone(),
        password_login: config.login.password,
        oidc: match config.login.oidc.clone() {
            Some(settings) => Some(Arc::new(oidc::Oidc::new(settings)?)),
            None => None,
        },
        now: chrono::Utc::now,
    });
    let app = router(state, config.static_dir.as_deref());
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let header_read_timeout = config.http.header_read_timeout;
    let task = tokio::spawn(listen::serve(listener, app, header_read_timeout));
    Ok(Running { addr, task })
}

#[cfg(test)]
#[path = "database_tests.rs"]
mod database_tests;
