//! Generate a certificate signing request and its private key on the cluster; show both and
//! offer them as downloads. The key is masked until the admin asks to see it.

use leptos::prelude::*;
use ontap_core::certificates::{
    self, csr_key_bits, form, validate_csr, CsrRequest, CsrResponse, CSR_ALGORITHMS,
    CSR_DEFAULT_STRENGTH, DEFAULT_HASH_FUNCTION, EXTENDED_KEY_USAGES, KEY_USAGES,
    SECURITY_STRENGTHS,
};
use ontap_core::envelope::IntOrString;
use ontap_core::Secret;

use super::common::{HashSelect, BLOCK, MASKED};
use crate::browser::{copy_to_clipboard, download};
use crate::flow::{Change, ChangeDialog};
use crate::widgets::{FieldErrors, ReviewButton};

/// What the cluster generated.
#[derive(Debug, Clone, PartialEq)]
struct Generated {
    csr: String,
    key: Secret,
}

#[component]
fn Usages(
    list: &'static [&'static str],
    chosen: RwSignal<Vec<String>>,
    prefix: &'static str,
) -> impl IntoView {
    list.iter()
        .map(|u| {
            let u = *u;
            view! {
                <label class="inline">
                    <input type="checkbox" data-testid=format!("{prefix}-{u}")
                        prop:checked=move || chosen.with(|c| c.iter().any(|x| x == u))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| x != u);
                                if on {
                                    c.push(u.to_owned());
                                    c.sort_by_key(|x| list.iter().position(|k| k == x));
                                }
                            });
                        }/>
                    " "{u}
                </label>
            }
        })
        .collect_view()
}

