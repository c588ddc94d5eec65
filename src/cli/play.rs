//! `cimsim play`: the facilitator's console for a live tabletop exercise.
//!
//! Commands are read line by line from standard input (a terminal or a
//! pipe, so exercises can be scripted); reports go to stdout, answers to
//! orders and refusals to stderr. An order is applied to the world as soon
//! as it is accepted: orders act at the start of the next day to simulate,
//! and nothing happens between the moment an order is given and that start,
//! so applying it at once is applying it then, and it lets every order be
//! checked against the state it will act on.
//!
//! Nothing is lost: the journal is a recorded run being written (header,
//! scenario, then each accepted order and each simulated day, one line
//! each), appended and synced to disk before the console answers. `quit`
//! or the end of input closes it with its checksum line. `--resume` reads
//! a journal up to its last whole line, re-simulates it verifying every
//! day's digest, and goes on writing it. `undo` journals an undo record and
//! rebuilds the world from the journal without the order it takes back.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{Failure, data, error, note, read_bounded, report_problems, write_atomically};
use super::run::{agency_strategy, load_scenario};
use crate::hash::{fnv1a64, hex16};
use crate::record::{self, Day, Input, Recording, Unreplayable};
use crate::report::play::{Snapshot, agency_detail, asset_detail, district_detail, turn_report};
use crate::report::{RunReport, cooperation_text, summary_text};
use crate::scenario::{self, LoadedScenario};
use crate::score::references;
use crate::sim::ledger::Outcomes;
use crate::sim::setup::Names;
use crate::sim::{InputError, Options, Simulation};

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// A built-in scenario name or a path to a `.ron` file.
    #[arg(value_name = "SCENARIO", default_value = scenario::DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Seed of the exercise; when absent one is chosen and printed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Strategy of the agencies nobody plays (and of the players' agencies'
    /// sharing): `silo`, `liaison`, `cell`, `central` or one the scenario
    /// defines.
    #[arg(long, value_name = "STRATEGY")]
    pub strategy: Option<String>,
    /// Strategy for one agency, after `--strategy` (repeatable).
    #[arg(long, value_name = "AGENCY=STRATEGY", value_parser = agency_strategy)]
    pub strategy_for: Vec<(String, String)>,
    /// Agencies played by people, by id, e.g. `--human water,electricity`.
    #[arg(long, value_name = "AGENCY,...", value_delimiter = ',')]
    pub human: Vec<String>,
    /// Days a plain `advance` moves the clock.
    #[arg(long, value_name = "DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub turn_days: u32,
    /// The journal to write (a new file); by default
    /// `play-SCENARIO-SEED.journal`, numbered if it exists.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Go on with the exercise recorded in JOURNAL (after a crash, a closed
    /// laptop or a `quit`): every other setting comes from the journal.
    #[arg(long, value_name = "JOURNAL", conflicts_with_all = ["seed", "strategy", "strategy_for", "human", "journal", "family_per_entity"])]
    pub resume: Option<PathBuf>,
    /// Families per household entity: 1 (the default) is full resolution.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub family_per_entity: u32,
    /// Refuse to start when the worlds this command builds are estimated to
    /// need more memory than SIZE (e.g. `4G`, `512MiB`); without it, the
    /// memory the machine, its cgroup and `ulimit -v` leave available.
    #[arg(long, value_name = "SIZE", value_parser = super::memory::parse_size)]
    pub max_memory: Option<u64>,
}

/// A refusal or an answer to print, or a failure that ends the session.
enum Outcome {
    /// Printed on stderr: the command was done.
    Done(String),
    /// Printed on stderr: the command was refused and changed nothing.
    Refused(String),
    /// Printed on stdout.
    Data(String),
    /// The session ends.
    Quit,
}

/// A running exercise.
struct Session {
    scenario: LoadedScenario,
    seed: u64,
    families_per_entity: u32,
    sim: Simulation,
    /// Every input journaled, undos included, in order.
    inputs: Vec<Input>,
    rows: Vec<Day>,
    journal: Sink,
    turn_days: u32,
    turn: u32,
    /// The state when the current turn opened.
    before: Snapshot,
    /// The silo and central references, kept at the end of the last
    /// simulated day (they inherit only the facilitator's injects,
    /// `score::references::inherited_inputs`).
    references: Option<[Simulation; 2]>,
}

pub fn play(args: PlayArgs) -> Result<(), Failure> {
    let mut session = match &args.resume {
        Some(path) => resume(path, args.turn_days, args.max_memory)?,
        None => start(&args)?,
    };
    let report = session.open_turn();
    data(&report)?;
    let mut input = CommandLines::new();
    if input.interactive() {
        note("type `help` for the commands, `quit` to end the exercise; arrows edit and recall commands");
    }
    loop {
        let line = match input.next(&format!("day {}> ", session.sim.day())) {
            None => break,
            Some(Ok(line)) => line,
            Some(Err(e)) if e.kind() == io::ErrorKind::InvalidData => {
                note(&format!("refused: {e}"));
                continue;
            }
            Some(Err(e)) => {
                error(&format!("cannot read the next command: {e}"));
                break;
            }
        };
        match session.command(&line)? {
            Outcome::Done(text) => note(&text),
            Outcome::Refused(text) => note(&format!("refused: {text}")),
            Outcome::Data(text) => data(&text)?,
            Outcome::Quit => break,
        }
    }
    session.finish()
}

