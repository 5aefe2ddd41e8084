//! The command line as users meet it: the samples end to end, every output
//! file of the contract, exit codes, hostile inputs, determinism.

mod common;

use common::{bin, STABLE_FILES};
use predicates::str::contains;
use std::path::{Path, PathBuf};

const ALL_FILES: &[&str] = &["agreements.jsonl", "agreements.csv", "clauses.jsonl", "companies.jsonl", "companies.csv", "errors.csv", "run.json"];

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn lines(p: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn samples_end_to_end() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(samples()).arg("--out").arg(&out).assert().success();
    for f in ALL_FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let rows = lines(&out.join("agreements.jsonl"));
    assert_eq!(rows.len(), 4);
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "rows are sorted by path");
    for r in &rows {
        assert_eq!(r["schema_version"], 3);
        assert_eq!(r["status"], "ok");
    }
    // The DOCX sample: read like a PDF, evidence without pages.
    let docx = rows.iter().find(|r| r["path"].as_str().unwrap().ends_with(".docx")).unwrap();
    assert_eq!(docx["status"], "ok");
    assert!(docx["pages"].is_null());
    assert_eq!(docx["indicators"]["disability_employment_target_pct"], 6);
    assert!(docx["evidence"]["disability_employment_target_pct"][0].get("page").is_none());
    let tele = rows.iter().find(|r| r["path"].as_str().unwrap().ends_with("accord-teletravail-orion.pdf")).unwrap();
    assert_eq!(tele["indicators"]["telework_allowed"], true);
    assert_eq!(tele["metadata"]["siren"], "552100554");
    // Every indicator has evidence that quotes the page it points at.
    let ev = &tele["evidence"]["telework_days_per_week"][0];
    assert!(ev["page"].as_u64().unwrap() >= 1 && ev["rule"] == "TT-002", "{ev}");
    let header = std::fs::read_to_string(out.join("agreements.csv")).unwrap();
    let first = header.lines().next().unwrap();
    assert!(first.starts_with("schema_version,path,sha256,status,pages,company_name,siren,siret,signature_date,kind,unions,idcc,duration_months,themes,telework_allowed,telework_days_per_week,"), "{first}");
    assert!(first.ends_with("health_insurance_employer_share_pct,source,acco_id,partial_text,scope"));
    for l in lines(&out.join("clauses.jsonl")).iter().chain(lines(&out.join("companies.jsonl")).iter()) {
        assert_eq!(l["schema_version"], 3);
    }
    // People's names never reach the outputs.
    for f in ["agreements.jsonl", "clauses.jsonl", "companies.jsonl"] {
        let t = std::fs::read_to_string(out.join(f)).unwrap();
        for name in ["Kieffer", "Weber", "Haddad", "Baron", "Benali", "Guérin", "Morel", "Petit"] {
            assert!(!t.contains(name), "{name} in {f}");
        }
    }
}

