//! Times collection GETs over the `many` scenario's 10,013 certificates, in process (no
//! network): `cargo run --release -p ontap-sim --example list_timing`. Prints figures; asserts
//! nothing (speed is measured, never asserted in tests).

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use ontap_sim::{Scenario, SimConfig, Simulator};
use tower::ServiceExt;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let sim = Simulator::new(SimConfig {
        scenario: Scenario::Many,
        ..SimConfig::new("admin", "timing-password")
    })
    .expect("the many scenario builds");
    // "admin:timing-password" in base64.
    let auth = "Basic YWRtaW46dGltaW5nLXBhc3N3b3Jk";
    let many_fields = format!(
        "fields={}",
        (0..ontap_core::limits::MAX_FIELDS)
            .map(|i| format!("name{i}.x"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let refused_fields = format!("fields={}", ["f"; 1_200].join(","));
    for query in [
        "max_records=50",
        "order_by=name",
        "order_by=expiry_time%20desc,name",
        "name=*kmip*",
        "type=server%7Cclient&key_size=%3C2048",
        "expiry_time=%3C2027-01-01T00:00:00Z&order_by=expiry_time",
        "fields=name,svm.name,expiry_time&order_by=name&max_records=100",
        "fields=**&order_by=name",
        many_fields.as_str(),
        refused_fields.as_str(),
    ] {
        let mut best = f64::MAX;
        let mut records = 0;
        for _ in 0..5 {
            let request = Request::get(format!("/api/security/certificates?{query}"))
                .header("authorization", auth)
                .body(Body::empty())
                .expect("a valid request");
            let started = Instant::now();
            let response = sim.router().oneshot(request).await.expect("an answer");
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a body");
            best = best.min(started.elapsed().as_secs_f64() * 1000.0);
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            records = body["num_records"].as_u64().unwrap_or(0);
        }
        let shown: String = query.chars().take(70).collect();
        println!("{best:8.1} ms  {records:6} records  ?{shown}");
    }
}
