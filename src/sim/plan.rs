//! Rule: plan. Every agency decides where its crews go.
//!
//! All agency decisions go through [`plan`], which reads the switches of the
//! agency's strategy ([`StrategyParams`]): a new strategy is a new set of
//! switches (or a new switch here), not a change to the rules that execute
//! plans. The planner sees only the agency's own
//! [`Picture`] and public facts (the map, the census, what the agency owns).

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Census, Rules};
use crate::scenario::{Mandate, StrategyParams};

/// Security the securing agencies aim for before they move on.
const SECURE_TARGET: f64 = 0.95;

/// Public facts about an asset.
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
    /// The site has hazards of its own, to be cleared separately.
    pub own_site: bool,
    /// Services it needs at its site.
    pub needs: Vec<crate::scenario::Service>,
    /// What it produces, and where.
    pub output: Option<crate::scenario::Service>,
    pub serves: Vec<DistrictIx>,
}

/// Public facts about a district and the people in it.
#[derive(Debug, Clone)]
pub struct DistrictFacts {
    pub prewar: f64,
    pub homes: f64,
    pub present: f64,
    pub damage: f64,
}

/// Everything a planner may look at besides the agency's picture.
pub struct PlanContext<'a> {
    pub day: u32,
    pub rules: &'a Rules,
    pub assets: &'a [AssetFacts],
    pub districts: &'a [DistrictFacts],
    /// For each agency: nominal fuel burn and last day it got fuel.
    pub fuel_consumers: &'a [(f64, u32)],
    /// Accepted requests not yet fulfilled: (agency asked, what, where).
    pub requests: &'a [(AgencyIx, Mandate, Target)],
    /// Assets whose owners asked an agency for a service they wait for:
    /// (agency asked, waiting asset). The agency then knows they are ready.
    pub waiting: &'a [(AgencyIx, AssetIx)],
}

/// What the members of the coordination cell plan together: one account of
/// unserved people per delivered service, so two members do not deliver to
/// the same district while another gets nothing.
#[derive(Debug, Clone, Default)]
pub struct Joint {
    /// Unserved people per district for food, water and health, once the
    /// first member has computed them.
    pub gaps: [Option<Vec<f64>>; 3],
}

/// A crew as the planner sees it.
#[derive(Debug, Clone, Copy)]
pub struct CrewSlot {
    pub kind: Mandate,
    pub rate: f64,
    pub current: Option<Target>,
}

/// Decides a target for each of the agency's crews (in the order given).
///
/// Every strategy plans with the same rules; what differs is what it knows
/// (its picture, filled by `Coordinate` according to the strategy), which
/// requests reach it, and whether it plans its deliveries jointly with the
/// cell. The strategy's parameters decide which of these apply.
pub fn plan(
    strategy: StrategyParams,
    agency: &Agency,
    picture: &Picture,
    ctx: &PlanContext,
    crews: &[CrewSlot],
    joint: &mut Joint,
) -> Vec<Option<Target>> {
    let joint = if strategy.joint_plan { Some(joint) } else { None };
    greedy(agency, picture, ctx, crews, joint, strategy.omniscient)
}

