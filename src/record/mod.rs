//! Recorded runs: the file format (versioned), recording a run day by day,
//! reading a file back with every check, and driving a simulation through a
//! recording's inputs while verifying its digests.
//!
//! A recorded run stands alone: it holds the scenario's full text, the seed,
//! the options and strategies, every input with its day, and each day's
//! digest and a compact row of key metrics; a checksum covers the whole
//! file. `docs/replay-format.md` documents the format and its version
//! policy. This module never touches files, terminals or clocks: `cli`
//! reads and writes the bytes.

pub mod v1;
pub mod v2;

use std::collections::BTreeMap;

use crate::hash::{fnv1a64, hex16};
use crate::scenario::{Effect, LoadedScenario, Problem, Scenario, ScenarioSource};
use crate::sim::components::{Ask, Channel};
use crate::sim::{Input as SimInput, Simulation};

/// The types of the format version this build writes. Reading an older
/// version migrates it to these.
pub use v2 as current;
pub use v2::{Advance, Day, Header, Input};

/// The format version this build writes.
pub const FORMAT_VERSION: u32 = current::VERSION;

/// Largest recording read, in bytes; a full-resolution `mosul-2017` run of
/// 900 days is about 0.2 MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A recorded run in memory, in the current format's types.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub header: Header,
    /// The scenario's text, byte for byte.
    pub scenario: String,
    /// Inputs in order of application (by day, then as given).
    pub inputs: Vec<Input>,
    /// One row per simulated day, day 0 first.
    pub days: Vec<Day>,
    /// The days from which a `cimsim play` facilitator advanced the clock,
    /// in order (empty in a run recorded whole): turn n+1 opened after the
    /// n-th advance.
    pub advances: Vec<u32>,
}

/// Why a file is not a usable recording. [`ReadError::is_input_error`]
/// separates a usage error (exit 2) from a file that fails its checks
/// (exit 1).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("not a cimsim recording: {0}")]
    NotARecording(String),
    #[error(
        "unsupported format_version {found}: this build of cimsim reads recordings of format_version {FORMAT_VERSION} and older"
    )]
    UnsupportedVersion { found: u64 },
    #[error("the recording is truncated: {0}")]
    Truncated(String),
    #[error(
        "checksum mismatch: the file says {stated}, its content hashes to {actual}; the file was changed or corrupted after it was written"
    )]
    Checksum { stated: String, actual: String },
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
    #[error(
        "the embedded scenario text hashes to {actual}, but the header records content_hash {stated}; the scenario was edited after the run was recorded"
    )]
    ScenarioHash { stated: String, actual: String },
}

impl ReadError {
    /// A usage or input error (the wrong kind of file, a version this build
    /// does not read) rather than a recording that fails its checks.
    pub fn is_input_error(&self) -> bool {
        matches!(self, ReadError::NotARecording(_) | ReadError::UnsupportedVersion { .. })
    }
}

impl Recording {
    /// A new recording of a run about to start. `scenario` is the loaded
    /// scenario as run (strategies already set); its source text is
    /// embedded unchanged.
    pub fn new(scenario: &LoadedScenario, seed: u64, families_per_entity: u32, inputs: Vec<Input>) -> Self {
        let s = &scenario.scenario;
        let strategy_for: BTreeMap<String, String> = s
            .agencies
            .iter()
            .filter_map(|a| a.strategy.clone().map(|x| (a.id.clone(), x)))
            .collect();
        Recording {
            header: Header {
                format: v1::MAGIC.to_string(),
                format_version: FORMAT_VERSION,
                engine_version: crate::ENGINE_VERSION.to_string(),
                scenario: v1::ScenarioRef {
                    name: s.name.clone(),
                    content_hash: hex16(scenario.content_hash),
                },
                seed: seed.to_string(),
                families_per_entity,
                strategy: s.strategy.clone(),
                strategy_for,
                branch: None,
                journal: false,
            },
            scenario: scenario.source.text.clone(),
            inputs: sorted(inputs),
            days: Vec::new(),
            advances: Vec::new(),
        }
    }

    /// The seed (checked to parse when the file was read).
    pub fn seed(&self) -> u64 {
        self.header.seed.parse().unwrap_or(0)
    }

