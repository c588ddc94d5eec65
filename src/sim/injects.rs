//! Rule: injects. Scripted events of the master events list (and, later,
//! the facilitator's) change the world at the start of their day.
//!
//! Every inject, scripted or conditional, goes through [`apply_effect`], the
//! one place where an event changes the world, and is logged in `InjectLog`.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemState;

use super::components::*;
use super::households::move_household;
use super::ledger::Ledger;
use super::setup::{Injects, Names};
use super::state::*;
use crate::hash::{DayKey, Purpose, fnv1a64, mix64};
use crate::scenario::{Condition as Watch, Effect, Trigger};

/// What identifies an inject, from data that stays put when the code
/// changes: a scenario's inject by its id (unique among the scenario's
/// injects, checked by validation), a facilitator's by its ordinal among the
/// run's manual injects in order of application (a day's immediate injects
/// in the order given, then the ones scheduled for it in the order they were
/// scheduled; `InjectLog::manual` counts them). docs/determinism.md, "Debug
/// text is not a format", says why not the effect's text.
#[derive(Debug, Clone, Copy)]
pub enum InjectId<'a> {
    Scenario(&'a str),
    Manual(u64),
}

impl InjectId<'_> {
    /// Salts the keyed draws of the inject's effect (who a `Displacement`
    /// moves), so that two injects on one day draw independently.
    pub fn salt(self) -> u64 {
        /// Keeps manual ordinals apart from hashed ids ("manual!!" in ASCII).
        const MANUAL: u64 = 0x6d61_6e75_616c_2121;
        match self {
            InjectId::Scenario(id) => mix64(fnv1a64(id.as_bytes())),
            InjectId::Manual(n) => mix64(MANUAL ^ n),
        }
    }
}

/// Applies the day's scripted injects and the conditional ones whose
/// condition has held long enough (judged on yesterday's levels).
pub fn apply_injects(world: &mut World) {
    let day = world.resource::<Clock>().day;
    let injects = world.resource::<Injects>().0.clone();
    let names = world.resource::<Names>().clone();
    let mut due = Vec::new();
    {
        let levels = world.resource::<Levels>().clone();
        let mut ground = vec![0.0; names.districts.len()];
        let mut q = world.query::<(&District, &Ground)>();
        for (d, g) in q.iter(world) {
            ground[d.ix.idx()] = g.security;
        }
        let mut log = world.resource_mut::<InjectLog>();
        for (i, inject) in injects.iter().enumerate() {
            if log.fired[i] {
                continue;
            }
            match &inject.trigger {
                Trigger::Day(d) => {
                    if *d == day {
                        due.push(i);
                    }
                }
                Trigger::When(watch) => {
                    // Levels describe yesterday; on day 0 nothing has been
                    // observed yet.
                    if day == 0 {
                        continue;
                    }
                    let (holds, days) = match watch {
                        Watch::ServiceBelow {
                            district,
                            service,
                            below,
                            days,
                        } => {
                            let d = names.district(district).map(DistrictIx::idx);
                            (d.is_some_and(|d| levels.q[d][service.index()] < *below), *days)
                        }
                        Watch::SecurityBelow { district, below, days } => {
                            let d = names.district(district).map(DistrictIx::idx);
                            (d.is_some_and(|d| ground[d] < *below), *days)
                        }
                    };
                    log.streak[i] = if holds { log.streak[i] + 1 } else { 0 };
                    if log.streak[i] >= days.max(1) {
                        due.push(i);
                    }
                }
            }
        }
    }
    for i in due {
        apply_effect(world, &injects[i].effect, day, InjectId::Scenario(&injects[i].id));
        let mut log = world.resource_mut::<InjectLog>();
        log.fired[i] = true;
        log.applied.push((day, i));
    }
    // The facilitator's injects scheduled for today, after the scenario's,
    // in the order they were scheduled.
    let later: Vec<Effect> = world
        .resource::<Scheduled>()
        .injects
        .iter()
        .filter(|(d, _)| *d == day)
        .map(|(_, e)| e.clone())
        .collect();
    for effect in &later {
        apply_manual(world, effect, day);
    }
}

/// Applies a facilitator's inject, given today or scheduled for today, as
/// the next of the run's manual injects.
pub fn apply_manual(world: &mut World, effect: &Effect, day: u32) {
    let mut log = world.resource_mut::<InjectLog>();
    let n = log.manual;
    log.manual += 1;
    apply_effect(world, effect, day, InjectId::Manual(n));
}

