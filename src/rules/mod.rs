//! Rule files -> validated rule definitions.
//!
//! Rules are data (`rules/*.toml`, one file per theme) so that an analyst
//! can add one without touching Rust. Loading checks everything it can
//! before a run starts (schema, ids, indicator and theme names, regex
//! compilation, value bounds) and reports every error at once with file,
//! line and reason, because a nightly run that stops on the first typo
//! wastes a night per typo.

pub mod engine;
pub mod examples;
mod themes;

use crate::spec;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

pub use engine::{Hit, RuleSet, Tagged};

/// The project's rules, built into the binary (see build.rs).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// All the problems found in a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDef {
    theme: Option<ThemeDef>,
    common: Option<CommonDef>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleDef>>,
}

/// What every rule shares (at most one file has it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonDef {
    /// A list item of at most this many words that only names a topic
    /// ("– droit à la déconnexion ;") gives no boolean (0: off).
    #[serde(default)]
    pub topic_item_max_words: usize,
    /// Kinds of sentence, by name: what a sentence does (recalls the law,
    /// gives an example, records a union demand ...). A kind drops the
    /// values of the types it names, whatever the rule.
    #[serde(default)]
    pub kinds: BTreeMap<String, KindDef>,
}

/// The type of an indicator's value, as kinds of sentence name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    Bool,
    Number,
    Time,
}

impl ValueType {
    pub fn of(kind: spec::Kind) -> ValueType {
        match kind {
            spec::Kind::Bool => ValueType::Bool,
            spec::Kind::Number => ValueType::Number,
            spec::Kind::Time => ValueType::Time,
        }
    }
}

/// A kind of sentence ("reminder", "demand" ...): the cues that make a
/// sentence that kind, and the values such a sentence does not state.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    /// Phrases that make the sentence this kind, where they stand in it or
    /// in the lead-in of the list it is an item of.
    pub cues: Vec<String>,
    /// A regex over the folded sentence (and its lead-in) that makes it
    /// this kind, for cues a list of phrases would spell out at length
    /// ("(la CGT|les organisations syndicales) (ont )?demandé").
    pub pattern: Option<String>,
    /// Phrases that make every sentence of a clause this kind where they
    /// stand in the clause's heading ("Revendications syndicales").
    #[serde(default)]
    pub heading: Vec<String>,
    /// Phrases that undo the kind in the sentence or its lead-in ("le
    /// présent accord" in a sentence that cites the Code).
    #[serde(default)]
    pub unless: Vec<String>,
    /// The value types such a sentence does not state.
    pub drops: Vec<ValueType>,
    /// A cue in the sentence only reaches what follows it: "qui prévoyait"
    /// makes old the values after it, not the new ones before.
    #[serde(default)]
    pub after: bool,
    /// With `after`: phrases that end the reach of a cue ("qui était de
    /// 218 jours, est ramené à 215 jours": the new value follows "ramené à").
    #[serde(default)]
    pub until: Vec<String>,
    /// Sentences that must be this kind (`starfinder rules test`).
    #[serde(default)]
    pub examples: Vec<String>,
    /// Sentences that must not be.
    #[serde(default)]
    pub counter_examples: Vec<String>,
    /// Where the kind is defined in its file (filled in by loading).
    #[serde(skip)]
    pub line: usize,
}

/// The cues that tag a clause with a theme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    pub id: String,
    /// Phrases that each score 1 towards the theme.
    pub cues: Vec<String>,
    /// Phrases that each score 2.
    #[serde(default)]
    pub strong: Vec<String>,
    /// The score a clause needs to carry the theme as its main theme
    /// (default 3); how cues are weighed and the other thresholds are in
    /// rules/README.md, "Themes".
    pub min_cues: Option<usize>,
    /// Themes this one covers: in a clause that carries this theme, their
    /// cues speak of an aspect of it ("égalité de rémunération" in an
    /// equality clause), and they are not tagged.
    #[serde(default)]
    pub covers: Vec<String>,
    /// Phrases of procedure ("apres consultation", "est informe"): in a
    /// sentence (or list) that holds one, the theme's cues count nothing;
    /// the theme is only mentioned in passing there.
    #[serde(default)]
    pub passing: Vec<String>,
    /// Themes whose price this theme can be: in a clause whose main theme
    /// is one of them, this theme's cues count nothing in a sentence (or
    /// list) that names the main theme too (the premium of overtime is
    /// working time, not pay).
    #[serde(default)]
    pub price_of: Vec<String>,
    /// The plain words of the theme that are only a price in a text whose
    /// main theme is one of `price_of` ("remuneration" in a text on the
    /// forfait en jours): there they count nothing.
    #[serde(default)]
    pub price_cues: Vec<String>,
}

