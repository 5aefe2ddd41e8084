//! DOCX bytes -> text, the way the ACCO deliveries publish agreements.
//!
//! A DOCX is a ZIP of XML parts. The ZIP layer is read here directly (the
//! central directory, stored and deflated entries) so that every byte that
//! is inflated is counted against a limit: a zip bomb ends in an error,
//! never in exhausted memory. `word/document.xml` gives the body:
//! paragraphs one per line, table rows one per line with cells separated by
//! tabs, list items with their number or bullet as text, footnotes after
//! the body. Headers and footers are kept apart, like a PDF's running
//! furniture. A DOCX has no pages: its text is one page.

use crate::pdf::{PageText, PdfText};
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use thiserror::Error;

/// Work limits for one DOCX.
#[derive(Debug, Clone, Copy)]
pub struct DocxLimits {
    /// Total bytes inflated from the archive.
    pub max_inflated_bytes: usize,
    /// Entries in the ZIP directory.
    pub max_entries: usize,
    /// Nesting of XML elements.
    pub max_depth: usize,
}

impl Default for DocxLimits {
    fn default() -> Self {
        DocxLimits { max_inflated_bytes: 256 << 20, max_entries: 10_000, max_depth: 256 }
    }
}

#[derive(Debug, Error)]
pub enum DocxError {
    #[error("empty file (0 bytes)")]
    Empty,
    #[error("not a DOCX: {0}")]
    NotDocx(String),
    #[error("damaged DOCX: {0}")]
    Malformed(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}

impl DocxError {
    pub fn kind(&self) -> &'static str {
        match self {
            DocxError::Empty => "empty",
            DocxError::NotDocx(_) => "not_docx",
            DocxError::Malformed(_) => "malformed",
            DocxError::Limit(_) => "limit",
        }
    }
}

/// A DOCX's ZIP container, read with the `zip` crate (central directory,
/// ZIP64, CRC checks) through this project's limits: a count of entries and
/// a budget of inflated bytes for the whole document, so a zip bomb stops
/// at the budget, whatever sizes its headers declare.
struct Zip<'a> {
    archive: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
}

impl<'a> Zip<'a> {
    fn open(bytes: &'a [u8], limits: &DocxLimits) -> Result<Zip<'a>, DocxError> {
        if bytes.is_empty() {
            return Err(DocxError::Empty);
        }
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(DocxError::NotDocx("no ZIP signature at the start of the file".into()));
        }
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| DocxError::Malformed(format!("cannot read the ZIP directory ({e}): truncated or damaged file?")))?;
        if archive.len() > limits.max_entries {
            return Err(DocxError::Limit(format!("{} ZIP entries, the limit is {}", archive.len(), limits.max_entries)));
        }
        Ok(Zip { archive })
    }

    /// The names of the entries, sorted.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.archive.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
        v.sort();
        v
    }

    /// Inflates one entry, counting what it inflates against `budget`.
    fn read(&mut self, name: &str, budget: &mut usize) -> Result<Option<Vec<u8>>, DocxError> {
        let entry = match self.archive.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(DocxError::Malformed(format!("{name}: {e}"))),
        };
        // Read at most one byte more than the budget: the true size, not
        // the declared one, is what counts.
        let cap = (*budget as u64).saturating_add(1);
        let mut out = Vec::new();
        entry.take(cap).read_to_end(&mut out).map_err(|e| DocxError::Malformed(format!("{name}: {e}")))?;
        if out.len() > *budget {
            return Err(DocxError::Limit(format!("{name}: more inflated data than the limit allows (zip bomb?)")));
        }
        *budget -= out.len();
        Ok(Some(out))
    }
}

fn text_of(e: &Event) -> String {
    match e {
        Event::Text(t) => t.decode().map(|c| c.into_owned()).unwrap_or_default(),
        Event::CData(t) => String::from_utf8_lossy(t).into_owned(),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => c.to_string(),
            _ => {
                let name = r.decode().unwrap_or_default();
                quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("").to_string()
            }
        },
        _ => String::new(),
    }
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == key).map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// List formats from numbering.xml: (numId, level) -> (format, text).
type Numbering = BTreeMap<(String, u32), (String, String)>;

