//! `ontap-console`: see the library crate for what it does.

use std::process::ExitCode;

use clap::Parser;
use ontap_console::cli::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let Command::Serve(args) = Cli::parse().command;
    let settings = args.check().unwrap_or_else(|e| e.exit());
    ontap_console::serve::init_logging();
    match ontap_console::serve::run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ontap-console: {e}");
            ExitCode::FAILURE
        }
    }
}