#[test]
fn same_bytes_whatever_the_threads_and_argument_order() {
    let d = tempfile::tempdir().unwrap();
    let s = samples();
    let files: Vec<PathBuf> = ["avenant-temps-travail-meridien.pdf", "accord-nao-atlas.pdf", "accord-teletravail-orion.pdf"].iter().map(|f| s.join(f)).collect();
    let a = d.path().join("a");
    let b = d.path().join("b");
    bin().args(["run", "-q", "--threads", "1", "--force"]).args(&files).arg("--out").arg(&a).assert().success();
    let mut rev = files.clone();
    rev.reverse();
    bin().args(["run", "-q", "--threads", "8", "--force"]).args(&rev).arg("--out").arg(&b).assert().success();
    for f in STABLE_FILES {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
}

#[test]
fn hostile_files_become_error_rows_and_the_rest_is_complete() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let good = std::fs::read(samples().join("accord-nao-atlas.pdf")).unwrap();
    std::fs::write(input.join("good.pdf"), &good).unwrap();
    std::fs::write(input.join("empty.pdf"), b"").unwrap();
    std::fs::write(input.join("not-a-pdf.pdf"), b"PK\x03\x04 this is a zip, not a PDF").unwrap();
    std::fs::write(input.join("truncated.pdf"), &good[..good.len() / 2]).unwrap();
    std::fs::write(input.join("garbage.pdf"), b"%PDF-1.7\n\x00\xff\xfe garbage garbage 1 0 obj << /Type /Catalog").unwrap();
    std::fs::write(input.join("word.docx"), b"PK\x03\x04 truncated zip").unwrap();
    std::fs::write(input.join("~$lock.docx"), b"Word lock file").unwrap();
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().code(1);
    let rows = lines(&out.join("agreements.jsonl"));
    assert_eq!(rows.len(), 6, "a Word lock file is not a document");
    let by = |n: &str| rows.iter().find(|r| r["path"].as_str().unwrap().ends_with(n)).unwrap().clone();
    assert_eq!(by("good.pdf")["status"], "ok");
    assert!(!by("good.pdf")["indicators"].as_object().unwrap().is_empty());
    for n in ["empty.pdf", "not-a-pdf.pdf", "garbage.pdf", "word.docx"] {
        let r = by(n);
        assert_eq!(r["status"], "error", "{n}: {r}");
        assert!(r["error"]["message"].as_str().unwrap().len() > 5);
        assert!(["read", "extract", "tag"].contains(&r["error"]["stage"].as_str().unwrap()));
        assert_eq!(r["indicators"], serde_json::json!({}));
    }
    // A truncated file is an error, or is rebuilt from what remains: never a crash.
    assert!(["ok", "error", "needs_ocr"].contains(&by("truncated.pdf")["status"].as_str().unwrap()));
    let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
    assert!(errors.starts_with("schema_version,path,status,stage,kind,message\n"));
    assert!(errors.contains("empty.pdf") && errors.contains("not-a-pdf.pdf"));
}

#[test]
fn explicit_file_of_another_type_is_an_error_row() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("notes.txt");
    std::fs::write(&f, "bonjour").unwrap();
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(&f).arg("--out").arg(&out).assert().code(1);
    let rows = lines(&out.join("agreements.jsonl"));
    assert_eq!(rows[0]["error"]["kind"], "unsupported_type");
}

#[test]
fn a_folder_with_no_pdf_gives_empty_files_and_a_warning() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("readme.txt"), "x").unwrap();
    let out = d.path().join("out");
    bin().arg("run").arg(d.path()).arg("--out").arg(&out).assert().success().stderr(contains("warning"));
    assert_eq!(std::fs::read_to_string(out.join("agreements.jsonl")).unwrap(), "");
    assert!(std::fs::read_to_string(out.join("agreements.csv")).unwrap().starts_with("schema_version,"));
}

#[test]
fn runs_that_cannot_start_exit_2_and_say_where() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    bin().args(["run", "/no/such/folder/anywhere"]).arg("--out").arg(&out).assert().code(2).stderr(contains("/no/such/folder/anywhere"));
    // --out is an existing regular file.
    let file = d.path().join("file");
    std::fs::write(&file, "x").unwrap();
    bin().arg("run").arg(samples()).arg("--out").arg(&file).assert().code(2).stderr(contains("output folder"));
    // Bad arguments.
    bin().args(["run", "--threads", "0"]).arg(samples()).arg("--out").arg(&out).assert().code(2);
    bin().args(["run"]).arg(samples()).assert().code(2);
    bin().arg("frobnicate").assert().code(2);
}

#[test]
fn invalid_rules_stop_the_run_with_every_error() {
    let d = tempfile::tempdir().unwrap();
    let rules = d.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("a.toml"),
        "[[rule]]\nid = \"A-1\"\nindicator = \"weekly_hours\"\ndescription = \"d\"\nkeywords = [\"heures\"]\nregex = \"(?P<value>[0-9]+\"\nexamples = [{ text = \"35 heures\", value = 35 }]\n",
    )
    .unwrap();
    std::fs::write(rules.join("b.toml"), "[[rule]]\nid = \"B-1\"\nindicator = \"nope\"\ndescription = \"d\"\nkeywords = [\"x\"]\n").unwrap();
    bin().args(["rules", "check"]).arg(&rules).assert().code(2).stderr(contains("a.toml:1").and(contains("b.toml:1")).and(contains("nope")));
    bin().arg("run").arg(samples()).arg("--out").arg(d.path().join("o")).arg("--rules").arg(&rules).assert().code(2).stderr(contains("does not compile"));
    // Empty, wrong-type and missing rules folders.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    bin().args(["rules", "check"]).arg(&empty).assert().code(2).stderr(contains("no .toml"));
    std::fs::write(empty.join("x.toml"), [0xff, 0xfe, 0x00]).unwrap();
    bin().args(["rules", "check"]).arg(&empty).assert().code(2).stderr(contains("UTF-8"));
    bin().args(["rules", "check", "/no/such/rules"]).assert().code(2);
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn builtin_rules_check_and_test() {
    bin().args(["rules", "check"]).assert().success().stdout(contains("rules"));
    bin().args(["rules", "test"]).assert().success().stdout(contains(" 0 failed"));
}

