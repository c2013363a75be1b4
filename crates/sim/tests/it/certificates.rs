//! Certificates over real HTTP: create, install (with a chain from a PKI made here), refuse a
//! mismatched key, sign a CSR that chains to the root CA, generate a CSR, delete.

use crate::common;

use common::*;
use ontap_core::certificates::{self, Certificate, CsrRequest, SignRequest};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::json;
use x509_parser::pem::parse_x509_pem;

fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// A root, an intermediate and a server certificate with its key.
fn pki() -> (String, String, String, String) {
    let root_key = KeyPair::generate().unwrap();
    let mut root = CertificateParams::new(Vec::<String>::new()).unwrap();
    root.distinguished_name
        .push(DnType::CommonName, "Test Root");
    root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let root_cert = root.self_signed(&root_key).unwrap();
    let mid_key = KeyPair::generate().unwrap();
    let mut mid = CertificateParams::new(Vec::<String>::new()).unwrap();
    mid.distinguished_name
        .push(DnType::CommonName, "Test Intermediate");
    mid.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let mid_cert = mid
        .signed_by(&mid_key, &Issuer::new(root.clone(), &root_key))
        .unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::new(vec!["www.example.com".to_owned()]).unwrap();
    leaf.distinguished_name
        .push(DnType::CommonName, "www.example.com");
    leaf.use_authority_key_identifier_extension = true;
    let leaf_cert = leaf
        .signed_by(&leaf_key, &Issuer::new(mid.clone(), &mid_key))
        .unwrap();
    (
        root_cert.pem(),
        mid_cert.pem(),
        leaf_cert.pem(),
        leaf_key.serialize_pem(),
    )
}

#[tokio::test]
async fn create_a_self_signed_server_certificate_and_find_it() {
    let server = spawn(empty()).await;
    let request: Certificate = serde_json::from_value(json!({"type": "server", "common_name": "new.example.com", "svm": {"name": "vs0"}, "expiry_time": "P30DT", "hash_function": "sha384"})).unwrap();
    let (status, body) = server
        .send(&certificates::create(&request, now()).unwrap())
        .await;
    assert_eq!(status, 201, "{body}");
    let record = &body["records"][0];
    assert_eq!(record["common_name"], "new.example.com");
    assert_eq!(record["key_size"], 2048);
    assert_eq!(record["hash_function"], "sha384");
    assert_eq!(record["scope"], "svm");
    assert!(record.get("private_key").is_none());
    let expiry =
        certificates::expiry::parse_timestamp(record["expiry_time"].as_str().unwrap()).unwrap();
    let days = (expiry.as_second() - now().as_second()) / 86_400;
    assert!((29..=30).contains(&days), "{days}");
    let (_, found) = server
        .get("/api/security/certificates?common_name=new.example.com&fields=*")
        .await;
    assert_eq!(found["num_records"], 1);
    let pem = found["records"][0]["public_certificate"].as_str().unwrap();
    let info = ontap_core::x509::inspect_certificate(pem).unwrap();
    assert!(info.self_signed);
    assert_eq!(
        info.serial_number,
        found["records"][0]["serial_number"].as_str().unwrap()
    );
    // The whole collection never carries a private key.
    let (_, everything) = server.get("/api/security/certificates?fields=**").await;
    assert!(!everything.to_string().contains("PRIVATE KEY"));
}

