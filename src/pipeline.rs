//! The road of one document: read -> extract -> analyse, each stage timed
//! and isolated. A panic anywhere becomes an error row for that document,
//! never a stopped run (the release profile keeps `panic = "unwind"`).

use crate::discover::{DocKind, Input};
use crate::indicators::{self, Analysis};
use crate::output::{DocError, DocRecord, Status};
use crate::pdf::{self, Limits, PageText, PdfText};
use crate::rules::RuleSet;
use sha2::{Digest, Sha256};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

pub use crate::output::sink::Timings;

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

/// Why the text of a document could not be had: its row's `error.kind`
/// is [`ExtractError::kind`], its message the error's text.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error(transparent)]
    Docx(#[from] crate::docx::DocxError),
    #[error("not UTF-8 text (byte {0})")]
    NotUtf8(usize),
    /// A reader panicked: a bug of ours, contained to this document.
    #[error("the {reader} failed on this file ({message}); please report it")]
    Panic { reader: &'static str, message: String },
}

impl ExtractError {
    /// The stable short name written to errors.csv.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Pdf(e) => e.kind(),
            ExtractError::Docx(e) => e.kind(),
            ExtractError::NotUtf8(_) => "not_utf8",
            ExtractError::Panic { .. } => "panic",
        }
    }
}

/// Runs a reader under `catch_unwind`: its panic is this document's error.
fn guarded<E: Into<ExtractError>>(reader: &'static str, read: impl FnOnce() -> Result<PdfText, E>) -> Result<PdfText, ExtractError> {
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(r) => r.map_err(Into::into),
        Err(p) => Err(ExtractError::Panic { reader, message: panic_message(p.as_ref()) }),
    }
}

/// Extracts a PDF's text under `catch_unwind`.
pub fn extract_guarded(bytes: &[u8], limits: &Limits) -> Result<PdfText, ExtractError> {
    guarded("extractor", || pdf::extract(bytes, limits))
}

/// Reads a DOCX under `catch_unwind`.
pub fn docx_guarded(bytes: &[u8]) -> Result<PdfText, ExtractError> {
    guarded("DOCX reader", || crate::docx::read_docx(bytes, &crate::docx::DocxLimits::default()))
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
        docx_guarded(&bytes)
    } else if input.kind == DocKind::Text {
        match String::from_utf8(bytes.clone()) {
            Ok(t) => Ok(PdfText { pages: t.split('\u{c}').filter(|p| !p.is_empty()).map(|p| crate::pdf::PageText { body: p.to_string(), ..Default::default() }).collect() }),
            Err(e) => Err(ExtractError::NotUtf8(e.utf8_error().valid_up_to())),
        }
    } else {
        extract_guarded(&bytes, limits)
    };
    // A PDF ends with "%%EOF"; one cut short (a failed copy or download)
    // does not, and its last pages may give no text.
    let truncated = input.kind == DocKind::Pdf && !seems_complete_pdf(&bytes);
    drop(bytes);
    t.extract = start.elapsed();
    let text = match text {
        Ok(text) => text,
        Err(e) => return (failed(path, Some(sha), None, "extract", e.kind(), e.to_string()), t),
    };
    let pages = text.pages.len();
    let image_only = text.pages.iter().filter(|p| p.image_only).count();
    // Mostly images, or images and nothing else: OCR would read them.
    if pages > 0 && (image_only * 2 > pages || (image_only > 0 && !text.pages.iter().any(has_text))) {
        let rec = DocRecord { path: path.into(), sha256: Some(sha), status: Status::NeedsOcr, pages: Some(pages), error: None, analysis: Analysis::default(), clause_lines: None };
        return (rec, t);
    }
    if let Some(msg) = no_text(&text.pages, input.kind, truncated) {
        return (failed(path, Some(sha), Some(pages), "extract", "no_text", msg), t);
    }
    let warnings = unread_pages(&text.pages, truncated);
    let start = Instant::now();
    let analysis = catch_unwind(AssertUnwindSafe(|| {
        #[cfg(test)]
        tests::maybe_fail(&text.pages);
        indicators::analyse(&text.pages, rules, opts)
    }));
    t.tag = start.elapsed();
    let analysis = analysis.map(|mut a| {
        a.warnings = warnings;
        a
    });
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

