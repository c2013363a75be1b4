//! A small bar chart of the certificates expiring in each of the next twelve months, drawn as
//! plain SVG.

use jiff::Timestamp;
use leptos::prelude::*;
use ontap_core::certificates::listing::expiries_per_month;

use super::Rows;

/// Months the chart looks ahead (this one included).
pub const MONTHS: usize = 12;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[component]
pub fn ExpiryChart(rows: Rows, now: Timestamp) -> impl IntoView {
    let months = expiries_per_month(rows.0.iter().filter_map(|r| r.expiry), now, MONTHS);
    let max = months.iter().map(|m| m.count).max().unwrap_or(0).max(1);
    let (width, height, bar, gap, label) = (480.0, 120.0, 32.0, 8.0, 18.0);
    let plot = height - label - 14.0;
    let total: usize = months.iter().map(|m| m.count).sum();
    view! {
        <figure class="chart card" data-testid="cert-chart" data-total=total>
            <figcaption>{format!("Expiring in the next {MONTHS} months: {total}")}</figcaption>
            <svg viewBox=format!("0 0 {width} {height}") width=width height=height role="img"
                aria-label="Certificates expiring per month">
                {months.iter().enumerate().map(|(i, m)| {
                    let x = i as f64 * (bar + gap) + gap;
                    let h = if m.count == 0 { 0.0 } else { (m.count as f64 / max as f64 * plot).max(2.0) };
                    let y = height - label - h;
                    let month = MONTH_NAMES[usize::from(m.month.month().unsigned_abs()).saturating_sub(1) % 12];
                    let name = month[..3].to_owned();
                    let title = format!("{month} {}: {} expiring", m.month.year(), m.count);
                    view! {
                        <g>
                            <rect data-testid="chart-bar" data-count=m.count data-month=format!("{:04}-{:02}", m.month.year(), m.month.month())
                                x=x y=y width=bar height=h fill="#0067c5" rx="2">
                                <title>{title}</title>
                            </rect>
                            <text x=x + bar / 2.0 y=(y - 3.0).min(height - label - 3.0) font-size="10" text-anchor="middle">
                                {(m.count > 0).then(|| m.count.to_string())}
                            </text>
                            <text x=x + bar / 2.0 y=height - 4.0 font-size="11" text-anchor="middle" fill="#5b6475">{name}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
