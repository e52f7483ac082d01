//! Small settings in `localStorage` through gloo-storage: the session, the
//! language. The user's records and changes live in IndexedDB
//! ([`crate::store`]).

use gloo_storage::errors::StorageError;
use naervaer_sync::StoreError;
use serde::de::DeserializeOwned;

/// A browser-storage error as a store error (a full quota is `Full`).
pub fn from_storage_error(e: StorageError) -> StoreError {
    match e {
        StorageError::JsError(js) if js.name.contains("Quota") => StoreError::Full,
        StorageError::JsError(js) => StoreError::Write(format!("{}: {}", js.name, js.message)),
        StorageError::SerdeError(e) => StoreError::Read(e.to_string()),
        StorageError::KeyNotFound(k) => StoreError::Read(format!("mangler {k}")),
    }
}

/// The raw `localStorage`, or `Unavailable` (never a panic).
pub fn storage_available() -> Result<web_sys::Storage, StoreError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StoreError::Unavailable)
}

/// Reads one stored JSON value (structs as objects only, see
/// `naervaer_domain::json_object`).
pub fn read_json<T: DeserializeOwned>(key: &str) -> Result<T, StoreError> {
    read_optional(key)?.ok_or_else(|| StoreError::Read(format!("mangler {key}")))
}

/// Reads one stored JSON value, `None` when the key is not there.
pub fn read_optional<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StoreError> {
    let Some(text) = storage_available()?
        .get_item(key)
        .map_err(|_| StoreError::Unavailable)?
    else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Read(e.to_string()))
}
