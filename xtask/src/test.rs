//! `cargo xtask test`: every check and suite, then one line
//! `N passed, N failed` over all of them. fmt and clippy count as one check
//! each; test suites count their tests. A suite that fails without reporting
//! counts (a compile error, say) counts as one failure.

use std::time::Instant;

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
    suites.push(Suite {
        name,
        tally,
        seconds: started.elapsed().as_secs_f64(),
    });
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
    suites.push(Suite {
        name,
        tally,
        seconds: started.elapsed().as_secs_f64(),
    });
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
    suite(
        "native tests (domain, server over HTTP, app logic, xtask)",
        cmd("cargo", &["test", "--workspace"]),
        parse_cargo,
        &mut suites,
    );

    let mut memory = cmd(
        "cargo",
        &["test", "--package", "naervaer-server", "--test", "api"],
    );
    memory.env("NAERVAER_TEST_STORE", "memory");
    suite(
        "server HTTP suite again over the in-memory store (store conformance)",
        memory,
        parse_cargo,
        &mut suites,
    );

    match crate::postgres::Cluster::start(false) {
        Ok(cluster) => {
            let mut pg = cmd(
                "cargo",
                &["test", "--package", "naervaer-server", "--test", "api"],
            );
            pg.env("NAERVAER_TEST_STORE", "postgres")
                .env("NAERVAER_TEST_PG", cluster.url());
            suite(
                "server HTTP suite again over PostgreSQL (store conformance)",
                pg,
                parse_cargo,
                &mut suites,
            );
            let mut two = cmd(
                "cargo",
                &[
                    "test",
                    "--package",
                    "naervaer-server",
                    "--test",
                    "two_servers",
                    "--",
                    "--include-ignored",
                ],
            );
            two.env("NAERVAER_TEST_PG", cluster.url());
            suite(
                "server processes on PostgreSQL (two at once: the feed never skips; health)",
                two,
                parse_cargo,
                &mut suites,
            );
        }
        Err(e) => {
            eprintln!("xtask: PostgreSQL could not start: {e}");
            suites.push(Suite {
                name: "PostgreSQL suites (the cluster did not start)",
                tally: Tally {
                    passed: 0,
                    failed: 1,
                },
                seconds: 0.0,
            });
        }
    }

    let started_sim = Instant::now();
    eprintln!("\n== simulation ({} seeds)", crate::sim::TEST_SEEDS);
    let tally = crate::sim::run_seeds(0, crate::sim::TEST_SEEDS).unwrap_or_else(|e| {
        eprintln!("xtask: simulation: {e}");
        Tally {
            passed: 0,
            failed: 1,
        }
    });
    suites.push(Suite {
        name: "deterministic simulation (seeds, release build)",
        tally,
        seconds: started_sim.elapsed().as_secs_f64(),
    });

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
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    suite(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        browser,
        parse_cargo,
        &mut suites,
    );

    let built = build_app()
        .and_then(|()| crate::exec::run(cmd("cargo", &["build", "--package", "naervaer-server"])));
    match built {
        Ok(()) => {
            if let Err(e) = crate::size::report(&root().join("dist")) {
                eprintln!("xtask: size report failed: {e}");
            }
            let mut e2e = cmd(
                "node",
                &["--test", "--test-reporter=tap", "--test-concurrency=1"],
            );
            e2e.current_dir(root().join("tests/e2e"))
                .env(
                    "NAERVAER_SERVER",
                    root().join("target/debug/naervaer-server"),
                )
                .env("NAERVAER_DIST", root().join("dist"));
            suite(
                "end-to-end (Playwright, Chromium, real server)",
                e2e,
                parse_tap,
                &mut suites,
            );
        }
        Err(e) => {
            eprintln!("xtask: cannot build for end-to-end tests: {e}");
            suites.push(Suite {
                name: "end-to-end (build failed)",
                tally: Tally {
                    passed: 0,
                    failed: 1,
                },
                seconds: 0.0,
            });
        }
    }

    let mut total = Tally::default();
    eprintln!("\n== summary");
    for s in &suites {
        eprintln!(
            "{:>5} passed {:>3} failed {:>7.1}s  {}",
            s.tally.passed, s.tally.failed, s.seconds, s.name
        );
        total.passed += s.tally.passed;
        total.failed += s.tally.failed;
    }
    eprintln!("total time {:.0}s", started.elapsed().as_secs_f64());
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 {
        Err(format!("{} failed", total.failed))
    } else {
        Ok(())
    }
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
