//! Paired Monte Carlo comparisons of strategies (`cimsim compare`).
//!
//! A comparison runs N seeds, each under every strategy compared (and, in a
//! sweep, at every value of one scenario parameter). Keyed randomness gives a
//! household the same draws under every strategy for the same seed (common
//! random numbers), so per-seed differences between strategies carry no
//! noise of their own and paired intervals are narrow.
//!
//! The work is split into jobs, one world each, run in any order on any
//! number of threads; results are put back in job order, so nothing depends
//! on `--jobs`. A [`Part`] holds the raw results of one shard of the seeds;
//! merging parts and assembling one unsharded part go through the same
//! [`assemble`], so sharded and unsharded comparisons give the same bytes.
//! No IO here: `cli::compare` reads, writes and prints.

mod assemble;
pub use assemble::assemble;
pub mod render;
pub mod stats;

use serde::{Deserialize, Serialize};

use crate::hash::{Purpose, hex16, keyed};
use crate::report::RunReport;
use crate::scenario::{self, LoadedScenario, Service};
use crate::score::references;
use crate::sim::ledger::{Outcomes, district_index};
use crate::sim::{Options, Simulation};
use stats::Estimate;

/// Version of the partial-result files (`--shard ... --out PART`).
pub const PART_VERSION: u32 = 1;

/// Version of the JSON document of a comparison.
pub const SCHEMA_VERSION: u32 = 1;

/// Share of pre-war need from assets at which a service counts as restored.
pub const RESTORED: f64 = 0.8;

/// Everything that decides a comparison's results: two parts can merge only
/// when their configurations are equal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub engine_version: String,
    pub scenario: String,
    /// Content hash of the base scenario (16 hex digits).
    pub content_hash: String,
    pub strategies: Vec<String>,
    pub baseline: String,
    /// `(agency, strategy)` overrides applied under every strategy.
    pub strategy_for: Vec<(String, String)>,
    pub runs: u32,
    /// The master seed, as a string (JSON numbers lose precision).
    pub seed: String,
    pub days: u32,
    pub families_per_entity: u32,
    /// Days at which the share of the displaced who are home is reported.
    pub returns_at: Vec<u32>,
    /// The swept parameter and its values, if any.
    pub set: Option<(String, Vec<String>)>,
    /// Content hash of each point's scenario (one without a sweep).
    pub point_hashes: Vec<String>,
    pub attribution: bool,
}

/// A comparison ready to run: the configuration and the scenarios it runs.
#[derive(Debug, Clone)]
pub struct Plan {
    pub config: Config,
    /// One scenario per sweep point (one without a sweep).
    pub points: Vec<LoadedScenario>,
    pub master_seed: u64,
}

/// The seed of run `i` of a comparison: a pure function of the master seed,
/// so any shard derives the same seeds.
pub fn run_seed(master: u64, i: u32) -> u64 {
    keyed(master, 0, u64::from(i), Purpose::Seeds)
}

/// The `i`-th of `n` disjoint slices of `runs` (1-based `i`): contiguous
/// ranges that together cover every run once.
pub fn shard_range(runs: u32, i: u32, n: u32) -> std::ops::Range<u32> {
    let at = |k: u32| (u64::from(runs) * u64::from(k) / u64::from(n)) as u32;
    at(i - 1)..at(i)
}

/// The names of the metrics of one run, in CSV order.
pub fn metric_names(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = vec!["resilience_loss".into()];
    names.extend(Service::ALL.iter().map(|s| format!("resilience_loss_{}", s.name())));
    names.push("resilience_loss_displacement".into());
    names.push("resilience_loss_shelter".into());
    names.extend(config.returns_at.iter().map(|d| format!("returned_share_day_{d}")));
    names.extend(Service::ALL.iter().map(|s| format!("days_to_80pct_{}", s.name())));
    names.extend(
        [
            "survival_person_days",
            "crew_casualties",
            "disease_cases",
            "blocked_crew_days",
            "requests_made",
            "request_fulfilment",
        ]
        .map(String::from),
    );
    names
}

