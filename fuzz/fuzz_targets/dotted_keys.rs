//! Fuzzes `ontap_sim::fuzzing::dotted`: `cargo +nightly fuzz run dotted_keys` (see docs/hardening.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ontap_sim::fuzzing::dotted(data));