/// Whether a PDF's last KiB holds its end-of-file marker.
fn seems_complete_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

fn has_text(p: &PageText) -> bool {
    p.body.chars().any(|c| !c.is_whitespace())
}

/// Why a document with no text at all is an error (no page, or pages that
/// all came out empty and no image to OCR); `None` when some text came out.
fn no_text(pages: &[PageText], kind: DocKind, truncated: bool) -> Option<String> {
    if pages.iter().any(|p| has_text(p) || p.image_only) {
        return None;
    }
    let why = if truncated { " (the file seems truncated: it does not end with %%EOF)" } else { "" };
    Some(match (kind, pages.len()) {
        (DocKind::Pdf, 0) => format!("no page found in the file, so no text{why}"),
        (DocKind::Pdf, 1) => format!("1 page found, and it gave no text{why}"),
        (DocKind::Pdf, n) => format!("{n} pages found, and none of them gave text{why}"),
        _ => "the document has no text".to_string(),
    })
}

/// Pages that gave no text in a document that did give some, when the
/// file says why: a truncated PDF loses its last pages.
fn unread_pages(pages: &[PageText], truncated: bool) -> Vec<String> {
    let Some(last) = pages.iter().rposition(|p| has_text(p) || p.image_only) else { return Vec::new() };
    if !truncated {
        return Vec::new();
    }
    let (read, n) = (last + 1, pages.len());
    vec![match n - read {
        0 => format!("the file seems truncated after page {read} (it does not end with %%EOF): the end of the document may be missing"),
        1 => format!("the file seems truncated after page {read} (it does not end with %%EOF): page {n} gave no text"),
        _ => format!("the file seems truncated after page {read} (it does not end with %%EOF): pages {}-{n} gave no text", read + 1),
    }]
}

/// Puts an agreement's official ACCO metadata over what its text says: each
/// field it states wins and says so in `metadata_source`; text evidence
/// that supports another value is dropped. The official metadata does not
/// depend on the text, so a member whose text could not be read or
/// analysed (an `error` or `needs_ocr` row) carries it too.
pub fn apply_acco(rec: &mut DocRecord, meta: &crate::acco::AccoMeta) {
    use serde_json::{json, Map, Value};
    let a = &mut rec.analysis;
    a.acco.insert("acco_id".into(), json!(meta.id));
    a.acco.insert("partial_text".into(), json!(meta.partial_text));
    a.acco.insert("acco_themes".into(), meta.themes_json());
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A page that holds this text makes the analysis panic, in tests only:
    /// how the tests reach the paths that handle a failed analysis.
    pub(crate) const FAIL_MARK: &str = "\u{1}starfinder-test: fail the analysis\u{1}";

    pub(crate) fn maybe_fail(pages: &[PageText]) {
        if pages.iter().any(|p| p.body.contains(FAIL_MARK)) {
            panic!("analysis failed on purpose (test)");
        }
    }

    fn page(body: &str) -> PageText {
        PageText { body: body.into(), ..Default::default() }
    }

    #[test]
    fn empty_documents_are_errors_and_lost_pages_are_warnings() {
        assert_eq!(no_text(&[page(""), page(" \n"), page("")], DocKind::Pdf, false).as_deref(), Some("3 pages found, and none of them gave text"));
        assert!(no_text(&[], DocKind::Pdf, true).is_some_and(|m| m.starts_with("no page found") && m.contains("truncated")));
        assert_eq!(no_text(&[page(""), page("Article 1")], DocKind::Pdf, false), None);
        let scan = PageText { image_only: true, ..Default::default() };
        assert_eq!(no_text(&[page(""), scan], DocKind::Pdf, false), None);
        let pages = [page("Accord"), page("Article 1"), page("Article 2"), page(""), page("")];
        assert_eq!(unread_pages(&pages, true), ["the file seems truncated after page 3 (it does not end with %%EOF): pages 4-5 gave no text"]);
        assert!(unread_pages(&pages, false).is_empty());
        assert!(unread_pages(&pages[..3], true)[0].contains("the end of the document may be missing"));
        assert!(seems_complete_pdf(b"%PDF-1.4 ... %%EOF\n") && !seems_complete_pdf(b"%PDF-1.4 ... 4 0 obj"));
    }
}
