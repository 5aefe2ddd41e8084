//! `starfinder run`: every document through extract -> clauses -> rules ->
//! indicators, in parallel, written in input order.
//!
//! Documents are processed on a rayon pool while this thread writes: results
//! come back over a channel, wait in a small reorder buffer and are written
//! as soon as every earlier document is. At most `window` documents are in
//! flight, so memory does not grow with the number of documents.
//!
//! Each finished document is stored in the cache at once; the output files
//! are renamed into place only at the end. A run killed at any moment thus
//! leaves the previous outputs whole, and the next run redoes only what the
//! cache does not hold. SIGINT and SIGTERM stop the run cleanly.

use crate::pipeline::{self as document, Timings};
use crate::cache::Cache;
use crate::cli::{RunArgs, Shard};
use crate::discover::{self, DocKind, Input};
use crate::output::sink::Sink;
use crate::output::{CsvDialect, DocRecord, Status, SCHEMA_VERSION};
use crate::pdf::Limits;
use crate::rules::RuleSet;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Exit code of a run stopped by a signal (128 + SIGINT).
const INTERRUPTED: u8 = 130;

/// reviews_report.csv: every decision of the reviews file that did not
/// apply, with its line and why.
fn write_review_report(out: &Path, stale: &[(usize, String)]) -> anyhow::Result<()> {
    let mut f = crate::output::CsvOut::create(out, "reviews_report.csv", CsvDialect::Standard, &["schema_version", "line", "status", "reason"].map(String::from))?;
    for (line, reason) in stale {
        let (v, l) = (SCHEMA_VERSION.to_string(), line.to_string());
        f.row([v.as_str(), l.as_str(), "stale", reason.as_str()])?;
    }
    f.commit()?;
    Ok(())
}

/// Whether an input belongs to shard K of N: a hash of its path, so the
/// share does not depend on what else is in the inputs.
fn in_shard(path: &str, shard: Shard) -> bool {
    let h = Sha256::digest(path.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    u64::from_be_bytes(b) % u64::from(shard.n) == u64::from(shard.k - 1)
}

/// Whether a line of an ACCO deletion list names this member: its path in
/// the archive (the whole line, or its end after a `/`), or its ACCO id
/// (the whole line, or the name of its XML file, `…/ACCOTEXT000000000003.xml`).
/// Exact names only: an id that merely contains another is not deleted.
fn is_deleted(line: &str, inner: &str, id: &str) -> bool {
    let line = line.trim();
    if !inner.is_empty() && (line == inner || line.strip_suffix(inner).is_some_and(|head| head.ends_with('/'))) {
        return true;
    }
    let name = line.rsplit('/').next().unwrap_or(line);
    !id.is_empty() && name.strip_suffix(".xml").unwrap_or(name) == id
}

/// What every member of an archive is processed with.
#[derive(Clone, Copy)]
struct ArchiveEnv<'a> {
    rules: &'a RuleSet,
    limits: &'a Limits,
    cache: &'a Cache,
    force: bool,
}

/// A finished row, waiting for its turn to be written: whole, or (a member
/// of a delivery) left in the cache with what it takes to read it back, so
/// that a delivery's rows do not all wait in memory.
pub(crate) enum Row {
    Kept(Box<DocRecord>, Timings),
    InCache { path: String, sha: String, meta: Option<Box<crate::acco::AccoMeta>>, t: Timings },
}

impl Row {
    fn kept(rec: DocRecord, t: Timings) -> Row {
        Row::Kept(Box::new(rec), t)
    }

    fn path(&self) -> &str {
        match self {
            Row::Kept(r, _) => &r.path,
            Row::InCache { path, .. } => path,
        }
    }

    fn acco_id(&self) -> &str {
        match self {
            Row::Kept(r, _) => r.analysis.acco.get("acco_id").and_then(serde_json::Value::as_str).unwrap_or(""),
            Row::InCache { meta, .. } => meta.as_ref().map_or("", |m| m.id.as_str()),
        }
    }

