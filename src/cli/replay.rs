//! `cimsim replay FILE`: re-simulates a recorded run and verifies every
//! daily digest; shows its timeline, the situation at the end of a day, or
//! a what-if branch side by side with the original.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{Failure, data, error, note, prepare_output, read_bounded, report_problems, write_atomically};
use super::run::agency_strategy;
use cimsim::record::{self, Day, Input, Recording, Unreplayable};
use cimsim::report::console::replay::{Totals, branch_comparison, situation, timeline};
use cimsim::report::text::count;
use cimsim::scenario::{self, LoadedScenario};
use cimsim::sim::{Options, Simulation};

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A recorded run (`cimsim run --record FILE`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the situation at the end of day DAY instead of the timeline.
    #[arg(long, value_name = "DAY", conflicts_with = "branch")]
    pub at: Option<u32>,
    /// Branch a what-if from day DAY: identical to the original through day
    /// DAY−1, the choices given here from day DAY on.
    #[arg(long, value_name = "DAY")]
    pub branch: Option<u32>,
    /// On a branch: the strategy every agency follows from the branch day.
    #[arg(long, value_name = "STRATEGY", requires = "branch")]
    pub strategy: Option<String>,
    /// On a branch: the strategy of one agency from the branch day
    /// (repeatable), e.g. `--strategy-for interior=liaison`.
    #[arg(long, value_name = "AGENCY=STRATEGY", value_parser = agency_strategy, requires = "branch")]
    pub strategy_for: Vec<(String, String)>,
    /// On a branch: a manual inject on a day at or after the branch day
    /// (repeatable), as for `cimsim run --inject`.
    #[arg(long, value_name = "DAY:EFFECT", requires = "branch")]
    pub inject: Vec<String>,
    /// On a branch: record the branch to FILE.
    #[arg(long, value_name = "FILE", requires = "branch")]
    pub record: Option<PathBuf>,
    /// Print JSON instead of the timeline (every day's row and the events)
    /// or of the branch comparison (both runs' rows from the branch day).
    #[arg(long, conflicts_with = "at")]
    pub json: bool,
    /// Refuse to start when the worlds this command builds are estimated to
    /// need more memory than SIZE (e.g. `4G`, `512MiB`); without it, the
    /// memory the machine, its cgroup and `ulimit -v` leave available.
    #[arg(long, value_name = "SIZE", value_parser = super::memory::parse_size)]
    pub max_memory: Option<u64>,
    /// Print a timeline line every N days (and on days with events).
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..))]
    pub every: u32,
}

/// A check failed: report it and exit 1.
pub(super) fn check_failed(message: &str) -> Failure {
    error(message);
    Failure::Check
}

/// A recording read, checked, with its scenario loaded as it was run.
pub(super) struct Loaded {
    pub recording: Recording,
    pub scenario: LoadedScenario,
    /// The checksum line of the file, which names it in a branch's header.
    pub checksum: String,
}

