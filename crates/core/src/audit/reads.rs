//! The reads an audit needs, so that the console and the command line fetch exactly the same
//! things. Collections page: follow `_links.next` with [`crate::Request::follow`] until absent.

use serde::Serialize;

use crate::query::Query;
use crate::request::Request;
use crate::{certificates, cluster, ipsec, key_managers, security};

/// The `GET`s that fill a [`super::Snapshot`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reads {
    /// `GET /api/cluster` (name, version).
    pub cluster: Request,
    /// `GET /api/security` (every field the settings rules read).
    pub security: Request,
    /// `GET /api/security/ipsec`; a release before 9.8 has none: `Snapshot::ipsec` is `None`.
    pub ipsec: Request,
    /// `GET /api/security/key-managers` with the expensive `status` and key-server
    /// `connectivity` fields, which the availability and missing-keys rules need.
    pub key_managers: Request,
    /// `GET /api/security/certificates` with the list fields (key size, hash, expiry, issuer),
    /// which are all the rules need: no `public_certificate` (10,000 PEMs are megabytes to
    /// download and an X.509 parser in the console to decode).
    pub certificates: Request,
}

/// Certificates per page: each answer stays bounded (a few hundred KB of list fields) and a
/// cluster with 10,000 certificates is read in ten pages.
pub const CERTIFICATE_PAGE: u32 = 1000;

/// The reads of an audit.
pub fn reads() -> Reads {
    Reads {
        cluster: cluster::get_cluster(),
        security: security::get(&Query::new().fields([
            "fips",
            "tls",
            "management_protocols",
            "software_data_encryption",
            "onboard_key_manager_configurable_status",
        ])),
        ipsec: ipsec::get(&Query::new().fields(["enabled"])),
        key_managers: key_managers::list(&Query::new().fields(key_manager_fields())),
        certificates: certificates::list(
            &Query::new()
                .fields(certificates::LIST_FIELDS.iter().copied())
                .max_records(CERTIFICATE_PAGE),
        ),
    }
}

/// Every key-manager field but `volume_encryption` (no rule reads it), with the key servers'
/// expensive `connectivity` beside the expensive `status`.
fn key_manager_fields() -> impl Iterator<Item = &'static str> {
    key_managers::FIELDS
        .iter()
        .copied()
        .filter(|field| *field != "volume_encryption")
        .flat_map(|field| {
            let connectivity = (field == "status").then_some("external.servers.connectivity");
            std::iter::once(field).chain(connectivity)
        })
}
