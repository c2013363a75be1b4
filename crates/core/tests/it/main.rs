//! ontap-core's integration tests, one binary (one link, one run): each module a domain.

mod catalog;
mod certificates;
mod fixtures;
mod ipsec;
mod jobs;
mod one_home;
mod security;
mod x509;
