//! `cimsim compare` and `cimsim merge`: byte-identical outputs whatever the
//! thread count or sharding, intervals that pairing narrows, sweeps,
//! attribution, plots, and arguments refused before any work.

use crate::common::*;

use cimsim::compare::stats;

/// Runs `cimsim` and insists on success.
fn ok(args: &[&str]) -> String {
    cmd(args).stdout()
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_same_comparison_gives_the_same_bytes_on_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let csv = |name: &str| dir.path().join(name);
    let base = ["compare", "tutorial", "--runs", "4", "--seed", "7", "--days", "60"];
    let run = |jobs: &str, file: &str| {
        let path = csv(file);
        let mut args = base.to_vec();
        args.extend(["--jobs", jobs, "--json", "--csv", path.to_str().unwrap()]);
        ok(&args)
    };
    let one = run("1", "one.csv");
    let two = run("2", "two.csv");
    let again = run("2", "again.csv");
    assert_eq!(one, two, "the JSON depends on --jobs");
    assert_eq!(two, again, "the JSON differs between equal commands");
    let (a, b, c) = (read(&csv("one.csv")), read(&csv("two.csv")), read(&csv("again.csv")));
    assert_eq!(a, b, "the CSV depends on --jobs");
    assert_eq!(b, c, "the CSV differs between equal commands");
    // One row per run and strategy, after the header, with the scenario's
    // content hash and the engine version on each.
    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(lines.len(), 1 + 4 * 4);
    assert!(
        lines[0].starts_with("scenario,content_hash,engine_version,run,seed,strategy,final_digest,resilience_loss")
    );
    assert!(lines[1].contains(env!("CARGO_PKG_VERSION")));
    // Different seeds for different runs, the same seed for every strategy
    // of a run.
    let seeds: Vec<&str> = lines[1..].iter().map(|l| l.split(',').nth(4).unwrap()).collect();
    assert!(seeds[..4].iter().all(|s| *s == seeds[0]));
    assert_ne!(seeds[0], seeds[4]);
}

#[test]
fn sharded_and_merged_equals_unsharded_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let base = [
        "compare",
        "tutorial",
        "--runs",
        "5",
        "--days",
        "60",
        "--strategies",
        "silo,cell,central",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        ok(&args)
    };
    let whole_table = with(&["--csv", &p("whole.csv")]);
    let whole_json = with(&["--json"]);
    for (i, part) in [("1/3", "a.part"), ("2/3", "b.part"), ("3/3", "c.part")] {
        let out = with(&["--shard", i, "--out", &p(part)]);
        assert!(out.is_empty(), "a shard prints no table: {out}");
    }
    // Parts in any order.
    let merged_table = ok(&[
        "merge",
        &p("c.part"),
        &p("a.part"),
        &p("b.part"),
        "--csv",
        &p("merged.csv"),
    ]);
    let merged_json = ok(&["merge", &p("b.part"), &p("c.part"), &p("a.part"), "--json"]);
    assert_eq!(
        read(dir.path().join("whole.csv").as_path()),
        read(dir.path().join("merged.csv").as_path())
    );
    assert_eq!(whole_table, merged_table);
    assert_eq!(whole_json, merged_json);

    // A missing or repeated shard, or a part of another comparison, is
    // refused.
    let (code, _, err) = cimsim(&["merge", &p("a.part"), &p("b.part")]);
    assert_eq!(code, 2);
    assert!(err.contains("shards missing: 3/3"), "{err}");
    let (code, _, err) = cimsim(&["merge", &p("a.part"), &p("a.part"), &p("b.part"), &p("c.part")]);
    assert_eq!(code, 2);
    assert!(err.contains("are both shard 1/3"), "{err}");
    let mut other = base.to_vec();
    other[3] = "6";
    other.extend(["--shard", "3/3", "--out"]);
    let other_part = p("other.part");
    other.push(&other_part);
    ok(&other);
    let (code, _, err) = cimsim(&["merge", &p("a.part"), &p("b.part"), &other_part]);
    assert_eq!(code, 2);
    assert!(err.contains("another comparison"), "{err}");
    std::fs::write(dir.path().join("junk.part"), "{\"not\": 1}").unwrap();
    let (code, _, err) = cimsim(&["merge", &p("junk.part")]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a partial comparison"), "{err}");
}

