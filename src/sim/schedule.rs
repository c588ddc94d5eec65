//! The one place that lists every rule of a day, in the order it runs.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};

use super::{coordinate, digest, execute, infrastructure, injects, people, plan, score, sense};

/// The schedule that simulates one day.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Day;

/// The public ordering contract of a day (DESIGN 7). Every rule belongs to
/// exactly one set; the sets run in this order, even when empty.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum SimSystems {
    Injects,
    Sense,
    Plan,
    Coordinate,
    Execute,
    Infrastructure,
    People,
    Score,
    Record,
}

/// Builds the day schedule: single-threaded, ambiguities are errors, and
/// optionally a shuffled order for unordered systems (tests).
pub fn build(shuffle: Option<u64>) -> Schedule {
    let mut schedule = Schedule::new(Day);
    schedule.set_executor(SingleThreadedExecutor::new());
    #[cfg_attr(
        not(feature = "shuffle"),
        expect(unused_mut, reason = "only the shuffle feature changes the settings")
    )]
    let mut settings = ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    };
    // Shuffling exists only with bevy_ecs's `debug` feature (our `shuffle`
    // feature, which the test suite enables); elsewhere the request is moot.
    #[cfg(feature = "shuffle")]
    {
        settings.shuffle_seed = shuffle;
    }
    #[cfg(not(feature = "shuffle"))]
    let _ = shuffle;
    schedule.set_build_settings(settings);
    schedule.configure_sets(
        (
            SimSystems::Injects,
            SimSystems::Sense,
            SimSystems::Plan,
            SimSystems::Coordinate,
            SimSystems::Execute,
            SimSystems::Infrastructure,
            SimSystems::People,
            SimSystems::Score,
            SimSystems::Record,
        )
            .chain(),
    );
    schedule.add_systems((
        (injects::apply_injects).in_set(SimSystems::Injects),
        (sense::sense_surroundings).in_set(SimSystems::Sense),
        (plan::plan_work, plan::close_tasks).chain().in_set(SimSystems::Plan),
        // Sharing pictures and exchanging requests touch different data:
        // their order is free, and the shuffle tests vary it. Officers are
        // posted after both, on the requests of the day.
        (
            (coordinate::share_pictures, coordinate::exchange_requests),
            coordinate::post_liaisons,
            coordinate::authorise_returns,
        )
            .chain()
            .in_set(SimSystems::Coordinate),
        (execute::work_crews).in_set(SimSystems::Execute),
        (infrastructure::resupply_stocks, infrastructure::propagate_services)
            .chain()
            .in_set(SimSystems::Infrastructure),
        // Who lives where is counted first (renters back in their rebuilt
        // homes). Disease and perception read the same levels and write
        // different tables: either may run first. Everything that moves
        // households runs after both, in a fixed order.
        (
            people::house_families,
            (people::spread_disease, people::perceive_home),
            people::decide_returns,
            people::settle_returnees,
            people::flee_insecurity,
        )
            .chain()
            .in_set(SimSystems::People),
        (score::tally_outcomes, score::charge_idle_assets)
            .chain()
            .in_set(SimSystems::Score),
        (digest::digest_state).in_set(SimSystems::Record),
    ));
    schedule
}
