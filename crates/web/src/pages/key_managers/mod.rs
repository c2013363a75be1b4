//! Key managers (`/api/security/key-managers`): every external (KMIP) and onboard key manager,
//! cluster and SVM scope. The list (`/key-managers`) creates; the detail
//! (`/key-managers/:uuid`) shows and changes one. Every request is built and checked by
//! `ontap_core::key_managers`; every change goes through [`crate::flow`].

mod create;
mod detail;
mod servers;

use std::collections::HashMap;

use leptos::prelude::*;
use ontap_core::certificates::{self, Certificate, CertificateType};
use ontap_core::envelope::IntOrString;
use ontap_core::key_managers::{self, KeyManager, KeyServer};
use ontap_core::Query;

use crate::api::CallError;
use crate::flow::ChangeDialog;
use crate::session::{use_session, Session};
use crate::widgets::{read_view, Empty, ErrorBox};

pub use detail::KeyManagerPage;

/// The fields the list shows (never the expensive status and connectivity fields).
const LIST_FIELDS: &[&str] = &[
    "uuid",
    "scope",
    "svm.name",
    "external.servers.server",
    "onboard.enabled",
];

/// The expensive fields "check status" asks for.
const STATUS_FIELDS: &[&str] = &[
    "uuid",
    "status.code",
    "status.message",
    "external.servers.server",
    "external.servers.connectivity",
];

/// "external" or "onboard".
pub(crate) fn kind(km: &KeyManager) -> &'static str {
    if km.is_onboard() {
        "onboard"
    } else {
        "external"
    }
}

/// The SVM's name, or "(cluster)".
pub(crate) fn scope_name(km: &KeyManager) -> String {
    km.svm
        .as_ref()
        .and_then(|s| s.name.clone())
        .unwrap_or_else(|| "(cluster)".into())
}

/// How an admin names a key manager in a sentence.
pub(crate) use ontap_core::key_managers::deletion::describe as describe_km;

pub(crate) fn servers_of(km: &KeyManager) -> Vec<KeyServer> {
    km.external
        .as_ref()
        .and_then(|e| e.servers.clone())
        .unwrap_or_default()
}

pub(crate) fn timeout_text(t: &Option<IntOrString>) -> String {
    match t {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::Text(s)) => s.clone(),
        None => String::new(),
    }
}

/// What "check status" found for one key manager.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Checked {
    pub code: Option<String>,
    pub message: Option<String>,
    /// Key server address → available from every node (and the nodes where it is not).
    pub servers: Vec<(String, Option<bool>, Vec<String>)>,
}

impl Checked {
    pub fn from_record(km: &KeyManager) -> Self {
        let status = km.status.clone().unwrap_or_default();
        Checked {
            code: status.code.as_ref().map(|c| timeout_text(&Some(c.clone()))),
            message: status.message,
            servers: servers_of(km)
                .into_iter()
                .map(|s| {
                    let c = s.connectivity.unwrap_or_default();
                    let nodes = c
                        .records
                        .unwrap_or_default()
                        .into_iter()
                        .map(|n| {
                            format!(
                                "{}: {}",
                                n.node.and_then(|n| n.name).unwrap_or_default(),
                                n.state.unwrap_or_default()
                            )
                        })
                        .collect();
                    (s.server.unwrap_or_default(), c.cluster_availability, nodes)
                })
                .collect(),
        }
    }

    /// One line: the setup status and the servers' availability.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = self.message.as_deref().filter(|m| !m.is_empty()) {
            parts.push(match &self.code {
                Some(c) => format!("{m} (code {c})"),
                None => m.to_owned(),
            });
        }
        for (server, available, nodes) in &self.servers {
            parts.push(match available {
                Some(true) => format!("{server}: available"),
                Some(false) => format!("{server}: NOT available ({})", nodes.join(", ")),
                None => format!("{server}: unknown"),
            });
        }
        parts.join("; ")
    }
}

/// Installed client and server CA certificates (for the pickers).
pub(crate) async fn kmip_certificates(session: Session) -> Result<Vec<Certificate>, CallError> {
    let query = Query::new()
        .fields(["uuid", "name", "type", "scope", "svm.name"])
        .filter("type", "client|server_ca");
    session.collect(certificates::list(&query), |_| ()).await
}

/// The certificates of type `ty` installed in the scope of `svm` (None: the cluster).
pub(crate) fn in_scope(
    certs: &[Certificate],
    svm: Option<&str>,
    ty: CertificateType,
) -> Vec<Certificate> {
    certs
        .iter()
        .filter(|c| c.type_.as_ref() == Some(&ty))
        .filter(|c| c.svm.as_ref().and_then(|s| s.name.as_deref()) == svm)
        .cloned()
        .collect()
}

/// What the list page has open.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Creating {
    Nothing,
    External,
    Onboard,
}

