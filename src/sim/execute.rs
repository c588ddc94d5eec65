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
use super::ledger::{Finished, Ledger, Wait};
use super::state::{Levels, Rules};
use crate::hash::{DayKey, Purpose};
use crate::scenario::{Mandate, Service, Stock};

/// At most this share of an agency's crew work goes to liaison officers.
const MAX_OFFICER_SHARE: f64 = 0.25;

/// A district's clearance is scaled to its size (docs/model.md, section 7,
/// "Execute"): a crew's `rate` is the contamination it removes a day from
/// a district of this many pre-war residents, and proportionally less or
/// more from larger or smaller ones. The same size as one clearance slot
/// (`plan`): with every slot filled, a district of any size clears at
/// about `rate` a day.
const CLEARANCE_REFERENCE_PEOPLE: f64 = 10_000.0;
/// Districts smaller than this clear as if they had this many residents:
/// without a floor a crew would clear a near-empty district in an instant.
const CLEARANCE_MIN_PEOPLE: f64 = 1_000.0;

type AgencyRow<'w> = (&'w Agency, Mut<'w, Stores>, Mut<'w, Budget>, &'w Picture);
type DistrictRow<'w> = (&'w District, Mut<'w, Ground>, Mut<'w, Housing>, &'w Suspension);
type AssetRow<'w> = (&'w Asset, Mut<'w, Condition>, Mut<'w, Site>, &'w Operation);

/// Security a secured district's own sites are raised to at least.
fn raise_sites(sites: &mut [AssetRow], d: DistrictIx, security: f64) {
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
    let mut unmet = unmet_need(&levels, day);
    let mut rows = Rows::new(&mut agencies, &mut districts, &mut assets);
    // Where each asset stands and whether its site is cleared on its own:
    // what a request about it is for (`Ask::ground`). Work today cannot
    // change it (clearing keeps a site's own entry).
    let sites: Vec<(DistrictIx, bool)> = rows
        .xs
        .iter()
        .map(|(a, _, s, _)| (a.site, s.contamination.is_some()))
        .collect();
    let mut ts: BTreeMap<u64, Mut<Task>> = tasks.iter_mut().map(|t| (t.id, t)).collect();
    let officers: Vec<usize> = rows.ag.iter().map(|x| liaisons.officers(x.0.ix)).collect();
    let mut cs: Vec<_> = crews.iter_mut().collect();
    cs.sort_unstable_by_key(|x| x.0.ix);
    // Crews with no work today, and how many crews work (or are blocked)
    // at each target: what idle capacity is counted against.
    let mut idle: Vec<&Crew> = Vec::new();
    let mut occupied: BTreeMap<(AgencyIx, Mandate, Target), u32> = BTreeMap::new();

    for (crew, mut assignment) in cs {
        let a = crew.agency.idx();
        if assignment.out_until > day {
            ledger.injured_days[a] += 1.0;
            assignment.blocked = None;
            continue;
        }
        let Some(target) = assignment.target else {
            ledger.idle[a] += 1.0;
            assignment.blocked = None;
            idle.push(crew);
            continue;
        };
        *occupied.entry((crew.agency, crew.kind, target)).or_default() += 1;
        // Staff time in the cell and with posted liaison officers comes out
        // of every crew-day worked.
        let cell_share = if rows.ag[a].0.strategy.pays_staff_cost {
            coop.cell_staff_share
        } else {
            0.0
        };
        let officer_share = (coop.liaison_staff_share * officers[a] as f64).min(MAX_OFFICER_SHARE);
        let rate = crew.rate * (1.0 - cell_share - officer_share);
        let shift = rows.shift(crew, target, rate);
        let task = assignment.task.and_then(|id| ts.get_mut(&id));
        if let Some(why) = rows.blocker(&shift, th, day) {
            ledger.block(a, why);
            if let Some(t) = task {
                t.blocked_days += 1.0;
            }
            let dry = why == Blocker::Stock && rows.ag[a].1.held[Stock::Fuel.index()] < crew.fuel_per_day;
            charge_wait(&mut ledger, &requests, &shift, why, dry, |x| sites[x.idx()]);
            if why == Blocker::Hazard && hurt(&shift, rows.ag[a].3, &rules, injury_key) {
                // Out for `injury_days` full days after the day it was hurt.
                assignment.out_until = day.saturating_add(1).saturating_add(coop.injury_days);
                ledger.injuries[a] += 1;
            }
            assignment.blocked = Some((target, why));
            continue;
        }
        assignment.blocked = None;
        ledger.staff_days[a] += cell_share;
        ledger.officer_days[a] += officer_share;
        {
            let (_, stores, budget, _) = &mut rows.ag[a];
            budget.funds -= crew.daily_cost + shift.materials;
            stores.held[Stock::Fuel.index()] -= crew.fuel_per_day;
        }
        ledger.spent[a] += crew.daily_cost + shift.materials;
        ledger.worked[a] += 1.0;
        let done = rows.work(&shift, &mut unmet, &mut levels, &mut ledger, day);
        if let Some(t) = task {
            t.crew_days += 1.0;
            if done && !t.closed {
                t.closed = true;
                ledger.completed[a] += 1;
                ledger.finished.push(Finished {
                    day,
                    agency: crew.agency,
                    kind: t.kind,
                    target: t.target,
                });
            }
        }
    }
    charge_idle_capacity(&mut ledger, &rows, &idle, &occupied, &unmet, th, day);
}

