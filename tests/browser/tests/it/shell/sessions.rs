//! Sessions kept by `ontap-console serve` (issue 20): a reload, a deep link in a new tab stay
//! signed in; sign-out in one tab asks the other to sign in; the idle timeout signs out; the
//! cookie is HttpOnly, SameSite=Strict, Path=/ and the password is nowhere in the browser.

use std::time::Duration;

use ontap_browser_tests::{Browser, PASSWORD};

const COOKIE: &str = "ontap_console_session";

/// Opens a new tab, switches to it and opens `path` there; returns the first tab's handle.
async fn new_tab_at(b: &Browser, path: &str) -> fantoccini::wd::WindowHandle {
    let first = b.page.window().await.expect("window");
    let tab = b.page.new_window(true).await.expect("new tab");
    b.page.switch_to_window(tab.handle).await.expect("switch");
    b.goto(path).await;
    first
}

#[tokio::test]
async fn a_reload_and_a_deep_link_in_a_new_tab_stay_signed_in() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/").await;
    b.click("nav-ipsec").await;
    b.find("ipsec-enabled").await;

    b.page.refresh().await.expect("reload");
    b.find("ipsec-enabled").await;
    assert_eq!(b.count("signin-form").await, 0, "a reload stays signed in");
    assert!(!b.text("cluster-name").await.is_empty());

    // The cookie: HttpOnly (the page cannot read it), SameSite=Strict, Path=/, not Secure over
    // plain HTTP, a random value that is not the password.
    let cookies = b.page.get_all_cookies().await.expect("cookies");
    let session = cookies
        .iter()
        .find(|c| c.name() == COOKIE)
        .expect("the session cookie");
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(format!("{:?}", session.same_site()), "Some(Strict)");
    assert_eq!(session.path(), Some("/"));
    assert_ne!(session.secure(), Some(true));
    assert_eq!(session.value().len(), 43);
    assert!(cookies.iter().all(|c| !c.value().contains(PASSWORD)));
    let readable = b.js("return document.cookie").await;
    assert!(!readable.to_string().contains(COOKIE), "{readable}");

    // A link to a certificate pasted into a new tab opens signed in.
    let listed = b.api_get("/api/security/certificates?max_records=1").await;
    let uuid = listed["records"][0]["uuid"]
        .as_str()
        .expect("a certificate");
    new_tab_at(&b, &format!("/certificates/{uuid}")).await;
    b.find("cluster-name").await;
    b.find("cert-back").await;
    assert_eq!(b.count("signin-form").await, 0);

    // The password is in no storage, URL, page or log.
    let stored = b
        .js("return JSON.stringify({local: {...localStorage}, session: {...sessionStorage}, \
             cookie: document.cookie, url: location.href, html: document.documentElement.outerHTML})")
        .await
        .to_string();
    assert!(!stored.contains(PASSWORD), "{stored}");
    let log = b.console_log().await;
    assert!(log.iter().all(|line| !line.contains(PASSWORD)), "{log:?}");
    b.close().await;
}

#[tokio::test]
async fn sign_out_in_one_tab_asks_the_other_to_sign_in() {
    let b = Browser::start(&[]).await;
    b.sign_in_at("/").await;
    b.find("overview-ipsec").await;
    let first = new_tab_at(&b, "/ipsec").await;
    b.find("ipsec-enabled").await;
    b.click("signout").await;
    b.find("signin-form").await;

    // The first tab learns it on its next call: the re-sign-in dialog over the page.
    b.page.switch_to_window(first).await.expect("switch back");
    b.click("nav-security").await;
    b.find("reauth-dialog").await;
    b.fill("signin-password", PASSWORD).await;
    b.click("signin-submit").await;
    b.wait_gone("reauth-dialog").await;
    b.find("cluster-name").await;
    assert_eq!(b.count("signin-form").await, 0);
    b.close().await;
}

#[tokio::test]
async fn the_idle_timeout_signs_out() {
    let b = Browser::start(&["--session-idle", "2"]).await;
    b.sign_in_at("/").await;
    b.find("overview-ipsec").await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    b.click("nav-ipsec").await;
    b.find("reauth-dialog").await;
    // A reload now finds no session either.
    b.page.refresh().await.expect("reload");
    b.find("signin-form").await;
    b.close().await;
}
