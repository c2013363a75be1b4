//! # ontap-sim
//!
//! A simulated ONTAP cluster: an axum [`Router`](axum::Router) over in-memory state that speaks
//! the `/api/security` REST API (plus `/api/cluster`, `/api/cluster/jobs`, `/api/svm/svms`) and
//! enforces the same rules as a real cluster through `ontap-core`, answering with ONTAP's own
//! status codes and error bodies. Used by `ontap-console serve`, by tests, and by other tools.

pub mod app;
pub mod auth;
pub mod clock;
pub mod collection;
pub mod config;
pub mod error;
pub mod faults;
pub mod fleet;
#[doc(hidden)]
pub mod fuzzing;
pub mod jobs;
pub mod persist;
pub mod pki;
pub mod routes;
pub mod scenario;
pub mod secrets;
pub mod state;

pub use app::{app, Simulator, StartError, SIMULATOR_HEADER};
pub use config::{Scenario, SimConfig};
pub use faults::FaultSpec;