/// Where commands come from: a line editor with history on a terminal
/// (rustyline), plain lines when standard input is piped (scripted
/// exercises, tests).
enum CommandLines {
    Terminal(Box<rustyline::DefaultEditor>),
    Piped(io::StdinLock<'static>),
}

/// Longest command line read. The longest real command, an inject with its
/// effect, is a few hundred bytes; a longer line is refused (and skipped to
/// its end) instead of being held in memory whole, however long it is.
const MAX_COMMAND_BYTES: usize = 16 * 1024;

/// The next line of piped input, without its line ending; `None` at the end.
/// A line longer than [`MAX_COMMAND_BYTES`] or not UTF-8 is an
/// `InvalidData` error, after which reading goes on at the next line.
fn bounded_line(input: &mut impl BufRead) -> Option<io::Result<String>> {
    use io::Read as _;
    let mut line = Vec::new();
    match input
        .by_ref()
        .take(MAX_COMMAND_BYTES as u64 + 1)
        .read_until(b'\n', &mut line)
    {
        Ok(0) => return None,
        Ok(_) => {}
        Err(e) => return Some(Err(e)),
    }
    if line.len() > MAX_COMMAND_BYTES && !line.ends_with(b"\n") {
        // Skip the rest of the line a buffer at a time.
        loop {
            let (done, used) = match input.fill_buf() {
                Ok([]) => (true, 0),
                Ok(buf) => match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => (true, i + 1),
                    None => (false, buf.len()),
                },
                Err(e) => return Some(Err(e)),
            };
            input.consume(used);
            if done {
                break;
            }
        }
        return Some(Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a command line longer than {MAX_COMMAND_BYTES} bytes"),
        )));
    }
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    Some(
        String::from_utf8(line)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a line that is not UTF-8 text")),
    )
}

impl CommandLines {
    fn new() -> Self {
        if io::stdin().is_terminal()
            && let Ok(editor) = rustyline::DefaultEditor::new()
        {
            return CommandLines::Terminal(Box::new(editor));
        }
        CommandLines::Piped(io::stdin().lock())
    }

    fn interactive(&self) -> bool {
        matches!(self, CommandLines::Terminal(_))
    }

    /// The next command line; `None` at the end of input (Ctrl-D). Ctrl-C
    /// abandons the line being typed, not the exercise.
    fn next(&mut self, prompt: &str) -> Option<io::Result<String>> {
        match self {
            CommandLines::Piped(input) => bounded_line(input),
            CommandLines::Terminal(editor) => loop {
                match editor.readline(prompt) {
                    Ok(line) => {
                        if !line.trim().is_empty() {
                            let _ = editor.add_history_entry(line.as_str());
                        }
                        return Some(Ok(line));
                    }
                    Err(rustyline::error::ReadlineError::Interrupted) => continue,
                    Err(rustyline::error::ReadlineError::Eof) => return None,
                    Err(e) => return Some(Err(io::Error::other(e))),
                }
            },
        }
    }
}

/// Refuses an exercise whose world and the two references `score` builds
/// beside it would not fit in memory, before the journal is written.
fn check_memory(s: &scenario::Scenario, families_per_entity: u32, max_memory: Option<u64>) -> Result<(), Failure> {
    super::memory::check(
        &super::memory::Need {
            scenario: s,
            families_per_entity,
            days: s.horizon_days,
            worlds: 3,
            fewer_worlds: None,
        },
        max_memory,
    )
}

/// Creates the journal and the world of a new exercise.
fn start(args: &PlayArgs) -> Result<Session, Failure> {
    let mut loaded = load_scenario(&args.scenario)?;
    scenario::set_strategies(&mut loaded.scenario, args.strategy.as_deref(), &args.strategy_for)
        .map_err(Failure::Input)?;
    let ids: Vec<&str> = loaded.scenario.agencies.iter().map(|a| a.id.as_str()).collect();
    let mut humans: Vec<String> = Vec::new();
    for h in &args.human {
        let h = h.trim();
        if h.is_empty() || humans.iter().any(|x| x == h) {
            continue;
        }
        if !ids.contains(&h) {
            let hint = scenario::did_you_mean(h, &ids).map_or(String::new(), |s| format!("; {s}"));
            return Err(Failure::Input(format!(
                "--human: unknown agency `{h}`{hint} (agencies: {})",
                ids.join(", ")
            )));
        }
        humans.push(h.to_string());
    }
    let seed = match args.seed {
        Some(s) => s,
        None => {
            let s = super::run::fresh_seed();
            note(&format!("seed {s} (chosen; pass --seed {s} to repeat this exercise)"));
            s
        }
    };
    let path = match &args.journal {
        Some(p) => p.clone(),
        None => free_journal_name(&loaded.scenario.name, seed),
    };
    check_memory(&loaded.scenario, args.family_per_entity, args.max_memory)?;
    begin(loaded, seed, args.family_per_entity, &humans, args.turn_days, |first| {
        let journal = create_journal(&path, first)?;
        note(&format!(
            "journal: {} (resume with `cimsim play --resume {}`)",
            path.display(),
            path.display()
        ));
        lock(&journal, &path)?;
        Ok(Sink::File { file: journal, path })
    })
}

