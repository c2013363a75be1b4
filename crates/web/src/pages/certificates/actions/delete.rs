//! Delete a certificate: a confirmation that names it and says which key manager uses it (the
//! cluster refuses those with 3735683, shown with its code when it does).

use leptos::prelude::*;
use leptos::task::spawn_local;
use ontap_core::certificates::{self, Certificate};
use ontap_core::key_managers::{self, certificate_users, KeyManager};
use ontap_core::Query;

use super::common::CertificateSelect;
use crate::flow::{Change, ChangeDialog};
use crate::session::use_session;
use crate::widgets::{default_loading, read_view_with};

/// "name (server, SVM vs0)".
fn describe(c: &Certificate) -> String {
    let ty = c
        .type_
        .as_ref()
        .map(|t| t.name().to_owned())
        .unwrap_or_default();
    let scope = super::common::scope_name(c);
    format!("{} ({ty}, {scope})", c.name.clone().unwrap_or_default())
}

/// Deletes `certificate` after a confirmation that names it.
#[component]
pub fn DeleteCertificate(
    certificate: Certificate,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let change = RwSignal::new(None::<Change>);
    let checking = RwSignal::new(false);
    let deleted = RwSignal::new(false);
    let certificate = StoredValue::new(certificate);
    let open = move |_| {
        let cert = certificate.get_value();
        let Some(uuid) = cert.uuid.clone() else {
            return;
        };
        checking.set(true);
        spawn_local(async move {
            let query = Query::new().fields(key_managers::CERTIFICATE_FIELDS.iter().copied());
            let managers = session
                .collect::<KeyManager>(key_managers::list(&query), |_| ())
                .await;
            let name = describe(&cert);
            let mut sentences = vec![format!(
                "The certificate {name} is deleted from the cluster; this cannot be undone."
            )];
            match managers {
                Ok(list) => {
                    sentences.extend(certificate_users(&list, &uuid).into_iter().map(|user| {
                        format!(
                        "It is used by {user}: the cluster refuses to delete it (ONTAP error {}) \
                         until the key manager no longer uses it.",
                        ontap_core::catalog::codes::CERTIFICATE_IN_USE_BY_KEY_MANAGER
                    )
                    }))
                }
                Err(e) => sentences.push(format!(
                    "Whether a key manager uses it could not be checked: {}",
                    e.message()
                )),
            }
            checking.try_set(false);
            change.try_set(Some(
                Change::new(
                    format!("Delete certificate {name}"),
                    certificates::delete(&uuid),
                )
                .destructive(sentences),
            ));
        });
    };
    let on_finished = move |answer: Option<crate::api::Answer>| {
        if answer.is_some() {
            deleted.set(true);
            on_changed.run(());
        }
    };
    view! {
        <button type="button" class="danger" data-testid="cert-delete"
            disabled=move || checking.get() || deleted.get()
            on:click=open>{move || if checking.get() { "Checking…" } else { "Delete…" }}</button>
        <Show when=move || deleted.get()>
            <span data-testid="cert-deleted">" Deleted."</span>
        </Show>
        <ChangeDialog change=change on_finished=on_finished/>
    }
}

/// The toolbar's delete: pick a certificate, then delete it.
#[component]
pub fn DeletePicker(on_changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move {
        let query = Query::new().fields(certificates::LIST_FIELDS.iter().copied());
        session
            .collect::<Certificate>(certificates::list(&query), |_| ())
            .await
    });
    let picked = RwSignal::new(String::new());
    // The list is not read again after a delete, so that the dialog of the delete stays up
    // with its result; the page's own list is re-read through `on_changed`.
    let chosen = Memo::new(move |_| {
        let uuid = picked.get();
        list.get().and_then(Result::ok).and_then(|items| {
            items
                .into_iter()
                .find(|c| c.uuid.as_deref() == Some(uuid.as_str()))
        })
    });
    view! {
        <h2>"Delete a certificate"</h2>
        {move || read_view_with(list.get(), default_loading, None, |items| view! {
            <CertificateSelect label="Certificate" testid="delete-pick" certificates=items
                chosen=picked name=describe/>
        }.into_any())}
        " "
        {move || chosen.get().map(|c| view! { <DeleteCertificate certificate=c on_changed=on_changed/> })}
    }
}
