//! Seeds that once caught a bug run on every `cargo test` (debug build).
//! Planted once on 2026-11-30 and reverted: a device that stored the cursor
//! before the records it covers (caught by seeds 58 and 74, among 13 of
//! 300), and a server that forgot a rejection and so answered a repeat as if
//! it had been applied (caught by every seed, 0 among them). Seeds 307 and
//! 1153 failed in the first 2,000-seed run (an earlier version of the
//! simulation): a window that crashed in the middle of a sync lost the record
//! of held changes the store had just taken (the simulation's own
//! bookkeeping; the changes were on the device). Seed 1916 failed in a later
//! run: overlapping faults on one link (a hold inside a partition) left the
//! link broken after healing, so the coordinator's last pull never came; the
//! simulation now mends every link when it heals. Seed numbers name runs of
//! the simulation as it is now; an earlier version drew other runs from them.

#[test]
fn seeds_that_caught_bugs_still_pass() {
    for seed in [0, 58, 74, 307, 1153, 1916] {
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
