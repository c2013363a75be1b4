//! `serve`: builds the backend from the checked settings, listens, prints where to go and how to
//! sign in, and stops gracefully on Ctrl-C or SIGTERM.

use std::time::Duration;

use tokio::net::TcpListener;

use crate::app::{app, AppConfig, Backend};
use crate::cli::{BackendSettings, ClusterSettings, Settings, SimulatorSettings, Trust};
use crate::https::{self, HttpsError, TlsSource};
use crate::listen::{self, url_of};
use crate::proxy::{Proxy, ProxyError};
use crate::session::Sessions;
use crate::ui;

/// The banner line that gives the console's address; tests read the address from it.
pub const BANNER_PREFIX: &str = "ONTAP security console: ";

/// How long requests still running at shutdown may take to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Why `serve` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot start the simulated cluster: {0}")]
    Simulator(#[from] ontap_sim::StartError),
    #[error(transparent)]
    Proxy(#[from] ProxyError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("cannot serve HTTPS: {0}")]
    Https(#[from] HttpsError),
}

/// Logs to stderr, `info` unless `RUST_LOG` says otherwise.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(settings: Settings) -> Result<(), ServeError> {
    let (backend, cors_origin, sign_in) = match settings.backend {
        BackendSettings::Simulator(sim) => {
            let sign_in = simulator_banner(&sim);
            let cors = sim.cors_origin.clone();
            (Backend::Simulator(start_simulator(sim)?), cors, sign_in)
        }
        BackendSettings::Cluster(cluster) => {
            let sign_in = cluster_banner(&cluster);
            (Backend::Cluster(Proxy::new(&cluster)?), None, sign_in)
        }
    };
    if !ui::is_built(&settings.ui) {
        tracing::warn!(
            "no console in {} (index.html missing): `/` explains how to build it; /api works. \
             Build it with `cargo xtask serve`, or `trunk build --release` in crates/web and \
             --ui crates/web/dist",
            settings.ui.display()
        );
    }
    let identity = match &settings.tls {
        TlsSource::None => None,
        TlsSource::Files { cert, key } => Some(https::load(cert, key)?),
        TlsSource::SelfSigned => Some(https::self_signed(settings.listen.ip())?),
    };
    let tls = identity.as_ref().map(https::acceptor).transpose()?;
    if let (Some(identity), TlsSource::SelfSigned) = (&identity, &settings.tls) {
        eprintln!(
            "self-signed certificate made for this run, SHA-256 fingerprint {}",
            identity.fingerprint
        );
    }
    if tls.is_none() && !settings.listen.ip().is_loopback() {
        tracing::warn!(
            "listening on {} over plain HTTP: passwords cross the network unencrypted; use \
             --tls-cert/--tls-key or --tls-self-signed, put a TLS-terminating proxy in front, \
             or listen on 127.0.0.1",
            settings.listen
        );
    }

    let listener =
        TcpListener::bind(settings.listen)
            .await
            .map_err(|source| ServeError::Listen {
                addr: settings.listen,
                source,
            })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    let router = app(AppConfig {
        backend,
        ui_dir: settings.ui,
        site: settings.site,
        cors_origin,
        limits: settings.limits,
        sessions: {
            // In this process's memory only: a restart ends every session.
            let sessions = Sessions::new(settings.sessions);
            sessions.spawn_sweeper();
            sessions
        },
    });

    println!("{BANNER_PREFIX}{}", url_of(addr, tls.is_some()));
    for line in sign_in {
        println!("  {line}");
    }

    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let server = listen::serve(listener, router, settings.limits, tls, async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in progress");
        let _ = stop_tx.send(true);
    });
    let deadline = async move {
        let _ = stop_rx.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        () = server => Ok(()),
        () = deadline => {
            tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}: stopping anyway");
            Ok(())
        }
    }
}

fn start_simulator(sim: SimulatorSettings) -> Result<ontap_sim::Simulator, ServeError> {
    let config = ontap_sim::SimConfig {
        job_seconds: sim.job_seconds,
        scenario: sim.scenario,
        state_file: sim.state,
        ontap_version: sim.ontap_version,
        faults: sim.faults,
        ..ontap_sim::SimConfig::new(sim.user, sim.password)
    };
    Ok(ontap_sim::Simulator::new(config)?)
}

fn simulator_banner(sim: &SimulatorSettings) -> Vec<String> {
    let scenario = match sim.scenario {
        ontap_sim::Scenario::Demo => "demo",
        ontap_sim::Scenario::Empty => "empty",
        ontap_sim::Scenario::Many => "many",
        ontap_sim::Scenario::Hardened => "hardened",
    };
    let mut lines = vec![format!(
        "/api: the simulated cluster ({scenario} scenario{}, jobs take {} s)",
        match &sim.state {
            Some(path) => format!(", state kept in {}", path.display()),
            None => String::new(),
        },
        sim.job_seconds
    )];
    if let Some(faults) = &sim.faults {
        lines.push(format!("faults injected: {faults}"));
    }
    if let Some(origin) = &sim.cors_origin {
        lines.push(format!(
            "CORS: /api answers cross-origin calls from {}",
            origin.to_str().unwrap_or("?")
        ));
    }
    // The sign-in line comes last: tests wait for it to know the banner is complete.
    if sim.password_generated {
        lines.push(format!(
            "sign in as user {} with password {}",
            sim.user,
            sim.password.expose()
        ));
    } else {
        lines.push(format!(
            "sign in as user {} with the password you gave",
            sim.user
        ));
    }
    lines
}

fn cluster_banner(cluster: &ClusterSettings) -> Vec<String> {
    let origin = cluster.url.origin().ascii_serialization();
    let trust = match &cluster.trust {
        Trust::SystemRoots if cluster.url.scheme() == "http" => {
            "plain http, loopback only".to_string()
        }
        Trust::SystemRoots => "certificate checked against the system's roots".to_string(),
        Trust::CaFile(path) => format!("certificate checked against {}", path.display()),
        Trust::Insecure => "certificate NOT checked (--insecure)".to_string(),
    };
    if cluster.trust == Trust::Insecure {
        tracing::warn!(
            "--insecure: the cluster's TLS certificate is not verified; anyone on the network \
             path can impersonate the cluster and read the credentials. Prefer --ca-file."
        );
    }
    vec![
        format!("/api: forwarded to {origin} ({trust})"),
        "sign in with the cluster's own credentials".to_string(),
    ]
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
