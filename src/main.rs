//! The `cimsim` binary: the command line over the library. `cli` parses,
//! dispatches, reads and writes files and prints; everything it runs lives
//! in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
