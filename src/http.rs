//! JSON over `fetch`, with errors a person can be shown.

use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Why a request failed (the sync crate's transport error, with Danish messages).
pub use naervaer_sync::TransportError as HttpError;

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

fn js_text(v: &JsValue) -> String {
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}

/// How long one request may take, answer included (a first-sync page of
/// 200 records takes well under a second).
const REQUEST_TIMEOUT_MS: u32 = 60_000;

/// POSTs `body` as JSON to `path` (same origin), with a bearer token if given.
pub async fn post_json<Req: Serialize, Resp: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    body: &Req,
) -> Result<Resp, HttpError> {
    let json = serde_json::to_string(body).map_err(|e| HttpError::BadResponse(e.to_string()))?;
    request_json("POST", path, token, Some(json)).await
}

/// DELETEs `path` (same origin) with a bearer token; the answer's body is
/// not read beyond being JSON.
pub async fn delete(path: &str, token: &str) -> Result<(), HttpError> {
    request_json::<serde::de::IgnoredAny>("DELETE", path, Some(token), None)
        .await
        .map(|_| ())
}

/// GETs JSON from `path` (same origin) without a token (what anyone may read).
pub async fn get_public<Resp: DeserializeOwned>(path: &str) -> Result<Resp, HttpError> {
    request_json("GET", path, None, None).await
}

/// GETs JSON from `path` (same origin) with a bearer token.
pub async fn get_json<Resp: DeserializeOwned>(path: &str, token: &str) -> Result<Resp, HttpError> {
    request_json("GET", path, Some(token), None).await
}

async fn request_json<Resp: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<String>,
) -> Result<Resp, HttpError> {
    let window = web_sys::window().ok_or(HttpError::Offline)?;
    let headers = Headers::new().map_err(|e| HttpError::BadResponse(js_text(&e)))?;
    if json.is_some() {
        headers
            .set("Content-Type", "application/json")
            .map_err(|e| HttpError::BadResponse(js_text(&e)))?;
    }
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(|e| HttpError::BadResponse(js_text(&e)))?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    if let Some(json) = &json {
        init.set_body(&JsValue::from_str(json));
    }
    // A request that hangs (a half-open connection) ends as "offline" and is
    // retried, rather than holding the sync lock every window waits for.
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(
        REQUEST_TIMEOUT_MS,
    )));
    let request = Request::new_with_str_and_init(path, &init)
        .map_err(|e| HttpError::BadResponse(js_text(&e)))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| HttpError::Offline)?
        .dyn_into()
        .map_err(|_| HttpError::BadResponse("not a response".into()))?;
    let text_promise = response.text().map_err(|_| HttpError::Offline)?;
    let text = JsFuture::from(text_promise)
        .await
        .map_err(|_| HttpError::Offline)?
        .as_string()
        .unwrap_or_default();
    let status = response.status();
    let error = serde_json::from_str::<ErrorBody>(&text).ok();
    if status == 401 {
        // A disabled account is told apart from an ended login: the device
        // forgets the key to its data.
        return Err(match error {
            Some(body) if body.error.code == naervaer_domain::protocol::ACCOUNT_DISABLED => {
                HttpError::AccountDisabled
            }
            _ => HttpError::Unauthorized,
        });
    }
    if status == 426 {
        return Err(HttpError::AppTooOld);
    }
    if !(200..300).contains(&status) {
        return Err(match error {
            Some(body) => HttpError::Status {
                status,
                code: body.error.code,
                message: body.error.message,
            },
            None => HttpError::Status {
                status,
                code: "http".into(),
                message: text.chars().take(200).collect(),
            },
        });
    }
    serde_json::from_str(&text).map_err(|e| HttpError::BadResponse(e.to_string()))
}
