//! Cluster security (`/api/security`): FIPS 140 mode, TLS versions (chosen as a floor) and
//! cipher suites, rsh and telnet, software data-at-rest encryption, and whether the Onboard Key
//! Manager can be configured. The form edits a [`Draft`]; core turns it into a PATCH and checks
//! it against the cluster's current configuration on every keystroke.

use leptos::prelude::*;
use ontap_core::certificates::{self, listing::fips_blockers, Certificate};
use ontap_core::key_managers::{self, KeyManager};
use ontap_core::security::tls::{
    suite_fits_versions, suite_traits, versions_from_floor, SuitePreset, TlsVersion, CIPHER_SUITES,
};
use ontap_core::security::{
    self, lowering_changes, validate_patch_against, validate_patch_for_release,
    ManagementProtocols, SecurityConfig, SoftwareDataEncryption, Tls,
};
use ontap_core::{Query, Violations};

use crate::api::CallError;
use crate::flow::{Change, ChangeDialog};
use crate::session::use_session;
use crate::widgets::{loading, read_view, read_view_with, Checkbox, FieldErrors, ViolationList};

/// What the form holds: the settings as the admin wants them.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub fips: bool,
    pub floor: Option<TlsVersion>,
    /// Selected suites, in the reference's order.
    pub suites: Vec<String>,
    pub rsh: bool,
    pub telnet: bool,
    pub disabled_by_default: bool,
    pub start_conversion: bool,
    pub start_rekey: bool,
}

impl Draft {
    /// The form as the cluster has it now.
    pub fn from_current(current: &SecurityConfig) -> Self {
        let tls = current.tls.clone().unwrap_or_default();
        let protocols = current.management_protocols.clone().unwrap_or_default();
        let sde = current.software_data_encryption.clone().unwrap_or_default();
        Draft {
            fips: current.fips_enabled().unwrap_or(false),
            floor: tls.floor(),
            suites: tls.cipher_suites.unwrap_or_default(),
            rsh: protocols.rsh_enabled.unwrap_or(false),
            telnet: protocols.telnet_enabled.unwrap_or(false),
            disabled_by_default: sde.disabled_by_default.unwrap_or(false),
            start_conversion: false,
            start_rekey: false,
        }
    }

