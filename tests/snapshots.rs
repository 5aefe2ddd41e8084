//! Snapshots of what users meet: the output files of the README's main job
//! (`starfinder run samples`) and the text of `starfinder explain` on each
//! sample. A silent change of a value, a key or an excerpt fails here; an
//! intended one is reviewed and accepted with
//! `INSTA_UPDATE=always cargo test --test snapshots`, then `git diff tests/snapshots/`.
//!
//! And the contract's central promise, checked on every sample: each
//! evidence's `start..end` (characters into its page's body text, as
//! `starfinder extract` prints it) slices that text back to its `text`.

mod common;

use common::bin;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn samples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf" || x == "docx"))
        .map(|p| format!("samples/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    v.sort();
    v
}

fn run_samples(out: &Path) {
    bin().current_dir(root()).args(["run", "samples", "--out", out.to_str().unwrap(), "--quiet"]).assert().success();
}

#[test]
fn output_files_of_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    run_samples(dir.path());
    for f in ["agreements.jsonl", "agreements.csv", "clauses.jsonl", "companies.jsonl", "companies.csv", "errors.csv"] {
        let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
        insta::assert_snapshot!(f, text);
    }
}

#[test]
fn every_line_of_the_samples_outputs_fits_the_contract_types() {
    let dir = tempfile::tempdir().unwrap();
    run_samples(dir.path());
    for f in ["agreements.jsonl", "clauses.jsonl", "companies.jsonl"] {
        let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert!(!text.is_empty(), "{f}");
        for (n, line) in text.lines().enumerate() {
            if let Err(e) = starfinder::output::schema::check_line(f, line) {
                panic!("{f}:{}: {e}", n + 1);
            }
        }
    }
}

#[test]
fn explain_text_of_each_sample() {
    for s in samples() {
        let out = bin().current_dir(root()).args(["explain", &s]).output().unwrap();
        assert!(out.status.success(), "{s}: {}", String::from_utf8_lossy(&out.stderr));
        let name = format!("explain_{}", Path::new(&s).file_name().unwrap().to_string_lossy());
        insta::assert_snapshot!(name, String::from_utf8(out.stdout).unwrap());
    }
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_evidence_slices_the_extracted_text_back_to_its_text() {
    let dir = tempfile::tempdir().unwrap();
    run_samples(dir.path());
    let mut checked = 0;
    for line in std::fs::read_to_string(dir.path().join("agreements.jsonl")).unwrap().lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = row["path"].as_str().unwrap();
        let out = bin().current_dir(root()).args(["extract", path]).output().unwrap();
        assert!(out.status.success(), "{path}");
        let text = String::from_utf8(out.stdout).unwrap();
        let pages: Vec<Vec<char>> = text.split('\u{c}').map(|p| p.chars().collect()).collect();
        let all: Vec<char> = text.chars().collect();
        for (field, evs) in row["evidence"].as_object().unwrap() {
            for e in evs.as_array().unwrap() {
                let body = match e.get("page").and_then(|p| p.as_u64()) {
                    Some(p) => &pages[p as usize - 1],
                    None => &all,
                };
                let (s, end) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
                assert!(s <= end && end <= body.len(), "{path} {field}: {e}");
                let got: String = body[s..end].iter().collect();
                assert_eq!(words(&got), words(e["text"].as_str().unwrap()), "{path} {field}: {e}");
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} evidences checked");
}
