//! Any bytes as a DOCX: Ok or Err, never a panic, a hang or unbounded
//! memory. Small limits keep each run short.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = starfinder::docx::DocxLimits { max_inflated_bytes: 16 << 20, ..Default::default() };
    let _ = starfinder::docx::read_docx(data, &limits);
});
