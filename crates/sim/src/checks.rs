//! The guarantees, checked against the server's store and every device's.

use std::collections::BTreeMap;

use naervaer_domain::User;
use naervaer_domain::VisitNote;
use naervaer_domain::note::heads;
use naervaer_domain::sync::Record;
use naervaer_server::rules::scope_of;
use naervaer_server::store::{Audience, FeedRow, MemoryStore as ServerStore, Scope, Store, Tx};
use naervaer_sync::{DeviceStore, MemoryStore};
use uuid::Uuid;

use crate::monitor::Monitor;

/// The server's whole feed, and a problem for each part of it that could
/// not be read (the checks report them rather than pass over them).
async fn feed(server: &ServerStore) -> (Vec<FeedRow>, Vec<String>) {
    let mut problems = Vec::new();
    let rows = match server.changes_after(&Scope::All, 0, u32::MAX).await {
        Ok(rows) => rows,
        Err(e) => {
            problems.push(format!("the server's feed could not be read: {e}"));
            Vec::new()
        }
    };
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        let seq = row.seq;
        match row.parse() {
            Ok(row) => parsed.push(row),
            Err(e) => problems.push(format!("feed row {seq} does not parse: {e}")),
        }
    }
    (parsed, problems)
}

/// Problems if the device holds a record its user may not see.
pub async fn visible_only(server: &ServerStore, store: &MemoryStore, user: &User) -> Vec<String> {
    let scope = scope_of(user);
    let (rows, mut problems) = feed(server).await;
    let audience: BTreeMap<Uuid, Audience> = rows
        .into_iter()
        .map(|row| (row.record.id(), row.audience))
        .collect();
    for stored in store.records().await.unwrap_or_default() {
        let id = stored.record.id();
        match audience.get(&id) {
            Some(a) if a.visible_to(&scope) => {}
            Some(_) => problems.push(format!(
                "{} holds {} {id}, which is not theirs to see",
                user.username,
                stored.record.kind().as_str()
            )),
            None => problems.push(format!(
                "{} holds {} {id}, which the server does not have",
                user.username,
                stored.record.kind().as_str()
            )),
        }
    }
    problems
}

/// One device at the end of a run.
pub struct DeviceEnd<'a> {
    /// Its index.
    pub index: usize,
    /// Its user.
    pub user: &'a User,
    /// Its store.
    pub store: &'a MemoryStore,
}

/// How many notes ended in conflict (two heads) on the server.
pub async fn conflicts(server: &ServerStore) -> usize {
    let mut by_note: BTreeMap<Uuid, Vec<VisitNote>> = BTreeMap::new();
    // Unreadable rows are reported by the checks after healing.
    let (rows, _problems) = feed(server).await;
    for row in rows {
        if let Record::Note(n) = row.record {
            by_note.entry(n.note_id).or_default().push(n);
        }
    }
    by_note
        .values()
        .filter(|revs| heads(revs).len() > 1)
        .count()
}

/// Every check after healing; the problems found.
pub async fn after_healing(
    server: &ServerStore,
    devices: &[DeviceEnd<'_>],
    monitor: &Monitor,
) -> Vec<String> {
    let mut problems = monitor.violations.clone();
    let (rows, unreadable) = feed(server).await;
    problems.extend(unreadable);
    let mut latest: BTreeMap<Uuid, &FeedRow> = BTreeMap::new();
    let mut times_in_feed: BTreeMap<Uuid, usize> = BTreeMap::new();
    for row in &rows {
        latest.insert(row.record.id(), row);
        *times_in_feed.entry(row.record.id()).or_default() += 1;
    }
    let mut tx = match server.begin().await {
        Ok(tx) => tx,
        Err(e) => return vec![format!("server store: {e}")],
    };
    for device in devices {
        let meta = device.store.meta().await.unwrap_or_default();
        let Some(client) = meta.client_id else {
            if meta.last_seq > 0 {
                problems.push(format!(
                    "device {} made changes but never synced",
                    device.index
                ));
            }
            continue;
        };
        let mut seqs: Vec<u64> = monitor
            .saved
            .iter()
            .filter(|s| s.device == device.index)
            .map(|s| s.seq)
            .collect();
        seqs.sort_unstable();
        let expected: Vec<u64> = (1..=meta.last_seq).collect();
        if seqs != expected {
            problems.push(format!(
                "device {}: seqs reported saved {:?} are not 1..{}",
                device.index, seqs, meta.last_seq
            ));
        }
        let server_last = tx.client(client).await.ok().flatten().map_or(0, |c| c.1);
        if server_last != meta.last_seq {
            problems.push(format!(
                "device {}: the server settled up to {server_last}, the device made {}",
                device.index, meta.last_seq
            ));
        }
        for saved in monitor.saved.iter().filter(|s| s.device == device.index) {
            let rejection = tx.rejection(client, saved.seq).await.ok().flatten();
            let in_feed = times_in_feed.get(&saved.record_id).copied().unwrap_or(0);
            match (&rejection, saved.must_be_rejected) {
                (Some(r), Some(code)) if r.code != code => problems.push(format!(
                    "device {} seq {}: rejected as {} instead of {code}",
                    device.index, saved.seq, r.code
                )),
                (None, Some(code)) => problems.push(format!(
                    "device {} seq {}: should have been rejected ({code}) but was not",
                    device.index, saved.seq
                )),
                (None, None) if in_feed != 1 && saved.kind != "clip_card" => {
                    problems.push(format!(
                        "device {} seq {} ({} {}): applied {in_feed} times",
                        device.index, saved.seq, saved.kind, saved.record_id
                    ))
                }
                _ => {}
            }
            if rejection.is_some() && in_feed > 0 {
                problems.push(format!(
                    "device {} seq {}: both rejected and applied",
                    device.index, saved.seq
                ));
            }
        }
        let outbox = device.store.outbox().await.unwrap_or_default();
        if let Some(waiting) = outbox.iter().find(|e| e.is_pending()) {
            problems.push(format!(
                "device {}: seq {} still waits after healing",
                device.index, waiting.seq
            ));
        }
        let scope = scope_of(device.user);
        let want: BTreeMap<Uuid, &Record> = latest
            .iter()
            .filter(|(_, row)| row.audience.visible_to(&scope))
            .map(|(id, row)| (*id, &row.record))
            .collect();
        let have: BTreeMap<Uuid, Record> = device
            .store
            .records()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.record.id(), s.record))
            .collect();
        for (id, record) in &want {
            match have.get(id) {
                None => problems.push(format!(
                    "device {} ({}): missing {} {id}",
                    device.index,
                    device.user.username,
                    record.kind().as_str()
                )),
                Some(mine) if mine != *record => problems.push(format!(
                    "device {} ({}): {} {id} differs from the server's",
                    device.index,
                    device.user.username,
                    record.kind().as_str()
                )),
                Some(_) => {}
            }
        }
        for id in have.keys().filter(|id| !want.contains_key(id)) {
            problems.push(format!(
                "device {} ({}): holds {id}, which it may not see or the server lacks",
                device.index, device.user.username
            ));
        }
    }
    problems
}
