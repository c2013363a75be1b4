//! An external key manager's key servers: listed, added, changed, removed, status checked.

use leptos::prelude::*;
use ontap_core::key_managers::{self, validate_remove_server, KeyManager, KeyServer};
use ontap_core::{Secret, Violations};

use super::super::servers::{secondaries, ServerDraft, ServerRows};
use super::super::{describe_km, servers_of, timeout_text};
use super::{Changer, Pending};
use crate::flow::Change;
use crate::widgets::{FieldErrors, ViolationList};

#[component]
pub(super) fn ServersSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
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
                    bind:value=timeout/></label>
                <FieldErrors violations=v field="timeout"/>
                <label>"Username "<input data-testid="km-edit-username" autocomplete="off"
                    bind:value=username/></label>
                <FieldErrors violations=v field="username"/>
                <label>"New password (leave empty to keep) "<input type="password" data-testid="km-edit-password" autocomplete="new-password"
                    bind:value=password/></label>
                <label>{format!("Secondary servers (comma-separated, at most {}) ", ontap_core::key_managers::MAX_SECONDARY_SERVERS)}<input data-testid="km-edit-secondaries"
                    bind:value=secondary/></label>
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
