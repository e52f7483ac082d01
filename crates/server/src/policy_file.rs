//! The municipality's loneliness policy: the default, a JSON file
//! (`--loneliness-policy`), and the `--ucla-cutoff` shortcut on top.

use std::path::Path;

use naervaer_domain::clips::{ClipPolicy, ClipPolicyError};
use naervaer_domain::loneliness::{LonelinessPolicy, PolicyError};
use thiserror::Error;

/// Why the policy could not be loaded.
#[derive(Debug, Error)]
pub enum PolicyFileError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a policy.
    #[error("{path} is not a loneliness policy: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Why.
        source: serde_json::Error,
    },
    /// The file has keys a policy does not (misspelt, say).
    #[error("{path} has unknown field(s): {keys}")]
    Unknown {
        /// The file.
        path: String,
        /// The keys, comma-separated.
        keys: String,
    },
    /// The numbers do not make sense.
    #[error("the loneliness policy is not usable: {0}")]
    Invalid(#[from] PolicyError),
}

/// Why the klippekort policy could not be loaded.
#[derive(Debug, Error)]
pub enum ClipPolicyFileError {
    /// Neither a shipped policy nor a readable file.
    #[error(
        "'{name}' is not a shipped klippekort policy (nyborg, haderslev, viborg, furesoe, faxe) nor a readable file: {source}"
    )]
    Read {
        /// What was given.
        name: String,
        /// Why the file could not be read.
        source: std::io::Error,
    },
    /// The shipped policy or the file is not usable.
    #[error("the klippekort policy '{name}' is not usable: {source}")]
    Invalid {
        /// What was given.
        name: String,
        /// Why.
        source: ClipPolicyError,
    },
}

/// The klippekort policy named by `--clip-policy`: a shipped id or a file.
pub fn load_clip(name: &str) -> Result<ClipPolicy, ClipPolicyFileError> {
    let invalid = |source| ClipPolicyFileError::Invalid {
        name: name.to_string(),
        source,
    };
    if let Some(shipped) = ClipPolicy::shipped(name) {
        return shipped.map_err(invalid);
    }
    let text = std::fs::read_to_string(name).map_err(|source| ClipPolicyFileError::Read {
        name: name.to_string(),
        source,
    })?;
    ClipPolicy::from_json(&text).map_err(invalid)
}

/// The policy from an optional file, with an optional cut-off override.
pub fn load(file: Option<&Path>, cutoff: Option<u8>) -> Result<LonelinessPolicy, PolicyFileError> {
    let mut policy = match file {
        None => LonelinessPolicy::default(),
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| PolicyFileError::Read {
                path: shown.clone(),
                source,
            })?;
            let policy: LonelinessPolicy =
                serde_json::from_str(&text).map_err(|source| PolicyFileError::Parse {
                    path: shown.clone(),
                    source,
                })?;
            let unknown = naervaer_domain::strict::unknown_keys(&text, &policy);
            if !unknown.is_empty() {
                return Err(PolicyFileError::Unknown {
                    path: shown,
                    keys: unknown.join(", "),
                });
            }
            policy
        }
    };
    if let Some(cutoff) = cutoff {
        policy.ucla_cutoff = cutoff;
    }
    policy.validate()?;
    Ok(policy)
}

#[cfg(test)]
#[path = "policy_file_tests.rs"]
mod tests;
