//! The incremental cache: a document's results keyed by its content hash,
//! the rules fingerprint and the tool version.
//!
//! An entry holds exactly the document's lines of agreements.jsonl and
//! clauses.jsonl (without its path), plus a checksum over them: a warm run
//! rebuilds the record from them and writes the same bytes as a cold run,
//! and a damaged entry (truncated, edited, wrong key) is detected and
//! recomputed, never trusted. Entries are written atomically as documents
//! finish, so a run killed at any moment leaves only whole entries for the
//! next run to reuse.
//!
//! A small index (path, size, modification time -> hash) lets a warm run
//! skip reading and hashing files that have not changed.

use crate::output::{self, DocRecord};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why an entry could not be read.
enum Missing {
    Absent,
    Damaged,
}

/// What the cache did during a run, for run.json.
#[derive(Debug, Default, Clone, Copy)]
pub struct CacheStats {
    pub hits: usize,
    pub misses: usize,
    pub damaged: usize,
    pub write_errors: usize,
}

pub struct Cache {
    dir: PathBuf,
    /// `<tool version>-<build id>-<rules fingerprint prefix>`: a new
    /// version, build or rule set never reads an older entry.
    generation: String,
    index: BTreeMap<String, (u64, i128, String)>,
    updates: Mutex<BTreeMap<String, (u64, i128, String)>>,
    stats: Mutex<CacheStats>,
}

/// Size and modification time (ns) of a file, for the index.
pub fn stamp(path: &Path) -> Option<(u64, i128)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m.modified().ok()?;
    let ns = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    Some((m.len(), ns))
}

