//! The engine's behaviour: dependency rules on hand-built towns,
//! determinism, reference digests, and invariants over random scenarios.

use crate::common::*;

use cimsim::scenario::Service;
use cimsim::sim::Simulation;
use cimsim::sim::components::{Blocker, Limit, Operation};

fn blocked(sim: &Simulation, agency: usize, why: Blocker) -> f64 {
    let i = Blocker::ALL.iter().position(|b| *b == why).unwrap();
    sim.view().ledger().blocked[agency][i]
}

fn operation(sim: &Simulation, ix: u16) -> Operation {
    *sim.view()
        .assets()
        .iter()
        .find(|a| a.asset.ix.get() == ix)
        .unwrap()
        .operation
}

#[test]
fn no_power_means_no_water_and_the_plant_says_why() {
    let sim = run(
        &town(&Town {
            power_condition: 0.0,
            ..Town::default()
        }),
        1,
        5,
    );
    assert_eq!(level(&sim, Service::Water), 0.0);
    let op = operation(&sim, 1);
    assert_eq!(op.level, 0.0);
    assert_eq!(op.limit, Limit::NeedService(Service::Electricity));

    // The same town with power has water.
    let sim = run(&town(&Town::default()), 1, 5);
    assert!(
        level(&sim, Service::Water) > 0.9,
        "water {}",
        level(&sim, Service::Water)
    );
}

#[test]
fn repairing_the_power_station_brings_the_water_back() {
    let t = Town {
        power_condition: 0.0,
        electricity_crews: 4,
        ..Town::default()
    };
    let sim = run(&town(&t), 1, 10);
    assert!(
        condition(&sim, 0) >= 1.0,
        "power station not repaired: {}",
        condition(&sim, 0)
    );
    assert!(level(&sim, Service::Water) > 0.9);
}

#[test]
fn no_clearance_means_no_repair() {
    let t = Town {
        plant_condition: 0.2,
        plant_site_contamination: Some(0.8),
        ..Town::default()
    };
    let sim = run(&town(&t), 1, 30);
    assert_eq!(condition(&sim, 1), 0.2, "the plant was repaired on a mined site");
    assert!(
        blocked(&sim, 1, Blocker::Hazard) > 0.0,
        "no crew-day was recorded as blocked on hazards"
    );

    // With deminers the site is cleared and the plant repaired.
    let t = Town { clear_crews: 2, ..t };
    let sim = run(&town(&t), 1, 30);
    assert!(condition(&sim, 1) > 0.2, "cleared site, yet no repair");
}

#[test]
fn no_security_means_no_distribution() {
    let t = Town {
        security: 0.2,
        food_crews: 2,
        ..Town::default()
    };
    let sim = run(&town(&t), 1, 10);
    assert_eq!(level(&sim, Service::Food), 0.0);
    assert!(blocked(&sim, 3, Blocker::Security) > 0.0);

    let t = Town { security: 0.8, ..t };
    let sim = run(&town(&t), 1, 10);
    assert!(level(&sim, Service::Food) > 0.4, "food {}", level(&sim, Service::Food));
}

#[test]
fn securing_the_district_lets_distribution_start() {
    let t = Town {
        security: 0.3,
        food_crews: 2,
        secure_crews: 2,
        ..Town::default()
    };
    let sim = run(&town(&t), 1, 20);
    assert!(level(&sim, Service::Food) > 0.4, "food {}", level(&sim, Service::Food));
}

/// Regression: an asset in a district where nobody lives got none of the
/// power it needed, because output was shared by residents' need alone.
#[test]
fn a_plant_in_an_empty_district_runs_on_the_grid_that_serves_it() {
    let text = town(&Town::default())
        .replace(
            r#"contamination: 0.0, security: 0.9),"#,
            r#"contamination: 0.0, security: 0.9),
        (id: "works", name: "Works", prewar_population: 100, homes: 10, housing_damage: 0.0,
         contamination: 0.0, security: 0.9),"#,
        )
        .replace(
            r#"serves: ["centre"],
         condition: 1.0, repair_effort: 20.0, repair_cost: 1000.0, crew_slots: 4),"#,
            r#"serves: ["centre", "works"],
         condition: 1.0, repair_effort: 20.0, repair_cost: 1000.0, crew_slots: 4),"#,
        )
        .replace(
            r#"agency: "water", site: "centre","#,
            r#"agency: "water", site: "works","#,
        );
    assert!(
        text.contains(r#"site: "works""#) && text.contains(r#"serves: ["centre", "works"]"#),
        "{text}"
    );
    let sim = run(&text, 1, 3);
    let op = operation(&sim, 1);
    assert!(op.level > 0.9, "plant level {} held back by {:?}", op.level, op.limit);
    assert!(level(&sim, Service::Water) > 0.9);
}

#[test]
fn coarser_households_keep_the_population() {
    let l = cimsim::scenario::load(cimsim::scenario::builtin("tutorial").unwrap()).unwrap();
    let people = |k: u32| {
        let options = cimsim::sim::Options {
            families_per_entity: k,
            ..Default::default()
        };
        let sim = Simulation::with_options(&l.scenario, 1, options);
        let census = sim.view().census();
        (census.total_people as f64, census.total_households)
    };
    let (full, entities) = people(1);
    assert_eq!(entities, 7000);
    for k in [10, 10_000] {
        let (coarse, fewer) = people(k);
        assert!(fewer < entities);
        assert!(
            (coarse / full - 1.0).abs() < 0.02,
            "K = {k}: {coarse} people against {full}"
        );
    }
}
