//! The certificate actions in a real browser against `ontap-console serve`: create a
//! self-signed certificate, install a CA-signed one from a bundle, refuse a mismatched key
//! before sending, sign a CSR with a root CA, generate a CSR, delete (and a refused delete).
//! Every change is read back from the simulator's API.

use ontap_browser_tests::Browser;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::{json, Value};
use x509_parser::prelude::{FromDer, X509Certificate, X509CertificationRequest};

const KEY_MARK: &str = "PRIVATE KEY";

async fn certificates(b: &Browser, query: &str) -> Value {
    b.api_get(&format!("/api/security/certificates?{query}"))
        .await
}

async fn count(b: &Browser) -> u64 {
    certificates(b, "fields=uuid").await["num_records"]
        .as_u64()
        .expect("num_records")
}

/// A test PKI: root CA → intermediate CA → leaf, each with its own EC key.
struct Pki {
    intermediate: String,
    leaf: String,
    leaf_key: String,
    other_key: String,
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, cn);
    params
}

fn pki(leaf_cn: &str) -> Pki {
    let root_key = KeyPair::generate().expect("key");
    let root_params = ca_params("Browser Test Root CA");
    root_params.self_signed(&root_key).expect("root");
    let root = Issuer::new(root_params, root_key);
    let int_key = KeyPair::generate().expect("key");
    let int_params = ca_params("Browser Test Intermediate CA");
    let intermediate = int_params.signed_by(&int_key, &root).expect("intermediate");
    let int_issuer = Issuer::new(int_params, int_key);
    let leaf_key = KeyPair::generate().expect("key");
    let mut leaf_params = CertificateParams::new(vec![leaf_cn.to_owned()]).expect("params");
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, leaf_cn);
    let leaf = leaf_params.signed_by(&leaf_key, &int_issuer).expect("leaf");
    Pki {
        intermediate: intermediate.pem(),
        leaf: leaf.pem(),
        leaf_key: leaf_key.serialize_pem(),
        other_key: KeyPair::generate().expect("key").serialize_pem(),
    }
}

fn csr_for(cn: &str) -> String {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(vec![cn.to_owned()]).expect("params");
    params.distinguished_name.push(DnType::CommonName, cn);
    params
        .serialize_request(&key)
        .expect("csr")
        .pem()
        .expect("pem")
}

/// No private key in the address bar, in web storage or in the browser console.
async fn no_key_leaked(b: &Browser) {
    let exposed = b
        .js("return location.href + JSON.stringify(localStorage) + JSON.stringify(sessionStorage);")
        .await;
    assert!(
        !exposed.as_str().unwrap_or_default().contains(KEY_MARK),
        "a private key in the URL or web storage"
    );
    let log = b.console_log().await;
    assert!(
        log.iter()
            .all(|l| !l.contains(KEY_MARK) && !l.contains("BEGIN EC")),
        "a private key in the console log"
    );
}

#[tokio::test]
async fn a_self_signed_server_certificate_is_created_and_listed() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/certificates").await;
    b.click("cert-action-create").await;
    b.find("cert-form-create").await;
    // Nothing typed yet: core says what is missing, next to the field, and nothing can be sent.
    b.find("field-error-common_name").await;
    assert!(!b.enabled("create-review").await);
    // The key sizes offered are 2048 and up; md5 and sha1 are not offered.
    let sizes = b.text("create-key-size").await;
    assert!(!sizes.contains("1024") && sizes.contains("2048"), "{sizes}");
    let hashes = b.text("create-hash").await;
    assert!(
        !hashes.contains("sha1") && !hashes.contains("md5"),
        "{hashes}"
    );

    b.fill("create-common-name", "web1.example.com").await;
    b.fill("create-name", "web1").await;
    b.select("create-svm", "vs0").await;
    b.select("create-key-size", "3072").await;
    b.select("create-hash", "sha384").await;
    b.fill("create-sans", "web1.example.com\n10.1.2.3").await;
    // The expiry as a date: a past one is refused, one in 200 days is fine.
    b.select("create-expiry-mode", "date").await;
    assert_eq!(
        b.attr("create-expiry", "type").await.as_deref(),
        Some("date")
    );
    b.paste("create-expiry", "2020-01-01").await;
    b.wait_text("field-error-expiry_time", "3735701").await;
    let later = b
        .js("return new Date(Date.now() + 200 * 86400000).toISOString().slice(0, 10);")
        .await;
    let later = later.as_str().expect("a date").to_owned();
    b.paste("create-expiry", &later).await;
    b.wait_gone("field-error-expiry_time").await;
    b.select("create-expiry-mode", "days").await;
    // An expiry over 10 years is refused with ONTAP's code before sending.
    b.fill("create-expiry", "4000").await;
    let error = b.text("field-error-expiry_time").await;
    assert!(error.contains("3735701"), "{error}");
    assert!(!b.enabled("create-review").await);
    b.fill("create-expiry", "90").await;
    b.wait_gone("field-error-expiry_time").await;
    b.wait_gone("violations").await;

    b.click("create-review").await;
    assert_eq!(b.text("preview-method").await, "POST");
    assert!(b
        .text("preview-path")
        .await
        .starts_with("/api/security/certificates"));
    let body = b.text("preview-body").await;
    assert!(
        body.contains("\"common_name\": \"web1.example.com\""),
        "{body}"
    );
    assert!(body.contains("P90DT"), "{body}");
    assert!(body.contains("10.1.2.3"), "{body}");
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.wait_text("cert-created", "web1").await;

    let found = certificates(
        &b,
        "name=web1&fields=type,common_name,svm.name,key_size,hash_function,subject_alternatives,expiry_time",
    )
    .await;
    assert_eq!(found["num_records"], 1, "{found}");
    let record = &found["records"][0];
    assert_eq!(record["type"], "server");
    assert_eq!(record["common_name"], "web1.example.com");
    assert_eq!(record["svm"]["name"], "vs0");
    assert_eq!(record["key_size"], 3072);
    assert_eq!(record["hash_function"], "sha384");
    assert_eq!(record["subject_alternatives"]["ip"], json!(["10.1.2.3"]));
    // The page's list was read again and shows it.
    b.wait_text("cert-table", "web1").await;
    b.close().await;
}

