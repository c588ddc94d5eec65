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

mod charts;
mod html;
mod markdown;

use std::collections::BTreeSet;

use crate::record::{Header, Input, Recording};
use crate::report::replay::date_after;
use crate::report::{RunReport, big, pct};
use crate::scenario::{Capability, Metric, Scenario};
use crate::score::Outcomes;
use crate::sim::Simulation;
use crate::sim::components::{Liaisons, Requests};
use crate::sim::setup::Names;

pub use charts::Chart;
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
                .map(|d| crate::report::r6(d.returned_share))
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
            shares: w.resource::<crate::score::Ledger>().shares.clone(),
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

/// How well a capability target was met (HSEEP's ratings), or that the run
/// gave no evidence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rating {
    Performed,
    SomeChallenges,
    MajorChallenges,
    Unable,
    /// The run ended before the target's day, or nothing was measured
    /// (no requests were made).
    NotExercised,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Rating::Performed => "performed",
            Rating::SomeChallenges => "some challenges",
            Rating::MajorChallenges => "major challenges",
            Rating::Unable => "unable to perform",
            Rating::NotExercised => "not exercised",
        }
    }

    /// A CSS class and Markdown marker.
    pub fn code(self) -> &'static str {
        match self {
            Rating::Performed => "p",
            Rating::SomeChallenges => "s",
            Rating::MajorChallenges => "m",
            Rating::Unable => "u",
            Rating::NotExercised => "n",
        }
    }
}

/// The rating rule (docs/report.md): where more is better, a value at or
/// above `performed` is performed, at or above `some_challenges` some
/// challenges, at or above `major_challenges` major challenges, and below it
/// unable; where less is better the comparisons are "at or below". A value
/// that is not a number is not exercised.
pub fn rate(more_is_better: bool, value: f64, performed: f64, some: f64, major: f64) -> Rating {
    if value.is_nan() {
        return Rating::NotExercised;
    }
    let meets = |threshold: f64| {
        if more_is_better {
            value >= threshold
        } else {
            value <= threshold
        }
    };
    if meets(performed) {
        Rating::Performed
    } else if meets(some) {
        Rating::SomeChallenges
    } else if meets(major) {
        Rating::MajorChallenges
    } else {
        Rating::Unable
    }
}

/// A capability target's value in one run, and what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// NaN when the run gave no evidence.
    pub value: f64,
    /// The figures behind it, in words.
    pub evidence: String,
}

/// Measures a capability's metric in a run.
pub fn measure(metric: &Metric, report: &RunReport, ev: &Evidence, start_date: &str) -> Measured {
    let days = report.days;
    let late = |day: u32| Measured {
        value: f64::NAN,
        evidence: format!(
            "the run ended after day {} (recorded {days} days), before day {day}",
            days.saturating_sub(1)
        ),
    };
    match metric {
        Metric::ServiceLevel {
            service,
            districts,
            day,
        } => {
            if *day >= days {
                return late(*day);
            }
            let (mut people, mut served) = (0u64, 0.0);
            for id in districts {
                let Some(ix) = ev.districts.iter().position(|d| &d.0 == id) else {
                    continue;
                };
                if let Some(&(p, q)) = ev.district_days.get(ix).and_then(|s| s.get(*day as usize)) {
                    people += p;
                    served += p as f64 * q[service.index()];
                }
            }
            let value = if people > 0 {
                crate::report::r6(served / people as f64)
            } else {
                0.0
            };
            Measured {
                value,
                evidence: format!(
                    "{} level {} for the {} people present in {} at the end of day {day} ({})",
                    service.name(),
                    pct(value),
                    big(people as f64),
                    districts.join(", "),
                    date_after(start_date, *day)
                ),
            }
        }
        Metric::ReturnedShare { day } => match ev.returned_share.get(*day as usize) {
            None => late(*day),
            Some(&share) => Measured {
                value: share,
                evidence: format!(
                    "{} of the {} people displaced on day 0 were home at the end of day {day} ({})",
                    pct(share),
                    big(report.returns.initially_displaced_people as f64),
                    date_after(start_date, *day)
                ),
            },
        },
        Metric::RequestFulfilment => {
            let made: u32 = report.cooperation.requests.iter().map(|c| c.made).sum();
            let fulfilled: u32 = report.cooperation.requests.iter().map(|c| c.fulfilled).sum();
            if made == 0 {
                Measured {
                    value: f64::NAN,
                    evidence: "no agency asked another for anything".to_string(),
                }
            } else {
                let value = crate::report::r6(f64::from(fulfilled) / f64::from(made));
                Measured {
                    value,
                    evidence: format!(
                        "{fulfilled} of {made} requests between agencies had their need met ({})",
                        pct(value)
                    ),
                }
            }
        }
        Metric::CrewCasualties => {
            let lost = report.harm.crew_casualties;
            Measured {
                value: f64::from(lost),
                evidence: format!(
                    "{lost} {} lost over {days} days",
                    if lost == 1 { "crew" } else { "crews" }
                ),
            }
        }
        Metric::BlockedCrewDays => {
            let blocked: f64 = report.crews.iter().map(|c| c.crew_days_blocked).sum();
            Measured {
                value: blocked,
                evidence: format!("{} crew-days blocked over {days} days, all agencies", big(blocked)),
            }
        }
        Metric::DaysToHalfReturned => match report.returns.days_to_half_returned {
            Some(d) => Measured {
                value: f64::from(d),
                evidence: format!(
                    "half the displaced were home on day {d} ({})",
                    date_after(start_date, d)
                ),
            },
            None => Measured {
                value: f64::from(days),
                evidence: format!("half the displaced were not home by the end of the run ({days} days)"),
            },
        },
    }
}

