//! `cargo xtask test`: every check and suite, then one line
//! `N passed, N failed` over all of them. fmt and clippy count as one check
//! each; test suites count their tests. A suite that fails without reporting
//! counts (a compile error, say) counts as one failure.

use std::path::Path;
use std::time::Instant;

use crate::artifacts::Built;

use crate::exec::{Error, cmd, root, run_captured};
use crate::run::build_app;
use crate::tools::ensure_all;

/// Passed and failed counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Passed.
    pub passed: u64,
    /// Failed.
    pub failed: u64,
}

fn number_before(text: &str, word: &str) -> Option<u64> {
    let at = text.find(word)?;
    text[..at].split_whitespace().last()?.parse().ok()
}

/// Counts from cargo's `test result:` lines.
pub fn parse_cargo(output: &str) -> Tally {
    let mut t = Tally::default();
    for line in output.lines().filter(|l| l.contains("test result:")) {
        t.passed += number_before(line, " passed").unwrap_or(0);
        t.failed += number_before(line, " failed").unwrap_or(0);
    }
    t
}

/// Counts from node's TAP summary (`# pass N`, `# fail N`).
/// cargo deny's summary line, "advisories ok, bans FAILED, licenses ok,
/// sources ok": one result per check.
pub fn parse_deny(output: &str) -> Tally {
    let mut tally = Tally::default();
    let summary = output
        .lines()
        .rev()
        .find(|l| l.contains("advisories ") && l.contains("sources "));
    for part in summary.unwrap_or_default().split(',') {
        match part.split_whitespace().nth(1) {
            Some("ok") => tally.passed += 1,
            Some(_) => tally.failed += 1,
            None => {}
        }
    }
    tally
}

pub fn parse_tap(output: &str) -> Tally {
    let mut t = Tally::default();
    for line in output.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("# pass ") {
            t.passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            t.failed += n.trim().parse().unwrap_or(0);
        }
    }
    t
}

struct Suite {
    name: &'static str,
    tally: Tally,
    seconds: f64,
    /// Free space on the target folder's disk when the suite ended (GB):
    /// a fresh CI machine's disk is not large, and the log shows where it went.
    free_gb: Option<f64>,
}

impl Suite {
    fn ended(name: &'static str, tally: Tally, seconds: f64) -> Self {
        Suite {
            name,
            tally,
            seconds,
            free_gb: free_gb(),
        }
    }
}

/// Free space on the disk that holds `target/`, in GB (from `df`).
fn free_gb() -> Option<f64> {
    let out = crate::exec::output("df", &["-Pk", &root().join("target").to_string_lossy()])
        .or_else(|| crate::exec::output("df", &["-Pk", &root().to_string_lossy()]))?;
    let kb: f64 = out
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kb / 1024.0 / 1024.0)
}

fn check(name: &'static str, program: &str, args: &[&str], suites: &mut Vec<Suite>) {
    let started = Instant::now();
    eprintln!("\n== {name}");
    let (ok, _) = run_captured(cmd(program, args));
    let tally = if ok {
        Tally {
            passed: 1,
            failed: 0,
        }
    } else {
        Tally {
            passed: 0,
            failed: 1,
        }
    };
    suites.push(Suite::ended(name, tally, started.elapsed().as_secs_f64()));
}

fn suite(
    name: &'static str,
    mut c: std::process::Command,
    parse: fn(&str) -> Tally,
    suites: &mut Vec<Suite>,
) {
    let started = Instant::now();
    eprintln!("\n== {name}");
    c.env("CARGO_TERM_COLOR", "never");
    let (ok, out) = run_captured(c);
    let mut tally = parse(&out);
    if !ok && tally.failed == 0 {
        tally.failed = 1;
    }
    suites.push(Suite::ended(name, tally, started.elapsed().as_secs_f64()));
}

