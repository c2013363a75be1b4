//! The IPsec page: turned on and off in the browser, read back from the simulator's API.

use ontap_browser_tests::Browser;

#[tokio::test]
async fn ipsec_is_toggled_and_read_back() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/ipsec").await;
    let before = b.api_get("/api/security/ipsec?fields=enabled").await["enabled"] == true;
    assert_eq!(
        b.text("ipsec-enabled").await,
        if before { "enabled" } else { "disabled" }
    );
    b.click("ipsec-toggle").await;
    let body = b.text("preview-body").await;
    assert!(
        body.contains(&format!("\"enabled\": {}", !before)),
        "{body}"
    );
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    let after = b.api_get("/api/security/ipsec?fields=enabled").await["enabled"] == true;
    assert_eq!(after, !before);
    b.wait_text("ipsec-enabled", if after { "enabled" } else { "disabled" })
        .await;

    // Turning it back off lowers security: asked for explicitly.
    if after {
        b.click("ipsec-toggle").await;
        assert!(b.text("preview-confirm-text").await.contains("IPsec"));
        assert_eq!(b.apply_preview().await, "success");
        b.close_preview().await;
        assert_eq!(
            b.api_get("/api/security/ipsec?fields=enabled").await["enabled"],
            false
        );
    }
    b.close().await;
}
