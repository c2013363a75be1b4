//! The `many` scenario's certificates: the demo cluster plus [`COUNT`] generated certificates,
//! to see the console at scale. Each is real X.509 (ECDSA P-256 signatures, which are quick;
//! one key shared by all subjects, with explicit serial numbers) and its record is derived from
//! it like any other, so list, detail and PEM agree. Types, scopes, names and expiry dates come
//! from a fixed pseudo-random sequence: the same every start (relative to the day it starts).

use ontap_core::certificates::CertificateType;
use ontap_core::Links;

use crate::jobs::now_seconds;
use crate::pki::{self, PkiError, Subject};
use crate::routes::certificates::{record_from_pem, Stored};
use crate::state::ClusterState;

/// How many certificates the scenario adds to the demo's.
pub const COUNT: usize = 10_000;

/// SplitMix64: a fixed, well-mixed sequence from an index.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A UUID (version 4 layout) that depends only on the index.
fn uuid_for(i: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&mix(i ^ 0x6d61_6e79).to_be_bytes());
    bytes[8..].copy_from_slice(&mix(i.wrapping_add(1 << 40)).to_be_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Adds `count` generated certificates (the first is the local root CA that issues the
/// server and client certificates among them).
pub fn seed(state: &mut ClusterState, count: usize) -> Result<(), String> {
    let fail = |e: PkiError| e.to_string();
    let now = now_seconds() as i64;
    let day = 86_400;
    let key = pki::ec_key().map_err(fail)?;
    let key_pem = key.serialize_pem();
    let svms = state.cluster.svms.clone();
    let root_name = format!("{}-issuing-ca", state.cluster.name);
    let root_subject = Subject {
        common_name: root_name.clone(),
        dns: vec![],
        ips: vec![],
        not_before: now - 500 * day,
        not_after: now + 3000 * day,
        is_ca: true,
    };
    let root_pem = pki::numbered(&root_subject, 1, &key, None).map_err(fail)?;
    let signing_key = rcgen::KeyPair::from_pem(&key_pem).map_err(|_| fail(PkiError::Generation))?;
    let issuer = pki::issuer(&root_pem, signing_key).map_err(fail)?;
    let mut push = |i: u64, pem: &str, ty: CertificateType, svm: Option<usize>, name: String| {
        let entry = svm.and_then(|s| svms.get(s));
        let with_key = ty.has_private_key() || ty == CertificateType::RootCa;
        let mut record = record_from_pem(pem, ty, entry, Some(name), None)
            .map_err(|e| e.error.message.unwrap_or_default())?;
        let uuid = uuid_for(i);
        record.links = Some(Links::to_self(format!("/api/security/certificates/{uuid}")));
        record.uuid = Some(uuid);
        state.certificates.certificates.push(Stored {
            record,
            private_key: with_key.then(|| key_pem.clone()),
            listed: Default::default(),
        });
        Ok::<(), String>(())
    };
    push(0, &root_pem, CertificateType::RootCa, None, root_name)?;
    for i in 1..count as u64 {
        let r = mix(i);
        let (ty, common_name, is_ca) = match r % 100 {
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
            n => Some((n % 2) as usize).filter(|s| *s < svms.len()),
        };
        // Expiry from 90 days ago to about three years ahead; valid for one or two years.
        let expires_in = ((r >> 16) % 1290) as i64 - 90;
        let lifetime = if (r >> 32) % 2 == 0 { 365 } else { 730 };
        let subject = Subject {
            dns: if is_ca {
                vec![]
            } else {
                vec![common_name.clone()]
            },
            common_name: common_name.clone(),
            ips: vec![],
            not_before: now + (expires_in - lifetime) * day,
            not_after: now + expires_in * day,
            is_ca,
        };
        // CAs and a quarter of the others are self-signed; the rest come from the issuing CA.
        let signer = (!is_ca && (r >> 40) % 4 != 0).then_some(&issuer);
        let pem = pki::numbered(&subject, 1000 + i, &key, signer).map_err(fail)?;
        push(i, &pem, ty, svm, common_name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_records_are_consistent_and_unique() {
        let mut state = ClusterState::default();
        crate::routes::cluster::seed(&mut state, true);
        seed(&mut state, 200).unwrap();
        let certs = &state.certificates.certificates;
        assert_eq!(certs.len(), 200);
        let mut uuids: Vec<_> = certs.iter().map(|c| c.record.uuid.clone()).collect();
        uuids.sort();
        uuids.dedup();
        assert_eq!(uuids.len(), 200);
        let mut serials: Vec<_> = certs
            .iter()
            .map(|c| c.record.serial_number.clone())
            .collect();
        serials.sort();
        serials.dedup();
        assert_eq!(serials.len(), 200);
        for c in certs {
            let info = ontap_core::x509::inspect_certificate(
                c.record.public_certificate.as_deref().unwrap(),
            )
            .unwrap();
            assert_eq!(c.record.common_name, info.common_name);
            assert_eq!(
                c.record.serial_number.as_deref(),
                Some(info.serial_number.as_str())
            );
            let self_signed = c.record.ca == c.record.common_name;
            assert_eq!(self_signed, info.self_signed, "{:?}", c.record.name);
        }
        let types: std::collections::HashSet<_> =
            certs.iter().map(|c| c.record.type_.clone()).collect();
        assert_eq!(types.len(), 5);
        // The same sequence every time.
        assert_eq!(uuid_for(7), uuid_for(7));
        assert_ne!(uuid_for(7), uuid_for(8));
    }
}
