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
    strategy: "silo",
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
    ScenarioSource {
        name: "test.ron".to_string(),
        text: text.to_string(),
    }
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
        .map(|p| {
            let at = text.get(p.span.clone()).unwrap_or("?");
            let help = p.help.as_deref().unwrap_or("");
            format!(
                "{}:{} {} | {} | help: {help} | at `{at}`",
                p.line, p.column, p.path, p.message
            )
        })
        .collect();
    assert_eq!(found.len(), expected.len(), "problems found:\n{}", shown.join("\n"));
    for ((p, shown), (place, path, fragment)) in found.iter().zip(&shown).zip(expected) {
        assert_eq!(format!("{}:{}", p.line, p.column), *place, "{shown}");
        assert_eq!(p.path, *path, "{shown}");
        assert!(shown.contains(fragment), "`{fragment}` is not in: {shown}");
        assert!(
            p.span.start <= p.span.end && p.span.end <= text.len(),
            "{shown}: span {:?}",
            p.span
        );
    }
}

#[test]
fn base_scenario_loads_and_orders_assets_after_their_dependencies() {
    let loaded = load(source(BASE)).unwrap_or_else(|p| panic!("BASE must be valid: {p:#?}"));
    // The water plant needs the power plant's electricity and the bridge;
    // among ready assets the smaller index goes first.
    assert_eq!(dependency_order(&loaded.scenario), vec![0, 2, 1]);
}

#[test]
fn syntax_error_says_what_was_expected_and_what_was_found() {
    check(
        &edit(&[("horizon_days: 30,", "horizon_days: 30")]),
        &[(
            "8:5",
            "horizon_days",
            "expected `,` or a closing bracket after the value, found `strategy`",
        )],
    );
    check(
        &edit(&[("Day(5)", "Day(5")]),
        &[(
            "87:10",
            "injects[0].trigger.effect",
            "expected `,` or a closing `)`, found `effect`",
        )],
    );
    check(
        &edit(&[("horizon_days: 30", "horizon_days: \"thirty\"")]),
        &[("7:19", "horizon_days", "expected a whole number, found `\"thirty\"`")],
    );
    check(
        &edit(&[("horizon_days: 30", "horizon_days: -3")]),
        &[(
            "7:19",
            "horizon_days",
            "expected a whole number from 0 to 4294967295, found `-3`",
        )],
    );
    check(
        &edit(&[("Some(0.6)", "0.6")]),
        &[(
            "57:28",
            "assets[2].contamination",
            "optional fields are written `Some(0.6)`",
        )],
    );
    check(
        &edit(&[("    ],\n)", "    ],\n) (")]),
        &[("94:3", "", "unexpected text after the end of the scenario")],
    );
}

#[test]
fn unknown_field_lists_the_expected_fields_and_suggests_the_closest() {
    let text = edit(&[("contamination: 0.1", "contamnation: 0.1")]);
    check(
        &text,
        &[(
            "38:101",
            "districts[0].contamnation",
            "help: did you mean `contamination`?",
        )],
    );
    let expected =
        "expected one of: id, name, prewar_population, homes, housing_damage, dwellings, contamination, security";
    assert!(problems(&text)[0].message.contains(expected));
    // Without a close name there is no guess, only the list; the file is
    // then read without the field, so the field it stood for is missing.
    check(
        &edit(&[("homes: 9000", "windows: 9000")]),
        &[
            ("38:67", "districts[0].windows", "help: remove it or fix its name"),
            ("38:136", "districts[0]", "missing field `homes` in `District`"),
        ],
    );
}

#[test]
fn unknown_variant_and_missing_or_repeated_field_are_named() {
    check(
        &edit(&[("kind: Bridge", "kind: Brige")]),
        &[("55:53", "assets[2].kind", "did you mean `Bridge`?")],
    );
    // Regression: `PumpStation` is three edits from both `Substation` and
    // `PumpingStation`; the suggestion used to be the first of the two.
    let text = edit(&[("kind: Bridge", "kind: PumpStation")]);
    let p = &problems(&text)[0];
    assert_eq!(p.help.as_deref(), Some("did you mean `PumpingStation`?"), "{p:?}");
    check(
        &edit(&[("    horizon_days: 30,\n", "")]),
        &[("93:1", "", "missing field `horizon_days` in `Scenario`")],
    );
    check(
        &edit(&[("horizon_days: 30,", "horizon_days: 30, horizon_days: 31,")]),
        &[("7:23", "horizon_days", "field `horizon_days` appears twice")],
    );
}

