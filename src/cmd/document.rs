//! The road of one document: read -> extract -> analyse, each stage timed
//! and isolated. A panic anywhere becomes an error row for that document,
//! never a stopped run (the release profile keeps `panic = "unwind"`).

use crate::discover::{DocKind, Input};
use crate::indicators::{self, Analysis};
use crate::output::{DocError, DocRecord, Status};
use crate::pdf::{self, Limits, PdfText};
use crate::rules::RuleSet;
use sha2::{Digest, Sha256};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Seconds spent per stage on one document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub read: Duration,
    pub extract: Duration,
    pub tag: Duration,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

pub(crate) fn failed(path: &str, sha: Option<String>, pages: Option<usize>, stage: &'static str, kind: &str, message: String) -> DocRecord {
    DocRecord {
        path: path.to_string(),
        sha256: sha,
        status: Status::Error,
        pages,
        error: Some(DocError { stage, kind: kind.to_string(), message }),
        analysis: Analysis::default(),
        clause_lines: None,
    }
}

/// Extracts text under `catch_unwind`.
pub fn extract_guarded(bytes: &[u8], limits: &Limits) -> Result<PdfText, (String, String)> {
    match catch_unwind(AssertUnwindSafe(|| pdf::extract(bytes, limits))) {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e)) => Err((e.kind().to_string(), e.to_string())),
        Err(p) => Err(("panic".into(), format!("the extractor failed on this file ({}); please report it", panic_message(p.as_ref())))),
    }
}

/// Reads an input's bytes, within the file-size limit.
pub fn read(input: &Input, limits: &Limits) -> Result<Vec<u8>, DocRecord> {
    let path = input.path.as_str();
    let size = std::fs::metadata(&input.fs_path).map(|m| m.len()).unwrap_or(0);
    if size > limits.max_file_bytes as u64 {
        let msg = format!("file is {size} bytes, above the limit of {} bytes", limits.max_file_bytes);
        return Err(failed(path, None, None, "read", "limit", msg));
    }
    std::fs::read(&input.fs_path).map_err(|e| failed(path, None, None, "read", "io", format!("cannot read the file: {e}")))
}

/// Processes one input into its output record.
pub fn process(input: &Input, rules: &RuleSet, limits: &Limits, opts: indicators::Options) -> (DocRecord, Timings) {
    let start = Instant::now();
    match read(input, limits) {
        Ok(bytes) => {
            let sha = sha256_hex(&bytes);
            let read = start.elapsed();
            let (rec, mut t) = process_bytes(input, bytes, sha, rules, limits, opts);
            t.read += read;
            (rec, t)
        }
        Err(rec) => (rec, Timings { read: start.elapsed(), ..Default::default() }),
    }
}

/// Processes the bytes of one input (already read and hashed).
pub fn process_bytes(input: &Input, bytes: Vec<u8>, sha: String, rules: &RuleSet, limits: &Limits, opts: indicators::Options) -> (DocRecord, Timings) {
    let mut t = Timings::default();
    let path = input.path.as_str();
    if input.kind == DocKind::Unsupported {
        let msg = "not a type Star finder reads (PDF or DOCX): no %PDF- header".to_string();
        return (failed(path, Some(sha), None, "read", "unsupported_type", msg), t);
    }
    let start = Instant::now();
    let text = if input.kind == DocKind::Docx {
        match catch_unwind(AssertUnwindSafe(|| crate::docx::read_docx(&bytes, &crate::docx::DocxLimits::default()))) {
            Ok(Ok(t)) => Ok(t),
            Ok(Err(e)) => Err((e.kind().to_string(), e.to_string())),
            Err(p) => Err(("panic".into(), format!("the DOCX reader failed on this file ({}); please report it", panic_message(p.as_ref())))),
        }
    } else if input.kind == DocKind::Text {
        match String::from_utf8(bytes.clone()) {
            Ok(t) => Ok(PdfText { pages: t.split('\u{c}').filter(|p| !p.is_empty()).map(|p| crate::pdf::PageText { body: p.to_string(), ..Default::default() }).collect() }),
            Err(e) => Err(("not_utf8".to_string(), format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))),
        }
    } else {
        extract_guarded(&bytes, limits)
    };
    drop(bytes);
    t.extract = start.elapsed();
    let text = match text {
        Ok(text) => text,
        Err((kind, msg)) => return (failed(path, Some(sha), None, "extract", &kind, msg), t),
    };
    let pages = text.pages.len();
    let image_only = text.pages.iter().filter(|p| p.image_only).count();
    if pages > 0 && image_only * 2 > pages {
        let rec = DocRecord { path: path.into(), sha256: Some(sha), status: Status::NeedsOcr, pages: Some(pages), error: None, analysis: Analysis::default(), clause_lines: None };
        return (rec, t);
    }
    let start = Instant::now();
    let analysis = catch_unwind(AssertUnwindSafe(|| indicators::analyse(&text.pages, rules, opts)));
    t.tag = start.elapsed();
    match analysis {
        // A DOCX has no pages: its evidence gives clause and offsets only.
        Ok(mut analysis) if input.kind == DocKind::Docx => {
            for list in analysis.evidence.values_mut() {
                for e in list.as_array_mut().into_iter().flatten() {
                    if let Some(o) = e.as_object_mut() {
                        o.shift_remove("page");
                    }
                }
            }
            for c in &mut analysis.clauses {
                c.pages.clear();
            }
            (DocRecord { path: path.into(), sha256: Some(sha), status: Status::Ok, pages: None, error: None, analysis, clause_lines: None }, t)
        }
        Ok(analysis) => (DocRecord { path: path.into(), sha256: Some(sha), status: Status::Ok, pages: Some(pages), error: None, analysis, clause_lines: None }, t),
        Err(p) => {
            let msg = format!("tagging failed on this document ({}); please report it", panic_message(p.as_ref()));
            (failed(path, Some(sha), Some(pages), "tag", "panic", msg), t)
        }
    }
}

/// Puts an agreement's official ACCO metadata over what its text says: each
/// field it states wins and says so in `metadata_source`; text evidence
/// that supports another value is dropped.
pub fn apply_acco(rec: &mut DocRecord, meta: &crate::acco::AccoMeta) {
    use serde_json::{json, Map, Value};
    let a = &mut rec.analysis;
    a.acco.insert("acco_id".into(), json!(meta.id));
    a.acco.insert("partial_text".into(), json!(meta.partial_text));
    a.acco.insert("acco_themes".into(), meta.themes_json());
    if rec.status != Status::Ok {
        return;
    }
    for (field, value) in meta.metadata() {
        if a.metadata.get(field) != Some(&value) {
            a.evidence.shift_remove(field);
        }
        a.metadata.insert(field.to_string(), value);
        a.metadata_source.insert(field.to_string(), json!("acco"));
    }
    // Keep the contract's order of fields.
    let order = |m: &mut Map<String, Value>| {
        let mut v: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
        v.sort_by_key(|(k, _)| crate::spec::metadata_rank(k));
        *m = v.into_iter().collect();
    };
    order(&mut a.metadata);
    order(&mut a.metadata_source);
}
