//! HTTP over turmoil's simulated network: the real axum router on the
//! server host, and the device's [`Transport`] as a hyper client.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use naervaer_domain::{SyncRequest, SyncResponse};
use naervaer_server::state::AppState;
use naervaer_server::store::MemoryStore;
use naervaer_sync::{DeviceStore, Transport, TransportError};

use crate::device_store::SimStore;

use crate::monitor::Shared;

/// The server's port.
pub const PORT: u16 = 8080;
/// How long a device waits for an answer before it gives up.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

struct SimListener(turmoil::net::TcpListener);

impl axum::serve::Listener for SimListener {
    type Io = turmoil::net::TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            if let Ok(accepted) = self.0.accept().await {
                return accepted;
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// The server host's software: the real router over `store` (which
/// survives restarts, as a database file would).
pub async fn serve(store: MemoryStore) -> turmoil::Result {
    let policy = store_policy(&store);
    let state = Arc::new(AppState {
        store,
        sessions: naervaer_server::sessions::SessionPolicy {
            lifetime: chrono::Duration::days(365),
            idle: chrono::Duration::days(365),
        },
        loneliness_policy: Default::default(),
        clip_policy: policy,
        retention: crate::world::retention(),
        screen_lock: Default::default(),
        throttle: Default::default(),
        // Handlers take simulated time only when the store pauses; the
        // simulation does not time requests out.
        http: naervaer_server::http_limits::HttpSettings {
            request_timeout: std::time::Duration::from_secs(3600),
            ..Default::default()
        },
        password_login: true,
        oidc: None,
        now: crate::world::sim_now,
    });
    let app = naervaer_server::router(state, None);
    let listener = turmoil::net::TcpListener::bind(("0.0.0.0", PORT)).await?;
    axum::serve(SimListener(listener), app).await?;
    Ok(())
}

fn store_policy(store: &MemoryStore) -> naervaer_domain::clips::ClipPolicy {
    use naervaer_server::store::Store;
    store.clip_policy().clone()
}

/// A device window's way to the server, watching what goes by.
pub struct SimTransport {
    /// The user's bearer token.
    pub token: String,
    /// The device's store (to read the acknowledgement before sending).
    pub store: SimStore,
    /// The run's monitor.
    pub monitor: Shared,
    /// Send each request twice (a retrying proxy), keeping the second answer.
    pub duplicate: std::cell::Cell<bool>,
    /// The app is older than the server serves (it sends protocol 1).
    pub old_app: std::cell::Cell<bool>,
    /// The server is newer than the app: its answers carry fields this app
    /// does not know.
    pub newer_server: std::cell::Cell<bool>,
}

/// What a newer server adds to an answer: a field at the top and one in
/// every record's data, which this app must skip over.
fn from_a_newer_server(body: &[u8]) -> Bytes {
    let text = String::from_utf8_lossy(body);
    let text = text
        .replacen('{', r#"{"feed_format":{"version":3,"hints":[1,2]},"#, 1)
        .replace(r#""data":{"#, r#""data":{"added_later":{"x":[true,null]},"#);
    Bytes::from(text)
}

async fn post_once(
    token: &str,
    body: Bytes,
    newer_server: bool,
) -> Result<SyncResponse, TransportError> {
    let stream = turmoil::net::TcpStream::connect(("server", PORT))
        .await
        .map_err(|_| TransportError::Offline)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|_| TransportError::Offline)?;
    tokio::task::spawn_local(async move {
        // The connection ends with the request, or when the device gives up.
        let _ended = conn.await;
    });
    let request = hyper::Request::post("/api/v1/sync")
        .header("host", "server")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(Full::new(body))
        .map_err(|e| TransportError::BadResponse(e.to_string()))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|_| TransportError::Offline)?;
    let status = response.status().as_u16();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|_| TransportError::Offline)?
        .to_bytes();
    if status == 401 {
        return Err(TransportError::Unauthorized);
    }
    if status == 426 {
        return Err(TransportError::AppTooOld);
    }
    if status != 200 {
        return Err(TransportError::Status {
            status,
            code: "http".into(),
            message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
        });
    }
    let bytes = if newer_server {
        from_a_newer_server(&bytes)
    } else {
        bytes
    };
    serde_json::from_slice(&bytes).map_err(|e| TransportError::BadResponse(e.to_string()))
}

impl Transport for SimTransport {
    async fn sync(&self, request: &SyncRequest) -> Result<SyncResponse, TransportError> {
        let (acked_before, client_before) = self
            .store
            .meta()
            .await
            .map(|m| (m.acknowledged_seq, m.client_id))
            .unwrap_or((0, None));
        let mut request = request.clone();
        if self.old_app.get() {
            request.protocol = 1;
        }
        let request = &request;
        if let Some(last) = request.mutations.last() {
            let mut m = self.monitor.borrow_mut();
            let max = m.max_sent.entry(request.client_id).or_insert(0);
            *max = (*max).max(last.seq);
        }
        let body = Bytes::from(
            serde_json::to_vec(request).map_err(|e| TransportError::BadResponse(e.to_string()))?,
        );
        let copies = if self.duplicate.get() { 2 } else { 1 };
        let mut answer = Err(TransportError::Offline);
        for copy in 0..copies {
            {
                let mut m = self.monitor.borrow_mut();
                m.counts.requests += 1;
                if copy == 1 {
                    m.counts.duplicates += 1;
                }
            }
            answer = match tokio::time::timeout(
                CLIENT_TIMEOUT,
                post_once(&self.token, body.clone(), self.newer_server.get()),
            )
            .await
            {
                Ok(result) => result,
                Err(_) => {
                    self.monitor.borrow_mut().counts.timeouts += 1;
                    Err(TransportError::Offline)
                }
            };
        }
        if matches!(answer, Err(TransportError::AppTooOld)) {
            self.monitor.borrow_mut().counts.too_old += 1;
        }
        if answer.is_ok() && self.newer_server.get() {
            self.monitor.borrow_mut().counts.newer_answers += 1;
        }
        if let Ok(response) = &answer {
            let mut m = self.monitor.borrow_mut();
            let sent = m.max_sent.get(&request.client_id).copied().unwrap_or(0);
            if response.acknowledged_seq > sent {
                m.violations.push(format!(
                    "client {}: acknowledged {} but sent at most {sent}",
                    request.client_id, response.acknowledged_seq
                ));
            }
            // It goes back only when the server says it lost changes (a
            // restored database), or under another client id.
            let lost = response.seqs_lost || response.feed_lost;
            if response.acknowledged_seq < acked_before
                && !lost
                && client_before == Some(request.client_id)
            {
                m.violations.push(format!(
                    "client {}: acknowledgement went back from {acked_before} to {}",
                    request.client_id, response.acknowledged_seq
                ));
            }
        }
        answer
    }
}
