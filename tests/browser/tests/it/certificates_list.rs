//! The certificate list and detail: filters and sort checked against the simulator's records,
//! expiry warnings on the demo's expiring and expired certificates, the detail's decoded PEM,
//! and 10,000 certificates paged in through `_links.next` with a bounded DOM.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use ontap_browser_tests::{Browser, WAIT};
use serde_json::Value;

/// Every certificate as the API lists it (the table's fields).
async fn api_certificates(b: &Browser) -> Vec<Value> {
    let body = b
        .api_get("/api/security/certificates?fields=name,type,scope,svm.name,common_name,ca,serial_number,expiry_time")
        .await;
    body["records"].as_array().cloned().unwrap_or_default()
}

fn field<'a>(record: &'a Value, name: &str) -> &'a str {
    record[name].as_str().unwrap_or_default()
}

/// The texts of one cell of every row in the DOM, in order.
async fn column(b: &Browser, cell: &str) -> Vec<String> {
    let script = format!(
        "return [...document.querySelectorAll('[data-testid=cert-row] [data-testid={cell}]')].map(e => e.textContent)"
    );
    b.js(&script)
        .await
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the count line shows `expected` rows.
async fn wait_shown(b: &Browser, expected: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = b.attr("cert-count", "data-shown").await;
        if shown.as_deref() == Some(expected.to_string().as_str()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the list shows {shown:?} rows, not {expected}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The row (data-uuid) of the certificate named `name`, from the API.
fn uuid_of(records: &[Value], name: &str) -> String {
    records
        .iter()
        .find(|r| field(r, "name") == name)
        .map(|r| field(r, "uuid").to_owned())
        .unwrap_or_else(|| panic!("no certificate {name} in the API"))
}

async fn row_attr(b: &Browser, uuid: &str, cell: &str, attr: &str) -> Option<String> {
    let css = format!("[data-testid=cert-row][data-uuid=\"{uuid}\"] [data-testid={cell}]");
    let el = b
        .page
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&css))
        .await
        .expect("the row's cell");
    match attr {
        "text" => el.text().await.ok(),
        name => el.attr(name).await.expect("attribute"),
    }
}

#[tokio::test]
async fn filters_sort_and_expiry_warnings_match_the_api() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/certificates").await;
    let records = api_certificates(&b).await;
    let total = records.len();
    assert!(total >= 10, "the demo has a dozen certificates");
    b.find("cert-table").await;
    assert_eq!(
        b.attr("cert-count", "data-total").await,
        Some(total.to_string())
    );
    wait_shown(&b, total).await;

    // Trusted CAs: server_ca and client_ca only, as many as the API has.
    b.click("cert-tab-trusted-ca").await;
    let trusted = records
        .iter()
        .filter(|r| matches!(field(r, "type"), "server_ca" | "client_ca"))
        .count();
    wait_shown(&b, trusted).await;
    for ty in column(&b, "cert-type").await {
        assert!(ty == "server_ca" || ty == "client_ca", "{ty}");
    }
    b.click("cert-tab-local-ca").await;
    let local = records
        .iter()
        .filter(|r| field(r, "type") == "root_ca")
        .count();
    wait_shown(&b, local).await;
    b.click("cert-tab-all").await;
    wait_shown(&b, total).await;

    // Scope and SVM.
    b.select("cert-scope", "svm").await;
    let on_svms = records
        .iter()
        .filter(|r| field(r, "scope") == "svm")
        .count();
    wait_shown(&b, on_svms).await;
    b.select("cert-scope", "").await;
    b.select("cert-svm", "vs1").await;
    let on_vs1 = records
        .iter()
        .filter(|r| r["svm"]["name"].as_str() == Some("vs1"))
        .count();
    wait_shown(&b, on_vs1).await;
    b.select("cert-svm", "").await;

    // Text search on name and common name, case-insensitive.
    b.fill("cert-search", "EXAMPLE.com").await;
    let matching: Vec<&Value> = records
        .iter()
        .filter(|r| {
            field(r, "name").to_lowercase().contains("example.com")
                || field(r, "common_name")
                    .to_lowercase()
                    .contains("example.com")
        })
        .collect();
    assert!(!matching.is_empty());
    wait_shown(&b, matching.len()).await;
    // (WebDriver's clear fires no input event: empty the box as its clear button does.)
    b.js("const s = document.querySelector('[data-testid=cert-search]'); s.value = ''; s.dispatchEvent(new Event('input', {bubbles: true})); return true").await;
    wait_shown(&b, total).await;

    // Sort by name, both ways, as the API's names sort.
    let mut names: Vec<String> = records
        .iter()
        .map(|r| field(r, "name").to_owned())
        .collect();
    names.sort_by_key(|n| n.to_lowercase());
    assert_eq!(column(&b, "cert-name").await, names, "sorted by name");
    b.click("sort-name").await;
    names.reverse();
    assert_eq!(column(&b, "cert-name").await, names, "by name, descending");
    // Sort by expiry: the API's expiry times in order.
    b.click("sort-expiry").await;
    // The simulator writes every expiry in UTC (`...+00:00`): as text they sort as times.
    let expiry_by_name: std::collections::HashMap<String, String> = records
        .iter()
        .map(|r| {
            (
                field(r, "name").to_owned(),
                field(r, "expiry_time").to_owned(),
            )
        })
        .collect();
    assert!(expiry_by_name.values().all(|e| e.ends_with("+00:00")));
    let shown = column(&b, "cert-name").await;
    assert_eq!(shown.len(), total);
    let expiries: Vec<&str> = shown.iter().map(|n| expiry_by_name[n].as_str()).collect();
    let mut sorted_expiries = expiries.clone();
    sorted_expiries.sort();
    assert_eq!(expiries, sorted_expiries, "sorted by expiry");
    // Sort by the issuer column too.
    b.click("sort-ca").await;
    let cas = column(&b, "cert-ca").await;
    let mut sorted_cas = cas.clone();
    sorted_cas.sort_by_key(|c| c.to_lowercase());
    assert_eq!(cas, sorted_cas, "sorted by issuer");

    // Expiry warnings: vs1.example.com expires in 12 days, Legacy Partner CA has expired.
    let expiring = uuid_of(&records, "vs1.example.com");
    assert_eq!(
        row_attr(&b, &expiring, "cert-expiry", "data-state")
            .await
            .as_deref(),
        Some("soon")
    );
    let words = row_attr(&b, &expiring, "cert-expiry", "text")
        .await
        .unwrap_or_default();
    assert!(
        words.contains("in 11 days") || words.contains("in 12 days"),
        "{words}"
    );
    let expired = uuid_of(&records, "Legacy Partner CA");
    assert_eq!(
        row_attr(&b, &expired, "cert-expiry", "data-state")
            .await
            .as_deref(),
        Some("expired")
    );
    let words = row_attr(&b, &expired, "cert-expiry", "text")
        .await
        .unwrap_or_default();
    assert!(
        words.contains("expired 30 days ago") || words.contains("expired 29 days ago"),
        "{words}"
    );
    let fine = uuid_of(&records, "Example Global Root G2");
    assert_eq!(
        row_attr(&b, &fine, "cert-expiry", "data-state")
            .await
            .as_deref(),
        Some("valid")
    );
    assert!(b.text("cert-summary-expired").await.starts_with('1'));
    // Self-signed: the outside root is, the server certificate its CA issued is not.
    let self_signed = b
        .js(&format!("return !!document.querySelector('[data-uuid=\"{fine}\"] [data-testid=cert-self-signed]')"))
        .await;
    assert_eq!(self_signed, true);
    let issued = b
        .js(&format!("return !!document.querySelector('[data-uuid=\"{expiring}\"] [data-testid=cert-self-signed]')"))
        .await;
    assert_eq!(issued, false);

    // The chart counts the expiries ahead: vs1's in 12 days among them.
    let bars = b
        .js("return [...document.querySelectorAll('[data-testid=chart-bar]')].map(e => +e.dataset.count)")
        .await;
    let bars: Vec<i64> = bars
        .as_array()
        .expect("bars")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert_eq!(bars.len(), 12);
    assert!(bars[0] + bars[1] >= 1, "{bars:?}");
    assert_eq!(
        b.attr("cert-chart", "data-total").await,
        Some(bars.iter().sum::<i64>().to_string())
    );
    b.close().await;
}

