//! PDF bytes -> pages of text, on lopdf's object model.
//!
//! This is the boundary the rest of the pipeline relies on: [`extract`] takes
//! the raw bytes of one file and returns one [`PageText`] per physical page.
//! Everything else (clauses, rules, evidence offsets) counts characters into
//! `PageText::body`, so the body text must be stable for a given input.
//!
//! lopdf loads the file (xref tables and streams, object streams,
//! incremental updates, rebuilt xrefs, empty-password decryption); the text
//! layer is ours, in the order data flows:
//!
//! - `lexer`: content-stream tokens, with no recursion and bounded operands;
//! - `content`: the interpreter (text state, CTM, Form XObjects, annotation
//!   appearances, /ActualText) emitting positioned glyphs;
//! - `fonts`, `cmap`, `encodings`, `glyphlist`: codes -> Unicode and widths;
//! - `layout`: glyphs -> words -> lines -> reading order, running headers and
//!   footers across pages, line-end hyphenation.
//!
//! All work is charged to a per-document `Budget` (operators, decompressed
//! bytes) and every recursion has its own depth counter, so hostile input
//! ends in [`PdfError::Limit`] rather than a hang or a stack overflow.

use lopdf::{Dictionary, Document, Object, ObjectId};
use thiserror::Error;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

mod cmap;
mod content;
mod encodings;
mod fonts;
mod glyphlist;
mod layout;
mod lexer;

/// Work limits for one document. They are counted in work (bytes, objects,
/// operators), never in wall-clock time, so a row never depends on the
/// machine's load.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Total decompressed stream bytes the extractor may read.
    pub max_decompressed_bytes: usize,
    /// Most pages read from one document.
    pub max_pages: usize,
    /// Content-stream operators executed over the whole document.
    pub max_operators: usize,
    /// Nesting of Form XObjects, arrays and dictionaries.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 << 20,
            max_decompressed_bytes: 1 << 30,
            max_pages: 5_000,
            max_operators: 50_000_000,
            max_depth: 32,
        }
    }
}

/// The text of one physical page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageText {
    /// Body text in reading order, NFC, lines separated by `\n`. Running
    /// headers, footers and page numbers are not in it.
    pub body: String,
    /// Running headers, footers and page numbers found on this page.
    pub furniture: String,
    /// The page paints at least one image and has no text.
    pub image_only: bool,
}

/// A document's text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfText {
    pub pages: Vec<PageText>,
}

/// Why a PDF could not be read. `kind()` is the stable short name written
/// to errors.csv.
#[derive(Debug, Error)]
pub enum PdfError {
    #[error("empty file (0 bytes)")]
    Empty,
    #[error("not a PDF: {0}")]
    NotPdf(String),
    #[error("the file needs a password to open")]
    Encrypted,
    #[error("damaged PDF: {0}")]
    Malformed(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}

impl PdfError {
    pub fn kind(&self) -> &'static str {
        match self {
            PdfError::Empty => "empty",
            PdfError::NotPdf(_) => "not_pdf",
            PdfError::Encrypted => "encrypted",
            PdfError::Malformed(_) => "malformed",
            PdfError::Limit(_) => "limit",
        }
    }
}

/// The work still allowed for one document: operators (and operands) run,
/// and stream bytes decompressed. Shared by every page, form and font.
pub(crate) struct Budget {
    ops_left: usize,
    bytes_left: usize,
}

impl Budget {
    #[inline]
    pub(crate) fn op(&mut self) -> Result<(), PdfError> {
        match self.ops_left.checked_sub(1) {
            Some(n) => {
                self.ops_left = n;
                Ok(())
            }
            None => Err(PdfError::Limit("too many content-stream operators".into())),
        }
    }