#[component]
pub fn KeyManagersPage() -> impl IntoView {
    let session = use_session();
    let reads = StoredValue::new(0u32);
    let list = LocalResource::new(move || async move {
        let query = Query::new().fields(LIST_FIELDS.iter().copied());
        let answer = session
            .collect::<KeyManager>(key_managers::list(&query), |_| ())
            .await;
        reads.update_value(|n| *n += 1);
        (reads.get_value(), answer)
    });
    // "Check status": an action; what it found and whether it runs are its value and pending.
    let check = Action::new_local(move |(): &()| async move {
        let query = Query::new().fields(STATUS_FIELDS.iter().copied());
        session
            .collect::<KeyManager>(key_managers::list(&query), |_| ())
            .await
            .map(|all| {
                all.iter()
                    .filter_map(|k| Some((k.uuid.clone()?, Checked::from_record(k))))
                    .collect::<HashMap<String, Checked>>()
            })
    });
    let checked = check.value();
    let checking = check.pending();
    let check_status = move |_| {
        check.dispatch(());
    };
    let creating = RwSignal::new(Creating::Nothing);
    let change = RwSignal::new(None);
    let backup = RwSignal::new(None::<String>);
    let on_finished = move |answer: Option<crate::api::Answer>| {
        if let Some(answer) = answer {
            if creating.get_untracked() == Creating::Onboard {
                create::take_backup(session, &answer, backup);
            }
            creating.set(Creating::Nothing);
        }
        checked.set(None);
        list.refetch();
    };

    view! {
        <h1>"Key managers"</h1>
        <div class="actions">
            <button type="button" data-testid="km-new-external"
                on:click=move |_| creating.set(Creating::External)>"New external key manager…"</button>
            <button type="button" data-testid="km-new-onboard"
                on:click=move |_| creating.set(Creating::Onboard)>"Configure the Onboard Key Manager…"</button>
            <button type="button" data-testid="km-check-status" disabled=move || checking.get()
                on:click=check_status>"Check status"</button>
        </div>
        {move || match creating.get() {
            Creating::Nothing => ().into_any(),
            Creating::External => view! {
                <create::CreateExternal change=change on_cancel=Callback::new(move |()| creating.set(Creating::Nothing))/>
            }.into_any(),
            Creating::Onboard => view! {
                <create::CreateOnboard change=change on_cancel=Callback::new(move |()| creating.set(Creating::Nothing))/>
            }.into_any(),
        }}
        {move || checked.get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
        {move || {
            let (read, answer) = list.get().unzip();
            read_view(answer, Callback::new(move |()| list.refetch()), |items| view! {
                <div data-testid="km-read" data-read=read>
                    {if items.is_empty() {
                        view! { <Empty message="No key manager is configured."/> }.into_any()
                    } else {
                        view! { <KeyManagerTable items=items checked=checked/> }.into_any()
                    }}
                </div>
            }.into_any())
        }}
        <ChangeDialog change=change on_finished=on_finished/>
        {move || (change.with(Option::is_none)).then(|| backup.get()).flatten().map(|text| view! {
            <create::KeyBackupDialog text=text on_done=Callback::new(move |()| backup.set(None))/>
        })}
    }
}

/// What "Check status" found, by key manager uuid (the value of its action).
type StatusRead = MappedSignal<Option<Result<HashMap<String, Checked>, CallError>>>;

/// The key managers read, one row each, keyed by uuid; the state column follows "Check status".
#[component]
fn KeyManagerTable(items: Vec<KeyManager>, checked: StatusRead) -> impl IntoView {
    view! {
        <table class="list" data-testid="km-table">
            <thead><tr><th>"Type"</th><th>"SVM"</th><th>"Servers"</th><th>"State"</th></tr></thead>
            <tbody>
                <For each=move || items.clone() key=|km| km.uuid.clone() let:km>
                    <KeyManagerRow km=km checked=checked/>
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn KeyManagerRow(km: KeyManager, checked: StatusRead) -> impl IntoView {
    let uuid = km.uuid.clone().unwrap_or_default();
    let href = crate::site::href(&format!("/key-managers/{uuid}"));
    let link_id = format!(
        "km-link-{}",
        km.svm
            .as_ref()
            .and_then(|s| s.name.as_deref())
            .unwrap_or("cluster")
    );
    let servers = servers_of(&km)
        .into_iter()
        .filter_map(|s| s.server)
        .collect::<Vec<_>>()
        .join(", ");
    let enabled = km.onboard.as_ref().and_then(|o| o.enabled);
    let base = match (km.is_onboard(), enabled) {
        (true, Some(true)) => "enabled",
        (true, Some(false)) => "not enabled",
        _ => "not checked",
    };
    let state = move || {
        checked
            .with(|c| match c {
                Some(Ok(map)) => map.get(&uuid).map(Checked::summary),
                _ => None,
            })
            .unwrap_or_else(|| base.to_owned())
    };
    view! {
        <tr data-testid="km-row">
            <td><a href=href data-testid=link_id>{kind(&km)}</a></td>
            <td data-testid="km-row-svm">{scope_name(&km)}</td>
            <td data-testid="km-row-servers">{servers}</td>
            <td data-testid="km-row-state">{state}</td>
        </tr>
    }
}
