//! A live tabletop exercise: players order their ministries' crews, the
//! facilitator injects events and advances the clock, and every accepted
//! command is journaled. `cimsim play` is one front end of a [`Session`]
//! (a terminal); a fuzzer feeding it lines from memory is another
//! ([`feed_in_memory`]).
//!
//! An order is applied to the world as soon as it is accepted: orders act
//! at the start of the next day to simulate, and nothing happens between the
//! moment an order is given and that start, so applying it at once is
//! applying it then, and it lets every order be checked against the state
//! it will act on.
//!
//! Nothing is lost: the journal is a recorded run being written (header,
//! scenario, then each accepted order and each simulated day, one line
//! each), handed to the session's [`Journal`] before the console answers.
//! `quit` closes it with its checksum line. [`Session::resume`] re-simulates
//! a journal verifying every day's digest and goes on writing it. `undo`
//! journals an undo record and rebuilds the world from the journal without
//! the order it takes back.
//!
//! No IO here: the front end owns the journal's file, reads the lines and
//! prints the answers.

mod commands;
mod journal;

pub use commands::{COMMANDS, help};
pub use journal::{Journal, MemoryJournal, closed};

use crate::record::{self, Day, Input};
use crate::report::RunReport;
use crate::report::console::play::{Snapshot, Turn, turn_report};
use crate::report::text::cooperation_text;
use crate::scenario::{self, LoadedScenario};
use crate::score::references;
use crate::sim::{InputError, Options, Simulation};

/// What a command did, for the front end to show.
#[derive(Debug)]
pub enum Answer {
    /// The command was done (`cimsim play` prints it on stderr).
    Done(String),
    /// The command was refused and changed nothing (stderr).
    Refused(String),
    /// The answer to a question: a report or a table (stdout).
    Data(String),
    /// Days were simulated: `first..=last`, then the report that opens the
    /// next turn.
    Advanced { first: u32, last: u32, report: String },
    /// The session ends.
    Quit,
}

/// Why a session cannot go on.
#[derive(Debug)]
pub enum Fault {
    /// The journal cannot be written or read, or an input is unusable.
    Input(String),
    /// A journal does not verify: it was recorded by another build, changed,
    /// or holds an input this build cannot apply.
    Check(String),
}

/// A running exercise.
pub struct Session {
    scenario: LoadedScenario,
    seed: u64,
    families_per_entity: u32,
    sim: Simulation,
    /// Every input journaled, undos included, in order.
    inputs: Vec<Input>,
    rows: Vec<Day>,
    /// The day each `advance` simulated from, in order (the journal's
    /// `advance` lines): turn n opens after n - 1 advances.
    advances: Vec<u32>,
    journal: Box<dyn Journal>,
    turn_days: u32,
    /// The state when the current turn opened.
    before: Snapshot,
    /// The silo and central references, kept at the end of the last
    /// simulated day (they inherit only the facilitator's injects,
    /// `score::references::inherited_inputs`).
    references: Option<[Simulation; 2]>,
}

/// The agencies people play, each once, checked against the scenario's.
pub fn check_humans(loaded: &LoadedScenario, asked: &[String]) -> Result<Vec<String>, String> {
    let ids: Vec<&str> = loaded.scenario.agencies.iter().map(|a| a.id.as_str()).collect();
    let mut humans: Vec<String> = Vec::new();
    for h in asked {
        let h = h.trim();
        if h.is_empty() || humans.iter().any(|x| x == h) {
            continue;
        }
        if !ids.contains(&h) {
            let hint = scenario::did_you_mean(h, &ids).map_or(String::new(), |s| format!("; {s}"));
            return Err(format!(
                "--human: unknown agency `{h}`{hint} (agencies: {})",
                ids.join(", ")
            ));
        }
        humans.push(h.to_string());
    }
    Ok(humans)
}

/// Runs command lines through a new exercise as `play` runs standard
/// input, until `quit` or the end of the lines, with its journal kept in
/// memory: no file is written (`save` is refused) and the answers are not
/// shown. `untrusted::console` feeds it a fuzzer's lines. Returns the
/// journal as written, without its checksum line.
pub fn feed_in_memory(
    loaded: LoadedScenario,
    seed: u64,
    families_per_entity: u32,
    humans: &[String],
    turn_days: u32,
    lines: impl Iterator<Item = std::io::Result<String>>,
) -> Result<Vec<u8>, Fault> {
    let mut session = Session::start(loaded, seed, families_per_entity, humans, turn_days, |first| {
        Ok(Box::new(MemoryJournal::new(first)))
    })?;
    session.open_turn();
    for line in lines {
        // As `play` does, a line that cannot be read ends the input.
        let Ok(line) = line else { break };
        if let Answer::Quit = session.command(&line)? {
            break;
        }
    }
    session.journal.written()
}