#[tokio::test]
async fn install_a_ca_signed_certificate_with_an_intermediate_from_a_bundle() {
    let server = spawn(empty()).await;
    let (_, mid, leaf, key) = pki();
    let bundle = ontap_core::x509::split_bundle(&format!("{mid}{key}{leaf}")).unwrap();
    let request: Certificate = serde_json::from_value(json!({
        "type": "server", "svm": {"name": "vs0"},
        "public_certificate": bundle.leaf, "private_key": bundle.private_key, "intermediate_certificates": bundle.intermediates
    }))
    .unwrap();
    let (status, body) = server
        .send(&certificates::create(&request, now()).unwrap())
        .await;
    assert_eq!(status, 201, "{body}");
    let record = &body["records"][0];
    assert_eq!(record["common_name"], "www.example.com");
    assert_eq!(record["ca"], "Test Intermediate");
    assert_eq!(
        record["intermediate_certificates"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        record["subject_alternatives"]["dns"],
        json!(["www.example.com"])
    );
    assert!(record["authority_key_identifier"].is_string());

    // A key of another certificate is refused by core before sending, and by the cluster.
    let (_, _, _, other_key) = pki();
    let mismatched =
        json!({"type": "server", "public_certificate": leaf, "private_key": other_key});
    let as_model: Certificate = serde_json::from_value(mismatched.clone()).unwrap();
    assert!(certificates::create(&as_model, now())
        .unwrap_err()
        .has_code(52559976));
    let (status, err) = server.post("/api/security/certificates", mismatched).await;
    assert_eq!((status, code(&err)), (400, 52559976));
    assert!(!err.to_string().contains("PRIVATE"), "{err}");
    let (status, err) = server
        .post(
            "/api/security/certificates",
            json!({"type": "server_ca", "public_certificate": "<CERTIFICATE-CONTENT>"}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 52559975));
}

#[tokio::test]
async fn sign_a_csr_with_a_root_ca_and_the_result_chains_to_it() {
    let server = spawn(empty()).await;
    let (status, root) = server
        .post(
            "/api/security/certificates?return_records=true",
            json!({"type": "root_ca", "common_name": "Sim Root CA"}),
        )
        .await;
    assert_eq!(status, 201, "{root}");
    let root_uuid = root["records"][0]["uuid"].as_str().unwrap().to_owned();
    let root_pem = root["records"][0]["public_certificate"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, generated) = server.send(&certificates::generate_csr(&serde_json::from_value::<CsrRequest>(json!({"subject_name": "C=US,O=Example,CN=app.example.com", "algorithm": "rsa", "security_strength": 112, "subject_alternatives": {"dns": ["app.example.com"]}})).unwrap()).unwrap()).await;
    assert_eq!(status, 200, "{generated}");
    let csr = generated["csr"].as_str().unwrap().to_owned();
    let key = generated["generated_private_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        ontap_core::x509::inspect_csr(&csr)
            .unwrap()
            .common_name
            .as_deref(),
        Some("app.example.com")
    );

    let sign: SignRequest = serde_json::from_value(
        json!({"signing_request": csr, "expiry_time": "P90D", "hash_function": "sha256"}),
    )
    .unwrap();
    let (status, signed) = server
        .send(&certificates::sign(&root_uuid, &sign, now()).unwrap())
        .await;
    assert_eq!(status, 200, "{signed}");
    let pem = signed["public_certificate"].as_str().unwrap();
    assert_eq!(
        ontap_core::x509::key_matches_certificate(pem, &key),
        Ok(true)
    );
    let (_, leaf_pem) = parse_x509_pem(pem.as_bytes()).unwrap();
    let leaf = leaf_pem.parse_x509().unwrap();
    let (_, root_block) = parse_x509_pem(root_pem.as_bytes()).unwrap();
    let root_cert = root_block.parse_x509().unwrap();
    assert!(
        leaf.verify_signature(Some(root_cert.public_key())).is_ok(),
        "signed certificate does not chain to the root CA"
    );
    assert_eq!(leaf.issuer(), root_cert.subject());

    // Only a root CA signs; too long an expiry is refused.
    let (_, servers) = server.get("/api/security/certificates?type=server").await;
    if let Some(not_ca) = servers["records"][0]["uuid"].as_str() {
        let (status, err) = server
            .post(
                &format!("/api/security/certificates/{not_ca}/sign"),
                json!({"signing_request": csr}),
            )
            .await;
        assert_eq!((status, code(&err)), (400, 3735628));
    }
    let (status, err) = server
        .post(
            &format!("/api/security/certificates/{root_uuid}/sign"),
            json!({"signing_request": csr, "expiry_time": "P3653D"}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 3735701));
}

#[tokio::test]
async fn delete_and_validation_codes() {
    let server = spawn(empty()).await;
    let (_, made) = server
        .post(
            "/api/security/certificates?return_records=true",
            json!({"type": "client", "common_name": "gone.example.com"}),
        )
        .await;
    let uuid = made["records"][0]["uuid"].as_str().unwrap().to_owned();
    assert_eq!(server.send(&certificates::delete(&uuid)).await.0, 200);
    let (status, err) = server
        .delete(&format!("/api/security/certificates/{uuid}"))
        .await;
    assert_eq!((status, code(&err)), (404, 4));
    for (body, expected) in [
        (
            json!({"type": "server", "common_name": "x", "key_size": 1024}),
            3735700,
        ),
        (
            json!({"type": "server", "common_name": "x", "hash_function": "sha1"}),
            52560173,
        ),
        (
            json!({"type": "server", "common_name": "x", "serial_number": "01"}),
            3735645,
        ),
        (json!({"type": "gadget", "common_name": "x"}), 3735622),
        (
            json!({"type": "server", "common_name": "x", "expiry_time": "P3653D"}),
            3735701,
        ),
    ] {
        let (status, err) = server
            .post("/api/security/certificates", body.clone())
            .await;
        assert_eq!((status, code(&err)), (400, expected), "{body}");
    }
}

#[tokio::test]
async fn azure_download_fails_as_the_cluster_cannot_reach_azure() {
    let server = spawn(empty()).await;
    let (status, body) = server
        .post("/api/security/certificates?return_timeout=5", json!({"type": "client", "name": "akv-cert", "azure": {"key_vault": "https://v.vault.azure.net", "client_id": "c", "tenant_id": "t", "client_secret": "s3cr3t-value"}}))
        .await;
    assert_eq!((status, code(&body)), (400, 3735755));
    assert!(!body.to_string().contains("s3cr3t"));
}

#[tokio::test]
async fn an_empty_cluster_has_its_own_server_certificate_and_root_ca() {
    let server = spawn(empty()).await;
    let (_, list) = server
        .get("/api/security/certificates?fields=name,type,scope,common_name,public_certificate")
        .await;
    assert_eq!(list["num_records"], 2, "{list}");
    let records = list["records"].as_array().unwrap();
    let mut types: Vec<&str> = records
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    types.sort_unstable();
    assert_eq!(types, ["root_ca", "server"]);
    for r in records {
        assert_eq!(r["scope"], "cluster");
        assert_eq!(r["common_name"], "sim-cluster");
        assert!(r["name"].as_str().unwrap().starts_with("sim-cluster_"));
        let info = ontap_core::x509::inspect_certificate(r["public_certificate"].as_str().unwrap())
            .unwrap();
        assert!(info.self_signed);
    }
}
