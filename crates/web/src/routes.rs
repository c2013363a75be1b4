//! Each console page but the posture page as a lazily loaded route: its code is a wasm chunk
//! of its own, fetched the first time the page is opened. The posture page is the console's
//! home, shown after every sign-in, so it is part of the signed-in console's chunk
//! (`shell::signed_in_console`) rather than a route of its own: the chunk-per-route split would
//! put the code it shares with the other pages into many small chunks, which compress worse
//! than one (the posture page's download fell from 240 to 224 KB gzip). The first download
//! holds only the sign-in form and the runtime. `cargo xtask split` cuts the chunks after
//! trunk's build; code shared by several chunks lands in chunks of its own, fetched with the
//! first that needs it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::{lazy_route, LazyRoute};

use crate::pages::{certificates, ipsec, key_managers, security};

/// `$route` is the router's lazy view `$view` (an `AnyView`).
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $view:expr) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $view
            }
        }
    };
}

lazy_page!(
    /// `/security`
    SecurityRoute => view! { <security::SecurityPage/> }.into_any()
);
lazy_page!(
    /// `/key-managers` and `/key-managers/:uuid`
    KeyManagersRoute => list_or_detail(
        || view! { <key_managers::KeyManagersPage/> }.into_any(),
        || view! { <key_managers::KeyManagerPage/> }.into_any(),
    )
);
lazy_page!(
    /// `/certificates` and `/certificates/:uuid`
    CertificatesRoute => list_or_detail(
        || view! { <certificates::CertificatesPage/> }.into_any(),
        || view! { <certificates::CertificateDetailPage/> }.into_any(),
    )
);
lazy_page!(
    /// `/ipsec`
    IpsecRoute => view! { <ipsec::IpsecPage/> }.into_any()
);

/// A list page and its records' detail pages as one route: one chunk rather than two, as
/// they share most of their code, and every chunk the splitter adds multiplies the small
/// chunks of code pages share. The detail when the path has a `:uuid`.
fn list_or_detail(list: fn() -> AnyView, detail: fn() -> AnyView) -> AnyView {
    let params = use_params_map();
    let is_detail = Memo::new(move |_| params.with(|p| p.get("uuid").is_some()));
    (move || if is_detail.get() { detail() } else { list() }).into_any()
}
