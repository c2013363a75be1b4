//! The API's endpoints, one module per domain, each with its state and its handlers.

pub mod certificates;
pub mod cluster;
pub mod ipsec;
pub mod key_managers;
pub mod many;
pub mod security;
