//! `cargo xtask bench server`: the release-like `ontap-console` under a bounded loopback load,
//! printing requests per second and p99 latency of the simulator's API beside the same server
//! serving a static file, in the same run. The correctness of the same load (no write lost) is
//! checked by `cargo test -p ontap-console --test simulator load`.

#[path = "../tests/it/common/mod.rs"]
mod common;
#[path = "../tests/it/common/load.rs"]
mod load;

use std::time::{Duration, Instant};

use common::{Console, PASSWORD, USER};
use load::{check_no_write_lost, mixed, static_file, Outcome, Stop};

const CLIENTS: usize = 64;
const DURATION: Duration = Duration::from_secs(3);

fn print(label: &str, outcome: &Outcome) {
    println!(
        "{label:<44} {:>8.0} requests/s   p99 {:>7.1} ms   ({} requests, {} failed)",
        outcome.requests_per_second(),
        outcome.p99().as_secs_f64() * 1000.0,
        outcome.latencies.len(),
        outcome.failures.len(),
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let ui = tempfile::tempdir().unwrap();
    std::fs::write(
        ui.path().join("index.html"),
        "<!doctype html><title>x</title>",
    )
    .unwrap();
    // About the size of the console's main script.
    std::fs::write(ui.path().join("app.js"), "export default 1;\n".repeat(1000)).unwrap();
    let ui_arg = ui.path().to_str().unwrap().to_string();
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--job-seconds",
        "0",
        "--scenario",
        "empty",
        "--ui",
        &ui_arg,
    ]);
    println!("ontap-console serve on loopback, {CLIENTS} concurrent clients, {DURATION:?} each:");

    let api = mixed(
        &console.base,
        USER,
        PASSWORD,
        CLIENTS,
        Stop::At(Instant::now() + DURATION),
    )
    .await;
    check_no_write_lost(&console.base, USER, PASSWORD, &api).await;
    print("/api, 3 reads : 1 certificate install", &api);
    println!(
        "{:<44} {} installs answered 201, {} refused, none lost",
        "",
        api.created.len(),
        api.refused.len()
    );
    let files = static_file(
        &console.base,
        "/app.js",
        CLIENTS,
        Stop::At(Instant::now() + DURATION),
    )
    .await;
    print("static file (18 KB)", &files);
    drop(console);
    sessions_memory().await;
}

/// 1,000 console sessions created, then left to expire (`--session-idle 2`): the server's
/// resident memory before, with them, and after the sweeper has forgotten them.
async fn sessions_memory() {
    const SESSIONS: usize = 1000;
    let console = Console::start(&[
        "--password",
        PASSWORD,
        "--scenario",
        "empty",
        "--session-idle",
        "2",
        "--ui",
        "/nonexistent-ui-dir",
    ]);
    let rss = || rss_kib(console.pid());
    let client = common::client();
    let sign_in = || async {
        let response = client
            .post(format!("{}/console/session", console.base))
            .json(&serde_json::json!({"user": USER, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    };
    sign_in().await; // warm up the allocator and connection
    let before = rss();
    let started = Instant::now();
    for _ in 0..SESSIONS {
        sign_in().await;
    }
    let created = started.elapsed();
    let with = rss();
    // Idle 2 s, sweeper every 2 s: all gone within 5 s.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let after = rss();
    println!(
        "{SESSIONS} console sessions (sign-ins in {created:.1?}): server RSS {before} KiB before, \
         {with} KiB with them, {after} KiB after they expired"
    );
}

/// The resident set of a process, from /proc (0 where there is no /proc).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
