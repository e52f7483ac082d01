//! The municipality's loneliness policy: the default, a JSON file
//! (`--loneliness-policy`), and the `--ucla-cutoff` shortcut on top.

use std::path::Path;

use naervaer_domain::klippekort::{ClipPolicy, ClipPolicyError};
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
            serde_json::from_str(&text).map_err(|source| PolicyFileError::Parse {
                path: shown,
                source,
            })?
        }
    };
    if let Some(cutoff) = cutoff {
        policy.ucla_cutoff = cutoff;
    }
    policy.validate()?;
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn no_file_is_the_default_and_the_cutoff_overrides() {
        assert_eq!(load(None, None).unwrap(), LonelinessPolicy::default());
        assert_eq!(load(None, Some(7)).unwrap().ucla_cutoff, 7);
    }

    #[test]
    fn a_file_sets_every_number_and_bad_files_say_why() {
        let f = write(
            r#"{"ucla_cutoff":7,"yellow_signs":1,"red_signs":3,"yellow_follow_up_hours":72,"red_follow_up_hours":12,"not_screened_days":60}"#,
        );
        let p = load(Some(f.path()), None).unwrap();
        assert_eq!(
            (p.yellow_signs, p.red_signs, p.not_screened_days),
            (1, 3, 60)
        );

        let typo = write(r#"{"ucla_cutof":7}"#);
        assert!(matches!(
            load(Some(typo.path()), None),
            Err(PolicyFileError::Parse { .. })
        ));
        let f = write(
            r#"{"ucla_cutoff":7,"yellow_signs":5,"red_signs":3,"yellow_follow_up_hours":72,"red_follow_up_hours":12,"not_screened_days":60}"#,
        );
        assert!(matches!(
            load(Some(f.path()), None),
            Err(PolicyFileError::Invalid(_))
        ));
        assert!(matches!(
            load(Some(Path::new("/no/such/policy.json")), None),
            Err(PolicyFileError::Read { .. })
        ));
        assert!(matches!(
            load(None, Some(12)),
            Err(PolicyFileError::Invalid(_))
        ));
    }

    #[test]
    fn a_clip_policy_is_a_shipped_name_or_a_file_and_anything_else_is_named() {
        assert_eq!(load_clip("viborg").unwrap().clip_minutes, 60);
        let text = ClipPolicy::shipped("nyborg").unwrap().unwrap();
        let mut own = text.clone();
        own.id = "egen".into();
        own.clip_minutes = 15;
        let f = write(&serde_json::to_string(&own).unwrap());
        assert_eq!(load_clip(f.path().to_str().unwrap()).unwrap(), own);
        let err = load_clip("aarhus").unwrap_err().to_string();
        assert!(err.contains("not a shipped klippekort policy"), "{err}");
        own.two_helpers_factor = 5;
        let f = write(&serde_json::to_string(&own).unwrap());
        let err = load_clip(f.path().to_str().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("two_helpers_factor"), "{err}");
    }
}
