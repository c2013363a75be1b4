//! Creating a key manager: external (SVM or cluster, certificates from that scope, 1 to 4 key
//! servers) or the Onboard Key Manager (passphrase, optional MetroCluster synchronize), and the
//! key backup the admin must save after the Onboard Key Manager is configured.

use leptos::prelude::*;
use ontap_core::certificates::CertificateType;
use ontap_core::cluster::{self, Svm};
use ontap_core::envelope::SvmRef;
use ontap_core::key_managers::{
    self, passphrase_strength, CertificateRef, External, KeyManager, Onboard,
};
use ontap_core::security::{self, SecurityConfig};
use ontap_core::{Collection, Query, Secret, Violation, Violations};

use super::servers::{ServerDraft, ServerRows};
use super::{in_scope, kmip_certificates};
use crate::api::Answer;
use crate::browser::{copy_to_clipboard, download};
use crate::flow::Change;
use crate::session::{use_session, Session};
use crate::widgets::{
    default_loading, loading, read_view_with, ErrorBox, FieldErrors, ViolationList,
};

/// The external key manager form.
#[component]
pub fn CreateExternal(change: RwSignal<Option<Change>>, on_cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let svms = LocalResource::new(move || async move {
        session
            .collect::<Svm>(
                cluster::list_svms(&Query::new().fields(["name", "uuid"])),
                |_| (),
            )
            .await
    });
    let certs = LocalResource::new(move || async move { kmip_certificates(session).await });
    // "" is the cluster.
    let svm = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let cas = RwSignal::new(Vec::<String>::new());
    let rows = RwSignal::new(vec![ServerDraft::default()]);

    let scope = move || Some(svm.get()).filter(|s| !s.is_empty());
    let choices = move |ty: CertificateType| {
        let scope = scope();
        certs
            .get()
            .and_then(Result::ok)
            .map(|all| in_scope(&all, scope.as_deref(), ty))
            .unwrap_or_default()
    };
    let body = Memo::new(move |_| {
        let svm = svm.get();
        KeyManager {
            svm: (!svm.is_empty()).then(|| SvmRef {
                name: Some(svm),
                ..SvmRef::default()
            }),
            external: Some(External {
                client_certificate: Some(client.get())
                    .filter(|c| !c.is_empty())
                    .map(CertificateRef::by_uuid),
                server_ca_certificates: Some(
                    cas.get().into_iter().map(CertificateRef::by_uuid).collect(),
                ),
                servers: Some(rows.with(|r| r.iter().map(ServerDraft::to_server).collect())),
                ..External::default()
            }),
            ..KeyManager::default()
        }
    });
    let violations = Memo::new(move |_| {
        body.with(|b| key_managers::validate_create(b).err().unwrap_or_default())
    });
    let v = Signal::derive(move || violations.get());
    let review = move |_| {
        let km = body.get_untracked();
        if let Ok(request) = key_managers::create(&km) {
            let title = match km.svm.and_then(|s| s.name) {
                Some(svm) => format!("Create the external key manager of SVM {svm}"),
                None => "Create the cluster's external key manager".to_owned(),
            };
            change.set(Some(Change::new(title, request)));
        }
    };

    view! {
        <section class="card" data-testid="km-create-external">
            <h2>"New external key manager"</h2>
            <label>"Scope "
                <select data-testid="km-svm" prop:value=move || svm.get()
                    on:change=move |ev| {
                        svm.set(event_target_value(&ev));
                        client.set(String::new());
                        cas.set(Vec::new());
                    }>
                    <option value="">"the cluster (admin SVM)"</option>
                    <For each=move || super::super::svm_names(svms.get()) key=String::clone let:name>
                        <option value=name.clone()>{format!("SVM {name}")}</option>
                    </For>
                </select>
            </label>
            {move || svms.get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            {move || read_view_with(certs.get(), loading("Reading the installed certificates…"), None, |_| view! {
                <CertificatePickers client=client cas=cas
                    clients=Signal::derive(move || choices(CertificateType::Client))
                    authorities=Signal::derive(move || choices(CertificateType::ServerCa))
                    violations=v/>
            }.into_any())}
            <h3>"Key servers (1 to 4)"</h3>
            <ServerRows rows=rows violations=v prefix=|i, _| format!("external.servers[{i}].")/>
            <ViolationList violations=v/>
            <div class="actions">
                <button type="button" class="primary" data-testid="km-create-review"
                    disabled=move || !violations.with(Violations::is_empty)
                    on:click=review>"Review…"</button>
                <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </section>
    }
}

/// The client certificate and server CA certificates to choose from (those of the scope).
#[component]
pub fn CertificatePickers(
    client: RwSignal<String>,
    cas: RwSignal<Vec<String>>,
    #[prop(into)] clients: Signal<Vec<ontap_core::certificates::Certificate>>,
    #[prop(into)] authorities: Signal<Vec<ontap_core::certificates::Certificate>>,
    #[prop(into)] violations: Signal<Violations>,
) -> impl IntoView {
    let install = || {
        view! { <a href=crate::site::href("/certificates") data-testid="km-install-cert">"install one on the Certificates page"</a> }
    };
    view! {
        <label>"Client certificate "
            <select data-testid="km-client-cert" bind:value=client>
                <option value="">"(choose)"</option>
                <For each=move || clients.get() key=|c| c.uuid.clone() let:c>
                    {
                        let uuid = c.uuid.unwrap_or_default();
                        let selected = client.get_untracked() == uuid;
                        view! { <option value=uuid selected=selected>{c.name.unwrap_or_default()}</option> }
                    }
                </For>
            </select>
        </label>
        <Show when=move || clients.with(Vec::is_empty)>
            <p class="hint" data-testid="km-no-client-cert">"No client certificate is installed in this scope: "{install()}"."</p>
        </Show>
        <FieldErrors violations=violations field="external.client_certificate"/>
        <fieldset data-testid="km-ca-certs">
            <legend>"Server CA certificates"</legend>
            <For each=move || authorities.get() key=|c| c.uuid.clone() let:c>{
                let uuid = c.uuid.unwrap_or_default();
                let name = c.name.unwrap_or_default();
                let id = uuid.clone();
                let id2 = uuid.clone();
                view! {
                    <label>
                        <input type="checkbox" data-testid=format!("km-ca-{name}")
                            prop:checked=move || cas.with(|l| l.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                cas.update(|l| {
                                    l.retain(|x| x != &id2);
                                    if on { l.push(id2.clone()); }
                                });
                            }/>
                        " "{name}
                    </label>
                }
            }</For>
        </fieldset>
        <Show when=move || authorities.with(Vec::is_empty)>
            <p class="hint" data-testid="km-no-ca-cert">"No server CA certificate is installed in this scope: "{install()}"."</p>
        </Show>
        <FieldErrors violations=violations field="external.server_ca_certificates"/>
    }
}

/// A passphrase input with its confirmation and strength.
#[component]
pub fn PassphraseFields(
    passphrase: RwSignal<String>,
    confirm: RwSignal<String>,
    testid: &'static str,
    #[prop(into)] label: String,
) -> impl IntoView {
    let strength = move || {
        passphrase.with(|p| {
            (!p.is_empty()).then(|| {
                let n = p.chars().count();
                format!(
                    "{n} characters: {}",
                    passphrase_strength(&Secret::new(p.clone())).label()
                )
            })
        })
    };
    view! {
        <label>{label}
            <input type="password" data-testid=testid autocomplete="new-password" minlength=ontap_core::key_managers::PASSPHRASE_LEN.start().to_string() maxlength=ontap_core::key_managers::PASSPHRASE_LEN.end().to_string()
                bind:value=passphrase/>
        </label>
        <p class="hint" data-testid=format!("{testid}-strength")>{strength}</p>
        <label>"Type it again"
            <input type="password" data-testid=format!("{testid}-confirm") autocomplete="new-password"
                bind:value=confirm/>
        </label>
    }
}

/// The confirmation must repeat the passphrase (the console's own check, before core's rules).
pub fn confirmation_problem(passphrase: &str, confirm: &str, field: &str) -> Option<Violation> {
    (passphrase != confirm).then(|| {
        Violation::new(
            format!("{field}_confirmation"),
            "The two passphrases differ: type the same passphrase twice.",
        )
    })
}

/// The Onboard Key Manager form, where `/api/security` says it can be configured.
#[component]
pub fn CreateOnboard(change: RwSignal<Option<Change>>, on_cancel: Callback<()>) -> impl IntoView {
    let session = use_session();
    let security = LocalResource::new(move || async move {
        session
            .call::<SecurityConfig>(&security::get(
                &Query::new().fields(["onboard_key_manager_configurable_status"]),
            ))
            .await
    });
    view! {
        <section class="card" data-testid="km-create-onboard">
            <h2>"Onboard Key Manager"</h2>
            {move || read_view_with(security.get(), default_loading, None, |config| {
                    let status = config.onboard_key_manager_configurable_status.unwrap_or_default();
                    if status.supported == Some(false) {
                        let code = status.code;
                        let message = status.message
                            .or_else(|| code.and_then(ontap_core::catalog::describe).map(str::to_owned))
                            .unwrap_or_else(|| "The cluster does not say why.".into());
                        view! {
                            <div class="warning" data-testid="km-okm-unavailable" role="alert">
                                <p>"The Onboard Key Manager cannot be configured on this cluster: "{message}</p>
                                {code.map(|c| view! { <p>"ONTAP code "<code data-testid="km-okm-unavailable-code">{c}</code></p> })}
                            </div>
                            <div class="actions"><button type="button" on:click=move |_| on_cancel.run(())>"Close"</button></div>
                        }.into_any()
                    } else {
                        view! { <OnboardForm change=change on_cancel=on_cancel/> }.into_any()
                    }
            })}
        </section>
    }
}

#[component]
fn OnboardForm(change: RwSignal<Option<Change>>, on_cancel: Callback<()>) -> impl IntoView {
    let passphrase = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let synchronize = RwSignal::new(false);
    let body = Memo::new(move |_| KeyManager {
        onboard: Some(Onboard {
            passphrase: Some(Secret::new(passphrase.get())),
            synchronize: synchronize.get().then_some(true),
            ..Onboard::default()
        }),
        ..KeyManager::default()
    });
    let violations = Memo::new(move |_| {
        let mut all = body.with(|b| key_managers::validate_create(b).err().unwrap_or_default());
        if let Some(v) =
            confirmation_problem(&passphrase.get(), &confirm.get(), "onboard.passphrase")
        {
            all.push(v);
        }
        all
    });
    let touched = move || !(passphrase.with(String::is_empty) && confirm.with(String::is_empty));
    let v = Signal::derive(move || {
        if touched() {
            violations.get()
        } else {
            Violations::new()
        }
    });
    let review = move |_| {
        if !violations.with_untracked(Violations::is_empty) {
            return;
        }
        if let Ok(request) = key_managers::create(&body.get_untracked()) {
            let title = if synchronize.get_untracked() {
                "Configure the Onboard Key Manager, synchronized with the MetroCluster partner"
            } else {
                "Configure the Onboard Key Manager"
            };
            change.set(Some(Change::new(title, request)));
        }
    };
    view! {
        <p class="hint">"The passphrase protects the cluster's keys: 32 to 256 ASCII characters. \
            ONTAP cannot recover it: keep it in your password vault."</p>
        <PassphraseFields passphrase=passphrase confirm=confirm testid="km-okm-passphrase" label="Passphrase"/>
        <FieldErrors violations=v field="onboard.passphrase"/>
        <FieldErrors violations=v field="onboard.passphrase_confirmation"/>
        <label>
            <input type="checkbox" data-testid="km-okm-sync" bind:checked=synchronize/>
            " Synchronize with the MetroCluster partner (the Onboard Key Manager is already configured \
              there: give the partner's passphrase)"
        </label>
        <FieldErrors violations=v field="onboard.synchronize"/>
        <ViolationList violations=v/>
        <div class="actions">
            <button type="button" class="primary" data-testid="km-okm-review"
                disabled=move || !violations.with(Violations::is_empty)
                on:click=review>"Review…"</button>
            <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
        </div>
    }
}

/// After the Onboard Key Manager is configured: finds the key backup in the POST's answer
/// (`return_records=true`), or reads it from the cluster, and shows it.
pub fn take_backup(session: Session, answer: &Answer, backup: RwSignal<Option<String>>) {
    let from_answer = serde_json::from_str::<Collection<KeyManager>>(&answer.body)
        .ok()
        .and_then(|c| c.records.into_iter().find_map(|k| k.onboard?.key_backup));
    if let Some(text) = from_answer {
        backup.set(Some(text));
        return;
    }
    leptos::task::spawn_local(async move {
        let query = Query::new().fields(["onboard.key_backup"]);
        if let Ok(all) = session
            .collect::<KeyManager>(key_managers::list(&query), |_| ())
            .await
        {
            if let Some(text) = all.into_iter().find_map(|k| k.onboard?.key_backup) {
                backup.try_set(Some(text));
            }
        }
    });
}

/// The key backup, with download and copy; closes only once the admin says they saved it.
#[component]
pub fn KeyBackupDialog(text: String, on_done: Callback<()>) -> impl IntoView {
    let saved = RwSignal::new(false);
    let downloaded = RwSignal::new(false);
    // Leaving (reload, closing the tab) before the admin said they saved it asks first; the
    // dialog covers the console, so in-app navigation waits for "Done".
    let guard = leptos::prelude::window_event_listener_untyped("beforeunload", move |ev| {
        if !saved.get_untracked() {
            ev.prevent_default();
            let _ = js_sys::Reflect::set(
                &ev,
                &wasm_bindgen::JsValue::from_str("returnValue"),
                &wasm_bindgen::JsValue::from_str(""),
            );
        }
    });
    on_cleanup(move || guard.remove());
    let for_download = text.clone();
    let for_copy = text.clone();
    view! {
        <div class="dialog-backdrop">
            <section class="dialog" data-testid="km-backup-dialog" role="dialog" aria-label="Key backup">
                <h2>"Save the key backup now"</h2>
                <p class="warning" role="alert">"This backup, with the passphrase, is the only way to recover the \
                    cluster's encryption keys if a node's boot media or the cluster configuration is lost. \
                    Store it safely, away from the cluster (not in the same place as the passphrase)."</p>
                <pre data-testid="km-backup-text">{text}</pre>
                <div class="actions">
                    <button type="button" class="primary" data-testid="km-backup-download"
                        on:click=move |_| {
                            download("onboard-key-backup.txt", "text/plain", &for_download);
                            downloaded.set(true);
                        }>"Download"</button>
                    <button type="button" data-testid="km-backup-copy"
                        on:click=move |_| copy_to_clipboard(&for_copy)>"Copy"</button>
                    <Show when=move || downloaded.get()>
                        <span class="hint" data-testid="km-backup-downloaded">"Download offered as onboard-key-backup.txt."</span>
                    </Show>
                </div>
                <label>
                    <input type="checkbox" data-testid="km-backup-saved" bind:checked=saved/>
                    " I have saved the key backup in a safe place."
                </label>
                <div class="actions">
                    <button type="button" data-testid="km-backup-done" disabled=move || !saved.get()
                        on:click=move |_| on_done.run(())>"Done"</button>
                </div>
            </section>
        </div>
    }
}
