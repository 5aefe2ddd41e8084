//! Runs every rule's examples: the texts it must match, with the value
//! expected, and the texts it must not match. `starfinder rules test` and
//! `cargo test` both call this, so a rule that drifts fails the build.

use super::RuleSet;
use crate::segment;
use crate::spec::{self, Kind};
use crate::text::Folded;
use serde_json::Value;

/// One example that did not give what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: rule {}: {}", self.file, self.line, self.rule, self.message)
    }
}

/// The value one rule gives an indicator on a text, resolved as documents
/// resolve it (largest number, `true` wins, first time).
pub fn value_on(rules: &RuleSet, rule: usize, indicator: &str, text: &str) -> Option<Value> {
    let folded = Folded::new(text);
    let clauses = segment::clauses(text);
    let tagged = rules.tag(&folded, text, &clauses, true);
    let vals: Vec<&Value> = tagged.hits.iter().filter(|h| h.rule == rule && h.indicator == indicator).map(|h| &h.value).collect();
    let kind = spec::indicator(indicator)?.kind;
    match kind {
        Kind::Bool => (!vals.is_empty()).then(|| Value::Bool(vals.iter().any(|v| **v == Value::Bool(true)))),
        Kind::Number => vals.iter().filter_map(|v| v.as_f64()).reduce(f64::max).map(Value::from),
        Kind::Time => vals.first().map(|v| (*v).clone()),
    }
}

fn show(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

fn same(expected: &toml::Value, got: &Value) -> bool {
    match (expected, got) {
        (toml::Value::Boolean(a), Value::Bool(b)) => a == b,
        (toml::Value::Integer(a), Value::Number(b)) => b.as_f64().is_some_and(|b| (*a as f64 - b).abs() < 1e-9),
        (toml::Value::Float(a), Value::Number(b)) => b.as_f64().is_some_and(|b| (a - b).abs() < 1e-9),
        (toml::Value::String(a), Value::String(b)) => a == b,
        _ => false,
    }
}

/// The names of the kinds of the last sentence of `text`.
pub fn kinds_of_last(rules: &RuleSet, text: &str) -> Vec<String> {
    let folded = Folded::new(text);
    let kinds = rules.kinds_of(&folded, text);
    let names: Vec<&str> = rules.kind_names().collect();
    kinds.last().map_or_else(Vec::new, |k| k.iter().zip(&names).filter(|(k, _)| !k.is_empty()).map(|(_, n)| n.to_string()).collect())
}

/// Runs every example of every kind of sentence and of every rule;
/// returns the failures.
pub fn run(rules: &RuleSet) -> Vec<Failure> {
    let mut out = Vec::new();
    for (name, k) in &rules.defs.common.kinds {
        let fail = |m: String| Failure { rule: format!("kind {name}"), file: rules.defs.common_file.clone(), line: k.line, message: m };
        for text in &k.examples {
            let got = kinds_of_last(rules, text);
            if !got.contains(name) {
                out.push(fail(format!("example \u{ab}{text}\u{bb} is not of this kind (its kinds: {})", if got.is_empty() { "none".into() } else { got.join(", ") })));
            }
        }
        for text in &k.counter_examples {
            if kinds_of_last(rules, text).contains(name) {
                out.push(fail(format!("counter-example \u{ab}{text}\u{bb} must not be of this kind")));
            }
        }
    }
    for (ri, sr) in rules.defs.rules.iter().enumerate() {
        let d = &sr.def;
        let fail = |m: String| Failure { rule: d.id.clone(), file: sr.file.clone(), line: sr.line, message: m };
        for ex in &d.examples {
            let ind = ex.indicator.as_deref().unwrap_or(&d.indicator);
            match value_on(rules, ri, ind, &ex.text) {
                Some(v) if same(&ex.value, &v) => {}
                got => out.push(fail(format!(
                    "example \u{ab}{}\u{bb}: expected {ind} = {}, got {}",
                    ex.text,
                    show(&ex.value),
                    got.map_or("nothing".into(), |v| v.to_string())
                ))),
            }
        }
        for text in &d.counter_examples {
            let inds = std::iter::once(d.indicator.as_str()).chain(d.groups.values().map(String::as_str));
            for ind in inds {
                if let Some(v) = value_on(rules, ri, ind, text) {
                    out.push(fail(format!("counter-example \u{ab}{text}\u{bb} must not match, got {ind} = {v}")));
                }
            }
        }
    }
    out
}