/// One run's figures: every metric (`None` where undefined) and the city's
/// daily service index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Sweep point (0 without a sweep).
    pub point: u32,
    pub run: u32,
    pub seed: String,
    pub strategy: String,
    pub final_digest: String,
    pub metrics: Vec<Option<f64>>,
    /// The people-weighted city service index (`sim::ledger::district_index` of
    /// the day's service levels) for each day.
    pub curve: Vec<f64>,
}

/// The resilience loss of one run with one agency alone reverted to `silo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reverted {
    pub point: u32,
    pub run: u32,
    pub strategy: String,
    pub agency: String,
    pub resilience_loss: f64,
}

/// The raw results of a shard (or of a whole comparison).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub format: String,
    pub version: u32,
    pub config: Config,
    /// `(i, n)`: this is the i-th of n shards.
    pub shard: (u32, u32),
    pub rows: Vec<Row>,
    pub reverted: Vec<Reverted>,
}

/// One unit of work: one world.
#[derive(Debug, Clone)]
struct Job {
    point: u32,
    run: u32,
    strategy: usize,
    /// For attribution: the agency (index in the scenario) reverted to silo.
    reverted: Option<usize>,
}

impl Plan {
    /// Jobs of shard `(i, n)`, in the order results are kept.
    fn jobs(&self, shard: (u32, u32)) -> Vec<Job> {
        let c = &self.config;
        let mut jobs = Vec::new();
        for point in 0..self.points.len() as u32 {
            let agencies = references::attributed(&self.points[point as usize].scenario);
            for run in shard_range(c.runs, shard.0, shard.1) {
                for strategy in 0..c.strategies.len() {
                    jobs.push(Job {
                        point,
                        run,
                        strategy,
                        reverted: None,
                    });
                    if c.attribution && c.strategies[strategy] != references::REVERTED {
                        jobs.extend(agencies.iter().map(|&a| Job {
                            point,
                            run,
                            strategy,
                            reverted: Some(a),
                        }));
                    }
                }
            }
        }
        jobs
    }

    /// Number of worlds shard `(i, n)` runs.
    pub fn job_count(&self, shard: (u32, u32)) -> usize {
        self.jobs(shard).len()
    }

    /// The scenario of a job: the point's, under the job's strategy, with the
    /// per-agency overrides, and the reverted agency in `silo`.
    fn scenario_of(&self, job: &Job) -> LoadedScenario {
        let c = &self.config;
        let mut l = self.points[job.point as usize].clone();
        scenario::set_strategies(&mut l.scenario, Some(&c.strategies[job.strategy]), &c.strategy_for)
            .expect("strategy names are checked when the plan is made");
        match job.reverted {
            Some(a) => references::attribution_variant(&l, a),
            None => l,
        }
    }

    /// Runs shard `(i, n)` on the current rayon pool, calling `tick` after
    /// each world; results come back in job order whatever the thread count.
    pub fn run(&self, shard: (u32, u32), tick: &(dyn Fn() + Sync)) -> Part {
        use rayon::prelude::*;
        let c = &self.config;
        let outputs: Vec<(Job, Row)> = self
            .jobs(shard)
            .into_par_iter()
            .map(|job| {
                let row = self.run_job(&job);
                tick();
                (job, row)
            })
            .collect();
        let mut rows = Vec::new();
        let mut reverted = Vec::new();
        for (job, row) in outputs {
            match job.reverted {
                None => rows.push(row),
                Some(a) => reverted.push(Reverted {
                    point: job.point,
                    run: job.run,
                    strategy: row.strategy,
                    agency: self.points[job.point as usize].scenario.agencies[a].id.clone(),
                    resilience_loss: row.metrics[0].unwrap_or(f64::NAN),
                }),
            }
        }
        Part {
            format: PART_MAGIC.to_string(),
            version: PART_VERSION,
            config: c.clone(),
            shard,
            rows,
            reverted,
        }
    }

    fn run_job(&self, job: &Job) -> Row {
        let c = &self.config;
        let seed = run_seed(self.master_seed, job.run);
        let loaded = self.scenario_of(job);
        let options = Options {
            families_per_entity: c.families_per_entity,
            shuffle: None,
        };
        let mut sim = Simulation::with_options(&loaded.scenario, seed, options);
        sim.run_days(c.days);
        let report = RunReport::new(&sim, &loaded, seed);
        let view = sim.view();
        let (outcomes, rules) = (view.outcomes(), view.rules());
        Row {
            point: job.point,
            run: job.run,
            seed: seed.to_string(),
            strategy: c.strategies[job.strategy].clone(),
            final_digest: report.final_digest.clone(),
            metrics: metrics(c, &report, outcomes),
            curve: outcomes
                .days
                .iter()
                .map(|d| crate::round::r6(district_index(&d.services, rules.service_weights())))
                .collect(),
        }
    }
}

