//! Counts read right in every text output: `1 crew lost`, `2 crews lost`,
//! `0 crews lost`, never `1 crews` or `0 crew` (issue 14, "Words").
//!
//! The summaries are rendered from a real tutorial run whose figures are
//! then set to 0, 1 and 2 (the renderers only format what they are given),
//! and the commands are run for one and two days; [`miscounted`] reads each
//! text for a number followed by a noun in the wrong number.

use cimsim::record::{self, Recording};
use cimsim::report::RunReport;
use cimsim::report::aar::{AfterAction, Evidence, Inputs, ReferenceEvidence, Trace, to_markdown};
use cimsim::report::document::{ChannelTotals, WaitTotal};
use cimsim::scenario::{self, Capability, LoadedScenario, Metric};
use cimsim::score::references;
use cimsim::sim::Simulation;

use crate::common::cmd;

/// Every noun the text outputs count, as (one, many); longer phrases
/// first, so that `1 new requests` is read as a count of new requests.
const NOUNS: &[(&str, &str)] = &[
    ("household entity", "household entities"),
    ("order or inject", "orders and injects"),
    ("formal request", "formal requests"),
    ("liaison request", "liaison requests"),
    ("cell request", "cell requests"),
    ("new request", "new requests"),
    ("more problem", "more problems"),
    ("disease case", "disease cases"),
    ("liaison link", "liaison links"),
    ("whole day", "whole days"),
    ("asset-day", "asset-days"),
    ("person-day", "person-days"),
    ("crew-day", "crew-days"),
    ("household", "households"),
    ("district", "districts"),
    ("strategy", "strategies"),
    ("problem", "problems"),
    ("request", "requests"),
    ("picture", "pictures"),
    ("officer", "officers"),
    ("person", "people"),
    ("agency", "agencies"),
    ("thread", "threads"),
    ("world", "worlds"),
    ("crew", "crews"),
    ("byte", "bytes"),
    ("run", "runs"),
    ("tie", "ties"),
    ("day", "days"),
];

/// The phrases of `text` where a count is followed by a noun in the wrong
/// number: exactly `1` and a plural, or any other number and a singular.
/// A number is a run of digits, commas and points not glued to a word
/// (`repair-1`, `#1` and `day-1` are names, not counts).
fn miscounted(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let glued = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || b"-#_.,".contains(&bytes[i - 1]));
        if !bytes[i].is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || b",.".contains(&bytes[i])) {
            i += 1;
        }
        let number = text[start..i].trim_end_matches([',', '.']);
        let Some(rest) = text[start + number.len()..].strip_prefix(' ') else {
            continue;
        };
        let is = |noun: &str| {
            rest.strip_prefix(noun)
                .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-'))
        };
        for (one, many) in NOUNS {
            let wrong = if number == "1" { is(many) } else { is(one) };
            if wrong {
                let noun = if number == "1" { many } else { one };
                found.push(format!("{number} {noun}"));
                break;
            }
            if is(one) || is(many) {
                break;
            }
        }
    }
    found
}

/// Asserts that `text` counts right, naming what it rendered.
fn counts_right(what: &str, text: &str) {
    let wrong = miscounted(text);
    assert!(wrong.is_empty(), "{what} says {wrong:?}:\n{text}");
}

#[test]
fn the_miscount_reader_finds_what_it_must() {
    assert_eq!(
        miscounted("Harm: 1 crews lost, 0 crew hurt, 2 disease case; 1 new requests"),
        ["1 crews", "0 crew", "2 disease case", "1 new requests"]
    );
    assert_eq!(miscounted("0.5 day, 1,000 person-day"), ["0.5 day", "1,000 person-day"]);
    let right = "1 crew lost, 2 crews, 0 crew-days, 1 crew-day, 1 of 2 days, day 1 (2017), \
                 water-repair-1 days, #1 crews, 1 person, 2 people, 1 household entity";
    assert_eq!(miscounted(right), Vec::<String>::new());
}

const SEED: u64 = 3;
const DAYS: u32 = 20;

