//! docs/settings.schema.json is generated from core's types; this test keeps it up to date.
//! Regenerate with `ONTAP_CONSOLE_WRITE_SCHEMA=1 cargo test -p ontap-console --lib schema`.

const CHECKED_IN: &str = include_str!("../../../../docs/settings.schema.json");

#[test]
fn the_checked_in_schema_is_generated_from_the_types() {
    let mut generated =
        serde_json::to_string_pretty(&ontap_core::settings::json_schema()).expect("schema");
    generated.push('\n');
    if std::env::var_os("ONTAP_CONSOLE_WRITE_SCHEMA").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/settings.schema.json"
        );
        std::fs::write(path, &generated).expect("write the schema");
        return;
    }
    assert!(
        generated == CHECKED_IN,
        "docs/settings.schema.json is out of date: regenerate it (see this file's header)"
    );
}
