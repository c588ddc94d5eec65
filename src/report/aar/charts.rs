//! The report's charts, drawn with plotters' SVG backend into strings: the
//! recovery curve of each service by district, displaced and returned people
//! over time, the cooperation network at the start and at the end, and
//! blocked crew-days by agency. No file is written here.

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::{Evidence, Inputs};
use crate::scenario::Service;

/// One chart: a stable id (used in the HTML, the file names of the Markdown
/// version and the tests), a title, a description for screen readers and the
/// SVG text.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub svg: String,
}

/// Colours, one per series (repeating): a qualitative palette that stays
/// apart in print.
pub(crate) const COLOURS: [RGBColor; 12] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(57, 59, 121),
    RGBColor(173, 73, 74),
];

const FONT: &str = "sans-serif";

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing a chart: {e}")
}

/// Every chart of the report, in the order the page shows them.
pub fn all(inputs: &Inputs) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    for s in Service::ALL {
        charts.push(recovery(inputs.evidence, s)?);
    }
    charts.push(people(inputs)?);
    let days = inputs.report.days;
    let window = (days / 2).clamp(1, 28);
    charts.push(network(
        inputs,
        "network-start",
        &format!("Cooperation network, days 0–{}", window - 1),
        0,
        window,
    )?);
    charts.push(network(
        inputs,
        "network-end",
        &format!("Cooperation network by the end, days 0–{}", days.saturating_sub(1)),
        0,
        days,
    )?);
    charts.push(blocked(inputs)?);
    Ok(charts)
}

/// Days drawn in a time series: every day up to 400, then every k-th day and
/// the last, so a long run's chart stays small.
fn sampled(days: usize) -> Vec<usize> {
    let step = days.div_ceil(400).max(1);
    let mut out: Vec<usize> = (0..days).step_by(step).collect();
    if days > 0 && out.last() != Some(&(days - 1)) {
        out.push(days - 1);
    }
    out
}

/// A service's level in each district over time.
fn recovery(ev: &Evidence, service: Service) -> Result<Chart, String> {
    let days = ev.district_days.iter().map(Vec::len).max().unwrap_or(0);
    let title = format!("{} by district", capitalised(service.name()));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (plot, legend) = root.split_horizontally(660);
        let mut chart = ChartBuilder::on(&plot)
            .caption(format!("{title}: share of need met"), (FONT, 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(45)
            .build_cartesian_2d(0f64..(days.max(2) - 1) as f64, 0f64..1f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .max_light_lines(2)
            .x_desc("day")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .draw()
            .map_err(err)?;
        let shown = sampled(days);
        for (k, series) in ev.district_days.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            chart
                .draw_series(LineSeries::new(
                    shown
                        .iter()
                        .filter_map(|&d| series.get(d).map(|(_, q)| (d as f64, q[service.index()]))),
                    colour.stroke_width(2),
                ))
                .map_err(err)?;
        }
        let names: Vec<String> = ev.districts.iter().map(|d| d.0.clone()).collect();
        draw_legend(&legend, &names)?;
        root.present().map_err(err)?;
    }
    Ok(Chart {
        id: format!("recovery-{}", service.name()),
        title: title.clone(),
        description: format!(
            "{title}: the people-weighted share of the {} need met in each district, day by day",
            service.name()
        ),
        svg,
    })
}

/// A legend in its own area: one coloured line and name per series.
fn draw_legend(area: &DrawingArea<SVGBackend, plotters::coord::Shift>, names: &[String]) -> Result<(), String> {
    for (k, name) in names.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let y = 30 + 20 * k as i32;
        area.draw(&PathElement::new(vec![(6, y), (28, y)], colour.stroke_width(3)))
            .map_err(err)?;
        area.draw(&Text::new(name.clone(), (34, y - 7), (FONT, 13).into_font()))
            .map_err(err)?;
    }
    Ok(())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A labelled line: label, points, colour, width.
type Series<'a> = (&'a str, Vec<(f64, f64)>, RGBColor, u32);