    /// The PATCH body: only what differs from `current`.
    pub fn change(&self, current: &SecurityConfig) -> SecurityConfig {
        let now = Draft::from_current(current);
        let mut change = SecurityConfig::default();
        if self.fips != now.fips {
            change.fips = Some(security::Fips {
                enabled: Some(self.fips),
                ..Default::default()
            });
        }
        let floor_changed = self.floor != now.floor;
        let suites_changed = !same_set(&self.suites, &now.suites);
        if floor_changed || suites_changed {
            change.tls = Some(Tls {
                protocol_versions: floor_changed.then(|| {
                    self.floor
                        .map(versions_from_floor)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|v| v.name().to_owned())
                        .collect()
                }),
                cipher_suites: suites_changed.then(|| self.suites.clone()),
                ..Default::default()
            });
        }
        if self.rsh != now.rsh || self.telnet != now.telnet {
            change.management_protocols = Some(ManagementProtocols {
                rsh_enabled: (self.rsh != now.rsh).then_some(self.rsh),
                telnet_enabled: (self.telnet != now.telnet).then_some(self.telnet),
                ..Default::default()
            });
        }
        let dbd_changed = self.disabled_by_default != now.disabled_by_default;
        if dbd_changed || self.start_conversion || self.start_rekey {
            change.software_data_encryption = Some(SoftwareDataEncryption {
                disabled_by_default: dbd_changed.then_some(self.disabled_by_default),
                conversion_enabled: self.start_conversion.then_some(true),
                rekey: self.start_rekey.then_some(true),
                ..Default::default()
            });
        }
        change
    }

    /// Whether the draft sets "disabled by default" in this change (it then excludes starting
    /// a conversion or a rekey: ONTAP errors 196608388 and 196608391).
    fn disables_by_default(&self, current: &SecurityConfig) -> bool {
        self.disabled_by_default && !Draft::from_current(current).disabled_by_default
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Whether a PATCH body changes anything.
fn is_empty(change: &SecurityConfig) -> bool {
    change.fips.is_none()
        && change.tls.is_none()
        && change.management_protocols.is_none()
        && change.software_data_encryption.is_none()
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    let session = use_session();
    // Which read of the cluster the form shows (`data-read`), so that a reader of the page
    // can tell the re-read after a change from the form it replaced.
    let reads = StoredValue::new(0u32);
    let record = LocalResource::new(move || async move {
        let answer = session
            .call::<SecurityConfig>(&security::get(&Query::new().fields(["*"])))
            .await;
        reads.update_value(|n| *n += 1);
        (reads.get_value(), answer)
    });
    let change = RwSignal::new(None::<Change>);
    // Re-read only after a change went through: after a failure the page keeps what the user
    // chose, to be sent again.
    let after_change = move |done: Option<crate::api::Answer>| {
        if done.is_some() {
            record.refetch();
        }
    };
    view! {
        <h1>"Cluster security"</h1>
        {move || {
            let (read, answer) = record.get().unzip();
            read_view(answer, Callback::new(move |()| record.refetch()), |current| view! {
                <div data-testid="security-read" data-read=read>
                    <SecurityForm current=current change=change/>
                </div>
            }.into_any())
        }}
        <ChangeDialog change=change on_finished=after_change/>
    }
}

/// A certificate that FIPS mode cannot use, and why.
#[derive(Debug, Clone, PartialEq)]
struct WeakCertificate {
    /// The list's key: names repeat across SVMs.
    uuid: String,
    name: String,
    problems: Vec<String>,
}

/// The certificates the cluster uses (client and server ones, and any a key manager refers to)
/// that FIPS mode refuses, judged by core's rule, the one the cluster applies.
async fn weak_certificates(
    session: crate::session::Session,
) -> Result<Vec<WeakCertificate>, CallError> {
    let query = Query::new().fields(["uuid", "name", "type", "svm.name", "public_certificate"]);
    let certs: Vec<Certificate> = session.collect(certificates::list(&query), |_| ()).await?;
    let query = Query::new().fields([
        "uuid",
        "external.client_certificate.uuid",
        "external.server_ca_certificates.uuid",
    ]);
    let managers: Vec<KeyManager> = session.collect(key_managers::list(&query), |_| ()).await?;
    Ok(certs
        .into_iter()
        .filter_map(|c| {
            let problems: Vec<String> = fips_blockers(&c, &managers)
                .iter()
                .map(ToString::to_string)
                .collect();
            if problems.is_empty() {
                return None;
            }
            let svm = c.svm.as_ref().and_then(|s| s.name.clone());
            let name = c.name.unwrap_or_default();
            Some(WeakCertificate {
                uuid: c.uuid.unwrap_or_default(),
                name: match svm {
                    Some(svm) => format!("{name} ({svm})"),
                    None => name,
                },
                problems,
            })
        })
        .collect())
}

#[component]
fn SecurityForm(current: SecurityConfig, change: RwSignal<Option<Change>>) -> impl IntoView {
    let session = use_session();
    let draft = RwSignal::new(Draft::from_current(&current));
    let current = StoredValue::new(current);
    let body = Memo::new(move |_| draft.with(|d| current.with_value(|c| d.change(c))));
    let violations = Memo::new(move |_| {
        let release = session.cluster().map(|c| c.version).unwrap_or_default();
        body.with(|b| {
            let mut all = Violations::new();
            current.with_value(|c| {
                if let Err(v) = validate_patch_against(b, c) {
                    all.0.extend(v.0);
                }
            });
            if let Err(v) = validate_patch_for_release(b, &release) {
                all.0.extend(v.0);
            }
            all
        })
    });
    let enabling_fips = move || {
        draft.with(|d| d.fips) && !current.with_value(|c| c.fips_enabled().unwrap_or(false))
    };
    let weak = LocalResource::new(move || async move { weak_certificates(session).await });

    let review = move |_| {
        if !violations.with(Violations::is_empty) {
            return;
        }
        let patch = body.get_untracked();
        // The violations are empty, so core builds the request; `if let` only satisfies types.
        if let Ok(request) = security::patch(&patch, None) {
            let lowering = current.with_value(|c| lowering_changes(&patch, c));
            let now = current.with_value(|c| serde_json::to_value(c).unwrap_or_default());
            change.set(Some(
                Change::new("Change cluster security", request)
                    .against(now)
                    .lowering(lowering),
            ));
        }
    };
    let v = Signal::derive(move || violations.get());

    view! {
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            <section class="card">
                <h2>"FIPS 140 mode"</h2>
                <Checkbox testid="fips-enabled" label="Use only FIPS 140 validated cryptography"
                    checked=Signal::derive(move || draft.with(|d| d.fips))
                    set=move |on| draft.update(|d| d.fips = on)/>
                <FieldErrors violations=v field="fips.enabled"/>
                <Show when=enabling_fips>
                    <div class="warning" data-testid="fips-explain">
                        <p>"In FIPS mode the cluster refuses SSLv3, TLSv1 and TLSv1.1, disables \
                            cipher suites that are not FIPS-compatible, and cannot use certificates \
                            with RSA keys under 2048 bits or SHA-1/MD5 signatures."</p>
                        {move || read_view_with(weak.get(), loading("Checking the installed certificates…"), None, |list| {
                            if list.is_empty() {
                                return view! {
                                    <p data-testid="fips-certs-ok">"Every installed client and server certificate fits FIPS mode."</p>
                                }.into_any();
                            }
                            view! {
                                <div data-testid="fips-weak-certs">
                                    <p>"These certificates cannot be used in FIPS mode; replace them first or the cluster will refuse:"</p>
                                    <ul><For each=move || list.clone() key=|w| w.uuid.clone() let:w>
                                        <li><strong>{w.name}</strong>": "{w.problems.join("; ")}</li>
                                    </For></ul>
                                </div>
                            }.into_any()
                        })}
                    </div>
                </Show>
            </section>

            <TlsSection draft=draft violations=v/>

            <section class="card">
                <h2>"Clear-text management protocols"</h2>
                <Checkbox testid="telnet-enabled" label="telnet"
                    checked=Signal::derive(move || draft.with(|d| d.telnet))
                    set=move |on| draft.update(|d| d.telnet = on)/>
                <FieldErrors violations=v field="management_protocols.telnet_enabled"/>
                <Checkbox testid="rsh-enabled" label="rsh"
                    checked=Signal::derive(move || draft.with(|d| d.rsh))
                    set=move |on| draft.update(|d| d.rsh = on)/>
                <FieldErrors violations=v field="management_protocols.rsh_enabled"/>
            </section>

            <EncryptionSection current=current draft=draft violations=v/>

            <ViolationList violations=v/>
            <div class="actions">
                <button type="button" class="primary" data-testid="security-review"
                    disabled=move || !violations.with(Violations::is_empty) || body.with(is_empty)
                    on:click=review>"Review change…"</button>
                <button type="button" data-testid="security-reset"
                    on:click=move |_| draft.set(current.with_value(Draft::from_current))>"Reset"</button>
            </div>
        </form>
    }
}

#[component]
fn TlsSection(draft: RwSignal<Draft>, violations: Signal<Violations>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let enabled =
        Memo::new(move |_| draft.with(|d| d.floor.map(versions_from_floor).unwrap_or_default()));
    let shown = Memo::new(move |_| {
        let needle = search.get().trim().to_ascii_uppercase();
        CIPHER_SUITES
            .iter()
            .copied()
            .filter(|s| needle.is_empty() || s.contains(needle.as_str()))
            .collect::<Vec<_>>()
    });
    let set_preset = move |suites: Vec<&'static str>| {
        draft.update(|d| d.suites = suites.into_iter().map(str::to_owned).collect());
    };
    view! {
        <section class="card">
            <h2>"TLS"</h2>
            <label>"Lowest protocol version "
                <select data-testid="tls-floor"
                    prop:value=move || draft.with(|d| d.floor.map(|f| f.name()).unwrap_or(""))
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        draft.update(|d| d.floor = TlsVersion::parse(&value));
                    }>
                    {TlsVersion::ALL.into_iter().rev().map(|v| view! {
                        <option value=v.name()>{v.name()}</option>
                    }).collect_view()}
                </select>
            </label>
            <p class="hint" data-testid="tls-enabled-list">
                "Enabled: "{move || enabled.get().iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")}
                " (ONTAP enables every version at or above the lowest one)."
            </p>
            <FieldErrors violations=violations field="tls.protocol_versions"/>

            <h3>"Cipher suites"</h3>
            <p class="hint">{move || format!("{} of {} selected", draft.with(|d| d.suites.len()), CIPHER_SUITES.len())}</p>
            <div class="presets">
                <button type="button" data-testid="cipher-preset-fips"
                    on:click=move |_| set_preset(SuitePreset::FipsCompatible.suites())>"FIPS-compatible"</button>
                <button type="button" data-testid="cipher-preset-modern"
                    on:click=move |_| set_preset(SuitePreset::Tls12Modern.suites())>"TLS 1.2+ modern"</button>
                <button type="button" data-testid="cipher-preset-all"
                    on:click=move |_| set_preset(CIPHER_SUITES.to_vec())>"All"</button>
            </div>
            <FieldErrors violations=violations field="tls.cipher_suites"/>
            <input type="search" data-testid="cipher-search" placeholder="Search suites (e.g. GCM, ECDHE)"
                bind:value=search/>
            <ul class="suites">
                <For each=move || shown.get() key=|s| *s let:suite>
                    <SuiteRow suite=suite draft=draft enabled=enabled/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn SuiteRow(
    suite: &'static str,
    draft: RwSignal<Draft>,
    enabled: Memo<Vec<TlsVersion>>,
) -> impl IntoView {
    let traits = suite_traits(suite);
    let checked = move || draft.with(|d| d.suites.iter().any(|s| s == suite));
    let misfit = move || {
        let versions = enabled.get();
        !versions.is_empty() && !suite_fits_versions(suite, &versions)
    };
    view! {
        <li>
            <label>
                <input type="checkbox" data-testid=format!("cipher-{suite}")
                    prop:checked=checked
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| {
                            d.suites.retain(|s| s != suite);
                            if on {
                                d.suites.push(suite.to_owned());
                                d.suites.sort_by_key(|s| CIPHER_SUITES.iter().position(|k| k == s));
                            }
                        });
                    }/>
                " "<code>{suite}</code>
            </label>
            {traits.fips_compatible.then(|| view! { <span class="tag">"FIPS"</span> })}
            <Show when=misfit>
                <span class="tag warn" data-testid=format!("cipher-misfit-{suite}")
                    title="No enabled protocol version can negotiate this suite">
                    {format!("needs {}–{}", traits.min_version.name(), traits.max_version.name())}
                </span>
            </Show>
        </li>
    }
}

