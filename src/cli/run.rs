//! `cimsim run`: one seeded run to the scenario's end.

use std::path::PathBuf;

use clap::Args;

use super::memory;
use super::output::{Failure, data, note, prepare_output, report_problems, write_atomically};
use cimsim::record::{self, Recording};
use cimsim::report::text::count;
use cimsim::report::{RunReport, summary_text, write_csv};
use cimsim::scenario::{self, LoadedScenario};
use cimsim::score::references;
use cimsim::sim::{Options, Simulation};

/// `AGENCY=STRATEGY`, as given to `--strategy-for`. The names are checked
/// against the scenario once it is loaded.
pub(super) fn agency_strategy(text: &str) -> Result<(String, String), String> {
    let (agency, name) = text
        .split_once('=')
        .ok_or_else(|| format!("expected AGENCY=STRATEGY, found `{text}`"))?;
    Ok((agency.to_string(), name.to_string()))
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A built-in scenario name or a path to a `.ron` file.
    #[arg(value_name = "SCENARIO", default_value = scenario::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Seed of the run; when absent one is chosen and printed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Simulate only this many days (at most the scenario's horizon).
    #[arg(long)]
    pub days: Option<u32>,
    /// Strategy for every agency, overriding the scenario's: `silo`,
    /// `liaison`, `cell`, `central` or one the scenario defines.
    #[arg(long, value_name = "STRATEGY")]
    pub strategy: Option<String>,
    /// Strategy for one agency, after `--strategy` (repeatable), e.g.
    /// `--strategy-for interior=silo`.
    #[arg(long, value_name = "AGENCY=STRATEGY", value_parser = agency_strategy)]
    pub strategy_for: Vec<(String, String)>,
    /// Families per household entity: 1 (the default) is full resolution;
    /// larger values give a coarser, faster run for quick looks.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub family_per_entity: u32,
    /// Skip the paired `silo` and `central` reference runs (and so the
    /// coordination efficiency).
    #[arg(long)]
    pub no_score: bool,
    /// Also run, for each agency with crews (the eight ministries in the
    /// Mosul scenarios), the same run with that agency alone reverted to
    /// `silo`, and report the change in resilience loss.
    #[arg(long)]
    pub attribution: bool,
    /// Print the run's JSON document instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write the daily series (one row per day, place and service) to FILE.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Record the run to FILE, for `cimsim replay` (docs/replay-format.md).
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// A manual inject at the start of day DAY (repeatable): EFFECT is the
    /// RON text of a scenario inject's effect, e.g.
    /// `--inject '12:Minefield(district: "old-city", contamination: 0.5)'`.
    #[arg(long, value_name = "DAY:EFFECT")]
    pub inject: Vec<String>,
    /// Refuse to start when the worlds this command builds are estimated to
    /// need more memory than SIZE (e.g. `4G`, `512MiB`); without it, the
    /// memory the machine, its cgroup and `ulimit -v` leave available.
    #[arg(long, value_name = "SIZE", value_parser = super::memory::parse_size)]
    pub max_memory: Option<u64>,
}

/// A run's validated configuration: everything checked before anything runs.
pub struct RunConfig {
    pub scenario: LoadedScenario,
    pub seed: u64,
    pub days: u32,
    pub families_per_entity: u32,
    pub no_score: bool,
    pub attribution: bool,
    pub json: bool,
    pub csv: Option<PathBuf>,
    pub record: Option<PathBuf>,
    /// Manual injects, checked against the scenario, in order of their days.
    pub inputs: Vec<record::Input>,
    pub max_memory: Option<u64>,
}

/// Loads the scenario (reporting every problem) and checks the arguments.
pub fn load_scenario(arg: &str) -> Result<LoadedScenario, Failure> {
    let source = scenario::read_source(arg).map_err(|e| Failure::Input(e.to_string()))?;
    scenario::load(source.clone()).map_err(|problems| {
        report_problems(&source, &problems);
        Failure::Input(format!(
            "scenario `{arg}` does not load ({})",
            count(problems.len() as u64, "problem", "problems")
        ))
    })
}

impl RunConfig {
    fn new(args: RunArgs) -> Result<Self, Failure> {
        let scenario = load_scenario(&args.scenario)?;
        let horizon = scenario.scenario.horizon_days;
        let days = match args.days {
            None => horizon,
            Some(0) => return Err(Failure::Input("--days must be at least 1".to_string())),
            Some(d) if d > horizon => {
                return Err(Failure::Input(format!(
                    "--days {d} is beyond the scenario's horizon of {}",
                    count(horizon.into(), "day", "days")
                )));
            }
            Some(d) => d,
        };
        let mut scenario = scenario;
        scenario::set_strategies(&mut scenario.scenario, args.strategy.as_deref(), &args.strategy_for)
            .map_err(Failure::Input)?;
        let mut inputs = Vec::new();
        for text in &args.inject {
            let input = record::parse_inject(text, &scenario.scenario).map_err(Failure::Input)?;
            if input.day() >= days {
                return Err(Failure::Input(format!(
                    "--inject `{text}`: day {} is not simulated (the run ends after day {})",
                    input.day(),
                    days - 1
                )));
            }
            inputs.push(input);
        }
        inputs.sort_by_key(record::Input::day);
        // Chosen and printed only once every argument is known to be good:
        // a refused command prints nothing but why.
        let seed = match args.seed {
            Some(s) => s,
            None => {
                let s = fresh_seed();
                note(&format!("seed {s} (chosen; pass --seed {s} to repeat this run)"));
                s
            }
        };
        Ok(RunConfig {
            scenario,
            seed,
            days,
            families_per_entity: args.family_per_entity,
            no_score: args.no_score,
            attribution: args.attribution,
            json: args.json,
            csv: args.csv,
            record: args.record,
            inputs,
            max_memory: args.max_memory,
        })
    }
}

