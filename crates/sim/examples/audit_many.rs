//! Times `ontap_core::audit::audit` natively on the simulator's `many` scenario (10,013
//! certificates: the demo's and 10,000 generated ones with a mix of types, scopes, issuers and
//! expiries), taken from the scenario itself so the figure follows what the console audits.
//! The browser budget is measured by `cargo xtask bench`; this is the quick native figure to
//! work against (wasm runs about 1.5-2x slower). Prints figures; asserts nothing.
//!
//! `cargo run --release -p ontap-sim --example audit_many`

use std::time::Instant;

use jiff::Timestamp;
use ontap_core::audit::{audit, Snapshot};
use ontap_sim::{Scenario, SimConfig, Simulator};

fn main() {
    let sim = Simulator::new(SimConfig {
        scenario: Scenario::Many,
        ..SimConfig::new("admin", "timing-password")
    })
    .expect("the many scenario builds");
    let snapshot = Snapshot {
        certificates: sim.read(|s| {
            s.certificates
                .certificates
                .iter()
                .map(|c| c.record.clone())
                .collect()
        }),
        ..Snapshot::default()
    };
    let now = Timestamp::now();
    let report = audit(&snapshot, now);
    let runs = 20;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let report = audit(&snapshot, now);
            std::hint::black_box(&report);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{} certificates, {} findings: audit median {:.2} ms, min {:.2} ms",
        snapshot.certificates.len(),
        report.findings.len(),
        times[runs / 2],
        times[0]
    );
}
