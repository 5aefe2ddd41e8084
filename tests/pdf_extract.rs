//! Behaviour of the text layer on small PDFs built by the test itself, and
//! on the shared corpus when it is present (../shared; skipped otherwise).

#[path = "pdf_common.rs"]
mod common;

use common::{build, page, text_at};
use starfinder::pdf::{extract, extract_to_string, Limits, PdfError};

fn body(pdf: &[u8]) -> Vec<String> {
    extract(pdf, &Limits::default())
        .expect("extract")
        .pages
        .into_iter()
        .map(|p| p.body)
        .collect()
}

#[test]
fn words_lines_and_order() {
    // Drawn bottom line first: output must still go top to bottom.
    let c = text_at(72.0, 700.0, 12.0, "second line") + &text_at(72.0, 720.0, 12.0, "first line");
    let b = body(&build(&[page(&c)]));
    assert_eq!(b[0], "first line\nsecond line\n");
}

#[test]
fn tj_adjustments_make_spaces_only_when_large() {
    let c = "BT /F1 12 Tf 72 700 Td [(Con) 20 (vention) -400 (collective)] TJ ET";
    assert_eq!(body(&build(&[page(c)]))[0], "Convention collective\n");
}

#[test]
fn differences_tounicode_and_forms() {
    let c = "BT /F2 12 Tf 72 700 Td (\\001t\\001 \\002n \\003a\\004) Tj ET\n\
             BT /F3 12 Tf 72 650 Td <000100020003> Tj ET\n\
             q 1 0 0 1 0 0 cm /Fm1 Do Q";
    let b = body(&build(&[page(c)]));
    // The unknown glyph name loses only its own glyph.
    assert_eq!(b[0], "été fin ça\nété\nformulaire\n");
}

#[test]
fn hyphenation_and_compounds() {
    let c = text_at(72.0, 700.0, 12.0, "la formation profes-")
        + &text_at(72.0, 686.0, 12.0, "sionnelle et le vice-pr\\351sident")
        + &text_at(72.0, 672.0, 12.0, "Saint-")
        + &text_at(72.0, 658.0, 12.0, "Etienne");
    let b = body(&build(&[page(&c)]));
    assert_eq!(
        b[0],
        "la formation professionnelle\net le vice-président\nSaint-\nEtienne\n"
    );
}

#[test]
fn running_header_footer_and_page_numbers() {
    let pages: Vec<_> = (1..=3)
        .map(|i| {
            let c = text_at(72.0, 800.0, 9.0, "Accord QVT - Société Exemple")
                + &text_at(72.0, 700.0, 12.0, &format!("Article {i} du corps"))
                + &text_at(280.0, 30.0, 9.0, &format!("Page {i} sur 3"));
            page(&c)
        })
        .collect();
    let t = extract(&build(&pages), &Limits::default()).expect("extract");
    for (i, p) in t.pages.iter().enumerate() {
        assert_eq!(p.body, format!("Article {} du corps\n", i + 1));
        assert!(p.furniture.contains("Accord QVT"), "{:?}", p.furniture);
        assert!(p.furniture.contains(&format!("Page {} sur 3", i + 1)));
    }
}

#[test]
fn two_columns_read_left_then_right() {
    let mut c = String::new();
    for i in 0..12 {
        let y = 700.0 - 14.0 * i as f64;
        c += &text_at(
            60.0,
            y,
            10.0,
            &format!("gauche ligne numero {i} du texte courant ici"),
        );
        c += &text_at(
            320.0,
            y,
            10.0,
            &format!("droite ligne numero {i} du texte courant ici"),
        );
    }
    let b = body(&build(&[page(&c)]));
    let lines: Vec<&str> = b[0].lines().collect();
    assert_eq!(lines.len(), 24);
    assert!(
        lines[..12].iter().all(|l| l.starts_with("gauche")),
        "{lines:?}"
    );
    assert!(lines[12..].iter().all(|l| l.starts_with("droite")));
}

