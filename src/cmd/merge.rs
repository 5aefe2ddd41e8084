//! `starfinder merge DIR... --out DIR`: the outputs of sharded runs
//! combined into the files one run over all the inputs would have written
//! (run.json aside): rows are merged by path, records rebuilt from their
//! JSON lines and written by the same writers, companies aggregated again.

use crate::pipeline::Timings;
use crate::output::sink::Sink;
use crate::cli::MergeArgs;
use crate::output::record_from_json;
use anyhow::{bail, Context};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

type LineIter = Lines<BufReader<std::fs::File>>;

/// One shard's agreements and clauses, read line by line.
struct ShardReader {
    dir: PathBuf,
    agreements: LineIter,
    clauses: std::iter::Peekable<LineIter>,
    line: usize,
    clause_line: usize,
    head: Option<Value>,
}

fn open_lines(p: &Path) -> anyhow::Result<LineIter> {
    let f = std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
    Ok(BufReader::new(f).lines())
}

impl ShardReader {
    fn open(dir: &Path) -> anyhow::Result<ShardReader> {
        let mut r = ShardReader {
            dir: dir.to_path_buf(),
            agreements: open_lines(&dir.join("agreements.jsonl"))?,
            clauses: open_lines(&dir.join("clauses.jsonl"))?.peekable(),
            line: 0,
            clause_line: 0,
            head: None,
        };
        r.advance()?;
        Ok(r)
    }

    fn advance(&mut self) -> anyhow::Result<()> {
        self.head = None;
        for l in self.agreements.by_ref() {
            self.line += 1;
            let l = l.with_context(|| format!("{}/agreements.jsonl:{}", self.dir.display(), self.line))?;
            if l.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&l).with_context(|| format!("{}/agreements.jsonl:{}: not JSON", self.dir.display(), self.line))?;
            self.head = Some(v);
            break;
        }
        Ok(())
    }

    fn path(&self) -> Option<&str> {
        self.head.as_ref().and_then(|v| v.get("path")).and_then(Value::as_str)
    }

    /// The clause lines of `path`, which come next in clauses.jsonl.
    fn clauses_of(&mut self, path: &str) -> anyhow::Result<Vec<Value>> {
        let mut out = Vec::new();
        while let Some(next) = self.clauses.peek() {
            let v: Value = match next {
                Ok(l) if l.trim().is_empty() => {
                    self.clauses.next();
                    continue;
                }
                Ok(l) => serde_json::from_str(l).with_context(|| format!("{}/clauses.jsonl:{}: not JSON", self.dir.display(), self.clause_line + 1))?,
                Err(e) => bail!("{}/clauses.jsonl:{}: {e}", self.dir.display(), self.clause_line + 1),
            };
            if v.get("path").and_then(Value::as_str) != Some(path) {
                break;
            }
            self.clauses.next();
            self.clause_line += 1;
            out.push(v);
        }
        Ok(out)
    }
}

fn run_json(dir: &Path) -> anyhow::Result<Value> {
    let p = dir.join("run.json");
    let t = std::fs::read_to_string(&p).with_context(|| format!("cannot read {} (is {} a run's output folder?)", p.display(), dir.display()))?;
    serde_json::from_str(&t).with_context(|| format!("{}: not JSON", p.display()))
}

pub fn run(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut fingerprint: Option<String> = None;
    for d in &args.dirs {
        let r = run_json(d)?;
        let fp = r.get("rules_fingerprint").and_then(Value::as_str).unwrap_or("").to_string();
        match &fingerprint {
            None => fingerprint = Some(fp),
            Some(f) if *f != fp => bail!("{} was made with other rules (fingerprint {fp}, not {f}): shards must share their rules", d.display()),
            _ => {}
        }
    }
    let mut shards = args.dirs.iter().map(|d| ShardReader::open(d)).collect::<anyhow::Result<Vec<_>>>()?;
    let mut sink = Sink::create(&args.out, args.csv_dialect)?;
    let mut failures = 0;
    let mut last: Option<String> = None;
    loop {
        // The smallest path among the shards' next rows (bytewise, as run sorts).
        let Some(i) = (0..shards.len()).filter(|&i| shards[i].path().is_some()).min_by(|&a, &b| {
            shards[a].path().map(str::as_bytes).cmp(&shards[b].path().map(str::as_bytes)).then(a.cmp(&b))
        }) else {
            break;
        };
        let path = shards[i].path().unwrap_or_default().to_string();
        let line = shards[i].head.take().unwrap_or(Value::Null);
        let clauses = shards[i].clauses_of(&path)?;
        shards[i].advance()?;
        if last.as_deref() == Some(path.as_str()) {
            continue; // the same file in two shards: one row, as in one run
        }
        let rec = record_from_json(&line, &clauses).map_err(|e| anyhow::anyhow!("{}/agreements.jsonl: {path}: {e}", shards[i].dir.display()))?;
        if rec.status == crate::output::Status::Error {
            failures += 1;
        }
        sink.add(&rec, &Timings::default());
        last = Some(path);
    }
    let extra = json!({"merged_from": args.dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>()});
    let stats = sink.finish(fingerprint.as_deref().unwrap_or(""), 1, started, extra)?;
    let _ = stats;
    Ok(if failures > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
