//! Untrusted sizes on every input path: what `validate` refuses before
//! allocating (huge counts, deep nesting, huge files) must hold wherever a
//! scenario or a number reaches cimsim: a recording or journal that embeds
//! a scenario, a compare part (`shards`), a `--set` value, an `--inject`,
//! a play command, a file that never ends. Each runs under an address-space
//! limit of 1 GiB, so a refusal that comes after a huge allocation aborts
//! and fails the test instead of passing.

use crate::common::*;

use cimsim::hash::{fnv1a64, hex16};
use cimsim::record::Recording;

/// Memory the binary may map in these tests, in MiB: far above what the
/// tutorial needs, far below what an absurd size would take.
const MIB: u64 = 1024;

/// Seconds after which a test's child is killed: a guard against a hang,
/// not a timing (the refusals measured take well under a second).
const SECS: u64 = 30;

/// The tutorial with its first population group set to `households`.
fn tutorial_with_households(households: &str) -> String {
    let text = cimsim::scenario::builtin("tutorial").unwrap().text;
    let at = text.find("households: 2_800").expect("the tutorial's first group");
    format!(
        "{}households: {households}{}",
        &text[..at],
        &text[at + "households: 2_800".len()..]
    )
}

/// A recording of two days of the tutorial, with its embedded scenario
/// replaced by `scenario` (the hashes and checksum made to agree, as a
/// careful forger would), as a finished file or as an unfinished journal.
fn forged(dir: &std::path::Path, scenario: &str, journal: bool) -> std::path::PathBuf {
    let original = dir.join("original.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "1",
        "--days",
        "2",
        "--no-score",
        "--record",
        original.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut rec = Recording::from_bytes(&std::fs::read(&original).unwrap()).unwrap();
    rec.scenario = scenario.to_string();
    rec.header.scenario.content_hash = hex16(fnv1a64(scenario.as_bytes()));
    rec.header.journal = journal;
    let path = dir.join(if journal { "forged.journal" } else { "forged.rec" });
    std::fs::write(&path, if journal { rec.body_bytes() } else { rec.to_bytes() }).unwrap();
    path
}

/// A refusal: exit 1 or 2 (never an abort, a panic or a kill), saying `says`.
fn assert_refused(what: &str, (code, _, err): (i32, String, String), says: &str) {
    assert!(code == 1 || code == 2, "{what}: exit {code}, expected a refusal: {err}");
    assert!(err.contains(says), "{what}: `{err}` does not say `{says}`");
}

#[test]
fn a_recording_or_journal_embedding_an_absurd_scenario_is_refused_before_it_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let absurd = tutorial_with_households("1_000_000_000_000");
    let rec = forged(dir.path(), &absurd, false);
    let rec = rec.to_str().unwrap();
    let html = dir.path().join("r.html");
    for args in [
        vec!["replay", rec],
        vec!["replay", rec, "--at", "1"],
        vec!["report", rec, "--out", html.to_str().unwrap()],
    ] {
        let what = format!("{args:?}");
        assert_refused(&what, cimsim_bounded(&args, b"", MIB, SECS), "households");
    }
    let journal = forged(dir.path(), &absurd, true);
    assert_refused(
        "play --resume",
        cimsim_bounded(&["play", "--resume", journal.to_str().unwrap()], b"quit\n", MIB, SECS),
        "households",
    );
}

#[test]
fn a_set_value_of_absurd_size_is_refused_before_any_world() {
    for set in [
        "population[0].households=2800,1000000000000",
        "agencies[water].crews[0].count=4000000000",
        "horizon_days=180,4000000000",
    ] {
        let result = cimsim_bounded(&["compare", "tutorial", "--runs", "1", "--set", set], b"", MIB, SECS);
        assert_eq!(result.0, 2, "--set {set}: {}", result.2);
        assert!(
            !result.2.contains("worlds"),
            "--set {set} ran before refusing: {}",
            result.2
        );
    }
}

#[test]
fn an_inject_of_absurd_day_or_depth_is_refused() {
    let deep = format!(
        "1:Heatwave(water_factor: {}1.5{}, days: 3)",
        "[".repeat(60_000),
        "]".repeat(60_000)
    );
    for (inject, says) in [
        (
            "4000000000:Heatwave(water_factor: 1.5, days: 10)",
            "beyond the scenario's last day",
        ),
        (
            "99999999999999999999:Heatwave(water_factor: 1.5, days: 10)",
            "is not a day number",
        ),
        (deep.as_str(), "not a valid effect"),
    ] {
        let result = cimsim_bounded(
            &["run", "tutorial", "--days", "3", "--no-score", "--inject", inject],
            b"",
            MIB,
            SECS,
        );
        assert_eq!(
            result.0,
            2,
            "--inject {}…: {}",
            &inject[..40.min(inject.len())],
            result.2
        );
        assert!(
            result.2.contains(says),
            "--inject {}…: `{}` does not say `{says}`",
            &inject[..40],
            result.2
        );
    }
    // An effect that lasts four billion days is a valid effect: the run ends
    // at its horizon as usual.
    let (code, _, err) = cimsim_bounded(
        &[
            "run",
            "tutorial",
            "--days",
            "3",
            "--no-score",
            "--inject",
            "1:Heatwave(water_factor: 1.5, days: 4000000000)",
        ],
        b"",
        MIB,
        SECS,
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn play_commands_of_absurd_size_are_refused_and_the_exercise_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.journal");
    let mut input = Vec::new();
    // A 64 MiB line with no end in sight, then commands that must still work.
    input.extend(std::iter::repeat_n(b'x', 64 * 1024 * 1024));
    input.extend_from_slice(b"\n");
    input.extend_from_slice(&[0xff, 0xfe, b'\n']);
    input.extend_from_slice(b"inject 4000000000:Heatwave(water_factor: 1.5, days: 10)\n");
    input.extend_from_slice(b"advance 4294967295\n");
    input.extend_from_slice(b"advance 99999999999999999999\n");
    input.extend_from_slice(b"quit\n");
    let (code, out, err) = cimsim_bounded(
        &[
            "play",
            "tutorial",
            "--seed",
            "1",
            "--journal",
            journal.to_str().unwrap(),
        ],
        &input,
        MIB,
        60,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("refused: a command line longer than 16384 bytes"), "{err}");
    assert!(err.contains("refused: a line that is not UTF-8 text"), "{err}");
    assert!(err.contains("beyond the scenario's last day"), "{err}");
    assert!(err.contains("is not a number of days"), "{err}");
    // `advance 4294967295` ran to the tutorial's horizon, and no further.
    assert!(err.contains("simulated days 0 to 179"), "{err}");
    assert!(!out.is_empty());
    assert!(Recording::from_journal(&std::fs::read(&journal).unwrap()).is_ok());
}

#[test]
fn a_file_that_never_ends_is_refused_at_its_size_limit() {
    for args in [
        vec!["validate", "/dev/zero"],
        vec!["run", "/dev/zero"],
        vec!["replay", "/dev/zero"],
        vec!["report", "/dev/zero"],
        vec!["merge", "/dev/zero"],
        vec!["play", "--resume", "/dev/zero"],
    ] {
        let what = format!("{args:?}");
        assert_refused(&what, cimsim_bounded(&args, b"", MIB, SECS), "limited to");
    }
}
