//! Invariants over randomly generated small scenarios: not only random
//! seeds, but random structures (districts, assets, dependencies, camps,
//! population, injects).

use proptest::prelude::*;

use crate::common::*;

const SERVICES: [&str; 5] = ["Food", "Water", "Electricity", "Sanitation", "Health"];

#[derive(Debug, Clone)]
struct AssetGen {
    service: usize,
    site: usize,
    serves: Vec<usize>,
    condition: f64,
    needs: Vec<usize>,
    fuel: bool,
    contaminated: Option<f64>,
}

#[derive(Debug, Clone)]
struct World {
    districts: Vec<(u32, f64, f64, f64)>,
    assets: Vec<AssetGen>,
    crews: [u32; 6],
    camps: usize,
    groups: Vec<(usize, usize, u32)>,
    injects: Vec<(u32, usize, usize)>,
    horizon: u32,
}

fn world() -> impl Strategy<Value = World> {
    (1usize..=4, 1usize..=3).prop_flat_map(|(nd, ncamps)| {
        let districts = prop::collection::vec((1_000u32..20_000, 0.0..1.0f64, 0.0..1.0f64, 0.0..1.0f64), nd);
        let asset = (
            0usize..5,
            0..nd,
            prop::collection::vec(0..nd, 1..=nd),
            0.0..=1.0f64,
            prop::collection::vec(0usize..5, 0..3),
            any::<bool>(),
            prop::option::of(0.0..1.0f64),
        )
            .prop_map(
                |(service, site, serves, condition, needs, fuel, contaminated)| AssetGen {
                    service,
                    site,
                    serves,
                    condition,
                    needs,
                    fuel,
                    contaminated,
                },
            );
        (
            districts,
            prop::collection::vec(asset, 0..6),
            prop::array::uniform6(0u32..3),
            0..=ncamps,
            prop::collection::vec((0..nd, 0usize..3, 1u32..200), 1..6),
            prop::collection::vec((0u32..30, 0usize..12, 0usize..8), 0..6),
            5u32..30,
        )
            .prop_map(|(districts, assets, crews, camps, groups, injects, horizon)| World {
                districts,
                assets,
                crews,
                camps,
                groups,
                injects,
                horizon,
            })
    })
}

