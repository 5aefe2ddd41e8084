//! `starfinder extract FILE`: a PDF's text, pages separated by form feeds.

use crate::cli::ExtractArgs;
use crate::pdf::Limits;
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let is_docx = args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let text = if is_docx {
        crate::pipeline::docx_guarded(&bytes)
    } else {
        crate::pipeline::extract_guarded(&bytes, &Limits::default())
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("starfinder: {}: {e} ({})", args.file.display(), e.kind());
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for p in &text.pages {
        out.write_all(p.body.as_bytes())?;
        if args.furniture && !p.furniture.is_empty() {
            out.write_all(b"\n")?;
            out.write_all(p.furniture.as_bytes())?;
        }
        out.write_all(b"\x0c")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
