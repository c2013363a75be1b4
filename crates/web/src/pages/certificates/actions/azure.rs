//! Download a client or server certificate from Azure Key Vault. The client secret, the client
//! certificate (a PKCS#12 with its key) and the proxy password are secrets: masked inputs, masked
//! in the preview. ONTAP downloads in a job, which the preview follows.

use leptos::prelude::*;
use ontap_core::certificates::{
    self, validate_post, Azure, Certificate, Proxy, AZURE_TIMEOUT_SECONDS,
};
use ontap_core::envelope::IntOrString;
use ontap_core::Secret;

use super::common::{svm_ref, Created, SecretPem, SvmSelect};
use super::create::cert_type;
use crate::browser::now;
use crate::flow::{Change, ChangeDialog};
use crate::widgets::{FieldErrors, ReviewButton};

fn text(s: String) -> Option<String> {
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

fn number(s: String) -> Option<IntOrString> {
    text(s).map(|t| match t.parse::<i64>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::Text(t),
    })
}

fn secret(s: &Secret) -> Option<Secret> {
    (!s.expose().is_empty()).then(|| s.clone())
}

#[component]
pub fn AzureForm(on_changed: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let ty = RwSignal::new("server".to_owned());
    let svm = RwSignal::new(String::new());
    let key_vault = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let tenant_id = RwSignal::new(String::new());
    // The select's value ("secret" or "certificate"), bound; the choice is derived from it.
    let auth = RwSignal::new("secret".to_owned());
    let use_certificate = Signal::derive(move || auth.with(|a| a == "certificate"));
    let client_secret = RwSignal::new(Secret::default());
    let client_certificate = RwSignal::new(Secret::default());
    let oauth_host = RwSignal::new(String::new());
    let timeout = RwSignal::new(String::new());
    let verify_host = RwSignal::new(true);
    let proxy_type = RwSignal::new("http".to_owned());
    let proxy_host = RwSignal::new(String::new());
    let proxy_port = RwSignal::new(String::new());
    let proxy_user = RwSignal::new(String::new());
    let proxy_password = RwSignal::new(Secret::default());
    let change = RwSignal::new(None::<Change>);
    let created = RwSignal::new(None::<Certificate>);

    let body = Memo::new(move |_| {
        let proxy = text(proxy_host.get()).map(|host| Proxy {
            host: Some(host),
            port: number(proxy_port.get()),
            type_: Some(proxy_type.get()),
            username: text(proxy_user.get()),
            password: proxy_password.with(secret),
            ..Proxy::default()
        });
        let by_cert = use_certificate.get();
        Certificate {
            name: text(name.get()),
            type_: Some(cert_type(&ty.get())),
            svm: svm_ref(&svm.get()),
            azure: Some(Azure {
                key_vault: text(key_vault.get()),
                client_id: text(client_id.get()),
                tenant_id: text(tenant_id.get()),
                client_secret: if by_cert {
                    None
                } else {
                    client_secret.with(secret)
                },
                client_certificate: if by_cert {
                    client_certificate.with(secret)
                } else {
                    None
                },
                oauth_host: text(oauth_host.get()),
                proxy,
                timeout: number(timeout.get()),
                verify_host: Some(verify_host.get()),
                ..Azure::default()
            }),
            ..Certificate::default()
        }
    });
    let violations =
        Memo::new(move |_| body.with(|b| validate_post(b, now()).err().unwrap_or_default()));
    let v = Signal::derive(move || violations.get());
    let review = move |_| {
        let cert = body.get_untracked();
        if let Ok(request) = certificates::create(&cert, now()) {
            created.set(None);
            change.set(Some(Change::new(
                "Download a certificate from Azure Key Vault",
                request,
            )));
        }
    };
    let field = move |label: String,
                      id: &'static str,
                      value: RwSignal<String>,
                      placeholder: &'static str| {
        view! {
            <label>{label}" "
                <input data-testid=id placeholder=placeholder bind:value=value/>
            </label>
        }
    };
    let on_finished = move |answer: Option<crate::api::Answer>| {
        if let Some(a) = answer {
            created.set(super::common::created_record(&a));
            on_changed.run(());
        }
    };
    view! {
        <h2>"Download a certificate from Azure Key Vault"</h2>
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            {field("Certificate name in the key vault".into(), "azure-name", name, "")}
            <FieldErrors violations=v field="name"/>
            <label>"Type "
                <select data-testid="azure-type" bind:value=ty>
                    <option value="server">"server"</option>
                    <option value="client">"client"</option>
                </select>
            </label>
            <FieldErrors violations=v field="type"/>
            <SvmSelect value=svm testid="azure-svm"/>
            {field("Key vault URI".into(), "azure-key-vault", key_vault, "https://example.vault.azure.net")}
            <FieldErrors violations=v field="azure.key_vault"/>
            {field("Application (client) ID".into(), "azure-client-id", client_id, "")}
            <FieldErrors violations=v field="azure.client_id"/>
            {field("Directory (tenant) ID".into(), "azure-tenant-id", tenant_id, "")}
            <FieldErrors violations=v field="azure.tenant_id"/>
            <label>"Authenticate with "
                <select data-testid="azure-auth" bind:value=auth>
                    <option value="secret">"a client secret"</option>
                    <option value="certificate">"a client certificate (PKCS#12)"</option>
                </select>
            </label>
            <Show when=move || !use_certificate.get()>
                <label>"Client secret "
                    <input type="password" data-testid="azure-client-secret" autocomplete="off"
                        prop:value=move || client_secret.with(|s| s.expose().to_owned())
                        on:input=move |ev| client_secret.set(Secret::new(event_target_value(&ev)))/>
                </label>
            </Show>
            <FieldErrors violations=v field="azure.client_secret"/>
            <Show when=move || use_certificate.get()>
                <SecretPem label="Client certificate" testid="azure-client-certificate" file_testid="azure-client-certificate-file" value=client_certificate/>
            </Show>
            <FieldErrors violations=v field="azure.client_certificate"/>
            <details>
                <summary>"More settings"</summary>
                {field("OAuth host".into(), "azure-oauth-host", oauth_host, "login.microsoftonline.com")}
                {field(format!("Timeout (seconds, {} to {})", AZURE_TIMEOUT_SECONDS.start(), AZURE_TIMEOUT_SECONDS.end()), "azure-timeout", timeout, "")}
                <FieldErrors violations=v field="azure.timeout"/>
                <label>
                    <input type="checkbox" data-testid="azure-verify-host" bind:checked=verify_host/>
                    " Verify the key vault's host name"
                </label>
                <fieldset>
                    <legend>"Proxy"</legend>
                    <label>"Type "
                        <select data-testid="azure-proxy-type" bind:value=proxy_type>
                            <option value="http">"http"</option>
                            <option value="https">"https"</option>
                        </select>
                    </label>
                    {field("Host".into(), "azure-proxy-host", proxy_host, "")}
                    {field("Port".into(), "azure-proxy-port", proxy_port, "")}
                    {field("User name".into(), "azure-proxy-username", proxy_user, "")}
                    <label>"Password "
                        <input type="password" data-testid="azure-proxy-password" autocomplete="off"
                            prop:value=move || proxy_password.with(|s| s.expose().to_owned())
                            on:input=move |ev| proxy_password.set(Secret::new(event_target_value(&ev)))/>
                    </label>
                    <FieldErrors violations=v field="azure.proxy"/>
                </fieldset>
            </details>
            <ReviewButton testid="azure-review" violations=v on_review=review/>
            <Created record=created/>
        </form>
        <ChangeDialog change=change on_finished=on_finished/>
    }
}
