//! N devices syncing in a loop, each pushing new notes every sync.

use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::client::{BenchError, Client, Cursor, notes};
use crate::stats::percentile;

/// The demo's care workers and coordinator; devices take turns among them.
const USERS: [&str; 4] = ["anna", "bo", "carl", "dorte"];

/// What the load run measured.
pub struct Load {
    /// Syncs answered with 200.
    pub syncs: usize,
    /// Syncs a second over the run.
    pub per_second: f64,
    /// Median latency.
    pub p50_ms: f64,
    /// 99th percentile latency.
    pub p99_ms: f64,
    /// Syncs that failed.
    pub errors: usize,
}

/// Runs `devices` devices for `length`, each sync pushing `mutations` notes.
pub async fn run(
    client: &Client,
    devices: usize,
    mutations: usize,
    length: Duration,
) -> Result<Load, BenchError> {
    let mut tokens = Vec::new();
    for user in USERS {
        let token = client.login(user).await?;
        let (citizen, head) = client.citizen_and_head(&token).await?;
        tokens.push((token, citizen, head));
    }
    let started = Instant::now();
    let deadline = started + length;
    let mut tasks = Vec::new();
    for d in 0..devices {
        let (token, citizen, head) = tokens[d % tokens.len()].clone();
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            device(client, token, citizen, head, mutations, deadline).await
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (ms, failed) = task
            .await
            .map_err(|e| BenchError::Server(format!("a device stopped: {e}")))?;
        latencies.extend(ms);
        errors += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok(Load {
        syncs: latencies.len(),
        per_second: latencies.len() as f64 / elapsed.max(0.001),
        p50_ms: percentile(&latencies, 50),
        p99_ms: percentile(&latencies, 99),
        errors,
    })
}

/// One device: sync until the deadline; returns latencies (ms) and failures.
async fn device(
    client: Client,
    token: String,
    citizen: Uuid,
    mut cursor: Cursor,
    mutations: usize,
    deadline: Instant,
) -> (Vec<f64>, usize) {
    let id = Uuid::new_v4();
    let mut next_seq = 1;
    let mut latencies = Vec::new();
    let mut errors = 0;
    while Instant::now() < deadline {
        let batch = notes(citizen, next_seq, mutations);
        let t0 = Instant::now();
        match client.sync(&token, id, cursor, batch).await {
            Ok(answer) => {
                latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
                next_seq = answer.acknowledged_seq + 1;
                cursor = answer.cursor();
            }
            Err(_) => errors += 1,
        }
    }
    (latencies, errors)
}
