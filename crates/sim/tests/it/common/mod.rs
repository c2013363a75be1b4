//! A simulator on a loopback port and a real HTTP client, for tests over real HTTP.
#![allow(dead_code)]

use ontap_sim::{Scenario, SimConfig, Simulator};
use serde_json::Value;

pub const USER: &str = "admin";
pub const PASSWORD: &str = "test-password-1";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub sim: Simulator,
}

/// The demo cluster with jobs that finish at once.
pub fn demo() -> SimConfig {
    SimConfig::new(USER, PASSWORD)
}

/// The empty cluster.
pub fn empty() -> SimConfig {
    SimConfig {
        scenario: Scenario::Empty,
        ..SimConfig::new(USER, PASSWORD)
    }
}

pub async fn spawn(config: SimConfig) -> TestServer {
    let sim = Simulator::new(config).expect("simulator starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = sim.router();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    TestServer {
        base,
        client: reqwest::Client::new(),
        sim,
    }
}

impl TestServer {
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .basic_auth(USER, Some(PASSWORD));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }

    /// Sends a core-built request, as the console does.
    pub async fn send(&self, request: &ontap_core::Request) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes()).unwrap();
        self.call(method, &request.path_and_query(), request.body.clone())
            .await
    }
}

/// The ONTAP error code of an error answer.
pub fn code(body: &Value) -> u64 {
    body["error"]["code"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

impl TestServer {
    /// A POST whose answer's headers matter (`Location`).
    pub async fn post_with_headers(
        &self,
        path: &str,
        body: Value,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let response = self
            .client
            .post(format!("{}{}", self.base, path))
            .basic_auth(USER, Some(PASSWORD))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, headers, body)
    }
}
