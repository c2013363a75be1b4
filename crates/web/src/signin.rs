//! The sign-in form: user, password and which cluster. A site's `console.json` names its
//! clusters (a choice by name, with "Other address…" for one it does not list); without it the
//! form offers the optional cluster URL as it always has. A cluster on another origin is shown
//! with what its front proxy must answer (core's [`cross_origin_explanation`]), and a file that
//! failed core's checks is reported here.

use leptos::prelude::*;
use ontap_core::site::cross_origin_explanation;
use ontap_core::Secret;

use crate::api::Credentials;
use crate::session::use_session;
use crate::shell::{__preload_signed_in_console, sign_in_message};
use crate::site::{self, use_site};

/// The choice's value for a cluster `console.json` does not list.
const OTHER: &str = "other";

/// Asks for user and password (and which cluster) and checks them with `GET /api/cluster`
/// before anything else is shown.
#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let site = use_site();
    let clusters = site.config().clusters;
    let named = !clusters.is_empty();
    let user = RwSignal::new("admin".to_owned());
    let password = RwSignal::new(String::new());
    let base_url = RwSignal::new(String::new());
    // The chosen cluster's index in `clusters`, or OTHER.
    let chosen = RwSignal::new(if named {
        "0".to_owned()
    } else {
        OTHER.to_owned()
    });
    let chosen_api = {
        let clusters = clusters.clone();
        move || match chosen.get().parse::<usize>() {
            Ok(i) => clusters.get(i).map(|c| c.api.clone()).unwrap_or_default(),
            Err(_) => base_url.get().trim().to_owned(),
        }
    };
    let sign_in = Action::new_local(move |credentials: &Credentials| {
        let credentials = credentials.clone();
        // The signed-in console's chunk downloads while the cluster checks the credentials.
        leptos::task::spawn_local(__preload_signed_in_console());
        async move { session.sign_in(credentials).await }
    });
    let submit = {
        let chosen_api = chosen_api.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let credentials = Credentials {
                user: user.get_untracked().trim().to_owned(),
                password: Secret::new(password.get_untracked()),
                base_url: untrack(&chosen_api),
            };
            sign_in.dispatch(credentials);
        }
    };
    let cors_hint = move || {
        let api = chosen_api();
        site::is_cross_origin(&api).then(|| {
            view! {
                <p class="hint" data-testid="signin-cors-hint">
                    {cross_origin_explanation(&site::page_origin(), &api)}
                </p>
            }
        })
    };
    let error = move || sign_in.value().get().and_then(Result::err);
    let address = move || {
        view! {
            <label>"Cluster URL (leave empty to use this server)"
                <input data-testid="signin-base-url" type="url" placeholder="https://cluster-mgmt"
                    prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev))/>
            </label>
        }
    };
    let choice = named.then(|| {
        view! {
            <label>"Cluster"
                <select data-testid="signin-cluster" name="cluster"
                    prop:value=move || chosen.get()
                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {clusters.iter().enumerate().map(|(i, c)| view! {
                        <option value=i.to_string() data-testid=format!("signin-cluster-{}", c.name)>
                            {c.name.clone()}
                        </option>
                    }).collect_view()}
                    <option value=OTHER>"Other address…"</option>
                </select>
            </label>
            <Show when=move || chosen.get() == OTHER>{address}</Show>
        }
    });
    view! {
        <div class="signin-page">
            <form class="signin" data-testid="signin-form" on:submit=submit autocomplete="off">
                <h1>"ONTAP security console"</h1>
                {move || site.error().map(|message| view! {
                    <p class="error-box" data-testid="site-config-error" role="alert">
                        "This site's console.json is not used: "{message}
                    </p>
                })}
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
                {choice}
                <Show when=move || !named>
                    <details>
                        <summary data-testid="signin-base-url-toggle">"Cluster address"</summary>
                        {address}
                        <p class="hint">"ONTAP sends no CORS headers: a cluster on another origin \
                            needs a front proxy that adds them, or `ontap-console serve --cluster URL`."</p>
                    </details>
                </Show>
                {cors_hint}
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
