//! The console as a static site: Debian's nginx serving `dist/` under [`SUB_PATH`] with the
//! locations of `docs/static-site/nginx.conf` (the recipe the docs show, filled in here), a
//! `console.json` naming one cluster, and that cluster's API proxied over verified TLS to an
//! `ontap-console serve` (the embedded simulator) with a certificate from a CA made per test.
//!
//! nginx runs as a child (`nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'`) on a free loopback
//! port with its pid, logs and temporary files in a folder of its own: the package's system
//! service plays no part. `NGINX` names the binary (default `/usr/sbin/nginx`).

use std::net::TcpStream;
use std::os::unix::fs::MetadataExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
};

use crate::{free_port, path_from_env, workspace_root, Console};

/// Where the static-site tests put the console.
pub const SUB_PATH: &str = "/storage/security/";
/// The cluster `console.json` names.
pub const CLUSTER: &str = "sim1";
/// The name in the simulator's certificate (nginx checks it; it does not match IP addresses).
pub const CLUSTER_HOST: &str = "cluster1.test";
/// The nginx locations the docs show (docs/static-site.md embeds this file).
pub const NGINX_TEMPLATE: &str = include_str!("../../../docs/static-site/nginx.conf");
/// The CORS proxy the docs show, for a console on another origin.
pub const NGINX_CORS_TEMPLATE: &str = include_str!("../../../docs/static-site/nginx-cors.conf");
/// The Apache httpd recipe the docs show (checked by hand: no Apache in the tests).
pub const APACHE_TEMPLATE: &str = include_str!("../../../docs/static-site/apache.conf");
/// How long nginx may take to listen.
const START: Duration = Duration::from_secs(15);

/// What fills the template's `@NAME@` placeholders.
pub struct Recipe<'a> {
    pub dist: &'a Path,
    pub console_json: &'a Path,
    pub csp: &'a str,
    pub cluster_addr: &'a str,
    pub cluster_ca: &'a Path,
}

impl Recipe<'_> {
    /// The template with every placeholder replaced; panics on one left over.
    pub fn fill(&self) -> String {
        let filled = NGINX_TEMPLATE
            .replace("@DIST@", &self.dist.display().to_string())
            .replace("@CONSOLE_JSON@", &self.console_json.display().to_string())
            .replace("@CSP@", self.csp)
            .replace("@CLUSTER_ADDR@", self.cluster_addr)
            .replace("@CLUSTER_HOST@", CLUSTER_HOST)
            .replace("@CLUSTER_CA@", &self.cluster_ca.display().to_string())
            .replace("@CLUSTER@", CLUSTER);
        assert_no_placeholder(&filled, "nginx.conf");
        filled
    }
}

/// The Content-Security-Policy `ontap-console serve` sends with `dist/index.html`: its policy
/// plus the SHA-256 of each inline script (the same code, `ontap_console::ui`).
pub fn content_security_policy(dist: &Path) -> String {
    let path = dist.join("index.html");
    let html =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let hashes = ontap_console::ui::inline_script_hashes(&html)
        .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
    ontap_console::ui::content_security_policy(&hashes, &[])
}

