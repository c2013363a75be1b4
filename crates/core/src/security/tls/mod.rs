//! TLS protocol versions and cipher suites ONTAP knows, and what fits with what.
//!
//! ONTAP enables "all protocol versions at or above the lowest version level specified", so
//! a version list is really a floor: [`versions_from_floor`] and [`floor_of`] make that explicit.

use serde::{Deserialize, Serialize};

/// A TLS protocol version as ONTAP names it, ordered from oldest to newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TlsVersion {
    #[serde(rename = "SSLv3")]
    Ssl3,
    #[serde(rename = "TLSv1")]
    Tls1_0,
    #[serde(rename = "TLSv1.1")]
    Tls1_1,
    #[serde(rename = "TLSv1.2")]
    Tls1_2,
    #[serde(rename = "TLSv1.3")]
    Tls1_3,
}

impl TlsVersion {
    /// Every version, oldest first.
    pub const ALL: [TlsVersion; 5] = [
        TlsVersion::Ssl3,
        TlsVersion::Tls1_0,
        TlsVersion::Tls1_1,
        TlsVersion::Tls1_2,
        TlsVersion::Tls1_3,
    ];

    /// ONTAP's name for the version.
    pub fn name(self) -> &'static str {
        match self {
            TlsVersion::Ssl3 => "SSLv3",
            TlsVersion::Tls1_0 => "TLSv1",
            TlsVersion::Tls1_1 => "TLSv1.1",
            TlsVersion::Tls1_2 => "TLSv1.2",
            TlsVersion::Tls1_3 => "TLSv1.3",
        }
    }

    /// Parses ONTAP's name (exact, as ONTAP spells it).
    pub fn parse(name: &str) -> Option<TlsVersion> {
        TlsVersion::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The lowest version FIPS mode accepts.
    pub const FIPS_FLOOR: TlsVersion = TlsVersion::Tls1_2;

    /// Whether FIPS mode refuses this version, and with which ONTAP error code.
    pub fn fips_refusal_code(self) -> Option<u64> {
        match self {
            TlsVersion::Ssl3 => Some(52428817),
            TlsVersion::Tls1_0 => Some(52428824),
            TlsVersion::Tls1_1 => Some(52428832),
            TlsVersion::Tls1_2 | TlsVersion::Tls1_3 => None,
        }
    }
}

impl std::fmt::Display for TlsVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every version at or above `floor`, newest first (the order ONTAP answers with).
pub fn versions_from_floor(floor: TlsVersion) -> Vec<TlsVersion> {
    TlsVersion::ALL
        .into_iter()
        .rev()
        .filter(|v| *v >= floor)
        .collect()
}

/// The lowest version in a list: what ONTAP actually enforces. `None` for an empty list or
/// when no name is known.
pub fn floor_of<S: AsRef<str>>(names: &[S]) -> Option<TlsVersion> {
    names
        .iter()
        .filter_map(|n| TlsVersion::parse(n.as_ref()))
        .min()
}

mod suites;

pub use suites::*;

#[cfg(test)]
mod tests;
