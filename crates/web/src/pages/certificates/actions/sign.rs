//! Sign a certificate signing request with one of the cluster's local root CAs; show the
//! signed certificate, decoded, and offer it as a download.

use leptos::prelude::*;
use ontap_core::certificates::{
    self, validate_sign, validate_sign_with_ca, Certificate, SignRequest, SignResponse,
    DEFAULT_HASH_FUNCTION,
};
use ontap_core::{Query, Violations};

use super::common::{CertificateSelect, ExpiryField, ExpiryInput, FileLoad, HashSelect, BLOCK};
use crate::browser::{copy_to_clipboard, download, now};
use crate::flow::{Change, ChangeDialog};
use crate::session::use_session;
use crate::widgets::{loading, read_view_with, FieldErrors, ViolationList};

fn label(c: &Certificate) -> String {
    let scope = super::common::scope_name(c);
    format!("{} ({scope})", c.name.clone().unwrap_or_default())
}

#[component]
pub fn SignForm() -> impl IntoView {
    let session = use_session();
    let cas = LocalResource::new(move || async move {
        let query = Query::new()
            .fields([
                "uuid",
                "name",
                "type",
                "svm.name",
                "common_name",
                "expiry_time",
            ])
            .filter("type", "root_ca");
        session
            .collect::<Certificate>(certificates::list(&query), |_| ())
            .await
    });
    let ca = RwSignal::new(String::new());
    let csr = RwSignal::new(String::new());
    let expiry = ExpiryInput::new();
    let hash = RwSignal::new(DEFAULT_HASH_FUNCTION.to_owned());
    let change = RwSignal::new(None::<Change>);
    let signed = RwSignal::new(None::<String>);

    let body = Memo::new(move |_| SignRequest {
        signing_request: Some(csr.get().trim().to_owned()),
        expiry_time: expiry.value(),
        hash_function: Some(hash.get()),
        ..SignRequest::default()
    });
    let chosen = Memo::new(move |_| {
        let uuid = ca.get();
        cas.get().and_then(Result::ok).and_then(|l| {
            l.into_iter()
                .find(|c| c.uuid.as_deref() == Some(uuid.as_str()))
        })
    });
    // Once a CA is chosen, core also checks the request against it (its name, its expiry).
    let violations = Memo::new(move |_| {
        body.with(|b| match chosen.get() {
            Some(ca) => validate_sign_with_ca(b, &ca, now()),
            None => validate_sign(b, now()),
        })
        .err()
        .unwrap_or_default()
    });
    let v = Signal::derive(move || violations.get());
    let review = move |_| {
        let uuid = ca.get_untracked();
        if uuid.is_empty() {
            return;
        }
        let name = chosen
            .get_untracked()
            .map(|c| label(&c))
            .unwrap_or_default();
        if let Ok(request) = certificates::sign(&uuid, &body.get_untracked(), now()) {
            signed.set(None);
            change.set(Some(Change::new(
                format!("Sign a CSR with {name}"),
                request,
            )));
        }
    };
    let on_finished = move |answer: Option<crate::api::Answer>| {
        let parsed = answer.and_then(|a| serde_json::from_str::<SignResponse>(&a.body).ok());
        if let Some(SignResponse {
            public_certificate: Some(pem),
            ..
        }) = parsed
        {
            signed.set(Some(pem));
        }
    };
    view! {
        <h2>"Sign a CSR with a local root CA"</h2>
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            {move || read_view_with(cas.get(), loading("Reading the cluster's root CAs…"), None, |list| {
                if list.is_empty() {
                    return view! {
                        <p class="empty" data-testid="sign-no-ca">"The cluster has no root CA: create one (type root_ca) first."</p>
                    }.into_any();
                }
                view! {
                    <CertificateSelect label="Root CA" testid="sign-ca" certificates=list
                        chosen=ca name=label/>
                }.into_any()
            })}
            <FieldErrors violations=v field="ca.uuid"/>
            <label>"Certificate signing request (PEM) "
                <textarea style=BLOCK data-testid="sign-csr" rows="8" spellcheck="false"
                    placeholder="-----BEGIN CERTIFICATE REQUEST-----"
                    bind:value=csr></textarea>
            </label>
            <p>"or load it from a file: "<FileLoad testid="sign-csr-file" on_load=move |t: String| csr.set(t)/></p>
            <FieldErrors violations=v field="signing_request"/>
            <ExpiryField input=expiry prefix="sign" violations=v/>
            <HashSelect value=hash testid="sign-hash"/>
            <FieldErrors violations=v field="hash_function"/>
            <ViolationList violations=v/>
            <div class="actions">
                <button type="button" class="primary" data-testid="sign-review"
                    disabled=move || !violations.with(Violations::is_empty) || ca.with(String::is_empty)
                    on:click=review>"Review…"</button>
            </div>
        </form>
        {move || signed.get().map(|pem| {
            let info = ontap_core::x509::inspect_certificate(&pem).ok();
            let stored = StoredValue::new(pem.clone());
            view! {
                <div class="card" data-testid="sign-done">
                    <h3>"Signed certificate"</h3>
                    {info.map(|i| view! {
                        <p>"Subject: "<span data-testid="sign-result-subject">{i.subject.clone()}</span></p>
                        <p>"Issuer: "<span data-testid="sign-result-issuer">{i.issuer.clone()}</span></p>
                        <p>"Valid until "{ontap_core::certificates::expiry::format_timestamp(i.not_after)}</p>
                    })}
                    <textarea style=BLOCK data-testid="sign-result" rows="10" readonly spellcheck="false" prop:value=pem></textarea>
                    <div class="actions">
                        <button type="button" data-testid="sign-download"
                            on:click=move |_| download("signed.pem", "application/x-pem-file", &stored.get_value())>"Download"</button>
                        <button type="button" data-testid="sign-copy"
                            on:click=move |_| copy_to_clipboard(&stored.get_value())>"Copy"</button>
                    </div>
                </div>
            }
        })}
        <ChangeDialog change=change on_finished=on_finished/>
    }
}
