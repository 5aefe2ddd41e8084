//! One module per subcommand, each `pub fn run(args) -> anyhow::Result<ExitCode>`.
//! The road of one document is the library's [`crate::pipeline`].

pub mod explain;
pub mod extract;
pub mod merge;
pub mod report;
pub mod rules;
pub mod run;
