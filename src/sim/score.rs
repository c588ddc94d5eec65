//! Rule: score. Adds the day's losses, returns and harm to [`Outcomes`].

use bevy_ecs::prelude::*;

use super::components::*;
use super::ledger::{DaySummary, DistrictDay, Ledger, Outcomes, PlaceDay, Wait};
use super::state::*;
use crate::scenario::Service;

#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn tally_outcomes(
    clock: Res<Clock>,
    rules: Res<Rules>,
    census: Res<Census>,
    levels: Res<Levels>,
    epidemic: Res<Epidemic>,
    access: Res<Access>,
    camps: Query<&Camp>,
    districts: Query<(&District, &Housing)>,
    mut outcomes: ResMut<Outcomes>,
) {
    let day = clock.day;
    let st = &rules.standards;
    let water_min = st.water_survival_litres / st.water_litres;
    let food_min = st.food_survival_kcal / st.food_kcal;
    let o = &mut *outcomes;
    let mut weighted = [0.0; SERVICES];
    let mut people_total = 0.0;
    let mut homes: Vec<(DistrictIx, f64, f64)> = districts
        .iter()
        .map(|(d, h)| (d.ix, h.habitable_dwellings(), h.debris))
        .collect();
    homes.sort_unstable_by_key(|x| x.0);
    let mut add_place = |o: &mut Outcomes,
                         kind: &'static str,
                         ix: u16,
                         people: u64,
                         q: [f64; SERVICES],
                         district: Option<DistrictDay>| {
        let n = people as f64;
        for s in 0..SERVICES {
            o.loss[s] += n * (1.0 - q[s]);
            weighted[s] += n * q[s];
        }
        if q[Service::Water.index()] < water_min || q[Service::Food.index()] < food_min {
            o.survival_days += n;
        }
        people_total += n;
        o.places.push(PlaceDay {
            day,
            kind,
            ix,
            people,
            q,
            district,
        });
    };
    for d in 0..rules.prewar.len() {
        let district = homes.get(d).map(|&(_, habitable, debris)| DistrictDay {
            habitable_dwellings: habitable,
            debris_tonnes: debris,
            people_home: census.home[d],
            displaced_from: census.displaced_from[d],
            returned_initial: census.returned_initial_from[d],
        });
        add_place(
            o,
            "district",
            d as u16,
            census.home[d] + census.hosted[d],
            levels.q[d],
            district,
        );
    }
    for c in 0..census.camp.len() {
        add_place(o, "camp", c as u16, census.camp[c], levels.camp_q[c], None);
    }
    let displaced = census.displaced();
    // People in their own rubble have no home to be back in: displaced for
    // the loss, and without shelter. So a family that goes back to rubble
    // never lowers the loss (docs/scoring.md §1).
    let in_rubble: u64 = census.in_rubble.iter().sum();
    o.displaced_days += (displaced + in_rubble) as f64;
    // A closed camp shelters nobody: who is still there lives on its site
    // informally.
    let overcrowded: f64 = camps
        .iter()
        .map(|c| {
            let people = census.camp[c.ix.idx()] as f64;
            if access.camp_closed[c.ix.idx()] {
                people
            } else {
                (people - c.capacity).max(0.0)
            }
        })
        .sum();
    let hosted: u64 = census.hosted.iter().sum();
    o.shelter_days += in_rubble as f64 + overcrowded + hosted as f64 * rules.housing.hosted_shelter_gap;
    let returned_share = if census.initial_displaced > 0 {
        census.returned_initial as f64 / census.initial_displaced as f64
    } else {
        1.0
    };
    if returned_share >= 0.5 && o.day_half_returned.is_none() && census.initial_displaced > 0 {
        o.day_half_returned = Some(day);
    }
    let services = weighted.map(|w| if people_total > 0.0 { w / people_total } else { 0.0 });
    let prewar: f64 = rules.prewar.iter().sum();
    let mut piped = [0.0; SERVICES];
    for (d, row) in levels.piped.iter().enumerate() {
        for (p, x) in piped.iter_mut().zip(row) {
            *p += x * rules.prewar[d] / prewar.max(1.0);
        }
    }
    o.days.push(DaySummary {
        day,
        people_home: census.home.iter().sum(),
        people_displaced: displaced,
        returned_share,
        services,
        piped,
        disease_active: epidemic.active.iter().sum(),
    });
}

/// Charges each asset that stood idle today for want of an input another
/// agency was asked for to the agency asked: one asset-day a day.
pub fn charge_idle_assets(requests: Res<Requests>, assets: Query<(&Asset, &Operation)>, mut ledger: ResMut<Ledger>) {
    let mut idle: Vec<(AssetIx, Ask)> = assets
        .iter()
        .filter_map(|(a, op)| op.idle_for_service().map(|s| (a.ix, Ask::Service(s))))
        .collect();
    idle.sort_unstable();
    for (x, ask) in idle {
        if let Some(r) = requests.open().find(|r| r.ask == ask && r.target == Target::Asset(x)) {
            let wait = Wait {
                from: r.from,
                to: r.to,
                ask,
                channel: r.channel,
                asset: Some(x),
            };
            *ledger.waits.entry(wait).or_default() += 1.0;
        }
    }
}
