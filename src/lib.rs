//! Star finder reads French company agreements (accords d'entreprise) and
//! turns them into quality-of-work-life indicators, each backed by the
//! clause it came from.
//!
//! The modules follow the pipeline, in the order data flows through it:
//! [`discover`] -> [`pdf`] / [`docx`] / [`acco`] -> [`text`] -> [`segment`]
//! -> [`rules`] -> [`indicators`] -> [`output`]. [`pipeline`] is the road of
//! one document through them (bytes in, record out, panics contained);
//! [`values`] (French numbers, dates, amounts) is a leaf that rules and
//! indicators both read; [`cmd`] holds one module per subcommand and nothing
//! outside it depends on it.

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
pub mod pipeline;
pub mod report;
pub mod reviews;
pub mod pdf;
pub mod rules;
pub mod segment;
pub mod spec;
pub mod text;
pub mod values;
