//! Scoring a run: the worlds it is compared with and the figures that
//! compare it ([scoring.md](../../docs/scoring.md)).
//!
//! `references` decides which worlds a run is scored against (the all-`silo`
//! and all-`central` references, the inputs they inherit from the run, the
//! attribution variants); [`efficiency`] is the coordination efficiency
//! against them. `cli::run`, `exercise` (for `play`), `cli::report` and `compare` build
//! their worlds from these and nothing else, so the same run gets the same
//! references and the same efficiency in every command. How the worlds are
//! run (threads, rayon, advanced with a session) is the caller's.
//!
//! This module reads the ledger and the outcomes the rules write
//! (`sim::ledger`); `sim` never reads this module. It does no IO and runs no
//! world.

pub mod references;

use crate::sim::ledger::Outcomes;

/// Coordination efficiency: the share of the gap between the `silo` and
/// `central` references that a run closed, `(silo − run) / (silo − central)`
/// on resilience losses; `None` when the gap is not clearly positive
/// ([`undefined_because`] says why in words). It can exceed 1 or fall
/// below 0.
///
/// The value is exact; the report and the comparison round it to the JSON's
/// six decimals (`round::r6`) where they write it.
pub fn efficiency(run: f64, silo: f64, central: f64) -> Option<f64> {
    undefined_because(silo, central)
        .is_none()
        .then(|| (silo - run) / (silo - central))
}

/// Why the coordination efficiency against these reference losses is
/// undefined, in words; `None` when it is defined.
///
/// The ratio means something only when one good planner clearly beat
/// working alone: with a gap under 1 % of the silo loss it is noise over
/// noise, and with `central` worse than `silo` (a short exercise, before the
/// planner's early clearing pays) its sign flips, so a run worse than both
/// references would read as closing more than all of a gap (a 50-day
/// session once printed 9.83, and its report called that a strength).
pub fn undefined_because(silo: f64, central: f64) -> Option<String> {
    let gap = silo - central;
    if silo.is_nan() || central.is_nan() || silo <= 0.0 {
        Some("the all-silo reference lost nothing, so there is no gap to close".to_string())
    } else if gap <= -0.01 * silo {
        Some(format!(
            "all-central lost {:.1} % more than all-silo over these days (one planner's early work had not paid off yet), so there is no gap to close",
            -gap / silo * 100.0
        ))
    } else if gap < 0.01 * silo {
        Some("all-silo and all-central come within 1 % of each other, so there is no gap to close".to_string())
    } else {
        None
    }
}

/// The figures the East Mosul record gives, read off one run (see
/// `docs/model.md`, calibration).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EastTargets {
    /// Share of the people displaced on day 0 who are home at the end of day 21.
    pub home_day_21: f64,
    /// The same at day 120.
    pub home_day_120: f64,
    /// Grid electricity against the pre-war need at day 112.
    pub grid_day_112: f64,
    /// Piped water (plants, not trucks) against the pre-war need at day 60.
    pub piped_water_day_60: f64,
}

impl EastTargets {
    /// Reads the targets off a run of at least 121 days; `None` if shorter.
    pub fn of(outcomes: &Outcomes) -> Option<Self> {
        use crate::scenario::Service;
        let day = |d: usize| outcomes.days.get(d);
        Some(EastTargets {
            home_day_21: day(21)?.returned_share,
            home_day_120: day(120)?.returned_share,
            grid_day_112: day(112)?.piped[Service::Electricity.index()],
            piped_water_day_60: day(60)?.piped[Service::Water.index()],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn efficiency_is_the_share_of_the_silo_central_gap_closed() {
        assert_eq!(efficiency(100.0, 100.0, 60.0), Some(0.0));
        assert_eq!(efficiency(60.0, 100.0, 60.0), Some(1.0));
        assert_eq!(efficiency(90.0, 100.0, 60.0), Some(0.25));
        // Worse than silo is negative, better than central above 1.
        assert_eq!(efficiency(110.0, 100.0, 60.0), Some(-0.25));
        assert_eq!(efficiency(50.0, 100.0, 60.0), Some(1.25));
        // Undefined when silo and central are within 1 % of each other, or
        // when there is no loss at all.
        assert_eq!(efficiency(99.5, 100.0, 99.2), None);
        assert_eq!(efficiency(0.0, 0.0, 0.0), None);
    }

    /// A gap that is not clearly positive has no ratio: central worse than
    /// silo used to give a negative denominator (9.83 for a run worse than
    /// both).
    #[test]
    fn efficiency_is_undefined_unless_central_clearly_beats_silo() {
        assert_eq!(efficiency(110.0, 100.0, 101.0), None);
        assert_eq!(efficiency(110.0, 100.0, 120.0), None);
        let why = undefined_because(100.0, 120.0).unwrap();
        assert!(why.contains("all-central lost 20.0 % more than all-silo"), "{why}");
        assert!(undefined_because(100.0, 99.5).unwrap().contains("within 1 %"));
        assert!(undefined_because(0.0, 0.0).unwrap().contains("lost nothing"));
        assert_eq!(undefined_because(100.0, 90.0), None);
    }
}
