//! Settings as code: a cluster's security settings as a desired-state file, compared with the
//! cluster and turned into validated requests. Used by `ontap-console get --as-file`, `plan`
//! and `apply`; pure, like the rest of core, so any tool can plan from the same file.
//!
//! - [`model`]: the file ([`SettingsFile`]), its keys mirroring ONTAP's bodies, and its JSON
//!   Schema ([`json_schema`]).
//! - [`diff`]: the cluster as a file ([`from_cluster`]) and the settings that differ ([`diff`]).
//! - [`plan`]: validation with ONTAP's codes keyed by the file's key, lowering sentences, and
//!   the ordered requests ([`plan()`]).

pub mod diff;
mod export;
pub mod managed;
pub mod model;
pub mod objects;
pub mod plan;

pub use diff::{diff, from_cluster, Change, Current};
pub use managed::*;
pub use model::*;
pub use plan::{plan, plan_with, FileViolation, Plan, Step};

use crate::query::Query;
use crate::request::Request;

/// The reads a plan needs (the answers fill a [`Current`]).
#[derive(Debug, Clone)]
pub struct Reads {
    /// `/api/cluster`: the release, for the rules that depend on it.
    pub cluster: Request,
    pub security: Request,
    /// With `fields=*`, so the replay window and offload come back on the releases that have
    /// them and are not asked of those that do not.
    pub ipsec: Request,
    /// Key managers with the names of the certificates they use.
    pub key_managers: Request,
    /// Certificates with their PEM (to compare with the file's).
    pub certificates: Request,
}

/// What `plan` reads from each cluster.
pub fn reads() -> Reads {
    let audit = crate::audit::reads();
    Reads {
        cluster: audit.cluster,
        security: audit.security,
        ipsec: crate::ipsec::get(&Query::new().fields(["*"])),
        key_managers: crate::key_managers::list(
            &Query::new().fields(crate::key_managers::DETAIL_FIELDS.iter().copied()),
        ),
        certificates: crate::certificates::list(
            &Query::new().fields(
                crate::certificates::LIST_FIELDS
                    .iter()
                    .copied()
                    .chain(["public_certificate"]),
            ),
        ),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod objects_tests;
