//! Which ONTAP release has which field: a simulator answering as an older release leaves out
//! what that release did not have, and a console can hide what the connected cluster lacks.
//! Introductions are those of NetApp's per-release REST references ("Introduced in").

/// A release as `(generation, major, minor)`.
pub type Triple = (u32, u32, u32);

/// The releases a simulator can answer as (`serve --ontap-version`); the last is the default.
pub const RELEASES: &[(&str, Triple)] = &[
    ("9.8", (9, 8, 0)),
    ("9.12", (9, 12, 1)),
    ("9.16", (9, 16, 1)),
];

/// The release `serve` answers as unless told otherwise.
pub const CURRENT: Triple = (9, 16, 1);

/// A field of an endpoint and the release that introduced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    /// The endpoint's path, as in the reference (`/api/security/ipsec`).
    pub endpoint: &'static str,
    /// The field's dotted path in a record.
    pub field: &'static str,
    pub since: Triple,
}

/// Fields introduced after ONTAP 9.8 began, per endpoint (fields older than every release
/// in [`RELEASES`] are not listed).
pub const FIELDS: &[Since] = &[
    Since {
        endpoint: "/api/security/ipsec",
        field: "replay_window",
        since: (9, 8, 0),
    },
    Since {
        endpoint: "/api/security/ipsec",
        field: "offload_enabled",
        since: (9, 16, 1),
    },
    Since {
        endpoint: "/api/security",
        field: "software_data_encryption.rekey",
        since: (9, 16, 1),
    },
];

/// The release named `9.8`, `9.12` or `9.16`.
pub fn parse(name: &str) -> Option<Triple> {
    RELEASES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Whether `release` has `field` of `endpoint` (fields not listed are in every release).
pub fn has_field(release: Triple, endpoint: &str, field: &str) -> bool {
    FIELDS
        .iter()
        .filter(|s| s.endpoint == endpoint && s.field == field)
        .all(|s| release >= s.since)
}

/// The fields of `endpoint` that `release` does not have yet.
pub fn missing_fields(release: Triple, endpoint: &str) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|s| s.endpoint == endpoint && release < s.since)
        .map(|s| s.field)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_releases_lack_newer_fields() {
        assert_eq!(parse("9.12"), Some((9, 12, 1)));
        assert_eq!(parse("9.7"), None);
        assert!(has_field((9, 8, 0), "/api/security/ipsec", "replay_window"));
        assert!(!has_field(
            (9, 12, 1),
            "/api/security/ipsec",
            "offload_enabled"
        ));
        assert!(has_field(CURRENT, "/api/security/ipsec", "offload_enabled"));
        assert!(has_field((9, 8, 0), "/api/security/ipsec", "enabled"));
        assert_eq!(
            missing_fields((9, 8, 0), "/api/security/ipsec"),
            ["offload_enabled"]
        );
        assert!(missing_fields(CURRENT, "/api/security").is_empty());
    }
}
