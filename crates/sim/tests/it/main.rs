//! The simulator over real HTTP, one test binary: each module an area of the API.

mod api_semantics;
mod audit;
mod certificates;
mod cluster;
mod common;
mod ipsec;
mod key_managers;
mod persistence;
mod robustness;
mod security;
