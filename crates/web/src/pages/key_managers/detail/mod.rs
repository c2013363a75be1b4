//! One key manager (`/key-managers/:uuid`): what it is, its certificates and key servers, the
//! status checked on demand, and every change ONTAP allows on it.

mod certificates;
mod delete;
mod onboard;
mod servers;

use certificates::CertificatesSection;
use delete::DeleteSection;
use onboard::OnboardSection;
use servers::ServersSection;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use ontap_core::key_managers::{self, KeyManager};
use ontap_core::Query;

use super::{describe_km, kind, scope_name, Checked};
use crate::flow::{Change, ChangeDialog};
use crate::session::use_session;
use crate::widgets::{default_loading, read_view_with, ErrorBox};

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
        <p><a href=crate::site::href("/key-managers") data-testid="km-back">"← Key managers"</a></p>
        {move || if deleted.get() {
            view! {
                <p data-testid="km-deleted">"The key manager was deleted. "
                    <a href=crate::site::href("/key-managers")>"Back to the key managers"</a></p>
            }.into_any()
        } else {
            let (read, answer) = record.get().unzip();
            read_view_with(answer, default_loading, None, |km| view! {
                <div data-testid="km-detail-read" data-read=read>
                    <Detail km=km change=change pending=pending/>
                </div>
            }.into_any())
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
    // "Check status": an action; what it found is its value.
    let check_action = Action::new_local(move |uuid: &String| {
        let uuid = uuid.clone();
        async move {
            let query = Query::new().fields(super::STATUS_FIELDS.iter().copied());
            session
                .call::<KeyManager>(&key_managers::get(&uuid, &query))
                .await
                .map(|k| Checked::from_record(&k))
        }
    });
    let checked = check_action.value();
    let check = {
        let uuid = uuid.clone();
        move |_| {
            check_action.dispatch(uuid.clone());
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
                        <ul><For each=move || c.servers.clone() key=|(s, _, _)| s.clone()
                            children=|(s, available, nodes)| view! {
                            <li data-testid="km-connectivity">{s}": "
                                {match available { Some(true) => "available from every node".to_owned(),
                                    Some(false) => format!("not available on {}", nodes.join(", ")),
                                    None => "unknown".to_owned() }}</li>
                        }/></ul>
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
