//! Certificates (`/api/security/certificates`): every installed certificate with its type,
//! scope and expiry.

pub mod actions;

use leptos::prelude::*;
use ontap_core::certificates::{self, Certificate};
use ontap_core::Query;

use crate::session::use_session;
use crate::widgets::{Empty, ErrorBox, Loading};

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move {
        let query = Query::new().fields(certificates::LIST_FIELDS.iter().copied());
        session
            .collect::<Certificate>(certificates::list(&query), |_| ())
            .await
    });
    view! {
        <h1>"Certificates"</h1>
        <actions::CertificateActions on_changed=move |()| list.refetch()/>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
            Some(Ok(items)) if items.is_empty() => {
                view! { <Empty message="No certificate is installed."/> }.into_any()
            }
            Some(Ok(items)) => view! {
                <table class="list" data-testid="cert-table">
                    <thead><tr><th>"Name"</th><th>"Type"</th><th>"SVM"</th><th>"Common name"</th><th>"Expires"</th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|c| {
                            let svm = c.svm.as_ref().and_then(|s| s.name.clone()).unwrap_or_else(|| "(cluster)".into());
                            view! {
                                <tr data-testid="cert-row">
                                    <td>{c.name.clone()}</td>
                                    <td>{c.type_.as_ref().map(|t| t.name().to_owned())}</td>
                                    <td>{svm}</td>
                                    <td>{c.common_name.clone()}</td>
                                    <td>{c.expiry_time.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
