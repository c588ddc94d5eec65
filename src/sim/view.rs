//! A read-only look at a world, for everything outside `sim` that reads
//! one: reports, replay, the console, compare and the tests.
//!
//! The bevy `World` stays private to `sim`; a [`View`] hands out the
//! resources by name and the entities as lists in index order (districts,
//! assets and agencies by their scenario index, crews by theirs), so no
//! reader depends on the order bevy stores entities in, and none needs
//! `&mut` to read.

use bevy_ecs::prelude::*;

use super::components::{
    Agency, Asset, Assignment, Blockade, Budget, Clock, Condition, Crew, Displaced, District, Ground, Household,
    Housing, InRubble, Liaisons, Lost, Operation, Renting, Requests, Resolution, Site, Stores, StrategyBook,
    Suspension, Whereabouts,
};
use super::ledger::{Ledger, Outcomes};
use super::setup::{Injects, Names};
use super::state::{Census, Digests, Epidemic, InjectLog, Levels, Rules};
use crate::scenario;

/// A world, read only.
#[derive(Clone, Copy)]
pub struct View<'w> {
    world: &'w World,
}

/// A district and its state.
#[derive(Clone, Copy)]
pub struct DistrictState<'w> {
    pub district: &'w District,
    pub ground: &'w Ground,
    pub housing: &'w Housing,
    pub suspension: &'w Suspension,
}

/// A facility and its state.
#[derive(Clone, Copy)]
pub struct AssetState<'w> {
    pub asset: &'w Asset,
    pub condition: f64,
    pub operation: &'w Operation,
    pub site: &'w Site,
    pub blockade: &'w Blockade,
}

/// An agency and what it holds.
#[derive(Clone, Copy)]
pub struct AgencyState<'w> {
    pub agency: &'w Agency,
    pub stores: &'w Stores,
    pub budget: &'w Budget,
}

/// A household entity and where it is.
#[derive(Clone, Copy)]
pub struct HouseholdState<'w> {
    pub household: &'w Household,
    pub whereabouts: &'w Whereabouts,
    /// Away from home (the `Displaced` marker).
    pub displaced: bool,
    /// At home in a dwelling not its own (the `Renting` marker).
    pub renting: bool,
    /// At home in its own uninhabitable dwelling (the `InRubble` marker).
    pub in_rubble: bool,
}

/// A crew and its orders.
#[derive(Clone, Copy)]
pub struct CrewState<'w> {
    pub crew: &'w Crew,
    pub assignment: &'w Assignment,
    /// Lost (to an attack: where and when): it works no more.
    pub lost: Option<Lost>,
}

impl<'w> View<'w> {
    pub(super) fn new(world: &'w World) -> Self {
        View { world }
    }

    /// The next day to simulate.
    pub fn day(&self) -> u32 {
        self.world.resource::<Clock>().day
    }

    pub fn names(&self) -> &'w Names {
        self.world.resource()
    }

    pub fn rules(&self) -> &'w Rules {
        self.world.resource()
    }

    pub fn census(&self) -> &'w Census {
        self.world.resource()
    }

    pub fn levels(&self) -> &'w Levels {
        self.world.resource()
    }

    pub fn epidemic(&self) -> &'w Epidemic {
        self.world.resource()
    }

    pub fn requests(&self) -> &'w Requests {
        self.world.resource()
    }

    pub fn liaisons(&self) -> &'w Liaisons {
        self.world.resource()
    }

    pub fn strategies(&self) -> &'w StrategyBook {
        self.world.resource()
    }

    pub fn ledger(&self) -> &'w Ledger {
        self.world.resource()
    }

    pub fn outcomes(&self) -> &'w Outcomes {
        self.world.resource()
    }

    pub fn inject_log(&self) -> &'w InjectLog {
        self.world.resource()
    }

    /// The scenario's scripted injects.
    pub fn scripted(&self) -> &'w [scenario::Inject] {
        &self.world.resource::<Injects>().0
    }

    /// Every simulated day's digest.
    pub fn digests(&self) -> &'w [u64] {
        &self.world.resource::<Digests>().daily
    }

    /// Families per household entity (1 is full resolution).
    pub fn families_per_entity(&self) -> u32 {
        self.world.resource::<Resolution>().families_per_entity
    }

    /// Which agencies are played by people, by agency index.
    pub fn humans(&self) -> Vec<bool> {
        super::inputs::humans(self.world)
    }

    /// Every district, in index order.
    pub fn districts(&self) -> Vec<DistrictState<'w>> {
        let Some(mut query) = self.world.try_query::<(&District, &Ground, &Housing, &Suspension)>() else {
            return Vec::new();
        };
        let mut all: Vec<_> = query
            .iter(self.world)
            .map(|(district, ground, housing, suspension)| DistrictState {
                district,
                ground,
                housing,
                suspension,
            })
            .collect();
        all.sort_by_key(|d| d.district.ix);
        all
    }

    /// Every facility, in index order.
    pub fn assets(&self) -> Vec<AssetState<'w>> {
        let Some(mut query) = self
            .world
            .try_query::<(&Asset, &Condition, &Operation, &Site, &Blockade)>()
        else {
            return Vec::new();
        };
        let mut all: Vec<_> = query
            .iter(self.world)
            .map(|(asset, condition, operation, site, blockade)| AssetState {
                asset,
                condition: condition.0,
                operation,
                site,
                blockade,
            })
            .collect();
        all.sort_by_key(|a| a.asset.ix);
        all
    }

    /// Every agency, in index order.
    pub fn agencies(&self) -> Vec<AgencyState<'w>> {
        let Some(mut query) = self.world.try_query::<(&Agency, &Stores, &Budget)>() else {
            return Vec::new();
        };
        let mut all: Vec<_> = query
            .iter(self.world)
            .map(|(agency, stores, budget)| AgencyState { agency, stores, budget })
            .collect();
        all.sort_by_key(|a| a.agency.ix);
        all
    }

    /// Every crew, lost ones included, in index order.
    pub fn crews(&self) -> Vec<CrewState<'w>> {
        // Markers are asked of each entity: a query that names one fails
        // until the first entity with it has been spawned (no crew is lost
        // before day 0 is simulated).
        let Some(mut query) = self.world.try_query::<(Entity, &Crew, &Assignment)>() else {
            return Vec::new();
        };
        let mut all: Vec<_> = query
            .iter(self.world)
            .map(|(e, crew, assignment)| CrewState {
                crew,
                assignment,
                lost: self.world.get::<Lost>(e).copied(),
            })
            .collect();
        all.sort_by_key(|c| c.crew.ix);
        all
    }

    /// Every household entity, in no stated order: for sums and checks
    /// that do not depend on order.
    pub fn households(&self) -> Vec<HouseholdState<'w>> {
        let Some(mut query) = self.world.try_query::<(Entity, &Household, &Whereabouts)>() else {
            return Vec::new();
        };
        query
            .iter(self.world)
            .map(|(e, household, whereabouts)| HouseholdState {
                household,
                whereabouts,
                displaced: self.world.get::<Displaced>(e).is_some(),
                renting: self.world.get::<Renting>(e).is_some(),
                in_rubble: self.world.get::<InRubble>(e).is_some(),
            })
            .collect()
    }
}