#[tokio::test]
async fn a_ca_signed_certificate_with_an_intermediate_is_installed_from_a_bundle_file() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let p = pki("app.example.com");
    let bundle = format!("{}{}{}", p.leaf, p.intermediate, p.leaf_key);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bundle.pem");
    std::fs::write(&file, &bundle).expect("bundle file");

    b.sign_in_at("/certificates").await;
    b.click("cert-action-install").await;
    b.find("install-bundle-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("file chosen");
    // Core split the bundle: the leaf, one intermediate, the key.
    b.wait_text("install-leaf", "app.example.com").await;
    assert_eq!(b.text("install-intermediate-count").await, "1");
    assert!(b
        .text("install-intermediate")
        .await
        .contains("Browser Test Intermediate CA"));
    b.find("install-key-in-bundle").await;
    b.fill("install-name", "app-from-bundle").await;
    b.wait_gone("violations").await;
    let before = count(&b).await;

    b.click("install-review").await;
    let body = b.text("preview-body").await;
    assert!(
        !body.contains(KEY_MARK),
        "the key shows in the preview: {body}"
    );
    assert!(body.contains("\"private_key\": \"********\""), "{body}");
    assert!(body.contains("intermediate_certificates"), "{body}");
    let curl = b.content("preview-curl").await;
    assert!(!curl.contains(KEY_MARK), "the key shows in curl");
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.wait_text("cert-created", "app-from-bundle").await;

    assert_eq!(count(&b).await, before + 1);
    let found = certificates(
        &b,
        "name=app-from-bundle&fields=type,common_name,ca,intermediate_certificates",
    )
    .await;
    let record = &found["records"][0];
    assert_eq!(record["type"], "server");
    assert_eq!(record["common_name"], "app.example.com");
    assert_eq!(record["ca"], "Browser Test Intermediate CA");
    let intermediates = record["intermediate_certificates"]
        .as_array()
        .expect("intermediates");
    assert_eq!(intermediates.len(), 1);
    assert!(intermediates[0]
        .as_str()
        .unwrap_or_default()
        .contains("BEGIN CERTIFICATE"));
    no_key_leaked(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_mismatched_key_and_a_keyed_ca_are_refused_before_anything_is_sent() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let p = pki("mismatch.example.com");
    b.sign_in_at("/certificates").await;
    let before = count(&b).await;
    b.click("cert-action-install").await;
    b.paste("install-bundle", &format!("{}{}", p.leaf, p.intermediate))
        .await;
    // A server certificate needs its key.
    b.wait_text("field-error-private_key", "3735693").await;
    b.paste("install-key", &p.other_key).await;
    b.wait_text("field-error-private_key", "52559976").await;
    assert!(!b.enabled("install-review").await);
    // The key field is masked.
    let style = b.attr("install-key", "style").await.unwrap_or_default();
    assert!(style.contains("text-security"), "{style}");

    // The right key makes it acceptable; a CA type refuses intermediates and key.
    b.paste("install-key", &p.leaf_key).await;
    b.wait_gone("field-error-private_key").await;
    assert!(b.enabled("install-review").await);
    b.select("install-type", "server_ca").await;
    b.wait_text("field-error-intermediate_certificates", "3735696")
        .await;
    assert_eq!(b.count("install-key").await, 0);
    assert!(!b.enabled("install-review").await);
    // A key inside the bundle of a CA type is refused as such, and masks the bundle.
    b.paste("install-bundle", &format!("{}{}", p.leaf, p.leaf_key))
        .await;
    b.wait_text("field-error-private_key", "3735618").await;
    let style = b.attr("install-bundle", "style").await.unwrap_or_default();
    assert!(style.contains("text-security"), "{style}");
    assert!(!b.enabled("install-review").await);

    assert_eq!(count(&b).await, before, "something was installed");
    no_key_leaked(&b).await;
    b.close().await;
}

#[tokio::test]
async fn a_csr_signed_with_a_root_ca_chains_to_it() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let roots = certificates(
        &b,
        "type=root_ca&fields=uuid,name,common_name,public_certificate",
    )
    .await;
    let root = &roots["records"][0];
    let root_uuid = root["uuid"].as_str().expect("a root CA in the demo");
    let root_pem = root["public_certificate"]
        .as_str()
        .expect("its PEM")
        .to_owned();
    let root_cn = root["common_name"].as_str().expect("its CN").to_owned();

    let csr = csr_for("signed.example.com");

    b.sign_in_at("/certificates").await;
    b.click("cert-action-sign").await;
    b.select("sign-ca", root_uuid).await;
    b.paste("sign-csr", "not a request").await;
    b.wait_text("field-error-signing_request", "52559975").await;
    assert!(!b.enabled("sign-review").await);
    // Checked against the chosen CA: not its own name, not beyond its own expiry.
    b.paste("sign-csr", &csr_for(&root_cn)).await;
    b.wait_text("field-error-signing_request", "3735629").await;
    b.paste("sign-csr", &csr).await;
    b.wait_gone("field-error-signing_request").await;
    b.fill("sign-expiry", "3652").await;
    b.wait_text("field-error-expiry_time", "3735630").await;
    assert!(!b.enabled("sign-review").await);
    b.fill("sign-expiry", "30").await;
    b.wait_gone("field-error-expiry_time").await;
    b.select("sign-hash", "sha256").await;
    b.click("sign-review").await;
    assert!(b
        .text("preview-path")
        .await
        .ends_with(&format!("/api/security/certificates/{root_uuid}/sign")));
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.find("sign-done").await;
    let signed = b.value("sign-result").await;

    let (_, ca_der) = x509_parser::pem::parse_x509_pem(root_pem.as_bytes()).expect("CA PEM");
    let (_, ca) = X509Certificate::from_der(&ca_der.contents).expect("CA");
    let (_, cert_der) = x509_parser::pem::parse_x509_pem(signed.as_bytes()).expect("signed PEM");
    let (_, cert) = X509Certificate::from_der(&cert_der.contents).expect("signed certificate");
    assert_eq!(cert.issuer(), ca.subject());
    cert.verify_signature(Some(ca.public_key()))
        .expect("signed by the root CA's key");
    assert!(cert.subject().to_string().contains("CN=signed.example.com"));
    let days =
        (cert.validity().not_after.timestamp() - cert.validity().not_before.timestamp()) / 86_400;
    assert!((29..=31).contains(&days), "{days} days");
    let issuer = b.text("sign-result-issuer").await;
    assert_eq!(issuer, ca.subject().to_string());
    b.close().await;
}

