//! `/api/security/ipsec` over real HTTP.

use crate::common;

use common::*;
use ontap_core::ipsec::{self, Ipsec};
use serde_json::json;

#[tokio::test]
async fn get_and_patch_round_trip_through_the_core_builders() {
    let server = spawn(demo()).await;
    let (status, now) = server.send(&ipsec::get(&ontap_core::Query::new())).await;
    assert_eq!(status, 200);
    let record: Ipsec = serde_json::from_value(now.clone()).unwrap();
    assert_eq!(record.enabled, Some(false));
    assert_eq!(now["_links"]["self"]["href"], "/api/security/ipsec");
    for on in [true, false, true] {
        let change = Ipsec {
            enabled: Some(on),
            ..Ipsec::default()
        };
        let (status, body) = server.send(&ipsec::patch(&change, None).unwrap()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            server.get("/api/security/ipsec?fields=enabled").await.1["enabled"],
            on
        );
    }
}

#[tokio::test]
async fn the_reference_example_patch_changes_nothing() {
    let server = spawn(empty()).await;
    let (status, body) = server
        .patch(
            "/api/security/ipsec",
            json!({"_links": {"self": {"href": "/api/resourcelink"}}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.get("/api/security/ipsec").await.1["enabled"], false);
}

#[tokio::test]
async fn return_records_answers_with_the_new_record() {
    let server = spawn(empty()).await;
    let (status, body) = server
        .patch(
            "/api/security/ipsec?return_records=true",
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["num_records"], 1);
    assert_eq!(body["records"][0]["enabled"], true);
}

#[tokio::test]
async fn refusals_name_the_field() {
    let server = spawn(empty()).await;
    let (status, err) = server
        .patch(
            "/api/security/ipsec",
            json!({"enabled": true, "tunnel_mode": 64}),
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (400, ontap_sim::error::codes::UNEXPECTED_ARGUMENT)
    );
    assert_eq!(err["error"]["target"], "tunnel_mode");
    let (status, err) = server
        .patch("/api/security/ipsec", json!({"enabled": 1}))
        .await;
    assert_eq!((status, code(&err)), (400, 262185));
    assert!(!err.to_string().contains(": 1"));
    // A release before 9.8 has no IPsec.
    server.sim.write(|s| s.cluster.version = (9, 7, 0));
    let (status, err) = server
        .patch("/api/security/ipsec", json!({"enabled": true}))
        .await;
    assert_eq!((status, code(&err)), (400, 66257199));
    assert_eq!(err["error"]["target"], "enabled");
    assert_eq!(server.get("/api/security/ipsec").await.1["enabled"], false);
    // Unknown query fields are refused on GET too.
    let (status, err) = server.get("/api/security/ipsec?mode=transport").await;
    assert_eq!((status, code(&err)), (400, 262179));
}

#[tokio::test]
async fn replay_window_and_offload_are_read_selected_and_changed() {
    let server = spawn(empty()).await;
    let (_, now) = server.get("/api/security/ipsec").await;
    assert_eq!(
        (now["replay_window"].clone(), now["offload_enabled"].clone()),
        (json!(0), json!(false))
    );
    let (_, some) = server
        .get("/api/security/ipsec?fields=enabled,replay_window")
        .await;
    assert_eq!(some["replay_window"], 0);
    assert_eq!(some["enabled"], false);
    assert!(some.get("offload_enabled").is_none(), "{some}");
    let change = Ipsec {
        replay_window: Some(256),
        offload_enabled: Some(true),
        ..Ipsec::default()
    };
    let (status, body) = server
        .send(&ipsec::patch(&change, Some(true)).unwrap())
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["records"][0]["replay_window"], 256);
    let (_, now) = server
        .get("/api/security/ipsec?fields=replay_window,offload_enabled")
        .await;
    assert_eq!(
        (now["replay_window"].clone(), now["offload_enabled"].clone()),
        (json!(256), json!(true))
    );
    // Only ONTAP's sizes; the refusal names the field.
    let (status, err) = server
        .patch("/api/security/ipsec", json!({"replay_window": 100}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["target"], "replay_window");
    assert_eq!(code(&err), ontap_sim::error::codes::INVALID_INPUT);
    let (_, now) = server.get("/api/security/ipsec?replay_window=256").await;
    assert_eq!(now["replay_window"], 256);
}

#[tokio::test]
async fn an_older_release_has_no_newer_fields() {
    let server = spawn(ontap_sim::SimConfig {
        ontap_version: ontap_core::releases::parse("9.12"),
        ..empty()
    })
    .await;
    let (_, cluster) = server.get("/api/cluster").await;
    assert_eq!(
        (
            cluster["version"]["major"].clone(),
            cluster["version"]["minor"].clone()
        ),
        (json!(12), json!(1))
    );
    let (_, now) = server.get("/api/security/ipsec?fields=**").await;
    assert_eq!(now["replay_window"], 0);
    assert!(now.get("offload_enabled").is_none(), "{now}");
    let (status, err) = server
        .patch("/api/security/ipsec", json!({"offload_enabled": true}))
        .await;
    assert_eq!(
        (status, code(&err)),
        (400, ontap_sim::error::codes::UNEXPECTED_ARGUMENT)
    );
    assert_eq!(err["error"]["target"], "offload_enabled");
    let (status, _) = server
        .patch("/api/security/ipsec", json!({"replay_window": 64}))
        .await;
    assert_eq!(status, 200);
}
