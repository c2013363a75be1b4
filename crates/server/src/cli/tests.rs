//! Unit tests for the command line.

use super::*;

fn parse(args: &[&str]) -> Result<Settings, UsageError> {
    let mut argv = vec!["ontap-console", "serve"];
    argv.extend_from_slice(args);
    let Command::Serve(serve) = Cli::try_parse_from(argv).expect("clap accepts").command else {
        panic!("serve expected");
    };
    serve.check()
}

fn simulator(settings: Settings) -> SimulatorSettings {
    match settings.backend {
        BackendSettings::Simulator(s) => s,
        BackendSettings::Cluster(_) => panic!("expected the simulator"),
    }
}

fn cluster(settings: Settings) -> ClusterSettings {
    match settings.backend {
        BackendSettings::Cluster(c) => c,
        BackendSettings::Simulator(_) => panic!("expected a cluster"),
    }
}

#[test]
fn clap_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn defaults_run_the_demo_simulator_with_a_random_password() {
    let settings = parse(&[]).unwrap();
    assert_eq!(settings.listen, "127.0.0.1:8080".parse().unwrap());
    assert_eq!(settings.ui, PathBuf::from("dist"));
    let sim = simulator(settings);
    assert_eq!(sim.user, "admin");
    assert!(sim.password_generated);
    assert_eq!(sim.password.expose().len(), 20);
    assert!(sim
        .password
        .expose()
        .chars()
        .all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(sim.scenario, ontap_sim::Scenario::Demo);
    assert_eq!(sim.job_seconds, DEFAULT_JOB_SECONDS);
    assert!(sim.cors_origin.is_none());
    assert!(sim.state.is_none());
}

#[test]
fn connection_and_https_flags() {
    let settings = parse(&[]).unwrap();
    assert_eq!(settings.limits, crate::listen::Limits::default());
    assert_eq!(settings.tls, crate::https::TlsSource::None);
    let settings = parse(&["--tls-self-signed", "--max-requests", "7"]).unwrap();
    assert_eq!(settings.tls, crate::https::TlsSource::SelfSigned);
    assert_eq!(settings.limits.max_requests, 7);
    for refused in [
        &["--tls-cert", "c.pem"][..],
        &["--tls-key", "k.pem"],
        &[
            "--tls-self-signed",
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
        ],
    ] {
        let mut argv = vec!["ontap-console", "serve"];
        argv.extend_from_slice(refused);
        assert!(Cli::try_parse_from(argv).is_err(), "{refused:?}");
    }
}

#[test]
fn two_random_passwords_differ() {
    let a = simulator(parse(&[]).unwrap()).password;
    let b = simulator(parse(&[]).unwrap()).password;
    assert_ne!(a.expose(), b.expose());
}

#[test]
fn simulator_flags_are_taken() {
    let sim = simulator(
        parse(&[
            "--user",
            "ops",
            "--password",
            "pw",
            "--scenario",
            "empty",
            "--job-seconds",
            "0",
            "--state",
            "s.json",
            "--cors-origin",
            "http://127.0.0.1:8081/",
        ])
        .unwrap(),
    );
    assert_eq!(sim.user, "ops");
    assert_eq!(sim.password.expose(), "pw");
    assert!(!sim.password_generated);
    assert_eq!(sim.scenario, ontap_sim::Scenario::Empty);
    assert_eq!(sim.job_seconds, 0.0);
    assert_eq!(sim.state, Some(PathBuf::from("s.json")));
    assert_eq!(sim.cors_origin.unwrap(), "http://127.0.0.1:8081");
}

#[test]
fn the_hardened_scenario_is_offered() {
    let sim = simulator(parse(&["--scenario", "hardened"]).unwrap());
    assert_eq!(sim.scenario, ontap_sim::Scenario::Hardened);
}

#[test]
fn the_release_to_answer_as_is_chosen() {
    let sim = simulator(parse(&["--ontap-version", "9.12"]).unwrap());
    assert_eq!(sim.ontap_version, Some((9, 12, 1)));
    assert_eq!(simulator(parse(&[]).unwrap()).ontap_version, None);
    assert!(Cli::try_parse_from(["ontap-console", "serve", "--ontap-version", "9.7"]).is_err());
}

#[test]
fn the_many_scenario_is_offered() {
    let sim = simulator(parse(&["--scenario", "many"]).unwrap());
    assert_eq!(sim.scenario, ontap_sim::Scenario::Many);
}

#[test]
fn bad_simulator_values_are_refused() {
    for args in [
        &["--job-seconds", "-1"][..],
        &["--job-seconds", "NaN"],
        &["--user", ""],
        &["--user", "a:b"],
        &["--password", ""],
        &["--cors-origin", "not an origin"],
        &["--cors-origin", "http://127.0.0.1:8081/path"],
    ] {
        let err = parse(args).expect_err(&format!("{args:?} must be refused"));
        assert_eq!(err.kind, ErrorKind::ValueValidation, "{args:?}");
    }
}

#[test]
fn cluster_mode_defaults_to_system_roots() {
    let c = cluster(parse(&["--cluster", "https://cluster1.example.com/"]).unwrap());
    assert_eq!(c.url.as_str(), "https://cluster1.example.com/");
    assert_eq!(c.trust, Trust::SystemRoots);
    let bare = cluster(parse(&["--cluster", "192.0.2.10"]).unwrap());
    assert_eq!(bare.url.as_str(), "https://192.0.2.10/");
}

#[test]
fn cluster_trust_flags() {
    let c = cluster(parse(&["--cluster", "https://c", "--ca-file", "ca.pem"]).unwrap());
    assert_eq!(c.trust, Trust::CaFile(PathBuf::from("ca.pem")));
    let c = cluster(parse(&["--cluster", "https://c", "--insecure"]).unwrap());
    assert_eq!(c.trust, Trust::Insecure);
    let err = parse(&["--cluster", "https://c", "--insecure", "--ca-file", "x"]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentConflict);
}

#[test]
fn simulator_flags_are_refused_with_a_cluster() {
    let err = parse(&[
        "--cluster",
        "https://c",
        "--user",
        "x",
        "--job-seconds",
        "0",
    ])
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentConflict);
    assert!(
        err.message.contains("--user, --job-seconds apply only"),
        "{}",
        err.message
    );
    assert!(err.message.contains("simulator"), "{}", err.message);
    let err = parse(&["--cluster", "https://c", "--password", "secret-pw"]).unwrap_err();
    assert!(!err.message.contains("secret-pw"));
}

