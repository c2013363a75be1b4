//! The posture page (the Overview): core's audit of the demo cluster, each fix sent through the
//! change dialog and read back from the simulator's API, the FIPS fix waiting for the weak
//! certificates to be replaced (through the prefilled create form), "fix everything", and the
//! JSON export matching the page.

use ontap_browser_tests::Browser;
use serde_json::Value;

const TELNET: &str = "protocols.telnet";
const TLS_FLOOR: &str = "tls.min-version";
const WEAK_CIPHERS: &str = "tls.weak-ciphers";
const FIPS: &str = "fips.disabled";
const WEAK_KEY: &str = "certificate.weak-key";

async fn security(b: &Browser) -> Value {
    b.api_get("/api/security?fields=*").await
}

/// Opens a finding's details, clicks its Fix, applies the preview and waits for the re-audit.
async fn fix(b: &Browser, rule: &str) -> String {
    let read = b.attr("posture-read", "data-read").await;
    b.click(&format!("finding-{rule}")).await;
    b.click(&format!("finding-fix-{rule}")).await;
    let state = b.apply_preview().await;
    b.close_preview().await;
    b.wait_attr_change("posture-read", "data-read", read.as_deref())
        .await;
    state
}

/// `[testid, remedy kind, blocked]` of every finding on the page.
async fn findings(b: &Browser) -> Vec<(String, String, String)> {
    let list = b
        .js(
            "return [...document.querySelectorAll('details.finding')].map(d => \
             [d.dataset.testid, d.dataset.remedy, d.dataset.blocked])",
        )
        .await;
    list.as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            let at = |i: usize| row[i].as_str().unwrap_or_default().to_owned();
            (at(0), at(1), at(2))
        })
        .collect()
}

#[tokio::test]
async fn fixing_telnet_turns_it_off_and_the_finding_is_gone() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    b.find("posture-score").await;
    assert_eq!(b.count(&format!("finding-{TELNET}")).await, 1);
    assert_eq!(b.count(&format!("passed-{TELNET}")).await, 0);
    let passed: u32 = b.text("score-passed").await.parse().expect("a number");

    b.click(&format!("finding-{TELNET}")).await;
    b.click(&format!("finding-fix-{TELNET}")).await;
    assert_eq!(b.text("preview-method").await, "PATCH");
    assert!(b.text("preview-path").await.starts_with("/api/security"));
    let body = b.text("preview-body").await;
    assert!(body.contains("\"telnet_enabled\": false"), "{body}");
    let read = b.attr("posture-read", "data-read").await;
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    b.wait_attr_change("posture-read", "data-read", read.as_deref())
        .await;

    assert_eq!(
        security(&b).await["management_protocols"]["telnet_enabled"],
        false
    );
    assert_eq!(b.count(&format!("finding-{TELNET}")).await, 0);
    b.find(&format!("passed-{TELNET}")).await;
    let after: u32 = b.text("score-passed").await.parse().expect("a number");
    assert_eq!(after, passed + 1);
    b.close().await;
}

#[tokio::test]
async fn raising_the_tls_floor_drops_the_old_versions() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    assert_eq!(fix(&b, TLS_FLOOR).await, "success");
    let versions = security(&b).await["tls"]["protocol_versions"].clone();
    let versions: Vec<&str> = versions
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(versions.contains(&"TLSv1.2"), "{versions:?}");
    assert!(
        !versions.contains(&"TLSv1.1") && !versions.contains(&"TLSv1"),
        "{versions:?}"
    );
    assert_eq!(b.count(&format!("finding-{TLS_FLOOR}")).await, 0);
    b.find(&format!("passed-{TLS_FLOOR}")).await;
    b.close().await;
}

