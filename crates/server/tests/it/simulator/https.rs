//! `serve --tls-cert/--tls-key` and `--tls-self-signed`, spoken to over HTTPS by reqwest.

use sha2::Digest as _;

use super::common::*;

#[tokio::test]
async fn https_with_given_files_is_trusted_by_a_client_that_trusts_the_certificate() {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(
        console.base.starts_with("https://127.0.0.1:"),
        "{}",
        console.base
    );
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(made.cert.pem().as_bytes()).unwrap())
        .https_only(true)
        .no_proxy()
        .build()
        .unwrap();
    let response = trusting
        .get(format!("{}/api/cluster", console.base))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // A client that trusts only the system's roots refuses it.
    assert!(client()
        .get(format!("{}/api/cluster", console.base))
        .send()
        .await
        .is_err());
    // Plain HTTP on the same port gets no answer.
    let plain = console.base.replace("https://", "http://");
    assert!(client()
        .get(format!("{plain}/api/cluster"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn a_self_signed_certificate_is_made_and_its_fingerprint_printed() {
    let console = Console::start(&["--password", PASSWORD, "--tls-self-signed"]);
    assert!(console.base.starts_with("https://"), "{}", console.base);
    let printed = loop {
        if let Some(line) = console
            .stderr()
            .into_iter()
            .find(|l| l.contains("SHA-256 fingerprint"))
        {
            break line;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    // The certificate the server presents is the one whose fingerprint was printed.
    let pinned = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .tls_info(true)
        .no_proxy()
        .build()
        .unwrap();
    let response = pinned
        .get(format!("{}/api/cluster", console.base))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let info = response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .unwrap();
    let der = info.peer_certificate().unwrap();
    let fingerprint = sha2::Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    assert!(
        printed.ends_with(&fingerprint),
        "{printed} vs {fingerprint}"
    );
    // And it is valid for the listen address: a client that trusts it verifies the host.
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_der(der).unwrap())
        .no_proxy()
        .build()
        .unwrap();
    let response = trusting
        .get(format!("{}/api/cluster", console.base))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
