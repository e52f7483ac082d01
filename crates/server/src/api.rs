//! The JSON endpoints under `/api/v1`.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use naervaer_domain::protocol::{
    DEFAULT_PAGE_SIZE, LARGEST_NUMBER, MAX_MUTATIONS_PER_REQUEST, MAX_PAGE_SIZE,
    MIN_PROTOCOL_VERSION, PROTOCOL_VERSION,
};
use naervaer_domain::{SessionResponse, SyncRequest, SyncResponse};
use serde::{Deserialize, Serialize};

use crate::account_log::{AccountEvent, AccountEventKind};
use crate::auth::{hash_password, new_token, token_hash, verify_password};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, AuthUser, BearerToken, ClientAddr};
use crate::rules;
use crate::state::AppState;
use crate::store::{DataKey, Keep, SessionOwner, Store};

/// An argon2 hash checked when the username is unknown, so a wrong username
/// takes as long as a wrong password.
fn dummy_hash() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| hash_password("no such user").unwrap_or_default())
        .clone()
}

/// Login details.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// The answer to a logout.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoggedOut {
    /// Always true: the token no longer works (also when it already did not).
    pub logged_out: bool,
}

/// Logs out: the bearer token stops working at once, on every server.
#[utoipa::path(
    delete, path = "/api/v1/session",
    responses(
        (status = 200, description = "Logged out", body = LoggedOut),
        (status = 401, description = "No bearer token", body = ErrorBody),
    )
)]
pub async fn logout<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    BearerToken(token): BearerToken,
    ClientAddr(addr): ClientAddr,
) -> Result<Json<LoggedOut>, ApiError> {
    let hash = token_hash(&token);
    let now = (state.now)();
    let owner = state.store.session_user(&hash, now).await?;
    state.store.delete_session(&hash).await?;
    if let Some((SessionOwner::Active(user) | SessionOwner::Disabled(user), _)) = owner {
        let event = AccountEvent::new(AccountEventKind::Logout, &user.username, now)
            .of(user.id)
            .from_address(addr);
        state.store.record_account_event(&event).await?;
    }
    Ok(Json(LoggedOut { logged_out: true }))
}

/// Liveness answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// "ok" when the server answers and its database does; "unavailable"
    /// (with status 503) when the database does not.
    pub status: &'static str,
    /// "reachable" or "unreachable".
    pub database: &'static str,
    /// The server's version.
    pub version: &'static str,
}

