//! Star finder reads French company agreements (accords d'entreprise) and
//! turns them into quality-of-work-life indicators, each backed by the
//! clause it came from.
//!
//! The modules follow the pipeline, in the order data flows through it:
//! [`discover`] -> [`pdf`] -> [`text`] -> [`segment`] -> [`rules`] ->
//! [`indicators`] -> [`output`]; [`cmd`] holds one module per subcommand.

// A byte index computed into a `&str` (a window before a match, a cap) can
// fall inside a character and panic; every slice of text goes through
// `text::slice`, which rounds to a character boundary.
#![deny(clippy::string_slice)]

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
