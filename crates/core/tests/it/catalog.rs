//! The error catalogue covers every code in the API reference's error tables.
//!
//! The reference (`shared/ontap-api/*.txt`) sits beside the checkout on the developers' machines
//! and in CI; where it is absent this test says so and checks the catalogue's own shape only.

use std::path::Path;

use ontap_core::catalog::{describe, ERRORS};

#[test]
fn every_code_in_the_reference_is_catalogued() {
    assert!(ERRORS.len() > 120);
    assert!(ERRORS.iter().all(|e| !e.text.is_empty()));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ontap-api");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "reference not found at {}: checked the catalogue's shape only",
            dir.display()
        );
        return;
    };
    let mut checked = 0;
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut in_table = false;
        for line in text.lines() {
            if line.starts_with("Error Code") {
                in_table = true;
                continue;
            }
            if line.starts_with("Name\t")
                || line.starts_with("Definitions")
                || line.starts_with("Also see")
            {
                in_table = false;
            }
            if !in_table {
                continue;
            }
            let first = line.trim().split(['\t', ' ', '|']).next().unwrap_or("");
            if first.len() >= 6 && first.chars().all(|c| c.is_ascii_digit()) {
                let code: u64 = first.parse().unwrap();
                assert!(
                    describe(code).is_some(),
                    "{code} from {} is not catalogued",
                    entry.path().display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} codes found in the reference");
}
