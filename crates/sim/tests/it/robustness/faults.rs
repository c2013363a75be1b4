//! Fault injection over real HTTP: each fault kind as a client meets it, scoped, reproducible
//! with a seed, and gone once cleared through the control endpoint.

use std::time::{Duration, Instant};

use ontap_core::catalog::unwell;
use ontap_sim::faults::CONTROL_PATH;
use ontap_sim::{FaultSpec, SimConfig};
use serde_json::{json, Value};

use crate::common::*;

fn with_faults(spec: &str) -> SimConfig {
    SimConfig {
        faults: Some(FaultSpec::parse(spec).unwrap()),
        ..demo()
    }
}

async fn set(server: &TestServer, spec: &str) {
    let (status, body) = server.post(CONTROL_PATH, json!({ "spec": spec })).await;
    assert_eq!(status, 200, "{body}");
}

async fn clear(server: &TestServer) {
    let (status, body) = server.delete(CONTROL_PATH).await;
    assert_eq!((status, &body["spec"]), (200, &json!("")));
}

fn ontap_error(body: &Value, expected: u64) {
    assert_eq!(code(body), expected, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// Turns telnet off, which ONTAP runs as a job: the 202's body and the job's link.
async fn turn_telnet_off(server: &TestServer) -> (Value, String) {
    let (status, body) = server
        .patch(
            "/api/security",
            json!({"management_protocols": {"telnet_enabled": false}}),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let href = body["job"]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    (body, href)
}

#[tokio::test]
async fn error_answers_are_ontap_shaped_and_503_says_when_to_retry() {
    let server = spawn(with_faults("error=503")).await;
    let response = server
        .client
        .get(format!("{}/api/security", server.base))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    ontap_error(&response.json().await.unwrap(), unwell::INTERNAL);

    set(&server, "error=500").await;
    let (status, body) = server.get("/api/security/certificates").await;
    assert_eq!(status, 500);
    ontap_error(&body, unwell::INTERNAL);

    clear(&server).await;
    assert_eq!(server.get("/api/security").await.0, 200);
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_until_cleared() {
    let server = spawn(with_faults("drop=1")).await;
    let sent = server
        .client
        .get(format!("{}/api/cluster", server.base))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await;
    let outcome = match sent {
        Err(e) => Err(e),
        Ok(response) => response.bytes().await.map(|_| ()),
    };
    assert!(outcome.is_err(), "the connection answered: {outcome:?}");
    clear(&server).await;
    assert_eq!(server.get("/api/cluster").await.0, 200);
}

#[tokio::test]
async fn latency_delays_every_answer_in_scope() {
    // A lower bound only (a sleep never ends early): no assertion on how fast anything is.
    let server = spawn(with_faults("latency=300ms,path=/api/security")).await;
    let started = Instant::now();
    assert_eq!(server.get("/api/security").await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_job_fails_with_a_message_and_code_and_changes_nothing() {
    let server = spawn(with_faults("job-failure=1")).await;
    let (_, before) = server
        .get("/api/security?fields=management_protocols")
        .await;
    let (_, href) = turn_telnet_off(&server).await;
    let href = href.as_str();
    let (_, job) = server.get(href).await;
    assert_eq!(job["state"], "failure", "{job}");
    assert_eq!(job["code"], json!(unwell::INTERNAL));
    assert_eq!(job["message"], unwell::JOB_FAILED_TEXT);
    let (_, after) = server
        .get("/api/security?fields=management_protocols")
        .await;
    assert_eq!(before, after);

    clear(&server).await;
    let (status, body) = server
        .patch(
            "/api/security",
            json!({"management_protocols": {"telnet_enabled": false}}),
        )
        .await;
    assert_eq!(status, 202);
    let (_, job) = server
        .get(body["job"]["_links"]["self"]["href"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "success", "{job}");
}

#[tokio::test]
async fn unauthorized_after_n_requests_until_cleared() {
    let server = spawn(demo()).await;
    set(&server, "unauthorized-after=2").await;
    assert_eq!(server.get("/api/cluster").await.0, 200);
    assert_eq!(server.get("/api/security").await.0, 200);
    let (status, body) = server.get("/api/security").await;
    assert_eq!(status, 401);
    ontap_error(&body, ontap_sim::error::codes::UNAUTHORIZED);
    // The control endpoint is never faulted: the test can always turn the fault off.
    let (status, body) = server.get(CONTROL_PATH).await;
    assert_eq!(
        (status, &body["spec"]),
        (200, &json!("unauthorized-after=2"))
    );
    clear(&server).await;
    assert_eq!(server.get("/api/security").await.0, 200);
}

#[tokio::test]
async fn a_path_scope_leaves_other_paths_alone() {
    let server = spawn(with_faults("error=500,path=/api/security/certificates")).await;
    assert_eq!(server.get("/api/security/certificates").await.0, 500);
    assert_eq!(server.get("/api/security").await.0, 200);
    assert_eq!(server.get("/api/cluster").await.0, 200);
}

#[tokio::test]
async fn a_seed_gives_the_same_faults_in_the_same_order() {
    let server = spawn(demo()).await;
    let mut runs = Vec::new();
    for _ in 0..2 {
        set(&server, "error=500:0.5,seed=42").await;
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(server.get("/api/cluster").await.0);
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(
        runs[0].contains(&500) && runs[0].contains(&200),
        "{:?}",
        runs[0]
    );
}

#[tokio::test]
async fn a_bad_spec_is_refused_and_changes_nothing() {
    let server = spawn(with_faults("latency=10ms")).await;
    for spec in ["boom=1", "drop=2", "error=404", &"x".repeat(600)] {
        let (status, body) = server.post(CONTROL_PATH, json!({ "spec": spec })).await;
        assert_eq!(status, 400, "{spec}: {body}");
        assert_eq!(body["error"]["target"], "spec");
    }
    assert_eq!(server.get(CONTROL_PATH).await.1["spec"], "latency=10ms");
    // Authenticated like every call.
    let anonymous = server
        .client
        .delete(format!("{}{CONTROL_PATH}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(server.get(CONTROL_PATH).await.1["spec"], "latency=10ms");
}

#[tokio::test]
async fn a_stuck_job_stays_running_and_changes_nothing_until_cleared() {
    let server = spawn(with_faults("job-stuck=1")).await;
    let (_, before) = server
        .get("/api/security?fields=management_protocols")
        .await;
    let (_, href) = turn_telnet_off(&server).await;
    let href = href.as_str();
    // Jobs take no time here: every other job would have ended at once.
    for _ in 0..3 {
        let (status, job) = server.get(href).await;
        assert_eq!((status, &job["state"]), (200, &json!("running")), "{job}");
        assert!(job.get("end_time").is_none(), "{job}");
    }
    // Clearing the faults does not unstick it (as a hung job on a cluster), but new jobs end.
    clear(&server).await;
    assert_eq!(server.get(href).await.1["state"], "running");
    let (_, after) = server
        .get("/api/security?fields=management_protocols")
        .await;
    assert_eq!(before, after);
    let (_, body) = server
        .patch(
            "/api/security",
            json!({"management_protocols": {"telnet_enabled": false}}),
        )
        .await;
    let (_, job) = server
        .get(body["job"]["_links"]["self"]["href"].as_str().unwrap())
        .await;
    assert_eq!(job["state"], "success", "{job}");
}

#[tokio::test]
async fn an_expired_job_is_gone_once_it_ends_but_its_change_is_made() {
    let server = spawn(with_faults("job-expired=1")).await;
    let (body, href) = turn_telnet_off(&server).await;
    let href = href.as_str();
    let (status, job) = server.get(href).await;
    assert_eq!(status, 404, "{job}");
    assert!(job["error"]["message"].as_str().is_some(), "{job}");
    // Not in the list either, as after ONTAP's expiry.
    let uuid = body["job"]["uuid"].as_str().unwrap();
    let (_, jobs) = server.get("/api/cluster/jobs?fields=uuid").await;
    let listed = jobs["records"].as_array().unwrap();
    assert!(listed.iter().all(|j| j["uuid"] != uuid), "{jobs}");
    let (_, now) = server
        .get("/api/security?fields=management_protocols")
        .await;
    assert_eq!(
        now["management_protocols"]["telnet_enabled"], false,
        "{now}"
    );
}
