//! Project tasks. `cargo xtask run` starts the app with demo data;
//! `cargo xtask test` runs every check and test and ends with one line
//! `N passed, N failed`. Both install missing tools first.

mod artifacts;
mod bench;
mod contributors;
mod deny;
mod exec;
mod postgres;
mod run;
mod sim;
mod size;
mod stamp;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run | test | deny | sim | size | bench | build-app | stamp>
  run        install missing tools, build the app and server (release), start on http://127.0.0.1:8080 with demo data
             (--scale municipality: 600 citizens in 5 teams, 80 workers, 90 days of history, in data/municipality.sqlite3)
  test       fmt, clippy, native tests, the HTTP suite over the in-memory store and a throwaway
             PostgreSQL, two servers on PostgreSQL, simulation, browser tests, end-to-end tests;
             ends with 'N passed, N failed'
  deny       cargo deny (advisories, licences, bans, sources) against the advisory snapshot in
             ../shared/advisory-db/, with the snapshot's date (also part of test)
  bench      [--db sqlite|postgres|both] [--devices N] [--mutations M] [--seconds S]: the load
             benchmark against the release server on SQLite and on PostgreSQL (syncs a second,
             p50/p99, errors, pushes of 1,000 and 5,000)
  sim        --seeds N [--start S]: the deterministic sync simulation (prints seeds, changes, faults; a failing seed and its replay)
  build-app  install missing tools and build the app into dist/
  size       print the built app's brotli size (wasm + js + css in dist/) and
             its largest contributors (twiggy on a build that keeps names)
  stamp      (Trunk post_build hook) move the inline start-up script into a file and stamp sw.js";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(),
        Some("deny") => deny::prepare().and_then(|date| {
            eprintln!("advisory database snapshot of {date}");
            exec::run(deny::check_command())
        }),
        Some("sim") => sim::sim(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("build-app") => tools::ensure_all().and_then(|()| run::build_app()),
        Some("stamp") => stamp::stamp(),
        Some("size") => {
            size::report(&exec::root().join("dist")).and_then(|_| contributors::report())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
