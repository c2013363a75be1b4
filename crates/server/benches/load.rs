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
}
