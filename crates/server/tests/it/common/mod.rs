//! The real `ontap-console` binary on a free loopback port, and simulated clusters for it to
//! forward to (plain HTTP or TLS with a certificate made here).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use ontap_sim::{SimConfig, Simulator};
use serde_json::Value;

pub const USER: &str = "admin";
pub const PASSWORD: &str = "integration-pw-1";
pub const BANNER_PREFIX: &str = ontap_console::serve::BANNER_PREFIX;

/// A running `ontap-console`; killed when dropped.
pub struct Console {
    child: Child,
    pub base: String,
    lines: Arc<Mutex<Vec<String>>>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Console {
    /// Starts `ontap-console serve --listen 127.0.0.1:0 ARGS` and waits for its banner.
    pub fn start(args: &[&str]) -> Console {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ontap-console"))
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("ONTAP_CONSOLE_PASSWORD")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let lines = collect_lines(child.stdout.take().unwrap());
        let errors = collect_lines(child.stderr.take().unwrap());
        let mut console = Console {
            child,
            base: String::new(),
            lines,
            errors,
        };
        let banner = console.wait_for_line(|l| l.starts_with(BANNER_PREFIX));
        console.base = banner[BANNER_PREFIX.len()..]
            .trim_end_matches('/')
            .to_string();
        // The banner ends with how to sign in.
        console.wait_for_line(|l| l.trim_start().starts_with("sign in "));
        console
    }

    /// The first stdout line that matches, waiting up to 30 s for it.
    pub fn wait_for_line(&mut self, matches: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(line) = self.lines.lock().unwrap().iter().find(|l| matches(l)) {
                return line.clone();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("ontap-console exited ({status}) before printing the expected line");
            }
            assert!(
                Instant::now() < deadline,
                "no expected line in {:?}",
                self.lines
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything printed on stderr so far (logs included).
    pub fn stderr(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }

    /// The process id (for `kill -9` in crash tests).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process at once (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Everything printed on stdout so far.
    pub fn stdout(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits (up to 15 s) for the process to end.
    pub fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collects the lines of a child's output in a background thread.
fn collect_lines(output: impl std::io::Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

/// Runs the binary with ARGS expecting it to refuse them; returns (exit code, stderr).
pub fn refused(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ontap-console"))
        .args(args)
        .env_remove("ONTAP_CONSOLE_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert!(output.stdout.is_empty() || !output.status.success());
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// An HTTP client that trusts nothing special and follows no redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// A console page as a browser gets it: (status, its Content-Security-Policy, its HTML).
pub async fn page(base: &str, path: &str) -> (u16, String, String) {
    let response = client().get(format!("{base}{path}")).send().await.unwrap();
    let status = response.status().as_u16();
    let csp = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, csp, response.text().await.unwrap())
}

/// GET with basic auth; (status, headers, JSON or the text as a JSON string).
pub async fn get(
    base: &str,
    path: &str,
    user: &str,
    password: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = client()
        .get(format!("{base}{path}"))
        .basic_auth(user, Some(password))
        .send()
        .await
        .unwrap();
    split(response).await
}

pub async fn split(response: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, body)
}

/// A simulated cluster standing in for a real one, recording the headers of each request.
pub struct Cluster {
    pub addr: SocketAddr,
    pub sim: Simulator,
    pub seen: Arc<Mutex<Vec<HeaderMap>>>,
}

impl Cluster {
    /// The headers of every request the cluster received, in order.
    pub fn seen_headers(&self) -> Vec<HeaderMap> {
        self.seen.lock().unwrap().clone()
    }
}

fn recording_router(sim: &Simulator) -> (axum::Router, Arc<Mutex<Vec<HeaderMap>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let router = sim
        .router()
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            sink.lock().unwrap().push(request.headers().clone());
            async move { next.run(request).await }
        }));
    (router, seen)
}

fn cluster_sim() -> Simulator {
    Simulator::new(SimConfig::new(USER, PASSWORD)).expect("simulator starts")
}

/// A simulated cluster over plain HTTP on a loopback port.
pub async fn http_cluster() -> Cluster {
    let sim = cluster_sim();
    let (router, seen) = recording_router(&sim);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Cluster { addr, sim, seen }
}

/// A certificate authority and a server certificate for `127.0.0.1` and `localhost`.
pub struct TestPki {
    pub ca_pem: String,
    pub server_chain: Vec<tokio_rustls::rustls::pki_types::CertificateDer<'static>>,
    pub server_key: tokio_rustls::rustls::pki_types::PrivateKeyDer<'static>,
}

/// Made by the simulator's own PKI, the one its demo certificates come from.
pub fn test_pki() -> TestPki {
    use ontap_sim::pki::{self, Subject};
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let now = jiff::Timestamp::now().as_second();
    let subject = |common_name: &str, is_ca| Subject {
        common_name: common_name.to_owned(),
        dns: vec![],
        ips: vec![],
        not_before: now - 3600,
        not_after: now + 86_400,
        is_ca,
    };
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = pki::self_signed(&subject("test cluster CA", true), &ca_key).unwrap();
    let server = Subject {
        dns: vec!["localhost".to_owned()],
        ips: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        ..subject("localhost", false)
    };
    let server_key = rcgen::KeyPair::generate().unwrap();
    let issued = pki::issue(&server, &server_key, &ca.certificate, &ca_key).unwrap();
    TestPki {
        ca_pem: ca.certificate,
        server_chain: vec![CertificateDer::from_pem_slice(issued.certificate.as_bytes()).unwrap()],
        server_key: PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
    }
}

/// A simulated cluster over TLS with the server certificate of `pki`, on 127.0.0.1.
pub async fn tls_cluster(pki: &TestPki) -> Cluster {
    tls_cluster_on(pki, "127.0.0.1").await
}

/// A simulated cluster over TLS on the loopback address `ip`.
pub async fn tls_cluster_on(pki: &TestPki, ip: &str) -> Cluster {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use hyper_util::service::TowerToHyperService;
    use tokio_rustls::rustls;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let sim = cluster_sim();
    let (router, seen) = recording_router(&sim);
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let router = router.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to serve.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), TowerToHyperService::new(router))
                    .await;
            });
        }
    });
    Cluster { addr, sim, seen }
}

/// A loopback port on which nothing listens.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Sends `head` (a request line and headers, without the blank line that ends them) as it is
/// over TCP, with `Connection: close`, and returns the whole answer as text. reqwest would
/// normalise hostile paths (`\`, `..`) before sending them; this does not.
pub async fn raw_http(base: &str, head: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), tcp.read_to_end(&mut answer))
        .await
        .expect("the answer ends")
        .unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}
