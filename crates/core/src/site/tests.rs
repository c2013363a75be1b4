use proptest::prelude::*;

use super::*;

const EXAMPLE: &str = r#"{"clusters":[{"name":"sim1","api":"/storage/security/clusters/sim1"},{"name":"lab","api":"https://lab.example.com"}],"banner":"text shown on every page","pages":["overview","security","certificates","key-managers","ipsec"]}"#;

fn refused(text: &str) -> SiteError {
    parse(text.as_bytes()).expect_err(text)
}

#[test]
fn the_documented_example_is_read() {
    let site = parse(EXAMPLE.as_bytes()).unwrap();
    assert_eq!(site.clusters.len(), 2);
    assert_eq!(site.clusters[0].api, "/storage/security/clusters/sim1");
    assert!(!site.clusters[0].is_url());
    assert!(site.cluster("lab").unwrap().is_url());
    assert_eq!(site.banner.as_deref(), Some("text shown on every page"));
    assert_eq!(site.offered_pages(), Page::ALL.to_vec());
    assert_eq!(parse(site.to_json().as_bytes()).unwrap(), site);
    assert_eq!(
        parse(SiteConfig::example().to_json().as_bytes()).unwrap(),
        SiteConfig::example()
    );
}

#[test]
fn every_key_is_optional() {
    let site = parse(b"{}").unwrap();
    assert_eq!(site, SiteConfig::default());
    assert!(Page::ALL.iter().all(|p| site.offers(*p)));
    let site = parse(br#"{"clusters":[{"name":"here"}],"pages":["certificates"]}"#).unwrap();
    assert_eq!(site.clusters[0].api, "");
    assert!(site.offers(Page::Certificates));
    assert!(!site.offers(Page::Overview));
    assert_eq!(site.offered_pages(), vec![Page::Certificates]);
}

#[test]
fn unknown_keys_are_refused_by_name() {
    let e = refused(r#"{"banner":"x","colour":"red"}"#);
    assert_eq!(e.field(), Some("colour"));
    assert!(
        e.to_string().contains("allowed: clusters, banner, pages"),
        "{e}"
    );
    let e = refused(r#"{"clusters":[{"name":"a","url":"/x"}]}"#);
    assert_eq!(e.field(), Some("clusters[0].url"));
}

#[test]
fn api_bases_are_paths_or_http_urls() {
    let root = parse(br#"{"clusters":[{"name":"a","api":"/"}]}"#).unwrap();
    assert_eq!(root.clusters[0].api, "/");
    for good in [
        "",
        "/a/b/",
        "https://h",
        "http://h:8443/p/",
        "https://10.0.0.1:443",
        "https://[2001:db8::1]:8443/x",
    ] {
        let text = format!(r#"{{"clusters":[{{"name":"a","api":"{good}"}}]}}"#);
        let site = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(
            !site.clusters[0].api.ends_with('/'),
            "{good}: trailing / kept"
        );
    }
    for bad in [
        "ftp://h",
        "h.example.com",
        "//h.example.com",
        "https://",
        "https://u:p@h",
        "/a?b",
        "/a#b",
        "/a b",
        "javascript:alert(1)",
        "https://h;script-src",
        "https://h',*",
        "https://h:port",
        "https://h:123456",
        "https://[2001:db8::1",
        "https://[zz]",
    ] {
        let text = format!(r#"{{"clusters":[{{"name":"a","api":"{bad}"}}]}}"#);
        let e = refused(&text);
        assert_eq!(e.field(), Some("clusters[0].api"), "{bad}: {e}");
        assert!(!e.to_string().contains("p@"), "a password is echoed: {e}");
    }
}

#[test]
fn cluster_origins_are_the_url_clusters_once_each() {
    let site = parse(
        br#"{"clusters":[
            {"name":"a","api":"https://lab.example.com/x"},
            {"name":"b","api":"/local"},
            {"name":"c","api":"https://lab.example.com:443/y"},
            {"name":"d","api":"https://lab.example.com"},
            {"name":"e","api":""}
        ]}"#,
    )
    .unwrap();
    assert_eq!(
        site.cluster_origins(),
        ["https://lab.example.com", "https://lab.example.com:443"]
    );
    assert!(SiteConfig::default().cluster_origins().is_empty());
}

#[test]
fn bounds_are_enforced_with_the_field_named() {
    let e = refused(&format!(
        r#"{{"banner":"{}"}}"#,
        "b".repeat(MAX_BANNER_CHARS + 1)
    ));
    assert_eq!(e.field(), Some("banner"));
    let e = refused(&format!(
        r#"{{"clusters":[{{"name":"{}"}}]}}"#,
        "n".repeat(MAX_NAME_CHARS + 1)
    ));
    assert_eq!(e.field(), Some("clusters[0].name"));
    let many: Vec<String> = (0..=MAX_CLUSTERS)
        .map(|i| format!(r#"{{"name":"c{i}"}}"#))
        .collect();
    let e = refused(&format!(r#"{{"clusters":[{}]}}"#, many.join(",")));
    assert_eq!(e.field(), Some("clusters"));
    let big = format!(r#"{{"banner":"{}"}}"#, " ".repeat(MAX_FILE_BYTES));
    assert!(matches!(refused(&big), SiteError::TooLarge { .. }));
}

#[test]
fn shapes_and_names_are_checked() {
    assert!(matches!(refused("{"), SiteError::NotJson { line: 1, .. }));
    assert_eq!(refused("[]").field(), Some("(the whole file)"));
    assert_eq!(refused(r#"{"clusters":{}}"#).field(), Some("clusters"));
    assert_eq!(
        refused(r#"{"clusters":[{"api":""}]}"#).field(),
        Some("clusters[0].name")
    );
    assert_eq!(
        refused(r#"{"clusters":[{"name":"  "}]}"#).field(),
        Some("clusters[0].name")
    );
    let e = refused(r#"{"clusters":[{"name":"a"},{"name":"a"}]}"#);
    assert_eq!(e.field(), Some("clusters[1].name"));
    let e = refused(r#"{"banner":42}"#);
    assert_eq!(
        e.to_string(),
        "console.json: `banner` must be text in quotes, not a number"
    );
    let e = refused(r#"{"pages":["overview","dashboard"]}"#);
    assert_eq!(e.field(), Some("pages[1]"));
    assert!(e.to_string().contains("key-managers"), "{e}");
    assert_eq!(refused(r#"{"pages":[]}"#).field(), Some("pages"));
}

#[test]
fn routes_belong_to_their_page() {
    assert_eq!(Page::of_route("/"), Some(Page::Overview));
    assert_eq!(Page::of_route(""), Some(Page::Overview));
    assert_eq!(
        Page::of_route("/certificates/abc"),
        Some(Page::Certificates)
    );
    assert_eq!(Page::of_route("/key-managers?x=1"), Some(Page::KeyManagers));
    assert_eq!(Page::of_route("/nothing"), None);
    for page in Page::ALL {
        assert_eq!(Page::of_route(page.path()), Some(page));
        assert_eq!(Page::from_key(page.key()), Some(page));
    }
}

#[test]
fn the_cross_origin_explanation_names_every_header() {
    let text = cross_origin_explanation("https://portal.example.com", "https://lab.example.com/");
    for needed in [
        "Access-Control-Allow-Origin: https://portal.example.com",
        "Access-Control-Allow-Headers: Authorization, Content-Type",
        "Access-Control-Allow-Methods: GET, POST, PATCH, DELETE",
        "Access-Control-Allow-Credentials",
        "https://lab.example.com",
    ] {
        assert!(text.contains(needed), "{needed} missing from: {text}");
    }
    assert_eq!(origin_of("https://h:1/a/b"), Some("https://h:1"));
    assert_eq!(origin_of("http://h"), Some("http://h"));
    assert_eq!(origin_of("/a"), None);
}

proptest! {
    #[test]
    fn an_accepted_origin_cannot_change_a_policy(
        host in r"[a-z0-9.;',*\[\]: -]{0,20}",
        scheme in "https?://",
    ) {
        let file = serde_json::json!({"clusters":[{"name": "a", "api": format!("{scheme}{host}/x")}]});
        if let Ok(site) = parse(file.to_string().as_bytes()) {
            for origin in site.cluster_origins() {
                prop_assert!(
                    !origin.contains([';', '\'', ',', '*', ' ']),
                    "{origin} would change a Content-Security-Policy"
                );
            }
        }
    }

    #[test]
    fn no_input_panics_the_parser(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn no_json_shaped_input_panics_it(text in r#"[{}\[\]",:a-z0-9 /.@?#\\-]{0,200}"#, name in ".{0,80}", api in ".{0,80}") {
        let _ = parse(text.as_bytes());
        let file = serde_json::json!({"clusters":[{"name": name, "api": api}], "banner": name});
        if let Err(e) = parse(file.to_string().as_bytes()) {
            prop_assert!(e.field().is_some());
        }
    }
}