/// The world of a new exercise on `loaded` (its strategies set, `humans`
/// checked), with the journal `open` makes from its first lines.
fn begin(
    loaded: LoadedScenario,
    seed: u64,
    families_per_entity: u32,
    humans: &[String],
    turn_days: u32,
    open: impl FnOnce(&[u8]) -> Result<Sink, Failure>,
) -> Result<Session, Failure> {
    let inputs: Vec<Input> = humans
        .iter()
        .map(|h| Input::Human {
            day: 0,
            agency: h.clone(),
        })
        .collect();
    let mut recording = Recording::new(&loaded, seed, families_per_entity, inputs.clone());
    recording.header.journal = true;
    let journal = open(&recording.body_bytes())?;
    let sim = rebuild(&loaded, seed, families_per_entity, &inputs, &[], None)?;
    Ok(Session::new(
        loaded,
        seed,
        families_per_entity,
        sim,
        inputs,
        Vec::new(),
        journal,
        turn_days,
    ))
}

/// Runs command lines through a new exercise as `play` runs standard
/// input, until `quit` or the end of the lines, with its journal kept in
/// memory: no file is written (`save` is refused) and the answers are not
/// printed. `untrusted::console` feeds it a fuzzer's lines. Returns the
/// journal as written, without its checksum line.
pub(crate) fn feed_in_memory(
    loaded: LoadedScenario,
    seed: u64,
    families_per_entity: u32,
    humans: &[String],
    turn_days: u32,
    lines: impl Iterator<Item = io::Result<String>>,
) -> Result<Vec<u8>, Failure> {
    let mut session = begin(loaded, seed, families_per_entity, humans, turn_days, |first| {
        Ok(Sink::Memory(first.to_vec()))
    })?;
    session.open_turn();
    for line in lines {
        // As `play` does, a line that cannot be read ends the input.
        let Ok(line) = line else { break };
        if let Outcome::Quit = session.command(&line)? {
            break;
        }
    }
    session.journal.written()
}

/// Creates the journal with its first lines, whole or not at all: they are
/// written to a temporary file in the same directory, synced, and linked to
/// `path` only if nothing is there (an existing journal holds somebody's
/// exercise). Returns the journal opened for appending.
fn create_journal(path: &Path, first: &[u8]) -> Result<File, Failure> {
    let shown = path.display();
    if path.exists() {
        return Err(Failure::Input(format!(
            "journal `{shown}` exists: go on with it with `cimsim play --resume {shown}`, or choose another with --journal"
        )));
    }
    let fail = |e: io::Error| Failure::Input(format!("cannot create journal `{shown}`: {e}"));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".cimsim-journal-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(first).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            Failure::Input(format!(
                "journal `{shown}` exists: go on with it with `cimsim play --resume {shown}`, or choose another with --journal"
            ))
        } else {
            fail(e.error)
        }
    })?;
    OpenOptions::new().append(true).open(path).map_err(fail)
}

/// `play-SCENARIO-SEED.journal`, or with `-2`, `-3`, … if it exists.
fn free_journal_name(scenario: &str, seed: u64) -> PathBuf {
    let base = format!("play-{scenario}-{seed}");
    let mut path = PathBuf::from(format!("{base}.journal"));
    let mut n = 2;
    while path.exists() {
        path = PathBuf::from(format!("{base}-{n}.journal"));
        n += 1;
    }
    path
}

/// Where a session's journal goes.
enum Sink {
    /// The journal file: every record appended and synced before the
    /// console answers.
    File { file: File, path: PathBuf },
    /// Memory only: a session that writes no file, fed its lines by
    /// [`feed_in_memory`]. `save` is refused.
    Memory(Vec<u8>),
}

impl Sink {
    /// Appends bytes to the journal and makes them durable before going on.
    fn append(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let (journal, path) = match self {
            Sink::File { file, path } => (file, path),
            Sink::Memory(written) => {
                written.extend_from_slice(bytes);
                return Ok(());
            }
        };
        let fail = |e: io::Error| {
            Failure::Input(format!(
                "cannot write journal `{}`: {e}; the exercise stops here (resume it with --resume)",
                path.display()
            ))
        };
        journal.write_all(bytes).map_err(fail)?;
        journal.flush().map_err(fail)?;
        journal.sync_data().map_err(fail)
    }

    /// The journal as written so far.
    fn written(&self) -> Result<Vec<u8>, Failure> {
        match self {
            Sink::File { path, .. } => std::fs::read(path)
                .map_err(|e| Failure::Input(format!("cannot read journal `{}`: {e}", path.display()))),
            Sink::Memory(written) => Ok(written.clone()),
        }
    }

