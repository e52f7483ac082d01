//! The logged-in session, kept in storage so a reload (offline too) stays logged in.

use chrono::{DateTime, Utc};
use gloo_storage::Storage;
use naervaer_domain::SessionResponse;
use serde::{Deserialize, Serialize};

use crate::settings::{from_storage_error, read_json, storage_available};
use crate::store::DeviceStoreError;

const SESSION_KEY: &str = "nv:session";

/// A login on this device: the server's answer to the login, kept as it
/// came (token, expiry, user, and the municipality's policies). Stored in the
/// same shape, so the app carries one reader for both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Session(pub SessionResponse);

impl std::ops::Deref for Session {
    type Target = SessionResponse;

    fn deref(&self) -> &SessionResponse {
        &self.0
    }
}

impl From<SessionResponse> for Session {
    fn from(r: SessionResponse) -> Self {
        Session(r)
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
        read_json(SESSION_KEY).ok()
    }

    /// Saves the session.
    pub fn save(&self) -> Result<(), DeviceStoreError> {
        storage_available()?;
        gloo_storage::LocalStorage::set(SESSION_KEY, self).map_err(from_storage_error)
    }

    /// Forgets the session (the user's data is cleared separately).
    pub fn clear() {
        if storage_available().is_ok() {
            gloo_storage::LocalStorage::delete(SESSION_KEY);
        }
    }
}
