//! One module per subcommand, each `pub fn run(args) -> anyhow::Result<ExitCode>`,
//! plus [`document`], the road of one document shared by `run` and `explain`.

pub mod document;
pub mod explain;
pub mod extract;
pub mod merge;
pub mod report;
pub mod rules;
pub mod run;

use crate::rules::{RuleDefs, RuleSet};
use std::path::Path;

/// Loads and compiles the rules of `dir`, or the built-in ones. Errors are
/// every problem found, one per line, with file and line.
pub fn load_rules(dir: Option<&Path>) -> Result<RuleSet, crate::rules::RuleErrors> {
    let defs: RuleDefs = match dir {
        Some(d) => crate::rules::load_dir(d)?,
        None => crate::rules::builtin()?,
    };
    RuleSet::new(defs)
}
