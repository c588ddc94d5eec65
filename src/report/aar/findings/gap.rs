//! The coordination efficiency as a finding: the share of the gap between
//! working alone (all-`silo`) and one good planner (all-`central`) that the
//! agencies closed.

use super::Found;
use crate::report::text::{big, pct};

/// Efficiency from which closing the gap is a strength: at least half way
/// from working alone to one good planner.
const GAP_CLOSED: f64 = 0.5;

/// Efficiency below which the gap not closed is an area for improvement: a
/// quarter of the way or less. Between this and [`GAP_CLOSED`] the run is
/// neither praised nor blamed, so a run near the middle is not judged on
/// chance.
const GAP_NOT_CLOSED: f64 = 0.25;

pub(super) fn judge(found: &mut Found) {
    let inputs = found.inputs;
    let r = inputs.report;
    let c = &r.cooperation;
    let (Some(e), Some(refs)) = (c.coordination_efficiency, &r.references) else {
        return;
    };
    let figure = format!(
        "resilience loss {} against {} all-silo and {} all-central: coordination efficiency {e:.2}",
        crate::report::text::amount(r.resilience_loss.total, "person-day", "person-days"),
        big(refs.silo.resilience_loss.total),
        big(refs.central.resilience_loss.total)
    );
    // A strength only when the run also beat working alone (implied by
    // a positive gap, stated so it holds whatever the formula becomes).
    if e >= GAP_CLOSED && r.resilience_loss.total < refs.silo.resilience_loss.total {
        found.strength(
            format!(
                "The agencies closed {} of the gap between working alone and one good planner",
                pct(e)
            ),
            figure,
        );
    } else if e < GAP_NOT_CLOSED {
        // Whether any agency planned with the cell on day 0.
        let s = inputs.scenario;
        let planned_jointly =
            (0..s.agencies.len()).any(|i| s.strategy_params(s.strategy_of(i)).is_some_and(|p| p.joint_plan));
        let action = if planned_jointly {
            format!(
                "The cell already plans jointly: review the order of its joint plan (repairs that unblock others first) and its staff time ({}), and bring in the ministries still outside it.",
                crate::report::text::amount(c.staff_crew_days, "crew-day", "crew-days")
            )
        } else {
            "Stand up a joint coordination cell with a common picture and a daily joint plan ordered by dependencies; rehearse it in the next workshop."
                .to_string()
        };
        let everyone = found.everyone.clone();
        found.area(
            format!(
                "The agencies closed only {} of the gap between working alone and one good planner",
                pct(e.max(0.0))
            ),
            figure,
            action,
            everyone,
        );
    }
}
