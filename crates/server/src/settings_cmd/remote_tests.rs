//! `send` against the simulator in this process, with its job faults: a job still running when
//! the bound is reached (a short bound here: core's is ten minutes, and core's tests cover it),
//! a job gone before its end was read, and one followed to its end.

use ontap_core::jobs::{FOLLOW_MINUTES, OUTCOME_UNKNOWN_TEXT};
use ontap_core::request::{Method, Path, Request};
use ontap_core::Secret;

use super::{send, send_following, SendError};
use crate::audit::fetch::Clients;
use crate::audit::simulate::{self, Running};
use crate::audit::targets::Target;

const PASSWORD: &str = "remote-test-pw-1";

/// A simulated cluster with `faults`, its jobs taking `job_seconds`; it stops when the
/// returned guard is dropped.
async fn sim(faults: Option<&str>, job_seconds: f64) -> (Target, Running) {
    let config = ontap_sim::SimConfig {
        scenario: ontap_sim::Scenario::Empty,
        job_seconds,
        faults: faults.map(|f| ontap_sim::FaultSpec::parse(f).expect("faults")),
        ..ontap_sim::SimConfig::new("admin", Secret::new(PASSWORD.to_owned()))
    };
    simulate::start_with(config, "sim".to_owned())
        .await
        .expect("simulator")
}

/// A change the simulator runs as a job.
fn telnet_on() -> Request {
    Request::new(Method::Patch, Path::api("security").build())
        .with_json(&serde_json::json!({"management_protocols": {"telnet_enabled": true}}))
}

#[tokio::test]
async fn a_job_still_running_at_the_bound_is_left_to_ontap_and_says_where_to_see_it() {
    let (target, _sim) = sim(Some("job-stuck=1"), 0.0).await;
    let clients = Clients::for_targets(std::slice::from_ref(&target)).expect("clients");
    let lines = std::sync::Mutex::new(Vec::new());
    let progress = |line: &str| lines.lock().unwrap().push(line.to_owned());
    let polled = std::sync::atomic::AtomicU32::new(0);
    let keep = |polls: u32| {
        polled.store(polls, std::sync::atomic::Ordering::Relaxed);
        polls < 2
    };
    let error = send_following(&clients, &target, &telnet_on(), &progress, &keep)
        .await
        .expect_err("still running");
    let SendError::StillRunning { uuid } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(polled.load(std::sync::atomic::Ordering::Relaxed), 2);
    assert_eq!(error.mark(), "still running");
    let text = error.to_string();
    assert!(
        text.contains(&format!("GET /api/cluster/jobs/{uuid}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("after {FOLLOW_MINUTES} minutes")),
        "{text}"
    );
    let lines = lines.into_inner().unwrap();
    assert_eq!(
        lines.last().map(String::as_str),
        Some(&*format!("job {uuid}: still running"))
    );
}

#[tokio::test]
async fn a_job_gone_before_its_end_was_read_has_an_unknown_outcome() {
    let (target, _sim) = sim(Some("job-expired=1"), 1.0).await;
    let clients = Clients::for_targets(std::slice::from_ref(&target)).expect("clients");
    let lines = std::sync::Mutex::new(Vec::new());
    let progress = |line: &str| lines.lock().unwrap().push(line.to_owned());
    let error = send(&clients, &target, &telnet_on(), &progress)
        .await
        .expect_err("outcome unknown");
    assert!(
        matches!(error, SendError::OutcomeUnknown { .. }),
        "{error:?}"
    );
    assert_eq!(error.mark(), "outcome unknown");
    assert!(error.to_string().contains(OUTCOME_UNKNOWN_TEXT), "{error}");
    let lines = lines.into_inner().unwrap();
    assert!(lines.len() >= 2, "seen running, then gone: {lines:?}");
    assert!(lines.iter().all(|l| !l.contains("finished")), "{lines:?}");
}

#[tokio::test]
async fn a_job_followed_to_its_end_succeeds() {
    let (target, _sim) = sim(None, 0.5).await;
    let clients = Clients::for_targets(std::slice::from_ref(&target)).expect("clients");
    let lines = std::sync::Mutex::new(Vec::new());
    let progress = |line: &str| lines.lock().unwrap().push(line.to_owned());
    send(&clients, &target, &telnet_on(), &progress)
        .await
        .expect("success");
    let lines = lines.into_inner().unwrap();
    assert!(
        lines.last().is_some_and(|l| l.contains("success")),
        "{lines:?}"
    );
}
