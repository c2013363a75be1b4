//! Validation results: every rule that is broken, at once, each with its field and ONTAP code.

use serde::{Deserialize, Serialize};

/// One broken rule in a request, reported before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Dotted path of the offending field, e.g. `onboard.passphrase` or `external.servers[2].server`.
    pub field: String,
    /// A sentence a storage admin understands. Never repeats a secret value.
    pub message: String,
    /// The ONTAP error code the cluster would answer with, where the reference names one.
    pub code: Option<u64>,
}

impl Violation {
    /// A violation that ONTAP reports with the given error code.
    pub fn coded(field: impl Into<String>, code: u64, message: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            message: message.into(),
            code: Some(code),
        }
    }

    /// A violation caught by the console for which the reference names no code.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            message: message.into(),
            code: None,
        }
    }
}

/// All the rules a request breaks. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, thiserror::Error)]
#[error("{} problem(s) in the request: {}", .0.len(), summary(.0))]
pub struct Violations(pub Vec<Violation>);

fn summary(list: &[Violation]) -> String {
    list.iter()
        .map(|v| format!("{}: {}", v.field, v.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Violations {
    /// An empty list, to collect into.
    pub fn new() -> Self {
        Violations(Vec::new())
    }

    /// Records a broken rule.
    pub fn push(&mut self, violation: Violation) {
        self.0.push(violation);
    }

    /// Whether no rule is broken.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations of one field (and of its children), for showing next to that field.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Violation> + 'a {
        self.0.iter().filter(move |v| {
            v.field == field
                || v.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }

    /// Whether a violation with this ONTAP code is present.
    pub fn has_code(&self, code: u64) -> bool {
        self.0.iter().any(|v| v.code == Some(code))
    }

    /// `Ok(())` when nothing is broken, the violations otherwise.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl Extend<Violation> for Violations {
    fn extend<I: IntoIterator<Item = Violation>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_field_matches_children_but_not_siblings_with_a_common_prefix() {
        let list = Violations(vec![
            Violation::new("external.servers[0].server", "bad"),
            Violation::new("external.server_ca_certificates", "missing"),
            Violation::coded("onboard.passphrase", 65536920, "short"),
        ]);
        assert_eq!(list.for_field("external.servers").count(), 1);
        assert_eq!(list.for_field("external").count(), 2);
        assert!(list.has_code(65536920));
        assert!(!list.has_code(1));
        assert!(Violations::new().into_result().is_ok());
        assert!(list.into_result().is_err());
    }
}