/// Idle crews against the work that waited (docs/model.md, "Idle
/// capacity"). Work waits where the truth says there is some (an own asset
/// not fully repaired, hazards, insecurity below the securing target,
/// broken homes, need not yet met after today's deliveries, an agency with
/// less fuel than a day's burn) and fewer of the agency's crews work it
/// than may (the asset's `crew_slots`, the planner's `district_slots`, the
/// crews the unmet need would take, one fuel run). An idle crew with a free
/// place its `blocker` would not stop it at is idle capacity
/// (`Ledger::idle_with_work`); one whose free places were all stopped is
/// held back by the first reason in `Blocker::ALL` order that had places
/// left (`Ledger::idle_held`); the rest had nothing to do. An accounting
/// only: it changes nothing in the world.
fn charge_idle_capacity(
    ledger: &mut Ledger,
    rows: &Rows,
    idle: &[&Crew],
    occupied: &BTreeMap<(AgencyIx, Mandate, Target), u32>,
    unmet: &[[f64; SERVICES]],
    th: &crate::scenario::Thresholds,
    day: u32,
) {
    let mut by_kind: BTreeMap<(AgencyIx, Mandate), Vec<&Crew>> = BTreeMap::new();
    for &crew in idle {
        by_kind.entry((crew.agency, crew.kind)).or_default().push(crew);
    }
    for ((agency, kind), crews) in by_kind {
        let crew = crews[0];
        // Free places by what would stop the crew there: none, then each
        // blocker in `Blocker::ALL` order.
        let mut free = [0u64; 6];
        for (target, places) in rows.open_work(crew, unmet) {
            let left = places.saturating_sub(occupied.get(&(agency, kind, target)).copied().unwrap_or(0));
            let slot = match rows.blocker(&rows.shift(crew, target, crew.rate), th, day) {
                None => 0,
                Some(why) => 1 + Blocker::ALL.iter().position(|b| *b == why).unwrap_or(0),
            };
            free[slot] = free[slot].saturating_add(u64::from(left));
        }
        let mut left = crews.len() as u64;
        let a = agency.idx();
        for (slot, places) in free.into_iter().enumerate() {
            let n = places.min(left);
            left -= n;
            match slot {
                0 => ledger.idle_with_work[a] += n as f64,
                k => ledger.idle_held[a][k - 1] += n as f64,
            }
        }
    }
}

/// Need not yet met by assets yesterday, per district and service: a
/// delivery beyond it duplicates another's. Nothing is known before the
/// first day's levels: no duplicate then.
fn unmet_need(levels: &Levels, day: u32) -> Vec<[f64; SERVICES]> {
    (0..levels.need.len())
        .map(|d| {
            if day == 0 {
                return [f64::INFINITY; SERVICES];
            }
            std::array::from_fn(|s| {
                let from_assets = levels.supply[d][s] - levels.delivered[d][s];
                (levels.need[d][s] - from_assets).max(0.0)
            })
        })
        .collect()
}

