//! The report's charts, drawn with plotters' SVG backend into strings: the
//! recovery curve of each service by district, displaced and returned people
//! over time, the cooperation network at the start and at the end, and
//! blocked crew-days by agency. No file is written here.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use plotters::prelude::*;

use super::{Evidence, Inputs};
use crate::report::console::replay::date_after;
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

/// Colours of the series, in order: D3's and Tableau's ten categorical
/// colours (`category10`), which stay apart on screen and in print. A
/// chart with more series than colours starts again with the next dash
/// pattern ([`DASHES`]), so no two series look alike ([`line_style`]).
pub(crate) const COLOURS: [RGBColor; 10] = [
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
];

/// SVG `stroke-dasharray` patterns, one per round of [`COLOURS`]: solid,
/// dashed, dotted, dash-dot. Forty series look different; a chart of more
/// districts than that repeats them.
pub(crate) const DASHES: [&str; 4] = ["", "9 4", "2 3", "9 3 2 3"];

const FONT: &str = "sans-serif";

/// Months as the date axes name them.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Most date labels on a time axis: each about 60 px wide on a plot about
/// 570 px wide, so they never touch.
const MAX_DATE_TICKS: usize = 8;

/// Vertical space a line's end label takes, px: labels closer than this
/// are moved apart.
const LABEL_SPACING: i32 = 14;

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing a chart: {e}")
}