#[test]
fn cluster_flags_are_refused_without_a_cluster() {
    let err = parse(&["--insecure"]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentConflict);
    assert!(err.message.contains("--insecure"), "{}", err.message);
    let err = parse(&["--ca-file", "ca.pem"]).unwrap_err();
    assert!(err.message.contains("--ca-file"), "{}", err.message);
}

#[test]
fn cluster_urls_are_checked() {
    for bad in [
        "https://admin:pw@cluster",
        "https://cluster/api",
        "https://cluster?x=1",
        "http://cluster.example.com",
        "ftp://cluster",
        "https://",
    ] {
        let err = parse(&["--cluster", bad]).expect_err(bad);
        assert_eq!(err.kind, ErrorKind::ValueValidation, "{bad}");
        assert!(!err.message.contains("pw@"), "{}", err.message);
    }
    for loopback in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"] {
        assert_eq!(
            cluster(parse(&["--cluster", loopback]).unwrap())
                .url
                .scheme(),
            "http"
        );
    }
    let err = parse(&["--cluster", "http://127.0.0.1:9", "--insecure"]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentConflict);
}

#[test]
fn password_is_not_in_debug_output() {
    let settings = parse(&["--password", "hunter2-secret"]).unwrap();
    assert!(!format!("{settings:?}").contains("hunter2-secret"));
}

#[test]
fn faults_are_off_by_default_and_parsed_when_given() {
    assert_eq!(simulator(parse(&[]).unwrap()).faults, None);
    let sim = simulator(parse(&["--faults", "error=503:0.2,seed=3"]).unwrap());
    assert_eq!(
        sim.faults.unwrap().error,
        Some((ontap_sim::faults::ErrorStatus::Unavailable, 0.2))
    );
    assert!(parse(&["--faults", "drop=7"]).is_err());
    assert!(parse(&["--faults", "drop=0.1", "--cluster", "https://c.example"]).is_err());
}
