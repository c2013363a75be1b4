//! Every page under injected faults (`ontap-console serve --faults`, changed at run time through
//! the simulator's control endpoint): a clear error, what the user typed still there, and a
//! retry that goes through once the fault stops, without reloading the console.

use ontap_browser_tests::{Browser, PASSWORD};
use ontap_core::catalog::unwell;
use serde_json::json;

const CONTROL: &str = "/api/private/simulator/faults";

/// Sets the faults (an empty SPEC stops them).
pub(super) async fn faults(b: &Browser, spec: &str) {
    let (status, body) = b.api_send("POST", CONTROL, json!({ "spec": spec })).await;
    assert_eq!(status, 200, "{body}");
}

/// The failed change's error, then the same change again once the fault stopped.
async fn fails_then_retries(b: &Browser, expected_error: &str) {
    b.wait_text("job-state", "failure").await;
    let error = b.text("job-error").await;
    assert!(error.contains(expected_error), "{error}");
    faults(b, "").await;
    b.click("preview-retry").await;
    b.wait_text("job-state", "success").await;
    b.close_preview().await;
}

#[tokio::test]
async fn security_keeps_the_draft_through_errors_a_failed_job_and_a_401() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/security").await;
    b.click("telnet-enabled").await;
    b.select("tls-floor", "TLSv1.2").await;

    // 503 on the change: the error, then the draft still as typed once the dialog is closed.
    faults(&b, "error=503,path=/api/security").await;
    b.click("security-review").await;
    b.click("preview-apply").await;
    b.wait_text("job-state", "failure").await;
    assert!(b.text("job-error").await.contains(unwell::UNAVAILABLE_TEXT));
    b.click("preview-cancel").await;
    assert!(!b.checked("telnet-enabled").await);
    assert_eq!(b.value("tls-floor").await, "TLSv1.2");

    // A job that fails: its message, and the draft kept.
    faults(&b, "job-failure=1").await;
    b.click("security-review").await;
    b.click("preview-apply").await;
    fails_then_retries(&b, unwell::JOB_FAILED_TEXT).await;
    let now = b.api_get("/api/security?fields=management_protocols").await;
    assert_eq!(now["management_protocols"]["telnet_enabled"], false);

    // A 401 mid-session: sign in again over the page; refused while the fault lasts, then
    // the change that met it goes through.
    b.click("rsh-enabled").await;
    faults(&b, "unauthorized-after=0").await;
    b.click("security-review").await;
    b.click("preview-confirm-check").await;
    b.click("preview-apply").await;
    b.find("reauth-dialog").await;
    b.fill("signin-password", PASSWORD).await;
    b.click("signin-submit").await;
    b.find("signin-error").await;
    faults(&b, "").await;
    b.fill("signin-password", PASSWORD).await;
    b.click("signin-submit").await;
    b.wait_gone("reauth-dialog").await;
    b.wait_text("job-state", "success").await;
    let now = b.api_get("/api/security?fields=management_protocols").await;
    assert_eq!(now["management_protocols"]["rsh_enabled"], true);
    b.close().await;
}

#[tokio::test]
async fn ipsec_recovers_from_a_failed_read_and_a_dropped_change() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    // The overview reads IPsec too: let it finish first (see the certificates test).
    b.find("posture-score").await;
    faults(&b, "error=500,path=/api/security/ipsec").await;
    b.click("nav-ipsec").await;
    assert!(b
        .text("error-message")
        .await
        .contains(unwell::INTERNAL_TEXT));
    faults(&b, "").await;
    b.click("error-retry").await;
    let before = b.text("ipsec-enabled").await;

    faults(&b, "drop=1,path=/api/security/ipsec").await;
    b.click("ipsec-toggle").await;
    if b.count("preview-confirm-check").await > 0 {
        b.click("preview-confirm-check").await;
    }
    b.click("preview-apply").await;
    b.wait_text("job-state", "failure").await;
    assert!(!b.text("job-error").await.is_empty());
    faults(&b, "").await;
    b.click("preview-retry").await;
    b.wait_text("job-state", "success").await;
    b.close_preview().await;
    let after = if before == "enabled" {
        "disabled"
    } else {
        "enabled"
    };
    b.wait_text("ipsec-enabled", after).await;
    b.close().await;
}

