//! Recorded-run format version 2: the serde types of the file, frozen.
//!
//! Version 2 is version 1 with what a `cimsim play` session needs to be
//! replayed and resumed as it was played:
//! - an `advance` line, written when the facilitator advances the clock,
//!   so a resumed session numbers its turns as the uninterrupted one did;
//! - standing orders: a `human` input says whether the agency's crews
//!   follow its strategy until a player orders them (`standing`), a
//!   `standing` input switches that later, and a `release` input hands
//!   ordered crews back to the standing orders;
//! - crew orders (`assign`, `stop`, `release`) name a crew or a group of
//!   crews: `water-repair-2..4`, `water-repair-*`, or a comma-separated
//!   list of these.
//!
//! The header, scenario and day lines are version 1's types, unchanged
//! (frozen there). `record::migrate` reads a version 1 file into these
//! types: its `human` inputs become `standing: false`, which is what they
//! meant (a player's crews worked only when ordered).
//!
//! **Frozen:** once a version is released its types never change; a change
//! makes version 3. `docs/replay-format.md` describes the file.

use serde::{Deserialize, Serialize};

pub use super::v1::{BranchOf, Day, Header, MAGIC, ScenarioRef, ScenarioText};

/// The `format_version` of these types.
pub const VERSION: u32 = 2;

/// One line of the file. Each line is one JSON object with one key, the
/// line's kind: `header`, `scenario`, `input`, `advance`, `day` or
/// `checksum`. After the header and the scenario the lines are in the order
/// of events: the inputs of day d, then (in a journal) the `advance` that
/// starts simulating from day d, then day d's row, and so on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Line {
    Header(Header),
    Scenario(ScenarioText),
    Input(Input),
    Advance(Advance),
    Day(Day),
    Checksum(String),
}

/// The facilitator advanced the clock: from `day` (the next day to
/// simulate) the days that follow were simulated as one turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    pub day: u32,
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
    /// From `day` on, `agency` is played by a person. With `standing`, its
    /// crews follow its strategy unless a player orders them; without, they
    /// work only when ordered.
    Human { day: u32, agency: String, standing: bool },
    /// From `day` on, a player's agency's crews follow its strategy unless
    /// ordered (`on`), or work only when ordered.
    Standing { day: u32, agency: String, on: bool },
    /// A player's crews (`crew` names one or a group) work on `target` from
    /// `day`.
    Assign { day: u32, crew: String, target: String },
    /// A player's crews stop work and stand idle.
    Stop { day: u32, crew: String },
    /// A player's crews go back to the standing orders.
    Release { day: u32, crew: String },
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
    /// A player's agency authorises returns to a closed district.
    Authorise { day: u32, agency: String, district: String },
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
            | Input::Standing { day, .. }
            | Input::Assign { day, .. }
            | Input::Stop { day, .. }
            | Input::Release { day, .. }
            | Input::Request { day, .. }
            | Input::Answer { day, .. }
            | Input::Share { day, .. }
            | Input::Liaison { day, .. }
            | Input::Authorise { day, .. }
            | Input::Undo { day } => *day,
        }
    }
}

/// Version 1's inputs in version 2: the same, a `human` agency's crews
/// working only when ordered, as they did.
impl From<super::v1::Input> for Input {
    fn from(old: super::v1::Input) -> Self {
        use super::v1::Input as V1;
        match old {
            V1::Inject { day, effect } => Input::Inject { day, effect },
            V1::Strategy { day, agency, strategy } => Input::Strategy { day, agency, strategy },
            V1::Later { day, at, effect } => Input::Later { day, at, effect },
            V1::Human { day, agency } => Input::Human {
                day,
                agency,
                standing: false,
            },
            V1::Assign { day, crew, target } => Input::Assign { day, crew, target },
            V1::Stop { day, crew } => Input::Stop { day, crew },
            V1::Request {
                day,
                from,
                to,
                ask,
                target,
                channel,
            } => Input::Request {
                day,
                from,
                to,
                ask,
                target,
                channel,
            },
            V1::Answer { day, request, accept } => Input::Answer { day, request, accept },
            V1::Share { day, from, to } => Input::Share { day, from, to },
            V1::Liaison { day, by, with } => Input::Liaison { day, by, with },
            V1::Undo { day } => Input::Undo { day },
        }
    }
}

/// Version 1's lines in version 2.
impl From<super::v1::Line> for Line {
    fn from(old: super::v1::Line) -> Self {
        use super::v1::Line as V1;
        match old {
            V1::Header(h) => Line::Header(h),
            V1::Scenario(s) => Line::Scenario(s),
            V1::Input(i) => Line::Input(i.into()),
            V1::Day(d) => Line::Day(d),
            V1::Checksum(c) => Line::Checksum(c),
        }
    }
}