/// The metrics of one run, in [`metric_names`] order.
fn metrics(c: &Config, r: &RunReport, o: &Outcomes) -> Vec<Option<f64>> {
    let rl = &r.resilience_loss;
    let mut m = vec![
        Some(rl.total),
        Some(rl.food),
        Some(rl.water),
        Some(rl.electricity),
        Some(rl.sanitation),
        Some(rl.health),
        Some(rl.displacement),
        Some(rl.shelter),
    ];
    m.extend(
        c.returns_at
            .iter()
            .map(|&d| o.days.get(d as usize).map(|x| x.returned_share)),
    );
    m.extend(Service::ALL.iter().map(|s| {
        o.days
            .iter()
            .find(|d| d.piped[s.index()] >= RESTORED)
            .map(|d| f64::from(d.day))
    }));
    let made: u32 = r.cooperation.requests.iter().map(|c| c.made).sum();
    let fulfilled: u32 = r.cooperation.requests.iter().map(|c| c.fulfilled).sum();
    m.extend([
        Some(r.harm.survival_person_days),
        Some(f64::from(r.harm.crew_casualties)),
        Some(r.harm.disease_cases),
        Some(r.crews.iter().map(|a| a.crew_days_blocked).sum()),
        Some(f64::from(made)),
        (made > 0).then(|| crate::round::r6(f64::from(fulfilled) / f64::from(made))),
    ]);
    m
}

/// Why parts cannot be merged.
pub type MergeError = String;

/// The `format` of a partial-result file: says what the file is.
pub const PART_MAGIC: &str = "cimsim-compare-part";

/// Largest partial-result file `merge` reads. A shard of 1,000 runs of four
/// strategies over 900 days is about 40 MB (the daily index curves are most
/// of it); a part this size is far beyond any real shard and still parses in
/// well under the machine's memory.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a partial comparison written by `compare --shard I/N --out PART`
/// (`name` says which file in messages) and checks that it holds exactly
/// what its shard of its comparison must hold: a part is untrusted input
/// (it crossed a cluster's file system), and a merge of a damaged part would
/// print wrong estimates with exit 0.
pub fn read_part(name: &str, bytes: &[u8]) -> Result<Part, MergeError> {
    #[derive(Deserialize)]
    struct Head {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    // What the file says it is, before its whole structure is demanded, so a
    // file of another kind or version is named as such.
    let head: Head = serde_json::from_slice(bytes).map_err(|e| format!("{name} is not a partial comparison: {e}"))?;
    match head.format.as_ref().and_then(|f| f.as_str()) {
        Some(PART_MAGIC) => {}
        Some(other) => {
            return Err(format!(
                "{name} is not a partial comparison: its `format` is `{other}`, expected `{PART_MAGIC}`"
            ));
        }
        None => return Err(format!("{name} is not a partial comparison: it has no `format` field")),
    }
    match head.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(PART_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{name} is a partial comparison of part version {v}; this cimsim reads part version {PART_VERSION} only"
            ));
        }
        None => return Err(format!("{name} has no valid `version` field")),
    }
    let part: Part = serde_json::from_slice(bytes).map_err(|e| format!("{name} is not a partial comparison: {e}"))?;
    check_part(name, &part)?;
    Ok(part)
}