/// A capability target, rated, with the references' values beside it.
#[derive(Debug, Clone)]
pub struct RatedCapability {
    pub id: String,
    pub name: String,
    pub source: Option<String>,
    /// The target in words (`at least 80%`).
    pub target: String,
    pub thresholds: String,
    pub run: Measured,
    pub rating: Rating,
    /// `silo`, `central`: value and rating.
    pub references: [(Measured, Rating); 2],
    /// The values of the run, `silo` and `central`, formatted (`62%`,
    /// `7,169`, `day 70`, `—`).
    pub shown: [String; 3],
}

fn shown_value(metric: &Metric, value: f64) -> String {
    if value.is_nan() {
        "—".to_string()
    } else if *metric == Metric::DaysToHalfReturned {
        format!("day {}", big(value))
    } else if metric.is_share() {
        pct(value)
    } else {
        big(value)
    }
}

/// Rates every capability target of the scenario in the run and in the
/// references.
pub fn rate_capabilities(inputs: &Inputs) -> Vec<RatedCapability> {
    let start = &inputs.scenario.start_date;
    inputs
        .scenario
        .capabilities
        .iter()
        .map(|c| {
            let rated = |report: &RunReport, ev: &Evidence| {
                let m = measure(&c.metric, report, ev, start);
                let r = rating_of(c, m.value);
                (m, r)
            };
            let (run, rating) = rated(inputs.report, inputs.evidence);
            let [silo, central] = inputs.references.map(|r| rated(&r.report, &r.evidence));
            let (cmp, unit) = if c.metric.more_is_better() {
                ("at least", "")
            } else {
                ("at most", "")
            };
            let v = |x: f64| shown_value(&c.metric, x);
            RatedCapability {
                id: c.id.clone(),
                name: c.name.clone(),
                source: c.source.clone(),
                target: format!("{cmp} {}{unit}", v(c.performed)),
                thresholds: format!(
                    "some challenges {cmp} {}, major challenges {cmp} {}, otherwise unable",
                    v(c.some_challenges),
                    v(c.major_challenges)
                ),
                shown: [v(run.value), v(silo.0.value), v(central.0.value)],
                run,
                rating,
                references: [silo, central],
            }
        })
        .collect()
}

/// The rating of a value against a capability's thresholds.
pub fn rating_of(c: &Capability, value: f64) -> Rating {
    rate(
        c.metric.more_is_better(),
        value,
        c.performed,
        c.some_challenges,
        c.major_challenges,
    )
}

/// A strength or an area for improvement: what, the figure behind it, and
/// (for an area for improvement) the corrective action suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub title: String,
    pub figure: String,
    pub action: Option<String>,
    /// Who the corrective action falls to, for the improvement plan.
    pub owner: Option<String>,
}

