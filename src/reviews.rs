//! The reviewers' loop: decisions on indicators (accept, reject, correct)
//! kept in a CSV and applied to a run's records.
//!
//! `sha256,indicator,decision,value,reviewer,date,comment`: a decision
//! names the document by its content hash, so it survives a file being
//! renamed or moved, and stops applying the day the document changes. A
//! decision that no longer matches (no such document in the run, or an
//! accepted or rejected indicator the tool no longer finds) is reported as
//! stale, never applied silently. The automatic value stays visible in the
//! `review` map beside the reviewed one.

use crate::output::{DocRecord, Status};
use crate::spec::{self, Kind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Reject,
    Correct,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Reject => "reject",
            Decision::Correct => "correct",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub line: usize,
    pub sha256: String,
    pub indicator: String,
    pub decision: Decision,
    pub value: Option<Value>,
    pub reviewer: String,
    pub date: String,
    pub comment: String,
}

/// The decisions of a reviews file, by document hash.
#[derive(Debug, Default)]
pub struct Reviews {
    by_sha: BTreeMap<String, Vec<Review>>,
    /// Line numbers of decisions applied to at least one document.
    applied: std::collections::BTreeSet<usize>,
    stale: Vec<(usize, String)>,
}

pub const HEADER: [&str; 7] = ["sha256", "indicator", "decision", "value", "reviewer", "date", "comment"];

/// A corrected value in the indicator's type.
fn parse_value(kind: Kind, raw: &str) -> Option<Value> {
    let raw = raw.trim();
    match kind {
        Kind::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" | "vrai" | "oui" => Some(json!(true)),
            "false" | "faux" | "non" => Some(json!(false)),
            _ => None,
        },
        Kind::Number => raw.replace(',', ".").parse::<f64>().ok().filter(|f| f.is_finite()).map(|f| crate::rules::engine::normalise_number(json!(f))),
        Kind::Time => crate::values::parse_time(&raw.to_lowercase()).map(Value::String),
    }
}

