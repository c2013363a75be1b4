//! The `ontap-console` binary as a process, one test binary: the simulator it serves, the proxy,
//! the command line.

mod cli;
mod common;
mod proxy;
mod simulator;
mod site;
