//! The logged-in session, kept in storage so a reload (offline too) stays
//! logged in until the login ends.

use chrono::{DateTime, Utc};
use gloo_storage::Storage;
use naervaer_domain::SessionResponse;
use serde::{Deserialize, Serialize};

use naervaer_sync::sealed::{RowCipher, Sealing};
use uuid::Uuid;

use crate::crypto::WebCipher;
use crate::settings::{from_storage_error, read_json, storage_available};
use crate::store::DeviceStoreError;

/// The storage key of the session. Another window's login or logout changes
/// it, and the `storage` event tells this window (see `actions::session`).
pub const SESSION_KEY: &str = "nv:session";

fn token_key(user: Uuid) -> String {
    format!("nv:token:{user}")
}

fn known_key(user: Uuid) -> String {
    format!("{KNOWN_PREFIX}{user}")
}

const KNOWN_PREFIX: &str = "nv:login:";

/// A user who logged in on this device (a shared tablet has several): kept,
/// without a token, so that the user can unlock offline after another's
/// turn, and so that the login form can say whose changes wait here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Known {
    /// The user's last login here (token removed).
    pub session: Session,
    /// Changes of the user's that were waiting when the user last left.
    pub waiting: usize,
}

fn token_aad(user: Uuid) -> Vec<u8> {
    format!("naervaer token v1/{user}").into_bytes()
}

/// A login on this device: the server's answer to the login, kept as it
/// came (token, expiry, user, and the municipality's policies), and when the
/// login ends by this device's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The server's answer.
    pub server: SessionResponse,
    /// When the login ends, by this device's clock: the login's lifetime
    /// counted from when the answer came, so a clock that is days off
    /// neither ends a fresh login nor keeps an old one open.
    pub until: DateTime<Utc>,
}

impl std::ops::Deref for Session {
    type Target = SessionResponse;

    fn deref(&self) -> &SessionResponse {
        &self.server
    }
}

impl Session {
    /// The session the server just gave, received at `now` (this device's
    /// clock), and the user's data key taken out of it (the session is
    /// stored; the key never is, as sent). A server that does not say when
    /// it made the token is taken at its word (its expiry, on its clock).
    pub fn received(mut server: SessionResponse, now: DateTime<Utc>) -> (Session, Option<String>) {
        let data_key = server.data_key.take();
        let until = server
            .lifetime()
            .map_or(server.expires_at, |lifetime| now + lifetime);
        (Session { server, until }, data_key)
    }

    /// Whether the password may still open the device offline at `now`
    /// (this device's clock): for the municipality's number of days after
    /// the login's answer came. Offline unlocks do not extend it; only an
    /// online login does.
    pub fn opens_offline(&self, now: DateTime<Utc>) -> bool {
        let policy = self.screen_lock.or_default();
        let received = self.until - self.server.lifetime().unwrap_or_default();
        now < received + chrono::Duration::days(i64::from(policy.offline_unlock_days))
    }

