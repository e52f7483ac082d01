//! Login throttling: failed logins are counted per user name from one
//! address, per user name from anywhere, and per address (an IPv6 address
//! by its /64); past a few free failures each key waits, twice as long
//! after each further failure (1 s, 2 s, 4 s, … up to 15 minutes for a
//! name from one address, a minute for the others), and a request that
//! comes while it waits is answered 429 without a password check. A name's
//! long wait is per address, so a stranger cannot keep a colleague out for
//! long by typing her name. A success forgets the name's failures. Password hashes (argon2, about
//! 19 MiB each) run a few at a time; a request that cannot get a turn
//! within a few seconds is answered 429 too, never with a 5xx.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Failures a user name may have from one address before it waits.
pub const FREE_FAILURES_PER_NAME: u32 = 5;
/// Failures a user name may have from all addresses together before it
/// waits (at most [`MAX_ADDR_WAIT`]): guessing from many addresses.
pub const FREE_FAILURES_PER_NAME_ANYWHERE: u32 = 10;
/// Failures an address may have (over any names) before it waits.
pub const FREE_FAILURES_PER_ADDR: u32 = 20;
/// The longest wait of a user name from one address.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// The longest wait of an address.
pub const MAX_ADDR_WAIT: Duration = Duration::from_secs(60);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// How many keys are remembered at most (a flood of made-up names cannot
/// grow memory without bound: the oldest are forgotten first).
const MAX_KEYS: usize = 10_000;
/// How long a login waits for a turn to hash.
const HASH_TURN: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A name from one address (group).
    NameFrom(String, IpAddr),
    /// A name from anywhere.
    Name(String),
    /// An address (group).
    Addr(IpAddr),
}

impl Key {
    fn free(&self) -> u32 {
        match self {
            Key::NameFrom(..) => FREE_FAILURES_PER_NAME,
            Key::Name(_) => FREE_FAILURES_PER_NAME_ANYWHERE,
            Key::Addr(_) => FREE_FAILURES_PER_ADDR,
        }
    }

    /// The longest wait: an address waits at most a minute, since many
    /// users may share one (a care centre's network, a reverse proxy) and a
    /// stranger's failures must not keep them out for long; so does a name
    /// counted from anywhere.
    fn max_wait(&self) -> Duration {
        match self {
            Key::NameFrom(..) => MAX_WAIT,
            Key::Name(_) | Key::Addr(_) => MAX_ADDR_WAIT,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    wait_until: Option<Instant>,
}

/// The server's login throttle (one per server process).
#[derive(Debug)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<Key, Failures>>,
    hashing: Semaphore,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        LoginThrottle::new(cores)
    }
}

/// The group an address counts in: an IPv4 address (also written as
/// IPv6) by itself, an IPv6 address by its /64 (one household or device
/// has a whole /64 to move around in).
pub fn address_group(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

fn keys(name: &str, addr: Option<IpAddr>) -> Vec<Key> {
    let mut keys = vec![Key::Name(name.to_string())];
    if let Some(group) = addr.map(address_group) {
        keys.push(Key::NameFrom(name.to_string(), group));
        keys.push(Key::Addr(group));
    }
    keys
}

impl LoginThrottle {
    /// A throttle letting `hashes_at_once` password checks run together.
    pub fn new(hashes_at_once: usize) -> LoginThrottle {
        LoginThrottle {
            failures: Mutex::new(HashMap::new()),
            hashing: Semaphore::new(hashes_at_once.max(1)),
        }
    }

    fn with<T>(&self, work: impl FnOnce(&mut HashMap<Key, Failures>) -> T) -> T {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        work(&mut map)
    }

    /// Whether a login for `name` from `addr` may be checked at `now`; else
    /// how long to wait.
    pub fn check(&self, name: &str, addr: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        self.with(|map| {
            let wait = keys(name, addr)
                .iter()
                .filter_map(|k| map.get(k)?.wait_until)
                .filter(|until| *until > now)
                .map(|until| until - now)
                .max();
            match wait {
                Some(wait) => Err(wait),
                None => Ok(()),
            }
        })
    }

    /// A failed login for `name` from `addr` at `now`.
    pub fn failed(&self, name: &str, addr: Option<IpAddr>, now: Instant) {
        self.with(|map| {
            if map.len() >= MAX_KEYS {
                map.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
                if map.len() >= MAX_KEYS
                    && let Some(oldest) = map
                        .iter()
                        .min_by_key(|(_, f)| f.last)
                        .map(|(k, _)| k.clone())
                {
                    map.remove(&oldest);
                }
            }
            for key in keys(name, addr) {
                let (free, longest) = (key.free(), key.max_wait());
                let entry = map.entry(key).or_insert(Failures {
                    count: 0,
                    last: now,
                    wait_until: None,
                });
                if now.duration_since(entry.last) >= FORGET_AFTER {
                    entry.count = 0;
                }
                entry.count = entry.count.saturating_add(1);
                entry.last = now;
                if entry.count >= free {
                    let doublings = (entry.count - free).min(20);
                    let wait = Duration::from_secs(1u64 << doublings).min(longest);
                    entry.wait_until = Some(now + wait);
                }
            }
        });
    }

    /// A successful login for `name` from `addr`: the name's failures are
    /// forgotten (the address's stay: it may be trying many names).
    pub fn succeeded(&self, name: &str, addr: Option<IpAddr>) {
        self.with(|map| {
            map.remove(&Key::Name(name.to_string()));
            if let Some(group) = addr.map(address_group) {
                map.remove(&Key::NameFrom(name.to_string(), group));
            }
        });
    }

    /// A turn to check a password, or how long to wait before asking again.
    pub async fn hash_turn(&self) -> Result<SemaphorePermit<'_>, Duration> {
        match tokio::time::timeout(HASH_TURN, self.hashing.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Duration::from_secs(1)),
        }
    }
}

#[cfg(test)]
#[path = "throttle_tests.rs"]
mod tests;
