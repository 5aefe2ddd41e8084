//! Checks the JSON Lines files of run outputs against the contract's row
//! types (`src/output/schema.rs`, from which `schema/` is derived): every
//! line must read into its type, with no unknown field.
//!
//!     cargo run --release --example validate_outputs -- OUT_DIR...
//!
//! Prints one line per file and every line that does not fit
//! (`file:line: what`); exits 1 when one does not, 2 on bad arguments.

use starfinder::output::schema::check_line;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: validate_outputs OUT_DIR...");
        return ExitCode::from(2);
    }
    let mut bad = 0usize;
    for dir in &dirs {
        for file in ["agreements.jsonl", "clauses.jsonl", "companies.jsonl"] {
            let path = std::path::Path::new(dir).join(file);
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{}: cannot read: {e}", path.display());
                    return ExitCode::from(2);
                }
            };
            let mut lines = 0;
            for (n, line) in text.lines().enumerate() {
                lines += 1;
                if let Err(e) = check_line(file, line) {
                    bad += 1;
                    eprintln!("{}:{}: {e}", path.display(), n + 1);
                }
            }
            println!("{}: {lines} lines checked", path.display());
        }
    }
    println!("{bad} lines do not fit the contract");
    if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
