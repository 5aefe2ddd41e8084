//! Test support: small agreement PDFs made on the spot with lopdf, so the
//! tests need nothing outside the repository.

#![allow(dead_code)]

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// Encodes text in WinAnsi (what Helvetica with WinAnsiEncoding expects).
fn winansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            '’' => 0x92,
            'œ' => 0x9c,
            '–' => 0x96,
            c if (c as u32) < 256 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// A PDF with one page per entry of `pages`, each a list of lines.
pub fn pdf(pages: &[Vec<String>]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 11.into()]), Operation::new("TL", vec![14.into()]), Operation::new("Td", vec![60.into(), 780.into()])];
        for l in lines {
            ops.push(Operation::new("Tj", vec![Object::String(winansi(l), lopdf::StringFormat::Literal)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().expect("encode content")));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save pdf");
    out
}

/// Like [`pdf`], but with the catalog, the page tree and every page
/// dictionary at the start of the file and the page contents after them, in
/// page order (as LibreOffice writes): a copy cut short keeps its pages and
/// loses the content of the last ones.
pub fn pdf_pages_first(pages: &[Vec<String>]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let catalog_id = doc.new_object_id();
    let pages_id = doc.new_object_id();
    let page_ids: Vec<_> = pages.iter().map(|_| doc.new_object_id()).collect();
    let font_id = doc.new_object_id();
    let resources_id = doc.new_object_id();
    let content_ids: Vec<_> = pages.iter().map(|_| doc.new_object_id()).collect();
    doc.objects.insert(catalog_id, Object::Dictionary(dictionary! { "Type" => "Catalog", "Pages" => pages_id }));
    let kids: Vec<Object> = page_ids.iter().map(|&id| Object::from(id)).collect();
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => pages.len() as i64 }));
    doc.objects.insert(font_id, Object::Dictionary(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    }));
    doc.objects.insert(resources_id, Object::Dictionary(dictionary! { "Font" => dictionary! { "F1" => font_id } }));
    for (i, lines) in pages.iter().enumerate() {
        let mut ops = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 11.into()]), Operation::new("TL", vec![14.into()]), Operation::new("Td", vec![60.into(), 780.into()])];
        for l in lines {
            ops.push(Operation::new("Tj", vec![Object::String(winansi(l), lopdf::StringFormat::Literal)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops }.encode().expect("encode content");
        doc.objects.insert(content_ids[i], Object::Stream(Stream::new(dictionary! {}, content)));
        doc.objects.insert(page_ids[i], Object::Dictionary(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_ids[i], "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }));
    }
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save pdf");
    out
}

/// A short agreement of company number `n` (a Luhn-valid SIREN is not
/// needed: companies are keyed by name when there is none).
pub fn agreement(n: usize) -> Vec<u8> {
    let days = 1 + n % 3;
    pdf(&[
        vec![
            format!("ACCORD D'ENTREPRISE RELATIF AU TÉLÉTRAVAIL N° {n}"),
            "Entre les soussignés :".into(),
            format!("La société ENTREPRISE {n} SAS, société par actions simplifiée,"),
            "et la CFDT, d'autre part.".into(),
            "Article 1 – Télétravail".into(),
            "Les salariés éligibles peuvent télétravailler dans la limite de".into(),
            format!("{days} jours par semaine. Le télétravail est ouvert à tous."),
        ],
        vec![
            "Article 2 – Droit à la déconnexion".into(),
            "Chaque salarié bénéficie d'un droit à la déconnexion : aucun courriel".into(),
            "n'est adressé entre 20 h et 7 h 30.".into(),
            "Fait à Lyon, le 12 mars 2024".into(),
        ],
    ])
}

pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("starfinder").expect("the starfinder binary")
}

/// The output files that must be byte-identical between equivalent runs.
pub const STABLE_FILES: &[&str] = &["agreements.jsonl", "agreements.csv", "clauses.jsonl", "companies.jsonl", "companies.csv", "errors.csv"];