/// What [`Session::finish`] leaves: the journal as named in messages, the
/// days simulated, and the closing summary.
pub struct Closed {
    pub journal: String,
    pub days: usize,
    pub summary: String,
}

impl Session {
    /// A new exercise on `loaded` (its strategies set, `humans` checked by
    /// [`check_humans`]), with the journal `open` makes from its first lines.
    pub fn start(
        loaded: LoadedScenario,
        seed: u64,
        families_per_entity: u32,
        humans: &[String],
        turn_days: u32,
        open: impl FnOnce(&[u8]) -> Result<Box<dyn Journal>, Fault>,
    ) -> Result<Session, Fault> {
        let inputs: Vec<Input> = humans
            .iter()
            .map(|h| Input::Human {
                day: 0,
                agency: h.clone(),
                standing: true,
            })
            .collect();
        let mut recording = record::Recording::new(&loaded, seed, families_per_entity, inputs.clone());
        recording.header.journal = true;
        let journal = open(&recording.body_bytes())?;
        let sim = rebuild(&loaded, seed, families_per_entity, &inputs, &[], None)?;
        Ok(Session::new(
            loaded,
            seed,
            families_per_entity,
            sim,
            (inputs, Vec::new(), Vec::new()),
            journal,
            turn_days,
        ))
    }

    /// Goes on with a journal's exercise: re-simulates its days, verifying
    /// each against the journal, and applies the orders of the day it
    /// stopped on. Only then is the journal reopened, by `open`: a journal
    /// that does not verify is left as it was.
    pub fn resume(
        loaded: LoadedScenario,
        recording: record::Recording,
        turn_days: u32,
        open: impl FnOnce() -> Result<Box<dyn Journal>, Fault>,
    ) -> Result<Session, Fault> {
        let seed = recording.seed();
        let families_per_entity = recording.header.families_per_entity;
        let sim = rebuild(
            &loaded,
            seed,
            families_per_entity,
            &recording.inputs,
            &recording.days,
            Some(&recording.days),
        )?;
        let journal = open()?;
        // An advance cut off before its first day was written did not happen.
        let mut advances = recording.advances;
        advances.retain(|&d| (d as usize) < recording.days.len());
        Ok(Session::new(
            loaded,
            seed,
            families_per_entity,
            sim,
            (recording.inputs, recording.days, advances),
            journal,
            turn_days,
        ))
    }

    /// `journaled` is what the journal holds: the inputs, the day rows and
    /// the advances.
    fn new(
        scenario: LoadedScenario,
        seed: u64,
        families_per_entity: u32,
        sim: Simulation,
        journaled: (Vec<Input>, Vec<Day>, Vec<u32>),
        journal: Box<dyn Journal>,
        turn_days: u32,
    ) -> Self {
        let before = Snapshot::take(&sim.view());
        let (inputs, rows, advances) = journaled;
        Session {
            scenario,
            seed,
            families_per_entity,
            sim,
            inputs,
            rows,
            advances,
            journal,
            turn_days,
            before,
            references: None,
        }
    }

    /// The number of the turn open now: one more than the advances so far,
    /// so `advance 30` in a session of 10-day turns is one turn, and a
    /// resumed session numbers its turns as the uninterrupted one did.
    pub fn turn(&self) -> u32 {
        self.advances.len() as u32 + 1
    }

    /// The next day to simulate.
    pub fn day(&self) -> u32 {
        self.sim.day()
    }

    /// Days simulated so far.
    pub fn days_simulated(&self) -> usize {
        self.rows.len()
    }

    /// Inputs in force, undos resolved: the orders and injects, and the
    /// players' agencies.
    pub fn inputs_in_force(&self) -> usize {
        record::effective(&self.inputs).map_or(0, |i| i.len())
    }

    /// The world rebuilt from the journal (after an `undo`).
    fn rebuild(&self) -> Result<Simulation, Fault> {
        rebuild(
            &self.scenario,
            self.seed,
            self.families_per_entity,
            &self.inputs,
            &self.rows,
            None,
        )
    }

    /// The report that opens a turn.
    pub fn open_turn(&mut self) -> String {
        let turn = self.turn_context(self.before.day);
        let text = turn_report(&self.sim.view(), &turn, &self.before);
        self.before = Snapshot::take(&self.sim.view());
        let horizon = self.sim.horizon();
        if self.day() >= horizon {
            format!(
                "{text}\nThe scenario's last day ({}) has been simulated: `score`, `status`, then `quit` for the summary.\n",
                horizon - 1
            )
        } else {
            text
        }
    }

