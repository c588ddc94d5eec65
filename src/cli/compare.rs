//! `cimsim compare`: paired Monte Carlo comparisons of strategies, sharded
//! if asked; `cimsim merge`: the result of a sharded comparison from its
//! parts. Every argument is checked before any world is built.

use std::path::PathBuf;

use clap::Args;

use super::output::{Failure, data, note, prepare_output, read_bounded, write_atomically};
use super::run::load_scenario;
use cimsim::compare::{self, Comparison, Config, Part, Plan, render};
use cimsim::hash::hex16;
use cimsim::report::text::count;
use cimsim::scenario::{self, edit};

/// Strategies compared when `--strategies` is not given.
const DEFAULT_STRATEGIES: &str = "silo,liaison,cell,central";

/// Days at which returns are reported by default (those within the run).
const DEFAULT_RETURNS_AT: [u32; 4] = [30, 90, 180, 365];

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// A built-in scenario name or a path to a `.ron` file.
    #[arg(value_name = "SCENARIO", default_value = scenario::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Strategies to compare, comma-separated (built-in or defined by the
    /// scenario).
    #[arg(long, value_name = "LIST", default_value = DEFAULT_STRATEGIES, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Seeds to run, each under every strategy.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub runs: u32,
    /// Master seed from which the runs' seeds are derived.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worlds run at once (default: the number of cores). Results do not
    /// depend on it.
    #[arg(long, value_name = "J")]
    pub jobs: Option<usize>,
    /// The strategy the others are compared with, pair by pair.
    #[arg(long, value_name = "STRATEGY", default_value = "silo")]
    pub baseline: String,
    /// Strategy for one agency under every compared strategy (repeatable),
    /// e.g. `--strategy-for interior=silo`.
    #[arg(long, value_name = "AGENCY=STRATEGY", value_parser = super::run::agency_strategy)]
    pub strategy_for: Vec<(String, String)>,
    /// Simulate only this many days (at most the scenario's horizon).
    #[arg(long)]
    pub days: Option<u32>,
    /// Families per household entity (1: full resolution).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub family_per_entity: u32,
    /// Days at which to report the share of the displaced who are home
    /// (default 30,90,180,365, those within the run).
    #[arg(long, value_name = "DAYS", value_delimiter = ',')]
    pub returns_at: Vec<u32>,
    /// Vary one scenario parameter across the comparison:
    /// `PATH=V1,V2,...`, e.g. `cooperation.liaison_days=1,3,10` or
    /// `agencies[electricity].crews[0].count=50,95`.
    #[arg(long, value_name = "PATH=V1,V2,...")]
    pub set: Option<String>,
    /// Also run each agency with crews alone reverted to `silo`, under every
    /// compared strategy but silo, and report its contribution (nine times
    /// the work for the Mosul scenarios).
    #[arg(long)]
    pub attribution: bool,
    /// Write one row per run and strategy to FILE.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print the comparison's JSON document instead of the tables.
    #[arg(long)]
    pub json: bool,
    /// Draw the recovery curves and the distribution of resilience loss to
    /// an SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Run only the I-th of N disjoint slices of the seeds (`--shard 2/8`),
    /// writing the partial result to `--out`.
    #[arg(long, value_name = "I/N", value_parser = shard, requires = "out")]
    pub shard: Option<(u32, u32)>,
    /// Where a shard's partial result goes (for `cimsim merge`).
    #[arg(long, value_name = "PART", requires = "shard")]
    pub out: Option<PathBuf>,
    /// Refuse to start when the worlds this command builds are estimated to
    /// need more memory than SIZE (e.g. `4G`, `512MiB`); without it, the
    /// memory the machine, its cgroup and `ulimit -v` leave available.
    #[arg(long, value_name = "SIZE", value_parser = super::memory::parse_size)]
    pub max_memory: Option<u64>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial results written by `cimsim compare --shard I/N --out PART`.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Write one row per run and strategy to FILE.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Print the comparison's JSON document instead of the tables.
    #[arg(long)]
    pub json: bool,
    /// Draw the recovery curves and the distribution of resilience loss.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