/// The CSV's values of one column for one strategy, in run order.
fn column(csv: &str, strategy: &str, name: &str) -> Vec<Option<f64>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (s, m) = (at("strategy"), at(name));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[s] == strategy)
        .map(|f| f[m].parse().ok())
        .collect()
}

#[test]
fn pairing_narrows_the_interval_of_a_difference() {
    // On the same seeds the strategies share every household's draws, so
    // the run-to-run variation cancels in the paired difference. The cell
    // and central answer every request: no answer draws of their own
    // (silo's and liaison's draws differ, request by request) widen the
    // difference.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.csv");
    ok(&[
        "compare",
        "tutorial",
        "--runs",
        "8",
        "--strategies",
        "cell,central",
        "--baseline",
        "cell",
        "--csv",
        path.to_str().unwrap(),
    ]);
    let csv = read(&path);
    let (a, b) = (
        column(&csv, "central", "resilience_loss"),
        column(&csv, "cell", "resilience_loss"),
    );
    let paired = stats::paired(&a, &b).unwrap();
    let unpaired = stats::unpaired(&a, &b).unwrap();
    assert!((paired.mean - unpaired.mean).abs() <= 1e-9 * paired.mean.abs());
    let (p, u) = (paired.half_width.unwrap(), unpaired.half_width.unwrap());
    assert!(p < u / 2.0, "paired ±{p} is not much narrower than unpaired ±{u}");
    // And the JSON reports the paired interval, computed the same way.
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "compare",
        "tutorial",
        "--runs",
        "8",
        "--strategies",
        "cell,central",
        "--baseline",
        "cell",
        "--json",
    ]))
    .unwrap();
    let diff = &json["points"][0]["differences"][0];
    assert_eq!(diff["strategy"], "central");
    let reported = diff["metrics"][0]["estimate"]["half_width"].as_f64().unwrap();
    assert!((reported - p).abs() <= 1e-9 * p.max(1.0), "{reported} vs {p}");
}

#[test]
fn a_sweep_runs_every_value_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sweep.csv");
    let out = ok(&[
        "compare",
        "tutorial",
        "--runs",
        "2",
        "--days",
        "40",
        "--strategies",
        "silo,liaison",
        "--set",
        "agencies[electricity].crews[0].count=1,6",
        "--csv",
        path.to_str().unwrap(),
    ]);
    assert!(out.contains("agencies[electricity].crews[0].count = 1"), "{out}");
    assert!(out.contains("agencies[electricity].crews[0].count = 6"), "{out}");
    let csv = read(&path);
    assert_eq!(csv.lines().count(), 1 + 2 * 2 * 2);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header[3], "agencies[electricity].crews[0].count");
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    // Each point has its own scenario, hence its own content hash, and more
    // crews change the run.
    let (few, many): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r[3] == "1");
    assert_ne!(few[0][1], many[0][1]);
    assert_ne!(few[0][7], many[0][7], "six crews ran like one");
}

#[test]
fn attribution_reports_each_agency_with_crews_under_each_strategy_but_silo() {
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "compare",
        "tutorial",
        "--runs",
        "2",
        "--days",
        "40",
        "--strategies",
        "silo,central",
        "--attribution",
        "--json",
    ]))
    .unwrap();
    let rows = json["points"][0]["attribution"].as_array().unwrap();
    let l = cimsim::scenario::load(cimsim::scenario::builtin("tutorial").unwrap()).unwrap();
    let with_crews = cimsim::score::references::attributed(&l.scenario).len();
    assert_eq!(rows.len(), with_crews);
    assert!(
        rows.iter()
            .all(|r| r["strategy"] == "central" && r["estimate"]["n"] == 2)
    );
}

#[test]
fn the_plot_is_an_svg_with_every_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plot.svg");
    ok(&[
        "compare",
        "tutorial",
        "--runs",
        "3",
        "--days",
        "40",
        "--plot",
        path.to_str().unwrap(),
    ]);
    let svg = read(&path);
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    for s in ["silo", "liaison", "cell", "central", "city service index"] {
        assert!(svg.contains(s), "the plot lacks `{s}`");
    }
}