    /// What the turn report needs from the session: the turn's number and
    /// the facilitator's own injects that acted from day `since` and that
    /// are due in the next turn.
    fn turn_context(&self, since: u32) -> Turn {
        let today = self.day();
        let days = today..(today + self.turn_days.max(1)).min(self.sim.horizon());
        let mut turn = Turn {
            number: self.turn(),
            start_date: self.scenario.scenario.start_date.clone(),
            days: days.clone(),
            ..Turn::default()
        };
        for input in record::effective(&self.inputs).unwrap_or_default() {
            match input {
                Input::Inject { day, effect } if (since..today).contains(&day) => {
                    turn.manual_fired
                        .push((day, format!("the facilitator's inject: {effect}")));
                }
                Input::Later { at, effect, .. } if (since..today).contains(&at) => {
                    turn.manual_fired
                        .push((at, format!("the facilitator's inject: {effect}")));
                }
                Input::Later { at, effect, .. } if days.contains(&at) => {
                    turn.manual_due
                        .push((at, format!("the facilitator's inject: {effect}")));
                }
                _ => {}
            }
        }
        turn
    }

    /// Journals one accepted input.
    fn journal(&mut self, input: &Input) -> Result<(), Fault> {
        let line = record::to_line(&record::current::Line::Input(input.clone()));
        self.journal.append(line.as_bytes())?;
        self.inputs.push(input.clone());
        Ok(())
    }

    /// Checks and applies an order or inject; journals it when accepted.
    fn order(&mut self, input: Input) -> Result<Answer, Fault> {
        if self.day() >= self.sim.horizon() {
            return Ok(Answer::Refused(
                "the scenario's last day has been simulated: nothing can act any more; `quit` ends the exercise"
                    .to_string(),
            ));
        }
        let applied = record::to_sim(&input).and_then(|i| self.sim.apply(&i).map_err(|e| self.explain(e)));
        match applied {
            Ok(()) => {
                self.journal(&input)?;
                Ok(Answer::Done(format!("ok: {}", record::describe(&input))))
            }
            Err(why) => Ok(Answer::Refused(why)),
        }
    }

    /// An engine refusal, with a suggestion for a mistyped id.
    fn explain(&self, e: InputError) -> String {
        let names = self.sim.view().names();
        let hint = |found: &str, list: &[String]| {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            scenario::did_you_mean(found, &list).map_or(String::new(), |s| format!("; {s}"))
        };
        match &e {
            InputError::UnknownCrew(id) => match hint(id, &names.crews) {
                h if h.is_empty() => e.to_string(),
                h => format!("no crew `{id}`{h}"),
            },
            InputError::UnknownAgency(id) => format!("{e}{}", hint(id, &names.agencies)),
            _ => e.to_string(),
        }
    }

    /// The silo and central references brought to the end of the last
    /// simulated day: the same seed and the inputs they inherit from the
    /// session (`score::references::inherited_inputs`: the facilitator's
    /// injects left standing, nothing the players did; DESIGN 3.6).
    fn references(&mut self) -> Result<&mut [Simulation; 2], String> {
        let inherited = references::inherited_inputs(&self.inputs)?;
        let days = self.rows.len() as u32;
        let refs = match self.references.take() {
            Some(r) => r,
            None => references::reference_scenarios(&self.scenario)
                .map(|s| Simulation::with_options(&s.scenario, self.seed, options(self.families_per_entity))),
        };
        let mut refs = refs;
        for sim in &mut refs {
            let more = days.saturating_sub(sim.day());
            record::drive(sim, &inherited, more, |_, _| true)?;
        }
        Ok(self.references.insert(refs))
    }

    /// The run's report with its references, as of the end of the last
    /// simulated day.
    fn report(&mut self) -> Result<RunReport, String> {
        let scenario = self.scenario.clone();
        let seed = self.seed;
        let [silo_scenario, central_scenario] = references::reference_scenarios(&scenario);
        let [silo, central] = self.references()?;
        let silo = RunReport::new(silo, &silo_scenario, seed);
        let central = RunReport::new(central, &central_scenario, seed);
        let mut report = RunReport::new(&self.sim, &scenario, seed);
        report.score(&silo, &central);
        Ok(report)
    }

    fn score(&mut self) -> String {
        if self.rows.is_empty() {
            return "No day has been simulated yet: nothing to score.\n".to_string();
        }
        match self.report() {
            Ok(report) => format!(
                "Score after day {} ({} simulated)\n{}",
                self.rows.len() - 1,
                crate::report::text::count(self.rows.len() as u64, "day", "days"),
                crate::report::text::wrap_lines(&cooperation_text(&report))
            ),
            Err(e) => format!("cannot score: {e}\n"),
        }
    }

