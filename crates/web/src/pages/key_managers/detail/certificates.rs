//! A key manager's client and server CA certificates: shown, changed, and the KMIP ones picked.

use leptos::prelude::*;
use ontap_core::certificates::CertificateType;
use ontap_core::key_managers::{self, CertificateRef, External, KeyManager};
use ontap_core::Violations;

use super::super::create::CertificatePickers;
use super::super::{in_scope, kmip_certificates};
use super::{Changer, Pending};
use crate::flow::Change;
use crate::session::use_session;
use crate::widgets::{loading, read_view_with, ViolationList};

#[component]
pub(super) fn CertificatesSection(
    km: StoredValue<KeyManager>,
    set_change: Changer,
) -> impl IntoView {
    let session = use_session();
    let external = km.with_value(|k| k.external.clone().unwrap_or_default());
    let current_client = external.client_certificate.clone().unwrap_or_default();
    let current_cas = external.server_ca_certificates.clone().unwrap_or_default();
    let editing = RwSignal::new(false);
    let client = RwSignal::new(current_client.uuid.clone().unwrap_or_default());
    let cas = RwSignal::new(
        current_cas
            .iter()
            .filter_map(|c| c.uuid.clone())
            .collect::<Vec<_>>(),
    );
    let svm = km.with_value(|k| k.svm.as_ref().and_then(|s| s.name.clone()));
    let certs = LocalResource::new(move || async move { kmip_certificates(session).await });
    let choices = move |ty: CertificateType| {
        certs
            .get()
            .and_then(Result::ok)
            .map(|all| in_scope(&all, svm.as_deref(), ty))
            .unwrap_or_default()
    };
    let choices = StoredValue::new(choices);
    let uuid = km.with_value(|k| k.uuid.clone().unwrap_or_default());
    let (c0, cas0) = (
        current_client.uuid.clone(),
        current_cas
            .iter()
            .filter_map(|c| c.uuid.clone())
            .collect::<Vec<_>>(),
    );
    let body = Memo::new(move |_| {
        let chosen_client = Some(client.get()).filter(|c| !c.is_empty());
        let chosen_cas = cas.get();
        let mut same_cas = chosen_cas.clone();
        same_cas.sort();
        let mut now = cas0.clone();
        now.sort();
        KeyManager {
            external: Some(External {
                client_certificate: (chosen_client != c0)
                    .then(|| CertificateRef::by_uuid(chosen_client.clone().unwrap_or_default())),
                server_ca_certificates: (same_cas != now).then(|| {
                    chosen_cas
                        .into_iter()
                        .map(CertificateRef::by_uuid)
                        .collect()
                }),
                ..External::default()
            }),
            ..KeyManager::default()
        }
    });
    let unchanged = move || {
        body.with(|b| {
            b.external.as_ref().is_none_or(|e| {
                e.client_certificate.is_none() && e.server_ca_certificates.is_none()
            })
        })
    };
    let violations = Memo::new(move |_| {
        body.with(|b| key_managers::validate_update(b).err().unwrap_or_default())
    });
    let v = Signal::derive(move || violations.get());
    let review = move |_| {
        let b = body.get_untracked();
        if let Ok(request) = key_managers::update(&uuid, &b, None) {
            let now = km.with_value(|k| serde_json::to_value(k).unwrap_or_default());
            set_change.open(
                Change::new("Change the key manager's certificates", request).against(now),
                Pending::Other,
            );
        }
    };
    let link = |c: &CertificateRef, testid: &'static str| {
        let name = c
            .name
            .clone()
            .or_else(|| c.uuid.clone())
            .unwrap_or_default();
        view! { <a href=crate::site::href("/certificates") data-testid=testid>{name}</a> }
    };
    view! {
        <section class="card" data-testid="km-certificates">
            <h2>"Certificates"</h2>
            <dl>
                <dt>"Client certificate"</dt><dd>{link(&current_client, "km-client-cert-name")}</dd>
                <dt>"Server CA certificates"</dt>
                <dd data-testid="km-ca-names">{current_cas.iter().map(|c| view! { {link(c, "km-ca-name")}" " }).collect_view()}</dd>
            </dl>
            <Show when=move || !editing.get()>
                <div class="actions"><button type="button" data-testid="km-edit-certs"
                    on:click=move |_| editing.set(true)>"Replace certificates…"</button></div>
            </Show>
            <Show when=move || editing.get()>
                {move || read_view_with(certs.get(), loading("Reading the installed certificates…"), None, |_| view! {
                    <CertificatePickers client=client cas=cas
                        clients=Signal::derive(move || choices.with_value(|f| f(CertificateType::Client)))
                        authorities=Signal::derive(move || choices.with_value(|f| f(CertificateType::ServerCa)))
                        violations=v/>
                }.into_any())}
                <ViolationList violations=v/>
                <div class="actions">
                    <button type="button" class="primary" data-testid="km-certs-review"
                        disabled=move || unchanged() || !violations.with(Violations::is_empty)
                        on:click=review.clone()>"Review…"</button>
                    <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </div>
            </Show>
        </section>
    }
}