/// The path of a clause line in a cache entry.
const EMPTY_PATH: &str = "\"path\":\"\"";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    /// Opens (creating) the cache folder; loads the index if there is one.
    pub fn open(dir: &Path, fingerprint: &str) -> std::io::Result<Cache> {
        let generation = format!("{}-{}-{}", env!("CARGO_PKG_VERSION"), env!("STARFINDER_BUILD_ID"), crate::text::slice::prefix(fingerprint, 16));
        std::fs::create_dir_all(dir.join(&generation))?;
        let mut index = BTreeMap::new();
        if let Ok(f) = std::fs::File::open(dir.join(&generation).join("index.jsonl")) {
            // A damaged index line is only a lost shortcut: skip it.
            for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
                let Ok(v) = serde_json::from_str::<Value>(&line) else { continue };
                if let (Some(p), Some(s), Some(t), Some(h)) = (v["path"].as_str(), v["size"].as_u64(), v["mtime_ns"].as_str(), v["sha256"].as_str()) {
                    if let Ok(t) = t.parse::<i128>() {
                        index.insert(p.to_string(), (s, t, h.to_string()));
                    }
                }
            }
        }
        Ok(Cache { dir: dir.to_path_buf(), generation, index, updates: Mutex::new(BTreeMap::new()), stats: Mutex::new(CacheStats::default()) })
    }

    fn entry_path(&self, sha: &str) -> PathBuf {
        let shard = sha.get(..2).unwrap_or("00");
        self.dir.join(&self.generation).join(shard).join(format!("{sha}.json"))
    }

    /// The hash of a file the index knows unchanged (same size and mtime).
    pub fn known_hash(&self, path: &str, size: u64, mtime: i128) -> Option<String> {
        match self.index.get(path) {
            Some((s, t, h)) if *s == size && *t == mtime => Some(h.clone()),
            _ => None,
        }
    }

    pub fn remember(&self, path: &str, size: u64, mtime: i128, sha: &str) {
        if let Ok(mut u) = self.updates.lock() {
            u.insert(path.to_string(), (size, mtime, sha.to_string()));
        }
    }

    fn count(&self, f: impl FnOnce(&mut CacheStats)) {
        if let Ok(mut s) = self.stats.lock() {
            f(&mut s);
        }
    }

    /// The cached record of a document, with `path` set; `None` when absent
    /// or damaged (a damaged entry is counted and will be overwritten).
    pub fn load(&self, sha: &str, path: &str) -> Option<DocRecord> {
        match self.read_entry(sha, path) {
            Ok(r) => {
                self.count(|s| s.hits += 1);
                Some(r)
            }
            Err(Missing::Absent) => {
                self.count(|s| s.misses += 1);
                None
            }
            Err(Missing::Damaged) => {
                self.count(|s| s.damaged += 1);
                None
            }
        }
    }

    /// A record this run has just stored, read back when its turn to be
    /// written comes (how a delivery's rows wait without being held in
    /// memory); not counted as a cache hit.
    pub fn reload(&self, sha: &str, path: &str) -> Option<DocRecord> {
        self.read_entry(sha, path).ok()
    }

    fn read_entry(&self, sha: &str, path: &str) -> Result<DocRecord, Missing> {
        let p = self.entry_path(sha);
        let Ok(bytes) = std::fs::read(&p) else {
            return Err(Missing::Absent);
        };
        // An entry is a header line (hash, checksum), the record's line and
        // its clause lines, each with an empty path. The checksum is over
        // the bytes after the header, so checking it costs one hash; only
        // the record's line is parsed, the clause lines are copied as they
        // are.
        let rec = (|| {
            let nl = bytes.iter().position(|&b| b == b'\n')?;
            let (head, payload) = (&bytes[..nl], &bytes[nl + 1..]);
            let h: Value = serde_json::from_slice(head).ok()?;
            if h.get("sha256")?.as_str()? != sha || h.get("check")?.as_str()? != hex(&Sha256::digest(payload)) {
                return None;
            }
            let payload = std::str::from_utf8(payload).ok()?;
            let mut lines = payload.split('\n').filter(|l| !l.is_empty());
            let mut record: Value = serde_json::from_str(lines.next()?).ok()?;
            record.as_object_mut()?.insert("path".into(), json!(path));
            let quoted = serde_json::to_string(path).ok()?;
            use crate::text::slice;
            let clause_lines: Option<Vec<String>> = lines
                .map(|l| l.find(EMPTY_PATH).map(|at| format!("{}\"path\":{quoted}{}", slice::prefix(l, at), slice::suffix(l, at + EMPTY_PATH.len()))))
                .collect();
            let mut rec = output::record_from_json(&record, &[]).ok()?;
            rec.clause_lines = Some(clause_lines?);
            Some(rec)
        })();
        rec.ok_or(Missing::Damaged)
    }

    /// Stores a record (written beside, then renamed). Failures only cost
    /// a later recomputation, so they are counted, not raised; `false`
    /// says the record is not in the cache.
    pub fn store(&self, sha: &str, r: &DocRecord) -> bool {
        // Entries are keyed by content: the path is set again on load.
        let unnamed = DocRecord { path: String::new(), ..r.clone() };
        let mut payload = output::agreement_json(&unnamed).to_string();
        payload.push('\n');
        match &r.clause_lines {
            // Already serialized with this record's path: give them back
            // their empty one.
            Some(lines) => {
                let quoted = serde_json::to_string(&r.path).unwrap_or_default();
                let named = format!("\"path\":{quoted}");
                for l in lines {
                    payload.push_str(&l.replacen(&named, EMPTY_PATH, 1));
                    payload.push('\n');
                }
            }
            None => {
                for l in output::clause_lines(&unnamed) {
                    payload.push_str(&l.to_string());
                    payload.push('\n');
                }
            }
        }
        let head = json!({"sha256": sha, "check": hex(&Sha256::digest(payload.as_bytes()))});
        let p = self.entry_path(sha);
        let res = (|| -> std::io::Result<()> {
            let dir = p.parent().unwrap_or(&self.dir);
            std::fs::create_dir_all(dir)?;
            let tmp = dir.join(format!(".{sha}.tmp-{}-{:?}", std::process::id(), std::thread::current().id()));
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(format!("{head}\n{payload}").as_bytes())?;
            drop(f);
            std::fs::rename(&tmp, &p)
        })();
        if res.is_err() {
            self.count(|s| s.write_errors += 1);
        }
        res.is_ok()
    }

    /// Writes the index (old entries plus this run's), atomically.
    pub fn save_index(&self) -> std::io::Result<()> {
        let mut all = self.index.clone();
        if let Ok(u) = self.updates.lock() {
            all.extend(u.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let mut f = output::AtomicFile::create(&self.dir.join(&self.generation), "index.jsonl")?;
        for (p, (s, t, h)) in &all {
            let line = json!({"path": p, "size": s, "mtime_ns": t.to_string(), "sha256": h});
            writeln!(f.writer(), "{line}")?;
        }
        f.commit()
    }

    pub fn stats(&self) -> CacheStats {
        self.stats.lock().map(|s| *s).unwrap_or_default()
    }
}

#[cfg(test)]
// The tests slice at the offsets they found in the same text.
#[allow(clippy::string_slice)]
mod tests {
    use super::*;
    use crate::indicators::Analysis;
    use crate::output::Status;

    fn rec(path: &str) -> DocRecord {
        let mut a = Analysis::default();
        a.indicators.insert("telework_allowed".into(), json!(true));
        a.clauses.push(crate::indicators::ClauseRow { clause: "Article 1".into(), pages: vec![1], start: 0, end: 9, themes: vec![], rules: vec!["TT-001".into()], text: "\"path\":\"\" in a text".into() });
        DocRecord { path: path.into(), sha256: Some("abcd".into()), status: Status::Ok, pages: Some(1), error: None, analysis: a, clause_lines: None }
    }

    #[test]
    fn stores_and_loads_under_any_path() {
        let d = tempfile::tempdir().unwrap();
        let c = Cache::open(d.path(), "f00d").unwrap();
        assert!(c.load("abcd", "x.pdf").is_none());
        c.store("abcd", &rec("a.pdf"));
        // The loaded record writes the same lines as the original would.
        let got = c.load("abcd", "dir/b \"x\".pdf").unwrap();
        let want = rec("dir/b \"x\".pdf");
        assert_eq!(output::agreement_json(&got), output::agreement_json(&want));
        let lines: Vec<String> = output::clause_lines(&want).iter().map(|v| v.to_string()).collect();
        assert_eq!(got.clause_lines, Some(lines));
        // Stored again from its raw lines, it loads the same.
        c.store("abcd", &got);
        assert_eq!(c.load("abcd", "dir/b \"x\".pdf").unwrap().clause_lines, got.clause_lines);
        assert_eq!(c.stats().hits, 2);
    }

    #[test]
    fn damaged_entries_are_not_trusted() {
        let d = tempfile::tempdir().unwrap();
        let c = Cache::open(d.path(), "f00d").unwrap();
        c.store("abcd", &rec("a.pdf"));
        let p = c.entry_path("abcd");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace("true", "false")).unwrap();
        assert!(c.load("abcd", "a.pdf").is_none());
        std::fs::write(&p, &text[..text.len() / 2]).unwrap();
        assert!(c.load("abcd", "a.pdf").is_none());
        std::fs::write(&p, b"").unwrap();
        assert!(c.load("abcd", "a.pdf").is_none());
        assert_eq!(c.stats().damaged, 3);
    }

    #[test]
    fn index_round_trips_and_skips_bad_lines() {
        let d = tempfile::tempdir().unwrap();
        let c = Cache::open(d.path(), "f00d").unwrap();
        c.remember("a.pdf", 10, 42, "abcd");
        c.save_index().unwrap();
        let idx = d.path().join(&c.generation).join("index.jsonl");
        let mut t = std::fs::read_to_string(&idx).unwrap();
        t.push_str("{not json\n");
        std::fs::write(&idx, t).unwrap();
        let c2 = Cache::open(d.path(), "f00d").unwrap();
        assert_eq!(c2.known_hash("a.pdf", 10, 42).as_deref(), Some("abcd"));
        assert_eq!(c2.known_hash("a.pdf", 11, 42), None);
        // Another rule set never sees these entries.
        let c3 = Cache::open(d.path(), "beef").unwrap();
        assert_eq!(c3.known_hash("a.pdf", 10, 42), None);
    }
}
