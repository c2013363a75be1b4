//! Authentication, fields, filters, ordering and pagination over real HTTP.

use crate::common;

use common::*;
use serde_json::Value;

#[tokio::test]
async fn basic_auth_is_required() {
    let server = spawn(demo()).await;
    let anonymous = server
        .client
        .get(format!("{}/api/cluster", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        "Basic realm=\"ontap\""
    );
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(code(&body), 6);
    let wrong = server
        .client
        .get(format!("{}/api/cluster", server.base))
        .basic_auth(USER, Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let (status, cluster) = server.get("/api/cluster").await;
    assert_eq!(status, 200);
    assert_eq!(cluster["name"], "cluster1");
    assert_eq!(cluster["version"]["generation"], 9);
}

#[tokio::test]
async fn answers_carry_no_store_and_the_simulator_header() {
    let server = spawn(demo()).await;
    let response = server
        .client
        .get(format!("{}/api/security", server.base))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()[ontap_sim::SIMULATOR_HEADER], "true");
}

#[tokio::test]
async fn fields_filters_and_ordering_on_certificates() {
    let server = spawn(demo()).await;
    let (_, all) = server.get("/api/security/certificates").await;
    let count = all["num_records"].as_u64().unwrap();
    assert!(count >= 10, "{count}");
    let first = &all["records"][0];
    assert!(
        first.get("name").is_some()
            && first.get("public_certificate").is_none()
            && first.get("uuid").is_some()
    );

    let (_, cas) = server.get("/api/security/certificates?type=server_ca|root_ca&fields=type,key_size&order_by=key_size%20desc").await;
    let records = cas["records"].as_array().unwrap();
    assert!(!records.is_empty());
    assert!(records
        .iter()
        .all(|r| r["type"] == "server_ca" || r["type"] == "root_ca"));
    let (_, weak) = server
        .get("/api/security/certificates?key_size=%3C2048&fields=name,key_size")
        .await;
    assert_eq!(weak["num_records"], 1);
    assert_eq!(weak["records"][0]["name"], "old-mgmt.example.com");
    let (_, not_weak) = server
        .get("/api/security/certificates?key_size=!1024&return_records=false")
        .await;
    assert_eq!(not_weak["num_records"].as_u64().unwrap(), count - 1);
    assert!(not_weak.get("records").is_none());
    let (_, vs0) = server
        .get("/api/security/certificates?svm.name=vs0&fields=name")
        .await;
    assert_eq!(vs0["num_records"], 3);
    let (_, wild) = server.get("/api/security/certificates?name=*kmip*").await;
    assert_eq!(wild["num_records"], 2);
    let (_, names) = server
        .get("/api/security/certificates?order_by=name&fields=name")
        .await;
    let list: Vec<String> = names["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = list.clone();
    sorted.sort();
    assert_eq!(list, sorted);

    let (status, err) = server.get("/api/security/certificates?colour=red").await;
    assert_eq!(status, 400);
    assert_eq!(code(&err), 262179);
}

#[tokio::test]
async fn pagination_by_links_next_returns_everything_once() {
    let server = spawn(demo()).await;
    let (_, all) = server
        .get("/api/security/certificates?fields=uuid&order_by=uuid")
        .await;
    let expected: Vec<Value> = all["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uuid"].clone())
        .collect();
    let mut seen = Vec::new();
    let mut next =
        Some("/api/security/certificates?fields=uuid&order_by=uuid&max_records=3".to_owned());
    let mut pages = 0;
    while let Some(path) = next {
        let (status, page) = server.get(&path).await;
        assert_eq!(status, 200);
        assert!(page["num_records"].as_u64().unwrap() <= 3);
        seen.extend(
            page["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["uuid"].clone()),
        );
        next = page["_links"]["next"]["href"].as_str().map(str::to_owned);
        pages += 1;
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(3));
}

#[tokio::test]
async fn svms_are_listed() {
    let server = spawn(demo()).await;
    let (_, svms) = server.get("/api/svm/svms?fields=name,uuid").await;
    let names: Vec<&str> = svms["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["vs0", "vs1"]);
    let (_, one) = server.get("/api/svm/svms?name=vs1").await;
    assert_eq!(one["num_records"], 1);
}

#[tokio::test]
async fn doubled_slashes_read_as_one() {
    let server = spawn(demo()).await;
    let (status, body) = server.get("/api//security").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("fips").is_some(), "{body}");
    let (status, _) = server
        .get("//api///security/certificates?max_records=1")
        .await;
    assert_eq!(status, 200);
    // A client joining `_links.next` to its base `…/api/` gets `/api//api/…`'s sibling form
    // `…/` + `/api/…`: both read as the page they name.
    let (_, page) = server.get("/api/security/certificates?max_records=1").await;
    let next = page["_links"]["next"]["href"].as_str().unwrap().to_owned();
    let (status, second) = server.get(&format!("/{next}")).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["num_records"], 1);
    assert_ne!(second["records"][0]["uuid"], page["records"][0]["uuid"]);
    // Anything else is still ONTAP's 404.
    assert_eq!(server.get("/api//nothing").await.0, 404);
}

/// Walks every endpoint of the seeds and checks NetApp's published conventions on each: the
/// default fields are a subset of `fields=*`, which is a subset of `fields=**`; records and
/// collections carry `_links.self` (a record's own link reads it back); `num_records` counts
/// the records returned; `return_records=false` returns the count only; a missing record is a
/// 404 with `message`, `code` and `target`.
#[tokio::test]
async fn every_endpoint_follows_the_conventions() {
    let server = spawn(demo()).await;
    let (_, kms) = server.get("/api/security/key-managers").await;
    let km = kms["records"][0]["uuid"].as_str().unwrap().to_owned();
    // Run one job so that the jobs collection has a record.
    server
        .patch(
            "/api/security",
            serde_json::json!({"management_protocols": {"rsh_enabled": false}}),
        )
        .await;
    let collections = [
        "/api/security/certificates".to_owned(),
        "/api/security/key-managers".to_owned(),
        format!("/api/security/key-managers/{km}/key-servers"),
        "/api/cluster/jobs".to_owned(),
        "/api/svm/svms".to_owned(),
    ];
    let singletons = ["/api/security", "/api/security/ipsec", "/api/cluster"];
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    let subset = |a: &[String], b: &[String]| a.iter().all(|k| b.contains(k));
    for path in &collections {
        let (status, default) = server.get(path).await;
        assert_eq!(status, 200, "{path}: {default}");
        let records = default["records"].as_array().unwrap();
        assert!(!records.is_empty(), "{path}");
        assert_eq!(default["num_records"], records.len(), "{path}");
        assert_eq!(default["_links"]["self"]["href"], path.as_str());
        let (_, star) = server.get(&format!("{path}?fields=*")).await;
        let (_, all) = server.get(&format!("{path}?fields=**")).await;
        for (i, record) in records.iter().enumerate() {
            let (d, s, a) = (
                keys(record),
                keys(&star["records"][i]),
                keys(&all["records"][i]),
            );
            assert!(subset(&d, &s), "{path}: default {d:?} not within * {s:?}");
            assert!(subset(&s, &a), "{path}: * {s:?} not within ** {a:?}");
            let own = record["_links"]["self"]["href"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: {record}"));
            let (status, read) = server.get(own).await;
            assert_eq!(status, 200, "{own}: {read}");
            assert!(read.get("records").is_none(), "{own} reads one record");
        }
        let (_, count) = server.get(&format!("{path}?return_records=false")).await;
        assert_eq!(count["num_records"], records.len(), "{path}");
        assert!(count.get("records").is_none(), "{path}: {count}");
        let (status, err) = server.get(&format!("{path}/no-such-record")).await;
        assert_eq!(status, 404, "{path}: {err}");
        for part in ["message", "code", "target"] {
            assert!(err["error"][part].is_string(), "{path}: {err}");
        }
    }
    for path in singletons {
        let (status, default) = server.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(default["_links"]["self"]["href"], path, "{path}: {default}");
        let (_, star) = server.get(&format!("{path}?fields=*")).await;
        let (_, all) = server.get(&format!("{path}?fields=**")).await;
        assert!(subset(&keys(&default), &keys(&star)), "{path}");
        assert!(subset(&keys(&star), &keys(&all)), "{path}");
    }
}

/// `return_timeout`: a job running longer than it answers 202 with the job; one that ends
/// within it answers with the outcome (NetApp's conventions for asynchronous operations).
#[tokio::test]
async fn return_timeout_answers_the_job_or_its_outcome() {
    let server = spawn(ontap_sim::SimConfig {
        job_seconds: 0.5,
        ..demo()
    })
    .await;
    let body = serde_json::json!({"management_protocols": {"rsh_enabled": false}});
    let (status, accepted) = server.patch("/api/security", body.clone()).await;
    assert_eq!(status, 202, "{accepted}");
    let job = accepted["job"]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(job.starts_with("/api/cluster/jobs/"));
    assert!(accepted["job"]["uuid"].is_string());
    let (status, done) = server.patch("/api/security?return_timeout=30", body).await;
    assert_eq!(status, 200, "{done}");
    let outcome = done["job"]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, record) = server.get(&outcome).await;
    assert_eq!(record["state"], "success");
    // A refused change ended within the timeout answers with the refusal itself.
    let (status, err) = server
        .patch(
            "/api/security?return_timeout=30",
            serde_json::json!({"fips": {"enabled": true}}),
        )
        .await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(code(&err), ontap_core::catalog::codes::TLS11_WITH_FIPS);
}
