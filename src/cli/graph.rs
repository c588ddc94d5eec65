//! `cimsim graph`: the dependency graph of a scenario (every asset, what it
//! needs, who repairs it, the districts it serves) as Graphviz DOT and SVG,
//! so an author can see the town they wrote.

use std::path::PathBuf;

use clap::Args;

use super::output::{Failure, data, note, prepare_output, write_atomically};
use super::run::load_scenario;
use cimsim::report::graph;
use cimsim::scenario::{self, graph::DependencyGraph};

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A built-in scenario name or a path to a `.ron` file.
    #[arg(value_name = "SCENARIO", default_value = scenario::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Write the graph as Graphviz DOT to FILE (`dot -Tpng FILE` draws it).
    #[arg(long, value_name = "FILE")]
    pub dot: Option<PathBuf>,
    /// Write the graph as a self-contained SVG picture to FILE.
    #[arg(long, value_name = "FILE.svg")]
    pub svg: Option<PathBuf>,
}

pub fn graph(args: GraphArgs) -> Result<(), Failure> {
    for path in [&args.dot, &args.svg].into_iter().flatten() {
        prepare_output(path)?;
    }
    let loaded = load_scenario(&args.scenario)?;
    let g = DependencyGraph::of(&loaded.scenario);
    let dot = graph::dot(&g);
    if let Some(path) = &args.svg {
        let svg = graph::svg(&g);
        write_atomically(path, |w| w.write_all(svg.as_bytes()))?;
        note(&format!("wrote {}", path.display()));
    }
    match &args.dot {
        Some(path) => {
            write_atomically(path, |w| w.write_all(dot.as_bytes()))?;
            note(&format!("wrote {}", path.display()));
            Ok(())
        }
        // Without --dot the DOT text is the command's data.
        None if args.svg.is_none() => data(&dot),
        None => Ok(()),
    }
}
