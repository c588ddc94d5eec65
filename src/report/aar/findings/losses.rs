//! The losses of crew time, ranked by what they cost: idle capacity, waits
//! (crews blocked, or held back idle, by each reason), wasted repairs,
//! duplicated deliveries and crews out hurt, each per agency, in one unit:
//! the crew-day (one crew for one day; docs/report.md, "Losses"). The
//! largest become the first areas for improvement, each with the
//! corrective action that answers it. Pure functions, no IO.

use super::{Found, and_list};
use crate::report::RunReport;
use crate::report::aar::human_agencies;
use crate::report::document::AgencyWork;
use crate::report::text::{big, pct};
use crate::scenario::Mandate;

/// Crew-days below which a loss is noise, not a finding: a few crews for a
/// few days, which one day's orders explain.
const NOTABLE_CREW_DAYS: f64 = 10.0;

/// Losses that become areas for improvement, largest first: the few a
/// debrief can act on. The table of losses lists every notable one.
const LOSSES_AS_AREAS: usize = 5;

/// What kind of crew time was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LossKind {
    /// Idle while work the crew could have done waited with a free place.
    Idle,
    /// Blocked at work, or held back idle, by a reason (a `Blocker` name:
    /// `explosive_hazards`, `insecurity`, `suspension`, `budget`,
    /// `stocks`).
    Waiting(&'static str),
    /// Repairs on assets that got none of their inputs.
    Wasted,
    /// Deliveries to districts whose need others had met.
    Duplicated,
    /// Out hurt after walking into hazards the agency did not know of.
    Injured,
}

/// One agency's loss of one kind, in crew-days, with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Loss {
    pub agency: String,
    pub kind: LossKind,
    pub crew_days: f64,
    /// For a wait: the crew-days blocked at work and held back idle.
    pub blocked: f64,
    pub held_back: f64,
}

impl Loss {
    /// The loss in words, as the table and the finding name it.
    pub fn what(&self) -> String {
        let a = &self.agency;
        match self.kind {
            LossKind::Idle => format!("{a}'s crews stood idle while work they could do waited"),
            LossKind::Waiting("explosive_hazards") => format!("{a}'s crews waited for explosive hazards to be cleared"),
            LossKind::Waiting("insecurity") => format!("{a}'s crews waited for their work sites to be secured"),
            LossKind::Waiting("stocks") => format!("{a}'s crews waited for fuel and supplies"),
            LossKind::Waiting("budget") => format!("{a}'s crews were kept from work by the budget"),
            LossKind::Waiting(_) => format!("{a}'s crews were kept from work by suspensions"),
            LossKind::Wasted => format!("{a}'s repairs went ahead while their inputs were missing"),
            LossKind::Duplicated => format!("{a}'s deliveries went to districts others had already served"),
            LossKind::Injured => format!("{a}'s crews were out hurt after walking into hazards nobody had shown them"),
        }
    }
}

/// A part of a whole as a whole per cent, `under 1%` for a small part
/// that would round to nothing.
pub(crate) fn share(part: f64, whole: f64) -> String {
    let x = part / whole.max(1.0);
    if x > 0.0 && x < 0.005 {
        "under 1%".to_string()
    } else {
        pct(x)
    }
}

/// The crew-days an agency had: worked, idle, blocked and out hurt.
fn crew_days_had(w: &AgencyWork) -> f64 {
    w.crew_days_worked + w.crew_days_idle + w.crew_days_blocked + w.crew_days_injured
}

