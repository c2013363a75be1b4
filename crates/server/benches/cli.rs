//! `cargo xtask bench cli`: the command line's fleet audit at scale. Starts simulated clusters
//! on loopback (one listener each, in this process), writes an inventory, and runs the built
//! `ontap-console audit` as a process: 100 clusters with the default `--jobs` and with
//! `--jobs 1` (wall time, budget 3 s), then 1,000 clusters (peak RSS of the audit process from
//! wait4's rusage, budget 200 MB).

use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ontap_sim::{Scenario, SimConfig};

const PASSWORD: &str = "bench-pw-1";

struct Run {
    wall: Duration,
    peak_rss_kb: i64,
    status: i32,
}

fn inventory(addrs: &[std::net::SocketAddr]) -> tempfile::NamedTempFile {
    let mut text = String::from("[defaults]\npassword_env = \"BENCH_PW\"\n");
    for (i, addr) in addrs.iter().enumerate() {
        let _ = write!(
            text,
            "\n[[cluster]]\nname = \"c{i}\"\nurl = \"http://{addr}\"\n"
        );
    }
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), text).expect("inventory written");
    file
}

/// Runs the audit and reaps it with wait4 to read its own peak RSS.
fn audit(inventory: &std::path::Path, jobs: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ontap-console"));
    command
        .args(["audit", "--format", "json", "--inventory"])
        .arg(inventory)
        .env("BENCH_PW", PASSWORD)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(jobs) = jobs {
        command.args(["--jobs", jobs]);
    }
    let start = Instant::now();
    // Reaped below with wait4 (not `Child::wait`), which also returns the child's rusage.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("ontap-console runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 writes it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet reaped (std never waited for it).
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(reaped, pid, "wait4 failed");
    Run {
        wall,
        peak_rss_kb: usage.ru_maxrss,
        status: libc::WEXITSTATUS(status),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = SimConfig {
        scenario: Scenario::Demo,
        ..SimConfig::new("admin", PASSWORD)
    };
    let started = Instant::now();
    let addrs = runtime
        .block_on(ontap_sim::fleet::serve(1000, &config, "bench"))
        .expect("fleet starts");
    println!(
        "fleet: 1000 simulated demo clusters on loopback in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let hundred = inventory(&addrs[..100]);
    // Warm-up (page cache, the binary's first start), not counted.
    audit(hundred.path(), None);
    let default = audit(hundred.path(), None);
    let serial = audit(hundred.path(), Some("1"));
    assert_eq!(default.status, 1, "the demo clusters have high findings");
    assert_eq!(serial.status, 1);
    println!(
        "audit of 100 clusters: {:.2} s with --jobs {} (default), {:.2} s with --jobs 1 (budget 3 s: {})",
        default.wall.as_secs_f64(),
        ontap_console::audit::DEFAULT_JOBS,
        serial.wall.as_secs_f64(),
        if default.wall <= Duration::from_secs(3) { "met" } else { "MISSED" }
    );

    let thousand = inventory(&addrs);
    let big = audit(thousand.path(), None);
    assert_eq!(big.status, 1);
    let mb = big.peak_rss_kb as f64 / 1024.0;
    println!(
        "audit of 1000 clusters: {:.2} s, peak RSS of the audit process {mb:.1} MB (budget 200 MB: {})",
        big.wall.as_secs_f64(),
        if mb < 200.0 { "met" } else { "MISSED" }
    );
}
