//! (to be written)

use serde::{Deserialize, Serialize};

/// The cluster's jobs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {}
