//! The cluster's facts as the overview always showed them, each linking to its page: read
//! once with the audit's snapshot (no extra request).

use std::sync::Arc;

use leptos::prelude::*;
use ontap_core::audit::Snapshot;
use ontap_core::certificates::listing::{expiry_state, ExpiryState, EXPIRY_WARNING_DAYS};
use ontap_core::certificates::Certificate;
use ontap_core::security::SecurityConfig;

use crate::browser::now;

#[component]
pub fn Facts(snapshot: Arc<Snapshot>) -> impl IntoView {
    let ipsec = snapshot.ipsec.as_ref().and_then(|i| i.enabled);
    view! {
        <div class="cards facts">
            <section class="card">
                <h2><a href=crate::site::href("/security")>"Cluster security"</a></h2>
                {security_summary(snapshot.security.clone())}
            </section>
            <section class="card">
                <h2><a href=crate::site::href("/ipsec")>"IPsec"</a></h2>
                <p data-testid="overview-ipsec">{on_off(ipsec)}</p>
            </section>
            <section class="card">
                <h2><a href=crate::site::href("/key-managers")>"Key managers"</a></h2>
                <p data-testid="overview-key-managers">{count(snapshot.key_managers.len(), "key manager")}</p>
            </section>
            <section class="card">
                <h2><a href=crate::site::href("/certificates")>"Certificates"</a></h2>
                {certificate_summary(&snapshot.certificates)}
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
        .and_then(ontap_core::envelope::wire_name)
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
