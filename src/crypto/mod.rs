//! The browser's Web Crypto for the device's data: the cipher that seals the
//! sealed store's rows ([`WebCipher`], AES-256-GCM and HMAC-SHA256 under keys
//! derived from the user's data key), and the data key kept wrapped under
//! the user's password ([`wrap`]). Every key is made non-extractable: once
//! in memory, not even the app can read it back. What it protects against
//! and what it does not: `docs/security.md`.

pub mod cipher;
pub mod wrap;

use js_sys::{Array, Promise, Uint8Array};
use naervaer_sync::sealed::CipherError;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, SubtleCrypto};

pub use cipher::WebCipher;

fn crypto() -> Result<Crypto, CipherError> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| CipherError::Failed("no Web Crypto".into()))
}

/// The browser's `crypto.subtle` (only on https and localhost).
fn subtle() -> Result<SubtleCrypto, CipherError> {
    Ok(crypto()?.subtle())
}

/// `n` random bytes from the browser (`crypto.getRandomValues`).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CipherError> {
    let mut bytes = [0u8; N];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|e| failed(&e))?;
    Ok(bytes)
}

fn failed(e: &JsValue) -> CipherError {
    CipherError::Failed(
        js_sys::Reflect::get(e, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| format!("{e:?}")),
    )
}

/// Waits for a Web Crypto promise.
async fn wait(promise: Result<Promise, JsValue>) -> Result<JsValue, CipherError> {
    JsFuture::from(promise.map_err(|e| failed(&e))?)
        .await
        .map_err(|e| failed(&e))
}

/// The bytes of an `ArrayBuffer` answer.
fn bytes_of(buffer: &JsValue) -> Vec<u8> {
    Uint8Array::new(buffer).to_vec()
}

/// A JS array of key usages.
fn usages(list: &[&str]) -> Array {
    list.iter().map(|u| JsValue::from_str(u)).collect()
}