#[tokio::test]
async fn the_fips_fix_waits_for_the_weak_certificates_then_succeeds() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    // FIPS waits for the TLS floor (a request) and the weak certificates (manual steps).
    let blocked = b.content(&format!("finding-blocked-{FIPS}")).await;
    assert!(blocked.contains(TLS_FLOOR), "{blocked}");
    assert!(blocked.contains(WEAK_KEY), "{blocked}");
    assert!(!b.enabled(&format!("finding-fix-{FIPS}")).await);
    assert_eq!(fix(&b, TLS_FLOOR).await, "success");
    if b.count(&format!("finding-{WEAK_CIPHERS}")).await > 0 {
        assert_eq!(fix(&b, WEAK_CIPHERS).await, "success");
    }
    let blocked = b.content(&format!("finding-blocked-{FIPS}")).await;
    assert!(!blocked.contains(TLS_FLOOR), "{blocked}");
    assert!(blocked.contains(WEAK_KEY), "{blocked}");
    assert!(!b.enabled(&format!("finding-fix-{FIPS}")).await);

    // The weak-key certificate's remedy opens the create form, prefilled as its replacement.
    let weak: Vec<Value> = b
        .api_get(
            "/api/security/certificates?fields=uuid,name,common_name,key_size,hash_function,type",
        )
        .await["records"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|c| {
            c["key_size"].as_u64().is_some_and(|k| k < 2048)
                || matches!(c["hash_function"].as_str(), Some("sha1" | "md5"))
        })
        .collect();
    assert!(!weak.is_empty());
    b.click(&format!("finding-{WEAK_KEY}")).await;
    b.click(&format!("finding-open-{WEAK_KEY}")).await;
    b.find("cert-form-create").await;
    let subject = weak
        .iter()
        .find(|c| c["key_size"].as_u64().is_some_and(|k| k < 2048))
        .expect("a weak key");
    assert_eq!(
        b.value("create-common-name").await,
        subject["common_name"].as_str().unwrap_or_default()
    );
    assert_eq!(b.value("create-key-size").await, "2048");
    assert_eq!(b.value("create-hash").await, "sha256");
    b.click("create-review").await;
    assert_eq!(b.apply_preview().await, "success");
    b.close_preview().await;
    // The replacements are in: the weak ones go.
    for cert in &weak {
        let uuid = cert["uuid"].as_str().expect("a uuid");
        let (status, body) = b
            .api_send(
                "DELETE",
                &format!("/api/security/certificates/{uuid}"),
                Value::Null,
            )
            .await;
        assert!(status < 300, "DELETE {uuid}: {status} {body}");
    }

    b.click("nav-overview").await;
    b.find("posture-score").await;
    assert_eq!(b.count(&format!("finding-{WEAK_KEY}")).await, 0);
    assert_eq!(b.count(&format!("finding-blocked-{FIPS}")).await, 0);
    assert_eq!(fix(&b, FIPS).await, "success");
    assert_eq!(security(&b).await["fips"]["enabled"], true);
    assert_eq!(b.count(&format!("finding-{FIPS}")).await, 0);
    b.close().await;
}

#[tokio::test]
async fn fix_everything_leaves_only_what_needs_manual_steps() {
    let b = Browser::start(&["--job-seconds", "0"]).await;
    b.sign_in_at("/").await;
    b.find("posture-score").await;
    b.click("fix-all").await;
    b.find("plan-dialog").await;
    let steps = b.count("plan-step").await;
    assert!(steps >= 2, "{steps} steps");
    // Shown before anything is sent.
    assert_eq!(
        security(&b).await["management_protocols"]["telnet_enabled"],
        true
    );
    let first = b.text("plan-step-path").await;
    assert!(first.starts_with("/api/security"), "{first}");
    b.find("plan-blocked").await;
    let read = b.attr("posture-read", "data-read").await;
    b.click("plan-apply").await;
    let result = b.wait_text("plan-result", "requests").await;
    assert!(
        result.contains(&format!("All {steps} requests succeeded")),
        "{result}"
    );
    b.click("plan-close").await;
    b.wait_gone("plan-dialog").await;
    b.wait_attr_change("posture-read", "data-read", read.as_deref())
        .await;

    let now = security(&b).await;
    assert_eq!(now["management_protocols"]["telnet_enabled"], false);
    let left = findings(&b).await;
    assert!(!left.is_empty());
    for (id, remedy, blocked) in &left {
        assert!(
            remedy == "manual" || blocked == "true",
            "{id} could still be fixed by requests: {left:?}"
        );
    }
    assert!(!b.enabled("fix-all").await);
    b.close().await;
}

#[tokio::test]
async fn the_json_export_parses_and_matches_the_page() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/").await;
    b.find("posture-score").await;
    b.js(
        "window.__downloads = []; const make = URL.createObjectURL; \
          URL.createObjectURL = blob => { window.__downloads.push(blob); return make(blob); }; \
          return true",
    )
    .await;
    b.click("export-json").await;
    let text = b
        .page
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const wait = () => window.__downloads.length ? window.__downloads[0].text().then(done) \
                                                          : setTimeout(wait, 50); wait();",
            vec![],
        )
        .await
        .expect("the downloaded report");
    let report: Value = serde_json::from_str(text.as_str().expect("text")).expect("JSON");
    assert_eq!(report["schema_version"], 1);
    let number = |s: String| s.parse::<u64>().expect("a number");
    assert_eq!(
        report["summary"]["passed"].as_u64(),
        Some(number(b.text("score-passed").await))
    );
    assert_eq!(
        report["summary"]["total"].as_u64(),
        Some(number(b.text("score-total").await))
    );
    for severity in ["critical", "high", "medium", "low", "info"] {
        let shown = b
            .attr(&format!("score-failed-{severity}"), "data-count")
            .await
            .expect("a count");
        assert_eq!(
            report["summary"]["failed"][severity].as_u64(),
            Some(number(shown)),
            "{severity}"
        );
    }
    let on_page = findings(&b).await.len();
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(on_page));
    assert_eq!(
        report["cluster"]["name"].as_str().unwrap_or_default(),
        b.text("posture-cluster").await
    );
    b.close().await;
}
