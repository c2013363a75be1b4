//! The cluster's certificates as it keeps them, and the rules that make one: a record derived
//! from real X.509, created or installed, never changed in place.

use std::sync::Arc;

use axum::http::StatusCode;
use ontap_core::certificates::{
    self as core_certs, expiry::Expiry, post_kind, Certificate, CertificateType, PostKind,
};
use ontap_core::envelope::Scope;
use ontap_core::Links;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{codes, SimError};
use crate::jobs::{now_seconds, to_value};
use crate::pki::{self, Issued, PkiError, Subject};
use crate::routes::cluster::{State as ClusterInfo, SvmEntry};
use crate::routes::key_managers;
use crate::state::ClusterState;

/// A certificate as the cluster keeps it: the record it shows, and the private key it never shows.
/// A stored record is never changed in place (certificates are created and deleted, not
/// modified): its listing form is cached on first use.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub record: Certificate,
    pub private_key: Option<String>,
    #[serde(skip)]
    pub listed: Listed,
}

/// The record as JSON without its PEMs (most of its size), built once: listing thousands of
/// certificates then neither clones nor serializes them again.
#[derive(Debug, Clone, Default)]
pub struct Listed(std::sync::OnceLock<Arc<Value>>);

impl Stored {
    /// The record as a collection GET lists it when no PEM is asked for.
    pub fn listed(&self) -> Arc<Value> {
        self.listed
            .0
            .get_or_init(|| {
                let mut value = to_value(&self.record);
                if let Value::Object(map) = &mut value {
                    map.shift_remove("public_certificate");
                    map.shift_remove("intermediate_certificates");
                }
                Arc::new(value)
            })
            .clone()
    }
}

/// The cluster's certificates.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub certificates: Vec<Stored>,
}

impl State {
    /// The certificate with this UUID.
    pub fn by_uuid(&self, uuid: &str) -> Option<&Stored> {
        self.certificates
            .iter()
            .find(|c| c.record.uuid.as_deref() == Some(uuid))
    }

    /// A certificate in a scope (`svm_uuid` `None` for the cluster) by UUID or name, of a type.
    pub fn find_in_scope(
        &self,
        svm_uuid: Option<&str>,
        uuid: Option<&str>,
        name: Option<&str>,
        ty: &CertificateType,
    ) -> Option<&Stored> {
        self.certificates.iter().find(|c| {
            let r = &c.record;
            let same_scope = r.svm.as_ref().and_then(|s| s.uuid.as_deref()) == svm_uuid;
            let same_id = match (uuid, name) {
                (Some(u), _) => r.uuid.as_deref() == Some(u),
                (None, Some(n)) => r.name.as_deref() == Some(n),
                (None, None) => false,
            };
            same_scope && same_id && r.type_.as_ref() == Some(ty)
        })
    }
}

/// Names of certificates in use (server and client certificates, and any a key manager uses)
/// that FIPS mode refuses (52559974): RSA under 2048 bits, MD5 or SHA-1 signatures.
pub fn fips_blockers(state: &ClusterState) -> Vec<String> {
    let managers = key_managers::records(state);
    state
        .certificates
        .certificates
        .iter()
        // The rule lives in core, applied to what each certificate says.
        .filter(|c| !core_certs::listing::fips_blockers(&c.record, &managers).is_empty())
        .map(|c| c.record.name.clone().unwrap_or_default())
        .collect()
}

