//! The device half of Nærvær's sync protocol, in plain Rust with no browser
//! in it, so it can be run natively and proven under faults by simulation.
//!
//! What it decides:
//! - the outbox: every change gets the next gap-free seq of this client,
//!   allocated by the [`DeviceStore`] inside the write that stores it, so
//!   several windows sharing one store never take the same seq; a change is
//!   "saved" only once that write has succeeded ([`Device::save`]);
//! - the request: the oldest pending entries and the cursor
//!   ([`Device::next_request`]);
//! - the response: checked first (an answer that acknowledges what was never
//!   sent, or moves the cursor backwards, leaves everything as it was), then
//!   taken in an order that survives a crash between any two writes:
//!   rejections, the acknowledgement, settling, pulled records, and the cursor
//!   last ([`Device::take_response`]);
//! - the loop that runs pages to the end ([`sync_to_end`]), the backoff after
//!   failures and what the header may say ([`status`]).
//!
//! The app implements [`DeviceStore`] over browser storage and [`Transport`]
//! over `fetch`; tests and the simulation use [`MemoryDeviceStore`].

pub mod conformance;
pub mod device;
pub mod idle;
pub mod memory;
pub mod outbox;
pub mod retention;
pub mod run;
pub mod sealed;
pub mod status;
pub mod store;

pub use device::{
    BATCH, Device, Recovery, SaveError, Sent, TakeError, Taken, check_response, restart_for,
};
pub use memory::MemoryDeviceStore;
pub use outbox::{EntryState, OutboxEntry, SentEntry, StoredRecord, SyncMeta};
pub use run::{RunReport, SyncError, Transport, TransportError, sync_into, sync_to_end};
pub use status::{HeaderState, SyncStatus, backoff_delay};
pub use store::{DeviceStore, DeviceStoreError, Maps, Resend, Write};
