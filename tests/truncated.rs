//! A document that gives no text is an error row, not an empty `ok` one; a
//! PDF cut short keeps the text of the pages it still has, with a warning
//! that says which pages were lost.

mod common;

use serde_json::Value;

/// samples/src/accord-teletravail-orion.txt on three pages, pages first.
fn sample_pdf() -> Vec<u8> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/src/accord-teletravail-orion.txt")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    for par in text.lines().filter(|l| !l.trim().is_empty()) {
        // Lines of at most ~90 characters, cut on spaces.
        let mut line = String::new();
        for w in par.split_whitespace() {
            if !line.is_empty() && line.chars().count() + w.chars().count() > 90 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        lines.push(line);
    }
    let per_page = lines.len().div_ceil(3);
    let pages: Vec<Vec<String>> = lines.chunks(per_page).map(<[String]>::to_vec).collect();
    assert_eq!(pages.len(), 3);
    common::pdf_pages_first(&pages)
}

fn run(files: &[(&str, &[u8])]) -> (Vec<Value>, String) {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (name, bytes) in files {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let out = d.path().join("out");
    let code = common::bin().args(["run", "-q"]).arg(&input).arg("--out").arg(&out).output().unwrap().status.code();
    assert!(matches!(code, Some(0 | 1)), "{code:?}");
    let rows = std::fs::read_to_string(out.join("agreements.jsonl")).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (rows, std::fs::read_to_string(out.join("errors.csv")).unwrap())
}

#[test]
fn a_pdf_cut_short_is_no_text_or_warns_about_its_lost_pages() {
    let full = sample_pdf();
    assert!(full.len() > 3000, "{} bytes", full.len());
    // Where the content of page 1 starts: a cut before it leaves no text.
    let content_at = full.windows(3).position(|w| w == b"BT\n").expect("a content stream");
    let files: Vec<(String, Vec<u8>)> = vec![
        ("a-full.pdf".into(), full.clone()),
        ("b-cut-3000.pdf".into(), full[..3000].to_vec()),
        ("c-cut-before-text.pdf".into(), full[..content_at].to_vec()),
    ];
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let (rows, errors) = run(&refs);
    assert_eq!(rows.len(), 3);
    let (whole, cut, empty) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!(whole["status"], "ok");
    assert!(whole.get("warnings").is_none(), "{whole}");

    // Cut after 3,000 bytes: either no text at all, or the text of the first
    // pages with a warning that names the lost ones.
    match cut["status"].as_str() {
        Some("ok") => {
            let w = cut["warnings"].as_array().unwrap_or_else(|| panic!("no warnings: {cut}"));
            assert!(w[0].as_str().unwrap().starts_with("the file seems truncated after page "), "{w:?}");
            // With this file: the first two pages whole, the third cut off.
            assert_eq!(w[0], "the file seems truncated after page 2 (it does not end with %%EOF): page 3 gave no text");
            assert_eq!(cut["pages"], 3);
            assert!(!cut["themes"].as_array().unwrap().is_empty(), "{cut}");
            // The extension field comes last in the row.
            assert_eq!(cut.as_object().unwrap().keys().next_back().map(String::as_str), Some("warnings"));
            assert!(errors.lines().any(|l| l.contains("b-cut-3000.pdf,ok,extract,unread_pages,the file seems truncated")), "{errors}");
        }
        _ => assert_eq!(cut["error"]["kind"], "no_text", "{cut}"),
    }

    // Pages but no text: an error, with the count of pages.
    assert_eq!(empty["status"], "error", "{empty}");
    assert_eq!(empty["error"]["stage"], "extract");
    assert_eq!(empty["error"]["kind"], "no_text");
    let msg = empty["error"]["message"].as_str().unwrap();
    assert!(msg.starts_with("3 pages found, and none of them gave text") && msg.contains("truncated"), "{msg}");
    // The message holds a comma, so the CSV quotes it.
    assert!(errors.contains("c-cut-before-text.pdf,error,extract,no_text,\"3 pages found"), "{errors}");
}

#[test]
fn a_pdf_with_empty_pages_is_no_text() {
    let blank = common::pdf(&[vec![], vec![]]);
    let (rows, _) = run(&[("blank.pdf", &blank)]);
    assert_eq!(rows[0]["status"], "error");
    assert_eq!(rows[0]["error"]["kind"], "no_text");
    assert_eq!(rows[0]["error"]["message"], "2 pages found, and none of them gave text");
    assert_eq!(rows[0]["pages"], 2);
}
