//! `/api/security/certificates` (list, get, create, install, Azure download, delete), `/sign`,
//! and `/api/security/certificate-signing-request`, over real X.509.

use std::sync::Arc;

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ontap_core::certificates::{
    self as core_certs, expiry::Expiry, post_kind, Certificate, CertificateType, CsrRequest,
    CsrResponse, PostKind, SignRequest, SignResponse,
};
use ontap_core::envelope::Scope;
use ontap_core::{Links, Secret};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::app::Simulator;
use crate::collection::{self, FieldSpec, ListParams};
use crate::error::{reject_unknown, JsonBody, PathParam, SimError};
use crate::jobs::{self, now_seconds, to_value};
use crate::pki::{self, Issued, PkiError, Subject};
use crate::routes::cluster::{resolve_svm, State as ClusterInfo, SvmEntry};
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

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(now_seconds() as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn pki_error(e: PkiError) -> SimError {
    match e {
        PkiError::BadCsr => SimError::documented(52559975).with_target("signing_request"),
        PkiError::Unsupported(what) => SimError::new(
            StatusCode::BAD_REQUEST,
            3735553,
            format!("{what}: not available in the simulated cluster."),
        ),
        PkiError::Generation => SimError::documented(3735553),
    }
}

/// Builds the record ONTAP shows for a PEM: every derived field from the certificate itself.
pub(crate) fn record_from_pem(
    pem: &str,
    ty: CertificateType,
    svm: Option<&SvmEntry>,
    name: Option<String>,
    intermediates: Option<Vec<String>>,
) -> Result<Certificate, SimError> {
    let info = ontap_core::x509::inspect_certificate(pem)
        .map_err(|_| SimError::documented(52559975).with_target("public_certificate"))?;
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
        expiry_time: Some(info.not_after.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        public_certificate: Some(pem.to_owned()),
        intermediate_certificates: intermediates,
        subject_alternatives: sans,
        authority_key_identifier: info.authority_key_identifier.clone(),
        subject_key_identifier: info.subject_key_identifier.clone(),
        links: Some(Links::to_self(format!("/api/security/certificates/{uuid}"))),
        ..Certificate::default()
    })
}

fn subject_for(cert: &Certificate, is_ca: bool, not_before: i64, not_after: i64) -> Subject {
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

fn end_of(expiry: Option<&str>, start: jiff::Timestamp) -> Result<i64, SimError> {
    let text = expiry.unwrap_or("P365DT");
    Expiry::parse(text)
        .and_then(|e| e.check_range(start))
        .map(|t| t.as_second())
        .map_err(|_| SimError::documented(3735701).with_target("expiry_time"))
}

/// Creates (self-signed or root CA) or installs a certificate; returns what to store.
fn make(cert: &Certificate, svm: Option<&SvmEntry>) -> Result<Stored, SimError> {
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
            let hash = cert.hash_function.as_deref().unwrap_or("sha256");
            let key = pki::rsa_key(cert.key_size.unwrap_or(2048), hash).map_err(pki_error)?;
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

const ALL_FIELDS: &[&str] = &[
    "uuid",
    "name",
    "type",
    "scope",
    "svm",
    "common_name",
    "ca",
    "serial_number",
    "hash_function",
    "key_size",
    "expiry_time",
    "public_certificate",
    "intermediate_certificates",
    "subject_alternatives",
    "authority_key_identifier",
    "subject_key_identifier",
    "azure",
];
const LIST_SPEC: FieldSpec = FieldSpec {
    default: &["name", "svm"],
    expensive: &[],
};
const ONE_SPEC: FieldSpec = FieldSpec {
    default: ALL_FIELDS,
    expensive: &[],
};

async fn list(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), ALL_FIELDS)?;
    // The PEMs are most of a record's size: leave them out unless the answer needs them, so
    // that paging through thousands of certificates stays quick.
    let pems = params.mentions("public_certificate");
    let chains = params.mentions("intermediate_certificates");
    let value = |c: &Stored| -> Arc<Value> {
        if !pems && !chains {
            return c.listed();
        }
        let mut value = (*c.listed()).clone();
        if let Value::Object(map) = &mut value {
            if let (true, Some(pem)) = (pems, &c.record.public_certificate) {
                map.insert("public_certificate".into(), to_value(pem));
            }
            if let (true, Some(chain)) = (chains, &c.record.intermediate_certificates) {
                map.insert("intermediate_certificates".into(), to_value(chain));
            }
        }
        Arc::new(value)
    };
    const BASE: &str = "/api/security/certificates";
    // Without filter or order only the page's records are serialized.
    if params.is_plain() {
        let (total, page) = sim.read(|s| {
            let all = &s.certificates.certificates;
            let (start, end) = params.window(all.len());
            (all.len(), all[start..end].iter().map(value).collect())
        });
        return Ok(collection::page(BASE, page, total, &params, &LIST_SPEC));
    }
    let records: Vec<Arc<Value>> =
        sim.read(|s| s.certificates.certificates.iter().map(value).collect());
    Ok(collection::list(BASE, records, &params, &LIST_SPEC))
}

