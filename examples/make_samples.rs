//! Renders samples/src/*.txt into samples/*.pdf (and `NAME.docx.txt` into
//! samples/NAME.docx), the small agreements the README and the tests use. The texts are the project's own (invented
//! companies; SIREN and SIRET pass the Luhn check).
//!
//!     cargo run --example make_samples
//!
//! The PDFs are simple on purpose (Helvetica, WinAnsi, one line per text
//! operator, a "Page N sur M" footer) and deterministic: the same texts give
//! the same bytes, so regenerating them changes nothing unless a text did.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;

const WIDTH: usize = 92;
const LINES_PER_PAGE: usize = 50;

/// Wraps a paragraph at `WIDTH` characters, on spaces.
fn wrap(par: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for w in par.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > WIDTH {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut srcs: Vec<_> = std::fs::read_dir(dir.join("src"))?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    srcs.sort();
    for src in srcs {
        let text = std::fs::read_to_string(&src)?;
        let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("sample");
        if let Some(name) = stem.strip_suffix(".docx") {
            let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let out = dir.join(format!("{name}.docx"));
            std::fs::write(&out, starfinder::docx::write_docx(&paragraphs))?;
            println!("{}", out.display());
            continue;
        }
        let mut lines = Vec::new();
        for par in text.lines() {
            if par.trim().is_empty() {
                lines.push(String::new());
            } else {
                lines.extend(wrap(par));
            }
        }
        let mut pages: Vec<Vec<String>> = lines.chunks(LINES_PER_PAGE).map(|c| c.to_vec()).collect();
        let n = pages.len();
        for (i, p) in pages.iter_mut().enumerate() {
            p.push(String::new());
            p.push(format!("Page {} sur {n}", i + 1));
        }
        let out = dir.join(format!("{stem}.pdf"));
        std::fs::write(&out, common::pdf(&pages))?;
        println!("{} ({n} pages)", out.display());
    }
    Ok(())
}