/// Checks that a part is the shard it says it is, of a comparison that
/// could have been run: its shard in range, then exactly the rows and
/// attribution runs `Plan::run` writes for that shard, in that order.
fn check_part(name: &str, p: &Part) -> Result<(), MergeError> {
    let c = &p.config;
    let (i, n) = p.shard;
    if n == 0 || i == 0 || i > n {
        return Err(format!(
            "{name} says it is shard {i}/{n}: a shard is I/N with 1 ≤ I ≤ N"
        ));
    }
    if n > c.runs {
        return Err(format!(
            "{name} says it is shard {i}/{n} of a comparison of {} runs: there are never more shards than runs",
            c.runs
        ));
    }
    let master: u64 = c
        .seed
        .parse()
        .map_err(|_| format!("{name}: its master seed `{}` is not a number", c.seed))?;
    if c.strategies.is_empty() || !c.strategies.contains(&c.baseline) {
        return Err(format!(
            "{name}: its baseline `{}` is not among its strategies",
            c.baseline
        ));
    }
    let points = c.point_hashes.len();
    let swept = c.set.as_ref().map_or(1, |(_, values)| values.len());
    if points == 0 || points != swept {
        return Err(format!("{name}: it has {points} point hashes for {swept} sweep points"));
    }
    let runs = shard_range(c.runs, i, n);
    let want = points as u64 * runs.len() as u64 * c.strategies.len() as u64;
    if p.rows.len() as u64 != want {
        return Err(format!(
            "{name} holds {} rows, but shard {i}/{n} of its comparison must hold {want} \
             ({} points × runs {}..{} × {} strategies): the file is incomplete or was edited",
            p.rows.len(),
            points,
            runs.start,
            runs.end,
            c.strategies.len()
        ));
    }
    let metrics = metric_names(c).len();
    let mut rows = p.rows.iter();
    for point in 0..points as u32 {
        for run in runs.clone() {
            let seed = run_seed(master, run).to_string();
            for strategy in &c.strategies {
                let r = rows.next().expect("counted above");
                let at = format!("{name}: the row of point {point}, run {run}, strategy `{strategy}`");
                if (r.point, r.run, &r.strategy) != (point, run, strategy) {
                    return Err(format!(
                        "{at} is missing (found point {}, run {}, strategy `{}` in its place)",
                        r.point, r.run, r.strategy
                    ));
                }
                if r.seed != seed {
                    return Err(format!("{at} has seed {}, but that run's seed is {seed}", r.seed));
                }
                if r.final_digest.len() != 16 || u64::from_str_radix(&r.final_digest, 16).is_err() {
                    return Err(format!("{at} has a final digest that is not 16 hex digits"));
                }
                if r.metrics.len() != metrics {
                    return Err(format!("{at} has {} metrics, expected {metrics}", r.metrics.len()));
                }
                if r.curve.len() != c.days as usize {
                    return Err(format!("{at} has {} days of index, expected {}", r.curve.len(), c.days));
                }
            }
        }
    }
    check_reverted(name, p, runs)
}

