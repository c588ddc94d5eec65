//! Homes, rubble and the explosives in it (issue 15): a family goes home
//! only to a dwelling it can live in, rubble must go before rebuilding, the
//! explosives in it become clearance requests, and shelter is in the loss.

use cimsim::scenario::{self, LoadedScenario, Scenario};
use cimsim::sim::components::Ask;
use cimsim::sim::{Options, Simulation};

use crate::common::{STILL_RULES, load};

fn mosul() -> LoadedScenario {
    scenario::load(scenario::builtin("mosul-2017").expect("built in")).expect("loads")
}

/// `s` at 10 families per entity (the invariants hold at any resolution).
fn coarse(s: &Scenario, seed: u64) -> Simulation {
    Simulation::with_options(
        s,
        seed,
        Options {
            families_per_entity: 10,
            shuffle: None,
        },
    )
}

/// Families at home in a dwelling they can live in (their own habitable
/// one, or a rented or shared one), by district.
fn housed_families(sim: &Simulation) -> Vec<f64> {
    let view = sim.view();
    let districts = view.districts();
    let mut housed = vec![0.0; districts.len()];
    for h in view.households() {
        let o = h.household.origin.idx();
        let own = districts[o].housing.habitable(h.household.home);
        if !h.displaced && !h.in_rubble && (own || h.renting) {
            housed[o] += f64::from(h.household.families);
        }
    }
    housed
}

/// Checks on day `day` that no district houses more families than it has
/// habitable dwellings, and that nobody who went home lives in rubble.
fn check_housing(sim: &Simulation, day: u32) {
    let view = sim.view();
    for (d, (state, housed)) in view.districts().iter().zip(housed_families(sim)).enumerate() {
        let habitable = state.housing.habitable_dwellings();
        assert!(
            housed <= habitable + 1e-9,
            "day {day}, district {d}: {housed} families housed in {habitable} habitable dwellings"
        );
    }
    for h in view.households() {
        // Those who stayed through the fighting may live in their rubble;
        // nobody goes back to it.
        if !h.displaced && !h.in_rubble {
            let own = view.districts()[h.household.origin.idx()]
                .housing
                .habitable(h.household.home);
            assert!(own || h.renting, "day {day}: a family went home to rubble");
        }
    }
}

#[test]
fn families_at_home_never_outnumber_habitable_dwellings_in_the_built_in_scenarios() {
    for name in ["mosul-2017", "mosul-east-2017", "tutorial"] {
        let l = scenario::load(scenario::builtin(name).unwrap()).unwrap();
        let mut sim = coarse(&l.scenario, 1);
        let mut day = 0;
        while day < l.scenario.horizon_days {
            sim.run_days(30.min(l.scenario.horizon_days - day));
            day = sim.view().day();
            check_housing(&sim, day);
        }
    }
}

/// West Mosul's districts, by id.
const WEST: [&str; 7] = [
    "old-city",
    "al-zanjili",
    "al-najjar",
    "al-jadida",
    "17-tammuz",
    "al-yarmouk",
    "al-mamoun",
];

/// People displaced from the West on the last day of `s`, seed 1.
fn west_displaced_at_the_end(s: &Scenario) -> (u64, f64) {
    let mut sim = coarse(s, 1);
    sim.run_to_end();
    let view = sim.view();
    let names: Vec<&str> = s.districts.iter().map(|d| d.id.as_str()).collect();
    let displaced = names
        .iter()
        .enumerate()
        .filter(|(_, id)| WEST.contains(id))
        .map(|(d, _)| view.census().displaced_from[d])
        .sum();
    let uninhabitable = view.districts().iter().map(|d| d.housing.uninhabitable).sum();
    (displaced, uninhabitable)
}

#[test]
fn without_house_repair_the_west_stays_away_longer() {
    let l = mosul();
    let (with, _) = west_displaced_at_the_end(&l.scenario);
    let mut none = l.scenario.clone();
    let partners = none.agencies.iter_mut().find(|a| a.id == "partners").unwrap();
    partners.crews.clear();
    let (without, _) = west_displaced_at_the_end(&none);
    assert!(
        without > with + with / 10,
        "the West's displaced on day 900: {without} without house repair, {with} with it"
    );
}

#[test]
fn without_rubble_removal_rebuilding_waits_and_rubble_explosives_are_asked_for() {
    let l = mosul();
    let (_, left_with) = west_displaced_at_the_end(&l.scenario);
    let mut none = l.scenario.clone();
    none.agencies
        .iter_mut()
        .find(|a| a.id == "housing")
        .unwrap()
        .crews
        .clear();
    let (_, left_without) = west_displaced_at_the_end(&none);
    assert!(
        left_without > left_with + 1_000.0,
        "uninhabitable homes on day 900: {left_without} without rubble removal, {left_with} with it"
    );
    // The rubble crews meet the explosives they uncover and ask a clearing
    // agency for clearance.
    let mut sim = coarse(&l.scenario, 1);
    sim.run_to_end();
    let view = sim.view();
    let housing = view.names().agency("housing").unwrap();
    let asked = view
        .requests()
        .list
        .iter()
        .filter(|r| r.from == housing && r.ask == Ask::Clearance)
        .count();
    assert!(asked > 0, "the housing ministry never asked for clearance");
    let ledger = view.ledger();
    assert!(
        ledger.waits.keys().any(|w| w.from == housing),
        "the housing ministry's waits on clearance are not in the ledger"
    );
}

