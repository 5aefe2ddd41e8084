//! Star finder reads French company agreements (accords d'entreprise) and
//! turns them into quality-of-work-life indicators, each backed by the
//! clause it came from.
//!
//! The modules follow the pipeline, in the order data flows through it:
//! [`discover`] -> [`pdf`] -> [`text`] -> [`segment`] -> [`rules`] ->
//! [`indicators`] -> [`output`]; [`cmd`] holds one module per subcommand.

pub mod acco;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod discover;
pub mod docx;
pub mod indicators;
pub mod output;
pub mod report;
pub mod reviews;
pub mod pdf;
pub mod rules;
pub mod segment;
pub mod spec;
pub mod text;