/// One example of a rule: a text and what the rule must give for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// The value expected for the rule's indicator (or `indicator`'s).
    pub value: toml::Value,
    pub indicator: Option<String>,
}

/// A rule as written in a file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub indicator: String,
    pub description: String,
    /// Trigger phrases (folded; `*` at the end matches a word prefix).
    pub keywords: Vec<String>,
    /// A regex over the folded sentence, with a `value` capture (and the
    /// groups of `groups`); `{NUM}`, `{PCT}`, `{EUR}`, `{TIME}`, `{DATE}`,
    /// `{DURATION}` expand to the French value patterns.
    pub regex: Option<String>,
    /// The value a boolean rule gives (default `true`).
    pub value: Option<bool>,
    /// Other indicators fed by other named groups of `regex`.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
    /// One of these must stand in the sentence, within `window` words of the trigger.
    #[serde(default)]
    pub near: Vec<String>,
    /// Denials: a boolean turns `false`, a value is dropped.
    #[serde(default)]
    pub negation: Vec<String>,
    /// False friends: the hit is dropped. They also count in the lead-in
    /// of a list ("Les syndicats demandent :") when the sentence is an item.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// What a negation does to a boolean: `false` (default) turns it false,
    /// `drop` drops the hit (a denied measure is not a denied right).
    #[serde(default)]
    pub on_negation: OnNegation,
    /// A value right after one of these (a cap: "dans la limite de") is
    /// not the indicator's value; for a boolean without a regex, a trigger
    /// right after one ("en cas d'horaires variables") names a case.
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Words, counted from the trigger, within which `near`, `negation`
    /// and `exclude` phrases count (default: the whole sentence).
    pub window: Option<usize>,
    /// The clause must carry one of these themes.
    #[serde(default)]
    pub scope: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub counter_examples: Vec<String>,
    /// Kinds of sentence (`[common.kinds]`) in which the rule still fires
    /// although they drop its type: a right recalled is still a right.
    #[serde(default)]
    pub keep_in: Vec<String>,
    /// Kinds of sentence that drop this rule's values beyond those that
    /// drop its type.
    #[serde(default)]
    pub drop_in: Vec<String>,
    /// Kept in the file for history, never run.
    #[serde(default)]
    pub retired: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnNegation {
    #[default]
    False,
    Drop,
}

/// A rule with where it came from.
#[derive(Debug, Clone)]
pub struct SourcedRule {
    pub def: RuleDef,
    pub file: String,
    pub line: usize,
    /// The rule's regex, compiled once by validation and reused to match.
    pub regex: Option<regex::Regex>,
}

/// Validated rule definitions, ready to compile.
#[derive(Debug, Clone)]
pub struct RuleDefs {
    pub themes: Vec<ThemeDef>,
    pub common: CommonDef,
    /// The file `common` came from (empty without one).
    pub common_file: String,
    pub rules: Vec<SourcedRule>,
    /// sha256 over the files actually used, in name order.
    pub fingerprint: String,
}

/// Loads the rules built into the binary.
pub fn builtin() -> Result<RuleDefs, RuleErrors> {
    parse_files(BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect())
}