#[tokio::test]
async fn detail_shows_what_the_api_and_the_pem_say() {
    let b = Browser::start(&[]).await;
    let records = api_certificates(&b).await;
    let uuid = uuid_of(&records, "vs1.example.com");
    let full = b
        .api_get(&format!("/api/security/certificates/{uuid}?fields=**"))
        .await;
    // A deep link: the detail opens at its own address after signing in.
    b.sign_in_at(&format!("/certificates/{uuid}")).await;
    assert_eq!(b.text("detail-title").await, "vs1.example.com");
    assert_eq!(b.text("detail-uuid").await, uuid);
    assert_eq!(
        b.text("detail-common-name").await,
        field(&full, "common_name")
    );
    assert_eq!(b.text("detail-serial").await, field(&full, "serial_number"));
    assert_eq!(b.text("detail-svm").await, "vs1");
    // Decoded in the browser: the same serial and common name, issued by the cluster's root.
    assert_eq!(b.text("x509-serial").await, field(&full, "serial_number"));
    assert!(b.text("x509-subject").await.contains("CN=vs1.example.com"));
    assert!(b.text("x509-issuer").await.contains(field(&full, "ca")));
    assert_eq!(b.text("x509-self-signed").await, "no");
    assert!(b.text("x509-sans").await.contains("DNS:vs1.example.com"));
    let key = b.text("x509-key").await;
    assert_eq!(key, format!("rsa {} bits", full["key_size"]));
    assert_eq!(b.text("x509-hash").await, field(&full, "hash_function"));
    // Issued by the cluster's root: its authority key identifier names the root's key.
    let aki = field(&full, "authority_key_identifier");
    assert!(
        !aki.is_empty(),
        "the cluster returns the authority key identifier"
    );
    assert_eq!(b.text("x509-aki").await, aki);
    let ski = match field(&full, "subject_key_identifier") {
        "" => "(none)",
        ski => ski,
    };
    assert_eq!(b.text("x509-ski").await, ski);
    let fingerprint = b.text("x509-fingerprint").await;
    assert_eq!(fingerprint.split(':').count(), 32, "{fingerprint}");
    assert!(b.text("x509-not-after").await.contains("in 1"));
    assert!(b.enabled("cert-download").await);

    // From the list, a row's link opens the same page.
    b.click("cert-back").await;
    let css = format!("[data-uuid=\"{uuid}\"] [data-testid=cert-name]");
    b.page
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(&css))
        .await
        .expect("the row")
        .click()
        .await
        .expect("click");
    b.wait_text("detail-title", "vs1.example.com").await;
    // A self-signed CA says so.
    let root = uuid_of(&records, "Example Global Root G2");
    // A typed address reloads the page: the server's session keeps it signed in.
    b.goto(&format!("/certificates/{root}")).await;
    b.wait_text("detail-title", "Example Global Root G2").await;
    assert_eq!(b.text("x509-self-signed").await, "yes");
    assert_eq!(b.text("x509-is-ca").await, "yes");
    b.close().await;
}

