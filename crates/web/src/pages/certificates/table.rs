//! The certificate table, virtualized: rows have a fixed height, the body scrolls in its own
//! container, and only the rows in view (plus [`OVERSCAN`] above and below) are in the DOM,
//! between two spacers that keep the scroll bar true. At most [`MAX_ROWS`] row elements exist
//! whatever the number of certificates.

use std::cmp::Ordering;
use std::sync::Arc;

use jiff::Timestamp;
use leptos::prelude::*;
use ontap_core::certificates::listing::{describe_expiry, expiry_state, ExpiryState};

use super::{perf, Row, Rows};

/// The height of one row, in pixels (CSS keeps every row at it).
pub const ROW_HEIGHT: f64 = 34.0;
/// The height of the scrolling body, in pixels.
pub const VIEW_HEIGHT: f64 = 544.0;
/// Rows rendered beyond the visible ones, on each side.
pub const OVERSCAN: usize = 8;
/// The most row elements the table ever renders.
pub const MAX_ROWS: usize = (VIEW_HEIGHT / ROW_HEIGHT) as usize + 1 + 2 * OVERSCAN;

/// A column to sort on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Type,
    Svm,
    CommonName,
    Ca,
    Key,
    Hash,
    Serial,
    Expiry,
}

/// The sort: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

fn text(value: &Option<String>) -> String {
    value.as_deref().unwrap_or_default().to_lowercase()
}

/// The indices of `rows` in the order of `sort` (ties by name, then UUID: a stable order).
pub fn sorted(rows: &[Row], sort: Sort) -> Vec<usize> {
    // One key per row, computed once, then compared.
    #[derive(PartialEq, PartialOrd)]
    enum Key {
        Text(String),
        Number(i64),
    }
    let key = |r: &Row| -> Key {
        let c = &r.cert;
        match sort.key {
            SortKey::Name => Key::Text(r.name.to_lowercase()),
            SortKey::Type => Key::Text(
                c.type_
                    .as_ref()
                    .map(|t| t.name().to_owned())
                    .unwrap_or_default(),
            ),
            SortKey::Svm => Key::Text(r.svm.clone().map(|s| s.to_lowercase()).unwrap_or_default()),
            SortKey::CommonName => Key::Text(text(&c.common_name)),
            SortKey::Ca => Key::Text(text(&c.ca)),
            SortKey::Key => Key::Number(c.key_size.map_or(-1, i64::from)),
            SortKey::Hash => Key::Text(text(&c.hash_function)),
            SortKey::Serial => Key::Text(text(&c.serial_number)),
            SortKey::Expiry => Key::Number(r.expiry.map_or(i64::MAX, |e| e.as_second())),
        }
    };
    let keys: Vec<Key> = rows.iter().map(key).collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let primary = keys[a].partial_cmp(&keys[b]).unwrap_or(Ordering::Equal);
        let primary = if sort.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| rows[a].name.cmp(&rows[b].name))
            .then_with(|| rows[a].uuid.cmp(&rows[b].uuid))
    });
    order
}