/// A district whose every home is destroyed and a district whose homes are
/// whole: 500 families of the ruined one either in their rubble or hosted
/// next door. Services are the same in both (none), so only housing differs.
fn ruins(location: &str) -> String {
    let rules = STILL_RULES.replace("displacement: 1.0)", "displacement: 1.0, shelter: 1.0)");
    assert_ne!(rules, STILL_RULES, "the still rules' weights changed");
    format!(
        r#"(
    format_version: 1, name: "ruins", title: "Ruins", start_date: "2020-01-01", horizon_days: 30,
    {rules}
    districts: [
        (id: "ruins", name: "Ruins", prewar_population: 3000, homes: 500,
         dwellings: (destroyed: 500), contamination: 0.0, security: 0.9),
        (id: "next", name: "Next door", prewar_population: 3000, homes: 600, contamination: 0.0, security: 0.9),
    ],
    assets: [],
    agencies: [(id: "housing", name: "Housing", mandates: [], budget: 0.0, recheck_days: 5)],
    population: [
        (origin: "ruins", location: {location}, households: 500, mean_size: 6.0, vulnerable_share: 0.2),
        (origin: "next", location: Home, households: 500, mean_size: 6.0, vulnerable_share: 0.2),
    ],
)"#
    )
}

#[test]
fn families_in_rubble_cost_more_than_families_who_wait_hosted() {
    let loss = |location: &str| {
        let l = load(&ruins(location));
        let mut sim = Simulation::new(&l.scenario, 1);
        sim.run_to_end();
        let view = sim.view();
        let o = view.outcomes();
        (o.total_loss(&view.rules().weights), o.shelter_days)
    };
    let (rubble, rubble_shelter) = loss("Home");
    let (hosted, hosted_shelter) = loss("Host(\"next\")");
    assert!(rubble_shelter > hosted_shelter, "{rubble_shelter} vs {hosted_shelter}");
    assert!(
        rubble > hosted,
        "the loss with families in rubble ({rubble}) is not above the loss with them hosted ({hosted})"
    );
}

#[test]
fn a_family_whose_home_is_gone_rents_only_what_its_district_has_to_let() {
    // 500 families of the ruined district, hosted next door, and a district
    // with 40 habitable homes nobody owns: at most 40 may come back.
    let text = ruins("Host(\"next\")")
        .replace(
            "homes: 500,\n         dwellings: (destroyed: 500)",
            "homes: 540,\n         dwellings: (destroyed: 500)",
        )
        .replace("max_daily_rate: 0.0", "max_daily_rate: 0.5");
    let l = load(&text);
    let mut sim = Simulation::new(&l.scenario, 1);
    sim.run_to_end();
    let view = sim.view();
    let back: u32 = view
        .households()
        .iter()
        .filter(|h| h.household.origin.idx() == 0 && !h.displaced)
        .map(|h| u32::from(h.household.families))
        .sum();
    check_housing(&sim, 30);
    assert!(
        (1..=40).contains(&back),
        "{back} families back in a district with 40 homes to let"
    );
}

/// Old City's day-0 displaced at home, by day, and the day and agency that
/// authorised returns there, when the Old City is closed on day 0 and the
/// authorities need it known at most `max_contamination` to open it.
fn old_city_closed(max_contamination: f64) -> (Vec<u64>, Option<(u32, String)>, f64) {
    let mut s = mosul().scenario;
    let old = s.districts.iter().position(|d| d.id == "old-city").unwrap();
    s.districts[old].closed = true;
    s.authorisation = scenario::Authorisation {
        by: vec!["interior".into(), "defence".into()],
        max_contamination,
        min_security: 0.6,
    };
    let mut sim = coarse(&s, 1);
    let mut back = Vec::new();
    for _ in 0..s.horizon_days {
        sim.run_days(1);
        back.push(sim.view().census().returned_initial_from[old]);
    }
    let view = sim.view();
    let by = view.access().authorised[old].map(|(day, a)| (day, view.names().agencies[a.idx()].clone()));
    (back, by, view.outcomes().total_loss(&s.weights))
}

#[test]
fn a_closed_district_sees_no_returns_until_an_authority_knows_it_cleared_and_secure() {
    let (back, by, loss) = old_city_closed(0.1);
    let (day, agency) = by.expect("the Old City is authorised within the run");
    assert!(["interior", "defence"].contains(&agency.as_str()), "{agency}");
    assert!(day > 0, "authorised on day 0, when it is mined");
    assert!(back[..day as usize].iter().all(|&n| n == 0), "returns before day {day}");
    assert!(back.last().copied().unwrap_or(0) > 0, "nobody back after authorisation");
    // Conditions no knowledge can meet keep it closed, and cost more.
    let (never, none, worse) = old_city_closed(-1.0);
    assert!(none.is_none());
    assert!(never.iter().all(|&n| n == 0));
    assert!(worse > loss, "{worse} <= {loss}");
}
