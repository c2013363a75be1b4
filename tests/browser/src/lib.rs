//! # ontap-browser-tests
//!
//! The console as an admin meets it: the real `ontap-console serve` (embedded simulator) on a
//! free loopback port, a real headless Chromium driven through chromedriver, and the
//! simulator's own API to read back what a change did.
//!
//! `cargo xtask test` builds what this needs first and says where it is:
//! `ONTAP_CONSOLE_BIN` (the binary; default `target/debug/ontap-console`), `ONTAP_CONSOLE_UI`
//! (trunk's `dist/`; default `dist`), `CHROMEDRIVER` and `CHROMIUM` (default `/usr/bin/...`),
//! `NGINX` (default `/usr/sbin/nginx`: the static-site tests, [`StaticSite`]).

mod driver;
mod nginx;

pub use nginx::{
    console_json, console_json_at, content_security_policy, Nginx, Recipe, StaticSite, TestPki,
    APACHE_TEMPLATE, CLUSTER, CLUSTER_HOST, NGINX_CORS_TEMPLATE, NGINX_TEMPLATE, SUB_PATH,
};

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use driver::Driver;

/// The simulator's user.
pub const USER: &str = "admin";
/// The simulator's password: distinctive, so that a leak of it anywhere can be searched for.
pub const PASSWORD: &str = "Browser-Test-Pw-7Qx2";
/// How long a test waits for the console to show something.
pub const WAIT: Duration = Duration::from_secs(20);

const BANNER_PREFIX: &str = "ONTAP security console: ";

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn path_from_env(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or(default)
}

/// The built console (`ONTAP_CONSOLE_UI`, default `dist`).
pub fn built_ui() -> PathBuf {
    path_from_env("ONTAP_CONSOLE_UI", workspace_root().join("dist"))
}

/// A loopback port free now (for a server that must come back on the same address).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A running `ontap-console serve` with the embedded simulator; killed when dropped.
pub struct Console {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl Console {
    /// Starts `ontap-console serve` on a free port with `args` (e.g. `--job-seconds 1`); the
    /// simulator's password is [`PASSWORD`].
    pub fn start(args: &[&str]) -> Console {
        Console::start_with(PASSWORD, "127.0.0.1:0", args)
    }

    /// Starts `ontap-console serve --listen LISTEN ARGS`; `password` is the simulator's (unused
    /// with `--cluster`, where the cluster checks the credentials).
    pub fn start_with(password: &str, listen: &str, args: &[&str]) -> Console {
        Console::start_in(&built_ui(), password, listen, args)
    }

