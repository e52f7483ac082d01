//! The user's data key as the device keeps it: never as the server sent it,
//! only wrapped (AES-256-GCM) under a key that PBKDF2-SHA256 makes from the
//! user's password with 600,000 iterations and a salt of this device. An
//! online login wraps it (again, after a password change elsewhere); an
//! offline unlock unwraps it into a non-extractable key, and a wrong
//! password does not unwrap. Kept in `localStorage` under `nv:key:<user>`,
//! with the count of wrong tries since the last unlock.

use gloo_storage::Storage;
use js_sys::Uint8Array;
use naervaer_sync::sealed::{CipherError, NONCE_LEN};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params};

use super::{bytes_of, random_bytes, subtle, usages, wait};

/// PBKDF2-SHA256 iterations (OWASP's figure for 2023 onwards).
pub const ITERATIONS: u32 = 600_000;
/// Wrong passwords before only an online login opens the device.
pub const MAX_TRIES: u32 = 10;

/// A wrapped data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    /// PBKDF2's iterations when it was wrapped.
    pub iterations: u32,
    /// PBKDF2's salt (hex).
    pub salt: String,
    /// The wrapping's nonce (hex).
    pub nonce: String,
    /// The data key, sealed (hex).
    pub key: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex (`None` if it is not).
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

fn aad(user: Uuid) -> Vec<u8> {
    format!("naervaer key v1/{user}").into_bytes()
}

fn gcm(nonce: &[u8], user: Uuid) -> AesGcmParams {
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(nonce));
    params.set_additional_data_u8_array(&Uint8Array::from(aad(user).as_slice()));
    params
}

/// The key PBKDF2 makes from a password.
async fn password_key(
    password: &str,
    salt: &[u8],
    iterations: u32,
    uses: &[&str],
) -> Result<CryptoKey, CipherError> {
    let subtle = subtle()?;
    let base = wait(subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(password.as_bytes()),
        "PBKDF2",
        false,
        &usages(&["deriveKey"]),
    ))
    .await?;
    let base: CryptoKey = base
        .dyn_into()
        .map_err(|_| CipherError::Failed("importKey gave no key".into()))?;
    let params =
        Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
    let key = wait(subtle.derive_key_with_object_and_object(
        &params,
        &base,
        &AesDerivedKeyParams::new("AES-GCM", 256),
        false,
        &usages(uses),
    ))
    .await?;
    key.dyn_into()
        .map_err(|_| CipherError::Failed("deriveKey gave no key".into()))
}

/// Wraps the data key under `password`, for `user`.
pub async fn wrap(data_key: &[u8], password: &str, user: Uuid) -> Result<Wrapped, CipherError> {
    let salt = random_bytes::<16>()?;
    let nonce = random_bytes::<NONCE_LEN>()?;
    let key = password_key(password, &salt, ITERATIONS, &["encrypt"]).await?;
    let sealed =
        wait(subtle()?.encrypt_with_object_and_u8_array(&gcm(&nonce, user), &key, data_key))
            .await?;
    Ok(Wrapped {
        iterations: ITERATIONS,
        salt: hex(&salt),
        nonce: hex(&nonce),
        key: hex(&bytes_of(&sealed)),
    })
}

/// Unwraps the data key with `password` into a non-extractable HKDF key.
/// A wrong password is [`CipherError::Refused`].
pub async fn unwrap(
    wrapped: &Wrapped,
    password: &str,
    user: Uuid,
) -> Result<CryptoKey, CipherError> {
    let field = |text: &str| unhex(text).ok_or(CipherError::NotSealed);
    let (salt, nonce, key) = (
        field(&wrapped.salt)?,
        field(&wrapped.nonce)?,
        field(&wrapped.key)?,
    );
    let unwrapping = password_key(password, &salt, wrapped.iterations, &["unwrapKey"]).await?;
    let base = wait(subtle()?.unwrap_key_with_u8_array_and_object_and_str(
        "raw",
        &key,
        &unwrapping,
        &gcm(&nonce, user),
        "HKDF",
        false,
        &usages(&["deriveKey"]),
    ))
    .await
    .map_err(|_| CipherError::Refused)?;
    base.dyn_into()
        .map_err(|_| CipherError::Failed("unwrapKey gave no key".into()))
}

/// The data key as sent by the server, as a non-extractable HKDF key.
pub async fn import(data_key: &[u8]) -> Result<CryptoKey, CipherError> {
    let base = wait(subtle()?.import_key_with_str(
        "raw",
        &Uint8Array::from(data_key),
        "HKDF",
        false,
        &usages(&["deriveKey"]),
    ))
    .await?;
    base.dyn_into()
        .map_err(|_| CipherError::Failed("importKey gave no key".into()))
}

fn key_name(user: Uuid) -> String {
    format!("nv:key:{user}")
}

fn tries_name(user: Uuid) -> String {
    format!("nv:tries:{user}")
}

/// The user's wrapped key on this device, if any.
pub fn stored(user: Uuid) -> Option<Wrapped> {
    gloo_storage::LocalStorage::get(key_name(user)).ok()
}

/// Keeps the user's wrapped key on this device (and forgets wrong tries).
pub fn keep(user: Uuid, wrapped: &Wrapped) -> Result<(), CipherError> {
    gloo_storage::LocalStorage::set(key_name(user), wrapped)
        .map_err(|e| CipherError::Failed(e.to_string()))?;
    gloo_storage::LocalStorage::delete(tries_name(user));
    Ok(())
}

/// Wrong passwords since the last unlock.
pub fn wrong_tries(user: Uuid) -> u32 {
    gloo_storage::LocalStorage::get(tries_name(user)).unwrap_or(0)
}

/// Counts one more wrong password; returns the count.
pub fn count_wrong_try(user: Uuid) -> u32 {
    let tries = wrong_tries(user).saturating_add(1);
    let _kept = gloo_storage::LocalStorage::set(tries_name(user), tries);
    tries
}

/// Forgets the user's wrapped key (a revoked user, or its data gone).
pub fn forget(user: Uuid) {
    gloo_storage::LocalStorage::delete(key_name(user));
    gloo_storage::LocalStorage::delete(tries_name(user));
}
