//! (to be written)

use serde::{Deserialize, Serialize};

/// This domain's part of the simulated cluster.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {}
