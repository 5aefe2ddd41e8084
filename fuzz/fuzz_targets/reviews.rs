//! Any bytes as a reviews CSV: decisions or errors with their line, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = starfinder::reviews::Reviews::parse("fuzz.csv", data.to_vec());
});
