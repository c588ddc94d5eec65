//! Rule: plan. Every agency decides where its crews go.
//!
//! All agency decisions go through [`plan`], which reads the switches of the
//! agency's strategy ([`StrategyParams`]): a new strategy is a new set of
//! switches (or a new switch here), not a change to the rules that execute
//! plans. The planner sees only the agency's own
//! [`Picture`] and public facts (the map, the census, what the agency owns).

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Census, Network, Rules};
use crate::scenario::{Mandate, Service, StrategyParams};

pub use super::state::AssetFacts;

/// Security the securing agencies aim for before they move on.
pub(super) const SECURE_TARGET: f64 = 0.95;

// The planner's tuning. docs/model.md (section 7, "Plan") states each of
// these; they are design values, with no calibration source given, and
// the reference digests pin them: changing one is a change of behaviour.
// Each comment says what the value does.

/// A repair the agency knows will get no inputs is put off, not dropped:
/// a five-fold cut puts it behind nearly every repair that can deliver,
/// while it still beats leaving a crew idle.
const INPUTS_NEVER_COMING_FACTOR: f64 = 0.2;
/// A needed service believed below 5 % at a site counts as absent there:
/// an asset fed that little would run at almost nothing
/// (`inputs_never_coming`).
const SERVICE_ABSENT: f64 = 0.05;
/// Pre-war residents per clearance crew that may work one district at
/// once (slots: this share of its pre-war people, rounded up, at least 1):
/// a district of a few thousand takes one crew, a city quarter several.
const PEOPLE_PER_CLEARANCE_SLOT: f64 = 10_000.0;
/// Clearance where another agency plans to work, or where this one was
/// asked to clear, scores three times as high: it comes before larger
/// districts nobody is about to use.
const PLANNED_GROUND_BOOST: f64 = 3.0;
/// A site whose purpose the clearing agency knows weighs twice its
/// asset's worth, so it outranks a district of as many people.
const KNOWN_SITE_FACTOR: f64 = 2.0;
/// A site whose purpose the clearing agency does not know weighs a tenth
/// of its district's pre-war people: "a few streets" of the district.
const UNKNOWN_SITE_DIVISOR: f64 = 10.0;
/// Pre-war residents per security crew that may work one district at
/// once: half as many crews per district as for clearance.
const PEOPLE_PER_SECURITY_SLOT: f64 = 20_000.0;
/// In a joint plan, planned work waiting in a district counts twice its
/// worth when securing agencies rank districts, so the members' work is
/// unblocked before districts of as many people with nothing planned.
const WAITING_WORK_FACTOR: f64 = 2.0;
/// Broken homes per rebuilding crew that may work one district at once.
const HOMES_PER_REBUILD_SLOT: f64 = 200.0;
/// Tonnes of rubble per debris crew that may work a district at once (a
/// design value: a loader and its trucks on a few streets' worth).
const TONNES_PER_DEBRIS_SLOT: f64 = 20_000.0;
/// Crews that may take requested work the agency saw no reason for: two
/// give it a start without pulling all of the kind's crews off the
/// agency's own plan.
const REQUESTED_SLOTS: u32 = 2;

/// Public facts about a district and the people in it.
#[derive(Debug, Clone)]
pub struct DistrictFacts {
    pub prewar: f64,
    pub homes: f64,
    pub present: f64,
    pub damage: f64,
    /// Uninhabitable dwellings whose rubble is gone.
    pub ready: f64,
    /// Tonnes of rubble left.
    pub debris: f64,
}

/// Accepted work: (agency asked, kind of work, target).
pub type Work = (AgencyIx, Mandate, Target);

