//! ONTAP's rules live once, in core: no other crate spells an ONTAP error code as a number or
//! restates one of core's rule constants. Reads the other crates' sources (test code and
//! comments aside: they may quote a code to say what they check).

use std::fs;
use std::path::{Path, PathBuf};

/// Literals that are core constants: written anywhere else, they would drift from core's.
const RULE_LITERALS: &[(&str, &str)] = &[
    ("\"P365DT\"", "ontap_core::certificates::DEFAULT_EXPIRY"),
    ("\"x-ontap-simulator\"", "ontap_core::SIMULATOR_HEADER"),
    (
        "\"%Y-%m-%dT%H:%M:%S%:z\"",
        "ontap_core::certificates::expiry::format_timestamp",
    ),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, test files (`tests.rs`, `tests/`) left out.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// The file's code lines before its `#[cfg(test)]` module, comments dropped.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(i, line)| (i + 1, line))
}

/// Runs of 6 to 9 digits standing alone (ONTAP's error codes; `86_400` and hex do not count).
fn code_like_numbers(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let joined =
                |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
            let alone =
                !joined(start.checked_sub(1).and_then(|s| bytes.get(s))) && !joined(bytes.get(i));
            if alone && (6..=9).contains(&(i - start)) {
                found.push(&line[start..i]);
            }
        } else {
            i += 1;
        }
    }
    found
}

#[test]
fn no_crate_but_core_spells_an_ontap_code_or_a_rule_constant() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in [
        "crates/sim/src",
        "crates/server/src",
        "crates/web/src",
        "xtask/src",
    ] {
        sources(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 50,
        "the sources were not found under {root:?}"
    );
    let mut problems = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_default();
        for (number, line) in code_lines(&text) {
            let place = format!("{}:{number}", file.display());
            for code in code_like_numbers(line) {
                problems.push(format!(
                    "{place}: {code} (name it in ontap_core::catalog::codes)"
                ));
            }
            for (literal, home) in RULE_LITERALS {
                if line.contains(literal) {
                    problems.push(format!("{place}: {literal} (use {home})"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scanner_sees_codes_and_only_codes() {
    assert_eq!(code_like_numbers("documented(3735683).x"), ["3735683"]);
    assert_eq!(
        code_like_numbers("(errors 196608388, 196608389)"),
        ["196608388", "196608389"]
    );
    assert!(code_like_numbers("86_400 0x1234567 v1234567 12345 1234567890").is_empty());
    let text = "let a = 1;\n// 3735683 quoted\n#[cfg(test)]\nmod tests { 3735683 }";
    assert_eq!(code_lines(text).map(|(n, _)| n).collect::<Vec<_>>(), [1]);
}

#[test]
fn the_default_expiry_in_days_is_the_default_expiry() {
    use ontap_core::certificates::{DEFAULT_EXPIRY, DEFAULT_EXPIRY_DAYS};
    assert_eq!(DEFAULT_EXPIRY, format!("P{DEFAULT_EXPIRY_DAYS}DT"));
}
