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

mod capabilities;
pub(crate) mod charts;
mod findings;
pub(crate) mod html;
mod markdown;

use std::collections::BTreeSet;

use crate::record::{Input, Recording};
use crate::report::RunReport;
use crate::report::console::replay::date_after;
use crate::report::text::{big, pct};
use crate::scenario::Scenario;
use crate::sim::Simulation;
use crate::sim::components::{Liaisons, Requests};
use crate::sim::ledger::Outcomes;
use crate::sim::setup::Names;

pub use capabilities::{Measured, RatedCapability, Rating, measure, rate, rate_capabilities, rating_of};
pub use charts::Chart;
pub use findings::{Finding, findings};
pub use html::to_html;
pub use markdown::to_markdown;

/// What happened during a run that the finished world no longer shows:
/// liaison links as they formed and ended, and officers as they were posted.
/// Filled one day at a time by [`Trace::observe`].
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Links at the end of the last day observed, as index pairs.
    links: BTreeSet<(u16, u16)>,
    /// Officers posted so far, by pair.
    officers: BTreeSet<(u16, u16)>,
    /// (day, agency a, agency b, formed?) in order of days.
    pub link_events: Vec<(u32, String, String, bool)>,
    /// (day, posting agency, the other agency).
    pub officer_events: Vec<(u32, String, String)>,
}

impl Trace {
    /// Records the links and officers that changed on the day just
    /// simulated.
    pub fn observe(&mut self, sim: &Simulation, day: u32) {
        let liaisons = sim.world.resource::<Liaisons>();
        let names = sim.world.resource::<Names>();
        let id = |ix: u16| names.agencies.get(usize::from(ix)).cloned().unwrap_or_default();
        let now: BTreeSet<(u16, u16)> = liaisons.links.iter().copied().collect();
        for &(a, b) in now.difference(&self.links) {
            self.link_events.push((day, id(a), id(b), true));
        }
        for &(a, b) in self.links.difference(&now) {
            self.link_events.push((day, id(a), id(b), false));
        }
        self.links = now;
        for (&(a, b), posting) in &liaisons.posted {
            let pair = (a, b);
            if self.officers.insert(pair) {
                let by = posting.by;
                let other = if by == pair.0 { pair.1 } else { pair.0 };
                self.officer_events.push((day, id(by), id(other)));
            }
        }
    }

    /// The links that worked at the end of `day`, as agency id pairs.
    pub fn links_at(&self, day: u32) -> BTreeSet<(String, String)> {
        let mut links = BTreeSet::new();
        for (d, a, b, formed) in &self.link_events {
            if *d > day {
                break;
            }
            if *formed {
                links.insert((a.clone(), b.clone()));
            } else {
                links.remove(&(a.clone(), b.clone()));
            }
        }
        links
    }
}

/// One request between agencies, by agency id.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFact {
    pub made: u32,
    pub from: String,
    pub to: String,
    pub accepted: Option<bool>,
    pub fulfilled: Option<u32>,
}

/// A finished run's figures beyond its [`RunReport`]: the daily city-wide
/// and per-district series and every request.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Agencies by index.
    pub agencies: Vec<String>,
    /// (id, name) of each district by index.
    pub districts: Vec<(String, String)>,
    /// Per day: people displaced.
    pub displaced: Vec<u64>,
    /// Per day: share of the people displaced on day 0 who are home, 6
    /// decimals (as in the recording and the JSON).
    pub returned_share: Vec<f64>,
    /// Per district and day: people present and the service levels.
    pub district_days: Vec<Vec<(u64, [f64; 5])>>,
    pub requests: Vec<RequestFact>,
    /// Pictures shared, giver × receiver, in pair-days (`Ledger::shares`).
    pub shares: Vec<Vec<u32>>,
}

