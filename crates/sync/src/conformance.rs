//! The suite every [`DeviceStore`] must pass: the in-memory store natively,
//! the browser's store in headless Chromium. Each check takes a pair of
//! handles onto one fresh, empty store (two windows of one app) and returns
//! what went wrong, if anything.

use chrono::{DateTime, TimeZone, Utc};
use naervaer_domain::protocol::Record;
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
    Record::Note(VisitNote::written(
        Uuid::from_u128(0x4e00_0000 + n),
        Uuid::from_u128(0xc1),
        &[],
        NoteCategory::Observation,
        format!("notat {n}"),
        at(0),
    ))
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
        database_id: Some(DATABASE),
        cursor_tag: next_cursor,
        feed_lost: false,
        seqs_lost: false,
        seq_reused: None,
        scope: "team:Nord".into(),
        protocol: naervaer_domain::protocol::PROTOCOL_VERSION,
    }
}

/// The server database of [`answer`].
pub const DATABASE: Uuid = Uuid::from_u128(0xdb);

/// A stored record from change `change_seq`.
pub fn stored(change_seq: u64, record: Record) -> StoredRecord {
    StoredRecord {
        change_seq,
        record,
        received_at: None,
    }
}

fn settle(seq: u64) -> Write {
    Write::Settle { seq, at: at(1) }
}

fn cursor(cursor: u64) -> Write {
    Write::Cursor {
        cursor,
        tag: cursor,
    }
}

/// The citizen the sample notes are about (`name` as given).
pub fn citizen(name: &str) -> Record {
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
    a.claim_client_id(Uuid::from_u128(1)).await.map_err(err)?;
    let writes: Vec<Write> = (1..=4).map(settle).collect();
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
    a.apply(&[Write::Record(stored(7, citizen("Else"))), cursor(7)])
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
    let newer = stored(9, citizen("Else Marie"));
    let older = stored(4, citizen("Else"));
    a.apply(&[
        Write::Record(newer.clone()),
        Write::Record(older),
        cursor(9),
        cursor(4),
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
    ensure(meta.cursor == 9 && meta.cursor_tag == 9, "cursor went back")?;
    ensure(meta.acknowledged_seq == 3, "acknowledgement went back")?;
    ensure(meta.last_success == Some(at(5)), "last success went back")
}

/// Rejecting marks only a pending entry, and settling removes only a pending
/// one: a rejected entry stays for a person to see.
pub async fn rejected_entries_stay<S: DeviceStore>((a, _b): (S, S)) -> Outcome {
    a.claim_client_id(Uuid::from_u128(1)).await.map_err(err)?;
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
        settle(1),
        settle(2),
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
    let kept = stored(3, citizen("Else"));
    let gone = stored(4, sample_note(7));
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

/// A settled entry moves to the sent log, under the client id it was sent
/// with, and stays there until forgotten.
pub async fn settled_entries_are_kept_in_the_sent_log<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    let client = a.claim_client_id(Uuid::from_u128(5)).await.map_err(err)?;
    let entry = a.append(sample_note(1), at(1)).await.map_err(err)?;
    b.apply(&[Write::Acknowledge(1), settle(1)])
        .await
        .map_err(err)?;
    let sent = a.sent().await.map_err(err)?;
    ensure(
        sent.len() == 1
            && sent[0].client_id == client
            && sent[0].seq == 1
            && sent[0].record == entry.record
            && sent[0].settled_at == at(1),
        &format!("the sent log holds {sent:?}"),
    )?;
    ensure(
        a.outbox().await.map_err(err)?.is_empty(),
        "the settled entry is still in the outbox",
    )?;
    b.apply(&[Write::ForgetSent(entry.record.id())])
        .await
        .map_err(err)?;
    ensure(
        a.sent().await.map_err(err)?.is_empty(),
        "the sent entry was not forgotten",
    )
}

/// A list guarded by a generation is not applied once another list has
/// restarted the sync; a restart inside a list carries its guard along.
pub async fn a_restart_makes_older_answers_stale<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    a.claim_client_id(Uuid::from_u128(5)).await.map_err(err)?;
    let generation = a.meta().await.map_err(err)?.generation;
    a.apply(&[
        Write::Guard(generation),
        cursor(3),
        Write::Rebase {
            database_id: Some(DATABASE),
            scope: "team:Nord".into(),
        },
        Write::Record(stored(1, citizen("Else"))),
    ])
    .await
    .map_err(err)?;
    let meta = b.meta().await.map_err(err)?;
    ensure(
        meta.generation == generation + 1 && meta.cursor == 0,
        &format!("after a rebase: {meta:?}"),
    )?;
    ensure(
        b.records().await.map_err(err)?.len() == 1,
        "the write after the restart in its own list was not applied",
    )?;
    b.apply(&[Write::Guard(generation), cursor(9)])
        .await
        .map_err(err)?;
    ensure(
        a.meta().await.map_err(err)?.cursor == 0,
        "a stale answer moved the cursor",
    )
}

/// A rebase forgets every synced record and the cursor, never the outbox
/// or the sent log, and remembers the database and scope it was given.
pub async fn a_rebase_keeps_what_was_made_on_the_device<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    a.claim_client_id(Uuid::from_u128(5)).await.map_err(err)?;
    a.append(sample_note(1), at(1)).await.map_err(err)?;
    a.append(sample_note(2), at(1)).await.map_err(err)?;
    a.apply(&[
        Write::Acknowledge(1),
        settle(1),
        Write::Record(stored(4, citizen("Else"))),
        cursor(4),
    ])
    .await
    .map_err(err)?;
    b.apply(&[Write::Rebase {
        database_id: Some(Uuid::from_u128(0xdb2)),
        scope: "team:Syd".into(),
    }])
    .await
    .map_err(err)?;
    let meta = a.meta().await.map_err(err)?;
    ensure(
        a.records().await.map_err(err)?.is_empty() && meta.cursor == 0 && meta.cursor_tag == 0,
        "records or the cursor survived a rebase",
    )?;
    ensure(
        meta.database_id == Some(Uuid::from_u128(0xdb2))
            && meta.scope.as_deref() == Some("team:Syd"),
        "the database or scope were not remembered",
    )?;
    ensure(
        a.outbox().await.map_err(err)?.len() == 1 && a.sent().await.map_err(err)?.len() == 1,
        "a rebase lost the outbox or the sent log",
    )
}

