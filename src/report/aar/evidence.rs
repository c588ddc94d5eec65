//! What the report is made from beyond the run's document: the series of a
//! finished world ([`Evidence::gather`]) and what happened day by day that
//! the finished world no longer shows ([`Trace::observe`]).

use std::collections::BTreeSet;

use crate::report::RunReport;
use crate::sim::Simulation;
use crate::sim::components::AgencyIx;

/// What happened during a run that the finished world no longer shows:
/// liaison links as they formed and ended, and officers as they were posted.
/// Filled one day at a time by [`Trace::observe`].
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Links at the end of the last day observed, as index pairs.
    links: BTreeSet<(AgencyIx, AgencyIx)>,
    /// Officers posted so far, by pair.
    officers: BTreeSet<(AgencyIx, AgencyIx)>,
    /// (day, agency a, agency b, formed?) in order of days.
    pub link_events: Vec<(u32, String, String, bool)>,
    /// (day, posting agency, the other agency).
    pub officer_events: Vec<(u32, String, String)>,
}

impl Trace {
    /// Records the links and officers that changed on the day just
    /// simulated.
    pub fn observe(&mut self, sim: &Simulation, day: u32) {
        let view = sim.view();
        let (liaisons, names) = (view.liaisons(), view.names());
        let id = |ix: AgencyIx| names.agencies.get(ix.idx()).cloned().unwrap_or_default();
        let now: BTreeSet<(AgencyIx, AgencyIx)> = liaisons.links.iter().copied().collect();
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
        let w = sim.view();
        let names = w.names();
        let outcomes = w.outcomes();
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
                .requests()
                .list
                .iter()
                .map(|r| RequestFact {
                    made: r.made,
                    from: id(r.from.idx()),
                    to: id(r.to.idx()),
                    accepted: r.accepted,
                    fulfilled: r.fulfilled,
                })
                .collect(),
            shares: w.ledger().shares.clone(),
        }
    }
}

/// A reference run: its JSON document and its series.
#[derive(Debug, Clone)]
pub struct ReferenceEvidence {
    pub report: RunReport,
    pub evidence: Evidence,
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