    /// Like [`Console::start_with`], serving the console from `ui` (e.g. a copy of
    /// [`built_ui`] with a file added).
    pub fn start_in(ui: &std::path::Path, password: &str, listen: &str, args: &[&str]) -> Console {
        let bin = path_from_env(
            "ONTAP_CONSOLE_BIN",
            workspace_root().join("target/debug/ontap-console"),
        );
        assert!(
            bin.is_file(),
            "no ontap-console binary at {} (run `cargo xtask test`)",
            bin.display()
        );
        assert!(
            ui.join("index.html").is_file(),
            "no built console in {} (run `cargo xtask test`)",
            ui.display()
        );
        let simulated = !args.contains(&"--cluster");
        let mut command = Command::new(bin);
        command.arg("serve").args(["--listen", listen]);
        if simulated {
            command
                .args(["--user", USER])
                .env("ONTAP_CONSOLE_PASSWORD", password);
        } else {
            command.env_remove("ONTAP_CONSOLE_PASSWORD");
        }
        let mut child = command
            .arg("--ui")
            .arg(ui)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("ontap-console starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().expect("lines").push(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let base = loop {
            let found = lines
                .lock()
                .expect("lines")
                .iter()
                .find_map(|l| l.strip_prefix(BANNER_PREFIX).map(str::to_owned));
            if let Some(url) = found {
                break url.trim_end_matches('/').to_owned();
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("ontap-console exited ({status}) before printing its address");
            }
            assert!(
                Instant::now() < deadline,
                "ontap-console printed no address"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Console { child, base }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One test's world: the console, a browser pointed at it, and a client for the simulator's API.
pub struct Browser {
    pub page: Client,
    pub console: Console,
    http: reqwest::Client,
    driver: Driver,
}

impl Browser {
    /// Starts the console (`args` go to `ontap-console serve`), chromedriver and a browser.
    pub async fn start(args: &[&str]) -> Browser {
        Browser::with_console(Console::start(args)).await
    }

    /// Starts chromedriver and a browser for a console already running.
    pub async fn with_console(console: Console) -> Browser {
        let driver = Driver::start();
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(driver.capabilities());
        let deadline = Instant::now() + Duration::from_secs(30);
        let page = loop {
            match builder.connect(&driver.url()).await {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            page,
            console,
            http: reqwest::Client::new(),
            driver,
        }
    }

    /// The console's address for `path` (e.g. `/security`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.console.base)
    }

    pub async fn goto(&self, path: &str) {
        self.page.goto(&self.url(path)).await.expect("navigation");
    }

    /// Opens the console at `path` and signs in as the simulator's admin.
    pub async fn sign_in_at(&self, path: &str) {
        self.goto(path).await;
        self.sign_in_with(USER, PASSWORD).await;
        self.find("cluster-name").await;
    }

    /// Fills in the sign-in form and submits it (whatever the outcome).
    pub async fn sign_in_with(&self, user: &str, password: &str) {
        self.fill("signin-user", user).await;
        self.fill("signin-password", password).await;
        self.click("signin-submit").await;
    }

    /// The element with `data-testid="id"`, waiting for it to appear.
    pub async fn find(&self, id: &str) -> Element {
        let css = selector(id);
        self.page
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("no [data-testid={id}] within {WAIT:?}: {e}"))
    }

    /// How many elements with `data-testid="id"` are on the page now.
    pub async fn count(&self, id: &str) -> usize {
        self.page
            .find_all(Locator::Css(&selector(id)))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Waits until no element with `data-testid="id"` is on the page.
    pub async fn wait_gone(&self, id: &str) {
        let deadline = Instant::now() + WAIT;
        while self.count(id).await > 0 {
            assert!(Instant::now() < deadline, "[data-testid={id}] stayed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, id: &str) {
        self.on_element(id, "click", async |e| e.click().await)
            .await
    }

    /// Replaces the text of an input.
    pub async fn fill(&self, id: &str, text: &str) {
        self.on_element(id, "fill", async |input| {
            input.clear().await?;
            input.send_keys(text).await
        })
        .await
    }

    /// Picks the `<option value=...>` of a `<select>`.
    pub async fn select(&self, id: &str, value: &str) {
        self.on_element(id, "select", async |e| e.select_by_value(value).await)
            .await
    }

    /// Whether a checkbox is checked.
    pub async fn checked(&self, id: &str) -> bool {
        self.on_element(id, "checked", async |e| e.prop("checked").await)
            .await
            .is_some_and(|v| v == "true")
    }

    pub async fn enabled(&self, id: &str) -> bool {
        self.on_element(id, "enabled", async |e| e.is_enabled().await)
            .await
    }

    pub async fn text(&self, id: &str) -> String {
        self.on_element(id, "text", async |e| e.text().await).await
    }

    /// An attribute of the element (waiting for the element).
    pub async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.on_element(id, name, async |e| e.attr(name).await)
            .await
    }

    /// Waits until an attribute of the element differs from `old` (e.g. a page re-read).
    pub async fn wait_attr_change(&self, id: &str, name: &str, old: Option<&str>) {
        let deadline = Instant::now() + WAIT;
        while self.attr(id, name).await.as_deref() == old {
            assert!(
                Instant::now() < deadline,
                "[data-testid={id}] kept {name}={old:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element's whole text, shown or not (e.g. inside a closed `<details>`).
    pub async fn content(&self, id: &str) -> String {
        self.on_element(id, "textContent", async |e| e.prop("textContent").await)
            .await
            .unwrap_or_default()
    }

    /// Waits until the element's text contains `expected`; gives the whole text.
    pub async fn wait_text(&self, id: &str, expected: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text(id).await;
            if text.contains(expected) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "[data-testid={id}] says {text:?}, never {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Applies the open preview (confirming first when it asks) and waits for the end.
    /// Gives the final job state (`success` or `failure`).
    pub async fn apply_preview(&self) -> String {
        self.find("preview").await;
        if self.count("preview-confirm-check").await > 0 {
            self.click("preview-confirm-check").await;
        }
        self.click("preview-apply").await;
        let done = self.find("job-done").await;
        let state = done
            .find(Locator::Css("[data-testid=job-state]"))
            .await
            .expect("job state")
            .text()
            .await
            .expect("text");
        state
    }

    /// Closes the preview dialog.
    pub async fn close_preview(&self) {
        self.click("preview-cancel").await;
        self.wait_gone("preview").await;
    }

    /// `GET` on the simulator's API as the admin; the decoded JSON body.
    pub async fn api_get(&self, path_and_query: &str) -> Value {
        let response = self
            .http
            .get(self.url(path_and_query))
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .expect("the API answers");
        assert!(
            response.status().is_success(),
            "GET {path_and_query}: {}",
            response.status()
        );
        response.json().await.expect("JSON")
    }

    /// Sends a JSON body to the simulator's API as the admin (to set up what a test needs);
    /// the status and the decoded body.
    pub async fn api_send(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let response = self
            .http
            .request(method, self.url(path))
            .basic_auth(USER, Some(PASSWORD))
            .json(&body)
            .send()
            .await
            .expect("the API answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Runs `script` (a function body that returns a value) in the page.
    pub async fn js(&self, script: &str) -> Value {
        self.page.execute(script, vec![]).await.expect("script")
    }

    /// The path of every resource the page fetched so far, in fetch order (the browser's
    /// resource timing entries): scripts, styles, wasm modules and chunks, `/api` calls.
    pub async fn fetched(&self) -> Vec<String> {
        let paths = self
            .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)")
            .await;
        paths
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect()
    }

    /// Everything the page's console logged so far (read once: chromedriver hands each entry
    /// out a single time).
    pub async fn console_log(&self) -> Vec<String> {
        let session = self
            .page
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        let url = format!("{}/session/{session}/se/log", self.driver.url());
        let answer: Value = self
            .http
            .post(url)
            .json(&json!({"type": "browser"}))
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("JSON");
        answer["value"]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Ends the browser session.
    pub async fn close(self) {
        let Browser { page, .. } = self;
        let _ = page.close().await;
    }
}

impl Browser {
    /// Sets the value of an input or text area as a paste does (one `input` event), for long
    /// texts such as PEM documents.
    pub async fn paste(&self, id: &str, text: &str) {
        self.find(id).await;
        self.page
            .execute(
                "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                 e.dispatchEvent(new Event('input', {bubbles: true})); return true;",
                vec![json!(selector(id)), json!(text)],
            )
            .await
            .expect("paste");
    }

    /// The `value` property of an input or text area.
    pub async fn value(&self, id: &str) -> String {
        self.on_element(id, "value", async |e| e.prop("value").await)
            .await
            .unwrap_or_default()
    }

    /// Does `act` on the element, finding it again when the page re-rendered it in between
    /// (a stale element reference), for up to [`WAIT`].
    async fn on_element<T>(
        &self,
        id: &str,
        what: &str,
        act: impl AsyncFn(Element) -> Result<T, fantoccini::error::CmdError>,
    ) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            match act(self.find(id).await).await {
                Ok(value) => return value,
                Err(e) if e.to_string().contains("stale element") && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot {what} [data-testid={id}]: {e}"),
            }
        }
    }
}

fn selector(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}
