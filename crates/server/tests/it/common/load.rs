//! A bounded, loopback load on a running console: clients that mix reads with certificate
//! installs (each install a distinct name), and the same number of clients fetching a static
//! file, for comparison. Shared by the correctness test (crates/server/tests/simulator/load.rs)
//! and the figures of `cargo xtask bench` (crates/server/benches/load.rs).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// When a client stops.
#[derive(Clone, Copy, Debug)]
pub enum Stop {
    /// After this many requests each.
    Requests(usize),
    /// At this moment.
    At(Instant),
}

impl Stop {
    fn done(self, sent: usize) -> bool {
        match self {
            Stop::Requests(n) => sent >= n,
            Stop::At(t) => Instant::now() >= t,
        }
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub latencies: Vec<Duration>,
    /// Names of certificates whose install was answered 201.
    pub created: Vec<String>,
    /// Names whose install was refused (4xx or 503): they must not exist.
    pub refused: Vec<String>,
    /// Answers that are neither success nor a refusal (5xx other than 503, broken connections).
    pub failures: Vec<String>,
    pub elapsed: Duration,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        self.created.extend(other.created);
        self.refused.extend(other.refused);
        self.failures.extend(other.failures);
    }

    pub fn requests_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The 99th percentile latency.
    pub fn p99(&self) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let index = (sorted.len() * 99).div_ceil(100).saturating_sub(1);
        sorted.get(index).copied().unwrap_or_default()
    }
}

/// A CA certificate to install, distinct for each name (made outside the timed part).
fn ca_pem(name: &str) -> String {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    let key = rcgen::KeyPair::generate().unwrap();
    params.self_signed(&key).unwrap().pem()
}

fn new_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// `clients` clients, each sending reads and, every fourth request, an install.
pub async fn mixed(base: &str, user: &str, password: &str, clients: usize, stop: Stop) -> Outcome {
    let started = Instant::now();
    let credentials = Arc::new((user.to_string(), password.to_string()));
    let mut tasks = Vec::new();
    for id in 0..clients {
        let base = base.to_string();
        let credentials = credentials.clone();
        tasks.push(tokio::spawn(async move {
            let client = new_client();
            let (user, password) = &*credentials;
            let mut outcome = Outcome::default();
            let mut sent = 0;
            while !stop.done(sent) {
                let write = sent % 4 == 3;
                let name = format!("load-{id}-{sent}");
                let request = if write {
                    let pem = ca_pem(&name);
                    client
                        .post(format!("{base}/api/security/certificates"))
                        .json(
                            &json!({"name": name, "type": "server_ca", "public_certificate": pem}),
                        )
                } else if sent % 2 == 0 {
                    client.get(format!(
                        "{base}/api/security/certificates?fields=name,expiry_time&max_records=50"
                    ))
                } else {
                    client.get(format!("{base}/api/security"))
                };
                let begun = Instant::now();
                let answer = request.basic_auth(user, Some(password)).send().await;
                let status = match answer {
                    Ok(answer) => {
                        let status = answer.status().as_u16();
                        let _ = answer.bytes().await;
                        Some(status)
                    }
                    Err(_) => None,
                };
                outcome.latencies.push(begun.elapsed());
                sent += 1;
                match (status, write) {
                    (Some(200..=299), true) => outcome.created.push(name),
                    (Some(200..=299), false) => {}
                    (Some(400..=499 | 503), true) => outcome.refused.push(name),
                    (Some(503), false) => {}
                    (other, _) => outcome.failures.push(format!("{name}: {other:?}")),
                }
            }
            outcome
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        total.merge(task.await.unwrap());
    }
    total.elapsed = started.elapsed();
    total
}

/// `clients` clients fetching `path` (a static file) until `stop`.
pub async fn static_file(base: &str, path: &str, clients: usize, stop: Stop) -> Outcome {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let url = format!("{base}{path}");
        tasks.push(tokio::spawn(async move {
            let client = new_client();
            let mut outcome = Outcome::default();
            let mut sent = 0;
            while !stop.done(sent) {
                let begun = Instant::now();
                match client.get(&url).send().await {
                    Ok(answer) if answer.status().is_success() => {
                        let _ = answer.bytes().await;
                    }
                    other => outcome.failures.push(format!("{other:?}")),
                }
                outcome.latencies.push(begun.elapsed());
                sent += 1;
            }
            outcome
        }));
    }
    let mut total = Outcome::default();
    for task in tasks {
        total.merge(task.await.unwrap());
    }
    total.elapsed = started.elapsed();
    total
}

/// Every install answered 201 is listed, none refused is; returns the listed load names.
pub async fn check_no_write_lost(base: &str, user: &str, password: &str, outcome: &Outcome) {
    let listed: Value = new_client()
        .get(format!(
            "{base}/api/security/certificates?fields=name&name=load-*&max_records=100000"
        ))
        .basic_auth(user, Some(password))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: std::collections::HashSet<&str> = listed["records"]
        .as_array()
        .unwrap_or_else(|| panic!("{listed}"))
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    for name in &outcome.created {
        assert!(
            names.contains(name.as_str()),
            "{name} was answered 201 but is lost"
        );
    }
    for name in &outcome.refused {
        assert!(
            !names.contains(name.as_str()),
            "{name} was refused but exists"
        );
    }
    assert_eq!(
        names.len(),
        outcome.created.len(),
        "no install counted twice"
    );
}
