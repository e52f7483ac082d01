use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue};

use super::client_ip;

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

fn forwarded(values: &[&str]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for v in values {
        h.append("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
    }
    h
}

#[test]
fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
    let h = forwarded(&["10.9.9.9"]);
    assert_eq!(
        client_ip(ip("203.0.113.5"), &h, &[ip("10.0.0.1")]),
        ip("203.0.113.5")
    );
    assert_eq!(client_ip(ip("203.0.113.5"), &h, &[]), ip("203.0.113.5"));
}

#[test]
fn behind_a_trusted_proxy_the_nearest_untrusted_address_is_the_client() {
    let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
    // The client wrote the first entry itself: it is not believed.
    let h = forwarded(&["1.2.3.4, 198.51.100.7", "10.0.0.2"]);
    assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("198.51.100.7"));
    // No header: the proxy itself.
    assert_eq!(
        client_ip(ip("10.0.0.1"), &HeaderMap::new(), &proxies),
        ip("10.0.0.1")
    );
    // Garbage next to the proxy: the proxy, not an address further left.
    let h = forwarded(&["1.2.3.4, nonsense"]);
    assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.1"));
}

#[test]
fn an_ipv4_proxy_seen_as_ipv6_is_still_trusted() {
    let h = forwarded(&["198.51.100.7"]);
    assert_eq!(
        client_ip(ip("::ffff:10.0.0.1"), &h, &[ip("10.0.0.1")]),
        ip("198.51.100.7")
    );
}
