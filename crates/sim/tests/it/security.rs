//! `/api/security` and `/api/security/ipsec` over real HTTP, jobs included.

use crate::common;

use common::*;
use ontap_core::security::{self, SecurityConfig};
use serde_json::{json, Value};

async fn wait_for_job(server: &TestServer, body: &Value) -> Value {
    let href = body["job"]["_links"]["self"]["href"]
        .as_str()
        .expect("a job link")
        .to_owned();
    for _ in 0..100 {
        let (status, job) = server.get(&href).await;
        assert_eq!(status, 200);
        if job["state"] == "success" || job["state"] == "failure" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job did not finish");
}

#[tokio::test]
async fn every_setting_changes_through_a_job_and_reads_back() {
    let server = spawn(empty()).await;
    let change: SecurityConfig = serde_json::from_value(json!({
        "management_protocols": {"rsh_enabled": true, "telnet_enabled": true},
        "tls": {"protocol_versions": ["TLSv1.1"], "cipher_suites": ["TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]},
        "software_data_encryption": {"disabled_by_default": true}
    }))
    .unwrap();
    let (status, body) = server.send(&security::patch(&change, None).unwrap()).await;
    assert_eq!(status, 202, "{body}");
    let job = wait_for_job(&server, &body).await;
    assert_eq!(job["state"], "success");
    assert_eq!(job["description"], "PATCH /api/security");
    let (_, now) = server.get("/api/security").await;
    assert_eq!(
        now["management_protocols"],
        json!({"rsh_enabled": true, "telnet_enabled": true})
    );
    assert_eq!(
        now["tls"]["protocol_versions"],
        json!(["TLSv1.3", "TLSv1.2", "TLSv1.1"])
    );
    assert_eq!(now["tls"]["cipher_suites"].as_array().unwrap().len(), 3);
    assert_eq!(now["software_data_encryption"]["disabled_by_default"], true);

    // FIPS: refused while TLSv1.1 stays allowed, accepted with the floor raised; it disables
    // the suites FIPS does not approve.
    let (status, err) = server
        .patch("/api/security", json!({"fips.enabled": true}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(code(&err), 52428832);
    let (status, body) = server
        .patch(
            "/api/security?return_timeout=5",
            json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, now) = server.get("/api/security?fields=fips,tls").await;
    assert_eq!(now["fips"]["enabled"], true);
    assert!(now.get("management_protocols").is_none());
    assert_eq!(
        now["tls"]["cipher_suites"],
        json!([
            "TLS_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        ])
    );
}

#[tokio::test]
async fn body_rules_answer_with_their_codes() {
    let server = spawn(empty()).await;
    for (body, expected) in [
        (
            json!({"software_data_encryption": {"conversion_enabled": false}}),
            196608387,
        ),
        (
            json!({"software_data_encryption": {"conversion_enabled": true, "disabled_by_default": true}}),
            196608388,
        ),
        (
            json!({"software_data_encryption": {"conversion_enabled": true, "rekey": true}}),
            196608389,
        ),
        (
            json!({"software_data_encryption": {"rekey": false}}),
            196608390,
        ),
        (
            json!({"software_data_encryption": {"rekey": true, "disabled_by_default": true}}),
            196608391,
        ),
        (
            json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["SSLv3"]}}),
            52428817,
        ),
        (
            json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1"]}}),
            52428824,
        ),
        (
            json!({"software_data_encryption": {"conversion_enabled": true}}),
            196608070,
        ),
        (json!({"fips": {"colour": "blue"}}), 262179),
    ] {
        let (status, err) = server.patch("/api/security", body.clone()).await;
        assert_eq!((status, code(&err)), (400, expected), "{body}: {err}");
    }
}

#[tokio::test]
async fn fips_is_refused_while_a_weak_certificate_is_in_use() {
    let server = spawn(demo()).await;
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 52559974), "{err}");
    assert!(err["error"]["target"]
        .as_str()
        .unwrap()
        .contains("old-mgmt.example.com"));
    // Deleting the 1024-bit certificate, then the SHA-1 one, lifts the block.
    let fips_on = json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.2"]}});
    for (name, next_blocker) in [
        ("old-mgmt.example.com", Some("legacy-app.example.com")),
        ("legacy-app.example.com", None),
    ] {
        let (_, found) = server
            .get(&format!("/api/security/certificates?name={name}"))
            .await;
        let uuid = found["records"][0]["uuid"].as_str().unwrap().to_owned();
        let (status, _) = server
            .delete(&format!("/api/security/certificates/{uuid}"))
            .await;
        assert_eq!(status, 200);
        let (status, err) = server.patch("/api/security", fips_on.clone()).await;
        match next_blocker {
            Some(blocker) => {
                assert_eq!(status, 400);
                assert!(
                    err["error"]["target"].as_str().unwrap().contains(blocker),
                    "{err}"
                );
            }
            None => assert_eq!(status, 202, "{err}"),
        }
    }
}

#[tokio::test]
async fn demo_starts_weak_and_okm_status_follows_key_managers() {
    let server = spawn(demo()).await;
    let (_, s) = server.get("/api/security").await;
    assert_eq!(s["fips"]["enabled"], false);
    assert_eq!(s["management_protocols"]["telnet_enabled"], true);
    assert_eq!(
        s["onboard_key_manager_configurable_status"]["supported"],
        true
    );
    let passphrase = "a".repeat(40);
    let (status, _) = server
        .post(
            "/api/security/key-managers",
            json!({"onboard": {"passphrase": passphrase}}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, s) = server
        .get("/api/security?fields=onboard_key_manager_configurable_status")
        .await;
    assert_eq!(
        s["onboard_key_manager_configurable_status"]["supported"],
        false
    );
    assert_eq!(
        s["onboard_key_manager_configurable_status"]["code"],
        65536907
    );
    // With a key manager, conversion starts and completes.
    let (status, body) = server
        .patch(
            "/api/security?return_timeout=5",
            json!({"software_data_encryption.conversion_enabled": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, s) = server
        .get("/api/security?fields=software_data_encryption")
        .await;
    assert_eq!(
        s["software_data_encryption"]["encryption_state"],
        "encrypted"
    );
}

#[tokio::test]
async fn jobs_move_through_their_states_and_expire() {
    // A hand-moved clock: the states below do not depend on how loaded the machine is.
    let clock = ontap_sim::clock::Clock::manual_from_now();
    let config = ontap_sim::SimConfig {
        job_seconds: 0.6,
        job_expiry_seconds: 0.6,
        clock: clock.clone(),
        ..empty()
    };
    let server = spawn(config).await;
    let (status, body) = server
        .patch(
            "/api/security",
            json!({"management_protocols": {"telnet_enabled": true}}),
        )
        .await;
    assert_eq!(status, 202);
    let href = body["job"]["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, job) = server.get(&href).await;
    assert_eq!(job["state"], "queued");
    // Not applied before the job finishes.
    assert_eq!(
        server.get("/api/security").await.1["management_protocols"]["telnet_enabled"],
        false
    );
    clock.advance(0.25);
    assert_eq!(server.get(&href).await.1["state"], "running");
    assert_eq!(
        server.get("/api/security").await.1["management_protocols"]["telnet_enabled"],
        false
    );
    clock.advance(0.4);
    let job = server.get(&href).await.1;
    assert_eq!(job["state"], "success");
    assert!(job["end_time"].is_string());
    assert_eq!(
        server.get("/api/security").await.1["management_protocols"]["telnet_enabled"],
        true
    );
    let (_, listed) = server.get("/api/cluster/jobs?state=success").await;
    assert_eq!(listed["num_records"], 1);
    clock.advance(0.3);
    assert_eq!(server.get(&href).await.0, 200, "not expired yet");
    clock.advance(0.4);
    let (status, gone) = server.get(&href).await;
    assert_eq!((status, code(&gone)), (404, 4));
}

#[tokio::test]
async fn return_timeout_waits_for_the_job() {
    let server = spawn(ontap_sim::SimConfig {
        job_seconds: 0.6,
        ..empty()
    })
    .await;
    // return_timeout waits for the job.
    let started = std::time::Instant::now();
    let (status, _) = server
        .patch(
            "/api/security?return_timeout=5",
            json!({"management_protocols": {"rsh_enabled": true}}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(500));
}

#[tokio::test]
async fn ipsec_toggles() {
    let server = spawn(empty()).await;
    assert_eq!(server.get("/api/security/ipsec").await.1["enabled"], false);
    let (status, _) = server.send(&ontap_core::ipsec::set_enabled(true)).await;
    assert_eq!(status, 200);
    assert_eq!(server.get("/api/security/ipsec").await.1["enabled"], true);
    let (status, err) = server
        .patch("/api/security/ipsec", json!({"enabled": "yes"}))
        .await;
    assert_eq!((status, code(&err)), (400, 262185));
    let (status, err) = server
        .patch("/api/security/ipsec", json!({"mode": "x"}))
        .await;
    assert_eq!((status, code(&err)), (400, 262179));
}

async fn with_onboard_key_manager(server: &TestServer) {
    let passphrase = "b".repeat(40);
    let (status, body) = server
        .post(
            "/api/security/key-managers",
            json!({"onboard": {"passphrase": passphrase}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

async fn encryption_state(server: &TestServer) -> Value {
    server
        .get("/api/security?fields=software_data_encryption")
        .await
        .1["software_data_encryption"]["encryption_state"]
        .clone()
}

#[tokio::test]
async fn conversion_then_rekey_show_their_progress_and_refuse_a_second_start() {
    let config = ontap_sim::SimConfig {
        job_seconds: 0.5,
        ..empty()
    };
    let server = spawn(config).await;
    with_onboard_key_manager(&server).await;
    // Nothing is encrypted yet: a rekey has plain-text volumes to refuse.
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption": {"rekey": true}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 196608384), "{err}");

    let (status, started) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption.conversion_enabled": true}),
        )
        .await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(encryption_state(&server).await, "encrypting");
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption": {"conversion_enabled": true}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 196608370), "{err}");
    assert_eq!(
        err["error"]["target"],
        "software_data_encryption.conversion_enabled"
    );
    let job = wait_for_job(&server, &started).await;
    assert_eq!(job["state"], "success");
    let (_, now) = server
        .get("/api/security?fields=software_data_encryption")
        .await;
    assert_eq!(
        now["software_data_encryption"]["encryption_state"],
        "encrypted"
    );
    assert_eq!(now["software_data_encryption"]["conversion_enabled"], true);

    let (status, started) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption": {"rekey": true}}),
        )
        .await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(encryption_state(&server).await, "rekeying");
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption": {"rekey": true}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 196608371), "{err}");
    assert_eq!(wait_for_job(&server, &started).await["state"], "success");
    assert_eq!(encryption_state(&server).await, "encrypted");
}

#[tokio::test]
async fn a_rekey_needs_ontap_9_16_1() {
    let server = spawn(empty()).await;
    with_onboard_key_manager(&server).await;
    let (status, _) = server
        .patch(
            "/api/security?return_timeout=5",
            json!({"software_data_encryption": {"conversion_enabled": true}}),
        )
        .await;
    assert_eq!(status, 200);
    server.sim.write(|s| s.cluster.version = (9, 15, 1));
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption": {"rekey": true}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 196608392), "{err}");
    server.sim.write(|s| s.cluster.version = (9, 16, 1));
    let (status, _) = server
        .patch(
            "/api/security?return_timeout=5",
            json!({"software_data_encryption": {"rekey": true}}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn cipher_lists_that_would_lock_everyone_out_are_refused() {
    let server = spawn(empty()).await;
    // TLS 1.2 suites only, with TLS 1.3 as the floor: no connection could be negotiated.
    let (status, err) = server
        .patch("/api/security", json!({"tls": {"protocol_versions": ["TLSv1.3"], "cipher_suites": ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]}}))
        .await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"]["target"], "tls.cipher_suites");
    // FIPS with suites FIPS would all disable.
    let (status, _) = server
        .patch("/api/security?return_timeout=5", json!({"tls": {"cipher_suites": ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"]}}))
        .await;
    assert_eq!(status, 200);
    let (status, err) = server
        .patch("/api/security", json!({"fips": {"enabled": true}}))
        .await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"]["target"], "fips.enabled");
    // Unknown names are refused by index, without echoing anything else.
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"tls": {"cipher_suites": ["TLS_AES_128_GCM_SHA256", "TLS_MADE_UP"]}}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["target"], "tls.cipher_suites[1]");
    let (status, err) = server
        .patch("/api/security", json!({"tls": {"protocol_versions": []}}))
        .await;
    assert_eq!(
        (status, err["error"]["target"].clone()),
        (400, json!("tls.protocol_versions"))
    );
    // The encryption state is the cluster's to report.
    let (status, err) = server
        .patch(
            "/api/security",
            json!({"software_data_encryption": {"encryption_state": "encrypted"}}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        err["error"]["target"],
        "software_data_encryption.encryption_state"
    );
    // Nothing of the refused changes was applied.
    let (_, now) = server
        .get("/api/security?fields=fips,software_data_encryption")
        .await;
    assert_eq!(now["fips"]["enabled"], false);
    assert_eq!(
        now["software_data_encryption"]["encryption_state"],
        "unencrypted"
    );
}

#[tokio::test]
async fn get_answers_the_fields_asked_for() {
    let server = spawn(demo()).await;
    let (status, all) = server.get("/api/security").await;
    assert_eq!(status, 200);
    let parsed: SecurityConfig = serde_json::from_value(all.clone()).unwrap();
    assert!(parsed.tls.unwrap().floor().is_some());
    assert_eq!(all["_links"]["self"]["href"], "/api/security");
    let (_, some) = server
        .get("/api/security?fields=management_protocols")
        .await;
    assert!(some.get("management_protocols").is_some());
    assert!(some.get("tls").is_none() && some.get("fips").is_none());
    let (status, err) = server.get("/api/security?colour=blue").await;
    assert_eq!((status, code(&err)), (400, 262179));
}
