//! Every JSON example of the API reference, kept as a fixture: each must deserialize into its
//! model and serialize back without losing or changing a field.
//!
//! A fixture's file name says its model: `<model>__<what>.json`. Request bodies written with
//! ONTAP's dotted keys (`"fips.enabled"`) are compared after expanding those keys.

use std::path::Path;

use ontap_core::expand_dotted_keys;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

fn round_trip<T: DeserializeOwned + Serialize>(original: &Value) -> Value {
    let model: T = serde_json::from_value(original.clone()).expect("fixture fits its model");
    serde_json::to_value(&model).expect("model serializes")
}

/// Deserializes with the model named by `kind` and serializes back.
fn through_model(kind: &str, doc: &Value) -> Option<Value> {
    use ontap_core::*;
    Some(match kind {
        "security" => round_trip::<security::SecurityConfig>(doc),
        "ipsec" => round_trip::<ipsec::Ipsec>(doc),
        "job" => round_trip::<jobs::Job>(doc),
        "job_response" => round_trip::<envelope::JobResponse>(doc),
        "error" => round_trip::<ErrorResponse>(doc),
        "cluster" => round_trip::<cluster::Cluster>(doc),
        "svm_collection" => round_trip::<envelope::Collection<cluster::Svm>>(doc),
        "key_manager" => round_trip::<key_managers::KeyManager>(doc),
        "key_manager_collection" => {
            round_trip::<envelope::Collection<key_managers::KeyManager>>(doc)
        }
        "key_server" => round_trip::<key_managers::KeyServer>(doc),
        "key_server_collection" => round_trip::<envelope::Collection<key_managers::KeyServer>>(doc),
        "certificate" => round_trip::<certificates::Certificate>(doc),
        "certificate_collection" => {
            round_trip::<envelope::Collection<certificates::Certificate>>(doc)
        }
        "sign_request" => round_trip::<certificates::SignRequest>(doc),
        "sign_response" => round_trip::<certificates::SignResponse>(doc),
        "csr_request" => round_trip::<certificates::CsrRequest>(doc),
        "csr_response" => round_trip::<certificates::CsrResponse>(doc),
        _ => return None,
    })
}

/// An explicit `null` means the same as an absent field to ONTAP and to the models, which do not
/// send it back; compare without them.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[test]
fn every_reference_example_round_trips_through_its_model() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some((kind, _)) = name.split_once("__") else {
            panic!("fixture {name} does not name its model as <model>__<what>.json");
        };
        let original: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        let expected = without_nulls(expand_dotted_keys(original));
        let again = through_model(kind, &expected)
            .unwrap_or_else(|| panic!("{name}: no model registered for `{kind}`"));
        assert_eq!(again, expected, "{name} changed in a round trip");
        count += 1;
    }
    assert!(count >= 20, "only {count} fixtures found");
}

#[test]
fn dotted_patch_bodies_reach_the_typed_fields() {
    let doc = expand_dotted_keys(
        serde_json::json!({"software_data_encryption.conversion_enabled": true}),
    );
    let model: ontap_core::security::SecurityConfig = serde_json::from_value(doc).unwrap();
    assert_eq!(
        model.software_data_encryption.unwrap().conversion_enabled,
        Some(true)
    );
}