fn read_numbering(xml: &[u8], limits: &DocxLimits) -> Numbering {
    let mut abstracts: BTreeMap<String, BTreeMap<u32, (String, String)>> = BTreeMap::new();
    let mut nums: BTreeMap<String, String> = BTreeMap::new();
    let mut r = quick_xml::Reader::from_reader(xml);
    let (mut cur_abs, mut cur_lvl, mut cur_num) = (None::<String>, None::<u32>, None::<String>);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        let ev = match r.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    if depth > limits.max_depth {
                        break;
                    }
                }
                match local(e.name().as_ref()) {
                    b"abstractNum" => cur_abs = attr(e, b"abstractNumId"),
                    b"lvl" => cur_lvl = attr(e, b"ilvl").and_then(|v| v.parse().ok()),
                    b"numFmt" | b"lvlText" => {
                        if let (Some(a), Some(l), Some(v)) = (&cur_abs, cur_lvl, attr(e, b"val")) {
                            let slot = abstracts.entry(a.clone()).or_default().entry(l).or_default();
                            if local(e.name().as_ref()) == b"numFmt" { slot.0 = v } else { slot.1 = v }
                        }
                    }
                    b"num" => cur_num = attr(e, b"numId"),
                    b"abstractNumId" => {
                        if let (Some(n), Some(v)) = (&cur_num, attr(e, b"val")) {
                            nums.insert(n.clone(), v);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        buf.clear();
    }
    let mut out = Numbering::new();
    for (num, abs) in nums {
        if let Some(levels) = abstracts.get(&abs) {
            for (l, f) in levels {
                out.insert((num.clone(), *l), f.clone());
            }
        }
    }
    out
}

fn roman(mut n: u32) -> String {
    let table = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// The label of a list item ("1.", "a)", "–") from its level's format.
fn label(fmt: &str, text: &str, counters: &[u32]) -> String {
    if fmt == "bullet" {
        return "–".into();
    }
    if fmt == "none" {
        return String::new();
    }
    let mut out = text.to_string();
    for (i, n) in counters.iter().enumerate() {
        let v = match fmt {
            "lowerLetter" => ((b'a' + ((n.saturating_sub(1)) % 26) as u8) as char).to_string(),
            "upperLetter" => ((b'A' + ((n.saturating_sub(1)) % 26) as u8) as char).to_string(),
            "lowerRoman" => roman(*n),
            "upperRoman" => roman(*n).to_uppercase(),
            _ => n.to_string(),
        };
        out = out.replace(&format!("%{}", i + 1), &v);
    }
    out
}

/// Paragraph and table text of one part (document, header, footnotes).
fn part_text(xml: &[u8], numbering: &Numbering, limits: &DocxLimits, skip_separator_notes: bool) -> Result<String, DocxError> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut depth = 0usize;
    // Table state: cells of the current row, and nesting.
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut cell_paras: Vec<Vec<String>> = Vec::new();
    let mut num: Option<(String, u32)> = None;
    let mut counters: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut skip_note = false;
    loop {
        let ev = match r.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(ev) => ev,
            Err(e) => return Err(DocxError::Malformed(format!("XML error at byte {}: {e}", r.buffer_position()))),
        };
        match &ev {
            Event::Start(e) => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(DocxError::Limit(format!("XML nested deeper than {}", limits.max_depth)));
                }
                match local(e.name().as_ref()) {
                    b"t" | b"instrText" => in_text = local(e.name().as_ref()) == b"t",
                    b"p" => {
                        para.clear();
                        num = None;
                    }
                    b"tc" => cell_paras.push(Vec::new()),
                    b"tr" => cells.push(Vec::new()),
                    b"footnote" | b"endnote" => {
                        let t = attr(e, b"type").unwrap_or_default();
                        skip_note = skip_separator_notes && (t == "separator" || t == "continuationSeparator");
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => match local(e.name().as_ref()) {
                b"tab" => para.push('\t'),
                b"br" | b"cr" => para.push(' '),
                b"numId" => {
                    if let Some(v) = attr(e, b"val") {
                        num = Some((v, num.as_ref().map_or(0, |n| n.1)));
                    }
                }
                b"ilvl" => {
                    let l = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    num = Some((num.map(|n| n.0).unwrap_or_default(), l));
                }
                b"noBreakHyphen" => para.push('-'),
                _ => {}
            },
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match local(e.name().as_ref()) {
                    b"t" => in_text = false,
                    b"p" => {
                        let mut line = std::mem::take(&mut para);
                        if let Some((id, lvl)) = num.take() {
                            if let Some((fmt, text)) = numbering.get(&(id.clone(), lvl)) {
                                let c = counters.entry(id).or_default();
                                c.resize(lvl as usize + 1, 0);
                                c[lvl as usize] += 1;
                                let lab = label(fmt, text, c);
                                if !lab.is_empty() && !line.trim().is_empty() {
                                    line = format!("{lab} {}", line.trim_start());
                                }
                            }
                        }
                        if skip_note {
                            continue;
                        }
                        if let Some(cell) = cell_paras.last_mut() {
                            cell.push(line);
                        } else if !line.trim().is_empty() {
                            out.push_str(line.trim_end());
                            out.push('\n');
                        }
                    }
                    b"tc" => {
                        let cell = cell_paras.pop().unwrap_or_default();
                        let joined = cell.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
                        if let Some(row) = cells.last_mut() {
                            row.push(joined);
                        } else if let Some(outer) = cell_paras.last_mut() {
                            outer.push(joined);
                        }
                    }
                    b"tr" => {
                        let row = cells.pop().unwrap_or_default();
                        let line = row.join("\t");
                        // A table nested in a cell flows into that cell.
                        if let Some(cell) = cell_paras.last_mut() {
                            cell.push(line);
                        } else if !line.trim().is_empty() {
                            out.push_str(line.trim_end());
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) if in_text => para.push_str(&text_of(&ev)),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Reads a DOCX's text: one page, body and furniture.
pub fn read_docx(bytes: &[u8], limits: &DocxLimits) -> Result<PdfText, DocxError> {
    let mut zip = Zip::open(bytes, limits)?;
    let mut budget = limits.max_inflated_bytes;
    let doc = zip
        .read("word/document.xml", &mut budget)?
        .ok_or_else(|| DocxError::NotDocx("a ZIP without word/document.xml (not a Word document)".into()))?;
    let numbering = match zip.read("word/numbering.xml", &mut budget)? {
        Some(x) => read_numbering(&x, limits),
        None => Numbering::new(),
    };
    let mut body = part_text(&doc, &numbering, limits, false)?;
    for notes in ["word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(x) = zip.read(notes, &mut budget)? {
            let t = part_text(&x, &numbering, limits, true)?;
            if !t.trim().is_empty() {
                body.push('\n');
                body.push_str(&t);
            }
        }
    }
    let mut furniture = String::new();
    let parts: Vec<String> = zip.names().into_iter().filter(|n| (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")).collect();
    for p in parts {
        if let Some(x) = zip.read(&p, &mut budget)? {
            furniture.push_str(&part_text(&x, &numbering, limits, false)?);
        }
    }
    use unicode_normalization::UnicodeNormalization;
    let body: String = body.nfc().collect();
    let furniture: String = furniture.nfc().collect();
    Ok(PdfText { pages: vec![PageText { body, furniture, image_only: false }] })
}

/// A minimal DOCX holding `paragraphs` (one `w:p` each, XML-escaped): how
/// the project makes its DOCX samples and test files.
pub fn write_docx(paragraphs: &[&str]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let body: String = paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", esc(p))).collect();
    let doc = format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#);
    zip(&[("[Content_Types].xml", b"<Types/>", false), ("word/document.xml", doc.as_bytes(), true)])
}

/// A minimal ZIP writer (stored or deflated entries, no CRC: readers of
/// this crate do not check it), for [`write_docx`] and the tests.
pub fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, deflate) in entries {
        let body = if *deflate {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        } else {
            data.to_vec()
        };
        let method: u16 = if *deflate { 8 } else { 0 };
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let crc = crc.sum().to_le_bytes();
        let offset = out.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&[20, 0, 0, 0]);
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // time, date
        out.extend_from_slice(&crc);
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&body);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0; 4]);
        central.extend_from_slice(&crc);
        central.extend_from_slice(&(body.len() as u32).to_le_bytes());
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}


#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    pub fn docx(body_xml: &str) -> Vec<u8> {
        let doc = format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body_xml}</w:body></w:document>"#);
        let numbering = format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
        );
        let header = format!(r#"<w:hdr {W}><w:p><w:r><w:t>ACCORD – en-tête</w:t></w:r></w:p></w:hdr>"#);
        let notes = format!(r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>---</w:t></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Article L. 1222-9 du code du travail.</w:t></w:r></w:p></w:footnote></w:footnotes>"#);
        zip(&[
            ("[Content_Types].xml", b"<Types/>", false),
            ("word/document.xml", doc.as_bytes(), true),
            ("word/numbering.xml", numbering.as_bytes(), true),
            ("word/header1.xml", header.as_bytes(), true),
            ("word/footnotes.xml", notes.as_bytes(), false),
        ])
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_tables_lists_headers_footnotes() {
        let body = format!(
            "{}{}<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>premier point</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>second</w:t></w:r></w:p><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr><w:r><w:t>puce</w:t></w:r></w:p><w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}{}</w:tc></w:tr></w:tbl>",
            p("Article 1 – Télétravail"),
            p("Deux jours&#160;par semaine &amp; plus."),
            p("Jours"),
            p("2"),
            p("par semaine")
        );
        let t = read_docx(&docx(&body), &DocxLimits::default()).unwrap();
        let page = &t.pages[0];
        assert_eq!(
            page.body,
            "Article 1 – Télétravail\nDeux jours\u{a0}par semaine & plus.\n1. premier point\n2. second\n– puce\nJours\t2 par semaine\n\nArticle L. 1222-9 du code du travail.\n"
        );
        assert!(page.furniture.contains("en-tête"));
    }

    #[test]
    fn hostile_and_broken_files() {
        let lim = DocxLimits::default();
        assert!(matches!(read_docx(b"", &lim), Err(DocxError::Empty)));
        assert!(matches!(read_docx(b"%PDF-1.7 not a zip", &lim), Err(DocxError::NotDocx(_))));
        let good = docx(&p("texte"));
        assert!(read_docx(&good[..good.len() / 2], &lim).is_err());
        assert!(matches!(read_docx(&zip(&[("a.txt", b"x", false)]), &lim), Err(DocxError::NotDocx(_))));
        // A bomb: 50 MB of zeros deflate to a few KB.
        let zeros = vec![b'0'; 50 << 20];
        let bomb = zip(&[("word/document.xml", &zeros, true)]);
        assert!(bomb.len() < 1 << 20);
        let small = DocxLimits { max_inflated_bytes: 10 << 20, ..lim };
        assert!(matches!(read_docx(&bomb, &small), Err(DocxError::Limit(_))));
        // Malformed and deeply nested XML.
        let bad = zip(&[("word/document.xml", b"<w:document><w:body><w:p>", false)]);
        assert!(read_docx(&bad, &lim).map(|t| t.pages[0].body.is_empty()).unwrap_or(true));
        let deep = format!("<a>{}</a>", "<b>".repeat(10_000));
        assert!(matches!(read_docx(&zip(&[("word/document.xml", deep.as_bytes(), false)]), &lim), Err(DocxError::Limit(_))));
        // A stored entry whose bytes changed fails its CRC check.
        let body = format!(r#"<w:document {W}><w:body>{}</w:body></w:document>"#, p("texte intact"));
        let stored = zip(&[("word/document.xml", body.as_bytes(), false)]);
        let at = stored.windows(6).position(|w| w == b"intact").unwrap();
        let mut damaged = stored.clone();
        damaged[at] = b'X';
        assert!(read_docx(&stored, &lim).is_ok());
        assert!(matches!(read_docx(&damaged, &lim), Err(DocxError::Malformed(m)) if m.contains("word/document.xml")), "{:?}", read_docx(&damaged, &lim));
        // Flipped bytes: an error or a text, never a panic.
        for i in (0..good.len()).step_by(7) {
            let mut m = good.clone();
            m[i] ^= 0x5a;
            let _ = read_docx(&m, &lim);
        }
    }
}
