//! `starfinder run`: every document through extract -> clauses -> rules ->
//! indicators, in parallel, written in input order.
//!
//! Documents are processed on a rayon pool while this thread writes: results
//! come back over a channel, wait in a small reorder buffer and are written
//! as soon as every earlier document is. At most `window` documents are in
//! flight, so memory does not grow with the number of documents.

use super::document::{self, Timings};
use crate::cli::RunArgs;
use crate::discover::{self, Input};
use crate::output::companies::Companies;
use crate::output::{DocRecord, DocWriters, Status, SCHEMA_VERSION};
use crate::pdf::Limits;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// What the run reports in run.json.
#[derive(Default)]
struct Stats {
    counts: BTreeMap<&'static str, usize>,
    pages: usize,
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

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = match super::load_rules(args.rules.as_deref()) {
        Ok(r) => Arc::new(r),
        Err(e) => anyhow::bail!("invalid rules ({} error(s)):\n{e}", e.0.len()),
    };
    let (inputs, warnings) = discover::discover(&args.inputs)?;
    for w in &warnings {
        eprintln!("starfinder: warning: {w}");
    }
    check_writable(&args.out)?;
    let mut writers = DocWriters::create(&args.out, args.csv_dialect)
        .with_context(|| format!("cannot write in the output folder {}", args.out.display()))?;
    if inputs.is_empty() {
        eprintln!("starfinder: warning: no agreement file (.pdf) in the inputs; writing empty output files");
    }

    let threads = args.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("starfinder-worker-{i}"))
        .build()
        .context("cannot start the worker threads")?;
    let limits = Limits::default();

    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let pb = ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} documents  {msg}  ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    };

    // Panics are reported in the document's error row; the default hook
    // would also print them over the progress bar.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if !std::thread::current().name().is_some_and(|n| n.starts_with("starfinder-worker")) {
            eprintln!("{info}");
        }
    }));

    let inputs = Arc::new(inputs);
    let n = inputs.len();
    let window = threads * 4;
    let (tx, rx) = mpsc::channel::<(usize, DocRecord, Timings)>();
    let mut pending: BTreeMap<usize, (DocRecord, Timings)> = BTreeMap::new();
    let mut next_spawn = 0;
    let mut next_write = 0;
    let mut stats = Stats::default();
    let mut companies = Companies::default();
    let mut failures = 0usize;
    let mut write_error: Option<anyhow::Error> = None;
    while next_write < n {
        while next_spawn < n && next_spawn < next_write + window {
            let (tx, inputs, rules) = (tx.clone(), Arc::clone(&inputs), Arc::clone(&rules));
            let i = next_spawn;
            pool.spawn(move || {
                let input: &Input = &inputs[i];
                let (rec, t) = document::process(input, &rules, &limits, Default::default());
                let _ = tx.send((i, rec, t));
            });
            next_spawn += 1;
        }
        let (i, rec, t) = rx.recv().context("a worker thread stopped")?;
        pending.insert(i, (rec, t));
        while let Some((rec, t)) = pending.remove(&next_write) {
            let w = Instant::now();
            if write_error.is_none() {
                if let Err(e) = writers.write(&rec) {
                    write_error = Some(anyhow::Error::new(e).context(format!("cannot write the output files in {}", args.out.display())));
                }
            }
            companies.add(&rec);
            stats.write += w.elapsed();
            stats.add(&rec, &t);
            if rec.status == Status::Error {
                failures += 1;
            }
            next_write += 1;
            progress.inc(1);
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            progress.set_message(format!("{:.0} pages/s  {failures} failed", stats.pages as f64 / secs));
        }
    }
    std::panic::set_hook(default_hook);
    progress.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e);
    }

    let w = Instant::now();
    writers.commit().with_context(|| format!("cannot write the output files in {}", args.out.display()))?;
    companies.write(&args.out, args.csv_dialect).with_context(|| format!("cannot write companies in {}", args.out.display()))?;
    stats.write += w.elapsed();
    let secs = started.elapsed().as_secs_f64();
    write_run_json(&args.out, &rules.defs.fingerprint, n, threads, secs, &stats, companies.len())?;

    if !args.quiet {
        let c = |k: &str| stats.counts.get(k).copied().unwrap_or(0);
        eprintln!(
            "starfinder: {n} documents ({} ok, {} needs_ocr, {} error), {} pages, {} companies in {secs:.1} s ({:.1} pages/s) -> {}",
            c("ok"),
            c("needs_ocr"),
            c("error"),
            stats.pages,
            companies.len(),
            stats.pages as f64 / secs.max(1e-9),
            args.out.display()
        );
    }
    Ok(if failures > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn write_run_json(out: &Path, fingerprint: &str, n: usize, threads: usize, secs: f64, s: &Stats, companies: usize) -> anyhow::Result<()> {
    let started_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .saturating_sub(secs as u64);
    let v = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": "starfinder",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "rules_fingerprint": fingerprint,
        "started_unix": started_unix,
        "threads": threads,
        "documents": n,
        "pages": s.pages,
        "companies": companies,
        "counts": {"ok": s.counts.get("ok").copied().unwrap_or(0), "needs_ocr": s.counts.get("needs_ocr").copied().unwrap_or(0), "error": s.counts.get("error").copied().unwrap_or(0)},
        "seconds": secs,
        "documents_per_second": n as f64 / secs.max(1e-9),
        "pages_per_second": s.pages as f64 / secs.max(1e-9),
        "stage_seconds": {"read": s.stages.read.as_secs_f64(), "extract": s.stages.extract.as_secs_f64(), "tag": s.stages.tag.as_secs_f64(), "write": s.write.as_secs_f64()},
        "slowest": s.slowest.iter().map(|(d, p)| json!({"path": p, "seconds": d.as_secs_f64()})).collect::<Vec<_>>(),
    });
    let mut f = crate::output::AtomicFile::create(out, "run.json")?;
    serde_json::to_writer_pretty(f.writer(), &v)?;
    f.writer().write_all(b"\n")?;
    f.commit()?;
    Ok(())
}
