//! `ontap-console get RESOURCE --cluster URL`: the audit's reads, for scripts. JSON is core's
//! model of the answer (every page of a collection, as one array); the table shows one field
//! per row (a single resource) or one record per row (a collection).

use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::{presets, Table};
use ontap_core::audit::reads;
use ontap_core::certificates::Certificate;
use ontap_core::ipsec::Ipsec;
use ontap_core::key_managers::KeyManager;
use ontap_core::security::SecurityConfig;
use serde_json::Value;

use crate::audit::fetch::{self, Clients};
use crate::audit::targets::{self, DEFAULT_USER};
use crate::cli::Trust;

/// What `get` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Resource {
    /// `/api/security`: FIPS, TLS, management protocols, encryption defaults.
    Security,
    /// `/api/security/ipsec`.
    Ipsec,
    /// `/api/security/key-managers`, with status and key-server connectivity.
    KeyManagers,
    /// `/api/security/certificates`, every page.
    Certificates,
}

/// `get --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GetFormat {
    Table,
    Json,
}

/// The flags of `get`.
#[derive(Debug, Clone, clap::Args)]
pub struct GetArgs {
    /// What to read.
    #[arg(
        value_enum,
        required_unless_present = "as_file",
        conflicts_with = "as_file"
    )]
    pub resource: Option<Resource>,
    /// Print the cluster's managed settings as a settings file (TOML) for `plan` and `apply`.
    #[arg(long)]
    pub as_file: bool,
    /// With --as-file: write the public PEM of each certificate the key managers use into DIR
    /// and manage those certificates in the file (private keys must be supplied by you).
    #[arg(long, value_name = "DIR", requires = "as_file")]
    pub pem_dir: Option<PathBuf>,
    /// The cluster management address (https://MGMT-LIF).
    #[arg(long, value_name = "URL")]
    pub cluster: String,
    /// The user to sign in as [default: admin]; the password comes from
    /// ONTAP_CONSOLE_PASSWORD or a prompt on a terminal.
    #[arg(long)]
    pub user: Option<String>,
    /// Trust only the certificates in this PEM file.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Do not verify the cluster's TLS certificate; prefer --ca-file.
    #[arg(long, conflicts_with = "ca_file")]
    pub insecure: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: GetFormat,
}

/// Columns of a collection's table (dotted paths into a record).
const CERTIFICATE_COLUMNS: &[&str] = &[
    "name",
    "svm.name",
    "type",
    "common_name",
    "key_size",
    "hash_function",
    "expiry_time",
];
const KEY_MANAGER_COLUMNS: &[&str] = &[
    "uuid",
    "scope",
    "svm.name",
    "external.servers",
    "onboard.enabled",
    "status.message",
];

/// Runs `get`: 0 when read, 2 otherwise (the reason on stderr).
pub async fn run(args: GetArgs) -> ExitCode {
    match read(&args).await {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("ontap-console: {message}");
            ExitCode::from(crate::audit::EXIT_ERROR)
        }
    }
}

async fn read(args: &GetArgs) -> Result<String, String> {
    let trust = match (&args.ca_file, args.insecure) {
        (Some(path), _) => Trust::CaFile(path.clone()),
        (None, true) => Trust::Insecure,
        (None, false) => Trust::SystemRoots,
    };
    let user = args.user.as_deref().unwrap_or(DEFAULT_USER);
    let target = targets::with_process_passwords(|p| {
        targets::from_flags(std::slice::from_ref(&args.cluster), user, &trust, p)
    })
    .map_err(|e| e.to_string())?
    .remove(0);
    let clients = Clients::for_targets(std::slice::from_ref(&target)).map_err(|e| e.to_string())?;
    let failed = |e: fetch::FetchError| format!("cluster {}: {e}", target.name);
    let Some(resource) = args.resource else {
        let current = crate::settings_cmd::current(&clients, &target)
            .await
            .map_err(failed)?;
        return crate::settings_cmd::to_file_with_pems(&current, args.pem_dir.as_deref());
    };
    let r = reads();
    let value = match resource {
        Resource::Security => to_value(
            fetch::read_one::<SecurityConfig>(&clients, &target, &r.security)
                .await
                .map_err(failed)?,
        ),
        Resource::Ipsec => to_value(
            fetch::read_one::<Ipsec>(&clients, &target, &r.ipsec)
                .await
                .map_err(failed)?,
        ),
        Resource::KeyManagers => to_value(
            fetch::read_all::<KeyManager>(&clients, &target, &r.key_managers)
                .await
                .map_err(failed)?,
        ),
        Resource::Certificates => to_value(
            fetch::read_all::<Certificate>(&clients, &target, &r.certificates)
                .await
                .map_err(failed)?,
        ),
    };
    Ok(match args.format {
        GetFormat::Json => {
            let mut text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
            text.push('\n');
            text
        }
        GetFormat::Table => match resource {
            Resource::Certificates => records_table(&value, CERTIFICATE_COLUMNS),
            Resource::KeyManagers => records_table(&value, KEY_MANAGER_COLUMNS),
            Resource::Security | Resource::Ipsec => fields_table(&value),
        },
    })
}

fn to_value<T: serde::Serialize>(value: T) -> Value {
    // Core's models serialize to JSON objects with string keys: this cannot fail.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A value as one cell: strings bare, arrays joined, objects as compact JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        Value::Object(map) if map.len() == 1 => map.values().map(cell).collect(),
        other => other.to_string(),
    }
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .try_fold(value, |v, key| v.get(key))
        .unwrap_or(&Value::Null)
}

fn records_table(records: &Value, columns: &[&str]) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(columns.to_vec());
    for record in records.as_array().into_iter().flatten() {
        table.add_row(columns.iter().map(|c| cell(at(record, c))));
    }
    format!("{table}\n")
}

/// One row per leaf field, `a.b.c` paths.
fn fields_table(value: &Value) -> String {
    fn walk(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&path, inner, rows);
                }
            }
            Value::Null => {}
            other => rows.push((prefix.to_owned(), cell(other))),
        }
    }
    let mut rows = Vec::new();
    walk("", value, &mut rows);
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["field", "value"]);
    for (field, value) in rows {
        table.add_row(vec![field, value]);
    }
    format!("{table}\n")
}
