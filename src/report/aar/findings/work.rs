//! Findings about the crews' work: crews hurt on hazards nobody shared,
//! repairs without their inputs, duplicated deliveries, and the agency whose
//! crews were kept from work the most.

use super::{Found, and_list};
use crate::report::text::big;
use crate::scenario::Mandate;

/// Crew-days below which a waste, a duplication or a block is noise, not a
/// finding: a few crews for a few days, which one day's orders explain.
const NOTABLE_CREW_DAYS: f64 = 10.0;

/// Share of an agency's crew-days (worked and blocked) from which its
/// blocked crew-days are an area for improvement: one day in twenty lost
/// is more than bad luck, and less is the friction of any operation.
const BLOCKED_SHARE: f64 = 0.05;

/// Crews hurt on unknown hazards (an area), or none hurt while pictures
/// were shared (a strength).
pub(super) fn judge_injuries(found: &mut Found) {
    let c = &found.inputs.report.cooperation;
    if c.crew_injuries > 0 {
        let clearing = found.with_mandate(Mandate::Clear);
        let owner = if clearing.is_empty() {
            found.everyone.clone()
        } else {
            format!("{} with every agency sending crews", and_list(&clearing))
        };
        found.area(
            "Crews were hurt on explosive hazards their agency did not know of".to_string(),
            format!(
                "{} hurt, {} lost to injury",
                crate::report::text::count(c.crew_injuries.into(), "crew", "crews"),
                crate::report::text::amount(c.injured_crew_days, "crew-day", "crew-days")
            ),
            "Share hazard and clearance maps daily (Defence and Counter-Terrorism Service with every agency sending crews) over liaison links or in the cell."
                .to_string(),
            owner,
        );
    } else if c.picture_shares > 0 {
        found.strength(
            "No crew was hurt on an unknown hazard".to_string(),
            format!(
                "{} shared between agencies (giver-receiver pair-days)",
                crate::report::text::count(c.picture_shares.into(), "picture", "pictures")
            ),
        );
    }
}

/// Repair crew-days spent on assets that could not run.
pub(super) fn judge_wasted(found: &mut Found) {
    let c = &found.inputs.report.cooperation;
    if c.wasted_crew_days >= NOTABLE_CREW_DAYS {
        let owner = and_list(&found.with_mandate(Mandate::Repair));
        found.area(
            "Repairs went ahead while their inputs were missing".to_string(),
            format!("{} repair crew-days on assets without power, water or fuel", big(c.wasted_crew_days)),
            "Sequence repairs by dependency: power before pumps, pumps before hospitals; share repair plans so each ministry knows when its inputs come."
                .to_string(),
            owner,
        );
    }
}

/// Deliveries to districts already served (an area), or none while
/// agencies asked each other for things (a strength).
pub(super) fn judge_duplicated(found: &mut Found) {
    let c = &found.inputs.report.cooperation;
    if c.duplicated_crew_days >= NOTABLE_CREW_DAYS {
        let everyone = found.everyone.clone();
        found.area(
            "Deliveries were duplicated while other districts went without".to_string(),
            format!(
                "{} delivery crew-days to districts already served",
                big(c.duplicated_crew_days)
            ),
            "Deconflict distributions: share daily delivery plans by district before crews leave.".to_string(),
            everyone,
        );
    } else if c.requests.iter().any(|ch| ch.made > 0) && c.duplicated_crew_days == 0.0 {
        found.strength(
            "No delivery was duplicated".to_string(),
            "0 duplicated delivery crew-days".to_string(),
        );
    }
}

/// The agency whose crews were kept from work the most, when that is a
/// notable share of its work, with the remedy for its main reason.
pub(super) fn judge_blocked(found: &mut Found) {
    let r = found.inputs.report;
    let Some(a) = r
        .crews
        .iter()
        .filter(|a| a.crew_days_blocked >= NOTABLE_CREW_DAYS)
        .filter(|a| a.crew_days_blocked >= BLOCKED_SHARE * (a.crew_days_worked + a.crew_days_blocked))
        .max_by(|x, y| x.crew_days_blocked.total_cmp(&y.crew_days_blocked))
    else {
        return;
    };
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
    found.area(
        format!(
            "{}'s crews were kept from work, mostly by {}",
            a.agency,
            reason.replace('_', " ")
        ),
        format!(
            "{} blocked ({} of them by {}) against {} worked",
            crate::report::text::amount(a.crew_days_blocked, "crew-day", "crew-days"),
            big(days),
            reason.replace('_', " "),
            big(a.crew_days_worked)
        ),
        action,
        a.agency.clone(),
    );
}
