//! One key manager (`/key-managers/:uuid`): what it is, its certificates and key servers, the
//! status checked on demand, and every change ONTAP allows on it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use ontap_core::certificates::CertificateType;
use ontap_core::key_managers::{
    self, validate_remove_server, CertificateRef, External, KeyManager, KeyServer, Onboard,
};
use ontap_core::security::{self, SecurityConfig};
use ontap_core::{Query, Secret, Violations};

use super::create::{confirmation_problem, CertificatePickers, PassphraseFields};
use super::servers::{secondaries, ServerDraft, ServerRows};
use super::{
    describe_km, in_scope, kind, kmip_certificates, scope_name, servers_of, timeout_text, Checked,
};
use crate::browser::{copy_to_clipboard, download};
use crate::flow::{Change, ChangeDialog};
use crate::session::use_session;
use crate::widgets::{ErrorBox, FieldErrors, Loading, ViolationList};

/// The change the dialog carries, so that its end is handled (a delete leaves the page).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    Other,
    Delete,
}

#[component]
pub fn KeyManagerPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let uuid = Memo::new(move |_| params.with(|p| p.get("uuid")).unwrap_or_default());
    let reads = StoredValue::new(0u32);
    let record = LocalResource::new(move || {
        let uuid = uuid.get();
        async move {
            let answer = session
                .call::<KeyManager>(&key_managers::get_detail(&uuid))
                .await;
            reads.update_value(|n| *n += 1);
            (reads.get_value(), answer)
        }
    });
    let change = RwSignal::new(None::<Change>);
    let pending = RwSignal::new(Pending::Other);
    let deleted = RwSignal::new(false);
    let on_finished = move |answer: Option<crate::api::Answer>| {
        if answer.is_some() && pending.get_untracked() == Pending::Delete {
            deleted.set(true);
        } else {
            record.refetch();
        }
    };
    view! {
        <p><a href="/key-managers" data-testid="km-back">"← Key managers"</a></p>
        {move || if deleted.get() {
            view! {
                <p data-testid="km-deleted">"The key manager was deleted. "
                    <a href="/key-managers">"Back to the key managers"</a></p>
            }.into_any()
        } else {
            match record.get() {
                None => view! { <Loading/> }.into_any(),
                Some((_, Err(e))) => view! { <ErrorBox error=e/> }.into_any(),
                Some((read, Ok(km))) => view! {
                    <div data-testid="km-detail-read" data-read=read>
                        <Detail km=km change=change pending=pending/>
                    </div>
                }.into_any(),
            }
        }}
        <ChangeDialog change=change on_finished=on_finished/>
    }
}

