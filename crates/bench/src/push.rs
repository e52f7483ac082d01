//! One device pushing many changes at once (after a long time offline).

use std::time::Instant;

use uuid::Uuid;

use crate::client::{BenchError, Client, notes};

/// The server takes at most this many mutations a request (the domain's limit).
const PER_REQUEST: usize = 1_000;

/// What a push measured.
pub struct Push {
    /// From the first request to the last answer.
    pub total_ms: f64,
    /// Requests it took.
    pub requests: usize,
    /// Each request's time (ms), in order.
    pub each_ms: Vec<f64>,
}

/// Pushes `count` new notes from a fresh device, `PER_REQUEST` a request,
/// following the cursor as a device does.
pub async fn run(client: &Client, count: usize) -> Result<Push, BenchError> {
    let token = client.login("anna").await?;
    let (citizen, mut cursor) = client.citizen_and_head(&token).await?;
    let id = Uuid::new_v4();
    let mut next_seq = 1;
    let mut requests = 0;
    let mut each_ms = Vec::new();
    let started = Instant::now();
    while next_seq <= count as u64 {
        let left = count - usize::try_from(next_seq - 1).unwrap_or(count);
        let batch = notes(citizen, next_seq, left.min(PER_REQUEST));
        let sent = Instant::now();
        let answer = client.sync(&token, id, cursor, batch).await?;
        each_ms.push(sent.elapsed().as_secs_f64() * 1000.0);
        requests += 1;
        if answer.acknowledged_seq < next_seq {
            return Err(BenchError::Server("the server acknowledged nothing".into()));
        }
        next_seq = answer.acknowledged_seq + 1;
        cursor = answer.cursor();
    }
    Ok(Push {
        total_ms: started.elapsed().as_secs_f64() * 1000.0,
        requests,
        each_ms,
    })
}