#[tokio::test]
async fn a_csr_is_generated_with_its_key_masked() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/certificates").await;
    b.click("cert-action-csr").await;
    b.find("field-error-subject_name").await;
    assert!(!b.enabled("csr-review").await);
    b.fill("csr-subject", "C=US,O=Example").await;
    b.wait_gone("field-error-subject_name").await;
    b.fill("csr-subject", "C=US,O=Example,CN=gen.example.com,bad")
        .await;
    b.find("field-error-subject_name").await;
    b.fill("csr-subject", "C=US,O=Example,CN=gen.example.com")
        .await;
    b.fill("csr-sans", "gen.example.com").await;
    b.select("csr-strength", "128").await;
    b.wait_text("csr-key-bits", "3072").await;
    b.click("csr-eku-clientauth").await;
    b.click("csr-review").await;
    let body = b.text("preview-body").await;
    assert!(body.contains("CN=gen.example.com"), "{body}");
    assert!(
        body.contains("clientauth") && body.contains("serverauth"),
        "{body}"
    );
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.find("csr-done").await;

    let csr = b.value("csr-result").await;
    let (_, der) = x509_parser::pem::parse_x509_pem(csr.as_bytes()).expect("CSR PEM");
    let (_, request) = X509CertificationRequest::from_der(&der.contents).expect("CSR");
    let subject = request.certification_request_info.subject.to_string();
    assert!(subject.contains("CN=gen.example.com"), "{subject}");
    assert!(b.text("csr-result-subject").await.contains("3072"));
    // The key is shown masked until asked for, and can be downloaded.
    let key = b.value("csr-key").await;
    assert!(key.contains(KEY_MARK));
    let style = b.attr("csr-key", "style").await.unwrap_or_default();
    assert!(style.contains("text-security"), "{style}");
    b.click("csr-key-reveal").await;
    let style = b.attr("csr-key", "style").await.unwrap_or_default();
    assert!(!style.contains("text-security"), "{style}");
    b.find("csr-key-download").await;
    no_key_leaked(&b).await;
    b.close().await;
}