/// Names who the last area for improvement's corrective action falls to.
fn set_owner(areas: &mut [Finding], owner: String) {
    if let Some(f) = areas.last_mut() {
        f.owner = Some(owner);
    }
}

/// The text with its first letter upper-case.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What was asked, in words: `clearance`, `escorts`, `fuel deliveries`, or
/// a service's supply.
fn ask_words(ask: &str) -> String {
    match ask {
        "clearance" => "clearance".to_string(),
        "escort" => "escorts".to_string(),
        "fuel" => "fuel deliveries".to_string(),
        service => format!("{service} supply"),
    }
}

/// Agencies with crews that neither asked nor were asked anything and
/// neither gave nor received a picture: the isolated nodes of the network
/// (an agency without crews, such as the advisers, is not expected to ask).
fn isolated(inputs: &Inputs) -> Vec<String> {
    let ev = inputs.evidence;
    let with_crews = |a: &str| {
        inputs
            .report
            .crews
            .iter()
            .any(|c| c.agency == a && (c.crews > 0 || c.crew_days_worked > 0.0))
    };
    ev.agencies
        .iter()
        .enumerate()
        .filter(|(_, a)| with_crews(a))
        .filter(|(i, a)| {
            let asked = ev.requests.iter().any(|r| &r.from == *a || &r.to == *a);
            let shared = ev.shares.get(*i).is_some_and(|row| row.iter().any(|&k| k > 0))
                || ev.shares.iter().any(|row| row.get(*i).is_some_and(|&k| k > 0));
            !asked && !shared
        })
        .map(|(_, a)| a.clone())
        .collect()
}

/// Crew-days below which a waste, a duplication or a block is noise, not a
/// finding.
const NOTABLE_CREW_DAYS: f64 = 10.0;

/// Share of an agency's crew-days (worked and blocked) above which its
/// blocked crew-days are an area for improvement.
const BLOCKED_SHARE: f64 = 0.05;