#[test]
fn bad_arguments_exit_2_before_any_work() {
    let refused = |args: &[&str], says: &str| {
        let (code, out, err) = cimsim(args);
        assert_eq!(code, 2, "{args:?} was accepted: {out}");
        assert!(err.contains(says), "{args:?}: `{err}` does not say `{says}`");
        assert!(!err.contains("worlds"), "{args:?} ran before refusing");
    };
    refused(
        &["compare", "tutorial", "--strategies", "silo,anarchy"],
        "unknown strategy `anarchy`; strategies are: silo, liaison, cell, central",
    );
    refused(&["compare", "tutorial", "--runs", "0"], "--runs must be at least 1");
    refused(
        &["compare", "tutorial", "--shard", "3/2", "--out", "x.part"],
        "expected I/N with 1 ≤ I ≤ N",
    );
    refused(&["compare", "tutorial", "--shard", "1/2"], "--out");
    refused(
        &["compare", "tutorial", "--set", "cooperation.liaison_dayz=1,2"],
        "unknown field `liaison_dayz`",
    );
    refused(
        &["compare", "tutorial", "--set", "cooperation.liaison_days=1,soon"],
        "is a whole number, found `soon`",
    );
    refused(
        &["compare", "tutorial", "--set", "cooperation.formal_honour=0.5,3"],
        "makes the scenario invalid",
    );
    refused(
        &[
            "compare",
            "tutorial",
            "--baseline",
            "cell",
            "--strategies",
            "silo,central",
        ],
        "--baseline `cell`",
    );
    refused(
        &["compare", "tutorial", "--strategy-for", "police=cell"],
        "unknown agency `police`",
    );
    refused(
        &["compare", "tutorial", "--days", "999"],
        "beyond the scenario's horizon",
    );
    refused(&["compare", "atlantis"], "atlantis");
}

/// The tables an analyst reads: means with their intervals, paired
/// differences, the ranking. Whole, as printed.
#[test]
fn the_compare_tables_of_the_tutorial() {
    let out = cmd(&["compare", "tutorial", "--runs", "6"]).stdout();
    insta::assert_snapshot!(out);
}

/// The tables an analyst can act on: a metric that never varies is named
/// once instead of filling rows with zeros, no figure reads `-0`, every
/// difference carries its share of the baseline, and a column keeps one
/// number style per metric.
#[test]
fn the_tables_leave_out_what_never_varies_and_write_each_metric_in_one_style() {
    let text = cmd(&["compare", "tutorial", "--runs", "4"]).stdout();
    let doc = cmd(&["compare", "tutorial", "--runs", "4", "--json"]).json();
    let point = &doc["points"][0];
    // request_fulfilment is 1 in every run of the tutorial: listed, not tabled.
    let constant: Vec<&str> = point["constant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["metric"].as_str().unwrap())
        .collect();
    assert!(constant.contains(&"request_fulfilment"), "{constant:?}");
    let listed = text
        .lines()
        .find(|l| l.starts_with("The same in every run of every strategy"))
        .unwrap_or_else(|| panic!("{text}"));
    for metric in &constant {
        assert!(listed.contains(metric), "{listed}");
        assert!(
            !text.lines().any(|l| l.starts_with(&format!("│ {metric} "))),
            "{metric} still has a row: {text}"
        );
    }
    let negative_zero: Vec<&str> = text
        .split([' ', '[', ']', ',', '(', ')'])
        .filter(|w| w.starts_with('-') && w.parse::<f64>().is_ok_and(|x| x == 0.0))
        .collect();
    assert!(negative_zero.is_empty(), "a negative zero {negative_zero:?}: {text}");
    // Every paired difference carries its share of the baseline's mean.
    let silo = &point["strategies"][0]["metrics"][0]["estimate"]["mean"];
    let liaison = &point["differences"][0]["metrics"][0];
    let share = liaison["share_of_baseline"].as_f64().unwrap();
    let mean = liaison["estimate"]["mean"].as_f64().unwrap();
    assert!((share - mean / silo.as_f64().unwrap()).abs() < 1e-12);
    // Pairwise: every pair once, the better ranked first.
    let pairs = point["pairwise"].as_array().unwrap();
    assert_eq!(pairs.len(), 6);
    let ranked: Vec<&str> = point["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(pairs[0]["a"], ranked[0]);
    assert_eq!(pairs[0]["b"], ranked[1]);
    assert!(text.contains(&format!("│ {} − {} ", ranked[0], ranked[1])), "{text}");
    // One style per metric row: the resilience loss row of the difference
    // table has no decimals in any column once one figure needs separators.
    let row = text
        .lines()
        .skip_while(|l| !l.contains("minus silo (paired)"))
        .find(|l| l.starts_with("│ resilience_loss "))
        .unwrap();
    // The shares in parentheses are percentages, written apart.
    let without_shares: String = row
        .split('(')
        .map(|part| part.split_once(')').map_or(part, |(_, rest)| rest))
        .collect();
    let figures: Vec<&str> = without_shares
        .split(['┆', '│', '±', ' '])
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '-'))
        .collect();
    let decimals: Vec<bool> = figures.iter().map(|f| f.contains('.')).collect();
    assert!(
        decimals.iter().all(|d| *d == decimals[0]),
        "mixed styles in {row}: {figures:?}"
    );
}