    /// Whether the login has ended: the user must log in again before
    /// anything of the citizens is shown.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.until
    }

    /// The saved session, if any: as saved now, or as versions before kept
    /// it (the server's answer alone). A damaged entry counts as none.
    pub fn load() -> Option<Session> {
        storage_available().ok()?;
        read_json::<Session>(SESSION_KEY).ok().or_else(|| {
            let server = read_json::<SessionResponse>(SESSION_KEY).ok()?;
            Some(Session {
                until: server.expires_at,
                server,
            })
        })
    }

    /// Saves the session, its token sealed with the user's keys (whoever
    /// reads the device's storage cannot use it to ask the server for the
    /// citizens); the rest is kept readable, for the locked start.
    pub async fn save_sealed(&self, cipher: &WebCipher) -> Result<(), DeviceStoreError> {
        storage_available()?;
        let user = self.user.id;
        let sealed = cipher
            .seal(vec![Sealing {
                aad: token_aad(user),
                bytes: self.token.clone().into_bytes(),
            }])
            .await
            .map_err(|e| DeviceStoreError::Write(e.to_string()))?;
        let hex: String = sealed.concat().iter().map(|b| format!("{b:02x}")).collect();
        gloo_storage::LocalStorage::set(token_key(user), hex).map_err(from_storage_error)?;
        self.store_current()
    }

    /// Stores the session as this device's current login (its token is
    /// kept sealed apart, see [`Session::save_sealed`]), and among the
    /// users known here.
    pub fn store_current(&self) -> Result<(), DeviceStoreError> {
        storage_available()?;
        let mut kept = self.clone();
        kept.server.token = String::new();
        let known = Known {
            session: kept.clone(),
            waiting: 0,
        };
        gloo_storage::LocalStorage::set(known_key(self.user.id), &known)
            .map_err(from_storage_error)?;
        gloo_storage::LocalStorage::set(SESSION_KEY, &kept).map_err(from_storage_error)
    }

    /// The users known on this device.
    pub fn known() -> Vec<Known> {
        let Ok(storage) = storage_available() else {
            return Vec::new();
        };
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(KNOWN_PREFIX))
            .collect();
        keys.iter()
            .filter_map(|k| read_json::<Known>(k).ok())
            .collect()
    }

    /// The last login here of the user named `username`, if any.
    pub fn known_named(username: &str) -> Option<Session> {
        Session::known()
            .into_iter()
            .map(|k| k.session)
            .find(|s| s.user.username == username)
    }

    /// Notes how many of the user's changes wait here as the user leaves.
    pub fn note_waiting(user: Uuid, waiting: usize) {
        if let Ok(mut known) = read_json::<Known>(&known_key(user)) {
            known.waiting = waiting;
            let _noted = gloo_storage::LocalStorage::set(known_key(user), &known);
        }
    }

    /// Forgets the user's sealed token.
    pub fn forget_token(user: Uuid) {
        if storage_available().is_ok() {
            gloo_storage::LocalStorage::delete(token_key(user));
        }
    }

    /// Forgets the user on this device (nothing of theirs is left here).
    pub fn forget_known(user: Uuid) {
        if storage_available().is_ok() {
            gloo_storage::LocalStorage::delete(known_key(user));
        }
    }

    /// Takes the token kept sealed beside the stored session, opened with
    /// the user's keys (a session stored by an earlier version keeps its
    /// own). Without it, the next sync asks the user to log in online.
    pub async fn open_token(&mut self, cipher: &WebCipher) {
        if !self.token.is_empty() {
            return;
        }
        let Some(sealed) = gloo_storage::LocalStorage::get::<String>(token_key(self.user.id))
            .ok()
            .and_then(|hex| crate::crypto::wrap::unhex(&hex))
        else {
            return;
        };
        let opened = cipher
            .open(vec![Sealing {
                aad: token_aad(self.user.id),
                bytes: sealed,
            }])
            .await;
        if let Some(Ok(token)) = opened.into_iter().next() {
            self.server.token = String::from_utf8(token).unwrap_or_default();
        }
    }

    /// Forgets the session and its sealed token (the user's data is
    /// cleared separately).
    pub fn clear() {
        if storage_available().is_ok() {
            if let Some(session) = Session::load() {
                gloo_storage::LocalStorage::delete(token_key(session.user.id));
            }
            gloo_storage::LocalStorage::delete(SESSION_KEY);
        }
    }

    /// Whether `other` is the same login: the same user, logged in at the
    /// same moment (the stored session does not show its token).
    pub fn same_login(&self, other: Option<&Session>) -> bool {
        other.is_some_and(|o| {
            o.user.id == self.user.id
                && o.issued_at == self.issued_at
                && o.expires_at == self.expires_at
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use naervaer_domain::{Role, User};

    fn answer(issued: Option<DateTime<Utc>>, expires: DateTime<Utc>) -> SessionResponse {
        SessionResponse {
            token: "t".into(),
            expires_at: expires,
            issued_at: issued,
            data_key: None,
            user: User {
                id: uuid::Uuid::from_u128(1),
                username: "anna".into(),
                name: "Anna Holm".into(),
                role: Role::Worker,
                team: Some("Nord".into()),
                citizen_id: None,
            },
            loneliness_policy: Default::default(),
            clip_policy: None,
            retention: Default::default(),
            screen_lock: Default::default(),
        }
    }

    #[test]
    fn a_login_lasts_its_lifetime_on_a_device_whose_clock_is_days_off() {
        let server_now = DateTime::parse_from_rfc3339("2026-12-03T08:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let server = answer(Some(server_now), server_now + Duration::hours(12));
        for off in [Duration::days(60), Duration::days(-60), Duration::zero()] {
            let device_now = server_now + off;
            let (session, _key) = Session::received(server.clone(), device_now);
            assert!(!session.expired(device_now), "ended at once ({off})");
            assert!(!session.expired(device_now + Duration::hours(11)));
            assert!(
                session.expired(device_now + Duration::hours(12)),
                "kept open ({off})"
            );
        }
    }

    #[test]
    fn the_password_opens_the_device_offline_for_a_week_after_the_online_login() {
        let server_now = DateTime::parse_from_rfc3339("2026-12-03T08:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let server = answer(Some(server_now), server_now + Duration::hours(12));
        let device_now = server_now + Duration::days(30);
        let (session, _key) = Session::received(server, device_now);
        assert!(session.opens_offline(device_now + Duration::days(6)));
        assert!(!session.opens_offline(device_now + Duration::days(7)));
    }

    #[test]
    fn a_server_that_does_not_say_when_it_made_the_token_is_taken_at_its_word() {
        let expires = Utc::now() + Duration::hours(1);
        let (session, _key) =
            Session::received(answer(None, expires), Utc::now() - Duration::days(5));
        assert_eq!(session.until, expires);
    }

    #[test]
    fn the_data_key_is_taken_out_of_the_session_that_is_stored() {
        let mut server = answer(Some(Utc::now()), Utc::now() + Duration::hours(12));
        server.data_key = Some("ab".repeat(32));
        let (session, key) = Session::received(server, Utc::now());
        assert_eq!(key.as_deref(), Some("ab".repeat(32).as_str()));
        assert_eq!(session.server.data_key, None);
        let stored = serde_json::to_string(&session).unwrap_or_default();
        assert!(
            !stored.contains("abab"),
            "the key would be stored: {stored}"
        );
    }
}