#[component]
fn Detail(
    km: KeyManager,
    change: RwSignal<Option<Change>>,
    pending: RwSignal<Pending>,
) -> impl IntoView {
    let session = use_session();
    let uuid = km.uuid.clone().unwrap_or_default();
    let title = capitalized(&describe_km(&km));
    let checked = RwSignal::new(None::<Result<Checked, crate::api::CallError>>);
    let check = {
        let uuid = uuid.clone();
        move |_| {
            let uuid = uuid.clone();
            leptos::task::spawn_local(async move {
                let query = Query::new().fields(super::STATUS_FIELDS.iter().copied());
                let answer = session
                    .call::<KeyManager>(&key_managers::get(&uuid, &query))
                    .await
                    .map(|k| Checked::from_record(&k));
                checked.try_set(Some(answer));
            });
        }
    };
    let volume = km.volume_encryption.clone().unwrap_or_default();
    let volume_text = match volume.supported {
        Some(true) => "supported".to_owned(),
        Some(false) => format!(
            "not supported: {}",
            volume.message.clone().unwrap_or_default()
        ),
        None => "unknown".to_owned(),
    };
    let km = StoredValue::new(km);
    let set_change = Changer { change, pending };
    let onboard = km.with_value(KeyManager::is_onboard);

    view! {
        <h1 data-testid="km-title">{title.clone()}</h1>
        <section class="card">
            <dl>
                <dt>"Type"</dt><dd data-testid="km-kind">{km.with_value(kind)}</dd>
                <dt>"Scope"</dt><dd data-testid="km-scope">{km.with_value(scope_name)}</dd>
                <dt>"Volume encryption"</dt><dd data-testid="km-volume-encryption">{volume_text}</dd>
                <dt>"Data-at-rest encryption disabled by default"</dt>
                <dd>{km.with_value(|k| k.is_default_data_at_rest_encryption_disabled.map(|b| if b { "yes" } else { "no" }).unwrap_or("unknown"))}</dd>
            </dl>
            <div class="actions">
                <button type="button" data-testid="km-check-status" on:click=check>"Check status"</button>
            </div>
            {move || checked.get().map(|c| match c {
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                Ok(c) => view! {
                    <div data-testid="km-status">
                        <p>"Status: "{c.message.clone().unwrap_or_default()}
                           {c.code.clone().map(|code| format!(" (code {code})"))}</p>
                        <ul>{c.servers.iter().map(|(s, available, nodes)| view! {
                            <li data-testid="km-connectivity">{s.clone()}": "
                                {match available { Some(true) => "available from every node".to_owned(),
                                    Some(false) => format!("not available on {}", nodes.join(", ")),
                                    None => "unknown".to_owned() }}</li>
                        }).collect_view()}</ul>
                    </div>
                }.into_any(),
            })}
        </section>
        {if onboard {
            view! { <OnboardSection km=km set_change=set_change/> }.into_any()
        } else {
            view! {
                <CertificatesSection km=km set_change=set_change/>
                <ServersSection km=km set_change=set_change/>
            }.into_any()
        }}
        <DeleteSection km=km set_change=set_change/>
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Opens the change dialog for a change, remembering what kind it is.
#[derive(Clone, Copy)]
struct Changer {
    change: RwSignal<Option<Change>>,
    pending: RwSignal<Pending>,
}

impl Changer {
    fn open(&self, change: Change, pending: Pending) {
        self.pending.set(pending);
        self.change.set(Some(change));
    }
}

#[component]
fn CertificatesSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
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
        view! { <a href="/certificates" data-testid=testid>{name}</a> }
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
                {move || match certs.get() {
                    None => view! { <Loading what="Reading the installed certificates…"/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                    Some(Ok(_)) => view! {
                        <CertificatePickers client=client cas=cas
                            clients=Signal::derive(move || choices.with_value(|f| f(CertificateType::Client)))
                            authorities=Signal::derive(move || choices.with_value(|f| f(CertificateType::ServerCa)))
                            violations=v/>
                    }.into_any(),
                }}
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

#[component]
fn ServersSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
    let servers = km.with_value(servers_of);
    let count = servers.len();
    let uuid = km.with_value(|k| k.uuid.clone().unwrap_or_default());
    // Opened from the posture page to add a second key server: the form starts open.
    let asked = matches!(crate::prefill::use_prefill().get_untracked(),
        Some(ontap_core::audit::Prefill::AddKeyServer { key_manager }) if key_manager == uuid);
    let rows = RwSignal::new(if asked {
        vec![ServerDraft::default()]
    } else {
        Vec::new()
    });
    let existing = StoredValue::new(servers.clone());
    let new_servers =
        Memo::new(move |_| rows.with(|r| r.iter().map(ServerDraft::to_server).collect::<Vec<_>>()));
    let violations = Memo::new(move |_| {
        new_servers.with(|n| {
            if n.is_empty() {
                Violations::new()
            } else {
                existing.with_value(|e| {
                    key_managers::validate_add_servers(n, e)
                        .err()
                        .unwrap_or_default()
                })
            }
        })
    });
    let v = Signal::derive(move || violations.get());
    let review_add = move |_| {
        let new = new_servers.get_untracked();
        if let Ok(request) = existing.with_value(|e| key_managers::add_servers(&uuid, &new, e)) {
            let title = if new.len() == 1 {
                "Add a key server".to_owned()
            } else {
                format!("Add {} key servers", new.len())
            };
            set_change.open(Change::new(title, request), Pending::Other);
        }
    };
    view! {
        <section class="card" data-testid="km-servers">
            <h2>{format!("Key servers ({count} of {})", key_managers::MAX_KEY_SERVERS)}</h2>
            <table class="list">
                <thead><tr><th>"Server"</th><th>"Timeout (s)"</th><th>"Username"</th><th>"Secondary servers"</th><th></th></tr></thead>
                <tbody>
                    {servers.into_iter().enumerate().map(|(i, s)| view! {
                        <ServerLine i=i server=s km=km existing=existing set_change=set_change/>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>"Add key servers"</h3>
            <Show when=move || rows.with(Vec::is_empty)>
                <div class="actions"><button type="button" data-testid="km-add-servers"
                    on:click=move |_| rows.set(vec![ServerDraft::default()])>"Add key servers…"</button></div>
            </Show>
            <Show when=move || !rows.with(Vec::is_empty)>
                <ServerRows rows=rows violations=v
                    prefix=|i, n| if n == 1 { String::new() } else { format!("records[{i}].") }/>
                <ViolationList violations=v/>
                <div class="actions">
                    <button type="button" class="primary" data-testid="km-add-review"
                        disabled=move || !violations.with(Violations::is_empty)
                        on:click=review_add.clone()>"Review…"</button>
                    <button type="button" on:click=move |_| rows.set(Vec::new())>"Cancel"</button>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ServerLine(
    i: usize,
    server: KeyServer,
    km: StoredValue<KeyManager>,
    existing: StoredValue<Vec<KeyServer>>,
    set_change: Changer,
) -> impl IntoView {
    let uuid = km.with_value(|k| k.uuid.clone().unwrap_or_default());
    let address = server.server.clone().unwrap_or_default();
    let editing = RwSignal::new(false);
    let timeout = RwSignal::new(timeout_text(&server.timeout));
    let username = RwSignal::new(server.username.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let secondary = RwSignal::new(
        server
            .secondary_key_servers
            .clone()
            .unwrap_or_default()
            .join(", "),
    );
    let original = StoredValue::new(server.clone());
    let body = Memo::new(move |_| {
        let now = original.get_value();
        let draft = ServerDraft {
            timeout: timeout.get(),
            username: username.get(),
            password: Secret::new(password.get()),
            secondaries: secondary.get(),
            ..ServerDraft::default()
        }
        .to_server();
        KeyServer {
            timeout: draft.timeout.filter(|t| Some(t) != now.timeout.as_ref()),
            username: if username.get().trim() != now.username.clone().unwrap_or_default()
                || draft.password.is_some()
            {
                Some(username.get().trim().to_owned())
            } else {
                None
            },
            password: draft.password,
            secondary_key_servers: {
                let new = secondaries(&secondary.get()).unwrap_or_default();
                (new != now.secondary_key_servers.clone().unwrap_or_default()).then_some(new)
            },
            ..KeyServer::default()
        }
    });
    let unchanged = move || {
        body.with(|b| {
            b.timeout.is_none()
                && b.username.is_none()
                && b.password.is_none()
                && b.secondary_key_servers.is_none()
        })
    };
    let violations = Memo::new(move |_| {
        body.with(|b| {
            key_managers::validate_server_update(b)
                .err()
                .unwrap_or_default()
        })
    });
    let v = Signal::derive(move || violations.get());
    let removal = existing.with_value(|e| validate_remove_server(&address, e).err());
    let can_remove = removal.is_none();
    let removal_reason = removal.map(|v| {
        v.0.into_iter()
            .map(|x| x.message)
            .collect::<Vec<_>>()
            .join(" ")
    });
    let (uuid_edit, address_edit) = (uuid.clone(), address.clone());
    let review_edit = move |_| {
        if let Ok(request) =
            key_managers::update_server(&uuid_edit, &address_edit, &body.get_untracked())
        {
            let now = serde_json::to_value(original.get_value()).unwrap_or_default();
            set_change.open(
                Change::new(format!("Change key server {address_edit}"), request).against(now),
                Pending::Other,
            );
            password.set(String::new());
        }
    };
    let (uuid_rm, address_rm) = (uuid.clone(), address.clone());
    let review_remove = move |_| {
        if let Ok(request) =
            existing.with_value(|e| key_managers::remove_server(&uuid_rm, &address_rm, e))
        {
            let what = km.with_value(describe_km);
            set_change.open(Change::new(format!("Remove key server {address_rm}"), request).destructive(vec![format!(
                    "{address_rm} will no longer serve keys to {what}: nodes reach only the remaining key servers."
                )]),
                Pending::Other,
            );
        }
    };
    view! {
        <tr data-testid=format!("km-server-line-{i}")>
            <td data-testid="km-server-address">{address.clone()}</td>
            <td>{timeout_text(&server.timeout)}</td>
            <td>{server.username.clone().unwrap_or_default()}</td>
            <td>{server.secondary_key_servers.clone().unwrap_or_default().join(", ")}</td>
            <td>
                <button type="button" data-testid=format!("km-server-edit-{i}") on:click=move |_| editing.update(|e| *e = !*e)>"Edit…"</button>
                " "
                <button type="button" data-testid=format!("km-server-remove-{i}") disabled=!can_remove
                    title=removal_reason.clone().unwrap_or_default() on:click=review_remove>"Remove…"</button>
                {removal_reason.clone().map(|r| view! { <p class="hint" data-testid=format!("km-server-remove-why-{i}")>{r}</p> })}
            </td>
        </tr>
        <Show when=move || editing.get()>
            <tr><td colspan="5">
                <label>{format!("Timeout ({} to {} seconds) ", ontap_core::key_managers::TIMEOUT_SECONDS.start(), ontap_core::key_managers::TIMEOUT_SECONDS.end())}<input data-testid="km-edit-timeout" size="4"
                    prop:value=move || timeout.get() on:input=move |ev| timeout.set(event_target_value(&ev))/></label>
                <FieldErrors violations=v field="timeout"/>
                <label>"Username "<input data-testid="km-edit-username" autocomplete="off"
                    prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/></label>
                <FieldErrors violations=v field="username"/>
                <label>"New password (leave empty to keep) "<input type="password" data-testid="km-edit-password" autocomplete="new-password"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/></label>
                <label>{format!("Secondary servers (comma-separated, at most {}) ", ontap_core::key_managers::MAX_SECONDARY_SERVERS)}<input data-testid="km-edit-secondaries"
                    prop:value=move || secondary.get() on:input=move |ev| secondary.set(event_target_value(&ev))/></label>
                <ViolationList violations=v/>
                <div class="actions">
                    <button type="button" class="primary" data-testid="km-server-review"
                        disabled=move || unchanged() || !violations.with(Violations::is_empty)
                        on:click=review_edit.clone()>"Review…"</button>
                    <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </div>
            </td></tr>
        </Show>
    }
}

#[component]
fn OnboardSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
    let onboard = km.with_value(|k| k.onboard.clone().unwrap_or_default());
    let uuid = km.with_value(|k| k.uuid.clone().unwrap_or_default());
    let backup = onboard.key_backup.clone();
    // Change passphrase.
    let existing = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let body = Memo::new(move |_| KeyManager {
        onboard: Some(Onboard {
            // What is left empty is not sent: core then names what is missing (65536917).
            existing_passphrase: Some(existing.get())
                .filter(|s| !s.is_empty())
                .map(Secret::new),
            passphrase: Some(new.get()).filter(|s| !s.is_empty()).map(Secret::new),
            ..Onboard::default()
        }),
        ..KeyManager::default()
    });
    let violations = Memo::new(move |_| {
        let mut all = body.with(|b| key_managers::validate_update(b).err().unwrap_or_default());
        if let Some(v) = confirmation_problem(&new.get(), &confirm.get(), "onboard.passphrase") {
            all.push(v);
        }
        all
    });
    // Nothing typed yet: nothing to say (the review stays disabled).
    let touched = move || {
        !(existing.with(String::is_empty)
            && new.with(String::is_empty)
            && confirm.with(String::is_empty))
    };
    let v = Signal::derive(move || {
        if touched() {
            violations.get()
        } else {
            Violations::new()
        }
    });
    let uuid_pp = uuid.clone();
    let review_pp = move |_| {
        if !touched() || !violations.with_untracked(Violations::is_empty) {
            return;
        }
        if let Ok(request) = key_managers::update(&uuid_pp, &body.get_untracked(), None) {
            set_change.open(
                Change::new("Change the Onboard Key Manager's passphrase", request),
                Pending::Other,
            );
            existing.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
        }
    };
    // Synchronize.
    let sync_existing = RwSignal::new(String::new());
    let sync_body = Memo::new(move |_| KeyManager {
        onboard: Some(Onboard {
            existing_passphrase: Some(Secret::new(sync_existing.get()))
                .filter(|s| !s.expose().is_empty()),
            synchronize: Some(true),
            ..Onboard::default()
        }),
        ..KeyManager::default()
    });
    let sync_violations = Memo::new(move |_| {
        sync_body.with(|b| key_managers::validate_update(b).err().unwrap_or_default())
    });
    let sv = Signal::derive(move || {
        if sync_existing.with(String::is_empty) {
            Violations::new()
        } else {
            sync_violations.get()
        }
    });
    let review_sync = move |_| {
        if let Ok(request) = key_managers::update(&uuid, &sync_body.get_untracked(), None) {
            set_change.open(
                Change::new(
                    "Synchronize the Onboard Key Manager's keys on every node",
                    request,
                ),
                Pending::Other,
            );
            sync_existing.set(String::new());
        }
    };
    view! {
        <section class="card" data-testid="km-onboard">
            <h2>"Onboard Key Manager"</h2>
            <dl>
                <dt>"Enabled"</dt><dd data-testid="km-onboard-enabled">{match onboard.enabled { Some(true) => "yes", Some(false) => "no", None => "unknown" }}</dd>
            </dl>
            {backup.map(|text| {
                let (d, c) = (text.clone(), text.clone());
                view! {
                    <h3>"Key backup"</h3>
                    <p class="hint">"Keep a copy of the key backup, and the passphrase, away from the cluster."</p>
                    <pre data-testid="km-detail-backup">{text}</pre>
                    <div class="actions">
                        <button type="button" data-testid="km-detail-backup-download"
                            on:click=move |_| download("onboard-key-backup.txt", "text/plain", &d)>"Download"</button>
                        <button type="button" on:click=move |_| copy_to_clipboard(&c)>"Copy"</button>
                    </div>
                }
            })}
        </section>
        <section class="card" data-testid="km-change-passphrase">
            <h2>"Change the passphrase"</h2>
            <label>"Current passphrase"
                <input type="password" data-testid="km-pp-existing" autocomplete="current-password"
                    prop:value=move || existing.get() on:input=move |ev| existing.set(event_target_value(&ev))/>
            </label>
            <PassphraseFields passphrase=new confirm=confirm testid="km-pp-new" label="New passphrase (32 to 256 ASCII characters)"/>
            <ViolationList violations=v/>
            <div class="actions">
                <button type="button" class="primary" data-testid="km-pp-review"
                    disabled=move || !touched() || !violations.with(Violations::is_empty) on:click=review_pp>"Review…"</button>
            </div>
        </section>
        <section class="card" data-testid="km-synchronize">
            <h2>"Synchronize the nodes"</h2>
            <p class="hint">"Restores missing onboard keys on every node of the cluster (for example after a node \
                joins). Needs only the current passphrase. (A MetroCluster partner site is synchronized \
                by configuring the Onboard Key Manager there with the synchronize option.)"</p>
            <label>"Current passphrase"
                <input type="password" data-testid="km-sync-existing" autocomplete="current-password"
                    prop:value=move || sync_existing.get() on:input=move |ev| sync_existing.set(event_target_value(&ev))/>
            </label>
            <FieldErrors violations=sv field="onboard.existing_passphrase"/>
            <div class="actions">
                <button type="button" data-testid="km-sync-review"
                    disabled=move || !sync_violations.with(Violations::is_empty) on:click=review_sync>"Review…"</button>
            </div>
        </section>
    }
}

#[component]
fn DeleteSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
    let session = use_session();
    let what = km.with_value(describe_km);
    let uuid = km.with_value(|k| k.uuid.clone().unwrap_or_default());
    let cluster_scope = km.with_value(|k| k.svm.is_none());
    let security = LocalResource::new(move || async move {
        if !cluster_scope {
            return None;
        }
        let query = Query::new().fields(["software_data_encryption"]);
        session
            .call::<SecurityConfig>(&security::get(&query))
            .await
            .ok()
    });
    let depends = move || {
        let security = security.get().flatten();
        km.with_value(|k| key_managers::deletion::consequences(k, security.as_ref()))
    };
    let review = move |_| {
        let request = key_managers::delete(&uuid);
        let now = km.with_value(|k| serde_json::to_value(k).unwrap_or_default());
        set_change.open(
            Change::new(format!("Delete {what}"), request)
                .against(now)
                .destructive(depends()),
            Pending::Delete,
        );
    };
    view! {
        <section class="card" data-testid="km-delete-section">
            <h2>"Delete"</h2>
            <ul class="hint" data-testid="km-depends">
                {move || depends().into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
            </ul>
            <div class="actions">
                <button type="button" data-testid="km-delete" on:click=review>"Delete…"</button>
            </div>
        </section>
    }
}