#[component]
fn EncryptionSection(
    current: StoredValue<SecurityConfig>,
    draft: RwSignal<Draft>,
    violations: Signal<Violations>,
) -> impl IntoView {
    let sde = current.with_value(|c| c.software_data_encryption.clone().unwrap_or_default());
    let state = sde
        .encryption_state
        .as_ref()
        .and_then(ontap_core::envelope::wire_name)
        .unwrap_or_else(|| "unknown".into());
    let okm = current.with_value(|c| {
        c.onboard_key_manager_configurable_status
            .clone()
            .unwrap_or_default()
    });
    let okm_text = match (okm.supported, okm.message) {
        (Some(true), _) => "The Onboard Key Manager can be configured.".to_owned(),
        (Some(false), Some(m)) => format!("The Onboard Key Manager cannot be configured: {m}"),
        (Some(false), None) => "The Onboard Key Manager cannot be configured.".to_owned(),
        (None, _) => "Unknown.".to_owned(),
    };
    let disabling = move || draft.with(|d| current.with_value(|c| d.disables_by_default(c)));
    let converting = move || draft.with(|d| d.start_conversion);
    let rekeying = move || draft.with(|d| d.start_rekey);
    // A cluster-level rekey (`software_data_encryption.rekey`) came with ONTAP 9.16.1: older
    // clusters refuse it as an unexpected argument, so the box is not offered there.
    let can_rekey = use_session().has_field("/api/security", "software_data_encryption.rekey");
    view! {
        <section class="card">
            <h2>"Software data-at-rest encryption"</h2>
            <p>"State: "<strong data-testid="sde-state">{state}</strong></p>
            <Checkbox testid="sde-disabled-by-default" label="New volumes are not encrypted by default"
                checked=Signal::derive(move || draft.with(|d| d.disabled_by_default))
                disabled=Signal::derive(move || (converting() || rekeying()) && !disabling())
                set=move |on| draft.update(|d| d.disabled_by_default = on)/>
            <FieldErrors violations=violations field="software_data_encryption.disabled_by_default"/>
            <Checkbox testid="sde-conversion" label="Start converting existing volumes and aggregates to encrypted"
                checked=Signal::derive(converting)
                disabled=Signal::derive(move || rekeying() || disabling())
                set=move |on| draft.update(|d| d.start_conversion = on)/>
            <FieldErrors violations=violations field="software_data_encryption.conversion_enabled"/>
            {can_rekey.then(|| view! {
                <Checkbox testid="sde-rekey" label="Start a cluster-level rekey"
                    checked=Signal::derive(rekeying)
                    disabled=Signal::derive(move || converting() || disabling())
                    set=move |on| draft.update(|d| d.start_rekey = on)/>
                <FieldErrors violations=violations field="software_data_encryption.rekey"/>
            })}
            <p class="hint" data-testid="sde-exclusive-hint">
                {exclusive_hint()}
            </p>
            <p>"Onboard Key Manager: "<span data-testid="okm-status">{okm_text}</span></p>
        </section>
    }
}

/// Why the three software-encryption checkboxes exclude each other, with ONTAP's codes.
fn exclusive_hint() -> String {
    let [a, b, c] = ontap_core::catalog::codes::EXCLUSIVE_ENCRYPTION_FLAGS;
    format!(
        "ONTAP takes one of these per change: starting a conversion, starting a rekey, and \
         turning default encryption off exclude each other (errors {a}, {b}, {c})."
    )
}

#[cfg(test)]
#[path = "security_tests.rs"]
mod tests;