/// Everything a planner may look at besides the agency's picture.
pub struct PlanContext<'a> {
    pub day: u32,
    pub rules: &'a Rules,
    /// The assets' static facts (`setup`).
    pub network: &'a Network,
    /// Whether each asset's site has hazards of its own today, to be
    /// cleared separately (a minefield can give a site its own).
    pub own_site: &'a [bool],
    pub districts: &'a [DistrictFacts],
    /// For each agency: nominal fuel burn and last day it got fuel.
    pub fuel_consumers: &'a [(f64, u32)],
    /// Accepted requests not yet fulfilled: (agency asked, what, where).
    pub requests: &'a [Work],
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
/// people it helps per crew-day, keeps its promises first (an accepted
/// request for clearance or an escort takes crews off other work), keeps
/// crews on work they have started, avoids ground it believes unsafe until the
/// belief is older than `recheck_days`, puts off repairs it knows will get no
/// inputs, and clears first where it knows others plan to work. Under `silo`
/// its picture holds only what the agency itself sees, so it knows no plans
/// and no other agency's services. In a joint plan the agency also secures
/// first the districts where the members' planned work waits, by what that
/// work is worth, and draws on one account of unserved people.
///
/// Each family of mandates has its own rule: work ranked by score
/// ([`Planner::repairs`], [`Planner::clearances`], [`Planner::securing`],
/// [`Planner::rebuilding`], then [`assign_ranked`]), deliveries by the gap
/// of unserved people ([`Planner::deliver`]), and fuel runs
/// ([`Planner::deliver_fuel`]).
fn greedy(
    agency: &Agency,
    picture: &Picture,
    ctx: &PlanContext,
    crews: &[CrewSlot],
    mut joint: Option<&mut Joint>,
    knows_all: bool,
) -> Vec<Option<Target>> {
    let planner = Planner {
        agency,
        picture,
        ctx,
        knows_all,
        jointly: joint.is_some(),
    };
    let mut out = vec![None; crews.len()];
    let kinds: BTreeSet<Mandate> = crews.iter().map(|c| c.kind).collect();
    for kind in kinds {
        let mine: Vec<usize> = (0..crews.len()).filter(|&i| crews[i].kind == kind).collect();
        match kind {
            Mandate::Repair | Mandate::Clear | Mandate::Secure | Mandate::Rebuild | Mandate::RemoveDebris => {
                let asked = planner.asked(kind);
                let cands = match kind {
                    Mandate::Repair => planner.repairs(),
                    Mandate::Clear => planner.clearances(&asked),
                    Mandate::Secure => planner.securing(),
                    Mandate::RemoveDebris => planner.clearing_rubble(),
                    _ => planner.rebuilding(),
                };
                // Ground asked for is a promise; a service asked for only
                // tells the provider what its repairs are worth.
                let promised = match kind {
                    Mandate::Clear | Mandate::Secure => asked.clone(),
                    _ => BTreeSet::new(),
                };
                assign_ranked(cands, &asked, &promised, &mine, crews, &mut out);
            }
            Mandate::DistributeFood | Mandate::TruckWater | Mandate::Medical => {
                planner.deliver(kind, &mine, crews, joint.as_deref_mut(), &mut out);
            }
            Mandate::DeliverFuel => planner.deliver_fuel(&mine, crews, &mut out),
        }
    }
    out
}

/// How many crews of a kind may work one district at once: by its pre-war
/// people for clearance and security, by its broken homes for rebuilding
/// (at least 1); 0 for kinds that do not work a district as a whole. The
/// planner's slots, and what `execute` counts idle crews against.
pub(super) fn district_slots(kind: Mandate, f: &DistrictFacts) -> u32 {
    let per = match kind {
        Mandate::Clear => f.prewar / PEOPLE_PER_CLEARANCE_SLOT,
        Mandate::Secure => f.prewar / PEOPLE_PER_SECURITY_SLOT,
        Mandate::Rebuild => f.ready / HOMES_PER_REBUILD_SLOT,
        Mandate::RemoveDebris => f.debris / TONNES_PER_DEBRIS_SLOT,
        _ => return 0,
    };
    per.ceil().max(1.0) as u32
}

/// A piece of work the planner may send crews to: where, its score, and
/// how many crews may work on it at once.
type Candidate = (Target, f64, u32);