    /// The record, read back from the cache where it waited.
    fn resolve(self, cache: &Cache) -> (DocRecord, Timings) {
        match self {
            Row::Kept(r, t) => (*r, t),
            Row::InCache { path, sha, meta, t } => {
                let mut rec = cache.reload(&sha, &path).unwrap_or_else(|| {
                    let msg = "the record of this agreement waited in the cache while the delivery was read, and could not be read back from it (was the cache folder changed during the run?); run again".to_string();
                    document::failed(&path, Some(sha.clone()), None, "read", "cache", msg)
                });
                if let Some(m) = &meta {
                    document::apply_acco(&mut rec, m);
                }
                (rec, t)
            }
        }
    }
}

/// One member of an ACCO delivery: its record, from the cache or made now,
/// with the official metadata put over it. A record in the cache waits
/// there.
fn process_member(path: String, meta: Option<crate::acco::AccoMeta>, doc: Option<Vec<u8>>, error: Option<String>, env: &ArchiveEnv) -> Row {
    let ArchiveEnv { rules, limits, cache, force } = *env;
    let (mut rec, t) = match (doc, error) {
        (Some(bytes), None) => {
            let member = Input { path: path.clone(), fs_path: std::path::PathBuf::new(), kind: DocKind::Docx, stamp: None };
            let sha = document::sha256_hex(&bytes);
            if !force && cache.load(&sha, &path).is_some() {
                return Row::InCache { path, sha, meta: meta.map(Box::new), t: Timings::default() };
            }
            let (rec, t) = document::process_bytes(&member, bytes, sha.clone(), rules, limits, Default::default());
            if cache.store(&sha, &rec) {
                return Row::InCache { path, sha, meta: meta.map(Box::new), t };
            }
            (rec, t)
        }
        (doc, error) => {
            let sha = doc.as_deref().map(document::sha256_hex);
            let msg = error.unwrap_or_else(|| "no document".into());
            (document::failed(&path, sha, None, "read", "acco", msg), Timings::default())
        }
    };
    if let Some(m) = &meta {
        document::apply_acco(&mut rec, m);
    }
    Row::kept(rec, t)
}

/// Processes every agreement of an ACCO delivery, in parallel as the
/// archive streams by; rows come back sorted by path, without the
/// agreements its deletion list removes.
///
/// Back-pressure: at most `window` members are handed to the pool at once.
/// When that many are in flight, the reading thread analyses the next
/// member itself instead of reading on, so the documents held in memory
/// stay bounded by `window + 1` whatever the size of the archive. The
/// finished rows wait for the end (the deletion list may come last, and
/// rows go out sorted) in the cache, not in memory: only their path, hash
/// and official metadata are held.
fn process_archive(input: &Input, rules: &RuleSet, limits: &Limits, cache: &Cache, force: bool, window: usize) -> Vec<Row> {
    use crate::acco::{read_archive, AccoItem, ArchiveLimits};
    use std::sync::atomic::AtomicUsize;
    use std::sync::Mutex;
    let file = match std::fs::File::open(&input.fs_path) {
        Ok(f) => f,
        Err(e) => return vec![Row::kept(document::failed(&input.path, None, None, "read", "io", format!("cannot read the archive: {e}")), Timings::default())],
    };
    let results: Mutex<Vec<Row>> = Mutex::new(Vec::new());
    let mut deleted: Vec<String> = Vec::new();
    let in_flight = AtomicUsize::new(0);
    let env = &ArchiveEnv { rules, limits, cache, force };
    let read = rayon::scope(|s| {
        read_archive(std::io::BufReader::new(file), &ArchiveLimits::default(), |item| match item {
            AccoItem::Deleted(p) => deleted.push(p),
            AccoItem::Agreement { inner_path, meta, doc, error } => {
                let path = format!("{}!/{}", input.path, inner_path.trim_start_matches("./"));
                let (results, in_flight) = (&results, &in_flight);
                if in_flight.load(Ordering::Acquire) >= window.max(1) {
                    let row = process_member(path, meta, doc, error, env);
                    if let Ok(mut r) = results.lock() {
                        r.push(row);
                    }
                    return;
                }
                in_flight.fetch_add(1, Ordering::AcqRel);
                s.spawn(move |_| {
                    let row = process_member(path, meta, doc, error, env);
                    if let Ok(mut r) = results.lock() {
                        r.push(row);
                    }
                    in_flight.fetch_sub(1, Ordering::AcqRel);
                });
            }
        })
    });
    let mut out = results.into_inner().unwrap_or_default();
    if let Err(e) = read {
        out.push(Row::kept(document::failed(&input.path, None, None, "read", e.kind(), format!("{e}; the agreements read before this point are kept")), Timings::default()));
    }
    if !deleted.is_empty() {
        out.retain(|r| {
            let inner = r.path().split_once("!/").map_or("", |x| x.1);
            !deleted.iter().any(|d| is_deleted(d, inner, r.acco_id()))
        });
    }
    out.sort_by(|a, b| a.path().as_bytes().cmp(b.path().as_bytes()));
    out.dedup_by(|a, b| a.path() == b.path());
    out
}

