//! `cimsim play`: a scripted exercise runs from standard input and its
//! journal replays; an exercise cut short (end of input, a killed process,
//! a journal whose last line was cut off) resumes to the same state as an
//! uninterrupted one; refused commands say why and change nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::common::*;

/// The players' agencies of the scripted exercise.
const HUMANS: &str = "water,electricity";

/// Ten turns of `mosul-2017` with two players, orders of every kind,
/// facilitator injects now and later, refused commands, an undo and a
/// score. Refusals are part of the script: they must change nothing.
const SCRIPT: &[&str] = &[
    "help",
    "help request",
    "status water",
    "assign electricity-repair-1 mosul-dam-line",
    "assign electricity-repair-2 east-transformers",
    "assign electricity-repair-3 tigris-hv-line",
    "assign water-repair-1 quba-pumping-station",
    "assign water-repair-2 west-wtp",
    "assign water-truck-water-1 old-city",
    "assign water-truck-water-2 al-zanjili",
    "assign water-repair-3 mosul-dam-line",
    "assign water-repair-99 west-wtp",
    "asign water-repair-1 west-wtp",
    "request water defence clearance west-wtp",
    "request water electricity electricity west-wtp via liaison",
    "liaison water electricity",
    "share electricity water",
    "advance",
    "inject Minefield(district: \"al-karama\", contamination: 0.3)",
    "inject 20:Heatwave(water_factor: 1.5, days: 10)",
    "inject 3:Heatwave(water_factor: 1.5, days: 10)",
    "stop water-truck-water-2",
    "undo",
    "advance",
    "request water electricity electricity west-wtp via liaison",
    "request electricity interior escort west-transformers-heavy",
    "cell join electricity",
    "score",
    "advance",
    "answer 0 accept",
    "answer 1 refuse",
    "answer 2 accept",
    "cell join water",
    "request water electricity electricity quba-pumping-station via cell",
    "advance",
    "assign electricity-repair-4 west-transformers-light",
    "status al-mamoun",
    "advance 7",
    "inject BudgetFreeze(agency: \"oil\", days: 5)",
    "cell leave electricity",
    "advance",
    "score",
    "assign water-repair-4 east-sewage",
    "advance",
    "stop water-repair-1",
    "advance",
    "advance",
    "score",
    "advance",
];

/// Runs `cimsim play` with `lines` on stdin: (exit code, stdout, stderr).
fn play(args: &[&str], lines: &[&str]) -> (i32, String, String) {
    cmd(&["play"]).args(args).lines(lines).run().parts()
}

/// The scripted exercise's command line, writing `journal`.
fn exercise(journal: &Path) -> TestCommand {
    let mut c = cmd(&["play", "mosul-2017", "--seed", "5", "--human", HUMANS]);
    c.args(["--family-per-entity", "10", "--journal"]).arg(journal);
    c
}

/// A new exercise of the script's scenario writing `journal`.
fn new_exercise(journal: &Path, lines: &[&str]) -> (i32, String, String) {
    exercise(journal).lines(lines).run().parts()
}

fn resume(journal: &Path, lines: &[&str]) -> (i32, String, String) {
    play(&["--resume", journal.to_str().unwrap()], lines)
}

/// The `score` blocks of a session's stdout, in order.
fn scores(out: &str) -> Vec<String> {
    out.split("Score after day")
        .skip(1)
        .map(|block| block.split("\n\n").next().unwrap_or_default().to_string())
        .collect()
}

/// The digest of the summary's `final digest` line.
fn final_digest(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains("final digest"))
        .unwrap_or_else(|| panic!("no final digest in: {out}"));
    line.split("final digest ").nth(1).unwrap()[..16].to_string()
}

/// The uninterrupted scripted exercise, once per test that compares with it.
fn uninterrupted(dir: &Path) -> (PathBuf, String, String) {
    let journal = dir.join("whole.journal");
    let (code, out, err) = new_exercise(&journal, SCRIPT);
    assert_eq!(code, 0, "{err}");
    (journal, out, err)
}

