//! The cipher a sealed store encrypts its rows with: AES-256-GCM, a fresh
//! 96-bit nonce for every row written, and associated data that binds a row
//! to its user, table and key (a row copied under another key, or into
//! another user's store, does not open). Rows kept by a record's id are
//! kept under a blinded id (HMAC-SHA256 of the id, cut to 128 bits), so not
//! even a citizen's id is readable in the storage. Both keys come from the
//! user's one data key by HKDF-SHA256 ([`ROW_KEY_INFO`], [`BLIND_KEY_INFO`]).
//! The browser's cipher is Web Crypto (in the app); [`SoftwareCipher`] is a
//! pure-Rust one for tests and the simulation.

use thiserror::Error;
use uuid::Uuid;

/// HKDF's `info` for the AES-256-GCM key that seals rows.
pub const ROW_KEY_INFO: &[u8] = b"naervaer rows v1";
/// HKDF's `info` for the HMAC-SHA256 key that blinds ids.
pub const BLIND_KEY_INFO: &[u8] = b"naervaer ids v1";

/// The first byte of every sealed row: the format, so a later one can be
/// told apart.
pub const FORMAT: u8 = 1;
/// The nonce's length in bytes (96 bits, as GCM wants).
pub const NONCE_LEN: usize = 12;
/// The authentication tag's length in bytes.
pub const TAG_LEN: usize = 16;

/// Why a row could not be sealed or opened. Messages are for logs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CipherError {
    /// The key is not unlocked (or was dropped at a lock or logout).
    #[error("the data key is locked")]
    Locked,
    /// The row is not one this cipher sealed under this key and place: a
    /// wrong key, a changed byte, or a row moved to another key.
    #[error("a sealed row did not open (wrong key, changed, or moved)")]
    Refused,
    /// The row is not in the sealed format at all.
    #[error("not a sealed row")]
    NotSealed,
    /// The platform's cipher failed.
    #[error("the cipher failed: {0}")]
    Failed(String),
}

/// One row to seal or open: the associated data that binds it to its place,
/// and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealing {
    /// Binds the row to its user, table and key.
    pub aad: Vec<u8>,
    /// Plain bytes to seal, or sealed bytes to open.
    pub bytes: Vec<u8>,
}

/// Seals and opens rows in batches (Web Crypto answers each row with a
/// promise: a batch asks for all at once, then waits). The device is single
/// threaded, so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait RowCipher {
    /// Seals each row: `FORMAT ‖ nonce ‖ ciphertext ‖ tag`.
    async fn seal(&self, rows: Vec<Sealing>) -> Result<Vec<Vec<u8>>, CipherError>;

    /// Opens each sealed row; each row's own outcome (one changed row does
    /// not hide the others).
    async fn open(&self, rows: Vec<Sealing>) -> Vec<Result<Vec<u8>, CipherError>>;

    /// Each id blinded: the first 16 bytes of HMAC-SHA256 over its 16 bytes.
    async fn blind(&self, ids: Vec<Uuid>) -> Result<Vec<[u8; 16]>, CipherError>;
}

/// Splits a sealed row into its nonce and its ciphertext with tag.
pub fn parts(sealed: &[u8]) -> Result<(&[u8], &[u8]), CipherError> {
    match sealed.split_first() {
        Some((&FORMAT, rest)) if rest.len() >= NONCE_LEN + TAG_LEN => Ok(rest.split_at(NONCE_LEN)),
        _ => Err(CipherError::NotSealed),
    }
}

/// Joins a nonce and a ciphertext with tag into a sealed row.
pub fn join(nonce: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    let mut row = Vec::with_capacity(1 + nonce.len() + ciphertext.len());
    row.push(FORMAT);
    row.extend_from_slice(nonce);
    row.extend_from_slice(ciphertext);
    row
}

#[cfg(feature = "software-cipher")]
pub use software::SoftwareCipher;