impl Evidence {
    /// Reads the series from a finished world.
    pub fn gather(sim: &Simulation) -> Self {
        let w = &sim.world;
        let names = w.resource::<Names>();
        let outcomes = w.resource::<Outcomes>();
        let mut district_days = vec![Vec::with_capacity(outcomes.days.len()); names.districts.len()];
        for p in outcomes.places.iter().filter(|p| p.kind == "district") {
            if let Some(series) = district_days.get_mut(usize::from(p.ix)) {
                series.push((p.people, p.q));
            }
        }
        let id = |ix: usize| names.agencies.get(ix).cloned().unwrap_or_default();
        Evidence {
            agencies: names.agencies.clone(),
            districts: names
                .districts
                .iter()
                .cloned()
                .zip(names.district_names.iter().cloned())
                .collect(),
            displaced: outcomes.days.iter().map(|d| d.people_displaced).collect(),
            returned_share: outcomes
                .days
                .iter()
                .map(|d| crate::round::r6(d.returned_share))
                .collect(),
            district_days,
            requests: w
                .resource::<Requests>()
                .list
                .iter()
                .map(|r| RequestFact {
                    made: r.made,
                    from: id(usize::from(r.from)),
                    to: id(usize::from(r.to)),
                    accepted: r.accepted,
                    fulfilled: r.fulfilled,
                })
                .collect(),
            shares: w.resource::<crate::sim::ledger::Ledger>().shares.clone(),
        }
    }
}

/// A reference run: its JSON document and its series.
#[derive(Debug, Clone)]
pub struct ReferenceEvidence {
    pub report: RunReport,
    pub evidence: Evidence,
}

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

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    pub day: u32,
    /// `inject`, `manual inject`, `decision`, `link`, `milestone`, `loss`.
    pub kind: &'static str,
    pub text: String,
}

/// Injects, inputs, liaison links and officers, and return milestones, by
/// day.
pub fn timeline(inputs: &Inputs) -> Vec<Event> {
    let mut out = Vec::new();
    for i in &inputs.report.injects {
        out.push(Event {
            day: i.day,
            kind: "inject",
            text: format!("{}: {}", i.id, i.message),
        });
    }
    // What was taken back with `undo` in a play journal is not shown.
    let effective = crate::record::effective(&inputs.recording.inputs).unwrap_or_default();
    for input in &effective {
        let (kind, text) = match input {
            Input::Inject { effect, .. } => ("manual inject", effect.clone()),
            Input::Strategy { agency, strategy, .. } => (
                "decision",
                format!(
                    "{} now follows the {strategy} strategy",
                    agency.as_deref().unwrap_or("every agency")
                ),
            ),
            Input::Later { .. } => ("manual inject", crate::record::describe(input)),
            Input::Human { .. } => ("player", crate::record::describe(input)),
            _ => ("decision", crate::record::describe(input)),
        };
        out.push(Event {
            day: input.day(),
            kind,
            text,
        });
    }
    // Links that started or ended on the same day make one line each.
    let mut links: std::collections::BTreeMap<(u32, bool), Vec<String>> = std::collections::BTreeMap::new();
    for (day, a, b, formed) in &inputs.trace.link_events {
        links.entry((*day, *formed)).or_default().push(format!("{a} – {b}"));
    }
    for ((day, formed), pairs) in links {
        let what = match (day, formed, pairs.len()) {
            (0, true, 1) => "liaison link in place from the start:",
            (0, true, _) => "liaison links in place from the start:",
            (_, true, 1) => "liaison link working:",
            (_, true, _) => "liaison links working:",
            (_, false, 1) => "liaison link lost:",
            (_, false, _) => "liaison links lost:",
        };
        out.push(Event {
            day,
            kind: "link",
            text: format!("{what} {}", pairs.join(", ")),
        });
    }
    for (day, by, with) in &inputs.trace.officer_events {
        let text = format!("{by} posts a liaison officer with {with}");
        // A player's `liaison` order is already listed as its input.
        if out.iter().any(|e| e.day == *day && e.text == text) {
            continue;
        }
        out.push(Event {
            day: *day,
            kind: "decision",
            text,
        });
    }
    let shares = &inputs.evidence.returned_share;
    for (threshold, words) in [(0.25, "a quarter"), (0.5, "half"), (0.75, "three quarters")] {
        if let Some(d) = shares.iter().position(|&s| s >= threshold) {
            out.push(Event {
                day: d as u32,
                kind: "milestone",
                text: format!("{words} of the people displaced on day 0 are home"),
            });
        }
    }
    let mut lost = 0;
    for row in &inputs.recording.days {
        if row.crews_lost > lost {
            out.push(Event {
                day: row.day,
                kind: "loss",
                text: format!("{} crew(s) lost ({} so far)", row.crews_lost - lost, row.crews_lost),
            });
            lost = row.crews_lost;
        }
    }
    out.sort();
    out
}

