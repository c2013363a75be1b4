//! Slow and numerous clients: the header read timeout, the whole-request timeout and the
//! in-flight limit, over real TCP.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::common::*;
use ontap_console::listen::codes;

fn addr(console: &Console) -> String {
    console.base.trim_start_matches("http://").to_string()
}

/// Reads until the end of the answer's head (or the connection closes), within 8 s.
async fn read_head(tcp: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    let reading = async {
        while !head.ends_with(b"\r\n\r\n") {
            match tcp.read(&mut byte).await {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(8), reading)
        .await
        .expect("an answer or a close within 8 s");
    String::from_utf8_lossy(&head).into_owned()
}

/// Sends the head of a JSON PATCH announcing a 100-byte body, and 10 bytes of it.
async fn half_sent_body(console: &Console) -> TcpStream {
    let mut tcp = TcpStream::connect(addr(console)).await.unwrap();
    let head = format!(
        "PATCH /api/security HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"mana",
        addr(console),
        basic(USER, PASSWORD)
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp
}

pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_after_the_header_timeout() {
    let console = Console::start(&["--password", PASSWORD, "--header-timeout", "1"]);
    let mut tcp = TcpStream::connect(addr(&console)).await.unwrap();
    tcp.write_all(b"GET /api/cluster HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    // Without the timeout this would wait forever (the default is 10 s: beyond the bound too).
    tokio::time::timeout(Duration::from_secs(8), tcp.read_to_end(&mut rest))
        .await
        .expect("the console closes the connection")
        .ok();
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));

    // An idle keep-alive connection is closed the same way.
    let mut idle = TcpStream::connect(addr(&console)).await.unwrap();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(8), idle.read_to_end(&mut rest))
        .await
        .expect("the console closes an idle connection")
        .ok();

    // The console still answers.
    let (status, _, _) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_request_whose_body_never_ends_gets_a_408() {
    let console = Console::start(&["--password", PASSWORD, "--request-timeout", "1"]);
    let mut tcp = half_sent_body(&console).await;
    let head = read_head(&mut tcp).await;
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    let (status, _, _) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn requests_beyond_the_in_flight_limit_get_a_503() {
    let console = Console::start(&["--password", PASSWORD, "--max-requests", "1"]);
    // Holds the only slot: its handler waits for the rest of the body.
    let held = half_sent_body(&console).await;
    let mut refused = None;
    for _ in 0..100 {
        let response = client()
            .get(format!("{}/api/cluster", console.base))
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .unwrap();
        if response.status() == 503 {
            refused = Some(response);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let refused = refused.expect("a 503 while the slot is held");
    assert_eq!(refused.headers()["retry-after"], "1");
    let (_, _, body) = split(refused).await;
    assert_eq!(body["error"]["code"], codes::BUSY, "{body}");

    drop(held);
    let mut answered = false;
    for _ in 0..100 {
        let (status, _, _) = get(&console.base, "/api/cluster", USER, PASSWORD).await;
        if status == 200 {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered, "the slot is given back when the client leaves");
}

#[test]
fn zero_limits_are_refused_at_start() {
    let (code, stderr) = refused(&["serve", "--max-connections", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--max-connections"), "{stderr}");
}
