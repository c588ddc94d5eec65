//! Scenarios at each of the [`LIMITS`] that `validate` accepts: a command
//! either runs them within bounded memory or refuses them before it builds
//! a world, with exit 2 and what to do; it never aborts half-way. The
//! memory estimate (`sim::footprint`) is held to real runs here: every run
//! the estimate lets start must finish under the same limit.

use crate::common::*;

use cimsim::scenario::LIMITS;

/// The address space the binary may map here, in MiB: 2 GiB, under which
/// the check leaves about 1.4 GiB for worlds.
const MIB: u64 = 2048;

/// A guard against a hang, not a timing.
const SECS: u64 = 240;

fn tutorial() -> String {
    cimsim::scenario::builtin("tutorial").unwrap().text
}

/// The tutorial as loaded, to count what it already has.
fn parsed() -> cimsim::scenario::Scenario {
    cimsim::scenario::load(cimsim::scenario::builtin("tutorial").unwrap())
        .unwrap()
        .scenario
}

/// Writes `text` to `dir/name` and checks that `validate` accepts it.
fn accepted(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_string();
    let (code, out, err) = cimsim(&["validate", &path]);
    assert_eq!(code, 0, "{name} is at the limits, not beyond them: {out}{err}");
    path
}

/// `cimsim run` with `args` under the memory limit: `Ok(())` when it ran,
/// `Err(stderr)` when it was refused up front; anything else fails.
fn run(path: &str, args: &[&str]) -> Result<(), String> {
    let mut all = vec!["run", path, "--seed", "1"];
    all.extend(args);
    let (code, _, err) = cimsim_bounded(&all, b"", MIB, SECS);
    match code {
        0 => Ok(()),
        2 => {
            assert!(
                err.contains("this needs about"),
                "{all:?} was refused for another reason: {err}"
            );
            assert!(!err.contains("simulated"), "{all:?} ran before refusing: {err}");
            Err(err)
        }
        _ => panic!("{all:?} neither ran nor was refused up front: exit {code}: {err}"),
    }
}

/// The `--family-per-entity K` a refusal suggests.
fn suggested_k(err: &str) -> Option<String> {
    let at = err.find("`--family-per-entity ")? + "`--family-per-entity ".len();
    Some(err[at..].chars().take_while(char::is_ascii_digit).collect())
}

#[test]
fn households_at_the_limit_are_refused_up_front_and_the_suggested_resolution_runs() {
    let dir = tempfile::tempdir().unwrap();
    let others: u64 = parsed()
        .population
        .iter()
        .skip(1)
        .map(|g| u64::from(g.households))
        .sum();
    let households = LIMITS.households - others;
    // A dwelling for each family of the east bank (validation).
    let text = tutorial()
        .replacen("households: 2_800", &format!("households: {households}"), 1)
        .replacen("homes: 3_000", &format!("homes: {}", households + 1_000), 1);
    let path = accepted(dir.path(), "households.ron", &text);
    let err = run(&path, &["--days", "1"]).expect_err("three worlds of 20 M households do not fit in 2 GiB");
    assert!(
        err.contains(&format!(
            "3 worlds of {} household entities",
            crate::common::thousands(&serde_json::json!(LIMITS.households))
        )),
        "{err}"
    );
    assert!(err.contains("--no-score"), "{err}");
    let err = run(&path, &["--days", "1", "--no-score"]).expect_err("one world of 20 M does not fit either");
    // What the refusal suggests works under the same limit.
    let k = suggested_k(&err).expect("a coarser resolution is suggested");
    run(&path, &["--days", "1", "--no-score", "--family-per-entity", &k]).expect("the suggested resolution runs");
    // --max-memory lowers the limit further, never raises it past the machine.
    let err = run(
        &path,
        &[
            "--days",
            "1",
            "--no-score",
            "--family-per-entity",
            &k,
            "--max-memory",
            "64M",
        ],
    )
    .expect_err("64 MiB is too little");
    assert!(err.contains("--max-memory"), "{err}");
}