/// `I/N` with 1 ≤ I ≤ N.
fn shard(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected I/N with 1 ≤ I ≤ N (e.g. 2/8), found `{text}`");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// Checks every argument and builds the plan; nothing runs.
fn plan(args: &CompareArgs) -> Result<Plan, Failure> {
    let input = |m: String| Failure::Input(m);
    if args.runs == 0 {
        return Err(input("--runs must be at least 1".into()));
    }
    let base = load_scenario(&args.scenario)?;
    let s = &base.scenario;
    let mut strategies: Vec<String> = Vec::new();
    for name in &args.strategies {
        if s.strategy_params(name).is_none() {
            return Err(input(format!(
                "--strategies: unknown strategy `{name}`; strategies are: {}",
                s.strategy_names().join(", ")
            )));
        }
        if strategies.contains(name) {
            return Err(input(format!("--strategies: `{name}` is listed twice")));
        }
        strategies.push(name.clone());
    }
    if !strategies.contains(&args.baseline) {
        return Err(input(format!(
            "--baseline `{}` is not among the compared strategies ({})",
            args.baseline,
            strategies.join(", ")
        )));
    }
    // The overrides must apply to the scenario (agency and strategy names).
    let mut probe = s.clone();
    scenario::set_strategies(&mut probe, None, &args.strategy_for).map_err(input)?;
    let horizon = s.horizon_days;
    let days = match args.days {
        None => horizon,
        Some(0) => return Err(input("--days must be at least 1".into())),
        Some(d) if d > horizon => {
            return Err(input(format!(
                "--days {d} is beyond the scenario's horizon of {}",
                count(horizon.into(), "day", "days")
            )));
        }
        Some(d) => d,
    };
    let returns_at: Vec<u32> = if args.returns_at.is_empty() {
        DEFAULT_RETURNS_AT.iter().copied().filter(|d| *d < days).collect()
    } else {
        if let Some(d) = args.returns_at.iter().find(|d| **d >= days) {
            return Err(input(format!(
                "--returns-at {d} is not a day of a {days}-day run (days 0 to {})",
                days - 1
            )));
        }
        args.returns_at.clone()
    };
    let (set, points) = match &args.set {
        None => (None, vec![base.clone()]),
        Some(text) => {
            let (path, values) = edit::parse_sweep(text).map_err(|e| input(format!("--set: {e}")))?;
            edit::check(s, &path, &values).map_err(|e| input(format!("--set: {e}")))?;
            let points = values
                .iter()
                .map(|v| edit::set(&base, &path, v).map_err(|e| input(format!("--set: {e}"))))
                .collect::<Result<Vec<_>, _>>()?;
            (Some((path, values)), points)
        }
    };
    let config = Config {
        engine_version: cimsim::ENGINE_VERSION.to_string(),
        scenario: s.name.clone(),
        content_hash: hex16(base.content_hash),
        strategies,
        baseline: args.baseline.clone(),
        strategy_for: args.strategy_for.clone(),
        runs: args.runs,
        seed: args.seed.to_string(),
        days,
        families_per_entity: args.family_per_entity,
        returns_at,
        set,
        point_hashes: compare::point_hashes(&points),
        attribution: args.attribution,
    };
    Ok(Plan {
        config,
        points,
        master_seed: args.seed,
    })
}

/// A shard writes only its part: the tables, the CSV and the plot describe
/// the whole comparison, which only `merge` has.
fn check_shard_outputs(args: &CompareArgs) -> Result<(), Failure> {
    let Some((i, n)) = args.shard else {
        return Ok(());
    };
    let refused = [
        (args.csv.is_some(), "--csv"),
        (args.json, "--json"),
        (args.plot.is_some(), "--plot"),
    ];
    if let Some((_, flag)) = refused.iter().find(|(given, _)| *given) {
        return Err(Failure::Input(format!(
            "{flag} describes the whole comparison, which a shard does not have: \
             give it to `cimsim merge` instead (--shard {i}/{n} writes only its part to --out)"
        )));
    }
    if n > args.runs {
        return Err(Failure::Input(format!(
            "--shard {i}/{n}: {n} shards of {} would leave shards with no run; use at most {}",
            count(args.runs.into(), "run", "runs"),
            count(args.runs.into(), "shard", "shards")
        )));
    }
    Ok(())
}

pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    check_shard_outputs(&args)?;
    let plan = plan(&args)?;
    let jobs = match args.jobs {
        Some(0) => return Err(Failure::Input("--jobs must be at least 1".into())),
        Some(j) => j,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    for path in [&args.out, &args.csv, &args.plot].into_iter().flatten() {
        prepare_output(path)?;
    }
    // Each job holds one world while it runs; the largest point decides.
    let shard = args.shard.unwrap_or((1, 1));
    let worlds = (plan.job_count(shard) as u64).min(jobs as u64);
    let largest = plan
        .points
        .iter()
        .map(|p| &p.scenario)
        .max_by_key(|s| {
            cimsim::sim::footprint::Footprint::of(s, plan.config.families_per_entity, plan.config.days).bytes
        })
        .expect("a plan has at least one point");
    super::memory::check(
        &super::memory::Need {
            scenario: largest,
            families_per_entity: plan.config.families_per_entity,
            days: plan.config.days,
            worlds,
            fewer_worlds: (worlds > 1).then_some("fewer `--jobs` (each job holds one world)"),
        },
        args.max_memory,
    )?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Failure::Input(format!("cannot start {jobs} worker threads: {e}")))?;
    let worlds = plan.job_count(shard);
    let bar = progress(worlds as u64, args.json);
    #[expect(
        clippy::disallowed_methods,
        reason = "timing the comparison for stderr, outside the simulation"
    )]
    let started = std::time::Instant::now();
    let part = pool.install(|| plan.run(shard, &|| bar.inc(1)));
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    note(&format!(
        "ran {} of `{}` on {} in {secs:.1} s ({:.2} worlds/s)",
        count(worlds as u64, "world", "worlds"),
        plan.config.scenario,
        count(jobs as u64, "thread", "threads"),
        worlds as f64 / secs.max(1e-9)
    ));
    if let Some(out) = &args.out {
        write_atomically(out, |w| {
            serde_json::to_writer(&mut *w, &part).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })?;
        let runs = compare::shard_range(plan.config.runs, shard.0, shard.1).len() as u64;
        note(&format!(
            "wrote shard {}/{} ({} of {}) to {}; combine the shards with `cimsim merge`",
            shard.0,
            shard.1,
            count(runs, "run", "runs"),
            plan.config.runs,
            out.display()
        ));
        return Ok(());
    }
    output(
        &compare::assemble(&part),
        args.csv.as_ref(),
        args.plot.as_ref(),
        args.json,
    )
}

pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    for path in [&args.csv, &args.plot].into_iter().flatten() {
        prepare_output(path)?;
    }
    let mut parts: Vec<(String, Part)> = Vec::new();
    for path in &args.parts {
        let name = format!("`{}`", path.display());
        let bytes = read_bounded(path, compare::MAX_PART_BYTES, "partial comparisons")?;
        let part = compare::read_part(&name, &bytes).map_err(Failure::Input)?;
        parts.push((name, part));
    }
    let part = compare::merge(parts).map_err(Failure::Input)?;
    output(
        &compare::assemble(&part),
        args.csv.as_ref(),
        args.plot.as_ref(),
        args.json,
    )
}

/// Writes the CSV and the plot, then prints the tables or the JSON.
fn output(c: &Comparison, csv: Option<&PathBuf>, plot: Option<&PathBuf>, json: bool) -> Result<(), Failure> {
    if let Some(path) = csv {
        write_atomically(path, |w| render::write_csv(w, c).map_err(std::io::Error::other))?;
        note(&format!("wrote {}", path.display()));
    }
    if let Some(path) = plot {
        let svg = render::plot_svg(c).map_err(|e| Failure::Input(format!("cannot draw the plot: {e}")))?;
        write_atomically(path, |w| w.write_all(svg.as_bytes()))?;
        note(&format!("wrote {}", path.display()));
    }
    if json {
        let mut text = serde_json::to_string_pretty(c).map_err(|e| Failure::Input(e.to_string()))?;
        text.push('\n');
        data(&text)
    } else {
        data(&render::summary_text(c))
    }
}

/// A progress bar on stderr with runs per second and the time left; hidden
/// when stderr is not a terminal or the output is JSON.
fn progress(len: u64, json: bool) -> indicatif::ProgressBar {
    if json || !super::output::stderr_is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} worlds  {per_sec:.1}  {eta} left")
    {
        bar.set_style(style);
    }
    bar
}
