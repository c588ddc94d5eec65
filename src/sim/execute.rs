//! Rule: execute. Crews do the day's work where they are allowed to.
//!
//! Work other than clearance, security and fuel runs proceeds only where
//! explosive hazards are cleared and security is above the threshold, never
//! where work is suspended, and only while the agency can pay and has the
//! stocks the work uses. A crew that cannot work is blocked, and the ledger
//! records on what.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Levels, Rules};
use crate::scenario::{Mandate, Service, Stock};
use crate::score::Ledger;

/// Security a secured district's own sites are raised to at least.
fn raise_sites(sites: &mut [(&Asset, Mut<Condition>, Mut<Site>)], d: DistrictIx, security: f64) {
    for (a, _, s) in sites.iter_mut() {
        if a.site == d
            && let Some(x) = s.security
            && x < security
        {
            s.security = Some(security);
        }
    }
}

/// Every crew with a target works or is blocked, in crew index order.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn work_crews(
    clock: Res<Clock>,
    rules: Res<Rules>,
    mut ledger: ResMut<Ledger>,
    mut levels: ResMut<Levels>,
    crews: Query<(&Crew, &Assignment), Without<Lost>>,
    mut agencies: Query<(&Agency, &mut Stores, &mut Budget)>,
    mut districts: Query<(&District, &mut Ground, &mut Housing, &Suspension)>,
    mut assets: Query<(&Asset, &mut Condition, &mut Site)>,
    mut tasks: Query<&mut Task>,
) {
    let day = clock.day;
    let th = &rules.thresholds;
    let mut ag: Vec<_> = agencies.iter_mut().collect();
    ag.sort_unstable_by_key(|x| x.0.ix);
    let mut ds: Vec<_> = districts.iter_mut().collect();
    ds.sort_unstable_by_key(|x| x.0.ix);
    let mut xs: Vec<_> = assets.iter_mut().collect();
    xs.sort_unstable_by_key(|x| x.0.ix);
    let mut ts: BTreeMap<u64, Mut<Task>> = tasks.iter_mut().map(|t| (t.id, t)).collect();
    let mut cs: Vec<_> = crews.iter().collect();
    cs.sort_unstable_by_key(|x| x.0.ix);

    for (crew, assignment) in cs {
        let a = usize::from(crew.agency);
        let Some(target) = assignment.target else {
            ledger.idle[a] += 1.0;
            continue;
        };
        // The ground the crew works on.
        let (district, contamination, security) = match target {
            Target::Asset(x) => {
                let (asset, _, site) = &xs[usize::from(x)];
                let g = &ds[usize::from(asset.site)].1;
                (
                    Some(asset.site),
                    site.contamination.unwrap_or(g.contamination),
                    site.security.unwrap_or(g.security),
                )
            }
            Target::District(d) => {
                let g = &ds[usize::from(d)].1;
                (Some(d), g.contamination, g.security)
            }
            Target::Agency(_) => (None, 0.0, 1.0),
        };
        let on_ground = !matches!(crew.kind, Mandate::Clear | Mandate::Secure | Mandate::DeliverFuel);
        let materials = match (crew.kind, target) {
            (Mandate::Repair, Target::Asset(x)) => {
                let asset = xs[usize::from(x)].0;
                asset.repair_cost * crew.rate / asset.repair_effort
            }
            _ => 0.0,
        };
        let (_, stores, budget) = &ag[a];
        let blocker = if district.is_some_and(|d| ds[usize::from(d)].3.until > day) && crew.kind != Mandate::Secure {
            Some(Blocker::Suspended)
        } else if on_ground && contamination > th.clearance {
            Some(Blocker::Hazard)
        } else if on_ground && security < th.security {
            Some(Blocker::Security)
        } else if budget.frozen_until > day || budget.funds < crew.daily_cost + materials {
            Some(Blocker::Budget)
        } else if stores.held[Stock::Fuel.index()] < crew.fuel_per_day
            || (crew.kind == Mandate::DistributeFood && stores.held[Stock::Food.index()] <= 0.0)
            || (crew.kind == Mandate::Medical && stores.held[Stock::Medical.index()] <= 0.0)
            || (crew.kind == Mandate::DeliverFuel && stores.held[Stock::Fuel.index()] <= crew.fuel_per_day)
        {
            Some(Blocker::Stock)
        } else {
            None
        };
        let task = assignment.task.and_then(|id| ts.get_mut(&id));
        if let Some(why) = blocker {
            ledger.block(a, why);
            if let Some(t) = task {
                t.blocked_days += 1.0;
                t.blocked_by = Some(why);
            }
            continue;
        }
        {
            let (_, stores, budget) = &mut ag[a];
            budget.funds -= crew.daily_cost + materials;
            stores.held[Stock::Fuel.index()] -= crew.fuel_per_day;
        }
        ledger.spent[a] += crew.daily_cost + materials;
        ledger.worked[a] += 1.0;
        let done = match (crew.kind, target) {
            (Mandate::Repair, Target::Asset(x)) => {
                let (asset, cond, _) = &mut xs[usize::from(x)];
                cond.0 = (cond.0 + crew.rate / asset.repair_effort).min(1.0);
                cond.0 >= 1.0
            }
            (Mandate::Clear, Target::Asset(x)) => {
                let (_, _, site) = &mut xs[usize::from(x)];
                let c = (site.contamination.unwrap_or(contamination) - crew.rate).max(0.0);
                site.contamination = Some(c);
                c <= 0.0
            }
            (Mandate::Clear, Target::District(d)) => {
                let (district, g, _, _) = &mut ds[usize::from(d)];
                let scale = 10_000.0 / district.prewar.max(1_000.0);
                g.contamination = (g.contamination - crew.rate * scale).max(0.0);
                g.contamination <= 0.0
            }
            (Mandate::Secure, Target::District(d)) => {
                let g = &mut ds[usize::from(d)].1;
                g.security = (g.security + crew.rate).min(1.0);
                let s = g.security;
                raise_sites(&mut xs, d, s);
                s >= 1.0
            }
            (Mandate::Rebuild, Target::District(d)) => {
                let (district, _, housing, _) = &mut ds[usize::from(d)];
                housing.damage = (housing.damage - crew.rate / district.homes.max(1.0)).max(0.0);
                housing.damage <= 0.0
            }
            (Mandate::DistributeFood, Target::District(d)) => {
                let held = &mut ag[a].1.held[Stock::Food.index()];
                let amount = crew.rate.min(*held);
                *held -= amount;
                levels.deliveries[usize::from(d)][Service::Food.index()] += amount;
                false
            }
            (Mandate::TruckWater, Target::District(d)) => {
                levels.deliveries[usize::from(d)][Service::Water.index()] += crew.rate;
                false
            }
            (Mandate::Medical, Target::District(d)) => {
                let held = &mut ag[a].1.held[Stock::Medical.index()];
                let amount = crew.rate.min(*held);
                *held -= amount;
                levels.deliveries[usize::from(d)][Service::Health.index()] += amount;
                false
            }
            (Mandate::DeliverFuel, Target::Agency(to)) => {
                let held = &mut ag[a].1.held[Stock::Fuel.index()];
                let amount = crew.rate.min(*held);
                *held -= amount;
                let receiver = &mut ag[usize::from(to)].1;
                receiver.held[Stock::Fuel.index()] += amount;
                receiver.last_fuel_delivery = day;
                ledger.fuel_delivered += amount;
                false
            }
            // The planner never pairs a kind with another kind of target.
            _ => false,
        };
        if let Some(t) = task {
            t.crew_days += 1.0;
            t.blocked_by = None;
            if done && !t.closed {
                t.closed = true;
                ledger.completed[a] += 1;
            }
        }
    }
}
