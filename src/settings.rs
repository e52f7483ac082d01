//! Small settings in `localStorage` through gloo-storage: the session, the
//! language. The user's records and changes live in IndexedDB
//! ([`crate::store`]).

use gloo_storage::errors::StorageError;
use naervaer_sync::DeviceStoreError;
use serde::de::DeserializeOwned;

/// A browser-storage error as a store error (a full quota is `Full`).
pub fn from_storage_error(e: StorageError) -> DeviceStoreError {
    match e {
        StorageError::JsError(js) if js.name.contains("Quota") => DeviceStoreError::Full,
        StorageError::JsError(js) => {
            DeviceStoreError::Write(format!("{}: {}", js.name, js.message))
        }
        StorageError::SerdeError(e) => DeviceStoreError::Read(e.to_string()),
        StorageError::KeyNotFound(k) => DeviceStoreError::Read(format!("mangler {k}")),
    }
}

/// The raw `localStorage`, or `Unavailable` (never a panic).
pub fn storage_available() -> Result<web_sys::Storage, DeviceStoreError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(DeviceStoreError::Unavailable)
}

/// Reads one stored JSON value (structs as objects only, see
/// `naervaer_domain::json_object`).
pub fn read_json<T: DeserializeOwned>(key: &str) -> Result<T, DeviceStoreError> {
    read_optional(key)?.ok_or_else(|| DeviceStoreError::Read(format!("missing {key}")))
}

/// Reads one stored JSON value, `None` when the key is not there.
pub fn read_optional<T: DeserializeOwned>(key: &str) -> Result<Option<T>, DeviceStoreError> {
    let Some(text) = storage_available()?
        .get_item(key)
        .map_err(|_| DeviceStoreError::Unavailable)?
    else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| DeviceStoreError::Read(e.to_string()))
}
