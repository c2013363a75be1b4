//! `/api/security/key-managers` and key servers over real HTTP.

use crate::common;

use common::*;
use ontap_core::key_managers::{self, KeyServer};
use serde_json::{json, Value};

async fn certificate_uuid(server: &TestServer, name: &str) -> String {
    let (_, list) = server
        .get(&format!("/api/security/certificates?name={name}"))
        .await;
    list["records"][0]["uuid"].as_str().unwrap().to_owned()
}

async fn install_kmip_certificates(server: &TestServer, svm: &str) -> (String, String) {
    let mut made = Vec::new();
    for (name, ty) in [("kmip-client", "client"), ("kmip-ca", "root_ca")] {
        let (status, body) = server
            .post("/api/security/certificates?return_records=true", json!({"svm": {"name": svm}, "name": name, "type": ty, "common_name": format!("{name}.example.com")}))
            .await;
        assert_eq!(status, 201, "{body}");
        made.push(body["records"][0]["uuid"].as_str().unwrap().to_owned());
    }
    // A server CA is installed from a PEM (the root CA just made stands in for the KMIP server's CA).
    let (_, ca) = server
        .get(&format!(
            "/api/security/certificates/{}?fields=public_certificate",
            made[1]
        ))
        .await;
    let (status, body) = server
        .post("/api/security/certificates?return_records=true", json!({"svm": {"name": svm}, "name": "kmip-server-ca", "type": "server_ca", "public_certificate": ca["public_certificate"]}))
        .await;
    assert_eq!(status, 201, "{body}");
    (
        made[0].clone(),
        body["records"][0]["uuid"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn external_key_manager_lifecycle_on_an_svm() {
    let server = spawn(empty()).await;
    let (client, ca) = install_kmip_certificates(&server, "vs0").await;
    let request: key_managers::KeyManager = serde_json::from_value(json!({
        "svm": {"name": "vs0"},
        "external": {"client_certificate": {"uuid": client}, "server_ca_certificates": [{"uuid": ca}],
                     "servers": [{"server": "10.0.0.1:5696"}, {"server": "kms2.example.com"}]}
    }))
    .unwrap();
    let (status, created) = server.send(&key_managers::create(&request).unwrap()).await;
    assert_eq!(status, 201, "{created}");
    let uuid = created["records"][0]["uuid"].as_str().unwrap().to_owned();
    let (_, read) = server
        .get(&format!("/api/security/key-managers/{uuid}"))
        .await;
    assert_eq!(read["scope"], "svm");
    assert_eq!(read["svm"]["name"], "vs0");
    assert_eq!(read["external"]["servers"][0]["timeout"], 25);
    assert_eq!(read["external"]["client_certificate"]["uuid"], client);
    let (_, detail) = server.send(&key_managers::get_detail(&uuid)).await;
    assert_eq!(
        detail["external"]["client_certificate"]["name"],
        "kmip-client"
    );
    assert!(read.get("status").is_none());
    assert!(read["external"]["servers"][0].get("connectivity").is_none());
    let (_, expensive) = server
        .get(&format!(
            "/api/security/key-managers/{uuid}?fields=status.code,external.servers.connectivity"
        ))
        .await;
    assert_eq!(expensive["status"]["code"], 65537200);
    assert_eq!(
        expensive["external"]["servers"][1]["connectivity"]["cluster_availability"],
        true
    );

    // A second key manager on the same SVM is refused.
    let (status, err) = server.send(&key_managers::create(&request).unwrap()).await;
    assert_eq!((status, code(&err)), (400, 65536823));

    // Add a server, then two more is one too many, then remove one.
    let existing: Vec<KeyServer> =
        serde_json::from_value(read["external"]["servers"].clone()).unwrap();
    let (status, added) = server
        .send(
            &key_managers::add_servers(&uuid, &[KeyServer::at("[fd20::5]:5697")], &existing)
                .unwrap(),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    let (_, servers) = server
        .get(&format!("/api/security/key-managers/{uuid}/key-servers"))
        .await;
    assert_eq!(servers["num_records"], 3);
    let (status, err) = server
        .post(
            &format!("/api/security/key-managers/{uuid}/key-servers"),
            json!({"records": [{"server": "a"}, {"server": "b"}]}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536038));
    let (status, err) = server
        .post(
            &format!("/api/security/key-managers/{uuid}/key-servers"),
            json!({"server": "10.0.0.1"}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536871));
    let patch = key_managers::update_server(
        &uuid,
        "10.0.0.1:5696",
        &KeyServer {
            timeout: Some(45.into()),
            username: Some("kmip".into()),
            password: Some("pw".into()),
            ..KeyServer::default()
        },
    )
    .unwrap();
    assert_eq!(server.send(&patch).await.0, 200);
    let (_, one) = server
        .get(&format!(
            "/api/security/key-managers/{uuid}/key-servers/10.0.0.1%3A5696"
        ))
        .await;
    assert_eq!(one["timeout"], 45);
    assert_eq!(one["username"], "kmip");
    assert!(one.get("password").is_none());
    let (status, _) = server
        .delete(&format!(
            "/api/security/key-managers/{uuid}/key-servers/kms2.example.com%3A5696"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        server
            .get(&format!("/api/security/key-managers/{uuid}/key-servers"))
            .await
            .1["num_records"],
        2
    );

    // Certificates in use cannot be deleted; the key manager can.
    let (status, err) = server
        .delete(&format!("/api/security/certificates/{client}"))
        .await;
    assert_eq!((status, code(&err)), (400, 3735683));
    assert_eq!(server.send(&key_managers::delete(&uuid)).await.0, 200);
    assert_eq!(
        server
            .delete(&format!("/api/security/certificates/{client}"))
            .await
            .0,
        200
    );
    assert_eq!(
        server
            .get(&format!("/api/security/key-managers/{uuid}"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn missing_or_mistyped_certificates_are_refused() {
    let server = spawn(empty()).await;
    let (client, _) = install_kmip_certificates(&server, "vs0").await;
    let (status, err) = server
        .post("/api/security/key-managers", json!({"svm": {"name": "vs0"}, "external": {"client_certificate": {"uuid": client}, "server_ca_certificates": [{"uuid": client}], "servers": [{"server": "k"}]}}))
        .await;
    assert_eq!((status, code(&err)), (400, 65536821));
    // The certificates are in vs0, not at cluster scope.
    let (status, err) = server
        .post("/api/security/key-managers", json!({"external": {"client_certificate": {"uuid": client}, "server_ca_certificates": [{"name": "kmip-server-ca"}], "servers": [{"server": "k"}]}}))
        .await;
    assert_eq!((status, code(&err)), (400, 65536821));
    let (status, err) = server
        .post(
            "/api/security/key-managers",
            json!({"svm": {"name": "nope"}, "onboard": {"passphrase": "x".repeat(40)}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536916));
}

#[tokio::test]
async fn onboard_key_manager_passphrases() {
    let server = spawn(empty()).await;
    let (status, err) = server
        .post(
            "/api/security/key-managers",
            json!({"onboard": {"passphrase": "p".repeat(31)}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536920));
    let good = "correct horse battery staple 0123456789";
    let (status, created) = server
        .post(
            "/api/security/key-managers?return_records=true",
            json!({"onboard": {"passphrase": good}}),
        )
        .await;
    assert_eq!(status, 201);
    let text = created.to_string();
    assert!(
        !text.contains("battery"),
        "the passphrase came back: {text}"
    );
    let backup = created["records"][0]["onboard"]["key_backup"]
        .as_str()
        .unwrap();
    assert!(
        backup.starts_with("--------------------------BEGIN BACKUP--------------------------\n")
    );
    assert!(backup
        .trim_end()
        .ends_with("---------------------------END BACKUP---------------------------"));
    let uuid = created["records"][0]["uuid"].as_str().unwrap().to_owned();
    let state_text = server.sim.read(|s| serde_json::to_string(s).unwrap());
    assert!(
        !state_text.contains("battery"),
        "the passphrase is stored in clear"
    );

    let change = |existing: &str, new: &str| json!({"onboard": {"existing_passphrase": existing, "passphrase": new}});
    let (status, err) = server
        .patch(
            &format!("/api/security/key-managers/{uuid}"),
            change(
                "wrong passphrase that is long enough!!",
                "another passphrase that is long enough",
            ),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536139));
    let (status, err) = server
        .patch(
            &format!("/api/security/key-managers/{uuid}"),
            change(good, good),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536150));
    let newer = "a new passphrase of more than 32 chars";
    assert_eq!(
        server
            .patch(
                &format!("/api/security/key-managers/{uuid}"),
                change(good, newer)
            )
            .await
            .0,
        200
    );
    let (status, _) = server
        .patch(
            &format!("/api/security/key-managers/{uuid}"),
            json!({"onboard": {"existing_passphrase": newer, "synchronize": true}}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, err) = server
        .patch(
            &format!("/api/security/key-managers/{uuid}"),
            json!({"onboard": {"synchronize": true}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65537242));
    // A second OKM is refused; synchronize on POST needs a MetroCluster.
    let (status, err) = server
        .post(
            "/api/security/key-managers",
            json!({"onboard": {"passphrase": good}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, 65536823));
    let (_, list) = server
        .get("/api/security/key-managers?onboard.enabled=true")
        .await;
    assert_eq!(list["num_records"], 1);
    let records: &Vec<Value> = list["records"].as_array().unwrap();
    assert_eq!(records[0]["scope"], "cluster");
}

#[tokio::test]
async fn demo_key_manager_is_on_vs0() {
    let server = spawn(demo()).await;
    let (_, list) = server.get("/api/security/key-managers?svm.name=vs0").await;
    assert_eq!(list["num_records"], 1);
    let km = &list["records"][0];
    assert_eq!(
        km["external"]["servers"][0]["server"],
        "kms1.example.com:5696"
    );
    assert_eq!(
        km["external"]["client_certificate"]["uuid"],
        json!(certificate_uuid(&server, "vs0-kmip-client").await)
    );
}

#[tokio::test]
async fn creating_posts_answer_with_location_and_return_records_with_the_record() {
    let server = spawn(empty()).await;
    let (client, ca) = install_kmip_certificates(&server, "vs0").await;
    let body = json!({"svm": {"name": "vs0"}, "external": {"client_certificate": {"uuid": client},
        "server_ca_certificates": [{"uuid": ca}], "servers": [{"server": "10.0.0.1"}]}});
    let (status, headers, created) = server
        .post_with_headers("/api/security/key-managers?return_records=true", body)
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["num_records"], 1);
    let uuid = created["records"][0]["uuid"].as_str().unwrap().to_owned();
    let location = headers["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/security/key-managers/{uuid}"));
    assert_eq!(server.get(&location).await.0, 200);
    assert_eq!(
        created["records"][0]["external"]["servers"][0]["server"],
        "10.0.0.1"
    );

    // Without return_records: no record, still the address.
    let (status, headers, body) = server
        .post_with_headers(
            "/api/security/key-managers",
            json!({"onboard": {"passphrase": "correct horse battery staple 0123456789"}}),
        )
        .await;
    assert_eq!((status, body), (201, json!({})));
    let onboard = headers["location"].to_str().unwrap().to_owned();
    assert!(
        onboard.starts_with("/api/security/key-managers/"),
        "{onboard}"
    );
    assert!(server.get(&onboard).await.1["onboard"]["enabled"] == true);

    // A key server added alone has its own address.
    let servers = format!("/api/security/key-managers/{uuid}/key-servers");
    let (status, headers, added) = server
        .post_with_headers(
            &format!("{servers}?return_records=true"),
            json!({"server": "10.0.0.2:5696"}),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["records"][0]["server"], "10.0.0.2:5696");
    let location = headers["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{servers}/10.0.0.2%3A5696"));
    assert_eq!(server.get(&location).await.1["server"], "10.0.0.2:5696");
}

#[tokio::test]
async fn a_wrong_existing_passphrase_is_refused_before_same_as_old() {
    use ontap_core::catalog::{self, codes};
    let server = spawn(empty()).await;
    let good = "correct horse battery staple 0123456789";
    let (_, created) = server
        .post(
            "/api/security/key-managers?return_records=true",
            json!({"onboard": {"passphrase": good}}),
        )
        .await;
    let path = format!(
        "/api/security/key-managers/{}",
        created["records"][0]["uuid"].as_str().unwrap()
    );
    let wrong = "a candidate that is not the passphrase!!";
    let (status, err) = server
        .patch(
            &path,
            json!({"onboard": {"existing_passphrase": wrong, "passphrase": wrong}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, codes::PASSPHRASE_INCORRECT));
    assert_eq!(
        err["error"]["message"],
        "Cluster-wide passphrase is incorrect."
    );
    assert_eq!(err["error"]["target"], "onboard.existing_passphrase");
    assert!(!err.to_string().contains("candidate"));
    let (status, err) = server
        .patch(
            &path,
            json!({"onboard": {"existing_passphrase": good, "passphrase": good}}),
        )
        .await;
    assert_eq!((status, code(&err)), (400, codes::PASSPHRASE_SAME_AS_OLD));
    assert_eq!(
        err["error"]["message"],
        catalog::message(codes::PASSPHRASE_SAME_AS_OLD).unwrap()
    );
}

#[tokio::test]
async fn certificate_references_carry_a_name_only_when_fields_asks() {
    let server = spawn(demo()).await;
    let (_, list) = server.get("/api/security/key-managers").await;
    let external = &list["records"][0]["external"];
    let client = external["client_certificate"].as_object().unwrap();
    let mut keys: Vec<&str> = client.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["_links", "uuid"]);
    assert!(external["server_ca_certificates"][0].get("name").is_none());
    let uuid = list["records"][0]["uuid"].as_str().unwrap().to_owned();
    let one = format!("/api/security/key-managers/{uuid}");
    for query in [
        "",
        "?fields=*",
        "?fields=external",
        "?fields=external.client_certificate",
    ] {
        let (_, km) = server.get(&format!("{one}{query}")).await;
        assert!(
            km["external"]["client_certificate"].get("name").is_none(),
            "{query}: {km}"
        );
    }
    let (_, km) = server
        .get(&format!(
            "{one}?fields=*,external.client_certificate.name,external.server_ca_certificates.name"
        ))
        .await;
    // Each reference names the certificate its uuid points at.
    let client = &km["external"]["client_certificate"];
    for reference in [client, &km["external"]["server_ca_certificates"][0]] {
        let uuid = reference["uuid"].as_str().unwrap();
        let (_, cert) = server
            .get(&format!("/api/security/certificates/{uuid}?fields=name"))
            .await;
        assert!(cert["name"].is_string(), "{cert}");
        assert_eq!(reference["name"], cert["name"], "{reference}");
    }
    assert_eq!(client["name"], "vs0-kmip-client");
    let (_, km) = server.get(&format!("{one}?fields=**")).await;
    assert_eq!(
        km["external"]["client_certificate"]["name"],
        "vs0-kmip-client"
    );
    // What the console's detail page asks for includes the names it shows.
    let (_, km) = server.send(&key_managers::get_detail(&uuid)).await;
    assert_eq!(
        km["external"]["client_certificate"]["name"],
        "vs0-kmip-client"
    );
}
