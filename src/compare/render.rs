//! A comparison as text tables, CSV rows and an SVG plot. Renders into
//! strings and writers; no file is opened here, and nothing depends on time.

use std::io::Write;

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use super::stats::Estimate;
use super::{Comparison, PairedEstimate, PointSummary, Sweep};
use crate::report::text::big;

/// How one metric's numbers are written in a table: every figure of a
/// table row in one style, so that a column never mixes `-5,505` with
/// `-833.744`. Whole numbers with thousands separators from 1,000 up;
/// below, enough decimals for four significant digits of the row's largest
/// figure (at most six).
#[derive(Debug, Clone, Copy)]
struct Style {
    decimals: usize,
}

impl Style {
    /// The style for figures whose largest magnitude is that of `xs`.
    fn for_figures(xs: impl IntoIterator<Item = f64>) -> Style {
        let largest = xs
            .into_iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |m, x| m.max(x.abs()));
        let mut decimals = 0;
        let mut scale = 1000.0;
        while largest > 0.0 && largest < scale && decimals < 6 {
            decimals += 1;
            scale /= 10.0;
        }
        Style { decimals }
    }

    fn write(self, x: f64) -> String {
        if !x.is_finite() {
            return "—".to_string();
        }
        let text = if x.abs() >= 1000.0 && self.decimals == 0 {
            big(x)
        } else {
            format!("{x:.*}", self.decimals)
        };
        // A difference that rounds to nothing is no difference: no `-0`.
        if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
            text.trim_start_matches('-').to_string()
        } else {
            text
        }
    }
}

/// The figures an estimate puts in a table: its mean and its interval.
fn figures(e: &Estimate) -> [f64; 3] {
    [e.mean, e.lo().unwrap_or(e.mean), e.hi().unwrap_or(e.mean)]
}

/// `mean ± half-width`, or `mean` alone with one value, `—` with none.
fn cell(e: Option<Estimate>, style: Style) -> String {
    match e {
        None => "—".to_string(),
        Some(e) => match e.half_width {
            Some(h) => format!("{} ± {}", style.write(e.mean), style.write(h)),
            None => style.write(e.mean),
        },
    }
}

/// A difference smaller than this share of the baseline is marked small,
/// however clear its interval: the same 1 % under which the coordination
/// efficiency is undefined (`score::undefined_because`).
const SMALL_SHARE: f64 = 0.01;

/// A paired difference: the mean and its interval's half-width, its share
/// of the baseline, starred when the interval excludes zero (and marked `≈`
/// when it is also small).
fn diff_cell(d: &PairedEstimate, style: Style) -> String {
    let Some(e) = d.estimate else {
        return "—".to_string();
    };
    if d.identical {
        return "same on every run".to_string();
    }
    let share = d.share_of_baseline.map_or(String::new(), |s| {
        let pct = format!("{:+.2}", s * 100.0);
        match pct.as_str() {
            "+0.00" | "-0.00" => " (0.00 %)".to_string(),
            _ => format!(" ({pct} %)"),
        }
    });
    match e.half_width {
        Some(h) => {
            let mark = match (e.excludes_zero(), d.share_of_baseline) {
                (true, Some(s)) if s.abs() < SMALL_SHARE => " *≈",
                (true, _) => " *",
                (false, _) => "",
            };
            format!("{} ± {}{share}{mark}", style.write(e.mean), style.write(h))
        }
        None => format!("{}{share}", style.write(e.mean)),
    }
}

fn table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(header);
    t
}

