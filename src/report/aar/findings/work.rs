//! Strengths of the crews' work: no crew hurt on an unknown hazard, no
//! delivery duplicated. What the crews lost is in `losses.rs`.

use super::Found;

/// No crew hurt while pictures were shared: a strength. Crews hurt are a
/// loss of crew time (`losses.rs`).
pub(super) fn judge_injuries(found: &mut Found) {
    let c = &found.inputs.report.cooperation;
    if c.crew_injuries == 0 && c.picture_shares > 0 {
        found.strength(
            "No crew was hurt on an unknown hazard".to_string(),
            format!(
                "{} shared between agencies (giver-receiver pair-days)",
                crate::report::text::count(c.picture_shares.into(), "picture", "pictures")
            ),
        );
    }
}

/// No delivery duplicated while agencies asked each other for things: a
/// strength. Duplicated deliveries are a loss of crew time (`losses.rs`).
pub(super) fn judge_duplicated(found: &mut Found) {
    let c = &found.inputs.report.cooperation;
    if c.requests.iter().any(|ch| ch.made > 0) && c.duplicated_crew_days == 0.0 {
        found.strength(
            "No delivery was duplicated".to_string(),
            "0 duplicated delivery crew-days".to_string(),
        );
    }
}