#[tokio::test]
async fn ten_thousand_certificates_page_in_with_a_bounded_dom() {
    let b = Browser::start(&["--scenario", "many"]).await;
    let count = b
        .api_get("/api/security/certificates?return_records=false")
        .await["num_records"]
        .as_u64()
        .expect("num_records");
    assert!(count >= 10_000, "{count}");
    b.sign_in_at("/certificates").await;
    let deadline = Instant::now() + Duration::from_secs(90);
    while b.count("cert-count").await == 0 {
        assert!(Instant::now() < deadline, "the list never finished loading");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        b.attr("cert-count", "data-total").await,
        Some(count.to_string())
    );
    wait_shown(&b, count as usize).await;
    assert!(b.text("cert-count").await.contains(&format!("of {count}")));
    let rows = b.count("cert-row").await;
    assert!((1..=100).contains(&rows), "{rows} row elements");

    // It came in pages through _links.next, none asking for the PEMs.
    let requests = b
        .js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/security/certificates'))")
        .await;
    let requests: Vec<&str> = requests
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(requests.len() >= 10, "{requests:?}");
    assert!(
        requests.iter().skip(1).all(|r| r.contains("start=")),
        "{requests:?}"
    );
    assert!(requests.iter().all(|r| !r.contains("public_certificate")));

    // Scrolled to the middle: the rows there, still a bounded DOM.
    b.js("const s = document.querySelector('[data-testid=cert-scroll]'); s.scrollTop = s.scrollHeight / 2; s.dispatchEvent(new Event('scroll')); return true")
        .await;
    let deadline = Instant::now() + WAIT;
    let middle = loop {
        let first = b
            .js("const r = document.querySelector('[data-testid=cert-row]'); return r ? +r.dataset.position : -1")
            .await
            .as_i64()
            .unwrap_or(-1);
        if first > 1000 {
            break first;
        }
        assert!(
            Instant::now() < deadline,
            "the rows did not follow the scroll"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!((middle - count as i64 / 2).abs() < 100, "{middle}");
    let rows = b.count("cert-row").await;
    assert!((1..=100).contains(&rows), "{rows} row elements");

    // A search over all of them, against the API's names and common names.
    let all = b
        .api_get("/api/security/certificates?fields=name,common_name")
        .await;
    let matching = all["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter(|r| {
            field(r, "name").to_lowercase().contains("app0001")
                || field(r, "common_name").to_lowercase().contains("app0001")
        })
        .count();
    assert!(matching > 0);
    b.fill("cert-search", "app0001").await;
    wait_shown(&b, matching).await;
    assert!(b.count("cert-row").await <= 100);
    b.close().await;
}