#[test]
fn rotated_page_and_rotated_text() {
    let mut p = page(&text_at(72.0, 700.0, 12.0, "page tourn\\351e"));
    p.rotate = 90;
    let vertical = "BT /F1 12 Tf 0 1 -1 0 500 100 Tm (texte vertical) Tj ET";
    let b = body(&build(&[p, page(vertical)]));
    assert_eq!(b[0], "page tournée\n");
    assert_eq!(b[1], "texte vertical\n");
}

#[test]
fn scans_are_image_only_and_output_has_form_feeds() {
    let c = "q 100 0 0 100 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x7f EI Q";
    let pdf = build(&[page(c), page(&text_at(72.0, 700.0, 12.0, "texte"))]);
    let t = extract(&pdf, &Limits::default()).expect("extract");
    assert!(t.pages[0].image_only);
    assert!(!t.pages[1].image_only);
    assert_eq!(
        extract_to_string(&pdf, &Limits::default()).expect("extract"),
        "\x0ctexte\n\x0c"
    );
}

#[test]
fn nfc_and_no_break_spaces_kept() {
    // e + combining acute from the text, and a no-break space (WinAnsi 0xA0).
    let c = "BT /F1 12 Tf 72 700 Td (prix\\240: 10) Tj ET";
    assert_eq!(body(&build(&[page(c)]))[0], "prix\u{a0}: 10\n");
}

#[test]
fn actual_text_replaces_glyphs_and_output_is_nfc() {
    // /ActualText in UTF-16BE: "e" + combining acute, which must come out
    // composed; the glyphs of the span ("XX") give way to it.
    let c = "BT /F1 12 Tf 72 700 Td (caf) Tj /Span << /ActualText <FEFF00650301> >> BDC (XX) Tj EMC ( noir) Tj ET";
    assert_eq!(body(&build(&[page(c)]))[0], "caf\u{e9} noir\n");
}

#[test]
fn missing_font_falls_back_instead_of_losing_text() {
    let c = "BT /F9 12 Tf 72 700 Td (texte conserv\\351) Tj ET";
    assert_eq!(body(&build(&[page(c)]))[0], "texte conservé\n");
}

#[test]
fn limits_are_errors_not_hangs() {
    let c = text_at(72.0, 700.0, 12.0, "un deux trois").repeat(50);
    let pdf = build(&[page(&c), page(&c)]);
    let few_ops = Limits {
        max_operators: 100,
        ..Limits::default()
    };
    assert!(matches!(extract(&pdf, &few_ops), Err(PdfError::Limit(_))));
    let one_page = Limits {
        max_pages: 1,
        ..Limits::default()
    };
    assert!(matches!(extract(&pdf, &one_page), Err(PdfError::Limit(_))));
    assert!(matches!(
        extract(b"", &Limits::default()),
        Err(PdfError::Empty)
    ));
    assert!(matches!(
        extract(b"hello", &Limits::default()),
        Err(PdfError::NotPdf(_))
    ));
}

fn shared(rel: &str) -> Option<Vec<u8>> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    std::fs::read(p).ok()
}

#[test]
fn encrypted_files_from_the_shared_corpus() {
    let need_pw = [
        "corpus/real/pypdf_lo_userpw.pdf",
        "corpus/real/pdfminer_aes256_userpw.pdf",
        "corpus/real/pdfminer_rc4_40_userpw.pdf",
    ];
    let empty_pw = [
        "corpus/real/lopdf_encrypted.pdf",
        "corpus/real/pdfminer_indesign_enc.pdf",
        "corpus/real/pdfjs_sechandler_enc.pdf",
        "gold/dev/d01-teletravail-lo-encrypted.pdf",
    ];
    for f in need_pw {
        let Some(b) = shared(f) else {
            eprintln!("skipped: ../shared not present");
            return;
        };
        assert!(
            matches!(extract(&b, &Limits::default()), Err(PdfError::Encrypted)),
            "{f}"
        );
    }
    for f in empty_pw {
        let Some(b) = shared(f) else { return };
        let t = extract_to_string(&b, &Limits::default()).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(t.split_whitespace().count() >= 2, "{f}: {t:?}");
    }
}