#[test]
fn crews_at_the_limit_run_and_are_refused_up_front_where_they_would_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let text = tutorial().replacen(
        "(kind: Repair, count: 4, rate: 1.0, daily_cost: 800.0)",
        &format!(
            "(kind: Repair, count: {}, rate: 1.0, daily_cost: 800.0)",
            LIMITS.crews - 31
        ),
        1,
    );
    let path = accepted(dir.path(), "crews.ron", &text);
    run(&path, &["--days", "1"]).expect("three worlds of a million crews fit in 2 GiB");
    let err = run(&path, &["--days", "1", "--max-memory", "1G"]).expect_err("three do not fit in 1 GiB");
    assert!(err.contains("3 worlds of") && err.contains("crews each"), "{err}");
    run(&path, &["--days", "1", "--no-score", "--max-memory", "1G"]).expect("one does");
}

#[test]
fn place_days_at_the_limit_are_refused_for_the_whole_horizon_and_run_for_a_short_one() {
    let dir = tempfile::tempdir().unwrap();
    // The tutorial's 4 places and 133 empty districts: 137 × 36,496 days.
    let places = 137u64;
    let horizon = LIMITS.place_days / places;
    let mut extra = String::new();
    for i in 0..places - 4 {
        extra.push_str(&format!(
            "(id: \"empty-{i}\", name: \"Empty {i}\", prewar_population: 1, homes: 1, housing_damage: 0.0, contamination: 0.0, security: 0.9),\n"
        ));
    }
    let text = tutorial()
        .replacen("horizon_days: 180,", &format!("horizon_days: {horizon},"), 1)
        .replacen("    districts: [\n", &format!("    districts: [\n{extra}"), 1);
    let path = accepted(dir.path(), "place-days.ron", &text);
    let err = run(&path, &[]).expect_err("three worlds of 5 M place-days do not fit");
    let horizon_shown = crate::common::thousands(&serde_json::json!(horizon));
    assert!(err.contains(&format!("over {horizon_shown} days")), "{err}");
    run(&path, &["--days", "30"]).expect("30 days of them do");
}

#[test]
fn assets_at_the_list_limit_run() {
    let dir = tempfile::tempdir().unwrap();
    let more = LIMITS.list_items - parsed().assets.len();
    let mut extra = String::with_capacity(more * 150);
    for i in 0..more {
        extra.push_str(&format!(
            "(id:\"a{i}\",name:\"a\",kind:HealthCentre,agency:\"health\",site:\"east\",condition:0.5,repair_effort:10.0,repair_cost:1.0,crew_slots:1),"
        ));
    }
    let text = tutorial().replacen("    assets: [\n", &format!("    assets: [\n{extra}\n"), 1);
    let path = accepted(dir.path(), "assets.ron", &text);
    run(&path, &["--days", "1", "--no-score"]).expect("one world of 65,535 assets fits in 2 GiB");
}

#[test]
fn every_command_checks_memory_before_building_a_world() {
    let dir = tempfile::tempdir().unwrap();
    let text = tutorial()
        .replacen("households: 2_800", "households: 4_000_000", 1)
        .replacen("homes: 3_000", "homes: 4_001_000", 1);
    let path = accepted(dir.path(), "big.ron", &text);
    let journal = dir.path().join("big.journal");
    let rec = dir.path().join("big.rec");
    let (code, _, err) = cimsim(&[
        "run",
        &path,
        "--seed",
        "1",
        "--days",
        "1",
        "--no-score",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let rec = rec.to_str().unwrap();
    for args in [
        vec!["compare", &path, "--runs", "2", "--days", "1", "--max-memory", "200M"],
        vec!["replay", rec, "--max-memory", "200M"],
        vec!["report", rec, "--max-memory", "200M"],
        vec![
            "play",
            &path,
            "--journal",
            journal.to_str().unwrap(),
            "--max-memory",
            "200M",
        ],
    ] {
        let (code, _, err) = cimsim_bounded(&args, b"quit\n", MIB, SECS);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("this needs about") && err.contains("--max-memory"),
            "{args:?}: {err}"
        );
    }
    assert!(!journal.exists(), "a refused exercise writes no journal");
    let (code, _, err) = cimsim(&["compare", &path, "--runs", "2", "--days", "1", "--max-memory", "200M"]);
    assert_eq!(code, 2);
    assert!(err.contains("fewer `--jobs`"), "{err}");
}
