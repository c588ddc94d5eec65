//! The built-in Mosul scenarios: calibration on East Mosul, and every
//! scripted event of `mosul-2017` changing the run.

use cimsim::scenario::{self, LoadedScenario};
use cimsim::score::EastTargets;
use cimsim::sim::Simulation;

fn builtin(name: &str) -> LoadedScenario {
    scenario::load(scenario::builtin(name).expect("built in")).expect("loads")
}

/// The calibration targets of `docs/model.md`, as means over ten seeds.
#[test]
fn east_mosul_lands_in_the_calibration_ranges() {
    let l = builtin("mosul-east-2017");
    let seeds = 1..=10u64;
    let runs: Vec<EastTargets> = seeds
        .map(|seed| {
            let mut sim = Simulation::new(&l.scenario, seed);
            sim.run_days(121);
            EastTargets::of(sim.view().outcomes()).expect("121 days")
        })
        .collect();
    let mean = |f: fn(&EastTargets) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
    let home21 = mean(|t| t.home_day_21);
    let home120 = mean(|t| t.home_day_120);
    let grid112 = mean(|t| t.grid_day_112);
    let water60 = mean(|t| t.piped_water_day_60);
    let report =
        format!("home@21 {home21:.3}, home@120 {home120:.3}, grid@112 {grid112:.3}, piped water@60 {water60:.3}");
    assert!((0.18..=0.35).contains(&home21), "{report}");
    assert!(home120 >= 0.80, "{report}");
    assert!((0.35..=0.65).contains(&grid112), "{report}");
    assert!(water60 < 0.15, "{report}");
}

/// Every scripted event of the default scenario visibly changes the run:
/// without it, the run's report differs in something other than the list of
/// injects and the digest (which folds the inject log itself, so comparing
/// digests could not fail).
#[test]
fn every_inject_of_mosul_2017_changes_the_run() {
    let l = builtin("mosul-2017");
    let report = |s: &scenario::Scenario| {
        let loaded = LoadedScenario {
            scenario: s.clone(),
            ..l.clone()
        };
        let mut sim = Simulation::new(s, 1);
        sim.run_to_end();
        let r = cimsim::report::RunReport::new(&sim, &loaded, 1);
        let mut v = serde_json::to_value(&r).expect("serialisable");
        let o = v.as_object_mut().expect("an object");
        o.remove("injects");
        o.remove("final_digest");
        v
    };
    // Liaison links change nothing under `silo` (formal channels only), so an
    // inject that posts or ends a link is judged under `liaison`, where
    // linked agencies share pictures and answer requests through the link.
    let liaison = |s: &scenario::Scenario| {
        let mut s = s.clone();
        s.strategy = "liaison".to_string();
        s.agencies.iter_mut().for_each(|a| a.strategy = None);
        s
    };
    let full = report(&l.scenario);
    let full_liaison = report(&liaison(&l.scenario));
    assert!(
        l.scenario.injects.len() >= 10,
        "mosul-2017 has only {} injects",
        l.scenario.injects.len()
    );
    for i in 0..l.scenario.injects.len() {
        let mut without = l.scenario.clone();
        let removed = without.injects.remove(i);
        let changed = report(&without) != full || report(&liaison(&without)) != full_liaison;
        assert!(
            changed,
            "removing inject `{}` changes nothing in the run's report",
            removed.id
        );
    }
}

#[test]
fn mosul_2017_is_full_resolution_and_the_default() {
    let l = builtin("mosul-2017");
    assert_eq!(scenario::DEFAULT_SCENARIO, "mosul-2017");
    let households: u64 = l.scenario.population.iter().map(|g| u64::from(g.households)).sum();
    assert!(households >= 250_000, "{households} households");
    assert!(l.scenario.districts.len() >= 12);
    assert!(l.scenario.horizon_days >= 900);
    let sim = Simulation::new(&l.scenario, 1);
    assert_eq!(sim.view().census().total_households, households);
}