/// Every loss of crew time of at least one crew-day, largest first (equal
/// costs in agency order, then by kind).
pub fn losses(report: &RunReport) -> Vec<Loss> {
    let mut out = Vec::new();
    for w in &report.crews {
        let loss = |kind, crew_days| Loss {
            agency: w.agency.clone(),
            kind,
            crew_days,
            blocked: 0.0,
            held_back: 0.0,
        };
        out.push(loss(LossKind::Idle, w.crew_days_idle_with_work));
        for reason in crate::sim::components::Blocker::ALL.map(|b| b.name()) {
            let of = |list: &[(String, f64)]| list.iter().find(|(r, _)| r == reason).map_or(0.0, |x| x.1);
            let (blocked, held_back) = (of(&w.blocked_by), of(&w.held_back_by));
            out.push(Loss {
                blocked,
                held_back,
                ..loss(LossKind::Waiting(reason), blocked + held_back)
            });
        }
        out.push(loss(LossKind::Wasted, w.crew_days_wasted));
        out.push(loss(LossKind::Duplicated, w.crew_days_duplicated));
        out.push(loss(LossKind::Injured, w.crew_days_injured));
    }
    out.retain(|l| l.crew_days >= 1.0);
    // A stable sort keeps the kind and agency order among equal costs.
    out.sort_by(|a, b| b.crew_days.total_cmp(&a.crew_days));
    out
}

/// What was asked for a wait, as `cooperation.waiting` names it.
fn ask_for(reason: &str) -> Option<&'static str> {
    match reason {
        "explosive_hazards" => Some("clearance"),
        "insecurity" => Some("escort"),
        "stocks" => Some("fuel"),
        _ => None,
    }
}

/// The largest losses as areas for improvement, each with the corrective
/// action that answers it, largest first.
pub(super) fn judge(found: &mut Found) {
    let inputs = found.inputs;
    let r = inputs.report;
    let all: f64 = losses(r).iter().map(|l| l.crew_days).sum();
    let players = human_agencies(&inputs.recording.inputs);
    for loss in losses(r)
        .into_iter()
        .filter(|l| l.crew_days >= NOTABLE_CREW_DAYS)
        .take(LOSSES_AS_AREAS)
    {
        let Some(work) = r.crews.iter().find(|w| w.agency == loss.agency) else {
            continue;
        };
        let a = &loss.agency;
        let mut figure = format!(
            "{} of the crew time lost in the run, {} of the {} crew-days {a}'s crews had",
            share(loss.crew_days, all),
            share(loss.crew_days, crew_days_had(work)),
            big(crew_days_had(work))
        );
        let (action, owner) = match loss.kind {
            LossKind::Idle => (idle_action(found, a, players.contains(a)), a.clone()),
            LossKind::Waiting(reason) => {
                let parts: Vec<String> = [(loss.blocked, "blocked at work"), (loss.held_back, "held back idle")]
                    .iter()
                    .filter(|(d, _)| *d > 0.0)
                    .map(|(d, how)| format!("{} {how}", big(*d)))
                    .collect();
                figure.push_str(&format!(": {} by {}", and_list(&parts), reason.replace('_', " ")));
                // The largest wait on a request for it, if the crews asked.
                let asked = ask_for(reason).and_then(|ask| {
                    r.cooperation
                        .waiting
                        .iter()
                        .filter(|w| &w.agency == a && w.asset.is_none() && w.ask == ask)
                        .max_by(|x, y| x.days.total_cmp(&y.days))
                });
                match asked {
                    Some(w) => {
                        figure.push_str(&format!(
                            "; {} of them while a request to {} was open ({} channel)",
                            big(w.days),
                            w.on,
                            w.channel
                        ));
                        (
                            super::waits::remedy(found, a, &w.on, &w.ask, &w.channel),
                            format!("{a} and {}", w.on),
                        )
                    }
                    None => waiting_action(found, a, reason),
                }
            }
            LossKind::Wasted => (
                "Sequence repairs by dependency: power before pumps, pumps before hospitals; share repair plans so each ministry knows when its inputs come.".to_string(),
                a.clone(),
            ),
            LossKind::Duplicated => (
                "Deconflict distributions: share daily delivery plans by district before crews leave.".to_string(),
                found.everyone.clone(),
            ),
            LossKind::Injured => {
                let clearing = and_list(&found.with_mandate(Mandate::Clear));
                let who = if clearing.is_empty() {
                    "the agencies that know them".to_string()
                } else {
                    clearing.clone()
                };
                (
                    format!("Share hazard and clearance maps daily ({who} with {a}) over liaison links or in the cell."),
                    if clearing.is_empty() {
                        found.everyone.clone()
                    } else {
                        format!("{clearing} with {a}")
                    },
                )
            }
        };
        found.loss(loss.what(), loss.crew_days, figure, action, owner);
    }
}

