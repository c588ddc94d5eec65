//! Everything a finished run is turned into for people and tools, laid out
//! by what a reader looks for:
//!
//! - [`document`]: the run document, [`RunReport`] (the JSON of
//!   `cimsim run --json`), its schema and its scoring against the
//!   references;
//! - [`csv`]: the daily series of `cimsim run --csv`;
//! - [`text`]: the text summary `cimsim run` prints and the number formats
//!   every text report shares;
//! - [`aar`]: the after-action report of `cimsim report`, one document
//!   rendered as HTML and as Markdown;
//! - [`console`]: what the `cimsim replay` and `cimsim play` consoles print;
//! - [`graph`]: the town's dependency graph as DOT and SVG (`cimsim graph`).
//!
//! Everything here renders into strings or writers handed in by `cli`; no
//! file is opened and nothing is printed here. Timings never appear in these
//! outputs, so equal runs give byte-identical JSON and CSV.

pub mod aar;
pub mod console;
pub mod csv;
pub mod document;
pub mod graph;
pub mod text;

pub use csv::write_csv;
pub use document::{RunReport, SCHEMA_VERSION};
pub use text::summary_text;