#[test]
fn missing_references_are_reported_with_the_closest_id() {
    let text = edit(&[
        ("agency: \"power\", site: \"east\"", "agency: \"powr\", site: \"east\""),
        ("serves: [\"east\", \"west\"]", "serves: [\"east\", \"north\"]"),
        (
            "site: \"west\",\n            output",
            "site: \"wset\",\n            output",
        ),
        ("Asset(\"bridge\")", "Asset(\"bridg\")"),
        ("liaisons: [\"water\"]", "liaisons: [\"waters\"]"),
        ("(origin: \"east\"", "(origin: \"nowhere\""),
        ("Camp(\"hasansham\")", "Camp(\"hasansam\")"),
        ("Host(\"east\")", "Host(\"eest\")"),
        ("asset: \"power-plant\"", "asset: \"power-plnt\""),
        ("ServiceBelow(district: \"west\"", "ServiceBelow(district: \"wst\""),
        ("between: (\"power\", \"water\")", "between: (\"power\", \"health\")"),
    ]);
    check(
        &text,
        &[
            (
                "43:86",
                "assets[0].agency",
                "refers to agency `powr`, which does not exist | help: did you mean `power`? agencies are: power, water",
            ),
            (
                "44:87",
                "assets[0].serves[1]",
                "refers to district `north`, which does not exist | help: districts are: east, west",
            ),
            (
                "49:99",
                "assets[1].site",
                "help: did you mean `west`? districts are: east, west",
            ),
            (
                "52:43",
                "assets[1].needs[1]",
                "refers to asset `bridg`, which does not exist | help: did you mean `bridge`?",
            ),
            ("65:43", "agencies[0].liaisons[0]", "did you mean `water`?"),
            ("81:18", "population[0].origin", "refers to district `nowhere`"),
            (
                "82:36",
                "population[1].location",
                "refers to camp `hasansam`, which does not exist | help: did you mean `hasansham`? camps are: hasansham",
            ),
            ("83:36", "population[2].location", "did you mean `east`?"),
            ("87:34", "injects[0].effect.asset", "did you mean `power-plant`?"),
            ("89:47", "injects[1].trigger.district", "did you mean `west`?"),
            ("92:51", "injects[2].effect.between[1]", "refers to agency `health`"),
        ],
    );
}

#[test]
fn duplicate_ids_are_reported_at_the_repeat_with_the_first_line() {
    let third = "        (id: \"west\", name: \"West again\", prewar_population: 1, homes: 1, housing_damage: 0.0, contamination: 0.0, security: 1.0),\n    ],\n    assets: [";
    let text = edit(&[
        ("    ],\n    assets: [", third),
        ("(id: \"liaison\"", "(id: \"cholera\""),
    ]);
    check(
        &text,
        &[
            (
                "40:14",
                "districts[2].id",
                "repeats the id `west` of districts[1] | help: ids must be unique among districts; the first `west` is on line 39",
            ),
            ("92:14", "injects[2].id", "repeats the id `cholera` of injects[1]"),
        ],
    );
}

#[test]
fn ids_must_be_lowercase_kebab_case() {
    check(
        &edit(&[
            ("name: \"mini\"", "name: \"Mini Scenario\""),
            ("id: \"pylon-attack\"", "id: \"pylon_attack\""),
        ]),
        &[
            ("4:11", "name", "found `Mini Scenario` | help: write it `mini-scenario`"),
            ("86:14", "injects[0].id", "help: write it `pylon-attack`"),
        ],
    );
}

#[test]
fn fractions_must_be_from_0_to_1() {
    let text = edit(&[
        (
            "thresholds: (clearance: 0.3, security: 0.5)",
            "thresholds: (clearance: 0.3, security: 5.0)",
        ),
        ("flight_rate: 0.01", "flight_rate: 1.01"),
        ("contamination: 0.1, security: 0.8", "contamination: 0.1, security: 1.5"),
        ("condition: 0.5", "condition: 1.2"),
        ("Some(0.6)", "Some(-0.6)"),
        ("services: (food: 0.9", "services: (food: 2.0"),
        ("vulnerable_share: 0.25", "vulnerable_share: -0.1"),
        ("damage: 0.2)", "damage: 3.0)"),
    ]);
    check(
        &text,
        &[
            ("19:44", "thresholds.security", "must be a share from 0 to 1, found 5"),
            ("34:22", "returns.flight_rate", "found 1.01"),
            ("38:131", "districts[0].security", "found 1.5"),
            ("45:24", "assets[0].condition", "must be a share from 0 to 1, found 1.2"),
            ("57:28", "assets[2].contamination", "found -0.6"),
            ("78:27", "camps[0].services.food", "found 2"),
            ("83:101", "population[2].vulnerable_share", "found -0.1"),
            ("87:57", "injects[0].effect.damage", "found 3"),
        ],
    );
}

#[test]
fn absurdly_large_or_small_numbers_are_refused_before_they_overflow() {
    let text = edit(&[
        ("budget: 1500000.0", "budget: 1e308"),
        ("water_litres: 15.0", "water_litres: 1e-320"),
    ]);
    let found = problems(&text);
    assert!(
        found
            .iter()
            .any(|p| p.path == "agencies[1].budget" && p.message.contains("at most 1e15")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.path == "standards.water_litres" && p.message.contains("at least 1e-9")),
        "{found:#?}"
    );
}