    /// The journal as named in messages.
    fn shown(&self) -> String {
        match self {
            Sink::File { path, .. } => path.display().to_string(),
            Sink::Memory(_) => "(in memory)".to_string(),
        }
    }
}

/// Reads a journal, re-simulates it verifying every day, and reopens it
/// for writing after its last whole line.
fn resume(path: &Path, turn_days: u32, max_memory: Option<u64>) -> Result<Session, Failure> {
    let shown = path.display();
    let bytes = read_bounded(path, record::MAX_FILE_BYTES, "journals")?;
    let journal = Recording::from_journal(&bytes).map_err(|e| {
        if e.is_input_error() {
            Failure::Input(format!("`{shown}`: {e}"))
        } else {
            error(&format!("`{shown}`: {e}"));
            Failure::Check
        }
    })?;
    let recording = journal.recording;
    if !recording.header.journal {
        return Err(Failure::Input(format!(
            "`{shown}` is a recorded run, not the journal of an exercise: `cimsim replay` reads it"
        )));
    }
    let name = format!("{} (embedded in {shown})", recording.header.scenario.name);
    let loaded = match recording.load_scenario(name) {
        Ok(loaded) => loaded,
        Err(Unreplayable::Scenario { source, problems }) => {
            report_problems(&source, &problems);
            return Err(Failure::Input(format!(
                "`{shown}`: the recorded scenario does not load in this build"
            )));
        }
        Err(Unreplayable::Check(e)) => {
            error(&format!("`{shown}`: {e}"));
            return Err(Failure::Check);
        }
    };
    if journal.finished {
        note(&format!("`{shown}` was closed by `quit`: reopening it"));
    } else if journal.whole < bytes.len() {
        note(&format!(
            "`{shown}`: the last record was cut off ({} bytes after the last whole line); recovered up to the last whole record",
            bytes.len() - journal.whole
        ));
    }
    // Everything recorded is verified before the file is touched: a journal
    // that does not verify is left as it was.
    let seed = recording.seed();
    let families_per_entity = recording.header.families_per_entity;
    check_memory(&loaded.scenario, families_per_entity, max_memory)?;
    let sim = rebuild(
        &loaded,
        seed,
        families_per_entity,
        &recording.inputs,
        &recording.days,
        Some(&recording.days),
    )?;
    // Drop the checksum line or the cut-off record, durably, before any
    // new line is appended after the whole ones.
    let file = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| Failure::Input(format!("cannot open journal `{shown}` for writing: {e}")))?;
    lock(&file, path)?;
    file.set_len(journal.whole as u64)
        .and_then(|()| file.sync_data())
        .map_err(|e| Failure::Input(format!("cannot write journal `{shown}`: {e}")))?;
    let session = Session::new(
        loaded,
        seed,
        families_per_entity,
        sim,
        recording.inputs,
        recording.days,
        Sink::File {
            file,
            path: path.to_path_buf(),
        },
        turn_days,
    );
    note(&format!(
        "resumed `{shown}` at day {}: {} days verified, {} orders and injects",
        session.sim.day(),
        session.rows.len(),
        record::effective(&session.inputs).map_or(0, |i| i.len())
    ));
    Ok(session)
}

/// Keeps a second `cimsim play` from writing the same journal.
fn lock(file: &File, path: &Path) -> Result<(), Failure> {
    file.try_lock().map_err(|e| match e {
        std::fs::TryLockError::WouldBlock => Failure::Input(format!(
            "journal `{}` is in use by another `cimsim play`",
            path.display()
        )),
        std::fs::TryLockError::Error(e) => Failure::Input(format!("cannot lock journal `{}`: {e}", path.display())),
    })
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
) -> Result<Simulation, Failure> {
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
    .map_err(|e| {
        error(&format!("an input of the journal cannot be applied: {e}"));
        Failure::Check
    })?;
    if let Some((day, diff)) = mismatch {
        error(&format!(
            "day {day} does not match the journal: {}; the journal was recorded by another build or changed",
            diff.join("; ")
        ));
        return Err(Failure::Check);
    }
    if sim.day() != days {
        error(&format!(
            "the journal records {days} days, beyond the scenario's horizon"
        ));
        return Err(Failure::Check);
    }
    let today = record::effective(inputs).map_err(|e| {
        error(&e);
        Failure::Check
    })?;
    for input in today.iter().filter(|i| i.day() == days) {
        let applied = record::to_sim(input).and_then(|i| sim.apply(&i).map_err(|e| e.to_string()));
        if let Err(e) = applied {
            error(&format!("an order of day {days} in the journal cannot be applied: {e}"));
            return Err(Failure::Check);
        }
    }
    Ok(sim)
}

impl Session {
    #[expect(clippy::too_many_arguments, reason = "a session is its journal and its world")]
    fn new(
        scenario: LoadedScenario,
        seed: u64,
        families_per_entity: u32,
        sim: Simulation,
        inputs: Vec<Input>,
        rows: Vec<Day>,
        journal: Sink,
        turn_days: u32,
    ) -> Self {
        let before = Snapshot::take(&sim.world);
        Session {
            scenario,
            seed,
            families_per_entity,
            sim,
            inputs,
            rows,
            journal,
            turn_days,
            turn: 0,
            before,
            references: None,
        }
    }

