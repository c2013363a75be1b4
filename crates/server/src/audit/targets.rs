//! Which clusters to audit and how to sign in to each: `--cluster` flags or an inventory file
//! (TOML), and passwords from an environment variable the inventory names,
//! `ONTAP_CONSOLE_PASSWORD`, or a prompt when stdin is a terminal. Never from a flag: command
//! lines are visible to every user of the machine and kept in shell histories.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use ontap_core::Secret;
use serde::Deserialize;
use url::Url;

use crate::cli::{parse_cluster_url, Trust};

/// The environment variable read when the inventory names none.
pub const PASSWORD_ENV: &str = "ONTAP_CONSOLE_PASSWORD";

/// Inventory and policy files larger than this are refused before they are parsed.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// At most this many clusters in one audit.
pub const MAX_CLUSTERS: usize = 100_000;

/// The user when neither `--user` nor the inventory names one.
pub const DEFAULT_USER: &str = "admin";

/// One cluster to audit.
#[derive(Debug, Clone)]
pub struct Target {
    /// The inventory's name, or `host[:port]` of a `--cluster` URL.
    pub name: String,
    pub url: Url,
    pub user: String,
    pub password: Secret,
    pub trust: Trust,
    /// `FILE:LINE` of the inventory entry, for SARIF locations.
    pub declared_in: Option<(String, usize)>,
}

/// Why the targets cannot be built (a usage error: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is larger than {MAX_FILE_BYTES} bytes")]
    TooLarge { path: String },
    #[error("{path} is not a valid inventory: {message}")]
    Invalid { path: String, message: String },
    #[error("cluster {name}: {message}")]
    Cluster { name: String, message: String },
    #[error(
        "no password for {user}: set {variable}, or run from a terminal to be asked \
         (passwords are never taken on the command line)"
    )]
    NoPassword { user: String, variable: String },
    #[error("cannot read the password: {0}")]
    Prompt(std::io::Error),
}

/// Reads a bounded text file.
pub fn read_bounded(path: &Path) -> Result<String, TargetError> {
    let shown = path.display().to_string();
    let read = |source| TargetError::Read {
        path: shown.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(TargetError::TooLarge { path: shown });
    }
    std::fs::read_to_string(path).map_err(read)
}

/// The inventory file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Inventory {
    #[serde(default)]
    defaults: Entry,
    #[serde(default)]
    cluster: Vec<Entry>,
}

/// A cluster entry, or the defaults every entry inherits.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: Option<String>,
    url: Option<String>,
    user: Option<String>,
    /// The environment variable holding this cluster's password.
    password_env: Option<String>,
    ca_file: Option<PathBuf>,
    insecure: Option<bool>,
}

/// Asks for a password on the terminal, showing the prompt text.
pub type Prompt<'p> = dyn Fn(&str) -> std::io::Result<String> + 'p;

/// Where passwords come from.
pub struct Passwords<'a> {
    /// Reads an environment variable (the process's, or a test's map).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Asks on the terminal; `None` when stdin is not one.
    pub prompt: Option<&'a Prompt<'a>>,
    /// Passwords already asked, per user (each is asked once).
    asked: BTreeMap<String, Secret>,
}

impl<'a> Passwords<'a> {
    pub fn new(env: &'a dyn Fn(&str) -> Option<String>, prompt: Option<&'a Prompt<'a>>) -> Self {
        Passwords {
            env,
            prompt,
            asked: BTreeMap::new(),
        }
    }

    /// The password of `user`: the named variable, else `ONTAP_CONSOLE_PASSWORD`, else asked.
    pub(crate) fn get(
        &mut self,
        user: &str,
        variable: Option<&str>,
    ) -> Result<Secret, TargetError> {
        if let Some(variable) = variable {
            return match (self.env)(variable) {
                Some(value) if !value.is_empty() => Ok(Secret::new(value)),
                _ => Err(TargetError::NoPassword {
                    user: user.to_owned(),
                    variable: variable.to_owned(),
                }),
            };
        }
        if let Some(value) = (self.env)(PASSWORD_ENV).filter(|v| !v.is_empty()) {
            return Ok(Secret::new(value));
        }
        if let Some(secret) = self.asked.get(user) {
            return Ok(secret.clone());
        }
        let Some(prompt) = self.prompt else {
            return Err(TargetError::NoPassword {
                user: user.to_owned(),
                variable: PASSWORD_ENV.to_owned(),
            });
        };
        let secret =
            Secret::new(prompt(&format!("Password for {user}: ")).map_err(TargetError::Prompt)?);
        self.asked.insert(user.to_owned(), secret.clone());
        Ok(secret)
    }
}