/// A sensible planner with the agency's information. It ranks work by the
/// people it helps per crew-day, serves accepted requests first, keeps crews
/// on work they have started, avoids ground it believes unsafe until the
/// belief is older than `recheck_days`, puts off repairs it knows will get no
/// inputs, and clears first where it knows others plan to work. Under `silo`
/// its picture holds only what the agency itself sees, so it knows no plans
/// and no other agency's services. In a joint plan the agency also secures
/// first the districts where the members' planned work waits, by what that
/// work is worth, and draws on one account of unserved people.
fn greedy(
    agency: &Agency,
    picture: &Picture,
    ctx: &PlanContext,
    crews: &[CrewSlot],
    mut joint: Option<&mut Joint>,
    knows_all: bool,
) -> Vec<Option<Target>> {
    let t = &ctx.rules.thresholds;
    let usable = |v: &GroundView| {
        (v.contamination <= t.clearance && v.security >= t.security)
            || (ctx.day + 1).saturating_sub(v.oldest()) >= agency.recheck_days
    };
    let jointly = joint.is_some();
    // What an asset's work is worth: the people it serves, directly and
    // through everything that depends on it (`setup`), less the share of
    // dependants the agency believes broken: feeding a wrecked plant helps
    // nobody yet. The better the picture, the better this ordering.
    let worth = |i: usize| {
        let a = &ctx.assets[i];
        let idle: f64 = a
            .dependants
            .iter()
            .map(|&(j, share)| {
                let ready = if ctx.waiting.binary_search(&(agency.ix, j)).is_ok() || picture.planned[usize::from(j)] {
                    1.0
                } else {
                    picture.conditions[usize::from(j)].clamp(0.0, 1.0)
                };
                share * ctx.assets[usize::from(j)].weight * (1.0 - ready)
            })
            .sum();
        (a.weight - idle).max(1.0)
    };
    let mut out = vec![None; crews.len()];
    let kinds: std::collections::BTreeSet<Mandate> = crews.iter().map(|c| c.kind).collect();
    for kind in kinds {
        let mine: Vec<usize> = (0..crews.len()).filter(|&i| crews[i].kind == kind).collect();
        match kind {
            Mandate::Repair | Mandate::Clear | Mandate::Secure | Mandate::Rebuild => {
                let mut cands: Vec<(Target, f64, u32)> = Vec::new();
                // Work other agencies asked this one for and it accepted.
                let asked: std::collections::BTreeSet<Target> = ctx
                    .requests
                    .iter()
                    .filter(|r| r.0 == agency.ix && r.1 == kind)
                    .map(|r| r.2)
                    .collect();
                match kind {
                    Mandate::Repair => {
                        for (i, a) in ctx.assets.iter().enumerate() {
                            let cond = picture.conditions[i];
                            if a.agency == agency.ix && cond < 1.0 && usable(&picture.sites[i]) {
                                let mut score = worth(i) * (1.0 - cond) / a.effort;
                                if inputs_never_coming(i, picture, ctx) {
                                    score *= 0.2;
                                }
                                cands.push((Target::Asset(i as AssetIx), score, a.slots));
                            }
                        }
                    }
                    Mandate::Clear => {
                        for (d, f) in ctx.districts.iter().enumerate() {
                            let c = picture.districts[d].contamination;
                            if c > 0.0 {
                                let slots = (f.prewar / 10_000.0).ceil().max(1.0) as u32;
                                // Ground where another agency plans to work comes first.
                                let planned = ctx
                                    .assets
                                    .iter()
                                    .enumerate()
                                    .any(|(i, a)| picture.planned[i] && a.site as usize == d && !a.own_site);
                                let planned = planned || asked.contains(&Target::District(d as DistrictIx));
                                let boost = if planned { 3.0 } else { 1.0 };
                                cands.push((Target::District(d as DistrictIx), boost * f.prewar.max(1.0) * c, slots));
                            }
                        }
                        // A site matters as much as the people its asset
                        // serves, but only an agency that knows the owner's
                        // plans (or owns it) knows that: alone, a clearing
                        // agency weighs another ministry's site like a few
                        // streets of its district.
                        for (i, a) in ctx.assets.iter().enumerate() {
                            let c = picture.sites[i].contamination;
                            if a.own_site && c > 0.0 {
                                // A request says what the site is for.
                                let known = knows_all
                                    || a.agency == agency.ix
                                    || picture.planned[i]
                                    || asked.contains(&Target::Asset(i as AssetIx));
                                let importance = if known {
                                    2.0 * worth(i)
                                } else {
                                    ctx.districts[usize::from(a.site)].prewar.max(1.0) / 10.0
                                };
                                cands.push((Target::Asset(i as AssetIx), importance * c, a.slots));
                            }
                        }
                    }
                    Mandate::Secure => {
                        for (d, f) in ctx.districts.iter().enumerate() {
                            let s = picture.districts[d].security;
                            if s < SECURE_TARGET {
                                let slots = (f.prewar / 20_000.0).ceil().max(1.0) as u32;
                                // A joint plan secures first where planned
                                // work waits, by what that work is worth.
                                let waiting: f64 = if jointly {
                                    (0..ctx.assets.len())
                                        .filter(|&i| picture.planned[i] && usize::from(ctx.assets[i].site) == d)
                                        .map(worth)
                                        .sum()
                                } else {
                                    0.0
                                };
                                let score = ((f.prewar + f.present).max(1.0) + 2.0 * waiting) * (SECURE_TARGET - s);
                                cands.push((Target::District(d as DistrictIx), score, slots));
                            }
                        }
                    }
                    _ => {
                        for (d, f) in ctx.districts.iter().enumerate() {
                            if f.damage > 0.0 && usable(&picture.districts[d]) {
                                let broken = f.homes * f.damage;
                                let slots = (broken / 200.0).ceil().max(1.0) as u32;
                                cands.push((Target::District(d as DistrictIx), broken, slots));
                            }
                        }
                    }
                }
                // An accepted request tells the agency what the work is
                // worth (above: a site's purpose, a waiting plant), and the
                // agency weighs it with its own work; work it saw no reason
                // for at all comes level with its first choice.
                let top = cands.iter().map(|c| c.1).fold(1.0, f64::max);
                for &target in &asked {
                    if !cands.iter().any(|c| c.0 == target) {
                        cands.push((target, top, 2));
                    }
                }
                cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let slots: BTreeMap<Target, u32> = cands.iter().map(|c| (c.0, c.2)).collect();
                let mut used: BTreeMap<Target, u32> = BTreeMap::new();
                // Crews keep work they have started while it is still worth doing.
                for &i in &mine {
                    if let Some(cur) = crews[i].current
                        && let Some(&cap) = slots.get(&cur)
                    {
                        let n = used.entry(cur).or_default();
                        if *n < cap {
                            *n += 1;
                            out[i] = Some(cur);
                        }
                    }
                }
                for &i in &mine {
                    if out[i].is_some() {
                        continue;
                    }
                    if let Some(c) = cands.iter().find(|c| used.get(&c.0).copied().unwrap_or(0) < c.2) {
                        *used.entry(c.0).or_default() += 1;
                        out[i] = Some(c.0);
                    }
                }
            }
            Mandate::DistributeFood | Mandate::TruckWater | Mandate::Medical => {
                let service = match kind {
                    Mandate::DistributeFood => crate::scenario::Service::Food,
                    Mandate::TruckWater => crate::scenario::Service::Water,
                    _ => crate::scenario::Service::Health,
                };
                let per_person = ctx.rules.per_person(service);
                // Unserved people per district, as the agency believes (all
                // of them where it does not know yet). In the cell, members
                // draw on one shared account.
                let slot = match kind {
                    Mandate::DistributeFood => 0,
                    Mandate::TruckWater => 1,
                    _ => 2,
                };
                let fresh = || -> Vec<f64> {
                    ctx.districts
                        .iter()
                        .enumerate()
                        .map(|(d, f)| {
                            let q = picture.services[d][service.index()];
                            let q = if q.is_nan() { 0.0 } else { q };
                            if usable(&picture.districts[d]) {
                                f.present * (1.0 - q).max(0.0)
                            } else {
                                0.0
                            }
                        })
                        .collect()
                };
                let mut own = None;
                let gap: &mut Vec<f64> = match joint.as_deref_mut() {
                    Some(j) => j.gaps[slot].get_or_insert_with(fresh),
                    None => own.insert(fresh()),
                };
                // Crews already delivering somewhere keep going if need remains.
                for &i in &mine {
                    if let Some(Target::District(d)) = crews[i].current {
                        let d = usize::from(d);
                        if gap[d] > 0.0 {
                            gap[d] -= crews[i].rate / per_person;
                            out[i] = Some(Target::District(d as DistrictIx));
                        }
                    }
                }
                for &i in &mine {
                    if out[i].is_some() {
                        continue;
                    }
                    let best = (0..gap.len())
                        .filter(|&d| gap[d] > 0.0)
                        .max_by(|&a, &b| gap[a].total_cmp(&gap[b]).then(b.cmp(&a)));
                    if let Some(d) = best {
                        gap[d] -= crews[i].rate / per_person;
                        out[i] = Some(Target::District(d as DistrictIx));
                    }
                }
            }
            Mandate::DeliverFuel => {
                // A silo supplier does not know who is short: it rotates
                // deliveries by each consumer's nominal burn and the time
                // since its last delivery.
                let mut owed: Vec<f64> = ctx
                    .fuel_consumers
                    .iter()
                    .enumerate()
                    .map(|(a, &(nominal, last))| {
                        if a == usize::from(agency.ix) || nominal <= 0.0 {
                            0.0
                        } else {
                            nominal * f64::from(ctx.day.saturating_sub(last) + 1)
                        }
                    })
                    .collect();
                // Agencies that asked, and were promised, come first, for at
                // least a day's burn.
                let mut asked = vec![false; owed.len()];
                for &(to, what, target) in ctx.requests {
                    if to == agency.ix
                        && what == Mandate::DeliverFuel
                        && let Target::Agency(x) = target
                    {
                        let x = usize::from(x);
                        asked[x] = true;
                        owed[x] = owed[x].max(ctx.fuel_consumers[x].0);
                    }
                }
                for &i in &mine {
                    let best = (0..owed.len()).filter(|&a| owed[a] > 0.0).max_by(|&a, &b| {
                        asked[a]
                            .cmp(&asked[b])
                            .then(owed[a].total_cmp(&owed[b]))
                            .then(b.cmp(&a))
                    });
                    if let Some(a) = best {
                        owed[a] -= crews[i].rate;
                        out[i] = Some(Target::Agency(a as AgencyIx));
                    }
                }
            }
        }
    }
    out
}

