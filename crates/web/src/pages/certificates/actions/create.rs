//! Create a self-signed certificate (server, client) or a local root CA.

use leptos::prelude::*;
use ontap_core::certificates::{
    form, validate_post, Certificate, CertificateType, DEFAULT_HASH_FUNCTION, DEFAULT_KEY_SIZE,
    KEY_SIZES, MIN_CREATE_KEY_SIZE,
};

use super::common::{svm_ref, Created, ExpiryField, ExpiryInput, HashSelect, SvmSelect, BLOCK};
use crate::browser::now;
use crate::flow::{Change, ChangeDialog};
use crate::widgets::{FieldErrors, ReviewButton};

/// The known type with this ONTAP name.
pub fn cert_type(name: &str) -> CertificateType {
    CertificateType::ALL
        .iter()
        .find(|t| t.name() == name)
        .cloned()
        .unwrap_or_else(|| CertificateType::Other(name.to_owned()))
}

/// The types this form creates.
pub const CREATABLE: [&str; 3] = ["server", "client", "root_ca"];

/// What the form starts with when it replaces a certificate (core's replacement prefill).
#[derive(Debug, Clone, PartialEq)]
pub struct Initial {
    pub type_: String,
    pub common_name: String,
    /// The SVM's name, "" at cluster scope.
    pub svm: String,
    pub key_size: u32,
    pub hash_function: String,
}

#[component]
pub fn CreateForm(
    on_changed: Callback<()>,
    #[prop(default = None)] initial: Option<Initial>,
) -> impl IntoView {
    let start = initial.unwrap_or_else(|| Initial {
        type_: "server".to_owned(),
        common_name: String::new(),
        svm: String::new(),
        key_size: DEFAULT_KEY_SIZE,
        hash_function: DEFAULT_HASH_FUNCTION.to_owned(),
    });
    let ty = RwSignal::new(start.type_);
    let name = RwSignal::new(String::new());
    let common_name = RwSignal::new(start.common_name);
    let svm = RwSignal::new(start.svm);
    // The select's text, bound; the number sent is derived from it.
    let key_size_text = RwSignal::new(start.key_size.to_string());
    let key_size = move || key_size_text.with(|t| t.parse().unwrap_or(DEFAULT_KEY_SIZE));
    let hash = RwSignal::new(start.hash_function);
    let expiry = ExpiryInput::new();
    let sans = RwSignal::new(String::new());
    let change = RwSignal::new(None::<Change>);
    let created = RwSignal::new(None::<Certificate>);

    let body = Memo::new(move |_| Certificate {
        type_: Some(cert_type(&ty.get())),
        name: Some(name.get().trim().to_owned()).filter(|n| !n.is_empty()),
        common_name: Some(common_name.get().trim().to_owned()),
        svm: svm_ref(&svm.get()),
        key_size: Some(key_size()),
        hash_function: Some(hash.get()),
        expiry_time: expiry.value(),
        subject_alternatives: form::parse_alternatives(&sans.get()),
        ..Certificate::default()
    });
    let violations =
        Memo::new(move |_| body.with(|b| validate_post(b, now()).err().unwrap_or_default()));
    let v = Signal::derive(move || violations.get());
    let review = move |_| {
        super::common::preview_creation(
            &body.get_untracked(),
            "Create a self-signed",
            created,
            change,
        )
    };
    let on_finished = super::common::on_created(created, on_changed);
    view! {
        <h2>"Create a self-signed certificate"</h2>
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            <label>"Type "
                <select data-testid="create-type" bind:value=ty>
                    <option value="server">"server"</option>
                    <option value="client">"client"</option>
                    <option value="root_ca">"root_ca (a local CA that signs CSRs)"</option>
                </select>
            </label>
            <FieldErrors violations=v field="type"/>
            <label>"Common name "
                <input data-testid="create-common-name" placeholder="host.example.com"
                    bind:value=common_name/>
            </label>
            <FieldErrors violations=v field="common_name"/>
            <label>"Name (optional) "
                <input data-testid="create-name" bind:value=name/>
            </label>
            <SvmSelect value=svm testid="create-svm"/>
            <FieldErrors violations=v field="svm"/>
            <label>"Key size "
                <select data-testid="create-key-size" bind:value=key_size_text>
                    {KEY_SIZES.iter().filter(|s| **s >= MIN_CREATE_KEY_SIZE).map(|s| view! {
                        <option value=s.to_string()>{format!("{s} bits")}</option>
                    }).collect_view()}
                </select>
            </label>
            <FieldErrors violations=v field="key_size"/>
            <HashSelect value=hash testid="create-hash"/>
            <FieldErrors violations=v field="hash_function"/>
            <ExpiryField input=expiry prefix="create" violations=v/>
            <label>"Subject alternative names (one per line: DNS names, IP addresses, e-mail addresses, URIs) "
                <textarea style=BLOCK data-testid="create-sans" rows="3" bind:value=sans></textarea>
            </label>
            <FieldErrors violations=v field="subject_alternatives"/>
            <ReviewButton testid="create-review" violations=v on_review=review/>
            <Created record=created/>
        </form>
        <ChangeDialog change=change on_finished=on_finished/>
    }
}