/// A seed from the operating system's randomness via the standard library's
/// hasher keys: the only place cimsim uses entropy, outside the simulation.
pub(super) fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(u64::from(std::process::id()));
    h.finish() >> 11
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let config = RunConfig::new(args)?;
    for path in [&config.csv, &config.record].into_iter().flatten() {
        prepare_output(path)?;
    }
    // The run and its references side by side; with attribution, the run
    // and one variant per agency with crews.
    let s = &config.scenario.scenario;
    let attributed = references::attributed(s).len() as u64;
    let worlds = if config.no_score { 1 } else { 3 }.max(if config.attribution { 1 + attributed } else { 1 });
    memory::check(
        &memory::Need {
            scenario: s,
            families_per_entity: config.families_per_entity,
            days: config.days,
            worlds,
            fewer_worlds: (worlds > 1).then_some(if config.attribution {
                "without --attribution"
            } else {
                "`--no-score` (the run alone, one world instead of three)"
            }),
        },
        config.max_memory,
    )?;
    #[expect(
        clippy::disallowed_methods,
        reason = "timing the run for stderr, outside the simulation"
    )]
    let started = std::time::Instant::now();
    let options = Options {
        families_per_entity: config.families_per_entity,
        shuffle: None,
    };
    // The run and its two references are separate worlds: they run side by
    // side on as many cores as there are, and cannot change each other. The
    // references inherit the run's inputs as `score::references` decides
    // (every `--inject`).
    let run_one = |scenario: &LoadedScenario, inputs: &[record::Input]| {
        let mut sim = Simulation::with_options(&scenario.scenario, config.seed, options);
        let mut rows = Vec::new();
        let driven = record::drive(&mut sim, inputs, config.days, |_, row| {
            if config.record.is_some() {
                rows.push(row);
            }
            true
        });
        let report = RunReport::new(&sim, scenario, config.seed);
        (sim, report, rows, driven)
    };
    // Inputs were checked against the scenario; the engine refusing one is a
    // bug, reported rather than panicked on.
    let inherited = references::inherited_inputs(&config.inputs)
        .map_err(|e| Failure::Input(format!("an input could not be applied: {e}")))?;
    let references = (!config.no_score).then(|| references::reference_scenarios(&config.scenario));
    let ((sim, mut report, rows, driven), refs) = std::thread::scope(|scope| {
        let inherited = &inherited;
        let handles = references
            .as_ref()
            .map(|r| r.each_ref().map(|s| scope.spawn(move || run_one(s, inherited).1)));
        let main = run_one(&config.scenario, &config.inputs);
        let refs = handles.map(|h| h.map(|h| h.join().expect("a reference run does not panic")));
        (main, refs)
    });
    driven.map_err(|e| Failure::Input(format!("an input could not be applied: {e}")))?;
    if let Some([silo, central]) = refs {
        report.score(&silo, &central);
    }
    if config.attribution {
        // Each agency with crews in turn reverts to `silo`, all else (its
        // inputs too) as in the run.
        let variants = references::attribution_variants(&config.scenario);
        let inputs = config.inputs.as_slice();
        let losses: Vec<(String, f64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = variants
                .iter()
                .map(|(id, s)| (id, scope.spawn(move || run_one(s, inputs).1.resilience_loss.total)))
                .collect();
            handles
                .into_iter()
                .map(|(id, h)| (id.clone(), h.join().expect("an attribution run does not panic")))
                .collect()
        });
        report.attribute(&losses);
    }
    let elapsed = started.elapsed();
    note(&format!(
        "simulated {} of `{}`{} in {:.3} s",
        count(config.days.into(), "day", "days"),
        config.scenario.scenario.name,
        if config.no_score {
            ""
        } else {
            " and its silo and central references"
        },
        elapsed.as_secs_f64()
    ));
    let outcomes = sim.view().outcomes().clone();
    if let Some(path) = &config.csv {
        let names = sim.view().names().clone();
        write_atomically(path, |w| write_csv(w, &outcomes, &names).map_err(std::io::Error::other))?;
        note(&format!("wrote {}", path.display()));
    }
    if let Some(path) = &config.record {
        write_recording(&config, rows, path)?;
    }
    if config.json {
        data(&report.to_json())
    } else {
        data(&summary_text(&report, &outcomes))
    }
}

/// Writes the run's recording (`--record`): the scenario, the seed, the
/// inputs and the day rows.
fn write_recording(config: &RunConfig, rows: Vec<record::Day>, path: &std::path::Path) -> Result<(), Failure> {
    let mut recording = Recording::new(
        &config.scenario,
        config.seed,
        config.families_per_entity,
        config.inputs.clone(),
    );
    recording.days = rows;
    let bytes = recording.to_bytes();
    write_atomically(path, |w| w.write_all(&bytes))?;
    note(&format!(
        "recorded {} to {}",
        count(recording.days.len() as u64, "day", "days"),
        path.display()
    ));
    Ok(())
}
