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
use super::ledger::{Ledger, Wait};
use super::state::{Levels, Rules};
use crate::hash::{DayKey, Purpose};
use crate::scenario::{Mandate, Service, Stock};

/// At most this share of an agency's crew work goes to liaison officers.
const MAX_OFFICER_SHARE: f64 = 0.25;

/// Security a secured district's own sites are raised to at least.
fn raise_sites(sites: &mut [(&Asset, Mut<Condition>, Mut<Site>, &Operation)], d: DistrictIx, security: f64) {
    for (a, _, s, _) in sites.iter_mut() {
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
    seed: Res<Seed>,
    rules: Res<Rules>,
    requests: Res<Requests>,
    liaisons: Res<Liaisons>,
    mut ledger: ResMut<Ledger>,
    mut levels: ResMut<Levels>,
    mut crews: Query<(&Crew, &mut Assignment), Without<Lost>>,
    mut agencies: Query<(&Agency, &mut Stores, &mut Budget, &Picture)>,
    mut districts: Query<(&District, &mut Ground, &mut Housing, &Suspension)>,
    mut assets: Query<(&Asset, &mut Condition, &mut Site, &Operation)>,
    mut tasks: Query<&mut Task>,
) {
    let day = clock.day;
    let th = &rules.thresholds;
    let coop = &rules.cooperation;
    let injury_key = DayKey::new(seed.0, day, Purpose::Injury);
    // Need not yet met by assets yesterday, per district and service: a
    // delivery beyond it duplicates another's.
    // Nothing is known before the first day's levels: no duplicate then.
    let mut unmet: Vec<[f64; SERVICES]> = (0..levels.need.len())
        .map(|d| {
            if day == 0 {
                return [f64::INFINITY; SERVICES];
            }
            std::array::from_fn(|s| {
                let from_assets = levels.supply[d][s] - levels.delivered[d][s];
                (levels.need[d][s] - from_assets).max(0.0)
            })
        })
        .collect();
    let mut ag: Vec<_> = agencies.iter_mut().collect();
    ag.sort_unstable_by_key(|x| x.0.ix);
    let mut ds: Vec<_> = districts.iter_mut().collect();
    ds.sort_unstable_by_key(|x| x.0.ix);
    let mut xs: Vec<_> = assets.iter_mut().collect();
    xs.sort_unstable_by_key(|x| x.0.ix);
    // Where each asset stands and whether its site is cleared on its own:
    // what a request about it is for (`Ask::ground`). Work today cannot
    // change it (clearing keeps a site's own entry).
    let sites: Vec<(DistrictIx, bool)> = xs
        .iter()
        .map(|(a, _, s, _)| (a.site, s.contamination.is_some()))
        .collect();
    let site_of = |x: AssetIx| sites[usize::from(x)];
    let mut ts: BTreeMap<u64, Mut<Task>> = tasks.iter_mut().map(|t| (t.id, t)).collect();
    let officers: Vec<usize> = ag.iter().map(|x| liaisons.officers(x.0.ix)).collect();
    let mut cs: Vec<_> = crews.iter_mut().collect();
    cs.sort_unstable_by_key(|x| x.0.ix);

    for (crew, mut assignment) in cs {
        let a = usize::from(crew.agency);
        if assignment.out_until > day {
            ledger.injured_days[a] += 1.0;
            assignment.blocked = None;
            continue;
        }
        let Some(target) = assignment.target else {
            ledger.idle[a] += 1.0;
            assignment.blocked = None;
            continue;
        };
        // Staff time in the cell and with posted liaison officers comes out
        // of every crew-day worked.
        let cell_share = if ag[a].0.strategy.pays_staff_cost {
            coop.cell_staff_share
        } else {
            0.0
        };
        let officer_share = (coop.liaison_staff_share * officers[a] as f64).min(MAX_OFFICER_SHARE);
        let rate = crew.rate * (1.0 - cell_share - officer_share);
        // The ground the crew works on.
        let (district, contamination, security) = match target {
            Target::Asset(x) => {
                let (asset, _, site, _) = &xs[usize::from(x)];
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
                asset.repair_cost * rate / asset.repair_effort
            }
            _ => 0.0,
        };
        let (_, stores, budget, _) = &ag[a];
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
            }
            // Waiting on another agency that was asked to clear or secure
            // this ground, or for fuel: the crew-day is charged to the
            // agency asked.
            let dry = why == Blocker::Stock && ag[a].1.held[Stock::Fuel.index()] < crew.fuel_per_day;
            if let Some(r) = requests.open().find(|r| {
                usize::from(r.from) == a
                    && match (r.ask, why) {
                        (Ask::Clearance, Blocker::Hazard) | (Ask::Escort, Blocker::Security) => {
                            r.ask.ground(r.target, site_of) == r.ask.ground(target, site_of)
                        }
                        (Ask::Fuel, Blocker::Stock) => dry,
                        _ => false,
                    }
            }) {
                let wait = Wait {
                    from: r.from,
                    to: r.to,
                    ask: r.ask,
                    channel: r.channel,
                    asset: None,
                };
                *ledger.waits.entry(wait).or_default() += 1.0;
            }
            // A crew that walks into hazards its agency did not know of can
            // be hurt: the price of a wrong picture.
            if why == Blocker::Hazard {
                let picture = ag[a].3;
                let believed = match target {
                    Target::Asset(x) => picture.sites[usize::from(x)].contamination,
                    Target::District(d) => picture.districts[usize::from(d)].contamination,
                    Target::Agency(_) => 0.0,
                };
                if believed <= th.clearance && injury_key.unit(crew.key) < coop.hazard_injury_rate * contamination {
                    // Out for `injury_days` full days after the day it was hurt.
                    assignment.out_until = day.saturating_add(1).saturating_add(coop.injury_days);
                    ledger.injuries[a] += 1;
                }
            }
            assignment.blocked = Some((target, why));
            continue;
        }
        assignment.blocked = None;
        ledger.staff_days[a] += cell_share;
        ledger.officer_days[a] += officer_share;
        {
            let (_, stores, budget, _) = &mut ag[a];
            budget.funds -= crew.daily_cost + materials;
            stores.held[Stock::Fuel.index()] -= crew.fuel_per_day;
        }
        ledger.spent[a] += crew.daily_cost + materials;
        ledger.worked[a] += 1.0;
        let done = match (crew.kind, target) {
            (Mandate::Repair, Target::Asset(x)) => {
                let (asset, cond, _, op) = &mut xs[usize::from(x)];
                // Work on an asset that got none of its inputs yesterday
                // delivers nothing until another agency restores them.
                if op.level <= 0.0 && matches!(op.limit, Limit::NeedService(_) | Limit::NeedAsset(_)) {
                    ledger.wasted[a] += 1.0;
                }
                cond.0 = (cond.0 + rate / asset.repair_effort).min(1.0);
                cond.0 >= 1.0
            }
            (Mandate::Clear, Target::Asset(x)) => {
                let (_, _, site, _) = &mut xs[usize::from(x)];
                let c = (site.contamination.unwrap_or(contamination) - rate).max(0.0);
                site.contamination = Some(c);
                c <= 0.0
            }
            (Mandate::Clear, Target::District(d)) => {
                let (district, g, _, _) = &mut ds[usize::from(d)];
                let scale = 10_000.0 / district.prewar.max(1_000.0);
                g.contamination = (g.contamination - rate * scale).max(0.0);
                g.contamination <= 0.0
            }
            (Mandate::Secure, Target::District(d)) => {
                let g = &mut ds[usize::from(d)].1;
                g.security = (g.security + rate).min(1.0);
                let s = g.security;
                raise_sites(&mut xs, d, s);
                s >= 1.0
            }
            (Mandate::Rebuild, Target::District(d)) => {
                let (district, _, housing, _) = &mut ds[usize::from(d)];
                housing.damage = (housing.damage - rate / district.homes.max(1.0)).max(0.0);
                housing.damage <= 0.0
            }
            (Mandate::DistributeFood | Mandate::TruckWater | Mandate::Medical, Target::District(d)) => {
                let (service, stock) = match crew.kind {
                    Mandate::DistributeFood => (Service::Food, Some(Stock::Food)),
                    Mandate::TruckWater => (Service::Water, None),
                    _ => (Service::Health, Some(Stock::Medical)),
                };
                let amount = match stock {
                    Some(stock) => {
                        let held = &mut ag[a].1.held[stock.index()];
                        let amount = rate.min(*held);
                        *held -= amount;
                        amount
                    }
                    None => rate,
                };
                let d = usize::from(d);
                let left = &mut unmet[d][service.index()];
                if *left <= 0.0 {
                    ledger.duplicated[a] += 1.0;
                }
                *left -= amount;
                levels.deliveries[d][service.index()] += amount;
                false
            }
            (Mandate::DeliverFuel, Target::Agency(to)) => {
                let held = &mut ag[a].1.held[Stock::Fuel.index()];
                let amount = rate.min(*held);
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
            if done && !t.closed {
                t.closed = true;
                ledger.completed[a] += 1;
            }
        }
    }
}
