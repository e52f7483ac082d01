//! What the simulation watches while it runs: every change a device
//! reported as saved, what each client sent, and any broken rule seen on
//! the way. Shared by every task of one run (single threaded).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use uuid::Uuid;

/// A change a device reported as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The device (index into the run's devices).
    pub device: usize,
    /// Its seq.
    pub seq: u64,
    /// The record's id.
    pub record_id: Uuid,
    /// The record's kind, as stored.
    pub kind: &'static str,
    /// The rejection code it must get, for a change made invalid on purpose.
    pub must_be_rejected: Option<&'static str>,
}

/// Counts of what a run exercised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Changes reported saved.
    pub saved: u64,
    /// Saves the store refused (held and retried).
    pub refused: u64,
    /// Sync runs started.
    pub syncs: u64,
    /// HTTP requests sent (duplicates included).
    pub requests: u64,
    /// Requests sent twice on purpose.
    pub duplicates: u64,
    /// Requests that got no answer in time.
    pub timeouts: u64,
    /// Device crashes (memory lost, store kept).
    pub crashes: u64,
    /// Periods in which a device store refused writes.
    pub full_periods: u64,
    /// Edits of the same revision made apart (conflicts).
    pub concurrent_edits: u64,
    /// Merges: one revision replacing every head of a note in conflict.
    pub merges: u64,
}

/// The shared watch of one run.
#[derive(Debug, Default)]
pub struct Monitor {
    /// Every change reported as saved.
    pub saved: Vec<Saved>,
    /// The highest seq each client has sent.
    pub max_sent: BTreeMap<Uuid, u64>,
    /// Rules seen broken while running.
    pub violations: Vec<String>,
    /// What was exercised.
    pub counts: Counts,
    /// Devices that finished draining their outbox in the heal phase.
    pub drained: usize,
}

/// A handle on the shared monitor.
pub type Shared = Rc<RefCell<Monitor>>;
