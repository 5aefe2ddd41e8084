//! The files of the output contract (../shared/spec/output.md), written
//! atomically: each file is written beside its final name and renamed into
//! place only when the run has finished, so a reader never sees half a file
//! and a crash never destroys the previous night's output.

pub mod companies;
pub mod schema;
pub mod sink;

use crate::indicators::Analysis;
use crate::spec;
use serde_json::{json, Map, Value};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Bumped whenever a change breaks a reader; the README says what changed.
pub const SCHEMA_VERSION: u32 = 3;

/// Where a document came from: `acco` (a member of an ACCO delivery),
/// `docx` or `pdf`, from its path.
pub fn source_of(path: &str) -> &'static str {
    if path.contains("!/") {
        "acco"
    } else if path.to_ascii_lowercase().ends_with(".docx") {
        "docx"
    } else {
        "pdf"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    NeedsOcr,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NeedsOcr => "needs_ocr",
            Status::Error => "error",
        }
    }
}

/// Why a document failed.
#[derive(Debug, Clone, PartialEq)]
pub struct DocError {
    /// read, extract or tag.
    pub stage: &'static str,
    pub kind: String,
    pub message: String,
}

/// Everything the run knows about one input document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRecord {
    pub path: String,
    pub sha256: Option<String>,
    pub status: Status,
    pub pages: Option<usize>,
    pub error: Option<DocError>,
    pub analysis: Analysis,
    /// The document's clauses.jsonl lines, already serialized (a warm run
    /// copies them from the cache instead of parsing and writing them
    /// again); `None`: serialize `analysis.clauses`.
    pub clause_lines: Option<Vec<String>>,
}

/// How CSV files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CsvDialect {
    /// Comma, UTF-8, `.` decimal point.
    #[default]
    Standard,
    /// Semicolon, UTF-8 with BOM, decimal comma: what French Excel opens.
    ExcelFr,
}

/// A file written beside its final name, renamed into place by `commit`.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    w: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(dir: &Path, name: &str) -> std::io::Result<AtomicFile> {
        let dest = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let f = File::create(&tmp)?;
        Ok(AtomicFile { tmp, dest, w: Some(BufWriter::with_capacity(1 << 20, f)) })
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.w.as_mut().expect("an AtomicFile is written only before commit")
    }

    /// Flushes, syncs and renames into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(w) = self.w.take() else { return Ok(()) };
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&self.tmp, &self.dest)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Only an uncommitted file still has its temporary name.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// A CSV writer in the chosen dialect over an atomic file.
pub struct CsvOut {
    file: Option<AtomicFile>,
    dialect: CsvDialect,
}

impl CsvOut {
    pub fn create(dir: &Path, name: &str, dialect: CsvDialect, header: &[String]) -> std::io::Result<CsvOut> {
        let mut file = AtomicFile::create(dir, name)?;
        if dialect == CsvDialect::ExcelFr {
            file.writer().write_all("\u{feff}".as_bytes())?;
        }
        let mut c = CsvOut { file: Some(file), dialect };
        c.row(header.iter().map(String::as_str))?;
        Ok(c)
    }

    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> std::io::Result<()> {
        let delim = if self.dialect == CsvDialect::ExcelFr { b';' } else { b',' };
        let Some(f) = self.file.as_mut() else { return Ok(()) };
        let mut w = csv::WriterBuilder::new().delimiter(delim).has_headers(false).from_writer(Vec::new());
        w.write_record(cells).map_err(std::io::Error::other)?;
        let bytes = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
        f.writer().write_all(&bytes)
    }

    pub fn commit(mut self) -> std::io::Result<()> {
        match self.file.take() {
            Some(f) => f.commit(),
            None => Ok(()),
        }
    }