/// Whether a played agency's crews were left to work only when ordered at
/// the end of the recording (its last `human` or `standing` input said so).
fn standing_off(inputs: &[crate::record::Input], agency: &str) -> bool {
    use crate::record::Input;
    let mut off = false;
    for input in inputs {
        match input {
            Input::Human {
                agency: a, standing, ..
            } if a == agency => off = !standing,
            Input::Standing { agency: a, on, .. } if a == agency => off = !on,
            _ => {}
        }
    }
    off
}

/// What answers idle capacity: standing orders or orders for a player's
/// crews, or a better picture for a planner that did not see the work.
fn idle_action(found: &Found, a: &str, played: bool) -> String {
    if played && standing_off(&found.inputs.recording.inputs, a) {
        return format!(
            "Leave {a}'s standing orders on (standing {a} on), so its strategy runs every crew no order holds; with them off, give each idle crew an order at every turn, the work others wait for first (power before pumps, pumps before hospitals)."
        );
    }
    if played {
        return format!(
            "At every turn, give each of {a}'s idle crews an order or hand it back to the strategy (release), the work others wait for first (power before pumps, pumps before hospitals)."
        );
    }
    let s = found.inputs.scenario;
    let shares = s
        .agencies
        .iter()
        .position(|x| x.id == a)
        .and_then(|i| s.strategy_params(s.strategy_of(i)))
        .is_some_and(|p| p.shares_over_links || p.in_cell);
    if shares {
        format!(
            "Review {a}'s plan every week against the work still open: its crews stood idle while work they could do waited."
        )
    } else {
        format!(
            "Give {a} the others' hazard and clearance maps (a liaison link, or the cell's common picture): working alone, its planner did not know the work was there or the ground was safe, and left crews idle."
        )
    }
}

/// What answers a wait no request was open for: arrangements made before
/// the crews go out, by reason; and who they fall to.
fn waiting_action(found: &Found, a: &str, reason: &str) -> (String, String) {
    let with = |m: Mandate| {
        let ids = found.with_mandate(m);
        if ids.is_empty() {
            "the agencies that can".to_string()
        } else {
            and_list(&ids)
        }
    };
    match reason {
        "explosive_hazards" => {
            let clearing = with(Mandate::Clear);
            (
                format!(
                    "Plan clearance ahead of {a}'s work: ask {clearing} to clear its sites first, through a liaison link or the joint plan, before its crews are sent or held back."
                ),
                format!("{a} and {clearing}"),
            )
        }
        "insecurity" => {
            let securing = with(Mandate::Secure);
            (
                format!("Arrange escorts for {a}'s crews with {securing} before they are sent out."),
                format!("{a} and {securing}"),
            )
        }
        "stocks" => {
            let suppliers: Vec<String> = found
                .with_mandate(Mandate::DeliverFuel)
                .into_iter()
                .filter(|s| s != a)
                .collect();
            if suppliers.is_empty() {
                (
                    format!(
                        "Keep a reserve of fuel and supplies for {a}'s own crews, drawn on only when deliveries stop, so a shortage does not idle them."
                    ),
                    a.to_string(),
                )
            } else {
                let fuel = and_list(&suppliers);
                (
                    format!(
                        "Agree fuel and supply deliveries to {a} with {fuel} in advance, so its crews do not run dry."
                    ),
                    format!("{a} and {fuel}"),
                )
            }
        }
        "budget" => (
            format!(
                "Secure {a}'s operating budget before the next phase (a pre-approved emergency allocation), so a budget freeze does not idle its crews."
            ),
            a.to_string(),
        ),
        _ => (
            format!("Review with {a} why its crews were suspended and how work can resume sooner."),
            a.to_string(),
        ),
    }
}
