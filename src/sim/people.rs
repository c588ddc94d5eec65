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
    access: Res<Access>,
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
        let housing = 1.0 - h.damage();
        // Work comes back with the dwellings and the markets: a design
        // construction after IOM's Return Index (docs/model.md §7.17).
        let a = &levels.availability[i];
        let livelihood = housing * 0.5 * (a[Service::Food.index()] + a[Service::Electricity.index()]);
        let ema = |old: f64, new: f64| if old.is_nan() { new } else { old + alpha * (new - old) };
        p.security[i] = ema(p.security[i], g.security);
        p.services[i] = ema(p.services[i], services);
        p.housing[i] = ema(p.housing[i], housing);
        p.contamination[i] = ema(p.contamination[i], g.contamination);
        p.livelihood[i] = ema(p.livelihood[i], livelihood);
        // No work at home holds people back: a shortfall, so a district
        // with its livelihoods whole draws as it did before they counted.
        let attraction =
            r.security_weight * p.security[i] + r.services_weight * p.services[i] + r.housing_weight * p.housing[i]
                - r.contamination_weight * p.contamination[i]
                - r.livelihood_weight * (1.0 - p.livelihood[i]);
        // A district closed to returns draws nobody home.
        let base = if access.closed[i] {
            0.0
        } else {
            r.max_daily_rate / (1.0 + libm::exp(-r.steepness * (attraction - r.midpoint)))
        };
        for vulnerable in [false, true] {
            for habitable in [false, true] {
                let v = if vulnerable { r.vulnerable_factor } else { 1.0 };
                let h = if habitable { 1.0 } else { r.uninhabitable_factor };
                p.return_p[i][usize::from(vulnerable)][usize::from(habitable)] = base * v * h;
            }
        }
        p.flight_p[i] = if p.security[i] < r.flight_security {
            r.flight_rate
        } else {
            0.0
        };
    }
}

/// Families living in a dwelling not their own, or in their own rubble,
/// are looked at each day: a renter whose own home is rebuilt moves back into
/// it, and so does a family in rubble. Counts the renters of each district
/// (`Housing::rented`) and the people in rubble (`Census::in_rubble`).
pub fn house_families(
    mut commands: Commands,
    mut census: ResMut<Census>,
    mut districts: Query<(&District, &mut Housing)>,
    renters: Query<(Entity, &Household), With<Renting>>,
    in_rubble: Query<(Entity, &Household), With<InRubble>>,
) {
    let mut rows: Vec<_> = districts.iter_mut().collect();
    rows.sort_unstable_by_key(|x| x.0.ix);
    let mut rented = vec![0.0; rows.len()];
    for (e, h) in &renters {
        let o = h.origin.idx();
        if rows[o].1.habitable(h.home) {
            commands.entity(e).remove::<Renting>();
        } else {
            rented[o] += f64::from(h.families);
        }
    }
    census.in_rubble.iter_mut().for_each(|n| *n = 0);
    for (e, h) in &in_rubble {
        let o = h.origin.idx();
        if rows[o].1.habitable(h.home) {
            commands.entity(e).remove::<InRubble>();
        } else {
            census.in_rubble[o] += u64::from(h.size);
        }
    }
    for ((_, housing), r) in rows.iter_mut().zip(rented) {
        housing.rented = r;
    }
}

/// Displaced households go home with their district's return probability:
/// to their own dwelling when it is habitable, or else to a habitable
/// dwelling of their district that nobody owns or rents (rented or shared,
/// at the lower rate `uninhabitable_factor`), while there is one. With
/// neither, a family stays where it is.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn decide_returns(
    mut commands: Commands,
    clock: Res<Clock>,
    seed: Res<Seed>,
    rules: Res<Rules>,
    perceived: Res<Perceived>,
    tenure: Res<Tenure>,
    access: Res<Access>,
    mut census: ResMut<Census>,
    mut digests: ResMut<Digests>,
    mut districts: Query<(&District, &mut Housing)>,
    mut households: Query<(Entity, &Household, &mut Whereabouts), With<Displaced>>,
) {
    let day = clock.day;
    let key = DayKey::new(seed.0, day, Purpose::Return);
    census.displaced_household_days += households.iter().len() as u64;
    let push = rules.returns.camp_closure_push;
    let mut rows: Vec<_> = districts.iter_mut().collect();
    rows.sort_unstable_by_key(|x| x.0.ix);
    let mut to_let: Vec<f64> = rows.iter().enumerate().map(|(d, r)| tenure.to_let(d, &r.1)).collect();
    // Read once a day, not through each district's change-detecting row.
    let uninhabitable: Vec<f64> = rows.iter().map(|r| r.1.uninhabitable).collect();
    for (e, h, mut w) in &mut households {
        let o = h.origin.idx();
        let families = f64::from(h.families);
        let own = f64::from(h.home) >= uninhabitable[o];
        if !own && to_let[o] < families {
            continue;
        }
        let mut p = perceived.return_p[o][usize::from(h.vulnerable)][usize::from(own)];
        if let Place::Camp(c) = w.place
            && access.camp_closed[c.idx()]
        {
            p = (p * push).min(1.0);
        }
        if p <= 0.0 || key.unit(u64::from(h.serial)) >= p {
            continue;
        }
        if !own {
            to_let[o] -= families;
            rows[o].1.rented += families;
            commands.entity(e).insert(Renting);
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
/// uninhabitable (secondary displacement): a family that rents or shares is
/// housed, so only one whose own dwelling became uninhabitable leaves.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn settle_returnees(
    mut commands: Commands,
    clock: Res<Clock>,
    seed: Res<Seed>,
    rules: Res<Rules>,
    mut census: ResMut<Census>,
    mut digests: ResMut<Digests>,
    districts: Query<(&District, &Housing)>,
    mut households: Query<(Entity, &Household, &mut Whereabouts, Has<Renting>), With<Settling>>,
) {
    let day = clock.day;
    let r = &rules.returns;
    let mut rows: Vec<_> = districts.iter().collect();
    rows.sort_unstable_by_key(|x| x.0.ix);
    for (e, h, mut w, renting) in &mut households {
        if day.saturating_sub(w.since) >= r.settling_days {
            commands.entity(e).remove::<Settling>();
            continue;
        }
        let habitable = renting || rows[h.origin.idx()].1.habitable(h.home);
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
    let closed = world.resource::<Access>().camp_closed.clone();
    let roomiest = camps
        .iter()
        .filter(|c| !closed[c.0.idx()])
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
