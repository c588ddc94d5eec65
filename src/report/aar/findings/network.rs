//! Findings about the cooperation network: liaison officers posted,
//! agencies that never dealt with another, and ties that ran both ways.

use super::{Found, and_list, has_advisers};
use crate::report::aar::Inputs;
use crate::report::text::pct;

/// Reciprocity from which two-way cooperation is a strength: at least half
/// of the ties were answered by a tie the other way.
const TWO_WAY_RECIPROCITY: f64 = 0.5;

pub(super) fn judge(found: &mut Found) {
    let inputs = found.inputs;
    let c = &inputs.report.cooperation;
    if c.liaison_officers > 0 {
        found.strength(
            "Ministries posted liaison officers where they kept waiting".to_string(),
            format!(
                "{} posted, costing {} of work",
                crate::report::text::count(c.liaison_officers.into(), "officer", "officers"),
                crate::report::text::amount(c.officer_crew_days, "crew-day", "crew-days")
            ),
        );
    }
    let n = &c.network;
    let alone = isolated(inputs);
    if n.fragmentation > 0.0 && !alone.is_empty() {
        let owner = if has_advisers(inputs) {
            format!("the advisers with {}", and_list(&alone))
        } else {
            and_list(&alone)
        };
        found.area(
            format!("{} never dealt with another agency", and_list(&alone)),
            format!(
                "no request made or received and no picture shared; {} of agency pairs had no tie, direct or indirect (density {:.2})",
                pct(n.fragmentation),
                n.density
            ),
            format!(
                "Include {} in the next workshop so that {} a working contact with the ministries {} on.",
                and_list(&alone),
                if alone.len() == 1 { "it has" } else { "each has" },
                if alone.len() == 1 { "it depends" } else { "they depend" }
            ),
            owner,
        );
    }
    if n.edges > 0 && n.reciprocity >= TWO_WAY_RECIPROCITY {
        found.strength(
            "Cooperation ran both ways".to_string(),
            format!(
                "{} of ties were reciprocated ({})",
                pct(n.reciprocity),
                crate::report::text::count(n.edges.into(), "tie", "ties")
            ),
        );
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
