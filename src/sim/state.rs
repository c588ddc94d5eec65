//! Resources: the rules' parameters and the per-day tables that rules share.
//!
//! District-level conditions are computed once per day into these tables and
//! looked up by households, so a household's daily decision costs a table
//! lookup and one keyed draw.

use bevy_ecs::prelude::*;

use super::components::*;
use crate::scenario::{self, Service};

/// The parameters of the rules, taken from the scenario.
#[derive(Resource, Debug, Clone)]
pub struct Rules {
    pub horizon: u32,
    pub standards: scenario::Standards,
    pub weights: scenario::Weights,
    pub thresholds: scenario::Thresholds,
    pub returns: scenario::ReturnModel,
    pub disease: scenario::DiseaseModel,
    pub cooperation: scenario::Cooperation,
    pub housing: scenario::HousingModel,
    /// Assets in dependency order: every asset comes after what it needs.
    pub asset_order: Vec<AssetIx>,
    /// Pre-war population of each district.
    pub prewar: Vec<f64>,
}

impl Rules {
    /// Per-person daily need of a service, in the service's unit.
    pub fn per_person(&self, service: Service) -> f64 {
        let s = &self.standards;
        match service {
            Service::Food => s.food_kcal,
            Service::Water => s.water_litres,
            Service::Electricity => s.electricity_kwh,
            Service::Sanitation => 1.0 / s.people_per_toilet,
            Service::Health => s.beds_per_10000 / 10_000.0,
        }
    }

    /// Days a request takes to reach the agency asked through `channel`:
    /// the one rule for the planner's requests and players' orders.
    pub fn answer_delay(&self, channel: Channel) -> u32 {
        let coop = &self.cooperation;
        match channel {
            Channel::Cell => 0,
            Channel::Liaison => coop.liaison_days,
            Channel::Formal => coop.formal_days,
        }
    }

    /// The chance that an agency following its strategy accepts a request
    /// that reached it through `channel` (inside the cell, always).
    pub fn honour(&self, channel: Channel) -> f64 {
        let coop = &self.cooperation;
        match channel {
            Channel::Cell => 1.0,
            Channel::Liaison => coop.liaison_honour,
            Channel::Formal => coop.formal_honour,
        }
    }

    /// The weights of the five services, in [`Service::ALL`] order.
    pub fn service_weights(&self) -> [f64; SERVICES] {
        let w = &self.weights;
        [w.food, w.water, w.electricity, w.sanitation, w.health]
    }
}

/// Public facts about an asset that never change during a run, as planners
/// and requests use them. Built once by `setup` from the [`Asset`]
/// components (whose fields they copy), so no rule rebuilds them daily.
#[derive(Debug, Clone)]
pub struct AssetFacts {
    pub agency: AgencyIx,
    pub site: DistrictIx,
    pub slots: u32,
    pub weight: f64,
    /// The assets that need it directly, with the share of their weight it
    /// carries.
    pub dependants: Vec<(AssetIx, f64)>,
    pub effort: f64,
    /// Services it needs at its site.
    pub needs: Vec<Service>,
    /// What it produces, and where.
    pub output: Option<Service>,
    pub serves: Vec<DistrictIx>,
}

impl AssetFacts {
    /// The static facts of an asset component.
    pub fn of(a: &Asset) -> Self {
        AssetFacts {
            agency: a.agency,
            site: a.site,
            slots: a.crew_slots,
            weight: a.weight,
            dependants: a.dependants.clone(),
            effort: a.repair_effort,
            needs: a
                .needs
                .iter()
                .filter_map(|n| match n {
                    NeedIx::Service(s) => Some(*s),
                    NeedIx::Asset(_) => None,
                })
                .collect(),
            output: a.output.map(|o| o.0),
            serves: a.serves.clone(),
        }
    }

    /// Whether it produces `service` for district `d`.
    pub fn provides(&self, service: Service, d: DistrictIx) -> bool {
        self.output == Some(service) && self.serves.contains(&d)
    }
}

/// The static facts of every asset, by asset index (built once by `setup`).
#[derive(Resource, Debug, Clone, Default)]
pub struct Network {
    pub assets: Vec<AssetFacts>,
}

impl Network {
    /// Who provides a service: the assets that produce `service` for
    /// district `d`, in asset index order. The one rule for the planner,
    /// the requests agencies make and players' requests.
    pub fn providers(&self, service: Service, d: DistrictIx) -> impl Iterator<Item = (AssetIx, &AssetFacts)> {
        self.assets
            .iter()
            .enumerate()
            .filter(move |(_, b)| b.provides(service, d))
            .map(|(i, b)| (AssetIx::new(i), b))
    }
}