pub(super) fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(now_seconds() as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

pub(super) fn pki_error(e: PkiError) -> SimError {
    match e {
        PkiError::BadCsr => {
            SimError::documented(codes::CERTIFICATE_MALFORMED).with_target("signing_request")
        }
        PkiError::Unsupported(what) => SimError::new(
            StatusCode::BAD_REQUEST,
            codes::CERTIFICATE_CREATE_FAILED,
            format!("{what}: not available in the simulated cluster."),
        ),
        PkiError::Generation => SimError::documented(codes::CERTIFICATE_CREATE_FAILED),
    }
}

/// Builds the record ONTAP shows for a PEM: every derived field from the certificate itself.
pub fn record_from_pem(
    pem: &str,
    ty: CertificateType,
    svm: Option<&SvmEntry>,
    name: Option<String>,
    intermediates: Option<Vec<String>>,
) -> Result<Certificate, SimError> {
    let info = ontap_core::x509::inspect_certificate(pem).map_err(|_| {
        SimError::documented(codes::CERTIFICATE_MALFORMED).with_target("public_certificate")
    })?;
    let uuid = uuid::Uuid::new_v4().to_string();
    let issuer_cn = info
        .issuer
        .split(',')
        .find_map(|p| p.trim().strip_prefix("CN="))
        .map(str::to_owned);
    let common_name = info.common_name.clone().unwrap_or_default();
    let sans = (!info.subject_alternatives.is_empty()).then(|| info.subject_alternatives.clone());
    Ok(Certificate {
        uuid: Some(uuid.clone()),
        name: Some(name.unwrap_or_else(|| {
            format!(
                "{}_{}",
                common_name,
                &info.serial_number[..info.serial_number.len().min(16)]
            )
        })),
        type_: Some(ty),
        scope: Some(if svm.is_some() {
            Scope::Svm
        } else {
            Scope::Cluster
        }),
        svm: svm.map(ClusterInfo::svm_ref),
        common_name: Some(common_name),
        ca: issuer_cn,
        serial_number: Some(info.serial_number.clone()),
        hash_function: info.hash_function.clone(),
        key_size: Some(info.key_size),
        expiry_time: Some(core_certs::expiry::format_timestamp(info.not_after)),
        public_certificate: Some(pem.to_owned()),
        intermediate_certificates: intermediates,
        subject_alternatives: sans,
        authority_key_identifier: info.authority_key_identifier.clone(),
        subject_key_identifier: info.subject_key_identifier.clone(),
        links: Some(Links::to_self(format!("/api/security/certificates/{uuid}"))),
        ..Certificate::default()
    })
}

pub(super) fn subject_for(
    cert: &Certificate,
    is_ca: bool,
    not_before: i64,
    not_after: i64,
) -> Subject {
    let cn = cert.common_name.clone().unwrap_or_default();
    let sans = cert.subject_alternatives.clone().unwrap_or_default();
    let mut dns = sans.dns.unwrap_or_default();
    if dns.is_empty() && !is_ca {
        dns.push(cn.clone());
    }
    Subject {
        common_name: cn,
        dns,
        ips: sans
            .ip
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
        not_before,
        not_after,
        is_ca,
    }
}

pub(super) fn end_of(expiry: Option<&str>, start: jiff::Timestamp) -> Result<i64, SimError> {
    let text = expiry.unwrap_or(core_certs::DEFAULT_EXPIRY);
    Expiry::parse(text)
        .and_then(|e| e.check_range(start))
        .map(|t| t.as_second())
        .map_err(|_| SimError::documented(codes::EXPIRY_OUT_OF_RANGE).with_target("expiry_time"))
}

/// Creates (self-signed or root CA) or installs a certificate; returns what to store.
pub(super) fn make(cert: &Certificate, svm: Option<&SvmEntry>) -> Result<Stored, SimError> {
    let ty = cert.type_.clone().unwrap_or(CertificateType::Server);
    match post_kind(cert) {
        PostKind::Install => {
            let pem = cert.public_certificate.as_deref().unwrap_or_default();
            let record = record_from_pem(
                pem,
                ty,
                svm,
                cert.name.clone(),
                cert.intermediate_certificates.clone(),
            )?;
            Ok(Stored {
                record,
                private_key: cert.private_key.as_ref().map(|k| k.expose().to_owned()),
                listed: Listed::default(),
            })
        }
        _ => {
            let start = now();
            let not_after = end_of(cert.expiry_time.as_deref(), start)?;
            let hash = cert
                .hash_function
                .as_deref()
                .unwrap_or(core_certs::DEFAULT_HASH_FUNCTION);
            let key = pki::rsa_key(cert.key_size.unwrap_or(core_certs::DEFAULT_KEY_SIZE), hash)
                .map_err(pki_error)?;
            let is_ca = ty == CertificateType::RootCa;
            let Issued { certificate, key } = pki::self_signed(
                &subject_for(cert, is_ca, start.as_second() - 60, not_after),
                &key,
            )
            .map_err(pki_error)?;
            let record = record_from_pem(&certificate, ty, svm, cert.name.clone(), None)?;
            Ok(Stored {
                record,
                private_key: Some(key),
                listed: Listed::default(),
            })
        }
    }
}

/// The reference to a certificate as key managers embed it.
pub fn reference(stored: &Stored) -> ontap_core::key_managers::CertificateRef {
    let uuid = stored.record.uuid.clone().unwrap_or_default();
    ontap_core::key_managers::CertificateRef {
        uuid: Some(uuid.clone()),
        name: stored.record.name.clone(),
        links: Some(Links::to_self(format!("/api/security/certificates/{uuid}"))),
        ..Default::default()
    }
}