    /// Sets the strategies the header records on a scenario loaded from the
    /// embedded text, so it is the scenario as it was run.
    pub fn configure(&self, s: &mut Scenario) -> Result<(), String> {
        let named = |s: &Scenario, name: &str| {
            s.strategy_params(name)
                .map(|_| name.to_string())
                .ok_or_else(|| format!("unknown strategy `{name}`"))
        };
        s.strategy = named(s, &self.header.strategy)?;
        for a in &mut s.agencies {
            a.strategy = None;
        }
        for (agency, name) in &self.header.strategy_for {
            let strategy = named(s, name)?;
            let a = s
                .agencies
                .iter_mut()
                .find(|a| &a.id == agency)
                .ok_or_else(|| format!("strategy_for names unknown agency `{agency}`"))?;
            a.strategy = Some(strategy);
        }
        Ok(())
    }

    /// Checks the recorded inputs against the scenario as `--inject` and
    /// `--strategy-for` would have: a file can pass its checksum and still
    /// hold an input this build cannot apply.
    pub fn check_inputs(&self, s: &Scenario) -> Result<(), String> {
        for input in &self.inputs {
            let day = input.day();
            match input {
                Input::Inject { effect, .. } => {
                    let parsed = parse_effect(effect).map_err(|e| format!("the input of day {day}: {e}"))?;
                    let problems = crate::scenario::check_effect(s, &parsed);
                    if !problems.is_empty() {
                        return Err(format!("the input of day {day}: {}", problems.join("; ")));
                    }
                }
                Input::Strategy { agency, strategy, .. } => {
                    if s.strategy_params(strategy).is_none() {
                        return Err(format!("the input of day {day}: unknown strategy `{strategy}`"));
                    }
                    if let Some(a) = agency
                        && !s.agencies.iter().any(|x| &x.id == a)
                    {
                        return Err(format!("the input of day {day}: unknown agency `{a}`"));
                    }
                }
                Input::Later { at, effect, .. } => {
                    let parsed = parse_effect(effect).map_err(|e| format!("the input of day {day}: {e}"))?;
                    let problems = crate::scenario::check_effect(s, &parsed);
                    if !problems.is_empty() {
                        return Err(format!("the input of day {day}: {}", problems.join("; ")));
                    }
                    if *at <= day || *at >= s.horizon_days {
                        return Err(format!(
                            "the input of day {day}: an inject for day {at} is not later in the run"
                        ));
                    }
                }
                // Names and ids are checked by the engine when the input is
                // applied; the words of a request are checked here.
                Input::Request { ask, channel, .. } => {
                    parse_ask(ask).map_err(|e| format!("the input of day {day}: {e}"))?;
                    parse_channel(channel).map_err(|e| format!("the input of day {day}: {e}"))?;
                }
                Input::Human { .. }
                | Input::Standing { .. }
                | Input::Assign { .. }
                | Input::Stop { .. }
                | Input::Release { .. }
                | Input::Answer { .. }
                | Input::Share { .. }
                | Input::Liaison { .. }
                | Input::Authorise { .. }
                | Input::Undo { .. } => {}
            }
        }
        effective(&self.inputs)?;
        Ok(())
    }

    /// The embedded scenario as it was run, ready to re-simulate: loaded
    /// like a file named `name` (so checked by this build), the recorded
    /// strategies set ([`Recording::configure`]), the inputs checked
    /// ([`Recording::check_inputs`]) and the days recorded within its
    /// horizon. What `replay`, `report` and `play --resume` check before
    /// they simulate anything.
    pub fn load_scenario(&self, name: String) -> Result<LoadedScenario, Unreplayable> {
        let source = ScenarioSource {
            name,
            text: self.scenario.clone(),
        };
        let mut loaded =
            crate::scenario::load(source.clone()).map_err(|problems| Unreplayable::Scenario { source, problems })?;
        self.configure(&mut loaded.scenario)
            .and_then(|()| self.check_inputs(&loaded.scenario))
            .map_err(Unreplayable::Check)?;
        if self.days.len() > loaded.scenario.horizon_days as usize {
            return Err(Unreplayable::Check(format!(
                "{} days recorded, but the scenario's horizon_days is {}",
                self.days.len(),
                loaded.scenario.horizon_days
            )));
        }
        Ok(loaded)
    }

