//! `kill -9` during a stream of writes with `--state`: on restart the state file holds every
//! acknowledged write and nothing half-written (it parses, it is not empty), whatever moment the
//! process died at.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::common::*;

const WRITERS: usize = 4;

fn ca_pem(name: &str) -> String {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params
        .self_signed(&rcgen::KeyPair::generate().unwrap())
        .unwrap()
        .pem()
}

async fn listed(base: &str) -> HashSet<String> {
    let (status, _, list) = get(
        base,
        "/api/security/certificates?fields=name&name=crash-*&max_records=100000",
        USER,
        PASSWORD,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_during_writes_keeps_a_whole_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("cluster.json");
    let state_arg = state.to_str().unwrap().to_string();
    let args = [
        "--password",
        PASSWORD,
        "--job-seconds",
        "0",
        "--scenario",
        "empty",
        "--state",
        &state_arg,
    ];
    let acked = Arc::new(Mutex::new(HashSet::<String>::new()));
    let attempted = Arc::new(Mutex::new(HashSet::<String>::new()));
    for round in 0..3 {
        let mut console = Console::start(&args);
        let before = listed(&console.base).await;
        let known = acked.lock().unwrap().clone();
        assert!(known.is_subset(&before), "an acknowledged write was lost");
        let attempts = attempted.lock().unwrap().clone();
        assert!(before.is_subset(&attempts), "a name nobody wrote");

        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let (base, stop) = (console.base.clone(), stop.clone());
            let (acked, attempted) = (acked.clone(), attempted.clone());
            writers.push(tokio::spawn(async move {
                let client = client();
                for i in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let name = format!("crash-{round}-{w}-{i}");
                    let body = json!({"name": name, "type": "server_ca", "public_certificate": ca_pem(&name)});
                    attempted.lock().unwrap().insert(name.clone());
                    let sent = client
                        .post(format!("{base}/api/security/certificates"))
                        .basic_auth(USER, Some(PASSWORD))
                        .json(&body)
                        .send()
                        .await;
                    match sent {
                        Ok(answer) if answer.status() == 201 => {
                            acked.lock().unwrap().insert(name);
                        }
                        Ok(answer) => panic!("{name}: {}", answer.status()),
                        // The process was killed under it.
                        Err(_) => break,
                    }
                }
            }));
        }
        // Let some writes through, then kill -9 in the middle of the stream.
        let target = acked.lock().unwrap().len() + 8 + round * 3;
        while acked.lock().unwrap().len() < target {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        console.kill();
        stop.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.await.unwrap();
        }

        let bytes = std::fs::read(&state).expect("the state file exists");
        assert!(!bytes.is_empty(), "round {round}: empty state file");
        let _: Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("round {round}: the state file does not parse: {e}"));
    }
    let console = Console::start(&args);
    let after = listed(&console.base).await;
    assert!(
        acked.lock().unwrap().is_subset(&after),
        "an acknowledged write was lost"
    );
    assert!(after.is_subset(&attempted.lock().unwrap()));
}
