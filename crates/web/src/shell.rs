//! The console's frame: sign-in, the header naming the cluster, navigation, the pages' routes,
//! and the re-sign-in dialog a 401 opens over the current page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy};
use ontap_core::Secret;

use crate::api::{CallError, Credentials};
use crate::routes::{
    CertificateRoute, CertificatesRoute, IpsecRoute, KeyManagerRoute, KeyManagersRoute,
    OverviewRoute, SecurityRoute,
};
use crate::session::{use_session, Session};
use crate::widgets::Loading;

/// The whole console: the sign-in form until the cluster accepts the credentials, then the
/// signed-in console.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    // A reload, a deep link or a new tab: the server may still hold this browser's session.
    leptos::task::spawn_local(async move { session.resume().await });
    view! {
        <Show when=move || session.is_resumed() fallback=|| view! { <Loading what="Opening the console…"/> }>
            <Show when=move || session.is_signed_in() fallback=|| view! { <SignIn/> }>
                <Suspense fallback=|| view! { <Loading what="Opening the console…"/> }>
                    {Suspend::new(signed_in_console())}
                </Suspense>
                // Outside the Suspense: a page whose first read met the 401 suspends it, and the
                // dialog must still show.
                <ReauthDialog/>
            </Show>
        </Show>
    }
}