    /// The file's bytes: one JSON object per line, the checksum last.
    /// Deterministic: the same recording always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = self.body_bytes();
        let checksum = hex16(fnv1a64(&bytes));
        bytes.extend_from_slice(checksum_line(&checksum).as_bytes());
        bytes
    }

    /// The file's bytes without the checksum line: a journal as written so
    /// far.
    pub fn body_bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        let mut line = |l: current::Line| {
            // Serialising these plain types cannot fail: no maps with
            // non-string keys; a non-finite float becomes `null` and is
            // refused when read back.
            out.push_str(&serde_json::to_string(&l).unwrap_or_default());
            out.push('\n');
        };
        line(current::Line::Header(self.header.clone()));
        line(current::Line::Scenario(current::ScenarioText {
            text: self.scenario.clone(),
        }));
        // In the order of events: each day's inputs, then the advance that
        // simulates it, then its row.
        let mut inputs = self.inputs.iter().peekable();
        let mut advances = self.advances.iter().peekable();
        for d in &self.days {
            while let Some(i) = inputs.next_if(|i| i.day() <= d.day) {
                line(current::Line::Input(i.clone()));
            }
            while let Some(&day) = advances.next_if(|&&a| a <= d.day) {
                line(current::Line::Advance(Advance { day }));
            }
            line(current::Line::Day(d.clone()));
        }
        for i in inputs {
            line(current::Line::Input(i.clone()));
        }
        out.into_bytes()
    }

    /// Reads a journal (`cimsim play`): a file with its checksum line reads
    /// as [`Recording::from_bytes`] does; a file without one is a session
    /// that has not ended, read up to its last whole line, the bytes after
    /// it being a record cut off by a crash. Every whole line is checked as
    /// in a finished file, so a corrupted line before the last is an error.
    pub fn from_journal(bytes: &[u8]) -> Result<Journal, ReadError> {
        if let Some((body, _)) = split_checksum(bytes) {
            let body = body.len();
            return Self::from_bytes(bytes).map(|recording| Journal {
                recording,
                finished: true,
                whole: body,
            });
        }
        if bytes.is_empty() {
            return Err(ReadError::NotARecording("the file is empty".to_string()));
        }
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let Some(version) = peek_version(first_line) else {
            return Err(ReadError::NotARecording(
                "the first line is not a cimsim recording header".to_string(),
            ));
        };
        if !supported(version) {
            return Err(ReadError::UnsupportedVersion { found: version });
        }
        // Only a journal may lack its checksum line: a file written whole
        // without one was cut short.
        let journal = serde_json::from_slice::<serde_json::Value>(first_line)
            .ok()
            .and_then(|v| v.get("header")?.get("journal")?.as_bool());
        if journal != Some(true) {
            return Err(ReadError::Truncated(
                "it does not end with its checksum line (it was cut short while written or copied)".to_string(),
            ));
        }
        let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let text = std::str::from_utf8(&bytes[..whole]).map_err(|e| ReadError::Malformed {
            line: bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1,
            message: "not UTF-8 text".to_string(),
        })?;
        let recording = migrate(version, text)?;
        Ok(Journal {
            recording,
            finished: false,
            whole,
        })
    }

    /// Reads and checks a file: its kind, version, checksum, structure and
    /// scenario hash, in that order. Never panics, whatever the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReadError> {
        if bytes.is_empty() {
            return Err(ReadError::NotARecording("the file is empty".to_string()));
        }
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let version = peek_version(first_line);
        let trailer = split_checksum(bytes);
        match (version, &trailer) {
            (Some(v), _) if !supported(v) => return Err(ReadError::UnsupportedVersion { found: v }),
            (None, None) => {
                return Err(ReadError::NotARecording(
                    "the first line is not a recording header and there is no checksum line".to_string(),
                ));
            }
            (Some(_), None) => {
                return Err(ReadError::Truncated(
                    "it does not end with its checksum line (it was cut short while written or copied)".to_string(),
                ));
            }
            _ => {}
        }
        let Some((body, stated)) = trailer else {
            unreachable!("checked above")
        };
        let actual = hex16(fnv1a64(body));
        if stated != actual {
            return Err(ReadError::Checksum { stated, actual });
        }
        let text = std::str::from_utf8(body).map_err(|e| ReadError::Malformed {
            line: body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1,
            message: "not UTF-8 text".to_string(),
        })?;
        match version {
            Some(v) => migrate(v, text),
            None => Err(ReadError::NotARecording(
                "the first line is not a cimsim recording header".to_string(),
            )),
        }
    }
}

/// Why a recording that reads cannot be re-simulated by this build
/// ([`Recording::load_scenario`]).
#[derive(Debug, Clone)]
pub enum Unreplayable {
    /// The embedded scenario does not load: every problem, with the source
    /// they point into.
    Scenario {
        source: ScenarioSource,
        problems: Vec<Problem>,
    },
    /// A strategy, an input or the number of days does not fit the scenario.
    Check(String),
}