/// One agency's planner for one day: what it knows and what it may look at.
struct Planner<'a> {
    agency: &'a Agency,
    picture: &'a Picture,
    ctx: &'a PlanContext<'a>,
    /// The agency sees everything as it is (`StrategyParams::omniscient`).
    knows_all: bool,
    /// The agency plans jointly with the cell (`StrategyParams::joint_plan`).
    jointly: bool,
}

impl Planner<'_> {
    /// Whether the agency works on ground it has this view of: believed
    /// safe, or believed unsafe for longer than `recheck_days`.
    fn usable(&self, v: &GroundView) -> bool {
        let t = &self.ctx.rules.thresholds;
        (v.contamination <= t.clearance && v.security >= t.security)
            || (self.ctx.day + 1).saturating_sub(v.oldest()) >= self.agency.recheck_days
    }

    /// What an asset's work is worth: the people it serves, directly and
    /// through everything that depends on it (`setup`), less the share of
    /// dependants the agency believes broken: feeding a wrecked plant helps
    /// nobody yet. The better the picture, the better this ordering.
    fn worth(&self, i: usize) -> f64 {
        let (ctx, picture) = (self.ctx, self.picture);
        let a = &ctx.network.assets[i];
        let idle: f64 = a
            .dependants
            .iter()
            .map(|&(j, share)| {
                let ready = if ctx.waiting.binary_search(&(self.agency.ix, j)).is_ok() || picture.planned[j.idx()] {
                    1.0
                } else {
                    picture.conditions[j.idx()].clamp(0.0, 1.0)
                };
                share * ctx.network.assets[j.idx()].weight * (1.0 - ready)
            })
            .sum();
        (a.weight - idle).max(1.0)
    }

    /// Work of this kind other agencies asked this one for and it accepted.
    fn asked(&self, kind: Mandate) -> BTreeSet<Target> {
        self.ctx
            .requests
            .iter()
            .filter(|r| r.0 == self.agency.ix && r.1 == kind)
            .map(|r| r.2)
            .collect()
    }

    /// Repairs: the agency's own damaged assets on usable ground, by worth
    /// per crew-day.
    fn repairs(&self) -> Vec<Candidate> {
        let (ctx, picture) = (self.ctx, self.picture);
        let mut cands = Vec::new();
        for (i, a) in ctx.network.assets.iter().enumerate() {
            let cond = picture.conditions[i];
            if a.agency == self.agency.ix && cond < 1.0 && self.usable(&picture.sites[i]) {
                let mut score = self.worth(i) * (1.0 - cond) / a.effort;
                if inputs_never_coming(i, picture, ctx) {
                    score *= INPUTS_NEVER_COMING_FACTOR;
                }
                cands.push((Target::Asset(AssetIx::new(i)), score, a.slots));
            }
        }
        cands
    }

    /// Clearance: contaminated districts by their people (first where work
    /// is planned or was asked for), then sites with hazards of their own.
    fn clearances(&self, asked: &BTreeSet<Target>) -> Vec<Candidate> {
        let (ctx, picture) = (self.ctx, self.picture);
        let mut cands = Vec::new();
        for (d, f) in ctx.districts.iter().enumerate() {
            let c = picture.districts[d].contamination;
            if c > 0.0 {
                let slots = district_slots(Mandate::Clear, f);
                // Ground where another agency plans to work comes first.
                let planned = ctx
                    .network
                    .assets
                    .iter()
                    .enumerate()
                    .any(|(i, a)| picture.planned[i] && a.site.idx() == d && !ctx.own_site[i]);
                let planned = planned || asked.contains(&Target::District(DistrictIx::new(d)));
                let boost = if planned { PLANNED_GROUND_BOOST } else { 1.0 };
                cands.push((
                    Target::District(DistrictIx::new(d)),
                    boost * f.prewar.max(1.0) * c,
                    slots,
                ));
            }
        }
        // A site matters as much as the people its asset serves, but only
        // an agency that knows the owner's plans (or owns it) knows that:
        // alone, a clearing agency weighs another ministry's site like a
        // few streets of its district.
        for (i, a) in ctx.network.assets.iter().enumerate() {
            let c = picture.sites[i].contamination;
            if ctx.own_site[i] && c > 0.0 {
                // A request says what the site is for.
                let known = self.knows_all
                    || a.agency == self.agency.ix
                    || picture.planned[i]
                    || asked.contains(&Target::Asset(AssetIx::new(i)));
                let importance = if known {
                    KNOWN_SITE_FACTOR * self.worth(i)
                } else {
                    ctx.districts[a.site.idx()].prewar.max(1.0) / UNKNOWN_SITE_DIVISOR
                };
                cands.push((Target::Asset(AssetIx::new(i)), importance * c, a.slots));
            }
        }
        cands
    }

    /// Security: districts below [`SECURE_TARGET`], by the people there
    /// (and, in a joint plan, the planned work waiting there) times what
    /// is missing.
    fn securing(&self) -> Vec<Candidate> {
        let (ctx, picture) = (self.ctx, self.picture);
        let mut cands = Vec::new();
        for (d, f) in ctx.districts.iter().enumerate() {
            let s = picture.districts[d].security;
            if s < SECURE_TARGET {
                let slots = district_slots(Mandate::Secure, f);
                // A joint plan secures first where planned work waits, by
                // what that work is worth.
                let waiting: f64 = if self.jointly {
                    (0..ctx.network.assets.len())
                        .filter(|&i| picture.planned[i] && ctx.network.assets[i].site.idx() == d)
                        .map(|i| self.worth(i))
                        .sum()
                } else {
                    0.0
                };
                let score = ((f.prewar + f.present).max(1.0) + WAITING_WORK_FACTOR * waiting) * (SECURE_TARGET - s);
                cands.push((Target::District(DistrictIx::new(d)), score, slots));
            }
        }
        cands
    }

    /// Rebuilding: districts on usable ground with uninhabitable homes
    /// whose rubble is gone, by those homes.
    fn rebuilding(&self) -> Vec<Candidate> {
        let mut cands = Vec::new();
        for (d, f) in self.ctx.districts.iter().enumerate() {
            if f.ready > 0.0 && self.usable(&self.picture.districts[d]) {
                let slots = district_slots(Mandate::Rebuild, f);
                cands.push((Target::District(DistrictIx::new(d)), f.ready, slots));
            }
        }
        cands
    }

    /// Rubble removal: districts on usable ground with rubble, by the
    /// uninhabitable homes still under it.
    fn clearing_rubble(&self) -> Vec<Candidate> {
        let mut cands = Vec::new();
        for (d, f) in self.ctx.districts.iter().enumerate() {
            if f.debris > 0.0 && self.usable(&self.picture.districts[d]) {
                let buried = (f.homes * f.damage - f.ready).max(1.0);
                let slots = district_slots(Mandate::RemoveDebris, f);
                cands.push((Target::District(DistrictIx::new(d)), buried, slots));
            }
        }
        cands
    }

    /// Food, water and health deliveries: each crew goes where the most
    /// people are unserved, as the agency believes (all of them where it
    /// does not know yet). In the cell, members draw on one shared account
    /// (`joint`).
    fn deliver(
        &self,
        kind: Mandate,
        mine: &[usize],
        crews: &[CrewSlot],
        joint: Option<&mut Joint>,
        out: &mut [Option<Target>],
    ) {
        let (ctx, picture) = (self.ctx, self.picture);
        let (service, slot) = match kind {
            Mandate::DistributeFood => (Service::Food, 0),
            Mandate::TruckWater => (Service::Water, 1),
            _ => (Service::Health, 2),
        };
        let per_person = ctx.rules.per_person(service);
        let fresh = || -> Vec<f64> {
            ctx.districts
                .iter()
                .enumerate()
                .map(|(d, f)| {
                    let q = picture.services[d][service.index()];
                    let q = if q.is_nan() { 0.0 } else { q };
                    if self.usable(&picture.districts[d]) {
                        f.present * (1.0 - q).max(0.0)
                    } else {
                        0.0
                    }
                })
                .collect()
        };
        let mut own = None;
        let gap: &mut Vec<f64> = match joint {
            Some(j) => j.gaps[slot].get_or_insert_with(fresh),
            None => own.insert(fresh()),
        };
        // Crews already delivering somewhere keep going if need remains.
        for &i in mine {
            if let Some(Target::District(d)) = crews[i].current {
                let d = d.idx();
                if gap[d] > 0.0 {
                    gap[d] -= crews[i].rate / per_person;
                    out[i] = Some(Target::District(DistrictIx::new(d)));
                }
            }
        }
        for &i in mine {
            if out[i].is_some() {
                continue;
            }
            let best = (0..gap.len())
                .filter(|&d| gap[d] > 0.0)
                .max_by(|&a, &b| gap[a].total_cmp(&gap[b]).then(b.cmp(&a)));
            if let Some(d) = best {
                gap[d] -= crews[i].rate / per_person;
                out[i] = Some(Target::District(DistrictIx::new(d)));
            }
        }
    }

    /// Fuel runs. A silo supplier does not know who is short: it rotates
    /// deliveries by each consumer's nominal burn and the time since its
    /// last delivery.
    fn deliver_fuel(&self, mine: &[usize], crews: &[CrewSlot], out: &mut [Option<Target>]) {
        let ctx = self.ctx;
        let me = self.agency.ix;
        let mut owed: Vec<f64> = ctx
            .fuel_consumers
            .iter()
            .enumerate()
            .map(|(a, &(nominal, last))| {
                if a == me.idx() || nominal <= 0.0 {
                    0.0
                } else {
                    nominal * f64::from(ctx.day.saturating_sub(last) + 1)
                }
            })
            .collect();
        // Agencies that asked, and were promised, come first, for at least
        // a day's burn.
        let mut asked = vec![false; owed.len()];
        for &(to, what, target) in ctx.requests {
            if to == me
                && what == Mandate::DeliverFuel
                && let Target::Agency(x) = target
            {
                let x = x.idx();
                asked[x] = true;
                owed[x] = owed[x].max(ctx.fuel_consumers[x].0);
            }
        }
        for &i in mine {
            let best = (0..owed.len()).filter(|&a| owed[a] > 0.0).max_by(|&a, &b| {
                asked[a]
                    .cmp(&asked[b])
                    .then(owed[a].total_cmp(&owed[b]))
                    .then(b.cmp(&a))
            });
            if let Some(a) = best {
                owed[a] -= crews[i].rate;
                out[i] = Some(Target::Agency(AgencyIx::new(a)));
            }
        }
    }
}