    /// Ends the exercise: closes the journal with its checksum line and
    /// writes the summary.
    pub fn finish(mut self) -> Result<Closed, Fault> {
        let body = self.journal.written()?;
        self.journal.append(journal::checksum_line(&body).as_bytes())?;
        let journal = self.journal.shown();
        let days = self.rows.len();
        if self.rows.is_empty() {
            return Ok(Closed {
                journal,
                days,
                summary: "End of the exercise: no day was simulated.\n".to_string(),
            });
        }
        let report = self.report().map_err(Fault::Input)?;
        let last = self.rows.last().map(|r| r.digest.clone()).unwrap_or_default();
        let summary = closing_summary(&report, self.rows.len() as u32 - 1, &last, &journal);
        Ok(Closed { journal, days, summary })
    }
}

/// Columns the console's sentences are wrapped to.
/// Missed opportunities the closing summary names; the after-action report
/// has them all.
const MISSED_SHOWN: usize = 3;

/// The short account `quit` prints: where the city stands, the score against
/// the references, the biggest missed opportunities, and where the rest is.
fn closing_summary(report: &RunReport, last_day: u32, digest: &str, journal: &str) -> String {
    use crate::report::text::{big, wrap};
    let mut out = format!("End of the exercise after day {last_day} — final digest {digest}\n");
    let r = &report.returns;
    out.push_str(&format!(
        "  back home: {} of the {} displaced on day 0 ({})\n",
        big(r.returned_share * r.initially_displaced_people as f64),
        crate::report::text::count(r.initially_displaced_people, "person", "people"),
        crate::report::text::pct(r.returned_share)
    ));
    if let Some(refs) = &report.references {
        out.push_str("  resilience loss (person-days):\n");
        for (who, loss) in [
            ("the exercise", report.resilience_loss.total),
            ("everyone alone (silo)", refs.silo.resilience_loss.total),
            ("one planner (central)", refs.central.resilience_loss.total),
        ] {
            out.push_str(&format!("    {who:<24} {:>14}\n", big(loss)));
        }
        let efficiency = report.cooperation.coordination_efficiency.map_or_else(
            || crate::report::text::efficiency_undefined(refs),
            |e| format!("{e:.2}"),
        );
        out.push_str(&wrap(&format!("coordination efficiency {efficiency}"), "  ", "    "));
    }
    let missed = crate::report::text::missed_opportunities(report);
    if missed.is_empty() {
        out.push_str("  No agency waited on another: no missed opportunity in the ledger.\n");
    } else {
        out.push_str("  The biggest missed opportunities:\n");
        for (i, m) in missed.iter().take(MISSED_SHOWN).enumerate() {
            out.push_str(&wrap(m, &format!("  {}. ", i + 1), "     "));
        }
    }
    out.push_str(&wrap(
        &format!(
            "The rest (every table, the timeline, strengths and areas for improvement): `cimsim report {journal}` writes the after-action report; `cimsim replay {journal}` shows the timeline."
        ),
        "",
        "",
    ));
    out
}

fn options(families_per_entity: u32) -> Options {
    Options {
        families_per_entity,
        shuffle: None,
    }
}

/// A world at the current point of an exercise, built from its journal's
/// inputs: the days of `rows` simulated (each compared with `expected` when
/// given), then the orders of the current day applied.
fn rebuild(
    scenario: &LoadedScenario,
    seed: u64,
    families_per_entity: u32,
    inputs: &[Input],
    rows: &[Day],
    expected: Option<&[Day]>,
) -> Result<Simulation, Fault> {
    let mut sim = Simulation::with_options(&scenario.scenario, seed, options(families_per_entity));
    let days = rows.len() as u32;
    let mut mismatch = None;
    record::drive(&mut sim, inputs, days, |_, row| {
        match expected.and_then(|e| e.get(row.day as usize)) {
            Some(e) if *e != row => {
                mismatch = Some((row.day, record::differences(e, &row)));
                false
            }
            _ => true,
        }
    })
    .map_err(|e| Fault::Check(format!("an input of the journal cannot be applied: {e}")))?;
    if let Some((day, diff)) = mismatch {
        return Err(Fault::Check(format!(
            "day {day} does not match the journal: {}; the journal was recorded by another build or changed",
            diff.join("; ")
        )));
    }
    if sim.day() != days {
        return Err(Fault::Check(format!(
            "the journal records {}, beyond the scenario's horizon",
            crate::report::text::count(days.into(), "day", "days")
        )));
    }
    let today = record::effective(inputs).map_err(Fault::Check)?;
    for input in today.iter().filter(|i| i.day() == days) {
        let applied = record::to_sim(input).and_then(|i| sim.apply(&i).map_err(|e| e.to_string()));
        if let Err(e) = applied {
            return Err(Fault::Check(format!(
                "an order of day {days} in the journal cannot be applied: {e}"
            )));
        }
    }
    Ok(sim)
}
