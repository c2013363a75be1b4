//! `GET /api/cluster` and `GET /api/svm/svms` over real HTTP.

use crate::common;

use common::*;
use ontap_core::cluster::{self, Cluster, Svm};
use ontap_core::{Collection, Query, Request};

fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[tokio::test]
async fn the_cluster_reports_its_name_uuid_and_release() {
    let server = spawn(demo()).await;
    let (status, body) = server.send(&cluster::get_cluster()).await;
    assert_eq!(status, 200);
    let c: Cluster = serde_json::from_value(body).unwrap();
    assert!(!c.name.unwrap().is_empty());
    assert!(is_uuid(&c.uuid.unwrap()));
    let version = c.version.unwrap();
    assert_eq!(version.short().as_deref(), Some("9.16.1"));
    assert!(version.full.unwrap().contains("9.16.1"));
    let (_, only_name) = server.get("/api/cluster?fields=name").await;
    assert!(only_name.get("name").is_some() && only_name.get("version").is_none());
    let (status, err) = server.get("/api/cluster?fields=name&colour=blue").await;
    assert_eq!((status, code(&err)), (400, 262179));
}

#[tokio::test]
async fn demo_svms_page_filter_and_sort_like_a_collection() {
    let server = spawn(demo()).await;
    let (status, body) = server
        .send(&cluster::list_svms(&Query::new().fields(["name", "uuid"])))
        .await;
    assert_eq!(status, 200);
    let all: Collection<Svm> = serde_json::from_value(body).unwrap();
    let names: Vec<&str> = all
        .records
        .iter()
        .map(|s| s.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["vs0", "vs1"]);
    assert_eq!(all.num_records, Some(2));
    let uuids: Vec<&str> = all
        .records
        .iter()
        .map(|s| s.uuid.as_deref().unwrap())
        .collect();
    assert!(uuids.iter().all(|u| is_uuid(u)) && uuids[0] != uuids[1]);
    // Each record links to itself.
    let href = all.records[1]
        .links
        .as_ref()
        .unwrap()
        .self_
        .as_ref()
        .unwrap()
        .href
        .clone();
    assert_eq!(href.unwrap(), format!("/api/svm/svms/{}", uuids[1]));

    // Filter by name, by UUID, sort descending.
    let (_, vs1) = server.get("/api/svm/svms?name=vs1").await;
    assert_eq!(vs1["num_records"], 1);
    assert_eq!(vs1["records"][0]["uuid"], uuids[1]);
    let (_, by_uuid) = server
        .get(&format!("/api/svm/svms?uuid={}", uuids[0]))
        .await;
    assert_eq!(by_uuid["records"][0]["name"], "vs0");
    let (_, desc) = server.get("/api/svm/svms?order_by=name%20desc").await;
    assert_eq!(desc["records"][0]["name"], "vs1");

    // One page at a time, following `_links.next`.
    let (_, first) = server.get("/api/svm/svms?max_records=1").await;
    assert_eq!(first["num_records"], 1);
    let next = first["_links"]["next"]["href"]
        .as_str()
        .expect("a next link");
    let (status, second) = server.send(&Request::follow(next)).await;
    assert_eq!(status, 200);
    assert_eq!(second["records"][0]["name"], "vs1");
    assert!(second["_links"].get("next").is_none());

    let (_, counted) = server.get("/api/svm/svms?return_records=false").await;
    assert_eq!(counted["num_records"], 2);
    assert!(counted.get("records").is_none());
}

#[tokio::test]
async fn the_empty_scenario_still_has_a_cluster_and_one_svm() {
    let server = spawn(empty()).await;
    let (status, c) = server.get("/api/cluster").await;
    assert_eq!(status, 200);
    assert!(c["name"].is_string());
    let (_, svms) = server.get("/api/svm/svms").await;
    assert_eq!(svms["num_records"], 1);
    let svm = server.sim.read(|s| {
        let uuid = s.cluster.svms[0].uuid.clone();
        ontap_sim::routes::cluster::svm_by_name_or_uuid(s, &uuid).map(|e| e.name.clone())
    });
    assert_eq!(svm.as_deref(), Some("vs0"));
    assert!(server
        .sim
        .read(|s| ontap_sim::routes::cluster::svm_by_name_or_uuid(s, "vs9").is_none()));
}

#[tokio::test]
async fn every_answer_needs_credentials() {
    let server = spawn(demo()).await;
    let response = server
        .client
        .get(format!("{}/api/svm/svms", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
}
