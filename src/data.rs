//! The device's data in memory: what storage holds, indexed for the pages.
//! Storage is written first; this view follows it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use naervaer_domain::activity::{Activity, Booking, current};
use naervaer_domain::clips::{ClipCard, ClipEntry};
use naervaer_domain::loneliness::LonelinessRegistration;
use naervaer_domain::note::heads;
use naervaer_domain::protocol::Record;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{Citizen, PlannedVisit, VisitNote};
use uuid::Uuid;

pub use naervaer_sync::{EntryState, OutboxEntry, SyncMeta};

/// The note an outbox entry saves, if it is a note.
pub fn entry_note(entry: &OutboxEntry) -> Option<&VisitNote> {
    match &entry.record {
        Record::Note(note) => Some(note),
        _ => None,
    }
}

/// How an outbox entry stands, for display.
pub fn entry_status(entry: &OutboxEntry) -> RecordStatus {
    match &entry.state {
        EntryState::Rejected { message, .. } => RecordStatus::Rejected(message.clone()),
        EntryState::Pending => RecordStatus::Waiting,
    }
}

/// How a record stands on this device.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordStatus {
    /// On the server.
    Synced,
    /// In the outbox, not yet on the server.
    Waiting,
    /// The server rejected it, with this message.
    Rejected(String),
}

/// A note as the citizen page shows it: its current revision(s).
#[derive(Debug, Clone, PartialEq)]
pub struct NoteView {
    /// The current revision; more than one when the note is in conflict.
    pub heads: Vec<(VisitNote, RecordStatus)>,
    /// How many revisions the note has.
    pub revisions: usize,
}

impl NoteView {
    /// The note these revisions belong to.
    pub fn note_id(&self) -> Option<Uuid> {
        self.heads.first().map(|(n, _)| n.note_id)
    }

    /// Whether two revisions were made from the same one apart.
    pub fn in_conflict(&self) -> bool {
        self.heads.len() > 1
    }
}

/// Everything of the logged-in user on this device.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocalData {
    /// Every record the server has confirmed (citizens, visits, note
    /// revisions, registrations, clip cards and entries), by id. One map for
    /// all kinds: ids are UUIDs, and one map type is much less code in the
    /// download than six.
    pub records: BTreeMap<Uuid, Record>,
    /// Changes not yet settled, by seq.
    pub outbox: BTreeMap<u64, OutboxEntry>,
    /// Sync bookkeeping.
    pub meta: SyncMeta,
}

/// Where the view keeps entries rejected under an earlier client id (kept
/// in the sent log): above every seq a client ever uses, so they never meet
/// an outbox entry's key.
pub const REJECTED_EARLIER: u64 = 1 << 62;

impl LocalData {
    /// What the pages show of everything stored: the records, the outbox,
    /// and the changes rejected under an earlier client id.
    pub fn from_maps(maps: naervaer_sync::Maps) -> LocalData {
        let mut data = LocalData {
            meta: maps.meta,
            outbox: maps.outbox,
            ..LocalData::default()
        };
        for stored in maps.records.into_values() {
            data.apply(stored.record);
        }
        for entry in maps.sent.into_values() {
            if !entry.applied() {
                data.add_rejected_earlier(entry.as_outbox_entry());
            }
        }
        data
    }

    /// Shows an entry the server rejected under an earlier client id.
    pub fn add_rejected_earlier(&mut self, entry: OutboxEntry) {
        let key = REJECTED_EARLIER + self.outbox.range(REJECTED_EARLIER..).count() as u64;
        self.outbox.insert(key, entry);
    }

    /// Takes the outbox as stored, keeping the entries rejected earlier.
    pub fn set_outbox(&mut self, outbox: Vec<OutboxEntry>) {
        let earlier = self.outbox.split_off(&REJECTED_EARLIER);
        self.outbox = outbox.into_iter().map(|e| (e.seq, e)).collect();
        self.outbox.extend(earlier);
    }

    /// Takes a record into the view.
    pub fn apply(&mut self, record: Record) {
        self.records.insert(record.id(), record);
    }

    /// Whether the server has confirmed a record with this id.
    pub fn has(&self, id: &Uuid) -> bool {
        self.records.contains_key(id)
    }