    /// The world rebuilt from the journal (after an `undo`).
    fn rebuild(&self) -> Result<Simulation, Failure> {
        rebuild(
            &self.scenario,
            self.seed,
            self.families_per_entity,
            &self.inputs,
            &self.rows,
            None,
        )
    }

    fn day(&self) -> u32 {
        self.sim.day()
    }

    /// The report that opens a turn.
    fn open_turn(&mut self) -> String {
        // Turns are numbered by the clock, so a resumed session numbers
        // them as the uninterrupted one did.
        self.turn = self.day() / self.turn_days.max(1) + 1;
        let date = self.scenario.scenario.start_date.clone();
        // The facilitator's injects that acted since the last report.
        let (from, to) = (self.before.day, self.day());
        let manual: Vec<String> = record::effective(&self.inputs)
            .unwrap_or_default()
            .iter()
            .filter_map(|i| match i {
                Input::Inject { day, effect } if (from..to).contains(day) => Some(format!("{effect} (day {day})")),
                Input::Later { at, effect, .. } if (from..to).contains(at) => Some(format!("{effect} (day {at})")),
                _ => None,
            })
            .collect();
        let text = turn_report(&mut self.sim.world, self.turn, &self.before, &manual, &date);
        self.before = Snapshot::take(&self.sim.world);
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

    /// Journals one accepted input.
    fn journal(&mut self, input: &Input) -> Result<(), Failure> {
        let line = record::to_line(&record::v1::Line::Input(input.clone()));
        self.journal.append(line.as_bytes())?;
        self.inputs.push(input.clone());
        Ok(())
    }

    /// Checks and applies an order or inject; journals it when accepted.
    fn order(&mut self, input: Input) -> Result<Outcome, Failure> {
        if self.day() >= self.sim.horizon() {
            return Ok(Outcome::Refused(
                "the scenario's last day has been simulated: nothing can act any more; `quit` ends the exercise"
                    .to_string(),
            ));
        }
        let applied = record::to_sim(&input).and_then(|i| self.sim.apply(&i).map_err(|e| self.explain(e)));
        match applied {
            Ok(()) => {
                self.journal(&input)?;
                Ok(Outcome::Done(format!("ok: {}", record::describe(&input))))
            }
            Err(why) => Ok(Outcome::Refused(why)),
        }
    }

    /// An engine refusal, with a suggestion for a mistyped id.
    fn explain(&self, e: InputError) -> String {
        let names = self.sim.world.resource::<Names>();
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

    /// Runs one command line.
    fn command(&mut self, line: &str) -> Result<Outcome, Failure> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(Outcome::Data(String::new()));
        }
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        let args: Vec<&str> = rest.split_whitespace().collect();
        let day = self.day();
        let word = word.to_lowercase();
        let usage = |cmd: &str| Outcome::Refused(format!("usage: {}", help_of(cmd).map_or("", |h| h.0)));
        Ok(match word.as_str() {
            "help" | "?" => Outcome::Data(help(args.first().copied())),
            "quit" | "exit" => Outcome::Quit,
            "advance" => return self.advance(&args),
            "status" => Outcome::Data(self.status(args.first().copied())),
            "orders" => Outcome::Data(self.orders()),
            "score" => Outcome::Data(self.score()),
            "undo" => return self.undo(),
            "save" => return self.save(args.first().copied()),
            "assign" => match args[..] {
                [crew, target] => {
                    return self.order(Input::Assign {
                        day,
                        crew: crew.to_string(),
                        target: target.to_string(),
                    });
                }
                _ => usage("assign"),
            },
            "stop" => match args[..] {
                [crew] => {
                    return self.order(Input::Stop {
                        day,
                        crew: crew.to_string(),
                    });
                }
                _ => usage("stop"),
            },
            "request" => match request_args(&args) {
                Ok((from, to, ask, target, channel)) => {
                    if let Err(e) = record::parse_ask(ask).and(record::parse_channel(channel)) {
                        Outcome::Refused(e)
                    } else {
                        return self.order(Input::Request {
                            day,
                            from: from.to_string(),
                            to: to.to_string(),
                            ask: ask.to_string(),
                            target: target.to_string(),
                            channel: channel.to_string(),
                        });
                    }
                }
                Err(()) => usage("request"),
            },
            "answer" => match args[..] {
                [id, verdict] => {
                    let id = id.trim_start_matches('#');
                    match (id.parse::<u64>(), verdict) {
                        (Ok(request), "accept" | "refuse") => {
                            return self.order(Input::Answer {
                                day,
                                request,
                                accept: verdict == "accept",
                            });
                        }
                        (Err(_), _) => Outcome::Refused(format!("`{id}` is not a request number")),
                        _ => Outcome::Refused(format!("answer `accept` or `refuse`, not `{verdict}`")),
                    }
                }
                _ => usage("answer"),
            },
            "share" => match args[..] {
                [from, to] => {
                    return self.order(Input::Share {
                        day,
                        from: from.to_string(),
                        to: to.to_string(),
                    });
                }
                _ => usage("share"),
            },
            "liaison" => match args[..] {
                [by, with] => {
                    return self.order(Input::Liaison {
                        day,
                        by: by.to_string(),
                        with: with.to_string(),
                    });
                }
                _ => usage("liaison"),
            },
            "cell" => match args[..] {
                [how @ ("join" | "leave"), agency] => return self.cell(how == "join", agency),
                _ => usage("cell"),
            },
            "inject" => {
                if rest.is_empty() {
                    usage("inject")
                } else {
                    return self.inject(rest);
                }
            }
            other => {
                let hint = scenario::did_you_mean(other, &COMMANDS.map(|c| c.0))
                    .map_or_else(|| "; `help` lists the commands".to_string(), |s| format!("; {s}"));
                Outcome::Refused(format!("unknown command `{other}`{hint}"))
            }
        })
    }

