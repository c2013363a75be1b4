//! Install a certificate: pasted or loaded from a file, a PEM bundle split into the certificate,
//! its intermediates and its key by core, the key checked against the certificate before
//! anything is sent. CA types (server_ca, client_ca) take no key and no intermediates.

use leptos::prelude::*;
use ontap_core::certificates::form::{install_body, install_parts, InstallInput};
use ontap_core::certificates::{Certificate, CertificateType};
use ontap_core::Secret;

use super::common::{svm_ref, Created, FileLoad, SecretPem, SvmSelect, BLOCK, MASKED};
use super::create::cert_type;
use crate::browser::now;
use crate::flow::{Change, ChangeDialog};
use crate::widgets::{FieldErrors, ReviewButton};

#[component]
pub fn InstallForm(on_changed: Callback<()>) -> impl IntoView {
    let ty = RwSignal::new("server".to_owned());
    let name = RwSignal::new(String::new());
    let svm = RwSignal::new(String::new());
    let bundle = RwSignal::new(String::new());
    let key = RwSignal::new(Secret::default());
    let change = RwSignal::new(None::<Change>);
    let created = RwSignal::new(None::<Certificate>);

    let takes_key = Memo::new(move |_| cert_type(&ty.get()).has_private_key());
    let body = Memo::new(move |_| {
        let input = InstallInput {
            type_: Some(cert_type(&ty.get())),
            svm: svm_ref(&svm.get()),
            name: name.get(),
            bundle: bundle.get(),
            // The key field is hidden for CA types: what it held is not sent with them.
            private_key: if takes_key.get() {
                key.get()
            } else {
                Secret::default()
            },
        };
        install_body(&input, now())
    });
    let violations = Memo::new(move |_| body.with(|b| b.clone().err().unwrap_or_default()));
    let v = Signal::derive(move || violations.get());
    let parts = Memo::new(move |_| bundle.with(|b| install_parts(b)));
    let review = move |_| {
        if let Ok(cert) = body.get_untracked() {
            super::common::preview_creation(&cert, "Install", created, change);
        }
    };
    let on_finished = super::common::on_created(created, on_changed);
    view! {
        <h2>"Install a certificate"</h2>
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            <label>"Type "
                <select data-testid="install-type" bind:value=ty>
                    {[CertificateType::Server, CertificateType::Client, CertificateType::ServerCa, CertificateType::ClientCa]
                        .into_iter().map(|t| view! { <option value=t.name().to_owned()>{t.name().to_owned()}</option> })
                        .collect_view()}
                </select>
            </label>
            <FieldErrors violations=v field="type"/>
            <label>"Name (optional) "
                <input data-testid="install-name" bind:value=name/>
            </label>
            <SvmSelect value=svm testid="install-svm"/>
            <FieldErrors violations=v field="svm"/>
            <label>"Certificate (PEM); a bundle may also hold the intermediates and the key "
                // A bundle that holds a private key is masked like the key field.
                <textarea data-testid="install-bundle" rows="8" spellcheck="false" autocomplete="off"
                    style=move || if parts.with(|p| p.as_ref().is_some_and(|p| p.key_in_bundle)) { MASKED } else { BLOCK }
                    placeholder="-----BEGIN CERTIFICATE-----"
                    bind:value=bundle></textarea>
            </label>
            <p>"or load it from a file: "<FileLoad testid="install-bundle-file" on_load=move |t: String| bundle.set(t)/></p>
            <FieldErrors violations=v field="public_certificate"/>
            <FieldErrors violations=v field="intermediate_certificates"/>
            {move || parts.get().map(|p| view! {
                <div class="hint" data-testid="install-parts">
                    <p>"Certificate: "<span data-testid="install-leaf">
                        {p.leaf.as_ref().map(|l| format!("{} (issued by {})", l.subject, l.issuer))}
                    </span></p>
                    <p>"Intermediates: "<span data-testid="install-intermediate-count">{p.intermediates.len()}</span></p>
                    <ul>{p.intermediates.iter().map(|i| view! {
                        <li data-testid="install-intermediate">{i.subject.clone()}</li>
                    }).collect_view()}</ul>
                    {p.key_in_bundle.then(|| view! { <p data-testid="install-key-in-bundle">"The private key is taken from the bundle."</p> })}
                </div>
            })}
            <Show when=move || takes_key.get()>
                <SecretPem label="Private key (PEM), if not in the bundle" testid="install-key" file_testid="install-key-file" value=key/>
            </Show>
            <FieldErrors violations=v field="private_key"/>
            <ReviewButton testid="install-review" violations=v on_review=review/>
            <Created record=created/>
        </form>
        <ChangeDialog change=change on_finished=on_finished/>
    }
}