/// Strengths and areas for improvement drawn from the cooperation ledger by
/// the rules of docs/report.md, in that order.
pub fn findings(inputs: &Inputs, capabilities: &[RatedCapability]) -> (Vec<Finding>, Vec<Finding>) {
    let r = inputs.report;
    let c = &r.cooperation;
    let mut strengths = Vec::new();
    let mut areas = Vec::new();
    // Titles and actions are sentences, even when they start with an id.
    let finding = |title: String, figure: String, action: Option<String>| Finding {
        title: sentence(&title),
        figure,
        action: action.as_deref().map(sentence),
        owner: None,
    };
    // Who the corrective actions fall to, in words.
    let s = inputs.scenario;
    let everyone = if s.agencies.iter().any(|a| a.id == "advisers") {
        "all ministries, convened by the advisers".to_string()
    } else {
        "all agencies".to_string()
    };
    let with_mandate = |m: crate::scenario::Mandate| -> Vec<String> {
        s.agencies
            .iter()
            .filter(|a| a.mandates.contains(&m))
            .map(|a| a.id.clone())
            .collect()
    };

    // Whether any agency planned with the cell on day 0.
    let planned_jointly = {
        let s = inputs.scenario;
        (0..s.agencies.len()).any(|i| s.strategy_params(s.strategy_of(i)).is_some_and(|p| p.joint_plan))
    };
    if let (Some(e), Some(refs)) = (c.coordination_efficiency, &r.references) {
        let figure = format!(
            "resilience loss {} person-days against {} all-silo and {} all-central: coordination efficiency {e:.2}",
            big(r.resilience_loss.total),
            big(refs.silo.resilience_loss.total),
            big(refs.central.resilience_loss.total)
        );
        if e >= 0.5 {
            strengths.push(finding(
                format!(
                    "The agencies closed {} of the gap between working alone and one good planner",
                    pct(e)
                ),
                figure,
                None,
            ));
        } else if e < 0.25 {
            areas.push(finding(
                format!("The agencies closed only {} of the gap between working alone and one good planner", pct(e.max(0.0))),
                figure,
                Some(if planned_jointly {
                    format!(
                        "The cell already plans jointly: review the order of its joint plan (repairs that unblock others first) and its staff time ({} crew-days), and bring in the ministries still outside it.",
                        big(c.staff_crew_days)
                    )
                } else {
                    "Stand up a joint coordination cell with a common picture and a daily joint plan ordered by dependencies; rehearse it in the next workshop."
                        .to_string()
                }),
            ));
            set_owner(&mut areas, everyone.clone());
        }
    }
    for ch in &c.requests {
        if ch.made == 0 {
            continue;
        }
        let accept = f64::from(ch.accepted) / f64::from(ch.made);
        let answer = ch.mean_days_to_answer.unwrap_or(f64::INFINITY);
        let figure = format!(
            "{} {} requests: {} accepted, {} refused, {} unanswered; answered in {} days on average",
            ch.made,
            ch.channel,
            ch.accepted,
            ch.refused,
            ch.unanswered,
            ch.mean_days_to_answer.map_or("—".to_string(), |d| format!("{d:.1}"))
        );
        if accept >= 0.8 && answer <= 2.0 {
            strengths.push(finding(
                format!(
                    "Requests through the {} channel were answered fast and honoured",
                    ch.channel
                ),
                figure,
                None,
            ));
        } else if ch.channel == "formal" && (accept < 0.7 || answer > 5.0) {
            areas.push(finding(
                format!(
                    "Formal requests through headquarters were slow or refused ({} accepted)",
                    pct(accept)
                ),
                figure,
                Some(
                    "Agree standing arrangements between ministries (who clears, escorts and fuels whom, within how many days) so crews do not wait on headquarters."
                        .to_string(),
                ),
            ));
            set_owner(&mut areas, "the ministries' headquarters".to_string());
        }
    }
    // The switches of an agency's strategy on day 0.
    let strategy_of = |agency: &str| {
        let s = inputs.scenario;
        let i = s.agencies.iter().position(|x| x.id == agency)?;
        s.strategy_params(s.strategy_of(i))
    };
    let linked = |a: &str, b: &str| {
        r.liaison_links
            .iter()
            .any(|l| (l[0] == a && l[1] == b) || (l[0] == b && l[1] == a))
    };
    for w in c.waiting.iter().filter(|w| w.days >= 1.0).take(3) {
        let (a, b) = (&w.agency, &w.on);
        let title = match (&w.asset, w.ask.as_str()) {
            (Some(asset), ask) => format!("{a}'s {asset} stood idle waiting for {b} to restore its {ask} supply"),
            (None, "fuel") => format!("{a}'s crews waited for fuel from {b}"),
            (None, "escort") => format!("{a}'s crews waited for {b} to secure their work sites"),
            (None, _) => format!("{a}'s crews waited for {b} to clear explosive hazards"),
        };
        let figure = format!(
            "{} {} lost, asked through the {} channel",
            big(w.days),
            w.unit,
            w.channel
        );
        let silo = strategy_of(a).is_some_and(|x| !x.shares_over_links && !x.in_cell);
        let action = match (w.channel.as_str(), linked(a, b), silo) {
            ("formal", false, _) => format!(
                "Give {a} and {b} a direct contact: post a liaison officer between them, or bring both to a workshop convened by the advisers."
            ),
            ("formal", true, true) => format!(
                "{a} and {b} had a liaison link, but {a} worked in silo and asked through headquarters: agree that requests between them go over the link and are answered within a day."
            ),
            ("formal", true, false) => format!(
                "The liaison link between {a} and {b} came after these requests: give them the contact before operations start (an early workshop, or an officer posted on day 0)."
            ),
            ("liaison", _, _) => format!(
                "Agree standing priorities between {a} and {b} for {} so that accepted requests are met sooner.",
                ask_words(&w.ask)
            ),
            _ => format!(
                "Give {b}'s {} for {a} priority in the cell's joint plan.",
                ask_words(&w.ask)
            ),
        };
        areas.push(finding(title, figure, Some(action)));
        set_owner(&mut areas, format!("{a} and {b}"));
    }
    if c.crew_injuries > 0 {
        areas.push(finding(
            "Crews were hurt on explosive hazards their agency did not know of".to_string(),
            format!(
                "{} crews hurt, {} crew-days lost to injury",
                c.crew_injuries,
                big(c.injured_crew_days)
            ),
            Some(
                "Share hazard and clearance maps daily (Defence and Counter-Terrorism Service with every agency sending crews) over liaison links or in the cell."
                    .to_string(),
            ),
        ));
        let clearing = with_mandate(crate::scenario::Mandate::Clear);
        set_owner(
            &mut areas,
            if clearing.is_empty() {
                everyone.clone()
            } else {
                format!("{} with every agency sending crews", and_list(&clearing))
            },
        );
    } else if c.picture_shares > 0 {
        strengths.push(finding(
            "No crew was hurt on an unknown hazard".to_string(),
            format!(
                "{} pictures shared between agencies (giver-receiver pair-days)",
                big(f64::from(c.picture_shares))
            ),
            None,
        ));
    }
    if c.wasted_crew_days >= NOTABLE_CREW_DAYS {
        areas.push(finding(
            "Repairs went ahead while their inputs were missing".to_string(),
            format!("{} repair crew-days on assets without power, water or fuel", big(c.wasted_crew_days)),
            Some(
                "Sequence repairs by dependency: power before pumps, pumps before hospitals; share repair plans so each ministry knows when its inputs come."
                    .to_string(),
            ),
        ));
        set_owner(&mut areas, and_list(&with_mandate(crate::scenario::Mandate::Repair)));
    }
    if c.duplicated_crew_days >= NOTABLE_CREW_DAYS {
        areas.push(finding(
            "Deliveries were duplicated while other districts went without".to_string(),
            format!(
                "{} delivery crew-days to districts already served",
                big(c.duplicated_crew_days)
            ),
            Some("Deconflict distributions: share daily delivery plans by district before crews leave.".to_string()),
        ));
        set_owner(&mut areas, everyone.clone());
    } else if c.requests.iter().any(|ch| ch.made > 0) && c.duplicated_crew_days == 0.0 {
        strengths.push(finding(
            "No delivery was duplicated".to_string(),
            "0 duplicated delivery crew-days".to_string(),
            None,
        ));
    }
    // The agency whose crews were kept from work the most, when that is a
    // notable share of its work.
    if let Some(a) = r
        .crews
        .iter()
        .filter(|a| a.crew_days_blocked >= NOTABLE_CREW_DAYS)
        .filter(|a| a.crew_days_blocked >= BLOCKED_SHARE * (a.crew_days_worked + a.crew_days_blocked))
        .max_by(|x, y| x.crew_days_blocked.total_cmp(&y.crew_days_blocked))
    {
        let (reason, days) = a
            .blocked_by
            .iter()
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .cloned()
            .unwrap_or_default();
        let action = match reason.as_str() {
            "budget" => format!(
                "Secure {}'s operating budget before the next phase (a pre-approved emergency allocation), so a budget freeze does not idle its crews.",
                a.agency
            ),
            "explosive_hazards" => format!(
                "Plan clearance ahead of {}'s work: ask Defence and the Counter-Terrorism Service to clear its sites first, through a liaison link or the joint plan.",
                a.agency
            ),
            "insecurity" => format!(
                "Arrange escorts for {}'s crews with Interior and Defence before they are sent out.",
                a.agency
            ),
            "stocks" => format!(
                "Agree fuel and supply deliveries to {} with Oil in advance, so its crews do not run dry.",
                a.agency
            ),
            _ => format!(
                "Review with {} why its crews were suspended and how work can resume sooner.",
                a.agency
            ),
        };
        areas.push(finding(
            format!(
                "{}'s crews were kept from work, mostly by {}",
                a.agency,
                reason.replace('_', " ")
            ),
            format!(
                "{} crew-days blocked ({} of them by {}) against {} worked",
                big(a.crew_days_blocked),
                big(days),
                reason.replace('_', " "),
                big(a.crew_days_worked)
            ),
            Some(action),
        ));
        set_owner(&mut areas, a.agency.clone());
    }
    if c.liaison_officers > 0 {
        strengths.push(finding(
            "Ministries posted liaison officers where they kept waiting".to_string(),
            format!(
                "{} officers posted, costing {} crew-days of work",
                c.liaison_officers,
                big(c.officer_crew_days)
            ),
            None,
        ));
    }
    let n = &c.network;
    let alone = isolated(inputs);
    if n.fragmentation > 0.0 && !alone.is_empty() {
        areas.push(finding(
            format!("{} never dealt with another agency", and_list(&alone)),
            format!(
                "no request made or received and no picture shared; {} of agency pairs had no tie, direct or indirect (density {:.2})",
                pct(n.fragmentation),
                n.density
            ),
            Some(format!(
                "Include {} in the next workshop so that {} a working contact with the ministries {} on.",
                and_list(&alone),
                if alone.len() == 1 { "it has" } else { "each has" },
                if alone.len() == 1 { "it depends" } else { "they depend" }
            )),
        ));
        let owner = if s.agencies.iter().any(|a| a.id == "advisers") {
            format!("the advisers with {}", and_list(&alone))
        } else {
            and_list(&alone)
        };
        set_owner(&mut areas, owner);
    }
    if n.edges > 0 && n.reciprocity >= 0.5 {
        strengths.push(finding(
            "Cooperation ran both ways".to_string(),
            format!("{} of ties were reciprocated ({} ties)", pct(n.reciprocity), n.edges),
            None,
        ));
    }
    for cap in capabilities {
        match cap.rating {
            Rating::Performed => strengths.push(finding(
                format!("Capability met: {}", cap.name),
                cap.run.evidence.clone(),
                None,
            )),
            Rating::MajorChallenges | Rating::Unable => {
                let central = &cap.references[1];
                let action = if central.1 < cap.rating {
                    format!(
                        "Make this target an objective of the joint plan: with one planner and full information it was rated {} ({}).",
                        central.1.label(),
                        central.0.evidence
                    )
                } else {
                    "Even one planner with full information fell short: review the resources and the target with the ministries concerned."
                        .to_string()
                };
                areas.push(finding(
                    format!("Capability {}: {}", cap.rating.label(), cap.name),
                    cap.run.evidence.clone(),
                    Some(action),
                ));
                set_owner(&mut areas, everyone.clone());
            }
            _ => {}
        }
    }
    (strengths, areas)
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
    for input in &inputs.recording.inputs {
        let (kind, text) = match input {
            Input::Inject { effect, .. } => ("manual inject", effect.clone()),
            Input::Strategy { agency, strategy, .. } => (
                "decision",
                format!(
                    "{} now follows the {strategy} strategy",
                    agency.as_deref().unwrap_or("every agency")
                ),
            ),
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
        out.push(Event {
            day: *day,
            kind: "decision",
            text: format!("{by} posts a liaison officer with {with}"),
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

/// The agencies human players controlled: a `cimsim play` journal may name
/// them in a later format version; a version 1 header has none.
pub fn human_agencies(_header: &Header) -> Vec<String> {
    Vec::new()
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
        let players = human_agencies(h);
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
                Input::Inject { .. } => None,
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
                _ => "the coordination efficiency is undefined (working alone and one good planner come within 1 % of each other).".to_string(),
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

    #[test]
    fn lists_read_as_sentences() {
        let l = |v: &[&str]| and_list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&[]), "");
        assert_eq!(l(&["oil"]), "oil");
        assert_eq!(l(&["oil", "cts"]), "oil and cts");
        assert_eq!(l(&["oil", "interior", "cts"]), "oil, interior and cts");
    }

    #[test]
    fn ratings_follow_the_documented_rule() {
        // More is better: thresholds 0.8 / 0.6 / 0.4.
        let more = |v| rate(true, v, 0.8, 0.6, 0.4);
        assert_eq!(more(0.8), Rating::Performed);
        assert_eq!(more(0.95), Rating::Performed);
        assert_eq!(more(0.79), Rating::SomeChallenges);
        assert_eq!(more(0.6), Rating::SomeChallenges);
        assert_eq!(more(0.5), Rating::MajorChallenges);
        assert_eq!(more(0.4), Rating::MajorChallenges);
        assert_eq!(more(0.39), Rating::Unable);
        assert_eq!(more(f64::NAN), Rating::NotExercised);
        // Less is better: thresholds 0 / 2 / 5 crews lost.
        let less = |v| rate(false, v, 0.0, 2.0, 5.0);
        assert_eq!(less(0.0), Rating::Performed);
        assert_eq!(less(1.0), Rating::SomeChallenges);
        assert_eq!(less(2.0), Rating::SomeChallenges);
        assert_eq!(less(5.0), Rating::MajorChallenges);
        assert_eq!(less(6.0), Rating::Unable);
    }
}
