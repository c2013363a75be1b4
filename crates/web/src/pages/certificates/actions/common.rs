//! Pieces the certificate forms share: the SVM picker, the expiry and hash inputs, loading a
//! PEM from a file, a masked text area for keys, and the result of a change.

use leptos::prelude::*;
use leptos::task::spawn_local;
use ontap_core::certificates::{
    expiry::MAX_DAYS, form, Certificate, DEFAULT_EXPIRY_DAYS, HASH_FUNCTIONS,
};
use ontap_core::cluster::{self, Svm};
use ontap_core::envelope::SvmRef;
use ontap_core::{Collection, Query, Violations};
use wasm_bindgen_futures::JsFuture;

use crate::api::Answer;
use crate::session::use_session;
use crate::widgets::ErrorBox;

/// How a masked text area hides what it holds (a PEM key is multi-line, so it cannot be an
/// `<input type=password>`, which drops line breaks).
pub const MASKED: &str =
    "-webkit-text-security: disc; font-family: monospace; display: block; width: 100%;";
/// A text area for a PEM document: on its own line, the form's width.
pub const BLOCK: &str = "font-family: monospace; display: block; width: 100%;";

/// The SVM (by name) a certificate belongs to; empty for the cluster.
#[component]
pub fn SvmSelect(value: RwSignal<String>, testid: &'static str) -> impl IntoView {
    let session = use_session();
    let svms = LocalResource::new(move || async move {
        let query = Query::new().fields(["name", "uuid"]);
        session
            .collect::<Svm>(cluster::list_svms(&query), |_| ())
            .await
    });
    view! {
        <label>"Scope "
            <select data-testid=testid bind:value=value>
                <option value="">"Cluster"</option>
                <For each=move || crate::pages::svm_names(svms.get())
                    key=String::clone let:n>
                    <option value=n.clone()>"SVM "{n.clone()}</option>
                </For>
            </select>
        </label>
        {move || svms.get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
    }
}

/// The SVM reference for a picked name (`None` for the cluster).
pub fn svm_ref(name: &str) -> Option<SvmRef> {
    (!name.is_empty()).then(|| SvmRef {
        name: Some(name.to_owned()),
        ..SvmRef::default()
    })
}

/// An expiry typed in days or picked as a date (1 day to 10 years).
#[derive(Debug, Clone, Copy)]
pub struct ExpiryInput {
    pub by_date: RwSignal<bool>,
    pub text: RwSignal<String>,
}

impl ExpiryInput {
    pub fn new() -> Self {
        ExpiryInput {
            by_date: RwSignal::new(false),
            text: RwSignal::new(DEFAULT_EXPIRY_DAYS.to_string()),
        }
    }

    /// The `expiry_time` to send; `None` leaves ONTAP's default (`P365DT`).
    pub fn value(&self) -> Option<String> {
        let text = self.text.get();
        if text.trim().is_empty() {
            return None;
        }
        Some(if self.by_date.get() {
            form::expiry_on_date(&text)
        } else {
            form::expiry_in_days(&text)
        })
    }
}

/// The expiry inputs: days or date.
#[component]
pub fn ExpiryField(
    input: ExpiryInput,
    prefix: &'static str,
    #[prop(into)] violations: Signal<Violations>,
) -> impl IntoView {
    let ExpiryInput { by_date, text } = input;
    view! {
        <label>"Expires "
            <select data-testid=format!("{prefix}-expiry-mode")
                prop:value=move || if by_date.get() { "date" } else { "days" }
                on:change=move |ev| {
                    let date = event_target_value(&ev) == "date";
                    by_date.set(date);
                    text.set(if date { String::new() } else { DEFAULT_EXPIRY_DAYS.to_string() });
                }>
                <option value="days">"in a number of days"</option>
                <option value="date">"on a date"</option>
            </select>
            " "
            <input data-testid=format!("{prefix}-expiry")
                type=move || if by_date.get() { "date" } else { "number" }
                min="1" max=MAX_DAYS.to_string()
                bind:value=text/>
            <span class="hint">{format!(" 1 day to 10 years ({MAX_DAYS} days)")}</span>
        </label>
        <crate::widgets::FieldErrors violations=violations field="expiry_time"/>
    }
}

/// The hash function (md5 and sha1 are not offered: ONTAP refuses them on POST).
#[component]
pub fn HashSelect(value: RwSignal<String>, testid: &'static str) -> impl IntoView {
    view! {
        <label>"Hash function "
            <select data-testid=testid bind:value=value>
                {HASH_FUNCTIONS.iter().map(|h| view! { <option value=*h>{*h}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A file picker whose text goes to `on_load` (read with the browser's File API; nothing is
/// uploaded).
#[component]
pub fn FileLoad(testid: &'static str, #[prop(into)] on_load: Callback<String>) -> impl IntoView {
    view! {
        <input type="file" data-testid=testid accept=".pem,.crt,.cer,.key,.csr,.txt"
            on:change=move |ev| {
                let input: web_sys::HtmlInputElement = event_target(&ev);
                let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                spawn_local(async move {
                    if let Ok(text) = JsFuture::from(file.text()).await {
                        if let Some(text) = text.as_string() {
                            on_load.run(text);
                        }
                    }
                });
            }/>
    }
}

/// The record ONTAP returned for a POST with `return_records=true`, when it did.
pub fn created_record(answer: &Answer) -> Option<Certificate> {
    serde_json::from_str::<Collection<Certificate>>(&answer.body)
        .ok()
        .and_then(|c| c.records.into_iter().next())
}

/// "Created: name (uuid)" after a successful POST.
#[component]
pub fn Created(record: RwSignal<Option<Certificate>>) -> impl IntoView {
    move || {
        record.get().map(|c| {
            view! {
                <p class="done" data-testid="cert-created" data-uuid=c.uuid.clone().unwrap_or_default()>
                    "The cluster now has "<strong>{c.name.clone().unwrap_or_default()}</strong>
                    {c.type_.as_ref().map(|t| format!(" ({})", t.name()))}"."
                </p>
            }
        })
    }
}

/// A secret PEM (a private key, a client certificate): a masked text area and a file picker.
#[component]
pub fn SecretPem(
    label: &'static str,
    testid: &'static str,
    file_testid: &'static str,
    value: RwSignal<ontap_core::Secret>,
) -> impl IntoView {
    use ontap_core::Secret;
    view! {
        <label>{label}" "
            <textarea data-testid=testid rows="4" spellcheck="false" autocomplete="off"
                style=MASKED
                prop:value=move || value.with(|s| s.expose().to_owned())
                on:input=move |ev| value.set(Secret::new(event_target_value(&ev)))></textarea>
        </label>
        <p>"or load it from a file: "
            <FileLoad testid=file_testid on_load=move |t: String| value.set(Secret::new(t))/></p>
    }
}

/// Opens the preview of the POST that creates `cert` ("VERB a TYPE certificate"), forgetting
/// the record an earlier creation showed.
pub fn preview_creation(
    cert: &Certificate,
    verb: &str,
    created: RwSignal<Option<Certificate>>,
    change: RwSignal<Option<crate::flow::Change>>,
) {
    let Ok(request) = ontap_core::certificates::create(cert, crate::browser::now()) else {
        return;
    };
    let what = cert
        .type_
        .as_ref()
        .map(|t| t.name().to_owned())
        .unwrap_or_default();
    created.set(None);
    change.set(Some(crate::flow::Change::new(
        format!("{verb} a {what} certificate"),
        request,
    )));
}

/// What a creation form does once the cluster answered: shows the new record and lets the
/// list read again.
pub fn on_created(
    created: RwSignal<Option<Certificate>>,
    on_changed: Callback<()>,
) -> impl Fn(Option<Answer>) + Copy + 'static {
    move |answer: Option<Answer>| {
        if let Some(a) = answer {
            created.set(created_record(&a));
            on_changed.run(());
        }
    }
}

/// Where a certificate lives, as the forms name it: "SVM vs0" or "cluster".
pub fn scope_name(c: &Certificate) -> String {
    c.svm
        .as_ref()
        .and_then(|s| s.name.clone())
        .map(|s| format!("SVM {s}"))
        .unwrap_or_else(|| "cluster".into())
}

/// A choice of one of `certificates` by UUID into `chosen` (empty: none chosen yet), each
/// named by `name`.
#[component]
pub fn CertificateSelect(
    label: &'static str,
    testid: &'static str,
    certificates: Vec<Certificate>,
    chosen: RwSignal<String>,
    name: fn(&Certificate) -> String,
) -> impl IntoView {
    view! {
        <label>{label}" "
            <select data-testid=testid bind:value=chosen>
                <option value="">"(choose)"</option>
                <For each=move || certificates.clone() key=|c| c.uuid.clone() let:c>
                    <option value=c.uuid.clone().unwrap_or_default()>{name(&c)}</option>
                </For>
            </select>
        </label>
    }
}
