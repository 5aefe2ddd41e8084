//! The command line, with clap derive: every flag has a doc line, which is
//! what `--help` prints.

use crate::output::CsvDialect;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "starfinder", version, about = "Quality-of-work-life indicators from French company agreements, each backed by its clause.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read agreements and write the output files (agreements, clauses, companies, errors, run.json).
    Run(RunArgs),
    /// Print the text of a PDF, pages separated by form feeds, like pdftotext.
    Extract(ExtractArgs),
    /// Check or test rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write the static site of company pages (stars, indicators, evidence) from a run's output folder.
    Report(ReportArgs),
    /// Combine the outputs of sharded runs into the files one run would have written.
    Merge(MergeArgs),
    /// Show, for a reviewer, each indicator of one agreement with its clause, excerpt and rule, and the near misses.
    Explain(ExplainArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Agreement files or folders (searched recursively for .pdf).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Folder to write the output files into (created if missing).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Rules folder replacing the built-in rules.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Worker threads (default: the number of cores).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// No progress bar and no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// CSV dialect: `standard` (comma) or `excel-fr` (semicolon, BOM, decimal comma).
    #[arg(long, value_enum, default_value_t = CsvDialect::Standard)]
    pub csv_dialect: CsvDialect,
    /// Cache folder for incremental runs (default: OUT/.cache).
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Recompute every document, ignoring what the cache holds.
    #[arg(long)]
    pub force: bool,
    /// Reviewers' decisions to apply (CSV: sha256,indicator,decision,value,reviewer,date,comment).
    #[arg(long)]
    pub reviews: Option<PathBuf>,
    /// Process only share K of N of the inputs (K from 1 to N), for a run split over machines; see `merge`.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<Shard>,
}

/// Share K of N (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s.split_once('/').ok_or_else(|| format!("`{s}`: expected K/N, e.g. 2/8"))?;
    let k: u32 = k.trim().parse().map_err(|_| format!("`{s}`: K is not a whole number"))?;
    let n: u32 = n.trim().parse().map_err(|_| format!("`{s}`: N is not a whole number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("`{s}`: K must be from 1 to N, and N at least 1"));
    }
    Ok(Shard { k, n })
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The output folder of a run.
    pub out_dir: PathBuf,
    /// Folder to write the site into (index.html and entreprises/).
    #[arg(long)]
    pub html: PathBuf,
    /// Where the source documents are, as a URL or path prefix for the links (default: relative to the current folder, where the run ran).
    #[arg(long)]
    pub docs_base: Option<String>,
    /// No summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Output folders of the shards (`run --shard K/N --out DIR`).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Folder to write the merged files into.
    #[arg(long, short)]
    pub out: PathBuf,
    /// CSV dialect of the merged files (as `run`).
    #[arg(long, value_enum, default_value_t = CsvDialect::Standard)]
    pub csv_dialect: CsvDialect,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The PDF file.
    pub file: PathBuf,
    /// Also print running headers, footers and page numbers after each page's body.
    #[arg(long)]
    pub furniture: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Parse and validate rule files; report every error with file, line and reason (exit 2 on error).
    Check {
        /// Rules folder (default: the built-in rules).
        dir: Option<PathBuf>,
    },
    /// Run every rule's examples and counter-examples (exit 1 when one fails).
    Test {
        /// Rules folder (default: the built-in rules).
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The agreement: a PDF, or a UTF-8 `.txt` (pages separated by form feeds).
    pub file: PathBuf,
    /// Only this indicator (or metadata field).
    #[arg(long)]
    pub indicator: Option<String>,
    /// `text` for a person, `json` for a program.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Rules folder replacing the built-in rules.
    #[arg(long)]
    pub rules: Option<PathBuf>,
}