#[test]
fn a_scripted_exercise_on_mosul_runs_from_stdin_and_its_journal_replays_with_identical_digests() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, out, err) = uninterrupted(dir.path());
    let (out, err) = (unwrapped(&out), unwrapped(&err));
    assert!(!err.contains("panicked"), "{err}");
    // Ten turns after the opening report, each opened by its report.
    let turns = out.matches("=== Turn ").count();
    assert_eq!(turns, 11, "{out}");
    assert!(out.contains("End of the exercise after day 69"), "{out}");
    // Orders were accepted, and every refusal says why.
    for accepted in [
        "ok: electricity-repair-1 ordered to mosul-dam-line",
        "ok: water posts a liaison officer with electricity",
        "ok: manual inject scheduled for day 20",
        "ok: electricity joins the coordination cell",
        "took back: water-truck-water-2 ordered to stop",
    ] {
        assert!(err.contains(accepted), "expected `{accepted}` in: {err}");
    }
    for refused in [
        "refused: mosul-dam-line is electricity's to repair, not water's",
        "refused: no crew `water-repair-99`",
        "refused: unknown command `asign`; did you mean `assign`?",
        "refused: water and electricity have no liaison link",
        "refused: day 3 has passed",
    ] {
        assert!(err.contains(refused), "expected `{refused}` in: {err}");
    }
    let refusals = err.matches("refused:").count();
    assert!(refusals >= 5, "{err}");
    assert_eq!(scores(&out).len(), 3, "{out}");
    // The turn reports name the facilitator's injects once they acted.
    assert!(
        out.contains("day 7, the facilitator's inject: Minefield(district: \"al-karama\", contamination: 0.3)"),
        "{out}"
    );
    assert!(
        out.contains("day 20, the facilitator's inject: Heatwave(water_factor: 1.5, days: 10)"),
        "{out}"
    );
    // The end: the references and the missed opportunities.
    assert!(out.contains("all-silo"), "{out}");
    assert!(out.contains("all-central"), "{out}");
    // The journal is a recorded run: `replay` verifies every day.
    let (code, replayed, rerr) = cimsim(&["replay", journal.to_str().unwrap()]);
    assert_eq!(code, 0, "{rerr}");
    assert!(replayed.contains("verified 70 days"), "{replayed}");
    let digest = final_digest(&out);
    assert!(
        replayed.contains(&format!("final digest {digest}")),
        "{digest}: {replayed}"
    );
    let rec = cimsim::record::Recording::from_bytes(&std::fs::read(&journal).unwrap()).unwrap();
    assert!(rec.header.journal);
    assert_eq!(rec.days.len(), 70);
}

#[test]
fn cutting_the_input_and_resuming_gives_the_same_journal_state_and_score() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, out, _) = uninterrupted(dir.path());
    let whole_bytes = std::fs::read(&whole).unwrap();
    for k in [0, 6, 18, 22, 29, SCRIPT.len() - 1] {
        let journal = dir.path().join(format!("cut-{k}.journal"));
        let (code, first, err) = new_exercise(&journal, &SCRIPT[..k]);
        assert_eq!(code, 0, "{k}: {err}");
        let (code, second, err) = resume(&journal, &SCRIPT[k..]);
        assert_eq!(code, 0, "{k}: {err}");
        assert!(err.contains("resumed"), "{err}");
        assert_eq!(
            std::fs::read(&journal).unwrap(),
            whole_bytes,
            "the journal resumed after {k} commands differs"
        );
        assert_eq!(final_digest(&second), final_digest(&out), "{k}");
        let mut both = scores(&first);
        both.extend(scores(&second));
        assert_eq!(both, scores(&out), "score after a cut at {k}");
    }
}

/// Starts `c` in a child, feeds it `lines` then `save MARKER`, and returns
/// once its stderr says the copy is saved, with the child's input still
/// open. Commands are answered in order, so every line before the save has
/// been answered and journaled, and the child is waiting for its next
/// line: the test knows where it stands, whatever the machine's speed.
fn hold_after(c: &mut TestCommand, marker: &Path, lines: &[&str]) -> (std::process::Child, std::process::ChildStdin) {
    use std::io::BufRead as _;
    let mut child = c.spawn_with(Stdio::null(), Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
    }
    writeln!(stdin, "save {}", marker.display()).unwrap();
    stdin.flush().unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = Vec::new();
    let saved = stderr.lines().map_while(Result::ok).any(|line| {
        let done = line.starts_with("saved a closed copy");
        said.push(line);
        done
    });
    assert!(saved, "the child ended before its save: {}", said.join("\n"));
    (child, stdin)
}

/// The scripted exercise killed after `lines` and a save to `marker`, with
/// its input still open: no `quit`, no checksum line.
fn kill_after(journal: &Path, marker: &Path, lines: &[&str]) {
    let (mut child, stdin) = hold_after(&mut exercise(journal), marker, lines);
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
}

/// Kills the child after the first `k` commands have been journaled, and
/// resumes with the rest.
#[test]
fn killing_the_process_and_resuming_gives_the_same_state_as_an_uninterrupted_session() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, out, _) = uninterrupted(dir.path());
    let whole_bytes = std::fs::read(&whole).unwrap();
    for k in [10, 24] {
        let journal = dir.path().join(format!("killed-{k}.journal"));
        let marker = dir.path().join(format!("killed-{k}.saved"));
        kill_after(&journal, &marker, &SCRIPT[..k]);
        let bytes = std::fs::read(&journal).unwrap();
        assert!(cimsim::record::stated_checksum(&bytes).is_none());
        // The saved copy is a closed recording of the same exercise (one
        // that `replay` verifies once a day has been simulated).
        let saved = cimsim::record::Recording::from_bytes(&std::fs::read(&marker).unwrap()).unwrap();
        assert_eq!(saved.to_bytes(), std::fs::read(&marker).unwrap());
        // The first advance is the 18th command.
        assert_eq!(saved.days.is_empty(), k < 18, "{k}");
        if !saved.days.is_empty() {
            let (code, _, err) = cimsim(&["replay", marker.to_str().unwrap()]);
            assert_eq!(code, 0, "{err}");
        }
        let (code, second, err) = resume(&journal, &SCRIPT[k..]);
        assert_eq!(code, 0, "{k}: {err}");
        assert_eq!(std::fs::read(&journal).unwrap(), whole_bytes, "killed after {k}");
        assert_eq!(final_digest(&second), final_digest(&out));
    }
}

