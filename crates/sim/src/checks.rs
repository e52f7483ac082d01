//! The guarantees, checked against the server's store and every device's.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use naervaer_domain::note::heads;
use naervaer_domain::protocol::{Record, scope_keeps};
use naervaer_domain::{Citizen, User, VisitNote};
use naervaer_server::rules::scope_of;
use naervaer_server::store::{FeedRow, Keep, MemoryStore as ServerStore, Scope, Store};
use naervaer_sync::{DeviceStore, EntryState};

use crate::device_store::SimStore;
use uuid::Uuid;

use crate::monitor::Monitor;
use crate::run::SPARE;

/// The server's whole feed, and a problem for each part of it that could
/// not be read (the checks report them rather than pass over them).
async fn feed(server: &ServerStore) -> (Vec<FeedRow>, Vec<String>) {
    let mut problems = Vec::new();
    let rows = match server
        .changes_after(&Scope::All, 0, u32::MAX, &Keep::everything())
        .await
    {
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

/// Each citizen's record as of feed number `cursor` (the newest row of it
/// at or before `cursor`, whoever it was sent to).
fn citizens_at(rows: &[FeedRow], cursor: u64) -> BTreeMap<Uuid, &Citizen> {
    let mut citizens = BTreeMap::new();
    for row in rows.iter().take_while(|r| r.seq <= cursor) {
        if let Record::Citizen(c) = &row.record {
            citizens.insert(c.id, c);
        }
    }
    citizens
}

/// Problems if the device holds a record its user may not see, as far as
/// the server had told it: every record it got from the feed is one the
/// feed had, and every citizen's record it holds is of its team as of its
/// cursor (a citizen who moved away is forgotten once the device has
/// pulled her move). Its own settled changes not yet pulled back are
/// the server's too.
pub async fn visible_only(server: &ServerStore, store: &SimStore, user: &User) -> Vec<String> {
    let (rows, mut problems) = feed(server).await;
    let meta = store.meta().await.unwrap_or_default();
    let scope = meta
        .scope
        .clone()
        .unwrap_or_else(|| scope_of(user).wire_name());
    let by_seq: BTreeMap<u64, &FeedRow> = rows.iter().map(|r| (r.seq, r)).collect();
    // A device that has not yet heard that the server went back (its
    // cursor's row is another now) is put right by its next sync; the
    // checks after healing see that it was.
    let heard =
        meta.cursor == 0 || by_seq.get(&meta.cursor).map(|r| r.tag) == Some(meta.cursor_tag);
    if !heard {
        return problems;
    }
    let citizens = citizens_at(&rows, meta.cursor);
    let server_scope = match scope.strip_prefix("team:") {
        Some(team) => Scope::Team(team.to_string()),
        None => scope_of(user),
    };
    for stored in store.records().await.unwrap_or_default() {
        let id = stored.record.id();
        let kind = stored.record.kind().as_str();
        if stored.change_seq > 0
            && by_seq.get(&stored.change_seq).map(|r| r.record.id()) != Some(id)
        {
            problems.push(format!(
                "{} holds {kind} {id} from change {}, which the feed does not have (cursor {} tag {})",
                user.username, stored.change_seq, meta.cursor, meta.cursor_tag
            ));
        }
        // A row moved into this device's team (its citizen moved here) is
        // the device's to hold, even before her own record arrives.
        let moved_here = by_seq
            .get(&stored.change_seq)
            .is_some_and(|row| row.audience.visible_to(&server_scope));
        if let Some(citizen) = stored.record.citizen_id() {
            match citizens.get(&citizen) {
                Some(c) if scope_keeps(&scope, c) || moved_here => {}
                Some(c) => problems.push(format!(
                    "{} ({scope}) holds {kind} {id} (change {}) of a citizen of team {} (cursor {})",
                    user.username, stored.change_seq, c.team, meta.cursor
                )),
                None if stored.change_seq == 0 => {}
                None => problems.push(format!(
                    "{} holds {kind} {id} of a citizen it was never sent",
                    user.username
                )),
            }
        }
    }
    problems
}

/// One device at the end of a run.
pub struct DeviceEnd<'a> {
    /// Its index.
    pub index: usize,
    /// Its user (as at the start; their team may have changed since).
    pub user: &'a User,
    /// Its store.
    pub store: &'a SimStore,
}

/// How many notes ended in conflict (two heads) on the server.
pub async fn conflicts(server: &ServerStore) -> usize {
    let mut by_note: BTreeMap<Uuid, BTreeMap<Uuid, VisitNote>> = BTreeMap::new();
    // Unreadable rows are reported by the checks after healing.
    let (rows, _problems) = feed(server).await;
    for row in rows {
        if let Record::Note(n) = row.record {
            by_note.entry(n.note_id).or_default().insert(n.id, n);
        }
    }
    by_note
        .values()
        .filter(|revs| heads(&revs.values().cloned().collect::<Vec<_>>()).len() > 1)
        .count()
}

/// The records a user may see at the end, as the server holds them, less
/// what the retention setting takes from devices (by the server's time).
fn wanted<'a>(
    latest: &BTreeMap<Uuid, &'a FeedRow>,
    scope: &Scope,
    server_now: chrono::DateTime<chrono::Utc>,
) -> BTreeMap<Uuid, &'a Record> {
    let visible: Vec<&FeedRow> = latest
        .values()
        .copied()
        .filter(|row| row.audience.visible_to(scope))
        .collect();
    let mut newest: BTreeMap<Uuid, (NaiveDate, Uuid)> = BTreeMap::new();
    for row in &visible {
        if let Record::Loneliness(r) = &row.record {
            let key = (r.observed_on, r.id);
            let slot = newest.entry(r.citizen_id).or_insert(key);
            *slot = (*slot).max(key);
        }
    }
    visible
        .into_iter()
        .filter(|row| {
            !crate::world::retention().expired(&row.record, row.received_at, server_now, || {
                match &row.record {
                    Record::Loneliness(r) => {
                        newest.get(&r.citizen_id) == Some(&(r.observed_on, r.id))
                    }
                    _ => false,
                }
            })
        })
        .map(|row| (row.record.id(), &row.record))
        .collect()
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
    let server_now = crate::world::sim_now();
    let mut latest: BTreeMap<Uuid, &FeedRow> = BTreeMap::new();
    // How often each record was applied: a row that repeats a record with
    // the time an earlier row of it was received is a move's copy (sent
    // to the new team), not a second application, which the server would
    // have stamped with the time it came.
    let mut written: BTreeMap<Uuid, usize> = BTreeMap::new();
    let mut received: BTreeMap<Uuid, Vec<Option<chrono::DateTime<chrono::Utc>>>> = BTreeMap::new();
    for row in &rows {
        latest.insert(row.record.id(), row);
        let times = received.entry(row.record.id()).or_default();
        if !times.contains(&row.received_at) {
            times.push(row.received_at);
            *written.entry(row.record.id()).or_default() += 1;
        }
    }
    let users: BTreeMap<Uuid, User> = server
        .users()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    // A change whose citizen or author moved may be refused for it.
    let moved = |citizen: Option<Uuid>, author: Uuid| {
        citizen.is_some_and(|c| monitor.moved_citizens.contains(&c))
            || monitor.moved_workers.contains(&author)
    };
    for device in devices {
        let outbox = device.store.outbox().await.unwrap_or_default();
        if let Some(waiting) = outbox.iter().find(|e| e.is_pending()) {
            problems.push(format!(
                "device {}: seq {} ({}) still waits after healing",
                device.index,
                waiting.seq,
                waiting.record.id()
            ));
        }
        // Rejected entries stay in the outbox, or, once the device went on
        // under a new client id, in the sent log with their verdict.
        let sent = device.store.sent().await.unwrap_or_default();
        let rejected: BTreeMap<Uuid, String> = outbox
            .iter()
            .cloned()
            .chain(sent.iter().map(naervaer_sync::SentEntry::as_outbox_entry))
            .filter_map(|e| match &e.state {
                EntryState::Rejected { code, .. } => Some((e.record.id(), code.clone())),
                EntryState::Pending => None,
            })
            .collect();
        let may_be_lost = monitor.restored_from.get(&device.index);
        for saved in monitor.saved.iter().filter(|s| s.device == device.index) {
            let times = written.get(&saved.record_id).copied().unwrap_or(0);
            let what = format!("device {} {} {}", device.index, saved.kind, saved.record_id);
            if times > 1 && saved.kind != "clip_card" {
                problems.push(format!("{what}: applied {times} times"));
            }
            let lost_with_storage = may_be_lost.is_some_and(|from| saved.at >= *from);
            let tolerated = moved(saved.citizen, saved.author);
            match (rejected.get(&saved.record_id), saved.must_be_rejected) {
                (Some(code), Some(must)) if code != must => {
                    problems.push(format!("{what}: rejected as {code} instead of {must}"))
                }
                (Some(_), Some(_)) => {}
                (Some(code), None) if !(tolerated && code == "unknown_citizen") => {
                    problems.push(format!("{what}: rejected as {code}"))
                }
                (Some(_), None) => {}
                (None, Some(must)) if times == 0 && !lost_with_storage => problems.push(format!(
                    "{what}: should have been rejected ({must}) but is nowhere"
                )),
                (None, Some(must)) if times > 0 && !tolerated => {
                    problems.push(format!("{what}: should have been rejected ({must})"))
                }
                (None, _) if times == 0 && !lost_with_storage => {
                    problems.push(format!("{what}: never applied nor rejected"))
                }
                (None, _) => {}
            }
            // A change pending on a tablet and its copy is sent by both; a
            // move between their sends can give the two verdicts (the
            // server applies it at most once).
            let copied = monitor.cloned_from == Some(device.index) || device.index == SPARE;
            if rejected.contains_key(&saved.record_id) && times > 0 && !(copied && tolerated) {
                problems.push(format!(
                    "{what}: both rejected ({:?}) and applied",
                    rejected.get(&saved.record_id)
                ));
            }
        }
        let user = users.get(&device.user.id).unwrap_or(device.user);
        let scope = scope_of(user);
        let want = wanted(&latest, &scope, server_now);
        let stored = device.store.records().await.unwrap_or_default();
        let have: BTreeMap<Uuid, Record> = stored
            .iter()
            .map(|s| (s.record.id(), s.record.clone()))
            .collect();
        for s in stored.iter().filter(|s| !want.contains_key(&s.record.id())) {
            let in_feed = latest
                .get(&s.record.id())
                .map(|r| (r.seq, r.audience.clone()));
            crate::trace(|| {
                format!(
                    "device {}: extra {} {} from change {} (feed: {in_feed:?})",
                    device.index,
                    s.record.kind().as_str(),
                    s.record.id(),
                    s.change_seq
                )
            });
        }
        let cursor = device
            .store
            .meta()
            .await
            .map(|m| m.cursor)
            .unwrap_or_default();
        for (id, record) in &want {
            match have.get(id) {
                None => problems.push(format!(
                    "device {} ({}): missing {} {id} (row {:?}, device cursor {})",
                    device.index,
                    user.username,
                    record.kind().as_str(),
                    latest.get(id).map(|r| (r.seq, &r.audience, r.received_at)),
                    cursor
                )),
                Some(mine) if mine != *record => problems.push(format!(
                    "device {} ({}): {} {id} differs from the server's",
                    device.index,
                    user.username,
                    record.kind().as_str()
                )),
                Some(_) => {}
            }
        }
        let extra: BTreeSet<&Uuid> = have.keys().filter(|id| !want.contains_key(id)).collect();
        for id in extra {
            problems.push(format!(
                "device {} ({}): holds {id}, which it may not see, the server lacks, or retention takes",
                device.index, user.username
            ));
        }
    }
    problems
}
