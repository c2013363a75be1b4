//! Fuzzes `ontap_sim::fuzzing::query`: `cargo +nightly fuzz run query` (see docs/hardening.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ontap_sim::fuzzing::query(data));
