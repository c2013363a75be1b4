//! # ontap-console
//!
//! `ontap-console serve` serves the built console (trunk's `dist/`) and answers its `/api`
//! calls, from the embedded simulated cluster (`ontap-sim`) or by forwarding them to a real
//! cluster. `ontap-console audit` audits a fleet of clusters with core's audit for shells and CI
//! (`get` reads the same resources for scripts). The library half exists so tests can build
//! the same [`app::app`].

pub mod app;
pub mod audit;
pub mod cli;
pub mod get;
pub mod guard;
pub mod https;
pub mod listen;
pub mod proxy;
pub mod serve;
pub mod session;
pub mod settings_cmd;
pub mod site;
pub mod tls;
pub mod ui;