/// Two settled (1, 2), one rejected (3) and one pending (4) change under
/// client 5, the store as both kinds of new client start from.
async fn four_changes<S: DeviceStore>(a: &S) -> Outcome {
    a.claim_client_id(Uuid::from_u128(5)).await.map_err(err)?;
    for n in 1..=4 {
        a.append(sample_note(n), at(1)).await.map_err(err)?;
    }
    a.apply(&[
        Write::Acknowledge(3),
        Write::Settle { seq: 1, at: at(2) },
        Write::Settle { seq: 2, at: at(3) },
        Write::Reject(Rejection {
            seq: 3,
            code: "empty_field".into(),
            message: "tom".into(),
        }),
    ])
    .await
    .map_err(err)
}

/// The outbox as (seq, note number, pending, sent again from the sent log).
async fn outbox_shape<S: DeviceStore>(a: &S) -> Result<Vec<(u64, u128, bool, bool)>, String> {
    let numbers: Vec<(Uuid, u128)> = (1..=4).map(|n| (sample_note(n).id(), n)).collect();
    Ok(a.outbox()
        .await
        .map_err(err)?
        .iter()
        .map(|e| {
            let n = numbers
                .iter()
                .find(|(id, _)| *id == e.record.id())
                .map_or(0, |(_, n)| *n);
            (e.seq, n, e.is_pending(), e.resent)
        })
        .collect())
}

/// A new client after the server went back numbers everything from 1, all
/// pending: the sent log (oldest first: the server lost those, and its
/// verdicts), then the outbox, rejected entries too.
pub async fn a_new_client_sends_again_what_the_server_may_lack<S: DeviceStore>(
    (a, b): (S, S),
) -> Outcome {
    four_changes(&a).await?;
    b.apply(&[Write::NewClient {
        client_id: Uuid::from_u128(6),
        resend: crate::store::Resend::Everything,
        at: at(9),
    }])
    .await
    .map_err(err)?;
    let meta = a.meta().await.map_err(err)?;
    ensure(
        meta.client_id == Some(Uuid::from_u128(6))
            && meta.acknowledged_seq == 0
            && meta.last_seq == 4,
        &format!("the new client's bookkeeping: {meta:?}"),
    )?;
    let shape = outbox_shape(&a).await?;
    let want = vec![
        (1, 1, true, true),
        (2, 2, true, true),
        (3, 3, true, false),
        (4, 4, true, false),
    ];
    ensure(shape == want, &format!("the outbox is {shape:?}"))?;
    ensure(
        a.sent().await.map_err(err)?.is_empty(),
        "the sent log was not emptied into the outbox",
    )?;
    let next = a.append(sample_note(9), at(4)).await.map_err(err)?.seq;
    ensure(next == 5, &format!("the next seq was {next}"))
}

/// A new client of a copied or restored device (the server intact) numbers
/// only the pending entries from 1; a rejected one keeps its verdict, in
/// the sent log; the settled ones stay there.
pub async fn a_new_client_of_a_copied_device_keeps_the_servers_verdicts<S: DeviceStore>(
    (a, b): (S, S),
) -> Outcome {
    four_changes(&a).await?;
    b.apply(&[Write::NewClient {
        client_id: Uuid::from_u128(6),
        resend: crate::store::Resend::Nothing,
        at: at(9),
    }])
    .await
    .map_err(err)?;
    let shape = outbox_shape(&a).await?;
    ensure(
        shape == vec![(1, 4, true, false)],
        &format!("the outbox is {shape:?}"),
    )?;
    let mut sent = a.sent().await.map_err(err)?;
    sent.sort_by_key(|e| e.seq);
    let kept: Vec<(u64, bool)> = sent.iter().map(|e| (e.seq, e.applied())).collect();
    ensure(
        kept == vec![(1, true), (2, true), (3, false)],
        &format!("the sent log holds {kept:?}"),
    )
}

