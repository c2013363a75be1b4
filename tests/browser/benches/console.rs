//! The console's budgets, measured and printed (`cargo xtask bench` builds the release console
//! and server first): the initial download (gzip) and the time until the shell is interactive
//! in headless Chromium on localhost.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use ontap_browser_tests::Browser;

/// Budget: the whole console's initial download, gzip, in bytes (160 KB).
const DOWNLOAD_BUDGET: usize = 160_000;
/// Budget: the shell interactive, in milliseconds since navigation start.
const INTERACTIVE_BUDGET_MS: f64 = 400.0;
/// Page loads measured for the interactive figure.
const LOADS: usize = 10;

fn main() {
    let ui = std::env::var_os("ONTAP_CONSOLE_UI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    download_size(&ui);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(interactive());
}

/// Every file `index.html` makes the browser fetch at start (wasm, js, css) and the page itself.
fn download_size(ui: &std::path::Path) {
    let mut total = 0;
    println!("initial download (gzip -9), {}:", ui.display());
    let mut entries: Vec<_> = std::fs::read_dir(ui)
        .expect("the built console (run `cargo xtask bench`)")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["wasm", "js", "css", "html"].contains(&e))
        })
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).expect("readable");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).expect("gzip");
        let packed = gz.finish().expect("gzip").len();
        total += packed;
        println!(
            "  {:<48} {:>9} bytes, gzip {:>8}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
            bytes.len(),
            packed
        );
    }
    println!(
        "download: {:.1} KB gzip (budget {:.0} KB) {}",
        total as f64 / 1000.0,
        DOWNLOAD_BUDGET as f64 / 1000.0,
        verdict(total as f64 <= DOWNLOAD_BUDGET as f64)
    );
}

/// Loads the console `LOADS` times and reads when it became interactive (the sign-in form is
/// mounted and listening; `window.__console_ready_ms`, since navigation start).
async fn interactive() {
    let b = Browser::start(&[]).await;
    transfer(&b).await;
    let mut times = Vec::new();
    for i in 0..LOADS {
        b.goto(&format!("/?load={i}")).await;
        b.find("signin-form").await;
        let mut ready = b.js("return window.__console_ready_ms ?? null").await;
        let mut tries = 0;
        while ready.is_null() && tries < 100 {
            tokio::time::sleep(Duration::from_millis(10)).await;
            ready = b.js("return window.__console_ready_ms ?? null").await;
            tries += 1;
        }
        times.push(ready.as_f64().expect("the console marks when it is ready"));
    }
    let first = times[0];
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let worst = sorted[sorted.len() - 1];
    println!(
        "interactive: first load {first:.0} ms, median {median:.0} ms, worst {worst:.0} ms \
         over {LOADS} loads (budget {INTERACTIVE_BUDGET_MS:.0} ms) {}",
        verdict(worst <= INTERACTIVE_BUDGET_MS)
    );
    b.close().await;
}

/// What the server really sends a browser that accepts brotli and gzip, for every file the
/// page loads at start (trunk names them in `index.html`).
async fn transfer(b: &Browser) {
    let http = reqwest::Client::new();
    let page = http
        .get(b.url("/"))
        .send()
        .await
        .expect("index.html")
        .text()
        .await
        .expect("text");
    let mut assets: Vec<String> = page
        .split(['"', '\''])
        .filter(|s| s.starts_with('/') && [".wasm", ".js", ".css"].iter().any(|e| s.ends_with(e)))
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    let mut total = page.len();
    for asset in &assets {
        let response = http
            .get(b.url(asset))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("an asset");
        let encoding = response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("identity")
            .to_owned();
        let bytes = response.bytes().await.expect("body").len();
        total += bytes;
        println!("  sent {asset:<48} {bytes:>9} bytes ({encoding})");
    }
    println!(
        "transfer: {:.1} KB as served to a browser accepting br and gzip ({} files and the page)",
        total as f64 / 1000.0,
        assets.len()
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "within budget"
    } else {
        "OVER BUDGET"
    }
}
