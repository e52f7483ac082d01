//! One app window: a user's random work on a device, through the real
//! device sync. Windows of one device share its store.

use std::rc::Rc;
use std::time::Duration;

use chrono::Duration as Span;
use naervaer_domain::activity::{Booking, BookingStatus};
use naervaer_domain::clips::{ClipEntry, EntryKind};
use naervaer_domain::note::heads;
use naervaer_domain::protocol::Record;
use naervaer_domain::{NoteCategory, Role, VisitNote};
use naervaer_server::store::MemoryStore as ServerStore;
use naervaer_sync::{Device, DeviceStore, retention, sync_to_end};

use crate::device_store::SimStore;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::checks;
use crate::monitor::{HEAL_ROUNDS, Round, Saved, Shared};

/// Waits until every window has reached `count` of heal round `round`.
pub async fn wait_for(monitor: &Shared, round: usize, windows: usize, count: fn(&Round) -> usize) {
    while count(monitor.borrow_mut().round(round)) < windows {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
use crate::net::SimTransport;
use crate::world::{DevicePlan, SimUser, World, sim_now};

/// When the fault phase ends and healing starts (simulated time).
pub const HEAL_AT: Duration = Duration::from_secs(60);
/// How long healing may take before an outbox that did not empty is a failure.
pub const HEAL_BOUND: Duration = Duration::from_secs(240);

/// One window of the app.
pub struct Window {
    /// The device it runs on (index into the run's devices).
    pub device_index: usize,
    /// The user logged in.
    pub user: SimUser,
    /// The device's store (shared with the device's other windows).
    pub store: SimStore,
    device: Device<SimStore>,
    transport: SimTransport,
    rng: SmallRng,
    world: Rc<World>,
    monitor: Shared,
    server: ServerStore,
    /// Changes refused by the store, not yet written.
    held: Vec<Saved>,
    /// How this device differs from a well-kept one.
    plan: DevicePlan,
    /// Client ids made by this window (so each is new).
    made_ids: std::cell::Cell<u128>,
}

impl Window {
    /// A window of `user` on device `device_index`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        device_index: usize,
        user: SimUser,
        store: SimStore,
        seed: u64,
        world: Rc<World>,
        monitor: Shared,
        server: ServerStore,
        plan: DevicePlan,
    ) -> Window {
        let transport = SimTransport {
            token: user.token.clone(),
            store: store.clone(),
            monitor: monitor.clone(),
            duplicate: std::cell::Cell::new(false),
            old_app: std::cell::Cell::new(false),
            newer_server: std::cell::Cell::new(false),
        };
        Window {
            device_index,
            device: Device::new(store.clone()),
            user,
            store,
            transport,
            rng: SmallRng::seed_from_u64(seed),
            world,
            monitor,
            server,
            held: Vec::new(),
            plan,
            made_ids: std::cell::Cell::new(u128::from(seed) << 64),
        }
    }

    fn uuid(&mut self) -> Uuid {
        Uuid::from_u128(self.rng.random())
    }

    /// The device's clock (days off on some devices).
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        sim_now() + self.plan.clock_offset
    }

    /// Simulated time since the start.
    fn elapsed() -> Duration {
        (sim_now() - crate::world::epoch())
            .to_std()
            .unwrap_or_default()
    }

    /// Notes written since the last call from held saves count as saved now.
    fn note_written_from_held(&mut self) {
        for entry in self.device.take_written_from_held() {
            let id = entry.record.id();
            if let Some(at) = self.held.iter().position(|h| h.record_id == id) {
                let mut saved = self.held.remove(at);
                saved.at = Self::elapsed();
                self.monitor.borrow_mut().saved.push(saved);
            }
        }
    }

    async fn save(&mut self, record: Record, must_be_rejected: Option<&'static str>) {
        let saved = Saved {
            device: self.device_index,
            record_id: record.id(),
            kind: record.kind().as_str(),
            citizen: record.citizen_id(),
            author: self.user.user.id,
            must_be_rejected,
            at: Self::elapsed(),
        };
        let result = self.device.save(record, self.now()).await;
        self.note_written_from_held();
        let index = self.device_index;
        crate::trace(|| {
            format!(
                "device {index}: saved {} {} ({:?})",
                saved.kind,
                saved.record_id,
                result.as_ref().map(|e| e.seq)
            )
        });
        let mut m = self.monitor.borrow_mut();
        match result {
            Ok(_) => {
                m.counts.saved += 1;
                m.saved.push(saved);
            }
            Err(_) => {
                m.counts.refused += 1;
                self.held.push(saved);
            }
        }
    }

    /// The citizens this device holds (for a worker: its team as the
    /// device last heard it).
    async fn citizens_here(&self) -> Vec<Uuid> {
        self.store
            .records()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| match s.record {
                Record::Citizen(c) => Some(c.id),
                _ => None,
            })
            .collect()
    }

    fn note(&mut self, citizen: Uuid, text: String, replaces: &[VisitNote]) -> Record {
        let id = self.uuid();
        Record::Note(VisitNote::written(
            id,
            citizen,
            replaces,
            NoteCategory::Observation,
            text,
            self.now(),
        ))
    }

    /// The current revisions (heads) of the note this window would edit: the
    /// oldest note of its first citizen (so two devices often pick the same).
    /// More than one head: the note is in conflict.
    async fn note_to_edit(&mut self) -> Option<Vec<VisitNote>> {
        let mut here = self.citizens_here().await;
        here.sort();
        let first = *here.first()?;
        let notes: Vec<VisitNote> = self
            .store
            .records()
            .await
            .ok()?
            .into_iter()
            .filter_map(|r| match r.record {
                Record::Note(n) if n.citizen_id == first => Some(n),
                _ => None,
            })
            .collect();
        let oldest = notes.iter().map(|n| n.note_id).min()?;
        let of_note: Vec<VisitNote> = notes.into_iter().filter(|n| n.note_id == oldest).collect();
        let current: Vec<VisitNote> = heads(&of_note).into_iter().cloned().collect();
        (!current.is_empty()).then_some(current)
    }

    fn booking(&mut self, citizen: Uuid, status: BookingStatus) -> Record {
        let id = self.uuid();
        let start = match self.world.activity.schedule {
            naervaer_domain::activity::Schedule::Once { starts_at, .. } => starts_at,
            _ => sim_now(),
        };
        Record::Booking(Booking::first(
            id,
            citizen,
            self.world.activity.activity_id,
            start,
            status,
            (None, String::new()),
            self.now(),
        ))
    }

    fn registration(&mut self, citizen: Uuid) -> Option<Record> {
        let id = self.uuid();
        let value = serde_json::json!({
            "id": id, "corrects": null, "citizen_id": citizen,
            "observed_on": self.now().date_naive().to_string(),
            "signs": ["withdrawn", "few_visitors"], "other_sign": null,
            "ucla": {"missing_company": 2, "left_out": 2, "isolated": 1},
            "own_words": "Savner selskab", "wishes": ["eating_together"], "other_wish": null,
            "barriers": ["transport"], "other_barrier": null,
            "next_step": {"kind": "companion_activity", "other_text": null,
                          "responsible": "Sim", "follow_up_on": null},
            "suggested_level": "yellow", "chosen_level": "yellow", "override_reason": null,
            "author_id": null, "author_name": "", "recorded_at": naervaer_domain::wire_time::format_instant(self.now())
        });
        serde_json::from_value(value).ok().map(Record::Loneliness)
    }

    fn clip_use(&mut self, citizen: Uuid, card: Uuid) -> Record {
        let id = self.uuid();
        let mut entry = ClipEntry::new(EntryKind::Use, card, citizen, id, self.now());
        entry.at = Some(self.now());
        entry.minutes = 30;
        entry.purpose = "Gåtur".into();
        Record::ClipEntry(entry)
    }

    /// Syncs to the end (errors are expected under faults), then checks that
    /// the device holds nothing its user may not see.
    pub async fn sync(&mut self) {
        // Under faults a sync may fail; it is tried again later, as in the app.
        let _outcome = self.try_sync().await;
    }

    /// One sync run, with its outcome. After one that ended well, the
    /// synced history past the retention setting leaves the device
    /// (reckoned by the server's time, as the app does), and the device
    /// must hold nothing its user may not see.
    pub async fn try_sync(&mut self) -> Result<(), naervaer_sync::SyncError> {
        self.monitor.borrow_mut().counts.syncs += 1;
        let elapsed = Self::elapsed();
        self.transport
            .old_app
            .set(self.plan.old_app_until.is_some_and(|until| elapsed < until));
        self.transport.newer_server.set(
            self.plan
                .newer_server_from
                .is_some_and(|from| elapsed >= from),
        );
        let made = &self.made_ids;
        let fresh = || {
            made.set(made.get() + 1);
            Uuid::from_u128(made.get())
        };
        let clock = self.plan.clock_offset;
        let outcome = sync_to_end(&self.device, &self.transport, fresh, || sim_now() + clock).await;
        self.note_written_from_held();
        let index = self.device_index;
        let report = match outcome {
            Ok(report) => report,
            Err(e) => {
                crate::trace(|| format!("device {index}: sync failed: {e}"));
                return Err(e);
            }
        };
        if report.restarted {
            crate::trace(|| format!("device {index}: recovered {:?}", report.recovery));
            self.monitor.borrow_mut().counts.recoveries += 1;
        }
        if let Some(server_now) = report.server_time {
            let _pruned =
                retention::prune(&self.store, &crate::world::retention(), server_now).await;
        }
        let problems = checks::visible_only(&self.server, &self.store, &self.user.user).await;
        self.monitor.borrow_mut().violations.extend(problems);
        Ok(())
    }

    /// The device's store put back to an earlier copy (a tablet restored
    /// from an image), if one is due: the app's memory goes with it.
    fn restore_if_due(&mut self) {
        let due = self
            .monitor
            .borrow_mut()
            .device_restore
            .remove(&self.device_index);
        if let Some(image) = due {
            self.store.restore(image);
            self.crash();
        }
    }

    /// One random piece of work.
    pub async fn act(&mut self) {
        let user = self.user.user.clone();
        let mut writable = self.citizens_here().await;
        writable.sort();
        let roll = self.rng.random_range(0..100);
        if user.role == Role::Citizen {
            match (roll, user.citizen_id) {
                (0..40, Some(me)) => {
                    let record = self.booking(me, BookingStatus::Requested);
                    self.save(record, None).await;
                }
                _ => self.sync().await,
            }
            return;
        }
        let Some(&citizen) = writable.get(self.rng.random_range(0..writable.len().max(1))) else {
            return self.sync().await;
        };
        match roll {
            0..30 => {
                let text = format!("Notat {}", self.rng.random::<u32>());
                let record = self.note(citizen, text, &[]);
                self.save(record, None).await;
            }
            30..45 => match self.note_to_edit().await {
                // In conflict: a person merges the heads into one revision
                // that replaces them all (or, sometimes, edits one of them).
                Some(current) if current.len() > 1 && self.rng.random_bool(0.6) => {
                    // A person merges the texts, and keeps them short.
                    let text: String = current
                        .iter()
                        .map(|n| n.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" / ")
                        .chars()
                        .take(500)
                        .collect();
                    let record = self.note(current[0].citizen_id, text, &current);
                    self.monitor.borrow_mut().counts.merges += 1;
                    self.save(record, None).await;
                }
                Some(current) => {
                    let old = current[0].clone();
                    let text: String = old.text.chars().take(500).collect();
                    let record = self.note(
                        old.citizen_id,
                        format!("{text} (rettet)"),
                        std::slice::from_ref(&old),
                    );
                    self.save(record, None).await;
                }
                None => self.sync().await,
            },
            45..53 => {
                if let Some(record) = self.registration(citizen) {
                    self.save(record, None).await;
                }
            }
            53..61 => {
                if let Some(card) = self.world.card_of(citizen) {
                    let record = self.clip_use(citizen, card);
                    self.save(record, None).await;
                }
            }
            61..66 => {
                let record = self.booking(citizen, BookingStatus::Booked);
                self.save(record, None).await;
            }
            66..69 => {
                let record = self.note(citizen, "   ".into(), &[]);
                self.save(record, Some("empty_field")).await;
            }
            69..72 => match self.foreign(&writable) {
                Some(foreign) => {
                    let record = self.note(foreign, "Forkert team".into(), &[]);
                    self.save(record, Some("unknown_citizen")).await;
                }
                None => self.sync().await,
            },
            _ => self.sync().await,
        }
    }

    /// A citizen of the municipality this device does not hold (another
    /// team's, for a worker), to write for by mistake.
    fn foreign(&self, here: &[Uuid]) -> Option<Uuid> {
        if self.user.user.role != Role::Worker {
            return None;
        }
        self.world
            .citizens
            .iter()
            .map(|c| c.id)
            .find(|id| !here.contains(id))
    }

    /// Loses everything in memory (held saves too); the store is kept.
    fn crash(&mut self) {
        // Held changes the store took before the crash are saved: they are
        // on the device and will be sent. Only what is still held is lost.
        self.note_written_from_held();
        self.monitor.borrow_mut().counts.crashes += 1;
        self.device = Device::new(self.store.clone());
        self.held.clear();
    }

    /// The window's life: random work under faults until [`HEAL_AT`], then
    /// healing: sync until the outbox is empty, wait for every window, and
    /// pull once more.
    pub async fn live(mut self, windows: usize) {
        while sim_now() < crate::world::epoch() + Span::from_std(HEAL_AT).unwrap_or_default() {
            self.restore_if_due();
            self.transport.duplicate.set(self.rng.random_bool(0.1));
            if self.rng.random_bool(0.03) {
                let full = !self.store_is_full();
                self.set_full(full);
            }
            if self.rng.random_bool(0.04) {
                let cut = Duration::from_millis(self.rng.random_range(1..400));
                let _cancelled = tokio::time::timeout(cut, self.act()).await;
                self.crash();
            } else {
                self.act().await;
            }
            let pause = Duration::from_millis(self.rng.random_range(50..2_000));
            tokio::time::sleep(pause).await;
        }
        self.restore_if_due();
        self.set_full(false);
        self.transport.duplicate.set(false);
        let deadline = sim_now() + Span::from_std(HEAL_BOUND).unwrap_or_default();
        for round in 0..HEAL_ROUNDS {
            loop {
                self.sync().await;
                let (pending, _) = self.device.counts().await.unwrap_or((usize::MAX, 0));
                if pending == 0 {
                    break;
                }
                if sim_now() > deadline {
                    self.monitor.borrow_mut().violations.push(format!(
                        "device {} ({}): {pending} changes still waiting {}s after healing began",
                        self.device_index,
                        self.user.user.username,
                        HEAL_BOUND.as_secs()
                    ));
                    break;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            self.monitor.borrow_mut().round(round).drained += 1;
            wait_for(&self.monitor, round, windows, |r| r.drained).await;
            // The last pull: tried again (as the app does) until it succeeds.
            let recoveries = self.monitor.borrow().counts.recoveries;
            let mut tries = 0;
            while let Err(e) = self.try_sync().await {
                tries += 1;
                if tries >= 60 {
                    self.monitor.borrow_mut().violations.push(format!(
                        "device {} ({}): the last sync after healing still fails: {e}",
                        self.device_index, self.user.user.username
                    ));
                    break;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            let (pending, _) = self.device.counts().await.unwrap_or((0, 0));
            let more = pending > 0 || self.monitor.borrow().counts.recoveries > recoveries;
            {
                let mut m = self.monitor.borrow_mut();
                let r = m.round(round);
                r.pulled += 1;
                r.dirty |= more;
            }
            wait_for(&self.monitor, round, windows, |r| r.pulled).await;
            if !self.monitor.borrow_mut().round(round).dirty {
                return;
            }
        }
    }

    fn store_is_full(&self) -> bool {
        self.store.is_full()
    }

    fn set_full(&mut self, full: bool) {
        if full && !self.store.is_full() {
            self.monitor.borrow_mut().counts.full_periods += 1;
        }
        self.store.set_full(full);
    }
}
