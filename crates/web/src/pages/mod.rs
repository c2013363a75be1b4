//! One module per console page. Each reads what it shows from the cluster (loading, empty and
//! error states included) and sends changes through [`crate::flow`].

pub mod certificates;
pub mod ipsec;
pub mod key_managers;
pub mod overview;
pub mod security;

use ontap_core::cluster::Svm;

use crate::api::CallError;

/// The SVMs' names, once read (none while reading or after a failure, shown on its own).
pub(crate) fn svm_names(read: Option<Result<Vec<Svm>, CallError>>) -> Vec<String> {
    read.and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| s.name)
        .collect()
}