#[test]
fn extract_prints_pages_with_form_feeds() {
    let out = bin().arg("extract").arg(samples().join("accord-teletravail-orion.pdf")).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.matches('\u{c}').count(), 2);
    assert!(text.contains("télétravail"));
    bin().args(["extract", "/no/such.pdf"]).assert().code(2);
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.pdf");
    std::fs::write(&bad, b"nope").unwrap();
    bin().arg("extract").arg(&bad).assert().code(1).stderr(contains("bad.pdf"));
}

#[test]
fn explain_shows_values_evidence_and_json() {
    let f = samples().join("accord-teletravail-orion.pdf");
    bin().arg("explain").arg(&f).assert().success().stdout(contains("telework_days_per_week = 3").and(contains("TT-002")));
    let out = bin().args(["explain", "--format", "json", "--indicator", "disconnect_start"]).arg(&f).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["indicators"]["disconnect_start"], "20:00");
    assert!(v["near_misses"].is_array());
}

#[test]
fn excel_dialect_writes_semicolons_bom_and_decimal_commas() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    bin().args(["run", "-q", "--csv-dialect", "excel-fr"]).arg(samples()).arg("--out").arg(&out).assert().success();
    let csv = std::fs::read_to_string(out.join("agreements.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}schema_version;path;"));
    assert!(csv.contains(";2,5;") || csv.contains(";37,5;"), "{csv}");
}

/// A branch text names no employer: `scope: branch`, no company name and
/// no company row, dated and kinded from its title; a company text beside
/// it keeps its row.
#[test]
fn branch_texts_have_scope_branch_and_no_company_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let branch = common::pdf(&[vec![
        "Convention collective nationale de la plasturgie du 1er juillet 1960".into(),
        "IDCC : 292".into(),
        "Avenant n° 12 du 8 décembre 2010 à l'accord du 22 juin 1999 relatif au télétravail".into(),
        "Préambule".into(),
        "Les entreprises de la branche peuvent mettre en place le télétravail, paritaire,".into(),
        "l'entreprise à prendre conscience de l'impact éventuel, à agir.".into(),
    ]]);
    std::fs::write(input.join("branch.pdf"), branch).unwrap();
    std::fs::write(input.join("company.pdf"), common::agreement(1)).unwrap();
    let out = dir.path().join("out");
    common::bin().args(["run", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]).assert().success();
    let rows = lines(&out.join("agreements.jsonl"));
    let b = rows.iter().find(|r| r["path"].as_str().unwrap().ends_with("branch.pdf")).unwrap();
    assert_eq!(b["metadata"]["scope"], "branch", "{b}");
    assert_eq!(b["metadata"]["kind"], "avenant");
    assert_eq!(b["metadata"]["signature_date"], "2010-12-08");
    assert_eq!(b["metadata"]["idcc"], "0292");
    assert!(b["metadata"].get("company_name").is_none(), "{b}");
    let c = rows.iter().find(|r| r["path"].as_str().unwrap().ends_with("company.pdf")).unwrap();
    assert_eq!(c["metadata"]["scope"], "company");
    assert_eq!(c["metadata"]["company_name"], "ENTREPRISE 1 SAS");
    let companies = lines(&out.join("companies.jsonl"));
    assert_eq!(companies.len(), 1, "{companies:?}");
    assert_eq!(companies[0]["company_name"], "ENTREPRISE 1 SAS");
    let csv = std::fs::read_to_string(out.join("agreements.csv")).unwrap();
    let branch_line = csv.lines().find(|l| l.contains("branch.pdf")).unwrap();
    assert!(branch_line.ends_with(",branch"), "{branch_line}");
}
