//! The API's endpoints, one module per domain: its state and handlers (the two large domains
//! keep their state and rules in a `store` submodule, the handlers in `mod.rs`).

pub mod certificates;
pub mod cluster;
pub mod ipsec;
pub mod key_managers;
pub mod security;