    fn advance(&mut self, args: &[&str]) -> Result<Outcome, Failure> {
        let days = match args {
            [] => self.turn_days,
            [n] => match n.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => return Ok(Outcome::Refused(format!("`{n}` is not a number of days (1 or more)"))),
            },
            _ => return Ok(Outcome::Refused("usage: advance [DAYS]".to_string())),
        };
        let horizon = self.sim.horizon();
        if self.day() >= horizon {
            return Ok(Outcome::Refused(format!(
                "the scenario's last day ({}) has been simulated; `quit` ends the exercise",
                horizon - 1
            )));
        }
        let days = days.min(horizon - self.day());
        #[expect(
            clippy::disallowed_methods,
            reason = "timing the turn for stderr, outside the simulation"
        )]
        let started = std::time::Instant::now();
        let mut lines = String::new();
        for _ in 0..days {
            self.sim.step();
            let row = record::day_row(&self.sim);
            lines.push_str(&record::to_line(&record::v1::Line::Day(row.clone())));
            self.rows.push(row);
        }
        self.journal.append(lines.as_bytes())?;
        note(&format!(
            "simulated days {} to {} in {:.3} s",
            self.day() - days,
            self.day() - 1,
            started.elapsed().as_secs_f64()
        ));
        Ok(Outcome::Data(self.open_turn()))
    }

    fn status(&mut self, what: Option<&str>) -> String {
        let names = self.sim.world.resource::<Names>().clone();
        match what {
            None => {
                if self.rows.is_empty() {
                    return "No day has been simulated yet: the scenario's starting state.\n".to_string()
                        + &turn_report(
                            &mut self.sim.world,
                            self.turn,
                            &self.before.clone(),
                            &[],
                            &self.scenario.scenario.start_date,
                        );
                }
                let s = &self.scenario.scenario;
                crate::report::replay::situation(&mut self.sim.world, &s.name, &s.start_date)
            }
            Some(id) => {
                if let Some(d) = names.district(id) {
                    district_detail(&mut self.sim.world, d)
                } else if let Some(a) = names.agency(id) {
                    agency_detail(&mut self.sim.world, a)
                } else if let Some(x) = names.asset(id) {
                    asset_detail(&mut self.sim.world, x)
                } else {
                    let mut all: Vec<&str> = names.districts.iter().map(String::as_str).collect();
                    all.extend(names.agencies.iter().map(String::as_str));
                    all.extend(names.assets.iter().map(String::as_str));
                    let hint = scenario::did_you_mean(id, &all).map_or(String::new(), |s| format!("; {s}"));
                    format!("no district, agency or asset `{id}`{hint}\n")
                }
            }
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
        let mut report = RunReport::new(&mut self.sim, &scenario, seed);
        report.score(&silo, &central);
        Ok(report)
    }

    fn score(&mut self) -> String {
        if self.rows.is_empty() {
            return "No day has been simulated yet: nothing to score.\n".to_string();
        }
        match self.report() {
            Ok(report) => format!(
                "Score after day {} ({} days simulated)\n{}",
                self.rows.len() - 1,
                self.rows.len(),
                cooperation_text(&report)
            ),
            Err(e) => format!("cannot score: {e}\n"),
        }
    }

    /// The orders and injects given this turn, in order: what `undo` takes
    /// back from the last.
    fn orders(&self) -> String {
        let day = self.day();
        let given: Vec<String> = record::effective(&self.inputs)
            .unwrap_or_default()
            .iter()
            .filter(|i| i.day() == day && !matches!(i, Input::Human { .. }))
            .map(record::describe)
            .collect();
        if given.is_empty() {
            return format!("No order or inject given for day {day} yet.\n");
        }
        let mut out = format!("Given for day {day} (`undo` takes back the last):\n");
        for (n, g) in given.iter().enumerate() {
            out.push_str(&format!("  {}. {g}\n", n + 1));
        }
        out
    }

    fn undo(&mut self) -> Result<Outcome, Failure> {
        let day = self.day();
        let effective = record::effective(&self.inputs).unwrap_or_default();
        let Some(last) = effective
            .iter()
            .rev()
            .find(|i| i.day() == day && !matches!(i, Input::Human { .. }))
            .cloned()
        else {
            return Ok(Outcome::Refused(
                "nothing to undo: no order or inject has been given this turn".to_string(),
            ));
        };
        self.journal(&Input::Undo { day })?;
        self.sim = self.rebuild()?;
        Ok(Outcome::Done(format!("took back: {}", record::describe(&last))))
    }

    /// `cell join|leave`: the strategy to switch to is the engine's rule
    /// (`sim::inputs::cell_strategy`); the order is a change of strategy.
    fn cell(&mut self, join: bool, agency: &str) -> Result<Outcome, Failure> {
        let day = self.day();
        match crate::sim::inputs::cell_strategy(&self.sim.world, agency, join) {
            Ok(strategy) => self.order(Input::Strategy {
                day,
                agency: Some(agency.to_string()),
                strategy,
            }),
            Err(e) => Ok(Outcome::Refused(self.explain(e))),
        }
    }

    fn inject(&mut self, text: &str) -> Result<Outcome, Failure> {
        let day = self.day();
        let dated = text
            .split_once(':')
            .is_some_and(|(d, _)| !d.trim().is_empty() && d.trim().chars().all(|c| c.is_ascii_digit()));
        let text = if dated {
            text.to_string()
        } else {
            format!("{day}:{text}")
        };
        let parsed = match record::parse_inject(&text, &self.scenario.scenario) {
            Ok(i) => i,
            Err(e) => return Ok(Outcome::Refused(e.replacen("--inject", "inject", 1))),
        };
        let Input::Inject { day: at, effect } = parsed else {
            return Ok(Outcome::Refused("not an inject".to_string()));
        };
        let input = match at.cmp(&day) {
            std::cmp::Ordering::Less => {
                return Ok(Outcome::Refused(format!(
                    "day {at} has passed (today is day {day}); inject now with `inject EFFECT`"
                )));
            }
            std::cmp::Ordering::Equal => Input::Inject { day, effect },
            std::cmp::Ordering::Greater => Input::Later { day, at, effect },
        };
        self.order(input)
    }

    fn save(&mut self, to: Option<&str>) -> Result<Outcome, Failure> {
        let Sink::File { path: own, .. } = &self.journal else {
            return Ok(Outcome::Refused(
                "this session keeps its journal in memory and writes no file".to_string(),
            ));
        };
        let path = match to {
            Some(p) => PathBuf::from(p),
            None => {
                let mut p = own.clone().into_os_string();
                p.push(".saved");
                PathBuf::from(p)
            }
        };
        if path == *own {
            return Ok(Outcome::Refused(
                "the journal itself is always up to date; save a copy to another file".to_string(),
            ));
        }
        let bytes = self.closed_bytes()?;
        // A copy that cannot be written is refused; the exercise goes on.
        if let Err(Failure::Input(why)) = write_atomically(&path, |w| w.write_all(&bytes)) {
            return Ok(Outcome::Refused(why));
        }
        Ok(Outcome::Done(format!(
            "saved a closed copy of the exercise so far to {} (`cimsim replay` reads it)",
            path.display()
        )))
    }

    /// The journal as it is on disk, closed with its checksum line.
    fn closed_bytes(&self) -> Result<Vec<u8>, Failure> {
        let mut bytes = self.journal.written()?;
        let checksum = hex16(fnv1a64(&bytes));
        bytes.extend_from_slice(record::checksum_line(&checksum).as_bytes());
        Ok(bytes)
    }

    /// Ends the exercise: closes the journal with its checksum line and
    /// prints the summary.
    fn finish(mut self) -> Result<(), Failure> {
        let body = self.journal.written()?;
        let checksum = hex16(fnv1a64(&body));
        self.journal.append(record::checksum_line(&checksum).as_bytes())?;
        let shown = self.journal.shown();
        note(&format!(
            "journal closed: {shown} ({} days; `cimsim replay {shown}` verifies it, `cimsim play --resume {shown}` goes on)",
            self.rows.len(),
        ));
        if self.rows.is_empty() {
            return data("End of the exercise: no day was simulated.\n");
        }
        let report = self.report().map_err(Failure::Input)?;
        let outcomes = self.sim.world.resource::<Outcomes>().clone();
        let last = self.rows.last().map(|r| r.digest.clone()).unwrap_or_default();
        let mut head = format!(
            "End of the exercise after day {} — final digest {last}\n",
            self.rows.len() - 1
        );
        if let Some(r) = &report.references {
            head.push_str(&format!(
                "  resilience loss (person-days): the exercise {}, everyone alone (silo) {}, one planner (central) {}; coordination efficiency {}\n",
                crate::report::big(report.resilience_loss.total),
                crate::report::big(r.silo.resilience_loss.total),
                crate::report::big(r.central.resilience_loss.total),
                report
                    .cooperation
                    .coordination_efficiency
                    .map_or_else(|| crate::report::efficiency_undefined(r), |e| format!("{e:.2}"))
            ));
        }
        let missed = crate::report::missed_opportunities(&report);
        if missed.is_empty() {
            head.push_str("  No agency waited on another: no missed opportunity in the ledger.\n");
        } else {
            head.push_str("  The biggest missed opportunities:\n");
            for (i, m) in missed.iter().enumerate() {
                head.push_str(&format!("  {}. {m}\n", i + 1));
            }
        }
        data(&format!("{head}\n{}", summary_text(&report, &outcomes)))
    }
}

