//! One certificate (`/certificates/:uuid`, a deep link that survives a reload): everything the
//! cluster returns for it, and what its PEM says, decoded in the browser by core's x509 module.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use ontap_core::certificates::listing::describe_expiry;
use ontap_core::certificates::{self, Certificate, SubjectAlternatives};
use ontap_core::x509::{self, CertificateInfo};
use ontap_core::Query;

use super::actions::DeleteCertificate;
use crate::session::use_session;
use crate::widgets::{default_loading, read_view_with};

#[component]
pub fn CertificateDetailPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let uuid = move || params.read().get("uuid").unwrap_or_default();
    let record = LocalResource::new(move || {
        let uuid = uuid();
        async move {
            session
                .call::<Certificate>(&certificates::get(&uuid, &Query::new().fields(["**"])))
                .await
        }
    });
    let navigate = use_navigate();
    let on_deleted = Callback::new(move |()| navigate("/certificates", Default::default()));
    view! {
        <p><a href=crate::site::href("/certificates") data-testid="cert-back">"← All certificates"</a></p>
        {move || read_view_with(record.get(), default_loading, None, |cert| {
            view! { <Detail cert=cert on_deleted=on_deleted/> }.into_any()
        })}
    }
}

fn sans_text(sans: &SubjectAlternatives) -> String {
    let mut parts = Vec::new();
    for (kind, list) in [
        ("DNS", &sans.dns),
        ("IP", &sans.ip),
        ("email", &sans.email),
        ("URI", &sans.uri),
    ] {
        for value in list.iter().flatten() {
            parts.push(format!("{kind}:{value}"));
        }
    }
    parts.join(", ")
}

#[component]
fn Detail(cert: Certificate, on_deleted: Callback<()>) -> impl IntoView {
    let now = crate::browser::now();
    let name = cert.name.clone().unwrap_or_default();
    let pem = cert.public_certificate.clone();
    let decoded = pem.as_deref().map(x509::inspect_certificate);
    let field = |label: &'static str, id: &'static str, value: Option<String>| {
        value.map(|v| {
            view! { <dt>{label}</dt><dd data-testid=format!("detail-{id}")>{v}</dd> }
        })
    };
    let svm = cert.svm.as_ref().and_then(|s| s.name.clone());
    let expiry = cert.expiry().map(|e| {
        format!(
            "{} ({})",
            cert.expiry_time.clone().unwrap_or_default(),
            describe_expiry(e, now)
        )
    });
    // Fields newer ONTAP releases add, shown as JSON with any secret among them masked.
    let extra = (!cert.extra.is_empty()).then(|| {
        let mut fields = serde_json::to_value(&cert.extra).unwrap_or_default();
        ontap_core::secret::mask_secrets(&mut fields);
        serde_json::to_string_pretty(&fields).unwrap_or_default()
    });
    let intermediates = cert.intermediate_certificates.clone().unwrap_or_default();
    let download = {
        let pem = pem.clone();
        let file = format!("{}.pem", safe_file_name(&name));
        move |_| {
            if let Some(pem) = &pem {
                crate::browser::download(&file, "application/x-pem-file", pem);
            }
        }
    };
    view! {
        <h1 data-testid="detail-title">{name.clone()}</h1>
        <div class="toolbar">
            <button type="button" data-testid="cert-download" disabled=pem.is_none() on:click=download>
                "Download certificate (PEM)"
            </button>
            <DeleteCertificate certificate=cert.clone() on_changed=on_deleted/>
        </div>
        <section class="card" data-testid="detail-ontap">
            <h2>"What the cluster says"</h2>
            <dl>
                {field("Name", "name", cert.name.clone())}
                {field("UUID", "uuid", cert.uuid.clone())}
                {field("Type", "type", cert.type_.as_ref().map(|t| t.name().to_owned()))}
                {field("Scope", "scope", cert.scope.as_ref().map(|s| format!("{s:?}").to_lowercase()))}
                {field("SVM", "svm", svm)}
                {field("Common name", "common-name", cert.common_name.clone())}
                {field("Certificate authority", "ca", cert.ca.clone())}
                {field("Serial number", "serial", cert.serial_number.clone())}
                {field("Key size", "key-size", cert.key_size.map(|k| format!("{k} bits")))}
                {field("Hash function", "hash", cert.hash_function.clone())}
                {field("Expires", "expiry", expiry)}
                {field("Subject alternative names", "sans", cert.subject_alternatives.as_ref().map(sans_text).filter(|s| !s.is_empty()))}
                {field("Subject key identifier", "ski", cert.subject_key_identifier.clone())}
                {field("Authority key identifier", "aki", cert.authority_key_identifier.clone())}
                {field("Intermediate certificates", "intermediates", (!intermediates.is_empty()).then(|| intermediates.len().to_string()))}
            </dl>
            {extra.map(|e| view! { <h3>"Other fields"</h3><pre data-testid="detail-extra">{e}</pre> })}
        </section>
        {match decoded {
            None => view! { <p class="hint" data-testid="x509-none">"The cluster returned no PEM for this certificate."</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error-box" data-testid="x509-error">{format!("The PEM could not be decoded: {e}.")}</p> }.into_any(),
            Some(Ok(info)) => view! { <Decoded info=info now=now/> }.into_any(),
        }}
        {pem.map(|p| view! {
            <details class="card">
                <summary>"PEM"</summary>
                <pre data-testid="detail-pem">{p}</pre>
            </details>
        })}
    }
}

#[component]
fn Decoded(info: CertificateInfo, now: jiff::Timestamp) -> impl IntoView {
    let row = |label: &'static str, id: &'static str, value: String| {
        view! { <dt>{label}</dt><dd data-testid=format!("x509-{id}")>{value}</dd> }
    };
    let when = super::date_time;
    let validity = if info.is_valid_at(now) {
        "valid now"
    } else if info.not_after < now {
        "expired"
    } else {
        "not valid yet"
    };
    view! {
        <section class="card" data-testid="detail-x509">
            <h2>"What the certificate says (decoded in the browser)"</h2>
            <dl>
                {row("Subject", "subject", info.subject.clone())}
                {row("Issuer", "issuer", info.issuer.clone())}
                {row("Self-signed", "self-signed", if info.self_signed { "yes" } else { "no" }.to_owned())}
                {row("Certificate authority", "is-ca", if info.is_ca { "yes" } else { "no" }.to_owned())}
                {row("Subject alternative names", "sans", sans_text(&info.subject_alternatives))}
                {row("Valid from", "not-before", when(info.not_before))}
                {row("Valid until", "not-after", format!("{} ({}, {})", when(info.not_after), describe_expiry(info.not_after, now), validity))}
                {row("Key", "key", format!("{} {} bits", info.key_algorithm, info.key_size))}
                {row("Signature hash", "hash", info.hash_function.clone().unwrap_or_else(|| "(none)".into()))}
                {row("Serial number", "serial", info.serial_number.clone())}
                {row("Subject key identifier", "ski", info.subject_key_identifier.clone().unwrap_or_else(|| "(none)".into()))}
                {row("Authority key identifier", "aki", info.authority_key_identifier.clone().unwrap_or_else(|| "(none)".into()))}
                {row("SHA-256 fingerprint", "fingerprint", info.sha256_fingerprint.clone())}
            </dl>
        </section>
    }
}

/// A file name from a certificate name: letters, digits, dot, dash and underscore.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "certificate".into()
    } else {
        cleaned
    }
}
