//! `starfinder report`: a site from a run's output, escaped, linked, small
//! and deterministic; clear errors on what is not a run.

mod common;

use common::bin;
use std::path::Path;

fn write_run(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let hostile = "<script>alert(1)</script> & \"Cie\"";
    let companies = [
        serde_json::json!({"schema_version": 2, "company_key": "424220267", "company_name": "NOVALYS CONSEIL SAS", "siren": "424220267", "agreements": 1,
            "paths": ["in/a.pdf"], "themes": ["teletravail"], "indicators": {"telework_allowed": true, "telework_days_per_week": 3},
            "sources": {"telework_allowed": "in/a.pdf", "telework_days_per_week": "in/a.pdf"},
            "stars": {"teletravail": 3}}),
        serde_json::json!({"schema_version": 2, "company_key": "../../etc/passwd", "company_name": hostile, "siren": null, "agreements": 1,
            "paths": ["in/b.pdf"], "themes": [], "indicators": {}, "sources": {}, "stars": {}}),
    ];
    let agreement = serde_json::json!({"schema_version": 2, "path": "in/a.pdf", "status": "ok", "metadata": {"signature_date": "2024-03-12"},
        "indicators": {"telework_allowed": true, "telework_days_per_week": 3},
        "evidence": {"telework_days_per_week": [{"value": 3, "page": 2, "clause": "Article 4.1", "start": 1, "end": 5, "text": "trois (3) jours par semaine",
            "excerpt": "Ce plafond est porté à trois (3) jours par semaine <pour> les salariés.", "rule": "TT-002"}]},
        "review": {"telework_allowed": {"decision": "accept", "reviewer": "anact-1", "date": "2026-11-02", "automatic_value": true}}});
    std::fs::write(dir.join("companies.jsonl"), companies.iter().map(|c| c.to_string() + "\n").collect::<String>()).unwrap();
    std::fs::write(dir.join("agreements.jsonl"), agreement.to_string() + "\n").unwrap();
}

#[test]
fn site_pages_are_escaped_linked_small_and_deterministic() {
    let d = tempfile::tempdir().unwrap();
    let run = d.path().join("run");
    write_run(&run);
    let site = d.path().join("site");
    bin().args(["report", "-q"]).arg(&run).arg("--html").arg(&site).args(["--docs-base", "https://docs.example/acco"]).assert().success();
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("NOVALYS CONSEIL SAS") && index.contains("lang=\"fr\""));
    assert!(!index.contains("<script>alert"), "data must be escaped");
    assert!(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(index.contains("DILA, base ACCO"));
    let pages: Vec<_> = std::fs::read_dir(site.join("entreprises")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(pages.len(), 2);
    for p in &pages {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains(".."), "{name}");
        assert!(std::fs::metadata(p).unwrap().len() < 200 * 1024);
    }
    let novalys = pages.iter().find(|p| p.to_string_lossy().contains("424220267")).unwrap();
    let html = std::fs::read_to_string(novalys).unwrap();
    assert!(html.contains("href=\"https://docs.example/acco/in/a.pdf#page=2\""), "link to the page");
    assert!(html.contains("<mark>trois (3) jours par semaine</mark>"));
    assert!(html.contains("&lt;pour&gt;"));
    assert!(html.contains("Vérifié</strong> par anact-1"), "reviewed values shown apart");
    assert!(html.contains("Valeur automatique"));
    assert!(html.contains("★★★☆☆"));
    // Same input, same bytes.
    let site2 = d.path().join("site2");
    bin().args(["report", "-q"]).arg(&run).arg("--html").arg(&site2).args(["--docs-base", "https://docs.example/acco"]).assert().success();
    assert_eq!(std::fs::read(site.join("index.html")).unwrap(), std::fs::read(site2.join("index.html")).unwrap());
}

#[test]
fn what_is_not_a_run_is_refused() {
    let d = tempfile::tempdir().unwrap();
    bin().arg("report").arg(d.path()).arg("--html").arg(d.path().join("s")).assert().code(2).stderr(predicates::str::contains("companies.jsonl"));
    let run = d.path().join("run");
    write_run(&run);
    std::fs::write(run.join("companies.jsonl"), "{\"company_key\": \"x\"}\nnot json\n").unwrap();
    bin().arg("report").arg(&run).arg("--html").arg(d.path().join("s")).assert().code(2).stderr(predicates::str::contains("companies.jsonl:2"));
}

#[test]
fn site_from_a_real_run_of_the_samples() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    bin().args(["run", "-q"]).arg(&samples).arg("--out").arg(&out).assert().success();
    let site = d.path().join("site");
    bin().args(["report", "-q"]).arg(&out).arg("--html").arg(&site).assert().success();
    let n = std::fs::read_dir(site.join("entreprises")).unwrap().count();
    assert_eq!(n, 4);
}
