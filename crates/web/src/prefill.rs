//! A form opened prefilled from the posture page: core's [`Prefill`] travels in the route's
//! query string (`?prefill=JSON`), so the link can be opened, shared and reloaded like any
//! other page. A prefill holds no secret (core's type has no secret field).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use ontap_core::audit::Prefill;

/// The query parameter that carries the prefill.
pub const PARAM: &str = "prefill";

/// The certificate list's route, whose toolbar holds the create form.
const CERTIFICATES: &str = "/certificates";

/// Longest prefill accepted from a URL, in bytes: anything longer is not one the console made.
pub const MAX_LEN: usize = 4096;

/// The console page that opens `prefill`'s form: the replacement of a certificate is the
/// create form of the certificate list; the other forms are on the page the remedy names.
pub fn page_for(page: &str, prefill: &Prefill) -> String {
    match prefill {
        Prefill::ReplaceCertificate { .. } => CERTIFICATES.to_owned(),
        _ => page.to_owned(),
    }
}

/// The link to `page` (under the console's base) with its form prefilled.
pub fn href(page: &str, prefill: Option<&Prefill>) -> String {
    let Some(prefill) = prefill else {
        return crate::site::href(page);
    };
    let json = serde_json::to_string(prefill).unwrap_or_default();
    let encoded: String = js_sys::encode_uri_component(&json).into();
    crate::site::href(&format!("{}?{PARAM}={encoded}", page_for(page, prefill)))
}

/// The prefill in the current route's query string, if any (bounded, and ignored when it is
/// not one of core's forms).
pub fn use_prefill() -> Memo<Option<Prefill>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            q.get_str(PARAM)
                .filter(|text| text.len() <= MAX_LEN)
                .and_then(|text| serde_json::from_str(text).ok())
        })
    })
}
