//! `starfinder explain FILE`: for a reviewer, each indicator and metadata
//! field with its value, clause, excerpt and rule, then the near misses (a
//! cue found but no value parsed, a value dropped by a negation, a clause
//! out of the rule's scope).

use crate::cli::{ExplainArgs, Format};
use crate::discover::{DocKind, Input};
use crate::pdf::Limits;
use anyhow::Context;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let rules = crate::rules::load(args.rules.as_deref()).map_err(|e| anyhow::anyhow!("invalid rules:\n{e}"))?;
    std::fs::metadata(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let is_text = args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    let is_docx = args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let kind = if is_text { DocKind::Text } else if is_docx { DocKind::Docx } else { DocKind::Pdf };
    let input = Input { path: args.file.to_string_lossy().into_owned(), fs_path: args.file.clone(), kind, stamp: None };
    let (rec, _) = crate::pipeline::process(&input, &rules, &Limits::default(), crate::indicators::Options { all_scopes: false, near_misses: true });
    let a = &rec.analysis;
    let wanted = |id: &str| args.indicator.as_deref().is_none_or(|w| w == id);
    let misses: Vec<_> = a.near_misses.iter().filter(|m| wanted(&m.indicator)).collect();
    let mut out = String::new();
    if args.format == Format::Json {
        let mut line = crate::output::agreement_json(&rec);
        if let Some(o) = line.as_object_mut() {
            if let Some(w) = &args.indicator {
                for k in ["indicators", "evidence", "metadata"] {
                    if let Some(Value::Object(m)) = o.get_mut(k) {
                        m.retain(|id, _| id == w);
                    }
                }
            }
            o.insert("near_misses".into(), json!(misses));
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&line)?)?;
    } else {
        writeln!(out, "{} — {} ({} pages)", rec.path, rec.status.as_str(), rec.pages.map_or("?".into(), |p| p.to_string()))?;
        if let Some(e) = &rec.error {
            writeln!(out, "  error at {}: {} ({})", e.stage, e.message, e.kind)?;
        }
        if !a.themes.is_empty() && args.indicator.is_none() {
            writeln!(out, "  themes: {}", a.themes.join(", "))?;
        }
        for (id, v) in a.metadata.iter().chain(a.indicators.iter()) {
            if !wanted(id) {
                continue;
            }
            writeln!(out, "\n{id} = {v}")?;
            if let Some(Value::Array(evs)) = a.evidence.get(id) {
                for e in evs {
                    writeln!(
                        out,
                        "  - {} p.{} [{}..{}] rule {} (value {}): \u{ab}{}\u{bb}",
                        e["clause"].as_str().unwrap_or(""),
                        e["page"],
                        e["start"],
                        e["end"],
                        e["rule"].as_str().unwrap_or(""),
                        e["value"],
                        e["text"].as_str().unwrap_or("")
                    )?;
                    writeln!(out, "    {}", e["excerpt"].as_str().unwrap_or(""))?;
                }
            }
        }
        if !misses.is_empty() {
            writeln!(out, "\nnear misses:")?;
            for m in misses {
                writeln!(out, "  - {} (rule {}, {} p.{}): {}", m.indicator, m.rule, m.clause, m.page, m.reason)?;
                writeln!(out, "    {}", m.excerpt)?;
            }
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes()).context("cannot write to standard output")?;
    Ok(if rec.error.is_some() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
