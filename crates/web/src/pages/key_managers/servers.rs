//! Rows of key servers being typed in (create, or add to an existing key manager).

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;
use ontap_core::envelope::IntOrString;
use ontap_core::key_managers::KeyServer;
use ontap_core::{Secret, Violations};

use crate::widgets::describe;

/// One key server as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDraft {
    /// The row's key in the form, unique in the page: a row keeps its inputs (and what is
    /// typed in them) when a row above it is removed.
    pub key: u32,
    pub server: String,
    pub timeout: String,
    pub username: String,
    pub password: Secret,
    /// Comma-separated `host[:port]` list.
    pub secondaries: String,
}

impl Default for ServerDraft {
    fn default() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        Self {
            key: NEXT.fetch_add(1, Ordering::Relaxed),
            server: String::new(),
            timeout: String::new(),
            username: String::new(),
            password: Secret::default(),
            secondaries: String::new(),
        }
    }
}

impl ServerDraft {
    /// The key server as ONTAP's body has it; what is left empty is not sent.
    pub fn to_server(&self) -> KeyServer {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        KeyServer {
            server: text(&self.server),
            timeout: text(&self.timeout).map(|t| match t.parse::<i64>() {
                Ok(n) => IntOrString::Int(n),
                Err(_) => IntOrString::Text(t),
            }),
            username: text(&self.username),
            password: (!self.password.expose().is_empty()).then(|| self.password.clone()),
            secondary_key_servers: secondaries(&self.secondaries),
            ..KeyServer::default()
        }
    }
}

/// A comma-separated list of secondary servers; none when empty.
pub fn secondaries(text: &str) -> Option<Vec<String>> {
    let list: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    (!list.is_empty()).then_some(list)
}

/// The violations about row `i`, whose fields core names `{prefix}server`, `{prefix}timeout`...
pub fn row_messages(violations: &Violations, prefix: &str) -> Vec<String> {
    violations
        .0
        .iter()
        .filter(|v| {
            v.field
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('['))
        })
        .map(describe)
        .collect()
}

/// Editable rows of key servers. `prefix(i)` gives the field prefix core uses for row `i`.
#[component]
pub fn ServerRows(
    rows: RwSignal<Vec<ServerDraft>>,
    #[prop(into)] violations: Signal<Violations>,
    prefix: fn(usize, usize) -> String,
) -> impl IntoView {
    view! {
        <table class="list" data-testid="km-server-rows">
            <thead><tr>
                <th>{format!("Server (host[:port], port {} by default)", ontap_core::key_managers::DEFAULT_KMIP_PORT)}</th><th>"Timeout (s)"</th>
                <th>"Username"</th><th>"Password"</th><th>"Secondary servers (comma-separated)"</th><th></th>
            </tr></thead>
            <tbody>
                <For each=move || rows.with(|r| r.iter().map(|d| d.key).collect::<Vec<_>>())
                    key=|k| *k let:key>
                    <ServerRow key=key rows=rows violations=violations prefix=prefix/>
                </For>
            </tbody>
        </table>
        <div class="actions">
            <button type="button" data-testid="km-add-row"
                on:click=move |_| rows.update(|r| r.push(ServerDraft::default()))>"Another server"</button>
        </div>
    }
}

#[component]
fn ServerRow(
    key: u32,
    rows: RwSignal<Vec<ServerDraft>>,
    violations: Signal<Violations>,
    prefix: fn(usize, usize) -> String,
) -> impl IntoView {
    // Where the row is now: its test ids and core's field names follow its position.
    let i = Memo::new(move |_| {
        rows.with(|r| r.iter().position(|d| d.key == key))
            .unwrap_or_default()
    });
    let get = move |f: fn(&ServerDraft) -> String| {
        move || rows.with(|r| r.iter().find(|d| d.key == key).map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut ServerDraft, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            rows.update(|r| {
                if let Some(d) = r.iter_mut().find(|d| d.key == key) {
                    f(d, value);
                }
            });
        }
    };
    let messages = move || {
        let n = rows.with(Vec::len);
        violations.with(|v| row_messages(v, &prefix(i.get(), n)))
    };
    let id = move |name: &'static str| move || format!("km-{name}-{}", i.get());
    view! {
        <tr data-testid=id("server-row")>
            <td><input data-testid=id("server") placeholder="kms.example.com:5696"
                prop:value=get(|d| d.server.clone()) on:input=set(|d, v| d.server = v)/></td>
            <td><input data-testid=id("timeout") size="4" placeholder="25"
                prop:value=get(|d| d.timeout.clone()) on:input=set(|d, v| d.timeout = v)/></td>
            <td><input data-testid=id("username") autocomplete="off"
                prop:value=get(|d| d.username.clone()) on:input=set(|d, v| d.username = v)/></td>
            <td><input data-testid=id("password") type="password" autocomplete="new-password"
                prop:value=get(|d| d.password.expose().to_owned()) on:input=set(|d, v| d.password = Secret::new(v))/></td>
            <td><input data-testid=id("secondaries")
                prop:value=get(|d| d.secondaries.clone()) on:input=set(|d, v| d.secondaries = v)/></td>
            <td><button type="button" data-testid=id("remove-row")
                on:click=move |_| rows.update(|r| r.retain(|d| d.key != key))>"Remove"</button></td>
        </tr>
        <Show when=move || !messages().is_empty()>
            <tr><td colspan="6">
                <ul class="field-errors" data-testid=id("server-error")>
                    {move || messages().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </td></tr>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ontap_core::key_managers::validate_create;

    #[test]
    fn a_draft_sends_only_what_was_typed() {
        let empty = ServerDraft {
            server: " kms.example.com ".into(),
            ..ServerDraft::default()
        }
        .to_server();
        assert_eq!(empty.server.as_deref(), Some("kms.example.com"));
        assert!(empty.timeout.is_none() && empty.username.is_none() && empty.password.is_none());
        assert!(empty.secondary_key_servers.is_none());
        let full = ServerDraft {
            server: "10.0.0.5:5697".into(),
            timeout: "30".into(),
            username: "u".into(),
            password: Secret::new("p"),
            secondaries: "a.example.com, b.example.com,".into(),
            ..ServerDraft::default()
        }
        .to_server();
        assert_eq!(full.timeout, Some(IntOrString::Int(30)));
        assert_eq!(
            full.secondary_key_servers,
            Some(vec!["a.example.com".into(), "b.example.com".into()])
        );
        // A timeout that is not a number is kept as typed, so core names it.
        let bad = ServerDraft {
            timeout: "soon".into(),
            ..ServerDraft::default()
        }
        .to_server();
        assert_eq!(bad.timeout, Some(IntOrString::Text("soon".into())));
    }

    #[test]
    fn row_messages_pick_one_rows_violations() {
        let km: ontap_core::key_managers::KeyManager = serde_json::from_value(serde_json::json!({
            "external": {"client_certificate": {"uuid": "c"}, "server_ca_certificates": [{"uuid": "a"}],
                "servers": [{"server": "ok.example.com"}, {"server": "bad host", "timeout": 99}]}
        }))
        .unwrap();
        let v = validate_create(&km).unwrap_err();
        assert!(row_messages(&v, "external.servers[0].").is_empty());
        let second = row_messages(&v, "external.servers[1].");
        assert_eq!(second.len(), 2, "{second:?}");
    }
}