/// A kill between any two commands (before the first, mid-turn, right
/// after an advance, before the last): the resumed journal verifies, and
/// its days and inputs are exactly the uninterrupted session's up to that
/// command. A kill in the middle of a write leaves a cut-off last record,
/// which `a_journal_whose_last_record_was_cut_off...` covers byte by byte.
#[test]
fn a_kill_between_any_two_commands_resumes_to_the_uninterrupted_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, _, _) = uninterrupted(dir.path());
    let whole = cimsim::record::Recording::from_bytes(&std::fs::read(&whole).unwrap()).unwrap();
    for k in [0, 3, 17, 18, 23, 29, SCRIPT.len() - 1] {
        let journal = dir.path().join(format!("between-{k}.journal"));
        let marker = dir.path().join(format!("between-{k}.saved"));
        kill_after(&journal, &marker, &SCRIPT[..k]);
        // What the first k commands give, run to their end without a kill.
        let expected = dir.path().join(format!("expected-{k}.journal"));
        let (code, _, err) = new_exercise(&expected, &SCRIPT[..k]);
        assert_eq!(code, 0, "{err}");
        let expected = cimsim::record::Recording::from_bytes(&std::fs::read(&expected).unwrap()).unwrap();
        let (code, _, err) = resume(&journal, &["quit"]);
        assert_eq!(code, 0, "after {k} commands: {err}");
        let rec = cimsim::record::Recording::from_bytes(&std::fs::read(&journal).unwrap()).unwrap();
        assert_eq!(rec.days, expected.days, "days after {k} commands");
        assert_eq!(rec.inputs, expected.inputs, "inputs after {k} commands");
        assert_eq!(rec.days[..], whole.days[..rec.days.len()], "after {k} commands");
        assert_eq!(rec.inputs[..], whole.inputs[..rec.inputs.len()], "after {k} commands");
        if !rec.days.is_empty() {
            let (code, _, err) = cimsim(&["replay", journal.to_str().unwrap()]);
            assert_eq!(code, 0, "{err}");
        }
    }
    // Killed before the header was whole, the journal holds no exercise:
    // resuming it is refused, and it is left as it was.
    let header_cut = dir.path().join("header-cut.journal");
    let bytes = std::fs::read(dir.path().join("between-0.journal")).unwrap();
    std::fs::write(&header_cut, &bytes[..20]).unwrap();
    let (code, _, err) = resume(&header_cut, &["quit"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a cimsim recording"), "{err}");
    assert_eq!(std::fs::read(&header_cut).unwrap(), bytes[..20]);
}

/// A small tutorial exercise: orders, a turn, an inject.
const SMALL: &[&str] = &[
    "assign water-repair-1 water-plant",
    "request water defence clearance west",
    "advance 3",
    "inject 5:Heatwave(water_factor: 1.5, days: 2)",
    "assign water-repair-2 sewage-station",
    "advance 4",
];

fn small(journal: &Path, lines: &[&str]) -> (i32, String, String) {
    let mut c = cmd(&["play", "tutorial", "--seed", "4", "--human", "water,defence"]);
    c.args(["--family-per-entity", "10", "--journal"]).arg(journal);
    c.lines(lines).run().parts()
}

#[test]
fn a_journal_whose_last_record_was_cut_off_recovers_up_to_its_last_whole_record() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("small.journal");
    let (code, out, err) = small(&journal, SMALL);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&journal).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    // Drop the checksum line and cut the last day's row in its middle.
    let body_end = text.trim_end_matches('\n').rfind('\n').unwrap() + 1;
    let last_row = text[..body_end - 1].rfind('\n').unwrap() + 1;
    for cut in [last_row + 1, last_row + 30, body_end - 1] {
        let cut_file = dir.path().join(format!("cut-{cut}.journal"));
        std::fs::write(&cut_file, &bytes[..cut]).unwrap();
        // `replay` reads an unfinished journal, says so, and verifies it.
        let (code, replayed, err) = cimsim(&["replay", cut_file.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("unfinished journal"), "{err}");
        assert!(err.contains("cut off"), "{err}");
        assert!(replayed.contains("verified 6 days"), "{replayed}");
        // Resuming recovers the whole records, re-simulates the lost day,
        // and ends where the uninterrupted session ended.
        let (code, resumed, err) = resume(&cut_file, &["advance 1"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("recovered up to the last whole record"), "{err}");
        assert_eq!(final_digest(&resumed), final_digest(&out));
        // The same inputs and days; the journal also says that the last
        // day was simulated by an advance of its own.
        let whole = cimsim::record::Recording::from_bytes(&bytes).unwrap();
        let again = cimsim::record::Recording::from_bytes(&std::fs::read(&cut_file).unwrap()).unwrap();
        assert_eq!((&again.inputs, &again.days), (&whole.inputs, &whole.days));
        let last = whole.days.len() as u32 - 1;
        assert_eq!(again.advances, [whole.advances.clone(), vec![last]].concat());
    }
    // A corrupted line before the last is not a cut-off record: refused.
    let corrupted = text[..body_end].replacen("{\"day\":{\"day\":2,", "{\"day\":{\"dya\":2,", 1);
    let bad = dir.path().join("bad.journal");
    std::fs::write(&bad, &corrupted).unwrap();
    let (code, _, err) = resume(&bad, &["quit"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("line"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        corrupted,
        "a bad journal is left as it was"
    );
    // A digest that does not replay is found on resume.
    let at = text.find("\"digest\":\"").unwrap() + 10;
    let digit = if &text[at..=at] == "0" { "1" } else { "0" };
    let tampered = format!("{}{digit}{}", &text[..at], &text[at + 1..body_end]);
    std::fs::write(&bad, &tampered).unwrap();
    let (code, _, err) = resume(&bad, &["quit"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("does not match the journal"), "{err}");
}

#[test]
fn refused_commands_change_nothing_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.journal");
    let (code, out, err) = small(&clean, SMALL);
    assert_eq!(code, 0, "{err}");
    let noisy = dir.path().join("noisy.journal");
    let mut lines: Vec<&str> = Vec::new();
    let refusals: &[(&str, &str)] = &[
        (
            "assign water-repair-7 water-plant",
            "no crew `water-repair-7`; did you mean `water-repair-1`?",
        ),
        (
            "assign water-repair-1 power-station",
            "power-station is electricity's to repair",
        ),
        (
            "assign water-truck-water-1 clinic",
            "works on a district, and `clinic` is not one",
        ),
        ("assign electricity-repair-1 power-station", "not played by a person"),
        (
            "request water defence clearance west via liaison",
            "have no liaison link",
        ),
        (
            "request water defence clearance west via cell",
            "not both in the coordination cell",
        ),
        (
            "request water health clearance west",
            "health has no mandate to give clearance",
        ),
        (
            "request water defence shelter west",
            "`shelter` is not something to ask for",
        ),
        ("answer 99 accept", "no request #99"),
        ("answer 0 maybe", "answer `accept` or `refuse`"),
        ("advnce", "did you mean `advance`?"),
        ("advance 0", "not a number of days"),
        ("cell leave water", "water is not in the coordination cell"),
        ("cell join health", "health is not played by a person"),
        ("share water water", "cannot share with itself"),
        ("inject Earthquake(magnitude: 7.0)", "not a valid effect"),
        (
            "inject 900:Heatwave(water_factor: 1.5, days: 2)",
            "beyond the scenario's last day",
        ),
        (
            "inject Sabotage(asset: \"power-statoin\", damage: 0.5)",
            "did you mean `power-station`",
        ),
        ("undo", "nothing to undo"),
        ("assign", "usage: assign CREWS TARGET"),
        ("assign water-rapair-* water-plant", "no crew `water-rapair-*`"),
        (
            "stop water-repair-3..1",
            "a range is a crew id then `..` and a higher number",
        ),
        ("assign water-repair-1..2 east", "works on an asset of its own agency"),
        ("standing health on", "health is not played by a person"),
        ("strategy water solo", "unknown strategy `solo`"),
    ];
    for (bad, _) in refusals {
        lines.push(bad);
    }
    lines.extend_from_slice(SMALL);
    let (code, noisy_out, err) = small(&noisy, &lines);
    assert_eq!(code, 0, "{err}");
    let err = unwrapped(&err);
    assert!(!err.contains("panicked"), "{err}");
    for (bad, why) in refusals {
        assert!(err.contains(why), "`{bad}`: expected `{why}` in: {err}");
    }
    assert_eq!(err.matches("refused:").count(), refusals.len(), "{err}");
    // The journals are the same bytes: nothing refused was journaled.
    assert_eq!(std::fs::read(&noisy).unwrap(), std::fs::read(&clean).unwrap());
    assert_eq!(final_digest(&noisy_out), final_digest(&out));
}

#[test]
fn undo_takes_back_the_last_order_of_the_turn_only() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.journal");
    let (code, out, err) = small(&plain, SMALL);
    assert_eq!(code, 0, "{err}");
    let undone = dir.path().join("undone.journal");
    let mut lines = vec![
        "assign water-repair-1 water-plant",
        "request water defence clearance west",
        "liaison water defence",
        "inject Heatwave(water_factor: 2.0, days: 3)",
        "undo",
        "undo",
    ];
    lines.extend_from_slice(&SMALL[2..]);
    let (code, undone_out, err) = small(&undone, &lines);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("took back: manual inject"), "{err}");
    assert!(err.contains("took back: water posts a liaison officer"), "{err}");
    assert_eq!(final_digest(&undone_out), final_digest(&out));
    // The journal keeps the taken-back orders and the undos; replay
    // verifies it and resume restores it.
    let (code, _, err) = cimsim(&["replay", undone.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, resumed, err) = resume(&undone, &["undo", "quit"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("nothing to undo"),
        "an order of a past turn cannot be taken back: {err}"
    );
    assert_eq!(final_digest(&resumed), final_digest(&out));
}

#[test]
fn bad_arguments_and_files_are_refused_with_the_right_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.journal");
    let (code, _, err) = play(
        &["tutorial", "--human", "watr", "--journal", journal.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown agency `watr`; did you mean `water`?"), "{err}");
    assert!(!journal.exists(), "nothing is written for a refused start");
    let (code, _, err) = small(&journal, &["quit"]);
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&journal).unwrap();
    let (code, _, err) = small(&journal, &["quit"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--resume"), "{err}");
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        before,
        "an existing journal is never overwritten"
    );
    let (code, _, err) = resume(&dir.path().join("absent.journal"), &[]);
    assert_eq!(code, 2, "{err}");
    let run = dir.path().join("run.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--days",
        "3",
        "--no-score",
        "--record",
        run.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = resume(&run, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not the journal of an exercise"), "{err}");
    let (code, _, err) = play(&["tutorial", "--resume", journal.to_str().unwrap(), "--seed", "3"], &[]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_opening_report_lists_the_players_idle_crews_and_help_explains_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.journal");
    let (code, out, err) = small(
        &journal,
        &[
            "help",
            "help assign",
            "help asign",
            "status defence",
            "assign water-repair-1 water-plant",
            "status water-plant",
            "orders",
            "quit",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("=== Turn 1: day 0"), "{out}");
    assert!(
        out.contains("not known yet: strategies place their crews when day 0 is simulated"),
        "{out}"
    );
    for cmd in [
        "assign", "stop", "release", "standing", "strategy", "request", "answer", "share", "liaison", "cell", "inject",
        "advance", "status", "orders", "score", "undo", "save", "quit",
    ] {
        assert!(out.contains(&format!("\n  {cmd}")), "help lists `{cmd}`: {out}");
    }
    let out = unwrapped(&out);
    assert!(out.contains("Repair crews take one of their agency's assets"), "{out}");
    assert!(out.contains("did you mean `assign`?"), "{out}");
    assert!(out.contains("defence-clear-1"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("water-repair-1 ") && l.ends_with("working at water-plant (by order)")),
        "{out}"
    );
    assert!(out.contains("1. water-repair-1 ordered to water-plant"), "{out}");
}

#[test]
fn malformed_lines_are_refused_and_none_panics() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.journal");
    let (code, out, err) = small(&clean, SMALL);
    assert_eq!(code, 0, "{err}");
    let long = "x".repeat(100_000);
    let garbage: Vec<&str> = vec![
        "assign a b c",
        "request",
        "request a",
        "request water defence clearance west via",
        "request water defence clearance west via pigeon",
        "request water defence fuel",
        "answer -1 accept",
        "answer 99999999999999999999 accept",
        "answer #",
        "inject",
        "inject 4294967296:Heatwave(water_factor: 1.5, days: 2)",
        "inject 5:",
        "inject :",
        "inject Heatwave(water_factor: NaN, days: 2)",
        "inject Displacement(district: \"east\", share: 2.0, to: Home)",
        "advance 99999999999",
        "advance -1",
        "advance 1 2",
        "status nowhere",
        "cell",
        "cell dance water",
        "liaison water",
        "liaison water water",
        "share",
        "stop",
        "stop nobody",
        "save /nonexistent-dir/x.rec",
        "é ü ∑",
        "\u{0}",
        &long,
    ];
    let mut lines = garbage.clone();
    lines.extend_from_slice(SMALL);
    let noisy = dir.path().join("noisy.journal");
    let (code, noisy_out, err) = small(&noisy, &lines);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Every malformed line got an answer that says why; `status nowhere`
    // answers on stdout.
    let refused = err.matches("refused:").count();
    assert!(refused >= garbage.len() - 2, "{refused} refusals: {err}");
    assert!(err.contains("error: cannot write") || err.contains("refused"), "{err}");
    assert_eq!(std::fs::read(&noisy).unwrap(), std::fs::read(&clean).unwrap());
    assert_eq!(final_digest(&noisy_out), final_digest(&out));
}

#[test]
fn a_journal_in_use_by_another_session_is_not_written_twice() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("busy.journal");
    let marker = dir.path().join("ready.saved");
    let mut first = cmd(&["play", "tutorial", "--seed", "4", "--human", "water"]);
    first.args(["--family-per-entity", "10", "--journal"]).arg(&journal);
    let (mut first, mut stdin) = hold_after(&mut first, &marker, &[]);
    let before = std::fs::read(&journal).unwrap();
    let (code, _, err) = resume(&journal, &["advance", "quit"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("in use by another"), "{err}");
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    writeln!(stdin, "quit").unwrap();
    drop(stdin);
    assert!(first.wait().unwrap().success());
}

/// Sixty days of `mosul-2017` with a facilitator's inject taken back, an
/// inject for a later day and one kept, and a player's order, which
/// references never inherit.
const SCORED: &[&str] = &[
    "assign water-repair-1 quba-pumping-station",
    "inject Heatwave(water_factor: 2.0, days: 10)",
    "undo",
    "inject 2:Minefield(district: \"al-karama\", contamination: 0.3)",
    "advance 4",
    "inject BudgetFreeze(agency: \"oil\", days: 5)",
    "advance 56",
    "score",
    "quit",
];

/// `play`'s `score` line: `resilience loss: this run …; coordination
/// efficiency …`.
fn score_line(out: &str) -> String {
    let block = scores(out).pop().unwrap_or_else(|| panic!("no score in: {out}"));
    unwrapped(&block)
        .lines()
        .find(|l| l.trim_start().starts_with("resilience loss: this run"))
        .unwrap_or_else(|| panic!("no resilience loss line in: {block}"))
        .trim()
        .to_string()
}

/// The same line written from a `run --json` document (the report's
/// embedded figures are one).
fn score_line_of(doc: &serde_json::Value) -> String {
    let big = thousands;
    let refs = &doc["references"];
    format!(
        "resilience loss: this run {}, all-silo {}, all-central {}; coordination efficiency {}",
        big(&doc["resilience_loss"]["total"]),
        big(&refs["silo"]["resilience_loss"]["total"]),
        big(&refs["central"]["resilience_loss"]["total"]),
        doc["cooperation"]["coordination_efficiency"].as_f64().map_or_else(
            || format!(
                "undefined: {}",
                doc["cooperation"]["coordination_efficiency_undefined"]
                    .as_str()
                    .unwrap_or("no reason given")
            ),
            |e| format!("{e:.2}")
        )
    )
}

#[test]
fn report_and_play_give_a_journal_with_an_undone_and_a_later_inject_the_same_references() {
    // `cimsim report` used to keep the undone inject and drop the later one
    // in its references, where `play`'s `score` resolved undos first and
    // kept later injects (issue 13).
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("scored.journal");
    let (code, out, err) = new_exercise(&journal, SCORED);
    assert_eq!(code, 0, "{err}");
    let played = score_line(&out);

    let html = dir.path().join("scored.html");
    let (code, _, err) = cimsim(&["report", journal.to_str().unwrap(), "--out", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&html).unwrap();
    let open = "<script type=\"application/json\" id=\"figures\">";
    let start = html.find(open).expect("the report embeds its figures") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let figures: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(score_line_of(&figures), played, "report and play's score");
    // After 60 days all-central still loses more than all-silo here, so the
    // efficiency is undefined and both commands must say why alike (the
    // losses in the line are what tell the references apart).
    let c = &figures["cooperation"];
    assert!(
        c["coordination_efficiency"].is_f64() || c["coordination_efficiency_undefined"].is_string(),
        "{played}"
    );

    // The references are the all-silo and all-central runs with the injects
    // left standing, as `run --inject` gives them: not the undone heatwave,
    // the minefield on its day and the budget freeze.
    for strategy in ["silo", "central"] {
        let (code, out, err) = cimsim(&[
            "run",
            "mosul-2017",
            "--seed",
            "5",
            "--family-per-entity",
            "10",
            "--days",
            "60",
            "--no-score",
            "--json",
            "--strategy",
            strategy,
            "--inject",
            "2:Minefield(district: \"al-karama\", contamination: 0.3)",
            "--inject",
            "4:BudgetFreeze(agency: \"oil\", days: 5)",
        ]);
        assert_eq!(code, 0, "{err}");
        let run: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            run["resilience_loss"], figures["references"][strategy]["resilience_loss"],
            "the {strategy} reference"
        );
    }

    // `replay` re-simulates the very run scored: the same final digest, and
    // from day 0 the same resilience loss, so the same efficiency against
    // those references.
    let (code, out, err) = cimsim(&["replay", journal.to_str().unwrap(), "--branch", "0", "--json"]);
    assert_eq!(code, 0, "{err}");
    let replayed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let loss = replayed["resilience_loss_from_branch_day"]["original"]
        .as_f64()
        .unwrap();
    assert_eq!(loss, figures["resilience_loss"]["total"].as_f64().unwrap());
    assert_eq!(
        replayed["original"].as_array().unwrap().last().unwrap()["digest"],
        figures["final_digest"]
    );
    let refs = &figures["references"];
    let total = |r: &str| refs[r]["resilience_loss"]["total"].as_f64().unwrap();
    let efficiency = cimsim::score::efficiency(loss, total("silo"), total("central")).map(|e| (e * 1e6).round() / 1e6);
    assert_eq!(efficiency, figures["cooperation"]["coordination_efficiency"].as_f64());
}

/// What a facilitator reads through a short exercise: the opening turn
/// report, an agency's status, the next turn reports, the score and the
/// closing summary. Whole, as printed.
#[test]
fn the_turn_reports_of_a_short_tutorial_exercise() {
    // The journal is named relative to the session's folder: the closing
    // summary names it, and the snapshot must not hold a temporary path.
    let dir = tempfile::tempdir().unwrap();
    let out = cmd(&[
        "play",
        "tutorial",
        "--seed",
        "2",
        "--human",
        "water,electricity",
        "--journal",
        "turns.journal",
    ])
    .current_dir(dir.path())
    .lines(&[
        "assign water-repair-1 water-plant",
        "advance 5",
        "status water",
        "status water-plant",
        "request water electricity electricity water-plant",
        "cell join electricity",
        "advance",
        "score",
        "quit",
    ])
    .stdout();
    insta::assert_snapshot!(out);
}

/// A mistyped target gets the closest id, as `status` gives one; the
/// console's confirmations read as sentences.
#[test]
fn orders_suggest_the_target_meant_and_confirm_in_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("words.journal");
    let (code, _, err) = small(
        &journal,
        &[
            "assign water-repair-1 water-plnat",
            "request water defence clearance west",
            "cell join water",
            "cell leave water",
        ],
    );
    assert_eq!(code, 0, "{err}");
    for said in [
        "refused: no district, asset or agency `water-plnat`; did you mean `water-plant`?",
        "ok: water asks defence for clearance at west through a formal request",
        "ok: water joins the coordination cell",
        "ok: water now follows the `silo` strategy",
    ] {
        assert!(err.contains(said), "expected `{said}` in: {err}");
    }
    // The refused order was not journaled.
    let rec = cimsim::record::Recording::from_bytes(&std::fs::read(&journal).unwrap()).unwrap();
    assert!(
        !rec.inputs
            .iter()
            .any(|i| matches!(i, cimsim::record::Input::Assign { target, .. } if target == "water-plnat"))
    );
}

/// `quit` closes with a short account that fits an 80-column terminal and
/// says where the rest is, instead of every table of `cimsim run`.
#[test]
fn quit_prints_a_short_summary_that_points_to_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("short.journal");
    let (code, out, err) = small(&journal, SMALL);
    assert_eq!(code, 0, "{err}");
    let summary = &out[out
        .find("End of the exercise after day")
        .unwrap_or_else(|| panic!("{out}"))..];
    assert!(summary.contains("cimsim report"), "{summary}");
    assert!(summary.contains("everyone alone (silo)"), "{summary}");
    assert!(summary.lines().count() <= 20, "{summary}");
    for line in summary.lines() {
        // A path longer than a line is the only thing allowed past 80.
        assert!(
            line.chars().count() <= 80 || !line.trim().contains(' '),
            "over 80 columns: {line}"
        );
    }
    assert!(!summary.contains("┌"), "a table in the closing summary: {summary}");
}

/// Before the first simulated day, `status` says services and outputs are
/// not known yet instead of showing them at 0 %.
#[test]
fn status_before_the_first_day_says_nothing_is_known_yet() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = small(&dir.path().join("day0.journal"), &["status west", "status water-plant"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("services: not known yet: day 0 has not been simulated"),
        "{out}"
    );
    assert!(out.contains("output not known yet"), "{out}");
    assert!(!out.contains("food 0%"), "{out}");
    assert!(!out.contains("output 0%"), "{out}");
}

/// A refused request leaves the open list, and the turn report says it
/// closed and how.
#[test]
fn a_refused_request_leaves_the_open_list_with_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = small(
        &dir.path().join("refused.journal"),
        &[
            "request water defence clearance old-town",
            "advance 10",
            "answer 0 refuse",
            "advance 1",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let out = unwrapped(&out);
    let at = out.rfind("=== Turn").unwrap();
    let (before, last) = (&out[..at], &out[at..]);
    let refused = "#0 water asks defence for clearance at old-town (formal, day 0)";
    // The turn before, it was open and waiting for the player.
    assert!(
        before.contains(&format!("{refused}: waits for defence's player to answer")),
        "{before}"
    );
    assert!(
        last.contains(&format!("requests closed:\n    {refused}: refused on day 10")),
        "{last}"
    );
    let open = &last[last.find("Open requests:").unwrap()..];
    let open = &open[..open.find("Crews not working").unwrap()];
    assert!(!open.contains("#0 "), "{open}");
}

/// A console's text with its wrapped lines joined: what a line said before
/// it was folded to 80 columns, for assertions on whole sentences. A line
/// continues the one before when it is indented deeper and its first word
/// would not have fitted on that line.
fn unwrapped(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut last: Option<(usize, usize)> = None; // (indent of the logical line, width of the physical line)
    for line in text.lines() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let word = body.split(' ').next().unwrap_or("").chars().count();
        match (last, out.last_mut()) {
            (Some((first, width)), Some(joined)) if !body.is_empty() && indent > first && width + 1 + word > 80 => {
                joined.push(' ');
                joined.push_str(body);
                last = Some((first, line.chars().count()));
            }
            _ => {
                out.push(line.to_string());
                last = Some((indent, line.chars().count()));
            }
        }
    }
    out.join("\n")
}

/// A player's crews follow the agency's strategy until ordered: without a
/// single order they work, and a group order takes a range or a prefix.
#[test]
fn a_players_crews_work_on_standing_orders_and_take_group_orders() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = small(
        &dir.path().join("standing.journal"),
        &[
            "advance 3",
            "status water",
            "assign water-repair-2..4 water-plant",
            "stop water-truck-water-*",
            "advance 2",
            "status water",
            "release water-truck-water-*",
            "standing water off",
            "advance 2",
            "status water",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let status: Vec<&str> = out
        .split("water (Ministry")
        .skip(1)
        .map(|s| s.split("\n===").next().unwrap())
        .collect();
    assert_eq!(status.len(), 3, "{out}");
    // Standing orders: every crew of the player's agency at work, no order given.
    let crew_lines = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.trim_start().starts_with("water-"))
            .map(str::to_string)
            .collect()
    };
    let first = crew_lines(status[0]);
    assert_eq!(first.len(), 6, "{}", status[0]);
    assert!(
        first
            .iter()
            .filter(|l| l.contains("working at") || l.contains("blocked"))
            .count()
            >= 4,
        "standing orders put the crews to work: {first:?}"
    );
    assert!(err.contains("ok: water-repair-2..4 ordered to water-plant"), "{err}");
    let second = crew_lines(status[1]);
    for n in 2..=4 {
        let line = second
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("water-repair-{n} ")))
            .unwrap();
        assert!(line.contains("water-plant (by order)"), "{line}");
    }
    assert_eq!(
        second.iter().filter(|l| l.contains("idle: stopped by order")).count(),
        2,
        "{second:?}"
    );
    // Released and with standing orders off, a crew without an order idles.
    let third = crew_lines(status[2]);
    assert_eq!(
        third.iter().filter(|l| l.contains("idle: no orders")).count(),
        2,
        "{third:?}"
    );
    assert!(unwrapped(&out).contains("crews work only when ordered"), "{out}");
}

/// Turns are counted by `advance`s, and a resumed session goes on with the
/// number the uninterrupted one had.
#[test]
fn turns_are_numbered_by_advances_and_a_resumed_session_keeps_counting() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("turns.journal");
    let (code, out, err) = small(&journal, &["advance", "advance 30"]);
    assert_eq!(code, 0, "{err}");
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("=== Turn")).collect();
    assert_eq!(headers.len(), 3, "{out}");
    assert!(headers[2].starts_with("=== Turn 3: day 37"), "{headers:?}");
    // The session above was closed by the end of its input: cut its
    // checksum line and resume, as after a crash.
    let bytes = std::fs::read(&journal).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let body = &text[..text.trim_end().rfind('\n').unwrap() + 1];
    std::fs::write(&journal, body).unwrap();
    let (code, out, err) = resume(&journal, &["advance"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("=== Turn 4: day "), "{out}");
    assert!(!out.contains("=== Turn 5"), "{out}");
}

/// The turn report reads each inject's message, lists the injects due in
/// the next turn, and says what was finished and which crews were lost to
/// what; `status` on a lost crew says so.
#[test]
fn the_turn_report_says_what_happened_and_what_is_due() {
    // The first of the tutorial's injects set for a day after the first
    // turn: the turns are placed so that it falls in the third.
    let scenario = cimsim::scenario::load(cimsim::scenario::builtin("tutorial").unwrap()).unwrap();
    let (day, inject) = scenario
        .scenario
        .injects
        .iter()
        .filter_map(|i| match i.trigger {
            cimsim::scenario::Trigger::Day(d) if d >= 10 => Some((d, i)),
            _ => None,
        })
        .min_by_key(|(d, _)| *d)
        .expect("the tutorial has an inject set for a day");
    let first = day - 3;
    let advance = format!("advance {first}");
    let dir = tempfile::tempdir().unwrap();
    let script = [
        advance.as_str(),
        "inject CrewAttack(district: \"east\", casualties: 3, security_drop: 0.1, suspend_days: 2)",
        "advance",
        "advance 60",
    ];
    let (code, out, err) = small(&dir.path().join("happened.journal"), &script);
    assert_eq!(code, 0, "{err}");
    let out = unwrapped(&out);
    let read_out = format!("day {day}, {}: {}", inject.id, inject.message);
    let next = format!("Due in the next turn (days {first} to {}):", first + 6);
    let due = &out[out.find(&next).unwrap_or_else(|| panic!("`{next}` in: {out}"))..];
    assert!(due.contains(&read_out), "due: {due}");
    let since = format!("Since the last turn (days {first} to {}):", first + 6);
    let since = &out[out.find(&since).unwrap_or_else(|| panic!("`{since}` in: {out}"))..];
    assert!(since.contains(&read_out), "fired: {since}");
    assert!(
        since.contains(&format!(
            "day {first}, the facilitator's inject: CrewAttack(district: \"east\", casualties: 3, security_drop: 0.1, suspend_days: 2)"
        )),
        "{since}"
    );
    // The attack hit crews at work in east, and the report names them.
    let lost_line = since
        .lines()
        .find(|l| l.trim_start().starts_with("crews lost:"))
        .unwrap_or_else(|| panic!("no crews lost in: {since}"));
    assert!(
        lost_line.contains(&format!("lost on day {first} to an attack in east")),
        "{lost_line}"
    );
    assert!(out.contains("work finished: "), "{out}");
    let lost_crew = lost_line
        .trim_start()
        .trim_start_matches("crews lost: ")
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let status = format!("status {lost_crew}");
    let order = format!("assign {lost_crew} east");
    let (code, out, err) = small(
        &dir.path().join("lost.journal"),
        &[script[0], script[1], script[2], &status, &order],
    );
    assert_eq!(code, 0, "{err}");
    let out = unwrapped(&out);
    assert!(
        out.contains(&format!("{lost_crew} (")) && out.contains(&format!("lost on day {first} to an attack in east")),
        "{out}"
    );
    if lost_crew.starts_with("water-") || lost_crew.starts_with("defence-") {
        assert!(
            unwrapped(&err).contains(&format!("was lost on day {first} in east and takes no orders")),
            "{err}"
        );
    }
}

/// Every line `play` prints fits an 80-column terminal, on the largest
/// built-in scenario with two players, whatever is asked.
#[test]
fn every_line_of_an_exercise_fits_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = SCRIPT.to_vec();
    lines.extend([
        "status",
        "status electricity",
        "status water-repair-1",
        "status west-wtp",
        "status old-city",
        "help",
        "help request",
        "orders",
        "quit",
    ]);
    let (code, out, err) = new_exercise(&dir.path().join("wide.journal"), &lines);
    assert_eq!(code, 0, "{err}");
    for line in out.lines().chain(err.lines()) {
        // A path or id longer than a line is the only thing allowed past 80.
        assert!(
            line.chars().count() <= 80 || !line.trim().contains(' '),
            "over 80 columns ({}): {line}",
            line.chars().count()
        );
    }
}
