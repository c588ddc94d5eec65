//! A comparison as text tables, CSV rows and an SVG plot. Renders into
//! strings and writers; no file is opened here, and nothing depends on time.

use std::io::Write;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use super::stats::Estimate;
use super::{Comparison, PointSummary};
use crate::report::text::big;

/// A figure for a table: big numbers with thousands separators, shares and
/// small numbers with three decimals.
fn figure(x: f64) -> String {
    if x.abs() >= 1000.0 { big(x) } else { format!("{x:.3}") }
}

/// `mean ± half-width`, or `mean` alone with one value, `—` with none.
fn cell(e: Option<Estimate>) -> String {
    match e {
        None => "—".to_string(),
        Some(e) => match e.half_width {
            Some(h) => format!("{} ± {}", figure(e.mean), figure(h)),
            None => figure(e.mean),
        },
    }
}

/// A paired difference: its interval, starred when it excludes zero.
fn diff_cell(e: Option<Estimate>) -> String {
    match e {
        None => "—".to_string(),
        Some(e) => match (e.lo(), e.hi()) {
            (Some(lo), Some(hi)) => format!(
                "{} [{}, {}]{}",
                figure(e.mean),
                figure(lo),
                figure(hi),
                if e.excludes_zero() { " *" } else { "" }
            ),
            _ => figure(e.mean),
        },
    }
}

fn table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(header);
    t
}

/// The readable summary: per point, the strategies' means with their 95 %
/// intervals, the paired differences against the baseline, the ranking, and
/// the attribution when asked for.
pub fn summary_text(c: &Comparison) -> String {
    let cfg = &c.config;
    let mut out = format!(
        "{} ({}): {} runs × {} strategies, master seed {}, {} days{}\n\
         95 % intervals (Student t); paired differences use the same seeds (common random numbers)\n",
        cfg.scenario,
        cfg.content_hash,
        cfg.runs,
        cfg.strategies.len(),
        cfg.seed,
        cfg.days,
        if cfg.strategy_for.is_empty() {
            String::new()
        } else {
            let o: Vec<String> = cfg.strategy_for.iter().map(|(a, s)| format!("{a}={s}")).collect();
            format!(", overrides {}", o.join(" "))
        }
    );
    for p in &c.points {
        out.push('\n');
        out.push_str(&point_text(c, p));
    }
    out
}

fn point_text(c: &Comparison, p: &PointSummary) -> String {
    let cfg = &c.config;
    let mut out = String::new();
    if let (Some((path, _)), Some(v)) = (&cfg.set, &p.value) {
        out.push_str(&format!("── {path} = {v} (scenario {}) ──\n", p.content_hash));
    }
    let mut header = vec!["metric".to_string()];
    header.extend(cfg.strategies.iter().cloned());
    let mut t = table(header);
    for (m, name) in c.metrics.iter().enumerate() {
        let mut row = vec![name.clone()];
        row.extend(p.strategies.iter().map(|s| cell(s.metrics[m].estimate)));
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));
    if !p.differences.is_empty() {
        let mut header = vec![format!("minus {} (paired)", cfg.baseline)];
        header.extend(p.differences.iter().map(|d| d.strategy.clone()));
        let mut t = table(header);
        for (m, name) in c.metrics.iter().enumerate() {
            let mut row = vec![name.clone()];
            row.extend(p.differences.iter().map(|d| diff_cell(d.metrics[m].estimate)));
            t.add_row(row);
        }
        out.push_str(&format!("{t}\n* the 95 % interval excludes 0\n"));
    }
    out.push_str("Ranking by mean resilience loss (lower is better):\n");
    for r in &p.ranking {
        out.push_str(&format!(
            "  {}. {} {}{}\n",
            r.rank,
            r.strategy,
            figure(r.mean_resilience_loss),
            match &r.tied_with_next {
                Some(next) => format!(" — cannot be told apart from {next} at {} runs", cfg.runs),
                None => String::new(),
            }
        ));
    }
    if !p.attribution.is_empty() {
        let mut t = table(vec![
            "strategy".to_string(),
            "agency".to_string(),
            "loss added when it alone is silo".to_string(),
        ]);
        for a in &p.attribution {
            t.add_row(vec![a.strategy.clone(), a.agency.clone(), cell(a.estimate)]);
        }
        out.push_str(&format!("Attribution (leave one agency out):\n{t}\n"));
    }
    out
}