/// Every chart of the report, in the order the page shows them.
pub fn all(inputs: &Inputs) -> Result<Vec<Chart>, String> {
    let mut charts = Vec::new();
    for s in Service::ALL {
        charts.push(recovery(inputs, s)?);
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

/// How series `k` of a chart is drawn: its colour and its dash pattern
/// (an index into [`DASHES`]). Different for every `k` below
/// `COLOURS.len() × DASHES.len()`.
pub(crate) fn line_style(k: usize) -> (RGBColor, usize) {
    (COLOURS[k % COLOURS.len()], (k / COLOURS.len()) % DASHES.len())
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Escapes text for SVG (XML) content and attributes: names come from the
/// scenario.
fn xml(text: &str) -> String {
    super::html::escape(text)
}

/// The date axis of a run that started on `start_date` and lasted `days`
/// days: (day, label) for at most [`MAX_DATE_TICKS`] ticks. Month starts
/// (every 1, 2, 3, 6 or 12 months, on calendar boundaries) labelled
/// `Oct 2017`; a run too short for two month starts gets days every week
/// or more, labelled `24 Jul`. Labels are short and never break.
fn date_ticks(start_date: &str, days: usize) -> Vec<(usize, String)> {
    let dates: Vec<(usize, i64, usize, u32)> = (0..days)
        .filter_map(|d| {
            let date = date_after(start_date, d as u32);
            let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
            let (Some(Some(y)), Some(Some(m)), Some(Some(day))) = (parts.next(), parts.next(), parts.next()) else {
                return None;
            };
            Some((d, y, (m - 1).clamp(0, 11) as usize, day as u32))
        })
        .collect();
    let starts: Vec<&(usize, i64, usize, u32)> = dates.iter().filter(|x| x.3 == 1).collect();
    if starts.len() >= 2 {
        for step in [1, 2, 3, 6, 12, 24, 60, 120] {
            let ticks: Vec<(usize, String)> = starts
                .iter()
                .filter(|x| (x.1 * 12 + x.2 as i64).rem_euclid(step) == 0)
                .map(|x| (x.0, format!("{} {}", MONTHS[x.2], x.1)))
                .collect();
            if ticks.len() <= MAX_DATE_TICKS {
                return ticks;
            }
        }
    }
    let step = days.div_ceil(MAX_DATE_TICKS - 1).max(7);
    dates
        .iter()
        .filter(|x| x.0 % step == 0)
        .map(|x| (x.0, format!("{} {}", x.3, MONTHS[x.2])))
        .collect()
}

/// A line of a time chart: its name, its points (day, value), the series
/// number that decides its look ([`line_style`]) and its width.
struct Line {
    name: String,
    points: Vec<(f64, f64)>,
    style: usize,
    width: u32,
}

/// A time chart: the series of `lines` over the run's days, dates on the
/// horizontal axis, and each line named at its end, outside the plot (the
/// names moved apart where lines end close together, with a thin leader
/// back to the line's end). Plotters draws the frame, the value axis and
/// the grid; the lines, dates and names are SVG elements of their own, so
/// that a line can be dashed and carry its name.
fn time_chart(
    title: &str,
    start_date: &str,
    days: usize,
    top: f64,
    value: &dyn Fn(&f64) -> String,
    lines: &[Line],
) -> Result<String, String> {
    let (w, h) = (900u32, 360u32);
    let mut svg = String::new();
    let mut overlay = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (plot, _names) = root.split_horizontally(700);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, (FONT, 16))
            .margin(10)
            .margin_right(24)
            .x_label_area_size(28)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..(days.max(2) - 1) as f64, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .max_light_lines(1)
            .label_style((FONT, 12))
            .y_label_formatter(value)
            .draw()
            .map_err(err)?;
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        // Dates: a light rule and a label under the axis at each tick.
        for (day, label) in date_ticks(start_date, days) {
            let (x, _) = chart.backend_coord(&(day as f64, 0.0));
            let _ = writeln!(
                overlay,
                "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#000000\" stroke-opacity=\"0.1\" stroke-width=\"1\"/>\n<text class=\"date\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-family=\"{FONT}\" font-size=\"12\" fill=\"#000000\">{}</text>",
                ys.start,
                ys.end,
                ys.end + 16,
                xml(&label)
            );
        }
        // The lines, drawn in order, each with its name for a tooltip.
        let mut ends: Vec<(i32, i32, usize)> = Vec::new();
        for (k, line) in lines.iter().enumerate() {
            let (colour, dash) = line_style(line.style);
            let points: Vec<(i32, i32)> = line.points.iter().map(|p| chart.backend_coord(p)).collect();
            let Some(&end) = points.last() else {
                continue;
            };
            let coords: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
            let dashes = if DASHES[dash].is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{}\"", DASHES[dash])
            };
            let _ = writeln!(
                overlay,
                "<polyline class=\"series\" data-name=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dashes} stroke-linejoin=\"round\" points=\"{}\"><title>{}</title></polyline>",
                xml(&line.name),
                hex(colour),
                line.width,
                coords.join(" "),
                xml(&line.name)
            );
            ends.push((end.0, end.1, k));
        }
        // Names at the line ends, top to bottom, at least LABEL_SPACING
        // apart and within the plot's height.
        ends.sort_by_key(|e| (e.1, e.2));
        let mut at: Vec<i32> = ends.iter().map(|e| e.1).collect();
        for i in 1..at.len() {
            at[i] = at[i].max(at[i - 1] + LABEL_SPACING);
        }
        let bottom = ys.end.max(ys.start + LABEL_SPACING * at.len() as i32);
        for i in (0..at.len()).rev() {
            let limit = if i + 1 < at.len() {
                at[i + 1] - LABEL_SPACING
            } else {
                bottom
            };
            at[i] = at[i].min(limit);
        }
        let x0 = xs.end + 14;
        for ((ex, ey, k), y) in ends.iter().zip(at) {
            let line = &lines[*k];
            let (colour, dash) = line_style(line.style);
            let dashes = if DASHES[dash].is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{}\"", DASHES[dash])
            };
            let _ = writeln!(
                overlay,
                "<line x1=\"{ex}\" y1=\"{ey}\" x2=\"{}\" y2=\"{y}\" stroke=\"#000000\" stroke-opacity=\"0.35\" stroke-width=\"1\"/>\n<line class=\"key\" data-name=\"{}\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"3\"{dashes}/>\n<text class=\"name\" x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"12\" fill=\"#000000\">{}</text>",
                x0 - 2,
                xml(&line.name),
                x0,
                x0 + 22,
                hex(colour),
                x0 + 27,
                y + 4,
                xml(&line.name)
            );
        }
        root.present().map_err(err)?;
    }
    let close = svg.rfind("</svg>").ok_or_else(|| err("the SVG has no end"))?;
    svg.insert_str(close, &overlay);
    Ok(svg)
}

