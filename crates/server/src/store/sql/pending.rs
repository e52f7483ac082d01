//! What a SQL transaction keeps beside its database transaction until it
//! writes it: records, feed rows, audit rows and settled mutations, written
//! many rows per statement.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::retention::reckoned_from;
use uuid::Uuid;

use super::rows::{RowValues, seq_to_db, to_json};
use crate::store::{Audience, AuditEntry, Settled, StoreError};

/// Rows written in one multi-row statement (at most 7 values each: well
/// under SQLite's and PostgreSQL's limits on bound values).
pub(in crate::store) const ROWS_PER_STATEMENT: usize = 500;

/// A change waiting to be written to the feed at commit.
pub(in crate::store) struct PendingChange {
    pub kind: &'static str,
    pub record_id: String,
    /// The citizen's id, or '' for the catalogue (everyone).
    pub citizen_id: String,
    /// The citizen's team, or '' for the catalogue.
    pub team: String,
    pub payload: String,
    pub tag: i64,
    pub received_at: Option<String>,
    /// The retention window that keeps the record, or ''.
    pub keep_window: &'static str,
    /// Unix seconds its age is reckoned from.
    pub keep_from: i64,
}

impl PendingChange {
    /// The feed row of `record` for `audience`, received at `received_at`.
    pub fn new(
        record: &Record,
        audience: &Audience,
        received_at: Option<DateTime<Utc>>,
    ) -> Result<PendingChange, StoreError> {
        let (citizen_id, team) = match audience {
            Audience::Citizen { citizen_id, team } => (citizen_id.to_string(), team.clone()),
            Audience::Everyone => (String::new(), String::new()),
        };
        let (keep_window, keep_from) = match reckoned_from(record, received_at) {
            Some((window, from)) => (window.as_str(), from.timestamp()),
            None => ("", 0),
        };
        Ok(PendingChange {
            kind: record.kind().as_str(),
            record_id: record.id().to_string(),
            citizen_id,
            team,
            payload: to_json(record)?,
            tag: seq_to_db(crate::store::new_tag())?,
            received_at: received_at.map(|at| at.to_rfc3339()),
            keep_window,
            keep_from,
        })
    }
}

/// What a transaction keeps beside its database transaction. Nothing a
/// transaction writes is read back by another until it commits (writers
/// take turns), so it can wait: records are written in one multi-row
/// statement per table (before a query that reads their table, and at
/// commit), feed and audit rows at commit. A push of n records costs a few
/// statements, not 4n, and what it looked up or wrote is not asked again.
#[derive(Default)]
pub(in crate::store) struct TxState {
    /// Records inserted, not yet written, in order.
    pub records: Vec<Record>,
    /// Feed rows, written at commit.
    pub changes: Vec<PendingChange>,
    /// Audit rows, written at commit.
    pub audit: Vec<AuditEntry>,
    /// Citizens' teams read or written in this transaction.
    pub teams: HashMap<Uuid, Option<String>>,
    /// Records looked up or written in this transaction (`None`: known absent).
    pub known: HashMap<(&'static str, Uuid), Option<Record>>,
    /// Fingerprints of settled mutations, written at commit.
    pub settled: Vec<(String, i64, Settled)>,
}

/// Rows in statements: each run of one table, at most
/// [`ROWS_PER_STATEMENT`] a statement, in the order they were inserted
/// (so a citizen is written before her visits).
pub(in crate::store) fn statements(rows: &[RowValues]) -> impl Iterator<Item = &[RowValues]> {
    rows.chunk_by(|a, b| a.0 == b.0)
        .flat_map(|run| run.chunks(ROWS_PER_STATEMENT))
}
