//! The cluster security page: every setting changed in the browser and read back from the
//! simulator's API, validation before sending, confirmations, and jobs followed to the end.

use ontap_browser_tests::Browser;
use serde_json::{json, Value};

async fn security(b: &Browser) -> Value {
    b.api_get("/api/security?fields=*").await
}

/// Opens the review of the form's change, applies it and waits for the job; the final state.
async fn review_and_apply(b: &Browser) -> String {
    let read = b.attr("security-read", "data-read").await;
    b.click("security-review").await;
    let state = b.apply_preview().await;
    b.close_preview().await;
    // The page re-reads the cluster after the change: wait for the form of the new read.
    b.wait_attr_change("security-read", "data-read", read.as_deref())
        .await;
    state
}

#[tokio::test]
async fn management_protocols_and_tls_are_changed_and_read_back() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/security").await;
    assert_eq!(
        security(&b).await["management_protocols"]["telnet_enabled"],
        true
    );

    // Raising security: no confirmation asked.
    b.click("telnet-enabled").await;
    b.select("tls-floor", "TLSv1.2").await;
    b.wait_text("tls-enabled-list", "TLSv1.3, TLSv1.2 ").await;
    let read = b.attr("security-read", "data-read").await;
    b.click("security-review").await;
    assert_eq!(b.text("preview-method").await, "PATCH");
    assert!(b.text("preview-path").await.starts_with("/api/security"));
    let body = b.text("preview-body").await;
    assert!(body.contains("\"telnet_enabled\": false"), "{body}");
    assert!(body.contains("TLSv1.2"), "{body}");
    let diff = b.text("preview-diff").await;
    assert!(
        diff.contains("management_protocols.telnet_enabled"),
        "{diff}"
    );
    assert_eq!(b.count("preview-confirm-check").await, 0);
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.wait_attr_change("security-read", "data-read", read.as_deref())
        .await;

    let now = security(&b).await;
    assert_eq!(now["management_protocols"]["telnet_enabled"], false);
    let versions: Vec<&str> = now["tls"]["protocol_versions"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        versions.contains(&"TLSv1.2") && versions.contains(&"TLSv1.3"),
        "{versions:?}"
    );
    assert!(!versions.contains(&"TLSv1.1"), "{versions:?}");
    // The page shows what the cluster now has.
    assert!(!b.checked("telnet-enabled").await);

    // rsh on lowers security: the preview names it and asks for a confirmation.
    let read = b.attr("security-read", "data-read").await;
    b.click("rsh-enabled").await;
    b.click("security-review").await;
    let warning = b.text("preview-confirm-text").await;
    assert!(warning.contains("rsh"), "{warning}");
    assert!(!b.enabled("preview-apply").await);
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    assert_eq!(
        security(&b).await["management_protocols"]["rsh_enabled"],
        true
    );
    b.wait_attr_change("security-read", "data-read", read.as_deref())
        .await;

    // Cipher suites: a preset, sent and read back.
    b.click("cipher-preset-modern").await;
    assert_eq!(review_and_apply(&b).await, "success");
    let suites = security(&b).await["tls"]["cipher_suites"].clone();
    let suites: Vec<&str> = suites
        .as_array()
        .expect("suites")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!suites.is_empty());
    assert!(suites.iter().all(|s| !s.contains("CBC")), "{suites:?}");
    b.close().await;
}

#[tokio::test]
async fn a_rule_broken_in_the_form_is_shown_before_anything_is_sent() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/security").await;
    // The demo cluster allows TLSv1.1: FIPS mode cannot be turned on with it.
    b.click("fips-enabled").await;
    let violations = b.text("violations").await;
    assert!(violations.contains("52428832"), "{violations}");
    b.find("field-error-fips.enabled").await;
    assert!(!b.enabled("security-review").await);
    // The explanation names the certificates FIPS mode cannot use.
    let weak = b.text("fips-weak-certs").await;
    assert!(weak.contains("old-mgmt.example.com"), "{weak}"); // a 1024-bit key
    assert!(weak.contains("legacy-app.example.com"), "{weak}"); // signed with SHA-1
    assert_eq!(security(&b).await["fips"]["enabled"], false);

    // Reset brings back what the cluster has.
    b.click("security-reset").await;
    b.wait_gone("violations").await;
    assert!(!b.checked("fips-enabled").await);
    b.close().await;
}

