//! Calibration report and one-at-a-time sensitivity analysis of the return
//! model, for `docs/model.md`:
//!
//! ```sh
//! cargo run --release --example calibration -- [SEEDS] [SVG]
//! ```
//!
//! 1. Runs `mosul-east-2017` over `SEEDS` seeds (default 10) and prints each
//!    East target's mean and range as a Markdown table.
//! 2. Runs `mosul-2017` with each return parameter moved by −25 % and +25 %
//!    (the same seeds for every variant: paired), and prints how the share of
//!    the day-0 displaced who are home at days 120 and 365 moves; draws the
//!    day-365 effects as a tornado chart into `SVG` (default
//!    `docs/sensitivity.svg`).

use cimsim::scenario::{self, ReturnModel, Scenario};
use cimsim::score::EastTargets;
use cimsim::sim::Simulation;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A built-in scenario, or the file of that name under `scenarios/` while it
/// is being written.
fn builtin(name: &str) -> Scenario {
    let source = scenario::builtin(name)
        .or_else(|| scenario::read_source(&format!("scenarios/{name}.ron")).ok())
        .expect("built in or in scenarios/");
    scenario::load(source).expect("loads").scenario
}

/// Share home at the end of the given days, mean over seeds.
fn home_shares(s: &Scenario, seeds: u64, days: &[usize]) -> Vec<f64> {
    let last = *days.iter().max().expect("days") as u32 + 1;
    let mut sums = vec![0.0; days.len()];
    for seed in 1..=seeds {
        let mut sim = Simulation::new(s, seed);
        sim.run_days(last);
        let o = sim.view().outcomes();
        for (sum, &d) in sums.iter_mut().zip(days) {
            *sum += o.days[d].returned_share / seeds as f64;
        }
    }
    sums
}

type Knob = (&'static str, fn(&mut ReturnModel, f64));

/// A calibration target: its name, the record's figure, and how to read it.
type Row = (&'static str, &'static str, fn(&EastTargets) -> f64);

/// The return model's parameters, each with a way to scale it.
const KNOBS: &[Knob] = &[
    ("max_daily_rate", |r, f| r.max_daily_rate *= f),
    ("security_weight", |r, f| r.security_weight *= f),
    ("services_weight", |r, f| r.services_weight *= f),
    ("housing_weight", |r, f| r.housing_weight *= f),
    ("contamination_weight", |r, f| r.contamination_weight *= f),
    ("midpoint", |r, f| r.midpoint *= f),
    ("steepness", |r, f| r.steepness *= f),
    ("perception_days", |r, f| r.perception_days *= f),
    ("uninhabitable_factor", |r, f| {
        r.uninhabitable_factor = (r.uninhabitable_factor * f).min(1.0)
    }),
    ("vulnerable_factor", |r, f| {
        r.vulnerable_factor = (r.vulnerable_factor * f).min(1.0)
    }),
    ("settling_days", |r, f| {
        r.settling_days = (f64::from(r.settling_days) * f).round() as u32
    }),
    ("leave_uninhabitable_rate", |r, f| {
        r.leave_uninhabitable_rate = (r.leave_uninhabitable_rate * f).min(1.0)
    }),
    ("flight_security", |r, f| {
        r.flight_security = (r.flight_security * f).min(1.0)
    }),
    ("flight_rate", |r, f| r.flight_rate = (r.flight_rate * f).min(1.0)),
];

#[expect(clippy::print_stdout, reason = "an example's output is its purpose")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seeds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let svg = args.next().unwrap_or_else(|| "docs/sensitivity.svg".to_string());

    let east = builtin("mosul-east-2017");
    let targets: Vec<EastTargets> = (1..=seeds)
        .map(|seed| {
            let mut sim = Simulation::new(&east, seed);
            sim.run_days(121);
            EastTargets::of(sim.view().outcomes()).expect("121 days")
        })
        .collect();
    println!("| target | record | model mean | model range ({seeds} seeds) |");
    println!("|---|---|---|---|");
    let rows: [Row; 4] = [
        ("displaced home at day 21", "26 % (18–35 %)", |t| t.home_day_21),
        ("displaced home at day 120", "over 90 % (≥ 80 %)", |t| t.home_day_120),
        ("grid supply at day 112", "about 50 % (35–65 %)", |t| t.grid_day_112),
        ("piped water at day 60", "almost none (< 15 %)", |t| {
            t.piped_water_day_60
        }),
    ];
    for (name, record, f) in rows {
        let v: Vec<f64> = targets.iter().map(f).collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        println!(
            "| {name} | {record} | {:.1} % | {:.1}–{:.1} % |",
            mean * 100.0,
            lo * 100.0,
            hi * 100.0
        );
    }

    if std::env::var_os("CALIBRATION_EAST_ONLY").is_some() {
        return Ok(());
    }
    let city = builtin("mosul-2017");
    let sens_seeds = seeds.min(3);
    let days = [120usize, 365];
    let base = home_shares(&city, sens_seeds, &days);
    println!();
    println!(
        "Baseline `mosul-2017` ({sens_seeds} seeds): {:.1} % home at day 120, {:.1} % at day 365.",
        base[0] * 100.0,
        base[1] * 100.0
    );
    println!();
    println!("| parameter | value | day 120 at −25 % | day 120 at +25 % | day 365 at −25 % | day 365 at +25 % |");
    println!("|---|---|---|---|---|---|");
    let mut bars = Vec::new();
    for (name, scale) in KNOBS {
        let mut shifted = Vec::new();
        for f in [0.75, 1.25] {
            let mut s = city.clone();
            scale(&mut s.returns, f);
            shifted.push(home_shares(&s, sens_seeds, &days));
        }
        let value = format!("{:?}", field_value(&city.returns, name));
        let pp = |x: f64, b: f64| format!("{:+.1} pp", (x - b) * 100.0);
        println!(
            "| {name} | {value} | {} | {} | {} | {} |",
            pp(shifted[0][0], base[0]),
            pp(shifted[1][0], base[0]),
            pp(shifted[0][1], base[1]),
            pp(shifted[1][1], base[1]),
        );
        bars.push((
            *name,
            (shifted[0][1] - base[1]) * 100.0,
            (shifted[1][1] - base[1]) * 100.0,
        ));
    }
    draw_tornado(&svg, &bars, base[1] * 100.0)?;
    println!();
    println!("Chart written to {svg}.");
    Ok(())
}

