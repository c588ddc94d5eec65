//! Times a built-in scenario at full resolution over its whole horizon and
//! prints the figures `docs/performance.md` reports:
//!
//! ```sh
//! cargo run --release --example full_resolution -- [SCENARIO] [REPEATS]
//! ```
//!
//! Setup (generating the households) and the daily loop are timed apart;
//! the cost per displaced household-day divides the loop's time by the
//! number of displaced households the return rule visited.

use std::time::Duration;

use cimsim::scenario;
use cimsim::sim::Simulation;

#[expect(clippy::print_stdout, reason = "an example's output is its purpose")]
#[expect(
    clippy::disallowed_methods,
    reason = "timing is the purpose of this example, outside the simulation"
)]
fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| scenario::DEFAULT_SCENARIO.to_string());
    let repeats: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let source = scenario::read_source(&name).unwrap_or_else(|e| panic!("{e}"));
    let loaded = scenario::load(source).unwrap_or_else(|p| panic!("{} problems", p.len()));
    let s = &loaded.scenario;

    let mut best_setup = Duration::MAX;
    let mut best_loop = Duration::MAX;
    let mut last = None;
    for seed in 1..=u64::from(repeats) {
        let t0 = std::time::Instant::now();
        let mut sim = Simulation::new(s, seed);
        let t1 = std::time::Instant::now();
        sim.run_to_end();
        let t2 = std::time::Instant::now();
        best_setup = best_setup.min(t1 - t0);
        best_loop = best_loop.min(t2 - t1);
        last = Some(sim);
    }
    let sim = last.expect("at least one run");
    let census = sim.view().census();
    let hh_days = census.displaced_household_days;
    println!("scenario                     {}", s.name);
    println!("days                         {}", sim.digests().len());
    println!("household entities           {}", census.total_households);
    println!("people                       {}", census.total_people);
    println!("displaced household-days     {hh_days}");
    println!(
        "setup (best of {repeats})           {:.1} ms",
        best_setup.as_secs_f64() * 1e3
    );
    println!(
        "daily loop (best of {repeats})      {:.1} ms",
        best_loop.as_secs_f64() * 1e3
    );
    println!(
        "whole run                    {:.1} ms",
        (best_setup + best_loop).as_secs_f64() * 1e3
    );
    println!(
        "loop per displaced hh-day    {:.2} ns",
        best_loop.as_secs_f64() * 1e9 / (hh_days.max(1) as f64)
    );
}