/// Reads a recording (size-limited), checks it (`Recording::from_bytes`:
/// exit 2 for the wrong kind of file or version, 1 for a file that fails its
/// checks), loads its embedded scenario and sets the recorded strategies.
/// `replay` and `report` share it.
pub(super) fn load(path: &Path) -> Result<Loaded, Failure> {
    let shown = path.display();
    let bytes = read_bounded(path, record::MAX_FILE_BYTES, "recordings")?;
    let journal = Recording::from_journal(&bytes).map_err(|e| {
        if e.is_input_error() {
            Failure::Input(format!("`{shown}`: {e}"))
        } else {
            check_failed(&format!("`{shown}`: {e}"))
        }
    })?;
    if !journal.finished {
        note(&format!(
            "note: `{shown}` is an unfinished journal of `cimsim play` (no checksum line): checking its {}{}",
            count(journal.recording.days.len() as u64, "whole day", "whole days"),
            if journal.whole < bytes.len() {
                let cut = bytes.len() - journal.whole;
                format!(
                    "; the {} after its last whole line {} cut off",
                    count(cut as u64, "byte", "bytes"),
                    if cut == 1 { "was" } else { "were" }
                )
            } else {
                String::new()
            }
        ));
    }
    let recording = journal.recording;
    let checksum = record::stated_checksum(&bytes).unwrap_or_default();
    let name = format!("{} (embedded in {shown})", recording.header.scenario.name);
    let loaded = recording.load_scenario(name).map_err(|e| match e {
        Unreplayable::Scenario { source, problems } => {
            report_problems(&source, &problems);
            check_failed(&format!(
                "`{shown}`: the recorded scenario does not load in this build ({})",
                count(problems.len() as u64, "problem", "problems")
            ))
        }
        Unreplayable::Check(e) => check_failed(&format!("`{shown}`: {e}")),
    })?;
    let engine = cimsim::ENGINE_VERSION;
    if recording.header.engine_version != engine {
        note(&format!(
            "note: recorded by cimsim {}, replayed by cimsim {engine}; digests are guaranteed only within one build",
            recording.header.engine_version
        ));
    }
    Ok(Loaded {
        recording,
        scenario: loaded,
        checksum,
    })
}

/// Refuses a recording whose `worlds` worlds would not fit in memory.
pub(super) fn check_memory(l: &Loaded, worlds: u64, max_memory: Option<u64>) -> Result<(), Failure> {
    super::memory::check(
        &super::memory::Need {
            scenario: &l.scenario.scenario,
            families_per_entity: l.recording.header.families_per_entity,
            days: l.recording.days.len() as u32,
            worlds,
            fewer_worlds: None,
        },
        max_memory,
    )
}

pub(super) fn new_sim(l: &Loaded) -> Simulation {
    Simulation::with_options(
        &l.scenario.scenario,
        l.recording.seed(),
        Options {
            families_per_entity: l.recording.header.families_per_entity,
            shuffle: None,
        },
    )
}

/// Weighted resilience loss accumulated so far.
fn totals(sim: &Simulation) -> Totals {
    let view = sim.view();
    let (rules, outcomes) = (view.rules(), view.outcomes());
    Totals {
        loss: outcomes.total_loss(&rules.weights),
    }
}

/// Re-simulates the first `days` days of a recording, comparing each day
/// with the file; stops at the first mismatch and describes it. `each_day`
/// sees every verified day.
pub(super) fn verify(
    l: &Loaded,
    sim: &mut Simulation,
    days: u32,
    mut each_day: impl FnMut(&Simulation, &Day),
) -> Result<(), Failure> {
    let mut mismatch = None;
    record::drive(sim, &l.recording.inputs, days, |sim, row| {
        let expected = &l.recording.days[row.day as usize];
        if *expected == row {
            each_day(sim, &row);
            true
        } else {
            mismatch = Some((row.day, record::differences(expected, &row)));
            false
        }
    })
    .map_err(|e| check_failed(&format!("an input of the recording cannot be applied: {e}")))?;
    if let Some((day, differences)) = mismatch {
        let engine = cimsim::ENGINE_VERSION;
        let hint = if l.recording.header.engine_version == engine {
            String::new()
        } else {
            format!(
                " (recorded by cimsim {}, replayed by {engine})",
                l.recording.header.engine_version
            )
        };
        return Err(check_failed(&format!(
            "day {day} does not match the recording{hint}: {}",
            differences.join("; ")
        )));
    }
    Ok(())
}

/// The events of each day: scripted injects that fired and inputs.
fn events(sim: &Simulation, inputs: &[Input]) -> BTreeMap<u32, Vec<String>> {
    let mut out: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let view = sim.view();
    let injects = view.scripted();
    for &(day, i) in &view.inject_log().applied {
        out.entry(day).or_default().push(format!("inject {}", injects[i].id));
    }
    for input in &record::effective(inputs).unwrap_or_default() {
        let text = record::describe(input);
        out.entry(input.day()).or_default().push(text);
    }
    out
}