/// Forgetting a citizen removes her records from before the change that
/// said she left and nobody else's, never a pending change, and never what
/// a later change brought (an answer taken late or in part).
pub async fn forgetting_a_citizen_takes_only_hers<S: DeviceStore>((a, b): (S, S)) -> Outcome {
    let other = Record::Citizen(Citizen {
        id: Uuid::from_u128(0xc2),
        name: "Poul".into(),
        address: "Vej 2".into(),
        team: "Nord".into(),
    });
    a.apply(&[
        Write::Record(stored(1, citizen("Else"))),
        Write::Record(stored(2, sample_note(1))),
        Write::Record(stored(3, other.clone())),
        Write::Record(stored(9, sample_note(3))),
    ])
    .await
    .map_err(err)?;
    a.append(sample_note(2), at(1)).await.map_err(err)?;
    b.apply(&[Write::ForgetCitizen {
        citizen: Uuid::from_u128(0xc1),
        change_seq: 5,
    }])
    .await
    .map_err(err)?;
    let mut left: Vec<Record> = a
        .records()
        .await
        .map_err(err)?
        .into_iter()
        .map(|s| s.record)
        .collect();
    left.sort_by_key(Record::id);
    let mut want = vec![other, sample_note(3)];
    want.sort_by_key(Record::id);
    ensure(left == want, &format!("left: {left:?}"))?;
    ensure(
        a.outbox().await.map_err(err)?.len() == 1,
        "a pending change of hers went",
    )
}

/// A change the device settled is kept as a record only while its citizen
/// is on the device (a settled change of a citizen who moved away is not).
pub async fn a_settled_change_is_kept_only_with_its_citizen<S: DeviceStore>(
    (a, b): (S, S),
) -> Outcome {
    a.apply(&[Write::Own(sample_note(1))]).await.map_err(err)?;
    ensure(
        b.records().await.map_err(err)?.is_empty(),
        "a settled change was kept without its citizen",
    )?;
    a.apply(&[
        Write::Record(stored(1, citizen("Else"))),
        Write::Own(sample_note(1)),
    ])
    .await
    .map_err(err)?;
    ensure(
        b.records().await.map_err(err)?.len() == 2,
        "a settled change of a citizen on the device was not kept",
    )
}

/// Every check by name, in the order [`run_all`] runs them (the native
/// tests name one test after each).
pub const CHECKS: [&str; 14] = [
    "seqs_are_gap_free_and_never_reused",
    "both_handles_see_one_store",
    "nothing_moves_backwards",
    "rejected_entries_stay",
    "client_id_is_claimed_once_and_clear_forgets",
    "forgetting_touches_records_only",
    "concurrent_saves_get_distinct_seqs",
    "settled_entries_are_kept_in_the_sent_log",
    "a_restart_makes_older_answers_stale",
    "a_rebase_keeps_what_was_made_on_the_device",
    "a_new_client_sends_again_what_the_server_may_lack",
    "a_new_client_of_a_copied_device_keeps_the_servers_verdicts",
    "forgetting_a_citizen_takes_only_hers",
    "a_settled_change_is_kept_only_with_its_citizen",
];

/// Runs every check; the names of those that failed, with why.
pub async fn run_all<S: DeviceStore>(new_pair: impl Fn() -> (S, S)) -> Vec<String> {
    let mut failures = Vec::new();
    let mut ran = Vec::new();
    let mut note = |name: &'static str, outcome: Outcome| {
        ran.push(name);
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
    note(
        "settled_entries_are_kept_in_the_sent_log",
        settled_entries_are_kept_in_the_sent_log(new_pair()).await,
    );
    note(
        "a_restart_makes_older_answers_stale",
        a_restart_makes_older_answers_stale(new_pair()).await,
    );
    note(
        "a_rebase_keeps_what_was_made_on_the_device",
        a_rebase_keeps_what_was_made_on_the_device(new_pair()).await,
    );
    note(
        "a_new_client_sends_again_what_the_server_may_lack",
        a_new_client_sends_again_what_the_server_may_lack(new_pair()).await,
    );
    note(
        "a_new_client_of_a_copied_device_keeps_the_servers_verdicts",
        a_new_client_of_a_copied_device_keeps_the_servers_verdicts(new_pair()).await,
    );
    note(
        "forgetting_a_citizen_takes_only_hers",
        forgetting_a_citizen_takes_only_hers(new_pair()).await,
    );
    note(
        "a_settled_change_is_kept_only_with_its_citizen",
        a_settled_change_is_kept_only_with_its_citizen(new_pair()).await,
    );
    if ran != CHECKS {
        failures.push(format!("run_all ran {ran:?}, not CHECKS"));
    }
    failures
}
