//! # ontap-web
//!
//! The ONTAP security console: a Leptos (client-side rendered) app compiled to wasm. It renders
//! what the cluster has and sends requests that `ontap-core` built and validated; it holds no
//! rule of its own about ONTAP.
//!
//! - [`api`]: the one HTTP wrapper (gloo-net), basic auth, error decoding.
//! - [`session`]: credentials in memory only, the cluster shown in the header, re-sign-in on 401.
//! - [`flow`]: preview, confirmation, request, live job progress, re-read: every change.
//! - [`site`]: the console's base (any sub-path) and the site's `console.json`.
//! - [`shell`]: banner, header, navigation; [`signin`]: the sign-in form; [`pages`]: one module per console page;
//!   [`routes`]: each page as a lazily loaded wasm chunk; [`prefill`]: a form opened prefilled
//!   from the posture page through the query string.

pub mod api;
pub mod browser;
pub mod diff;
pub mod flow;
pub mod pages;
pub mod prefill;
pub mod routes;
pub mod session;
pub mod shell;
pub mod signin;
pub mod site;
pub mod widgets;

/// Mounts the console on the page's `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(shell::App);
    browser::mark_ready();
}
