//! Capability targets: measuring each metric in a run and rating it by the
//! documented rule (docs/report.md). Pure functions, no IO.

use super::{Evidence, Inputs};
use crate::report::RunReport;
use crate::report::console::replay::date_after;
use crate::report::text::{big, pct};
use crate::scenario::{Capability, Metric};

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
            "the run ended after day {} (recorded {}), before day {day}",
            days.saturating_sub(1),
            crate::report::text::count(days.into(), "day", "days")
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
                crate::round::r6(served / people as f64)
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
        Metric::RequestsHonoured | Metric::RequestsAccepted => requests(metric, &ev.requests),
        Metric::CrewCasualties => {
            let lost = report.harm.crew_casualties;
            Measured {
                value: f64::from(lost),
                evidence: format!(
                    "{} lost over {}",
                    crate::report::text::count(lost.into(), "crew", "crews"),
                    crate::report::text::count(days.into(), "day", "days")
                ),
            }
        }
        Metric::BlockedCrewDays => {
            let blocked: f64 = report.crews.iter().map(|c| c.crew_days_blocked).sum();
            Measured {
                value: blocked,
                evidence: format!(
                    "{} blocked over {}, all agencies",
                    crate::report::text::amount(blocked, "crew-day", "crew-days"),
                    crate::report::text::count(days.into(), "day", "days")
                ),
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
                evidence: format!(
                    "half the displaced were not home by the end of the run ({})",
                    crate::report::text::count(days.into(), "day", "days")
                ),
            },
        },
    }
}

/// Requests accepted, or honoured (accepted and their need met), over
/// requests made, with the rest of the story in the evidence so that the
/// figure never reads as more than it is.
fn requests(metric: &Metric, list: &[super::RequestFact]) -> Measured {
    let made = list.len();
    if made == 0 {
        return Measured {
            value: f64::NAN,
            evidence: "no agency asked another for anything".to_string(),
        };
    }
    let count = |f: &dyn Fn(&super::RequestFact) -> bool| list.iter().filter(|r| f(r)).count();
    let accepted = count(&|r| r.accepted == Some(true));
    let refused = count(&|r| r.accepted == Some(false));
    let unanswered = made - accepted - refused;
    let (counted, what) = if *metric == Metric::RequestsAccepted {
        (accepted, "were accepted by the agency asked")
    } else {
        (
            count(&|r| r.accepted == Some(true) && r.fulfilled.is_some()),
            "were accepted by the agency asked and had their need met",
        )
    };
    let value = crate::round::r6(counted as f64 / made as f64);
    let mut evidence = format!(
        "{counted} of {} between agencies {what} ({}); {refused} refused",
        crate::report::text::count(made as u64, "request", "requests"),
        pct(value)
    );
    let met_anyway = count(&|r| r.accepted == Some(false) && r.fulfilled.is_some());
    if met_anyway > 0 {
        evidence.push_str(&format!(" ({met_anyway} of them met later some other way)"));
    }
    evidence.push_str(&format!(", {unanswered} unanswered"));
    if *metric == Metric::RequestsHonoured {
        let waiting = count(&|r| r.accepted == Some(true) && r.fulfilled.is_none());
        if waiting > 0 {
            evidence.push_str(&format!(", {waiting} accepted but not met by the end"));
        }
    }
    Measured { value, evidence }
}

/// What a metric measures, in words: the first half of a rating's
/// definition ([`RatedCapability::definition`]).
fn measures(metric: &Metric, start_date: &str) -> String {
    match metric {
        Metric::ServiceLevel {
            service,
            districts,
            day,
        } => format!(
            "the share of the {} need met for the people present in {} at the end of day {day} ({}), weighted by the people in each district",
            service.name(),
            districts.join(", "),
            date_after(start_date, *day)
        ),
        Metric::ReturnedShare { day } => format!(
            "the share of the people displaced on day 0 who were home at the end of day {day} ({})",
            date_after(start_date, *day)
        ),
        Metric::RequestsHonoured => "the share of requests between agencies that the agency asked accepted and whose need was then met by the end of the run (a refused request counts against it even when its need was met some other way)".to_string(),
        Metric::RequestsAccepted => "the share of requests between agencies that the agency asked accepted (a request unanswered at the end counts as not accepted)".to_string(),
        Metric::CrewCasualties => "the number of crews lost in attacks over the run".to_string(),
        Metric::BlockedCrewDays => "the crew-days, all agencies, on which a crew sent to work was stopped by explosive hazards, insecurity, a suspension, the budget or its stocks (crews left idle are not counted: see the losses under Strengths and areas for improvement)".to_string(),
        Metric::DaysToHalfReturned => "the day on which half the people displaced on day 0 were first home (a run in which that never happened counts as its number of days)".to_string(),
    }
}

/// A rating's definition in one sentence: what its metric measures and
/// how the thresholds decide the grade.
fn definition(c: &Capability, start_date: &str) -> String {
    let (cmp, v): (&str, &dyn Fn(f64) -> String) = if c.metric.more_is_better() {
        ("at or above", &|x| shown_value(&c.metric, x))
    } else {
        ("at or below", &|x| shown_value(&c.metric, x))
    };
    let unexercised = match c.metric {
        Metric::ServiceLevel { .. } | Metric::ReturnedShare { .. } => {
            "; not exercised when the run ends before that day"
        }
        Metric::RequestsHonoured | Metric::RequestsAccepted => "; not exercised when no request was made",
        Metric::DaysToHalfReturned => {
            "; not exercised when half were not home by the end and the run was too short to tell"
        }
        Metric::CrewCasualties | Metric::BlockedCrewDays => "",
    };
    format!(
        "Measures {}; rated performed {cmp} {}, some challenges {cmp} {}, major challenges {cmp} {}, otherwise unable to perform{unexercised}.",
        measures(&c.metric, start_date),
        v(c.performed),
        v(c.some_challenges),
        v(c.major_challenges)
    )
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
    /// What the rating measures and how its grade is decided, in one
    /// sentence.
    pub definition: String,
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
                let mut m = measure(&c.metric, report, ev, start);
                // Half never home by the end: the day is at least the run's
                // length, which decides the rating only if even that is
                // too late; otherwise the run ended before it could tell.
                if c.metric == Metric::DaysToHalfReturned
                    && report.returns.days_to_half_returned.is_none()
                    && rating_of(c, m.value) != Rating::Unable
                {
                    m.value = f64::NAN;
                }
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
                definition: definition(c, start),
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

#[cfg(test)]
mod tests {
    use super::*;

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
