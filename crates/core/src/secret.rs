//! Secrets (passphrases, passwords, private keys, client secrets) and their masking.
//!
//! A [`Secret`] serializes to its real value, because requests must carry it, but it cannot be
//! printed: `Debug` shows a mask and there is no `Display`. Previews and logs of whole JSON
//! documents go through [`mask_secrets`], which knows every secret field ONTAP documents.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// What every masked secret is shown as.
pub const MASK: &str = "********";

/// A secret string: sent on the wire, never printed.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value, for the few places that must use it (validation, sending, hashing).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Field names that hold a secret wherever they appear in an ONTAP document.
const SECRET_FIELDS: &[&str] = &[
    "passphrase",
    "existing_passphrase",
    "new_passphrase",
    "private_key",
    "generated_private_key",
    "password",
    "client_secret",
    "proxy_password",
];

/// Whether the value at this JSON path (object keys from the root; array indices skipped) is a
/// secret. `azure.client_certificate` is a secret (a PKCS#12 with its key), while a key manager's
/// `external.client_certificate` is only a reference to an installed certificate.
pub fn is_secret_path(path: &[&str]) -> bool {
    let Some(last) = path.last() else {
        return false;
    };
    if SECRET_FIELDS.contains(last) {
        return true;
    }
    *last == "client_certificate" && path.len() >= 2 && path[path.len() - 2] == "azure"
}

/// Replaces every secret in a JSON document by [`MASK`], in place. Dotted keys such as
/// `"onboard.passphrase"` (ONTAP accepts them in PATCH bodies) are split before matching.
pub fn mask_secrets(value: &mut Value) {
    fn walk(value: &mut Value, path: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let depth = path.len();
                    path.extend(key.split('.').map(str::to_owned));
                    let as_str: Vec<&str> = path.iter().map(String::as_str).collect();
                    if is_secret_path(&as_str) && !child.is_null() {
                        *child = Value::String(MASK.to_owned());
                    } else {
                        walk(child, path);
                    }
                    path.truncate(depth);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, path);
                }
            }
            _ => {}
        }
    }
    walk(value, &mut Vec::new());
}

/// A masked copy of a JSON document, for previews and logs.
pub fn masked(value: &Value) -> Value {
    let mut copy = value.clone();
    mask_secrets(&mut copy);
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("hunter2-hunter2");
        assert_eq!(format!("{secret:?}"), MASK);
        assert_eq!(
            serde_json::to_string(&secret).unwrap(),
            "\"hunter2-hunter2\""
        );
    }

    #[test]
    fn masks_nested_and_dotted_secrets_but_not_certificate_references() {
        let mut doc = json!({
            "onboard": {"passphrase": "p1", "existing_passphrase": "p2", "enabled": true},
            "onboard.passphrase": "p3",
            "external": {"client_certificate": {"name": "c"}, "servers": [{"server": "s", "password": "pw"}]},
            "azure": {"client_certificate": "pkcs12", "client_secret": "cs", "proxy_password": "pp"},
            "private_key": "-----BEGIN PRIVATE KEY-----",
            "name": "visible"
        });
        mask_secrets(&mut doc);
        let text = doc.to_string();
        for secret in [
            "p1",
            "p2",
            "p3",
            "\"pw\"",
            "pkcs12",
            "\"cs\"",
            "\"pp\"",
            "BEGIN PRIVATE",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
        assert_eq!(doc["external"]["client_certificate"]["name"], "c");
        assert_eq!(doc["name"], "visible");
        assert_eq!(doc["onboard"]["enabled"], true);
    }
}
