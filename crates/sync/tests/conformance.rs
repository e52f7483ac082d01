//! The in-memory store passes the device-store conformance suite, in both
//! of its modes (one transaction per answer; one item at a time), and so
//! does the sealed store (every row encrypted) over rows in memory: one
//! named test per check and mode, so a failure names its check.

use std::rc::Rc;

use futures_executor::block_on;
use naervaer_sync::sealed::{MemoryRows, SealedStore, SoftwareCipher};
use naervaer_sync::{MemoryDeviceStore, conformance};

/// Two handles onto one store that takes an answer in one transaction.
fn transactional() -> (MemoryDeviceStore, MemoryDeviceStore) {
    let a = MemoryDeviceStore::new();
    (a.clone(), a)
}

/// Two handles onto one store that writes one item at a time.
fn torn() -> (MemoryDeviceStore, MemoryDeviceStore) {
    let a = MemoryDeviceStore::torn();
    (a.clone(), a)
}

/// Two handles (two windows) onto one sealed store: each window holds the
/// same user's key, as each unlocked window of the app does.
fn sealed() -> (
    SealedStore<MemoryRows, SoftwareCipher>,
    SealedStore<MemoryRows, SoftwareCipher>,
) {
    let rows = MemoryRows::new();
    let user = uuid::Uuid::from_u128(7);
    let window = |seed| {
        SealedStore::new(
            rows.clone(),
            Rc::new(SoftwareCipher::new([7; 32], seed)),
            user,
        )
    };
    (window(1), window(2))
}

/// One test per check, in a module per mode, and the list they came from.
macro_rules! each_check {
    ($($check:ident),* $(,)?) => {
        const NAMED: &[&str] = &[$(stringify!($check)),*];

        mod transactional {
            $(
                #[test]
                fn $check() {
                    let outcome = super::block_on(super::conformance::$check(super::transactional()));
                    assert_eq!(outcome, Ok(()));
                }
            )*
        }

        mod sealed {
            $(
                #[test]
                fn $check() {
                    let outcome = super::block_on(super::conformance::$check(super::sealed()));
                    assert_eq!(outcome, Ok(()));
                }
            )*
        }

        mod torn {
            $(
                #[test]
                fn $check() {
                    let outcome = super::block_on(super::conformance::$check(super::torn()));
                    assert_eq!(outcome, Ok(()));
                }
            )*
        }
    };
}

each_check!(
    seqs_are_gap_free_and_never_reused,
    both_handles_see_one_store,
    nothing_moves_backwards,
    rejected_entries_stay,
    client_id_is_claimed_once_and_clear_forgets,
    forgetting_touches_records_only,
    concurrent_saves_get_distinct_seqs,
    settled_entries_are_kept_in_the_sent_log,
    a_restart_makes_older_answers_stale,
    a_rebase_keeps_what_was_made_on_the_device,
    a_new_client_sends_again_what_the_server_may_lack,
    a_new_client_of_a_copied_device_keeps_the_servers_verdicts,
    forgetting_a_citizen_takes_only_hers,
    a_settled_change_is_kept_only_with_its_citizen,
);

#[test]
fn every_check_of_the_suite_has_its_test_here() {
    assert_eq!(NAMED, conformance::CHECKS);
}

#[test]
fn run_all_runs_every_check() {
    assert_eq!(
        block_on(conformance::run_all(transactional)),
        Vec::<String>::new()
    );
}
