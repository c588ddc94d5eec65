//! Engine speed. Run with `cargo bench`; figures go in the issue notes, never
//! in pass/fail tests.
//!
//! - `tutorial/180-days`: the built-in tutorial (7,000 households) to its end.
//! - `mosul-2017/full-resolution-900-days`: the default scenario, unchanged,
//!   one entity per family (283,333 households), over its whole horizon.
//! - `scaled-tutorial/…`: the tutorial with every population group multiplied,
//!   to measure the cost per displaced household-day at Mosul-like sizes.
//! - `play/mosul-2017-advance-7`: one turn of `cimsim play` (`advance 7`) on
//!   full-resolution `mosul-2017` with `water` and `electricity` played, from
//!   day 70 (setup and the first ten weeks outside the measure).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

use cimsim::scenario::{self, Scenario, ScenarioSource};
use cimsim::sim::{Input, Simulation};

/// The tutorial with every `households: N` multiplied by `factor` and camp
/// capacities scaled alike.
fn scaled_tutorial(factor: u32) -> scenario::LoadedScenario {
    let text = scenario::builtin("tutorial").expect("built-in").text;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut l = line.to_string();
        for key in ["households: ", "capacity: "] {
            if let Some(i) = l.find(key)
                && !l.contains("capacity: Some")
                && !l.contains("service:")
            {
                let start = i + key.len();
                let end = l[start..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                    .map_or(l.len(), |e| start + e);
                if let Ok(n) = l[start..end].replace('_', "").parse::<u64>() {
                    l.replace_range(start..end, &(n * u64::from(factor)).to_string());
                }
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    scenario::load(ScenarioSource {
        name: format!("tutorial x{factor}"),
        text: out,
    })
    .expect("scaled tutorial loads")
}

/// One benchmark: a scenario from day 0 to its horizon, setup included.
fn to_the_end(c: &mut Criterion, group: &str, name: &str, samples: usize, scenario: &Scenario) {
    let mut g = c.benchmark_group(group);
    g.sample_size(samples);
    g.bench_function(name, |b| {
        b.iter(|| {
            let mut sim = Simulation::new(scenario, black_box(1));
            sim.run_to_end();
            black_box(sim.digests().len())
        })
    });
    g.finish();
}

/// A turn of a live exercise: a week from day 70 with two agencies played.
/// Each iteration gets a world of its own at day 70, built outside the
/// measure.
fn play_week(c: &mut Criterion, scenario: &Scenario) {
    let mut g = c.benchmark_group("play");
    g.sample_size(10);
    g.bench_function("mosul-2017-advance-7", |b| {
        b.iter_batched(
            || {
                let mut sim = Simulation::new(scenario, 1);
                for agency in ["water", "electricity"] {
                    sim.apply(&Input::Human {
                        agency: agency.to_string(),
                        standing: true,
                    })
                    .expect("the agency exists");
                }
                sim.run_days(70);
                sim
            },
            |mut sim| {
                sim.run_days(7);
                sim
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let builtin = |name: &str| {
        scenario::load(scenario::builtin(name).expect("built-in"))
            .expect("loads")
            .scenario
    };
    to_the_end(c, "tutorial", "180-days", 20, &builtin("tutorial"));
    to_the_end(c, "mosul-2017", "full-resolution-900-days", 10, &builtin("mosul-2017"));
    to_the_end(
        c,
        "scaled-tutorial",
        "350k-households-180-days",
        10,
        &scaled_tutorial(50).scenario,
    );
    play_week(c, &builtin("mosul-2017"));
}

criterion_group!(benches, bench);
criterion_main!(benches);