/// The readable summary: per point, the strategies' means with their 95 %
/// intervals, the paired differences against the baseline, the pairwise
/// differences in resilience loss, the ranking, and the attribution when
/// asked for.
pub fn summary_text(c: &Comparison) -> String {
    let cfg = &c.config;
    let mut out = format!(
        "{} ({}): {} × {}, master seed {}, {}{}\n\
         95 % intervals (Student t); paired differences use the same seeds (common random numbers)\n",
        cfg.scenario,
        cfg.content_hash,
        crate::report::text::count(cfg.runs.into(), "run", "runs"),
        crate::report::text::count(cfg.strategies.len() as u64, "strategy", "strategies"),
        cfg.seed,
        crate::report::text::count(cfg.days.into(), "day", "days"),
        if cfg.strategy_for.is_empty() {
            String::new()
        } else {
            let o: Vec<String> = cfg.strategy_for.iter().map(|(a, s)| format!("{a}={s}")).collect();
            format!(", overrides {}", o.join(" "))
        }
    );
    for (i, p) in c.points.iter().enumerate() {
        out.push('\n');
        match c.points[..i].iter().find(|q| same_results(q, p)) {
            Some(q) => out.push_str(&same_as_text(c, p, q)),
            None => out.push_str(&point_text(c, p)),
        }
    }
    if let Some(sweep) = &c.sweep {
        out.push('\n');
        out.push_str(&sweep_text(sweep));
    }
    out
}

/// The sweep read across its values: one table per key metric, a row per
/// value and a column per strategy, each cell the mean with its interval and
/// the paired change from the first value.
fn sweep_text(sweep: &Sweep) -> String {
    let first = sweep.values.first().map_or("", String::as_str);
    let mut out = format!(
        "── sweep of {path}: each value's mean and 95 % interval; in brackets the paired change from {path} = {first} ──\n",
        path = sweep.path,
    );
    for m in &sweep.metrics {
        let mut header = vec![format!("{} by {}", m.metric, sweep.path)];
        header.extend(m.strategies.iter().map(|l| l.strategy.clone()));
        let mut t = table(header);
        let style = Style::for_figures(
            m.strategies
                .iter()
                .flat_map(|l| &l.points)
                .filter_map(|p| p.estimate)
                .map(|e| e.mean),
        );
        for (i, value) in sweep.values.iter().enumerate() {
            let mut row = vec![value.clone()];
            row.extend(m.strategies.iter().map(|l| {
                let p = &l.points[i];
                format!("{}{}", cell(p.estimate, style), change_note(p.change.as_ref(), style))
            }));
            t.add_row(row);
        }
        out.push_str(&format!("{t}\n"));
    }
    out.push_str("* the paired change's 95 % interval excludes 0\n");
    out
}

/// ` (+12.34 % *)`: a sweep value's paired change from the first value as a
/// share of it (or as a difference, in `style`, where a share means
/// nothing), starred when its interval excludes 0; ` (same)` when every run
/// gave the same figure.
fn change_note(change: Option<&PairedEstimate>, style: Style) -> String {
    let Some(d) = change else {
        return String::new();
    };
    if d.identical {
        return " (same)".to_string();
    }
    let star = if d.estimate.is_some_and(|e| e.excludes_zero()) {
        " *"
    } else {
        ""
    };
    match d.share_of_baseline {
        Some(s) => format!(" ({:+.2} %{star})", s * 100.0),
        None => match d.estimate {
            Some(e) => {
                let sign = if e.mean > 0.0 { "+" } else { "" };
                format!(" ({sign}{}{star})", style.write(e.mean))
            }
            None => String::new(),
        },
    }
}

/// Whether two sweep points gave the same results in every run.
fn same_results(a: &PointSummary, b: &PointSummary) -> bool {
    a.losses == b.losses && a.curves.len() == b.curves.len() && {
        a.curves
            .iter()
            .zip(&b.curves)
            .all(|(x, y)| x.0 == y.0 && x.1.len() == y.1.len() && x.1.iter().zip(&y.1).all(|(e, f)| e.mean == f.mean))
    }
}

/// A sweep point whose every run matches an earlier point's: said once,
/// instead of the same tables again.
fn same_as_text(c: &Comparison, p: &PointSummary, q: &PointSummary) -> String {
    let path = c.config.set.as_ref().map_or("", |(path, _)| path.as_str());
    format!(
        "── {path} = {} (scenario {}) ──\nEvery run gave the same resilience loss and recovery as at {path} = {}: this value changes nothing here.\n",
        p.value.as_deref().unwrap_or("?"),
        p.content_hash,
        q.value.as_deref().unwrap_or("?"),
    )
}