/// A journal read back: the recording of its whole lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    pub recording: Recording,
    /// It ends with its checksum line: the session ended.
    pub finished: bool,
    /// Bytes of whole lines before the checksum line (all of them when there
    /// is none): where a resumed session goes on writing. Anything after
    /// them in an unfinished journal is a record cut off by a crash.
    pub whole: usize,
}

/// One line of a file, with its newline.
pub fn to_line(line: &current::Line) -> String {
    // Serialising these plain types cannot fail: no maps with non-string
    // keys; a non-finite float becomes `null` and is refused when read back.
    let mut text = serde_json::to_string(line).unwrap_or_default();
    text.push('\n');
    text
}

/// The checksum line that closes a file whose other lines hash to `checksum`.
pub fn checksum_line(checksum: &str) -> String {
    to_line(&current::Line::Checksum(checksum.to_string()))
}

/// The inputs that act, in order: every input but undos and the inputs they
/// take back. An undo takes back the last input of its own day before it
/// that is still standing and is not a `human` mark.
pub fn effective(inputs: &[Input]) -> Result<Vec<Input>, String> {
    let mut kept: Vec<Option<&Input>> = Vec::with_capacity(inputs.len());
    for input in inputs {
        if let Input::Undo { day } = input {
            let last = kept
                .iter_mut()
                .rev()
                .find(|i| i.is_some_and(|i| i.day() == *day && !matches!(i, Input::Human { .. })));
            match last {
                Some(slot) => *slot = None,
                None => return Err(format!("an undo on day {day} has no input of its day to take back")),
            }
        } else {
            kept.push(Some(input));
        }
    }
    Ok(kept.into_iter().flatten().cloned().collect())
}

/// Inputs in order of application: by day, the order given kept within a
/// day.
fn sorted(mut inputs: Vec<Input>) -> Vec<Input> {
    inputs.sort_by_key(Input::day);
    inputs
}

fn supported(version: u64) -> bool {
    (1..=u64::from(FORMAT_VERSION)).contains(&version)
}

/// The `format_version` of a first line that looks like a header of any
/// version: `{"header":{"format":"cimsim-recording","format_version":N,...}}`.
fn peek_version(first_line: &[u8]) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_slice(first_line).ok()?;
    let h = v.get("header")?;
    (h.get("format")?.as_str()? == v1::MAGIC).then_some(())?;
    h.get("format_version")?.as_u64()
}

/// The checksum a file states on its last line, if it has one.
pub fn stated_checksum(bytes: &[u8]) -> Option<String> {
    split_checksum(bytes).map(|(_, c)| c)
}

/// Splits a file into the bytes the checksum covers and the checksum it
/// states, when it ends with a well-formed checksum line.
fn split_checksum(bytes: &[u8]) -> Option<(&[u8], String)> {
    let without_newline = bytes.strip_suffix(b"\n")?;
    let start = without_newline.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (body, last) = (&bytes[..start], &without_newline[start..]);
    // The checksum line is the same in every version.
    match serde_json::from_slice::<v1::Line>(last).ok()? {
        v1::Line::Checksum(c) if c.len() == 16 && c.bytes().all(|b| b.is_ascii_hexdigit()) => Some((body, c)),
        _ => None,
    }
}

/// Turns the checked text of a file of any supported version into the
/// current types: a version 1 line is read with version 1's types and
/// converted (`v2`'s `From` impls), then every line is checked alike.
fn migrate(version: u64, text: &str) -> Result<Recording, ReadError> {
    let read: fn(&str) -> serde_json::Result<current::Line> = match version {
        1 => |raw| serde_json::from_str::<v1::Line>(raw).map(Into::into),
        2 => |raw| serde_json::from_str::<current::Line>(raw),
        found => return Err(ReadError::UnsupportedVersion { found }),
    };
    let mut recording = parse(text, read)?;
    if u64::from(recording.header.format_version) != version {
        return Err(ReadError::Malformed {
            line: 1,
            message: "the header's format or format_version is wrong".to_string(),
        });
    }
    // Read into the current types, it is a file of the current version.
    recording.header.format_version = FORMAT_VERSION;
    Ok(recording)
}

