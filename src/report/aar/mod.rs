//! The after-action report of a recorded run (`cimsim report`): the exercise
//! at a glance, charts, the timeline, capability ratings, strengths and areas
//! for improvement with corrective actions, as one self-contained HTML page
//! or as Markdown with the charts as SVG files.
//!
//! Pure functions: `cli::report` re-simulates the recording (verified like a
//! replay), runs the `silo` and `central` references, and hands the finished
//! worlds' figures here ([`Evidence::gather`], [`Trace::observe`]); this
//! module builds an [`AfterAction`] from them and renders it into strings.
//! It never opens a file, reads a clock or prints, and the same recording
//! always gives the same bytes. Every figure comes from the run's
//! [`RunReport`] (the JSON of `cimsim run --json`) or from the ledger and
//! outcomes it is built from; docs/report.md explains each one.
//!
//! The report is written once and rendered twice: `content.rs` says
//! everything the report says as one `document::Document` (sections,
//! paragraphs, tables, findings, figures), and `html.rs` and `markdown.rs`
//! only decide how each element looks. The parts the document is made of:
//!
//! - `evidence.rs`: what the finished worlds hold beyond their documents;
//! - `timeline.rs`: injects, inputs, links and milestones by day;
//! - `capabilities.rs`: measuring and rating the scenario's targets;
//! - `findings/`: strengths, areas for improvement and corrective actions;
//! - `charts.rs`: the SVG charts.

mod capabilities;
pub(crate) mod charts;
mod content;
mod document;
mod evidence;
mod findings;
pub(crate) mod html;
mod markdown;
mod timeline;

use crate::record::Recording;
use crate::report::RunReport;
use crate::report::console::replay::date_after;
use crate::scenario::Scenario;

pub use capabilities::{Measured, RatedCapability, Rating, measure, rate, rate_capabilities, rating_of};
pub use charts::Chart;
pub use evidence::{Evidence, ReferenceEvidence, RequestFact, Trace};
pub use findings::{Finding, Loss, LossKind, findings, losses};
pub use html::to_html;
pub use markdown::to_markdown;
pub use timeline::{Event, human_agencies, timeline};

/// Everything the report is made from.
pub struct Inputs<'a> {
    pub recording: &'a Recording,
    /// The embedded scenario, as run (strategies set).
    pub scenario: &'a Scenario,
    /// The run's document, scored against the references.
    pub report: &'a RunReport,
    pub evidence: &'a Evidence,
    pub trace: &'a Trace,
    /// `silo` then `central`.
    pub references: [&'a ReferenceEvidence; 2],
}

/// The whole report, ready to render.
pub struct AfterAction<'a> {
    pub inputs: &'a Inputs<'a>,
    pub capabilities: Vec<RatedCapability>,
    pub strengths: Vec<Finding>,
    pub areas: Vec<Finding>,
    pub timeline: Vec<Event>,
    pub charts: Vec<Chart>,
}

impl<'a> AfterAction<'a> {
    /// Builds every section and draws every chart.
    pub fn new(inputs: &'a Inputs<'a>) -> Result<Self, String> {
        let capabilities = rate_capabilities(inputs);
        let (strengths, areas) = findings(inputs, &capabilities);
        Ok(AfterAction {
            inputs,
            strengths,
            areas,
            timeline: timeline(inputs),
            charts: charts::all(inputs)?,
            capabilities,
        })
    }

    /// The calendar date of a day.
    fn date(&self, day: u32) -> String {
        date_after(&self.inputs.scenario.start_date, day)
    }
}