/// A crew-day about to be worked: the crew, where, at what rate, on what
/// ground, and the materials it would use.
struct Shift<'c> {
    crew: &'c Crew,
    target: Target,
    rate: f64,
    district: Option<DistrictIx>,
    contamination: f64,
    security: f64,
    materials: f64,
}

/// Whether a crew that walked into hazards is hurt: only where its agency
/// did not know of them (`picture`), by a keyed draw against the hazard:
/// the price of a wrong picture.
fn hurt(shift: &Shift, picture: &Picture, rules: &Rules, injury_key: DayKey) -> bool {
    let believed = match shift.target {
        Target::Asset(x) => picture.sites[x.idx()].contamination,
        Target::District(d) => picture.districts[d.idx()].contamination,
        Target::Agency(_) => 0.0,
    };
    believed <= rules.thresholds.clearance
        && injury_key.unit(shift.crew.key) < rules.cooperation.hazard_injury_rate * shift.contamination
}

/// Waiting on another agency that was asked to clear or secure the ground
/// the crew was blocked on, or for fuel (`dry`): the crew-day is charged to
/// the agency asked.
fn charge_wait(
    ledger: &mut Ledger,
    requests: &Requests,
    shift: &Shift,
    why: Blocker,
    dry: bool,
    site_of: impl Fn(AssetIx) -> (DistrictIx, bool) + Copy,
) {
    let a = shift.crew.agency.idx();
    if let Some(r) = requests.open().find(|r| {
        r.from.idx() == a
            && match (r.ask, why) {
                (Ask::Clearance, Blocker::Hazard) | (Ask::Escort, Blocker::Security) => {
                    r.ask.ground(r.target, site_of) == r.ask.ground(shift.target, site_of)
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
}

/// The agencies, districts and assets crews work on, by dense index.
struct Rows<'w> {
    ag: Vec<AgencyRow<'w>>,
    ds: Vec<DistrictRow<'w>>,
    xs: Vec<AssetRow<'w>>,
}

impl<'w> Rows<'w> {
    fn new(
        agencies: &'w mut Query<(&Agency, &mut Stores, &mut Budget, &Picture)>,
        districts: &'w mut Query<(&District, &mut Ground, &mut Housing, &Suspension)>,
        assets: &'w mut Query<(&Asset, &mut Condition, &mut Site, &Operation)>,
    ) -> Self {
        let mut ag: Vec<_> = agencies.iter_mut().collect();
        ag.sort_unstable_by_key(|x| x.0.ix);
        let mut ds: Vec<_> = districts.iter_mut().collect();
        ds.sort_unstable_by_key(|x| x.0.ix);
        let mut xs: Vec<_> = assets.iter_mut().collect();
        xs.sort_unstable_by_key(|x| x.0.ix);
        Rows { ag, ds, xs }
    }

    /// The ground `crew` would work on at `target`, and what the work
    /// would cost in materials.
    fn shift<'c>(&self, crew: &'c Crew, target: Target, rate: f64) -> Shift<'c> {
        let (district, contamination, security) = match target {
            Target::Asset(x) => {
                let (asset, _, site, _) = &self.xs[x.idx()];
                let g = &self.ds[asset.site.idx()].1;
                let (c, s) = site.reading(g.contamination, g.security);
                (Some(asset.site), c, s)
            }
            Target::District(d) => {
                let (_, g, housing, _) = &self.ds[d.idx()];
                // Rubble work also meets what it has uncovered in the ruins.
                let c = if matches!(crew.kind, Mandate::RemoveDebris | Mandate::Rebuild) {
                    g.contamination.max(housing.uncovered)
                } else {
                    g.contamination
                };
                (Some(d), c, g.security)
            }
            Target::Agency(_) => (None, 0.0, 1.0),
        };
        let materials = match (crew.kind, target) {
            (Mandate::Repair, Target::Asset(x)) => {
                let asset = self.xs[x.idx()].0;
                asset.repair_cost * rate / asset.repair_effort
            }
            _ => 0.0,
        };
        Shift {
            crew,
            target,
            rate,
            district,
            contamination,
            security,
            materials,
        }
    }

    /// What stops the crew today, if anything: a suspension (except for
    /// security work), hazards or insecurity (for work on the ground), the
    /// budget, or the stocks the work uses.
    fn blocker(&self, shift: &Shift, th: &crate::scenario::Thresholds, day: u32) -> Option<Blocker> {
        let crew = shift.crew;
        let on_ground = !matches!(crew.kind, Mandate::Clear | Mandate::Secure | Mandate::DeliverFuel);
        let (_, stores, budget, _) = &self.ag[crew.agency.idx()];
        if shift.district.is_some_and(|d| self.ds[d.idx()].3.until > day) && crew.kind != Mandate::Secure {
            Some(Blocker::Suspended)
        } else if on_ground && shift.contamination > th.clearance {
            Some(Blocker::Hazard)
        } else if on_ground && shift.security < th.security {
            Some(Blocker::Security)
        } else if budget.frozen_until > day || budget.funds < crew.daily_cost + shift.materials {
            Some(Blocker::Budget)
        } else if stores.held[Stock::Fuel.index()] < crew.fuel_per_day
            || (crew.kind == Mandate::DistributeFood && stores.held[Stock::Food.index()] <= 0.0)
            || (crew.kind == Mandate::Medical && stores.held[Stock::Medical.index()] <= 0.0)
            || (crew.kind == Mandate::DeliverFuel && stores.held[Stock::Fuel.index()] <= crew.fuel_per_day)
        {
            Some(Blocker::Stock)
        } else {
            None
        }
    }

    /// The work of `crew`'s kind that waits today, whoever's crews could do
    /// it, with how many of the agency's crews may work each at once
    /// ([`charge_idle_capacity`]).
    fn open_work(&self, crew: &Crew, unmet: &[[f64; SERVICES]]) -> Vec<(Target, u32)> {
        let slots = |d: usize| {
            let (district, _, housing, _) = &self.ds[d];
            let facts = super::plan::DistrictFacts {
                prewar: district.prewar,
                homes: district.homes,
                present: 0.0,
                damage: housing.damage(),
                ready: housing.ready,
                debris: housing.debris,
            };
            super::plan::district_slots(crew.kind, &facts)
        };
        let districts = |waits: &dyn Fn(usize) -> bool| -> Vec<(Target, u32)> {
            (0..self.ds.len())
                .filter(|&d| waits(d))
                .map(|d| (Target::District(DistrictIx::new(d)), slots(d)))
                .collect()
        };
        match crew.kind {
            Mandate::Repair => self
                .xs
                .iter()
                .filter(|(a, c, _, _)| a.agency == crew.agency && c.0 < 1.0)
                .map(|(a, _, _, _)| (Target::Asset(a.ix), a.crew_slots))
                .collect(),
            Mandate::Clear => {
                let mut work = districts(&|d| self.ds[d].1.contamination > 0.0 || self.ds[d].2.uncovered > 0.0);
                work.extend(
                    self.xs
                        .iter()
                        .filter(|(_, _, s, _)| s.contamination.is_some_and(|c| c > 0.0))
                        .map(|(a, _, _, _)| (Target::Asset(a.ix), a.crew_slots)),
                );
                work
            }
            Mandate::Secure => districts(&|d| self.ds[d].1.security < super::plan::SECURE_TARGET),
            Mandate::Rebuild => districts(&|d| self.ds[d].2.ready > 0.0),
            Mandate::RemoveDebris => districts(&|d| self.ds[d].2.debris > 0.0),
            Mandate::DistributeFood | Mandate::TruckWater | Mandate::Medical => {
                let service = match crew.kind {
                    Mandate::DistributeFood => Service::Food,
                    Mandate::TruckWater => Service::Water,
                    _ => Service::Health,
                };
                unmet
                    .iter()
                    .enumerate()
                    .filter(|(_, left)| left[service.index()] > 0.0)
                    .map(|(d, left)| {
                        let crews = (left[service.index()] / crew.rate.max(f64::MIN_POSITIVE)).ceil();
                        (
                            Target::District(DistrictIx::new(d)),
                            crews.min(f64::from(u32::MAX)) as u32,
                        )
                    })
                    .collect()
            }
            Mandate::DeliverFuel => self
                .ag
                .iter()
                .filter(|(a, stores, _, _)| {
                    a.ix != crew.agency && a.nominal_fuel > 0.0 && stores.held[Stock::Fuel.index()] < a.nominal_fuel
                })
                .map(|(a, _, _, _)| (Target::Agency(a.ix), 1))
                .collect(),
        }
    }

    /// The crew-day's effect on its target; whether the task is done.
    fn work(
        &mut self,
        shift: &Shift,
        unmet: &mut [[f64; SERVICES]],
        levels: &mut Levels,
        ledger: &mut Ledger,
        day: u32,
    ) -> bool {
        let (crew, rate) = (shift.crew, shift.rate);
        let a = crew.agency.idx();
        match (crew.kind, shift.target) {
            (Mandate::Repair, Target::Asset(x)) => {
                let (asset, cond, _, op) = &mut self.xs[x.idx()];
                // Work on an asset that got none of its inputs yesterday
                // delivers nothing until another agency restores them.
                if op.level <= 0.0 && matches!(op.limit, Limit::NeedService(_) | Limit::NeedAsset(_)) {
                    ledger.wasted[a] += 1.0;
                }
                cond.0 = (cond.0 + rate / asset.repair_effort).min(1.0);
                cond.0 >= 1.0
            }
            (Mandate::Clear, Target::Asset(x)) => {
                let (_, _, site, _) = &mut self.xs[x.idx()];
                let c = (site.contamination.unwrap_or(shift.contamination) - rate).max(0.0);
                site.contamination = Some(c);
                c <= 0.0
            }
            (Mandate::Clear, Target::District(d)) => {
                let (district, g, housing, _) = &mut self.ds[d.idx()];
                let scale = CLEARANCE_REFERENCE_PEOPLE / district.prewar.max(CLEARANCE_MIN_PEOPLE);
                // The worse of the streets and the ruins' uncovered items first.
                if housing.uncovered > g.contamination {
                    housing.uncovered = (housing.uncovered - rate * scale).max(0.0);
                } else {
                    g.contamination = (g.contamination - rate * scale).max(0.0);
                }
                g.contamination <= 0.0 && housing.uncovered <= 0.0
            }
            (Mandate::Secure, Target::District(d)) => {
                let g = &mut self.ds[d.idx()].1;
                g.security = (g.security + rate).min(1.0);
                let s = g.security;
                raise_sites(&mut self.xs, d, s);
                s >= 1.0
            }
            (Mandate::Rebuild, Target::District(d)) => self.ds[d.idx()].2.rebuild(rate),
            (Mandate::RemoveDebris, Target::District(d)) => {
                let housing = &mut self.ds[d.idx()].2;
                // Explosives buried in the rubble come up as it goes, and
                // the rubble crews stop until they are cleared.
                housing.remove_debris(rate);
                housing.debris <= 0.0
            }
            (Mandate::DistributeFood | Mandate::TruckWater | Mandate::Medical, Target::District(d)) => {
                let (service, stock) = match crew.kind {
                    Mandate::DistributeFood => (Service::Food, Some(Stock::Food)),
                    Mandate::TruckWater => (Service::Water, None),
                    _ => (Service::Health, Some(Stock::Medical)),
                };
                let amount = match stock {
                    Some(stock) => {
                        let held = &mut self.ag[a].1.held[stock.index()];
                        let amount = rate.min(*held);
                        *held -= amount;
                        amount
                    }
                    None => rate,
                };
                let d = d.idx();
                let left = &mut unmet[d][service.index()];
                if *left <= 0.0 {
                    ledger.duplicated[a] += 1.0;
                }
                *left -= amount;
                levels.deliveries[d][service.index()] += amount;
                false
            }
            (Mandate::DeliverFuel, Target::Agency(to)) => {
                let held = &mut self.ag[a].1.held[Stock::Fuel.index()];
                let amount = rate.min(*held);
                *held -= amount;
                let receiver = &mut self.ag[to.idx()].1;
                receiver.held[Stock::Fuel.index()] += amount;
                receiver.last_fuel_delivery = day;
                ledger.fuel_delivered += amount;
                false
            }
            // The planner never pairs a kind with another kind of target.
            _ => false,
        }
    }
}
