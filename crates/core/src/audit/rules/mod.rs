//! The rules, one module per area. Each pushes its findings; [`check`] returns them in the
//! catalog's rule order, each rule's findings in the snapshot's order.

mod certificates;
mod key_managers;
mod settings;

use jiff::Timestamp;

use super::{catalog, Finding, Snapshot};

/// Every finding of every rule.
pub(super) fn check(snapshot: &Snapshot, now: Timestamp) -> Vec<Finding> {
    let mut out = Vec::new();
    let certs = certificates::check(snapshot, now, &mut out);
    key_managers::check(snapshot, &mut out);
    settings::check(snapshot, &certs, &mut out);
    // Stable, and each finding's catalog position is looked up once (not on every comparison):
    // findings of one rule keep the snapshot's order.
    out.sort_by_cached_key(|f| catalog::position(&f.rule));
    out
}

/// What the certificate rules learnt that the FIPS rule needs: which rules have a weak
/// certificate in use (FIPS mode refuses to start while one is, 52559974).
#[derive(Debug, Default)]
pub(super) struct CertificateFacts {
    pub weak_in_use: Vec<&'static str>,
}
