//! # ontap-core
//!
//! The pure heart of the ONTAP security console: serde models of ONTAP's `/api/security`
//! endpoints (and the few cluster reads a console needs), validation that reports every broken
//! rule with ONTAP's own error code before anything is sent, builders that turn a validated
//! change into a transport-neutral [`request::Request`], and decoding of answers and errors.
//!
//! No I/O, no clock, no async runtime: rules that depend on time take "now" as an argument.
//! It builds for `wasm32-unknown-unknown` (the console) and the host (the simulator, tools).

pub mod audit;
pub mod catalog;
pub mod certificates;
pub mod cluster;
pub mod envelope;
pub mod error;
pub mod filter;
pub mod ipsec;
pub mod jobs;
pub mod key_managers;
pub mod limits;
pub mod pem;
pub mod query;
pub mod releases;
pub mod request;
pub mod secret;
pub mod security;
pub mod settings;
pub mod site;
pub mod validation;
pub mod x509;

pub use envelope::{
    expand_dotted_keys, try_expand_dotted_keys, Collection, Extra, JobLink, JobResponse, Links,
};
pub use error::{decode, ApiError, ErrorResponse, OntapError};
pub use query::{Order, Query};
pub use request::{Method, Request};
pub use secret::Secret;
pub use validation::{Violation, Violations};

/// Header on every answer of the simulated cluster, so a console can say it talks to one.
pub const SIMULATOR_HEADER: &str = "x-ontap-simulator";