#[tokio::test]
async fn fips_refused_by_the_cluster_shows_its_code_and_meaning() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/security").await;
    // Valid in the form (TLS floor raised), but the demo cluster uses weak certificates.
    b.select("tls-floor", "TLSv1.2").await;
    b.click("cipher-preset-fips").await;
    b.click("fips-enabled").await;
    b.find("fips-weak-certs").await;
    b.click("security-review").await;
    assert_eq!(b.apply_preview().await, "failure");
    assert_eq!(b.text("error-code").await, "52559974");
    let documented = ontap_core::catalog::describe(52559974).expect("a documented code");
    assert!(b.text("error-meaning").await.contains(documented));
    b.close_preview().await;
    assert_eq!(security(&b).await["fips"]["enabled"], false);
    b.close().await;
}

#[tokio::test]
async fn fips_on_a_cluster_without_weak_certificates() {
    let b = Browser::start(&["--job-seconds", "0", "--scenario", "empty"]).await;
    b.sign_in_at("/security").await;
    b.select("tls-floor", "TLSv1.2").await;
    b.click("cipher-preset-fips").await;
    b.click("fips-enabled").await;
    b.find("fips-certs-ok").await;
    assert_eq!(review_and_apply(&b).await, "success");
    assert_eq!(security(&b).await["fips"]["enabled"], true);
    assert!(b.checked("fips-enabled").await);

    // Turning it off again lowers security and asks for a confirmation naming FIPS.
    b.click("fips-enabled").await;
    b.click("security-review").await;
    assert!(b.text("preview-confirm-text").await.contains("FIPS"));
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    assert_eq!(security(&b).await["fips"]["enabled"], false);
    b.close().await;
}

#[tokio::test]
async fn software_encryption_settings_exclude_each_other_and_are_applied() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/security").await;
    // Starting a conversion excludes a rekey and "disabled by default" in the same change.
    b.click("sde-conversion").await;
    assert!(!b.enabled("sde-rekey").await);
    assert!(!b.enabled("sde-disabled-by-default").await);
    // The demo cluster has a key manager on an SVM only: the cluster refuses, with its code.
    b.click("security-review").await;
    assert_eq!(b.apply_preview().await, "failure");
    assert_eq!(b.text("error-code").await, "196608070");
    b.close_preview().await;
    b.click("security-reset").await;

    // With a cluster-scoped key manager the conversion runs.
    let (status, answer) = b
        .api_send(
            "POST",
            "/api/security/key-managers",
            json!({"onboard": {"passphrase": "a passphrase of at least 32 characters"}}),
        )
        .await;
    assert!(status < 300, "{status} {answer}");
    b.click("sde-conversion").await;
    assert_eq!(review_and_apply(&b).await, "success");
    let sde = security(&b).await["software_data_encryption"].clone();
    assert_eq!(sde["encryption_state"], "encrypted", "{sde}");
    assert_eq!(b.text("sde-state").await, "encrypted");

    b.click("sde-rekey").await;
    assert!(!b.enabled("sde-conversion").await);
    assert_eq!(review_and_apply(&b).await, "success");

    b.click("sde-disabled-by-default").await;
    assert!(!b.enabled("sde-conversion").await);
    assert!(!b.enabled("sde-rekey").await);
    assert_eq!(review_and_apply(&b).await, "success");
    let sde = security(&b).await["software_data_encryption"].clone();
    assert_eq!(sde["disabled_by_default"], true, "{sde}");
    assert!(b.checked("sde-disabled-by-default").await);
    b.close().await;
}

#[tokio::test]
async fn a_job_is_followed_live_to_its_end() {
    let b = Browser::start(&["--job-seconds", "2"]).await;
    b.sign_in_at("/security").await;
    b.click("telnet-enabled").await;
    b.click("security-review").await;
    b.click("preview-apply").await;
    // While the job runs its state is shown, then its end.
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + ontap_browser_tests::WAIT;
    while b.count("job-done").await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the job never ended: {seen:?}"
        );
        if let Ok(state) = b
            .page
            .find(fantoccini::Locator::Css("[data-testid=job-state]"))
            .await
        {
            if let Ok(text) = state.text().await {
                if seen.last() != Some(&text) {
                    seen.push(text);
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(seen.iter().any(|s| s == "running"), "{seen:?}");
    b.find("job-done").await;
    assert_eq!(b.text("job-state").await, "success");
    b.close_preview().await;
    assert_eq!(
        security(&b).await["management_protocols"]["telnet_enabled"],
        false
    );
    b.close().await;
}
