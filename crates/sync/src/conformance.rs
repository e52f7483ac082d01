//! The suite every [`DeviceStore`] must pass: the in-memory store natively,
//! the browser's store in headless Chromium. Each check takes a pair of
//! handles onto one fresh, empty store (two windows of one app) and returns
//! what went wrong, if anything.

use chrono::{DateTime, TimeZone, Utc};
use naervaer_domain::sync::Record;
use naervaer_domain::{Change, Citizen, NoteCategory, Rejection, SyncResponse, VisitNote};
use uuid::Uuid;

use crate::outbox::{EntryState, StoredRecord};
use crate::store::{DeviceStore, Write};

type Outcome = Result<(), String>;

fn ensure(ok: bool, what: &str) -> Outcome {
    if ok { Ok(()) } else { Err(what.to_string()) }
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 10, minute, 0)
        .single()
        .unwrap_or_default()
}

/// A note record for the checks (`n` makes ids and text differ).
pub fn sample_note(n: u128) -> Record {
    let id = Uuid::from_u128(0x4e00_0000 + n);
    Record::Note(VisitNote {
        id,
        note_id: id,
        replaces: Vec::new(),
        citizen_id: Uuid::from_u128(0xc1),
        visit_id: None,
        category: NoteCategory::Observation,
        text: format!("notat {n}"),
        author_id: None,
        author_name: String::new(),
        written_at: at(0),
    })
}

/// A server answer for the checks and tests: acknowledgement, rejections,
/// changes and the next cursor, no gap, no more pages.
pub fn answer(
    acknowledged_seq: u64,
    rejections: Vec<Rejection>,
    changes: Vec<Change>,
    next_cursor: u64,
) -> SyncResponse {
    SyncResponse {
        acknowledged_seq,
        rejections,
        gap: None,
        changes,
        next_cursor,
        more: false,
        server_time: at(0),
    }
}

fn citizen(name: &str) -> Record {
    Record::Citizen(Citizen {
        id: Uuid::from_u128(0xc1),
        name: name.into(),
        address: "Vej 1".into(),
        team: "Nord".into(),
    })
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Seqs are 1, 2, 3, … across both handles, and never given twice, even
/// after the outbox was emptied by settling.
pub async fn seqs_are_gap_free_and_never_reused<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    let mut seqs = Vec::new();
    for n in 0..4 {
        let store = if n % 2 == 0 { &a } else { &b };
        seqs.push(store.append(sample_note(n), at(1)).await.map_err(err)?.seq);
    }
    ensure(seqs == vec![1, 2, 3, 4], &format!("seqs were {seqs:?}"))?;
    let writes: Vec<Write> = (1..=4).map(Write::Settle).collect();
    a.apply(&[Write::Acknowledge(4)]).await.map_err(err)?;
    a.apply(&writes).await.map_err(err)?;
    ensure(
        b.outbox().await.map_err(err)?.is_empty(),
        "outbox not emptied",
    )?;
    let next = b.append(sample_note(9), at(2)).await.map_err(err)?.seq;
    ensure(
        next == 5,
        &format!("after settling 1..4 the next seq was {next}"),
    )
}

/// What one handle writes, the other reads: entries, records, bookkeeping.
pub async fn both_handles_see_one_store<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    let entry = a.append(sample_note(1), at(3)).await.map_err(err)?;
    let seen = b.outbox().await.map_err(err)?;
    ensure(
        seen == vec![entry],
        "the other handle does not see the entry",
    )?;
    a.apply(&[
        Write::Record(StoredRecord {
            change_seq: 7,
            record: citizen("Else"),
        }),
        Write::Cursor(7),
    ])
    .await
    .map_err(err)?;
    ensure(
        b.meta().await.map_err(err)?.cursor == 7,
        "cursor not shared",
    )?;
    ensure(
        b.records().await.map_err(err)?.len() == 1,
        "record not shared",
    )
}

/// A record is replaced only by one from a later change; the cursor and the
/// acknowledgement never go back; the last success only moves forward.
pub async fn nothing_moves_backwards<S: DeviceStore>((a, _b): (S, S)) -> Outcome {
    let newer = StoredRecord {
        change_seq: 9,
        record: citizen("Else Marie"),
    };
    let older = StoredRecord {
        change_seq: 4,
        record: citizen("Else"),
    };
    a.apply(&[
        Write::Record(newer.clone()),
        Write::Record(older),
        Write::Cursor(9),
        Write::Cursor(4),
        Write::Acknowledge(3),
        Write::Acknowledge(1),
        Write::LastSuccess(at(5)),
        Write::LastSuccess(at(4)),
    ])
    .await
    .map_err(err)?;
    ensure(
        a.records().await.map_err(err)? == vec![newer],
        "an older change replaced a newer record",
    )?;
    let meta = a.meta().await.map_err(err)?;
    ensure(meta.cursor == 9, "cursor went back")?;
    ensure(meta.acknowledged_seq == 3, "acknowledgement went back")?;
    ensure(meta.last_success == Some(at(5)), "last success went back")
}