pub fn replay(args: ReplayArgs) -> Result<(), Failure> {
    let l = load(&args.file)?;
    // A branch runs beside the original it is checked against.
    let worlds = if args.branch.is_some() { 2 } else { 1 };
    check_memory(&l, worlds, args.max_memory)?;
    let days = l.recording.days.len() as u32;
    if days == 0 {
        return Err(check_failed(&format!("`{}` records no days", args.file.display())));
    }
    if let Some(at) = args.at {
        return situation_at(&l, at);
    }
    if let Some(from) = args.branch {
        if let Some(path) = &args.record {
            prepare_output(path)?;
        }
        return branch(&l, from, &args);
    }
    #[expect(
        clippy::disallowed_methods,
        reason = "timing the replay for stderr, outside the simulation"
    )]
    let started = std::time::Instant::now();
    let mut sim = new_sim(&l);
    let mut rows = Vec::new();
    verify(&l, &mut sim, days, |_, row| rows.push(row.clone()))?;
    note(&format!(
        "replayed and verified {} in {:.3} s",
        count(days.into(), "day", "days"),
        started.elapsed().as_secs_f64()
    ));
    let h = &l.recording.header;
    let s = &l.scenario.scenario;
    let events = events(&sim, &l.recording.inputs);
    if args.json {
        let events: Vec<serde_json::Value> = events
            .iter()
            .flat_map(|(day, list)| list.iter().map(move |e| serde_json::json!({"day": day, "event": e})))
            .collect();
        let doc = serde_json::json!({
            "schema_version": cimsim::report::SCHEMA_VERSION,
            "engine_version": cimsim::ENGINE_VERSION,
            "scenario": h.scenario,
            "seed": h.seed,
            "strategy": h.strategy,
            "strategy_for": h.strategy_for,
            "families_per_entity": h.families_per_entity,
            "days": days,
            "verified": true,
            "final_digest": rows.last().map(|r| r.digest.clone()),
            "daily": rows,
            "events": events,
        });
        return data(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
    }
    let title = format!(
        "{} — {}\nseed {}, strategy {}{}, {}{}",
        s.name,
        s.title,
        h.seed,
        h.strategy,
        if h.strategy_for.is_empty() {
            String::new()
        } else {
            let v: Vec<String> = h.strategy_for.iter().map(|(a, x)| format!("{a}={x}")).collect();
            format!(" ({})", v.join(", "))
        },
        count(days.into(), "day", "days"),
        if h.families_per_entity > 1 {
            format!(", {} families per entity", h.families_per_entity)
        } else {
            String::new()
        }
    );
    let mut text = timeline(&title, &s.start_date, &rows, &events, args.every);
    let last = rows.last().map(|r| r.digest.clone()).unwrap_or_default();
    text.push_str(&format!(
        "verified {}; final digest {last}\n",
        count(days.into(), "day", "days")
    ));
    data(&text)
}

fn situation_at(l: &Loaded, at: u32) -> Result<(), Failure> {
    let days = l.recording.days.len() as u32;
    if at >= days {
        return Err(Failure::Input(format!(
            "--at {at}: the recording has days 0 to {}",
            days - 1
        )));
    }
    let mut sim = new_sim(l);
    verify(l, &mut sim, at + 1, |_, _| {})?;
    note(&format!("verified days 0 to {at}"));
    let s = &l.scenario.scenario;
    data(&situation(&sim.view(), &s.name, &s.start_date))
}