fn ron(w: &World) -> String {
    let nd = w.districts.len();
    let did = |i: usize| format!("d{}", i % nd);
    let mut s = String::new();
    s.push_str(&format!(
        r#"(format_version: 1, name: "prop", title: "Generated", start_date: "2020-02-29", horizon_days: {},
    standards: (water_litres: 15.0, water_survival_litres: 7.5, food_kcal: 2100.0, food_survival_kcal: 1500.0,
                electricity_kwh: 2.0, people_per_toilet: 50.0, beds_per_10000: 18.0),
    weights: (food: 1.0, water: 1.0, electricity: 1.0, sanitation: 1.0, health: 1.0, displacement: 1.0),
    thresholds: (clearance: 0.1, security: 0.5),
    returns: (max_daily_rate: 0.2, security_weight: 0.3, services_weight: 0.3, housing_weight: 0.2,
              contamination_weight: 0.3, midpoint: 0.3, steepness: 8.0, perception_days: 3.0,
              uninhabitable_factor: 0.5, vulnerable_factor: 0.6, settling_days: 10,
              leave_uninhabitable_rate: 0.2, flight_security: 0.4, flight_rate: 0.1),
    disease: (base_rate: 0.0001, wash_rate: 0.01, illness_days: 5.0, treatment_effect: 0.5),
    districts: ["#,
        w.horizon
    ));
    for (i, (pop, damage, cont, sec)) in w.districts.iter().enumerate() {
        // Every family has a dwelling of its own district (validation).
        let families: u32 = w.groups.iter().filter(|g| did(g.0) == did(i)).map(|g| g.2).sum();
        s.push_str(&format!(
            "(id: \"d{i}\", name: \"D\", prewar_population: {pop}, homes: {}, housing_damage: {damage:?}, contamination: {cont:?}, security: {sec:?}),",
            (pop / 6 + 1).max(families)
        ));
    }
    s.push_str("], assets: [");
    let agency_of = |service: usize| if service == 2 { "electricity" } else { "water" };
    for (i, a) in w.assets.iter().enumerate() {
        // Needs only point at lower services, so the graph has no cycle.
        let needs: Vec<String> = a
            .needs
            .iter()
            .filter(|&&n| n < a.service)
            .map(|&n| format!("Service({})", SERVICES[n]))
            .collect();
        let mut serves: Vec<String> = a.serves.iter().map(|&d| format!("\"{}\"", did(d))).collect();
        serves.dedup();
        serves.sort();
        serves.dedup();
        s.push_str(&format!(
            "(id: \"a{i}\", name: \"A\", kind: Generator, agency: \"{}\", site: \"{}\", output: Some((service: {}, capacity: 50000.0)), serves: [{}], condition: {:?}, repair_effort: 10.0, repair_cost: 100.0, crew_slots: 2, needs: [{}], consumes: [{}], {}),",
            agency_of(a.service),
            did(a.site),
            SERVICES[a.service],
            serves.join(", "),
            a.condition,
            needs.join(", "),
            if a.fuel { "(stock: Fuel, per_day: 500.0)" } else { "" },
            a.contaminated.map_or(String::new(), |c| format!("contamination: Some({c:?})")),
        ));
    }
    let c = &w.crews;
    let crew = |kind: &str, n: u32, rate: f64| {
        if n == 0 {
            String::new()
        } else {
            format!("(kind: {kind}, count: {n}, rate: {rate:?}, daily_cost: 10.0, fuel_per_day: 5.0),")
        }
    };
    s.push_str(&format!(
        r#"], agencies: [
        (id: "electricity", name: "E", mandates: [Repair], crews: [{}], stocks: (fuel: 2000.0), resupply: (fuel: 300.0), budget: 50000.0, recheck_days: 3),
        (id: "water", name: "W", mandates: [Repair, TruckWater], crews: [{}{}], stocks: (fuel: 1000.0), budget: 50000.0, recheck_days: 3),
        (id: "defence", name: "D", mandates: [Clear, Secure], crews: [{}{}], stocks: (fuel: 1000.0), budget: 50000.0, recheck_days: 3),
        (id: "migration", name: "M", mandates: [DistributeFood, Rebuild, Medical, DeliverFuel], crews: [{}{}{}{}], stocks: (fuel: 5000.0, food: 10000000.0, medical: 50.0), resupply: (fuel: 500.0), budget: 50000.0, recheck_days: 3),
    ], camps: ["#,
        crew("Repair", c[0], 1.0),
        crew("Repair", c[1], 1.0),
        crew("TruckWater", c[1], 20000.0),
        crew("Clear", c[2], 0.05),
        crew("Secure", c[3], 0.05),
        crew("DistributeFood", c[4], 2000000.0),
        crew("Rebuild", c[5], 2.0),
        crew("Medical", c[4], 3.0),
        crew("DeliverFuel", c[5], 300.0),
    ));
    for i in 0..w.camps {
        s.push_str(&format!(
            "(id: \"c{i}\", name: \"C\", capacity: 500, services: (food: 0.9, water: 0.8, electricity: 0.3, sanitation: 0.6, health: 0.5)),"
        ));
    }
    s.push_str("], population: [");
    for (origin, loc, n) in &w.groups {
        let location = match (loc, w.camps) {
            (1, c) if c > 0 => format!("Camp(\"c{}\")", origin % c),
            (2, _) => format!("Host(\"{}\")", did(origin + 1)),
            _ => "Home".to_string(),
        };
        s.push_str(&format!(
            "(origin: \"{}\", location: {location}, households: {n}, mean_size: 5.0, vulnerable_share: 0.3),",
            did(*origin)
        ));
    }
    s.push_str("], injects: [");
    for (i, (day, kind, x)) in w.injects.iter().enumerate() {
        let day = day % w.horizon;
        let d = did(*x);
        let effect = match kind {
            0 if !w.assets.is_empty() => format!("Sabotage(asset: \"a{}\", damage: 0.5)", x % w.assets.len()),
            1 if !w.assets.is_empty() => format!("Blockade(asset: \"a{}\", days: 3)", x % w.assets.len()),
            2 => format!("DiseaseOutbreak(district: \"{d}\", cases: 10.0, multiplier: 2.0, days: 5)"),
            3 => "FuelShortage(agency: \"electricity\", lost: 0.5, days: 4)".to_string(),
            4 => format!("CrewAttack(district: \"{d}\", casualties: 1, security_drop: 0.3, suspend_days: 3)"),
            5 => format!(
                "Displacement(district: \"{d}\", share: 0.5, to: Host(\"{}\"))",
                did(x + 1)
            ),
            6 => "Heatwave(water_factor: 1.5, days: 4)".to_string(),
            7 => "BudgetFreeze(agency: \"water\", days: 5)".to_string(),
            8 => format!("Minefield(district: \"{d}\", contamination: 0.4)"),
            9 => "LiaisonPosted(between: (\"water\", \"electricity\"))".to_string(),
            10 => "Workshop(agencies: [\"water\", \"defence\", \"migration\"])".to_string(),
            _ => "LiaisonEnded(between: (\"water\", \"defence\"))".to_string(),
        };
        s.push_str(&format!(
            "(id: \"i{i}\", message: \"M\", trigger: Day({day}), effect: {effect}),"
        ));
    }
    s.push_str("])");
    s
}

/// Checks every invariant on the world at the end of a day.
fn check_invariants(sim: &cimsim::sim::Simulation, total_people: u64) -> Result<(), TestCaseError> {
    let view = sim.view();
    let census = view.census();
    let placed: u64 = census.home.iter().chain(&census.hosted).chain(&census.camp).sum();
    prop_assert_eq!(placed, total_people, "people appeared or vanished");
    let households = view.households();
    let counted: u64 = households.iter().map(|h| u64::from(h.household.size)).sum();
    prop_assert_eq!(counted, total_people);
    let displaced: u64 = households
        .iter()
        .filter(|h| h.displaced)
        .map(|h| u64::from(h.household.size))
        .sum();
    prop_assert_eq!(
        displaced,
        census.displaced(),
        "the Displaced marker and the census disagree"
    );
    let levels = view.levels();
    for q in levels.q.iter().chain(&levels.camp_q).chain(&levels.availability) {
        for &x in q {
            prop_assert!((0.0..=1.0).contains(&x), "service level {} out of [0, 1]", x);
        }
    }
    for a in view.agencies() {
        for &x in &a.stores.held {
            prop_assert!(x >= 0.0 && x.is_finite(), "stock {}", x);
        }
        prop_assert!(a.budget.funds >= 0.0, "budget {}", a.budget.funds);
    }
    for a in view.assets() {
        prop_assert!((0.0..=1.0).contains(&a.condition), "condition {}", a.condition);
    }
    let districts = view.districts();
    for d in &districts {
        let g = d.ground;
        prop_assert!((0.0..=1.0).contains(&g.contamination) && (0.0..=1.0).contains(&g.security));
    }
    // Issue 15: a district never houses more families than it has habitable
    // dwellings, and nobody goes home to rubble.
    let mut housed = vec![0.0; districts.len()];
    for h in &households {
        let o = h.household.origin.idx();
        let own = districts[o].housing.habitable(h.household.home);
        if !h.displaced && !h.in_rubble {
            prop_assert!(own || h.renting, "a family at home in rubble it did not stay in");
            housed[o] += f64::from(h.household.families);
        }
    }
    for (d, n) in districts.iter().zip(housed) {
        let habitable = d.housing.habitable_dwellings();
        prop_assert!(
            n <= habitable + 1e-9,
            "{} families in {} habitable dwellings",
            n,
            habitable
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn population_is_conserved_and_values_stay_bounded(w in world(), seed in any::<u64>()) {
        let text = ron(&w);
        let l = load(&text);
        let mut sim = cimsim::sim::Simulation::new(&l.scenario, seed);
        let total = sim.view().census().total_people;
        for _ in 0..w.horizon {
            sim.step();
            check_invariants(&sim, total)?;
        }
        prop_assert_eq!(sim.digests().len(), w.horizon as usize);
    }

    #[test]
    fn same_seed_same_digest_for_any_structure(w in world(), seed in any::<u64>()) {
        let l = load(&ron(&w));
        let mut a = cimsim::sim::Simulation::new(&l.scenario, seed);
        let mut b = cimsim::sim::Simulation::new(&l.scenario, seed);
        a.run_to_end();
        b.run_to_end();
        prop_assert_eq!(a.digests(), b.digests());
    }
}