/// The process's environment and, when stdin is a terminal, rpassword's prompt.
pub fn with_process_passwords<R>(f: impl FnOnce(&mut Passwords<'_>) -> R) -> R {
    let env = |name: &str| std::env::var(name).ok();
    let prompt = |text: &str| rpassword::prompt_password(text);
    let terminal = std::io::stdin().is_terminal();
    let prompt_ref: &Prompt<'_> = &prompt;
    let mut passwords = Passwords::new(&env, terminal.then_some(prompt_ref));
    f(&mut passwords)
}

/// Targets of `--cluster` flags, all signed in as `user` with one trust.
pub fn from_flags(
    urls: &[String],
    user: &str,
    trust: &Trust,
    passwords: &mut Passwords<'_>,
) -> Result<Vec<Target>, TargetError> {
    let mut targets = Vec::with_capacity(urls.len());
    for raw in urls {
        let url = parse_cluster_url(raw).map_err(|e| TargetError::Cluster {
            name: raw.clone(),
            message: e.message,
        })?;
        let name = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or("?")),
            None => url.host_str().unwrap_or("?").to_owned(),
        };
        check_trust(&name, &url, trust)?;
        targets.push(Target {
            name,
            url,
            user: user.to_owned(),
            password: passwords.get(user, None)?,
            trust: trust.clone(),
            declared_in: None,
        });
    }
    Ok(targets)
}