fn parse(text: &str, read: fn(&str) -> serde_json::Result<current::Line>) -> Result<Recording, ReadError> {
    use current::Line;
    let bad = |line: usize, message: String| ReadError::Malformed { line, message };
    let mut header = None;
    let mut scenario = None;
    let mut inputs = Vec::new();
    let mut days: Vec<Day> = Vec::new();
    let mut advances: Vec<u32> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = read(raw).map_err(|e| bad(n, e.to_string()))?;
        match (line, n) {
            (Line::Header(h), 1) => header = Some(h),
            (Line::Scenario(s), 2) => scenario = Some(s.text),
            (Line::Input(input), _) if n > 2 => {
                if (input.day() as usize) < days.len() {
                    return Err(bad(
                        n,
                        format!(
                            "an input of day {} comes after the row of day {}",
                            input.day(),
                            days.len() - 1
                        ),
                    ));
                }
                if inputs.last().is_some_and(|last: &Input| last.day() > input.day()) {
                    return Err(bad(n, "inputs are not in order of their days".to_string()));
                }
                inputs.push(input);
            }
            (Line::Advance(a), _) if n > 2 => {
                // An advance cut off by a crash before its first day was
                // written is followed by the advance that simulated it.
                if advances.last() == Some(&a.day) {
                    continue;
                }
                if a.day as usize != days.len() {
                    return Err(bad(
                        n,
                        format!(
                            "an advance from day {} where the next day to simulate is {}",
                            a.day,
                            days.len()
                        ),
                    ));
                }
                advances.push(a.day);
            }
            (Line::Day(d), _) if n > 2 => {
                if d.day as usize != days.len() {
                    return Err(bad(n, format!("expected day {}, found day {}", days.len(), d.day)));
                }
                if d.digest.len() != 16 || u64::from_str_radix(&d.digest, 16).is_err() {
                    return Err(bad(n, format!("digest `{}` is not 16 hex digits", d.digest)));
                }
                days.push(d);
            }
            (l, _) => {
                let kind = match l {
                    Line::Header(_) => "header",
                    Line::Scenario(_) => "scenario",
                    Line::Input(_) => "input",
                    Line::Advance(_) => "advance",
                    Line::Day(_) => "day",
                    Line::Checksum(_) => "checksum",
                };
                return Err(bad(n, format!("a `{kind}` line is out of place")));
            }
        }
    }
    let header = header.ok_or_else(|| bad(1, "the header is missing".to_string()))?;
    let scenario = scenario.ok_or_else(|| bad(2, "the scenario text is missing".to_string()))?;
    if header.format != v1::MAGIC {
        return Err(bad(1, "the header's format or format_version is wrong".to_string()));
    }
    if header.seed.parse::<u64>().is_err() {
        return Err(bad(
            1,
            format!("seed `{}` is not a 64-bit unsigned integer", header.seed),
        ));
    }
    let actual = hex16(fnv1a64(scenario.as_bytes()));
    if actual != header.scenario.content_hash {
        return Err(ReadError::ScenarioHash {
            stated: header.scenario.content_hash.clone(),
            actual,
        });
    }
    Ok(Recording {
        header,
        scenario,
        inputs,
        days,
        advances,
    })
}

/// Parses `DAY:EFFECT` as typed after `--inject`, and checks the effect
/// against the scenario as a scenario inject would be checked.
pub fn parse_inject(text: &str, scenario: &Scenario) -> Result<Input, String> {
    const FORM: &str = "expected DAY:EFFECT, e.g. `12:Heatwave(water_factor: 1.5, days: 10)`";
    let (day, effect) = text
        .split_once(':')
        .ok_or_else(|| format!("--inject `{text}`: {FORM}"))?;
    let day: u32 = day
        .trim()
        .parse()
        .map_err(|_| format!("--inject `{text}`: `{day}` is not a day number; {FORM}"))?;
    let effect = effect.trim().to_string();
    let parsed = parse_effect(&effect).map_err(|e| format!("--inject `{text}`: {e}"))?;
    let problems = crate::scenario::check_effect(scenario, &parsed);
    if !problems.is_empty() {
        return Err(format!("--inject `{text}`: {}", problems.join("; ")));
    }
    if day >= scenario.horizon_days {
        return Err(format!(
            "--inject `{text}`: day {day} is beyond the scenario's last day, {}",
            scenario.horizon_days.saturating_sub(1)
        ));
    }
    Ok(Input::Inject { day, effect })
}

/// The RON text of an effect, parsed.
fn parse_effect(text: &str) -> Result<Effect, String> {
    crate::scenario::ron_options()
        .from_str::<Effect>(text)
        .map_err(|e| format!("not a valid effect: {e}"))
}

