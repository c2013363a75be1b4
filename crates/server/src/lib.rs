//! # ontap-console
//!
//! One command, `ontap-console serve`, that serves the built console (trunk's `dist/`) and
//! answers its `/api` calls, from the embedded simulated cluster (`ontap-sim`) or by forwarding
//! them to a real cluster. The library half exists so tests can build the same [`app::app`].

pub mod app;
pub mod cli;
pub mod guard;
pub mod https;
pub mod listen;
pub mod proxy;
pub mod serve;
pub mod tls;
pub mod ui;