/// An nginx child; killed when dropped.
pub struct Nginx {
    child: Child,
    dir: PathBuf,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl Nginx {
    /// Starts nginx in `dir` (its prefix: conf, pid, logs, temporary files) with one server on
    /// a free loopback port whose body is `server_body`; waits until it listens.
    pub fn start(dir: &Path, server_body: &str) -> Nginx {
        Nginx::start_on(dir, free_port(), server_body)
    }

    /// [`Nginx::start`] on a port chosen beforehand (free now).
    pub fn start_on(dir: &Path, port: u16, server_body: &str) -> Nginx {
        let bin = path_from_env("NGINX", PathBuf::from("/usr/sbin/nginx"));
        assert!(
            bin.is_file(),
            "no nginx at {} (`cargo xtask test` installs Debian's nginx)",
            bin.display()
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, main_conf(dir, port, server_body)).expect("nginx.conf written");
        let error_log = dir.join("error.log");
        let mut child = Command::new(&bin)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(&error_log)
            .args(["-g", "daemon off;"])
            // Its own process group: the workers end with the master (see `Drop`).
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let deadline = Instant::now() + START;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let log = || std::fs::read_to_string(&error_log).unwrap_or_default();
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "nginx exited ({status}); its error log {}:\n{}",
                    error_log.display(),
                    log()
                );
            }
            if Instant::now() > deadline {
                let group = format!("-{}", child.id());
                let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
                panic!(
                    "nginx did not listen on 127.0.0.1:{port} within {START:?}; its error log {}:\n{}",
                    error_log.display(),
                    log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            child,
            dir: dir.to_owned(),
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// nginx's error log so far.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    /// Every request nginx answered so far: (path, status), in order.
    pub fn access_log(&self) -> Vec<(String, u16)> {
        let log = std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default();
        log.lines().filter_map(parse_access_line).collect()
    }
}

impl Drop for Nginx {
    /// Kills the master and its workers (a killed master leaves its workers serving).
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// `... "GET /path HTTP/1.1" 404 ...` (nginx's `combined` format) as ("/path", 404).
fn parse_access_line(line: &str) -> Option<(String, u16)> {
    let (_, rest) = line.split_once('"')?;
    let (request, rest) = rest.split_once('"')?;
    let path = request.split_whitespace().nth(1)?;
    let status = rest.split_whitespace().next()?.parse().ok()?;
    Some((path.to_owned(), status))
}

/// A whole nginx.conf around one server; all files inside `dir`.
fn main_conf(dir: &Path, port: u16, server_body: &str) -> String {
    let d = dir.display();
    // As root, nginx's workers would run as `nobody`, which cannot read a private temp folder.
    let user = match std::fs::metadata(dir) {
        Ok(m) if m.uid() == 0 => "user root;",
        _ => "",
    };
    let types = if Path::new("/etc/nginx/mime.types").is_file() {
        "include /etc/nginx/mime.types;".to_owned()
    } else {
        "types { text/html html; text/css css; application/javascript js; \
         application/wasm wasm; application/json json; }"
            .to_owned()
    };
    format!(
        "{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        absolute_redirect off;
{server_body}
    }}
}}
"
    )
}

/// The console under [`SUB_PATH`] of nginx, with `console.json` naming [`CLUSTER`], whose API
/// is an `ontap-console serve` reached through nginx over TLS checked against a test CA.
pub struct StaticSite {
    // Dropped in this order: nginx, the simulator, then the folder they used.
    pub nginx: Nginx,
    cors_proxy: Option<Nginx>,
    /// The simulator until [`StaticSite::take_cluster`] hands it to a [`crate::Browser`].
    cluster: Option<Console>,
    /// The console's own address: `http://127.0.0.1:PORT/storage/security/`.
    pub url: String,
    pub dist: PathBuf,
    /// The policy the site sends (the template's `@CSP@`).
    pub csp: String,
    /// The simulator's `127.0.0.1:PORT` (the template's `@CLUSTER_ADDR@`).
    pub cluster_addr: String,
    dir: tempfile::TempDir,
}

impl StaticSite {
    /// Starts the simulator and nginx; `console_json` is written as the site's `console.json`.
    pub fn start(console_json: &serde_json::Value) -> StaticSite {
        StaticSite::start_with(|_| console_json.clone(), false)
    }

    /// As [`StaticSite::start`], plus a CORS proxy to the cluster on another origin (nginx with
    /// `docs/static-site/nginx-cors.conf`), which the site's policy allows in `connect-src`;
    /// `console_json` gets the proxy's address (`http://127.0.0.1:PORT`).
    pub fn start_with_cors_proxy(
        console_json: impl FnOnce(&str) -> serde_json::Value,
    ) -> StaticSite {
        StaticSite::start_with(console_json, true)
    }

    fn start_with(console_json: impl FnOnce(&str) -> serde_json::Value, cors: bool) -> StaticSite {
        let dist = path_from_env("ONTAP_CONSOLE_UI", workspace_root().join("dist"));
        assert!(
            dist.join("index.html").is_file(),
            "no built console in {} (run `cargo xtask test`)",
            dist.display()
        );
        let dir = tempfile::tempdir().expect("a folder for nginx");
        let pki = TestPki::new(dir.path());
        // The simulator's guard must accept the console's origin: nginx's ports are chosen
        // before the simulator starts.
        let (port, proxy_port) = (free_port(), free_port());
        let origin = format!("http://127.0.0.1:{port}");
        let proxy_origin = format!("http://127.0.0.1:{proxy_port}");
        let cluster = Console::start(&[
            "--tls-cert",
            &pki.cert.display().to_string(),
            "--tls-key",
            &pki.key.display().to_string(),
            "--cors-origin",
            &origin,
        ]);
        let addr = cluster
            .base
            .strip_prefix("https://")
            .unwrap_or_else(|| panic!("the simulator serves HTTPS, not {}", cluster.base))
            .to_owned();
        let console_json_path = dir.path().join("console.json");
        let config = console_json(&proxy_origin).to_string();
        std::fs::write(&console_json_path, config).expect("console.json");
        let mut csp = content_security_policy(&dist);
        let cors_proxy = cors.then(|| {
            let allowed = format!("connect-src 'self' {proxy_origin}");
            assert!(csp.contains("connect-src 'self'"), "{csp}");
            csp = csp.replacen("connect-src 'self'", &allowed, 1);
            let proxy_dir = dir.path().join("cors-proxy");
            std::fs::create_dir(&proxy_dir).expect("the proxy's folder");
            let locations = fill_cors(&origin, &addr, &pki.ca);
            Nginx::start_on(&proxy_dir, proxy_port, &locations)
        });
        let locations = Recipe {
            dist: &dist,
            console_json: &console_json_path,
            csp: &csp,
            cluster_addr: &addr,
            cluster_ca: &pki.ca,
        }
        .fill();
        let nginx = Nginx::start_on(dir.path(), port, &locations);
        let url = format!("{}{SUB_PATH}", nginx.base);
        StaticSite {
            nginx,
            cors_proxy,
            cluster: Some(cluster),
            url,
            dist,
            csp,
            cluster_addr: addr,
            dir,
        }
    }