/// Sends the crews `mine` to the best candidates with a free slot. An
/// accepted request is a promise: the requested work gets its crews first,
/// in rank order, taking them off the agency's own work if none is free
/// (those on the least valuable work first). It also tells the agency what
/// the work is worth (a site's purpose, a waiting plant); work it saw no
/// reason for at all comes level with its first choice. Otherwise crews keep
/// work they have started while it is still worth doing.
fn assign_ranked(
    mut cands: Vec<Candidate>,
    asked: &BTreeSet<Target>,
    promised: &BTreeSet<Target>,
    mine: &[usize],
    crews: &[CrewSlot],
    out: &mut [Option<Target>],
) {
    let top = cands.iter().map(|c| c.1).fold(1.0, f64::max);
    for &target in asked {
        if !cands.iter().any(|c| c.0 == target) {
            cands.push((target, top, REQUESTED_SLOTS));
        }
    }
    cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let rank: BTreeMap<Target, usize> = cands.iter().enumerate().map(|(r, c)| (c.0, r)).collect();
    let mut used: BTreeMap<Target, u32> = BTreeMap::new();
    // Promised work first: the crews already on it stay, then crews with
    // no work or on work ranked below it are taken off theirs, the lowest
    // first. Work ranked above a promise keeps its crews.
    let ranked = |i: usize| {
        crews[i]
            .current
            .and_then(|t| rank.get(&t).copied())
            .unwrap_or(usize::MAX)
    };
    for &(target, _, cap) in cands.iter().filter(|c| promised.contains(&c.0)) {
        let here = rank[&target];
        let mut takers: Vec<usize> = mine
            .iter()
            .copied()
            .filter(|&i| out[i].is_none() && (crews[i].current == Some(target) || ranked(i) > here))
            .collect();
        takers.sort_by_key(|&i| (crews[i].current != Some(target), std::cmp::Reverse(ranked(i)), i));
        for i in takers.into_iter().take(cap.min(REQUESTED_SLOTS) as usize) {
            out[i] = Some(target);
            *used.entry(target).or_default() += 1;
        }
    }
    let slots: BTreeMap<Target, u32> = cands.iter().map(|c| (c.0, c.2)).collect();
    for &i in mine {
        if out[i].is_some() {
            continue;
        }
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
    for &i in mine {
        if out[i].is_some() {
            continue;
        }
        if let Some(c) = cands.iter().find(|c| used.get(&c.0).copied().unwrap_or(0) < c.2) {
            *used.entry(c.0).or_default() += 1;
            out[i] = Some(c.0);
        }
    }
}

/// Whether the agency knows that asset `i` will get none of a service it
/// needs at its site, and that nothing that could produce it there is
/// working, being repaired, or even standing: repairing it now would waste
/// crew-days. An agency that knows nothing of the service assumes it comes.
fn inputs_never_coming(i: usize, picture: &Picture, ctx: &PlanContext) -> bool {
    let a = &ctx.network.assets[i];
    a.needs.iter().any(|&s| {
        let q = picture.services[a.site.idx()][s.index()];
        let absent = !q.is_nan() && q < SERVICE_ABSENT;
        let hope = ctx
            .network
            .providers(s, a.site)
            .any(|(j, _)| picture.planned[j.idx()] || picture.conditions[j.idx()] > 0.0);
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
    network: Res<Network>,
    mut ids: ResMut<TaskIds>,
    agencies: Query<(&Agency, &Picture, &Stores)>,
    assets: Query<(&Asset, &Site, &Condition)>,
    districts: Query<(&District, &Housing)>,
    mut crews: Query<(&Crew, &mut Assignment), Without<Lost>>,
    tasks: Query<&Task>,
    requests: Res<Requests>,
) {
    let day = clock.day;
    // Today's state of the assets; their static facts are in `network`.
    let mut conditions = vec![0.0; assets.iter().len()];
    let mut own_site = vec![false; conditions.len()];
    for (a, s, c) in &assets {
        conditions[a.ix.idx()] = c.0;
        own_site[a.ix.idx()] = s.contamination.is_some();
    }
    let district_facts = district_facts(&districts, &census);
    let mut agency_list: Vec<(&Agency, &Picture, &Stores)> = agencies.iter().collect();
    agency_list.sort_unstable_by_key(|a| a.0.ix);
    let fuel_consumers: Vec<(f64, u32)> = agency_list
        .iter()
        .map(|(a, _, s)| (a.nominal_fuel, s.last_fuel_delivery))
        .collect();
    let (accepted, waiting) = accepted_work(&requests, &network, &conditions);
    let ctx = PlanContext {
        day,
        rules: &rules,
        network: &network,
        own_site: &own_site,
        districts: &district_facts,
        fuel_consumers: &fuel_consumers,
        requests: &accepted,
        waiting: &waiting,
    };

    let mut open = open_tasks(tasks.iter());
    let mut crew_list: Vec<_> = crews.iter_mut().collect();
    crew_list.sort_unstable_by_key(|(c, _)| c.ix);
    let mut joint = Joint::default();
    for (agency, picture, _) in &agency_list {
        let mut idx: Vec<usize> = (0..crew_list.len())
            .filter(|&i| crew_list[i].0.agency == agency.ix)
            .collect();
        if agency.human {
            // A player's ordered crews keep their orders until the work is
            // done, then go back to the standing orders (or stand idle
            // without them); a stopped crew waits for an order or release.
            for &i in &idx {
                let assignment = &mut crew_list[i].1;
                if assignment.task.is_some_and(|id| !open.values().any(|&t| t == id)) {
                    assignment.target = None;
                    assignment.task = None;
                    assignment.held = false;
                }
            }
            if !agency.standing {
                continue;
            }
            // The standing orders: the agency's strategy plans the crews no
            // order holds, as it would plan all of them.
            idx.retain(|&i| !crew_list[i].1.held);
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
                    let id = ids.allocate();
                    commands.spawn(Task::new(id, crew.kind, t, agency.ix));
                    id
                })
            });
        }
    }
}