/// Changes the budget of the agency named `agency`, if there is one.
fn with_budget(world: &mut World, names: &Names, agency: &str, change: impl FnOnce(&mut Budget)) {
    if let Some(a) = names.agency(agency)
        && let Some((_, mut b)) = world
            .query::<(&Agency, &mut Budget)>()
            .iter_mut(world)
            .find(|(x, _)| x.ix == a)
    {
        change(&mut b);
    }
}

/// Changes the world as one inject effect says; `id` says which inject it
/// is. References were checked by validation; an unknown one is ignored
/// rather than trusted.
pub fn apply_effect(world: &mut World, effect: &Effect, day: u32, id: InjectId) {
    let names = world.resource::<Names>().clone();
    match effect {
        Effect::Sabotage { asset, damage } => {
            if let Some(a) = names.asset(asset) {
                for (x, mut c) in world.query::<(&Asset, &mut Condition)>().iter_mut(world) {
                    if x.ix == a {
                        c.0 = (c.0 - damage).max(0.0);
                    }
                }
            }
        }
        Effect::Blockade { asset, days } => {
            if let Some(a) = names.asset(asset) {
                for (x, mut b) in world.query::<(&Asset, &mut Blockade)>().iter_mut(world) {
                    if x.ix == a {
                        b.until = b.until.max(day.saturating_add(*days));
                    }
                }
            }
        }
        Effect::DiseaseOutbreak {
            district,
            cases,
            multiplier,
            days,
        } => {
            if let Some(d) = names.district(district) {
                let mut e = world.resource_mut::<Epidemic>();
                let d = d.idx();
                e.active[d] += cases;
                e.cumulative += cases;
                e.outbreak[d] = (*multiplier, day.saturating_add(*days));
            }
        }
        Effect::FuelShortage { agency, lost, days } => {
            if let Some(a) = names.agency(agency) {
                for (x, mut s) in world.query::<(&Agency, &mut Stores)>().iter_mut(world) {
                    if x.ix == a {
                        s.held[0] *= 1.0 - lost;
                        s.fuel_cut_until = s.fuel_cut_until.max(day.saturating_add(*days));
                    }
                }
            }
        }
        Effect::CrewAttack {
            district,
            casualties,
            security_drop,
            suspend_days,
        } => {
            let Some(d) = names.district(district) else { return };
            for (x, mut g, mut s) in world
                .query::<(&District, &mut Ground, &mut Suspension)>()
                .iter_mut(world)
            {
                if x.ix == d {
                    g.security = (g.security - security_drop).max(0.0);
                    s.until = s.until.max(day.saturating_add(*suspend_days));
                }
            }
            attack_crews(world, d, *casualties, day);
        }
        Effect::Displacement { district, share, to } => {
            let (Some(d), Some(to)) = (names.district(district), names.place(to)) else {
                return;
            };
            displace(world, d, *share, to, day, Purpose::Displace, id.salt());
        }
        Effect::Heatwave { water_factor, days } => {
            let mut l = world.resource_mut::<Levels>();
            l.heat_factor = *water_factor;
            l.heat_until = day.saturating_add(*days);
        }
        Effect::CloseCamp { camp } => {
            if let Some(c) = names.camp(camp) {
                world.resource_mut::<Access>().camp_closed[c.idx()] = true;
            }
        }
        Effect::Funding { agency, amount } => with_budget(world, &names, agency, |b| b.funds += amount.max(0.0)),
        Effect::BudgetFreeze { agency, days } => with_budget(world, &names, agency, |b| {
            b.frozen_until = b.frozen_until.max(day.saturating_add(*days));
        }),
        Effect::Minefield {
            district,
            site,
            contamination,
        } => {
            let Some(d) = names.district(district) else { return };
            lay_mines(world, d, site.as_deref().and_then(|s| names.asset(s)), *contamination);
        }
        Effect::LiaisonPosted { between: (a, b) } => {
            if let (Some(a), Some(b)) = (names.agency(a), names.agency(b)) {
                world.resource_mut::<Liaisons>().links.insert((a.min(b), a.max(b)));
            }
        }
        Effect::LiaisonEnded { between: (a, b) } => {
            if let (Some(a), Some(b)) = (names.agency(a), names.agency(b)) {
                world.resource_mut::<Liaisons>().end(a, b);
            }
        }
        Effect::Workshop { agencies } => {
            let ix: Vec<AgencyIx> = agencies.iter().filter_map(|a| names.agency(a)).collect();
            let mut l = world.resource_mut::<Liaisons>();
            for (i, &a) in ix.iter().enumerate() {
                for &b in &ix[i + 1..] {
                    if a != b {
                        l.links.insert((a.min(b), a.max(b)));
                    }
                }
            }
        }
    }
}

