//! The routes of a login through the identity provider:
//!
//! 1. `GET /api/v1/oidc/start`: a login begins. Its state, nonce and PKCE
//!    verifier are kept as a one-time ticket, bound to this browser by a
//!    cookie (HttpOnly, SameSite=Lax), and the browser goes to the provider.
//! 2. `GET /api/v1/oidc/callback`: the provider sends the browser back with
//!    a code. The ticket of its state is taken (once), the browser must
//!    hold its cookie, the code is exchanged and the ID token checked; the
//!    claim names the account. The browser goes back to the app with a
//!    one-time handoff code (or `login_error=…`): never a token in a URL.
//! 3. `POST /api/v1/session/handoff`: the app, in the same browser, trades
//!    the handoff code (once, within two minutes) for a session, as a
//!    password login would give.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use naervaer_domain::SessionResponse;
use serde::{Deserialize, Serialize};

use crate::account_log::{AccountEvent, AccountEventKind};
use crate::accounts::plain_username;
use crate::auth::{new_token, token_hash};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ClientAddr};
use crate::state::AppState;
use crate::store::{LoginTicket, Store};

/// The login cookie that binds a login to the browser that began it.
pub const COOKIE: &str = "nv_login";
/// Its name over HTTPS: a `__Host-` cookie is Secure, for this host only,
/// on every path, and cannot be planted by a sibling subdomain.
pub const HOST_COOKIE: &str = "__Host-nv_login";

fn cookie_name(https: bool) -> &'static str {
    if https { HOST_COOKIE } else { COOKIE }
}
/// How long a begun login may take at the provider.
const BEGUN_FOR: Duration = Duration::minutes(10);
/// How long the app has to collect a finished login.
const DONE_FOR: Duration = Duration::minutes(2);
const BEGUN: &str = "begun";
const DONE: &str = "done";

/// How one may log in here.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginOptions {
    /// With a login name and a local password.
    pub password: bool,
    /// Through the municipality's identity provider.
    pub municipal: bool,
}

/// How one may log in here (no login needed).
#[utoipa::path(
    get, path = "/api/v1/login-options",
    responses((status = 200, description = "The ways to log in", body = LoginOptions))
)]
pub async fn login_options<S: Store>(State(state): State<Arc<AppState<S>>>) -> Json<LoginOptions> {
    Json(LoginOptions {
        password: state.password_login,
        municipal: state.oidc.is_some(),
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct BegunPayload {
    nonce: String,
    verifier: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct DonePayload {
    username: String,
}

fn not_configured() -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::NOT_FOUND,
        code: "municipal_login_off",
        message: "login through the municipality's identity provider is not set up here".into(),
    }
}

/// The login cookie's value, if the request carries it.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

fn set_cookie(value: &str, max_age: Duration, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let text = format!(
        "{}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
        cookie_name(https),
        max_age.num_seconds()
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Back to the app with an error code it explains in words.
fn back_with_error(code: &str) -> Response {
    see_other(&format!("/?login_error={code}"))
}

/// Begins a login at the identity provider.
#[utoipa::path(
    get, path = "/api/v1/oidc/start",
    responses(
        (status = 303, description = "To the identity provider"),
        (status = 404, description = "Not set up", body = ErrorBody),
    )
)]
pub async fn start<S: Store>(State(state): State<Arc<AppState<S>>>) -> Response {
    let Some(oidc) = state.oidc.as_ref() else {
        return not_configured().into_response();
    };
    let begun = match oidc.begin().await {
        Ok(begun) => begun,
        Err(e) => {
            tracing::warn!("municipal login: {e}");
            return back_with_error(e.code());
        }
    };
    let binding = new_token();
    let now = (state.now)();
    let payload = BegunPayload {
        nonce: begun.nonce,
        verifier: begun.verifier,
    };
    let ticket = LoginTicket {
        id_hash: token_hash(&begun.state),
        kind: BEGUN.into(),
        binding_hash: token_hash(&binding),
        payload: serde_json::to_string(&payload).unwrap_or_default(),
        created_at: now,
    };
    if let Err(e) = state.store.put_ticket(&ticket, now - BEGUN_FOR).await {
        return ApiError::from(e).into_response();
    }
    let mut response = see_other(&begun.url);
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(&binding, BEGUN_FOR, state.http.https),
    );
    response
}

/// What the provider sends the browser back with.
#[derive(Debug, Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Takes a ticket of `kind` for `id`, if this browser made it and it is
/// young enough. Another browser's try leaves it.
async fn take<S: Store>(
    state: &AppState<S>,
    kind: &str,
    id: &str,
    binding: Option<&str>,
    max_age: Duration,
    now: DateTime<Utc>,
) -> Result<Option<LoginTicket>, ApiError> {
    let Some(binding) = binding else {
        return Ok(None);
    };
    let taken = state
        .store
        .take_ticket(kind, &token_hash(id), &token_hash(binding))
        .await?;
    Ok(taken.filter(|ticket| now - ticket.created_at <= max_age))
}

/// The provider sends the browser back here.
pub async fn callback<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
    match finish(&state, addr, &headers, answer).await {
        Ok(location) => see_other(&location),
        Err(Refused { code, log }) => {
            tracing::warn!("municipal login refused ({code}): {log}");
            back_with_error(code)
        }
    }
}

struct Refused {
    code: &'static str,
    log: String,
}

fn refused(code: &'static str, log: impl Into<String>) -> Refused {
    Refused {
        code,
        log: log.into(),
    }
}