/// Displaced and returned people over time, with the references' returns.
fn people(inputs: &Inputs) -> Result<Chart, String> {
    let ev = inputs.evidence;
    let initial = inputs.report.returns.initially_displaced_people as f64;
    let days = ev.displaced.len();
    let top = ev
        .displaced
        .iter()
        .map(|&d| d as f64)
        .chain(std::iter::once(initial))
        .fold(1.0, f64::max)
        * 1.05;
    let shown = sampled(days);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Displaced and returned people", (FONT, 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..(days.max(2) - 1) as f64, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .max_light_lines(2)
            .x_desc("day")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| crate::report::text::big(*y))
            .draw()
            .map_err(err)?;
        // (label, points, colour, line width)
        let series: [Series; 4] = [
            (
                "displaced (this run)",
                shown.iter().map(|&d| (d as f64, ev.displaced[d] as f64)).collect(),
                COLOURS[3],
                3,
            ),
            (
                "returned (this run)",
                shown
                    .iter()
                    .map(|&d| (d as f64, ev.returned_share[d] * initial))
                    .collect(),
                COLOURS[0],
                3,
            ),
            (
                "returned (all silo)",
                returned(&inputs.references[0].evidence, &shown, initial),
                COLOURS[7],
                1,
            ),
            (
                "returned (all central)",
                returned(&inputs.references[1].evidence, &shown, initial),
                COLOURS[2],
                1,
            ),
        ];
        for (label, points, colour, width) in series {
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(width)))
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(width)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(Chart {
        id: "people".to_string(),
        title: "Displaced and returned people".to_string(),
        description: "People displaced, and people displaced on day 0 who are home, day by day; the returns of the all-silo and all-central references for comparison".to_string(),
        svg,
    })
}

fn returned(ev: &Evidence, shown: &[usize], initial: f64) -> Vec<(f64, f64)> {
    shown
        .iter()
        .filter_map(|&d| ev.returned_share.get(d).map(|s| (d as f64, s * initial)))
        .collect()
}

/// Requests from one agency to another in a window of days.
#[derive(Debug, Default, Clone, Copy)]
struct Tie {
    made: u32,
    accepted: u32,
    refused: u32,
}

