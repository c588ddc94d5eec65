//! The command line: clap arguments, validated configurations, one file per
//! command. The only module that reads files, writes files and prints.
//!
//! Conventions (DESIGN 2 and 7): data on stdout, diagnostics and progress on
//! stderr; exit 0 on success, 1 when a check failed, 2 on a usage or input
//! error; a broken pipe on stdout ends the program quietly with 0.

mod compare;
mod graph;
mod memory;
mod output;
mod play;
mod replay;
mod report;
mod run;
mod scenarios;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use output::Failure;

/// Crisis-management tabletop simulation: ministries restore services to a
/// liberated city while its displaced people decide whether to go home.
#[derive(Debug, Parser)]
#[command(name = "cimsim", version = cimsim::ENGINE_VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one seeded simulation to the scenario's end and print a summary.
    Run(run::RunArgs),
    /// Compare strategies over many seeded runs: means, 95 % intervals,
    /// paired differences and a ranking.
    Compare(compare::CompareArgs),
    /// Combine the partial results of a sharded `compare`.
    Merge(compare::MergeArgs),
    /// Verify a recorded run day by day and show its timeline, the situation
    /// at a day (--at), or a what-if branch (--branch).
    Replay(replay::ReplayArgs),
    /// Write the after-action report of a recorded run: one self-contained
    /// HTML page with charts, capability ratings, strengths and areas for
    /// improvement (or Markdown with --format md).
    Report(report::ReportArgs),
    /// Run a live tabletop exercise: players order their ministries'
    /// crews, the facilitator injects events and advances the clock; every
    /// command is journaled (resume with --resume JOURNAL).
    Play(play::PlayArgs),
    /// Check scenario files (or built-in names) and report every problem.
    Validate(validate::ValidateArgs),
    /// Draw a scenario's dependency graph (assets, what each needs, who
    /// repairs it, the districts it serves) as Graphviz DOT or SVG.
    Graph(graph::GraphArgs),
    /// List the built-in scenarios.
    Scenarios,
}

/// Parses the command line, runs the command, and maps the outcome to an
/// exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Merge(args) => compare::merge(args),
        Command::Replay(args) => replay::replay(args),
        Command::Report(args) => report::report(args),
        Command::Play(args) => play::play(args),
        Command::Validate(args) => validate::validate(args),
        Command::Graph(args) => graph::graph(args),
        Command::Scenarios => scenarios::list(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Check) => ExitCode::from(1),
        Err(Failure::Input(message)) => {
            output::error(&message);
            ExitCode::from(2)
        }
    }
}
