//! What the consoles print: `cimsim replay`'s timeline, situation and branch
//! comparison (`replay.rs`) and the `cimsim play` facilitator's turn report
//! and status details (`play.rs`). Rendered into strings; `cli` prints them.

pub mod play;
pub mod replay;
