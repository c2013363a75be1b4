//! Overview: the cluster's security posture at a glance, each line linking to its page.

use leptos::prelude::*;
use ontap_core::certificates::listing::{expiry_state, ExpiryState, EXPIRY_WARNING_DAYS};
use ontap_core::certificates::{self, Certificate};
use ontap_core::ipsec::{self, Ipsec};
use ontap_core::key_managers::{self, KeyManager};
use ontap_core::security::{self, SecurityConfig};
use ontap_core::Query;

use crate::browser::now;
use crate::session::use_session;
use crate::widgets::read_view;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let session = use_session();
    let security = LocalResource::new(move || async move {
        let query = Query::new().fields([
            "fips.enabled",
            "tls.protocol_versions",
            "management_protocols",
            "software_data_encryption.encryption_state",
        ]);
        session.call::<SecurityConfig>(&security::get(&query)).await
    });
    let ipsec = LocalResource::new(move || async move {
        session
            .call::<Ipsec>(&ipsec::get(&Query::new().fields(["enabled"])))
            .await
    });
    let key_managers = LocalResource::new(move || async move {
        let query = Query::new().fields(["uuid", "scope", "svm.name"]);
        session
            .collect::<KeyManager>(key_managers::list(&query), |_| ())
            .await
    });
    let certificates = LocalResource::new(move || async move {
        let query = Query::new().fields(["uuid", "expiry_time"]);
        session
            .collect::<Certificate>(certificates::list(&query), |_| ())
            .await
    });
    view! {
        <h1>"Overview"</h1>
        <div class="cards">
            <section class="card">
                <h2><a href="/security">"Cluster security"</a></h2>
                {move || read_view(security.get(), security_summary)}
            </section>
            <section class="card">
                <h2><a href="/ipsec">"IPsec"</a></h2>
                {move || read_view(ipsec.get(), |i| {
                    view! { <p data-testid="overview-ipsec">{on_off(i.enabled)}</p> }.into_any()
                })}
            </section>
            <section class="card">
                <h2><a href="/key-managers">"Key managers"</a></h2>
                {move || read_view(key_managers.get(), |list| view! {
                    <p data-testid="overview-key-managers">{count(list.len(), "key manager")}</p>
                }.into_any())}
            </section>
            <section class="card">
                <h2><a href="/certificates">"Certificates"</a></h2>
                {move || read_view(certificates.get(), |list| certificate_summary(&list))}
            </section>
        </div>
    }
}

/// FIPS, the TLS floor, the clear-text protocols and the encryption state, one line each.
fn security_summary(s: SecurityConfig) -> AnyView {
    let floor = s
        .tls
        .as_ref()
        .and_then(|t| t.floor())
        .map(|v| v.name())
        .unwrap_or("unknown");
    let protocols = s.management_protocols.clone().unwrap_or_default();
    let state = s
        .software_data_encryption
        .as_ref()
        .and_then(|e| e.encryption_state.as_ref())
        .and_then(|st| serde_json::to_value(st).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    view! {
        <dl data-testid="overview-security">
            <dt>"FIPS 140 mode"</dt><dd>{on_off(s.fips_enabled())}</dd>
            <dt>"Lowest TLS version"</dt><dd>{floor}</dd>
            <dt>"telnet / rsh"</dt><dd>{on_off(protocols.telnet_enabled)}" / "{on_off(protocols.rsh_enabled)}</dd>
            <dt>"Software encryption"</dt><dd>{state}</dd>
        </dl>
    }
    .into_any()
}

/// How many certificates there are, how many expire soon and how many have expired.
fn certificate_summary(list: &[Certificate]) -> AnyView {
    let now = now();
    let states: Vec<ExpiryState> = list
        .iter()
        .filter_map(Certificate::expiry)
        .map(|t| expiry_state(t, now))
        .collect();
    let expired = states
        .iter()
        .filter(|s| **s == ExpiryState::Expired)
        .count();
    let soon = states.iter().filter(|s| **s == ExpiryState::Soon).count();
    view! {
        <p data-testid="overview-certificates">{count(list.len(), "certificate")}</p>
        <p class={if soon > 0 { "warning" } else { "" }}>{soon}" expire within "{EXPIRY_WARNING_DAYS}" days"</p>
        <p class={if expired > 0 { "error" } else { "" }}>{expired}" expired"</p>
    }
    .into_any()
}

fn on_off(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
