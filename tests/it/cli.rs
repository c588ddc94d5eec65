//! The command line from the outside: exit codes, outputs, files.

use crate::common::*;

use crate::common::cimsim as run;

fn is_hex16(s: &str) -> bool {
    s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

#[test]
fn run_without_arguments_runs_the_default_and_prints_the_seed() {
    let (code, out, err) = run(&["run"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("seed "), "the chosen seed is not on stderr: {err}");
    assert!(out.contains("final digest"), "{out}");
    assert!(out.contains("resilience loss"), "{out}");
}

#[test]
fn run_summary_of_the_tutorial() {
    let (code, out, err) = run(&["run", "tutorial", "--seed", "1"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
}

#[test]
fn run_json_follows_the_contract() {
    let (code, out, err) = run(&["run", "tutorial", "--seed", "5", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    assert!(v["engine_version"].is_string());
    assert_eq!(v["scenario"]["name"], "tutorial");
    assert!(is_hex16(v["scenario"]["content_hash"].as_str().unwrap()));
    assert_eq!(v["seed"], "5");
    assert_eq!(v["strategy"], "silo");
    assert_eq!(v["days"], 180);
    assert!(is_hex16(v["final_digest"].as_str().unwrap()));
    let rl = &v["resilience_loss"];
    for key in [
        "total",
        "food",
        "water",
        "electricity",
        "sanitation",
        "health",
        "displacement",
        "shelter",
    ] {
        assert!(
            rl[key].as_f64().is_some_and(|x| x >= 0.0),
            "resilience_loss.{key}: {}",
            rl[key]
        );
    }
    for key in ["returns", "services", "harm"] {
        assert!(v[key].is_object(), "{key} missing");
    }
    // The weighted total is the sum of the components with the scenario's weights.
    let l = load(&cimsim::scenario::builtin("tutorial").unwrap().text);
    let w = &l.scenario.weights;
    let expected = w.food * rl["food"].as_f64().unwrap()
        + w.water * rl["water"].as_f64().unwrap()
        + w.electricity * rl["electricity"].as_f64().unwrap()
        + w.sanitation * rl["sanitation"].as_f64().unwrap()
        + w.health * rl["health"].as_f64().unwrap()
        + w.displacement * rl["displacement"].as_f64().unwrap()
        + w.shelter * rl["shelter"].as_f64().unwrap();
    assert!(
        (expected - rl["total"].as_f64().unwrap()).abs() < 1.0,
        "{expected} vs {}",
        rl["total"]
    );
}

#[test]
fn days_shortens_the_run() {
    let (code, out, _) = run(&["run", "tutorial", "--seed", "5", "--days", "10", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["days"], 10);
}

#[test]
fn usage_and_input_errors_exit_2() {
    let err = cmd(&["run", "atlantis"]).fails(2);
    assert!(err.contains("tutorial"), "the built-ins are not listed: {err}");
    cmd(&["run", "--frobnicate"]).fails(2);
    cmd(&["run", "tutorial", "--strategy", "anarchy"]).fails(2);
    cmd(&["run", "tutorial", "--days", "100000"]).fails(2);
    cmd(&["run", "no/such/file.ron"]).fails(2);
    cmd(&["validate", "no/such/file.ron"]).fails(2);
}

#[test]
fn a_scenario_that_does_not_load_is_an_input_error_for_run_and_a_failed_check_for_validate() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        town(&Town::default()).replace("horizon_days: 60", "horizon_days: 0"),
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let (code, _, err) = run(&["run", bad]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("horizon_days"), "{err}");
    let (code, out, err) = run(&["validate", bad]);
    assert_eq!(code, 1);
    assert!(err.contains("bad.ron:"), "no file:line:column in {err}");
    assert!(out.contains("1 problem"), "{out}");
    let (code, out, _) = run(&["validate", "tutorial", "scenarios/tutorial.ron"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn scenarios_lists_the_builtins() {
    let (code, out, _) = run(&["scenarios"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("tutorial ")), "{out}");
}

#[test]
fn csv_has_one_row_per_day_place_and_service_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("series.csv");
    let (code, _, err) = run(&[
        "run",
        "tutorial",
        "--seed",
        "2",
        "--days",
        "20",
        "--csv",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "day,place_kind,place,service,level,people,habitable_dwellings,debris_tonnes,people_home,people_displaced_from"
        )
    );
    // The tutorial has 3 districts and 1 camp.
    assert_eq!(lines.count(), 20 * 4 * 5);
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "a temporary file was left behind");
}

#[test]
fn a_csv_that_cannot_be_written_is_an_input_error_and_leaves_nothing_behind() {
    // The target is a directory: the run completes, the temporary file is
    // written, and the final rename fails.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).unwrap();
    let (code, out, err) = run(&[
        "run",
        "tutorial",
        "--days",
        "5",
        "--no-score",
        "--csv",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "a summary was printed after a failed write");
    assert!(target.is_dir(), "the directory was replaced");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "a temporary file was left behind");
}

#[test]
fn a_failed_run_leaves_an_existing_csv_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("series.csv");
    std::fs::write(&path, "precious\n").unwrap();
    let (code, _, _) = run(&["run", "tutorial", "--days", "0", "--csv", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious\n");
}

#[test]
fn outputs_are_ordinary_files_and_never_replace_a_directory_or_device() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("series.csv");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "1",
        "--days",
        "5",
        "--no-score",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "the CSV is private: {mode:o}");
    }
    // A directory given as the output is refused, and left a directory.
    let sub = dir.path().join("out");
    std::fs::create_dir(&sub).unwrap();
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--days",
        "5",
        "--no-score",
        "--csv",
        sub.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a regular file"), "{err}");
    assert!(sub.is_dir());
}

/// `cimsim graph`: every asset with who repairs it, an edge for each need
/// (from each provider) and for each district served, as DOT and as SVG.
#[test]
fn graph_draws_every_asset_what_it_needs_and_the_districts_it_serves() {
    let s = cimsim::scenario::load(cimsim::scenario::builtin("mosul-2017").unwrap())
        .unwrap()
        .scenario;
    let (code, dot, err) = cimsim(&["graph", "mosul-2017"]);
    assert_eq!(code, 0, "{err}");
    assert!(dot.starts_with("digraph \"mosul-2017\" {"), "{dot}");
    for a in &s.assets {
        assert!(dot.contains(&format!("\"{}\" [shape=box", a.id)), "{} is drawn", a.id);
        assert!(
            dot.contains(&format!(" · {}\"", a.agency)),
            "{}'s agency is named",
            a.id
        );
        for need in &a.needs {
            let into = format!("-> \"{}\" [label=", a.id);
            match need {
                cimsim::scenario::Need::Asset(b) => {
                    assert!(dot.contains(&format!("\"{b}\" {into}\"works\"")), "{} needs {b}", a.id)
                }
                cimsim::scenario::Need::Service(service) => assert!(
                    dot.lines()
                        .any(|l| l.contains(&into) && l.contains(&format!("\"{}\"", service.name()))),
                    "{} needs {} from someone",
                    a.id,
                    service.name()
                ),
            }
        }
        for d in &a.serves {
            assert!(dot.contains(&format!("\"{}\" -> \"{d}\"", a.id)), "{} serves {d}", a.id);
        }
    }
    for d in &s.districts {
        assert!(
            dot.contains(&format!("\"{}\" [shape=ellipse", d.id)),
            "{} is drawn",
            d.id
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("town").join("graph.svg");
    let (code, out, err) = cimsim(&["graph", "mosul-2017", "--svg", svg_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "with --svg alone nothing goes to stdout");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    for a in &s.assets {
        let escaped = a
            .name
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\'', "&#39;");
        assert!(svg.contains(&escaped), "{} is in the picture", a.name);
    }
    assert_eq!(
        svg.matches("<rect ").count(),
        s.assets.len() + agencies_with_assets(&s),
        "a box per asset and a legend swatch per agency"
    );
}

fn agencies_with_assets(s: &cimsim::scenario::Scenario) -> usize {
    let mut seen: Vec<&str> = s.assets.iter().map(|a| a.agency.as_str()).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// The lines of the fenced block of `doc` that starts with `$ COMMAND`,
/// without that line and the fence.
fn sample<'a>(doc: &'a str, command: &str) -> Vec<&'a str> {
    let first = format!("$ {command}");
    doc.lines()
        .skip_while(|l| *l != first)
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect()
}

/// Regression (issue 14, "Words"): docs/cli.md showed a content hash that
/// was not the tutorial's. Its samples of `run` are now checked against the
/// command: the summary whole, the JSON up to where the page cuts it, with
/// only the build's rules hash in `engine_version` left free.
#[test]
fn the_samples_in_docs_cli_md_are_what_run_prints() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    let shown = sample(&doc, "cimsim run tutorial --seed 1");
    assert!(shown.len() > 50, "no sample summary in docs/cli.md");
    let summary = cmd(&["run", "tutorial", "--seed", "1"]).stdout();
    let printed: Vec<&str> = summary.lines().collect();
    assert_eq!(
        shown, printed,
        "docs/cli.md's sample summary is not what `cimsim run tutorial --seed 1` prints: paste the output"
    );
    let shown = sample(&doc, "cimsim run tutorial --seed 1 --json");
    let cut = shown
        .iter()
        .position(|l| l.trim() == "…")
        .expect("the JSON sample is cut with `…`");
    let json = cmd(&["run", "tutorial", "--seed", "1", "--json"]).stdout();
    for (doc_line, line) in shown[..cut].iter().zip(json.lines()) {
        if doc_line.trim_start().starts_with("\"engine_version\"") {
            assert!(line.starts_with("  \"engine_version\": \"0.1.0+rules."), "{line}");
        } else {
            assert_eq!(*doc_line, line, "docs/cli.md's JSON sample is not what `--json` prints");
        }
    }
    let hash = serde_json::from_str::<serde_json::Value>(&json).unwrap()["scenario"]["content_hash"].clone();
    assert!(
        doc.contains(&format!("\"content_hash\": {hash}")),
        "docs/cli.md lacks {hash}"
    );
}
