//! `ontap-console`: see the library crate for what it does.

use std::process::ExitCode;

use clap::Parser;
use ontap_console::cli::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Cli::parse().command {
        Command::Serve(args) => args,
        Command::Audit(args) => return ontap_console::audit::run(args).await,
        Command::Get(args) => return ontap_console::get::run(args).await,
        Command::Plan(args) => return ontap_console::settings_cmd::run_plan(args).await,
        Command::Apply(args) => return ontap_console::settings_cmd::run_apply(args).await,
        Command::SiteConfig(args) => return ontap_console::site::run(args),
    };
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
