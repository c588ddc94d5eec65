//! Rule: infrastructure. Stocks arrive, assets run, and services propagate
//! through the dependency graph in dependency order.
//!
//! An asset delivers `capacity × condition × (what its needs allow) × (what
//! its stocks allow)`, nothing while blockaded, and records in
//! [`Operation::limit`] which factor held it back, so a repaired water plant
//! without power delivers nothing and the run says why.

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Census, Levels, Rules};
use crate::scenario::Service;

/// Daily resupply of every agency's stocks from outside the city.
pub fn resupply_stocks(clock: Res<Clock>, mut agencies: Query<&mut Stores>) {
    for mut s in &mut agencies {
        for i in 0..STOCKS {
            if i == 0 && s.fuel_cut_until > clock.day {
                continue;
            }
            s.held[i] += s.resupply[i];
        }
    }
}

/// Computes every asset's operation and every place's service levels.
pub fn propagate_services(
    clock: Res<Clock>,
    rules: Res<Rules>,
    census: Res<Census>,
    mut levels: ResMut<Levels>,
    mut assets: Query<(&Asset, &Condition, &Blockade, &mut Operation)>,
    mut agencies: Query<(&Agency, &mut Stores)>,
    camps: Query<&Camp>,
) {
    let day = clock.day;
    let nd = rules.prewar.len();
    let levels = &mut *levels;
    let heat = if levels.heat_until > day {
        levels.heat_factor
    } else {
        1.0
    };
    let per_person: [f64; SERVICES] = std::array::from_fn(|s| {
        let f = rules.per_person(Service::ALL[s]);
        if Service::ALL[s] == Service::Water { f * heat } else { f }
    });
    let delivered = levels.deliveries.clone();
    levels.delivered.clone_from(&delivered);
    for d in 0..nd {
        let present = census.present(d);
        for (s, per) in per_person.iter().enumerate() {
            levels.need[d][s] = per * present;
            levels.supply[d][s] = levels.deliveries[d][s];
            levels.deliveries[d][s] = 0.0;
        }
    }
    let available =
        |supply: &[[f64; SERVICES]], d: usize, s: usize| availability(&per_person, &rules.prewar, supply, d, s);

    let mut xs: Vec<_> = assets.iter_mut().collect();
    xs.sort_unstable_by_key(|x| x.0.ix);
    let mut ag: Vec<_> = agencies.iter_mut().collect();
    ag.sort_unstable_by_key(|x| x.0.ix);
    let mut running = vec![0.0; xs.len()];
    // Per district and service: the capacity of the producers that serve it
    // and how much of it runs. An asset's need for a service is met as far as
    // that network runs at its site (the grid is up, the mains carry water),
    // whether or not people live there to draw a residential share.
    let mut network = vec![[(0.0f64, 0.0f64); SERVICES]; nd];
    for &i in &rules.asset_order {
        let i = i.idx();
        let (asset, cond, blockade, op) = &mut xs[i];
        let mut level = cond.0;
        let mut limit = if cond.0 < 1.0 { Limit::Condition } else { Limit::None };
        if blockade.until > day {
            level = 0.0;
            limit = Limit::Blockade;
        }
        for need in &asset.needs {
            let f = match *need {
                NeedIx::Service(s) => {
                    let site = asset.site.idx();
                    let (capacity, up) = network[site][s.index()];
                    let grid = if capacity > 0.0 { up / capacity } else { 0.0 };
                    grid.max(available(&levels.supply, site, s.index()))
                }
                NeedIx::Asset(b) => running[b.idx()],
            };
            if f < 1.0 && cond.0 * f < level {
                limit = match *need {
                    NeedIx::Service(s) => Limit::NeedService(s),
                    NeedIx::Asset(b) => Limit::NeedAsset(b),
                };
            }
            level = level.min(cond.0 * f);
        }
        // Stocks are drawn in proportion to the level the asset can run at.
        let stores = &mut ag[asset.agency.idx()].1;
        for &(stock, per_day) in &asset.consumes {
            let wanted = per_day * level;
            if wanted > 0.0 && stores.held[stock] < wanted {
                level *= stores.held[stock] / wanted;
                limit = Limit::Stock(stock);
            }
        }
        for &(stock, per_day) in &asset.consumes {
            stores.held[stock] = (stores.held[stock] - per_day * level).max(0.0);
        }
        op.level = level;
        op.limit = limit;
        running[i] = level;
        if let Some((service, capacity)) = asset.output {
            let s = service.index();
            for &d in &asset.serves {
                let cell = &mut network[d.idx()][s];
                cell.0 += capacity;
                cell.1 += capacity * level;
            }
            let amount = capacity * level;
            // Shared among the served districts by the need of the people
            // there; by pre-war population when nobody is there.
            let total: f64 = asset.serves.iter().map(|&d| levels.need[d.idx()][s]).sum();
            let prewar: f64 = asset.serves.iter().map(|&d| rules.prewar[d.idx()]).sum();
            for &d in &asset.serves {
                let d = d.idx();
                let share = if total > 0.0 {
                    levels.need[d][s] / total
                } else if prewar > 0.0 {
                    rules.prewar[d] / prewar
                } else {
                    1.0 / asset.serves.len() as f64
                };
                levels.supply[d][s] += amount * share;
            }
        }
    }
    service_levels(levels, &delivered, &per_person, &rules.prewar);
    camp_levels(levels, &census, &camps);
}

/// A district's reference supply of service `s`: what its pre-war people
/// need.
fn reference(per_person: &[f64; SERVICES], prewar: &[f64], d: usize, s: usize) -> f64 {
    per_person[s] * prewar[d]
}

/// Supply of service `s` in district `d` against its pre-war people (1
/// where nobody lived before the war).
fn availability(per_person: &[f64; SERVICES], prewar: &[f64], supply: &[[f64; SERVICES]], d: usize, s: usize) -> f64 {
    let r = reference(per_person, prewar, d, s);
    if r > 0.0 { (supply[d][s] / r).min(1.0) } else { 1.0 }
}

/// Today's levels from today's supply, of which `delivered` came from
/// crews: from assets alone (`q_assets`, `piped`) and in all
/// (`availability`, `q`).
fn service_levels(levels: &mut Levels, delivered: &[[f64; SERVICES]], per_person: &[f64; SERVICES], prewar: &[f64]) {
    for (d, given) in delivered.iter().enumerate() {
        for (s, &given) in given.iter().enumerate() {
            let r = reference(per_person, prewar, d, s);
            let from_assets = levels.supply[d][s] - given;
            let need = levels.need[d][s];
            levels.q_assets[d][s] = if need > 0.0 {
                (from_assets / need).clamp(0.0, 1.0)
            } else {
                1.0
            };
            levels.piped[d][s] = if r > 0.0 {
                (from_assets / r).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let a = availability(per_person, prewar, &levels.supply, d, s);
            levels.availability[d][s] = a;
            let need = levels.need[d][s];
            levels.q[d][s] = if need > 0.0 {
                (levels.supply[d][s] / need).min(1.0)
            } else {
                a
            };
        }
    }
}

/// Camps' levels: their services, thinned by crowding beyond capacity.
fn camp_levels(levels: &mut Levels, census: &Census, camps: &Query<&Camp>) {
    for camp in camps {
        let c = camp.ix.idx();
        let people = census.camp[c] as f64;
        let crowding = if people > camp.capacity {
            camp.capacity / people
        } else {
            1.0
        };
        for s in 0..SERVICES {
            levels.camp_q[c][s] = camp.services[s] * crowding;
        }
    }
}
