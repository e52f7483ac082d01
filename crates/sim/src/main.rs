//! `naervaer-sim --seeds N [--start S]`: runs N seeds of the simulation and
//! prints what they exercised; for a failure, the seed and how to replay it.

use std::time::Instant;

use naervaer_sim::{Failure, run_seed};

fn arg(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(at) => args
            .get(at + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a whole number")),
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (seeds, start) = match (arg(&args, "--seeds", 100), arg(&args, "--start", 0)) {
        (Ok(n), Ok(s)) => (n, s),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("naervaer-sim: {e}\nusage: naervaer-sim --seeds N [--start S]");
            return std::process::ExitCode::from(2);
        }
    };
    let began = Instant::now();
    let mut failed = Vec::new();
    let (mut saved, mut faults, mut requests, mut conflicts, mut rejected, mut merges, mut undone) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut sealed = 0;
    for seed in start..start.saturating_add(seeds) {
        let report = match run_seed(seed) {
            Ok(report) => report,
            Err(failure) => {
                let Failure { report, problems } = *failure;
                println!("seed {seed} FAILED:");
                for p in problems.iter().take(20) {
                    println!("  {p}");
                }
                println!("  replay: cargo xtask sim --seeds 1 --start {seed}");
                failed.push(seed);
                report
            }
        };
        saved += report.counts.saved;
        faults += report.faults();
        requests += report.counts.requests;
        conflicts += report.conflicts;
        rejected += report.rejected;
        merges += report.counts.merges;
        undone += report.undone;
        sealed += report.counts.sealed_devices;
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "seeds {start}..{}: {seeds} run, {} failed; {saved} changes saved ({rejected} invalid on purpose), {requests} requests, {faults} faults ({undone} server transactions undone by a restart), {conflicts} notes left in conflict, {merges} merges, {sealed} devices with sealed storage; {:.1} s ({:.0} seeds a minute)",
        start + seeds,
        failed.len(),
        secs,
        seeds as f64 * 60.0 / secs.max(0.001)
    );
    if failed.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        println!("failed seeds: {failed:?}");
        std::process::ExitCode::FAILURE
    }
}
