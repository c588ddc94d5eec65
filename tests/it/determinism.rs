//! Same inputs, same bytes: across processes, shuffled schedules, and
//! against committed reference digests.

use crate::common::*;

use cimsim::hash::hex16;
use cimsim::scenario;
use cimsim::sim::Simulation;

fn tutorial() -> cimsim::scenario::LoadedScenario {
    scenario::load(scenario::builtin("tutorial").unwrap()).unwrap()
}

fn digests(seed: u64, shuffle: Option<u64>) -> Vec<u64> {
    let l = tutorial();
    let options = cimsim::sim::Options {
        shuffle,
        ..Default::default()
    };
    let mut sim = Simulation::with_options(&l.scenario, seed, options);
    sim.run_to_end();
    sim.digests().to_vec()
}

#[test]
fn a_run_has_one_digest_per_day_of_the_horizon() {
    let d = digests(1, None);
    assert_eq!(d.len(), tutorial().scenario.horizon_days as usize);
}

#[test]
fn same_seed_same_digests_and_different_seeds_differ() {
    let a = digests(7, None);
    assert_eq!(a, digests(7, None));
    let b = digests(8, None);
    assert_ne!(a.last(), b.last());
}

#[test]
fn shuffled_schedules_give_the_same_digests() {
    let reference = digests(3, None);
    for shuffle in [1, 2, 3, 0xdead_beef] {
        assert_eq!(
            digests(3, Some(shuffle)),
            reference,
            "schedule shuffle seed {shuffle} changed the run"
        );
    }
}

/// Reference digests of the tutorial. A change here is a change of
/// behaviour: if it is intended, review the new values and accept them with
/// `cargo insta review` (or `INSTA_UPDATE=always cargo test`), and say why
/// in the CHANGELOG.
#[test]
fn tutorial_reference_digests() {
    let mut text = String::new();
    for seed in [1u64, 2, 42] {
        let d = digests(seed, None);
        let picks: Vec<String> = [0usize, 1, 7, 30, 60, 90, 120, 179]
            .iter()
            .map(|&i| format!("day {i:>3} {}", hex16(d[i])))
            .collect();
        text.push_str(&format!("seed {seed}\n{}\n", picks.join("\n")));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn json_and_csv_are_byte_identical_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let csv_a = dir.path().join("a.csv");
    let csv_b = dir.path().join("b.csv");
    let run_to = |csv: &std::path::Path| {
        cmd(&["run", "tutorial", "--seed", "11", "--json", "--csv"])
            .arg(csv)
            .stdout()
    };
    let (a, b) = (run_to(&csv_a), run_to(&csv_b));
    assert_eq!(a, b, "JSON differs between two processes");
    let (ca, cb) = (std::fs::read(&csv_a).unwrap(), std::fs::read(&csv_b).unwrap());
    assert!(!ca.is_empty());
    assert_eq!(ca, cb, "CSV differs between two processes");

    let c = cmd(&["run", "tutorial", "--seed", "12", "--json"]).stdout();
    assert_ne!(a, c, "different seeds gave the same JSON");
}
