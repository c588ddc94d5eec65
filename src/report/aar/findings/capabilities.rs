//! Capability targets as findings: one performed is a strength; one with
//! major challenges or unable to perform is an area for improvement, with
//! an action that depends on whether one good planner did better.

use super::Found;
use crate::report::aar::{RatedCapability, Rating};

pub(super) fn judge(found: &mut Found, capabilities: &[RatedCapability]) {
    for cap in capabilities {
        match cap.rating {
            Rating::Performed => found.strength(format!("Capability met: {}", cap.name), cap.run.evidence.clone()),
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
                let everyone = found.everyone.clone();
                found.area(
                    format!("Capability {}: {}", cap.rating.label(), cap.name),
                    cap.run.evidence.clone(),
                    action,
                    everyone,
                );
            }
            _ => {}
        }
    }
}
