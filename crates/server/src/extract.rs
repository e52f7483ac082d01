//! Request extractors whose failures are API errors: a JSON body, and the
//! logged-in user from a bearer token.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use naervaer_domain::User;
use serde::de::DeserializeOwned;

use crate::auth::token_hash;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{SessionOwner, Store};

/// A JSON body; its parse errors become 4xx API errors.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

/// The bearer token of a request (`Authorization: Bearer …`).
pub struct BearerToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(ApiError::Unauthorized("log in first: no bearer token"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized(
                "the Authorization header must be 'Bearer <token>'",
            ))?;
        Ok(BearerToken(token.to_string()))
    }
}

/// The address the request came from, where the server knows it (the
/// listener's peer; a reverse proxy's own address behind one).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let edge = parts.extensions.get::<crate::http_limits::ClientIp>();
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(
            edge.map(|ip| ip.0).or_else(|| peer.map(|info| info.0.ip())),
        ))
    }
}

/// The user behind a valid, unexpired bearer token.
pub struct AuthUser(pub User);

impl<St: Store> FromRequestParts<Arc<AppState<St>>> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<St>>,
    ) -> Result<Self, ApiError> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, state).await?;
        let hash = token_hash(&token);
        let now = (state.now)();
        let (owner, times) =
            state
                .store
                .session_user(&hash, now)
                .await?
                .ok_or(ApiError::Unauthorized(
                    "the session has expired or is unknown; log in again",
                ))?;
        match owner {
            SessionOwner::Active(user) => {
                if let Some(idle_until) = state.sessions.touch(&times, now) {
                    // A touch that fails costs the user at most a login
                    // earlier than needed; the request goes on.
                    if let Err(e) = state.store.touch_session(&hash, idle_until).await {
                        tracing::warn!("could not move a session's idle end: {e}");
                    }
                }
                Ok(AuthUser(user))
            }
            SessionOwner::Disabled(_) => Err(ApiError::AccountDisabled),
        }
    }
}