/// Targets of an inventory file. `user` and `trust` (from flags) apply where neither the entry
/// nor `[defaults]` says otherwise; relative `ca_file`s are relative to the inventory.
pub fn from_inventory(
    path: &Path,
    user: Option<&str>,
    trust: &Trust,
    passwords: &mut Passwords<'_>,
) -> Result<Vec<Target>, TargetError> {
    let shown = path.display().to_string();
    let text = read_bounded(path)?;
    let inventory: Inventory = toml::from_str(&text).map_err(|e| TargetError::Invalid {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    if inventory.cluster.is_empty() {
        return Err(TargetError::Invalid {
            path: shown,
            message: "it lists no [[cluster]]".to_owned(),
        });
    }
    if inventory.cluster.len() > MAX_CLUSTERS {
        return Err(TargetError::Invalid {
            path: shown,
            message: format!("more than {MAX_CLUSTERS} clusters"),
        });
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let defaults = &inventory.defaults;
    let mut seen = std::collections::HashSet::new();
    let mut targets = Vec::with_capacity(inventory.cluster.len());
    for (index, entry) in inventory.cluster.iter().enumerate() {
        let invalid = |message: String| TargetError::Invalid {
            path: shown.clone(),
            message: format!("cluster #{}: {message}", index + 1),
        };
        let name = entry
            .name
            .clone()
            .ok_or_else(|| invalid("it has no name".to_owned()))?;
        if !seen.insert(name.clone()) {
            return Err(invalid(format!("the name {name} is used twice")));
        }
        let cluster = |message: String| TargetError::Cluster {
            name: name.clone(),
            message,
        };
        let raw = entry
            .url
            .as_deref()
            .ok_or_else(|| cluster("it has no url".to_owned()))?;
        let url = parse_cluster_url(raw).map_err(|e| cluster(e.message))?;
        let ca_file = entry.ca_file.as_ref().or(defaults.ca_file.as_ref());
        let insecure = entry.insecure.or(defaults.insecure);
        let trust = match (ca_file, insecure) {
            (Some(_), Some(true)) => {
                return Err(cluster(
                    "ca_file and insecure exclude each other".to_owned(),
                ))
            }
            (Some(file), _) => Trust::CaFile(base.join(file)),
            (None, Some(true)) => Trust::Insecure,
            (None, Some(false)) => Trust::SystemRoots,
            (None, None) => trust.clone(),
        };
        check_trust(&name, &url, &trust)?;
        let user = entry
            .user
            .as_deref()
            .or(defaults.user.as_deref())
            .or(user)
            .unwrap_or(DEFAULT_USER)
            .to_owned();
        let variable = entry
            .password_env
            .as_deref()
            .or(defaults.password_env.as_deref());
        let password = passwords.get(&user, variable)?;
        targets.push(Target {
            declared_in: Some((shown.clone(), line_of(&text, &name))),
            name,
            url,
            user,
            password,
            trust,
        });
    }
    Ok(targets)
}

fn check_trust(name: &str, url: &Url, trust: &Trust) -> Result<(), TargetError> {
    if url.scheme() == "http" && *trust != Trust::SystemRoots {
        return Err(TargetError::Cluster {
            name: name.to_owned(),
            message: "ca_file and insecure apply to https clusters only".to_owned(),
        });
    }
    Ok(())
}

/// The 1-based line of `name = "NAME"` in the inventory (1 when not found).
fn line_of(text: &str, name: &str) -> usize {
    let quoted = format!("\"{name}\"");
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with("name") && l.contains(&quoted)
        })
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn inventory_entries_inherit_defaults_and_name_their_variables() {
        let (_dir, path) = inventory(
            r#"
[defaults]
user = "audit"
password_env = "FLEET_PW"

[[cluster]]
name = "a"
url = "https://a.example.com"
ca_file = "a.pem"

[[cluster]]
name = "b"
url = "https://b.example.com:8443"
user = "ops"
password_env = "B_PW"
insecure = true
"#,
        );
        let env = |name: &str| match name {
            "FLEET_PW" => Some("pa".to_owned()),
            "B_PW" => Some("pb".to_owned()),
            _ => None,
        };
        let mut passwords = Passwords::new(&env, None);
        let targets = from_inventory(&path, None, &Trust::SystemRoots, &mut passwords).unwrap();
        assert_eq!(targets[0].user, "audit");
        assert_eq!(targets[0].password.expose(), "pa");
        assert_eq!(
            targets[0].trust,
            Trust::CaFile(path.parent().unwrap().join("a.pem"))
        );
        assert_eq!(targets[0].declared_in.as_ref().unwrap().1, 7);
        assert_eq!(targets[1].user, "ops");
        assert_eq!(targets[1].password.expose(), "pb");
        assert_eq!(targets[1].trust, Trust::Insecure);
    }

    #[test]
    fn a_missing_variable_is_named_and_no_prompt_without_a_terminal() {
        let (_dir, path) =
            inventory("[[cluster]]\nname = \"a\"\nurl = \"https://a\"\npassword_env = \"A_PW\"\n");
        let env = |_: &str| None;
        let mut passwords = Passwords::new(&env, None);
        let err = from_inventory(&path, None, &Trust::SystemRoots, &mut passwords).unwrap_err();
        assert!(err.to_string().contains("A_PW"), "{err}");
        let err = from_flags(
            &["https://a".to_owned()],
            "admin",
            &Trust::SystemRoots,
            &mut passwords,
        )
        .unwrap_err();
        assert!(err.to_string().contains(PASSWORD_ENV), "{err}");
    }

    #[test]
    fn a_prompt_is_asked_once_per_user() {
        let env = |_: &str| None;
        let count = std::cell::Cell::new(0);
        let prompt = |_: &str| {
            count.set(count.get() + 1);
            Ok("typed".to_owned())
        };
        let mut passwords = Passwords::new(&env, Some(&prompt));
        let urls = ["https://a".to_owned(), "https://b:444".to_owned()];
        let targets = from_flags(&urls, "admin", &Trust::SystemRoots, &mut passwords).unwrap();
        assert_eq!(count.get(), 1);
        assert_eq!(targets[1].name, "b:444");
        assert_eq!(targets[1].password.expose(), "typed");
    }

    #[test]
    fn bad_inventories_are_refused() {
        let env = |_: &str| Some("pw".to_owned());
        for text in [
            "[[cluster]]\nurl = \"https://a\"\n",
            "[[cluster]]\nname = \"a\"\n",
            "[[cluster]]\nname = \"a\"\nurl = \"https://a\"\npassword = \"x\"\n",
            "[[cluster]]\nname = \"a\"\nurl = \"https://a\"\n[[cluster]]\nname = \"a\"\nurl = \"https://b\"\n",
            "[[cluster]]\nname = \"a\"\nurl = \"https://a\"\nca_file = \"x\"\ninsecure = true\n",
            "[[cluster]]\nname = \"a\"\nurl = \"http://a.example.com\"\n",
            "",
        ] {
            let (_dir, path) = inventory(text);
            let mut passwords = Passwords::new(&env, None);
            assert!(
                from_inventory(&path, None, &Trust::SystemRoots, &mut passwords).is_err(),
                "{text}"
            );
        }
    }
}
