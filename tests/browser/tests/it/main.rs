//! The console in headless Chromium against `ontap-console serve`, one test binary: each module
//! a page or a journey.

mod certificates_actions;
mod certificates_list;
mod ipsec;
mod key_managers;
mod posture;
mod security;
mod shell;
mod site;
mod static_site;
