//! Installs what a fresh machine lacks: the wasm target, Trunk,
//! wasm-bindgen-cli (the exact version in Cargo.lock), the npm tools
//! (playwright-core, binaryen 132 for wasm-opt, oidc-provider for the
//! municipal login's tests), and Debian's Chromium with
//! its driver. Each is checked first, so a prepared machine skips it.
//! PostgreSQL, which only the tests and the bench need, is installed when
//! their cluster starts (`crate::postgres`).

use std::path::Path;

use crate::exec::{Error, cmd, node_bin, output, root, run};

const TRUNK_VERSION: &str = "0.21.14";

/// Everything the build and the tests need.
pub fn ensure_all() -> Result<(), Error> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm()?;
    ensure_chromium()?;
    run(cmd("cargo", &["fetch"]))
}

fn ensure_wasm_target() -> Result<(), Error> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk() -> Result<(), Error> {
    if output("trunk", &["--version"]).is_some_and(|v| v.contains(TRUNK_VERSION)) {
        return Ok(());
    }
    eprintln!("xtask: installing Trunk {TRUNK_VERSION} (about 10 minutes, once)");
    run(cmd(
        "cargo",
        &["install", "--locked", &format!("trunk@{TRUNK_VERSION}")],
    ))
}

/// The wasm-bindgen version Cargo.lock pins.
pub fn locked_wasm_bindgen() -> Result<String, Error> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next()
        {
            return version
                .trim()
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string)
                .ok_or_else(|| format!("unexpected Cargo.lock line: {version}"));
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

fn ensure_wasm_bindgen() -> Result<(), Error> {
    let version = locked_wasm_bindgen()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    if have.contains(&version) && runner.contains(&version) {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {version} (about 3 minutes, once)");
    // Not --locked: its lockfile pins a crate the registry lacks.
    run(cmd(
        "cargo",
        &["install", "--force", &format!("wasm-bindgen-cli@{version}")],
    ))
}

fn ensure_npm() -> Result<(), Error> {
    let bin = node_bin();
    let modules = root().join("tests/e2e/node_modules");
    if bin.join("wasm-opt").exists()
        && modules.join("playwright-core").exists()
        && modules.join("@axe-core/playwright").exists()
        && modules.join("oidc-provider").exists()
    {
        return Ok(());
    }
    let mut c = cmd("npm", &["ci", "--no-audit", "--no-fund"]);
    c.current_dir(root().join("tests/e2e"));
    run(c)
}

fn ensure_chromium() -> Result<(), Error> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// Installs Debian packages with `apt-get` (as root); for anyone else,
/// says the command to run.
pub fn apt_install(packages: &[&str]) -> Result<(), Error> {
    let names = packages.join(" ");
    let root_user = output("id", &["-u"]).is_some_and(|u| u == "0");
    if !root_user {
        return Err(format!(
            "missing: run `sudo apt-get update && sudo apt-get install -y {names}`"
        ));
    }
    eprintln!("xtask: installing Debian's {names}");
    run(cmd("apt-get", &["update"]))?;
    let mut install = cmd("apt-get", &["install", "-y", "--no-install-recommends"]);
    install
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(install)
}
