//! One seed: build the world, run devices and faults, heal, check.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use std::collections::BTreeMap;

use naervaer_server::rules;
use naervaer_server::store::{MemoryStore as ServerStore, Store};

use crate::checks::{self, DeviceEnd};
use crate::device_store::{Image, SimStore};
use crate::monitor::{Counts, Monitor, Shared};
use crate::net::serve;
use crate::window::{HEAL_AT, Window};
use crate::world::{DevicePlan, World, server_store, sim_now};

/// What one seed exercised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// The seed.
    pub seed: u64,
    /// What the devices did and suffered.
    pub counts: Counts,
    /// Network partitions (both ways).
    pub partitions: u64,
    /// Periods in which answers were lost after the server committed.
    pub lost_answers: u64,
    /// Periods in which requests were held past the timeout and delivered late.
    pub late_deliveries: u64,
    /// Server restarts.
    pub restarts: u64,
    /// Server transactions undone whole (restarts in the middle of a push).
    pub undone: u64,
    /// Notes that ended in conflict.
    pub conflicts: usize,
    /// Changes rejected by the server.
    pub rejected: usize,
}

impl SeedReport {
    /// Faults of every kind, added up.
    pub fn faults(&self) -> u64 {
        self.partitions
            + self.lost_answers
            + self.late_deliveries
            + self.restarts
            + self.counts.crashes
            + self.counts.full_periods
            + self.counts.duplicates
            + self.counts.server_restores
            + self.counts.device_restores
            + self.counts.clones
            + self.counts.citizen_moves
            + self.counts.worker_moves
            + self.counts.too_old
            + self.counts.wrong_clocks
    }
}

/// A seed whose run broke a guarantee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What the run exercised.
    pub report: SeedReport,
    /// The guarantees broken, one line each.
    pub problems: Vec<String>,
}

/// A seed's result: its report, or what broke.
pub type Outcome = Result<SeedReport, Box<Failure>>;

fn failed(report: &SeedReport, problems: Vec<String>) -> Outcome {
    Err(Box::new(Failure {
        report: report.clone(),
        problems,
    }))
}

/// The devices: (user index in [`World::users`], windows).
const DEVICES: [(usize, usize); 5] = [(0, 2), (1, 1), (2, 1), (3, 1), (4, 1)];
/// The spare tablet's index: a device may be copied onto it, and it then
/// works on as a second tablet of the same user.
pub const SPARE: usize = DEVICES.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Partition,
    LoseAnswers,
    HoldLate,
    Restart,
    RestartMidPush,
    /// The server's database is backed up now and put back when it ends.
    ServerRestore,
    /// The device's storage is copied now and put back when it ends.
    DeviceRestore,
    /// The device is copied onto the spare tablet, which works on.
    Clone,
}

/// A move the municipality makes while devices work.
#[derive(Debug, Clone, Copy)]
enum Move {
    /// A citizen (index in [`World::citizens`]) to the other team.
    Citizen(usize),
    /// A worker (index in [`World::users`]) to the other team.
    Worker(usize),
}

fn other_team(team: &str) -> &'static str {
    if team == "Nord" { "Syd" } else { "Nord" }
}

/// The municipality's office: moves citizens and workers between teams at
/// the scheduled times, with the server's own rules (as a coordinator or
/// the admin command would), and notes what they wrote.
async fn office(
    server: ServerStore,
    world: Rc<World>,
    monitor: Shared,
    moves: Vec<(Duration, Move)>,
) -> turmoil::Result {
    for (at, what) in moves {
        let now = tokio::time::Instant::now();
        let since = (sim_now() - crate::world::epoch())
            .to_std()
            .unwrap_or_default();
        tokio::time::sleep_until(now + at.saturating_sub(since)).await;
        match what {
            Move::Citizen(i) => {
                let Some(citizen) = world.citizens.get(i) else {
                    continue;
                };
                let mut tx = server.begin().await?;
                let team =
                    match naervaer_server::store::Tx::citizen_team(&mut tx, citizen.id).await? {
                        Some(team) => team,
                        None => continue,
                    };
                drop(tx);
                rules::move_citizen(
                    &server,
                    &crate::world::retention(),
                    citizen.id,
                    other_team(&team),
                    None,
                    sim_now(),
                )
                .await?;
                crate::trace(|| format!("office: citizen {} moved from {team}", citizen.id));
                let mut m = monitor.borrow_mut();
                m.moved_citizens.insert(citizen.id);
                m.counts.citizen_moves += 1;
            }
            Move::Worker(i) => {
                let Some(user) = world.users.get(i) else {
                    continue;
                };
                let current = server
                    .users()
                    .await?
                    .into_iter()
                    .find(|u| u.id == user.user.id)
                    .and_then(|u| u.team)
                    .unwrap_or_default();
                rules::move_worker(&server, &user.user.username, other_team(&current)).await?;
                crate::trace(|| format!("office: {} moved from {current}", user.user.username));
                let mut m = monitor.borrow_mut();
                m.moved_workers.insert(user.user.id);
                m.counts.worker_moves += 1;
            }
        }
    }
    Ok(())
}