fn point_text(c: &Comparison, p: &PointSummary) -> String {
    let cfg = &c.config;
    let mut out = String::new();
    if let (Some((path, _)), Some(v)) = (&cfg.set, &p.value) {
        out.push_str(&format!("── {path} = {v} (scenario {}) ──\n", p.content_hash));
    }
    let shown: Vec<usize> = (0..c.metrics.len())
        .filter(|&m| !p.constant.iter().any(|k| k.metric == c.metrics[m]))
        .collect();
    out.push_str(&means_table(c, p, &shown));
    if !p.constant.is_empty() {
        let list: Vec<String> = p
            .constant
            .iter()
            .map(|k| format!("{} {}", k.metric, Style::for_figures([k.value]).write(k.value)))
            .collect();
        out.push_str(&format!(
            "The same in every run of every strategy, so not in the tables: {}\n",
            list.join(", ")
        ));
    }
    if !p.differences.is_empty() {
        out.push_str(&differences_table(c, p, &shown));
    }
    if p.pairwise.len() > p.differences.len() {
        out.push_str(&pairwise_table(p));
    }
    out.push_str("Ranking by mean resilience loss (lower is better):\n");
    let style = Style::for_figures(p.ranking.iter().map(|r| r.mean_resilience_loss));
    for r in &p.ranking {
        out.push_str(&format!(
            "  {}. {} {}{}\n",
            r.rank,
            r.strategy,
            style.write(r.mean_resilience_loss),
            match &r.tied_with_next {
                Some(next) => format!(
                    " — cannot be told apart from {next} at {}",
                    crate::report::text::count(cfg.runs.into(), "run", "runs")
                ),
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
        let style = Style::for_figures(
            p.attribution
                .iter()
                .filter_map(|a| a.estimate)
                .flat_map(|e| figures(&e)),
        );
        for a in &p.attribution {
            t.add_row(vec![a.strategy.clone(), a.agency.clone(), cell(a.estimate, style)]);
        }
        out.push_str(&format!("Attribution (leave one agency out):\n{t}\n"));
    }
    out
}

/// Each strategy's mean and interval of every metric that varies.
fn means_table(c: &Comparison, p: &PointSummary, shown: &[usize]) -> String {
    let mut header = vec!["metric".to_string()];
    header.extend(c.config.strategies.iter().cloned());
    let mut t = table(header);
    for &m in shown {
        let estimates: Vec<Option<Estimate>> = p.strategies.iter().map(|s| s.metrics[m].estimate).collect();
        let style = Style::for_figures(estimates.iter().flatten().map(|e| e.mean));
        let mut row = vec![c.metrics[m].clone()];
        row.extend(estimates.iter().map(|e| cell(*e, style)));
        t.add_row(row);
    }
    format!("{t}\n")
}

/// Each strategy minus the baseline, run by run, for every metric that varies.
fn differences_table(c: &Comparison, p: &PointSummary, shown: &[usize]) -> String {
    let mut header = vec![format!("minus {} (paired)", c.config.baseline)];
    header.extend(p.differences.iter().map(|d| d.strategy.clone()));
    let mut t = table(header);
    for &m in shown {
        let cells: Vec<&PairedEstimate> = p.differences.iter().map(|d| &d.metrics[m]).collect();
        let style = Style::for_figures(cells.iter().filter_map(|d| d.estimate).flat_map(|e| figures(&e)));
        let mut row = vec![c.metrics[m].clone()];
        row.extend(cells.iter().map(|d| diff_cell(d, style)));
        t.add_row(row);
    }
    format!(
        "{t}\n(%) the mean difference as a share of {base}'s mean; * the 95 % interval excludes 0;\n\
         ≈ clear but under {small} % of {base}'s mean: a small effect\n",
        base = c.config.baseline,
        small = SMALL_SHARE * 100.0,
    )
}

/// Resilience loss, every strategy against every other.
fn pairwise_table(p: &PointSummary) -> String {
    let mut t = table(vec![
        "resilience loss, paired".to_string(),
        "difference (share of the second)".to_string(),
        "verdict".to_string(),
    ]);
    let style = Style::for_figures(
        p.pairwise
            .iter()
            .filter_map(|d| d.difference.estimate)
            .flat_map(|e| figures(&e)),
    );
    for d in &p.pairwise {
        let verdict = match d.difference.estimate {
            _ if d.difference.identical => "the same",
            Some(e) if e.excludes_zero() && e.mean < 0.0 => "the first loses less",
            Some(e) if e.excludes_zero() => "the first loses more",
            Some(_) => "cannot be told apart",
            None => "—",
        };
        t.add_row(vec![
            format!("{} − {}", d.a, d.b),
            diff_cell(&d.difference, style),
            verdict.to_string(),
        ]);
    }
    format!("{t}\n")
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
    // Sweep points with the same results share one panel, titled with
    // every value that gave them.
    let mut panels: Vec<(&PointSummary, Vec<&str>)> = Vec::new();
    for p in &c.points {
        let value = p.value.as_deref().unwrap_or("");
        match panels.iter_mut().find(|(q, _)| same_results(q, p)) {
            Some((_, values)) => values.push(value),
            None => panels.push((p, vec![value])),
        }
    }
    // A sweep's own row comes first: each key metric against the value.
    let sweep_rows = usize::from(c.sweep.is_some());
    let rows = panels.len() + sweep_rows;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 420 * rows as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let areas = root.split_evenly((rows, 1));
        if let Some(sweep) = &c.sweep {
            let title = format!(
                "{} — sweep of {}: mean and 95 % interval per strategy",
                cfg.scenario, sweep.path
            );
            let area = areas[0].titled(&title, ("sans-serif", 18)).map_err(|e| e.to_string())?;
            sweep_panel(&area, sweep)?;
        }
        for (area, (p, values)) in areas[sweep_rows..].iter().zip(&panels) {
            let title = match &cfg.set {
                Some((path, _)) if values.len() > 1 => {
                    format!("{} — {path} = {} (the same results)", cfg.scenario, values.join(", "))
                }
                Some((path, _)) => format!("{} — {path} = {}", cfg.scenario, values[0]),
                None => cfg.scenario.clone(),
            };
            // The panel's title spans both charts, however long the path.
            let area = area.titled(&title, ("sans-serif", 18)).map_err(|e| e.to_string())?;
            let (left, right) = area.split_horizontally(650);
            curves_chart(&left, p)?;
            losses_chart(&right, p)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The drawing area of one chart in the plot.
type Area<'a> = plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'a>, plotters::coord::Shift>;

/// Width of the sweep row's legend, right of its charts: outside them, so
/// it covers no data.
const SWEEP_LEGEND_WIDTH: u32 = 130;

/// The sweep row: one chart per key metric side by side, and the legend.
fn sweep_panel(area: &Area<'_>, sweep: &Sweep) -> Result<(), String> {
    use plotters::prelude::*;
    let (width, _) = area.dim_in_pixel();
    let (charts, legend) = area.split_horizontally(width.saturating_sub(SWEEP_LEGEND_WIDTH));
    let n = sweep.metrics.len().max(1);
    for (chart, m) in charts.split_evenly((1, n)).iter().zip(&sweep.metrics) {
        sweep_chart(chart, sweep, m)?;
    }
    let strategies = sweep.metrics.first().map_or(&[][..], |m| &m.strategies[..]);
    for (k, line) in strategies.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let y = 60 + 24 * k as i32;
        legend
            .draw(&PathElement::new(vec![(8, y), (32, y)], colour.stroke_width(2)))
            .map_err(|e| e.to_string())?;
        legend
            .draw(&Circle::new((20, y), 3, colour.filled()))
            .map_err(|e| e.to_string())?;
        legend
            .draw(&Text::new(line.strategy.clone(), (40, y - 7), ("sans-serif", 14)))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// What a sweep chart's caption calls a metric.
fn sweep_caption(metric: &str) -> String {
    match metric {
        "resilience_loss" => "resilience loss (millions)".to_string(),
        "coordination_efficiency" => "coordination efficiency".to_string(),
        m => match m.strip_prefix("returned_share_day_") {
            Some(day) => format!("share of the displaced home, day {day}"),
            None => m.replace('_', " "),
        },
    }
}

/// A number on a sweep's axis, without trailing zeros.
fn axis_number(x: f64) -> String {
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// One metric against the swept value: a line per strategy through its
/// means, with a bar for each 95 % interval. Numeric values are drawn to
/// scale; others evenly, in the order given. Strategies are set a little
/// apart so that their bars do not hide each other.
fn sweep_chart(area: &Area<'_>, sweep: &Sweep, m: &super::SweepMetric) -> Result<(), String> {
    use plotters::prelude::*;
    let scale = if m.metric == "resilience_loss" { 1e-6 } else { 1.0 };
    let xs: Vec<f64> = if sweep.numeric {
        sweep.values.iter().map(|v| v.trim().parse().unwrap_or(0.0)).collect()
    } else {
        (0..sweep.values.len()).map(|i| i as f64).collect()
    };
    let (x_lo, x_hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let span = if x_hi > x_lo { x_hi - x_lo } else { 1.0 };
    let (x_lo, x_hi) = (x_lo - 0.08 * span, x_hi + 0.08 * span);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for e in m.strategies.iter().flat_map(|l| &l.points).filter_map(|p| p.estimate) {
        for y in figures(&e) {
            if y.is_finite() {
                lo = lo.min(y * scale);
                hi = hi.max(y * scale);
            }
        }
    }
    let (lo, hi) = if lo.is_finite() {
        let pad = ((hi - lo) * 0.1).max(hi.abs() * 0.01).max(1e-3);
        (lo - pad, hi + pad)
    } else {
        (0.0, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(sweep_caption(&m.metric), ("sans-serif", 15))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(x_lo..x_hi, lo..hi)
        .map_err(|e| e.to_string())?;
    let values = &sweep.values;
    let numeric = sweep.numeric;
    let label = move |x: &f64| -> String {
        if numeric {
            return axis_number(*x);
        }
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            values.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_desc(sweep.path.as_str())
        .x_labels(if numeric { 6 } else { values.len() })
        .x_label_formatter(&label)
        .y_label_formatter(&|y| axis_number(*y))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| e.to_string())?;
    let n = m.strategies.len().max(1) as f64;
    for (k, line) in m.strategies.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let shift = (k as f64 - (n - 1.0) / 2.0) * 0.015 * span;
        let points: Vec<(f64, Estimate)> = line
            .points
            .iter()
            .zip(&xs)
            .filter_map(|(p, &x)| Some((x + shift, p.estimate?)))
            .collect();
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|(x, e)| (*x, e.mean * scale)),
                colour.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        for (x, e) in &points {
            let (a, b) = (e.lo().unwrap_or(e.mean) * scale, e.hi().unwrap_or(e.mean) * scale);
            chart
                .draw_series([PathElement::new(vec![(*x, a), (*x, b)], colour.stroke_width(1))])
                .map_err(|e| e.to_string())?;
            chart
                .draw_series([Circle::new((*x, e.mean * scale), 3, colour.filled())])
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// One point's recovery curves: the mean city service index per strategy
/// with its 95 % band.
fn curves_chart(left: &Area<'_>, p: &PointSummary) -> Result<(), String> {
    use plotters::prelude::*;
    let days = p.curves.iter().map(|c| c.1.len()).max().unwrap_or(1).max(1);
    let (lo, hi) = index_range(p);
    let mut chart = ChartBuilder::on(left)
        .caption("city service index, mean and 95 % band", ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(45)
        .build_cartesian_2d(0f64..days as f64, lo..hi)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("day")
        .y_desc("index")
        .x_label_formatter(&|x| format!("{x:.0}"))
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
    // Recovery curves rise from the lower left: the upper left is
    // where the legend covers the least.
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// One point's resilience loss of each run per strategy, in millions, with
/// the mean and its interval.
fn losses_chart(right: &Area<'_>, p: &PointSummary) -> Result<(), String> {
    use plotters::prelude::*;
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
    let mut chart = ChartBuilder::on(right)
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
    Ok(())
}

/// The range of the city service index the curves and bands of a point
/// span, padded by a tenth of it: curves that differ by a few hundredths
/// must be told apart, not squashed against a 0-to-1 axis.
fn index_range(p: &PointSummary) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for e in p.curves.iter().flat_map(|c| &c.1) {
        for x in figures(e) {
            if x.is_finite() {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.1).max(0.005);
    ((lo - pad).max(0.0), (hi + pad).min(1.0))
}
