//! `naervaer-bench --base http://127.0.0.1:PORT [--devices 50] [--mutations 10] [--seconds 10]`:
//! a load benchmark against a running server with the demo data. N devices
//! of the demo's care workers sync in a loop, each pushing `mutations` new
//! notes per sync; then one device pushes 1,000 and 5,000 notes.
//! `--first-sync USER` instead measures a new tablet's first sync of USER's
//! team (on the scale demo). Prints figures; asserts nothing (`cargo xtask
//! bench` starts the server).

mod client;
mod first_sync;
mod load;
mod push;
mod stats;

use std::time::Duration;

use client::{BenchError, Client};

/// The benchmark's settings.
struct Settings {
    base: String,
    devices: usize,
    mutations: usize,
    seconds: u64,
    /// Measure only a new tablet's first sync, as this user.
    first_sync: Option<String>,
}

fn settings(args: &[String]) -> Result<Settings, BenchError> {
    let mut s = Settings {
        base: String::new(),
        devices: 50,
        mutations: 10,
        seconds: 10,
        first_sync: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| BenchError::Usage(format!("{flag} needs a value")))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| BenchError::Usage(format!("{flag} takes a number, not {value}")))
        };
        match flag.as_str() {
            "--base" => s.base = value.clone(),
            "--devices" => s.devices = usize::try_from(number()?).unwrap_or(usize::MAX),
            "--mutations" => s.mutations = usize::try_from(number()?).unwrap_or(usize::MAX),
            "--seconds" => s.seconds = number()?,
            "--first-sync" => s.first_sync = Some(value.clone()),
            _ => return Err(BenchError::Usage(format!("unknown flag {flag}"))),
        }
    }
    if s.base.is_empty() {
        return Err(BenchError::Usage("--base URL is required".into()));
    }
    Ok(s)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args).await {
        eprintln!("naervaer-bench: {e}");
        std::process::exit(1);
    }
}

async fn run(args: &[String]) -> Result<(), BenchError> {
    let s = settings(args)?;
    let client = Client::new(&s.base)?;
    if let Some(user) = &s.first_sync {
        let f = first_sync::run(&client, user).await?;
        println!(
            "bench: first sync of {user}'s team on a new tablet: {} changes in {} requests, {:.2} MB on the wire ({}; {:.2} MB of JSON), {:.2} s (goal: under 3 s and 2 MB)",
            f.changes,
            f.requests,
            f.wire_bytes as f64 / 1e6,
            f.encoding,
            f.json_bytes as f64 / 1e6,
            f.ms / 1000.0
        );
        return Ok(());
    }
    let load = load::run(
        &client,
        s.devices,
        s.mutations,
        Duration::from_secs(s.seconds),
    )
    .await?;
    println!(
        "bench: {} devices, {} mutations a sync, {} s: {} syncs ({:.0} a second), p50 {:.1} ms, p99 {:.1} ms, {} errors (goal: 2,000 a second, p99 under 100 ms)",
        s.devices,
        s.mutations,
        s.seconds,
        load.syncs,
        load.per_second,
        load.p50_ms,
        load.p99_ms,
        load.errors
    );
    for n in [1_000, 5_000] {
        let p = push::run(&client, n).await?;
        let each: Vec<String> = p.each_ms.iter().map(|ms| format!("{ms:.0}")).collect();
        println!(
            "bench: push of {n} mutations from one device: {:.1} ms ({:.3} ms a mutation, {} requests: {} ms)",
            p.total_ms,
            p.total_ms / n as f64,
            p.requests,
            each.join(" + ")
        );
    }
    Ok(())
}
