//! ACCO deliveries through `run`: the official metadata wins over the text
//! and says so, documents without metadata and hostile entries are error
//! rows, the deletion list removes agreements, and a delivery mixes with
//! plain PDF and DOCX inputs.

mod common;

use common::bin;
use serde_json::Value;
use starfinder::acco::{write_archive, AccoMeta, AccoTheme};

fn meta(id: &str, docx: &str, siret: &str) -> AccoMeta {
    AccoMeta {
        id: id.into(),
        nature: "AVENANT".into(),
        title: "Avenant télétravail".into(),
        docx_path: format!("/acco/bureautique/2024/03/12/{docx}"),
        numero: "T06924001234".into(),
        siret: siret.into(),
        company_name: "ORION INGÉNIERIE".into(),
        idcc: "1486".into(),
        signature_date: "2024-03-14".into(),
        effect_date: "2024-04-01".into(),
        end_date: "2999-01-01".into(),
        partial_text: true,
        unions: vec!["CGT-FO".into()],
        themes: vec![AccoTheme { code: "120".into(), label: "Télétravail".into(), group: "Conditions de travail".into() }],
        ..Default::default()
    }
}

#[test]
fn a_delivery_through_run() {
    let d = tempfile::tempdir().unwrap();
    let text = starfinder::docx::write_docx(&[
        "ACCORD RELATIF AU TÉLÉTRAVAIL",
        "Entre la société ORION SAS, d'une part, et la CFDT, d'autre part.",
        "Article 1 – Télétravail",
        "Les salariés peuvent télétravailler dans la limite de deux jours par semaine.",
        "Fait à Lyon, le 2 février 2024",
    ]);
    let m1 = meta("ACCOTEXT000000000001", "T1-55210055400005.docx", "55210055400005").to_xml();
    let m2 = meta("ACCOTEXT000000000002", "T2.docx", "").to_xml();
    let m3 = meta("ACCOTEXT000000000003", "T3.docx", "").to_xml();
    let archive = write_archive(&[
        ("acco/bureautique/2024/03/12/T1-55210055400005.docx", &text),
        ("acco/global/TEXT/00/00/ACCOTEXT000000000001.xml", m1.as_bytes()),
        ("acco/global/TEXT/00/00/ACCOTEXT000000000002.xml", m2.as_bytes()),
        ("acco/bureautique/2024/03/12/T3.docx", &text),
        ("acco/global/TEXT/00/00/ACCOTEXT000000000003.xml", m3.as_bytes()),
        ("acco/liste_suppression_acco.dat", b"acco/global/TEXT/00/00/ACCOTEXT000000000003.xml\n"),
        ("acco/bureautique/2024/03/12/T4-orphan.docx", &text),
        ("../escape.docx", b"x"),
    ])
    .unwrap();
    let input = d.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("ACCO_20240315-120000.tar.gz"), &archive).unwrap();
    std::fs::write(input.join("other.docx"), &text).unwrap();
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().code(1);
    let rows: Vec<Value> = std::fs::read_to_string(out.join("agreements.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    // T1 (joined), T2 (no document), T4 (no metadata), the escaping entry, other.docx; T3 deleted.
    assert_eq!(rows.len(), 5, "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("T3")));
    let t1 = rows.iter().find(|r| r["path"].as_str().unwrap().ends_with("T1-55210055400005.docx")).unwrap();
    assert!(t1["path"].as_str().unwrap().contains("ACCO_20240315-120000.tar.gz!/acco/bureautique/"));
    assert_eq!(t1["status"], "ok");
    assert_eq!(t1["source"], "acco");
    assert_eq!(t1["acco_id"], "ACCOTEXT000000000001");
    assert_eq!(t1["partial_text"], true);
    assert_eq!(t1["acco_themes"][0]["label"], "Télétravail");
    // Official metadata wins, and says where it came from.
    assert_eq!(t1["metadata"]["company_name"], "ORION INGÉNIERIE");
    assert_eq!(t1["metadata_source"]["company_name"], "acco");
    assert_eq!(t1["metadata"]["kind"], "avenant");
    assert_eq!(t1["metadata"]["unions"], serde_json::json!(["FO"]));
    assert_eq!(t1["metadata"]["siren"], "552100554");
    assert!(t1["metadata"].get("duration_months").is_none(), "2999-01-01 is open-ended");
    assert_eq!(t1["indicators"]["telework_days_per_week"], 2);
    assert_eq!(t1["schema_version"], 3);
    for (needle, what) in [("T2.docx", "not in the archive"), ("T4-orphan", "no metadata"), ("escape", "escapes")] {
        let r = rows.iter().find(|r| r["path"].as_str().unwrap().contains(needle) || r["error"]["message"].as_str().unwrap_or("").contains(needle)).unwrap_or_else(|| panic!("{needle}"));
        assert_eq!(r["status"], "error");
        assert!(r["error"]["message"].as_str().unwrap().contains(what), "{r}");
    }
    let other = rows.iter().find(|r| r["path"].as_str().unwrap().ends_with("other.docx")).unwrap();
    assert_eq!(other["source"], "docx");
    // Names of people in the XML are never read.
    let all = std::fs::read_to_string(out.join("agreements.jsonl")).unwrap();
    assert!(!all.contains("NEGOCIATEUR"));
    let header = std::fs::read_to_string(out.join("agreements.csv")).unwrap();
    assert!(header.lines().next().unwrap().ends_with(",health_insurance_employer_share_pct,source,acco_id,partial_text,scope"));
}

#[test]
fn broken_archives_are_error_rows() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("ACCO_20240101-000000.tar.gz"), b"this is not gzip").unwrap();
    let good = write_archive(&[("acco/global/TEXT/a/ACCOTEXT1.xml", meta("ACCOTEXT1", "a.docx", "").to_xml().as_bytes())]).unwrap();
    std::fs::write(input.join("ACCO_20240102-000000.tar.gz"), &good[..good.len() / 2]).unwrap();
    std::fs::write(input.join("ACCO_20240103-000000.tar.gz"), b"").unwrap();
    let out = d.path().join("out");
    bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).assert().code(1);
    let rows: Vec<Value> = std::fs::read_to_string(out.join("agreements.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["status"] == "error"));
    assert!(rows.iter().any(|r| r["path"].as_str().unwrap().ends_with("ACCO_20240101-000000.tar.gz") && r["error"]["kind"] == "not_archive"));
}
