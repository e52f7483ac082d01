//! What every request handler shares.

use crate::store::Store;

/// Shared server state.
pub struct AppState<S: Store> {
    /// Where everything is kept.
    pub store: S,
    /// How long a login lasts, and how long without a request.
    pub sessions: crate::sessions::SessionPolicy,
    /// The municipality's loneliness-detection rules.
    pub loneliness_policy: naervaer_domain::loneliness::LonelinessPolicy,
    /// The municipality's klippekort rules.
    pub clip_policy: naervaer_domain::clips::ClipPolicy,
    /// How much synced history devices keep (sent with the login).
    pub retention: naervaer_domain::retention::RetentionPolicy,
    /// When an unused app locks its screen (sent with the login).
    pub screen_lock: naervaer_domain::screen_lock::LockPolicy,
    /// Failed logins counted, and password checks bounded.
    pub throttle: crate::throttle::LoginThrottle,
    /// Whether local passwords log in.
    pub password_login: bool,
    /// Login through the municipality's identity provider, when set up.
    pub oidc: Option<std::sync::Arc<crate::oidc::Oidc>>,
    /// Timeouts, trusted proxies and HTTPS.
    pub http: crate::http_limits::HttpSettings,
    /// The clock (the wall clock; the simulation's own time in a simulation).
    pub now: fn() -> chrono::DateTime<chrono::Utc>,
}