/// Whether the agency knows that asset `i` will get none of a service it
/// needs at its site, and that nothing that could produce it there is
/// working, being repaired, or even standing: repairing it now would waste
/// crew-days. An agency that knows nothing of the service assumes it comes.
fn inputs_never_coming(i: usize, picture: &Picture, ctx: &PlanContext) -> bool {
    let a = &ctx.assets[i];
    a.needs.iter().any(|&s| {
        let q = picture.services[usize::from(a.site)][s.index()];
        let absent = !q.is_nan() && q < 0.05;
        let hope = ctx.assets.iter().enumerate().any(|(j, b)| {
            b.output == Some(s) && b.serves.contains(&a.site) && (picture.planned[j] || picture.conditions[j] > 0.0)
        });
        absent && !hope
    })
}

/// Runs every agency's planner and turns its choices into assignments and
/// tasks. Agencies plan in index order and crews are handled in index order,
/// so task ids are allocated deterministically.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn plan_work(
    mut commands: Commands,
    clock: Res<Clock>,
    rules: Res<Rules>,
    census: Res<Census>,
    mut ids: ResMut<TaskIds>,
    agencies: Query<(&Agency, &Picture, &Stores)>,
    assets: Query<(&Asset, &Site, &Condition)>,
    districts: Query<(&District, &Housing)>,
    mut crews: Query<(&Crew, &mut Assignment), Without<Lost>>,
    tasks: Query<&Task>,
    requests: Res<Requests>,
) {
    let day = clock.day;
    let mut conditions = vec![0.0; assets.iter().len()];
    for (a, _, c) in &assets {
        conditions[usize::from(a.ix)] = c.0;
    }
    let mut asset_facts: Vec<(AssetIx, AssetFacts)> = assets
        .iter()
        .map(|(a, s, _)| {
            let f = AssetFacts {
                agency: a.agency,
                site: a.site,
                slots: a.crew_slots,
                weight: a.weight,
                dependants: a.dependants.clone(),
                effort: a.repair_effort,
                own_site: s.contamination.is_some(),
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
            };
            (a.ix, f)
        })
        .collect();
    asset_facts.sort_unstable_by_key(|x| x.0);
    let asset_facts: Vec<AssetFacts> = asset_facts.into_iter().map(|x| x.1).collect();
    let mut district_facts: Vec<(DistrictIx, DistrictFacts)> = districts
        .iter()
        .map(|(d, h)| {
            let i = usize::from(d.ix);
            let f = DistrictFacts {
                prewar: d.prewar,
                homes: d.homes,
                present: census.present(i),
                damage: h.damage,
            };
            (d.ix, f)
        })
        .collect();
    district_facts.sort_unstable_by_key(|x| x.0);
    let district_facts: Vec<DistrictFacts> = district_facts.into_iter().map(|x| x.1).collect();
    let mut agency_list: Vec<(&Agency, &Picture, &Stores)> = agencies.iter().collect();
    agency_list.sort_unstable_by_key(|a| a.0.ix);
    let fuel_consumers: Vec<(f64, u32)> = agency_list
        .iter()
        .map(|(a, _, s)| (a.nominal_fuel, s.last_fuel_delivery))
        .collect();
    // Accepted requests as work: a request for a service is work on the
    // provider's damaged assets that give it at the waiting asset's site.
    let mut accepted: Vec<(AgencyIx, Mandate, Target)> = Vec::new();
    let mut waiting: Vec<(AgencyIx, AssetIx)> = Vec::new();
    for r in requests.open().filter(|r| r.accepted == Some(true)) {
        match (r.ask, r.target) {
            (Ask::Service(s), Target::Asset(x)) => {
                waiting.push((r.to, x));
                let site = asset_facts[usize::from(x)].site;
                for (y, b) in asset_facts.iter().enumerate() {
                    if b.agency == r.to && b.output == Some(s) && b.serves.contains(&site) && conditions[y] < 1.0 {
                        accepted.push((r.to, Mandate::Repair, Target::Asset(y as AssetIx)));
                    }
                }
            }
            _ => accepted.push((r.to, r.ask.mandate(), r.target)),
        }
    }

    waiting.sort_unstable();
    waiting.dedup();
    let ctx = PlanContext {
        day,
        rules: &rules,
        assets: &asset_facts,
        districts: &district_facts,
        fuel_consumers: &fuel_consumers,
        requests: &accepted,
        waiting: &waiting,
    };

    // Open tasks by (agency, kind, target).
    let mut open: BTreeMap<(AgencyIx, Mandate, Target), u64> = BTreeMap::new();
    for t in tasks.iter() {
        if !t.closed {
            open.insert((t.agency, t.kind, t.target), t.id);
        }
    }
    let mut crew_list: Vec<_> = crews.iter_mut().collect();
    crew_list.sort_unstable_by_key(|(c, _)| c.ix);
    let mut joint = Joint::default();
    for (agency, picture, _) in &agency_list {
        let idx: Vec<usize> = (0..crew_list.len())
            .filter(|&i| crew_list[i].0.agency == agency.ix)
            .collect();
        if agency.human {
            // A player's crews keep their orders until the work is done
            // (then they stand idle) or the player gives new ones.
            for &i in &idx {
                let assignment = &mut crew_list[i].1;
                if assignment.task.is_some_and(|id| !open.values().any(|&t| t == id)) {
                    assignment.target = None;
                    assignment.task = None;
                }
            }
            continue;
        }
        let slots: Vec<CrewSlot> = idx
            .iter()
            .map(|&i| {
                let (c, a) = &crew_list[i];
                CrewSlot {
                    kind: c.kind,
                    rate: c.rate,
                    current: a.target,
                }
            })
            .collect();
        let choice = plan(agency.strategy, agency, picture, &ctx, &slots, &mut joint);
        for (k, &i) in idx.iter().enumerate() {
            let (crew, assignment) = &mut crew_list[i];
            // A hurt crew works on nothing until it is back.
            let target = if assignment.out_until > day { None } else { choice[k] };
            let still_open = match (target, assignment.task) {
                (None, _) => true,
                (Some(t), Some(id)) => open.get(&(agency.ix, crew.kind, t)) == Some(&id),
                (Some(_), None) => false,
            };
            if target == assignment.target && still_open {
                continue;
            }
            assignment.target = target;
            assignment.task = target.map(|t| {
                *open.entry((agency.ix, crew.kind, t)).or_insert_with(|| {
                    let id = ids.next;
                    ids.next += 1;
                    commands.spawn(Task {
                        id,
                        kind: crew.kind,
                        target: t,
                        agency: agency.ix,
                        crew_days: 0.0,
                        blocked_days: 0.0,
                        closed: false,
                    });
                    id
                })
            });
        }
    }
}

/// Removes tasks that are finished or that no crew works on any more.
pub fn close_tasks(mut commands: Commands, crews: Query<&Assignment, Without<Lost>>, tasks: Query<(Entity, &Task)>) {
    let busy: std::collections::BTreeSet<u64> = crews.iter().filter_map(|a| a.task).collect();
    for (e, t) in &tasks {
        if t.closed || !busy.contains(&t.id) {
            commands.entity(e).despawn();
        }
    }
}