/// People and households by place, kept up to date by every move so that no
/// rule has to count households.
#[derive(Resource, Debug, Clone, Default)]
pub struct Census {
    /// People at home, by district.
    pub home: Vec<u64>,
    /// People hosted by families, by host district.
    pub hosted: Vec<u64>,
    /// People in each camp.
    pub camp: Vec<u64>,
    /// People displaced, by origin district.
    pub displaced_from: Vec<u64>,
    /// People at home in their own uninhabitable dwelling, by district.
    pub in_rubble: Vec<u64>,
    /// People displaced on day 0 who are now at home.
    pub returned_initial: u64,
    /// People displaced on day 0.
    pub initial_displaced: u64,
    /// People displaced on day 0, by origin district.
    pub initial_displaced_from: Vec<u64>,
    /// Of those, the people now at home, by origin district.
    pub returned_initial_from: Vec<u64>,
    /// Households that went home (cumulative).
    pub returns: u64,
    /// Households that left home again (cumulative).
    pub departures: u64,
    pub total_people: u64,
    /// Household entities (families, or groups of families).
    pub total_households: u64,
    /// Displaced household entities visited by the daily return decision,
    /// summed over days: the work that dominates a run's cost.
    pub displaced_household_days: u64,
}

impl Census {
    /// People present in a district: residents at home and hosted families.
    pub fn present(&self, d: usize) -> f64 {
        (self.home[d] + self.hosted[d]) as f64
    }

    pub fn displaced(&self) -> u64 {
        self.displaced_from.iter().sum()
    }

    /// Moves a household of `size` people from one place to another.
    pub fn shift(&mut self, origin: DistrictIx, size: u32, from: Place, to: Place) {
        let n = u64::from(size);
        let o = origin.idx();
        match from {
            Place::Home => self.home[o] -= n,
            Place::Camp(c) => self.camp[c.idx()] -= n,
            Place::Host(h) => self.hosted[h.idx()] -= n,
        }
        match to {
            Place::Home => self.home[o] += n,
            Place::Camp(c) => self.camp[c.idx()] += n,
            Place::Host(h) => self.hosted[h.idx()] += n,
        }
        match (from, to) {
            (Place::Home, Place::Home) => {}
            (Place::Home, _) => self.displaced_from[o] += n,
            (_, Place::Home) => self.displaced_from[o] -= n,
            _ => {}
        }
    }
}

/// Today's service supply and levels.
#[derive(Resource, Debug, Clone, Default)]
pub struct Levels {
    /// Supply delivered to each district (assets and crews), per service.
    pub supply: Vec<[f64; SERVICES]>,
    /// Need of the people present, per service.
    pub need: Vec<[f64; SERVICES]>,
    /// Q = min(1, supply / need) for people present; availability when
    /// nobody is there.
    pub q: Vec<[f64; SERVICES]>,
    /// Supply against the pre-war population: what households hear about
    /// and what assets draw on.
    pub availability: Vec<[f64; SERVICES]>,
    /// Service levels in each camp.
    pub camp_q: Vec<[f64; SERVICES]>,
    /// Supply produced by assets alone (piped water, grid electricity), per
    /// district and service, against the pre-war population like
    /// `availability`.
    pub piped: Vec<[f64; SERVICES]>,
    /// Q from assets alone, against the people present: the need that crews
    /// delivering food, water or care have to fill. What agencies monitor.
    pub q_assets: Vec<[f64; SERVICES]>,
    /// Yesterday's crew deliveries (part of `supply`), per district.
    pub delivered: Vec<[f64; SERVICES]>,
    /// Crew deliveries of the day, added to the supply by `propagate_services`.
    pub deliveries: Vec<[f64; SERVICES]>,
    /// Water needs are multiplied by this until `heat_until` (exclusive).
    pub heat_factor: f64,
    pub heat_until: u32,
}

/// What households at home think of each district: moving averages of the
/// true conditions, and today's return probabilities derived from them.
#[derive(Resource, Debug, Clone, Default)]
pub struct Perceived {
    pub security: Vec<f64>,
    pub services: Vec<f64>,
    pub housing: Vec<f64>,
    pub contamination: Vec<f64>,
    /// Livelihoods: habitable dwellings × markets (docs/model.md §7.17).
    pub livelihood: Vec<f64>,
    /// Daily return probability by district, indexed
    /// `[vulnerable as usize][habitable as usize]`.
    pub return_p: Vec<[[f64; 2]; 2]>,
    /// Daily probability that people at home leave.
    pub flight_p: Vec<f64>,
}

/// Who may go home where (docs/model.md §7.17): districts closed to
/// returns until the authorities authorise them, and camps closing.
#[derive(Resource, Debug, Clone, Default)]
pub struct Access {
    /// Closed to returns today, by district.
    pub closed: Vec<bool>,
    /// The day and the agency that authorised returns, by district.
    pub authorised: Vec<Option<(u32, AgencyIx)>>,
    /// Closing, by camp: it takes nobody new and its people are pushed out.
    pub camp_closed: Vec<bool>,
    /// The agencies that may authorise returns.
    pub by: Vec<AgencyIx>,
    pub max_contamination: f64,
    pub min_security: f64,
}