/// A minefield adds `contamination` (at most 1 in all) to district `d`, or
/// to the site of asset `site` in it, which then has hazards of its own.
fn lay_mines(world: &mut World, d: DistrictIx, site: Option<AssetIx>, contamination: f64) {
    match site {
        Some(a) => {
            let base = world
                .query::<(&District, &Ground)>()
                .iter(world)
                .find(|(x, _)| x.ix == d)
                .map_or(0.0, |(_, g)| g.contamination);
            for (x, mut s) in world.query::<(&Asset, &mut Site)>().iter_mut(world) {
                if x.ix == a {
                    let now = s.contamination.unwrap_or(base);
                    s.contamination = Some((now + contamination).min(1.0));
                }
            }
        }
        None => {
            for (x, mut g) in world.query::<(&District, &mut Ground)>().iter_mut(world) {
                if x.ix == d {
                    g.contamination = (g.contamination + contamination).min(1.0);
                }
            }
        }
    }
}

/// Kills up to `casualties` crews working in district `d` today: those
/// with the lowest keyed draw, so the choice does not depend on query order.
fn attack_crews(world: &mut World, d: DistrictIx, casualties: u32, day: u32) {
    let seed = world.resource::<Seed>().0;
    let sites: Vec<DistrictIx> = {
        let mut v: Vec<(AssetIx, DistrictIx)> = world.query::<&Asset>().iter(world).map(|a| (a.ix, a.site)).collect();
        v.sort_unstable();
        v.into_iter().map(|(_, s)| s).collect()
    };
    let mut exposed: Vec<(u64, u32, Entity, AgencyIx)> = world
        .query_filtered::<(Entity, &Crew, &Assignment), Without<Lost>>()
        .iter(world)
        .filter_map(|(e, c, a)| {
            let here = match a.target? {
                Target::Asset(x) => sites[x.idx()] == d,
                Target::District(x) => x == d,
                Target::Agency(_) => false,
            };
            here.then(|| {
                let u = crate::hash::keyed(seed, day, c.key, Purpose::Casualty);
                (u, c.ix, e, c.agency)
            })
        })
        .collect();
    exposed.sort_unstable();
    for (_, _, e, agency) in exposed.into_iter().take(casualties as usize) {
        world.entity_mut(e).insert(Lost { day, district: d });
        world.entity_mut(e).insert(Assignment::default());
        world.resource_mut::<Ledger>().casualties[agency.idx()] += 1;
    }
}

/// What [`displace`] reads and writes: households not yet displaced, and the
/// books [`move_household`] keeps.
type Displacing = (
    Commands<'static, 'static>,
    ResMut<'static, Census>,
    ResMut<'static, Digests>,
    Query<'static, 'static, (Entity, &'static Household, &'static mut Whereabouts), Without<Displaced>>,
);

/// Moves a share of the households at home in district `d` to `to`. Each
/// household decides by its own keyed draw (salted so that two events on one
/// day draw independently), so the result does not depend on iteration
/// order. Visits the district's households at home: only on the rare days
/// something displaces people.
pub fn displace(world: &mut World, d: DistrictIx, p: f64, to: Place, day: u32, purpose: Purpose, salt: u64) {
    let key = DayKey::new(world.resource::<Seed>().0, day, purpose);
    let mut state: SystemState<Displacing> = SystemState::new(world);
    let (mut commands, mut census, mut digests, mut households) = state
        .get_mut(world)
        .expect("populate inserts the census and the digests");
    for (e, h, mut w) in &mut households {
        if h.origin != d || w.place != Place::Home {
            continue;
        }
        if key.unit(u64::from(h.serial) ^ salt) < p {
            move_household(&mut commands, &mut census, &mut digests, (e, h, &mut w), to, day);
        }
    }
    state.apply(world);
}