impl Reviews {
    /// Reads and checks a reviews file; every problem is reported with its
    /// line, all at once.
    pub fn load(path: &Path) -> Result<Reviews, Vec<String>> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| vec![format!("{name}: cannot read: {e}")])?;
        Reviews::parse(&name, bytes)
    }

    /// [`Reviews::load`] on a file's bytes; `name` is what the messages
    /// call the file.
    pub fn parse(name: &str, bytes: Vec<u8>) -> Result<Reviews, Vec<String>> {
        let text = String::from_utf8(bytes).map_err(|e| vec![format!("{name}: not UTF-8 (byte {})", e.utf8_error().valid_up_to())])?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let delim = if text.lines().next().is_some_and(|l| l.contains(';') && !l.contains(',')) { b';' } else { b',' };
        let mut rdr = csv::ReaderBuilder::new().delimiter(delim).flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = match rdr.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => return Err(vec![format!("{name}:1: {e}")]),
        };
        if header != HEADER {
            return Err(vec![format!("{name}:1: the header must be `{}`, not `{}`", HEADER.join(","), header.join(","))]);
        }
        let mut out = Reviews::default();
        let mut errors = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    errors.push(format!("{name}:{line}: {e}"));
                    continue;
                }
            };
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if rec.len() != HEADER.len() {
                errors.push(format!("{name}:{line}: {} fields, expected {}", rec.len(), HEADER.len()));
                continue;
            }
            let f = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
            let sha = f(0).to_ascii_lowercase();
            if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                errors.push(format!("{name}:{line}: `{}` is not a sha256 (64 hex digits)", f(0)));
                continue;
            }
            let indicator = f(1);
            let kind = match (spec::indicator(&indicator), spec::metadata_fields().any(|f| f == indicator)) {
                (Some(i), _) => Some(i.kind),
                (None, true) => None,
                (None, false) => {
                    errors.push(format!("{name}:{line}: unknown indicator `{indicator}`"));
                    continue;
                }
            };
            let decision = match f(2).to_ascii_lowercase().as_str() {
                "accept" => Decision::Accept,
                "reject" => Decision::Reject,
                "correct" => Decision::Correct,
                other => {
                    errors.push(format!("{name}:{line}: decision `{other}` is not accept, reject or correct"));
                    continue;
                }
            };
            let value = if decision == Decision::Correct {
                let parsed = match kind {
                    Some(k) => parse_value(k, &f(3)),
                    None => Some(json!(f(3))).filter(|_| !f(3).is_empty()),
                };
                match parsed {
                    Some(v) => Some(v),
                    None => {
                        errors.push(format!("{name}:{line}: `{}` is not a value for {indicator}", f(3)));
                        continue;
                    }
                }
            } else {
                None
            };
            if f(4).is_empty() {
                errors.push(format!("{name}:{line}: the reviewer is missing"));
                continue;
            }
            out.by_sha.entry(sha.clone()).or_default().push(Review { line, sha256: sha, indicator, decision, value, reviewer: f(4), date: f(5), comment: f(6) });
        }
        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }

    pub fn len(&self) -> usize {
        self.by_sha.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies the decisions on this document (later lines win).
    pub fn apply(&mut self, r: &mut DocRecord) {
        if r.status != Status::Ok {
            return;
        }
        let Some(sha) = r.sha256.as_deref() else { return };
        let Some(list) = self.by_sha.get(sha) else { return };
        let mut marks = Map::new();
        for rv in list {
            let is_meta = spec::indicator(&rv.indicator).is_none();
            let map = if is_meta { &mut r.analysis.metadata } else { &mut r.analysis.indicators };
            let automatic = map.get(&rv.indicator).cloned();
            if rv.decision != Decision::Correct && automatic.is_none() {
                self.stale.push((rv.line, format!("{}: {} is no longer found in {}", rv.decision.as_str(), rv.indicator, r.path)));
                continue;
            }
            match rv.decision {
                Decision::Accept => {}
                Decision::Reject => {
                    map.shift_remove(&rv.indicator);
                }
                Decision::Correct => {
                    map.insert(rv.indicator.clone(), rv.value.clone().unwrap_or(Value::Null));
                }
            }
            if !is_meta && rv.decision == Decision::Correct && automatic.is_none() {
                // Keep the contract's order of indicators.
                let mut sorted: Vec<(String, Value)> = std::mem::take(&mut r.analysis.indicators).into_iter().collect();
                sorted.sort_by_key(|(k, _)| spec::indicator_rank(k));
                r.analysis.indicators = sorted.into_iter().collect();
            }
            if is_meta && rv.decision != Decision::Reject {
                r.analysis.metadata_source.insert(rv.indicator.clone(), json!("review"));
            }
            marks.insert(
                rv.indicator.clone(),
                json!({"decision": rv.decision.as_str(), "value": rv.value, "automatic_value": automatic, "reviewer": rv.reviewer, "date": rv.date, "comment": rv.comment}),
            );
            self.applied.insert(rv.line);
        }
        if !marks.is_empty() {
            r.analysis.review = marks;
        }
    }

    /// Decisions that did not apply: stale lines, with the reason.
    pub fn stale(&self) -> Vec<(usize, String)> {
        let mut out = self.stale.clone();
        for list in self.by_sha.values() {
            for rv in list {
                if !self.applied.contains(&rv.line) && !out.iter().any(|(l, _)| *l == rv.line) {
                    out.push((rv.line, format!("no document of this run has sha256 {}", rv.sha256)));
                }
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Analysis;

    const SHA: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("reviews.csv");
        std::fs::write(&p, text).unwrap();
        (d, p)
    }

    fn doc() -> DocRecord {
        let mut a = Analysis::default();
        a.indicators.insert("telework_allowed".into(), json!(true));
        a.indicators.insert("telework_days_per_week".into(), json!(3));
        DocRecord { path: "a.pdf".into(), sha256: Some(SHA.into()), status: Status::Ok, pages: Some(1), error: None, analysis: a, clause_lines: None }
    }

    #[test]
    fn applies_accept_reject_correct_and_reports_stale() {
        let text = format!(
            "sha256,indicator,decision,value,reviewer,date,comment\n{SHA},telework_days_per_week,correct,\"2,5\",anact-1,2026-11-02,\n{SHA},telework_allowed,accept,,anact-1,2026-11-02,ok\n{SHA},rtt_days,reject,,anact-2,2026-11-03,\n{},rtt_days,accept,,anact-2,2026-11-03,\n",
            "b".repeat(64)
        );
        let (_d, p) = write(&text);
        let mut rv = Reviews::load(&p).unwrap();
        let mut r = doc();
        rv.apply(&mut r);
        assert_eq!(r.analysis.indicators["telework_days_per_week"], json!(2.5));
        assert_eq!(r.analysis.review["telework_days_per_week"]["automatic_value"], json!(3));
        assert_eq!(r.analysis.review["telework_allowed"]["decision"], json!("accept"));
        let stale = rv.stale();
        assert_eq!(stale.len(), 2, "{stale:?}");
        assert_eq!(stale[0].0, 4);
        assert_eq!(stale[1].0, 5);
    }

    #[test]
    fn reject_removes() {
        let (_d, p) = write(&format!("sha256,indicator,decision,value,reviewer,date,comment\n{SHA},telework_allowed,reject,,r,2026-01-01,faux positif\n"));
        let mut rv = Reviews::load(&p).unwrap();
        let mut r = doc();
        rv.apply(&mut r);
        assert!(!r.analysis.indicators.contains_key("telework_allowed"));
        assert!(rv.stale().is_empty());
    }

    #[test]
    fn bad_files_say_what_and_where() {
        let (_d, p) = write("");
        assert!(Reviews::load(&p).unwrap_err()[0].contains(":1:"));
        let (_d, p) = write("a,b\n1,2\n");
        assert!(Reviews::load(&p).unwrap_err()[0].contains("header"));
        let bad = format!("sha256,indicator,decision,value,reviewer,date,comment\nxyz,telework_allowed,accept,,r,,\n{SHA},nope,accept,,r,,\n{SHA},telework_allowed,maybe,,r,,\n{SHA},weekly_hours,correct,abc,r,,\n{SHA},weekly_hours,accept,,,,\n");
        let (_d, p) = write(&bad);
        let errs = Reviews::load(&p).unwrap_err();
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(errs[0].contains(":2:") && errs[4].contains(":6:"));
        let (_d, p) = write("\u{0}\u{1}\u{2}");
        assert!(Reviews::load(&p).is_err());
        assert!(Reviews::load(Path::new("/no/such/reviews.csv")).is_err());
    }
}