    /// A value as a CSV cell: lists joined with `|`, booleans `true`/`false`,
    /// numbers with the dialect's decimal mark, empty when absent.
    pub fn cell(&self, v: Option<&Value>) -> String {
        match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) => {
                let s = n.to_string();
                if self.dialect == CsvDialect::ExcelFr { s.replace('.', ",") } else { s }
            }
            Some(Value::Array(a)) => a.iter().map(|x| self.cell(Some(x))).collect::<Vec<_>>().join("|"),
            Some(o @ Value::Object(_)) => o.to_string(),
        }
    }
}

/// agreements.jsonl, agreements.csv, clauses.jsonl and errors.csv, fed one
/// document at a time in path order.
pub struct DocWriters {
    jsonl: AtomicFile,
    csv: CsvOut,
    clauses: AtomicFile,
    errors: CsvOut,
}

pub fn agreements_header() -> Vec<String> {
    let mut h: Vec<String> = ["schema_version", "path", "sha256", "status", "pages"].iter().map(|s| s.to_string()).collect();
    h.extend(spec::METADATA.iter().map(|s| s.to_string()));
    h.push("themes".into());
    h.extend(spec::INDICATORS.iter().map(|i| i.id.to_string()));
    // Columns added after schema 1, at the end.
    h.extend(["source", "acco_id", "partial_text"].map(String::from));
    h.extend(spec::METADATA_ADDED.iter().map(|s| s.to_string()));
    h
}

/// The JSON line of one document, keys in contract order.
pub fn agreement_json(r: &DocRecord) -> Value {
    let a = &r.analysis;
    let mut o = Map::new();
    o.insert("schema_version".into(), json!(SCHEMA_VERSION));
    o.insert("path".into(), json!(r.path));
    o.insert("sha256".into(), json!(r.sha256));
    o.insert("status".into(), json!(r.status.as_str()));
    o.insert("pages".into(), json!(r.pages));
    o.insert("source".into(), json!(source_of(&r.path)));
    o.insert("acco_id".into(), a.acco.get("acco_id").cloned().unwrap_or(Value::Null));
    o.insert("partial_text".into(), a.acco.get("partial_text").cloned().unwrap_or(Value::Bool(false)));
    o.insert("metadata".into(), Value::Object(a.metadata.clone()));
    o.insert("metadata_source".into(), Value::Object(a.metadata_source.clone()));
    o.insert("themes".into(), json!(a.themes));
    o.insert("indicators".into(), Value::Object(a.indicators.clone()));
    o.insert("evidence".into(), Value::Object(a.evidence.clone()));
    o.insert("acco_themes".into(), a.acco.get("acco_themes").cloned().unwrap_or_else(|| json!([])));
    if !a.review.is_empty() {
        o.insert("review".into(), Value::Object(a.review.clone()));
    }
    if let Some(e) = &r.error {
        o.insert("error".into(), json!({"stage": e.stage, "kind": e.kind, "message": e.message}));
    }
    // An extension field, at the end and only where there is something to say.
    if !a.warnings.is_empty() {
        o.insert("warnings".into(), json!(a.warnings));
    }
    Value::Object(o)
}