/// Loads every `*.toml` of a folder.
pub fn load_dir(dir: &Path) -> Result<RuleDefs, RuleErrors> {
    let err = |m: String| RuleErrors(vec![RuleError { file: dir.display().to_string(), line: 0, message: m }]);
    let entries = std::fs::read_dir(dir).map_err(|e| err(format!("cannot read the rules folder: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| err(format!("cannot list the rules folder: {e}")))?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| RuleErrors(vec![RuleError { file: name.clone(), line: 0, message: format!("cannot read: {e}") }]))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| RuleErrors(vec![RuleError { file: name.clone(), line: 0, message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()) }]))?;
        files.push((name, text));
    }
    if files.is_empty() {
        return Err(err("no .toml rule file in this folder".into()));
    }
    parse_files(files)
}

fn line_of(text: &str, byte: usize) -> usize {
    crate::text::slice::prefix(text, byte).matches('\n').count() + 1
}

/// Parses and validates rule files given as (name, text).
pub fn parse_files(mut files: Vec<(String, String)>) -> Result<RuleDefs, RuleErrors> {
    files.sort();
    let mut errors = Vec::new();
    let mut themes: Vec<ThemeDef> = Vec::new();
    let mut common: Option<(String, CommonDef)> = None;
    let mut rules = Vec::new();
    let mut hasher = Sha256::new();
    for (name, text) in &files {
        hasher.update(name.rsplit(['/', '\\']).next().unwrap_or(name).as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
        let def: FileDef = match toml::from_str(text) {
            Ok(d) => d,
            Err(e) => {
                let line = e.span().map_or(0, |s| line_of(text, s.start));
                errors.push(RuleError { file: name.clone(), line, message: e.message().trim().to_string() });
                continue;
            }
        };
        if let Some(mut c) = def.common {
            for (name, k) in &mut c.kinds {
                k.line = text.find(&format!("[common.kinds.{name}]")).map_or(1, |b| line_of(text, b));
            }
            match &common {
                Some((f, _)) => errors.push(RuleError { file: name.clone(), line: 1, message: format!("[common] is already defined in {f}") }),
                None => common = Some((name.clone(), c)),
            }
        }
        if let Some(t) = def.theme {
            if spec::theme(&t.id).is_none() {
                errors.push(RuleError { file: name.clone(), line: 1, message: format!("unknown theme `{}` (see spec/indicators.md)", t.id) });
            } else if let Some(c) = t.covers.iter().find(|c| spec::theme(c).is_none() || **c == t.id) {
                errors.push(RuleError { file: name.clone(), line: 1, message: format!("theme `{}` covers `{c}`, which is not another theme (see spec/indicators.md)", t.id) });
            } else if let Some(c) = t.price_of.iter().find(|c| spec::theme(c).is_none() || **c == t.id) {
                errors.push(RuleError { file: name.clone(), line: 1, message: format!("theme `{}` has price_of `{c}`, which is not another theme (see spec/indicators.md)", t.id) });
            } else if themes.iter().any(|o| o.id == t.id) {
                errors.push(RuleError { file: name.clone(), line: 1, message: format!("theme `{}` is defined in two files", t.id) });
            } else {
                themes.push(t);
            }
        }
        for r in def.rule {
            let line = line_of(text, r.span().start);
            rules.push(SourcedRule { def: r.into_inner(), file: name.clone(), line, regex: None });
        }
    }
    for r in &mut rules {
        r.regex = r.def.regex.as_deref().and_then(|re| compile(re).ok());
    }
    let mut seen: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for r in &rules {
        if let Some((f, l)) = seen.insert(&r.def.id, (&r.file, r.line)) {
            errors.push(RuleError { file: r.file.clone(), line: r.line, message: format!("rule id `{}` is already used at {f}:{l}; ids are never reused", r.def.id) });
        }
        for m in validate(&r.def, r.regex.as_ref()) {
            errors.push(RuleError { file: r.file.clone(), line: r.line, message: format!("rule {}: {m}", r.def.id) });
        }
    }
    let common = common.unwrap_or_default();
    for r in &rules {
        for k in r.def.keep_in.iter().chain(&r.def.drop_in) {
            if !common.1.kinds.contains_key(k) {
                errors.push(RuleError { file: r.file.clone(), line: r.line, message: format!("rule {}: unknown kind of sentence `{k}` (see [common.kinds])", r.def.id) });
            }
        }
    }
    for (name, k) in &common.1.kinds {
        if k.pattern.is_none() && k.cues.iter().chain(&k.heading).all(|c| crate::text::fold(c.trim_end_matches('*')).is_empty()) {
            errors.push(RuleError { file: common.0.clone(), line: k.line, message: format!("kind `{name}` needs at least one non-empty cue") });
        }
        if let Some(p) = &k.pattern {
            if let Err(e) = regex::Regex::new(p) {
                errors.push(RuleError { file: common.0.clone(), line: k.line, message: format!("kind `{name}`: pattern does not compile: {}", e.to_string().lines().last().unwrap_or("")) });
            }
        }
        if k.drops.is_empty() {
            errors.push(RuleError { file: common.0.clone(), line: k.line, message: format!("kind `{name}` drops no value type: list them in `drops`") });
        }
    }
    if !errors.is_empty() {
        return Err(RuleErrors(errors));
    }
    rules.retain(|r| !r.def.retired);
    let digest = hasher.finalize();
    let fingerprint = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(RuleDefs { themes, common: common.1, common_file: common.0, rules, fingerprint })
}

/// A rule regex, its value placeholders expanded. The value patterns
/// (numbers in words) make large automata: a larger lazy-DFA cache keeps
/// them from being rebuilt while matching.
pub fn compile(re: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(&engine::expand(re)).dfa_size_limit(32 << 20).build()
}

/// What is wrong with one rule, beyond its TOML shape; `compiled` is its
/// regex if it compiled.
fn validate(r: &RuleDef, compiled: Option<&regex::Regex>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(ind) = spec::indicator(&r.indicator) else {
        out.push(format!("unknown indicator `{}` (see spec/indicators.md)", r.indicator));
        return out;
    };
    if r.id.trim().is_empty() || r.id.contains(char::is_whitespace) {
        out.push("id must be a non-empty word".into());
    }
    if r.keywords.is_empty() || r.keywords.iter().any(|k| crate::text::fold(k.trim_end_matches('*')).is_empty()) {
        out.push("needs at least one non-empty keyword".into());
    }
    for s in &r.scope {
        if spec::theme(s).is_none() {
            out.push(format!("scope names unknown theme `{s}`"));
        }
    }
    for (group, target) in &r.groups {
        if spec::indicator(target).is_none() {
            out.push(format!("group `{group}` feeds unknown indicator `{target}`"));
        }
    }
    match (ind.kind, &r.regex, r.value) {
        (spec::Kind::Bool, _, _) => {}
        (_, None, _) => out.push(format!("indicator `{}` takes a value: the rule needs a `regex` with a `value` group", r.indicator)),
        (_, Some(_), Some(_)) => out.push("`value` is only for boolean indicators".into()),
        _ => {}
    }
    if let Some(re) = &r.regex {
        match compiled.map_or_else(|| compile(re), |c| Ok(c.clone())) {
            Ok(c) => {
                let names: Vec<&str> = c.capture_names().flatten().collect();
                if ind.kind != spec::Kind::Bool && !names.contains(&"value") {
                    out.push("the regex has no `(?P<value>…)` group".into());
                }
                for g in r.groups.keys() {
                    if !names.contains(&g.as_str()) {
                        out.push(format!("the regex has no group `{g}` named in `groups`"));
                    }
                }
            }
            Err(e) => out.push(format!("regex does not compile: {}", e.to_string().lines().last().unwrap_or(""))),
        }
    }
    if let (Some(a), Some(b)) = (r.min, r.max) {
        if a > b {
            out.push(format!("min {a} is above max {b}"));
        }
    }
    for ex in &r.examples {
        let target = ex.indicator.as_deref().unwrap_or(&r.indicator);
        if spec::indicator(target).is_none() {
            out.push(format!("example names unknown indicator `{target}`"));
        }
    }
    if r.examples.is_empty() && !r.retired {
        out.push("needs at least one example that must match".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RuleDefs, RuleErrors> {
        parse_files(vec![("t.toml".into(), text.into())])
    }

    #[test]
    fn builtin_rules_are_valid() {
        let defs = builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(defs.rules.len() > 10);
    }

    #[test]
    fn reports_every_error_with_line() {
        let text = r#"
[[rule]]
id = "X-1"
indicator = "no_such_indicator"
description = "d"
keywords = ["a"]

[[rule]]
id = "X-1"
indicator = "weekly_hours"
description = "d"
keywords = ["heures"]
regex = "(?P<value>[0-9]+"
examples = [{ text = "35 heures", value = 35 }]
"#;
        let errs = parse(text).unwrap_err().0;
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs.iter().any(|e| e.line == 2 && e.message.contains("no_such_indicator")));
        assert!(errs.iter().any(|e| e.line == 8 && e.message.contains("already used")));
        assert!(errs.iter().any(|e| e.line == 8 && e.message.contains("does not compile")));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let errs = parse("[[rule]]\nid = \"A\"\nindicator = \n").unwrap_err().0;
        assert_eq!(errs[0].line, 3);
    }

    #[test]
    fn unknown_fields_are_errors() {
        let errs = parse("[[rule]]\nid = \"A\"\nindicatr = \"x\"\n").unwrap_err().0;
        assert!(errs[0].message.contains("indicatr"), "{errs:?}");
    }

    #[test]
    fn a_theme_covers_only_other_known_themes() {
        let theme = |covers: &str| format!("[theme]\nid = \"egalite_pro\"\ncues = [\"egalite\"]\ncovers = [{covers}]\n");
        assert_eq!(parse(&theme("\"remuneration\"")).unwrap().themes[0].covers, ["remuneration"]);
        for bad in ["\"salaires\"", "\"egalite_pro\""] {
            let errs = parse(&theme(bad)).unwrap_err().0;
            assert!(errs[0].message.contains("covers"), "{errs:?}");
        }
    }

    #[test]
    fn empty_and_wrong_type_files() {
        assert!(parse("").unwrap().rules.is_empty());
        assert!(parse("\u{0}\u{1}garbage").is_err());
        assert!(parse("rule = 3").is_err());
        let deep = "a = ".to_string() + &"[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}

/// Loads and compiles the rules of `dir`, or the built-in ones. Errors are
/// every problem found, one per line, with file and line.
pub fn load(dir: Option<&std::path::Path>) -> Result<RuleSet, RuleErrors> {
    let defs: RuleDefs = match dir {
        Some(d) => load_dir(d)?,
        None => builtin()?,
    };
    RuleSet::new(defs)
}
