//! The "current versus new" lines of a preview: every value a request body sets, next to what
//! the cluster has now. Secrets are masked on both sides.

use ontap_core::filter::value_at;
use ontap_core::secret::{is_secret_path, MASK};
use serde_json::Value;

/// One changed value.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffLine {
    /// Dotted field path, e.g. `tls.protocol_versions`.
    pub field: String,
    /// What the cluster has now; `None` when it has nothing there (a new object).
    pub before: Option<String>,
    /// What the request sets.
    pub after: String,
}

impl DiffLine {
    /// Whether the value really changes.
    pub fn changes(&self) -> bool {
        self.before.as_deref() != Some(self.after.as_str())
    }
}

/// The values `body` sets, each with its current value in `current` (`Value::Null` for a
/// creation). Objects are walked; arrays and scalars are compared whole.
pub fn diff(current: &Value, body: &Value) -> Vec<DiffLine> {
    let mut lines = Vec::new();
    walk(current, body, &mut Vec::new(), &mut lines);
    lines
}

fn walk<'a>(current: &Value, value: &'a Value, path: &mut Vec<&'a str>, out: &mut Vec<DiffLine>) {
    if let Value::Object(map) = value {
        for (key, child) in map {
            if key == "_links" {
                continue;
            }
            path.push(key);
            walk(current, child, path, out);
            path.pop();
        }
        return;
    }
    let field = path.join(".");
    let secret = is_secret_path(path);
    let show = |v: &Value| {
        if secret {
            MASK.to_owned()
        } else {
            render(v)
        }
    };
    let before = match value_at(current, &field) {
        Value::Null => None,
        v => Some(show(&v)),
    };
    out.push(DiffLine {
        field,
        before,
        after: show(value),
    });
}

/// A value as an admin reads it: strings without quotes, lists comma-separated.
pub fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::Array(items) => items.iter().map(render).collect::<Vec<_>>().join(", "),
        Value::Null => "(none)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_every_set_value_with_its_current_value() {
        let current = json!({"fips": {"enabled": false}, "tls": {"protocol_versions": ["TLSv1.2", "TLSv1.3"]}});
        let body = json!({"fips": {"enabled": true}, "tls": {"protocol_versions": ["TLSv1.3"]}});
        let lines = diff(&current, &body);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].field, "fips.enabled");
        assert_eq!(lines[0].before.as_deref(), Some("false"));
        assert_eq!(lines[0].after, "true");
        assert_eq!(lines[1].before.as_deref(), Some("TLSv1.2, TLSv1.3"));
        assert!(lines.iter().all(DiffLine::changes));
    }

    #[test]
    fn masks_secrets_on_both_sides() {
        let body = json!({"onboard": {"passphrase": "a-very-secret-passphrase-of-32-chars!"}});
        let lines = diff(&Value::Null, &body);
        assert_eq!(lines[0].after, MASK);
        assert_eq!(lines[0].before, None);
        assert!(!format!("{lines:?}").contains("very-secret"));
    }

    #[test]
    fn unchanged_values_are_told_apart() {
        let lines = diff(&json!({"enabled": true}), &json!({"enabled": true}));
        assert!(!lines[0].changes());
    }
}
