//! One sync run to the end: push and pull page after page until nothing
//! waits, over any [`Transport`] (the app's `fetch`, the simulation's HTTP).

use chrono::{DateTime, Utc};
use naervaer_domain::{SyncRequest, SyncResponse};
use thiserror::Error;
use uuid::Uuid;

use crate::device::{Device, Recovery, TakeError, Taken};
use crate::store::{DeviceStore, DeviceStoreError};

/// The most pages one run takes (a first sync of 20,000 records is 100).
pub const MAX_PAGES: usize = 10_000;

/// Why a request got no usable answer. Messages are for logs (English); the app shows
/// its own text for each case.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransportError {
    /// No answer: offline, the server is unreachable, or it took too long.
    #[error("no connection to the server")]
    Offline,
    /// The login is no longer accepted.
    #[error("the login is no longer accepted")]
    Unauthorized,
    /// The user's account is disabled: the device forgets the key to the
    /// user's data.
    #[error("the account is disabled")]
    AccountDisabled,
    /// The server no longer serves this version of the app (426): the app
    /// keeps its changes and sends them once it is updated.
    #[error("the server no longer serves this app version")]
    AppTooOld,
    /// The server answered with an error.
    #[error("the server answered {status}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The server's code.
        code: String,
        /// The server's message.
        message: String,
    },
    /// The answer could not be read.
    #[error("unreadable answer from the server: {0}")]
    BadResponse(String),
}

/// Sends one sync request and reads its answer.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// `POST /api/v1/sync`.
    async fn sync(&self, request: &SyncRequest) -> Result<SyncResponse, TransportError>;
}

/// Why a sync run stopped early.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyncError {
    /// The request got no usable answer.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The device's storage failed.
    #[error(transparent)]
    Store(#[from] DeviceStoreError),
    /// The answer was not taken.
    #[error(transparent)]
    Take(#[from] TakeError),
    /// The server kept saying there is more (a safety stop).
    #[error("sync stopped after too many pages")]
    TooManyPages,
}

impl SyncError {
    /// Whether trying again later can help (else a person must act: log
    /// in again). An app too old for the server tries again too: the
    /// service worker may bring the new version meanwhile.
    pub fn retry(&self) -> bool {
        !matches!(
            self,
            SyncError::Transport(TransportError::Unauthorized | TransportError::AccountDisabled)
        )
    }
}

/// What a whole run did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunReport {
    /// Requests sent.
    pub requests: usize,
    /// Entries settled as applied.
    pub settled: usize,
    /// Entries rejected.
    pub rejected: usize,
    /// Records pulled.
    pub pulled: usize,
    /// Pulled changes this app could not read (from a newer server).
    pub skipped: usize,
    /// Citizens forgotten (moved to a team this user does not see).
    pub forgotten: Vec<uuid::Uuid>,
    /// The records written to the store, in order (see [`Taken::records`]).
    pub records: Vec<naervaer_domain::protocol::Record>,
    /// The last restart the run made to recover (see [`Recovery`]).
    pub recovery: Option<Recovery>,
    /// The store was restarted: a view must read it again.
    pub restarted: bool,
    /// The server's clock minus this device's, from the last answer.
    pub clock_offset: Option<chrono::Duration>,
    /// The server's time of the last answer.
    pub server_time: Option<DateTime<Utc>>,
}

impl RunReport {
    fn add(&mut self, taken: Taken) {
        self.settled += taken.settled;
        self.rejected += taken.rejected;
        self.pulled += taken.pulled;
        self.skipped += taken.skipped;
        self.forgotten.extend(taken.forgotten);
        self.records.extend(taken.records);
        if taken.recovery.is_some() {
            self.recovery = taken.recovery;
            self.restarted = true;
        }
    }

    /// Whether the run changed what a view shows.
    pub fn changed(&self) -> bool {
        self.settled + self.rejected + self.pulled > 0
            || self.restarted
            || !self.forgotten.is_empty()
    }
}

/// Runs a sync to the end: first writes held saves, then requests until the
/// server has no more pages and nothing waits (or nothing moves). `fresh`
/// makes a new client id, used only when the store has none or the device
/// must go on under a new one; `now` reads the clock.
pub async fn sync_to_end<S: DeviceStore, T: Transport>(
    device: &Device<S>,
    transport: &T,
    fresh: impl Fn() -> Uuid,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<RunReport, SyncError> {
    let mut report = RunReport::default();
    sync_into(device, transport, fresh, now, &mut report)
        .await
        .map(|()| report)
}

/// [`sync_to_end`], reporting into `report` as it goes: what the pages
/// before a failure wrote is reported too.
pub async fn sync_into<S: DeviceStore, T: Transport>(
    device: &Device<S>,
    transport: &T,
    fresh: impl Fn() -> Uuid,
    now: impl Fn() -> DateTime<Utc>,
    report: &mut RunReport,
) -> Result<(), SyncError> {
    // A refusal here is reported by the next save; the outbox still syncs.
    let _still_held = device.retry_held().await;
    for _ in 0..MAX_PAGES {
        let (request, sent) = device.next_request(fresh()).await?;
        let response = transport.sync(&request).await?;
        report.requests += 1;
        let received = now();
        report.clock_offset = Some(response.server_time - received);
        report.server_time = Some(response.server_time);
        let taken = device
            .take_response(&sent, &response, received, fresh())
            .await?;
        // A restart, or an answer another window's restart made stale:
        // ask again at once.
        let again = taken.stale || taken.recovery.is_some();
        let progress = taken.settled > 0 || taken.rejected > 0 || taken.acknowledged_more;
        report.add(taken);
        if again {
            continue;
        }
        let (pending, _) = device.counts().await?;
        let waiting = pending > device.held_count();
        if !response.more && (!waiting || !progress) {
            return Ok(());
        }
    }
    Err(SyncError::TooManyPages)
}
