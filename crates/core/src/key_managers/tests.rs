use super::*;
use crate::secret::Secret;
use proptest::prelude::*;
use serde_json::json;

fn km(v: serde_json::Value) -> KeyManager {
    serde_json::from_value(v).unwrap()
}

fn codes(r: Result<(), Violations>) -> Vec<u64> {
    let mut c: Vec<u64> = r
        .err()
        .map(|v| v.0.iter().filter_map(|x| x.code).collect())
        .unwrap_or_default();
    c.sort();
    c
}

fn external(servers: &[&str]) -> KeyManager {
    km(json!({"external": {
        "client_certificate": {"uuid": "c"},
        "server_ca_certificates": [{"uuid": "ca"}],
        "servers": servers.iter().map(|s| json!({"server": s})).collect::<Vec<_>>()
    }}))
}

fn pass(n: usize) -> String {
    "p".repeat(n)
}

#[test]
fn external_create_rules() {
    assert!(validate_create(&external(&["10.0.0.1"])).is_ok());
    assert!(validate_create(&external(&["a", "b", "c", "d"])).is_ok());
    assert_eq!(
        codes(validate_create(&external(&["a", "b", "c", "d", "e"]))),
        vec![65536038]
    );
    assert_eq!(codes(validate_create(&external(&[]))), vec![65536876]);
    assert_eq!(
        codes(validate_create(&external(&["kms", "KMS:5696"]))),
        vec![65536871]
    );
    assert!(validate_create(&external(&["kms", "kms:5697"])).is_ok());
    assert_eq!(
        codes(validate_create(&km(
            json!({"external": {"servers": [{"server": "a"}]}})
        ))),
        vec![65536876, 65536876]
    );
    let err = validate_create(&external(&["kms:0"])).unwrap_err();
    assert_eq!(err.0[0].field, "external.servers[0].server");
    assert!(err.0[0].message.contains("1 to 65535"));
}

#[test]
fn key_server_settings() {
    let mut k = external(&["a"]);
    let s = &mut k.external.as_mut().unwrap().servers.as_mut().unwrap()[0];
    s.timeout = Some(61.into());
    s.secondary_key_servers = Some(vec!["b".into(), "c".into(), "d".into(), "e".into()]);
    s.password = Some(Secret::new("pw"));
    let err = validate_create(&k).unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "external.servers[0].timeout",
            "external.servers[0].secondary_key_servers",
            "external.servers[0].username"
        ]
    );
    for (t, ok) in [(0, false), (1, true), (60, true), (61, false)] {
        let change = KeyServer {
            timeout: Some(t.into()),
            ..KeyServer::default()
        };
        assert_eq!(validate_server_update(&change).is_ok(), ok, "timeout {t}");
    }
    let as_text: KeyServer = serde_json::from_value(json!({"timeout": "45"})).unwrap();
    assert!(validate_server_update(&as_text).is_ok());
    assert!(validate_server_update(&KeyServer::at("x")).is_err());
}

#[test]
fn onboard_create_rules() {
    let ok = km(json!({"onboard": {"passphrase": pass(32)}}));
    assert!(validate_create(&ok).is_ok());
    assert!(validate_create(&km(json!({"onboard": {"passphrase": pass(256)}}))).is_ok());
    assert_eq!(
        codes(validate_create(&km(
            json!({"onboard": {"passphrase": pass(31)}})
        ))),
        vec![65536920]
    );
    assert_eq!(
        codes(validate_create(&km(
            json!({"onboard": {"passphrase": pass(257)}})
        ))),
        vec![65536920]
    );
    let non_ascii = format!("{}é", pass(32));
    assert_eq!(
        codes(validate_create(&km(
            json!({"onboard": {"passphrase": non_ascii}})
        ))),
        vec![65536920]
    );
    assert_eq!(
        codes(validate_create(&km(json!({"onboard": {}})))),
        vec![65536920]
    );
    assert_eq!(
        codes(validate_create(&km(
            json!({"onboard": {"synchronize": true}})
        ))),
        vec![65537240]
    );
    assert_eq!(
        codes(validate_create(&km(
            json!({"onboard": {"synchronize": true, "passphrase": pass(40), "existing_passphrase": pass(40)}})
        ))),
        vec![65537241]
    );
    assert!(validate_create(&km(
        json!({"onboard": {"synchronize": true, "passphrase": pass(40)}})
    ))
    .is_ok());
    assert_eq!(
        codes(validate_create(&km(
            json!({"svm": {"name": "vs0"}, "onboard": {"passphrase": pass(40)}})
        ))),
        vec![65536916]
    );
    let both = km(json!({"onboard": {"passphrase": pass(40)}, "external": {}}));
    assert_eq!(validate_create(&both).unwrap_err().0[0].field, "onboard");
    assert!(validate_create(&KeyManager::default()).is_err());
}