impl Access {
    /// Whether anything has ever been closed: digests of worlds where
    /// nothing is stay as they were before authorisation existed.
    pub fn in_use(&self) -> bool {
        self.closed.iter().chain(&self.camp_closed).any(|&c| c) || self.authorised.iter().any(Option::is_some)
    }

    /// Why `agency`, knowing `view` of district `d`, may not authorise
    /// returns there: `None` when it may.
    pub fn refusal(&self, agency: AgencyIx, d: usize, view: &GroundView) -> Option<String> {
        if !self.by.contains(&agency) {
            return Some("is not one of the authorities that may authorise returns (`authorisation.by`)".into());
        }
        if !self.closed.get(d).copied().unwrap_or(false) {
            return Some("is open to returns already".into());
        }
        let seen = |day: u32| {
            if day == 0 {
                "the day-0 briefing".to_string()
            } else {
                format!("day {}", day - 1)
            }
        };
        if view.contamination > self.max_contamination {
            return Some(format!(
                "is not known to be cleared: its picture shows contamination {:.2} (from {}), authorisation needs {:.2} or less",
                view.contamination,
                seen(view.observed),
                self.max_contamination
            ));
        }
        if view.security < self.min_security {
            return Some(format!(
                "is not known to be secure: its picture shows security {:.2} (from {}), authorisation needs {:.2} or more",
                view.security,
                seen(view.security_observed),
                self.min_security
            ));
        }
        None
    }

    /// Opens district `d` to returns, authorised by `agency` on `day`.
    pub fn authorise(&mut self, d: usize, agency: AgencyIx, day: u32) {
        self.closed[d] = false;
        self.authorised[d] = Some((day, agency));
    }
}

/// Whose dwelling is whose: each district's owner families' dwellings, in
/// ascending order, and the families owning that dwelling or a later one.
/// With it the rented stock is known without visiting households
/// (docs/model.md §7.16).
#[derive(Resource, Debug, Clone, Default)]
pub struct Tenure {
    pub homes: Vec<Vec<u32>>,
    pub after: Vec<Vec<u64>>,
}

impl Tenure {
    /// Families of district `d` whose own dwelling is habitable when the
    /// first `uninhabitable` dwellings are not.
    pub fn owners_housed(&self, d: usize, uninhabitable: f64) -> f64 {
        let i = self.homes[d].partition_point(|&h| f64::from(h) < uninhabitable);
        self.after[d].get(i).copied().unwrap_or(0) as f64
    }

    /// Habitable dwellings of district `d` nobody owns or rents: the stock a
    /// family whose own home is uninhabitable can rent or share.
    pub fn to_let(&self, d: usize, housing: &Housing) -> f64 {
        (housing.habitable_dwellings() - self.owners_housed(d, housing.uninhabitable) - housing.rented).max(0.0)
    }
}

/// Illness by place: districts first, then camps.
#[derive(Resource, Debug, Clone, Default)]
pub struct Epidemic {
    pub active: Vec<f64>,
    /// Transmission multiplier and the day it ends (exclusive), by district.
    pub outbreak: Vec<(f64, u32)>,
    pub cumulative: f64,
}

/// Scripted injects: which fired, and counters of conditional ones.
#[derive(Resource, Debug, Clone, Default)]
pub struct InjectLog {
    pub fired: Vec<bool>,
    /// Consecutive days each conditional inject's condition has held.
    pub streak: Vec<u32>,
    /// (day, inject index) of every inject applied, in order.
    pub applied: Vec<(u32, usize)>,
    /// Manual injects applied so far (`Input::Inject`, and `Input::Later` on
    /// its day): the ordinal of the next, which identifies it
    /// (`injects::InjectId::Manual`). Not folded into the digest: it is a
    /// function of the inputs applied, whose chain is.
    pub manual: u64,
    /// A hash chain of every input applied (`sim::inputs`), 0 while none
    /// has been: the digest folds it only when non-zero, so a run without
    /// inputs keeps the digests it had before inputs existed.
    pub inputs: u64,
}

/// Manual injects a facilitator scheduled for a later day
/// (`Input::Later`), as (day, effect), in order of scheduling; the
/// `Injects` set applies each on its day.
#[derive(Resource, Debug, Clone, Default)]
pub struct Scheduled {
    pub injects: Vec<(u32, crate::scenario::Effect)>,
}

/// The state digest: households contribute incrementally, everything else is
/// hashed each day (it is small).
#[derive(Resource, Debug, Clone, Default)]
pub struct Digests {
    /// Wrapping sum of every household's contribution: order-free, so it is
    /// updated by adding the new contribution and subtracting the old.
    pub households: u64,
    /// `daily[d]` is the digest of the state at the end of day d.
    pub daily: Vec<u64>,
}