/// An input in words, for timelines and the play console.
pub fn describe(input: &Input) -> String {
    match input {
        Input::Inject { effect, .. } => format!("manual inject {effect}"),
        Input::Strategy { agency, strategy, .. } => {
            let who = agency.as_deref().unwrap_or("every agency");
            if strategy == crate::sim::components::CELL_STRATEGY {
                format!("{who} joins the coordination cell")
            } else {
                format!("{who} now follows the `{strategy}` strategy")
            }
        }
        Input::Later { at, effect, .. } => format!("manual inject scheduled for day {at}: {effect}"),
        Input::Human { agency, standing, .. } => format!(
            "{agency} played by a person{}",
            if *standing {
                ", its crews on standing orders"
            } else {
                ", its crews working only when ordered"
            }
        ),
        Input::Standing { agency, on, .. } => {
            if *on {
                format!("{agency}'s crews follow its strategy unless ordered (standing orders)")
            } else {
                format!("{agency}'s crews work only when ordered")
            }
        }
        Input::Assign { crew, target, .. } => format!("{crew} ordered to {target}"),
        Input::Stop { crew, .. } => format!("{crew} ordered to stop"),
        Input::Release { crew, .. } => format!("{crew} back on standing orders"),
        Input::Request {
            from,
            to,
            ask,
            target,
            channel,
            ..
        } => {
            // Fuel is asked for the asking agency itself: no place.
            let at = if target.is_empty() {
                String::new()
            } else {
                format!(" at {target}")
            };
            let through = match channel.as_str() {
                "formal" => "a formal request".to_string(),
                "liaison" => "their liaison link".to_string(),
                "cell" => "the coordination cell".to_string(),
                other => format!("the `{other}` channel"),
            };
            format!("{from} asks {to} for {ask}{at} through {through}")
        }
        Input::Answer { request, accept, .. } => {
            format!("request #{request} {}", if *accept { "accepted" } else { "refused" })
        }
        Input::Share { from, to, .. } => format!("{from} shares its picture with {to}"),
        Input::Liaison { by, with, .. } => format!("{by} posts a liaison officer with {with}"),
        Input::Authorise { agency, district, .. } => format!("{agency} authorises returns to {district}"),
        Input::Undo { .. } => "undo".to_string(),
    }
}

/// `clearance`, `escort`, `fuel` or a service name, as a request's ask.
pub fn parse_ask(text: &str) -> Result<Ask, String> {
    Ask::ALL.into_iter().find(|a| a.name() == text).ok_or_else(|| {
        let names: Vec<&str> = Ask::ALL.iter().map(|a| a.name()).collect();
        format!("`{text}` is not something to ask for: {}", names.join(", "))
    })
}

/// `formal`, `liaison` or `cell`.
pub fn parse_channel(text: &str) -> Result<Channel, String> {
    Channel::ALL
        .into_iter()
        .find(|c| c.name() == text)
        .ok_or_else(|| format!("`{text}` is not a channel: formal, liaison or cell"))
}

/// A recorded input as the simulation applies it. An undo is not applied:
/// [`effective`] removes it with what it takes back.
pub fn to_sim(input: &Input) -> Result<SimInput, String> {
    Ok(match input {
        Input::Inject { effect, .. } => SimInput::Inject(parse_effect(effect)?),
        Input::Strategy { agency, strategy, .. } => SimInput::Strategy {
            agency: agency.clone(),
            strategy: strategy.clone(),
        },
        Input::Later { at, effect, .. } => SimInput::Later {
            day: *at,
            effect: parse_effect(effect)?,
        },
        Input::Human { agency, standing, .. } => SimInput::Human {
            agency: agency.clone(),
            standing: *standing,
        },
        Input::Standing { agency, on, .. } => SimInput::Standing {
            agency: agency.clone(),
            on: *on,
        },
        Input::Assign { crew, target, .. } => SimInput::Assign {
            crew: crew.clone(),
            target: target.clone(),
        },
        Input::Stop { crew, .. } => SimInput::Stop { crew: crew.clone() },
        Input::Release { crew, .. } => SimInput::Release { crew: crew.clone() },
        Input::Request {
            from,
            to,
            ask,
            target,
            channel,
            ..
        } => SimInput::Request {
            from: from.clone(),
            to: to.clone(),
            ask: parse_ask(ask)?,
            target: target.clone(),
            channel: parse_channel(channel)?,
        },
        Input::Answer { request, accept, .. } => SimInput::Answer {
            request: *request,
            accept: *accept,
        },
        Input::Share { from, to, .. } => SimInput::Share {
            from: from.clone(),
            to: to.clone(),
        },
        Input::Liaison { by, with, .. } => SimInput::Liaison {
            by: by.clone(),
            with: with.clone(),
        },
        Input::Authorise { agency, district, .. } => SimInput::Authorise {
            agency: agency.clone(),
            district: district.clone(),
        },
        Input::Undo { day } => return Err(format!("an undo of day {day} is not applied")),
    })
}

