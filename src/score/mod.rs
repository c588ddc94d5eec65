//! Scoring a run: the worlds it is compared with and the figures that
//! compare it ([scoring.md](../../docs/scoring.md)).
//!
//! `references` decides which worlds a run is scored against (the all-`silo`
//! and all-`central` references, the inputs they inherit from the run, the
//! attribution variants); [`efficiency`] is the coordination efficiency
//! against them. `cli::run`, `cli::play`, `cli::report` and `compare` build
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
/// on resilience losses; `None` when the gap is under 1 % of the `silo` loss
/// or there is no loss (DESIGN 3.6). It can exceed 1 or fall below 0.
///
/// The value is exact; the report and the comparison round it to the JSON's
/// six decimals (`report::r6`) where they write it.
pub fn efficiency(run: f64, silo: f64, central: f64) -> Option<f64> {
    let gap = silo - central;
    (silo > 0.0 && gap.abs() >= 0.01 * silo).then(|| (silo - run) / gap)
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
}
