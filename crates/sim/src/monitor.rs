//! What the simulation watches while it runs: every change a device
//! reported as saved, what each client sent, the faults that make some
//! outcomes legitimate (a device's storage put back, a citizen or worker
//! moved), and any broken rule seen on the way. Shared by every task of
//! one run (single threaded).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::Duration;

use crate::device_store::Image;
use uuid::Uuid;

/// A change a device reported as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The device (index into the run's devices).
    pub device: usize,
    /// The record's id.
    pub record_id: Uuid,
    /// The record's kind, as stored.
    pub kind: &'static str,
    /// The citizen it is about, if any.
    pub citizen: Option<Uuid>,
    /// The user who saved it.
    pub author: Uuid,
    /// The rejection code it must get, for a change made invalid on purpose.
    pub must_be_rejected: Option<&'static str>,
    /// When it was saved (simulated time since the start).
    pub at: Duration,
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
    /// Server databases put back to an earlier backup.
    pub server_restores: u64,
    /// Device stores put back to an earlier copy.
    pub device_restores: u64,
    /// Devices copied to another tablet that then went on working.
    pub clones: u64,
    /// Citizens moved to another team.
    pub citizen_moves: u64,
    /// Workers moved to another team.
    pub worker_moves: u64,
    /// Requests refused because the app was too old (426).
    pub too_old: u64,
    /// Answers from a "newer server" (fields this app does not know).
    pub newer_answers: u64,
    /// Restarts devices made to recover (pulled again, sent again).
    pub recoveries: u64,
    /// Devices whose clock was days off.
    pub wrong_clocks: u64,
    /// Devices whose store sealed every row (as the app's does).
    pub sealed_devices: u64,
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
    /// The heal phase's rounds: windows that drained their outbox, windows
    /// that made their last pull, and whether a pull found more to do (a
    /// device that recovered from a restore sends its changes again, so
    /// every window pulls once more).
    pub rounds: Vec<Round>,
    /// A device store to put back, for the device's window to do (device
    /// index, the copy).
    pub device_restore: BTreeMap<usize, Image>,
    /// Devices whose store was put back, and from when their saves may be
    /// lost with it (saved after the copy was taken).
    pub restored_from: BTreeMap<usize, Duration>,
    /// A device to copy onto the spare tablet (its index, the copy).
    pub clone_request: Option<(usize, Image)>,
    /// The device copied onto the spare tablet, if one was.
    pub cloned_from: Option<usize>,
    /// Citizens moved during the run.
    pub moved_citizens: BTreeSet<Uuid>,
    /// Workers moved during the run.
    pub moved_workers: BTreeSet<Uuid>,
}

/// One round of the heal phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Windows whose outbox is empty.
    pub drained: usize,
    /// Windows that made their last pull.
    pub pulled: usize,
    /// A pull found more to do: another round follows.
    pub dirty: bool,
}

impl Monitor {
    /// Round `n` (made when first asked for).
    pub fn round(&mut self, n: usize) -> &mut Round {
        if self.rounds.len() <= n {
            self.rounds.resize(n + 1, Round::default());
        }
        &mut self.rounds[n]
    }
}

/// The most heal rounds (each a drain, a barrier and a last pull).
pub const HEAL_ROUNDS: usize = 4;

/// A handle on the shared monitor.
pub type Shared = Rc<RefCell<Monitor>>;