#[test]
fn numbers_must_be_finite_non_negative_and_positive_where_they_divide() {
    let text = edit(&[
        ("water_litres: 15.0", "water_litres: 0.0"),
        ("food: 1.0, water: 1.0", "food: NaN, water: 1.0"),
        ("capacity: 90000.0", "capacity: -5.0"),
        ("repair_cost: 400000.0", "repair_cost: inf"),
        ("crew_slots: 2", "crew_slots: 0"),
        ("budget: 1500000.0", "budget: -1.0"),
        ("multiplier: 2.0", "multiplier: 0.0"),
    ]);
    check(
        &text,
        &[
            (
                "10:23",
                "standards.water_litres",
                "must be at least 1e-9, found 0 | help: the model divides by this value",
            ),
            // A zero water standard is also below its survival minimum.
            (
                "11:32",
                "standards.water_survival_litres",
                "above the full standard `water_litres` of 0",
            ),
            ("18:21", "weights.food", "must be a finite number, found NaN"),
            ("44:59", "assets[0].output.capacity", "must be 0 or more, found -5"),
            ("51:64", "assets[1].repair_cost", "must be a finite number, found inf"),
            ("56:87", "assets[2].crew_slots", "must be at least 1, found 0"),
            ("73:46", "agencies[1].budget", "must be 0 or more, found -1"),
            ("90:77", "injects[1].effect.multiplier", "must be at least 1e-9"),
        ],
    );
}

#[test]
fn zero_horizon_is_reported_once_not_again_for_every_inject_day() {
    check(
        &edit(&[("horizon_days: 30", "horizon_days: 0")]),
        &[("7:19", "horizon_days", "must be at least 1 day, found 0")],
    );
}

#[test]
fn inject_day_must_be_below_the_horizon() {
    check(
        &edit(&[("Day(10)", "Day(30)")]),
        &[(
            "91:93",
            "injects[2].trigger",
            "fires on day 30, but the run's last day is 29 (horizon_days is 30)",
        )],
    );
}

#[test]
fn crew_kind_must_be_one_of_the_agency_mandates() {
    check(
        &edit(&[("kind: TruckWater", "kind: Clear")]),
        &[(
            "71:24",
            "agencies[1].crews[1].kind",
            "is `Clear`, which is not a mandate of agency `water` (mandates: Repair, TruckWater)",
        )],
    );
}

#[test]
fn consistency_rules_are_checked() {
    let text = edit(&[
        ("start_date: \"2017-07-10\"", "start_date: \"2017-02-30\""),
        (
            "weights: (food: 1.0, water: 1.0, electricity: 0.5, sanitation: 0.5, health: 1.0,",
            "weights: (food: 0.0, water: 0.0, electricity: 0.0, sanitation: 0.0, health: 0.0,",
        ),
        ("serves: [\"west\", \"east\"]", "serves: []"),
        (
            "site: \"west\",\n            condition: 0.0",
            "site: \"west\", serves: [\"west\"],\n            condition: 0.0",
        ),
        ("liaisons: [\"water\"]", "liaisons: [\"power\"]"),
        ("mean_size: 6.5", "mean_size: 0.5"),
        ("between: (\"power\", \"water\")", "between: (\"water\", \"water\")"),
        (
            "effect: Sabotage(asset: \"power-plant\", damage: 0.2)",
            "effect: Displacement(district: \"east\", share: 0.1, to: Home)",
        ),
        (
            "effect: DiseaseOutbreak(district: \"west\", cases: 40.0, multiplier: 2.0, days: 10)",
            "effect: Workshop(agencies: [\"power\"])",
        ),
    ]);
    check(
        &text,
        &[
            (
                "6:17",
                "start_date",
                "must be a calendar date written YYYY-MM-DD, found `2017-02-30`",
            ),
            ("18:14", "weights", "gives every service a weight of 0"),
            (
                "50:21",
                "assets[1].output",
                "produces water, but `serves` lists no district",
            ),
            (
                "55:100",
                "assets[2].serves",
                "lists districts, but the asset has no `output`",
            ),
            ("65:43", "agencies[0].liaisons[0]", "is the agency `power` itself"),
            (
                "82:84",
                "population[1].mean_size",
                "must be from 1 to 30 people per household, found 0.5",
            ),
            (
                "87:65",
                "injects[0].effect.to",
                "is `Home`; displaced people go to a camp or a host district",
            ),
            (
                "90:37",
                "injects[1].effect.agencies",
                "lists only one agency; a workshop brings together at least two",
            ),
            ("92:41", "injects[2].effect.between", "names agency `water` twice"),
        ],
    );
}