/// The tutorial with a capability of every metric the rating words count
/// (crews lost and blocked crew-days besides the tutorial's own).
fn tutorial() -> LoadedScenario {
    let mut loaded = scenario::load(scenario::builtin("tutorial").unwrap()).unwrap();
    for (id, metric) in [
        ("no-crew-lost", Metric::CrewCasualties),
        ("few-blocked-days", Metric::BlockedCrewDays),
    ] {
        loaded.scenario.capabilities.push(Capability {
            id: id.to_string(),
            name: id.to_string(),
            source: None,
            metric,
            performed: 0.0,
            some_challenges: 1.0,
            major_challenges: 3.0,
        });
    }
    loaded
}

/// A scored tutorial run of [`DAYS`] days, with what the after-action
/// report reads.
struct Run {
    loaded: LoadedScenario,
    recording: Recording,
    evidence: Evidence,
    trace: Trace,
    report: RunReport,
    references: [ReferenceEvidence; 2],
}

fn tutorial_run() -> Run {
    let loaded = tutorial();
    let references = references::reference_scenarios(&loaded).map(|s| {
        let mut sim = Simulation::new(&s.scenario, SEED);
        sim.run_days(DAYS);
        ReferenceEvidence {
            report: RunReport::new(&sim, &s, SEED),
            evidence: Evidence::gather(&sim),
        }
    });
    let mut recording = Recording::new(&loaded, SEED, 1, Vec::new());
    let mut sim = Simulation::new(&loaded.scenario, SEED);
    let mut trace = Trace::default();
    record::drive(&mut sim, &[], DAYS, |sim, row| {
        trace.observe(sim, row.day);
        recording.days.push(row);
        true
    })
    .unwrap();
    let mut report = RunReport::new(&sim, &loaded, SEED);
    report.score(&references[0].report, &references[1].report);
    Run {
        evidence: Evidence::gather(&sim),
        loaded,
        recording,
        trace,
        report,
        references,
    }
}

/// `report` with every figure the summaries count set to `n` (and, with
/// `hurt` false, no crew hurt, which words the picture-sharing finding
/// instead), with requests, waits and blocked crews to word.
fn counting(report: &RunReport, n: u32, hurt: bool) -> RunReport {
    let mut r = report.clone();
    let (whole, x) = (u64::from(n), f64::from(n));
    r.days = n;
    r.population.people = whole;
    r.population.household_entities = whole;
    r.returns.initially_displaced_people = whole;
    r.returns.returned_share = 1.0;
    r.returns.households_returned = whole;
    r.returns.households_left_again = whole;
    r.returns.days_to_half_returned = (n > 0).then_some(n);
    r.resilience_loss.total = x;
    r.harm.survival_person_days = x;
    r.harm.crew_casualties = n;
    r.harm.disease_cases = x;
    for a in &mut r.crews {
        a.crew_days_blocked = x;
    }
    let c = &mut r.cooperation;
    c.requests = ["formal", "liaison", "cell"]
        .map(|channel| ChannelTotals {
            channel: channel.to_string(),
            made: n.max(1),
            accepted: n,
            refused: n,
            unanswered: n,
            fulfilled: n,
            mean_days_to_answer: Some(x),
            mean_days_to_fulfil: Some(x),
        })
        .to_vec();
    c.waiting = [
        (Some("water-plant"), "electricity"),
        (None, "fuel"),
        (None, "clearance"),
    ]
    .map(|(asset, ask)| WaitTotal {
        agency: "water".to_string(),
        on: "electricity".to_string(),
        ask: ask.to_string(),
        channel: "formal".to_string(),
        asset: asset.map(str::to_string),
        days: x,
        unit: if asset.is_some() { "asset-days" } else { "crew-days" }.to_string(),
    })
    .to_vec();
    c.crew_injuries = if hurt { n } else { 0 };
    c.injured_crew_days = x;
    c.staff_crew_days = x;
    c.liaison_officers = n;
    c.officer_crew_days = x;
    c.picture_shares = n;
    c.network.agencies = n;
    c.network.edges = n;
    c.network.reciprocity = 1.0;
    r
}

