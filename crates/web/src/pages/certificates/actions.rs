//! What an admin does to certificates: create a self-signed one, install one, download one
//! from Azure Key Vault, generate a CSR, sign a CSR with a local root CA, delete. Each form
//! builds its body with core on every keystroke, shows what core refuses next to the field, and
//! sends only through [`crate::flow`]'s preview (secrets masked), following any job.

mod azure;
mod common;
mod create;
mod csr;
mod delete;
mod install;
mod sign;

use leptos::prelude::*;
use ontap_core::audit::Prefill;

pub use delete::DeleteCertificate;

/// The forms the toolbar opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Install,
    Azure,
    Csr,
    Sign,
    Delete,
}

impl Action {
    const ALL: [Action; 6] = [
        Action::Create,
        Action::Install,
        Action::Azure,
        Action::Csr,
        Action::Sign,
        Action::Delete,
    ];

    fn id(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Install => "install",
            Action::Azure => "azure",
            Action::Csr => "csr",
            Action::Sign => "sign",
            Action::Delete => "delete",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Action::Create => "Create self-signed…",
            Action::Install => "Install…",
            Action::Azure => "Download from Azure Key Vault…",
            Action::Csr => "Generate CSR…",
            Action::Sign => "Sign a CSR…",
            Action::Delete => "Delete…",
        }
    }
}

/// The toolbar above the certificate list: one button per action, each opening its form.
/// `on_changed` runs after a change the cluster accepted, so that the list is read again.
#[component]
pub fn CertificateActions(
    #[prop(into)] on_changed: Callback<()>,
    /// A form opened from the posture page (a replacement certificate): the create form
    /// opens with it.
    #[prop(default = None)]
    prefill: Option<Prefill>,
) -> impl IntoView {
    let replacement = match prefill {
        Some(Prefill::ReplaceCertificate {
            common_name,
            svm,
            type_,
            key_size,
            hash_function,
            ..
        }) if create::CREATABLE.contains(&type_.name()) => Some(create::Initial {
            type_: type_.name().to_owned(),
            common_name,
            svm: svm.unwrap_or_default(),
            key_size,
            hash_function,
        }),
        _ => None,
    };
    let open = RwSignal::new(replacement.is_some().then_some(Action::Create));
    let replacement = StoredValue::new(replacement);
    let close = Callback::new(move |()| open.set(None));
    view! {
        <div class="toolbar" data-testid="cert-actions" role="toolbar" aria-label="Certificate actions">
            {Action::ALL.into_iter().map(|a| view! {
                <button type="button" data-testid=format!("cert-action-{}", a.id())
                    class:active=move || open.get() == Some(a)
                    on:click=move |_| open.set(Some(a))>{a.label()}</button>
            }).collect_view()}
        </div>
        {move || open.get().map(|a| {
            let form = match a {
                Action::Create => view! {
                    <create::CreateForm on_changed=on_changed initial=replacement.get_value()/>
                }.into_any(),
                Action::Install => view! { <install::InstallForm on_changed=on_changed/> }.into_any(),
                Action::Azure => view! { <azure::AzureForm on_changed=on_changed/> }.into_any(),
                Action::Csr => view! { <csr::CsrForm/> }.into_any(),
                Action::Sign => view! { <sign::SignForm/> }.into_any(),
                Action::Delete => view! { <delete::DeletePicker on_changed=on_changed/> }.into_any(),
            };
            view! {
                <section class="card cert-form" data-testid=format!("cert-form-{}", a.id())>
                    <div class="actions">
                        <button type="button" data-testid="cert-form-close"
                            on:click=move |_| close.run(())>"Close"</button>
                    </div>
                    {form}
                </section>
            }
        })}
    }
}
