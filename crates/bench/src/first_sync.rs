//! A new tablet's first sync of a team's working set: every page, as the
//! app pulls them (1,000 changes a page), with the answers compressed as a
//! browser accepts them (brotli). Counts the bytes on the wire and the
//! bytes they stand for.

use std::io::Read;
use std::time::Instant;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::client::{BenchError, Client, Cursor};

/// What the first sync took.
pub struct FirstSync {
    /// Changes pulled.
    pub changes: usize,
    /// Requests it took.
    pub requests: usize,
    /// Bytes of the answers on the wire (as sent).
    pub wire_bytes: usize,
    /// Bytes of the answers uncompressed.
    pub json_bytes: usize,
    /// How the answers were encoded.
    pub encoding: String,
    /// Wall time (ms), login not included.
    pub ms: f64,
}

/// The page size the app asks for.
const PAGE: u32 = 1_000;

/// Pulls everything `username` may see from a new device.
pub async fn run(client: &Client, username: &str) -> Result<FirstSync, BenchError> {
    let token = client.login(username).await?;
    let device = Uuid::new_v4();
    let mut cursor = Cursor::default();
    let mut outcome = FirstSync {
        changes: 0,
        requests: 0,
        wire_bytes: 0,
        json_bytes: 0,
        encoding: "identity".into(),
        ms: 0.0,
    };
    let started = Instant::now();
    loop {
        let body = json!({"protocol": naervaer_domain::protocol::PROTOCOL_VERSION,
            "client_id": device, "cursor": cursor.at, "cursor_tag": cursor.tag, "limit": PAGE});
        let (wire, encoding) = client.post_raw("/api/v1/sync", &token, &body, "br").await?;
        outcome.requests += 1;
        outcome.wire_bytes += wire.len();
        let text = match encoding.as_str() {
            "br" => {
                let mut text = Vec::new();
                brotli::Decompressor::new(wire.as_slice(), 4096)
                    .read_to_end(&mut text)
                    .map_err(|e| BenchError::Server(format!("brotli: {e}")))?;
                text
            }
            _ => wire,
        };
        outcome.encoding = encoding;
        outcome.json_bytes += text.len();
        let answer: Value = serde_json::from_slice(&text)
            .map_err(|e| BenchError::Server(format!("/api/v1/sync: {e}")))?;
        outcome.changes += answer["changes"].as_array().map_or(0, Vec::len);
        cursor = Cursor {
            at: answer["next_cursor"].as_u64().unwrap_or(cursor.at),
            tag: answer["cursor_tag"].as_u64().unwrap_or(cursor.tag),
        };
        if answer["more"] != json!(true) {
            break;
        }
    }
    outcome.ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(outcome)
}
