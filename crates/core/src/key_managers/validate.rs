//! The rules ONTAP applies to key manager and key server requests.

use super::address::ServerAddress;
use super::model::{External, KeyManager, KeyServer, Onboard};
use crate::envelope::Scope;
use crate::secret::Secret;
use crate::validation::{Violation, Violations};

/// At most this many key servers per key manager (65536038).
pub const MAX_KEY_SERVERS: usize = 4;
/// At most this many secondary servers per key server.
pub const MAX_SECONDARY_SERVERS: usize = 3;
/// Passphrase length bounds, in ASCII characters.
pub const PASSPHRASE_LEN: std::ops::RangeInclusive<usize> = 32..=256;
/// Key server I/O timeout bounds, in seconds (ONTAP's `-timeout` accepts 1 to 60).
pub const TIMEOUT_SECONDS: std::ops::RangeInclusive<i64> = 1..=60;

/// Checks a `POST /security/key-managers` body.
pub fn validate_create(km: &KeyManager) -> Result<(), Violations> {
    let mut out = Violations::new();
    match (&km.external, &km.onboard) {
        (Some(_), Some(_)) => out.push(Violation::new(
            "onboard",
            "A key manager is either external or onboard: configure one of them, not both.",
        )),
        (None, None) => out.push(Violation::new(
            "external",
            "Configure either an external key manager (key servers) or the Onboard Key Manager.",
        )),
        (Some(external), None) => check_external_create(external, &mut out),
        (None, Some(onboard)) => check_onboard_create(km, onboard, &mut out),
    }
    out.into_result()
}

/// Checks a `PATCH /security/key-managers/{uuid}` body.
pub fn validate_update(change: &KeyManager) -> Result<(), Violations> {
    let mut out = Violations::new();
    if change.external.is_some() && change.onboard.is_some() {
        out.push(Violation::new(
            "onboard",
            "A change applies to an external or an onboard key manager, not both.",
        ));
    }
    if let Some(onboard) = &change.onboard {
        check_onboard_update(onboard, &mut out);
    }
    if let Some(external) = &change.external {
        if let Some(cas) = &external.server_ca_certificates {
            if cas.is_empty() || cas.iter().any(|c| c.is_empty()) {
                out.push(Violation::coded(
                    "external.server_ca_certificates",
                    65536876,
                    "Name at least one installed server CA certificate.",
                ));
            }
        }
        if external
            .client_certificate
            .as_ref()
            .is_some_and(|c| c.is_empty())
        {
            out.push(Violation::coded(
                "external.client_certificate",
                65536876,
                "Name the installed client certificate by UUID or name.",
            ));
        }
        if let Some(servers) = &external.servers {
            check_server_list(servers, &[], "external.servers", &mut out);
        }
    }
    for (field, present) in [
        ("uuid", change.uuid.is_some()),
        ("scope", change.scope.is_some()),
        ("svm", change.svm.is_some()),
        ("status", change.status.is_some()),
        ("volume_encryption", change.volume_encryption.is_some()),
    ] {
        if present {
            out.push(Violation::new(
                field,
                "This field cannot be changed on an existing key manager.",
            ));
        }
    }
    out.into_result()
}

/// Checks a `POST .../key-servers` adding `new` servers to a key manager that has `existing`.
pub fn validate_add_servers(new: &[KeyServer], existing: &[KeyServer]) -> Result<(), Violations> {
    let mut out = Violations::new();
    if new.is_empty() {
        out.push(Violation::new(
            "records",
            "Name at least one key server to add.",
        ));
    }
    let field = if new.len() == 1 { "server" } else { "records" };
    check_server_list(new, existing, field, &mut out);
    out.into_result()
}

/// Checks a `PATCH .../key-servers/{server}` body.
pub fn validate_server_update(change: &KeyServer) -> Result<(), Violations> {
    let mut out = Violations::new();
    if change.server.is_some() {
        out.push(Violation::new(
            "server",
            "A key server's address cannot be changed: add the new server and remove the old one.",
        ));
    }
    check_server_settings(change, "", &mut out);
    out.into_result()
}

/// Checks that removing `server` leaves the key manager with at least one key server.
pub fn validate_remove_server(server: &str, existing: &[KeyServer]) -> Result<(), Violations> {
    let mut out = Violations::new();
    let target = ServerAddress::parse(server).ok();
    let found =
        existing.iter().any(
            |s| match (&target, s.server.as_deref().map(ServerAddress::parse)) {
                (Some(t), Some(Ok(a))) => t.same_server(&a),
                _ => s.server.as_deref() == Some(server),
            },
        );
    if !found {
        out.push(Violation::new(
            "server",
            format!("{server} is not a key server of this key manager."),
        ));
    } else if existing.len() <= 1 {
        out.push(Violation::new(
            "server",
            "This is the key manager's last key server: an external key manager needs at least one. Add another first, or delete the key manager.",
        ));
    }
    out.into_result()
}

