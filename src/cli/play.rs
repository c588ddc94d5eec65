//! `cimsim play`: the facilitator's console for a live tabletop exercise
//! ([`cimsim::exercise`] is the exercise; this is its terminal).
//!
//! Commands are read line by line from standard input (a terminal or a
//! pipe, so exercises can be scripted); reports go to stdout, answers to
//! orders and refusals to stderr. The journal is a file: every record is
//! appended and synced to disk before the console answers. `--resume`
//! reads a journal up to its last whole line, re-simulates it verifying
//! every day's digest, and goes on writing it.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{self, Failure, data, error, read_bounded, report_problems, write_atomically};
use super::run::{agency_strategy, load_scenario};
use cimsim::exercise::{self, Answer, Fault, Journal, Session};
use cimsim::record::{self, Recording, Unreplayable};
use cimsim::scenario;

/// A message of the session on stderr, wrapped to the console's 80 columns
/// like everything `play` prints.
fn note(text: &str) {
    output::note(cimsim::report::text::wrap_lines(text).trim_end_matches('\n'));
}

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
        let line = match input.next(&format!("day {}> ", session.day())) {
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
        #[expect(
            clippy::disallowed_methods,
            reason = "timing the command for stderr, outside the simulation"
        )]
        let started = std::time::Instant::now();
        match session.command(&line).map_err(fault)? {
            Answer::Done(text) => note(&text),
            Answer::Refused(text) => note(&format!("refused: {text}")),
            Answer::Data(text) => data(&text)?,
            Answer::Advanced { first, last, report } => {
                note(&format!(
                    "simulated {} in {:.3} s",
                    cimsim::report::text::day_span(first, last, " to "),
                    started.elapsed().as_secs_f64()
                ));
                data(&report)?;
            }
            Answer::Quit => break,
        }
    }
    let closed = session.finish().map_err(fault)?;
    let shown = &closed.journal;
    note(&format!(
        "journal closed: {shown} ({}; `cimsim replay {shown}` verifies it, `cimsim play --resume {shown}` goes on)",
        cimsim::report::text::count(closed.days as u64, "day", "days"),
    ));
    data(&closed.summary)
}

/// A session's fault as the command line reports it: a journal that does
/// not verify is a failed check (exit 1), anything else an input error.
fn fault(f: Fault) -> Failure {
    match f {
        Fault::Input(message) => Failure::Input(message),
        Fault::Check(message) => {
            error(&message);
            Failure::Check
        }
    }
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
    let humans = exercise::check_humans(&loaded, &args.human).map_err(Failure::Input)?;
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
    Session::start(loaded, seed, args.family_per_entity, &humans, args.turn_days, |first| {
        let opened = create_journal(&path, first).and_then(|journal| {
            note(&format!(
                "journal: {} (resume with `cimsim play --resume {}`)",
                path.display(),
                path.display()
            ));
            lock(&journal, &path)?;
            Ok(journal)
        });
        match opened {
            Ok(file) => Ok(Box::new(FileJournal { file, path }) as Box<dyn Journal>),
            Err(Failure::Input(why)) => Err(Fault::Input(why)),
            Err(_) => Err(Fault::Input(format!("cannot create journal `{}`", path.display()))),
        }
    })
    .map_err(fault)
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
            "`{shown}`: the last record was cut off ({} after the last whole line); recovered up to the last whole record",
            cimsim::report::text::count((bytes.len() - journal.whole) as u64, "byte", "bytes")
        ));
    }
    check_memory(&loaded.scenario, recording.header.families_per_entity, max_memory)?;
    let whole = journal.whole as u64;
    let session = Session::resume(loaded, recording, turn_days, || {
        // Drop the checksum line or the cut-off record, durably, before any
        // new line is appended after the whole ones.
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| Fault::Input(format!("cannot open journal `{shown}` for writing: {e}")))?;
        lock(&file, path).map_err(|e| match e {
            Failure::Input(why) => Fault::Input(why),
            _ => Fault::Input(format!("cannot lock journal `{shown}`")),
        })?;
        file.set_len(whole)
            .and_then(|()| file.sync_data())
            .map_err(|e| Fault::Input(format!("cannot write journal `{shown}`: {e}")))?;
        Ok(Box::new(FileJournal {
            file,
            path: path.to_path_buf(),
        }))
    })
    .map_err(fault)?;
    note(&format!(
        "resumed `{shown}` at day {}: {} verified, {}",
        session.day(),
        cimsim::report::text::count(session.days_simulated() as u64, "day", "days"),
        cimsim::report::text::count(
            session.inputs_in_force() as u64,
            "order or inject",
            "orders and injects"
        )
    ));
    Ok(session)
}

/// The journal of `cimsim play`: a file, every record appended and synced
/// before the console answers.
struct FileJournal {
    file: File,
    path: PathBuf,
}

impl Journal for FileJournal {
    fn append(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        let fail = |e: io::Error| {
            Fault::Input(format!(
                "cannot write journal `{}`: {e}; the exercise stops here (resume it with --resume)",
                self.path.display()
            ))
        };
        self.file.write_all(bytes).map_err(fail)?;
        self.file.flush().map_err(fail)?;
        self.file.sync_data().map_err(fail)
    }

    fn written(&self) -> Result<Vec<u8>, Fault> {
        std::fs::read(&self.path)
            .map_err(|e| Fault::Input(format!("cannot read journal `{}`: {e}", self.path.display())))
    }

    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    fn save_copy(&self, to: Option<&str>) -> Result<Result<String, String>, Fault> {
        let path = match to {
            Some(p) => PathBuf::from(p),
            None => {
                let mut p = self.path.clone().into_os_string();
                p.push(".saved");
                PathBuf::from(p)
            }
        };
        if path == self.path {
            return Ok(Err(
                "the journal itself is always up to date; save a copy to another file".to_string(),
            ));
        }
        let bytes = exercise::closed(&self.written()?);
        // A copy that cannot be written is refused; the exercise goes on.
        if let Err(Failure::Input(why)) = write_atomically(&path, |w| w.write_all(&bytes)) {
            return Ok(Err(why));
        }
        Ok(Ok(format!(
            "saved a closed copy of the exercise so far to {} (`cimsim replay` reads it)",
            path.display()
        )))
    }
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
