//! Who the client is, for the per-address rate limits and for binding image codes.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::AppState;
use super::error::ApiError;
use crate::api::ErrorCode;

/// The client's address as the per-address controls count it: IPv4 as is, an IPv6 client by its /64
/// (one customer line hands out a whole /64, so a single address would be free to change at will).
/// Behind `--trusted-proxy` it is the address that proxy saw; anyone else's X-Forwarded-For is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn ip(self) -> IpAddr {
        self.0
    }

    /// The key of the address a connection or a proxy reports.
    pub fn from_ip(ip: IpAddr) -> ClientAddr {
        ClientAddr(match canonical(ip) {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            v4 => v4,
        })
    }

    /// `peer` is the TCP peer; `forwarded_for` the request's X-Forwarded-For lines in order.
    pub fn resolve<'a>(
        peer: IpAddr,
        trusted_proxy: Option<IpAddr>,
        forwarded_for: impl DoubleEndedIterator<Item = &'a [u8]>,
    ) -> ClientAddr {
        let from_proxy = trusted_proxy.is_some_and(|proxy| canonical(proxy) == canonical(peer));
        let forwarded = if from_proxy { last_forwarded(forwarded_for) } else { None };
        ClientAddr::from_ip(forwarded.unwrap_or(peer))
    }
}

/// An IPv4 client seen through a dual-stack socket (`::ffff:a.b.c.d`) is that IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The right-most entry: the one the trusted proxy appended itself. Whatever stands left of it came
/// from the client and proves nothing.
fn last_forwarded<'a>(mut lines: impl DoubleEndedIterator<Item = &'a [u8]>) -> Option<IpAddr> {
    let line = std::str::from_utf8(lines.next_back()?).ok()?;
    let entry = line.rsplit(',').next()?.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            tracing::error!("no peer address on the request: the server was not started through server::serve");
            return Err(ApiError::new(ErrorCode::Internal));
        };
        let lines = parts.headers.get_all("x-forwarded-for").into_iter().map(|v| v.as_bytes());
        Ok(ClientAddr::resolve(peer.ip(), state.trusted_proxy, lines))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn key(peer: &str, proxy: Option<&str>, xff: &[&str]) -> IpAddr {
        ClientAddr::resolve(ip(peer), proxy.map(ip), xff.iter().map(|l| l.as_bytes())).ip()
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let a = ClientAddr::from_ip(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        let b = ClientAddr::from_ip(ip("2001:db8:1:2::1"));
        let other = ClientAddr::from_ip(ip("2001:db8:1:3::1"));
        assert_eq!(a, b, "one /64, one budget");
        assert_ne!(a, other, "the next /64 is someone else");
        assert_eq!(a.ip(), ip("2001:db8:1:2::"));
    }

    #[test]
    fn ipv4_stays_whole_even_through_a_dual_stack_socket() {
        assert_eq!(ClientAddr::from_ip(ip("::ffff:192.0.2.7")).ip(), ip("192.0.2.7"));
        assert_ne!(ClientAddr::from_ip(ip("192.0.2.7")), ClientAddr::from_ip(ip("192.0.2.8")));
    }

    #[test]
    fn only_the_trusted_proxy_names_the_client() {
        assert_eq!(key("10.0.0.5", None, &["198.51.100.1"]), ip("10.0.0.5"), "no proxy trusted");
        assert_eq!(key("10.0.0.5", Some("10.0.0.9"), &["198.51.100.1"]), ip("10.0.0.5"), "another peer");
        assert_eq!(key("10.0.0.9", Some("10.0.0.9"), &["198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(key("::ffff:10.0.0.9", Some("10.0.0.9"), &["198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(key("10.0.0.9", Some("10.0.0.9"), &[]), ip("10.0.0.9"), "no header: the proxy itself");
    }

    #[test]
    fn the_entry_the_proxy_appended_counts_not_what_the_client_wrote() {
        let proxy = Some("10.0.0.9");
        assert_eq!(key("10.0.0.9", proxy, &["1.1.1.1, 198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(key("10.0.0.9", proxy, &["1.1.1.1", "198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(key("10.0.0.9", proxy, &["198.51.100.1:4711"]), ip("198.51.100.1"));
        assert_eq!(key("10.0.0.9", proxy, &["[2001:db8::1]:4711"]), ip("2001:db8::"));
        assert_eq!(key("10.0.0.9", proxy, &["[2001:db8::1]"]), ip("2001:db8::"));
        assert_eq!(key("10.0.0.9", proxy, &["198.51.100.1, garbage"]), ip("10.0.0.9"), "malformed: the peer");
        assert_eq!(key("10.0.0.9", proxy, &["unknown"]), ip("10.0.0.9"));
    }
}
