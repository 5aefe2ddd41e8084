//! PDF bytes -> pages of text, on lopdf's object model.
//!
//! This is the boundary the rest of the pipeline relies on: [`extract`] takes
//! the raw bytes of one file and returns one [`PageText`] per physical page.
//! Everything else (clauses, rules, evidence offsets) counts characters into
//! `PageText::body`, so the body text must be stable for a given input.

use thiserror::Error;

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
        return Err(PdfError::NotPdf("no %PDF- header in the first 1024 bytes".into()));
    }
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| PdfError::Malformed(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let mut pages = Vec::new();
    for (n, _id) in doc.get_pages().into_iter().take(limits.max_pages) {
        let body = doc.extract_text(&[n]).unwrap_or_default();
        let image_only = body.trim().is_empty();
        pages.push(PageText { body, furniture: String::new(), image_only });
    }
    Ok(PdfText { pages })
}