/// The agencies human players controlled: those a `cimsim play` journal
/// hands to a person (`Input::Human`), in journal order.
pub fn human_agencies(inputs: &[Input]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for input in inputs {
        if let Input::Human { agency, .. } = input
            && !out.contains(agency)
        {
            out.push(agency.clone());
        }
    }
    out
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

    /// Rows of the "at a glance" table: label and value, plain text.
    fn glance(&self) -> Vec<(&'static str, String)> {
        let i = self.inputs;
        let h = &i.recording.header;
        let r = i.report;
        let s = i.scenario;
        let days = r.days;
        let players = human_agencies(&i.recording.inputs);
        let mut strategies = format!("{} for every agency", h.strategy);
        if !h.strategy_for.is_empty() {
            let v: Vec<String> = h.strategy_for.iter().map(|(a, x)| format!("{a}: {x}")).collect();
            strategies = format!("{} except {}", h.strategy, v.join(", "));
        }
        let changes: Vec<String> = i
            .recording
            .inputs
            .iter()
            .filter_map(|x| match x {
                Input::Strategy { day, agency, strategy } => Some(format!(
                    "from day {day} {} follows {strategy}",
                    agency.as_deref().unwrap_or("every agency")
                )),
                _ => None,
            })
            .collect();
        if !changes.is_empty() {
            strategies.push_str(&format!("; {}", changes.join("; ")));
        }
        let mut rows = vec![
            ("Scenario", format!("{} — {}", s.name, s.title)),
            ("Seed", h.seed.clone()),
            ("Strategies", strategies),
            (
                "Agencies",
                s.agencies
                    .iter()
                    .enumerate()
                    .map(|(k, a)| format!("{} ({}): {}", a.id, a.name, s.strategy_of(k)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            (
                "Human-played agencies",
                if players.is_empty() {
                    "none (all agencies followed their strategies)".to_string()
                } else {
                    players.join(", ")
                },
            ),
            (
                "Dates",
                format!(
                    "{} (day 0) to {} (day {}), {days} days",
                    self.date(0),
                    self.date(days.saturating_sub(1)),
                    days.saturating_sub(1)
                ),
            ),
            (
                "Population",
                format!(
                    "{} people; {} displaced on day 0{}",
                    big(r.population.people as f64),
                    big(r.returns.initially_displaced_people as f64),
                    if h.families_per_entity > 1 {
                        format!(" ({} families per simulated household)", h.families_per_entity)
                    } else {
                        String::new()
                    }
                ),
            ),
        ];
        if let Some(b) = &h.branch {
            rows.push((
                "Branch",
                format!(
                    "a what-if branch from day {} of the run with checksum {}",
                    b.day, b.original
                ),
            ));
        }
        rows.push((
            "Verification",
            format!(
                "re-simulated and verified against the recording, day by day: final digest {}",
                r.final_digest
            ),
        ));
        rows
    }

    /// The outcome figures against the references: (label, run, silo,
    /// central), already formatted.
    fn outcomes(&self) -> Vec<(String, String, String, String)> {
        let r = self.inputs.report;
        let [silo, central] = self.inputs.references.map(|x| &x.report);
        let row = |label: &str, f: &dyn Fn(&RunReport) -> String| (label.to_string(), f(r), f(silo), f(central));
        let mut rows = vec![
            row("resilience loss, total (weighted person-days)", &|x| {
                big(x.resilience_loss.total)
            }),
            row("  food", &|x| big(x.resilience_loss.food)),
            row("  water", &|x| big(x.resilience_loss.water)),
            row("  electricity", &|x| big(x.resilience_loss.electricity)),
            row("  sanitation", &|x| big(x.resilience_loss.sanitation)),
            row("  health", &|x| big(x.resilience_loss.health)),
            row("  displacement (person-days)", &|x| big(x.resilience_loss.displacement)),
            row("returned home by the last day", &|x| pct(x.returns.returned_share)),
            row("day half the displaced were home", &|x| {
                x.returns
                    .days_to_half_returned
                    .map_or("never".to_string(), |d| format!("day {d}"))
            }),
            row("person-days below survival minimums", &|x| {
                big(x.harm.survival_person_days)
            }),
            row("crews lost", &|x| x.harm.crew_casualties.to_string()),
            row("disease cases", &|x| big(x.harm.disease_cases)),
        ];
        rows.push((
            "coordination efficiency".to_string(),
            r.cooperation
                .coordination_efficiency
                .map_or("undefined".to_string(), |e| format!("{e:.2}")),
            "0 (by definition)".to_string(),
            "1 (by definition)".to_string(),
        ));
        rows
    }

    /// The capability ratings counted, in one sentence; `None` without
    /// targets.
    fn capability_summary(&self) -> Option<String> {
        if self.capabilities.is_empty() {
            return None;
        }
        let parts: Vec<String> = [
            Rating::Performed,
            Rating::SomeChallenges,
            Rating::MajorChallenges,
            Rating::Unable,
            Rating::NotExercised,
        ]
        .iter()
        .filter_map(|r| {
            let n = self.capabilities.iter().filter(|c| c.rating == *r).count();
            (n > 0).then(|| format!("{n} {}", r.label()))
        })
        .collect();
        Some(format!(
            "Capability targets ({}): {}. Areas for improvement: {}, each with a corrective action.",
            self.capabilities.len(),
            parts.join(", "),
            self.areas.len()
        ))
    }

    /// One sentence on the outcome, for the top of the page.
    fn headline(&self) -> String {
        let r = self.inputs.report;
        let e = r.cooperation.coordination_efficiency;
        format!(
            "Over {} days, {} of the {} people displaced on day 0 went home ({}). The run's resilience loss was {} person-days; {}",
            r.days,
            big(r.returns.returned_share * r.returns.initially_displaced_people as f64),
            big(r.returns.initially_displaced_people as f64),
            pct(r.returns.returned_share),
            big(r.resilience_loss.total),
            match (e, &r.references) {
                (Some(e), Some(refs)) => format!(
                    "working alone it would have been {} and with one planner with full information {}, so the agencies closed {} of that gap (coordination efficiency {e:.2}).",
                    big(refs.silo.resilience_loss.total),
                    big(refs.central.resilience_loss.total),
                    pct(e)
                ),
                (None, Some(refs)) => format!(
                    "working alone it would have been {} and with one planner with full information {}; the coordination efficiency is {}.",
                    big(refs.silo.resilience_loss.total),
                    big(refs.central.resilience_loss.total),
                    crate::report::text::efficiency_undefined(refs)
                ),
                (_, None) => "it was run without references, so no coordination efficiency was computed.".to_string(),
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_at_a_day_replay_the_events_up_to_it() {
        let trace = Trace {
            link_events: vec![
                (0, "a".into(), "b".into(), true),
                (5, "b".into(), "c".into(), true),
                (9, "a".into(), "b".into(), false),
            ],
            ..Trace::default()
        };
        let pairs = |day| {
            trace
                .links_at(day)
                .into_iter()
                .map(|(a, b)| format!("{a}-{b}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs(0), ["a-b"]);
        assert_eq!(pairs(4), ["a-b"]);
        assert_eq!(pairs(5), ["a-b", "b-c"]);
        assert_eq!(pairs(9), ["b-c"]);
    }
}
