//! Following a job the way the console does, with the reference's job examples.

use std::path::Path;

use ontap_core::error::decode;
use ontap_core::jobs::{self, interpret_poll, is_terminal, Job, JobState, PollOutcome};
use ontap_core::{JobResponse, Method};
use serde_json::{json, Value};

fn fixture_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The reference's PATCH /api/security examples: the 202 body and the job it points to.
const PAIRS: [(&str, &str); 3] = [
    (
        "job_response__security_patch_1.json",
        "job__security_patch_1.json",
    ),
    (
        "job_response__security_patch_2.json",
        "job__security_patch_2.json",
    ),
    (
        "job_response__security_patch_3.json",
        "job__security_patch_3.json",
    ),
];

#[test]
fn a_patch_answer_leads_to_its_job_and_the_job_to_success() {
    for (answer, job) in PAIRS {
        let started: JobResponse = decode(202, &fixture_text(answer)).unwrap();
        let link = started.job.unwrap();
        let uuid = link.uuid.unwrap();
        // The request the console builds is the job's own self link.
        let request = jobs::get(&uuid);
        assert_eq!(request.method, Method::Get);
        let href = link.links.unwrap().self_.unwrap().href.unwrap();
        assert_eq!(request.path, href, "{answer}");

        let outcome = interpret_poll(decode::<Job>(200, &fixture_text(job)), false).unwrap();
        let PollOutcome::Succeeded(done) = outcome else {
            panic!("{job}: {outcome:?}");
        };
        assert_eq!(done.uuid.as_deref(), Some(uuid.as_str()));
        assert_eq!(done.description.as_deref(), Some("PATCH /api/security"));
        assert_eq!(done.code, Some(0));
        assert!(is_terminal(done.state.as_ref().unwrap()));
        let took = done.duration().unwrap();
        assert!((0..=1).contains(&took.as_secs()), "{job}: {took:?}");
    }
}

#[test]
fn the_rsh_example_answer_and_the_schema_example_decode() {
    let started: JobResponse =
        decode(202, &fixture_text("job_response__security_patch_4.json")).unwrap();
    assert_eq!(
        started.job.unwrap().uuid.as_deref(),
        Some("2980ba28-adab-11eb-8fa3-005056bbfa84")
    );
    let schema: JobResponse = decode(200, &fixture_text("job_response__example.json")).unwrap();
    assert_eq!(schema.job.unwrap().uuid.as_deref(), Some("string"));
}

#[test]
fn a_poll_sequence_from_queued_to_expired() {
    let answer = |state: &str| {
        decode::<Job>(
            200,
            &json!({"uuid": "u", "state": state, "message": state, "code": 0}).to_string(),
        )
    };
    let gone = || {
        decode::<Job>(
            404,
            r#"{"error":{"code":"4","message":"entry doesn't exist","target":"uuid"}}"#,
        )
    };
    // A job never seen: the 404 is an error the console shows.
    let err = interpret_poll(gone(), false).unwrap_err();
    assert_eq!(err.status(), 404);
    assert_eq!(err.ontap().unwrap().code_number(), Some(4));
    // Seen queued, then running, then gone: it expired.
    let mut seen = false;
    let mut outcomes = Vec::new();
    for poll in [
        answer("queued"),
        answer("running"),
        answer("paused"),
        gone(),
    ] {
        let outcome = interpret_poll(poll, seen).unwrap();
        seen = true;
        outcomes.push(outcome);
    }
    assert!(outcomes[..3]
        .iter()
        .all(|o| matches!(o, PollOutcome::Pending(_))));
    assert_eq!(outcomes[3], PollOutcome::Expired);
    // Anything but a 404 stays an error even after the job was seen.
    let unavailable = decode::<Job>(503, "upstream unavailable");
    assert!(interpret_poll(unavailable, true).is_err());
}

#[test]
fn a_failed_job_gives_the_message_and_code_to_show() {
    let body: Value = json!({
        "uuid": "8e7f59ee-a9c4-4faa-9513-bef689bbf2c2",
        "description": "PATCH /api/security",
        "state": "failure",
        "message": "Cannot enable FIPS-compliant mode because a certificate that is not FIPS-compliant is in use.",
        "code": 52559974,
        "start_time": "2020-04-28T06:55:40-05:00",
        "end_time": "2020-04-28T06:55:41-05:00"
    });
    match interpret_poll(decode::<Job>(200, &body.to_string()), true).unwrap() {
        PollOutcome::Failed { message, code, job } => {
            assert_eq!(code, Some(52559974));
            assert!(message.contains("not FIPS-compliant"));
            assert_eq!(job.state, Some(JobState::Failure));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn job_states_round_trip_including_unknown_ones() {
    for name in [
        "queued",
        "running",
        "paused",
        "success",
        "failure",
        "cancelled",
    ] {
        let state: JobState = serde_json::from_value(json!(name)).unwrap();
        assert_eq!(serde_json::to_value(&state).unwrap(), json!(name));
        assert_eq!(
            is_terminal(&state),
            name == "success" || name == "failure",
            "{name}"
        );
    }
}