#[test]
fn onboard_update_rules() {
    let change = |v| km(json!({"onboard": v}));
    assert!(validate_update(&change(
        json!({"existing_passphrase": pass(32), "passphrase": pass(33)})
    ))
    .is_ok());
    assert_eq!(
        codes(validate_update(&change(
            json!({"existing_passphrase": pass(32)})
        ))),
        vec![65536917]
    );
    assert_eq!(
        codes(validate_update(&change(json!({"passphrase": pass(32)})))),
        vec![65536917]
    );
    assert_eq!(
        codes(validate_update(&change(
            json!({"existing_passphrase": pass(32), "passphrase": pass(32)})
        ))),
        vec![65536150]
    );
    assert_eq!(
        codes(validate_update(&change(
            json!({"existing_passphrase": pass(32), "passphrase": pass(31)})
        ))),
        vec![65536404]
    );
    assert_eq!(
        codes(validate_update(&change(json!({"synchronize": true})))),
        vec![65537242]
    );
    assert_eq!(
        codes(validate_update(&change(
            json!({"synchronize": true, "existing_passphrase": pass(40), "passphrase": pass(41)})
        ))),
        vec![65537243]
    );
    assert!(validate_update(&change(
        json!({"synchronize": true, "existing_passphrase": pass(40)})
    ))
    .is_ok());
    assert!(validate_update(&km(
        json!({"external": {"server_ca_certificates": [{"uuid": "n"}]}})
    ))
    .is_ok());
    assert_eq!(
        codes(validate_update(&km(
            json!({"external": {"server_ca_certificates": []}})
        ))),
        vec![65536876]
    );
    assert!(validate_update(&km(json!({"svm": {"name": "vs1"}}))).is_err());
}

#[test]
fn adding_and_removing_servers() {
    let existing: Vec<KeyServer> = ["a:5696", "b", "c"]
        .iter()
        .map(|s| KeyServer::at(*s))
        .collect();
    assert!(validate_add_servers(&[KeyServer::at("d")], &existing).is_ok());
    assert_eq!(
        codes(validate_add_servers(
            &[KeyServer::at("d"), KeyServer::at("e")],
            &existing
        )),
        vec![65536038]
    );
    assert_eq!(
        codes(validate_add_servers(&[KeyServer::at("a")], &existing)),
        vec![65536871]
    );
    assert!(validate_add_servers(&[], &existing).is_err());
    assert!(validate_remove_server("a", &existing).is_ok());
    assert!(validate_remove_server("b:5696", &existing).is_ok());
    assert!(validate_remove_server("z", &existing).is_err());
    assert!(validate_remove_server("a", &existing[..1]).is_err());
}