async fn get_one(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), ALL_FIELDS)?;
    let record = sim
        .read(|s| s.certificates.by_uuid(&uuid).map(|c| to_value(&c.record)))
        .ok_or_else(|| SimError::not_found("uuid"))?;
    Ok(collection::one(&record, &params, &ONE_SPEC))
}

fn reject_unknown_fields(cert: &Certificate) -> Result<(), SimError> {
    reject_unknown(&cert.extra, "")?;
    if let Some(a) = &cert.azure {
        reject_unknown(&a.extra, "azure")?;
    }
    if let Some(s) = &cert.subject_alternatives {
        reject_unknown(&s.extra, "subject_alternatives")?;
    }
    Ok(())
}

async fn create(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
    JsonBody(cert): JsonBody<Certificate>,
) -> Result<Response, SimError> {
    let params = ListParams::parse(query.as_deref(), &[])?;
    reject_unknown_fields(&cert)?;
    core_certs::validate_post(&cert, now())?;
    let svm = sim.read(|s| resolve_svm(s, cert.svm.as_ref()))?;
    if post_kind(&cert) == PostKind::AzureDownload {
        // The simulated cluster has no way out to Azure: the download job fails as ONTAP's does
        // when Azure cannot be reached.
        let work = Box::new(|_: &mut ClusterState| Err(SimError::documented(3735755)));
        return Ok(jobs::run(
            &sim,
            "POST /api/security/certificates",
            work,
            params.return_timeout,
        )
        .await);
    }
    // Key generation takes a moment: do it outside the lock.
    let stored = tokio::task::spawn_blocking({
        let cert = cert.clone();
        let svm = svm.clone();
        move || make(&cert, svm.as_ref())
    })
    .await
    .map_err(|_| SimError::documented(3735553))??;
    let record = stored.record.clone();
    sim.write(|s| {
        let taken = s.certificates.certificates.iter().any(|c| {
            c.record.name == record.name
                && c.record.svm.as_ref().and_then(|x| x.uuid.clone())
                    == svm.as_ref().map(|x| x.uuid.clone())
        });
        if taken {
            return Err(SimError::new(
                StatusCode::CONFLICT,
                3735646,
                "A certificate with this name already exists in this scope.",
            )
            .with_target("name"));
        }
        s.certificates.certificates.push(stored);
        Ok(())
    })?;
    let body = if params.return_records()
        && query
            .as_deref()
            .is_some_and(|q| q.contains("return_records=true"))
    {
        json!({"num_records": 1, "records": [to_value(&record)]})
    } else {
        json!({})
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = format!(
        "/api/security/certificates/{}",
        record.uuid.unwrap_or_default()
    )
    .parse()
    {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    Ok(response)
}

async fn delete(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
) -> Result<Response, SimError> {
    sim.write(|s| {
        if s.certificates.by_uuid(&uuid).is_none() {
            return Err(SimError::not_found("uuid"));
        }
        if key_managers::uses_certificate(s, &uuid).is_some() {
            return Err(SimError::documented(3735683).with_target("uuid"));
        }
        s.certificates
            .certificates
            .retain(|c| c.record.uuid.as_deref() != Some(uuid.as_str()));
        Ok(())
    })?;
    Ok(Json(json!({})).into_response())
}

async fn sign(
    AxumState(sim): AxumState<Simulator>,
    PathParam(ca_uuid): PathParam<String>,
    JsonBody(request): JsonBody<SignRequest>,
) -> Result<Response, SimError> {
    reject_unknown(&request.extra, "")?;
    let start = now();
    core_certs::validate_sign(&request, start)?;
    let ca = sim
        .read(|s| s.certificates.by_uuid(&ca_uuid).cloned())
        .ok_or_else(|| SimError::not_found("ca.uuid"))?;
    let (Some(CertificateType::RootCa), Some(ca_key), Some(ca_pem)) = (
        ca.record.type_.clone(),
        ca.private_key.clone(),
        ca.record.public_certificate.clone(),
    ) else {
        return Err(SimError::documented(3735628).with_target("ca.uuid"));
    };
    // The rules that need the CA's record (its common name, its expiry) are core's.
    core_certs::validate_sign_with_ca(&request, &ca.record, start)?;
    let csr_pem = request.signing_request.clone().unwrap_or_default();
    let not_after = end_of(request.expiry_time.as_deref(), start)?;
    let hash = request
        .hash_function
        .clone()
        .unwrap_or_else(|| core_certs::DEFAULT_HASH_FUNCTION.to_owned());
    let pem = tokio::task::spawn_blocking(move || {
        let key = pki::load_key(&ca_key, &hash)?;
        pki::sign_csr(&csr_pem, &ca_pem, &key, start.as_second() - 60, not_after)
    })
    .await
    .map_err(|_| SimError::documented(3735626))?
    .map_err(pki_error)?;
    Ok(Json(SignResponse {
        public_certificate: Some(pem),
        ..SignResponse::default()
    })
    .into_response())
}

async fn csr(JsonBody(request): JsonBody<CsrRequest>) -> Result<Response, SimError> {
    reject_unknown(&request.extra, "")?;
    core_certs::validate_csr(&request)?;
    let sans = request.subject_alternatives.clone().unwrap_or_default();
    let (csr, key) = tokio::task::spawn_blocking(move || {
        pki::generate_csr(
            request.subject_name.as_deref().unwrap_or_default(),
            &sans.dns.unwrap_or_default(),
            &sans
                .ip
                .unwrap_or_default()
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect::<Vec<_>>(),
            request.algorithm.as_deref().unwrap_or("rsa"),
            request
                .security_strength
                .as_ref()
                .and_then(|s| s.as_i64())
                .unwrap_or(112),
            request.hash_function.as_deref().unwrap_or("sha256"),
        )
    })
    .await
    .map_err(|_| SimError::documented(3735553))?
    .map_err(pki_error)?;
    Ok(Json(CsrResponse {
        csr: Some(csr),
        generated_private_key: Some(Secret::new(key)),
        ..CsrResponse::default()
    })
    .into_response())
}

/// The certificate endpoints.
pub fn routes() -> Router<Simulator> {
    Router::new()
        .route("/api/security/certificates", get(list).post(create))
        .route(
            "/api/security/certificates/{uuid}",
            get(get_one).delete(delete),
        )
        .route("/api/security/certificates/{uuid}/sign", post(sign))
        .route("/api/security/certificate-signing-request", post(csr))
}

/// The demo's certificates: a realistic mix, including expired, expiring, self-signed and weak
/// ones, and the KMIP client and CA certificates the demo key manager on `vs0` uses.
pub fn seed_demo(state: &mut ClusterState) -> Result<(), String> {
    let fail = |e: PkiError| e.to_string();
    let now = now_seconds() as i64;
    let day = 86_400;
    let strong = pki::rsa_key(2048, "sha256").map_err(fail)?;
    let vs0 = state.cluster.svms.first().cloned();
    let vs1 = state.cluster.svms.get(1).cloned();
    let subject = |cn: &str, from: i64, to: i64, is_ca: bool| Subject {
        common_name: cn.to_owned(),
        dns: if is_ca { vec![] } else { vec![cn.to_owned()] },
        ips: vec![],
        not_before: now + from * day,
        not_after: now + to * day,
        is_ca,
    };
    let cluster_name = state.cluster.name.clone();
    let root = pki::self_signed(
        &subject(&format!("{cluster_name}-root-ca"), -400, 3000, true),
        &strong,
    )
    .map_err(fail)?;
    let mut add = |issued: &Issued,
                   ty: CertificateType,
                   svm: Option<&SvmEntry>,
                   name: &str,
                   with_key: bool|
     -> Result<(), String> {
        let record = record_from_pem(&issued.certificate, ty, svm, Some(name.to_owned()), None)
            .map_err(|e| e.error.message.unwrap_or_default())?;
        state.certificates.certificates.push(Stored {
            record,
            private_key: with_key.then(|| issued.key.clone()),
            listed: Listed::default(),
        });
        Ok(())
    };
    add(
        &root,
        CertificateType::RootCa,
        None,
        &format!("{cluster_name}-root-ca"),
        true,
    )?;
    let server = pki::issue(
        &subject(&format!("{cluster_name}.example.com"), -200, 165, false),
        &strong,
        &root.certificate,
        &strong,
    )
    .map_err(fail)?;
    add(
        &server,
        CertificateType::Server,
        None,
        &format!("{cluster_name}.example.com"),
        true,
    )?;
    for (cn, from, to) in [
        ("Example Global Root G2", -2000, 3000),
        ("Example TLS RSA CA 2024", -700, 1500),
        ("Corp Issuing CA 3", -300, 1000),
    ] {
        let ca = pki::self_signed(&subject(cn, from, to, true), &strong).map_err(fail)?;
        add(&ca, CertificateType::ServerCa, None, cn, false)?;
    }
    let expired =
        pki::self_signed(&subject("Legacy Partner CA", -800, -30, true), &strong).map_err(fail)?;
    add(
        &expired,
        CertificateType::ServerCa,
        None,
        "Legacy Partner CA",
        false,
    )?;
    let client = pki::self_signed(
        &subject(&format!("{cluster_name}-client"), -10, 355, false),
        &strong,
    )
    .map_err(fail)?;
    add(
        &client,
        CertificateType::Client,
        None,
        &format!("{cluster_name}-client"),
        true,
    )?;
    // Valid 75 more days: inside the audit's 90-day warning and far from its edge, so what the
    // audit finds does not depend on the seconds between seeding and reading.
    let old = pki::issue_weak_rsa(
        &subject("old-mgmt.example.com", -1000, 75, false),
        1024,
        &root.certificate,
        &strong,
    )
    .map_err(fail)?;
    add(
        &old,
        CertificateType::Server,
        None,
        "old-mgmt.example.com",
        true,
    )?;
    let legacy = pki::self_signed_sha1(&subject("legacy-app.example.com", -1500, 200, false), 2048)
        .map_err(fail)?;
    add(
        &legacy,
        CertificateType::Server,
        None,
        "legacy-app.example.com",
        true,
    )?;
    if let Some(vs0) = vs0.as_ref() {
        let kmip_ca = pki::self_signed(&subject("KMIP Server CA", -100, 2000, true), &strong)
            .map_err(fail)?;
        add(
            &kmip_ca,
            CertificateType::ServerCa,
            Some(vs0),
            "vs0-kmip-ca",
            false,
        )?;
        let kmip_client = pki::self_signed(&subject("vs0-kmip-client", -100, 600, false), &strong)
            .map_err(fail)?;
        add(
            &kmip_client,
            CertificateType::Client,
            Some(vs0),
            "vs0-kmip-client",
            true,
        )?;
        let vs0_server = pki::issue(
            &subject("vs0.example.com", -30, 335, false),
            &strong,
            &root.certificate,
            &strong,
        )
        .map_err(fail)?;
        add(
            &vs0_server,
            CertificateType::Server,
            Some(vs0),
            "vs0.example.com",
            true,
        )?;
    }
    if let Some(vs1) = vs1.as_ref() {
        let expiring = pki::issue(
            &subject("vs1.example.com", -353, 12, false),
            &strong,
            &root.certificate,
            &strong,
        )
        .map_err(fail)?;
        add(
            &expiring,
            CertificateType::Server,
            Some(vs1),
            "vs1.example.com",
            true,
        )?;
    }
    Ok(())
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
