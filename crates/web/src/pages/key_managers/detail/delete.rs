//! Deleting a key manager, with what depends on it (core's `key_managers::deletion`).

use leptos::prelude::*;
use ontap_core::key_managers::{self, KeyManager};
use ontap_core::security::{self, SecurityConfig};
use ontap_core::Query;

use super::super::describe_km;
use super::{Changer, Pending};
use crate::flow::Change;
use crate::session::use_session;

#[component]
pub(super) fn DeleteSection(km: StoredValue<KeyManager>, set_change: Changer) -> impl IntoView {
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