async fn finish<S: Store>(
    state: &AppState<S>,
    addr: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    answer: Callback,
) -> Result<String, Refused> {
    let oidc = state
        .oidc
        .as_ref()
        .ok_or_else(|| refused("municipal_login_off", "not set up"))?;
    let now = (state.now)();
    let binding = cookie(headers, cookie_name(state.http.https));
    let store_failed = |e: ApiError| refused("server", e.to_string());
    let ticket_state = answer
        .state
        .as_deref()
        .ok_or_else(|| refused("bad_state", "no state"))?;
    let ticket = take(
        state,
        BEGUN,
        ticket_state,
        binding.as_deref(),
        BEGUN_FOR,
        now,
    )
    .await
    .map_err(store_failed)?
    .ok_or_else(|| refused("bad_state", "unknown, used, old or another browser's state"))?;
    if let Some(error) = answer.error {
        return Err(refused("idp_refused", error));
    }
    let code = answer
        .code
        .ok_or_else(|| refused("code_refused", "no code"))?;
    let begun: BegunPayload = serde_json::from_str(&ticket.payload)
        .map_err(|e| refused("server", format!("ticket: {e}")))?;
    let log_failed = |name: &str, detail: String| {
        AccountEvent::new(AccountEventKind::LoginFailed, name, now)
            .from_address(addr)
            .saying(detail)
    };
    let person = match oidc.finish(&code, &begun.nonce, &begun.verifier).await {
        Ok(person) => person,
        Err(e) => {
            let event = log_failed("", format!("municipal login: {}", e.code()));
            let _logged = state.store.record_account_event(&event).await;
            return Err(refused(e.code(), e.to_string()));
        }
    };
    // Only a plain login name names an account: no case folding beyond
    // ASCII (a provider's "\u{212A}aren" is not "karen"), nothing to trim.
    let Some(username) = plain_username(&person.name) else {
        let event = log_failed(&person.name, "municipal login: not a login name".into());
        let _logged = state.store.record_account_event(&event).await;
        return Err(refused(
            "unknown_user",
            "the claim is not a plain login name",
        ));
    };
    let found = state
        .store
        .credentials(&username)
        .await
        .map_err(|e| store_failed(e.into()))?;
    let Some(credentials) = found else {
        let event = log_failed(&username, "municipal login: no such account".into());
        let _logged = state.store.record_account_event(&event).await;
        return Err(refused(
            "unknown_user",
            format!("no account named '{username}'"),
        ));
    };
    // The account belongs to the provider's person who first logged in to
    // it; a name the provider later gives someone else does not open it.
    let linked = state
        .store
        .municipal_subject(credentials.user.id)
        .await
        .map_err(|e| store_failed(e.into()))?;
    match linked {
        Some(subject) if subject != person.subject => {
            let event = log_failed(&username, "municipal login: another person".into())
                .of(credentials.user.id);
            let _logged = state.store.record_account_event(&event).await;
            return Err(refused(
                "another_person",
                format!("'{username}' is linked to another person"),
            ));
        }
        Some(_) => {}
        None => state
            .store
            .set_municipal_subject(credentials.user.id, Some(&person.subject))
            .await
            .map_err(|e| store_failed(e.into()))?,
    }
    let user = credentials.user;
    if state
        .store
        .is_disabled(user.id)
        .await
        .map_err(|e| store_failed(e.into()))?
    {
        let event = AccountEvent::new(AccountEventKind::LoginDisabled, &username, now)
            .of(user.id)
            .from_address(addr)
            .saying("municipal login");
        let _logged = state.store.record_account_event(&event).await;
        return Err(refused("account_disabled", username));
    }
    let handoff = new_token();
    let done = LoginTicket {
        id_hash: token_hash(&handoff),
        kind: DONE.into(),
        binding_hash: ticket.binding_hash,
        payload: serde_json::to_string(&DonePayload { username }).unwrap_or_default(),
        created_at: now,
    };
    state
        .store
        .put_ticket(&done, now - BEGUN_FOR)
        .await
        .map_err(|e| store_failed(e.into()))?;
    Ok(format!("/?handoff={handoff}"))
}

/// The handoff code the app got in its address.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Handoff {
    /// The code.
    pub code: String,
}

/// Trades a finished municipal login's handoff code for a session.
#[utoipa::path(
    post, path = "/api/v1/session/handoff", request_body = Handoff,
    responses(
        (status = 200, description = "Logged in", body = SessionResponse),
        (status = 401, description = "Unknown, used or old code, or another browser's", body = ErrorBody),
    )
)]
pub async fn handoff<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(request): ApiJson<Handoff>,
) -> Result<Response, ApiError> {
    if state.oidc.is_none() {
        return Err(not_configured());
    }
    let now = (state.now)();
    let binding = cookie(&headers, cookie_name(state.http.https));
    let ticket = take(
        &state,
        DONE,
        &request.code,
        binding.as_deref(),
        DONE_FOR,
        now,
    )
    .await?
    .ok_or(ApiError::Unauthorized(
        "this login has been used, is too old, or was begun elsewhere; log in again",
    ))?;
    let done: DonePayload = serde_json::from_str(&ticket.payload)
        .map_err(|e| ApiError::Internal(format!("ticket: {e}")))?;
    let user = state
        .store
        .credentials(&done.username)
        .await?
        .ok_or(ApiError::Unauthorized("this account is gone"))?
        .user;
    if state.store.is_disabled(user.id).await? {
        return Err(ApiError::AccountDisabled);
    }
    let session = crate::api::issue_session(&state, user, addr, "municipal login").await?;
    let mut response = Json(session).into_response();
    // The login cookie has done its work.
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie("", Duration::zero(), state.http.https),
    );
    Ok(response)
}
