//! One module per console page. Each reads what it shows from the cluster (loading, empty and
//! error states included) and sends changes through [`crate::flow`].

pub mod certificates;
pub mod ipsec;
pub mod key_managers;
pub mod overview;
pub mod security;
