//! Times `audit::audit` natively on a snapshot shaped like the simulator's `many` scenario
//! (10,013 certificates: the demo's kinds plus 10,000 generated ones with the same mix of types,
//! scopes, issuers and expiries). The browser budget is measured by `cargo xtask bench`; this
//! is the quick native figure to work against (wasm runs about 1.5-2x slower).
//!
//! `cargo run --release -p ontap-core --example audit_many`

use std::time::Instant;

use jiff::Timestamp;
use ontap_core::audit::{audit, Snapshot};
use ontap_core::certificates::expiry::format_timestamp;
use ontap_core::certificates::{Certificate, CertificateType};
use ontap_core::envelope::SvmRef;

/// SplitMix64, as the simulator's `many` scenario.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn certificate(i: u64, now: i64) -> Certificate {
    let day = 86_400;
    let r = mix(i);
    let (ty, cn, is_ca) = match r % 100 {
        0..40 => (
            CertificateType::Server,
            format!("app{i:05}.example.com"),
            false,
        ),
        40..55 => (
            CertificateType::Client,
            format!("client{i:05}.example.com"),
            false,
        ),
        55..85 => (
            CertificateType::ServerCa,
            format!("Partner CA {i:05}"),
            true,
        ),
        85..95 => (
            CertificateType::ClientCa,
            format!("Client Issuing CA {i:05}"),
            true,
        ),
        _ => (CertificateType::RootCa, format!("local-root-{i:05}"), true),
    };
    let svm = match (r >> 8) % 10 {
        0..6 => None,
        n => Some(SvmRef {
            name: Some(format!("vs{}", n % 2)),
            ..SvmRef::default()
        }),
    };
    let expires_in = ((r >> 16) % 1290) as i64 - 90;
    let self_signed = is_ca || (r >> 40) % 4 == 0;
    let expiry = Timestamp::from_second(now + expires_in * day).unwrap();
    // A few weak ones, as the demo has: a 1024-bit RSA key and a SHA-1 signature.
    let (key_size, hash) = match i {
        1 => (1024, "sha256"),
        2 => (2048, "sha1"),
        _ => (256, "sha256"),
    };
    Certificate {
        uuid: Some(format!("{:016x}-{i:05}", r)),
        name: Some(cn.clone()),
        type_: Some(ty),
        svm,
        ca: Some(if self_signed {
            cn.clone()
        } else {
            "cluster1-issuing-ca".to_owned()
        }),
        common_name: Some(cn),
        serial_number: Some(format!("{:X}", 1000 + i)),
        hash_function: Some(hash.to_owned()),
        key_size: Some(key_size),
        expiry_time: Some(format_timestamp(expiry)),
        ..Certificate::default()
    }
}

fn main() {
    let now = Timestamp::from_second(1_796_000_000).unwrap();
    let snapshot = Snapshot {
        certificates: (0..10_013)
            .map(|i| certificate(i, now.as_second()))
            .collect(),
        ..Snapshot::default()
    };
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
