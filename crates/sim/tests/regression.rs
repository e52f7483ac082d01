//! Seeds that once caught a bug run on every `cargo test` (debug build).
//! Seed 39 caught a device that stored the cursor before the records it
//! covers (planted once on 2026-11-30); seed 0 caught a server that forgot
//! a rejection and so answered a repeat as if it had been applied. Seeds
//! 307 and 1153 failed in the first 2,000-seed run: a window that crashed in
//! the middle of a sync lost the record of held changes the store had just
//! taken (the simulation's own bookkeeping; the changes were on the device).

#[test]
fn seeds_that_caught_bugs_still_pass() {
    for seed in [0, 39, 59, 307, 1153] {
        if let Err(failure) = naervaer_sim::run_seed(seed) {
            panic!("seed {seed} failed: {failure:#?}");
        }
    }
}

#[test]
fn a_seed_exercises_every_kind_of_fault_and_change() {
    let report = naervaer_sim::run_seed(39).map_err(|f| f.problems.join("\n"));
    let report = match report {
        Ok(r) => r,
        Err(problems) => panic!("{problems}"),
    };
    assert!(report.counts.saved > 50, "{report:?}");
    assert!(report.rejected > 0, "invalid changes were made: {report:?}");
    assert!(
        report.counts.crashes > 0 && report.counts.refused > 0,
        "{report:?}"
    );
    assert!(report.faults() > 10, "{report:?}");
}

#[test]
fn the_same_seed_runs_the_same_way() {
    let first = naervaer_sim::run_seed(7);
    let second = naervaer_sim::run_seed(7);
    assert_eq!(first, second);
}
