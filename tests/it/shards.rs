//! Sharded comparisons as a cluster runs them: outputs checked before any
//! work, and `merge` refusing every damaged, foreign or impossible part with
//! exit 2 and a message that names what is wrong (never a panic).

use crate::common::*;

use serde_json::Value;

/// The comparison every test here shards: 4 runs of three strategies on the
/// tutorial, 20 days.
const BASE: [&str; 8] = [
    "compare",
    "tutorial",
    "--runs",
    "4",
    "--days",
    "20",
    "--strategies",
    "silo,cell,central",
];

/// Writes shard `i` of `n` of [`BASE`] to `path`; returns stderr.
fn shard(i: u32, n: u32, path: &std::path::Path) -> String {
    let spec = format!("{i}/{n}");
    let mut args = BASE.to_vec();
    args.extend(["--shard", &spec, "--out", path.to_str().unwrap()]);
    let (code, out, err) = cimsim(&args);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert!(out.is_empty(), "a shard prints nothing on stdout: {out}");
    err
}

/// Reads a part as JSON, lets `edit` change it, and writes it back.
fn edit(path: &std::path::Path, edit: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(path, serde_json::to_vec(&v).unwrap()).unwrap();
}

/// `merge` of these parts must refuse with exit 2 and say `says`.
fn refused(parts: &[&std::path::Path], says: &str) {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let (code, out, err) = cimsim_bounded(&args, b"", 2048, 30);
    assert_eq!(
        code, 2,
        "merge {args:?} gave exit {code} (stdout: {out}; stderr: {err})"
    );
    assert!(err.contains(says), "merge {args:?}: `{err}` does not say `{says}`");
}

#[test]
fn a_missing_output_folder_is_created_before_any_work_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("parts").join("deeper").join("shard-1.part");
    let err = shard(1, 2, &out);
    let created = err.find("created folder").expect("the creation is said");
    let ran = err.find("ran ").expect("the work is said");
    assert!(created < ran, "the folder is made before the work: {err}");
    assert!(out.is_file());
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let under_a_file = file.join("shard.part");
    for extra in [
        vec!["--shard", "1/2", "--out", under_a_file.to_str().unwrap()],
        vec!["--csv", under_a_file.to_str().unwrap()],
        vec!["--shard", "1/2", "--out", dir.path().to_str().unwrap()],
    ] {
        let mut args = BASE.to_vec();
        args.extend(&extra);
        let (code, _, err) = cimsim(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("cannot write") || err.contains("not a regular file"),
            "{err}"
        );
        assert!(!err.contains("worlds"), "{args:?} ran before refusing: {err}");
    }
}

#[test]
fn whole_comparison_outputs_on_a_shard_are_refused_before_any_work() {
    for flag in [vec!["--csv", "x.csv"], vec!["--json"], vec!["--plot", "x.svg"]] {
        let mut args = BASE.to_vec();
        args.extend(["--shard", "1/2", "--out", "x.part"]);
        args.extend(&flag);
        let (code, _, err) = cimsim(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(flag[0]) && err.contains("cimsim merge"), "{err}");
        assert!(!err.contains("worlds"), "{args:?} ran before refusing: {err}");
    }
    let mut args = BASE.to_vec();
    args.extend(["--shard", "1/5", "--out", "x.part"]);
    let (code, _, err) = cimsim(&args);
    assert_eq!(code, 2, "5 shards of 4 runs: {err}");
    assert!(err.contains("at most 4 shards"), "{err}");
}

#[test]
fn a_shard_counts_its_runs_and_threads_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "2/4";
    let out = dir.path().join("p.part");
    let mut args = BASE.to_vec();
    args.extend(["--jobs", "1", "--shard", spec, "--out", out.to_str().unwrap()]);
    let (code, _, err) = cimsim(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ran 3 worlds of `tutorial` on 1 thread in"), "{err}");
    assert!(err.contains("wrote shard 2/4 (1 run of 4)"), "{err}");
}

#[test]
fn a_part_whose_shard_is_out_of_range_is_refused_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.part");
    shard(1, 4, &good);
    for (i, n) in [(0u64, 4u64), (5, 4), (1, 0), (3, 2)] {
        let bad = dir.path().join(format!("bad-{i}-{n}.part"));
        std::fs::copy(&good, &bad).unwrap();
        edit(&bad, |v| v["shard"] = serde_json::json!([i, n]));
        refused(&[&bad], &format!("says it is shard {i}/{n}"));
    }
    // More shards than runs.
    let bad = dir.path().join("bad-many.part");
    std::fs::copy(&good, &bad).unwrap();
    edit(&bad, |v| v["shard"] = serde_json::json!([1, 9]));
    refused(&[&bad], "there are never more shards than runs");
}