/// The table: sortable headers, then the window of rows in view.
#[component]
pub fn CertificateTable(
    rows: Rows,
    shown: Memo<Arc<Vec<usize>>>,
    sort: RwSignal<Sort>,
    now: Timestamp,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0f64);
    let body = NodeRef::<leptos::html::Div>::new();
    let all = StoredValue::new(rows);
    // A new filter result starts at the top.
    Effect::new(move |previous: Option<()>| {
        shown.track();
        if previous.is_some() {
            if let Some(el) = body.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    let window = Memo::new(move |_| {
        let count = shown.with(|s| s.len());
        let first = ((scroll_top.get() / ROW_HEIGHT).floor() as usize).saturating_sub(OVERSCAN);
        let first = first.min(count);
        let last = (first + MAX_ROWS).min(count);
        (first, last, count)
    });
    // Marks the paint for the benchmark: after the DOM update, at the next frame.
    Effect::new(move |_| {
        window.track();
        request_animation_frame(move || {
            set_timeout(perf::painted, std::time::Duration::ZERO);
        });
    });
    let header = move |key: SortKey, label: &'static str, id: &'static str| {
        let state = move || {
            let s = sort.get();
            if s.key != key {
                "none"
            } else if s.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        view! {
            <th aria-sort=state>
                <button type="button" class="sort" data-testid=format!("sort-{id}")
                    on:click=move |_| sort.update(|s| {
                        if s.key == key {
                            s.descending = !s.descending;
                        } else {
                            *s = Sort { key, descending: false };
                        }
                    })>
                    {label}
                    {move || match state() {
                        "ascending" => " ▲",
                        "descending" => " ▼",
                        _ => "",
                    }}
                </button>
            </th>
        }
    };
    view! {
        <div class="cert-scroll" data-testid="cert-scroll" node_ref=body
            style=format!("height:{VIEW_HEIGHT}px;overflow-y:auto;position:relative")
            on:scroll=move |_| {
                if let Some(el) = body.get_untracked() {
                    scroll_top.set(f64::from(el.scroll_top()));
                }
            }>
            <table class="list certs" data-testid="cert-table">
                <thead>
                    <tr>
                        {header(SortKey::Name, "Name", "name")}
                        {header(SortKey::Type, "Type", "type")}
                        {header(SortKey::Svm, "Scope", "svm")}
                        {header(SortKey::CommonName, "Common name", "common-name")}
                        {header(SortKey::Ca, "Issuer", "ca")}
                        {header(SortKey::Key, "Key", "key")}
                        {header(SortKey::Hash, "Hash", "hash")}
                        {header(SortKey::Serial, "Serial", "serial")}
                        {header(SortKey::Expiry, "Expires", "expiry")}
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true"
                        style=move || format!("height:{}px", window.get().0 as f64 * ROW_HEIGHT)></tr>
                    // Keyed by uuid and position: scrolling keeps the rows still in view, and
                    // only rows entering the window are built.
                    <For each=move || {
                            let (first, last, _) = window.get();
                            shown.with(|s| {
                                s.get(first..last).unwrap_or_default().iter().enumerate()
                                    .map(|(offset, i)| (first + offset, *i)).collect::<Vec<_>>()
                            })
                        }
                        key=move |(position, i)| (*position, all.with_value(|all| all.0[*i].uuid.clone()))
                        children=move |(position, i)| all.with_value(|all| row_view(&all.0[i], position, now))/>
                    <tr class="spacer" aria-hidden="true"
                        style=move || {
                            let (_, last, count) = window.get();
                            format!("height:{}px", (count - last) as f64 * ROW_HEIGHT)
                        }></tr>
                </tbody>
            </table>
        </div>
    }
}

fn row_view(row: &Row, position: usize, now: Timestamp) -> impl IntoView {
    let c = &row.cert;
    let scope = match &row.svm {
        Some(svm) => format!("SVM {svm}"),
        None => "Cluster".to_owned(),
    };
    let (state, class) = match row.expiry.map(|e| expiry_state(e, now)) {
        Some(ExpiryState::Expired) => ("expired", "expiry-expired"),
        Some(ExpiryState::Soon) => ("soon", "expiry-soon"),
        Some(ExpiryState::Valid) => ("valid", ""),
        None => ("unknown", ""),
    };
    let expiry = row
        .expiry
        .map(|e| format!("{} · {}", super::ymd(e), describe_expiry(e, now)));
    let key = match c.key_size {
        Some(bits) => format!("{bits} bits"),
        None => String::new(),
    };
    view! {
        <tr data-testid="cert-row" data-uuid=row.uuid.clone() data-position=position
            style=format!("height:{ROW_HEIGHT}px")>
            <td title=row.name.clone()>
                <a href=crate::site::href(&format!("/certificates/{}", row.uuid)) data-testid="cert-name">{row.name.clone()}</a>
            </td>
            <td data-testid="cert-type">{c.type_.as_ref().map(|t| t.name().to_owned())}</td>
            <td data-testid="cert-scope-cell">{scope}</td>
            <td data-testid="cert-common-name" title=c.common_name.clone()>{c.common_name.clone()}</td>
            <td title=c.ca.clone()>
                {row.self_signed.then(|| view! {
                    <span class="tag" data-testid="cert-self-signed" title="Its issuer is its own common name">"self-signed"</span>" "
                })}
                <span data-testid="cert-ca">{c.ca.clone()}</span>
            </td>
            <td>{key}</td>
            <td>{c.hash_function.clone()}</td>
            <td class="serial" data-testid="cert-serial">{c.serial_number.clone()}</td>
            <td data-testid="cert-expiry" data-state=state class=class>{expiry}</td>
        </tr>
    }
}
