//! Any text as a rules TOML file: errors with file and line, or a rule set
//! that compiles; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    if let Ok(defs) = starfinder::rules::parse_files(vec![("fuzz.toml".into(), text)]) {
        let _ = starfinder::rules::RuleSet::new(defs);
    }
});