/// The clauses.jsonl lines of one document.
pub fn clause_lines(r: &DocRecord) -> Vec<Value> {
    r.analysis
        .clauses
        .iter()
        .map(|c| {
            json!({
                "schema_version": SCHEMA_VERSION, "path": r.path, "clause": c.clause, "pages": c.pages,
                "start": c.start, "end": c.end, "themes": c.themes, "rules": c.rules, "text": c.text,
            })
        })
        .collect()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

fn object(v: Option<&Value>) -> Map<String, Value> {
    v.and_then(Value::as_object).cloned().unwrap_or_default()
}

/// Rebuilds a document's record from its agreements.jsonl line and its
/// clauses.jsonl lines: what the cache stores and what `merge` reads, so
/// that both write the very bytes a fresh run writes.
pub fn record_from_json(line: &Value, clauses: &[Value]) -> Result<DocRecord, String> {
    let o = line.as_object().ok_or("not a JSON object")?;
    let status = match o.get("status").and_then(Value::as_str) {
        Some("ok") => Status::Ok,
        Some("needs_ocr") => Status::NeedsOcr,
        Some("error") => Status::Error,
        other => return Err(format!("unknown status {other:?}")),
    };
    let error = o.get("error").and_then(Value::as_object).map(|e| DocError {
        stage: match e.get("stage").and_then(Value::as_str) {
            Some("read") => "read",
            Some("tag") => "tag",
            _ => "extract",
        },
        kind: e.get("kind").and_then(Value::as_str).unwrap_or("").to_string(),
        message: e.get("message").and_then(Value::as_str).unwrap_or("").to_string(),
    });
    let analysis = Analysis {
        metadata: object(o.get("metadata")),
        metadata_source: object(o.get("metadata_source")),
        themes: strings(o.get("themes")),
        indicators: object(o.get("indicators")),
        evidence: object(o.get("evidence")),
        clauses: clauses
            .iter()
            .map(|c| crate::indicators::ClauseRow {
                clause: c.get("clause").and_then(Value::as_str).unwrap_or("").to_string(),
                pages: c.get("pages").and_then(Value::as_array).map(|a| a.iter().filter_map(|p| p.as_u64().map(|p| p as usize)).collect()).unwrap_or_default(),
                start: c.get("start").and_then(Value::as_u64).unwrap_or(0) as usize,
                end: c.get("end").and_then(Value::as_u64).unwrap_or(0) as usize,
                themes: strings(c.get("themes")),
                rules: strings(c.get("rules")),
                text: c.get("text").and_then(Value::as_str).unwrap_or("").to_string(),
            })
            .collect(),
        near_misses: Vec::new(),
        review: object(o.get("review")),
        warnings: strings(o.get("warnings")),
        acco: {
            let mut m = Map::new();
            if let Some(id) = o.get("acco_id").filter(|v| !v.is_null()) {
                m.insert("acco_id".into(), id.clone());
                m.insert("partial_text".into(), o.get("partial_text").cloned().unwrap_or(Value::Bool(false)));
                m.insert("acco_themes".into(), o.get("acco_themes").cloned().unwrap_or_else(|| json!([])));
            }
            m
        },
    };
    Ok(DocRecord {
        path: o.get("path").and_then(Value::as_str).ok_or("no path")?.to_string(),
        sha256: o.get("sha256").and_then(Value::as_str).map(String::from),
        status,
        pages: o.get("pages").and_then(Value::as_u64).map(|p| p as usize),
        error,
        analysis,
        clause_lines: None,
    })
}

impl DocWriters {
    pub fn create(dir: &Path, dialect: CsvDialect) -> std::io::Result<DocWriters> {
        Ok(DocWriters {
            jsonl: AtomicFile::create(dir, "agreements.jsonl")?,
            csv: CsvOut::create(dir, "agreements.csv", dialect, &agreements_header())?,
            clauses: AtomicFile::create(dir, "clauses.jsonl")?,
            errors: CsvOut::create(
                dir,
                "errors.csv",
                dialect,
                &["schema_version", "path", "status", "stage", "kind", "message"].map(String::from),
            )?,
        })
    }

    pub fn write(&mut self, r: &DocRecord) -> std::io::Result<()> {
        let line = agreement_json(r);
        serde_json::to_writer(self.jsonl.writer(), &line)?;
        self.jsonl.writer().write_all(b"\n")?;

        let a = &r.analysis;
        let mut cells = vec![
            SCHEMA_VERSION.to_string(),
            r.path.clone(),
            r.sha256.clone().unwrap_or_default(),
            r.status.as_str().to_string(),
            r.pages.map(|p| p.to_string()).unwrap_or_default(),
        ];
        for m in spec::METADATA {
            cells.push(self.csv.cell(a.metadata.get(*m)));
        }
        cells.push(a.themes.join("|"));
        for i in spec::INDICATORS {
            cells.push(self.csv.cell(a.indicators.get(i.id)));
        }
        cells.push(source_of(&r.path).to_string());
        cells.push(self.csv.cell(a.acco.get("acco_id")));
        cells.push(self.csv.cell(Some(a.acco.get("partial_text").unwrap_or(&Value::Bool(false)))));
        for m in spec::METADATA_ADDED {
            cells.push(self.csv.cell(a.metadata.get(*m)));
        }
        self.csv.row(cells.iter().map(String::as_str))?;

        match &r.clause_lines {
            Some(lines) => {
                for l in lines {
                    self.clauses.writer().write_all(l.as_bytes())?;
                    self.clauses.writer().write_all(b"\n")?;
                }
            }
            None => {
                for v in clause_lines(r) {
                    serde_json::to_writer(self.clauses.writer(), &v)?;
                    self.clauses.writer().write_all(b"\n")?;
                }
            }
        }

        if r.status == Status::Ok && !a.warnings.is_empty() {
            let (v, message) = (SCHEMA_VERSION.to_string(), a.warnings.join("; "));
            self.errors.row([v.as_str(), r.path.as_str(), r.status.as_str(), "extract", "unread_pages", message.as_str()])?;
        }
        if r.status != Status::Ok {
            let (stage, kind, message) = match &r.error {
                Some(e) => (e.stage, e.kind.as_str(), e.message.as_str()),
                None => ("extract", "needs_ocr", "more than half of the pages are images with no text layer"),
            };
            let v = SCHEMA_VERSION.to_string();
            self.errors.row([v.as_str(), r.path.as_str(), r.status.as_str(), stage, kind, message])?;
        }
        Ok(())
    }

    pub fn commit(self) -> std::io::Result<()> {
        self.jsonl.commit()?;
        self.csv.commit()?;
        self.clauses.commit()?;
        self.errors.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_file_is_invisible_until_commit() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("x.txt"), "old").unwrap();
        let mut f = AtomicFile::create(d.path(), "x.txt").unwrap();
        f.writer().write_all(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(d.path().join("x.txt")).unwrap(), "old");
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(d.path().join("x.txt")).unwrap(), "new");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn dropped_file_leaves_the_old_one() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("x.txt"), "old").unwrap();
        drop(AtomicFile::create(d.path(), "x.txt").unwrap());
        assert_eq!(std::fs::read_to_string(d.path().join("x.txt")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn records_round_trip_through_json() {
        let mut a = Analysis::default();
        a.metadata.insert("siren".into(), json!("424220267"));
        a.indicators.insert("telework_days_per_week".into(), json!(2.5));
        a.themes = vec!["teletravail".into()];
        a.warnings = vec!["the file seems truncated after page 1: page 2 gave no text".into()];
        a.clauses.push(crate::indicators::ClauseRow { clause: "Article 1".into(), pages: vec![1, 2], start: 3, end: 9, themes: vec!["teletravail".into()], rules: vec!["TT-002".into()], text: "x".into() });
        let r = DocRecord { path: "a.pdf".into(), sha256: Some("ab".into()), status: Status::Ok, pages: Some(2), error: None, analysis: a, clause_lines: None };
        let back = record_from_json(&agreement_json(&r), &clause_lines(&r)).unwrap();
        assert_eq!(back, r);
        let e = DocRecord { status: Status::Error, error: Some(DocError { stage: "read", kind: "io".into(), message: "m".into() }), analysis: Analysis::default(), ..r };
        assert_eq!(record_from_json(&agreement_json(&e), &[]).unwrap(), e);
        assert!(record_from_json(&json!([1]), &[]).is_err());
    }

    #[test]
    fn excel_dialect_cells() {
        let d = tempfile::tempdir().unwrap();
        let c = CsvOut::create(d.path(), "a.csv", CsvDialect::ExcelFr, &["a".into()]).unwrap();
        assert_eq!(c.cell(Some(&json!(2.5))), "2,5");
        assert_eq!(c.cell(Some(&json!(["CFDT", "CGT"]))), "CFDT|CGT");
        c.commit().unwrap();
        let bytes = std::fs::read(d.path().join("a.csv")).unwrap();
        assert!(bytes.starts_with("\u{feff}a\n".as_bytes()));
    }
}
