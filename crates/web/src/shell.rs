//! The console's frame: the site's banner, sign-in ([`crate::signin`]), the header naming the
//! cluster, navigation (the pages the site offers), the pages' routes under the console's base
//! ([`crate::site`]), and the re-sign-in dialog a 401 opens over the current page.

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy};
use ontap_core::site::Page;
use ontap_core::Secret;

use crate::api::CallError;
use crate::pages::overview::OverviewPage;
use crate::routes::{CertificatesRoute, IpsecRoute, KeyManagersRoute, SecurityRoute};
use crate::session::{use_session, Session};
use crate::signin::SignIn;
use crate::site::{self, use_site, Site};
use crate::widgets::Loading;

/// The whole console: the sign-in form until the cluster accepts the credentials, then the
/// signed-in console.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    let site = Site::new();
    provide_context(site);
    // A reload, a deep link or a new tab: the server may still hold this browser's session.
    leptos::task::spawn_local(async move { session.resume().await });
    leptos::task::spawn_local(async move { site.load().await });
    let ready = move || session.is_resumed() && site.is_loaded();
    view! {
        {move || site.banner().map(|text| view! {
            <div class="site-banner" data-testid="site-banner" role="note">{text}</div>
        })}
        <Show when=ready fallback=|| view! { <Loading what="Opening the console…"/> }>
            <Show when=move || session.is_signed_in() fallback=|| view! { <SignIn/> }>
                <Suspense fallback=|| view! { <Loading what="Opening the console…"/> }>
                    {Suspend::new(signed_in_console())}
                </Suspense>
                // Outside the Suspense: a page whose first read met the 401 suspends it, and the
                // dialog must still show. Its code is a chunk fetched when it is first needed.
                <Show when=move || session.needs_reauth()>
                    <Suspense fallback=|| ()>{Suspend::new(reauth_dialog())}</Suspense>
                </Show>
            </Show>
        </Show>
    }
}

/// The router, header, navigation, the posture page (the console's home) and the other pages'
/// lazy routes. A lazily loaded chunk of its own (see [`crate::routes`]): the first download
/// is only what the sign-in form needs, and this chunk is fetched while the sign-in is being
/// checked.
#[lazy]
pub(crate) fn signed_in_console() -> AnyView {
    view! {
        <Router base=site::base_path()>
            <Header/>
            <div class="layout">
                <Nav/>
                <main>
                    <Offered>
                    <Routes fallback=|| view! { <p data-testid="not-found">"There is no such page."</p> }>
                        <Route path=path!("/") view=OverviewPage/>
                        <Route path=path!("/security") view={Lazy::<SecurityRoute>::new()}/>
                        <Route path=path!("/key-managers") view={Lazy::<KeyManagersRoute>::new()}/>
                        <Route path=path!("/key-managers/:uuid") view={Lazy::<KeyManagersRoute>::new()}/>
                        <Route path=path!("/certificates") view={Lazy::<CertificatesRoute>::new()}/>
                        <Route path=path!("/certificates/:uuid") view={Lazy::<CertificatesRoute>::new()}/>
                        <Route path=path!("/ipsec") view={Lazy::<IpsecRoute>::new()}/>
                    </Routes>
                    </Offered>
                </main>
            </div>
        </Router>
    }
    .into_any()
}

/// The page the route belongs to when the site offers it; otherwise a page saying it is not
/// offered here, with links to those that are.
#[component]
fn Offered(children: ChildrenFn) -> impl IntoView {
    let site = use_site();
    let location = use_location();
    let offered = move || {
        Page::of_route(&site::route_of(&location.pathname.get())).is_none_or(|p| site.offers(p))
    };
    view! {
        <Show when=offered fallback=move || view! {
            <div data-testid="not-offered">
                <h1>"Not offered on this site"</h1>
                <p>"This site's console does not offer this page. It offers:"</p>
                <ul>
                    {site.config().offered_pages().into_iter().map(|p| view! {
                        <li><a href=site::href(p.path())>{p.label()}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }>
            {children()}
        </Show>
    }
}

/// What the sign-in forms say about a refused sign-in.
pub(crate) fn sign_in_message(error: &CallError) -> String {
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
    let site = use_site();
    let link = move |page: Page| {
        let current = move || {
            let here = Page::of_route(&site::route_of(&location.pathname.get()));
            (here == Some(page)).then_some("page")
        };
        let testid = format!("nav-{}", page.key());
        view! { <a href=site::href(page.path()) data-testid=testid aria-current=current>{page.label()}</a> }
    };
    view! {
        <nav class="side">
            {site.config().offered_pages().into_iter().map(link).collect_view()}
        </nav>
    }
}

/// The re-sign-in dialog, in a lazily loaded chunk: most sessions never need it, and the
/// first download is only what the sign-in form needs.
#[lazy]
fn reauth_dialog() -> AnyView {
    view! { <ReauthDialog/> }.into_any()
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
    }
}
