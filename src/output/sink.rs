//! Where a run's records go, in path order: the document files, the
//! company aggregation and run.json's figures. `run` and `merge` both
//! write through a [`Sink`].

use super::companies::Companies;
use super::{CsvDialect, DocRecord, DocWriters, SCHEMA_VERSION};
use anyhow::Context;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Seconds spent per stage on one document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub read: Duration,
    pub extract: Duration,
    pub tag: Duration,
}

/// What the run reports in run.json.
#[derive(Default)]
pub struct Stats {
    counts: BTreeMap<&'static str, usize>,
    pub pages: usize,
    stages: Timings,
    write: Duration,
    slowest: Vec<(Duration, String)>,
}

impl Stats {
    fn add(&mut self, r: &DocRecord, t: &Timings) {
        *self.counts.entry(r.status.as_str()).or_default() += 1;
        self.pages += r.pages.unwrap_or(0);
        self.stages.read += t.read;
        self.stages.extract += t.extract;
        self.stages.tag += t.tag;
        self.slowest.push((t.read + t.extract + t.tag, r.path.clone()));
        self.slowest.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        self.slowest.truncate(10);
    }

    pub fn count(&self, k: &str) -> usize {
        self.counts.get(k).copied().unwrap_or(0)
    }
}

/// Where records go, in path order: the document files, the company
/// aggregation and the figures. Shared by `run` and `merge`.
pub struct Sink {
    out: std::path::PathBuf,
    dialect: CsvDialect,
    writers: DocWriters,
    companies: Companies,
    pub stats: Stats,
    documents: usize,
    write_error: Option<anyhow::Error>,
}

/// Removes temporary files a killed run left beside the outputs.
fn clean_stale_temporaries(out: &Path) {
    let Ok(rd) = std::fs::read_dir(out) else { return };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp-") && e.path().is_file() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn check_writable(out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let probe = out.join(format!(".starfinder-write-test-{}", std::process::id()));
    std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(b"ok"))
        .with_context(|| format!("the output folder {} is not writable", out.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

impl Sink {
    pub fn create(out: &Path, dialect: CsvDialect) -> anyhow::Result<Sink> {
        check_writable(out)?;
        clean_stale_temporaries(out);
        let writers = DocWriters::create(out, dialect).with_context(|| format!("cannot write in the output folder {}", out.display()))?;
        Ok(Sink {
            out: out.to_path_buf(),
            dialect,
            writers,
            companies: Companies::default(),
            stats: Stats::default(),
            documents: 0,
            write_error: None,
        })
    }

    pub fn add(&mut self, rec: &DocRecord, t: &Timings) {
        let w = Instant::now();
        if self.write_error.is_none() {
            if let Err(e) = self.writers.write(rec) {
                self.write_error = Some(anyhow::Error::new(e).context(format!("cannot write the output files in {}", self.out.display())));
            }
        }
        self.companies.add(rec);
        self.stats.write += w.elapsed();
        self.stats.add(rec, t);
        self.documents += 1;
    }

    /// Commits every file; `extra` is merged into run.json.
    pub fn finish(mut self, fingerprint: &str, threads: usize, started: Instant, extra: Value) -> anyhow::Result<Stats> {
        if let Some(e) = self.write_error.take() {
            return Err(e);
        }
        let w = Instant::now();
        self.writers.commit().with_context(|| format!("cannot write the output files in {}", self.out.display()))?;
        self.companies.write(&self.out, self.dialect).with_context(|| format!("cannot write companies in {}", self.out.display()))?;
        self.stats.write += w.elapsed();
        let secs = started.elapsed().as_secs_f64();
        let s = &self.stats;
        let mut v = json!({
            "schema_version": SCHEMA_VERSION,
            "tool": "starfinder",
            "tool_version": env!("CARGO_PKG_VERSION"),
            "build_id": env!("STARFINDER_BUILD_ID"),
            "rules_fingerprint": fingerprint,
            "started_unix": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()).saturating_sub(secs as u64),
            "threads": threads,
            "documents": self.documents,
            "pages": s.pages,
            "companies": self.companies.len(),
            "counts": {"ok": s.count("ok"), "needs_ocr": s.count("needs_ocr"), "error": s.count("error")},
            "seconds": secs,
            "documents_per_second": self.documents as f64 / secs.max(1e-9),
            "pages_per_second": s.pages as f64 / secs.max(1e-9),
            "stage_seconds": {"read": s.stages.read.as_secs_f64(), "extract": s.stages.extract.as_secs_f64(), "tag": s.stages.tag.as_secs_f64(), "write": s.write.as_secs_f64()},
            "slowest": s.slowest.iter().map(|(d, p)| json!({"path": p, "seconds": d.as_secs_f64()})).collect::<Vec<_>>(),
        });
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        let mut f = crate::output::AtomicFile::create(&self.out, "run.json")?;
        serde_json::to_writer_pretty(f.writer(), &v)?;
        f.writer().write_all(b"\n")?;
        f.commit()?;
        Ok(self.stats)
    }

    pub fn companies(&self) -> usize {
        self.companies.len()
    }
}
