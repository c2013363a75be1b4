//! The security audit over real HTTP: read a cluster with `ontap_core::audit::reads()` (pages
//! followed), audit it, and send the plan's requests as the console does.

use ontap_core::audit::{self, catalog, plan, reads, Report, Snapshot};
use ontap_core::{Collection, Request};
use ontap_sim::{Scenario, SimConfig};
use serde::de::DeserializeOwned;

use crate::common::*;

async fn read_one<T: DeserializeOwned>(server: &TestServer, request: &Request) -> T {
    let (status, body) = server.send(request).await;
    assert_eq!(status, 200, "{}: {body}", request.path);
    serde_json::from_value(body).unwrap()
}

async fn read_all<T: DeserializeOwned>(server: &TestServer, request: &Request) -> Vec<T> {
    let mut out = Vec::new();
    let mut next = Some(request.clone());
    for _ in 0..1000 {
        let Some(request) = next.take() else { break };
        let page: Collection<T> = read_one(server, &request).await;
        next = page.next_href().map(Request::follow);
        out.extend(page.records);
    }
    out
}

/// What the console and the command line do: the reads, then the audit at the current time.
async fn audit_of(server: &TestServer) -> Report {
    let r = reads();
    let snapshot = Snapshot {
        cluster: read_one(server, &r.cluster).await,
        security: read_one(server, &r.security).await,
        ipsec: Some(read_one(server, &r.ipsec).await),
        key_managers: read_all(server, &r.key_managers).await,
        certificates: read_all(server, &r.certificates).await,
    };
    audit::audit(&snapshot, jiff::Timestamp::now())
}

fn rules_of(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_str()).collect()
}

async fn send_all(server: &TestServer, requests: &[Request]) {
    for request in requests {
        let (status, body) = server.send(request).await;
        assert!(matches!(status, 200 | 202), "{request:?}: {status} {body}");
        if status == 202 {
            let href = body["job"]["_links"]["self"]["href"].as_str().unwrap();
            let (_, job) = server.get(href).await;
            assert_eq!(job["state"], "success", "{request:?}: {job}");
        }
    }
}

#[tokio::test]
async fn the_hardened_cluster_has_no_finding() {
    let server = spawn(SimConfig {
        scenario: Scenario::Hardened,
        ..demo()
    })
    .await;
    let report = audit_of(&server).await;
    assert_eq!(
        rules_of(&report),
        Vec::<&str>::new(),
        "{:#?}",
        report.findings
    );
    assert_eq!(report.summary.passed, report.summary.total);
    assert_eq!(report.cluster.name.as_deref(), Some("hardened"));
    // The expensive fields were read, so the availability and keys rules were judged.
    let managers: Vec<ontap_core::key_managers::KeyManager> =
        read_all(&server, &reads().key_managers).await;
    assert_eq!(managers.len(), 1);
    assert!(managers[0].status.is_some());
    let servers = managers[0]
        .external
        .as_ref()
        .unwrap()
        .servers
        .as_ref()
        .unwrap();
    assert_eq!(servers.len(), 2);
    assert!(servers.iter().all(|s| s.connectivity.is_some()));
    let certificates: Vec<ontap_core::certificates::Certificate> =
        read_all(&server, &reads().certificates).await;
    // The list fields the rules judge (FIPS included), and no PEMs.
    assert!(certificates.iter().all(|c| c.public_certificate.is_none()
        && c.key_size.is_some()
        && c.hash_function.is_some()));
}

#[tokio::test]
async fn the_demo_shows_what_issue_13_lists_and_its_fixes_work() {
    let server = spawn(demo()).await;
    let report = audit_of(&server).await;
    let found = rules_of(&report);
    for rule in [
        catalog::FIPS_DISABLED,
        catalog::TLS_MIN_VERSION,
        catalog::PROTOCOLS_TELNET,
        catalog::CERTIFICATE_EXPIRED,
        catalog::CERTIFICATE_WEAK_KEY,
        catalog::CERTIFICATE_WEAK_HASH,
    ] {
        assert!(found.contains(&rule), "{rule} missing from {found:?}");
    }
    let subject = |rule: &str| {
        report
            .findings_of(rule)
            .map(|f| f.subject.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(subject(catalog::CERTIFICATE_EXPIRED), ["Legacy Partner CA"]);
    assert_eq!(
        subject(catalog::CERTIFICATE_WEAK_KEY),
        ["old-mgmt.example.com"]
    );
    assert_eq!(
        subject(catalog::CERTIFICATE_WEAK_HASH),
        ["legacy-app.example.com"]
    );
    // The report's JSON carries no secret and reads back.
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains(PASSWORD));
    let _: Report = serde_json::from_str(&text).unwrap();

    // "Fix everything": FIPS is blocked by the weak certificates in use, the rest is sent.
    let first = plan(&report);
    assert!(first
        .blocked
        .iter()
        .any(|b| b.rule == catalog::FIPS_DISABLED));
    assert!(first.steps.iter().all(|s| s.rule != catalog::FIPS_DISABLED));
    let requests: Vec<Request> = first.steps.iter().map(|s| s.request.clone()).collect();
    send_all(&server, &requests).await;
    let after = audit_of(&server).await;
    for step in &first.steps {
        assert_eq!(
            after.findings_of(&step.rule).count(),
            0,
            "{} remains",
            step.rule
        );
    }

    // Replacing (here: deleting) the weak certificates unblocks FIPS, which then succeeds.
    for f in after.findings.iter().filter(|f| {
        f.rule == catalog::CERTIFICATE_WEAK_KEY || f.rule == catalog::CERTIFICATE_WEAK_HASH
    }) {
        let (_, found) = server
            .get(&format!("/api/security/certificates?name={}", f.subject))
            .await;
        let uuid = found["records"][0]["uuid"].as_str().unwrap().to_owned();
        let (status, _) = server
            .delete(&format!("/api/security/certificates/{uuid}"))
            .await;
        assert_eq!(status, 200);
    }
    let second = plan(&audit_of(&server).await);
    assert!(second.blocked.is_empty(), "{:?}", second.blocked);
    let fips: Vec<Request> = second
        .steps
        .iter()
        .filter(|s| s.rule == catalog::FIPS_DISABLED)
        .map(|s| s.request.clone())
        .collect();
    assert_eq!(fips.len(), 1);
    send_all(&server, &fips).await;
    let last = audit_of(&server).await;
    assert_eq!(last.findings_of(catalog::FIPS_DISABLED).count(), 0);
}

#[tokio::test]
async fn the_many_cluster_is_read_page_by_page_and_its_ec_keys_are_not_weak() {
    let server = spawn(SimConfig {
        scenario: Scenario::Many,
        ..demo()
    })
    .await;
    let certificates: Vec<ontap_core::certificates::Certificate> =
        read_all(&server, &reads().certificates).await;
    let (_, head) = server.get("/api/security/certificates?fields=uuid").await;
    assert_eq!(
        certificates.len() as u64,
        head["num_records"].as_u64().unwrap()
    );
    assert!(certificates.len() > 10_000);
    let report = audit_of(&server).await;
    // The generated certificates are ECDSA P-256: only the demo's 1024-bit one is weak.
    let weak: Vec<&str> = report
        .findings_of(catalog::CERTIFICATE_WEAK_KEY)
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(weak, ["old-mgmt.example.com"]);
    assert!(report.findings_of(catalog::CERTIFICATE_EXPIRED).count() > 1);
}
