//! What deleting a key manager takes away, in the sentences a confirmation shows, with the codes
//! ONTAP answers when it refuses: the console states these before the DELETE is sent, and the
//! simulator refuses with the same codes.

use super::KeyManager;
use crate::catalog::codes;
use crate::security::SecurityConfig;

/// "the Onboard Key Manager of SVM vs0", "the external key manager of the cluster".
pub fn describe(km: &KeyManager) -> String {
    let what = if km.is_onboard() {
        "the Onboard Key Manager"
    } else {
        "the external key manager"
    };
    match km.svm.as_ref().and_then(|s| s.name.as_deref()) {
        Some(svm) => format!("{what} of SVM {svm}"),
        None => format!("{what} of the cluster"),
    }
}

/// What depends on a key manager, one sentence each. `security` is the cluster's software
/// data-at-rest encryption state (read for cluster-scope key managers; `None` when unknown).
pub fn consequences(km: &KeyManager, security: Option<&SecurityConfig>) -> Vec<String> {
    let [external_volumes, onboard_volumes] = codes::ENCRYPTED_VOLUMES_EXIST;
    let mut out = vec![format!(
        "Deleting {} makes the keys it holds unavailable: volumes encrypted with them (NVE) \
         can no longer be mounted or read. ONTAP refuses while the SVM has encrypted volumes \
         ({external_volumes}, {onboard_volumes}) or encrypted kernel core files ({}).",
        describe(km),
        codes::ENCRYPTED_CORE_FILES_EXIST,
    )];
    if km.svm.is_none() {
        out.push(format!(
            "At cluster scope it also serves self-encrypting drives (NSE: refused while drives \
             use its authentication keys, {}), aggregate encryption (NAE: refused while NAE \
             aggregates exist, {}), the SVMs without their own key manager, and software \
             data-at-rest encryption.",
            codes::SED_AUTHENTICATION_KEYS_ASSIGNED,
            codes::NAE_AGGREGATES_EXIST,
        ));
        let sde = security.and_then(|s| s.software_data_encryption.as_ref());
        if sde.and_then(|s| s.conversion_enabled) == Some(true) {
            out.push(
                "Software data-at-rest encryption has been converted on this cluster \
                 (conversion enabled): it depends on this key manager, and ONTAP will refuse."
                    .to_owned(),
            );
        }
    }
    if km.is_onboard() {
        out.push("Its key backup and passphrase will no longer restore anything.".to_owned());
    } else {
        out.push("The client and server CA certificates stay installed.".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn km(v: serde_json::Value) -> KeyManager {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_delete_confirmation_names_the_key_manager_and_what_depends_on_it() {
        let svm = km(json!({"svm": {"name": "vs0"}, "external": {}}));
        let text = consequences(&svm, None).join(" ");
        assert!(text.contains("external key manager of SVM vs0"), "{text}");
        assert!(
            text.contains(&codes::ENCRYPTED_VOLUMES_EXIST[1].to_string())
                && !text.contains(&codes::NAE_AGGREGATES_EXIST.to_string()),
            "{text}"
        );

        let onboard = km(json!({"onboard": {"enabled": true}}));
        let converted: SecurityConfig = serde_json::from_value(
            json!({"software_data_encryption": {"conversion_enabled": true}}),
        )
        .unwrap();
        let text = consequences(&onboard, Some(&converted)).join(" ");
        assert!(
            text.contains("Onboard Key Manager of the cluster"),
            "{text}"
        );
        assert!(
            text.contains(&codes::NAE_AGGREGATES_EXIST.to_string())
                && text.contains("conversion enabled"),
            "{text}"
        );
        assert!(text.contains("key backup"), "{text}");
        assert!(!consequences(&onboard, None)
            .join(" ")
            .contains("conversion enabled"));
    }
}
