//! The sealed store's cipher in the browser: AES-256-GCM to seal rows and
//! HMAC-SHA256 to blind ids, both derived by HKDF-SHA256 from the user's
//! data key exactly as the sync crate's `SoftwareCipher` derives them.

use js_sys::{Object, Uint8Array};
use naervaer_sync::sealed::{
    BLIND_KEY_INFO, CipherError, NONCE_LEN, ROW_KEY_INFO, RowCipher, Sealing, join, parts,
};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, HkdfParams, HmacImportParams};

use super::{bytes_of, random_bytes, subtle, usages, wait};

/// The unlocked keys of one user, held only in memory and only as
/// non-extractable Web Crypto keys. Dropped at a lock or a logout.
#[derive(Debug, Clone)]
pub struct WebCipher {
    rows: CryptoKey,
    blind: CryptoKey,
}

fn aes_params(nonce: &[u8], aad: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(nonce));
    params.set_additional_data_u8_array(&Uint8Array::from(aad));
    params
}

async fn derive(
    base: &CryptoKey,
    info: &[u8],
    kind: &Object,
    uses: &[&str],
) -> Result<CryptoKey, CipherError> {
    let params = HkdfParams::new_with_str(
        "HKDF",
        "SHA-256",
        &Uint8Array::from(info),
        &Uint8Array::new_with_length(0),
    );
    let key = wait(subtle()?.derive_key_with_object_and_object(
        &params,
        base,
        kind,
        false,
        &usages(uses),
    ))
    .await?;
    key.dyn_into()
        .map_err(|_| CipherError::Failed("deriveKey gave no key".into()))
}

impl WebCipher {
    /// The two keys derived from the user's data key (an HKDF base key).
    pub async fn from_data_key(base: &CryptoKey) -> Result<WebCipher, CipherError> {
        let rows = derive(
            base,
            ROW_KEY_INFO,
            &AesDerivedKeyParams::new("AES-GCM", 256),
            &["encrypt", "decrypt"],
        )
        .await?;
        let hmac = HmacImportParams::new_with_str("HMAC", "SHA-256");
        js_sys::Reflect::set(&hmac, &"length".into(), &256.into())
            .map_err(|_| CipherError::Failed("HMAC parameters".into()))?;
        let blind = derive(base, BLIND_KEY_INFO, &hmac, &["sign"]).await?;
        Ok(WebCipher { rows, blind })
    }
}

impl RowCipher for WebCipher {
    async fn seal(&self, rows: Vec<Sealing>) -> Result<Vec<Vec<u8>>, CipherError> {
        let subtle = subtle()?;
        // Every row asked for at once, then the answers in order.
        let mut asked = Vec::with_capacity(rows.len());
        for row in &rows {
            let nonce = random_bytes::<NONCE_LEN>()?;
            let promise = subtle.encrypt_with_object_and_u8_array(
                &aes_params(&nonce, &row.aad),
                &self.rows,
                &row.bytes,
            );
            asked.push((nonce, promise));
        }
        let mut sealed = Vec::with_capacity(asked.len());
        for (nonce, promise) in asked {
            sealed.push(join(&nonce, &bytes_of(&wait(promise).await?)));
        }
        Ok(sealed)
    }

    async fn open(&self, rows: Vec<Sealing>) -> Vec<Result<Vec<u8>, CipherError>> {
        let subtle = match subtle() {
            Ok(s) => s,
            Err(e) => return rows.iter().map(|_| Err(e.clone())).collect(),
        };
        let asked: Vec<Result<_, CipherError>> = rows
            .iter()
            .map(|row| {
                let (nonce, ciphertext) = parts(&row.bytes)?;
                Ok(subtle.decrypt_with_object_and_u8_array(
                    &aes_params(nonce, &row.aad),
                    &self.rows,
                    ciphertext,
                ))
            })
            .collect();
        let mut opened = Vec::with_capacity(asked.len());
        for promise in asked {
            opened.push(match promise {
                // A row that does not authenticate rejects its promise.
                Ok(promise) => wait(promise)
                    .await
                    .map(|plain| bytes_of(&plain))
                    .map_err(|_| CipherError::Refused),
                Err(e) => Err(e),
            });
        }
        opened
    }

    async fn blind(&self, ids: Vec<Uuid>) -> Result<Vec<[u8; 16]>, CipherError> {
        let subtle = subtle()?;
        let asked: Vec<_> = ids
            .iter()
            .map(|id| subtle.sign_with_str_and_u8_array("HMAC", &self.blind, id.as_bytes()))
            .collect();
        let mut blinded = Vec::with_capacity(asked.len());
        for promise in asked {
            let mac = bytes_of(&wait(promise).await?);
            let mut first = [0u8; 16];
            let cut = mac
                .get(..16)
                .ok_or_else(|| CipherError::Failed("short HMAC".into()))?;
            first.copy_from_slice(cut);
            blinded.push(first);
        }
        Ok(blinded)
    }
}
