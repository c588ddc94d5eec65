//! The engine: a bevy_ecs world advanced one day at a time by one ordered,
//! single-threaded schedule.
//!
//! # How a day runs
//!
//! Every rule is a system in one of nine sets that run in a fixed order
//! ([`SimSystems`]): scripted and facilitator injects change the world first;
//! each agency then senses what it can see into its own [`Picture`], plans
//! where its crews go (every decision goes through [`plan`], keyed by the
//! agency's strategy), coordinates with others, and its crews execute. The
//! infrastructure then propagates services through the dependency graph in
//! dependency order (a plant without power delivers nothing, and its
//! [`Operation::limit`] says why); people fall ill, judge their home district
//! through what they hear, and return or flee; the score adds the day's
//! losses; and the record step closes the day with a digest of the state.
//! [`schedule::build`] lists every rule in that order, in one place.
//!
//! # What this module never does
//!
//! No IO, no printing, no clock, no `HashMap`, no thread RNG. Every random
//! number is [`crate::hash::keyed`] of (seed, day, stable id, purpose); every
//! query that mutates state, draws or records is sorted by a stable index or
//! is order-free (sums). Scale comes from visiting only displaced households
//! each day and looking up district-level tables computed once per day.
//!
//! [`Picture`]: components::Picture
//! [`Operation::limit`]: components::Operation

pub mod components;
pub mod coordinate;
pub mod digest;
pub mod execute;
pub mod footprint;
pub mod households;
pub mod housing;
pub mod infrastructure;
pub mod injects;
pub mod inputs;
pub mod ledger;
pub mod people;
pub mod plan;
pub mod schedule;
pub mod score;
pub mod sense;
pub mod setup;
pub mod state;
pub mod view;

use bevy_ecs::prelude::*;

pub use inputs::{Input, InputError};
pub use schedule::{Day, SimSystems};

use crate::scenario::Scenario;

/// A world ready to run day by day. The bevy `World` is private to `sim`:
/// everything else reads it through [`Simulation::view`] and changes it
/// only through [`Simulation::apply`] and [`Simulation::step`].
pub struct Simulation {
    world: World,
}

/// How to build a world, beyond the scenario and the seed.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Families per household entity: 1 is full resolution; more gives a
    /// coarser, faster run for quick looks.
    pub families_per_entity: u32,
    /// Run the schedule's unordered systems in an order shuffled by this seed
    /// (tests: proves no rule depends on an order the schedule does not state).
    pub shuffle: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            families_per_entity: 1,
            shuffle: None,
        }
    }
}

impl Simulation {
    /// Builds the world of a validated scenario for one seed, at full
    /// resolution.
    pub fn new(scenario: &Scenario, seed: u64) -> Self {
        Self::with_options(scenario, seed, Options::default())
    }

    /// Builds the world with explicit [`Options`].
    pub fn with_options(scenario: &Scenario, seed: u64, options: Options) -> Self {
        let mut world = World::new();
        setup::populate(&mut world, scenario, seed, options.families_per_entity);
        world.add_schedule(schedule::build(options.shuffle));
        Simulation { world }
    }

    /// The next day to simulate.
    pub fn day(&self) -> u32 {
        self.world.resource::<components::Clock>().day
    }

    /// The scenario's horizon in days.
    pub fn horizon(&self) -> u32 {
        self.world.resource::<state::Rules>().horizon
    }

    /// Applies an input on the next day to simulate, before its schedule
    /// runs: call it for each of day d's inputs, then [`Simulation::step`].
    pub fn apply(&mut self, input: &Input) -> Result<(), InputError> {
        inputs::apply_input(&mut self.world, input)
    }

    /// Simulates one day and returns its digest.
    pub fn step(&mut self) -> u64 {
        self.world.run_schedule(Day);
        let digests = self.world.resource::<state::Digests>();
        let last = *digests.daily.last().unwrap_or(&0);
        self.world.resource_mut::<components::Clock>().day += 1;
        last
    }

    /// Simulates up to `days` more days, stopping at the horizon.
    pub fn run_days(&mut self, days: u32) {
        for _ in 0..days {
            if self.day() >= self.horizon() {
                break;
            }
            self.step();
        }
    }

    /// Simulates to the horizon.
    pub fn run_to_end(&mut self) {
        let h = self.horizon();
        self.run_days(h);
    }

    /// The strategy a player's agency moves to when it joins (`join`) or
    /// leaves the coordination cell ([`inputs::cell_strategy`]).
    pub fn cell_strategy(&self, agency: &str, join: bool) -> Result<String, InputError> {
        inputs::cell_strategy(&self.world, agency, join)
    }

    /// The world, read only: what every reader outside `sim` goes through.
    pub fn view(&self) -> view::View<'_> {
        view::View::new(&self.world)
    }

    /// Digests of every simulated day.
    pub fn digests(&self) -> &[u64] {
        &self.world.resource::<state::Digests>().daily
    }
}
