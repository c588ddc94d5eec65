//! Rule: record. The digest of the state at the end of the day.
//!
//! Households enter through an order-free sum maintained by every rule that
//! moves one (`Digests::households`), so nothing walks all households to hash
//! them. The rest of the state is small and is folded whole, in index order.

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::*;
use crate::hash::Fold;

#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn digest_state(
    clock: Res<Clock>,
    census: Res<Census>,
    epidemic: Res<Epidemic>,
    perceived: Res<Perceived>,
    liaisons: Res<Liaisons>,
    levels: Res<Levels>,
    log: Res<InjectLog>,
    requests: Res<Requests>,
    access: Res<Access>,
    rules: Res<Rules>,
    mut digests: ResMut<Digests>,
    districts: Query<(&District, &Ground, &Housing, &Suspension)>,
    assets: Query<(&Asset, &Condition, &Site, &Blockade, &Operation)>,
    agencies: Query<(&Agency, &Stores, &Budget, &Picture)>,
    crews: Query<(&Crew, &Assignment, Has<Lost>)>,
    tasks: Query<&Task>,
) {
    let mut f = Fold::default();
    f.u64(u64::from(clock.day));
    f.u64(digests.households);
    let mut ds: Vec<_> = districts.iter().collect();
    ds.sort_unstable_by_key(|x| x.0.ix);
    for (_, g, h, s) in ds {
        f.f64(g.contamination);
        f.f64(g.security);
        f.f64(h.damage());
        // Rubble and who lives where are state (issue 15).
        f.f64(h.debris);
        f.f64(h.ready);
        f.f64(h.uncovered);
        f.f64(h.rented);
        f.u64(u64::from(s.until));
    }
    let mut xs: Vec<_> = assets.iter().collect();
    xs.sort_unstable_by_key(|x| x.0.ix);
    for (_, c, s, b, o) in xs {
        f.f64(c.0);
        f.f64(s.contamination.unwrap_or(-1.0));
        f.f64(s.security.unwrap_or(-1.0));
        f.u64(u64::from(b.until));
        f.f64(o.level);
    }
    let mut ag: Vec<_> = agencies.iter().collect();
    ag.sort_unstable_by_key(|x| x.0.ix);
    for (_, s, b, p) in ag {
        // What an agency believes decides what it does tomorrow: it is state.
        for v in p.districts.iter().chain(&p.sites) {
            f.f64(v.contamination);
            f.f64(v.security);
            f.u64(u64::from(v.observed));
            f.u64(u64::from(v.security_observed));
        }
        p.services.iter().flatten().for_each(|x| f.f64(*x));
        p.conditions.iter().for_each(|x| f.f64(*x));
        p.planned.iter().for_each(|x| f.u64(u64::from(*x)));
        s.held.iter().for_each(|x| f.f64(*x));
        f.u64(u64::from(s.fuel_cut_until));
        f.u64(u64::from(s.last_fuel_delivery));
        f.f64(b.funds);
        f.u64(u64::from(b.frozen_until));
    }
    let mut cs: Vec<_> = crews.iter().collect();
    cs.sort_unstable_by_key(|x| x.0.ix);
    for (_, a, lost) in cs {
        f.u64(u64::from(lost));
        f.u64(a.task.map_or(u64::MAX, |t| t));
        f.u64(u64::from(a.out_until));
        f.u64(u64::from(a.blocked.is_some()));
        // Only a player's crews are ever held: folded in only then, so
        // runs without players keep their digests.
        if a.held {
            f.u64(0x4845_4c44);
        }
    }
    let mut ts: Vec<_> = tasks.iter().collect();
    ts.sort_unstable_by_key(|t| t.id);
    for t in ts {
        f.u64(t.id);
        f.f64(t.crew_days);
        f.f64(t.blocked_days);
    }
    for &(a, b) in &liaisons.links {
        f.u64((u64::from(a.get()) << 16) | u64::from(b.get()));
    }
    for (&(a, b), p) in &liaisons.posted {
        f.u64((u64::from(a.get()) << 32) | (u64::from(b.get()) << 16) | u64::from(p.by.get()));
        f.u64(u64::from(p.from_day));
    }
    for list in [&census.home, &census.hosted, &census.camp] {
        list.iter().for_each(|x| f.u64(*x));
    }
    epidemic.active.iter().for_each(|x| f.f64(*x));
    for &(m, until) in &epidemic.outbreak {
        f.f64(m);
        f.u64(u64::from(until));
    }
    f.f64(epidemic.cumulative);
    f.f64(levels.heat_factor);
    f.u64(u64::from(levels.heat_until));
    fold_perceived(&mut f, &rules, &perceived, &access);
    for r in &requests.list {
        f.u64(r.id);
        f.u64(u64::from(r.answered.unwrap_or(u32::MAX)));
        f.u64(u64::from(r.fulfilled.unwrap_or(u32::MAX)));
        f.u64(r.accepted.map_or(2, u64::from));
    }
    log.fired.iter().for_each(|x| f.u64(u64::from(*x)));
    log.streak.iter().for_each(|x| f.u64(u64::from(*x)));
    if log.inputs != 0 {
        f.u64(log.inputs);
    }
    let d = f.finish();
    digests.daily.push(d);
}

/// What households perceive, then livelihoods and return access (issue 15),
/// the last two folded only where they are used, so the digests of worlds
/// without them stay as they were.
fn fold_perceived(f: &mut Fold, rules: &Rules, perceived: &Perceived, access: &Access) {
    for list in [
        &perceived.security,
        &perceived.services,
        &perceived.housing,
        &perceived.contamination,
    ] {
        list.iter().for_each(|x| f.f64(*x));
    }
    if rules.returns.livelihood_weight > 0.0 {
        perceived.livelihood.iter().for_each(|x| f.f64(*x));
    }
    if access.in_use() {
        for (c, a) in access.closed.iter().zip(&access.authorised) {
            f.u64(u64::from(*c));
            f.u64(a.map_or(u64::MAX, |(day, by)| (u64::from(day) << 16) | u64::from(by.get())));
        }
        access.camp_closed.iter().for_each(|c| f.u64(u64::from(*c)));
    }
}
