//! Key managers (`/api/security/key-managers`): every external (KMIP) and onboard key manager,
//! cluster and SVM scope.

use leptos::prelude::*;
use ontap_core::key_managers::{self, KeyManager};
use ontap_core::Query;

use crate::session::use_session;
use crate::widgets::{Empty, ErrorBox, Loading};

/// The fields the list shows (never the expensive status and connectivity fields).
const LIST_FIELDS: &[&str] = &[
    "uuid",
    "scope",
    "svm.name",
    "external.servers.server",
    "onboard.enabled",
];

#[component]
pub fn KeyManagersPage() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move {
        let query = Query::new().fields(LIST_FIELDS.iter().copied());
        session
            .collect::<KeyManager>(key_managers::list(&query), |_| ())
            .await
    });
    view! {
        <h1>"Key managers"</h1>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(items)) if items.is_empty() => {
                view! { <Empty message="No key manager is configured."/> }.into_any()
            }
            Some(Ok(items)) => view! {
                <table class="list" data-testid="km-table">
                    <thead><tr><th>"Type"</th><th>"SVM"</th><th>"Servers"</th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|km| {
                            let kind = if km.is_onboard() { "onboard" } else { "external" };
                            let svm = km.svm.as_ref().and_then(|s| s.name.clone()).unwrap_or_else(|| "(cluster)".into());
                            let servers = km.external.as_ref().and_then(|e| e.servers.as_ref())
                                .map(|s| s.iter().filter_map(|s| s.server.clone()).collect::<Vec<_>>().join(", "))
                                .unwrap_or_default();
                            view! { <tr data-testid="km-row"><td>{kind}</td><td>{svm}</td><td>{servers}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
