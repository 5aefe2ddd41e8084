//! `starfinder rules check|test [DIR]`.

use std::path::Path;
use std::process::ExitCode;

fn name(dir: Option<&Path>) -> String {
    dir.map_or_else(|| "built-in rules".into(), |d| d.display().to_string())
}

/// Parses and validates; exit 2 with every error on failure.
pub fn check(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    match crate::rules::load(dir) {
        Ok(r) => {
            println!("{}: {} rules, {} themes, fingerprint {}", name(dir), r.defs.rules.len(), r.defs.themes.len(), crate::text::slice::prefix(&r.defs.fingerprint, 16));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("starfinder: {} error(s) in {}", e.0.len(), name(dir));
            Ok(ExitCode::from(2))
        }
    }
}

/// Runs every example; exit 1 when one fails, 2 when the rules are invalid.
pub fn test(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let rules = match crate::rules::load(dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    let failures = crate::rules::examples::run(&rules);
    let total: usize = rules.defs.rules.iter().map(|r| r.def.examples.len() + r.def.counter_examples.len()).sum::<usize>()
        + rules.defs.common.kinds.values().map(|k| k.examples.len() + k.counter_examples.len()).sum::<usize>();
    for f in &failures {
        eprintln!("{f}");
    }
    println!("{} passed, {} failed", total - failures.len(), failures.len());
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