    /// Decodes a stream, charging its decoded size. A stream whose filter
    /// fails (unknown filter, corrupt data) yields nothing rather than an
    /// error: one bad stream must not cost the rest of the document.
    pub(crate) fn stream(&mut self, s: &lopdf::Stream) -> Result<Vec<u8>, PdfError> {
        let limit_err = || PdfError::Limit("decompressed stream data exceeds the limit".into());
        if self.bytes_left == 0 {
            return Err(limit_err());
        }
        match s.decompressed_content_with_limit(self.bytes_left) {
            Ok(d) => {
                self.bytes_left = self.bytes_left.saturating_sub(d.len());
                Ok(d)
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(limit_err()),
            Err(_) => Ok(Vec::new()),
        }
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(&Object::Null),
        _ => o,
    }
}

/// A page attribute, inherited through `/Parent` (bounded: page trees can
/// have cycles).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..64 {
        if let Ok(o) = d.get(key) {
            return Some(deref(doc, o));
        }
        d = deref(doc, d.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

fn rect(doc: &Document, o: Option<&Object>) -> Option<[f64; 4]> {
    let Some(Object::Array(a)) = o else {
        return None;
    };
    if a.len() != 4 {
        return None;
    }
    let mut r = [0.0; 4];
    for (i, v) in a.iter().enumerate() {
        r[i] = match deref(doc, v) {
            Object::Integer(n) => *n as f64,
            Object::Real(x) => *x as f64,
            _ => return None,
        };
        if !r[i].is_finite() {
            return None;
        }
    }
    Some([
        r[0].min(r[2]),
        r[1].min(r[3]),
        r[0].max(r[2]),
        r[1].max(r[3]),
    ])
}

/// Runs one page: content streams, then annotation appearances.
fn run_page(
    doc: &Document,
    page_id: ObjectId,
    limits: &Limits,
    budget: &mut Budget,
    cache: &mut content::DocCache,
) -> Result<(content::PageOut, layout::Bounds), PdfError> {
    let empty = Dictionary::new();
    let page = doc.get_dictionary(page_id).unwrap_or(&empty);
    let media = rect(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let rotate = match inherited(doc, page, b"Rotate") {
        Some(Object::Integer(n)) => n.rem_euclid(360),
        Some(Object::Real(x)) if x.is_finite() => (*x as i64).rem_euclid(360),
        _ => 0,
    };
    // Rotating the device space makes a /Rotate page read upright.
    let rot: content::Matrix = match (rotate + 45) / 90 % 4 {
        1 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
        2 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        3 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
        _ => content::IDENTITY,
    };
    let corners = [
        (media[0], media[1]),
        (media[2], media[3]),
        (media[0], media[3]),
        (media[2], media[1]),
    ];
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (x, y) in corners {
        let (u, v) = (x * rot[0] + y * rot[2], x * rot[1] + y * rot[3]);
        b = [b[0].min(u), b[1].min(v), b[2].max(u), b[3].max(v)];
    }
    let res = inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());
    let mut data = Vec::new();
    let contents: Vec<&Object> = match page.get(b"Contents").ok().map(|o| deref(doc, o)) {
        Some(Object::Array(a)) => a.iter().take(10_000).map(|o| deref(doc, o)).collect(),
        Some(o) => vec![o],
        None => Vec::new(),
    };
    for c in contents {
        if let Object::Stream(s) = c {
            data.extend_from_slice(&budget.stream(s)?);
            data.push(b'\n');
        }
    }
    let mut it = content::Interp::new(doc, budget, cache, limits.max_depth);
    it.run(&data, res, rot, 0)?;
    it.annotations(page, rot)?;
    Ok((it.out, b))
}

fn nfc(s: String) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// Extracts the text of every page.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::Empty);
    }
    if bytes.len() > limits.max_file_bytes {
        return Err(PdfError::Limit(format!(
            "file is {} bytes, the limit is {}",
            bytes.len(),
            limits.max_file_bytes
        )));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf(
            "no %PDF- header in the first 1024 bytes".into(),
        ));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_decompressed_bytes.min(1usize << 30)),
        ..Default::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            PdfError::Limit(format!("loading the document: {e}"))
        }
        lopdf::Error::InvalidPassword | lopdf::Error::AlreadyEncrypted => PdfError::Encrypted,
        e => PdfError::Malformed(format!("loading the document: {e}")),
    })?;
    // lopdf opens files whose user password is empty by itself; a file that
    // needs a real password keeps its /Encrypt and loads no objects.
    if doc.trailer.has(b"Encrypt") && !doc.was_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let page_ids: Vec<ObjectId> = doc
        .page_iter()
        .take(limits.max_pages.saturating_add(1))
        .collect();
    if page_ids.len() > limits.max_pages {
        return Err(PdfError::Limit(format!(
            "the document has more than {} pages",
            limits.max_pages
        )));
    }
    let mut budget = Budget {
        ops_left: limits.max_operators,
        bytes_left: limits.max_decompressed_bytes,
    };
    let mut cache = content::DocCache::default();
    let mut laid: Vec<Vec<layout::Line>> = Vec::with_capacity(page_ids.len());
    let mut images: Vec<bool> = Vec::with_capacity(page_ids.len());
    for id in page_ids {
        let (out, bounds) = run_page(&doc, id, limits, &mut budget, &mut cache)?;
        let lines = layout::page_lines(&out, bounds);
        images.push(out.painted_image && lines.is_empty());
        laid.push(lines);
    }
    let flags = layout::furniture(&laid);
    let mut compounds = layout::Compounds::new();
    for (lines, fl) in laid.iter().zip(&flags) {
        for (l, f) in lines.iter().zip(fl) {
            if !f {
                layout::collect_compounds(&l.text, &mut compounds);
            }
        }
    }
    let pages = laid
        .iter()
        .zip(flags)
        .zip(images)
        .map(|((lines, fl), image_only)| {
            let body: Vec<&str> = lines
                .iter()
                .zip(&fl)
                .filter(|(_, f)| !**f)
                .map(|(l, _)| l.text.as_str())
                .collect();
            let furn: Vec<&str> = lines
                .iter()
                .zip(&fl)
                .filter(|(_, f)| **f)
                .map(|(l, _)| l.text.as_str())
                .collect();
            let mut furniture = furn.join("\n");
            if !furniture.is_empty() {
                furniture.push('\n');
            }
            PageText {
                body: nfc(layout::body_text(&body, &compounds)),
                furniture: nfc(furniture),
                image_only,
            }
        })
        .collect();
    Ok(PdfText { pages })
}

/// The body text of every page, each followed by a form feed, the way
/// `pdftotext` writes a document.
pub fn extract_to_string(bytes: &[u8], limits: &Limits) -> Result<String, PdfError> {
    let t = extract(bytes, limits)?;
    let mut s = String::new();
    for p in &t.pages {
        s.push_str(&p.body);
        s.push('\x0c');
    }
    Ok(s)
}