#[tokio::test]
async fn the_onboard_key_manager_form_keeps_the_passphrase_through_a_500() {
    let b = Browser::start(&["--job-seconds", "0", "--scenario", "empty"]).await;
    let passphrase: String = "Cd2?".repeat(8);
    b.sign_in_at("/key-managers").await;
    b.click("km-new-onboard").await;
    b.fill("km-okm-passphrase", &passphrase).await;
    b.fill("km-okm-passphrase-confirm", &passphrase).await;
    b.wait_gone("violations").await;

    faults(&b, "error=500,path=/api/security/key-managers").await;
    b.click("km-okm-review").await;
    if b.count("preview-confirm-check").await > 0 {
        b.click("preview-confirm-check").await;
    }
    b.click("preview-apply").await;
    b.wait_text("job-state", "failure").await;
    assert!(b.text("job-error").await.contains(unwell::INTERNAL_TEXT));
    // The list re-read under the fault says so, and offers to read again.
    b.find("error-retry").await;
    b.click("preview-cancel").await;
    assert_eq!(b.value("km-okm-passphrase").await, passphrase);
    assert_eq!(b.value("km-okm-passphrase-confirm").await, passphrase);
    faults(&b, "").await;
    b.click("error-retry").await;
    b.find("km-read").await;

    b.click("km-okm-review").await;
    assert_eq!(b.apply_preview().await, "success");
    let managers = b.api_get("/api/security/key-managers").await;
    assert_eq!(managers["num_records"], 1);
    b.close().await;
}

#[tokio::test]
async fn certificates_recover_from_a_503_list_and_a_dropped_create() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    // The overview reads certificates too: let it finish, so that the error below can only be
    // the certificates page's own.
    b.find("posture-score").await;
    faults(&b, "error=503,path=/api/security/certificates").await;
    b.click("nav-certificates").await;
    assert!(b
        .text("error-message")
        .await
        .contains(unwell::UNAVAILABLE_TEXT));
    faults(&b, "").await;
    b.click("error-retry").await;
    b.find("cert-table").await;

    b.click("cert-action-create").await;
    b.fill("create-common-name", "faulty.example.com").await;
    b.fill("create-name", "faulty").await;
    b.select("create-svm", "vs0").await;
    b.wait_gone("violations").await;
    faults(&b, "drop=1,path=/api/security/certificates").await;
    b.click("create-review").await;
    b.click("preview-apply").await;
    b.wait_text("job-state", "failure").await;
    // The form under the dialog still holds what was typed.
    assert_eq!(b.value("create-common-name").await, "faulty.example.com");
    assert_eq!(b.value("create-name").await, "faulty");
    faults(&b, "").await;
    b.click("preview-retry").await;
    b.wait_text("job-state", "success").await;
    b.close_preview().await;
    let listed = b
        .api_get("/api/security/certificates?name=faulty&fields=common_name")
        .await;
    assert_eq!(listed["num_records"], 1);
    b.close().await;
}

#[tokio::test]
async fn the_posture_page_reads_again_once_the_fault_stops() {
    let b = Browser::start(&[
        "--job-seconds",
        "0",
        "--faults",
        "latency=200ms,error=500,path=/api/security",
    ])
    .await;
    b.sign_in_at("/").await;
    assert!(b
        .text("error-message")
        .await
        .contains(unwell::INTERNAL_TEXT));
    faults(&b, "").await;
    b.click("error-retry").await;
    b.find("posture-score").await;
    b.close().await;
}