    /// Citizens this user may see.
    pub fn citizens(&self) -> impl Iterator<Item = &Citizen> {
        self.records.values().filter_map(|r| match r {
            Record::Citizen(c) => Some(c),
            _ => None,
        })
    }

    /// A citizen by id.
    pub fn citizen(&self, id: Uuid) -> Option<&Citizen> {
        match self.records.get(&id) {
            Some(Record::Citizen(c)) => Some(c),
            _ => None,
        }
    }

    /// Planned visits.
    pub fn visits(&self) -> impl Iterator<Item = &PlannedVisit> {
        self.records.values().filter_map(|r| match r {
            Record::Visit(v) => Some(v),
            _ => None,
        })
    }

    /// Note revisions confirmed by the server.
    pub fn notes(&self) -> impl Iterator<Item = &VisitNote> {
        self.records.values().filter_map(|r| match r {
            Record::Note(n) => Some(n),
            _ => None,
        })
    }

    /// A confirmed note revision by id.
    pub fn note(&self, id: Uuid) -> Option<&VisitNote> {
        match self.records.get(&id) {
            Some(Record::Note(n)) => Some(n),
            _ => None,
        }
    }

    /// Clip cards.
    pub fn cards(&self) -> impl Iterator<Item = &ClipCard> {
        self.records.values().filter_map(|r| match r {
            Record::ClipCard(c) => Some(c),
            _ => None,
        })
    }

    /// Entries still to be sent (or sent, with no verdict yet).
    pub fn pending(&self) -> impl Iterator<Item = &OutboxEntry> {
        self.outbox.values().filter(|e| e.is_pending())
    }

    /// How many changes wait to be sent.
    pub fn pending_count(&self) -> usize {
        self.pending().count()
    }

    /// How many changes the server rejected.
    pub fn rejected_count(&self) -> usize {
        self.outbox
            .values()
            .filter(|e| matches!(e.state, EntryState::Rejected { .. }))
            .count()
    }

    /// A citizen's name, or empty if unknown here.
    pub fn citizen_name(&self, id: Uuid) -> String {
        self.citizen(id).map(|c| c.name.clone()).unwrap_or_default()
    }

    /// Visits on a Copenhagen date, earliest first.
    pub fn visits_on(&self, date: NaiveDate) -> Vec<&PlannedVisit> {
        let mut visits: Vec<&PlannedVisit> = self
            .visits()
            .filter(|v| copenhagen_date(v.starts_at) == date)
            .collect();
        visits.sort_by_key(|v| (v.starts_at, v.id));
        visits
    }

    /// Every registration on the device (synced, waiting or rejected), with its status.
    pub fn all_registrations(&self) -> Vec<(LonelinessRegistration, RecordStatus)> {
        self.with_outbox(
            |r| match r {
                Record::Loneliness(x) => Some(x),
                _ => None,
            },
            |r| r.id,
        )
    }

    /// A citizen's clip card, if they have one.
    pub fn card_of(&self, citizen_id: Uuid) -> Option<&ClipCard> {
        self.cards().find(|c| c.citizen_id == citizen_id)
    }

    /// A card's ledger on this device: synced entries and those waiting or
    /// rejected (a rejected entry is shown, but not counted).
    pub fn ledger_of(&self, card_id: Uuid) -> Vec<(ClipEntry, RecordStatus)> {
        let mut all = self.with_outbox(
            |r| match r {
                Record::ClipEntry(e) => Some(e),
                _ => None,
            },
            |e| e.id,
        );
        all.retain(|(e, _)| e.card_id == card_id);
        all
    }

    /// The entries of a card that count for its balance (not rejected).
    pub fn counted_ledger(&self, card_id: Uuid) -> Vec<ClipEntry> {
        self.ledger_of(card_id)
            .into_iter()
            .filter(|(_, s)| !matches!(s, RecordStatus::Rejected(_)))
            .map(|(e, _)| e)
            .collect()
    }

    /// A citizen's registrations, newest observation first.
    pub fn registrations_of(
        &self,
        citizen_id: Uuid,
    ) -> Vec<(LonelinessRegistration, RecordStatus)> {
        let mut list: Vec<_> = self
            .all_registrations()
            .into_iter()
            .filter(|(r, _)| r.citizen_id == citizen_id)
            .collect();
        list.sort_by_key(|(r, _)| std::cmp::Reverse((r.observed_on, r.recorded_at, r.id)));
        list
    }