/// A service's level in each district over time.
fn recovery(inputs: &Inputs, service: Service) -> Result<Chart, String> {
    let ev = inputs.evidence;
    let days = ev.district_days.iter().map(Vec::len).max().unwrap_or(0);
    let title = format!("{} by district", capitalised(service.name()));
    let shown = sampled(days);
    let lines: Vec<Line> = ev
        .district_days
        .iter()
        .enumerate()
        .map(|(k, series)| Line {
            name: ev.districts.get(k).map(|d| d.0.clone()).unwrap_or_default(),
            points: shown
                .iter()
                .filter_map(|&d| series.get(d).map(|(_, q)| (d as f64, q[service.index()])))
                .collect(),
            style: k,
            width: 2,
        })
        .collect();
    // A little room above 100 %, so lines at full service stay clear of
    // the frame.
    let svg = time_chart(
        &format!("{title}: share of need met"),
        &inputs.scenario.start_date,
        days,
        1.04,
        &|y| format!("{:.0}%", y * 100.0),
        &lines,
    )?;
    Ok(Chart {
        id: format!("recovery-{}", service.name()),
        title: title.clone(),
        description: format!(
            "{title}: the people-weighted share of the {} need met in each district, day by day; each district has its own colour (and, past the tenth, its own dash pattern) and is named at the end of its line",
            service.name()
        ),
        svg,
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

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
    // (name, points, series number for the look, width): the run's own
    // lines thick, the references' thin.
    let lines = vec![
        Line {
            name: "displaced (this run)".to_string(),
            points: shown.iter().map(|&d| (d as f64, ev.displaced[d] as f64)).collect(),
            style: 3,
            width: 3,
        },
        Line {
            name: "returned (this run)".to_string(),
            points: shown
                .iter()
                .map(|&d| (d as f64, ev.returned_share[d] * initial))
                .collect(),
            style: 0,
            width: 3,
        },
        Line {
            name: "returned (all silo)".to_string(),
            points: returned(&inputs.references[0].evidence, &shown, initial),
            style: 17,
            width: 2,
        },
        Line {
            name: "returned (all central)".to_string(),
            points: returned(&inputs.references[1].evidence, &shown, initial),
            style: 12,
            width: 2,
        },
    ];
    let svg = time_chart(
        "Displaced and returned people",
        &inputs.scenario.start_date,
        days,
        top,
        &|y| crate::report::text::big(*y),
        &lines,
    )?;
    Ok(Chart {
        id: "people".to_string(),
        title: "Displaced and returned people".to_string(),
        description: "People displaced, and people displaced on day 0 who are home, day by day; the returns of the all-silo and all-central references (thin, dashed) for comparison".to_string(),
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
    let (w, h) = (560i32, 580i32);
    let (cx, cy, radius) = (f64::from(w) / 2.0, 275.0, 180.0);
    let at = |k: usize| {
        let angle = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * k as f64 / n.max(1) as f64;
        (cx + radius * libm::cos(angle), cy + radius * libm::sin(angle))
    };
    let px = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w as u32, h as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        root.draw(&Text::new(title.to_string(), (12, 8), (FONT, 17).into_font()))
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
            let width = 8.0 * name.chars().count() as f64;
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
            root.draw(&Text::new(name.clone(), px(label), (FONT, 15).into_font()))
                .map_err(err)?;
        }
        let legend = [
            ("most requests accepted", RGBColor(44, 160, 44)),
            ("most refused", RGBColor(214, 39, 40)),
            ("mostly unanswered", RGBColor(127, 127, 127)),
            ("liaison link", RGBColor(158, 202, 225)),
        ];
        // The legend under the circle, in two columns, clear of every node.
        for (k, (label, colour)) in legend.iter().enumerate() {
            let (x, y) = (24 + 270 * (k as i32 % 2), h - 46 + 22 * (k as i32 / 2));
            root.draw(&PathElement::new(vec![(x, y), (x + 22, y)], colour.stroke_width(4)))
                .map_err(err)?;
            root.draw(&Text::new(label.to_string(), (x + 28, y - 8), (FONT, 14).into_font()))
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

/// The blocked chart's key, beside the bars: for each reason, a swatch for
/// its crews blocked at work (its colour) and held back idle (a pale tint),
/// where `occurs` says the chart has them.
// Long because: plotters draws the key element by element (swatches,
// labels, the tint legend) in one drawing area; split, each part would
// need the whole layout passed in.
fn draw_key(
    key: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    reasons: &[String],
    occurs: &dyn Fn(usize, bool) -> bool,
) -> Result<(), String> {
    let mut y = 44;
    for (k, reason) in reasons.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let words = reason.replace('_', " ");
        for (held, style, label) in [
            (false, colour.filled(), format!("{words}: blocked at work")),
            (
                true,
                colour.mix(HELD_BACK_TINT).filled(),
                format!("{words}: held back idle"),
            ),
        ] {
            if !occurs(k, held) {
                continue;
            }
            key.draw(&Rectangle::new([(8, y - 6), (22, y + 6)], style))
                .map_err(err)?;
            key.draw(&Text::new(label, (30, y - 7), (FONT, 13).into_font()))
                .map_err(err)?;
            y += 18;
        }
        y += 4;
    }
    Ok(())
}

/// Opacity of a reason's colour for crews held back in the blocked chart:
/// the same hue as the crews blocked, clearly paler.
const HELD_BACK_TINT: f64 = 0.4;

/// Crew-days each agency's crews were blocked at work or held back idle,
/// stacked by reason: blocked in the reason's colour, held back in a pale
/// tint of it, so the bars add up to the waits of the losses table.
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
            .flat_map(|c| c.blocked_by.iter().chain(&c.held_back_by).map(|b| b.0.clone()))
            .collect();
        r.sort();
        r.dedup();
        r
    };
    let of = |list: &[(String, f64)], reason: &str| list.iter().find(|b| b.0 == reason).map_or(0.0, |b| b.1);
    // Segments of each bar in order: (reason index, held back?, crew-days).
    let segments = |c: &crate::report::document::AgencyWork| -> Vec<(usize, bool, f64)> {
        let mut out = Vec::new();
        for (k, reason) in reasons.iter().enumerate() {
            out.push((k, false, of(&c.blocked_by, reason)));
            out.push((k, true, of(&c.held_back_by, reason)));
        }
        out.retain(|x| x.2 > 0.0);
        out
    };
    let length = |c: &crate::report::document::AgencyWork| segments(c).iter().map(|x| x.2).sum::<f64>();
    let top = crews.iter().map(|c| length(c)).fold(1.0, f64::max) * 1.1;
    let n = crews.len().max(1);
    let names: Vec<String> = crews.iter().map(|c| c.agency.clone()).collect();
    let pale = |c: RGBColor| c.mix(HELD_BACK_TINT);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(
            &mut svg,
            (900, (70 + 34 * n as u32).max(80 + 40 * reasons.len() as u32)),
        )
        .into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // The key beside the plot, where it covers no bar.
        let (plot, key) = root.split_horizontally(680);
        let mut chart = ChartBuilder::on(&plot)
            .caption("Crew-days blocked or held back, by agency and reason", (FONT, 16))
            .margin(10)
            .margin_right(20)
            .x_label_area_size(40)
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
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 12))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (i, c) in crews.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let mut at = 0.0;
            for (k, held, days) in segments(c) {
                let colour = COLOURS[k % COLOURS.len()];
                let style = if held { pale(colour).filled() } else { colour.filled() };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(at, y - 0.35), (at + days, y + 0.35)],
                        style,
                    )))
                    .map_err(err)?;
                at += days;
            }
        }
        // The key: the parts that occur, in the order the bars stack them.
        let occurs = |k: usize, held: bool| {
            crews
                .iter()
                .any(|c| segments(c).iter().any(|x| x.0 == k && x.1 == held))
        };
        draw_key(&key, &reasons, &occurs)?;
        root.present().map_err(err)?;
    }
    let blocked: f64 = crews.iter().map(|c| c.crew_days_blocked).sum();
    let held: f64 = crews.iter().flat_map(|c| c.held_back_by.iter().map(|b| b.1)).sum();
    Ok(Chart {
        id: "blocked".to_string(),
        title: "Crew-days blocked or held back by agency".to_string(),
        description: format!(
            "Crew-days each agency's crews could not work, by reason: {} blocked at work and {} held back idle because all the work waiting for them was stopped",
            crate::report::text::big(blocked),
            crate::report::text::big(held)
        ),
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_series_all_look_different() {
        let looks: std::collections::BTreeSet<(String, usize)> = (0..COLOURS.len() * DASHES.len())
            .map(line_style)
            .map(|(c, d)| (hex(c), d))
            .collect();
        assert_eq!(looks.len(), COLOURS.len() * DASHES.len());
        // The first ten are solid: a town of few districts has no dashes.
        assert!((0..COLOURS.len()).all(|k| line_style(k).1 == 0));
    }

    #[test]
    fn date_ticks_are_few_short_month_starts_or_weeks() {
        // 900 days from 10 Jul 2017: half-years on calendar boundaries.
        let long = date_ticks("2017-07-10", 900);
        assert!(long.len() <= MAX_DATE_TICKS && long.len() >= 2, "{long:?}");
        assert_eq!(long[0], (175, "Jan 2018".to_string()));
        assert!(
            long.iter().all(|(_, l)| l.starts_with("Jan ") || l.starts_with("Jul ")),
            "{long:?}"
        );
        // A quarter: every month.
        let quarter = date_ticks("2017-07-10", 100);
        let labels: Vec<&str> = quarter.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Aug 2017", "Sep 2017", "Oct 2017"]);
        // Three weeks: no month start twice, so weekly day labels.
        let short = date_ticks("2020-01-01", 20);
        assert_eq!(
            short,
            [
                (0, "1 Jan".to_string()),
                (7, "8 Jan".to_string()),
                (14, "15 Jan".to_string())
            ]
        );
    }
}
