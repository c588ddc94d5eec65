//! Rule: plan. Every agency decides where its crews go.
//!
//! All agency decisions go through [`plan`], which dispatches on the agency's
//! [`StrategyName`]: a new strategy is a new arm here, not a change to the
//! rules that execute plans. The planner sees only the agency's own
//! [`Picture`] and public facts (the map, the census, what the agency owns).

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Census, Rules};
use crate::scenario::{Mandate, StrategyName};

/// Security the securing agencies aim for before they move on.
const SECURE_TARGET: f64 = 0.95;

/// Public facts about an asset.
#[derive(Debug, Clone)]
pub struct AssetFacts {
    pub agency: AgencyIx,
    pub site: DistrictIx,
    pub slots: u32,
    pub weight: f64,
    pub effort: f64,
    /// The site has hazards of its own, to be cleared separately.
    pub own_site: bool,
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
}

/// A crew as the planner sees it.
#[derive(Debug, Clone, Copy)]
pub struct CrewSlot {
    pub kind: Mandate,
    pub rate: f64,
    pub current: Option<Target>,
}

/// Decides a target for each of the agency's crews (in the order given).
pub fn plan(
    strategy: StrategyName,
    agency: &Agency,
    picture: &Picture,
    ctx: &PlanContext,
    crews: &[CrewSlot],
) -> Vec<Option<Target>> {
    match strategy {
        StrategyName::Silo => silo(agency, picture, ctx, crews),
    }
}

/// `silo`: a sensible planner with the agency's own information. It ranks
/// work by the people it helps per crew-day, keeps crews on work they have
/// started, avoids ground it believes unsafe until the belief is older than
/// `recheck_days`, and knows nothing of other agencies' plans.
fn silo(agency: &Agency, picture: &Picture, ctx: &PlanContext, crews: &[CrewSlot]) -> Vec<Option<Target>> {
    let t = &ctx.rules.thresholds;
    let usable = |v: &GroundView| {
        (v.contamination <= t.clearance && v.security >= t.security)
            || ctx.day.saturating_sub(v.observed) >= agency.recheck_days
    };
    let mut out = vec![None; crews.len()];
    let kinds: std::collections::BTreeSet<Mandate> = crews.iter().map(|c| c.kind).collect();
    for kind in kinds {
        let mine: Vec<usize> = (0..crews.len()).filter(|&i| crews[i].kind == kind).collect();
        match kind {
            Mandate::Repair | Mandate::Clear | Mandate::Secure | Mandate::Rebuild => {
                let mut cands: Vec<(Target, f64, u32)> = Vec::new();
                match kind {
                    Mandate::Repair => {
                        for (i, a) in ctx.assets.iter().enumerate() {
                            let cond = picture.conditions[i];
                            if a.agency == agency.ix && cond < 1.0 && usable(&picture.sites[i]) {
                                let score = a.weight.max(1.0) * (1.0 - cond) / a.effort;
                                cands.push((Target::Asset(i as AssetIx), score, a.slots));
                            }
                        }
                    }
                    Mandate::Clear => {
                        for (d, f) in ctx.districts.iter().enumerate() {
                            let c = picture.districts[d].contamination;
                            if c > 0.0 {
                                let slots = (f.prewar / 10_000.0).ceil().max(1.0) as u32;
                                cands.push((Target::District(d as DistrictIx), f.prewar.max(1.0) * c, slots));
                            }
                        }
                        // Sites come first: a plant serves more people per
                        // cleared square metre than a street.
                        for (i, a) in ctx.assets.iter().enumerate() {
                            let c = picture.sites[i].contamination;
                            if a.own_site && c > 0.0 {
                                cands.push((Target::Asset(i as AssetIx), 2.0 * a.weight.max(1.0) * c, a.slots));
                            }
                        }
                    }
                    Mandate::Secure => {
                        for (d, f) in ctx.districts.iter().enumerate() {
                            let s = picture.districts[d].security;
                            if s < SECURE_TARGET {
                                let slots = (f.prewar / 20_000.0).ceil().max(1.0) as u32;
                                let score = (f.prewar + f.present).max(1.0) * (SECURE_TARGET - s);
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
                // Unserved people per district, as the agency believes.
                let mut gap: Vec<f64> = ctx
                    .districts
                    .iter()
                    .enumerate()
                    .map(|(d, f)| {
                        if usable(&picture.districts[d]) {
                            f.present * (1.0 - picture.services[d][service.index()]).max(0.0)
                        } else {
                            0.0
                        }
                    })
                    .collect();
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
                for &i in &mine {
                    let best = (0..owed.len())
                        .filter(|&a| owed[a] > 0.0)
                        .max_by(|&a, &b| owed[a].total_cmp(&owed[b]).then(b.cmp(&a)));
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
    assets: Query<(&Asset, &Site)>,
    districts: Query<(&District, &Housing)>,
    mut crews: Query<(&Crew, &mut Assignment), Without<Lost>>,
    tasks: Query<&Task>,
) {
    let day = clock.day;
    let mut asset_facts: Vec<(AssetIx, AssetFacts)> = assets
        .iter()
        .map(|(a, s)| {
            let f = AssetFacts {
                agency: a.agency,
                site: a.site,
                slots: a.crew_slots,
                weight: a.weight,
                effort: a.repair_effort,
                own_site: s.contamination.is_some(),
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
    let ctx = PlanContext {
        day,
        rules: &rules,
        assets: &asset_facts,
        districts: &district_facts,
        fuel_consumers: &fuel_consumers,
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
    for (agency, picture, _) in &agency_list {
        let idx: Vec<usize> = (0..crew_list.len())
            .filter(|&i| crew_list[i].0.agency == agency.ix)
            .collect();
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
        let choice = plan(agency.strategy, agency, picture, &ctx, &slots);
        for (k, &i) in idx.iter().enumerate() {
            let (crew, assignment) = &mut crew_list[i];
            let target = choice[k];
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
                        opened: day,
                        crew_days: 0.0,
                        blocked_days: 0.0,
                        closed: false,
                        blocked_by: None,
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
