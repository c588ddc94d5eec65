//! The ledger of what agencies did and the outcome accumulators: what the
//! rules write as the days run (`execute`, `coordinate`, `inputs`, `injects`
//! and the `Score` rules in `score.rs`), and what `report` and `crate::score`
//! read after the run.
//!
//! They live beside the rules that write them so that `sim` depends on no
//! scoring code: `crate::score` (references, attribution, efficiency) reads
//! these, never the other way round. Every number in a score breakdown comes
//! from here, so it can be explained from the ledger. No IO.

use bevy_ecs::prelude::*;

use std::collections::BTreeMap;

use super::components::{AgencyIx, Ask, AssetIx, Blocker, Channel, SERVICES, Target};

/// What agencies and their crews did, day by day, summed.
#[derive(Resource, Debug, Clone, Default)]
pub struct Ledger {
    /// Crew-days worked, by agency.
    pub worked: Vec<f64>,
    /// Crew-days blocked, by agency and [`Blocker`] (in `Blocker::ALL` order).
    pub blocked: Vec<[f64; 5]>,
    /// Crew-days with nothing to do, by agency.
    pub idle: Vec<f64>,
    /// The part of `idle` when work the crew could have done that day
    /// waited with a free place: idle capacity (`execute`,
    /// `charge_idle_capacity`). Not in the digest: it decides nothing.
    pub idle_with_work: Vec<f64>,
    /// The part of `idle` when work of the crew's kind waited with a free
    /// place but every such place was stopped, by the first [`Blocker`]
    /// (in `Blocker::ALL` order) that stopped one: crews held back, waiting
    /// as surely as blocked crews, without having been sent.
    pub idle_held: Vec<[f64; 5]>,
    /// US$ spent, by agency.
    pub spent: Vec<f64>,
    /// Tasks finished, by agency.
    pub completed: Vec<u32>,
    /// Every task finished, in order: what the console's turn report says
    /// was done since the last turn.
    pub finished: Vec<Finished>,
    /// Crews lost in attacks, by agency.
    pub casualties: Vec<u32>,
    /// Fuel delivered between agencies, litres.
    pub fuel_delivered: f64,
    /// Days lost waiting on another agency while a request to it was open,
    /// charged to the agency asked: crew-days of blocked crews (no asset) and
    /// days an asset stood idle for want of a service (its asset).
    pub waits: BTreeMap<Wait, f64>,
    /// Crews hurt walking into hazards their agency did not know of.
    pub injuries: Vec<u32>,
    /// Crew-days lost to injuries.
    pub injured_days: Vec<f64>,
    /// Repair crew-days on assets whose inputs were absent: work that
    /// delivers nothing until another agency restores them.
    pub wasted: Vec<f64>,
    /// Delivery crew-days to a district whose need others had already met.
    pub duplicated: Vec<f64>,
    /// Crew-days of work given to the coordination cell as staff time.
    pub staff_days: Vec<f64>,
    /// Crew-days of work given to liaison officers the agency posted.
    pub officer_days: Vec<f64>,
    /// Pictures shared: (giver, receiver) pair-days.
    pub shares: Vec<Vec<u32>>,
    /// (period, giver, receiver) for every period of [`NETWORK_PERIOD_DAYS`]
    /// in which the giver shared its picture with the receiver: the sharing
    /// side of the interaction network over time.
    pub shared_in: std::collections::BTreeSet<(u32, AgencyIx, AgencyIx)>,
}

/// Length of the periods over which the interaction network is measured
/// over time.
pub const NETWORK_PERIOD_DAYS: u32 = 30;

impl Ledger {
    pub fn new(agencies: usize) -> Self {
        Ledger {
            worked: vec![0.0; agencies],
            blocked: vec![[0.0; 5]; agencies],
            idle: vec![0.0; agencies],
            idle_with_work: vec![0.0; agencies],
            idle_held: vec![[0.0; 5]; agencies],
            spent: vec![0.0; agencies],
            completed: vec![0; agencies],
            finished: Vec::new(),
            casualties: vec![0; agencies],
            fuel_delivered: 0.0,
            waits: BTreeMap::new(),
            injuries: vec![0; agencies],
            injured_days: vec![0.0; agencies],
            wasted: vec![0.0; agencies],
            duplicated: vec![0.0; agencies],
            staff_days: vec![0.0; agencies],
            officer_days: vec![0.0; agencies],
            shares: vec![vec![0; agencies]; agencies],
            shared_in: std::collections::BTreeSet::new(),
        }
    }