fn options(families_per_entity: u32) -> Options {
    Options {
        families_per_entity,
        shuffle: None,
    }
}

/// `FROM TO ASK [TARGET] [via CHANNEL]`.
fn request_args<'a>(args: &[&'a str]) -> Result<(&'a str, &'a str, &'a str, &'a str, &'a str), ()> {
    let (words, channel) = match args {
        [w @ .., "via", c] => (w, *c),
        w => (w, "formal"),
    };
    match words {
        [from, to, ask, target] => Ok((from, to, ask, target, channel)),
        [from, to, ask] if *ask == "fuel" => Ok((from, to, ask, "", channel)),
        _ => Err(()),
    }
}

/// Every command: its usage line and what it does.
const COMMANDS: [(&str, &str, &str); 15] = [
    (
        "assign",
        "assign CREW TARGET",
        "Order a player's crew to work on TARGET from today until the work is done (then it stands idle) or it gets another order. Repair crews take one of their agency's assets, clearance crews a district (or an asset whose site has hazards of its own), fuel crews another agency, all other crews a district. `status AGENCY` lists the crews by id.",
    ),
    (
        "stop",
        "stop CREW",
        "Order a player's crew to stop work and stand idle.",
    ),
    (
        "request",
        "request FROM TO ASK TARGET [via formal|liaison|cell]",
        "The player's agency FROM asks TO for ASK: `clearance` or `escort` at a district or asset, `fuel` (no TARGET: for FROM itself), or a service (`electricity`, `water`, ...) for the asset that waits for it. Formal requests take days and are often ignored; a liaison link (`liaison`) answers fast and usually yes; in the coordination cell (`cell join`) the answer comes the same day. An agency played by a person answers with `answer`.",
    ),
    (
        "answer",
        "answer REQUEST accept|refuse",
        "A player's agency answers a request addressed to it, by its number (#N in the turn report), once it has reached it.",
    ),
    (
        "share",
        "share FROM TO",
        "The player's agency FROM tells TO what it knows (hazards, security, services, its assets and repair plans), once.",
    ),
    (
        "liaison",
        "liaison FROM TO",
        "The player's agency FROM posts a liaison officer with TO: a direct link once the officer is in place, paid in FROM's staff time.",
    ),
    (
        "cell",
        "cell join|leave AGENCY",
        "A player's agency joins the coordination cell (a common picture, requests answered the same day, a joint plan; it costs staff time) or leaves it.",
    ),
    (
        "inject",
        "inject EFFECT | inject DAY:EFFECT",
        "The facilitator's inject, now or at the start of a later day. EFFECT is a scenario inject effect in RON, e.g. `inject Minefield(district: \"old-city\", contamination: 0.5)` or `inject 30:Heatwave(water_factor: 1.5, days: 10)`. Kinds: Sabotage, Blockade, DiseaseOutbreak, FuelShortage, CrewAttack, Displacement, Heatwave, BudgetFreeze, Minefield, LiaisonPosted, LiaisonEnded, Workshop (docs/scenario-format.md).",
    ),
    (
        "advance",
        "advance [DAYS]",
        "Simulate DAYS days (the turn length by default) and open the next turn with its situation report.",
    ),
    (
        "status",
        "status [DISTRICT|AGENCY|ASSET]",
        "The situation now; or one district (people, ground, services, assets), one agency (its crews by id and what they do, its requests, its links) or one asset (condition, output and what holds it back, its site, the crews on it).",
    ),
    ("orders", "orders", "The orders and injects given this turn, in order."),
    (
        "score",
        "score",
        "The cooperation figures so far, against the silo and central references on the same seed and injects.",
    ),
    ("undo", "undo", "Take back the last order or inject given this turn."),
    (
        "save",
        "save [FILE]",
        "Write a closed copy of the exercise so far (JOURNAL.saved by default) that `cimsim replay` verifies. The journal itself is always up to date.",
    ),
    (
        "quit",
        "quit",
        "End the exercise: close the journal and print the summary (the end of input does the same).",
    ),
];

fn help_of(cmd: &str) -> Option<(&'static str, &'static str)> {
    COMMANDS.iter().find(|c| c.0 == cmd).map(|c| (c.1, c.2))
}

fn help(cmd: Option<&str>) -> String {
    match cmd {
        Some(c) => match help_of(c) {
            Some((usage, what)) => format!("{usage}\n  {what}\n"),
            None => {
                let hint = scenario::did_you_mean(c, &COMMANDS.map(|c| c.0)).map_or(String::new(), |s| format!(" {s}"));
                format!("no command `{c}`.{hint}\n")
            }
        },
        None => {
            let mut out = String::from("Commands (`help COMMAND` for more):\n");
            for (_, usage, what) in COMMANDS {
                let first = what.split(". ").next().unwrap_or(what).trim_end_matches('.');
                out.push_str(&format!("  {usage:<56} {first}\n"));
            }
            out.push_str("  help [COMMAND]\n");
            out
        }
    }
}