/// The spare tablet: idle until a device is copied onto it, then a window
/// of the copy's user working on from the copy.
#[allow(clippy::too_many_arguments)]
async fn spare(
    world: Rc<World>,
    monitor: Shared,
    server: ServerStore,
    windows: usize,
    seed: u64,
    torn: bool,
    taken: Rc<RefCell<Option<(usize, SimStore)>>>,
) -> turmoil::Result {
    loop {
        let request = monitor.borrow_mut().clone_request.take();
        if let Some((source, image)) = request {
            let user_at = DEVICES.get(source).map_or(0, |d| d.0);
            let Some(user) = world.users.get(user_at).cloned() else {
                return Ok(());
            };
            let store = SimStore::copy_of(image, user.user.id, seed, torn);
            *taken.borrow_mut() = Some((user_at, store.clone()));
            let window = Window::new(
                SPARE,
                user,
                store,
                seed,
                world.clone(),
                monitor.clone(),
                server.clone(),
                DevicePlan::default(),
            );
            window.live(windows).await;
            return Ok(());
        }
        if sim_now()
            >= crate::world::epoch() + chrono::Duration::from_std(HEAL_AT).unwrap_or_default()
        {
            // Never used: it takes part in the heal rounds with nothing to do.
            for round in 0..crate::monitor::HEAL_ROUNDS {
                monitor.borrow_mut().round(round).drained += 1;
                crate::window::wait_for(&monitor, round, windows, |r| r.drained).await;
                monitor.borrow_mut().round(round).pulled += 1;
                crate::window::wait_for(&monitor, round, windows, |r| r.pulled).await;
                if !monitor.borrow_mut().round(round).dirty {
                    break;
                }
            }
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Runs one seed to the end and checks it.
pub fn run_seed(seed: u64) -> Outcome {
    let mut report = SeedReport {
        seed,
        ..SeedReport::default()
    };
    let fail = |report: &SeedReport, why: String| failed(report, vec![why]);
    let server = match server_store() {
        Ok(s) => s,
        Err(e) => return fail(&report, e),
    };
    let world = Rc::new(World::new());
    let monitor = Rc::new(RefCell::new(Monitor::default()));
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut sealing = SmallRng::seed_from_u64(seed ^ 0x5ea1_ed00);
    let mut sim = turmoil::Builder::new()
        .rng_seed(seed)
        .simulation_duration(Duration::from_secs(900))
        .tick_duration(Duration::from_millis(20))
        .min_message_latency(Duration::from_millis(2))
        .max_message_latency(Duration::from_millis(80))
        .build();
    {
        let (server, world) = (server.clone(), world.clone());
        sim.host("server", move || {
            let (server, world) = (server.clone(), world.clone());
            async move {
                use naervaer_server::store::Store;
                if server.is_empty().await? {
                    world.seed(&server).await?;
                }
                serve(server).await
            }
        });
    }
    // Every window, and the spare tablet, drain before the last pulls.
    let windows: usize = DEVICES.iter().map(|(_, w)| w).sum::<usize>() + 1;
    let mut stores = Vec::new();
    for (index, (user_at, window_count)) in DEVICES.iter().enumerate() {
        let torn = rng.random_bool(0.5);
        // Sealed or plain from a generator of its own, so the draws of the
        // main one (and the scenarios of earlier seeds) stay as they were.
        let store = if sealing.random_bool(0.5) {
            SimStore::sealed(world.users[*user_at].user.id, sealing.random())
        } else {
            SimStore::plain(torn)
        };
        if store.is_sealed() {
            monitor.borrow_mut().counts.sealed_devices += 1;
        }
        stores.push(store.clone());
        let plan = DevicePlan {
            clock_offset: if rng.random_bool(0.3) {
                let days = rng.random_range(1..60);
                chrono::Duration::days(if rng.random_bool(0.5) { days } else { -days })
            } else {
                chrono::Duration::zero()
            },
            old_app_until: rng
                .random_bool(0.2)
                .then(|| Duration::from_secs(rng.random_range(5..40))),
            newer_server_from: rng
                .random_bool(0.3)
                .then(|| Duration::from_secs(rng.random_range(0..50))),
        };
        if !plan.clock_offset.is_zero() {
            monitor.borrow_mut().counts.wrong_clocks += 1;
        }
        let user = world.users[*user_at].clone();
        let mut lives = Vec::new();
        for _ in 0..*window_count {
            lives.push(Window::new(
                index,
                user.clone(),
                store.clone(),
                rng.random(),
                world.clone(),
                monitor.clone(),
                server.clone(),
                plan,
            ));
        }
        sim.client(format!("device{index}"), async move {
            let mut tasks = Vec::new();
            for window in lives {
                tasks.push(tokio::task::spawn_local(window.live(windows)));
            }
            for task in tasks {
                task.await?;
            }
            Ok(())
        });
    }
    let spare_store: Rc<RefCell<Option<(usize, SimStore)>>> = Rc::default();
    {
        let (world, monitor, server, taken) = (
            world.clone(),
            monitor.clone(),
            server.clone(),
            spare_store.clone(),
        );
        let (spare_seed, torn) = (rng.random(), rng.random_bool(0.5));
        sim.client(format!("device{SPARE}"), async move {
            spare(world, monitor, server, windows, spare_seed, torn, taken).await
        });
    }
    let moves: Vec<(Duration, Move)> = (0..rng.random_range(0..3))
        .map(|_| {
            let at =
                Duration::from_millis(rng.random_range(2_000..HEAL_AT.as_millis() as u64 - 5_000));
            let what = if rng.random_bool(0.7) {
                Move::Citizen(rng.random_range(0..world.citizens.len()))
            } else {
                // bo (Nord) or carl (Syd)
                Move::Worker(rng.random_range(1..3))
            };
            (at, what)
        })
        .collect();
    {
        let (server, world, monitor) = (server.clone(), world.clone(), monitor.clone());
        let mut moves = moves;
        moves.sort_by_key(|(at, _)| *at);
        sim.client("office", async move {
            office(server, world, monitor, moves).await
        });
    }
    let mut schedule: Vec<(Duration, Fault, usize, Duration)> = (0..rng.random_range(4..12))
        .map(|_| {
            let at =
                Duration::from_millis(rng.random_range(1_000..HEAL_AT.as_millis() as u64 - 10_000));
            let kind = match rng.random_range(0..13) {
                0 | 1 => Fault::Partition,
                2 | 3 => Fault::LoseAnswers,
                4 | 5 => Fault::HoldLate,
                6 | 7 => Fault::Restart,
                8 | 9 => Fault::RestartMidPush,
                10 => Fault::ServerRestore,
                11 => Fault::DeviceRestore,
                _ => Fault::Clone,
            };
            let length = Duration::from_millis(rng.random_range(2_000..9_000));
            // Storage is put back, or copied, on single-window devices.
            let device = match kind {
                Fault::DeviceRestore | Fault::Clone => rng.random_range(1..DEVICES.len()),
                _ => rng.random_range(0..DEVICES.len()),
            };
            (at, kind, device, length)
        })
        .collect();
    schedule.sort_by_key(|(at, ..)| *at);
    let mut ends: Vec<(Duration, Fault, usize)> = Vec::new();
    let mut server_backup: Option<naervaer_server::store::MemorySnapshot> = None;
    let mut device_backups: BTreeMap<usize, (Image, Duration)> = BTreeMap::new();
    let mut cloned = false;
    let mut healed = false;
    let step = |sim: &mut turmoil::Sim<'_>| {
        sim.step()
            .map_err(|e| format!("the simulation stopped: {e}"))
    };
    loop {
        let done = match step(&mut sim) {
            Ok(done) => done,
            Err(e) => return fail(&report, e),
        };
        if done {
            break;
        }
        let now = sim.elapsed();
        while schedule.first().is_some_and(|(at, ..)| *at <= now) {
            let (_, kind, device, length) = schedule.remove(0);
            crate::trace(|| format!("at {now:?}: fault {kind:?} device {device} for {length:?}"));
            let name = format!("device{device}");
            match kind {
                Fault::Partition => {
                    sim.partition(name.as_str(), "server");
                    report.partitions += 1;
                }
                Fault::LoseAnswers => {
                    sim.partition_oneway("server", name.as_str());
                    report.lost_answers += 1;
                }
                Fault::HoldLate => {
                    sim.hold(name.as_str(), "server");
                    report.late_deliveries += 1;
                }
                Fault::Restart => {
                    sim.bounce("server");
                    report.restarts += 1;
                }
                Fault::RestartMidPush => {
                    // Step on until a push is in the middle of its
                    // transaction (or give up after a while), then stop it.
                    for _ in 0..2_000 {
                        if server.open_transactions() > 0 || sim.elapsed() >= HEAL_AT {
                            break;
                        }
                        match step(&mut sim) {
                            Ok(false) => {}
                            Ok(true) => break,
                            Err(e) => return fail(&report, e),
                        }
                    }
                    sim.bounce("server");
                    report.restarts += 1;
                }
                Fault::ServerRestore => {
                    if server_backup.is_some() {
                        continue;
                    }
                    // A backup is consistent: taken between transactions.
                    for _ in 0..2_000 {
                        if let Some(copy) = server.snapshot() {
                            server_backup = Some(copy);
                            break;
                        }
                        if let Err(e) = step(&mut sim) {
                            return fail(&report, e);
                        }
                    }
                }
                Fault::DeviceRestore => {
                    if device_backups.contains_key(&device) {
                        continue;
                    }
                    if let Some(store) = stores.get(device) {
                        device_backups.insert(device, (store.image(), sim.elapsed()));
                    }
                }
                Fault::Clone => {
                    if cloned {
                        continue;
                    }
                    cloned = true;
                    if let Some(store) = stores.get(device) {
                        let mut m = monitor.borrow_mut();
                        m.clone_request = Some((device, store.image()));
                        m.cloned_from = Some(device);
                        m.counts.clones += 1;
                    }
                }
            }
            ends.push((now + length, kind, device));
        }
        let heal_now = !healed && now >= HEAL_AT;
        let mut i = 0;
        while i < ends.len() {
            if heal_now || ends[i].0 <= now {
                let (_, kind, device) = ends.remove(i);
                crate::trace(|| format!("at {now:?}: fault {kind:?} device {device} ends"));
                let name = format!("device{device}");
                match kind {
                    Fault::Partition => sim.repair(name.as_str(), "server"),
                    Fault::LoseAnswers => sim.repair_oneway("server", name.as_str()),
                    Fault::HoldLate => sim.release(name.as_str(), "server"),
                    Fault::Restart | Fault::RestartMidPush | Fault::Clone => {}
                    Fault::ServerRestore => {
                        let Some(copy) = server_backup.take() else {
                            continue;
                        };
                        // The server stops, its database goes back to the
                        // backup, and it starts again on it.
                        sim.bounce("server");
                        let mut restored = server.restore(&copy);
                        for _ in 0..2_000 {
                            if restored {
                                break;
                            }
                            if let Err(e) = step(&mut sim) {
                                return fail(&report, e);
                            }
                            restored = server.restore(&copy);
                        }
                        if restored {
                            let mut m = monitor.borrow_mut();
                            m.counts.server_restores += 1;
                        }
                    }
                    Fault::DeviceRestore => {
                        if let Some((image, taken_at)) = device_backups.remove(&device) {
                            let mut m = monitor.borrow_mut();
                            m.device_restore.insert(device, image);
                            m.restored_from.entry(device).or_insert(taken_at);
                            m.counts.device_restores += 1;
                        }
                    }
                }
            } else {
                i += 1;
            }
        }
        if heal_now {
            // Faults on one link can overlap (a hold inside a partition):
            // healing mends every link outright.
            for device in 0..=DEVICES.len() {
                let name = format!("device{device}");
                sim.repair(name.as_str(), "server");
                sim.release(name.as_str(), "server");
            }
        }
        healed |= heal_now;
    }
    let mut users: Vec<_> = DEVICES
        .iter()
        .map(|(u, _)| world.users[*u].user.clone())
        .collect();
    let spare = spare_store.borrow().clone();
    if let Some((user_at, store)) = &spare {
        users.push(world.users[*user_at].user.clone());
        stores.push(store.clone());
    }
    let devices: Vec<DeviceEnd<'_>> = stores
        .iter()
        .enumerate()
        .map(|(index, store)| DeviceEnd {
            index,
            user: &users[index],
            store,
        })
        .collect();
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&report, format!("no runtime for the checks: {e}")),
    };
    // Counted before the checks, whose own read-only transaction is not committed.
    report.undone = server.undone();
    let monitor = monitor.borrow();
    let problems = runtime.block_on(checks::after_healing(&server, &devices, &monitor));
    report.conflicts = runtime.block_on(checks::conflicts(&server));
    report.counts = monitor.counts.clone();
    report.counts.concurrent_edits = report.conflicts as u64;
    report.rejected = monitor
        .saved
        .iter()
        .filter(|s| s.must_be_rejected.is_some())
        .count();
    if problems.is_empty() {
        Ok(report)
    } else {
        failed(&report, problems)
    }
}