/// The router, header, navigation, the pages' routes and the re-sign-in dialog. A lazily
/// loaded chunk of its own (see [`crate::routes`]): the first download is only what the
/// sign-in form needs, and this chunk is fetched while the sign-in is being checked.
#[lazy]
fn signed_in_console() -> AnyView {
    view! {
        <Router>
            <Header/>
            <div class="layout">
                <Nav/>
                <main>
                    <Routes fallback=|| view! { <p data-testid="not-found">"There is no such page."</p> }>
                        <Route path=path!("/") view={Lazy::<OverviewRoute>::new()}/>
                        <Route path=path!("/security") view={Lazy::<SecurityRoute>::new()}/>
                        <Route path=path!("/key-managers") view={Lazy::<KeyManagersRoute>::new()}/>
                        <Route path=path!("/key-managers/:uuid") view={Lazy::<KeyManagerRoute>::new()}/>
                        <Route path=path!("/certificates") view={Lazy::<CertificatesRoute>::new()}/>
                        <Route path=path!("/certificates/:uuid") view={Lazy::<CertificateRoute>::new()}/>
                        <Route path=path!("/ipsec") view={Lazy::<IpsecRoute>::new()}/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
    .into_any()
}

/// Asks for user and password (and, optionally, a cluster URL) and checks them with
/// `GET /api/cluster` before anything else is shown.
#[component]
fn SignIn() -> impl IntoView {
    let session = use_session();
    let user = RwSignal::new("admin".to_owned());
    let password = RwSignal::new(String::new());
    let base_url = RwSignal::new(String::new());
    let sign_in = Action::new_local(move |credentials: &Credentials| {
        let credentials = credentials.clone();
        // The signed-in console's chunk downloads while the cluster checks the credentials.
        leptos::task::spawn_local(__preload_signed_in_console());
        async move { session.sign_in(credentials).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let credentials = Credentials {
            user: user.get_untracked().trim().to_owned(),
            password: Secret::new(password.get_untracked()),
            base_url: base_url.get_untracked().trim().to_owned(),
        };
        sign_in.dispatch(credentials);
    };
    let error = move || sign_in.value().get().and_then(Result::err);
    view! {
        <div class="signin-page">
            <form class="signin" data-testid="signin-form" on:submit=submit autocomplete="off">
                <h1>"ONTAP security console"</h1>
                <label>"User"
                    <input data-testid="signin-user" name="user" autocomplete="username" required
                        prop:value=move || user.get()
                        on:input=move |ev| user.set(event_target_value(&ev))/>
                </label>
                <label>"Password"
                    <input data-testid="signin-password" type="password" name="password"
                        autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                <details>
                    <summary data-testid="signin-base-url-toggle">"Cluster address"</summary>
                    <label>"Cluster URL (leave empty to use this server)"
                        <input data-testid="signin-base-url" type="url" placeholder="https://cluster-mgmt"
                            prop:value=move || base_url.get()
                            on:input=move |ev| base_url.set(event_target_value(&ev))/>
                    </label>
                    <p class="hint">"ONTAP sends no CORS headers: a cluster on another origin can only be \
                        reached through `ontap-console serve --cluster URL`."</p>
                </details>
                <button type="submit" class="primary" data-testid="signin-submit"
                    disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
                {move || error().map(|e| view! {
                    <p class="error-box" data-testid="signin-error" role="alert">{sign_in_message(&e)}</p>
                })}
            </form>
        </div>
    }
}

fn sign_in_message(error: &CallError) -> String {
    if error.is_unauthorized() {
        "The cluster did not accept this user name and password.".into()
    } else {
        error.message()
    }
}

/// The cluster's name and release, the simulator badge, and sign-out.
#[component]
fn Header() -> impl IntoView {
    let session = use_session();
    let cluster = move || session.cluster();
    view! {
        <header class="top">
            <span class="brand">"ONTAP security"</span>
            <span class="cluster" data-testid="cluster-name">{move || cluster().map(|c| c.name)}</span>
            <span class="version" data-testid="cluster-version">
                {move || cluster().and_then(|c| c.version.full.clone().or_else(|| c.version.short()))}
            </span>
            <Show when=move || cluster().is_some_and(|c| c.simulated)>
                <span class="badge" data-testid="sim-badge" title="The server answers from its embedded simulator">
                    "Simulated cluster"
                </span>
            </Show>
            <span class="spacer"></span>
            <span class="user">{move || session.user()}</span>
            <button type="button" data-testid="signout" on:click=move |_| session.sign_out()>"Sign out"</button>
        </header>
    }
}

#[component]
fn Nav() -> impl IntoView {
    let location = use_location();
    let link = move |href: &'static str, testid: &'static str, label: &'static str| {
        let current = move || {
            let path = location.pathname.get();
            if path == href || (href != "/" && path.starts_with(href)) {
                Some("page")
            } else {
                None
            }
        };
        view! { <a href=href data-testid=testid aria-current=current>{label}</a> }
    };
    view! {
        <nav class="side">
            {link("/", "nav-overview", "Overview")}
            {link("/security", "nav-security", "Cluster security")}
            {link("/key-managers", "nav-key-managers", "Key managers")}
            {link("/certificates", "nav-certificates", "Certificates")}
            {link("/ipsec", "nav-ipsec", "IPsec")}
        </nav>
    }
}

/// Shown over the page when the cluster answered 401 mid-session: sign in again and the call
/// that met the 401 is sent once more; nothing typed in the page is lost.
#[component]
fn ReauthDialog() -> impl IntoView {
    let session = use_session();
    let password = RwSignal::new(String::new());
    let again = Action::new_local(move |password: &String| {
        let password = Secret::new(password.clone());
        async move { session.reauthenticate(password).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        again.dispatch(password.get_untracked());
        password.set(String::new());
    };
    view! {
        <Show when=move || session.needs_reauth()>
            <div class="dialog-backdrop">
                <form class="dialog" data-testid="reauth-dialog" on:submit=submit autocomplete="off">
                    <h2>"Sign in again"</h2>
                    <p>"Your session has ended, or the cluster no longer accepts your credentials \
                        (they may have changed or expired). Sign in again to continue: what you \
                        typed is kept."</p>
                    <label>"Password for "{move || session.user()}
                        <input data-testid="signin-password" type="password" required
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev))/>
                    </label>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="signin-submit">"Sign in"</button>
                        <button type="button" on:click=move |_| session.sign_out()>"Sign out"</button>
                    </div>
                    {move || again.value().get().and_then(Result::err).map(|e| view! {
                        <p class="error-box" data-testid="signin-error" role="alert">{sign_in_message(&e)}</p>
                    })}
                </form>
            </div>
        </Show>
    }
}
