//! A small identity provider for the attack tests: discovery, keys, an
//! authorization endpoint that logs anyone in at once, and a token endpoint
//! that checks the code (once) and the PKCE verifier, then answers with an
//! ID token made as the test asks: right, or with a wrong nonce, audience,
//! issuer, an expiry in the past, a tampered payload, or a key the server
//! does not know. The real provider (npm `oidc-provider`) is driven by the
//! end-to-end tests; this one can misbehave on purpose.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, EmptyAdditionalClaims, EndUserUsername, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// This provider's signing key (made for these tests only; it signs
/// nothing else).
const KEY_PEM: &str = include_str!("fixtures/test-idp-key.pem");
/// A key it does not publish.
const OTHER_KEY_PEM: &str = include_str!("fixtures/test-idp-other-key.pem");

/// How the next ID tokens are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mischief {
    /// A right token.
    None,
    /// Another login's nonce.
    WrongNonce,
    /// Made for another client.
    WrongAudience,
    /// Made by another issuer.
    WrongIssuer,
    /// Expired an hour ago.
    Expired,
    /// The payload changed after signing (another user's name).
    Tampered,
    /// Signed by a key the provider does not publish.
    UnknownKey,
}

#[derive(Debug, Clone)]
struct Pending {
    nonce: String,
    challenge: String,
    redirect: String,
}

struct Inner {
    issuer: String,
    client_id: String,
    key: CoreRsaPrivateSigningKey,
    codes: Mutex<BTreeMap<String, Pending>>,
    mischief: Mutex<Mischief>,
    user: Mutex<String>,
    subject: Mutex<Option<String>>,
}

/// A running fake provider.
#[derive(Clone)]
pub struct FakeIdp {
    inner: Arc<Inner>,
    /// Its issuer URL.
    pub issuer: String,
}

impl FakeIdp {
    /// Starts one on 127.0.0.1 for `client_id`, logging in as `user`.
    pub async fn start(client_id: &str, user: &str) -> FakeIdp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let key = CoreRsaPrivateSigningKey::from_pem(KEY_PEM, Some(JsonWebKeyId::new("k1".into())))
            .expect("test key");
        let inner = Arc::new(Inner {
            issuer: issuer.clone(),
            client_id: client_id.into(),
            key,
            codes: Mutex::new(BTreeMap::new()),
            mischief: Mutex::new(Mischief::None),
            user: Mutex::new(user.into()),
            subject: Mutex::new(None),
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeIdp { inner, issuer }
    }

    /// Makes the next ID tokens so.
    pub fn misbehave(&self, mischief: Mischief) {
        if let Ok(mut m) = self.inner.mischief.lock() {
            *m = mischief;
        }
    }

    /// Gives the person this `sub` from now on (`None`: `sub-USER`).
    pub fn with_subject(&self, subject: Option<&str>) {
        if let Ok(mut s) = self.inner.subject.lock() {
            *s = subject.map(str::to_owned);
        }
    }

    /// Logs in as another user from now on.
    pub fn log_in_as(&self, user: &str) {
        if let Ok(mut u) = self.inner.user.lock() {
            *u = user.into();
        }
    }
}

async fn discovery(State(idp): State<Arc<Inner>>) -> Json<serde_json::Value> {
    let i = &idp.issuer;
    Json(serde_json::json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(idp): State<Arc<Inner>>) -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![idp.key.as_verification_key()]))
}

#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    redirect_uri: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

async fn authorize(State(idp): State<Arc<Inner>>, Query(q): Query<AuthorizeQuery>) -> Response {
    if q.code_challenge_method != "S256" {
        return (StatusCode::BAD_REQUEST, "S256 only").into_response();
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    if let Ok(mut codes) = idp.codes.lock() {
        codes.insert(
            code.clone(),
            Pending {
                nonce: q.nonce,
                challenge: q.code_challenge,
                redirect: q.redirect_uri.clone(),
            },
        );
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    let location = format!("{}?code={code}&state={}", q.redirect_uri, q.state);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    code: String,
    code_verifier: String,
    redirect_uri: String,
}

fn invalid_grant(why: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({"error": "invalid_grant", "error_description": why})),
    )
        .into_response()
}

async fn token(State(idp): State<Arc<Inner>>, Form(form): Form<TokenForm>) -> Response {
    // A code works once.
    let pending = idp.codes.lock().ok().and_then(|mut c| c.remove(&form.code));
    let Some(pending) = pending else {
        return invalid_grant("unknown or used code");
    };
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(form.code_verifier.as_bytes()));
    if challenge != pending.challenge {
        return invalid_grant("PKCE verifier does not match");
    }
    if form.redirect_uri != pending.redirect {
        return invalid_grant("redirect_uri differs");
    }
    let mischief = idp.mischief.lock().map(|m| *m).unwrap_or(Mischief::None);
    let user = idp.user.lock().map(|u| u.clone()).unwrap_or_default();
    let subject = idp.subject.lock().ok().and_then(|s| s.clone());
    let now = chrono::Utc::now();
    let (issuer, audience, expires, nonce) = match mischief {
        Mischief::WrongIssuer => (
            "https://evil.example".to_owned(),
            idp.client_id.clone(),
            now + chrono::Duration::minutes(5),
            pending.nonce,
        ),
        Mischief::WrongAudience => (
            idp.issuer.clone(),
            "another-client".to_owned(),
            now + chrono::Duration::minutes(5),
            pending.nonce,
        ),
        Mischief::Expired => (
            idp.issuer.clone(),
            idp.client_id.clone(),
            now - chrono::Duration::hours(1),
            pending.nonce,
        ),
        Mischief::WrongNonce => (
            idp.issuer.clone(),
            idp.client_id.clone(),
            now + chrono::Duration::minutes(5),
            "another-login".to_owned(),
        ),
        _ => (
            idp.issuer.clone(),
            idp.client_id.clone(),
            now + chrono::Duration::minutes(5),
            pending.nonce,
        ),
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(issuer).expect("issuer"),
        vec![Audience::new(audience)],
        expires,
        now - chrono::Duration::seconds(5),
        StandardClaims::new(SubjectIdentifier::new(
            subject.unwrap_or_else(|| format!("sub-{user}")),
        ))
        .set_preferred_username(Some(EndUserUsername::new(user))),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let other;
    let signing_key = if mischief == Mischief::UnknownKey {
        // Another key, published nowhere.
        other =
            CoreRsaPrivateSigningKey::from_pem(OTHER_KEY_PEM, Some(JsonWebKeyId::new("k2".into())))
                .expect("other key");
        &other
    } else {
        &idp.key
    };
    let id_token = CoreIdToken::new(
        claims,
        signing_key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .expect("sign");
    let mut id_token = id_token.to_string();
    if mischief == Mischief::Tampered {
        id_token = tamper(&id_token);
    }
    Json(serde_json::json!({
        "access_token": "fake-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

/// The token with its payload's user name changed, the signature kept.
fn tamper(jwt: &str) -> String {
    let parts: Vec<&str> = jwt.split('.').collect();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload: serde_json::Value =
        serde_json::from_slice(&engine.decode(parts[1]).expect("b64")).expect("json");
    payload["preferred_username"] = "dorte".into();
    let payload = engine.encode(serde_json::to_vec(&payload).expect("json"));
    format!("{}.{payload}.{}", parts[0], parts[2])
}
