//! Scenario loading and validation: every kind of problem is reported with
//! its field path, line and column, and no input makes `load` panic.
//!
//! Each check starts from `BASE`, a small valid scenario, edits it with string
//! replacements and compares the problems `load` returns with the expected
//! `line:column path` and a fragment of the message.

use cimsim::scenario::diagnostic::render;
use cimsim::scenario::{LIMITS, Problem, ScenarioSource, dependency_order, load};
use proptest::prelude::*;

/// A small valid scenario with one item of most kinds; line 1 is the comment.
const BASE: &str = r#"// A small valid scenario: every kind of item the validator checks.
(
    format_version: 1,
    name: "mini",
    title: "Two districts, a power plant and a water plant",
    start_date: "2017-07-10",
    horizon_days: 30,
    strategy: Silo,
    standards: (
        water_litres: 15.0,
        water_survival_litres: 7.5,
        food_kcal: 2100.0,
        food_survival_kcal: 1500.0,
        electricity_kwh: 1.0,
        people_per_toilet: 50.0,
        beds_per_10000: 18.0,
    ),
    weights: (food: 1.0, water: 1.0, electricity: 0.5, sanitation: 0.5, health: 1.0, displacement: 0.2),
    thresholds: (clearance: 0.3, security: 0.5),
    returns: (
        max_daily_rate: 0.05,
        security_weight: 1.0,
        services_weight: 1.0,
        housing_weight: 0.5,
        contamination_weight: 1.0,
        midpoint: 0.5,
        steepness: 8.0,
        perception_days: 7.0,
        uninhabitable_factor: 0.3,
        vulnerable_factor: 0.7,
        settling_days: 14,
        leave_uninhabitable_rate: 0.02,
        flight_security: 0.2,
        flight_rate: 0.01,
    ),
    disease: (base_rate: 0.0001, wash_rate: 0.002, illness_days: 7.0, treatment_effect: 0.5),
    districts: [
        (id: "east", name: "East bank", prewar_population: 50000, homes: 9000, housing_damage: 0.2, contamination: 0.1, security: 0.8),
        (id: "west", name: "West bank", prewar_population: 40000, homes: 7000, housing_damage: 0.5, contamination: 0.4, security: 0.6),
    ],
    assets: [
        (
            id: "power-plant", name: "East power plant", kind: PowerStation, agency: "power", site: "east",
            output: Some((service: Electricity, capacity: 90000.0)), serves: ["east", "west"],
            condition: 0.5, repair_effort: 200.0, repair_cost: 1000000.0, crew_slots: 4,
            consumes: [(stock: Fuel, per_day: 5000.0)],
        ),
        (
            id: "water-plant", name: "West water plant", kind: WaterPlant, agency: "water", site: "west",
            output: Some((service: Water, capacity: 1200000.0)), serves: ["west", "east"],
            condition: 0.3, repair_effort: 150.0, repair_cost: 400000.0, crew_slots: 3,
            needs: [Service(Electricity), Asset("bridge")],
        ),
        (
            id: "bridge", name: "Old bridge", kind: Bridge, agency: "water", site: "west",
            condition: 0.0, repair_effort: 300.0, repair_cost: 2000000.0, crew_slots: 2,
            contamination: Some(0.6),
        ),
    ],
    agencies: [
        (
            id: "power", name: "Ministry of Electricity", mandates: [Repair, DeliverFuel],
            crews: [(kind: Repair, count: 3, rate: 1.0, daily_cost: 600.0, fuel_per_day: 40.0)],
            stocks: (fuel: 50000.0), resupply: (fuel: 4000.0),
            budget: 2000000.0, liaisons: ["water"], recheck_days: 7,
        ),
        (
            id: "water", name: "Water directorate", mandates: [Repair, TruckWater],
            crews: [
                (kind: Repair, count: 2, rate: 1.0, daily_cost: 500.0),
                (kind: TruckWater, count: 4, rate: 20000.0, daily_cost: 300.0, fuel_per_day: 60.0),
            ],
            stocks: (fuel: 20000.0), budget: 1500000.0, recheck_days: 5,
        ),
    ],
    camps: [
        (id: "hasansham", name: "Hasansham camp", capacity: 12000,
         services: (food: 0.9, water: 0.8, electricity: 0.4, sanitation: 0.7, health: 0.6)),
    ],
    population: [
        (origin: "east", location: Home, households: 5000, mean_size: 6.0, vulnerable_share: 0.2),
        (origin: "west", location: Camp("hasansham"), households: 1500, mean_size: 6.5, vulnerable_share: 0.3),
        (origin: "west", location: Host("east"), households: 800, mean_size: 6.0, vulnerable_share: 0.25),
    ],
    injects: [
        (id: "pylon-attack", message: "Saboteurs damage the power plant.", trigger: Day(5),
         effect: Sabotage(asset: "power-plant", damage: 0.2)),
        (id: "cholera", message: "Cholera cases in the west.",
         trigger: When(ServiceBelow(district: "west", service: Water, below: 0.3, days: 3)),
         effect: DiseaseOutbreak(district: "west", cases: 40.0, multiplier: 2.0, days: 10)),
        (id: "liaison", message: "A liaison officer joins the water directorate.", trigger: Day(10),
         effect: LiaisonPosted(between: ("power", "water"))),
    ],
)
"#;

fn source(text: &str) -> ScenarioSource {
    ScenarioSource { name: "test.ron".to_string(), text: text.to_string() }
}

/// The problems `load` finds in `text`, or none when it loads.
fn problems(text: &str) -> Vec<Problem> {
    load(source(text)).err().unwrap_or_default()
}

/// `BASE` with each `(from, to)` applied; every `from` must occur exactly once,
/// so an edit cannot silently miss.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur exactly once");
        text = text.replacen(from, to, 1);
    }
    text
}

/// Asserts that `text` has exactly the `expected` problems, in order: each is
/// (`line:column`, path, a fragment of the message or help).
fn check(text: &str, expected: &[(&str, &str, &str)]) {
    let found = problems(text);
    let shown: Vec<String> = found
        .iter()
        .map(|p| format!("{}:{} {} | {} | help: {}", p.line, p.column, p.path, p.message, p.help.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(found.len(), expected.len(), "problems found:\n{}", shown.join("\n"));
    for ((p, shown), (place, path, fragment)) in found.iter().zip(&shown).zip(expected) {
        assert_eq!(format!("{}:{}", p.line, p.column), *place, "{shown}");
        assert_eq!(p.path, *path, "{shown}");
        assert!(shown.contains(fragment), "`{fragment}` is not in: {shown}");
        assert!(p.span.start <= p.span.end && p.span.end <= text.len(), "{shown}: span {:?}", p.span);
    }
}
