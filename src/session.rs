//! The logged-in session, kept in storage so a reload (offline too) stays logged in.

use chrono::{DateTime, Utc};
use gloo_storage::Storage;
use naervaer_domain::klippekort::ClipPolicy;
use naervaer_domain::loneliness::LonelinessPolicy;
use naervaer_domain::{SessionResponse, User};
use serde::{Deserialize, Serialize};

use crate::store::{StoreError, storage_available};

const SESSION_KEY: &str = "nv:session";

/// A login on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Bearer token.
    pub token: String,
    /// When the server stops accepting the token.
    pub expires_at: DateTime<Utc>,
    /// Who is logged in.
    pub user: User,
    /// The municipality's loneliness-detection rules, from the server.
    #[serde(default)]
    pub loneliness_policy: LonelinessPolicy,
    /// The municipality's klippekort rules, from the server.
    #[serde(default)]
    pub clip_policy: Option<ClipPolicy>,
}

impl From<SessionResponse> for Session {
    fn from(r: SessionResponse) -> Self {
        Session {
            token: r.token,
            expires_at: r.expires_at,
            user: r.user,
            loneliness_policy: r.loneliness_policy,
            clip_policy: r.clip_policy,
        }
    }
}

impl Session {
    /// Whether the server will no longer accept the token (the data stays usable offline).
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }

    /// The saved session, if any. A damaged entry counts as none.
    pub fn load() -> Option<Session> {
        storage_available().ok()?;
        gloo_storage::LocalStorage::get(SESSION_KEY).ok()
    }

    /// Saves the session.
    pub fn save(&self) -> Result<(), StoreError> {
        storage_available()?;
        gloo_storage::LocalStorage::set(SESSION_KEY, self).map_err(StoreError::from)
    }

    /// Forgets the session (the user's data is cleared separately).
    pub fn clear() {
        if storage_available().is_ok() {
            gloo_storage::LocalStorage::delete(SESSION_KEY);
        }
    }
}
