//! Jobs the change dialog cannot follow to a known end (the simulator's `job-stuck` and
//! `job-expired` faults): a stuck job can be left to ONTAP, with the page saying where to see
//! it; a job forgotten before its outcome was read is neither a success nor a failure.

use ontap_browser_tests::Browser;

use super::faults::faults;

#[tokio::test]
async fn a_stuck_job_can_be_stopped_and_the_page_says_where_it_goes_on() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/security").await;
    let before = b.api_get("/api/security?fields=management_protocols").await;
    faults(&b, "job-stuck=1").await;
    b.click("telnet-enabled").await;
    b.click("security-review").await;
    b.click("preview-apply").await;
    b.wait_text("job-state", "running").await;
    let uuid = b.text("job-uuid").await;
    assert!(!uuid.is_empty());
    // Closing is refused while the job is followed; stopping is offered.
    assert!(!b.enabled("preview-cancel").await);
    let read = b.attr("security-read", "data-read").await;
    b.click("preview-stop").await;
    b.wait_gone("preview").await;
    // The page reads the cluster again.
    b.wait_attr_change("security-read", "data-read", read.as_deref())
        .await;

    let notice = b.text("job-notice-text").await;
    for expected in [
        format!("GET /api/cluster/jobs/{uuid}"),
        "job show -jobuuid".to_owned(),
        "System Manager".to_owned(),
        "goes on in ONTAP".to_owned(),
    ] {
        assert!(notice.contains(&expected), "{expected:?} not in {notice}");
    }
    // The job does go on in ONTAP, and has changed nothing yet.
    let job = b.api_get(&format!("/api/cluster/jobs/{uuid}")).await;
    assert_eq!(job["state"], "running", "{job}");
    let now = b.api_get("/api/security?fields=management_protocols").await;
    assert_eq!(before, now);

    // The next change starts with the notice gone.
    b.click("job-notice-dismiss").await;
    b.wait_gone("job-notice").await;
    b.close().await;
}

#[tokio::test]
async fn an_expired_job_shows_its_outcome_as_unknown_and_the_page_reads_again() {
    // Jobs take a second, so the console sees the job running before it is forgotten.
    let b = Browser::start(&["--job-seconds", "1"]).await;
    b.sign_in_at("/security").await;
    faults(&b, "job-expired=1").await;
    let telnet = b.checked("telnet-enabled").await;
    b.click("telnet-enabled").await;
    b.click("security-review").await;
    if b.count("preview-confirm-check").await > 0 {
        b.click("preview-confirm-check").await;
    }
    let read = b.attr("security-read", "data-read").await;
    b.click("preview-apply").await;
    b.wait_text("job-state", "outcome unknown").await;
    let message = b.text("job-message").await;
    assert!(message.contains("outcome is unknown"), "{message}");
    assert!(message.contains("check"), "{message}");
    // Neither the success nor the failure style.
    let class = b.attr("job-done", "class").await.unwrap_or_default();
    assert!(class.contains("unknown"), "{class}");
    assert!(
        !class.contains("done") && !class.contains("failed"),
        "{class}"
    );
    assert_eq!(b.count("preview-retry").await, 0);

    // The change was made; the page, read again, shows it once the dialog is closed.
    let now = b.api_get("/api/security?fields=management_protocols").await;
    assert_eq!(now["management_protocols"]["telnet_enabled"], !telnet);
    b.wait_attr_change("security-read", "data-read", read.as_deref())
        .await;
    b.close_preview().await;
    assert_eq!(b.checked("telnet-enabled").await, !telnet);
    b.close().await;
}