/// Rejecting marks only a pending entry, and settling removes only a pending
/// one: a rejected entry stays for a person to see.
pub async fn rejected_entries_stay<S: DeviceStore>((a, _b): (S, S)) -> Outcome {
    a.append(sample_note(1), at(1)).await.map_err(err)?;
    a.append(sample_note(2), at(1)).await.map_err(err)?;
    let rejection = Rejection {
        seq: 1,
        code: "empty_field".into(),
        message: "tom".into(),
    };
    a.apply(&[
        Write::Reject(rejection),
        Write::Acknowledge(2),
        Write::Settle(1),
        Write::Settle(2),
    ])
    .await
    .map_err(err)?;
    let outbox = a.outbox().await.map_err(err)?;
    ensure(outbox.len() == 1, "the rejected entry was settled away")?;
    ensure(
        matches!(&outbox[0].state, EntryState::Rejected { code, .. } if code == "empty_field"),
        "the entry is not marked rejected",
    )
}

/// The first client id claimed is kept; clearing forgets everything.
pub async fn client_id_is_claimed_once_and_clear_forgets<S: DeviceStore>(
    (a, b): (S, S),
) -> Outcome {
    let first = a.claim_client_id(Uuid::from_u128(1)).await.map_err(err)?;
    let second = b.claim_client_id(Uuid::from_u128(2)).await.map_err(err)?;
    ensure(
        first == Uuid::from_u128(1) && second == first,
        "two client ids were claimed",
    )?;
    a.append(sample_note(1), at(1)).await.map_err(err)?;
    a.clear().await.map_err(err)?;
    ensure(
        b.outbox().await.map_err(err)?.is_empty()
            && b.meta().await.map_err(err)?.client_id.is_none(),
        "clear left data behind",
    )
}

/// Forgetting removes a synced record and nothing else: a pending entry
/// saving the same record stays in the outbox.
pub async fn forgetting_touches_records_only<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    let kept = StoredRecord {
        change_seq: 3,
        record: citizen("Else"),
    };
    let gone = StoredRecord {
        change_seq: 4,
        record: sample_note(7),
    };
    a.apply(&[Write::Record(kept.clone()), Write::Record(gone.clone())])
        .await
        .map_err(err)?;
    a.append(sample_note(7), at(2)).await.map_err(err)?;
    b.apply(&[
        Write::Forget(gone.record.id()),
        Write::Forget(Uuid::from_u128(404)),
    ])
    .await
    .map_err(err)?;
    ensure(
        a.records().await.map_err(err)? == vec![kept],
        "the forgotten record is still there, or another went with it",
    )?;
    ensure(
        a.outbox().await.map_err(err)?.len() == 1,
        "forgetting removed a pending change",
    )
}

/// Two handles saving at the same moment (two windows, neither waiting for
/// the other) still get distinct seqs, and both entries are stored.
pub async fn concurrent_saves_get_distinct_seqs<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    let mut seqs = Vec::new();
    for round in 0..3u128 {
        let (x, y) = futures_util::future::join(
            a.append(sample_note(round * 2), at(1)),
            b.append(sample_note(round * 2 + 1), at(1)),
        )
        .await;
        seqs.push(x.map_err(err)?.seq);
        seqs.push(y.map_err(err)?.seq);
    }
    seqs.sort_unstable();
    ensure(seqs == vec![1, 2, 3, 4, 5, 6], &format!("seqs {seqs:?}"))?;
    ensure(
        a.outbox().await.map_err(err)?.len() == 6,
        "an entry was overwritten",
    )
}

/// Runs every check; the names of those that failed, with why.
pub async fn run_all<S: DeviceStore>(new_pair: impl Fn() -> (S, S)) -> Vec<String> {
    let mut failures = Vec::new();
    let mut note = |name: &str, outcome: Outcome| {
        if let Err(why) = outcome {
            failures.push(format!("{name}: {why}"));
        }
    };
    note(
        "seqs_are_gap_free_and_never_reused",
        seqs_are_gap_free_and_never_reused(new_pair()).await,
    );
    note(
        "both_handles_see_one_store",
        both_handles_see_one_store(new_pair()).await,
    );
    note(
        "nothing_moves_backwards",
        nothing_moves_backwards(new_pair()).await,
    );
    note(
        "rejected_entries_stay",
        rejected_entries_stay(new_pair()).await,
    );
    note(
        "client_id_is_claimed_once_and_clear_forgets",
        client_id_is_claimed_once_and_clear_forgets(new_pair()).await,
    );
    note(
        "forgetting_touches_records_only",
        forgetting_touches_records_only(new_pair()).await,
    );
    note(
        "concurrent_saves_get_distinct_seqs",
        concurrent_saves_get_distinct_seqs(new_pair()).await,
    );
    failures
}