    /// The CORS proxy of [`StaticSite::start_with_cors_proxy`].
    pub fn cors_proxy(&self) -> &Nginx {
        self.cors_proxy.as_ref().expect("started with a CORS proxy")
    }

    /// The folder nginx runs in (its conf, logs, `console.json`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The simulator, for [`crate::Browser::with_console`] (once).
    pub fn take_cluster(&mut self) -> Console {
        self.cluster.take().expect("the simulator, taken once")
    }

    /// The site's locations, but trusting `ca` for the cluster's certificate and sending `csp`.
    pub fn locations_with(&self, csp: &str, ca: &Path) -> String {
        Recipe {
            dist: &self.dist,
            console_json: &self.dir.path().join("console.json"),
            csp,
            cluster_addr: &self.cluster_addr,
            cluster_ca: ca,
        }
        .fill()
    }
}

/// docs/static-site/nginx-cors.conf for [`CLUSTER`], allowing `console_origin`.
fn fill_cors(console_origin: &str, cluster_addr: &str, ca: &Path) -> String {
    let filled = NGINX_CORS_TEMPLATE
        .replace("@CONSOLE_ORIGIN@", console_origin)
        .replace("@CLUSTER_ADDR@", cluster_addr)
        .replace("@CLUSTER_HOST@", CLUSTER_HOST)
        .replace("@CLUSTER_CA@", &ca.display().to_string())
        .replace("@CLUSTER@", CLUSTER);
    assert_no_placeholder(&filled, "nginx-cors.conf");
    filled
}

/// Panics when a `@NAME@` is left outside comments.
fn assert_no_placeholder(filled: &str, file: &str) {
    let code: String = filled
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .collect();
    assert!(
        !code.contains('@'),
        "docs/static-site/{file} has a placeholder the harness does not fill"
    );
}

/// The `console.json` of the contract: one cluster [`CLUSTER`] under [`SUB_PATH`], a banner,
/// every page.
pub fn console_json(banner: &str) -> serde_json::Value {
    console_json_at(banner, &format!("{SUB_PATH}clusters/{CLUSTER}"))
}

/// The `console.json` of the contract with [`CLUSTER`]'s API at `api`.
pub fn console_json_at(banner: &str, api: &str) -> serde_json::Value {
    serde_json::json!({
        "clusters": [{"name": CLUSTER, "api": api}],
        "banner": banner,
        "pages": ["overview", "security", "certificates", "key-managers", "ipsec"],
    })
}

/// A CA and the simulator's certificate for [`CLUSTER_HOST`] (PEM files in a folder).
pub struct TestPki {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestPki {
    pub fn new(dir: &Path) -> TestPki {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        // rcgen's default name is the same for both: OpenSSL would take the leaf as self-signed.
        ca_params.distinguished_name = DistinguishedName::new();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Static-site test CA");
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().expect("server key");
        let mut params = CertificateParams::new(vec![CLUSTER_HOST.to_owned()]).expect("params");
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, CLUSTER_HOST);
        let cert = params.signed_by(&key, &issuer).expect("server certificate");
        let pki = TestPki {
            ca: dir.join("cluster-ca.pem"),
            cert: dir.join("cluster.pem"),
            key: dir.join("cluster-key.pem"),
        };
        std::fs::write(&pki.ca, ca_cert.pem()).expect("CA written");
        std::fs::write(&pki.cert, cert.pem()).expect("certificate written");
        std::fs::write(&pki.key, key.serialize_pem()).expect("key written");
        pki
    }
}