    /// Every record of one kind on the device: synced, and waiting or
    /// rejected in the outbox (not yet synced), with its status.
    fn with_outbox<T: Clone>(
        &self,
        pick: fn(&Record) -> Option<&T>,
        id: fn(&T) -> Uuid,
    ) -> Vec<(T, RecordStatus)> {
        let mut all: Vec<(T, RecordStatus)> = self
            .records
            .values()
            .filter_map(pick)
            .map(|r| (r.clone(), RecordStatus::Synced))
            .collect();
        for entry in self.outbox.values() {
            if let Some(r) = pick(&entry.record)
                && !self.has(&id(r))
            {
                all.push((r.clone(), entry_status(entry)));
            }
        }
        all
    }

    /// The catalogue: the current revision of each activity that is not
    /// withdrawn (the newest, if two were made apart), by title.
    pub fn activities(&self) -> Vec<Activity> {
        let all: Vec<Activity> = self
            .with_outbox(
                |r| match r {
                    Record::Activity(a) => Some(a),
                    _ => None,
                },
                |a| a.id,
            )
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        let mut heads: BTreeMap<Uuid, Activity> = BTreeMap::new();
        for a in current(&all, |a: &Activity| a.id, |a| a.replaces) {
            let newer = heads
                .get(&a.activity_id)
                .is_none_or(|b| (a.recorded_at, a.id) > (b.recorded_at, b.id));
            if newer {
                heads.insert(a.activity_id, a.clone());
            }
        }
        let mut list: Vec<Activity> = heads.into_values().filter(|a| !a.withdrawn).collect();
        list.sort_by(|a, b| a.title.cmp(&b.title));
        list
    }

    /// Bookings on the device (all citizens this user sees): the current
    /// revision of each, with its status, earliest occurrence first.
    pub fn bookings(&self) -> Vec<(Booking, RecordStatus)> {
        let all = self.with_outbox(
            |r| match r {
                Record::Booking(b) => Some(b),
                _ => None,
            },
            |b| b.id,
        );
        let plain: Vec<Booking> = all.iter().map(|(b, _)| b.clone()).collect();
        let heads: Vec<Uuid> = current(&plain, |b: &Booking| b.id, |b| b.replaces)
            .into_iter()
            .map(|b| b.id)
            .collect();
        let mut list: Vec<(Booking, RecordStatus)> = all
            .into_iter()
            .filter(|(b, _)| heads.contains(&b.id))
            .collect();
        list.sort_by_key(|(b, _)| (b.occurrence_start, b.id));
        list
    }

    /// A citizen's notes, newest first: synced revisions and those waiting or rejected.
    pub fn notes_of(&self, citizen_id: Uuid) -> Vec<NoteView> {
        let mut all: Vec<(VisitNote, RecordStatus)> = self
            .notes()
            .filter(|n| n.citizen_id == citizen_id)
            .map(|n| (n.clone(), RecordStatus::Synced))
            .collect();
        for entry in self.outbox.values() {
            let Some(note) = entry_note(entry) else {
                continue;
            };
            if note.citizen_id != citizen_id || self.has(&note.id) {
                continue;
            }
            all.push((note.clone(), entry_status(entry)));
        }
        let mut by_note: BTreeMap<Uuid, Vec<(VisitNote, RecordStatus)>> = BTreeMap::new();
        for (note, status) in all {
            by_note
                .entry(note.note_id)
                .or_default()
                .push((note, status));
        }
        let mut views: Vec<NoteView> = by_note
            .into_values()
            .map(|revisions| {
                let plain: Vec<VisitNote> = revisions.iter().map(|(n, _)| n.clone()).collect();
                let head_ids: Vec<Uuid> = heads(&plain).iter().map(|n| n.id).collect();
                NoteView {
                    revisions: revisions.len(),
                    heads: revisions
                        .into_iter()
                        .filter(|(n, _)| head_ids.contains(&n.id))
                        .collect(),
                }
            })
            .collect();
        views.sort_by_key(|v| {
            std::cmp::Reverse(v.heads.iter().map(|(n, _)| (n.written_at, n.id)).max())
        });
        views
    }
}
