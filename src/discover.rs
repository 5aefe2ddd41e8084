//! Inputs: files and folders -> a sorted, de-duplicated list of documents.
//!
//! Folders are walked recursively for the types the tool reads; files named
//! explicitly are always kept, so that one of an unreadable type becomes an
//! error row instead of silently vanishing from the night's output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What a document is, by its name or, for a file named explicitly, its
/// first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pdf,
    /// A Word document (.docx), as in the ACCO deliveries.
    Docx,
    /// An ACCO delivery (`ACCO_*.tar.gz`): many agreements.
    AccoArchive,
    /// Plain UTF-8 text, pages separated by form feeds: only `explain`
    /// takes it, so analysts can try rules on a text they paste.
    Text,
    /// Named explicitly but of no type the tool reads.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The input argument joined with the path below it, `/`-separated.
    pub path: String,
    pub fs_path: PathBuf,
    pub kind: DocKind,
    /// Size and modification time (ns) when the file was found, for the
    /// cache's index: one stat per file serves the whole run.
    pub stamp: Option<(u64, i128)>,
}

fn stamp_of(m: &std::fs::Metadata) -> Option<(u64, i128)> {
    let t = m.modified().ok()?;
    let ns = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    };
    Some((m.len(), ns))
}

#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("input path does not exist: {0}")]
    Missing(String),
    #[error("cannot read folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
}

/// Folders nested deeper than this are not walked (a symlink loop, or a
/// hostile tree).
const MAX_DEPTH: usize = 64;

fn is_pdf_name(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// The kind a folder's file is read as, by its name; `None`: not read.
/// Word's lock files (`~$name.docx`) are not documents.
fn kind_by_name(p: &Path) -> Option<DocKind> {
    let name = p.file_name().and_then(|n| n.to_str())?;
    if crate::acco::is_archive_name(name) {
        return Some(DocKind::AccoArchive);
    }
    let ext = p.extension().and_then(|e| e.to_str())?;
    if ext.eq_ignore_ascii_case("pdf") {
        Some(DocKind::Pdf)
    } else if ext.eq_ignore_ascii_case("docx") && !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("~$")) {
        Some(DocKind::Docx)
    } else {
        None
    }
}

fn sniff(p: &Path) -> DocKind {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(p).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    if head[..n].windows(5).any(|w| w == b"%PDF-") { DocKind::Pdf } else { DocKind::Unsupported }
}

fn kind_of_file(p: &Path) -> DocKind {
    match kind_by_name(p) {
        Some(k) => k,
        None if !is_pdf_name(p) => sniff(p),
        None => DocKind::Pdf,
    }
}

fn join(base: &str, rel: &str) -> String {
    let base = base.replace('\\', "/");
    let base = base.trim_end_matches('/');
    if base.is_empty() { format!("/{rel}") } else { format!("{base}/{rel}") }
}

fn walk(dir: &Path, shown: &str, depth: usize, out: &mut Vec<Input>, warnings: &mut Vec<String>, linked: &mut bool) -> Result<(), DiscoverError> {
    if depth > MAX_DEPTH {
        warnings.push(format!("{shown}: folders nested deeper than {MAX_DEPTH} levels are not read"));
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|source| DiscoverError::Folder { path: shown.to_string(), source })?;
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        let sub = join(shown, &name);
        if e.file_type().is_ok_and(|t| t.is_symlink()) {
            *linked = true;
        }
        let Ok(meta) = std::fs::metadata(&p) else {
            warnings.push(format!("{sub}: cannot read (broken link?), skipped"));
            continue;
        };
        if meta.is_dir() {
            if let Err(err) = walk(&p, &sub, depth + 1, out, warnings, linked) {
                warnings.push(err.to_string());
            }
        } else if meta.is_file() {
            if let Some(kind) = kind_by_name(&p) {
                out.push(Input { path: sub, fs_path: p, kind, stamp: stamp_of(&meta) });
            }
        }
    }
    Ok(())
}

/// What makes two paths the same file: device and inode where there are
/// such (one stat, no link resolution per path component), else the
/// canonical path.
#[cfg(unix)]
fn file_identity(p: &Path) -> (u64, u64, PathBuf) {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(p) {
        Ok(m) => (m.dev(), m.ino(), PathBuf::new()),
        Err(_) => (0, 0, p.to_path_buf()),
    }
}

#[cfg(not(unix))]
fn file_identity(p: &Path) -> (u64, u64, PathBuf) {
    (0, 0, std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// Finds the documents under the given paths, sorted bytewise by `path`.
/// A path that does not exist is an error; unreadable sub-folders are
/// warnings.
pub fn discover(args: &[PathBuf]) -> Result<(Vec<Input>, Vec<String>), DiscoverError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    // Two arguments or a link can reach a file twice; one folder without
    // links cannot, and then its files need no identity check.
    let mut linked = args.len() > 1;
    for a in args {
        let shown = a.to_string_lossy().replace('\\', "/");
        let meta = std::fs::metadata(a).map_err(|_| DiscoverError::Missing(shown.clone()))?;
        if meta.is_dir() {
            walk(a, &shown, 0, &mut out, &mut warnings, &mut linked)?;
        } else {
            let kind = kind_of_file(a);
            out.push(Input { path: shown, fs_path: a.clone(), kind, stamp: stamp_of(&meta) });
        }
    }
    out.sort_by(|x, y| x.path.as_bytes().cmp(y.path.as_bytes()));
    // One row per file, however it was reached (two arguments, a link).
    if linked {
        let mut seen = BTreeSet::new();
        out.retain(|i| seen.insert(file_identity(&i.fs_path)));
    }
    Ok((out, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorts_and_dedups() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::fs::write(d.path().join("b.PDF"), b"%PDF-1.4").unwrap();
        std::fs::write(d.path().join("a.pdf"), b"%PDF-1.4").unwrap();
        std::fs::write(d.path().join("sub/c.pdf"), b"%PDF-1.4").unwrap();
        std::fs::write(d.path().join("notes.txt"), b"x").unwrap();
        let root = d.path().to_path_buf();
        let (inputs, _) = discover(&[root.clone(), root.join("a.pdf")]).unwrap();
        let names: Vec<_> = inputs.iter().map(|i| i.path.rsplit('/').next().unwrap().to_string()).collect();
        assert_eq!(names, ["a.pdf", "b.PDF", "c.pdf"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_through_a_link_is_one_document() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("real")).unwrap();
        std::fs::write(d.path().join("real/a.pdf"), b"%PDF-1.4").unwrap();
        std::os::unix::fs::symlink(d.path().join("real"), d.path().join("alias")).unwrap();
        let (inputs, _) = discover(&[d.path().to_path_buf()]).unwrap();
        assert_eq!(inputs.len(), 1, "{inputs:?}");
        assert!(inputs[0].stamp.is_some());
    }

    #[test]
    fn missing_path_is_an_error() {
        assert!(matches!(discover(&[PathBuf::from("/no/such/path/x")]), Err(DiscoverError::Missing(_))));
    }

    #[test]
    fn explicit_files_are_sniffed() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("scan.bin");
        let b = d.path().join("notes.txt");
        std::fs::write(&a, b"%PDF-1.7\n").unwrap();
        std::fs::write(&b, b"hello").unwrap();
        let (inputs, _) = discover(&[a, b]).unwrap();
        assert_eq!(inputs.iter().map(|i| i.kind).collect::<Vec<_>>(), [DocKind::Unsupported, DocKind::Pdf]);
    }
}
