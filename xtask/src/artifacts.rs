//! The native test build, done once: `cargo test --workspace --no-run`,
//! with the paths of what it built. The suites that run the same test
//! binary again with other settings (the HTTP suite over the in-memory store
//! and PostgreSQL, the two-server tests) and the end-to-end tests' server use
//! these paths instead of asking cargo again: `cargo test --package X`
//! resolves features differently from `--workspace` and would build the
//! server and many of its dependencies a second and third time (CI ran out
//! of disk on that).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::exec::{Error, cmd};

/// The executables one native test build produced.
#[derive(Debug, Default)]
pub struct Built {
    /// Integration test binaries by target name (`api`, `two_servers`, …).
    tests: HashMap<String, PathBuf>,
    /// Binaries by name (`naervaer-server`, …).
    bins: HashMap<String, PathBuf>,
}

impl Built {
    /// The integration test binary `name`.
    pub fn test(&self, name: &str) -> Result<&Path, Error> {
        self.tests
            .get(name)
            .map(PathBuf::as_path)
            .ok_or_else(|| format!("the test build made no test binary `{name}`"))
    }

    /// The program `name`.
    pub fn bin(&self, name: &str) -> Result<&Path, Error> {
        self.bins
            .get(name)
            .map(PathBuf::as_path)
            .ok_or_else(|| format!("the test build made no program `{name}`"))
    }

    /// Takes one line of cargo's JSON messages into account.
    fn read_message(&mut self, line: &str) {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            return;
        };
        if message["reason"] != "compiler-artifact" {
            return;
        }
        let Some(path) = message["executable"].as_str() else {
            return;
        };
        let Some(name) = message["target"]["name"].as_str() else {
            return;
        };
        let kinds = message["target"]["kind"].as_array();
        let is = |kind: &str| kinds.is_some_and(|k| k.iter().any(|v| v == kind));
        // `cargo test` builds a binary twice: as a program and as its own
        // unit tests (`profile.test`); the program is the one to run.
        let program = !message["profile"]["test"].as_bool().unwrap_or(false);
        if is("test") {
            self.tests.insert(name.to_string(), PathBuf::from(path));
        } else if is("bin") && program {
            self.bins.insert(name.to_string(), PathBuf::from(path));
        }
    }
}

/// Builds every native test and program of the workspace; cargo's
/// diagnostics go to the terminal as usual.
pub fn build_tests() -> Result<Built, Error> {
    let mut c = cmd(
        "cargo",
        &[
            "test",
            "--workspace",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ],
    );
    read_build(&mut c)
}

fn read_build(c: &mut Command) -> Result<Built, Error> {
    c.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let shown = format!("{c:?}");
    let mut child = c
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let mut built = Built::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            built.read_message(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("{shown} did not finish: {e}"))?;
    if status.success() {
        Ok(built)
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

#[cfg(test)]
#[path = "artifacts_tests.rs"]
mod tests;