/// Processes one input, through the cache when there is one.
fn process_cached(input: &Input, rules: &RuleSet, limits: &Limits, cache: Option<&Cache>, force: bool) -> (DocRecord, Timings) {
    let Some(cache) = cache.filter(|_| input.kind != DocKind::Unsupported) else {
        return document::process(input, rules, limits, Default::default());
    };
    let start = Instant::now();
    let stamp = input.stamp.or_else(|| crate::cache::stamp(&input.fs_path));
    let mut tried: Option<String> = None;
    if !force {
        if let Some((size, mtime)) = stamp {
            if let Some(sha) = cache.known_hash(&input.path, size, mtime) {
                if let Some(rec) = cache.load(&sha, &input.path) {
                    cache.remember(&input.path, size, mtime, &sha);
                    return (rec, Timings { read: start.elapsed(), ..Default::default() });
                }
                tried = Some(sha);
            }
        }
    }
    let bytes = match document::read(input, limits) {
        Ok(b) => b,
        Err(rec) => return (rec, Timings { read: start.elapsed(), ..Default::default() }),
    };
    let sha = document::sha256_hex(&bytes);
    if let Some((size, mtime)) = stamp {
        cache.remember(&input.path, size, mtime, &sha);
    }
    if !force && tried.as_deref() != Some(sha.as_str()) {
        if let Some(rec) = cache.load(&sha, &input.path) {
            return (rec, Timings { read: start.elapsed(), ..Default::default() });
        }
    }
    let read = start.elapsed();
    let (rec, mut t) = document::process_bytes(input, bytes, sha.clone(), rules, limits, Default::default());
    t.read += read;
    cache.store(&sha, &rec);
    (rec, t)
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = match crate::rules::load(args.rules.as_deref()) {
        Ok(r) => Arc::new(r),
        Err(e) => anyhow::bail!("invalid rules ({} error(s)):\n{e}", e.0.len()),
    };
    let (mut inputs, warnings) = discover::discover(&args.inputs)?;
    for w in &warnings {
        eprintln!("starfinder: warning: {w}");
    }
    if let Some(shard) = args.shard {
        inputs.retain(|i| in_shard(&i.path, shard));
    }
    let mut reviews = match &args.reviews {
        Some(p) => match crate::reviews::Reviews::load(p) {
            Ok(r) => Some(r),
            Err(errors) => anyhow::bail!("invalid reviews file ({} error(s)):\n{}", errors.len(), errors.join("\n")),
        },
        None => None,
    };
    let mut sink = Sink::create(&args.out, args.csv_dialect)?;
    let cache_dir = args.cache.clone().unwrap_or_else(|| args.out.join(".cache"));
    let cache = Arc::new(Cache::open(&cache_dir, &rules.defs.fingerprint).with_context(|| format!("cannot open the cache folder {}", cache_dir.display()))?);
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

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).context("cannot install the signal handler")?;
    }

    let progress = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let pb = ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} documents  {msg}  ETA {eta}").unwrap_or_else(|_| ProgressStyle::default_bar()),
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
    let (tx, rx) = mpsc::channel::<(usize, Vec<Row>)>();
    let mut pending: BTreeMap<usize, Vec<Row>> = BTreeMap::new();
    let (mut next_spawn, mut next_write, mut received) = (0, 0, 0);
    let mut failures = 0usize;
    let force = args.force;
    while next_write < n {
        let stopping = stop.load(Ordering::Relaxed);
        while !stopping && next_spawn < n && next_spawn < next_write + window {
            let (tx, inputs, rules, cache) = (tx.clone(), Arc::clone(&inputs), Arc::clone(&rules), Arc::clone(&cache));
            let i = next_spawn;
            pool.spawn(move || {
                let input = &inputs[i];
                let out = if input.kind == DocKind::AccoArchive {
                    process_archive(input, &rules, &limits, &cache, force, threads * 2)
                } else {
                    let (rec, t) = process_cached(input, &rules, &limits, Some(&cache), force);
                    vec![Row::kept(rec, t)]
                };
                let _ = tx.send((i, out));
            });
            next_spawn += 1;
        }
        if stopping && received == next_spawn {
            break;
        }
        let Ok((i, recs)) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
        received += 1;
        pending.insert(i, recs);
        while let Some(recs) = pending.remove(&next_write) {
            // A delivery's rows are read back from the cache a window at a
            // time, on the pool, and written in order.
            let mut rows = recs.into_iter().peekable();
            while rows.peek().is_some() {
                let chunk: Vec<Row> = rows.by_ref().take(window).collect();
                let resolved: Vec<(DocRecord, Timings)> = if chunk.len() == 1 {
                    chunk.into_iter().map(|r| r.resolve(&cache)).collect()
                } else {
                    use rayon::prelude::*;
                    pool.install(|| chunk.into_par_iter().map(|r| r.resolve(&cache)).collect())
                };
                for (mut rec, t) in resolved {
                    if let Some(rv) = reviews.as_mut() {
                        rv.apply(&mut rec);
                    }
                    if rec.status == Status::Error {
                        failures += 1;
                    }
                    sink.add(&rec, &t);
                }
            }
            next_write += 1;
            progress.inc(1);
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            progress.set_message(format!("{:.0} pages/s  {failures} failed", sink.stats.pages as f64 / secs));
        }
    }
    std::panic::set_hook(default_hook);
    progress.finish_and_clear();
    let _ = cache.save_index();
    if next_write < n {
        drop(sink);
        eprintln!(
            "starfinder: interrupted after {received} of {n} documents; the previous output files in {} are unchanged, and the next run reuses the {} documents now in the cache",
            args.out.display(),
            received
        );
        return Ok(ExitCode::from(INTERRUPTED));
    }

    let mut review_figures = Value::Null;
    if let (Some(rv), Some(p)) = (&reviews, &args.reviews) {
        let stale = rv.stale();
        write_review_report(&args.out, &stale)?;
        if !stale.is_empty() {
            eprintln!("starfinder: {} of {} review decisions are stale (not applied); see {}", stale.len(), rv.len(), args.out.join("reviews_report.csv").display());
        }
        review_figures = json!({"file": p.display().to_string(), "decisions": rv.len(), "stale": stale.len()});
    }
    let cs = cache.stats();
    let extra = json!({
        "cache": {"dir": cache_dir.display().to_string(), "hits": cs.hits, "misses": cs.misses, "damaged": cs.damaged, "write_errors": cs.write_errors, "forced": force},
        "shard": args.shard.map(|s| format!("{}/{}", s.k, s.n)),
        "reviews": review_figures,
    });
    let companies = sink.companies();
    let stats = sink.finish(&rules.defs.fingerprint, threads, started, extra)?;
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "starfinder: {n} documents ({} ok, {} needs_ocr, {} error; {} from the cache), {} pages, {companies} companies in {secs:.1} s ({:.1} pages/s) -> {}",
            stats.count("ok"),
            stats.count("needs_ocr"),
            stats.count("error"),
            cs.hits,
            stats.pages,
            stats.pages as f64 / secs.max(1e-9),
            args.out.display()
        );
    }
    Ok(if failures > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deletion_list_removes_exactly_the_agreements_it_names() {
        let xml = "acco/global/TEXT/00/00/ACCOTEXT000000000003.xml";
        assert!(is_deleted(xml, "acco/global/TEXT/00/00/ACCOTEXT000000000003.xml", ""));
        assert!(is_deleted(xml, "", "ACCOTEXT000000000003"));
        assert!(is_deleted("ACCOTEXT000000000003", "x/T3.docx", "ACCOTEXT000000000003"));
        assert!(is_deleted("/acco/bureautique/T3.docx", "acco/bureautique/T3.docx", ""));
        // An id inside another, a path that only ends like the member's.
        assert!(!is_deleted(xml, "acco/bureautique/T0.docx", "ACCOTEXT00000000000"));
        assert!(!is_deleted(xml, "acco/bureautique/T0.docx", "TEXT000000000003"));
        assert!(!is_deleted("ACCOTEXT0000000000031", "a.docx", "ACCOTEXT000000000003"));
        assert!(!is_deleted("acco/xT3.docx", "T3.docx", ""));
    }

    /// An archive of `n` agreements ACCOTEXT…0..n; member 1's text makes the
    /// analysis fail; the deletion list names member 2 by its XML; member 11's
    /// id is written inside that XML's name without being it.
    fn archive(dir: &Path, n: usize) -> Input {
        use crate::acco::tests::meta_xml;
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..n {
            let mut paras = vec!["ACCORD RELATIF AU TÉLÉTRAVAIL".to_string(), "Article 1 – Les salariés peuvent télétravailler deux jours par semaine.".into()];
            if i == 1 {
                paras.push(crate::pipeline::tests::FAIL_MARK.into());
            }
            let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
            entries.push((format!("acco/bureautique/2024/03/12/T{i}.docx"), crate::docx::write_docx(&refs)));
            let id = if i == 11 { "TEXT000000000002".to_string() } else { format!("ACCOTEXT{i:012}") };
            entries.push((format!("acco/global/TEXT/00/00/{id}.xml"), meta_xml(&id, &format!("T{i}.docx"), "55210055400005").into_bytes()));
        }
        entries.push(("acco/liste_suppression_acco.dat".into(), b"acco/global/TEXT/00/00/ACCOTEXT000000000002.xml\n".to_vec()));
        let refs: Vec<(&str, &[u8])> = entries.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
        let fs_path = dir.join("ACCO_20240315-120000.tar.gz");
        std::fs::write(&fs_path, crate::acco::write_archive(&refs).unwrap()).unwrap();
        Input { path: "in/ACCO_20240315-120000.tar.gz".into(), fs_path, kind: DocKind::AccoArchive, stamp: None }
    }

    #[test]
    fn a_member_whose_analysis_fails_keeps_its_official_metadata() {
        let d = tempfile::tempdir().unwrap();
        let input = archive(d.path(), 12);
        let rules = crate::rules::load(None).unwrap();
        let cache = Cache::open(&d.path().join("cache"), &rules.defs.fingerprint).unwrap();
        // A window of 1 makes the reading thread analyse members itself too.
        for window in [1, 64] {
            let rows: Vec<(DocRecord, Timings)> = process_archive(&input, &rules, &Limits::default(), &cache, true, window).into_iter().map(|r| r.resolve(&cache)).collect();
            let ids: Vec<&str> = rows.iter().map(|(r, _)| r.analysis.acco["acco_id"].as_str().unwrap()).collect();
            assert_eq!(ids.len(), 11, "{ids:?}");
            assert!(!ids.contains(&"ACCOTEXT000000000002") && ids.contains(&"ACCOTEXT000000000010") && ids.contains(&"TEXT000000000002"), "{ids:?}");
            let failed = rows.iter().find(|(r, _)| r.path.ends_with("/T1.docx")).map(|x| &x.0).unwrap();
            assert_eq!(failed.status, Status::Error);
            assert_eq!(failed.error.as_ref().map(|e| (e.stage, e.kind.as_str())), Some(("tag", "panic")));
            assert_eq!(failed.analysis.acco["acco_id"], "ACCOTEXT000000000001");
            assert_eq!(failed.analysis.acco["acco_themes"][0]["label"], "Télétravail");
            assert_eq!(failed.analysis.metadata["company_name"], "NOVALYS CONSEIL");
            assert_eq!(failed.analysis.metadata["siret"], "55210055400005");
            assert_eq!(failed.analysis.metadata_source["company_name"], "acco");
            let ok = rows.iter().filter(|(r, _)| r.status == Status::Ok).count();
            assert_eq!(ok, 10);
        }
    }

    #[test]
    fn shards_partition_the_inputs() {
        let paths: Vec<String> = (0..300).map(|i| format!("in/d{i}.pdf")).collect();
        let n = 3;
        let mut seen = 0;
        for k in 1..=n {
            let share = paths.iter().filter(|p| in_shard(p, Shard { k, n })).count();
            assert!(share > 50, "shard {k} has only {share}");
            seen += share;
        }
        assert_eq!(seen, paths.len());
    }
}
