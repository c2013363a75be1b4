//! Unit tests for ONTAP's collection semantics.

use super::*;
use crate::error::codes;
use proptest::prelude::*;

const SPEC: FieldSpec = FieldSpec {
    default: &["name", "svm"],
    expensive: &["status.code", "status.message", "connectivity"],
};
const KNOWN: &[&str] = &["uuid", "name", "svm", "status", "size", "connectivity"];

fn records(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"uuid": format!("u{i:03}"), "name": format!("cert{}", i % 7), "size": i, "svm": {"name": if i % 2 == 0 {"vs0"} else {"vs1"}, "uuid": "s"}, "status": {"code": 0, "message": "ok"}, "_links": {"self": {"href": format!("/api/x/u{i:03}")}}}))
        .collect()
}

fn params(q: &str) -> ListParams {
    ListParams::parse(Some(q), KNOWN).unwrap()
}

#[test]
fn fields_defaults_star_and_lists() {
    let r = &records(1)[0];
    let d = params("").project(r, &SPEC);
    assert!(d.get("name").is_some() && d.get("size").is_none() && d.get("status").is_none());
    let star = params("fields=*").project(r, &SPEC);
    assert!(star.get("size").is_some() && star.get("status").is_none());
    let all = params("fields=**").project(r, &SPEC);
    assert_eq!(all["status"]["code"], 0);
    let list = params("fields=svm.name,status.code").project(r, &SPEC);
    assert_eq!(list["svm"], json!({"name": "vs0"}));
    assert_eq!(list["status"], json!({"code": 0}));
    assert!(list.get("name").is_none());
    assert!(list.get("uuid").is_some() && list.get("_links").is_some());
}

#[test]
fn filters_order_and_unknown_names() {
    let body = list_body(
        "/api/x",
        records(20),
        &params("svm.name=vs1&size=>10&order_by=size desc&fields=size"),
        &SPEC,
    );
    let sizes: Vec<i64> = body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["size"].as_i64().unwrap())
        .collect();
    assert_eq!(sizes, vec![19, 17, 15, 13, 11]);
    let err = ListParams::parse(Some("colour=red"), KNOWN).unwrap_err();
    assert_eq!(err.error.code_number(), Some(codes::UNEXPECTED_ARGUMENT));
    assert!(ListParams::parse(Some("max_records=0"), KNOWN).is_err());
    assert!(ListParams::parse(Some("return_timeout=121"), KNOWN).is_err());
    assert!(ListParams::parse(Some("name=%FF"), KNOWN).is_err());
    let counted = list_body(
        "/api/x",
        records(20),
        &params("return_records=false&svm.name=vs0"),
        &SPEC,
    );
    assert_eq!(counted["num_records"], 10);
    assert!(counted.get("records").is_none());
}

#[test]
fn mentions_sees_selection_filters_and_order() {
    assert!(!params("fields=name,svm.name").mentions("size"));
    assert!(params("fields=*").mentions("size"));
    assert!(params("fields=status.code").mentions("status"));
    assert!(params("size=>3&fields=name").mentions("size"));
    assert!(params("order_by=size desc").mentions("size"));
    assert!(!params("").mentions("size"));
}

#[test]
fn a_plain_page_is_the_same_as_the_whole_list() {
    for query in [
        "",
        "max_records=3",
        "max_records=3&start=18",
        "start=25",
        "return_records=false",
        "fields=size&max_records=7&start=7",
    ] {
        let p = params(query);
        assert!(p.is_plain());
        let all = records(20);
        let (start, end) = p.window(all.len());
        let page = all[start..end].to_vec();
        assert_eq!(
            page_body("/api/x", page, 20, &p, &SPEC),
            list_body("/api/x", all, &p, &SPEC),
            "{query}"
        );
    }
    assert!(!params("size=>3").is_plain());
    assert!(!params("order_by=size").is_plain());
}

#[test]
fn rows_builds_only_the_page_unless_a_filter_or_order_needs_every_record() {
    let items: Vec<usize> = (0..20).collect();
    for (query, built) in [
        ("max_records=3&start=5", 3),
        ("start=18", 2),
        ("return_records=false", 0),
        ("max_records=3&size=>4", 20),
        ("max_records=3&order_by=size", 20),
    ] {
        let mut calls = 0;
        params(query).rows(&items, |i| {
            calls += 1;
            json!({"size": i})
        });
        assert_eq!(calls, built, "{query}");
    }
}

proptest! {
    #[test]
    fn following_next_yields_every_record_once_in_order(n in 0usize..60, page in 1usize..15) {
        let all = records(n);
        let mut seen = Vec::new();
        let mut query = format!("max_records={page}&order_by=uuid");
        for _ in 0..100 {
            let body = list_body("/api/x", all.clone(), &params(&query), &SPEC);
            for r in body["records"].as_array().unwrap() { seen.push(r["uuid"].as_str().unwrap().to_owned()); }
            match body["_links"]["next"]["href"].as_str() {
                Some(next) => query = next.split_once('?').unwrap().1.to_owned(),
                None => break,
            }
        }
        let expected: Vec<String> = all.iter().map(|r| r["uuid"].as_str().unwrap().to_owned()).collect();
        prop_assert_eq!(seen, expected);
    }
}
