//! Rules: people. Disease spreads where water and sanitation fail;
//! households judge home through what they hear, return, settle or leave.
//!
//! District-level conditions are turned into probabilities once per day
//! ([`perceive_home`]); each displaced household then costs one table lookup
//! and at most one keyed draw. Households at home are not visited unless
//! something displaces people from their district.

use bevy_ecs::prelude::*;

use super::components::*;
use super::households::move_household;
use super::injects::displace;
use super::ledger::district_index;
use super::state::*;
use crate::hash::{DayKey, Purpose, keyed_unit};
use crate::scenario::Service;

/// New cases where water and sanitation fail; recovery faster where health
/// care is available. Districts first, then camps.
pub fn spread_disease(
    clock: Res<Clock>,
    rules: Res<Rules>,
    census: Res<Census>,
    levels: Res<Levels>,
    mut epidemic: ResMut<Epidemic>,
) {
    let m = &rules.disease;
    let nd = rules.prewar.len();
    let e = &mut *epidemic;
    for p in 0..e.active.len() {
        let (people, q, mult) = if p < nd {
            let (mult, until) = e.outbreak[p];
            (
                census.present(p),
                levels.q[p],
                if until > clock.day { mult } else { 1.0 },
            )
        } else {
            (census.camp[p - nd] as f64, levels.camp_q[p - nd], 1.0)
        };
        let wash = q[Service::Water.index()].min(q[Service::Sanitation.index()]);
        let new = people * (m.base_rate + m.wash_rate * (1.0 - wash)) * mult;
        let duration = (m.illness_days * (1.0 - m.treatment_effect * q[Service::Health.index()])).max(1.0);
        let recovered = e.active[p] / duration;
        e.active[p] = (e.active[p] + new - recovered).clamp(0.0, people.max(0.0));
        e.cumulative += new;
    }
}

/// Moves each district's perceived conditions towards the true ones and
/// derives today's return and flight probabilities.
pub fn perceive_home(
    rules: Res<Rules>,
    levels: Res<Levels>,
    districts: Query<(&District, &Ground, &Housing)>,
    mut perceived: ResMut<Perceived>,
) {
    let r = &rules.returns;
    let weights = rules.service_weights();
    let alpha = 1.0 / r.perception_days.max(1.0);
    let p = &mut *perceived;
    for (d, g, h) in &districts {
        let i = d.ix.idx();
        // Services are judged against the pre-war population, so an emptied
        // district does not look perfectly served.
        let services = district_index(&levels.availability[i], weights);
        let housing = 1.0 - h.damage;
        let ema = |old: f64, new: f64| if old.is_nan() { new } else { old + alpha * (new - old) };
        p.security[i] = ema(p.security[i], g.security);
        p.services[i] = ema(p.services[i], services);
        p.housing[i] = ema(p.housing[i], housing);
        p.contamination[i] = ema(p.contamination[i], g.contamination);
        let attraction =
            r.security_weight * p.security[i] + r.services_weight * p.services[i] + r.housing_weight * p.housing[i]
                - r.contamination_weight * p.contamination[i];
        let base = r.max_daily_rate / (1.0 + libm::exp(-r.steepness * (attraction - r.midpoint)));
        for vulnerable in [false, true] {
            for habitable in [false, true] {
                let v = if vulnerable { r.vulnerable_factor } else { 1.0 };
                let h = if habitable { 1.0 } else { r.uninhabitable_factor };
                p.return_p[i][usize::from(vulnerable)][usize::from(habitable)] = base * v * h;
            }
        }
        p.damage[i] = h.damage as f32;
        p.flight_p[i] = if p.security[i] < r.flight_security {
            r.flight_rate
        } else {
            0.0
        };
    }
}

/// Displaced households go home with their district's return probability.
pub fn decide_returns(
    mut commands: Commands,
    clock: Res<Clock>,
    seed: Res<Seed>,
    perceived: Res<Perceived>,
    mut census: ResMut<Census>,
    mut digests: ResMut<Digests>,
    mut households: Query<(Entity, &Household, &mut Whereabouts), With<Displaced>>,
) {
    let day = clock.day;
    let key = DayKey::new(seed.0, day, Purpose::Return);
    census.displaced_household_days += households.iter().len() as u64;
    for (e, h, mut w) in &mut households {
        let o = h.origin.idx();
        let habitable = h.home_rank >= perceived.damage[o];
        let p = perceived.return_p[o][usize::from(h.vulnerable)][usize::from(habitable)];
        if p <= 0.0 || key.unit(u64::from(h.serial)) >= p {
            continue;
        }
        move_household(
            &mut commands,
            &mut census,
            &mut digests,
            (e, h, &mut w),
            Place::Home,
            day,
        );
    }
}

/// Returned households settle, or leave again when their home proves
/// uninhabitable (secondary displacement).
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn settle_returnees(
    mut commands: Commands,
    clock: Res<Clock>,
    seed: Res<Seed>,
    rules: Res<Rules>,
    perceived: Res<Perceived>,
    mut census: ResMut<Census>,
    mut digests: ResMut<Digests>,
    mut households: Query<(Entity, &Household, &mut Whereabouts), With<Settling>>,
) {
    let day = clock.day;
    let r = &rules.returns;
    for (e, h, mut w) in &mut households {
        if day.saturating_sub(w.since) >= r.settling_days {
            commands.entity(e).remove::<Settling>();
            continue;
        }
        let habitable = h.home_rank >= perceived.damage[h.origin.idx()];
        if habitable || keyed_unit(seed.0, day, u64::from(h.serial), Purpose::Leave) >= r.leave_uninhabitable_rate {
            continue;
        }
        // Back to where it last found refuge.
        let to = w.refuge;
        move_household(&mut commands, &mut census, &mut digests, (e, h, &mut w), to, day);
    }
}

/// People at home leave districts they perceive as insecure: to the camp with
/// the most room, or, with no camp, to the district they perceive as safest.
pub fn flee_insecurity(world: &mut World) {
    let day = world.resource::<Clock>().day;
    let flight = world.resource::<Perceived>().flight_p.clone();
    if flight.iter().all(|&p| p <= 0.0) {
        return;
    }
    let security = world.resource::<Perceived>().security.clone();
    let census = world.resource::<Census>().clone();
    let mut camps: Vec<(CampIx, f64)> = world.query::<&Camp>().iter(world).map(|c| (c.ix, c.capacity)).collect();
    camps.sort_unstable_by_key(|c| c.0);
    let roomiest = camps
        .iter()
        .map(|&(c, cap)| (c, cap - census.camp[c.idx()] as f64))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(c, _)| c);
    for (d, &p) in flight.iter().enumerate() {
        if p <= 0.0 {
            continue;
        }
        let to = match roomiest {
            Some(c) => Place::Camp(c),
            None => {
                let safest = (0..security.len())
                    .filter(|&x| x != d)
                    .max_by(|&a, &b| security[a].total_cmp(&security[b]).then(b.cmp(&a)));
                match safest {
                    Some(h) => Place::Host(DistrictIx::new(h)),
                    None => continue,
                }
            }
        };
        displace(world, DistrictIx::new(d), p, to, day, Purpose::Flight, 0);
    }
}
