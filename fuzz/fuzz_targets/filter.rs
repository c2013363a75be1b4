//! Fuzzes `ontap_sim::fuzzing::filter`: `cargo +nightly fuzz run filter` (see docs/hardening.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ontap_sim::fuzzing::filter(data));
