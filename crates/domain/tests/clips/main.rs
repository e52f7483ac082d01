//! Klippekort rules through the domain crate's public API: dated scenarios
//! per shipped policy, and property tests over random ledgers.

// A test crate: a panic in a helper is a failed test with its message.
#![allow(clippy::unwrap_used)]

mod policies;
mod properties;