/// The attribution runs of a part: none without `--attribution`; with it,
/// the same agencies, in the same order, for every point, run and strategy
/// but silo.
fn check_reverted(name: &str, p: &Part, runs: std::ops::Range<u32>) -> Result<(), MergeError> {
    let c = &p.config;
    if !c.attribution {
        if p.reverted.is_empty() {
            return Ok(());
        }
        return Err(format!(
            "{name} holds attribution runs, but its comparison has no --attribution"
        ));
    }
    let attributed = c.strategies.iter().filter(|s| *s != references::REVERTED).count() as u64;
    let groups = c.point_hashes.len() as u64 * runs.len() as u64 * attributed;
    let agencies: Vec<&str> = p
        .reverted
        .iter()
        .take_while(|r| {
            p.reverted
                .first()
                .is_some_and(|f| (f.point, f.run, &f.strategy) == (r.point, r.run, &r.strategy))
        })
        .map(|r| r.agency.as_str())
        .collect();
    // No attribution run at all: the scenario has no agency with crews.
    if p.reverted.is_empty() {
        return Ok(());
    }
    if p.reverted.len() as u64 != groups * agencies.len() as u64 {
        return Err(format!(
            "{name} holds {} attribution runs, which is not {groups} groups of the same agencies: the file is incomplete or was edited",
            p.reverted.len()
        ));
    }
    let mut reverted = p.reverted.iter();
    for point in 0..c.point_hashes.len() as u32 {
        for run in runs.clone() {
            for strategy in c.strategies.iter().filter(|s| *s != references::REVERTED) {
                for agency in &agencies {
                    let r = reverted.next().expect("counted above");
                    if (r.point, r.run, &r.strategy, r.agency.as_str()) != (point, run, strategy, *agency) {
                        return Err(format!(
                            "{name}: the attribution run of point {point}, run {run}, strategy `{strategy}` \
                             with `{agency}` reverted is missing"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The first field in which two comparisons' configurations differ, with
/// both values, for a refusal that says what to fix.
fn config_difference(a: &Config, b: &Config) -> String {
    let (a, b) = (serde_json::to_value(a), serde_json::to_value(b));
    if let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) = (a, b) {
        for (key, x) in &a {
            let y = b.get(key).unwrap_or(&serde_json::Value::Null);
            if x != y {
                return format!("`{key}` is {x} in one and {y} in the other");
            }
        }
    }
    "their configurations differ".to_string()
}

/// Combines the parts of a sharded comparison into the part an unsharded
/// run gives: same configuration, every shard once. Each part has passed
/// [`read_part`].
pub fn merge(parts: Vec<(String, Part)>) -> Result<Part, MergeError> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no parts to merge".to_string());
    };
    let n = first.shard.1;
    // Shard numbers come from files: a map, not a vector of `n` slots, so a
    // part claiming billions of shards costs nothing.
    let mut seen: std::collections::BTreeMap<u32, &str> = std::collections::BTreeMap::new();
    let agencies = |p: &Part| -> Vec<String> {
        let Some(f) = p.reverted.first() else {
            return Vec::new();
        };
        p.reverted
            .iter()
            .take_while(|r| (r.point, r.run, &r.strategy) == (f.point, f.run, &f.strategy))
            .map(|r| r.agency.clone())
            .collect()
    };
    let first_agencies = agencies(first);
    for (name, p) in &parts {
        if p.config != first.config {
            return Err(format!(
                "{name} is from another comparison than {first_name}: {}",
                config_difference(&first.config, &p.config)
            ));
        }
        if p.shard.1 != n {
            return Err(format!(
                "{name} is shard {}/{}, but {first_name} is one of {n}",
                p.shard.0, p.shard.1
            ));
        }
        if agencies(p) != first_agencies {
            return Err(format!(
                "{name} attributes other agencies than {first_name} ({} against {})",
                agencies(p).join(", "),
                first_agencies.join(", ")
            ));
        }
        if let Some(other) = seen.insert(p.shard.0, name) {
            return Err(format!("{name} and {other} are both shard {}/{n}", p.shard.0));
        }
    }
    if seen.len() as u64 != u64::from(n) {
        let missing: Vec<String> = (1..=n)
            .filter(|i| !seen.contains_key(i))
            .take(10)
            .map(|i| format!("{i}/{n}"))
            .collect();
        let more = u64::from(n) - seen.len() as u64 - missing.len() as u64;
        return Err(format!(
            "shards missing: {}{}",
            missing.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let mut parts: Vec<Part> = parts.into_iter().map(|p| p.1).collect();
    parts.sort_by_key(|p| p.shard.0);
    let config = parts[0].config.clone();
    let mut rows = Vec::new();
    let mut reverted = Vec::new();
    for p in parts {
        rows.extend(p.rows);
        reverted.extend(p.reverted);
    }
    // Shards are contiguous ranges of runs: concatenated in shard order, the
    // rows of each point are in run order; points come first.
    rows.sort_by_key(|r| (r.point, r.run));
    reverted.sort_by_key(|r| (r.point, r.run));
    Ok(Part {
        format: PART_MAGIC.to_string(),
        version: PART_VERSION,
        config,
        shard: (1, 1),
        rows,
        reverted,
    })
}

/// One metric of one strategy, over the runs.
#[derive(Debug, Clone, Serialize)]
pub struct MetricEstimate {
    pub metric: String,
    pub estimate: Option<Estimate>,
}

/// One strategy at one point.
#[derive(Debug, Clone, Serialize)]
pub struct StrategySummary {
    pub strategy: String,
    pub metrics: Vec<MetricEstimate>,
}

/// Paired differences of one strategy against the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub strategy: String,
    pub baseline: String,
    pub metrics: Vec<PairedEstimate>,
}

/// One metric's paired difference, `strategy − baseline` run by run.
#[derive(Debug, Clone, Serialize)]
pub struct PairedEstimate {
    pub metric: String,
    pub estimate: Option<Estimate>,
    /// The mean difference as a share of the baseline's mean (0.01 is 1 %);
    /// `None` when the baseline's mean is 0 or undefined.
    pub share_of_baseline: Option<f64>,
    /// Every run gave both strategies the same value: no difference at all,
    /// rather than an interval around 0.
    pub identical: bool,
}

/// The paired difference in resilience loss between two strategies, `a −
/// b`, for every pair: what the ranking's ties are decided on.
#[derive(Debug, Clone, Serialize)]
pub struct Pairwise {
    pub a: String,
    pub b: String,
    pub difference: PairedEstimate,
}

/// A metric that took one value in every run of every strategy at a point:
/// it tells the strategies nothing apart, so the tables leave it out.
#[derive(Debug, Clone, Serialize)]
pub struct Constant {
    pub metric: String,
    pub value: f64,
}

/// Strategies ordered by mean resilience loss; each says whether it can be
/// told apart from the next one at this number of runs (paired interval).
#[derive(Debug, Clone, Serialize)]
pub struct Rank {
    pub rank: u32,
    pub strategy: String,
    pub mean_resilience_loss: f64,
    /// The next strategy in the ranking, if this one cannot be told apart
    /// from it.
    pub tied_with_next: Option<String>,
}

/// One agency's contribution under one strategy: the resilience loss when it
/// alone reverts to silo, minus the run's.
#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub strategy: String,
    pub agency: String,
    pub estimate: Option<Estimate>,
}

/// The comparison at one sweep point.
#[derive(Debug, Clone, Serialize)]
pub struct PointSummary {
    /// The swept parameter's value (null without a sweep).
    pub value: Option<String>,
    pub content_hash: String,
    pub strategies: Vec<StrategySummary>,
    pub differences: Vec<Difference>,
    /// Resilience loss, every pair of strategies in ranking order (the
    /// better ranked minus the other).
    pub pairwise: Vec<Pairwise>,
    /// Metrics with one value everywhere at this point.
    pub constant: Vec<Constant>,
    pub ranking: Vec<Rank>,
    pub attribution: Vec<Contribution>,
    /// Per strategy: the mean city service index per day, with its interval.
    #[serde(skip)]
    pub curves: Vec<(String, Vec<Estimate>)>,
    /// Per strategy: each run's resilience loss.
    #[serde(skip)]
    pub losses: Vec<(String, Vec<f64>)>,
}

/// A sweep read across its values (`--set PATH=V1,V2,...`): each key metric
/// of each strategy at every value, with its interval, and the paired change
/// from the first value (every value runs the same seeds).
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    pub path: String,
    pub values: Vec<String>,
    /// Every value is a number, so the plot draws them to scale.
    pub numeric: bool,
    pub metrics: Vec<SweepMetric>,
}

/// One metric of a sweep, one line per strategy.
#[derive(Debug, Clone, Serialize)]
pub struct SweepMetric {
    pub metric: String,
    pub strategies: Vec<SweepLine>,
}

/// One strategy's metric at every value of the sweep, in the order given.
#[derive(Debug, Clone, Serialize)]
pub struct SweepLine {
    pub strategy: String,
    pub points: Vec<SweepPoint>,
}

/// One strategy's metric at one value of the sweep.
#[derive(Debug, Clone, Serialize)]
pub struct SweepPoint {
    pub value: String,
    pub estimate: Option<Estimate>,
    /// This value minus the first, run by run (the same seeds), with its
    /// share of the first value's mean; none at the first value.
    pub change: Option<PairedEstimate>,
}

/// The JSON document of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub schema_version: u32,
    #[serde(flatten)]
    pub config: Config,
    pub metrics: Vec<String>,
    pub points: Vec<PointSummary>,
    /// The sweep across its values (null without `--set`).
    pub sweep: Option<Sweep>,
    /// Each run of each strategy with its coordination efficiency, for the
    /// CSV (not in the JSON).
    #[serde(skip)]
    pub rows: Vec<(Row, Option<f64>)>,
}

/// The content hash of each point's scenario, as printed.
pub fn point_hashes(points: &[LoadedScenario]) -> Vec<String> {
    points.iter().map(|p| hex16(p.content_hash)).collect()
}
