//! The in-memory store passes the device-store conformance suite, in both
//! of its modes (one transaction per answer; one item at a time).

use futures_executor::block_on;
use naervaer_sync::{MemoryDeviceStore, conformance};

#[test]
fn the_transactional_memory_store_conforms() {
    let failures = block_on(conformance::run_all(|| {
        let a = MemoryDeviceStore::new();
        (a.clone(), a)
    }));
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_torn_memory_store_conforms() {
    let failures = block_on(conformance::run_all(|| {
        let a = MemoryDeviceStore::torn();
        (a.clone(), a)
    }));
    assert!(failures.is_empty(), "{failures:#?}");
}
