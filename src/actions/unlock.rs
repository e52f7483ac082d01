//! Opening the device's data with the user's password: online, the server's
//! login sends the user's data key and the device keeps it wrapped under the
//! password; offline, the password unwraps the key kept here. The keys live
//! only in memory, as non-extractable Web Crypto keys, until the next lock,
//! logout or start. After [`wrap::MAX_TRIES`] wrong passwords only an online
//! login opens the device (nothing is deleted).

use std::sync::Arc;

use naervaer_sync::DeviceStore;
use naervaer_sync::sealed::{CipherError, RowStore, SealedStore, Table};
use uuid::Uuid;

use crate::crypto::WebCipher;
use crate::crypto::wrap::{self, unhex};
use crate::i18n::td_string;
use crate::notice::Notice;
use crate::rows::IdbRows;
use crate::session::Session;

fn cipher_failed(e: CipherError) -> Notice {
    Notice::Worded(Arc::new(move |l| {
        td_string!(l, unlock_failed, detail = e.to_string())
    }))
}

/// What the device's storage says of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opens {
    /// It opens the user's data, or there is none yet.
    Yes,
    /// The user's data is sealed under another key.
    No,
    /// The storage could not be read (none at all, in a private window):
    /// the app works from memory and says so; a key kept here stays.
    Unknown,
}

async fn opens(user: Uuid, cipher: &WebCipher) -> Opens {
    let rows = IdbRows::for_user(user);
    match rows.keys(Table::Meta).await {
        Err(_) => Opens::Unknown,
        Ok(keys) if keys.is_empty() => Opens::Yes,
        Ok(_) => {
            let store = SealedStore::new(rows, std::rc::Rc::new(cipher.clone()), user);
            match store.meta().await {
                Ok(_) => Opens::Yes,
                Err(naervaer_sync::DeviceStoreError::Read(_)) => Opens::No,
                Err(_) => Opens::Unknown,
            }
        }
    }
}

/// The keys after an online login: the server's key for the user, wrapped
/// here under the password just used (again after a password change
/// elsewhere). If the device's data was sealed under another key (the
/// server's database went back to before this user's key was made), the key
/// kept here opens it instead; if neither does, nothing is opened or
/// written over.
pub async fn after_login(
    user: Uuid,
    data_key: Option<String>,
    password: &str,
) -> Result<WebCipher, Notice> {
    let key = data_key
        .as_deref()
        .and_then(unhex)
        .filter(|k| k.len() == 32)
        .ok_or(Notice::Text(|l| td_string!(l, unlock_no_key)))?;
    let base = wrap::import(&key).await.map_err(cipher_failed)?;
    let cipher = WebCipher::from_data_key(&base)
        .await
        .map_err(cipher_failed)?;
    let verdict = opens(user, &cipher).await;
    if verdict == Opens::Yes || (verdict == Opens::Unknown && wrap::stored(user).is_none()) {
        let wrapped = wrap::wrap(&key, password, user)
            .await
            .map_err(cipher_failed)?;
        wrap::keep(user, &wrapped).map_err(cipher_failed)?;
        return Ok(cipher);
    }
    if verdict == Opens::Unknown {
        return Ok(cipher);
    }
    if let Some(wrapped) = wrap::stored(user)
        && let Ok(base) = wrap::unwrap(&wrapped, password, user).await
    {
        let kept = WebCipher::from_data_key(&base)
            .await
            .map_err(cipher_failed)?;
        if opens(user, &kept).await == Opens::Yes {
            return Ok(kept);
        }
    }
    Err(Notice::Text(|l| td_string!(l, unlock_data_not_opened)))
}

/// The keys unwrapped offline with the password, for the user of the
/// stored session. A wrong password counts; after the last try only an
/// online login opens the device.
pub async fn offline(session: &Session, password: &str) -> Result<WebCipher, Notice> {
    let user = session.user.id;
    if wrap::wrong_tries(user) >= wrap::MAX_TRIES {
        return Err(Notice::Text(|l| td_string!(l, unlock_too_many)));
    }
    if !session.opens_offline(chrono::Utc::now()) {
        return Err(Notice::Text(|l| td_string!(l, unlock_offline_too_long)));
    }
    let Some(wrapped) = wrap::stored(user) else {
        return Err(Notice::Text(|l| td_string!(l, login_offline)));
    };
    match wrap::unwrap(&wrapped, password, user).await {
        Ok(base) => {
            wrap::keep(user, &wrapped).map_err(cipher_failed)?;
            WebCipher::from_data_key(&base).await.map_err(cipher_failed)
        }
        Err(CipherError::Refused) => {
            let tries = wrap::count_wrong_try(user);
            let left = wrap::MAX_TRIES.saturating_sub(tries);
            if left == 0 {
                return Err(Notice::Text(|l| td_string!(l, unlock_too_many)));
            }
            Err(Notice::Worded(Arc::new(move |l| {
                td_string!(l, unlock_wrong, left = left)
            })))
        }
        Err(e) => Err(cipher_failed(e)),
    }
}