#[test]
fn a_part_with_rows_deleted_or_moved_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.part"), dir.path().join("b.part"));
    shard(1, 2, &a);
    shard(2, 2, &b);
    let cut = dir.path().join("cut.part");
    std::fs::copy(&b, &cut).unwrap();
    edit(&cut, |v| {
        v["rows"].as_array_mut().unwrap().pop();
    });
    refused(&[&a, &cut], "holds 5 rows, but shard 2/2 of its comparison must hold 6");
    // The right number of rows, but one run twice and another missing.
    let swapped = dir.path().join("swapped.part");
    std::fs::copy(&b, &swapped).unwrap();
    edit(&swapped, |v| {
        let rows = v["rows"].as_array_mut().unwrap();
        rows[3] = rows[0].clone();
    });
    refused(&[&a, &swapped], "the row of point 0, run 3, strategy `silo` is missing");
    // A row from another run pasted under this run's number.
    let reseeded = dir.path().join("reseeded.part");
    std::fs::copy(&b, &reseeded).unwrap();
    edit(&reseeded, |v| v["rows"][0]["seed"] = Value::String("42".into()));
    refused(&[&a, &reseeded], "has seed 42, but that run's seed is");
    // A row whose daily curve was cut.
    let short = dir.path().join("short.part");
    std::fs::copy(&b, &short).unwrap();
    edit(&short, |v| {
        v["rows"][1]["curve"].as_array_mut().unwrap().truncate(3);
    });
    refused(&[&a, &short], "has 3 days of index, expected 20");
}

#[test]
fn a_file_of_another_kind_or_version_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.part");
    shard(1, 1, &good);
    let other = dir.path().join("other.part");
    std::fs::copy(&good, &other).unwrap();
    edit(&other, |v| v["format"] = Value::String("cimsim-recording".into()));
    refused(
        &[&other],
        "is not a partial comparison: its `format` is `cimsim-recording`, expected `cimsim-compare-part`",
    );
    let newer = dir.path().join("newer.part");
    std::fs::copy(&good, &newer).unwrap();
    edit(&newer, |v| v["version"] = serde_json::json!(2));
    refused(
        &[&newer],
        "is a partial comparison of part version 2; this cimsim reads part version 1 only",
    );
}

#[test]
fn parts_of_different_comparisons_or_builds_name_the_field_that_differs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.part"), dir.path().join("b.part"));
    shard(1, 2, &a);
    shard(2, 2, &b);
    let part_a: Value = serde_json::from_slice(&std::fs::read(&a).unwrap()).unwrap();
    let engine = part_a["config"]["engine_version"].as_str().unwrap().to_string();
    assert!(
        engine.starts_with(&format!("{}+rules.", env!("CARGO_PKG_VERSION"))) && engine.len() > 20,
        "a part names its build, not only the package version: {engine}"
    );
    // Another build that also calls itself the same package version.
    let other_build = dir.path().join("other-build.part");
    std::fs::copy(&b, &other_build).unwrap();
    edit(&other_build, |v| {
        v["config"]["engine_version"] = Value::String(format!("{}+rules.0000000000000000", env!("CARGO_PKG_VERSION")))
    });
    refused(&[&a, &other_build], "`engine_version` is");
    let coarser = dir.path().join("coarser.part");
    std::fs::copy(&b, &coarser).unwrap();
    edit(&coarser, |v| v["config"]["families_per_entity"] = serde_json::json!(2));
    refused(&[&a, &coarser], "`families_per_entity` is 1 in one and 2 in the other");
}

#[test]
fn a_part_claiming_billions_of_shards_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (a, huge) = (dir.path().join("a.part"), dir.path().join("huge.part"));
    shard(1, 4, &a);
    std::fs::copy(&a, &huge).unwrap();
    // Shard 1 of 4 billion runs holds run 0 alone, as shard 1/4 of 4 does:
    // the part is consistent, and merge must not make room for every shard.
    edit(&huge, |v| {
        v["config"]["runs"] = serde_json::json!(4_000_000_000u64);
        v["shard"] = serde_json::json!([1, 4_000_000_000u64]);
    });
    refused(&[&huge], "shards missing: 2/4000000000, 3/4000000000");
    refused(&[&huge], "and 3999999989 more");
}