#[test]
fn the_run_summary_and_the_report_count_0_1_and_2_right() {
    let run = tutorial_run();
    let sim = {
        let mut sim = Simulation::new(&run.loaded.scenario, SEED);
        sim.run_days(DAYS);
        sim
    };
    let outcomes = sim.view().outcomes().clone();
    for n in 0..=2 {
        for hurt in [true, false] {
            let report = counting(&run.report, n, hurt);
            let summary = cimsim::report::summary_text(&report, &outcomes);
            counts_right(&format!("the run summary with {n}"), &summary);
            let inputs = Inputs {
                recording: &run.recording,
                scenario: &run.loaded.scenario,
                report: &report,
                evidence: &run.evidence,
                trace: &run.trace,
                references: [&run.references[0], &run.references[1]],
            };
            let aar = AfterAction::new(&inputs).unwrap();
            let (markdown, _) = to_markdown(&aar, "words");
            counts_right(&format!("the report with {n}"), &markdown);
        }
    }
    // The reader sees the counts it checks.
    let one = cimsim::report::summary_text(&counting(&run.report, 1, true), &outcomes);
    for phrase in [
        "1 crew lost",
        "1 household went home",
        "1 of 1 person displaced on day 0 is home",
        "half home on day 1",
    ] {
        assert!(one.contains(phrase), "no `{phrase}` in\n{one}");
    }
    let none = cimsim::report::summary_text(&counting(&run.report, 0, true), &outcomes);
    assert!(none.contains("nobody was displaced on day 0"), "{none}");
}

/// Regression: a run whose displaced were never half home said "half home
/// on no day".
#[test]
fn a_run_never_half_home_says_so_in_words() {
    let run = tutorial_run();
    let mut report = run.report.clone();
    report.returns.days_to_half_returned = None;
    let sim = {
        let mut sim = Simulation::new(&run.loaded.scenario, SEED);
        sim.run_days(DAYS);
        sim
    };
    let summary = cimsim::report::summary_text(&report, sim.view().outcomes());
    assert!(summary.contains("; never half home within the run;"), "{summary}");
    assert!(!summary.contains("no day"), "{summary}");
}

/// The commands for one and two days: the run summary and its notes, the
/// recording's timeline and situation, a played turn, `score` and `quit`.
#[test]
fn the_commands_count_one_and_two_days_right() {
    let dir = tempfile::tempdir().unwrap();
    for days in ["1", "2"] {
        let recording = dir.path().join(format!("run-{days}.json"));
        let ran = cmd(&[
            "run",
            "tutorial",
            "--seed",
            "3",
            "--days",
            days,
            "--no-score",
            "--record",
        ])
        .arg(&recording)
        .run();
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        counts_right("run", &ran.stdout);
        counts_right("run's notes", &ran.stderr);
        assert!(
            ran.stdout
                .contains(&format!(", {days} day{}, seed", if days == "1" { "" } else { "s" }))
        );
        let timeline = cmd(&["replay"]).arg(&recording).run();
        assert_eq!(timeline.code, 0, "{}", timeline.stderr);
        counts_right("replay", &format!("{}{}", timeline.stdout, timeline.stderr));
        let situation = cmd(&["replay", "--at", "0"]).arg(&recording).run();
        counts_right("replay --at", &format!("{}{}", situation.stdout, situation.stderr));
        let journal = dir.path().join(format!("play-{days}.jsonl"));
        let played = cmd(&["play", "tutorial", "--seed", "3", "--human", "water", "--journal"])
            .arg(&journal)
            .lines(&[&format!("advance {days}"), "score", "status water", "quit"])
            .run();
        assert_eq!(played.code, 0, "{}", played.stderr);
        counts_right("play", &format!("{}{}", played.stdout, played.stderr));
    }
    let listed = cmd(&["scenarios"]).stdout();
    counts_right("scenarios", &listed);
}