/// Runs everything.
pub fn test() -> Result<(), Error> {
    let started = Instant::now();
    ensure_all()?;
    let mut suites = Vec::new();
    check(
        "cargo fmt --check",
        "cargo",
        &["fmt", "--all", "--", "--check"],
        &mut suites,
    );
    check(
        "clippy (native)",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &mut suites,
    );
    check(
        "clippy (wasm app)",
        "cargo",
        &[
            "clippy",
            "--package",
            "naervaer-app",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &mut suites,
    );
    dependency_suite(&mut suites);
    eprintln!("\n== native test build (cargo test --workspace --no-run)");
    let build_started = Instant::now();
    let native = crate::artifacts::build_tests();
    if let Err(e) = &native {
        eprintln!("xtask: the native test build failed: {e}");
    }
    let build_seconds = build_started.elapsed().as_secs_f64();
    suite(
        "native tests (domain, server over HTTP, app logic, xtask)",
        cmd("cargo", &["test", "--workspace"]),
        parse_cargo,
        &mut suites,
    );
    // The suite's time includes building its binaries, as before the build
    // was split off.
    if let Some(native_tests) = suites.last_mut() {
        native_tests.seconds += build_seconds;
    }
    let built = native.as_ref().ok();
    server_suites(built, &mut suites);

    let started_sim = Instant::now();
    eprintln!("\n== simulation ({} seeds)", crate::sim::TEST_SEEDS);
    let tally = crate::sim::run_seeds(0, crate::sim::TEST_SEEDS).unwrap_or_else(|e| {
        eprintln!("xtask: simulation: {e}");
        Tally {
            passed: 0,
            failed: 1,
        }
    });
    suites.push(Suite::ended(
        "deterministic simulation (seeds, release build)",
        tally,
        started_sim.elapsed().as_secs_f64(),
    ));

    browser_suite(&mut suites);
    end_to_end_suite(built, &mut suites);

    let mut total = Tally::default();
    eprintln!("\n== summary");
    for s in &suites {
        let free = s.free_gb.map_or("?".to_string(), |gb| format!("{gb:.1}"));
        eprintln!(
            "{:>5} passed {:>3} failed {:>7.1}s {:>6} GB free  {}",
            s.tally.passed, s.tally.failed, s.seconds, free, s.name
        );
        total.passed += s.tally.passed;
        total.failed += s.tally.failed;
    }
    eprintln!("total time {:.0}s", started.elapsed().as_secs_f64());
    let target = root().join("target");
    if let Some(kb) = crate::exec::output("du", &["-sk", &target.to_string_lossy()])
        .and_then(|out| out.split_whitespace().next()?.parse::<f64>().ok())
    {
        eprintln!("target/ holds {:.1} GB", kb / 1024.0 / 1024.0);
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 {
        Err(format!("{} failed", total.failed))
    } else {
        Ok(())
    }
}

/// `cargo deny` against the advisory snapshot, its date in the suite's name.
fn dependency_suite(suites: &mut Vec<Suite>) {
    const NAME: &str = "cargo deny (advisories, licences, bans, sources)";
    match crate::deny::prepare() {
        Ok(date) => {
            eprintln!("xtask: advisory database snapshot of {date}");
            let name: &'static str = Box::leak(
                format!("cargo deny (advisories as of {date}, licences, bans, sources)")
                    .into_boxed_str(),
            );
            suite(name, crate::deny::check_command(), parse_deny, suites);
        }
        Err(e) => not_run(NAME, &e, suites),
    }
}

/// A suite that could not run counts as one failure.
fn not_run(name: &'static str, why: &str, suites: &mut Vec<Suite>) {
    eprintln!("\n== {name}\nxtask: {why}");
    let failed = Tally {
        passed: 0,
        failed: 1,
    };
    suites.push(Suite::ended(name, failed, 0.0));
}

/// The server's HTTP suite again over the in-memory store and PostgreSQL,
/// and the two-server tests: the test binaries the native build made, run
/// with other settings, as cargo runs them (from the package's folder).
fn server_suites(built: Option<&Built>, suites: &mut Vec<Suite>) {
    const MEMORY: &str = "server HTTP suite again over the in-memory store (store conformance)";
    const PG: &str = "server HTTP suite again over PostgreSQL (store conformance)";
    const TWO: &str = "server processes on PostgreSQL (two at once: the feed never skips; health)";
    let binaries = built.map(|b| (b.test("api"), b.test("two_servers")));
    let Some((Ok(api), Ok(two_servers))) = binaries else {
        for name in [MEMORY, PG, TWO] {
            not_run(
                name,
                "the native test build did not make its binaries",
                suites,
            );
        }
        return;
    };
    let server_dir = root().join("crates/server");
    let test_binary = |path: &Path, args: &[&str]| {
        let mut c = cmd(&path.to_string_lossy(), args);
        c.current_dir(&server_dir);
        c
    };

    let mut memory = test_binary(api, &[]);
    memory.env("NAERVAER_TEST_STORE", "memory");
    suite(MEMORY, memory, parse_cargo, suites);

    match crate::postgres::Cluster::start(false) {
        Ok(cluster) => {
            let mut pg = test_binary(api, &[]);
            pg.env("NAERVAER_TEST_STORE", "postgres")
                .env("NAERVAER_TEST_PG", cluster.url());
            suite(PG, pg, parse_cargo, suites);
            let mut two = test_binary(two_servers, &["--include-ignored"]);
            two.env("NAERVAER_TEST_PG", cluster.url());
            suite(TWO, two, parse_cargo, suites);
        }
        Err(e) => not_run(
            "PostgreSQL suites (the cluster did not start)",
            &format!("PostgreSQL could not start: {e}"),
            suites,
        ),
    }
}

/// The app's tests in headless Chromium. ChromeDriver leaves a profile
/// folder per run in the temporary folder; the suite gets its own, removed
/// afterwards.
fn browser_suite(suites: &mut Vec<Suite>) {
    let scratch = root().join("target/tmp/browser-tests");
    let _fresh = std::fs::remove_dir_all(&scratch);
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        eprintln!("xtask: cannot make {}: {e}", scratch.display());
    }
    let mut browser = cmd(
        "cargo",
        &[
            "test",
            "--package",
            "naervaer-app",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "browser",
            "--",
            "--nocapture",
        ],
    );
    browser
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .env("TMPDIR", &scratch);
    suite(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        browser,
        parse_cargo,
        suites,
    );
    if let Err(e) = std::fs::remove_dir_all(&scratch) {
        eprintln!("xtask: cannot remove {}: {e}", scratch.display());
    }
}