/// Today's public facts about each district, by district index.
fn district_facts(districts: &Query<(&District, &Housing)>, census: &Census) -> Vec<DistrictFacts> {
    let mut facts: Vec<(DistrictIx, DistrictFacts)> = districts
        .iter()
        .map(|(d, h)| {
            let i = d.ix.idx();
            let f = DistrictFacts {
                prewar: d.prewar,
                homes: d.homes,
                present: census.present(i),
                damage: h.damage(),
                ready: h.ready,
                debris: h.debris,
            };
            (d.ix, f)
        })
        .collect();
    facts.sort_unstable_by_key(|x| x.0);
    facts.into_iter().map(|x| x.1).collect()
}

/// The open tasks by (agency, kind, target): a crew sent there joins the
/// task, and work nobody has opened yet gets a new one (`TaskIds`). There
/// is at most one open task for each: the planner and players' orders
/// (`inputs`) both open one only where none is.
pub fn open_tasks<'a>(tasks: impl Iterator<Item = &'a Task>) -> BTreeMap<(AgencyIx, Mandate, Target), u64> {
    let mut open = BTreeMap::new();
    for t in tasks {
        if !t.closed {
            open.insert((t.agency, t.kind, t.target), t.id);
        }
    }
    open
}

/// Accepted requests as work, (agency asked, kind, target), and the assets
/// waiting for a service each agency promised, sorted. A request for a
/// service is work on the provider's damaged assets that give it at the
/// waiting asset's site (`conditions` by asset index).
fn accepted_work(requests: &Requests, network: &Network, conditions: &[f64]) -> (Vec<Work>, Vec<(AgencyIx, AssetIx)>) {
    let mut accepted: Vec<Work> = Vec::new();
    let mut waiting: Vec<(AgencyIx, AssetIx)> = Vec::new();
    for r in requests.open().filter(|r| r.accepted == Some(true)) {
        match (r.ask, r.target) {
            (Ask::Service(s), Target::Asset(x)) => {
                waiting.push((r.to, x));
                let site = network.assets[x.idx()].site;
                for (y, b) in network.providers(s, site) {
                    if b.agency == r.to && conditions[y.idx()] < 1.0 {
                        accepted.push((r.to, Mandate::Repair, Target::Asset(y)));
                    }
                }
            }
            _ => accepted.push((r.to, r.ask.mandate(), r.target)),
        }
    }
    waiting.sort_unstable();
    waiting.dedup();
    (accepted, waiting)
}

/// Removes tasks that are finished or that no crew works on any more.
pub fn close_tasks(mut commands: Commands, crews: Query<&Assignment, Without<Lost>>, tasks: Query<(Entity, &Task)>) {
    let busy: BTreeSet<u64> = crews.iter().filter_map(|a| a.task).collect();
    for (e, t) in &tasks {
        if t.closed || !busy.contains(&t.id) {
            commands.entity(e).despawn();
        }
    }
}
