//! What the server does at the edge of every request: how long a request
//! may take, how long a client may take to send its headers, which proxy's
//! word on the client's address is trusted, and HSTS when served over TLS.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The edge settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    /// How long a request may take from its first byte of body to its
    /// answer; a request that takes longer is answered 503 and undone.
    pub request_timeout: Duration,
    /// How long a client may take to send a request's headers before the
    /// connection is closed (slow clients cannot hold connections open).
    pub header_read_timeout: Duration,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are
    /// believed. From anyone else they are ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// The server is reached over HTTPS (its public URL is `https://`):
    /// every answer carries HSTS.
    pub https: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            trusted_proxies: Vec::new(),
            https: false,
        }
    }
}

/// HSTS: browsers use only HTTPS for this site for a year.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The client's address, as the edge made it out: the peer's, or, behind
/// a trusted proxy, the one the proxy names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The address the request came from: the peer, unless the peer is a
/// trusted proxy, in which case the nearest address in `X-Forwarded-For`
/// that is not a trusted proxy (entries further left could be made up by
/// the client).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    // An IPv4 proxy seen on a dual-stack socket is ::ffff:a.b.c.d.
    let peer = peer.to_canonical();
    let trusted_ip = |ip: &IpAddr| {
        trusted
            .iter()
            .any(|t| t.to_canonical() == ip.to_canonical())
    };
    if !trusted_ip(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for entry in forwarded.iter().rev() {
        match entry.parse::<IpAddr>() {
            Ok(ip) if trusted_ip(&ip) => continue,
            Ok(ip) => return ip.to_canonical(),
            // Garbage from the hop we trust: do not look further left.
            Err(_) => return peer,
        }
    }
    peer
}

/// Whether the request reached the server over HTTPS: the settings say so,
/// or a trusted proxy does.
fn over_https(settings: &HttpSettings, peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
    settings.https
        || peer.is_some_and(|p| {
            settings
                .trusted_proxies
                .iter()
                .any(|t| t.to_canonical() == p.to_canonical())
        }) && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The edge middleware: finds the client's address, bounds the request's
/// time (503 `timeout`, and whatever it began is dropped, so its database
/// transaction is rolled back), and adds HSTS over HTTPS.
pub async fn edge(
    State(settings): State<Arc<HttpSettings>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let https = over_https(&settings, peer, request.headers());
    if let Some(peer) = peer {
        let ip = client_ip(peer, request.headers(), &settings.trusted_proxies);
        request.extensions_mut().insert(ClientIp(ip));
    }
    let mut response = match tokio::time::timeout(settings.request_timeout, next.run(request)).await
    {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("a request took longer than {:?}", settings.request_timeout);
            ApiError::Busy("timeout").into_response()
        }
    };
    if https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

#[cfg(test)]
#[path = "http_limits_tests.rs"]
mod tests;