/// Logs in and returns a bearer token that expires.
#[utoipa::path(
    post, path = "/api/v1/session", request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = SessionResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 422, description = "Missing or wrong fields", body = ErrorBody),
    )
)]
pub async fn session<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    ClientAddr(addr): ClientAddr,
    ApiJson(login): ApiJson<LoginRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    if !state.password_login {
        return Err(ApiError::BadRequest {
            status: StatusCode::FORBIDDEN,
            code: "password_login_off",
            message: "log in with the municipality's login".into(),
        });
    }
    let username = login.username.trim().to_lowercase();
    state
        .throttle
        .check(&username, addr, Instant::now())
        .map_err(ApiError::TooManyRequests)?;
    let _turn = state
        .throttle
        .hash_turn()
        .await
        .map_err(ApiError::TooManyRequests)?;
    let found = state.store.credentials(&username).await?;
    let hash = found
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_default();
    let password = login.password;
    // An account without a local password (it logs in through the
    // municipality's login) is checked against the dummy too, and never opens.
    let has_password = !hash.is_empty();
    let ok = tokio::task::spawn_blocking(move || {
        let hash = if has_password { hash } else { dummy_hash() };
        verify_password(&password, &hash)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
        && has_password;
    let now = (state.now)();
    let credentials = match found {
        Some(c) if ok => c,
        _ => {
            state.throttle.failed(&username, addr, Instant::now());
            let mut event =
                AccountEvent::new(AccountEventKind::LoginFailed, &username, now).from_address(addr);
            event.user_id = found.map(|c| c.user.id);
            state.store.record_account_event(&event).await?;
            return Err(ApiError::Unauthorized("wrong username or password"));
        }
    };
    state.throttle.succeeded(&username, addr);
    // Told only to whoever knows the password.
    if state.store.is_disabled(credentials.user.id).await? {
        let event = AccountEvent::new(AccountEventKind::LoginDisabled, &username, now)
            .of(credentials.user.id)
            .from_address(addr)
            .saying("password");
        state.store.record_account_event(&event).await?;
        return Err(ApiError::AccountDisabled);
    }
    issue_session(&state, credentials.user, addr, "password")
        .await
        .map(Json)
}

/// Begins a session for `user`, who has just proved who they are (`how`:
/// "password" or "municipal login"): a new token, the user's data key and
/// the municipality's settings; the login is written to the account log.
pub async fn issue_session<S: Store>(
    state: &AppState<S>,
    user: naervaer_domain::User,
    addr: Option<std::net::IpAddr>,
    how: &str,
) -> Result<SessionResponse, ApiError> {
    let now = (state.now)();
    let data_key = state.store.data_key(user.id, DataKey::fresh()?).await?;
    let token = new_token();
    let times = state.sessions.start(now);
    state
        .store
        .create_session(&token_hash(&token), user.id, &times)
        .await?;
    let event = AccountEvent::new(AccountEventKind::Login, &user.username, now)
        .of(user.id)
        .from_address(addr)
        .saying(how);
    state.store.record_account_event(&event).await?;
    Ok(SessionResponse {
        token,
        expires_at: times.expires_at,
        issued_at: Some(now),
        data_key: Some(data_key.to_hex()),
        user,
        loneliness_policy: state.loneliness_policy,
        clip_policy: Some(state.clip_policy.clone()),
        retention: state.retention,
        screen_lock: state.screen_lock,
    })
}

/// The sync answer as sent: the fields of [`SyncResponse`] (which the
/// OpenAPI document describes and devices read), with each change's record
/// passed on as the JSON it was stored as.
#[derive(Debug, Serialize)]
pub struct SyncAnswer {
    /// See [`SyncResponse::acknowledged_seq`].
    pub acknowledged_seq: u64,
    /// See [`SyncResponse::rejections`].
    pub rejections: Vec<naervaer_domain::Rejection>,
    /// See [`SyncResponse::gap`].
    pub gap: Option<naervaer_domain::Gap>,
    /// See [`SyncResponse::changes`].
    pub changes: Vec<crate::store::SentRow>,
    /// See [`SyncResponse::next_cursor`].
    pub next_cursor: u64,
    /// See [`SyncResponse::more`].
    pub more: bool,
    /// See [`SyncResponse::server_time`].
    pub server_time: chrono::DateTime<chrono::Utc>,
    /// See [`SyncResponse::database_id`].
    pub database_id: uuid::Uuid,
    /// See [`SyncResponse::cursor_tag`].
    pub cursor_tag: u64,
    /// See [`SyncResponse::feed_lost`].
    pub feed_lost: bool,
    /// See [`SyncResponse::seqs_lost`].
    pub seqs_lost: bool,
    /// See [`SyncResponse::seq_reused`].
    pub seq_reused: Option<u64>,
    /// See [`SyncResponse::scope`].
    pub scope: String,
    /// See [`SyncResponse::protocol`].
    pub protocol: u32,
}

/// Pushes pending mutations and pulls changes in one round trip.
#[utoipa::path(
    post, path = "/api/v1/sync", request_body = SyncRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pushed and pulled", body = SyncResponse),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The client id belongs to another user", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Wrong fields", body = ErrorBody),
        (status = 426, description = "The app is older than this server serves (`app_too_old`): update it; its changes stay on the device", body = ErrorBody),
    )
)]
pub async fn sync<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    AuthUser(user): AuthUser,
    ApiJson(request): ApiJson<SyncRequest>,
) -> Result<Json<SyncAnswer>, ApiError> {
    let limit = request.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(ApiError::invalid(
            "invalid_limit",
            format!("limit must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    if request.mutations.len() > MAX_MUTATIONS_PER_REQUEST {
        return Err(ApiError::invalid(
            "too_many_mutations",
            format!("push at most {MAX_MUTATIONS_PER_REQUEST} mutations per request"),
        ));
    }
    if let Some(name) = request.number_too_large() {
        return Err(ApiError::invalid(
            "number_too_large",
            format!("{name} is above {LARGEST_NUMBER}, which no server sends"),
        ));
    }
    if request.mutations.iter().any(|m| m.seq == 0) {
        return Err(ApiError::invalid("invalid_seq", "seq starts at 1"));
    }
    if request.protocol < MIN_PROTOCOL_VERSION {
        return Err(ApiError::BadRequest {
            status: StatusCode::UPGRADE_REQUIRED,
            code: "app_too_old",
            message: format!(
                "this app speaks protocol {}; this server needs at least {MIN_PROTOCOL_VERSION}: update the app (its changes stay on the device)",
                request.protocol
            ),
        });
    }
    let now = (state.now)();
    let keep = Keep::at(&state.retention, now);
    let (pushed, page) = rules::sync(&state.store, &user, &request, limit, &keep, now).await?;
    Ok(Json(SyncAnswer {
        acknowledged_seq: pushed.acknowledged_seq,
        rejections: pushed.rejections,
        gap: pushed.gap,
        changes: page.changes,
        next_cursor: page.next_cursor,
        more: page.more,
        server_time: now,
        database_id: state.store.database_id(),
        cursor_tag: page.cursor_tag,
        feed_lost: page.feed_lost,
        seqs_lost: pushed.seqs_lost,
        seq_reused: pushed.seq_reused,
        scope: rules::scope_of(&user).wire_name(),
        protocol: PROTOCOL_VERSION,
    }))
}

/// Says whether the server is alive and its database answers (for a load
/// balancer's health check: a 503 takes the instance out of rotation).
#[utoipa::path(
    get, path = "/api/v1/health",
    responses(
        (status = 200, description = "Serving; the database answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
pub async fn health<S: Store>(State(state): State<Arc<AppState<S>>>) -> (StatusCode, Json<Health>) {
    let reachable = match state.store.ping().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!("health: the database does not answer: {e}");
            false
        }
    };
    let (code, status, database) = if reachable {
        (StatusCode::OK, "ok", "reachable")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "unreachable",
        )
    };
    (
        code,
        Json(Health {
            status,
            database,
            version: env!("CARGO_PKG_VERSION"),
        }),
    )
}

/// Any path under `/api` that is not an endpoint.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// An endpoint called with a method it does not take.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