/// Builds the app (release, Trunk) and runs the Playwright tests against
/// the server program of the native test build.
fn end_to_end_suite(built: Option<&Built>, suites: &mut Vec<Suite>) {
    const NAME: &str = "end-to-end (Playwright, Chromium, real server)";
    let server = match built.map(|b| b.bin("naervaer-server")) {
        Some(Ok(path)) => path.to_path_buf(),
        Some(Err(e)) => return not_run(NAME, &e, suites),
        None => return not_run(NAME, "the native test build failed", suites),
    };
    if let Err(e) = build_app() {
        return not_run(NAME, &format!("cannot build the app: {e}"), suites);
    }
    if let Err(e) = crate::size::report(&root().join("dist")) {
        eprintln!("xtask: size report failed: {e}");
    }
    let mut e2e = cmd(
        "node",
        &["--test", "--test-reporter=tap", "--test-concurrency=1"],
    );
    e2e.current_dir(root().join("tests/e2e"))
        .env("NAERVAER_SERVER", server)
        .env("NAERVAER_DIST", root().join("dist"));
    suite(NAME, e2e, parse_tap, suites);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_result_lines_are_summed() {
        let out = "test result: ok. 18 passed; 0 failed; 0 ignored;\nnoise\n\
                   test result: FAILED. 3 passed; 2 failed; 1 ignored;";
        assert_eq!(
            parse_cargo(out),
            Tally {
                passed: 21,
                failed: 2
            }
        );
    }

    #[test]
    fn cargo_deny_summaries_are_read() {
        let t = super::parse_deny(
            "warning[duplicate]: x\nadvisories ok, bans FAILED, licenses ok, sources ok\n",
        );
        assert_eq!((t.passed, t.failed), (3, 1));
        assert_eq!(super::parse_deny("error: no Cargo.lock").passed, 0);
    }

    #[test]
    fn tap_summaries_are_read() {
        let out = "ok 1 - a\n# tests 3\n# pass 2\n# fail 1\n# cancelled 0";
        assert_eq!(
            parse_tap(out),
            Tally {
                passed: 2,
                failed: 1
            }
        );
    }
}
