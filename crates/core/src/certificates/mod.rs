//! `/api/security/certificates` (list, get, install, create, download from Azure Key Vault,
//! delete), `/sign` with a local root CA, and `/api/security/certificate-signing-request`.

mod defaults;
pub mod expiry;
pub mod form;
pub mod listing;
mod model;
mod validate;

pub use defaults::{
    AZURE_TIMEOUT_SECONDS, CSR_ALGORITHMS, CSR_DEFAULT_ALGORITHM, CSR_DEFAULT_STRENGTH,
    DEFAULT_EXPIRY, DEFAULT_EXPIRY_DAYS, DEFAULT_HASH_FUNCTION, DEFAULT_KEY_SIZE,
    EXTENDED_KEY_USAGES, HASH_FUNCTIONS, KEY_SIZES, KEY_USAGES, MIN_CREATE_KEY_SIZE,
    SECURITY_STRENGTHS,
};
pub use model::*;
pub use validate::{
    csr_key_bits, post_kind, validate_csr, validate_post, validate_sign, validate_sign_with_ca,
    PostKind,
};

use jiff::Timestamp;

use crate::query::Query;
use crate::request::{Method, Path, Request};
use crate::validation::Violations;

/// The fields a certificate table needs: everything but the PEM, which is large.
pub const LIST_FIELDS: &[&str] = &[
    "uuid",
    "name",
    "type",
    "scope",
    "svm.name",
    "svm.uuid",
    "common_name",
    "ca",
    "serial_number",
    "hash_function",
    "key_size",
    "expiry_time",
];

/// The top-level fields of a certificate record (`security_certificate` in the API reference,
/// in its order, with `intermediate_certificates`, which a POST takes and a GET returns): the
/// names a query may filter, order or select on. `private_key` is never returned.
pub const RECORD_FIELDS: &[&str] = &[
    "authority_key_identifier",
    "azure",
    "ca",
    "common_name",
    "expiry_time",
    "hash_function",
    "intermediate_certificates",
    "key_size",
    "name",
    "public_certificate",
    "scope",
    "serial_number",
    "subject_alternatives",
    "subject_key_identifier",
    "svm",
    "type",
    "uuid",
];

fn collection() -> Path {
    Path::api("security/certificates")
}

/// `GET /api/security/certificates`.
pub fn list(query: &Query) -> Request {
    Request::new(Method::Get, collection().build()).with_query(query)
}

/// `GET /api/security/certificates/{uuid}`.
pub fn get(uuid: &str, query: &Query) -> Request {
    Request::new(Method::Get, collection().id(uuid).build()).with_query(query)
}

/// `POST /api/security/certificates?return_records=true`: install, create or download,
/// validated (`now` for the expiry range).
pub fn create(cert: &Certificate, now: Timestamp) -> Result<Request, Violations> {
    validate_post(cert, now)?;
    Ok(Request::new(Method::Post, collection().build())
        .with_query(&Query::new().return_records(true))
        .with_json(cert))
}

/// `DELETE /api/security/certificates/{uuid}`.
pub fn delete(uuid: &str) -> Request {
    Request::new(Method::Delete, collection().id(uuid).build())
}

/// `POST /api/security/certificates/{ca_uuid}/sign`, validated.
pub fn sign(ca_uuid: &str, request: &SignRequest, now: Timestamp) -> Result<Request, Violations> {
    validate_sign(request, now)?;
    Ok(Request::new(Method::Post, collection().id(ca_uuid).lit("sign").build()).with_json(request))
}

/// `POST /api/security/certificate-signing-request`, validated.
pub fn generate_csr(request: &CsrRequest) -> Result<Request, Violations> {
    validate_csr(request)?;
    Ok(Request::new(
        Method::Post,
        Path::api("security/certificate-signing-request").build(),
    )
    .with_json(request))
}
