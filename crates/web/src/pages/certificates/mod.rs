//! Certificates (`/api/security/certificates`): every installed certificate, grouped as System
//! Manager groups them, filtered, sorted, with its expiry; a chart of the expiries ahead; and a
//! detail page per certificate (`/certificates/:uuid`) with what its PEM says.
//!
//! The list asks only for core's [`certificates::LIST_FIELDS`] (never the PEMs), follows
//! `_links.next` in pages of [`PAGE_SIZE`] and shows how many have arrived; the table renders
//! only the rows in view ([`table`]), so ten thousand certificates stay smooth.

pub mod actions;
mod chart;
mod detail;
mod table;

use std::sync::Arc;

use jiff::Timestamp;
use leptos::prelude::*;
use ontap_core::certificates::listing::{expiry_state, Category, ExpiryState};
use ontap_core::certificates::{self, Certificate};
use ontap_core::envelope::Scope;
use ontap_core::Query;

use crate::session::use_session;
use crate::widgets::{read_view_with, Empty};
use actions::CertificateActions;
pub use detail::CertificateDetailPage;
use table::{CertificateTable, Sort, SortKey};

/// Records per request while reading the list.
pub const PAGE_SIZE: u32 = 1000;

/// One certificate of the list with what filtering and sorting need, computed once per read.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cert: Certificate,
    /// Name and common name, lower-cased, for the text search.
    search: String,
    pub uuid: String,
    pub name: String,
    pub svm: Option<String>,
    pub expiry: Option<Timestamp>,
    pub self_signed: bool,
    pub category: Option<Category>,
}

impl Row {
    fn new(cert: Certificate) -> Row {
        let name = cert.name.clone().unwrap_or_default();
        let cn = cert.common_name.clone().unwrap_or_default();
        Row {
            search: format!("{}\n{}", name.to_lowercase(), cn.to_lowercase()),
            uuid: cert.uuid.clone().unwrap_or_default(),
            svm: cert.svm.as_ref().and_then(|s| s.name.clone()),
            expiry: cert.expiry(),
            self_signed: cert.looks_self_signed(),
            category: cert.category(),
            name,
            cert,
        }
    }

    fn is_cluster(&self) -> bool {
        match &self.cert.scope {
            Some(scope) => *scope == Scope::Cluster,
            None => self.svm.is_none(),
        }
    }
}

/// Which rows the admin wants to see.
#[derive(Debug, Clone, PartialEq, Default)]
struct Filter {
    category: Option<Category>,
    /// "" (all), "cluster" or "svm".
    scope: String,
    /// An SVM's name, "" for all.
    svm: String,
    /// Lower-cased search text.
    text: String,
}

impl Filter {
    fn keeps(&self, row: &Row) -> bool {
        self.category.is_none_or(|c| row.category == Some(c))
            && match self.scope.as_str() {
                "cluster" => row.is_cluster(),
                "svm" => !row.is_cluster(),
                _ => true,
            }
            && (self.svm.is_empty() || row.svm.as_deref() == Some(self.svm.as_str()))
            && (self.text.is_empty() || row.search.contains(&self.text))
    }
}

/// The rows the list read, shared without copying.
#[derive(Debug, Clone)]
pub struct Rows(pub Arc<Vec<Row>>);

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let loaded = RwSignal::new(0usize);
    let list = LocalResource::new(move || {
        reload.track();
        async move {
            loaded.set(0);
            perf::clear();
            let query = Query::new()
                .fields(certificates::LIST_FIELDS.iter().copied())
                .max_records(PAGE_SIZE);
            let records = session
                .collect::<Certificate>(certificates::list(&query), |n| loaded.set(n))
                .await;
            perf::mark("__certs_last_page_ms");
            records.map(|r| Rows(Arc::new(r.into_iter().map(Row::new).collect())))
        }
    });
    let on_changed = Callback::new(move |()| reload.update(|n| *n += 1));
    view! {
        <h1>"Certificates"</h1>
        <CertificateActions on_changed=on_changed prefill=crate::prefill::use_prefill().get_untracked()/>
        {move || read_view_with(list.get(), move || view! {
                <p class="loading" data-testid="loading" role="status">
                    "Reading certificates from the cluster… "
                    <span data-testid="cert-progress">{move || loaded.get()}</span>" read so far"
                </p>
            }.into_any(),
            Some(Callback::new(move |()| list.refetch())),
            |rows| if rows.0.is_empty() {
                view! { <Empty message="No certificate is installed."/> }.into_any()
            } else {
                view! { <CertificateList rows=rows/> }.into_any()
            },
        )}
    }
}