#[test]
fn requests_encode_server_ids_and_choose_the_body_form() {
    let existing = vec![KeyServer::at("10.0.0.1:5696")];
    let one = add_servers("km-1", &[KeyServer::at("10.0.0.2:5696")], &existing).unwrap();
    assert_eq!(
        one.path_and_query(),
        "/api/security/key-managers/km-1/key-servers?return_records=true"
    );
    assert_eq!(one.body, Some(json!({"server": "10.0.0.2:5696"})));
    let two = add_servers("km-1", &[KeyServer::at("x"), KeyServer::at("y")], &existing).unwrap();
    assert_eq!(
        two.body,
        Some(json!({"records": [{"server": "x"}, {"server": "y"}]}))
    );
    let patch = update_server(
        "km-1",
        "10.0.0.1:5696",
        &KeyServer {
            timeout: Some(45.into()),
            ..KeyServer::default()
        },
    )
    .unwrap();
    assert_eq!(
        patch.path,
        "/api/security/key-managers/km-1/key-servers/10.0.0.1%3A5696"
    );
    assert_eq!(patch.body, Some(json!({"timeout": 45})));
    assert!(remove_server("km-1", "10.0.0.1:5696", &existing).is_err());
    assert_eq!(delete("u").method, Method::Delete);
    assert_eq!(
        get_server("u", "[fd20::1]:5696", &Query::new()).path,
        "/api/security/key-managers/u/key-servers/%5Bfd20%3A%3A1%5D%3A5696"
    );
}

#[test]
fn secrets_never_show_in_debug_or_previews() {
    let secret = "correct-horse-battery-staple-0123456789";
    let k = km(
        json!({"onboard": {"passphrase": secret, "existing_passphrase": format!("{secret}-old")}}),
    );
    assert!(!format!("{k:?}").contains("battery"));
    let request = update("u", &k, None).unwrap();
    assert!(!request.to_curl("https://c", "admin").contains("battery"));
    assert!(!format!("{:?}", request.masked_body()).contains("battery"));
    assert!(request.body_text().unwrap().contains(secret));
    let created = create(&km(json!({"onboard": {"passphrase": secret}}))).unwrap();
    assert!(!created.to_curl("https://c", "admin").contains("battery"));
}

#[test]
fn passphrase_strength_levels() {
    let s = |t: &str| passphrase_strength(&Secret::new(t.to_owned()));
    assert_eq!(s(&"a".repeat(31)), Strength::Refused);
    assert_eq!(s(&format!("{}é", "a".repeat(40))), Strength::Refused);
    assert_eq!(s(&"a".repeat(32)), Strength::Weak);
    assert_eq!(s("abcdefghijklmnopqrstuvwxyzabcdef"), Strength::Fair);
    assert_eq!(
        s("Correct-Horse-Battery-Staple-0123456789!"),
        Strength::Strong
    );
    assert!(Strength::Weak < Strength::Strong);
}

proptest! {
    #[test]
    fn passphrase_length_rule(len in 0usize..300) {
        let result = validate_create(&km(json!({"onboard": {"passphrase": pass(len)}})));
        prop_assert_eq!(result.is_ok(), (32..=256).contains(&len));
    }

    #[test]
    fn server_count_rule(n in 0usize..8, existing in 0usize..5) {
        let have: Vec<KeyServer> = (0..existing).map(|i| KeyServer::at(format!("old{i}"))).collect();
        let new: Vec<KeyServer> = (0..n).map(|i| KeyServer::at(format!("new{i}"))).collect();
        let result = validate_add_servers(&new, &have);
        prop_assert_eq!(result.is_ok(), n >= 1 && n + existing <= 4);
        if n + existing > 4 { prop_assert!(result.unwrap_err().has_code(65536038)); }
    }
}

#[test]
fn certificate_users_names_the_key_managers_using_a_certificate() {
    let managers = vec![
        km(json!({"svm": {"name": "vs0"}, "external": {
            "client_certificate": {"uuid": "client"},
            "server_ca_certificates": [{"uuid": "ca1"}, {"uuid": "ca2"}]}})),
        km(json!({"external": {"server_ca_certificates": [{"uuid": "ca2"}]}})),
        km(json!({"onboard": {"enabled": true}})),
    ];
    assert_eq!(
        certificate_users(&managers, "client"),
        vec!["the external key manager of SVM vs0"]
    );
    assert_eq!(
        certificate_users(&managers, "ca2"),
        vec![
            "the external key manager of SVM vs0",
            "the cluster's external key manager"
        ]
    );
    assert!(certificate_users(&managers, "other").is_empty());
}