#[test]
fn dependency_cycle_is_reported_once_at_the_need_that_closes_it() {
    // The power plant now needs water from the plant that needs its power.
    let needs_water = (
        "consumes: [(stock: Fuel",
        "needs: [Service(Water)], consumes: [(stock: Fuel",
    );
    check(
        &edit(&[needs_water]),
        &[(
            "52:21",
            "assets[1].needs[0]",
            "closes a dependency cycle: power-plant -> water-plant -> power-plant",
        )],
    );
    // A self-loop is a cycle too, and independent cycles are reported apart.
    let bridge_needs_itself = (
        "contamination: Some(0.6),",
        "contamination: Some(0.6), needs: [Asset(\"bridge\")],",
    );
    check(
        &edit(&[needs_water, bridge_needs_itself]),
        &[
            (
                "52:21",
                "assets[1].needs[0]",
                "power-plant -> water-plant -> power-plant",
            ),
            (
                "57:47",
                "assets[2].needs[0]",
                "closes a dependency cycle: bridge -> bridge | help: `bridge` needs `bridge` working",
            ),
        ],
    );
}

#[test]
fn sizes_beyond_the_limits_are_refused_before_anything_is_built() {
    // Four billion households of six people: refused by arithmetic alone.
    check(
        &edit(&[("households: 5000,", "households: 4000000000,")]),
        &[
            (
                "81:54",
                "population[0].households",
                "brings the households to 4000000000; a scenario may have at most 20000000",
            ),
            (
                "81:54",
                "population[0].households",
                "brings the people to about 24000000000; a scenario may have at most 150000000",
            ),
        ],
    );
    // Few enough households, too many people.
    check(
        &edit(&[
            (
                "households: 5000, mean_size: 6.0",
                "households: 19000000, mean_size: 8.0",
            ),
            ("homes: 9000,", "homes: 19000000,"),
        ]),
        &[("81:54", "population[0].households", "brings the people to about 152")],
    );
    check(
        &edit(&[
            ("horizon_days: 30", "horizon_days: 40000"),
            ("mean_size: 6.5", "mean_size: 31.0"),
            ("count: 4,", "count: 4000000,"),
        ]),
        &[
            ("7:19", "horizon_days", "is 40000 days; runs are limited to 36500 days"),
            (
                "71:43",
                "agencies[1].crews[1].count",
                "brings the crews to 4000005; a scenario may have at most 1000000",
            ),
            ("82:84", "population[1].mean_size", "must be from 1 to 30"),
        ],
    );
    assert_eq!(
        (LIMITS.households, LIMITS.people, LIMITS.horizon_days),
        (20_000_000, 150_000_000, 36_500)
    );
}

#[test]
fn unsupported_format_version_is_reported_before_anything_else() {
    let expected = [(
        "3:21",
        "format_version",
        "unsupported format_version 2; this build reads 1",
    )];
    check(&edit(&[("format_version: 1", "format_version: 2")]), &expected);
    // A newer file may use syntax this build does not know; the version is
    // still what is reported.
    check(
        &edit(&[
            ("format_version: 1", "format_version: 2"),
            ("horizon_days: 30", "horizon_days: thirty days"),
        ]),
        &expected,
    );
}

#[test]
fn empty_file_and_random_bytes_give_one_problem_each() {
    check("", &[("1:1", "", "the file is empty")]);
    check(
        "  // only a comment\n/* and another */\n",
        &[("1:1", "", "the file is empty")],
    );
    check(
        "\u{0}\u{1}\u{7f}xyz",
        &[(
            "1:1",
            "",
            "expected a scenario, `(format_version: 1, name: ..., ...)`, found `\\0\\u{1}\\u{7f}xyz`",
        )],
    );
    for garbage in [
        "}}}",
        "\"unterminated",
        "(format_version: 1,",
        "r#\"",
        "'",
        "/* open",
        "Scenario",
        "[1, 2, 3]",
        "(((]]]",
    ] {
        assert_eq!(problems(garbage).len(), 1, "{garbage:?}: {:#?}", problems(garbage));
    }
}

#[test]
fn a_hundred_thousand_nested_brackets_give_an_error_not_a_stack_overflow() {
    let deep = "(".repeat(100_000);
    check(&deep, &[("1:2", "", "expected a field or variant name, found `(`")]);
    let deep_value = edit(&[("name: \"mini\"", &format!("name: {}", "[".repeat(100_000)))]);
    check(
        &deep_value,
        &[("4:11", "name", "expected a string in double quotes, found `[`")],
    );
    let deep_list = edit(&[("districts: [", &format!("districts: [{}", "(".repeat(100_000)))]);
    assert_eq!(problems(&deep_list).len(), 1);
}

#[test]
fn a_file_with_three_independent_errors_gives_three_reports_in_file_order() {
    // Edited bottom to top: the reports still come in file order.
    let text = edit(&[
        ("Day(10)", "Day(99)"),
        ("kind: TruckWater", "kind: Clear"),
        ("security: 0.8", "security: 1.8"),
    ]);
    check(
        &text,
        &[
            (
                "38:131",
                "districts[0].security",
                "must be a share from 0 to 1, found 1.8",
            ),
            ("71:24", "agencies[1].crews[1].kind", "is `Clear`"),
            ("91:93", "injects[2].trigger", "fires on day 99"),
        ],
    );
}

