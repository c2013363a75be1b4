//! `/api/security/certificates` (list, get, create, install, Azure download, delete), `/sign`,
//! and `/api/security/certificate-signing-request`, over real X.509.
//! Thin handlers over [`store`] (the certificates as the cluster keeps them).

mod store;

use store::{end_of, make, now, pki_error};
pub use store::{fips_blockers, record_from_pem, reference, Listed, State, Stored};

use std::sync::Arc;

use axum::extract::{RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ontap_core::certificates::{
    self as core_certs, post_kind, Certificate, CertificateType, CsrRequest, CsrResponse, PostKind,
    SignRequest, SignResponse,
};
use ontap_core::Secret;
use serde_json::{json, Value};

use crate::app::Simulator;
use crate::collection::{Collection, FieldSpec, ListParams};
use crate::error::{codes, reject_unknown, JsonBody, PathParam, SimError};
use crate::jobs::{self, to_value};
use crate::pki::{self};
use crate::routes::cluster::resolve_svm;
use crate::routes::key_managers;
use crate::state::ClusterState;

/// `/api/security/certificates`: a list returns `name` and `svm` by default, one record all.
pub const CERTIFICATES: Collection = Collection {
    path: "/api/security/certificates",
    known: core_certs::RECORD_FIELDS,
    list: FieldSpec {
        default: &["name", "svm"],
        expensive: &[],
    },
    one: FieldSpec {
        default: core_certs::RECORD_FIELDS,
        expensive: &[],
    },
    hidden_unless_named: &[],
};

async fn list(
    AxumState(sim): AxumState<Simulator>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    CERTIFICATES.list(&sim, query.as_deref(), |s, params| {
        Ok(params.rows(&s.certificates.certificates, listed(params)))
    })
}

/// A certificate as listed. The PEMs are most of a record's size: they are left out unless
/// the answer needs them, so that paging through thousands of certificates stays quick.
fn listed(params: &ListParams) -> impl Fn(&Stored) -> Arc<Value> {
    let pems = params.mentions("public_certificate");
    let chains = params.mentions("intermediate_certificates");
    move |c: &Stored| -> Arc<Value> {
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
    }
}

async fn get_one(
    AxumState(sim): AxumState<Simulator>,
    PathParam(uuid): PathParam<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, SimError> {
    CERTIFICATES.get(&sim, query.as_deref(), |s| {
        s.certificates
            .by_uuid(&uuid)
            .map(|c| to_value(&c.record))
            .ok_or_else(|| SimError::not_found("uuid"))
    })
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
        let work =
            Box::new(|_: &mut ClusterState| Err(SimError::documented(codes::AZURE_CALL_FAILED)));
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
    .map_err(|_| SimError::documented(codes::CERTIFICATE_CREATE_FAILED))??;
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
                codes::CERTIFICATE_STORE_FAILED,
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
            return Err(
                SimError::documented(codes::CERTIFICATE_IN_USE_BY_KEY_MANAGER).with_target("uuid"),
            );
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
        return Err(SimError::documented(codes::CA_CANNOT_SIGN).with_target("ca.uuid"));
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
    .map_err(|_| SimError::documented(codes::SIGNING_FAILED))?
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
            request
                .algorithm
                .as_deref()
                .unwrap_or(core_certs::CSR_DEFAULT_ALGORITHM),
            request
                .security_strength
                .as_ref()
                .and_then(|s| s.as_i64())
                .unwrap_or(core_certs::CSR_DEFAULT_STRENGTH),
            request
                .hash_function
                .as_deref()
                .unwrap_or(core_certs::DEFAULT_HASH_FUNCTION),
        )
    })
    .await
    .map_err(|_| SimError::documented(codes::CERTIFICATE_CREATE_FAILED))?
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
        .route(CERTIFICATES.path, get(list).post(create))
        .route(
            "/api/security/certificates/{uuid}",
            get(get_one).delete(delete),
        )
        .route("/api/security/certificates/{uuid}/sign", post(sign))
        .route("/api/security/certificate-signing-request", post(csr))
}
