//! Login through the municipality's identity provider (OpenID Connect):
//! the authorization code flow with PKCE, state and nonce, the ID token's
//! signature and claims checked by the `openidconnect` crate. The server is
//! the OpenID client (with its secret); the app never sees the provider's
//! tokens, only a session of this server's own, as after a password login.
//!
//! The routes are in [`routes`]; the attacks it is tested against are in
//! `crates/server/tests/api/oidc.rs`.

pub mod routes;

use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use thiserror::Error;
use tokio::sync::RwLock;

/// How the server reaches the identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    /// The provider's issuer URL (its discovery document is under it).
    pub issuer: String,
    /// This server's client id at the provider.
    pub client_id: String,
    /// This server's client secret (read from a file or the environment).
    pub client_secret: String,
    /// The ID token claim that names an account (its login name), e.g.
    /// `preferred_username`, `email`, `upn`.
    pub user_claim: String,
    /// Where the provider sends the browser back: the server's public URL
    /// and `/api/v1/oidc/callback`.
    pub redirect_url: String,
}

/// Why a login through the provider failed. The messages are for the log;
/// the app shows its own text for each [`OidcError::code`].
#[derive(Debug, Error)]
pub enum OidcError {
    /// The settings cannot work (a URL that is not one).
    #[error("OpenID settings: {0}")]
    Settings(String),
    /// The provider's discovery document or keys could not be fetched.
    #[error("the identity provider cannot be reached: {0}")]
    Unreachable(String),
    /// The provider refused the code (used already, made for another
    /// login, expired) or the token request failed.
    #[error("the identity provider refused the code: {0}")]
    CodeRefused(String),
    /// The provider's answer had no ID token.
    #[error("the identity provider sent no ID token")]
    NoIdToken,
    /// The ID token did not verify: signature, issuer, audience, expiry,
    /// nonce.
    #[error("the ID token is not valid: {0}")]
    BadIdToken(String),
    /// The ID token lacks the claim that names the account.
    #[error("the ID token has no '{0}' claim")]
    MissingClaim(String),
}

impl OidcError {
    /// The code the app is sent back with.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::Settings(_) | OidcError::Unreachable(_) => "idp_unreachable",
            OidcError::CodeRefused(_) => "code_refused",
            OidcError::NoIdToken | OidcError::BadIdToken(_) => "bad_id_token",
            OidcError::MissingClaim(_) => "missing_claim",
        }
    }
}

/// A login begun: where to send the browser, and what to keep until it
/// comes back.
#[derive(Debug, Clone)]
pub struct Begun {
    /// The provider's authorization URL with this login's parameters.
    pub url: String,
    /// The `state` (CSRF protection; the ticket's id).
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier the code is exchanged with.
    pub verifier: String,
}

/// Who the provider says logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The provider's lasting id of the person: its issuer and `sub`.
    pub subject: String,
    /// The value of the claim that names the account.
    pub name: String,
}

/// How long the provider's discovery document and keys are kept.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// The most a provider's `iat` may lie in the future (clock skew).
const MAX_CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// The OpenID client: its settings, an HTTP client that follows no
/// redirects (no request forgery through the provider's answers), and the
/// provider's metadata and keys, fetched when first needed.
pub struct Oidc {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<(CoreProviderMetadata, Instant)>>,
}

impl Oidc {
    /// A client for these settings (nothing is fetched yet).
    pub fn new(settings: OidcSettings) -> Result<Oidc, OidcError> {
        let issuer = IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| OidcError::Settings(format!("issuer: {e}")))?;
        let redirect = RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| OidcError::Settings(format!("redirect URL: {e}")))?;
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Settings(e.to_string()))?;
        Ok(Oidc {
            settings,
            issuer,
            redirect,
            http,
            metadata: RwLock::new(None),
        })
    }

    /// The provider's metadata with its keys: kept for an hour, fetched
    /// anew when `fresh` (an ID token signed with a key not known yet).
    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, OidcError> {
        if !fresh
            && let Some((metadata, at)) = self.metadata.read().await.as_ref()
            && at.elapsed() < METADATA_TTL
        {
            return Ok(metadata.clone());
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| OidcError::Unreachable(error_chain(&e)))?;
        *self.metadata.write().await = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Begins a login: a fresh state, nonce and PKCE pair, and the URL to
    /// send the browser to.
    pub async fn begin(&self) -> Result<Begun, OidcError> {
        let client = self.client(self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            // Always a fresh login at the provider: on a shared tablet the
            // next worker must not be logged in as the last one.
            .add_prompt(openidconnect::core::CoreAuthPrompt::Login)
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begun {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a login: exchanges the code (with the PKCE verifier and
    /// the client secret), checks the ID token (signature with the
    /// provider's keys, issuer, audience, expiry, issue time, nonce), and
    /// returns who logged in.
    pub async fn finish(
        &self,
        code: &str,
        nonce: &str,
        verifier: &str,
    ) -> Result<Person, OidcError> {
        let client = self.client(self.metadata(false).await?);
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Settings(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::CodeRefused(error_chain(&e)))?;
        let id_token = answer.id_token().ok_or(OidcError::NoIdToken)?;
        let nonce = Nonce::new(nonce.to_owned());
        let check = |client: &CoreClient<_, _, _, _, _, _>| {
            let verifier = client
                .id_token_verifier()
                .set_issue_time_verifier_fn(|iat| {
                    if iat > chrono::Utc::now() + MAX_CLOCK_SKEW {
                        Err("issued in the future".to_owned())
                    } else {
                        Ok(())
                    }
                });
            id_token
                .claims(&verifier, &nonce)
                .map(|claims| claims.subject().as_str().to_owned())
                .map_err(|e| e.to_string())
        };
        let subject = match check(&client) {
            Ok(subject) => subject,
            // A key the provider rolled over since the keys were fetched:
            // fetch them again, once.
            Err(e) if e.contains("key") => {
                let client = self.client(self.metadata(true).await?);
                check(&client).map_err(OidcError::BadIdToken)?
            }
            Err(e) => return Err(OidcError::BadIdToken(e)),
        };
        let claims = payload(&id_token.to_string()).unwrap_or_default();
        let claim = &self.settings.user_claim;
        let name = if claim == "sub" {
            Some(subject.clone())
        } else {
            claims
                .get(claim)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let name = name.ok_or_else(|| OidcError::MissingClaim(claim.clone()))?;
        // An e-mail address names a person only once the provider has
        // checked that it is theirs.
        if claim == "email" && claims.get("email_verified") != Some(&serde_json::Value::Bool(true))
        {
            return Err(OidcError::MissingClaim("email_verified".into()));
        }
        Ok(Person {
            subject: format!("{} {subject}", self.settings.issuer),
            name,
        })
    }
}

/// The claims of a JWT whose signature has been checked: its payload (the
/// middle part) decoded.
fn payload(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// An error with its causes, for the log.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
#[path = "claims_tests.rs"]
mod tests;
