//! cimsim: a crisis-management tabletop simulation engine.
//!
//! Agencies send crews to restore services in the districts of a liberated
//! city, households decide whether to return, and the engine scores how well
//! the agencies cooperated. `docs/ARCHITECTURE.md` is the map; the modules are:
//!
//! - [`scenario`]: the RON scenario format, built-in scenarios, validation;
//! - [`sim`]: the bevy_ecs world and its schedule (no IO, no clock);
//! - [`score`]: outcome metrics and the ledger of what agencies did;
//! - [`record`]: recorded runs: the versioned file format, verification, inputs;
//! - [`report`]: everything a finished run is turned into: the JSON document, the
//!   CSV, the summary, the after-action report and the consoles' text;
//! - [`round`]: the six-decimal rounding of every float written to a file;
//! - [`hash`]: content hashes, digests and keyed random numbers;
//! - [`exercise`]: a live tabletop exercise, its commands and its journal;
//! - [`untrusted`]: one entry point per decoder of untrusted input, for fuzzing.
//!
//! The command line (`src/cli`, clap, the terminal, every file read and
//! written) is the `cimsim` binary's, behind the default `cli` feature: a
//! library user that turns default features off does not build it.

/// This build's identity: the package version with, as build metadata, a
/// hash of every source that decides results (`build.rs`). Recordings,
/// compare parts and JSON documents carry it; two builds that differ in
/// their rules differ in it even when `Cargo.toml` says the same version.
pub const ENGINE_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+rules.", env!("CIMSIM_RULES_HASH"));

pub mod compare;
pub mod exercise;
pub mod hash;
pub mod record;
pub mod report;
pub mod round;
pub mod scenario;
pub mod score;
pub mod sim;
pub mod untrusted;
