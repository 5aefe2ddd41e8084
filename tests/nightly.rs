//! Nightly operations: warm runs equal cold runs, shards merge into one
//! run's bytes, a killed run leaves the previous outputs whole and the next
//! run finishes from the cache.

mod common;

use common::{agreement, bin, STABLE_FILES};
use std::path::Path;

fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        std::fs::write(dir.join(format!("a{i:03}.pdf")), agreement(i)).unwrap();
    }
}

fn same_files(a: &Path, b: &Path) {
    for f in STABLE_FILES {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{}: {e}", a.join(f).display()));
        let y = std::fs::read(b.join(f)).unwrap_or_else(|e| panic!("{}: {e}", b.join(f).display()));
        assert!(x == y, "{f} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn warm_run_writes_the_bytes_of_a_cold_run() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    corpus(&input, 12);
    let (cold, warm) = (d.path().join("cold"), d.path().join("warm"));
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&cold).assert().success();
    // The warm run reads a cold run's cache.
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&warm).arg("--cache").arg(cold.join(".cache")).assert().success();
    same_files(&cold, &warm);
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(warm.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["cache"]["hits"], 12);
    // --force recomputes and still writes the same bytes.
    bin().args(["run", "-q", "--force"]).arg(&input).arg("--out").arg(&warm).assert().success();
    same_files(&cold, &warm);
}

#[test]
fn damaged_cache_entries_are_recomputed() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    corpus(&input, 3);
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().success();
    let before = std::fs::read(out.join("agreements.jsonl")).unwrap();
    // Damage every cache entry: truncate, edit, empty.
    let mut n = 0;
    for gen in std::fs::read_dir(out.join(".cache")).unwrap() {
        for shard in std::fs::read_dir(gen.unwrap().path()).unwrap().filter_map(Result::ok).filter(|e| e.path().is_dir()) {
            for e in std::fs::read_dir(shard.path()).unwrap() {
                let p = e.unwrap().path();
                let t = std::fs::read(&p).unwrap();
                let damaged = match n % 3 {
                    0 => t[..t.len() / 2].to_vec(),
                    1 => String::from_utf8_lossy(&t).replace("true", "false").into_bytes(),
                    _ => Vec::new(),
                };
                std::fs::write(&p, damaged).unwrap();
                n += 1;
            }
        }
    }
    assert_eq!(n, 3);
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().success();
    assert_eq!(std::fs::read(out.join("agreements.jsonl")).unwrap(), before);
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["cache"]["damaged"], 3, "{run}");
}

#[test]
fn three_shards_merge_into_one_run() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    corpus(&input, 20);
    let one = d.path().join("one");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&one).assert().success();
    // Three separate processes, as on three machines.
    let mut children = Vec::new();
    for k in 1..=3 {
        let out = d.path().join(format!("shard{k}"));
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("starfinder"))
            .args(["run", "-q", "--shard", &format!("{k}/3")])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .spawn()
            .unwrap();
        children.push(child);
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let counts: Vec<usize> = (1..=3)
        .map(|k| std::fs::read_to_string(d.path().join(format!("shard{k}/agreements.jsonl"))).unwrap().lines().count())
        .collect();
    assert_eq!(counts.iter().sum::<usize>(), 20, "{counts:?}");
    let merged = d.path().join("merged");
    bin().arg("merge").arg(d.path().join("shard1")).arg(d.path().join("shard2")).arg(d.path().join("shard3")).arg("--out").arg(&merged).assert().success();
    same_files(&one, &merged);
}

#[test]
fn merge_refuses_what_is_not_a_run() {
    let d = tempfile::tempdir().unwrap();
    bin().arg("merge").arg(d.path()).arg("--out").arg(d.path().join("m")).assert().code(2).stderr(predicates::str::contains("run.json"));
}

#[test]
fn shard_argument_is_checked() {
    let d = tempfile::tempdir().unwrap();
    for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
        bin().args(["run", "--shard", bad]).arg(d.path()).arg("--out").arg(d.path().join("o")).assert().code(2);
    }
}

#[cfg(unix)]
#[test]
fn killed_run_keeps_previous_outputs_and_next_run_finishes() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    corpus(&input, 8);
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().success();
    let previous: Vec<Vec<u8>> = STABLE_FILES.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect();
    // More documents, then a run killed with SIGKILL while it works.
    corpus(&input, 200);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("starfinder"))
        .args(["run", "-q", "--threads", "1"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .spawn()
        .unwrap();
    // Wait until the run has cached some documents (it works in the
    // meantime); it may also have finished, which the checks allow.
    let cache = out.join(".cache");
    for _ in 0..200 {
        let entries = walk_count(&cache);
        if entries > 12 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    if !status.success() {
        // Killed mid-run: the previous night's files are untouched and whole.
        for (f, old) in STABLE_FILES.iter().zip(&previous) {
            assert_eq!(&std::fs::read(out.join(f)).unwrap(), old, "{f} changed under a killed run");
        }
    }
    // The next run finishes, and writes what a cold run writes.
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().success();
    let cold = d.path().join("cold");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&cold).assert().success();
    same_files(&out, &cold);
    assert!(!std::fs::read_dir(&out).unwrap().filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().contains(".tmp-")), "temporary files left behind");
}

#[cfg(unix)]
#[test]
fn sigint_stops_cleanly() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    corpus(&input, 150);
    let out = d.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("starfinder"))
        .args(["run", "--threads", "1"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if walk_count(&out.join(".cache")) > 5 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let pid = child.id().to_string();
    let _ = std::process::Command::new("kill").args(["-INT", &pid]).status();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(130) => {
            assert!(stderr.contains("interrupted"), "{stderr}");
            assert!(!out.join("agreements.jsonl").exists(), "a stopped first run must not leave partial outputs");
        }
        Some(0) => {} // finished before the signal
        other => panic!("unexpected exit {other:?}: {stderr}"),
    }
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().success();
}

fn walk_count(p: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(p) else { return 0 };
    rd.filter_map(Result::ok).map(|e| if e.path().is_dir() { walk_count(&e.path()) } else { 1 }).sum()
}
