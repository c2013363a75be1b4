//! Which parts of a `/api/security` PATCH lower the cluster's security, so that a console can
//! ask for an explicit confirmation naming each one.

use super::model::SecurityConfig;

/// One sentence per security-lowering part of `change` compared with `current`: FIPS mode
/// turned off, rsh or telnet turned on, the TLS floor lowered. Empty when nothing is lowered.
pub fn lowering_changes(change: &SecurityConfig, current: &SecurityConfig) -> Vec<String> {
    let mut out = Vec::new();
    if change.fips_enabled() == Some(false) && current.fips_enabled() == Some(true) {
        out.push("Turn FIPS 140 mode off: the cluster will accept algorithms FIPS forbids.".into());
    }
    let protocols = change.management_protocols.as_ref();
    let now = current.management_protocols.as_ref();
    if protocols.and_then(|p| p.telnet_enabled) == Some(true)
        && now.and_then(|p| p.telnet_enabled) != Some(true)
    {
        out.push("Turn telnet on: logins and commands cross the network in clear text.".into());
    }
    if protocols.and_then(|p| p.rsh_enabled) == Some(true)
        && now.and_then(|p| p.rsh_enabled) != Some(true)
    {
        out.push("Turn rsh on: logins and commands cross the network in clear text.".into());
    }
    let new_floor = change.tls.as_ref().and_then(|t| t.floor());
    let old_floor = current.tls.as_ref().and_then(|t| t.floor());
    if let (Some(new), Some(old)) = (new_floor, old_floor) {
        if new < old {
            out.push(format!(
                "Lower the TLS floor from {} to {}: clients may connect with the older protocol.",
                old.name(),
                new.name()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: serde_json::Value) -> SecurityConfig {
        serde_json::from_value(value).expect("test config")
    }

    #[test]
    fn names_each_lowering_change() {
        let current = config(json!({
            "fips": {"enabled": true},
            "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2"]},
            "management_protocols": {"telnet_enabled": false, "rsh_enabled": false}
        }));
        let change = config(json!({
            "fips": {"enabled": false},
            "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2", "TLSv1.1"]},
            "management_protocols": {"telnet_enabled": true}
        }));
        let sentences = lowering_changes(&change, &current);
        assert_eq!(sentences.len(), 3, "{sentences:?}");
        assert!(sentences[0].contains("FIPS"));
        assert!(sentences[1].contains("telnet"));
        assert!(sentences[2].contains("from TLSv1.2 to TLSv1.1"));
    }

    #[test]
    fn raising_security_needs_no_confirmation() {
        let current = config(json!({
            "fips": {"enabled": false},
            "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2", "TLSv1.1"]},
            "management_protocols": {"telnet_enabled": true}
        }));
        let change = config(json!({
            "fips": {"enabled": true},
            "tls": {"protocol_versions": ["TLSv1.3", "TLSv1.2"]},
            "management_protocols": {"telnet_enabled": false}
        }));
        assert!(lowering_changes(&change, &current).is_empty());
    }
}
