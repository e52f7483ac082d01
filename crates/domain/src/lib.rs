//! Nærvær's domain: the records a care worker writes, their validation, and the
//! sync protocol's rules. Pure Rust with no browser and no IO, so the app (in
//! WebAssembly) and the server (natively) apply exactly the same rules.

pub mod accounts;
pub mod activity;
pub mod citizen;
pub mod clips;
pub mod exactly_once;
pub mod loneliness;
pub mod note;
pub mod protocol;
pub mod retention;
pub mod screen_lock;
pub mod strict;
pub mod time;
pub mod user;
pub mod validation;
pub mod wire_time;

pub use citizen::{Citizen, PlannedVisit};
pub use exactly_once::{SeqDecision, classify_seq, fingerprint, fingerprint_of, plan_batch};
pub use note::{NoteCategory, VisitNote};
pub use protocol::{
    Change, ChangeKind, Gap, Mutation, MutationOp, Record, Rejection, SyncRequest, SyncResponse,
};
pub use user::{Role, SessionResponse, User};
pub use validation::ValidationError;
