//! Strengths, areas for improvement and their corrective actions, drawn from
//! the cooperation ledger and the capability ratings by the fixed rules of
//! docs/report.md. Pure functions, no IO.
//!
//! One file per thing a finding is about, each rule with its thresholds
//! named beside it:
//!
//! - `gap.rs`: how much of the gap between working alone and one good
//!   planner the agencies closed;
//! - `channels.rs`: how fast and how often each request channel answered;
//! - `losses.rs`: the losses of crew time ranked by cost in crew-days (idle
//!   capacity, waits, wasted and duplicated work, crews hurt), the largest
//!   first among the areas for improvement;
//! - `waits.rs`: the largest waits of facilities on another agency, and
//!   what would have shortened any wait;
//! - `work.rs`: no crew hurt, no delivery duplicated;
//! - `network.rs`: liaison officers, agencies left out, two-way ties;
//! - `capabilities.rs`: capability targets met or missed.

mod capabilities;
mod channels;
mod gap;
mod losses;
mod network;
mod waits;
mod work;

pub(super) use losses::share;
pub use losses::{Loss, LossKind, losses};

use super::{Inputs, RatedCapability};

/// A strength or an area for improvement: what, the figure behind it, and
/// (for an area for improvement) the corrective action suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub title: String,
    pub figure: String,
    pub action: Option<String>,
    /// Who the corrective action falls to, for the improvement plan.
    pub owner: Option<String>,
    /// For a loss of crew time: what it cost, in crew-days.
    pub cost: Option<f64>,
}

/// Strengths and areas for improvement drawn from the cooperation ledger by
/// the rules of docs/report.md. The areas start with the largest losses of
/// crew time, largest first; the areas with no cost in crew-days follow in
/// rule order.
pub fn findings(inputs: &Inputs, capabilities: &[RatedCapability]) -> (Vec<Finding>, Vec<Finding>) {
    let mut found = Found {
        inputs,
        everyone: everyone(inputs),
        strengths: Vec::new(),
        areas: Vec::new(),
    };
    losses::judge(&mut found);
    gap::judge(&mut found);
    channels::judge(&mut found);
    waits::judge(&mut found);
    work::judge_injuries(&mut found);
    work::judge_duplicated(&mut found);
    network::judge(&mut found);
    capabilities::judge(&mut found, capabilities);
    (found.strengths, found.areas)
}

/// The findings so far, and what every rule needs to draw more.
struct Found<'a> {
    inputs: &'a Inputs<'a>,
    /// Who a corrective action for everyone falls to, in words.
    everyone: String,
    strengths: Vec<Finding>,
    areas: Vec<Finding>,
}

impl Found<'_> {
    /// Adds a strength. Titles are sentences, even when they start with an
    /// id.
    fn strength(&mut self, title: String, figure: String) {
        self.strengths.push(Finding {
            title: sentence(&title),
            figure,
            action: None,
            owner: None,
            cost: None,
        });
    }

    /// Adds a loss of crew time as an area for improvement: its title
    /// carries the cost, so the improvement plan names it with the finding.
    fn loss(&mut self, what: String, crew_days: f64, figure: String, action: String, owner: String) {
        self.areas.push(Finding {
            title: sentence(&format!("{what}: {} crew-days", crate::report::text::big(crew_days))),
            figure,
            action: Some(sentence(&action)),
            owner: Some(owner),
            cost: Some(crew_days),
        });
    }

    /// Adds an area for improvement with its corrective action and who it
    /// falls to.
    fn area(&mut self, title: String, figure: String, action: String, owner: String) {
        self.areas.push(Finding {
            title: sentence(&title),
            figure,
            action: Some(sentence(&action)),
            owner: Some(owner),
            cost: None,
        });
    }

    /// The ids of the agencies with a mandate.
    fn with_mandate(&self, m: crate::scenario::Mandate) -> Vec<String> {
        self.inputs
            .scenario
            .agencies
            .iter()
            .filter(|a| a.mandates.contains(&m))
            .map(|a| a.id.clone())
            .collect()
    }
}

/// Whether the scenario has the advisers who convene the ministries.
fn has_advisers(inputs: &Inputs) -> bool {
    inputs.scenario.agencies.iter().any(|a| a.id == "advisers")
}

/// Who a corrective action for everyone falls to: all ministries, convened
/// by the advisers when there are advisers.
fn everyone(inputs: &Inputs) -> String {
    if has_advisers(inputs) {
        "all ministries, convened by the advisers".to_string()
    } else {
        "all agencies".to_string()
    }
}

/// The text with its first letter upper-case.
pub(super) fn sentence(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        let l = |v: &[&str]| and_list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&[]), "");
        assert_eq!(l(&["oil"]), "oil");
        assert_eq!(l(&["oil", "cts"]), "oil and cts");
        assert_eq!(l(&["oil", "interior", "cts"]), "oil, interior and cts");
    }
}
