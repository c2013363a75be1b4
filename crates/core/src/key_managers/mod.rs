//! `/api/security/key-managers` and its `key-servers` sub-collection: external KMIP key
//! management and the Onboard Key Manager.

mod address;
pub mod deletion;
mod model;
mod validate;

pub use address::{AddressError, Host, ServerAddress, DEFAULT_KMIP_PORT};
pub use model::*;
pub use validate::{
    passphrase_problem, passphrase_strength, validate_add_servers, validate_create,
    validate_remove_server, validate_server_update, validate_update, Strength, MAX_KEY_SERVERS,
    MAX_SECONDARY_SERVERS, PASSPHRASE_LEN, TIMEOUT_SECONDS,
};

use crate::envelope::Collection;
use crate::query::Query;
use crate::request::{Method, Path, Request};
use crate::validation::Violations;

/// The top-level fields of a key-manager record (`security_key_manager` in the API reference),
/// in the order a record shows them: the names a query may filter, order or select on.
pub const FIELDS: &[&str] = &[
    "uuid",
    "scope",
    "svm",
    "external",
    "onboard",
    "status",
    "volume_encryption",
    "is_default_data_at_rest_encryption_disabled",
];

/// Fields ONTAP computes at a cost and returns only when asked for by name.
pub const EXPENSIVE_FIELDS: &[&str] = &["connectivity", "status.message", "status.code"];
/// Key-server fields returned only when asked for.
pub const EXPENSIVE_SERVER_FIELDS: &[&str] = &["connectivity"];

fn collection() -> Path {
    Path::api("security/key-managers")
}

fn servers(uuid: &str) -> Path {
    collection().id(uuid).lit("key-servers")
}

/// `GET /api/security/key-managers`.
pub fn list(query: &Query) -> Request {
    Request::new(Method::Get, collection().build()).with_query(query)
}

/// `GET /api/security/key-managers/{uuid}`.
pub fn get(uuid: &str, query: &Query) -> Request {
    Request::new(Method::Get, collection().id(uuid).build()).with_query(query)
}

/// What a key manager's detail page reads: every cheap field, plus the names of the
/// certificates it uses (ONTAP returns a certificate reference as `{uuid, _links}` unless
/// `fields` names its `name`).
pub const DETAIL_FIELDS: &[&str] = &[
    "*",
    "external.client_certificate.name",
    "external.server_ca_certificates.name",
];

/// `GET /api/security/key-managers/{uuid}` with [`DETAIL_FIELDS`].
pub fn get_detail(uuid: &str) -> Request {
    get(uuid, &Query::new().fields(DETAIL_FIELDS.iter().copied()))
}

/// `POST /api/security/key-managers?return_records=true`, validated.
pub fn create(km: &KeyManager) -> Result<Request, Violations> {
    validate_create(km)?;
    Ok(Request::new(Method::Post, collection().build())
        .with_query(&Query::new().return_records(true))
        .with_json(km))
}

/// `PATCH /api/security/key-managers/{uuid}`, validated.
pub fn update(
    uuid: &str,
    change: &KeyManager,
    return_timeout: Option<u32>,
) -> Result<Request, Violations> {
    validate_update(change)?;
    let mut query = Query::new();
    query.return_timeout = return_timeout;
    Ok(Request::new(Method::Patch, collection().id(uuid).build())
        .with_query(&query)
        .with_json(change))
}

/// `DELETE /api/security/key-managers/{uuid}`.
pub fn delete(uuid: &str) -> Request {
    Request::new(Method::Delete, collection().id(uuid).build())
}

/// `GET /api/security/key-managers/{uuid}/key-servers`.
pub fn list_servers(uuid: &str, query: &Query) -> Request {
    Request::new(Method::Get, servers(uuid).build()).with_query(query)
}

/// `GET /api/security/key-managers/{uuid}/key-servers/{server}` (the id percent-encoded).
pub fn get_server(uuid: &str, server: &str, query: &Query) -> Request {
    Request::new(Method::Get, servers(uuid).id(server).build()).with_query(query)
}

/// `POST .../key-servers` adding one server (plain body) or several (`records`), validated
/// against the servers the key manager already has.
pub fn add_servers(
    uuid: &str,
    new: &[KeyServer],
    existing: &[KeyServer],
) -> Result<Request, Violations> {
    validate_add_servers(new, existing)?;
    let request = Request::new(Method::Post, servers(uuid).build())
        .with_query(&Query::new().return_records(true));
    Ok(match new {
        [one] => request.with_json(one),
        many => request.with_json(&Collection {
            records: many.to_vec(),
            ..Collection::default()
        }),
    })
}

/// `PATCH .../key-servers/{server}`, validated.
pub fn update_server(uuid: &str, server: &str, change: &KeyServer) -> Result<Request, Violations> {
    validate_server_update(change)?;
    Ok(Request::new(Method::Patch, servers(uuid).id(server).build()).with_json(change))
}

/// `DELETE .../key-servers/{server}`, refused when it is the last one.
pub fn remove_server(
    uuid: &str,
    server: &str,
    existing: &[KeyServer],
) -> Result<Request, Violations> {
    validate_remove_server(server, existing)?;
    Ok(Request::new(
        Method::Delete,
        servers(uuid).id(server).build(),
    ))
}

/// The fields that say which installed certificates a key manager uses.
pub const CERTIFICATE_FIELDS: &[&str] = &[
    "uuid",
    "svm.name",
    "external.client_certificate",
    "external.server_ca_certificates",
];

/// The key managers that use the certificate `certificate_uuid` (as their client certificate or
/// one of their server CAs), each named in a sentence ("the external key manager of SVM vs0").
/// ONTAP refuses to delete such a certificate (3735683); the console warns before asking, the
/// simulator refuses with it.
pub fn certificate_users(managers: &[KeyManager], certificate_uuid: &str) -> Vec<String> {
    managers
        .iter()
        .filter(|k| {
            k.external.as_ref().is_some_and(|ext| {
                ext.client_certificate
                    .as_ref()
                    .and_then(|c| c.uuid.as_deref())
                    == Some(certificate_uuid)
                    || ext
                        .server_ca_certificates
                        .iter()
                        .flatten()
                        .any(|c| c.uuid.as_deref() == Some(certificate_uuid))
            })
        })
        .map(|k| match k.svm.as_ref().and_then(|s| s.name.clone()) {
            Some(svm) => format!("the external key manager of SVM {svm}"),
            None => "the cluster's external key manager".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
