//! `cimsim validate`: checks scenario files and built-in names, reporting
//! every problem with its place. Exit 1 if any file has problems, 2 if a
//! file cannot be read.

use std::path::PathBuf;

use clap::Args;

use super::output::{Failure, data, error, report_problems};
use cimsim::scenario;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files (`.ron` or containing `/`) or built-in names.
    #[arg(required = true, value_name = "FILE|NAME")]
    pub files: Vec<PathBuf>,
}

pub fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let mut unreadable = false;
    let mut failed = false;
    for file in &args.files {
        let arg = file.to_string_lossy();
        let source = match scenario::read_source(&arg) {
            Ok(s) => s,
            Err(e) => {
                error(&e.to_string());
                unreadable = true;
                continue;
            }
        };
        match scenario::load(source.clone()) {
            Ok(_) => data(&format!("{arg}: ok\n"))?,
            Err(problems) => {
                failed = true;
                report_problems(&source, &problems);
                if scenario::unsupported_version(&problems) {
                    unreadable = true;
                }
                let n = cimsim::report::text::count(problems.len() as u64, "problem", "problems");
                data(&format!("{arg}: {n}\n"))?;
            }
        }
    }
    if unreadable {
        Err(Failure::Input("some files could not be read".to_string()))
    } else if failed {
        Err(Failure::Check)
    } else {
        Ok(())
    }
}