/// Who asked whom in days `from..to`, who answered, and the liaison links
/// working at the end of the window, on a circle of agencies.
fn network(inputs: &Inputs, id: &str, title: &str, from: u32, to: u32) -> Result<Chart, String> {
    let ev = inputs.evidence;
    let n = ev.agencies.len();
    let mut ties: BTreeMap<(usize, usize), Tie> = BTreeMap::new();
    let index = |a: &str| ev.agencies.iter().position(|x| x == a);
    for r in ev.requests.iter().filter(|r| (from..to).contains(&r.made)) {
        let (Some(a), Some(b)) = (index(&r.from), index(&r.to)) else {
            continue;
        };
        let t = ties.entry((a, b)).or_default();
        t.made += 1;
        match r.accepted {
            Some(true) => t.accepted += 1,
            Some(false) => t.refused += 1,
            None => {}
        }
    }
    let links = inputs.trace.links_at(to.saturating_sub(1));
    let (w, h) = (560i32, 520i32);
    let (cx, cy, radius) = (f64::from(w) / 2.0, f64::from(h) / 2.0 + 8.0, 180.0);
    let at = |k: usize| {
        let angle = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * k as f64 / n.max(1) as f64;
        (cx + radius * libm::cos(angle), cy + radius * libm::sin(angle))
    };
    let px = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w as u32, h as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        root.draw(&Text::new(title.to_string(), (12, 8), (FONT, 16).into_font()))
            .map_err(err)?;
        // Liaison links first, wide and pale, under the requests.
        for (a, b) in &links {
            if let (Some(a), Some(b)) = (index(a), index(b)) {
                root.draw(&PathElement::new(
                    vec![px(at(a)), px(at(b))],
                    RGBColor(158, 202, 225).stroke_width(7),
                ))
                .map_err(err)?;
            }
        }
        for (&(a, b), t) in &ties {
            let colour = if t.accepted * 2 >= t.made {
                RGBColor(44, 160, 44)
            } else if t.refused * 2 >= t.made {
                RGBColor(214, 39, 40)
            } else {
                RGBColor(127, 127, 127)
            };
            let width = 1 + (libm::log2(f64::from(t.made)) as u32).min(5);
            let (p, q) = (at(a), at(b));
            // Offset each direction a little to its own side, so A→B and
            // B→A are two lines.
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let len = libm::sqrt(dx * dx + dy * dy).max(1.0);
            let (ox, oy) = (-dy / len * 4.0, dx / len * 4.0);
            let start = (p.0 + ox + dx / len * 18.0, p.1 + oy + dy / len * 18.0);
            let end = (q.0 + ox - dx / len * 20.0, q.1 + oy - dy / len * 20.0);
            root.draw(&PathElement::new(vec![px(start), px(end)], colour.stroke_width(width)))
                .map_err(err)?;
            // The arrow head at the agency asked.
            let (ux, uy) = (dx / len, dy / len);
            let head = vec![
                px(end),
                px((end.0 - ux * 10.0 - uy * 5.0, end.1 - uy * 10.0 + ux * 5.0)),
                px((end.0 - ux * 10.0 + uy * 5.0, end.1 - uy * 10.0 - ux * 5.0)),
            ];
            root.draw(&Polygon::new(head, colour.filled())).map_err(err)?;
        }
        for (k, name) in ev.agencies.iter().enumerate() {
            let p = at(k);
            root.draw(&Circle::new(px(p), 14, RGBColor(57, 59, 121).filled()))
                .map_err(err)?;
            // Labels outside the circle: right of nodes on the right, left of
            // nodes on the left, above or below the others (about 7 px a
            // character at 13 px).
            let width = 7.0 * name.chars().count() as f64;
            let (dx, dy) = ((p.0 - cx) / radius, (p.1 - cy) / radius);
            let label = if dx > 0.3 {
                (p.0 + 19.0, p.1 - 7.0)
            } else if dx < -0.3 {
                (p.0 - 19.0 - width, p.1 - 7.0)
            } else if dy < 0.0 {
                (p.0 - width / 2.0, p.1 - 34.0)
            } else {
                (p.0 - width / 2.0, p.1 + 18.0)
            };
            root.draw(&Text::new(name.clone(), px(label), (FONT, 13).into_font()))
                .map_err(err)?;
        }
        let legend = [
            ("most requests accepted", RGBColor(44, 160, 44)),
            ("most refused", RGBColor(214, 39, 40)),
            ("mostly unanswered", RGBColor(127, 127, 127)),
            ("liaison link", RGBColor(158, 202, 225)),
        ];
        // The legend in the top right corner, clear of the circle.
        for (k, (label, colour)) in legend.iter().enumerate() {
            let (x, y) = (w - 168, 16 + 16 * k as i32);
            root.draw(&PathElement::new(vec![(x, y), (x + 22, y)], colour.stroke_width(4)))
                .map_err(err)?;
            root.draw(&Text::new(label.to_string(), (x + 28, y - 7), (FONT, 12).into_font()))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    let made: u32 = ties.values().map(|t| t.made).sum();
    Ok(Chart {
        id: id.to_string(),
        title: title.to_string(),
        description: format!(
            "{title}: {} on {} between {} (arrows from the agency that asked to the agency asked, thicker for more requests), {}",
            crate::report::text::count(made.into(), "request", "requests"),
            crate::report::text::count(ties.len() as u64, "tie", "ties"),
            crate::report::text::count(n as u64, "agency", "agencies"),
            crate::report::text::count(links.len() as u64, "liaison link", "liaison links")
        ),
        svg,
    })
}

/// Blocked crew-days by agency, stacked by reason.
fn blocked(inputs: &Inputs) -> Result<Chart, String> {
    let crews: Vec<&crate::report::document::AgencyWork> = inputs
        .report
        .crews
        .iter()
        .filter(|c| c.crews > 0 || c.crew_days_worked > 0.0)
        .collect();
    let reasons: Vec<String> = {
        let mut r: Vec<String> = crews
            .iter()
            .flat_map(|c| c.blocked_by.iter().map(|b| b.0.clone()))
            .collect();
        r.sort();
        r.dedup();
        r
    };
    let top = crews.iter().map(|c| c.crew_days_blocked).fold(1.0, f64::max) * 1.1;
    let n = crews.len().max(1);
    let names: Vec<String> = crews.iter().map(|c| c.agency.clone()).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 60 + 34 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Blocked crew-days by agency and reason", (FONT, 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(95)
            .build_cartesian_2d(0f64..top, -0.5f64..n as f64 - 0.5)
            .map_err(err)?;
        chart
            .configure_mesh()
            .max_light_lines(2)
            .y_labels(n)
            .y_label_formatter(&|y| {
                let i = y.round();
                if (y - i).abs() < 1e-6 && i >= 0.0 {
                    names.get(n - 1 - i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&|x| crate::report::text::big(*x))
            .x_desc("crew-days")
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (k, reason) in reasons.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            let bars: Vec<Rectangle<(f64, f64)>> = crews
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let before: f64 = c
                        .blocked_by
                        .iter()
                        .filter(|b| reasons.iter().position(|r| r == &b.0) < Some(k))
                        .map(|b| b.1)
                        .sum();
                    let this = c.blocked_by.iter().find(|b| &b.0 == reason)?.1;
                    let y = (n - 1 - i) as f64;
                    Some(Rectangle::new(
                        [(before, y - 0.35), (before + this, y + 0.35)],
                        colour.filled(),
                    ))
                })
                .collect();
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(reason.replace('_', " "))
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled()));
        }
        if !reasons.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    let total: f64 = crews.iter().map(|c| c.crew_days_blocked).sum();
    Ok(Chart {
        id: "blocked".to_string(),
        title: "Blocked crew-days by agency".to_string(),
        description: format!(
            "Crew-days each agency's crews could not work, by reason: {} in all",
            crate::report::text::big(total)
        ),
        svg,
    })
}