fn field_value(r: &ReturnModel, name: &str) -> f64 {
    match name {
        "max_daily_rate" => r.max_daily_rate,
        "security_weight" => r.security_weight,
        "services_weight" => r.services_weight,
        "housing_weight" => r.housing_weight,
        "contamination_weight" => r.contamination_weight,
        "midpoint" => r.midpoint,
        "steepness" => r.steepness,
        "perception_days" => r.perception_days,
        "uninhabitable_factor" => r.uninhabitable_factor,
        "vulnerable_factor" => r.vulnerable_factor,
        "settling_days" => f64::from(r.settling_days),
        "leave_uninhabitable_rate" => r.leave_uninhabitable_rate,
        "flight_security" => r.flight_security,
        _ => r.flight_rate,
    }
}

/// A tornado chart: for each parameter, the change in the day-365 share home
/// (percentage points) at −25 % (blue) and +25 % (orange).
fn draw_tornado(path: &str, bars: &[(&str, f64, f64)], base: f64) -> Result<(), Box<dyn std::error::Error>> {
    let mut sorted = bars.to_vec();
    sorted.sort_by(|a, b| (b.1.abs().max(b.2.abs())).total_cmp(&a.1.abs().max(a.2.abs())));
    let span = sorted.iter().map(|b| b.1.abs().max(b.2.abs())).fold(1.0, f64::max) * 1.1;
    let n = sorted.len();
    let root = SVGBackend::new(path, (900, 60 + 34 * n as u32)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("mosul-2017: change in share home at day 365 (baseline {base:.1} %); blue −25 %, orange +25 %"),
            ("sans-serif", 18),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(190)
        .build_cartesian_2d(-span..span, 0.0..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc("percentage points")
        .draw()?;
    // Labels are drawn by hand at each bar's centre: the axis's own labels
    // fall where its tick algorithm puts them, not on the bars.
    let label_style = TextStyle::from(("sans-serif", 13)).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, (name, _, _)) in sorted.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(-span, (n - 1 - i) as f64 + 0.5));
        root.draw(&Text::new(name.to_string(), (x - 8, y), label_style.clone()))?;
    }
    for (i, (_, lo, hi)) in sorted.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        chart.draw_series([
            Rectangle::new([(0.0, y + 0.15), (*lo, y + 0.5)], BLUE.mix(0.7).filled()),
            Rectangle::new(
                [(0.0, y + 0.5), (*hi, y + 0.85)],
                RGBColor(230, 120, 20).mix(0.8).filled(),
            ),
        ])?;
    }
    chart.draw_series(LineSeries::new([(0.0, 0.0), (0.0, n as f64)], BLACK))?;
    root.present()?;
    Ok(())
}