/// Checks an onboard passphrase: 32 to 256 ASCII characters.
pub fn passphrase_problem(passphrase: &Secret) -> Option<&'static str> {
    let text = passphrase.expose();
    if !text.is_ascii() {
        Some("The passphrase must use ASCII characters only.")
    } else if !PASSPHRASE_LEN.contains(&text.len()) {
        Some("The passphrase must be 32 to 256 characters long.")
    } else {
        None
    }
}

fn check_external_create(external: &External, out: &mut Violations) {
    if external
        .client_certificate
        .as_ref()
        .is_none_or(|c| c.is_empty())
    {
        out.push(Violation::coded(
            "external.client_certificate",
            65536876,
            "External key management needs an installed client certificate.",
        ));
    }
    let cas = external
        .server_ca_certificates
        .as_deref()
        .unwrap_or_default();
    if cas.is_empty() || cas.iter().any(|c| c.is_empty()) {
        out.push(Violation::coded(
            "external.server_ca_certificates",
            65536876,
            "External key management needs at least one installed server CA certificate.",
        ));
    }
    let servers = external.servers.as_deref().unwrap_or_default();
    if servers.is_empty() {
        out.push(Violation::coded(
            "external.servers",
            65536876,
            "External key management needs at least one key server.",
        ));
    }
    check_server_list(servers, &[], "external.servers", out);
}

fn check_onboard_create(km: &KeyManager, onboard: &Onboard, out: &mut Violations) {
    if km.svm.is_some() || km.scope == Some(Scope::Svm) {
        out.push(Violation::coded(
            "svm",
            65536916,
            "The Onboard Key Manager can only be configured for the cluster (admin SVM), not for a data SVM.",
        ));
    }
    let synchronize = onboard.synchronize == Some(true);
    match &onboard.passphrase {
        None => out.push(if synchronize {
            Violation::coded(
                "onboard.passphrase",
                65537240,
                "Synchronizing with the MetroCluster partner needs the partner's passphrase.",
            )
        } else {
            Violation::coded(
                "onboard.passphrase",
                65536920,
                "Enter a passphrase of 32 to 256 ASCII characters.",
            )
        }),
        Some(p) => {
            if let Some(problem) = passphrase_problem(p) {
                out.push(Violation::coded("onboard.passphrase", 65536920, problem));
            }
        }
    }
    if onboard.existing_passphrase.is_some() {
        out.push(if synchronize {
            Violation::coded(
                "onboard.existing_passphrase",
                65537241,
                "Do not give an existing passphrase when synchronizing a new Onboard Key Manager.",
            )
        } else {
            Violation::new(
                "onboard.existing_passphrase",
                "There is no existing passphrase when creating the Onboard Key Manager.",
            )
        });
    }
    if onboard.key_backup.is_some() || onboard.enabled.is_some() {
        out.push(Violation::new(
            "onboard",
            "The key backup and enabled state are reported by the cluster and cannot be set.",
        ));
    }
}

fn check_onboard_update(onboard: &Onboard, out: &mut Violations) {
    let existing = onboard.existing_passphrase.as_ref();
    let new = onboard.passphrase.as_ref();
    if onboard.synchronize == Some(true) {
        if existing.is_none() {
            out.push(Violation::coded(
                "onboard.existing_passphrase",
                65537242,
                "Synchronizing needs the current passphrase.",
            ));
        }
        if new.is_some() {
            out.push(Violation::coded(
                "onboard.passphrase",
                65537243,
                "Do not give a new passphrase when synchronizing; give only the current one.",
            ));
        }
        return;
    }
    match (existing, new) {
        (None, None) => {}
        (Some(_), None) => out.push(Violation::coded(
            "onboard.passphrase",
            65536917,
            "Changing the passphrase needs the new passphrase as well as the current one.",
        )),
        (None, Some(_)) => out.push(Violation::coded(
            "onboard.existing_passphrase",
            65536917,
            "Changing the passphrase needs the current passphrase as well as the new one.",
        )),
        (Some(old), Some(new)) => {
            if let Some(problem) = passphrase_problem(new) {
                out.push(Violation::coded("onboard.passphrase", 65536404, problem));
            }
            if old == new {
                out.push(Violation::coded(
                    "onboard.passphrase",
                    65536150,
                    "The new passphrase must differ from the current one.",
                ));
            }
        }
    }
}

