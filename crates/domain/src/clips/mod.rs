//! Klippekort (clip cards): extra time a home-care citizen decides how to
//! use. The rules are each municipality's policy (data files); the ledger is
//! append-only; the balance is one pure function used by app and server.

pub mod balance;
pub mod entry;
pub mod policy;
pub mod rules;

pub use balance::{Balance, Expiry, WeekRow, balance, entry_cost, monday_of, open_plans};
pub use entry::{CardCheck, CardFlag, ClipCard, ClipEntry, EntryKind};
pub use policy::{ClipPolicy, ClipPolicyError, ClockTime, DEFAULT_POLICY_ID, HoursWindow, SHIPPED};
pub use rules::{Breach, check, within_hours};