#[component]
fn CertificateList(rows: Rows) -> impl IntoView {
    let now = crate::browser::now();
    let total = rows.0.len();
    let svms = {
        let mut names: Vec<String> = rows.0.iter().filter_map(|r| r.svm.clone()).collect();
        names.sort();
        names.dedup();
        names
    };
    let expired = rows
        .0
        .iter()
        .filter(|r| {
            r.expiry
                .is_some_and(|e| expiry_state(e, now) == ExpiryState::Expired)
        })
        .count();
    let soon = rows
        .0
        .iter()
        .filter(|r| {
            r.expiry
                .is_some_and(|e| expiry_state(e, now) == ExpiryState::Soon)
        })
        .count();
    let expired_class = if expired > 0 { "expiry-expired" } else { "" };
    let soon_class = if soon > 0 { "expiry-soon" } else { "" };
    // What the admin picked and typed, bound to the inputs; the filter is derived from them.
    let category = RwSignal::new(None::<Category>);
    let scope = RwSignal::new(String::new());
    let svm = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let filter = Memo::new(move |_| Filter {
        category: category.get(),
        scope: scope.get(),
        svm: svm.get(),
        text: search.with(|t| t.trim().to_lowercase()),
    });
    let sort = RwSignal::new(Sort {
        key: SortKey::Name,
        descending: false,
    });
    let all = StoredValue::new(rows.clone());
    // Sorting only when the sort or the rows change; a keystroke only filters the sorted order.
    let sorted = Memo::new(move |_| {
        let sort = sort.get();
        all.with_value(|rows| Arc::new(table::sorted(&rows.0, sort)))
    });
    let shown = Memo::new(move |_| {
        let filter = filter.get();
        let order = sorted.get();
        all.with_value(|rows| {
            Arc::new(
                order
                    .iter()
                    .copied()
                    .filter(|i| filter.keeps(&rows.0[*i]))
                    .collect::<Vec<usize>>(),
            )
        })
    });
    // Every filter input marks its paint for the benchmark, whether or not the rows changed.
    Effect::new(move |_| {
        category.track();
        scope.track();
        svm.track();
        search.track();
        request_animation_frame(move || {
            set_timeout(perf::painted, std::time::Duration::ZERO);
        });
    });
    let current = category;
    let tab = move |category: Option<Category>, id: &'static str, label: &'static str| {
        let selected = move || current.with(|c| *c == category);
        view! {
            <button type="button" role="tab" data-testid=format!("cert-tab-{id}")
                aria-selected=move || selected().to_string()
                class:primary=selected
                on:click=move |_| current.set(category)>
                {label}
            </button>
        }
    };
    view! {
        <chart::ExpiryChart rows=rows.clone() now=now/>
        <p class="hint" data-testid="cert-summary">
            <span data-testid="cert-summary-expired" class=expired_class>{expired}" expired"</span>
            " · "
            <span data-testid="cert-summary-soon" class=soon_class>{soon}" expiring within 30 days"</span>
        </p>
        <div class="tabs" role="tablist" data-testid="cert-tabs">
            {tab(None, "all", "All")}
            {Category::ALL.map(|c| tab(Some(c), c.id(), c.label())).collect_view()}
        </div>
        <div class="filters">
            <label>"Scope "
                <select data-testid="cert-scope" bind:value=scope>
                    <option value="">"Cluster and SVMs"</option>
                    <option value="cluster">"Cluster"</option>
                    <option value="svm">"SVMs"</option>
                </select>
            </label>
            <label>"SVM "
                <select data-testid="cert-svm" bind:value=svm>
                    <option value="">"Any"</option>
                    {svms.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Search "
                <input type="search" data-testid="cert-search" placeholder="Name or common name"
                    bind:value=search on:input=|_| perf::input_started()/>
            </label>
            <span data-testid="cert-count" data-total=total data-shown=move || shown.with(|s| s.len())>
                {move || shown.with(|s| format!("{} of {total} certificates", s.len()))}
            </span>
        </div>
        <CertificateTable rows=rows shown=shown sort=sort now=now/>
    }
}

/// `2026-12-02` (UTC). Written by hand: jiff's strftime would add to the download.
pub(crate) fn ymd(at: Timestamp) -> String {
    let d = at.to_zoned(jiff::tz::TimeZone::UTC).date();
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `2026-12-02 03:04:05 UTC`.
pub(crate) fn date_time(at: Timestamp) -> String {
    let t = at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        ymd(at),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Timing marks on `window` for the benchmark (`performance.now()`, milliseconds since
/// navigation start): when the last page arrived, when rows were first painted after it, and
/// how long each search keystroke took to paint.
pub(crate) mod perf {
    use wasm_bindgen::JsValue;

    fn now() -> Option<f64> {
        web_sys::window()?.performance().map(|p| p.now())
    }

    fn set(name: &str, value: &JsValue) {
        if let Some(window) = web_sys::window() {
            let _ = js_sys::Reflect::set(&window, &JsValue::from_str(name), value);
        }
    }

    fn get(name: &str) -> Option<f64> {
        let window = web_sys::window()?;
        js_sys::Reflect::get(&window, &JsValue::from_str(name))
            .ok()?
            .as_f64()
    }

    /// Forgets the marks of an earlier read.
    pub fn clear() {
        for name in [
            "__certs_last_page_ms",
            "__certs_shown_ms",
            "__certs_input_ms",
        ] {
            set(name, &JsValue::UNDEFINED);
        }
        set("__certs_filter_ms", &js_sys::Array::new());
    }

    /// Records `performance.now()` under `name`.
    pub fn mark(name: &str) {
        if let Some(t) = now() {
            set(name, &JsValue::from_f64(t));
        }
    }

    /// A search keystroke arrived.
    pub fn input_started() {
        mark("__certs_input_ms");
    }

    /// The table has been painted: the first time after a read it marks `__certs_shown_ms`;
    /// after a keystroke it appends the keystroke-to-paint time to `__certs_filter_ms`.
    pub fn painted() {
        let Some(t) = now() else { return };
        if get("__certs_shown_ms").is_none() {
            set("__certs_shown_ms", &JsValue::from_f64(t));
        }
        if let Some(started) = get("__certs_input_ms") {
            set("__certs_input_ms", &JsValue::UNDEFINED);
            let Some(window) = web_sys::window() else {
                return;
            };
            let list = js_sys::Reflect::get(&window, &JsValue::from_str("__certs_filter_ms"))
                .ok()
                .filter(|v| v.is_object())
                .map(|v| js_sys::Array::from(&v))
                .unwrap_or_default();
            list.push(&JsValue::from_f64(t - started));
            set("__certs_filter_ms", &list);
        }
    }
}
