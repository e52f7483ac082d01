//! Nærvær's deterministic simulation. From one seed it builds a small
//! municipality on the real server code (the axum router and the protocol
//! rules over the in-memory store), and devices of several users — one of
//! them with two app windows sharing one device store — that save every
//! record kind, edit the same note apart, and push invalid changes, through
//! the real device sync ([`naervaer_sync`]) over simulated HTTP (turmoil).
//! Faults: partitions, answers lost after the server committed, requests
//! held past the client's timeout and delivered late, duplicated requests,
//! server restarts in the middle of a transaction, device crashes that lose
//! memory but keep the store, and a store that refuses writes. Then a heal
//! phase without faults, and the checks in [`checks`].

pub mod checks;
pub mod device_store;
pub mod monitor;
pub mod net;
pub mod run;
pub mod window;
pub mod world;

pub use run::{Failure, Outcome, SeedReport, run_seed};

/// Prints what happens in a run when `NAERVAER_SIM_TRACE` is set (to
/// follow one failing seed), with the simulated time.
pub fn trace(what: impl FnOnce() -> String) {
    thread_local! {
        static ON: bool = std::env::var_os("NAERVAER_SIM_TRACE").is_some();
    }
    if ON.with(|on| *on) {
        let at = (world::sim_now() - world::epoch())
            .to_std()
            .unwrap_or_default();
        eprintln!("{:>8.3}s {}", at.as_secs_f64(), what());
    }
}
