//! The whole extraction, bytes in, record out.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::extraction_holds(data));