#[component]
pub fn CsrForm() -> impl IntoView {
    let subject = RwSignal::new(String::new());
    let sans = RwSignal::new(String::new());
    let algorithm = RwSignal::new(ontap_core::certificates::CSR_DEFAULT_ALGORITHM.to_owned());
    // The select's text, bound; the number sent is derived from it.
    let strength_text = RwSignal::new(CSR_DEFAULT_STRENGTH.to_string());
    let strength = move || strength_text.with(|t| t.parse().unwrap_or(CSR_DEFAULT_STRENGTH));
    let hash = RwSignal::new(DEFAULT_HASH_FUNCTION.to_owned());
    let usages = RwSignal::new(vec![
        "digitalsignature".to_owned(),
        "keyencipherment".to_owned(),
    ]);
    let extended = RwSignal::new(vec!["serverauth".to_owned()]);
    let change = RwSignal::new(None::<Change>);
    let generated = RwSignal::new(None::<Generated>);
    let reveal = RwSignal::new(false);

    let body = Memo::new(move |_| CsrRequest {
        subject_name: Some(subject.get().trim().to_owned()),
        algorithm: Some(algorithm.get()),
        security_strength: Some(IntOrString::Int(strength())),
        hash_function: Some(hash.get()),
        key_usage: Some(usages.get()).filter(|u| !u.is_empty()),
        extended_key_usage: Some(extended.get()).filter(|u| !u.is_empty()),
        subject_alternatives: form::parse_alternatives(&sans.get()),
        ..CsrRequest::default()
    });
    let violations = Memo::new(move |_| body.with(|b| validate_csr(b).err().unwrap_or_default()));
    let v = Signal::derive(move || violations.get());
    let review = move |_| {
        if let Ok(request) = certificates::generate_csr(&body.get_untracked()) {
            generated.set(None);
            reveal.set(false);
            change.set(Some(Change::new(
                "Generate a certificate signing request",
                request,
            )));
        }
    };
    let bits = move || {
        csr_key_bits(&algorithm.get(), strength())
            .map(|b| format!(" ({} {b}-bit key)", algorithm.get().to_uppercase()))
            .unwrap_or_default()
    };
    let on_finished = move |answer: Option<crate::api::Answer>| {
        let parsed = answer.and_then(|a| serde_json::from_str::<CsrResponse>(&a.body).ok());
        if let Some(CsrResponse {
            csr: Some(csr),
            generated_private_key,
            ..
        }) = parsed
        {
            generated.set(Some(Generated {
                csr,
                key: generated_private_key.unwrap_or_default(),
            }));
        }
    };
    view! {
        <h2>"Generate a certificate signing request"</h2>
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            <label>"Subject "
                <input data-testid="csr-subject" placeholder="C=US,O=Example,CN=host.example.com"
                    bind:value=subject/>
            </label>
            <FieldErrors violations=v field="subject_name"/>
            <label>"Subject alternative names (one per line) "
                <textarea style=BLOCK data-testid="csr-sans" rows="3" bind:value=sans></textarea>
            </label>
            <label>"Algorithm "
                <select data-testid="csr-algorithm" bind:value=algorithm>
                    {CSR_ALGORITHMS.iter().map(|a| view! { <option value=*a>{*a}</option> }).collect_view()}
                </select>
            </label>
            <FieldErrors violations=v field="algorithm"/>
            <label>"Security strength "
                <select data-testid="csr-strength" bind:value=strength_text>
                    {SECURITY_STRENGTHS.iter().map(|s| view! { <option value=s.to_string()>{format!("{s} bits")}</option> }).collect_view()}
                </select>
                <span class="hint" data-testid="csr-key-bits">{bits}</span>
            </label>
            <FieldErrors violations=v field="security_strength"/>
            <HashSelect value=hash testid="csr-hash"/>
            <FieldErrors violations=v field="hash_function"/>
            <fieldset>
                <legend>"Key usage"</legend>
                <Usages list=&KEY_USAGES chosen=usages prefix="csr-usage"/>
            </fieldset>
            <FieldErrors violations=v field="key_usage"/>
            <fieldset>
                <legend>"Extended key usage"</legend>
                <Usages list=&EXTENDED_KEY_USAGES chosen=extended prefix="csr-eku"/>
            </fieldset>
            <FieldErrors violations=v field="extended_key_usage"/>
            <ReviewButton testid="csr-review" violations=v on_review=review/>
        </form>
        {move || generated.get().map(|g| {
            let info = ontap_core::x509::inspect_csr(&g.csr).ok();
            let csr = StoredValue::new(g.csr.clone());
            let key = StoredValue::new(g.key.clone());
            view! {
                <div class="card" data-testid="csr-done">
                    <h3>"Certificate signing request"</h3>
                    {info.map(|i| view! {
                        <p data-testid="csr-result-subject">{format!("{} — {} {} bits", i.subject, i.key_algorithm, i.key_size)}</p>
                    })}
                    <textarea style=BLOCK data-testid="csr-result" rows="8" readonly spellcheck="false" prop:value=g.csr.clone()></textarea>
                    <div class="actions">
                        <button type="button" data-testid="csr-download"
                            on:click=move |_| download("request.csr", "application/pkcs10", &csr.get_value())>"Download CSR"</button>
                        <button type="button" data-testid="csr-copy"
                            on:click=move |_| copy_to_clipboard(&csr.get_value())>"Copy CSR"</button>
                    </div>
                    <h3>"Private key"</h3>
                    <p class="warning">"The cluster does not keep this key: download it now and store it safely. \
                        It is needed to install the certificate once the CA has signed the request."</p>
                    <textarea data-testid="csr-key" rows="6" readonly spellcheck="false"
                        style=move || if reveal.get() { BLOCK } else { MASKED }
                        prop:value=g.key.expose().to_owned()></textarea>
                    <label>
                        <input type="checkbox" data-testid="csr-key-reveal" bind:checked=reveal/>
                        " Show the key"
                    </label>
                    <div class="actions">
                        <button type="button" data-testid="csr-key-download"
                            on:click=move |_| key.with_value(|k| download("private-key.pem", "application/x-pem-file", k.expose()))>"Download key"</button>
                    </div>
                </div>
            }
        })}
        <ChangeDialog change=change on_finished=on_finished/>
    }
}
