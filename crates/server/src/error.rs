//! API errors: every one is `{"error": {"code", "message"}}` with a fitting
//! status. Client mistakes are 4xx; internal faults are logged and answered
//! with a generic 500 that leaks nothing.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thiserror::Error;

use crate::store::StoreError;

/// An error answer of the API.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The request body or its fields are wrong.
    #[error("{message}")]
    BadRequest {
        /// HTTP status (400, 413, 415 or 422).
        status: StatusCode,
        /// Stable code.
        code: &'static str,
        /// What was wrong, for the client's developer.
        message: String,
    },
    /// No valid bearer token, or wrong username or password.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Too many failed logins, or too many at once: try again after the wait.
    #[error("too many login attempts; try again in {} s", retry_after_secs(*.0))]
    TooManyRequests(std::time::Duration),
    /// The account is disabled: its devices forget the key to its data.
    #[error("this account is disabled")]
    AccountDisabled,
    /// No such API endpoint.
    #[error("no such endpoint")]
    NotFound,
    /// The endpoint exists but not for this method.
    #[error("method not allowed on this endpoint")]
    MethodNotAllowed,
    /// The request took too long, or the database was too busy to answer
    /// in time: nothing of it was kept, and it can be sent again shortly.
    #[error("the server is busy; nothing was kept, try again shortly")]
    Busy(&'static str),
    /// Something failed inside the server.
    #[error("internal error")]
    Internal(String),
}

/// How many seconds a client is asked to wait after a 503.
pub const BUSY_RETRY_AFTER_SECS: u64 = 5;

/// The error body's inner object.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: String,
    /// Plain message.
    pub message: String,
}

/// The error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

impl ApiError {
    /// A 422 for a request that parses but breaks a rule.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            message: message.into(),
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            ApiError::BadRequest {
                status,
                code,
                message,
            } => (*status, code, message.clone()),
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, "unauthorized", (*m).into()),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", (*m).into()),
            ApiError::AccountDisabled => (
                StatusCode::UNAUTHORIZED,
                naervaer_domain::protocol::ACCOUNT_DISABLED,
                self.to_string(),
            ),
            ApiError::TooManyRequests(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                self.to_string(),
            ),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", self.to_string()),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                self.to_string(),
            ),
            ApiError::Busy(code) => (StatusCode::SERVICE_UNAVAILABLE, code, self.to_string()),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server failed; the request can be retried".into(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let (status, code, message) = self.parts();
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message,
            },
        };
        let mut response = (status, Json(body)).into_response();
        let wait = match self {
            ApiError::TooManyRequests(wait) => Some(retry_after_secs(wait)),
            ApiError::Busy(_) => Some(BUSY_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = wait {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        response
    }
}

/// A wait in whole seconds, rounded up (at least 1), as `Retry-After` says it.
fn retry_after_secs(wait: std::time::Duration) -> u64 {
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    whole.max(1)
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ClientOfOtherUser => {
                ApiError::Forbidden("this client_id belongs to another user; make a new one")
            }
            e if e.is_busy() => {
                tracing::warn!("database too busy: {e}");
                ApiError::Busy("database_busy")
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, code) = match &rejection {
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json")
            }
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
            }
            _ => (StatusCode::BAD_REQUEST, "bad_body"),
        };
        ApiError::BadRequest {
            status,
            code,
            message: rejection.body_text(),
        }
    }
}
