//! `starfinder report OUT_DIR --html SITE_DIR`: the company pages.

use crate::cli::ReportArgs;
use crate::report::{self, DocsBase};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // The run's paths are relative to where it ran; assume this is the same
    // folder, and link from the site back to it.
    let docs = match &args.docs_base {
        Some(b) => DocsBase::Prefix(b.clone()),
        None => {
            let site = std::path::absolute(&args.html)?;
            let depth = site.components().count();
            let cwd = std::env::current_dir()?;
            // From SITE/entreprises/ up to the root, then down to the cwd.
            let up = "../".repeat(depth);
            DocsBase::Relative(std::path::PathBuf::from(format!("{up}{}", cwd.to_string_lossy().trim_start_matches('/'))))
        }
    };
    match report::build(&args.out_dir, &args.html, &docs) {
        Ok(s) => {
            if !args.quiet {
                eprintln!(
                    "starfinder: {} company pages and an index in {} ({:.2} s, largest page {} KB)",
                    s.companies,
                    args.html.display(),
                    started.elapsed().as_secs_f64(),
                    s.largest_page.div_ceil(1024)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("starfinder: error: {e}");
            Ok(ExitCode::from(2))
        }
    }
}
