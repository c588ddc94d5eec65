//! The integration tests: one binary, one module per concern, shared helpers
//! in `common`.

mod cli;
mod common;
mod compare;
mod cooperation;
mod determinism;
mod engine;
mod fuzz_corpus;
mod homes;
mod limits;
mod mosul;
mod play;
mod properties;
mod replay;
mod report;
mod shards;
mod sizes;
mod tidy;
mod validate;
mod words;