/// The branch's new inputs, checked: strategy changes on the branch day,
/// injects on or after it.
fn branch_inputs(l: &Loaded, from: u32, args: &ReplayArgs) -> Result<Vec<Input>, Failure> {
    let s = &l.scenario.scenario;
    let mut inputs = Vec::new();
    // The names are checked as `run` checks them, on a copy.
    scenario::set_strategies(&mut s.clone(), args.strategy.as_deref(), &args.strategy_for).map_err(Failure::Input)?;
    if let Some(strategy) = &args.strategy {
        inputs.push(Input::Strategy {
            day: from,
            agency: None,
            strategy: strategy.clone(),
        });
    }
    for (agency, strategy) in &args.strategy_for {
        inputs.push(Input::Strategy {
            day: from,
            agency: Some(agency.clone()),
            strategy: strategy.clone(),
        });
    }
    for text in &args.inject {
        let input = record::parse_inject(text, s).map_err(Failure::Input)?;
        if input.day() < from {
            return Err(Failure::Input(format!(
                "--inject `{text}`: day {} is before the branch day {from}; a branch keeps the original's days before it",
                input.day()
            )));
        }
        if input.day() >= l.recording.days.len() as u32 {
            return Err(Failure::Input(format!(
                "--inject `{text}`: day {} is not simulated (the recording ends after day {})",
                input.day(),
                l.recording.days.len() as u32 - 1
            )));
        }
        inputs.push(input);
    }
    Ok(inputs)
}

fn branch(l: &Loaded, from: u32, args: &ReplayArgs) -> Result<(), Failure> {
    let days = l.recording.days.len() as u32;
    if from >= days {
        return Err(Failure::Input(format!(
            "--branch {from}: the recording has days 0 to {}",
            days - 1
        )));
    }
    // The original's inputs stay (those from the branch day on too: a
    // what-if adds choices to the history, it does not erase it); the new
    // ones come after the original's on the same day.
    let mut inputs = l.recording.inputs.clone();
    inputs.extend(branch_inputs(l, from, args)?);
    inputs.sort_by_key(Input::day);
    let before_day = from.checked_sub(1);
    // The original (verified) and the branch are separate worlds: they run
    // side by side.
    let (original, branched) = std::thread::scope(|scope| {
        let original = scope.spawn(|| {
            let mut sim = new_sim(l);
            let mut rows = Vec::new();
            let mut before = Totals::default();
            verify(l, &mut sim, days, |sim, row| {
                if Some(row.day) == before_day {
                    before = totals(sim);
                }
                rows.push(row.clone());
            })
            .map(|()| (rows, before, totals(&sim)))
        });
        let mut sim = new_sim(l);
        let mut rows = Vec::new();
        let driven = record::drive(&mut sim, &inputs, days, |_, row| {
            rows.push(row);
            true
        });
        let branched = driven.map(|()| (rows, totals(&sim)));
        (original.join(), branched)
    });
    let (rows, before, end) = original.map_err(|_| Failure::Input("the original's replay panicked".to_string()))??;
    let (branch_rows, branch_end) =
        branched.map_err(|e| Failure::Input(format!("an input of the branch cannot be applied: {e}")))?;
    if let Some(d) = (0..from as usize).find(|&d| rows[d].digest != branch_rows[d].digest) {
        return Err(check_failed(&format!(
            "the branch differs from the original on day {d}, before the branch day {from}: a bug in cimsim"
        )));
    }
    if let Some(path) = &args.record {
        let mut recording = l.recording.clone();
        recording.header.engine_version = cimsim::ENGINE_VERSION.to_string();
        // A branch is written whole, even when its original is a journal.
        recording.header.journal = false;
        recording.header.branch = Some(record::v1::BranchOf {
            original: l.checksum.clone(),
            day: from,
        });
        recording.inputs = inputs;
        recording.days = branch_rows.clone();
        let bytes = recording.to_bytes();
        write_atomically(path, |w| w.write_all(&bytes))?;
        note(&format!("recorded the branch to {}", path.display()));
    }
    if args.json {
        let from = from as usize;
        let doc = serde_json::json!({
            "schema_version": cimsim::report::SCHEMA_VERSION,
            "branch_day": from,
            "first_difference": (0..rows.len()).find(|&d| rows[d].digest != branch_rows[d].digest),
            "resilience_loss_from_branch_day": {
                "original": cimsim::round::r6(end.loss - before.loss),
                "branch": cimsim::round::r6(branch_end.loss - before.loss),
            },
            "original": &rows[from..],
            "branch": &branch_rows[from..],
        });
        return data(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
    }
    data(&branch_comparison(
        from,
        &rows,
        &branch_rows,
        before,
        (end, branch_end),
        args.every,
    ))
}