/// Checks a list of servers to add to `existing`: each address and setting, no duplicates
/// (default port applied), and never more than four in all.
fn check_server_list(
    servers: &[KeyServer],
    existing: &[KeyServer],
    field: &str,
    out: &mut Violations,
) {
    let known: Vec<ServerAddress> = existing
        .iter()
        .filter_map(|s| ServerAddress::parse(s.server.as_deref()?).ok())
        .collect();
    let mut seen: Vec<ServerAddress> = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let path = if field == "server" {
            String::new()
        } else {
            format!("{field}[{i}].")
        };
        match server.server.as_deref().map(ServerAddress::parse) {
            None => out.push(Violation::coded(
                format!("{path}server"),
                65536876,
                "Give the key server's address (host[:port]).",
            )),
            Some(Err(e)) => out.push(Violation::new(
                format!("{path}server"),
                format!("Invalid key server address: {e}."),
            )),
            Some(Ok(address)) => {
                if seen
                    .iter()
                    .chain(known.iter())
                    .any(|a| a.same_server(&address))
                {
                    out.push(Violation::coded(
                        format!("{path}server"),
                        65536871,
                        format!("{address} is listed more than once (the port defaults to 5696)."),
                    ));
                } else {
                    seen.push(address);
                }
            }
        }
        check_server_settings(server, &path, out);
    }
    let total = existing.len() + servers.len();
    if total > MAX_KEY_SERVERS {
        out.push(Violation::coded(
            field,
            65536038,
            format!(
                "A key manager can have at most {MAX_KEY_SERVERS} key servers; this would make {total}."
            ),
        ));
    }
}

fn check_server_settings(server: &KeyServer, path: &str, out: &mut Violations) {
    if let Some(timeout) = &server.timeout {
        match timeout.as_i64() {
            Some(t) if TIMEOUT_SECONDS.contains(&t) => {}
            _ => out.push(Violation::new(
                format!("{path}timeout"),
                "The timeout must be a whole number of seconds from 1 to 60.",
            )),
        }
    }
    if let Some(secondaries) = &server.secondary_key_servers {
        if secondaries.len() > MAX_SECONDARY_SERVERS {
            out.push(Violation::new(
                format!("{path}secondary_key_servers"),
                format!(
                    "A key server can have at most {MAX_SECONDARY_SERVERS} secondary key servers."
                ),
            ));
        }
        for (j, secondary) in secondaries.iter().enumerate() {
            if let Err(e) = ServerAddress::parse(secondary) {
                out.push(Violation::new(
                    format!("{path}secondary_key_servers[{j}]"),
                    format!("Invalid secondary key server address: {e}."),
                ));
            }
        }
    }
    if server.password.is_some() && server.username.as_deref().is_none_or(str::is_empty) {
        out.push(Violation::new(
            format!("{path}username"),
            "A key server password needs a username.",
        ));
    }
}

/// How hard a passphrase is to guess, as the console shows it next to the field. Not an ONTAP
/// rule (ONTAP checks only length and ASCII): an estimate from length and character classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Fewer than 32 ASCII characters, or not ASCII: ONTAP refuses it.
    Refused,
    /// Long enough for ONTAP, but built from few kinds of characters or repeated ones.
    Weak,
    Fair,
    Strong,
}

impl Strength {
    /// A word for the level.
    pub fn label(self) -> &'static str {
        match self {
            Strength::Refused => "too short or not ASCII",
            Strength::Weak => "weak",
            Strength::Fair => "fair",
            Strength::Strong => "strong",
        }
    }
}

/// Estimates a passphrase's strength: bits = distinct-character-weighted length × log2 of the
/// character classes' size (lower, upper, digits, symbols and space).
pub fn passphrase_strength(passphrase: &Secret) -> Strength {
    if passphrase_problem(passphrase).is_some() {
        return Strength::Refused;
    }
    let text = passphrase.expose();
    let bytes = text.as_bytes();
    let mut pool = 0u32;
    if bytes.iter().any(u8::is_ascii_lowercase) {
        pool += 26;
    }
    if bytes.iter().any(u8::is_ascii_uppercase) {
        pool += 26;
    }
    if bytes.iter().any(u8::is_ascii_digit) {
        pool += 10;
    }
    if bytes.iter().any(|b| !b.is_ascii_alphanumeric()) {
        pool += 33;
    }
    let mut distinct: Vec<u8> = bytes.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    // Repetition counts for little: weigh the length by how varied the characters are.
    let effective = (bytes.len() as f64).min(distinct.len() as f64 * 4.0);
    let bits = effective * f64::from(pool.max(1)).log2();
    if bits < 100.0 {
        Strength::Weak
    } else if bits < 160.0 {
        Strength::Fair
    } else {
        Strength::Strong
    }
}
