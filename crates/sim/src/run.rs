//! One seed: build the world, run devices and faults, heal, check.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::checks::{self, DeviceEnd};
use crate::monitor::{Counts, Monitor};
use crate::net::serve;
use crate::window::{HEAL_AT, Window};
use crate::world::{World, server_store};

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

#[derive(Debug, Clone, Copy)]
enum Fault {
    Partition,
    LoseAnswers,
    HoldLate,
    Restart,
    RestartMidPush,
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
    let windows: usize = DEVICES.iter().map(|(_, w)| w).sum();
    let mut stores = Vec::new();
    for (index, (user_at, window_count)) in DEVICES.iter().enumerate() {
        let store = crate::device_store::SimStore {
            inner: naervaer_sync::MemoryStore::new(),
            torn: rng.random_bool(0.5),
        };
        stores.push(store.inner.clone());
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
    let mut schedule: Vec<(Duration, Fault, usize, Duration)> = (0..rng.random_range(4..12))
        .map(|_| {
            let at =
                Duration::from_millis(rng.random_range(1_000..HEAL_AT.as_millis() as u64 - 10_000));
            let kind = match rng.random_range(0..5) {
                0 => Fault::Partition,
                1 => Fault::LoseAnswers,
                2 => Fault::HoldLate,
                3 => Fault::Restart,
                _ => Fault::RestartMidPush,
            };
            let length = Duration::from_millis(rng.random_range(2_000..9_000));
            (at, kind, rng.random_range(0..DEVICES.len()), length)
        })
        .collect();
    schedule.sort_by_key(|(at, ..)| *at);
    let mut ends: Vec<(Duration, Fault, String)> = Vec::new();
    let mut healed = false;
    loop {
        let done = match sim.step() {
            Ok(done) => done,
            Err(e) => return fail(&report, format!("the simulation stopped: {e}")),
        };
        if done {
            break;
        }
        let now = sim.elapsed();
        while schedule.first().is_some_and(|(at, ..)| *at <= now) {
            let (_, kind, device, length) = schedule.remove(0);
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
                        match sim.step() {
                            Ok(false) => {}
                            Ok(true) => break,
                            Err(e) => return fail(&report, format!("the simulation stopped: {e}")),
                        }
                    }
                    sim.bounce("server");
                    report.restarts += 1;
                }
            }
            ends.push((now + length, kind, name));
        }
        let heal_now = !healed && now >= HEAL_AT;
        let mut i = 0;
        while i < ends.len() {
            if heal_now || ends[i].0 <= now {
                let (_, kind, name) = ends.remove(i);
                match kind {
                    Fault::Partition => sim.repair(name.as_str(), "server"),
                    Fault::LoseAnswers => sim.repair_oneway("server", name.as_str()),
                    Fault::HoldLate => sim.release(name.as_str(), "server"),
                    Fault::Restart | Fault::RestartMidPush => {}
                }
            } else {
                i += 1;
            }
        }
        if heal_now {
            // Faults on one link can overlap (a hold inside a partition):
            // healing mends every link outright.
            for device in 0..DEVICES.len() {
                let name = format!("device{device}");
                sim.repair(name.as_str(), "server");
                sim.release(name.as_str(), "server");
            }
        }
        healed |= heal_now;
    }
    let users: Vec<_> = DEVICES
        .iter()
        .map(|(u, _)| world.users[*u].user.clone())
        .collect();
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