/// One row per run and strategy: the point, the seed, the scenario's content
/// hash, the engine version and every metric (empty where undefined).
pub fn write_csv<W: Write>(out: W, c: &Comparison) -> csv::Result<()> {
    let cfg = &c.config;
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = ["scenario", "content_hash", "engine_version"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Some((path, _)) = &cfg.set {
        header.push(path.clone());
    }
    header.extend(["run", "seed", "strategy", "final_digest"].map(String::from));
    header.extend(c.metrics.iter().cloned());
    w.write_record(&header)?;
    for (row, efficiency) in &c.rows {
        let point = row.point as usize;
        let mut rec = vec![
            cfg.scenario.clone(),
            cfg.point_hashes.get(point).cloned().unwrap_or_default(),
            cfg.engine_version.clone(),
        ];
        if let Some((_, values)) = &cfg.set {
            rec.push(values[point].clone());
        }
        rec.extend([
            row.run.to_string(),
            row.seed.clone(),
            row.strategy.clone(),
            row.final_digest.clone(),
        ]);
        rec.extend(
            row.metrics
                .iter()
                .chain(std::iter::once(efficiency))
                .map(|m| m.map_or(String::new(), |x| x.to_string())),
        );
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

/// Line colours, one per strategy (repeating).
const COLOURS: [plotters::style::RGBColor; 6] = [
    plotters::style::RGBColor(31, 119, 180),
    plotters::style::RGBColor(255, 127, 14),
    plotters::style::RGBColor(44, 160, 44),
    plotters::style::RGBColor(214, 39, 40),
    plotters::style::RGBColor(148, 103, 189),
    plotters::style::RGBColor(140, 86, 75),
];

/// The plot as SVG: for each point, the mean recovery curve of the city's
/// service index per strategy with its 95 % band, and each run's resilience
/// loss per strategy with the mean and its interval.
pub fn plot_svg(c: &Comparison) -> Result<String, String> {
    use plotters::prelude::*;
    let cfg = &c.config;
    let rows = c.points.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 420 * rows as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        for (area, p) in root.split_evenly((rows, 1)).iter().zip(&c.points) {
            let (left, right) = area.split_horizontally(650);
            let title = match (&cfg.set, &p.value) {
                (Some((path, _)), Some(v)) => format!("{} — {path} = {v}", cfg.scenario),
                _ => cfg.scenario.clone(),
            };
            let days = p.curves.iter().map(|c| c.1.len()).max().unwrap_or(1).max(1);
            let mut chart = ChartBuilder::on(&left)
                .caption(
                    format!("{title}: city service index, mean and 95 % band"),
                    ("sans-serif", 16),
                )
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(45)
                .build_cartesian_2d(0f64..days as f64, 0f64..1f64)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_desc("day")
                .y_desc("index")
                .draw()
                .map_err(|e| e.to_string())?;
            for (k, (strategy, band)) in p.curves.iter().enumerate() {
                let colour = COLOURS[k % COLOURS.len()];
                let upper: Vec<(f64, f64)> = band
                    .iter()
                    .enumerate()
                    .map(|(d, e)| (d as f64, e.hi().unwrap_or(e.mean)))
                    .collect();
                let lower: Vec<(f64, f64)> = band
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(d, e)| (d as f64, e.lo().unwrap_or(e.mean)))
                    .collect();
                let outline: Vec<(f64, f64)> = upper.into_iter().chain(lower).collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.2).filled())))
                    .map_err(|e| e.to_string())?;
                chart
                    .draw_series(LineSeries::new(
                        band.iter().enumerate().map(|(d, e)| (d as f64, e.mean)),
                        colour.stroke_width(2),
                    ))
                    .map_err(|e| e.to_string())?
                    .label(strategy.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2)));
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(|e| e.to_string())?;

            // Resilience loss of each run, per strategy, in millions.
            let all: Vec<f64> = p.losses.iter().flat_map(|l| l.1.iter().copied()).collect();
            let lo = all.iter().copied().fold(f64::INFINITY, f64::min) / 1e6;
            let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max) / 1e6;
            let pad = ((hi - lo) * 0.1).max(0.01);
            let (lo, hi) = if lo.is_finite() {
                (lo - pad, hi + pad)
            } else {
                (0.0, 1.0)
            };
            let n = p.losses.len();
            let mut chart = ChartBuilder::on(&right)
                .caption("resilience loss per run (millions)", ("sans-serif", 16))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(55)
                .build_cartesian_2d(-0.5f64..n as f64 - 0.5, lo..hi)
                .map_err(|e| e.to_string())?;
            let names: Vec<String> = p.losses.iter().map(|l| l.0.clone()).collect();
            chart
                .configure_mesh()
                .x_labels(n)
                .x_label_formatter(&|x| {
                    let i = x.round();
                    if (x - i).abs() < 1e-6 && i >= 0.0 {
                        names.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .disable_x_mesh()
                .light_line_style(WHITE)
                .draw()
                .map_err(|e| e.to_string())?;
            for (k, ((_, losses), summary)) in p.losses.iter().zip(&p.strategies).enumerate() {
                let colour = COLOURS[k % COLOURS.len()];
                let count = losses.len().max(1) as f64;
                // Runs spread across the column in run order.
                chart
                    .draw_series(losses.iter().enumerate().map(|(i, l)| {
                        let x = k as f64 - 0.3 + 0.6 * (i as f64 + 0.5) / count;
                        Circle::new((x, l / 1e6), 2, colour.mix(0.6).filled())
                    }))
                    .map_err(|e| e.to_string())?;
                if let Some(e) = summary.metrics[0].estimate {
                    let (a, b) = (e.lo().unwrap_or(e.mean) / 1e6, e.hi().unwrap_or(e.mean) / 1e6);
                    let x = k as f64;
                    chart
                        .draw_series([Rectangle::new(
                            [(x - 0.35, a), (x + 0.35, b)],
                            colour.mix(0.25).filled(),
                        )])
                        .map_err(|e| e.to_string())?;
                    chart
                        .draw_series([PathElement::new(
                            vec![(x - 0.35, e.mean / 1e6), (x + 0.35, e.mean / 1e6)],
                            BLACK.stroke_width(2),
                        )])
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
