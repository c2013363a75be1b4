//! The state file survives a restart and concurrent writers lose no update.

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn state_survives_a_restart_and_is_written_atomically() {
    let dir = std::env::temp_dir().join(format!("ontap-sim-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let config = ontap_sim::SimConfig {
        state_file: Some(file.clone()),
        ..empty()
    };
    let server = spawn(config.clone()).await;
    assert_eq!(
        server
            .patch("/api/security/ipsec", json!({"enabled": true}))
            .await
            .0,
        200
    );
    let (_, made) = server
        .post(
            "/api/security/certificates?return_records=true",
            json!({"type": "root_ca", "common_name": "Persisted Root"}),
        )
        .await;
    let passphrase = "persisted passphrase of more than 32 chars";
    assert_eq!(
        server
            .post(
                "/api/security/key-managers",
                json!({"onboard": {"passphrase": passphrase}})
            )
            .await
            .0,
        201
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(passphrase));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != "state.json")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");

    let restarted = spawn(config).await;
    assert_eq!(
        restarted.get("/api/security/ipsec").await.1["enabled"],
        true
    );
    let uuid = made["records"][0]["uuid"].as_str().unwrap();
    let (status, cert) = restarted
        .get(&format!("/api/security/certificates/{uuid}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(cert["common_name"], "Persisted Root");
    // The passphrase hash survived: the right passphrase is still accepted.
    let (_, kms) = restarted.get("/api/security/key-managers").await;
    let km = kms["records"][0]["uuid"].as_str().unwrap();
    let (status, _) = restarted
        .patch(
            &format!("/api/security/key-managers/{km}"),
            json!({"onboard": {"existing_passphrase": passphrase, "synchronize": true}}),
        )
        .await;
    assert_eq!(status, 200);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_corrupt_state_file_is_a_clear_error() {
    let file = std::env::temp_dir().join(format!("ontap-sim-bad-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&file, "{\"not\": \"a state").unwrap();
    let err = ontap_sim::Simulator::new(ontap_sim::SimConfig {
        state_file: Some(file.clone()),
        ..empty()
    })
    .err()
    .unwrap();
    assert!(
        err.to_string().contains("is not a simulator state"),
        "{err}"
    );
    std::fs::remove_file(&file).ok();
}

#[tokio::test]
async fn concurrent_writes_lose_no_update_and_keep_the_limit() {
    let server = spawn(demo()).await;
    let (_, kms) = server.get("/api/security/key-managers?svm.name=vs0").await;
    let km = kms["records"][0]["uuid"].as_str().unwrap().to_owned();
    let add = |servers: Vec<String>| {
        let client = server.client.clone();
        let url = format!("{}/api/security/key-managers/{km}/key-servers", server.base);
        tokio::spawn(async move {
            let records: Vec<_> = servers.iter().map(|s| json!({"server": s})).collect();
            client
                .post(url)
                .basic_auth(USER, Some(PASSWORD))
                .json(&json!({"records": records}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    };
    // Three writers at once, one server each: all land (1 + 3 = 4).
    let tasks: Vec<_> = (0..3)
        .map(|i| add(vec![format!("kms-{i}.example.com")]))
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 201);
    }
    let (_, servers) = server
        .get(&format!("/api/security/key-managers/{km}/key-servers"))
        .await;
    assert_eq!(servers["num_records"], 4);
    // Two more at once: the limit holds for both.
    let tasks: Vec<_> = (3..5)
        .map(|i| add(vec![format!("kms-{i}.example.com")]))
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 400);
    }
    assert_eq!(
        server
            .get(&format!("/api/security/key-managers/{km}/key-servers"))
            .await
            .1["num_records"],
        4
    );
}

/// Jobs that take time: checked again when applied, and their outcome saved even when they
/// finish during a read.
mod jobs {
    use super::*;
    use ontap_core::security::tls::TlsVersion;
    use serde_json::Value;

    async fn wait(server: &TestServer, body: &Value) -> Value {
        let href = body["job"]["_links"]["self"]["href"]
            .as_str()
            .expect("a job link");
        for _ in 0..200 {
            let (_, job) = server.get(href).await;
            if job["state"] == "success" || job["state"] == "failure" {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("job did not finish");
    }

    #[tokio::test]
    async fn two_queued_patches_cannot_reach_fips_with_tls1_together() {
        let server = spawn(ontap_sim::SimConfig {
            job_seconds: 0.4,
            ..empty()
        })
        .await;
        // Each is valid against the state it was queued on (FIPS off, TLS 1.2 floor).
        let (status, tls1) = server
            .patch(
                "/api/security",
                json!({"tls": {"protocol_versions": ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]}}),
            )
            .await;
        assert_eq!(status, 202, "{tls1}");
        let (status, fips) = server
            .patch("/api/security", json!({"fips": {"enabled": true}}))
            .await;
        assert_eq!(status, 202, "{fips}");
        assert_eq!(wait(&server, &tls1).await["state"], "success");
        let refused = wait(&server, &fips).await;
        assert_eq!(refused["state"], "failure", "{refused}");
        let expected = [TlsVersion::Tls1_0, TlsVersion::Tls1_1]
            .map(|v| v.fips_refusal_code().unwrap_or_default() as i64);
        assert!(
            expected.contains(&refused["code"].as_i64().unwrap_or_default()),
            "{refused}"
        );
        let (_, now) = server.get("/api/security").await;
        assert_eq!(now["fips"]["enabled"], false);
    }

    #[tokio::test]
    async fn a_job_finishing_on_a_read_is_saved() {
        let dir = std::env::temp_dir().join(format!("ontap-sim-jobs-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = ontap_sim::SimConfig {
            job_seconds: 0.3,
            state_file: Some(dir.join("state.json")),
            ..empty()
        };
        let server = spawn(config.clone()).await;
        let (status, body) = server
            .patch(
                "/api/security",
                json!({"management_protocols": {"telnet_enabled": true}}),
            )
            .await;
        assert_eq!(status, 202);
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        // Only reads from here on: the job finishes on one of them.
        assert_eq!(wait(&server, &body).await["state"], "success");
        let restarted = ontap_sim::Simulator::new(config).unwrap();
        let telnet = restarted.read(|s| s.security.telnet);
        assert!(telnet, "the job's change was lost with the restart");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[tokio::test]
    async fn a_failed_save_fails_the_request_and_undoes_the_change() {
        let dir = std::env::temp_dir().join(format!("ontap-sim-ro-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("state.json");
        let server = spawn(ontap_sim::SimConfig {
            state_file: Some(file.clone()),
            ..empty()
        })
        .await;
        // Saving now fails: the state file's place is taken by a directory.
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        let was = server.get("/api/security/ipsec").await.1["enabled"]
            .as_bool()
            .unwrap();
        let (status, body) = server
            .patch("/api/security/ipsec", json!({"enabled": !was}))
            .await;
        assert_eq!(status, 500, "{body}");
        assert!(body["error"]["code"].is_string(), "{body}");
        assert_eq!(server.get("/api/security/ipsec").await.1["enabled"], was);
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn the_state_file_holds_no_typed_secret() {
    let dir = std::env::temp_dir().join(format!("ontap-sim-secrets-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let config = ontap_sim::SimConfig {
        state_file: Some(file.clone()),
        ..demo()
    };
    let server = spawn(config.clone()).await;
    let (_, kms) = server.get("/api/security/key-managers?svm.name=vs0").await;
    let km = kms["records"][0]["uuid"].as_str().unwrap().to_owned();
    let password = "Key-Server-Password-In-Clear-42";
    let (status, body) = server
        .post(
            &format!("/api/security/key-managers/{km}/key-servers"),
            json!({"server": "kms-9.example.com", "username": "u", "password": password}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let other = "Another-Password-Typed-Later-7";
    let (status, body) = server
        .patch(
            &format!("/api/security/key-managers/{km}/key-servers/kms-9.example.com"),
            json!({"username": "u", "password": other}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(password) && !text.contains(other));
    assert!(
        text.contains("$argon2id$"),
        "passwords are kept as Argon2id hashes"
    );
    std::fs::remove_dir_all(&dir).ok();
}
