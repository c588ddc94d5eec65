//! Recorded-run format version 1: the serde types of the file, frozen.
//!
//! **Frozen:** once a version is released its types never change (no field
//! added, renamed, retyped or removed); a change makes version 2, with its
//! own module, and `record::migrate` converts a version 1 file into it.
//! `docs/replay-format.md` describes the file these types read and write.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `format_version` of these types.
pub const VERSION: u32 = 1;

/// The value of `header.format`: says what the file is.
pub const MAGIC: &str = "cimsim-recording";

/// One line of the file. Each line is one JSON object with one key, the
/// line's kind: `header`, `scenario`, `input`, `day` or `checksum`. After
/// the header and the scenario the lines are in the order of events: the
/// inputs of day d, then day d's row, then day d+1's inputs, and so on, so
/// a run can be written as it goes (an interactive session's journal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Line {
    Header(Header),
    Scenario(ScenarioText),
    Input(Input),
    Day(Day),
    Checksum(String),
}

/// What was run, and by which build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always [`MAGIC`].
    pub format: String,
    /// Always [`VERSION`] in this module.
    pub format_version: u32,
    /// `cimsim::ENGINE_VERSION` of the build that wrote the file (the
    /// package version and its rules hash; files written before builds had
    /// an identity hold the bare version). Digests are guaranteed only
    /// within one build.
    pub engine_version: String,
    pub scenario: ScenarioRef,
    /// The seed, as a decimal string (JSON numbers lose bits above 2^53).
    pub seed: String,
    /// Families per household entity (1: full resolution).
    pub families_per_entity: u32,
    /// The strategy every agency follows unless overridden, as run (after
    /// `--strategy`).
    pub strategy: String,
    /// Agencies whose strategy differs from `strategy` at day 0: the
    /// scenario's own overrides and `--strategy-for`, by agency id.
    pub strategy_for: BTreeMap<String, String>,
    /// Set when the run is a branch of another recorded run.
    pub branch: Option<BranchOf>,
    /// The file is the journal of a `cimsim play` session: written as the
    /// session goes, so until the session ends it has no checksum line and
    /// its last line may have been cut off by a crash. Absent (false) in
    /// files written whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub journal: bool,
}

/// The scenario the run used; its full text is the `scenario` line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRef {
    pub name: String,
    /// FNV-1a 64 of the scenario text, 16 hex digits.
    pub content_hash: String,
}

/// Where a branch comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchOf {
    /// The checksum of the original file.
    pub original: String,
    /// The first day on which the branch may differ from the original.
    pub day: u32,
}

/// The scenario's full RON text, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioText {
    pub text: String,
}

/// A choice applied at the start of `day`, before the day's rules. Ids are
/// the scenario's (agencies, districts, assets) and crew ids
/// (`AGENCY-KIND-N`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Input {
    /// A manual inject; `effect` is the RON text of a scenario `Effect`,
    /// as typed after `--inject DAY:`.
    Inject { day: u32, effect: String },
    /// From `day` on, `agency` (every agency when null) follows `strategy`.
    Strategy {
        day: u32,
        agency: Option<String>,
        strategy: String,
    },
    /// On `day` the facilitator scheduled a manual inject for the start of
    /// the later day `at`.
    Later { day: u32, at: u32, effect: String },
    /// From `day` on, `agency` is played by a person.
    Human { day: u32, agency: String },
    /// A player's crew works on `target` from `day`.
    Assign { day: u32, crew: String, target: String },
    /// A player's crew stops work.
    Stop { day: u32, crew: String },
    /// A player's agency asks another: `ask` is `clearance`, `escort`,
    /// `fuel` or a service name; `channel` is `formal`, `liaison` or `cell`.
    Request {
        day: u32,
        from: String,
        to: String,
        ask: String,
        target: String,
        channel: String,
    },
    /// A player's agency answers request `request`.
    Answer { day: u32, request: u64, accept: bool },
    /// A player's agency shares what it knows with another, once.
    Share { day: u32, from: String, to: String },
    /// A player's agency posts a liaison officer with another.
    Liaison { day: u32, by: String, with: String },
    /// Takes back the last input of the same day before it that is not
    /// already taken back (a player's `undo`); never applied itself.
    Undo { day: u32 },
}

impl Input {
    pub fn day(&self) -> u32 {
        match self {
            Input::Inject { day, .. }
            | Input::Strategy { day, .. }
            | Input::Later { day, .. }
            | Input::Human { day, .. }
            | Input::Assign { day, .. }
            | Input::Stop { day, .. }
            | Input::Request { day, .. }
            | Input::Answer { day, .. }
            | Input::Share { day, .. }
            | Input::Liaison { day, .. }
            | Input::Undo { day } => *day,
        }
    }
}

/// The end of one day: its digest and a compact row of key metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Day {
    pub day: u32,
    /// The state digest at the end of the day, 16 hex digits.
    pub digest: String,
    /// People-weighted service levels (food, water, electricity,
    /// sanitation, health), rounded to 6 decimals.
    pub services: [f64; 5],
    /// People at home.
    pub home: u64,
    /// People displaced.
    pub displaced: u64,
    /// Share of the people displaced on day 0 who are home, 6 decimals.
    pub returned: f64,
    /// Active disease cases, 6 decimals.
    pub ill: f64,
    /// Crews lost so far.
    pub crews_lost: u32,
    /// Tasks completed so far.
    pub tasks_done: u32,
    /// Requests between agencies made so far.
    pub requests: u32,
}
