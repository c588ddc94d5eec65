//! One entry point per decoder of untrusted input, for the fuzz targets in
//! `fuzz/` and the test that runs their corpora (`docs/fuzzing.md`).
//!
//! Each takes any bytes and hands them to the code the command line hands
//! them to: nothing here decodes on its own, so a crash found through an
//! entry point is a crash of `cimsim`. Each returns whether the input was
//! accepted (the corpus test checks that known-good seeds still are; the
//! fuzz targets ignore it). Whatever the bytes, an entry point never panics,
//! never writes a file and takes well under a second: a panic is a bug of
//! the decoder. The work after decoding (simulated days, sweep points,
//! console lines) is bounded here, and only the work.

use std::io::BufRead;
use std::sync::OnceLock;

use crate::compare;
use crate::record::{self, Recording, Unreplayable};
use crate::report::{RunReport, summary_text};
use crate::scenario::{self, LoadedScenario, ScenarioSource, diagnostic, edit};
use crate::sim::{Options, Simulation};

/// Why an input was not accepted: the message the command line would give.
pub type Refusal = String;

/// Days `scenario_run` simulates at most.
pub const RUN_DAYS: u32 = 3;

/// Household entities `scenario_run` builds at most: families are grouped
/// coarsely enough (`families_per_entity`) to stay under it.
pub const RUN_ENTITIES: u64 = 5_000;

/// Crews over all agencies above which `scenario_run` loads the scenario
/// but does not run it: crews are not grouped, and a million of them (the
/// validation limit) is minutes of work, not a bug.
pub const RUN_CREWS: u64 = 5_000;

/// Sweep points `set` builds at most (it checks every value).
pub const SET_POINTS: usize = 4;

/// Console lines `console` runs at most. The tutorial's 180 days take about
/// 10 ms, and an `undo` or a `score` re-simulates them, so a line costs at
/// most that.
pub const CONSOLE_LINES: usize = 32;

/// The seed of every simulation here.
const SEED: u64 = 1;

/// The tutorial scenario, loaded once: what injects, sweeps and console
/// lines are checked against.
fn tutorial() -> &'static LoadedScenario {
    static TUTORIAL: OnceLock<LoadedScenario> = OnceLock::new();
    TUTORIAL.get_or_init(|| {
        let source = scenario::builtin("tutorial").expect("the tutorial is built in");
        scenario::load(source).expect("the built-in tutorial loads")
    })
}

/// Bytes as the command line takes them: a file's text must be UTF-8, and
/// so must an argument (clap refuses any other).
fn text(data: &[u8]) -> Result<&str, Refusal> {
    std::str::from_utf8(data).map_err(|e| format!("not UTF-8 (first invalid byte at offset {})", e.valid_up_to()))
}

/// A scenario file, as `cimsim validate FILE` reads it: loaded with every
/// check, and its problems rendered with their source snippets.
pub fn scenario(data: &[u8]) -> Result<LoadedScenario, Refusal> {
    let source = ScenarioSource {
        name: "fuzzed.ron".to_string(),
        text: text(data)?.to_string(),
    };
    scenario::load(source.clone()).map_err(|problems| {
        // Rendering points into the text at each problem's span: part of
        // what the command line does with a file that does not load.
        let rendered = diagnostic::render_all(&source, &problems, false);
        format!("{} problems\n{rendered}", problems.len())
    })
}

/// A scenario file run as `cimsim run FILE --days 3` runs it (without the
/// reference runs), at most [`RUN_DAYS`] days with families grouped into at
/// most [`RUN_ENTITIES`] entities, and reported.
pub fn scenario_run(data: &[u8]) -> Result<(), Refusal> {
    let loaded = scenario(data)?;
    let s = &loaded.scenario;
    let crews = s.total_crews();
    if crews > RUN_CREWS {
        return Ok(());
    }
    let households: u64 = s.population.iter().map(|p| u64::from(p.households)).sum();
    let families_per_entity = households.div_ceil(RUN_ENTITIES).clamp(1, 10_000) as u32;
    let options = Options {
        families_per_entity,
        shuffle: None,
    };
    let mut sim = Simulation::with_options(s, SEED, options);
    record::drive(&mut sim, &[], RUN_DAYS.min(s.horizon_days), |_, _| true)?;
    let report = RunReport::new(&sim, &loaded, SEED);
    let outcomes = sim.view().outcomes().clone();
    summary_text(&report, &outcomes);
    Ok(())
}

/// What `replay`, `report` and `play --resume` check once a file reads:
/// the embedded scenario loads, the strategies and inputs fit it.
fn replayable(recording: &Recording) -> Result<(), Refusal> {
    match recording.load_scenario("the embedded scenario".to_string()) {
        Ok(_) => Ok(()),
        Err(Unreplayable::Scenario { problems, .. }) => Err(format!(
            "the recorded scenario does not load ({} problems)",
            problems.len()
        )),
        Err(Unreplayable::Check(e)) => Err(e),
    }
}

/// A recorded run (`cimsim run --record`), read as a finished file and
/// checked as `replay` checks it before simulating.
pub fn recording(data: &[u8]) -> Result<(), Refusal> {
    let recording = Recording::from_bytes(data).map_err(|e| e.to_string())?;
    replayable(&recording)
}

/// A journal of `cimsim play`, finished or not, read as `replay` and
/// `play --resume` read it and checked as they check it.
pub fn journal(data: &[u8]) -> Result<(), Refusal> {
    let journal = Recording::from_journal(data).map_err(|e| e.to_string())?;
    replayable(&journal.recording)
}

/// `--inject DAY:EFFECT` of `run` and `replay --branch`, against the
/// tutorial.
pub fn inject(data: &[u8]) -> Result<(), Refusal> {
    record::parse_inject(text(data)?, &tutorial().scenario).map(|_| ())
}

/// `--set PATH=V1,V2,...` of `compare`, against the tutorial: every value
/// checked, the first [`SET_POINTS`] scenarios built and loaded.
pub fn set(data: &[u8]) -> Result<(), Refusal> {
    let base = tutorial();
    let (path, values) = edit::parse_sweep(text(data)?)?;
    edit::check(&base.scenario, &path, &values)?;
    for v in values.iter().take(SET_POINTS) {
        edit::set(base, &path, v)?;
    }
    Ok(())
}

/// Lines typed at the console of `cimsim play tutorial --human
/// water,electricity,defence --family-per-entity 10`, at most
/// [`CONSOLE_LINES`], with the journal kept in memory. The
/// journal the session wrote must read back and check as `play --resume`
/// reads it: a session's own journal that does not is a bug, so it panics.
pub fn console(data: &[u8]) -> Result<(), Refusal> {
    let humans = ["water", "electricity", "defence"].map(String::from);
    let lines = data.lines().take(CONSOLE_LINES);
    let written = crate::exercise::feed_in_memory(tutorial().clone(), SEED, 10, &humans, 7, lines)
        .map_err(|e| format!("the session ended: {e:?}"))?;
    let journal =
        Recording::from_journal(&written).unwrap_or_else(|e| panic!("a session's journal does not read back: {e}"));
    if let Err(e) = replayable(&journal.recording) {
        panic!("a session's journal does not check: {e}");
    }
    Ok(())
}

/// A partial result of `compare --shard`, read and merged as `cimsim merge
/// PART` merges it, then assembled and summarised.
pub fn compare_part(data: &[u8]) -> Result<(), Refusal> {
    let name = "fuzzed.json";
    let part = compare::read_part(name, data)?;
    let merged = compare::merge(vec![(name.to_string(), part)])?;
    compare::render::summary_text(&compare::assemble(&merged));
    Ok(())
}