#[test]
fn rendered_problem_starts_with_a_greppable_line_and_shows_the_snippet() {
    let text = edit(&[(
        "site: \"west\",\n            output",
        "site: \"wset\",\n            output",
    )]);
    let problem = &problems(&text)[0];
    let out = render(&source(&text), problem, false);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("error: test.ron:49:99: assets[1].site: refers to district `wset`, which does not exist")
    );
    assert!(out.contains("╭─[test.ron:49:99]"), "{out}");
    assert!(out.contains("site: \"wset\","), "{out}");
    assert!(
        out.contains("help: did you mean `west`? districts are: east, west"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no colour was asked for: {out}");
}

#[test]
fn control_characters_in_the_file_never_reach_the_output() {
    let text = edit(&[("id: \"pylon-attack\"", "id: \"\u{1b}[2J\u{9b}31m\"")]);
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let out = render(&source(&text), &found[0], false);
    assert!(out.contains("found `\\u{1b}[2J\\u{9b}31m`"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{9b}'), "{out}");
    // A file on one long line is shown as a window around the place.
    let one_line = text.replace('\n', " ").replace(
        "// A small valid scenario: every kind of item the validator checks.",
        "",
    );
    let found = problems(&one_line);
    assert_eq!(found.len(), 1, "{found:#?}");
    let out = render(&source(&one_line), &found[0], false);
    assert!(out.lines().all(|l| l.chars().count() < 300), "{out}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Flipping, inserting and deleting bytes anywhere in a valid scenario
    /// yields a scenario or problems, never a panic or a hang; every problem
    /// is placed in the text as written (validation reads on in a mended
    /// copy), in file order.
    #[test]
    fn mutated_scenario_bytes_never_panic(
        edits in proptest::collection::vec((0u8..3, any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = BASE.as_bytes().to_vec();
        for (kind, at, byte) in edits {
            let at = at.index(bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => bytes[at] ^= byte.max(1),
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => { bytes.remove(at); }
                _ => {}
            }
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Err(found) = load(source(&text)) {
            prop_assert!(!found.is_empty());
            for problem in &found {
                prop_assert!(problem.span.start <= problem.span.end && problem.span.end <= text.len());
                prop_assert!(text.is_char_boundary(problem.span.start) && text.is_char_boundary(problem.span.end));
                prop_assert_eq!(
                    format!("{}:{}", problem.line, problem.column),
                    line_column(&text, problem.span.start)
                );
                let _ = render(&source(&text), problem, false);
            }
            prop_assert!(found.windows(2).all(|w| w[0].span.start <= w[1].span.start));
        }
    }
}

/// The problem kinds a reviewer found without a test of their own: each is
/// reported at its field.
#[test]
fn repeated_entries_empty_districts_and_misplaced_sites_are_reported() {
    let expect = |text: &str, path: &str, fragment: &str| {
        let found = problems(text);
        assert!(
            found
                .iter()
                .any(|p| p.path.starts_with(path) && p.message.contains(fragment)),
            "no `{fragment}` at `{path}` in {found:#?}"
        );
    };
    expect(
        &edit(&[(r#"serves: ["east", "west"]"#, r#"serves: ["east", "east"]"#)]),
        "assets[0].serves",
        "a second time",
    );
    expect(
        &edit(&[(r#"liaisons: ["water"]"#, r#"liaisons: ["water", "water"]"#)]),
        "agencies[0].liaisons",
        "a second time",
    );
    expect(
        &edit(&[("prewar_population: 50000", "prewar_population: 0")]),
        "districts[0].prewar_population",
        "",
    );
    expect(&edit(&[("capacity: 12000,", "capacity: 0,")]), "camps[0].capacity", "");
}

/// `BASE` with a list of capability targets after its injects.
fn with_capabilities(list: &str) -> String {
    edit(&[(
        "effect: LiaisonPosted(between: (\"power\", \"water\"))),\n    ],\n",
        &format!(
            "effect: LiaisonPosted(between: (\"power\", \"water\"))),\n    ],\n    capabilities: [\n{list}    ],\n"
        ),
    )])
}

const GOOD_CAPABILITY: &str =
    "        (id: \"west-water\", name: \"Water in the west\", source: Some(\"design value\"),
         metric: ServiceLevel(service: Water, districts: [\"west\"], day: 20),
         performed: 0.8, some_challenges: 0.6, major_challenges: 0.4),
        (id: \"safe-crews\", name: \"No crew lost\", metric: CrewCasualties,
         performed: 0, some_challenges: 1, major_challenges: 3),
";

#[test]
fn capability_targets_load_and_their_mistakes_are_located() {
    check(&with_capabilities(GOOD_CAPABILITY), &[]);
    // An unknown district, a day beyond the horizon, thresholds out of order
    // (more is better: they must descend), a repeated id, a share above 1,
    // and ascending thresholds for a metric where less is better.
    let bad = "        (id: \"west-water\", name: \"Water in the west\",
         metric: ServiceLevel(service: Water, districts: [\"wset\"], day: 30),
         performed: 0.6, some_challenges: 0.8, major_challenges: 0.4),
        (id: \"west-water\", name: \"Returns\", metric: ReturnedShare(day: 10),
         performed: 1.5, some_challenges: 0.6, major_challenges: 0.4),
        (id: \"Safe crews\", name: \"No crew lost\", metric: CrewCasualties,
         performed: 3, some_challenges: 1, major_challenges: 0),
";
    check(
        &with_capabilities(bad),
        &[
            ("96:59", "capabilities[0].metric.districts[0]", "did you mean `west`"),
            ("96:73", "capabilities[0].metric.day", "the run's last day is 29"),
            (
                "97:43",
                "capabilities[0].some_challenges",
                "must be at most `performed` (0.6)",
            ),
            ("98:14", "capabilities[1].id", "repeats the id `west-water`"),
            ("99:21", "capabilities[1].performed", "must be a share from 0 to 1"),
            ("100:14", "capabilities[2].id", "kebab-case"),
            (
                "101:41",
                "capabilities[2].some_challenges",
                "must be at least `performed` (3)",
            ),
            (
                "101:62",
                "capabilities[2].major_challenges",
                "must be at least `some_challenges` (1)",
            ),
        ],
    );
}

/// Regression: `validate tal-afar` beside `tal-afar.ron` said only "unknown
/// scenario"; a name without `/` or `.ron` is a built-in's, so say which
/// file was probably meant.
#[test]
fn an_unknown_builtin_that_is_a_file_here_suggests_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tal-afar.ron"), "()").unwrap();
    let err = crate::common::cmd(&["validate", "tal-afar"])
        .current_dir(dir.path())
        .fails(2);
    assert!(err.contains("did you mean the file `./tal-afar.ron`?"), "{err}");
    // A near miss of a built-in's name is suggested too.
    let err = crate::common::cmd(&["run", "tutorail"]).fails(2);
    assert!(err.contains("did you mean `tutorial`?"), "{err}");
}

/// What a scenario author sees for a file with a syntax error, a wrong
/// reference with a suggestion, and a value out of range: the rendered
/// diagnostics, whole.
#[test]
fn validation_diagnostics_as_an_author_reads_them() {
    let text = edit(&[
        (
            "site: \"west\",\n            output",
            "site: \"wset\",\n            output",
        ),
        ("security: 0.8", "security: 1.8"),
    ]);
    let rendered: Vec<String> = problems(&text)
        .iter()
        .map(|p| render(&source(&text), p, false))
        .collect();
    insta::assert_snapshot!(rendered.join("\n"));
    let broken = edit(&[("horizon_days: 30,", "horizon_days: 30")]);
    let rendered: Vec<String> = problems(&broken)
        .iter()
        .map(|p| render(&source(&broken), p, false))
        .collect();
    insta::assert_snapshot!("syntax", rendered.join("\n"));
    // A misspelt field, a field that is no field (so one is missing), and a
    // value out of range: all three, the first two with what was assumed.
    let recovered = edit(&[(
        "homes: 9000, housing_damage: 0.2, contamination: 0.1, security: 0.8",
        "windows: 9000, housing_damage: 0.2, contamnation: 0.1, security: 1.8",
    )]);
    let rendered: Vec<String> = problems(&recovered)
        .iter()
        .map(|p| render(&source(&recovered), p, false))
        .collect();
    insta::assert_snapshot!("recovered", rendered.join("\n"));
}

/// `line:column` of a byte of `text` (columns count chars, as the
/// diagnostics do).
fn line_column(text: &str, byte: usize) -> String {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
    format!("{line}:{column}")
}

/// Regression (issue 14.16): a misspelt field name was reported alone and
/// hid every other problem in the file. `validate` now reads on past it
/// (checking the file as if the closest field name had been written) and
/// reports the semantic problems too, each at its place in the file as
/// written, with a note that other problems may follow from the guess.
#[test]
fn a_misspelt_field_no_longer_hides_the_other_problems_of_the_file() {
    let mut text = cimsim::scenario::builtin("tutorial").unwrap().text;
    // Where the edited items are in the tutorial's lists.
    let tutorial = load(cimsim::scenario::builtin("tutorial").unwrap()).unwrap().scenario;
    let west = tutorial.districts.iter().position(|d| d.name == "West bank").unwrap();
    let assets = |f: &dyn Fn(&cimsim::scenario::Asset) -> bool| tutorial.assets.iter().filter(|a| f(a)).count();
    assert_eq!(assets(&|a| a.kind == cimsim::scenario::AssetKind::Hospital), 1);
    assert_eq!(assets(&|a| a.site == "old-town"), 1);
    let hospital = tutorial
        .assets
        .iter()
        .position(|a| a.kind == cimsim::scenario::AssetKind::Hospital)
        .unwrap();
    let in_old_town = tutorial.assets.iter().position(|a| a.site == "old-town").unwrap();
    let inject = |id: &str| tutorial.injects.iter().position(|i| i.id == id).unwrap();
    let (cholera, workshop) = (inject("cholera-west"), inject("workshop"));
    let group = tutorial
        .population
        .iter()
        .position(|p| p.vulnerable_share == 0.15)
        .unwrap();
    // (what the tutorial says, the mistake, where in the mistake the problem
    // is reported, what the report says), in file order.
    let mistakes = [
        (
            "name: \"West bank\"",
            "naem: \"West bank\"",
            "naem",
            format!("districts[{west}].naem: unknown field `naem` in `District`"),
        ),
        (
            "kind: Hospital",
            "kind: Hospitl",
            "Hospitl",
            format!("assets[{hospital}].kind: unknown variant `Hospitl` in `AssetKind`"),
        ),
        (
            "site: \"old-town\"",
            "site: \"old-twon\"",
            "\"old-twon\"",
            format!("assets[{in_old_town}].site: refers to district `old-twon`, which does not exist"),
        ),
        (
            "vulnerable_share: 0.15",
            "vulnerable_share: 1.15",
            "1.15",
            format!("population[{group}].vulnerable_share: must be a share from 0 to 1, found 1.15"),
        ),
        (
            "id: \"workshop\"",
            "id: \"cholera-west\"",
            "\"cholera-west\"",
            format!("injects[{workshop}].id: repeats the id `cholera-west` of injects[{cholera}]"),
        ),
    ];
    let mut expected = Vec::new();
    let mut after = 0;
    for (from, to, marker, message) in mistakes {
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur once in the tutorial"
        );
        let at = text.find(from).unwrap();
        assert!(at >= after, "the mistakes are listed in file order");
        text.replace_range(at..at + from.len(), to);
        after = at + to.len();
        let place = line_column(&text, at + to.find(marker).unwrap());
        expected.push(format!("error: ./broken.ron:{place}: {message}"));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.ron"), &text).unwrap();
    let ran = crate::common::cmd(&["validate", "./broken.ron"])
        .current_dir(dir.path())
        .run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert_eq!(ran.stdout, "./broken.ron: 5 problems\n", "{}", ran.stderr);
    let headlines: Vec<&str> = ran.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(headlines.len(), expected.len(), "{}", ran.stderr);
    for (headline, expected) in headlines.iter().zip(&expected) {
        assert!(
            headline.starts_with(expected.as_str()),
            "{headline}\nis not\n{expected}"
        );
    }
    // Notes are wrapped as the help is; read them unwrapped.
    let unwrapped = ran.stderr.replace("\n        ", " ");
    for note in [
        "note: the rest of the file was checked as if `naem` were `name`; other problems may follow from this",
        "note: the rest of the file was checked as if `Hospitl` were `Hospital`; other problems may follow from this",
    ] {
        assert!(unwrapped.contains(note), "no `{note}` in\n{}", ran.stderr);
    }
}

/// The notes of the problems `load` finds in `text`, in order.
fn notes(text: &str) -> Vec<Option<String>> {
    problems(text).into_iter().map(|p| p.note).collect()
}

/// The note of a problem after which validation read on, when others follow.
fn read_on(said: &str) -> Option<String> {
    Some(format!(
        "the rest of the file was checked {said}; other problems may follow from this"
    ))
}

/// Issue 14.16: after each structure error validation reads on as if the
/// likely fix had been made, then runs the semantic checks on the mended
/// text; every problem is placed in the text as written (`contamnation` is
/// one letter short, so `security` is at column 130 as written, 131 in the
/// mended text), in file order, and each guess is named in a note.
#[test]
fn structure_and_semantic_problems_are_all_reported_at_their_places_as_written() {
    let text = edit(&[
        ("name: \"mini\"", "naem: \"mini\""),
        ("horizon_days: 30,", "horizon_days: \"thirty\","),
        ("contamination: 0.1, security: 0.8", "contamnation: 0.1, security: 1.8"),
        ("serves: [\"east\", \"west\"]", "serves: [\"east\" \"wset\"]"),
        ("kind: Bridge", "kind: Brige"),
        ("Some(0.6)", "0.6"),
        ("(id: \"liaison\"", "(id: \"cholera\""),
    ]);
    check(
        &text,
        &[
            ("4:5", "naem", "unknown field `naem` in `Scenario`"),
            ("7:19", "horizon_days", "expected a whole number, found `\"thirty\"`"),
            ("38:101", "districts[0].contamnation", "did you mean `contamination`?"),
            (
                "38:130",
                "districts[0].security",
                "must be a share from 0 to 1, found 1.8",
            ),
            (
                "44:86",
                "assets[0].serves[0]",
                "expected `,` or a closing bracket after the value",
            ),
            (
                "44:86",
                "assets[0].serves[1]",
                "refers to district `wset`, which does not exist",
            ),
            ("55:53", "assets[2].kind", "did you mean `Bridge`?"),
            (
                "57:28",
                "assets[2].contamination",
                "optional fields are written `Some(0.6)`",
            ),
            ("91:14", "injects[2].id", "repeats the id `cholera` of injects[1]"),
        ],
    );
    assert_eq!(
        notes(&text),
        [
            read_on("as if `naem` were `name`"),
            read_on("with a stand-in value here"),
            read_on("as if `contamnation` were `contamination`"),
            None,
            read_on("as if a comma were written before `\"wset\"`"),
            None,
            read_on("as if `Brige` were `Bridge`"),
            read_on("as if it were `Some(0.6)`"),
            None,
        ]
    );
}

/// A field left out (no field of that name exists, and none is close) is
/// named as the likely cause of what follows: here the field it stood for
/// is missing. The last problem has no note: nothing follows it.
#[test]
fn a_field_left_out_is_named_as_the_likely_cause_of_the_problems_after_it() {
    let text = edit(&[("homes: 9000", "windows: 9000")]);
    assert_eq!(notes(&text), [read_on("without this field"), None]);
    // Alone, a mended problem needs no note: nothing else was found.
    assert_eq!(notes(&edit(&[("name: \"mini\"", "naem: \"mini\"")])), [None]);
    assert_eq!(notes(&edit(&[("horizon_days: 30,", "horizon_days: 30")])), [None]);
}

/// A missing or mistyped value is replaced by a stand-in of the type the
/// format wants (a struct of stand-ins, an enum's first variant, a variant
/// with its payload), and nothing about the stand-in itself is reported:
/// each mistake below is one problem, and the semantic checks still run
/// (the share out of range is found).
#[test]
fn a_stand_in_value_is_never_itself_reported() {
    let mistakes = [
        ("    thresholds: (clearance: 0.3, security: 0.5),\n", ""),
        ("kind: Bridge, ", ""),
        ("trigger: Day(5),", ""),
        ("location: Home", "location: \"home\""),
        ("Sabotage(asset: \"power-plant\", damage: 0.2)", "Explosion(target: 1)"),
        ("horizon_days: 30", "horizon_days: -3"),
    ];
    for mistake in mistakes {
        assert_eq!(
            problems(&edit(&[mistake])).len(),
            1,
            "{mistake:?}: {:#?}",
            problems(&edit(&[mistake]))
        );
    }
    let mut all = mistakes.to_vec();
    all.push(("security: 0.8", "security: 1.8"));
    let found = problems(&edit(&all));
    let paths: Vec<&str> = found.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "horizon_days",
            "districts[0].security",
            "assets[2]",
            "population[0].location",
            "injects[0].effect",
            "injects[0]",
            // Missing fields are found at the closing bracket.
            "",
        ],
        "{found:#?}"
    );
}

/// A syntax error that no small edit mends (here an unclosed bracket)
/// stops checking, and its note says so and why: the share out of range on
/// line 38 is not reported, because no value was checked.
#[test]
fn an_unmendable_syntax_error_stops_checking_and_says_so() {
    let text = edit(&[
        ("name: \"mini\"", "naem: \"mini\""),
        ("security: 0.8", "security: 1.8"),
        ("Day(5)", "Day(5"),
    ]);
    check(
        &text,
        &[
            ("4:5", "naem", "unknown field `naem`"),
            (
                "87:10",
                "injects[0].trigger.effect",
                "expected `,` or a closing `)`, found `effect`",
            ),
        ],
    );
    let stopped = "checking stopped here: what was meant cannot be guessed, so the rest of the file \
                   was not read and no ids, references or values were checked";
    assert_eq!(
        notes(&text),
        [read_on("as if `naem` were `name`"), Some(stopped.to_string())]
    );
    // A comma put in that does not help (`3.5` is not a whole number) stops
    // checking at the same place, rather than reporting what follows from it.
    let text = edit(&[("horizon_days: 30", "horizon_days: 3.5")]);
    check(&text, &[("7:20", "horizon_days", "found `.5`")]);
    assert_eq!(notes(&text), [Some(stopped.to_string())]);
}

/// Reading on is bounded: a file of thirty unknown fields gets twenty
/// problems, the last saying that checking stopped there.
#[test]
fn a_file_of_many_structure_errors_stops_after_twenty() {
    let extra: String = (0..30).map(|i| format!("extra{i}: {i}, ")).collect();
    let text = edit(&[("(id: \"east\", ", &format!("(id: \"east\", {extra}"))]);
    let found = problems(&text);
    assert_eq!(found.len(), 20, "{found:#?}");
    assert!(found.iter().all(|p| p.message.starts_with("unknown field `extra")));
    assert_eq!(
        found[19].note.as_deref(),
        Some("checking stopped after 20 problems of structure; fix these and validate the file again")
    );
}