/// The row of the day just simulated, read from the world.
pub fn day_row(sim: &Simulation) -> Day {
    let view = sim.view();
    let digest = view.digests().last().copied().unwrap_or(0);
    let day = view.digests().len().saturating_sub(1) as u32;
    let outcomes = view.outcomes();
    let ledger = view.ledger();
    let summary = outcomes.days.last().cloned().unwrap_or_default();
    Day {
        day,
        digest: hex16(digest),
        services: summary.services.map(crate::round::r6),
        home: summary.people_home,
        displaced: summary.people_displaced,
        returned: crate::round::r6(summary.returned_share),
        ill: crate::round::r6(summary.disease_active),
        crews_lost: ledger.casualties.iter().sum(),
        tasks_done: ledger.completed.iter().sum(),
        requests: view.requests().list.len() as u32,
    }
}

/// The fields of two rows of the same day that differ, as
/// `field: expected → got`.
pub fn differences(expected: &Day, got: &Day) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name}: {a} → {b}"));
        }
    };
    field("digest", expected.digest.clone(), got.digest.clone());
    for (i, s) in crate::scenario::Service::ALL.iter().enumerate() {
        field(s.name(), expected.services[i].to_string(), got.services[i].to_string());
    }
    field("home", expected.home.to_string(), got.home.to_string());
    field("displaced", expected.displaced.to_string(), got.displaced.to_string());
    field("returned", expected.returned.to_string(), got.returned.to_string());
    field("ill", expected.ill.to_string(), got.ill.to_string());
    field(
        "crews_lost",
        expected.crews_lost.to_string(),
        got.crews_lost.to_string(),
    );
    field(
        "tasks_done",
        expected.tasks_done.to_string(),
        got.tasks_done.to_string(),
    );
    field("requests", expected.requests.to_string(), got.requests.to_string());
    out
}