/// A sweep value that changes nothing is said in words, once, and the plot
/// draws one panel for every value that gave the same results.
#[test]
fn sweep_values_with_the_same_results_are_said_once_and_share_a_panel() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("names.svg");
    // A district's display name decides nothing in the model.
    let out = cmd(&[
        "compare",
        "tutorial",
        "--runs",
        "3",
        "--set",
        "districts[east].name=East,Orient",
        "--plot",
    ])
    .arg(&svg)
    .stdout();
    assert!(
        out.contains(
            "Every run gave the same resilience loss and recovery as at districts[east].name = East: this value changes nothing here."
        ),
        "{out}"
    );
    assert_eq!(out.matches("minus silo (paired)").count(), 1, "{out}");
    let plot = read(&svg);
    assert!(
        plot.contains("districts[east].name = East, Orient (the same results)"),
        "{plot}"
    );
    assert_eq!(plot.matches("city service index, mean and 95 % band").count(), 1);
    // Names are not numbers: the sweep chart spaces them evenly.
    assert!(plot.contains("sweep of districts[east].name"), "no sweep chart");
}

/// Issue 14.10: a sweep is read across its values. The text ends with a
/// table per key metric (a row per value, a column per strategy, each mean
/// with its interval and the paired change from the first value), the JSON
/// has the same figures under `sweep`, and the plot starts with a chart of
/// each metric against the value.
#[test]
fn a_sweep_gets_its_own_table_json_and_chart() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("sweep.svg");
    let args = [
        "compare",
        "tutorial",
        "--runs",
        "4",
        "--strategies",
        "silo,cell,central",
        "--set",
        "cooperation.formal_days=1,10,30",
    ];
    let out = cmd(&args).arg("--plot").arg(&svg).stdout();
    let at = out
        .find("── sweep of")
        .unwrap_or_else(|| panic!("no sweep table:\n{out}"));
    insta::assert_snapshot!("the_sweep_table_of_the_tutorial", &out[at..]);

    let doc = cmd(&args).arg("--json").json();
    let sweep = &doc["sweep"];
    assert_eq!(sweep["path"], "cooperation.formal_days");
    assert_eq!(sweep["numeric"], true);
    let metrics: Vec<&str> = sweep["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["metric"].as_str().unwrap())
        .collect();
    assert_eq!(
        metrics,
        ["resilience_loss", "returned_share_day_90", "coordination_efficiency"]
    );
    // The sweep's figures are the points' own, read across.
    let silo = &sweep["metrics"][0]["strategies"][0];
    assert_eq!(silo["strategy"], "silo");
    let points = silo["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    for (i, p) in points.iter().enumerate() {
        assert_eq!(
            p["estimate"],
            doc["points"][i]["strategies"][0]["metrics"][0]["estimate"]
        );
    }
    assert!(points[0]["change"].is_null());
    // A slower formal channel costs silo: the change is there, and positive.
    let change = &points[2]["change"];
    assert!(change["estimate"]["mean"].as_f64().unwrap() > 0.0, "{change}");
    assert!(change["share_of_baseline"].as_f64().unwrap() > 0.0, "{change}");
    // The cell never uses the formal channel: the same on every run.
    assert_eq!(
        sweep["metrics"][0]["strategies"][1]["points"][2]["change"]["identical"],
        true
    );

    let plot = read(&svg);
    for s in [
        "sweep of cooperation.formal_days: mean and 95 % interval per strategy",
        "resilience loss (millions)",
        "share of the displaced home, day 90",
        "coordination efficiency",
    ] {
        assert!(plot.contains(s), "the plot lacks `{s}`");
    }
    // Without a sweep there is none of it.
    let plain = cmd(&["compare", "tutorial", "--runs", "2", "--days", "20", "--json"]).json();
    assert!(plain["sweep"].is_null());
}
