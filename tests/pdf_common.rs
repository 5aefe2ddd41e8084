//! Builders for the small PDFs the pdf_* tests make themselves (no fixture
//! files: a fresh clone must be able to run them). Included with `mod`.
#![allow(dead_code)]

use lopdf::{dictionary, Document, Object, Stream};

/// One page's content stream plus optional extra XObjects resources.
pub struct PageSpec {
    pub content: Vec<u8>,
    pub rotate: i64,
}

pub fn page(content: &str) -> PageSpec {
    PageSpec {
        content: content.as_bytes().to_vec(),
        rotate: 0,
    }
}

/// A PDF with Helvetica as /F1 (WinAnsi), a Type 1 font with /Differences as
/// /F2 (codes 1..4 = e acute, f_i ligature, uni00E7, an unknown name), a
/// Type0 Identity-H font with a ToUnicode CMap as /F3 (codes 1..3 -> "été"),
/// and a Form XObject /Fm1 that shows "formulaire".
pub fn build(pages: &[PageSpec]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "Differences" => vec![1.into(), "eacute".into(), "f_i".into(), "uni00E7".into(), "g1234".into()],
        },
    });
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
1 beginbfchar <0002> <0074> endbfchar\n\
1 beginbfrange <0001> <0001> <00E9> endbfrange\n\
1 beginbfrange <0003> <0003> [<00E9>] endbfrange\n\
endcmap CMapName currentdict /CMap defineresource pop end end";
    let tu = doc.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
    let desc = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Test",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 500,
        "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "FontName" => "Test", "FontFile2" => Object::Null },
    });
    let f3 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Test", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![desc.into()], "ToUnicode" => tu,
    });
    let form = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()] },
        b"BT /F1 12 Tf 72 300 Td (formulaire) Tj ET".to_vec(),
    ));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => f1, "F2" => f2, "F3" => f3 },
        "XObject" => dictionary! { "Fm1" => form },
    });
    let mut kids = Vec::new();
    for p in pages {
        let c = doc.add_object(Stream::new(dictionary! {}, p.content.clone()));
        let mut d = dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => c };
        if p.rotate != 0 {
            d.set("Rotate", p.rotate);
        }
        kids.push(doc.add_object(d).into());
    }
    let n = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => n, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("writing a PDF to memory");
    out
}

/// Text shown with /F1 at (x, y), size s.
pub fn text_at(x: f64, y: f64, s: f64, t: &str) -> String {
    format!("BT /F1 {s} Tf {x} {y} Td ({t}) Tj ET\n")
}
