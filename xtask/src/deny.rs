//! The dependency check: `cargo deny` (advisories, licences, bans, sources)
//! against the RustSec advisory database snapshot in
//! `../shared/advisory-db/` (these machines cannot fetch the live one), or
//! the bundle named by `NAERVAER_ADVISORY_DB`. The snapshot's date is
//! printed with the result: a clean check says only that nothing known by
//! then applies.

use std::path::PathBuf;

use crate::exec::{Error, cmd, output, root, run};

/// The cargo-deny version installed when missing.
const CARGO_DENY_VERSION: &str = "0.20.2";

/// Where cargo-deny looks for the database `deny.toml` names (its folder
/// name is cargo-deny's own, made from the database's URL).
const DB_DIR: &str = "target/deny/advisory-dbs/advisory-db-3157b0e258782691";

/// The snapshot's bundle: `NAERVAER_ADVISORY_DB`, else `shared/advisory-db/`
/// beside the checkout or beside any folder above it, else the workplace's
/// `/work/shared/advisory-db/`.
fn bundle() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("NAERVAER_ADVISORY_DB") {
        return Some(PathBuf::from(path));
    }
    let root = root();
    let beside = root
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("shared/advisory-db/advisory-db.bundle"));
    beside
        .chain(std::iter::once(PathBuf::from(
            "/work/shared/advisory-db/advisory-db.bundle",
        )))
        .find(|path| path.is_file())
}

/// Installs cargo-deny when missing (about 8 minutes on a fresh machine).
fn ensure_cargo_deny() -> Result<(), Error> {
    if output("cargo", &["deny", "--version"]).is_some_and(|v| v.contains(CARGO_DENY_VERSION)) {
        return Ok(());
    }
    eprintln!("xtask: installing cargo-deny {CARGO_DENY_VERSION} (about 8 minutes, once)");
    run(cmd(
        "cargo",
        &[
            "install",
            "--locked",
            &format!("cargo-deny@{CARGO_DENY_VERSION}"),
        ],
    ))
}

/// Makes the snapshot ready for cargo-deny; returns its date (YYYY-MM-DD).
pub fn prepare() -> Result<String, Error> {
    ensure_cargo_deny()?;
    let bundle = bundle().ok_or(
        "no advisory database snapshot: ../shared/advisory-db/advisory-db.bundle is missing \
         (or set NAERVAER_ADVISORY_DB to a bundle of github.com/rustsec/advisory-db)",
    )?;
    let dir = root().join(DB_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
    }
    run(cmd(
        "git",
        &[
            "-c",
            "init.defaultBranch=main",
            "clone",
            "--quiet",
            &bundle.to_string_lossy(),
            &dir.to_string_lossy(),
        ],
    ))?;
    output(
        "git",
        &["-C", &dir.to_string_lossy(), "log", "-1", "--format=%cs"],
    )
    .map(|d| d.trim().to_owned())
    .ok_or_else(|| "cannot read the snapshot's date".into())
}

/// The command that checks (offline: the snapshot as it is).
pub fn check_command() -> std::process::Command {
    cmd(
        "cargo",
        &["deny", "--offline", "check", "--hide-inclusion-graph"],
    )
}
