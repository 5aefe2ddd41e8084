//! The rules shipped in rules/ are valid and every one of their examples
//! and counter-examples gives what it says (the same check as
//! `starfinder rules test`).

use starfinder::rules::load as load_rules;
use starfinder::rules::examples;

#[test]
fn builtin_rules_load() {
    let rules = load_rules(None).unwrap_or_else(|e| panic!("built-in rules are invalid:\n{e}"));
    // Every indicator of the contract has at least one rule.
    for ind in starfinder::spec::INDICATORS {
        let fed = rules.defs.rules.iter().any(|r| r.def.indicator == ind.id || r.def.groups.values().any(|g| g == ind.id));
        assert!(fed, "no rule feeds {}", ind.id);
    }
    // Every theme has cues.
    for t in starfinder::spec::THEMES {
        assert!(rules.defs.themes.iter().any(|d| d.id == t.id), "no cues for theme {}", t.id);
    }
}

#[test]
fn every_rule_example_passes() {
    let rules = load_rules(None).unwrap_or_else(|e| panic!("{e}"));
    let failures = examples::run(&rules);
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), report.join("\n"));
}
