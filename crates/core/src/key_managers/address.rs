//! `host[:port]` addresses of KMIP key servers.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The KMIP port ONTAP uses when none is given.
pub const DEFAULT_KMIP_PORT: u16 = 5696;

/// A key server address: a host name, IPv4 or IPv6 address, and an optional port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddress {
    pub host: Host,
    pub port: Option<u16>,
}

/// The host part of a key server address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

/// Why a key server address is not usable; each says it in words an admin understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the key server address is empty")]
    Empty,
    #[error("the port must be a number from 1 to 65535")]
    BadPort,
    #[error("the host must be a host name, an IPv4 address or an IPv6 address in brackets")]
    BadHost,
}

impl ServerAddress {
    /// Parses `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address.
    pub fn parse(text: &str) -> Result<ServerAddress, AddressError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AddressError::Empty);
        }
        if let Some(rest) = text.strip_prefix('[') {
            let (inside, after) = rest.split_once(']').ok_or(AddressError::BadHost)?;
            let ip: Ipv6Addr = inside.parse().map_err(|_| AddressError::BadHost)?;
            let port = match after {
                "" => None,
                _ => Some(parse_port(
                    after.strip_prefix(':').ok_or(AddressError::BadHost)?,
                )?),
            };
            return Ok(ServerAddress {
                host: Host::V6(ip),
                port,
            });
        }
        if text.matches(':').count() > 1 {
            let ip: Ipv6Addr = text.parse().map_err(|_| AddressError::BadHost)?;
            return Ok(ServerAddress {
                host: Host::V6(ip),
                port: None,
            });
        }
        let (host, port) = match text.split_once(':') {
            Some((host, port)) => (host, Some(parse_port(port)?)),
            None => (text, None),
        };
        Ok(ServerAddress {
            host: parse_host(host)?,
            port,
        })
    }

    /// The port in use: the given one or 5696.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(DEFAULT_KMIP_PORT)
    }

    /// Whether two addresses name the same server (host case-insensitive, default port applied).
    pub fn same_server(&self, other: &ServerAddress) -> bool {
        self.effective_port() == other.effective_port()
            && match (&self.host, &other.host) {
                (Host::Name(a), Host::Name(b)) => a.eq_ignore_ascii_case(b),
                (a, b) => a == b,
            }
    }
}

fn parse_port(text: &str) -> Result<u16, AddressError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 5 {
        return Err(AddressError::BadPort);
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=65535).contains(&n) => Ok(n as u16),
        _ => Err(AddressError::BadPort),
    }
}

fn parse_host(text: &str) -> Result<Host, AddressError> {
    if let Ok(ip) = text.parse::<Ipv4Addr>() {
        return Ok(Host::V4(ip));
    }
    let labels_ok = !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    // A dotted all-numeric name that is not an IPv4 address (e.g. 300.1.1.1) is a typo.
    let all_numeric = text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if labels_ok && !all_numeric {
        Ok(Host::Name(text.to_owned()))
    } else {
        Err(AddressError::BadHost)
    }
}

impl std::fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.host, self.port) {
            (Host::Name(n), None) => write!(f, "{n}"),
            (Host::Name(n), Some(p)) => write!(f, "{n}:{p}"),
            (Host::V4(ip), None) => write!(f, "{ip}"),
            (Host::V4(ip), Some(p)) => write!(f, "{ip}:{p}"),
            (Host::V6(ip), None) => write!(f, "[{ip}]"),
            (Host::V6(ip), Some(p)) => write!(f, "[{ip}]:{p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forms_and_boundaries() {
        let a = ServerAddress::parse("10.225.89.33:5696").unwrap();
        assert_eq!(a.host, Host::V4("10.225.89.33".parse().unwrap()));
        assert_eq!(a.port, Some(5696));
        assert_eq!(
            ServerAddress::parse("vs0.local1:3678").unwrap().port,
            Some(3678)
        );
        assert_eq!(
            ServerAddress::parse("kms.example.com")
                .unwrap()
                .effective_port(),
            5696
        );
        assert_eq!(
            ServerAddress::parse("[fd20::1]:5697").unwrap().port,
            Some(5697)
        );
        assert!(matches!(
            ServerAddress::parse("fd20::1").unwrap().host,
            Host::V6(_)
        ));
        assert_eq!(ServerAddress::parse("kms:1").unwrap().port, Some(1));
        assert_eq!(ServerAddress::parse("kms:65535").unwrap().port, Some(65535));
        assert_eq!(ServerAddress::parse("kms:0"), Err(AddressError::BadPort));
        assert_eq!(
            ServerAddress::parse("kms:65536"),
            Err(AddressError::BadPort)
        );
        assert_eq!(ServerAddress::parse("kms:"), Err(AddressError::BadPort));
        assert_eq!(ServerAddress::parse("kms:+5"), Err(AddressError::BadPort));
        assert_eq!(ServerAddress::parse(""), Err(AddressError::Empty));
        assert_eq!(ServerAddress::parse("bad host"), Err(AddressError::BadHost));
        assert_eq!(
            ServerAddress::parse("300.1.1.1"),
            Err(AddressError::BadHost)
        );
        assert_eq!(ServerAddress::parse("-kms"), Err(AddressError::BadHost));
    }

    #[test]
    fn same_server_applies_the_default_port() {
        let a = ServerAddress::parse("KMS.example.com").unwrap();
        let b = ServerAddress::parse("kms.example.com:5696").unwrap();
        let c = ServerAddress::parse("kms.example.com:5697").unwrap();
        assert!(a.same_server(&b));
        assert!(!a.same_server(&c));
    }

    fn address() -> impl Strategy<Value = ServerAddress> {
        let host = prop_oneof![
            "[a-z][a-z0-9-]{0,10}[a-z0-9](\\.[a-z][a-z0-9]{0,8}){0,3}".prop_map(Host::Name),
            any::<[u8; 4]>().prop_map(|o| Host::V4(Ipv4Addr::from(o))),
            any::<[u16; 8]>().prop_map(|s| Host::V6(Ipv6Addr::from(s))),
        ];
        (host, proptest::option::of(1u16..=65535))
            .prop_map(|(host, port)| ServerAddress { host, port })
    }

    proptest! {
        #[test]
        fn display_parses_back(a in address()) {
            prop_assert_eq!(ServerAddress::parse(&a.to_string()), Ok(a));
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = ServerAddress::parse(&s);
        }
    }
}
