//! `cargo xtask sim --seeds N [--start S]`: the deterministic simulation,
//! built optimised and run in two processes (one per core), each over half
//! of the seeds. `cargo xtask test` runs 1,000 seeds this way; run more
//! (`--seeds 5000`) before landing a change to sync.

use crate::exec::{Error, cmd, root, run, run_captured};
use crate::test::Tally;

/// Seeds that `cargo xtask test` runs.
pub const TEST_SEEDS: u64 = 1_000;

fn flag(args: &[String], name: &str, default: u64) -> Result<u64, Error> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(at) => args
            .get(at + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a whole number")),
    }
}

/// Counts from the simulator's summary line (`N run, F failed`).
pub fn parse_sim(output: &str) -> Tally {
    let mut t = Tally::default();
    for line in output.lines().filter(|l| l.starts_with("seeds ")) {
        let number = |word: &str| -> u64 {
            line.find(word)
                .and_then(|at| line[..at].split_whitespace().last()?.parse().ok())
                .unwrap_or(0)
        };
        let (ran, failed) = (number(" run,"), number(" failed;"));
        t.passed += ran.saturating_sub(failed);
        t.failed += failed;
    }
    t
}

/// Builds the simulator (release) and runs `seeds` from `start`, split over
/// two processes; returns the seeds passed and failed.
pub fn run_seeds(start: u64, seeds: u64) -> Result<Tally, Error> {
    run(cmd(
        "cargo",
        &["build", "--release", "--package", "naervaer-sim"],
    ))?;
    let binary = root().join("target/release/naervaer-sim");
    let half = seeds / 2;
    let parts = [(start, half), (start + half, seeds - half)];
    let handles: Vec<_> = parts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(from, n)| {
            let binary = binary.clone();
            std::thread::spawn(move || {
                let mut c = std::process::Command::new(binary);
                c.args(["--seeds", &n.to_string(), "--start", &from.to_string()]);
                run_captured(c)
            })
        })
        .collect();
    let mut tally = Tally::default();
    for handle in handles {
        let (ok, out) = handle
            .join()
            .map_err(|_| Error::from("a simulator process panicked"))?;
        let part = parse_sim(&out);
        tally.passed += part.passed;
        tally.failed += part.failed;
        if !ok && part.failed == 0 {
            tally.failed += 1;
        }
    }
    Ok(tally)
}

/// `cargo xtask sim`.
pub fn sim(args: &[String]) -> Result<(), Error> {
    let seeds = flag(args, "--seeds", 200)?;
    let start = flag(args, "--start", 0)?;
    let tally = run_seeds(start, seeds)?;
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        Err(format!("{} seeds failed", tally.failed))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_is_counted() {
        let out = "seed 7 FAILED:\n  x\nseeds 0..10: 10 run, 1 failed; 5 changes saved\n";
        assert_eq!(
            parse_sim(out),
            Tally {
                passed: 9,
                failed: 1
            }
        );
    }
}
