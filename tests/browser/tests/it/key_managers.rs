//! The key managers page: an external key manager created on an SVM with two servers and read
//! back from the simulator's API; key servers added (several at once), edited and removed, the
//! fifth refused before sending; the Onboard Key Manager created (31 characters refused, 32
//! accepted), its key backup shown and offered for download; a wrong current passphrase
//! answered with ONTAP's 65536139; deletes; and no passphrase left in the URL, storage or log.

use ontap_browser_tests::Browser;
use serde_json::Value;

async fn key_managers(b: &Browser) -> Vec<Value> {
    b.api_get("/api/security/key-managers?fields=**").await["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The demo's external key manager on vs0.
async fn vs0_uuid(b: &Browser) -> String {
    key_managers(b)
        .await
        .iter()
        .find(|k| k["svm"]["name"] == "vs0")
        .and_then(|k| k["uuid"].as_str().map(str::to_owned))
        .expect("the demo's key manager on vs0")
}

async fn servers(b: &Browser, uuid: &str) -> Vec<String> {
    b.api_get(&format!(
        "/api/security/key-managers/{uuid}/key-servers?fields=server"
    ))
    .await["records"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|s| s["server"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn certificate_uuid(b: &Browser, name: &str) -> String {
    let all = b
        .api_get("/api/security/certificates?fields=uuid,name")
        .await;
    all["records"]
        .as_array()
        .and_then(|r| r.iter().find(|c| c["name"] == name))
        .and_then(|c| c["uuid"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("certificate {name}"))
}

/// Applies the open preview, closes it and waits for the detail page's re-read.
async fn apply_on_detail(b: &Browser) -> String {
    let read = b.attr("km-detail-read", "data-read").await;
    let state = b.apply_preview().await;
    b.close_preview().await;
    if state == "success" {
        b.wait_attr_change("km-detail-read", "data-read", read.as_deref())
            .await;
    }
    state
}

#[tokio::test]
async fn external_key_manager_is_deleted_then_created_on_an_svm_with_two_servers() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let uuid = vs0_uuid(&b).await;
    b.sign_in_at("/key-managers").await;
    b.find("km-row").await;
    assert_eq!(b.count("km-row").await, 1);
    assert_eq!(b.text("km-row-svm").await, "vs0");
    assert!(b.text("km-row-servers").await.contains("kms1.example.com"));

    // Status is fetched on demand only.
    b.click("km-check-status").await;
    b.wait_text("km-row-state", "available").await;

    // Delete it: the confirmation names it and what depends on it.
    b.click("km-link-vs0").await;
    b.wait_text("km-title", "SVM vs0").await;
    b.click("km-delete").await;
    assert_eq!(b.text("preview-method").await, "DELETE");
    assert_eq!(
        b.text("preview-path").await,
        format!("/api/security/key-managers/{uuid}")
    );
    let warning = b.text("preview-confirm-text").await;
    assert!(
        warning.contains("external key manager of SVM vs0"),
        "{warning}"
    );
    assert!(warning.contains("encrypted"), "{warning}");
    assert!(!b.enabled("preview-apply").await);
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.find("km-deleted").await;
    assert!(key_managers(&b).await.is_empty());

    // Create one on vs0 with two servers.
    b.click("km-back").await;
    b.find("empty").await;
    b.click("km-new-external").await;
    // vs1 has no KMIP certificates: the form says so and links to the certificates page.
    b.select("km-svm", "vs1").await;
    b.find("km-no-client-cert").await;
    b.find("km-no-ca-cert").await;
    assert_eq!(
        b.attr("km-install-cert", "href").await.as_deref(),
        Some("/certificates")
    );
    b.select("km-svm", "vs0").await;
    let client = certificate_uuid(&b, "vs0-kmip-client").await;
    b.find("km-ca-vs0-kmip-ca").await;
    // Only the certificates of vs0 are offered.
    assert_eq!(b.count("km-ca-Example Global Root G2").await, 0);
    b.select("km-client-cert", &client).await;
    b.click("km-ca-vs0-kmip-ca").await;
    b.fill("km-server-0", "kms-a.example.com").await;
    b.click("km-add-row").await;
    // Each server is validated before anything is sent.
    b.fill("km-server-1", "bad host").await;
    b.find("km-server-error-1").await;
    assert!(!b.enabled("km-create-review").await);
    b.fill("km-server-1", "kms-a.example.com:5696").await;
    let error = b.text("km-server-error-1").await;
    assert!(error.contains("65536871"), "{error}");
    b.fill("km-server-1", "10.0.0.5:5697").await;
    b.fill("km-timeout-1", "30").await;
    b.wait_gone("km-server-error-1").await;
    b.wait_gone("violations").await;
    assert!(b.enabled("km-create-review").await);
    b.click("km-create-review").await;
    assert_eq!(b.text("preview-method").await, "POST");
    assert_eq!(
        b.text("preview-path").await,
        "/api/security/key-managers?return_records=true"
    );
    let read = b.attr("km-read", "data-read").await;
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.wait_attr_change("km-read", "data-read", read.as_deref())
        .await;

    let all = key_managers(&b).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let km = &all[0];
    assert_eq!(km["svm"]["name"], "vs0");
    assert_eq!(km["scope"], "svm");
    assert_eq!(
        km["external"]["client_certificate"]["name"],
        "vs0-kmip-client"
    );
    assert_eq!(
        km["external"]["server_ca_certificates"][0]["name"],
        "vs0-kmip-ca"
    );
    let servers: Vec<&Value> = km["external"]["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .collect();
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[0]["server"], "kms-a.example.com");
    assert_eq!(servers[1]["server"], "10.0.0.5:5697");
    assert_eq!(servers[1]["timeout"], 30);
    assert!(b.text("km-row-servers").await.contains("10.0.0.5:5697"));

    // The detail names the certificates, linked to the certificates page (a deep link).
    b.click("km-link-vs0").await;
    assert_eq!(b.text("km-client-cert-name").await, "vs0-kmip-client");
    assert_eq!(
        b.attr("km-client-cert-name", "href").await.as_deref(),
        Some("/certificates")
    );
    b.close().await;
}

#[tokio::test]
async fn key_servers_are_added_edited_and_removed_and_a_fifth_is_refused() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let uuid = vs0_uuid(&b).await;
    // A deep link to the detail survives the reload (sign-in then the page).
    b.sign_in_at(&format!("/key-managers/{uuid}")).await;
    b.wait_text("km-title", "SVM vs0").await;
    assert_eq!(b.count("km-server-address").await, 1);
    // The last server cannot be removed.
    assert!(!b.enabled("km-server-remove-0").await);
    assert!(b.text("km-server-remove-why-0").await.contains("last"));

    // Four new servers would make five: refused before sending.
    b.click("km-add-servers").await;
    for (i, host) in ["kms2", "kms9", "kms3", "kms4"].into_iter().enumerate() {
        if i > 0 {
            b.click("km-add-row").await;
        }
        b.fill(&format!("km-server-{i}"), &format!("{host}.example.com"))
            .await;
    }
    let refused = b.text("violations").await;
    assert!(refused.contains("65536038"), "{refused}");
    assert!(!b.enabled("km-add-review").await);
    // Removing a row in the middle takes that row away: the rows below keep what was typed
    // in them and move up.
    b.click("km-remove-row-1").await;
    b.wait_gone("violations").await;
    assert_eq!(b.count("km-server-3").await, 0);
    assert_eq!(b.value("km-server-0").await, "kms2.example.com");
    assert_eq!(b.value("km-server-1").await, "kms3.example.com");
    assert_eq!(b.value("km-server-2").await, "kms4.example.com");
    b.click("km-add-review").await;
    assert_eq!(b.text("preview-method").await, "POST");
    assert!(b
        .text("preview-path")
        .await
        .starts_with(&format!("/api/security/key-managers/{uuid}/key-servers")));
    assert!(b.content("preview-body").await.contains("records"));
    assert_eq!(apply_on_detail(&b).await, "success");
    assert_eq!(
        servers(&b, &uuid).await,
        [
            "kms1.example.com:5696",
            "kms2.example.com",
            "kms3.example.com",
            "kms4.example.com"
        ]
    );
    assert_eq!(b.count("km-server-address").await, 4);

    // A fifth, alone, is refused too.
    b.click("km-add-servers").await;
    b.fill("km-server-0", "kms5.example.com").await;
    let refused = b.text("violations").await;
    assert!(refused.contains("65536038"), "{refused}");
    assert!(!b.enabled("km-add-review").await);

    // Edit a server's timeout and secondaries.
    b.click("km-server-edit-1").await;
    b.fill("km-edit-timeout", "61").await;
    b.find("field-error-timeout").await;
    assert!(!b.enabled("km-server-review").await);
    b.fill("km-edit-timeout", "40").await;
    b.fill("km-edit-secondaries", "kms2b.example.com").await;
    b.click("km-server-review").await;
    assert_eq!(b.text("preview-method").await, "PATCH");
    assert!(b.text("preview-path").await.contains("kms2.example.com"));
    assert_eq!(apply_on_detail(&b).await, "success");
    let edited = b
        .api_get(&format!(
            "/api/security/key-managers/{uuid}/key-servers/kms2.example.com"
        ))
        .await;
    assert_eq!(edited["timeout"], 40);
    assert_eq!(edited["secondary_key_servers"][0], "kms2b.example.com");

    // Username and password: the password is masked in the preview and never read back.
    b.click("km-server-edit-0").await;
    b.fill("km-edit-username", "kmip-user").await;
    b.fill("km-edit-password", "Kmip-Server-Secret-42").await;
    b.click("km-server-review").await;
    let body = b.content("preview-body").await;
    assert!(
        body.contains("kmip-user") && !body.contains("Kmip-Server-Secret-42"),
        "{body}"
    );
    assert!(!b
        .content("preview-curl")
        .await
        .contains("Kmip-Server-Secret-42"));
    assert_eq!(apply_on_detail(&b).await, "success");
    let edited = b
        .api_get(&format!(
            "/api/security/key-managers/{uuid}/key-servers/kms1.example.com:5696"
        ))
        .await;
    assert_eq!(edited["username"], "kmip-user");
    assert!(edited.get("password").is_none(), "{edited}");

    // Remove one.
    b.click("km-server-remove-2").await;
    assert_eq!(b.text("preview-method").await, "DELETE");
    assert!(b
        .text("preview-confirm-text")
        .await
        .contains("kms3.example.com"));
    assert_eq!(apply_on_detail(&b).await, "success");
    assert_eq!(
        servers(&b, &uuid).await,
        [
            "kms1.example.com:5696",
            "kms2.example.com",
            "kms4.example.com"
        ]
    );
    assert_eq!(b.count("km-server-address").await, 3);

    // Per-node connectivity on demand.
    b.click("km-check-status").await;
    let status = b.text("km-status").await;
    assert!(status.contains("65537200"), "{status}");
    assert_eq!(b.count("km-connectivity").await, 3);
    assert!(b
        .text("km-connectivity")
        .await
        .contains("available from every node"));
    b.close().await;
}

#[tokio::test]
async fn onboard_key_manager_backup_passphrase_change_and_delete() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let p31: String = "Ab1!".repeat(8)[..31].to_owned();
    let p32: String = "Cd2?".repeat(8);
    let p40: String = "New-Passphrase-Of-Forty-Characters-9876".to_owned();
    let wrong: String = "Wrong-Existing-Passphrase-0123456789".to_owned();
    b.sign_in_at("/key-managers").await;
    b.click("km-new-onboard").await;

    // 31 characters: refused before sending.
    b.fill("km-okm-passphrase", &p31).await;
    b.fill("km-okm-passphrase-confirm", &p31).await;
    let error = b.text("field-error-onboard.passphrase").await;
    assert!(error.contains("65536920"), "{error}");
    assert!(!b.enabled("km-okm-review").await);
    assert!(b.text("km-okm-passphrase-strength").await.contains("31"));
    // 32 characters, but a different confirmation.
    b.fill("km-okm-passphrase", &p32).await;
    b.find("field-error-onboard.passphrase_confirmation").await;
    assert!(!b.enabled("km-okm-review").await);
    b.fill("km-okm-passphrase-confirm", &p32).await;
    b.wait_gone("violations").await;
    assert_eq!(
        b.attr("km-okm-passphrase", "type").await.as_deref(),
        Some("password")
    );
    b.click("km-okm-review").await;
    assert_eq!(b.text("preview-method").await, "POST");
    let body = b.content("preview-body").await;
    assert!(!body.contains(&p32), "{body}");
    assert!(!b.content("preview-curl").await.contains(&p32));
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;

    // The key backup: shown, downloadable, and the dialog stays until the admin saved it.
    let shown = b.text("km-backup-text").await;
    assert!(shown.contains("BEGIN BACKUP"), "{shown}");
    let okm = key_managers(&b)
        .await
        .into_iter()
        .find(|k| k["onboard"].is_object())
        .expect("the Onboard Key Manager");
    let okm_uuid = okm["uuid"].as_str().expect("uuid").to_owned();
    let backup = okm["onboard"]["key_backup"].as_str().expect("key backup");
    assert_eq!(shown.trim(), backup.trim());
    // The download is a blob of exactly the backup: catch what the page hands the browser.
    b.js(
        "window.__km_blobs = []; const make = URL.createObjectURL.bind(URL); \
          URL.createObjectURL = (blob) => { window.__km_blobs.push(blob); return make(blob); }; \
          return null",
    )
    .await;
    b.click("km-backup-download").await;
    b.find("km-backup-downloaded").await;
    let downloaded = b
        .js("return window.__km_blobs.length ? window.__km_blobs[0].text() : null")
        .await;
    assert_eq!(downloaded.as_str().map(str::trim), Some(backup.trim()));
    assert!(!b.enabled("km-backup-done").await);
    b.click("km-backup-saved").await;
    b.click("km-backup-done").await;
    b.wait_gone("km-backup-dialog").await;

    // Now configured: the form says why it cannot be configured again.
    b.click("km-new-onboard").await;
    let why = b.text("km-okm-unavailable").await;
    let documented = ontap_core::catalog::describe(65536907).expect("a documented code");
    assert!(why.contains(documented), "{why}");
    assert_eq!(b.text("km-okm-unavailable-code").await, "65536907");

    // Change the passphrase with a wrong current one: ONTAP's 65536139.
    b.click("km-link-cluster").await;
    b.wait_text("km-kind", "onboard").await;
    assert!(b.text("km-detail-backup").await.contains("BEGIN BACKUP"));
    b.fill("km-pp-existing", &p32).await;
    b.fill("km-pp-new", &p32).await;
    b.fill("km-pp-new-confirm", &p32).await;
    let same = b.text("violations").await;
    assert!(same.contains("65536150"), "{same}");
    b.fill("km-pp-existing", &wrong).await;
    b.fill("km-pp-new", &p40).await;
    b.fill("km-pp-new-confirm", &p40).await;
    b.wait_gone("violations").await;
    b.click("km-pp-review").await;
    assert_eq!(b.text("preview-method").await, "PATCH");
    assert!(!b.content("preview-body").await.contains(&wrong));
    assert_eq!(b.apply_preview().await, "failure");
    assert_eq!(b.text("error-code").await, "65536139");
    b.close_preview().await;
    // The right one: accepted, and the cluster now knows the new passphrase.
    b.fill("km-pp-existing", &p32).await;
    b.fill("km-pp-new", &p40).await;
    b.fill("km-pp-new-confirm", &p40).await;
    b.click("km-pp-review").await;
    assert_eq!(apply_on_detail(&b).await, "success");
    let (status, _) = b
        .api_send(
            "PATCH",
            &format!("/api/security/key-managers/{okm_uuid}"),
            serde_json::json!({"onboard": {"synchronize": true, "existing_passphrase": p40}}),
        )
        .await;
    assert_eq!(status, 200);
    // Synchronize with the existing passphrase only.
    b.fill("km-sync-existing", &p40).await;
    b.click("km-sync-review").await;
    let body = b.content("preview-body").await;
    assert!(
        body.contains("synchronize") && !body.contains(&p40),
        "{body}"
    );
    assert_eq!(apply_on_detail(&b).await, "success");

    // Delete it.
    b.click("km-delete").await;
    assert!(b
        .text("preview-confirm-text")
        .await
        .contains("Onboard Key Manager"));
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.find("km-deleted").await;
    assert!(key_managers(&b)
        .await
        .iter()
        .all(|k| !k["onboard"].is_object()));

    // No passphrase in the URL, web storage, cookies or the console's log.
    let url = b.page.current_url().await.expect("url").to_string();
    let stored = b
        .js(
            "return JSON.stringify({local: {...localStorage}, session: {...sessionStorage}, \
             cookie: document.cookie, url: location.href})",
        )
        .await;
    let stored = stored.as_str().expect("a string").to_owned();
    let log = b.console_log().await;
    for secret in [&p31, &p32, &p40, &wrong] {
        assert!(!url.contains(secret.as_str()), "{url}");
        assert!(!stored.contains(secret.as_str()), "{stored}");
        assert!(log.iter().all(|l| !l.contains(secret.as_str())), "{log:?}");
    }
    assert!(stored.contains("\"local\":{}"), "{stored}");
    assert!(stored.contains("\"session\":{}"), "{stored}");
    b.close().await;
}

#[tokio::test]
async fn certificates_are_replaced_and_a_refused_delete_shows_ontaps_code() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    let (status, created) = b
        .api_send(
            "POST",
            "/api/security/key-managers?return_records=true",
            serde_json::json!({"external": {
                "client_certificate": {"name": "cluster1-client"},
                "server_ca_certificates": [{"name": "Example Global Root G2"}],
                "servers": [{"server": "kmsc.example.com"}]
            }}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let uuid = created["records"][0]["uuid"]
        .as_str()
        .expect("uuid")
        .to_owned();
    // Software data-at-rest encryption converted: the cluster's key manager cannot go.
    let (status, answer) = b
        .api_send(
            "PATCH",
            "/api/security",
            serde_json::json!({"software_data_encryption": {"conversion_enabled": true}}),
        )
        .await;
    assert!(status < 300, "{status} {answer}");
    let mut converting = false;
    for _ in 0..100 {
        let now = b
            .api_get("/api/security?fields=software_data_encryption")
            .await;
        if now["software_data_encryption"]["conversion_enabled"] == true {
            converting = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(converting, "the conversion never started");

    b.sign_in_at(&format!("/key-managers/{uuid}")).await;
    b.wait_text("km-title", "of the cluster").await;
    assert_eq!(b.text("km-ca-names").await.trim(), "Example Global Root G2");
    b.wait_text("km-depends", "conversion enabled").await;

    // Replace the server CA certificates (cluster scope: the cluster's CAs are offered).
    b.click("km-edit-certs").await;
    assert!(!b.enabled("km-certs-review").await);
    b.click("km-ca-Corp Issuing CA 3").await;
    b.click("km-ca-Example Global Root G2").await;
    assert_eq!(b.count("km-ca-vs0-kmip-ca").await, 0);
    b.click("km-certs-review").await;
    assert_eq!(b.text("preview-method").await, "PATCH");
    assert!(b
        .content("preview-body")
        .await
        .contains("server_ca_certificates"));
    assert_eq!(apply_on_detail(&b).await, "success");
    let km = b
        .api_get(&format!("/api/security/key-managers/{uuid}?fields=**"))
        .await;
    let names: Vec<&str> = km["external"]["server_ca_certificates"]
        .as_array()
        .expect("CAs")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Corp Issuing CA 3"]);
    assert_eq!(
        km["external"]["client_certificate"]["name"],
        "cluster1-client"
    );
    assert_eq!(b.text("km-ca-names").await.trim(), "Corp Issuing CA 3");

    // Delete: ONTAP refuses, and the console says with which code and what it means.
    b.click("km-delete").await;
    assert!(b
        .text("preview-confirm-text")
        .await
        .contains("conversion enabled"));
    assert_eq!(b.apply_preview().await, "failure");
    assert_eq!(b.text("error-code").await, "196608305");
    assert!(b.text("error-meaning").await.contains("NAE aggregates"));
    b.close_preview().await;
    assert!(key_managers(&b)
        .await
        .iter()
        .any(|k| k["uuid"] == uuid.as_str()));
    b.close().await;
}
