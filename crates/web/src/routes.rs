//! Each console page as a lazily loaded route: its code is a wasm chunk of its own, fetched
//! the first time the page is opened. The signed-in console around the pages (router, header,
//! navigation) is a chunk too (`shell::signed_in_console`), so the first download holds only
//! the sign-in form and the runtime. `cargo xtask split` cuts the chunks after trunk's build;
//! code shared by several chunks lands in chunks of its own, fetched with the first that needs it.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::pages::{certificates, ipsec, key_managers, overview, security};

/// `$route` is the router's lazy view of the page component `$page`.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// `/`
    OverviewRoute => overview::OverviewPage
);
lazy_page!(
    /// `/security`
    SecurityRoute => security::SecurityPage
);
lazy_page!(
    /// `/key-managers`
    KeyManagersRoute => key_managers::KeyManagersPage
);
lazy_page!(
    /// `/key-managers/:uuid`
    KeyManagerRoute => key_managers::KeyManagerPage
);
lazy_page!(
    /// `/certificates`
    CertificatesRoute => certificates::CertificatesPage
);
lazy_page!(
    /// `/certificates/:uuid`
    CertificateRoute => certificates::CertificateDetailPage
);
lazy_page!(
    /// `/ipsec`
    IpsecRoute => ipsec::IpsecPage
);
