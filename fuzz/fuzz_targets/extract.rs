//! Any bytes must give Ok or Err from `extract`: never a panic, a hang or a
//! stack overflow. Small limits keep each run short.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = starfinder::pdf::Limits {
        max_operators: 200_000,
        max_decompressed_bytes: 16 << 20,
        ..Default::default()
    };
    let _ = starfinder::pdf::extract(data, &limits);
});
