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
use super::state::{Access, Census, Digests, Epidemic, InjectLog, Levels, Perceived, Rules, Tenure};
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

/// A district's people away from home, by what holds them back
/// ([`View::held_back`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HeldBack {
    /// People displaced from the district.
    pub displaced: u64,
    /// The district is closed to returns.
    pub not_authorised: u64,
    /// Their own dwelling is uninhabitable and none is to let.
    pub no_dwelling: u64,
    /// Free to go home, at the district's return rate.
    pub may_return: u64,
    /// What weighs most against going home for those who may.
    pub weighs_most: Option<Obstacle>,
}

/// A condition that keeps people from going home (the IOM surveys'
/// reasons, as the return decision weighs them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obstacle {
    Insecurity,
    Explosives,
    Services,
    Housing,
    Livelihoods,
}

impl Obstacle {
    pub fn name(self) -> &'static str {
        match self {
            Obstacle::Insecurity => "insecurity",
            Obstacle::Explosives => "explosives",
            Obstacle::Services => "services",
            Obstacle::Housing => "damaged neighbourhood",
            Obstacle::Livelihoods => "no work",
        }
    }
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

    /// Districts closed to returns, their authorisations, closing camps.
    pub fn access(&self) -> &'w Access {
        self.world.resource()
    }

    /// What households think of each district.
    pub fn perceived(&self) -> &'w Perceived {
        self.world.resource()
    }

    /// What holds each district's displaced people back today, in district
    /// order (docs/model.md §7.17): its people away from home counted by the
    /// first obstacle that stops them, and for those who may go home, the
    /// condition that weighs most against it.
    pub fn held_back(&self) -> Vec<HeldBack> {
        let districts = self.districts();
        let access = self.access();
        let tenure = self.world.resource::<Tenure>();
        let to_let: Vec<f64> = districts
            .iter()
            .enumerate()
            .map(|(d, x)| tenure.to_let(d, x.housing))
            .collect();
        let mut out: Vec<HeldBack> = (0..districts.len())
            .map(|d| HeldBack {
                weighs_most: self.weighs_most(d),
                ..HeldBack::default()
            })
            .collect();
        for h in self.households().iter().filter(|h| h.displaced) {
            let o = h.household.origin.idx();
            let n = u64::from(h.household.size);
            let row = &mut out[o];
            row.displaced += n;
            if access.closed[o] {
                row.not_authorised += n;
            } else if !districts[o].housing.habitable(h.household.home) && to_let[o] < f64::from(h.household.families) {
                row.no_dwelling += n;
            } else {
                row.may_return += n;
            }
        }
        out
    }

    /// The perceived condition of district `d` that takes most from its
    /// attraction (`people::perceive_home`): each term's shortfall from a
    /// perfect district, times its weight.
    fn weighs_most(&self, d: usize) -> Option<Obstacle> {
        let r = &self.rules().returns;
        let p = self.perceived();
        let or0 = |x: f64| if x.is_nan() { 0.0 } else { x };
        [
            (Obstacle::Insecurity, r.security_weight * (1.0 - or0(p.security[d]))),
            (Obstacle::Explosives, r.contamination_weight * or0(p.contamination[d])),
            (Obstacle::Services, r.services_weight * (1.0 - or0(p.services[d]))),
            (Obstacle::Housing, r.housing_weight * (1.0 - or0(p.housing[d]))),
            (
                Obstacle::Livelihoods,
                r.livelihood_weight * (1.0 - or0(p.livelihood[d])),
            ),
        ]
        .into_iter()
        .filter(|x| x.1 > 1e-9)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|x| x.0)
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