/// Simulates `days` days from the simulation's current day, applying each
/// input at the start of its day, and calls `each_day` with the row of
/// every day simulated; `each_day` returning `false` stops the run early.
pub fn drive(
    sim: &mut Simulation,
    inputs: &[Input],
    days: u32,
    mut each_day: impl FnMut(&Simulation, Day) -> bool,
) -> Result<(), String> {
    let converted: Vec<(u32, SimInput)> = effective(inputs)?
        .iter()
        .map(|i| to_sim(i).map(|s| (i.day(), s)))
        .collect::<Result<_, _>>()?;
    for _ in 0..days {
        let today = sim.day();
        if today >= sim.horizon() {
            break;
        }
        for (_, input) in converted.iter().filter(|(d, _)| *d == today) {
            sim.apply(input).map_err(|e| format!("day {today}: {e}"))?;
        }
        sim.step();
        if !each_day(sim, day_row(sim)) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tutorial() -> LoadedScenario {
        crate::scenario::load(crate::scenario::builtin("tutorial").unwrap()).unwrap()
    }

    fn recorded(days: u32, inputs: Vec<Input>) -> Recording {
        let loaded = tutorial();
        let mut rec = Recording::new(&loaded, 7, 5, inputs);
        let mut sim = Simulation::with_options(
            &loaded.scenario,
            7,
            crate::sim::Options {
                families_per_entity: 5,
                shuffle: None,
            },
        );
        drive(&mut sim, &rec.inputs.clone(), days, |_, row| {
            rec.days.push(row);
            true
        })
        .unwrap();
        rec
    }

    #[test]
    fn a_recording_reads_back_as_written_and_writes_the_same_bytes() {
        let inject = parse_inject("3:Heatwave(water_factor: 1.5, days: 2)", &tutorial().scenario).unwrap();
        let rec = recorded(6, vec![inject]);
        let bytes = rec.to_bytes();
        let back = Recording::from_bytes(&bytes).unwrap();
        assert_eq!(back.days.len(), 6);
        assert_eq!(back.days, rec.days);
        assert_eq!(back.inputs, rec.inputs);
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(
            stated_checksum(&bytes),
            Some(hex16(fnv1a64(
                &bytes[..bytes.len() - r#"{"checksum":"0123456789abcdef"}"#.len() - 1]
            )))
        );
    }

    #[test]
    fn an_input_changes_the_digest_from_its_day_on() {
        let plain = recorded(6, Vec::new());
        let inject = parse_inject("3:Heatwave(water_factor: 1.5, days: 2)", &tutorial().scenario).unwrap();
        let with = recorded(6, vec![inject]);
        for d in 0..3 {
            assert_eq!(plain.days[d], with.days[d], "day {d}");
        }
        for d in 3..6 {
            assert_ne!(plain.days[d].digest, with.days[d].digest, "day {d}");
        }
    }

    #[test]
    fn versions_are_migrated_or_refused() {
        assert!(matches!(
            migrate(3, ""),
            Err(ReadError::UnsupportedVersion { found: 3 })
        ));
        assert!(matches!(migrate(2, ""), Err(ReadError::Malformed { .. })));
        assert!(matches!(
            migrate(0, ""),
            Err(ReadError::UnsupportedVersion { found: 0 })
        ));
        assert!(matches!(migrate(1, ""), Err(ReadError::Malformed { .. })));
    }

    #[test]
    fn a_version_1_journal_reads_as_version_2_its_players_crews_working_only_when_ordered() {
        let rec = recorded(2, Vec::new());
        let mut text = String::from_utf8(rec.body_bytes()).unwrap();
        text = text.replacen("\"format_version\":2", "\"format_version\":1", 1);
        let human = r#"{"input":{"human":{"day":0,"agency":"water"}}}"#;
        let at = text.find("{\"day\"").unwrap();
        text.insert_str(at, &format!("{human}\n"));
        let back = migrate(1, &text).unwrap();
        assert_eq!(back.header.format_version, 2);
        assert_eq!(
            back.inputs,
            vec![Input::Human {
                day: 0,
                agency: "water".into(),
                standing: false
            }]
        );
        assert_eq!(back.days, rec.days);
        // Version 1 has no advance lines, and refuses one.
        let with_advance = text.replacen(human, r#"{"advance":{"day":0}}"#, 1);
        assert!(matches!(migrate(1, &with_advance), Err(ReadError::Malformed { .. })));
        // In version 2 they read, and a repeated one (cut off by a crash
        // before its first day) counts once.
        let v2 = String::from_utf8(rec.body_bytes()).unwrap();
        let at = v2.find("{\"day\"").unwrap();
        let mut v2 = v2.clone();
        v2.insert_str(at, "{\"advance\":{\"day\":0}}\n{\"advance\":{\"day\":0}}\n");
        assert_eq!(migrate(2, &v2).unwrap().advances, vec![0]);
    }

    #[test]
    fn a_header_without_its_magic_is_not_a_recording_even_with_a_valid_checksum() {
        let bytes = recorded(2, Vec::new()).to_bytes();
        let text = String::from_utf8(bytes)
            .unwrap()
            .replacen(v1::MAGIC, "something-else", 1);
        let body_end = text.trim_end_matches('\n').rfind('\n').unwrap() + 1;
        let body = &text[..body_end];
        let fixed = format!("{body}{{\"checksum\":\"{}\"}}\n", hex16(fnv1a64(body.as_bytes())));
        let err = Recording::from_bytes(fixed.as_bytes()).unwrap_err();
        assert!(matches!(err, ReadError::NotARecording(_)), "{err}");
        assert!(err.is_input_error());
    }

    #[test]
    fn injects_are_parsed_and_checked_like_scenario_injects() {
        let s = tutorial().scenario;
        let ok = parse_inject(" 4 : Minefield(district: \"east\", contamination: 0.2)", &s).unwrap();
        assert_eq!(ok.day(), 4);
        assert!(to_sim(&ok).is_ok());
        for (bad, expected) in [
            ("4", "expected DAY:EFFECT"),
            ("x:Heatwave(water_factor: 1.5, days: 2)", "not a day number"),
            ("4:Earthquake(magnitude: 7.0)", "not a valid effect"),
            (
                "4:Sabotage(asset: \"power-statoin\", damage: 0.5)",
                "did you mean `power-station`",
            ),
            ("4:Sabotage(asset: \"power-station\", damage: 1.5)", "damage"),
            (
                "400:Heatwave(water_factor: 1.5, days: 2)",
                "beyond the scenario's last day",
            ),
        ] {
            let err = parse_inject(bad, &s).unwrap_err();
            assert!(err.contains(expected), "{bad}: {err}");
        }
    }
}