    pub fn block(&mut self, agency: usize, why: Blocker) {
        let i = Blocker::ALL.iter().position(|b| *b == why).unwrap_or(0);
        self.blocked[agency][i] += 1.0;
    }

    /// Crew-days blocked, all reasons, by agency.
    pub fn blocked_total(&self, agency: usize) -> f64 {
        self.blocked[agency].iter().sum()
    }
}

/// A task finished: on `day`, `agency`'s crews finished their `kind` of
/// work at `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    pub day: u32,
    pub agency: AgencyIx,
    pub kind: crate::scenario::Mandate,
    pub target: Target,
}

/// Who waited on whom for what: a key of [`Ledger::waits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Wait {
    /// The agency that waited.
    pub from: AgencyIx,
    /// The agency it had asked.
    pub to: AgencyIx,
    pub ask: Ask,
    /// The channel the request went through.
    pub channel: Channel,
    /// The asset that stood idle; `None` for crews.
    pub asset: Option<AssetIx>,
}

/// One day of the city-wide picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaySummary {
    pub day: u32,
    pub people_home: u64,
    pub people_displaced: u64,
    /// Share of the people displaced on day 0 who are home.
    pub returned_share: f64,
    /// People-weighted service level over every place people are.
    pub services: [f64; SERVICES],
    /// Supply from assets alone (piped water, grid power) against the
    /// pre-war need, weighted by pre-war population over the districts: the
    /// figures the record reports ("grid supply about 50 %").
    pub piped: [f64; SERVICES],
    pub disease_active: f64,
}

/// One place's service levels on one day: a row group of the CSV series.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceDay {
    pub day: u32,
    /// `district` or `camp`.
    pub kind: &'static str,
    /// Dense index of the district or camp.
    pub ix: u16,
    pub people: u64,
    pub q: [f64; SERVICES],
    /// A district's homes and its people; `None` for a camp.
    pub district: Option<DistrictDay>,
}

/// One district's dwellings and people on one day (docs/model.md §7.16).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistrictDay {
    /// Dwellings that can be lived in.
    pub habitable_dwellings: f64,
    /// Tonnes of rubble left.
    pub debris_tonnes: f64,
    /// Its own people at home (in their dwelling, a rented one, or rubble).
    pub people_home: u64,
    /// Its people away from home (camps, host families).
    pub displaced_from: u64,
    /// Of its people displaced on day 0, those at home.
    pub returned_initial: u64,
}

/// Outcome accumulators.
#[derive(Resource, Debug, Clone, Default)]
pub struct Outcomes {
    /// Person-days of unmet need per service: Σ people × (1 − Q).
    pub loss: [f64; SERVICES],
    /// Displaced person-days, counting people at home in their own
    /// uninhabitable dwelling: they have no home to be back in yet.
    pub displaced_days: f64,
    /// Person-days without adequate shelter: in an uninhabitable dwelling, in
    /// a camp over its capacity, and `hosted_shelter_gap` of each hosted day.
    pub shelter_days: f64,
    /// Person-days below a Sphere survival minimum (water or food).
    pub survival_days: f64,
    /// First day on which half of the people displaced on day 0 were home.
    pub day_half_returned: Option<u32>,
    pub days: Vec<DaySummary>,
    pub places: Vec<PlaceDay>,
}

impl Outcomes {
    /// The weighted sum of the loss components (DESIGN 3.6).
    pub fn total_loss(&self, w: &crate::scenario::Weights) -> f64 {
        let service_weights = [w.food, w.water, w.electricity, w.sanitation, w.health];
        let services: f64 = self.loss.iter().zip(service_weights).map(|(l, w)| l * w).sum();
        services + self.displaced_days * w.displacement + self.shelter_days * w.shelter
    }
}

/// Weighted geometric mean of service levels: neglecting one service costs a
/// lot. Levels are floored at 1 % so that one absent service does not make
/// the index exactly zero and hide every other difference.
pub fn district_index(q: &[f64; SERVICES], weights: [f64; SERVICES]) -> f64 {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let log_sum: f64 = q.iter().zip(weights).map(|(q, w)| w * libm::log(q.max(0.01))).sum();
    libm::exp(log_sum / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn district_index_punishes_a_neglected_service() {
        let w = [1.0; SERVICES];
        let balanced = district_index(&[0.6; SERVICES], w);
        let lopsided = district_index(&[1.0, 1.0, 1.0, 1.0, 0.0], w);
        assert!((balanced - 0.6).abs() < 1e-12);
        // Same arithmetic mean (0.8 vs 0.6 is not the point): one service at zero
        // drags the index far below the balanced city.
        assert!(lopsided < balanced, "{lopsided} >= {balanced}");
    }
}