#[tokio::test]
async fn delete_names_the_certificate_and_a_key_managers_refusal_shows_its_code() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let (status, created) = b
        .api_send(
            "POST",
            "/api/security/certificates?return_records=true",
            json!({"type": "server", "common_name": "doomed.example.com", "name": "doomed"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let doomed = created["records"][0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_owned();
    let used = certificates(&b, "name=vs0-kmip-client&fields=uuid").await;
    let used = used["records"][0]["uuid"]
        .as_str()
        .expect("the demo's KMIP client certificate")
        .to_owned();

    b.sign_in_at("/certificates").await;
    b.click("cert-action-delete").await;
    b.select("delete-pick", &doomed).await;
    b.click("cert-delete").await;
    let confirm = b.text("preview-confirm-text").await;
    assert!(confirm.contains("doomed (server, cluster)"), "{confirm}");
    assert!(!confirm.contains("key manager"), "{confirm}");
    assert_eq!(b.text("preview-method").await, "DELETE");
    assert!(!b.enabled("preview-apply").await);
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.find("cert-deleted").await;
    assert_eq!(certificates(&b, "name=doomed").await["num_records"], 0);

    // The key manager of vs0 uses this one: the confirmation says so, the cluster refuses.
    b.select("delete-pick", &used).await;
    b.click("cert-delete").await;
    let confirm = b.text("preview-confirm-text").await;
    assert!(confirm.contains("vs0-kmip-client"), "{confirm}");
    assert!(
        confirm.contains("external key manager of SVM vs0") && confirm.contains("3735683"),
        "{confirm}"
    );
    assert_eq!(b.apply_preview().await, "failure");
    assert_eq!(b.text("error-code").await, "3735683");
    b.close_preview().await;
    assert_eq!(
        certificates(&b, "name=vs0-kmip-client").await["num_records"],
        1
    );
    b.close().await;
}

#[tokio::test]
async fn an_azure_key_vault_download_masks_its_secret_and_shows_the_jobs_refusal() {
    const SECRET: &str = "Azure-Client-Secret-9Zk4";
    let b = Browser::start(&["--job-seconds", "1"]).await;
    b.sign_in_at("/certificates").await;
    let before = count(&b).await;
    b.click("cert-action-azure").await;
    b.find("field-error-azure.client_secret").await;
    b.fill("azure-name", "akv-server").await;
    b.fill("azure-key-vault", "http://vault.example.net").await;
    b.wait_text("field-error-azure.key_vault", "3735762").await;
    b.fill("azure-key-vault", "https://example.vault.azure.net")
        .await;
    b.fill("azure-client-id", "12345678-abcd-1234-12ad-dfasdffgfdaa")
        .await;
    b.fill("azure-tenant-id", "12345678-abcd-abcd-test-720ef604b100")
        .await;
    b.fill("azure-client-secret", SECRET).await;
    assert_eq!(
        b.attr("azure-client-secret", "type").await.as_deref(),
        Some("password")
    );
    b.wait_gone("violations").await;
    b.click("azure-review").await;
    let body = b.text("preview-body").await;
    assert!(!body.contains(SECRET), "the secret shows in the preview");
    assert!(body.contains("\"client_secret\": \"********\""), "{body}");
    assert!(body.contains("https://example.vault.azure.net"), "{body}");
    assert!(!b.content("preview-curl").await.contains(SECRET));
    // ONTAP downloads in a job; the simulated cluster cannot reach Azure, and says so.
    b.click("preview-apply").await;
    b.find("job-progress").await;
    b.find("job-done").await;
    assert_eq!(b.text("job-state").await, "failure");
    assert_eq!(b.text("error-code").await, "3735755");
    b.close_preview().await;
    assert_eq!(count(&b).await, before);
    let exposed = b
        .js("return location.href + JSON.stringify(localStorage) + JSON.stringify(sessionStorage);")
        .await;
    assert!(!exposed.as_str().unwrap_or_default().contains(SECRET));
    assert!(b.console_log().await.iter().all(|l| !l.contains(SECRET)));
    b.close().await;
}