#[cfg(feature = "software-cipher")]
mod software {
    use std::cell::RefCell;

    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};
    use hmac::{Hmac, Mac};
    use rand::rngs::SmallRng;
    use rand::{RngCore, SeedableRng};
    use sha2::Sha256;
    use uuid::Uuid;

    use super::{
        BLIND_KEY_INFO, CipherError, NONCE_LEN, ROW_KEY_INFO, RowCipher, Sealing, join, parts,
    };

    /// The two keys made from one data key.
    struct Keys {
        rows: Aes256Gcm,
        blind: [u8; 32],
    }

    fn derive(data_key: &[u8; 32]) -> Keys {
        let hkdf = hkdf::Hkdf::<Sha256>::new(None, data_key);
        let (mut rows, mut blind) = ([0u8; 32], [0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit of 8,160: these cannot fail.
        let _rows_made = hkdf.expand(ROW_KEY_INFO, &mut rows);
        let _blind_made = hkdf.expand(BLIND_KEY_INFO, &mut blind);
        Keys {
            rows: Aes256Gcm::new(&rows.into()),
            blind,
        }
    }

    /// AES-256-GCM in pure Rust, for native tests and the simulation. Its
    /// nonces come from a seeded generator so a simulation replays exactly:
    /// never use it to protect real data (the app uses Web Crypto with the
    /// browser's random numbers).
    pub struct SoftwareCipher {
        key: Option<Keys>,
        nonces: RefCell<SmallRng>,
    }

    impl std::fmt::Debug for SoftwareCipher {
        // The key is never printed.
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("SoftwareCipher")
                .field("unlocked", &self.key.is_some())
                .finish_non_exhaustive()
        }
    }

    impl SoftwareCipher {
        /// A cipher with this key, its nonces drawn from `seed`.
        pub fn new(key: [u8; 32], seed: u64) -> SoftwareCipher {
            SoftwareCipher {
                key: Some(derive(&key)),
                nonces: RefCell::new(SmallRng::seed_from_u64(seed)),
            }
        }

        /// A cipher whose key is locked: every seal and open fails.
        pub fn locked() -> SoftwareCipher {
            SoftwareCipher {
                key: None,
                nonces: RefCell::new(SmallRng::seed_from_u64(0)),
            }
        }

        fn key(&self) -> Result<&Aes256Gcm, CipherError> {
            self.key
                .as_ref()
                .map(|k| &k.rows)
                .ok_or(CipherError::Locked)
        }
    }

    impl RowCipher for SoftwareCipher {
        async fn seal(&self, rows: Vec<Sealing>) -> Result<Vec<Vec<u8>>, CipherError> {
            let key = self.key()?;
            rows.into_iter()
                .map(|row| {
                    let mut nonce = [0u8; NONCE_LEN];
                    self.nonces.borrow_mut().fill_bytes(&mut nonce);
                    let payload = Payload {
                        msg: &row.bytes,
                        aad: &row.aad,
                    };
                    key.encrypt(Nonce::from_slice(&nonce), payload)
                        .map(|ciphertext| join(&nonce, &ciphertext))
                        .map_err(|e| CipherError::Failed(e.to_string()))
                })
                .collect()
        }

        async fn open(&self, rows: Vec<Sealing>) -> Vec<Result<Vec<u8>, CipherError>> {
            rows.into_iter()
                .map(|row| {
                    let key = self.key()?;
                    let (nonce, ciphertext) = parts(&row.bytes)?;
                    let payload = Payload {
                        msg: ciphertext,
                        aad: &row.aad,
                    };
                    key.decrypt(Nonce::from_slice(nonce), payload)
                        .map_err(|_| CipherError::Refused)
                })
                .collect()
        }

        async fn blind(&self, ids: Vec<Uuid>) -> Result<Vec<[u8; 16]>, CipherError> {
            let keys = self.key.as_ref().ok_or(CipherError::Locked)?;
            ids.into_iter()
                .map(|id| {
                    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&keys.blind)
                        .map_err(|e| CipherError::Failed(e.to_string()))?;
                    mac.update(id.as_bytes());
                    let full = mac.finalize().into_bytes();
                    let mut blinded = [0u8; 16];
                    blinded.copy_from_slice(&full[..16]);
                    Ok(blinded)
                })
                .collect()
        }
    }
}
