//! The client address behind reverse proxies. A request's TCP peer is the client unless the
//! peer is a trusted proxy (`--trusted-proxy`). Then the server reads `X-Forwarded-For` from
//! the right, skipping the trusted proxies that appended to it, and takes the first address
//! no trusted proxy vouches for. Entries left of that one are whatever the client sent and
//! are never used, so a client cannot choose its own address for the login rate limits.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// An address range given as an address (`10.0.0.5`) or in CIDR notation (`10.0.0.0/8`,
/// `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Returns whether `addr` lies in the range. An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`,
    /// as a dual-stack listener reports IPv4 peers) counts as the IPv4 address.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, addr.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                masked(u128::from(u32::from(net)), self.prefix, 32)
                    == masked(u128::from(u32::from(a)), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                masked(u128::from(net), self.prefix, 128) == masked(u128::from(a), self.prefix, 128)
            }
            _ => false,
        }
    }
}

/// Keeps the top `prefix` of the `bits` low-order bits of `value`.
fn masked(value: u128, prefix: u8, bits: u32) -> u128 {
    let host_bits = bits - u32::from(prefix);
    if host_bits >= 128 { 0 } else { value >> host_bits }
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("invalid address {addr:?} in {text:?}; give e.g. 10.0.0.5 or 10.0.0.0/8"))?;
        let network = network.to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("invalid prefix length {p:?} in {text:?}; use 0 to {max}"))?,
        };
        Ok(IpRange { network, prefix })
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Parses one `X-Forwarded-For` entry: an address, optionally with a port
/// (`192.0.2.1:4711`, `[2001:db8::1]:4711`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(addr) = entry.parse::<IpAddr>() {
        return Some(addr.to_canonical());
    }
    entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip().to_canonical())
}

/// Returns the client address of a request from `peer` with `headers`, trusting the
/// proxies in `trusted`.
///
/// When the peer is trusted, the `X-Forwarded-For` entries (over every such header, in
/// order) are read from the right: trusted ones are skipped and the first other one is the
/// client. An entry that is not an address ends the search at the trusted hop to its right,
/// since anything further left may be forged. When every entry is trusted, the left-most
/// one is the client.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |addr: IpAddr| trusted.iter().any(|range| range.contains(addr));
    if !is_trusted(peer) {
        return peer;
    }

    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(addr) = parse_entry(entry) else {
            break;
        };
        client = addr;
        if !is_trusted(addr) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(list: &[&str]) -> Vec<IpRange> {
        list.iter().map(|r| r.parse().unwrap()).collect()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn range_parse_and_contains() {
        let net: IpRange = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.255.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "an IPv4-mapped peer counts as IPv4");
        assert!(!net.contains(ip("fd00::1")));
        let single: IpRange = "192.0.2.7".parse().unwrap();
        assert!(single.contains(ip("192.0.2.7")));
        assert!(!single.contains(ip("192.0.2.8")));
        let v6: IpRange = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12:3456::1")));
        assert!(!v6.contains(ip("fe80::1")));
        let all: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.1")));
        assert_eq!(single.to_string(), "192.0.2.7/32");
    }

    #[test]
    fn range_parse_errors() {
        for bad in ["", "10.0.0", "10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "proxy.local"] {
            let error = bad.parse::<IpRange>().unwrap_err();
            assert!(error.contains("invalid"), "{bad}: {error}");
        }
    }

    #[test]
    fn untrusted_peer_ignores_header() {
        let trusted = ranges(&["10.0.0.0/8"]);
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(client_addr(ip("198.51.100.4"), &headers, &trusted), ip("198.51.100.4"));
        assert_eq!(client_addr(ip("10.0.0.2"), &headers, &[]), ip("10.0.0.2"));
    }

    #[test]
    fn trusted_peer_uses_right_most_untrusted() {
        let trusted = ranges(&["10.0.0.0/8"]);
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &headers, &trusted), ip("203.0.113.9"));

        // Two proxies: the outer one (10.0.0.3) appended the client, the inner one is the peer.
        let chain = forwarded(&["203.0.113.9, 10.0.0.3"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &chain, &trusted), ip("203.0.113.9"));

        // Entries split over several headers read as one list.
        let split = forwarded(&["203.0.113.9", "10.0.0.3"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &split, &trusted), ip("203.0.113.9"));

        // Ports and IPv6 brackets are dropped.
        let ported = forwarded(&["[2001:db8::1]:4711"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &ported, &trusted), ip("2001:db8::1"));
    }

    #[test]
    fn spoofed_entries_are_not_used() {
        let trusted = ranges(&["10.0.0.0/8"]);
        // The client sent "1.2.3.4" itself; the proxy appended the real peer.
        let spoofed = forwarded(&["1.2.3.4, 203.0.113.9"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &spoofed, &trusted), ip("203.0.113.9"));

        // A forged trusted address left of the real client changes nothing either.
        let forged = forwarded(&["10.9.9.9, 203.0.113.9"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &forged, &trusted), ip("203.0.113.9"));

        // Garbage ends the search at the nearest trusted hop.
        let garbage = forwarded(&["203.0.113.9, not-an-address, 10.0.0.3"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &garbage, &trusted), ip("10.0.0.3"));

        // No header: the proxy itself.
        assert_eq!(client_addr(ip("10.0.0.2"), &HeaderMap::new(), &trusted), ip("10.0.0.2"));

        // Every entry trusted: the left-most.
        let internal = forwarded(&["10.0.0.7, 10.0.0.3"]);
        assert_eq!(client_addr(ip("10.0.0.2"), &internal, &trusted), ip("10.0.0.7"));
    }
}
