//! What `cimsim replay` prints: the timeline of a recorded run, the
//! situation at the end of one day, and a branch side by side with its
//! original. Rendered into strings; `cli` prints them.
//!
//! None of these print file names, timings or anything else that differs
//! between two equal runs, so their outputs can be compared with `diff`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::record::Day;
use crate::report::text::{big, pct, wrap};
use crate::scenario::{Mandate, Service};
use crate::sim::components::*;
use crate::sim::setup::Names;
use crate::sim::view::View;

/// Days at which a timeline or a comparison prints a line: every `every`
/// days from `from`, the last day, and the days in `extra`.
fn shown_days(from: u32, rows: usize, every: u32, extra: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let last = rows.saturating_sub(1) as u32;
    let mut days: Vec<u32> = (from..=last).step_by(every.max(1) as usize).collect();
    if rows > 0 {
        days.push(last);
    }
    days.extend(extra.into_iter().filter(|d| (from..=last).contains(d)));
    days.sort_unstable();
    days.dedup();
    days
}

/// The calendar date `days` after `start` (`YYYY-MM-DD`), proleptic
/// Gregorian; the day count alone when `start` is not a date.
pub fn date_after(start: &str, days: u32) -> String {
    let parts: Vec<i64> = start.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else {
        return format!("day {days}");
    };
    // Days from civil and back (H. Hinnant's algorithms).
    let y0 = if m <= 2 { y - 1 } else { y };
    let era = y0.div_euclid(400);
    let yoe = y0 - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let z = era * 146_097 + doe + i64::from(days);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The timeline of a verified replay: one line every `every` days, on the
/// last day and on every day with an event. `events` are by day.
pub fn timeline(
    title: &str,
    start_date: &str,
    rows: &[Day],
    events: &BTreeMap<u32, Vec<String>>,
    every: u32,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "{:>5}  {:<10}  {:>5} {:>5} {:>5} {:>5} {:>6}  {:>10}  {:>8}  {:>7}  events",
        "day", "date", "food", "water", "power", "sanit", "health", "displaced", "returned", "ill"
    );
    let mut previous: Option<&Day> = None;
    let mut changes: BTreeMap<u32, Vec<String>> = events.clone();
    for r in rows {
        let lost = previous.map_or(0, |p| p.crews_lost);
        if r.crews_lost > lost {
            changes.entry(r.day).or_default().push(format!(
                "{} lost",
                crate::report::text::count((r.crews_lost - lost).into(), "crew", "crews")
            ));
        }
        previous = Some(r);
    }
    for day in shown_days(0, rows.len(), every, changes.keys().copied()) {
        let r = &rows[day as usize];
        let s = r.services;
        let _ = writeln!(
            out,
            "{:>5}  {:<10}  {:>5} {:>5} {:>5} {:>5} {:>6}  {:>10}  {:>8}  {:>7}  {}",
            r.day,
            date_after(start_date, r.day),
            pct(s[0]),
            pct(s[1]),
            pct(s[2]),
            pct(s[3]),
            pct(s[4]),
            big(r.displaced as f64),
            pct(r.returned),
            big(r.ill),
            changes.get(&day).map(|e| e.join("; ")).unwrap_or_default()
        );
    }
    out
}

/// The words for a crew's kind of work.
fn work(kind: Mandate) -> &'static str {
    match kind {
        Mandate::Repair => "repairing",
        Mandate::Clear => "clearing",
        Mandate::Secure => "securing",
        Mandate::DistributeFood => "distributing food in",
        Mandate::TruckWater => "trucking water to",
        Mandate::Rebuild => "rebuilding",
        Mandate::RemoveDebris => "removing rubble in",
        Mandate::DeliverFuel => "delivering fuel to",
        Mandate::Medical => "running clinics in",
    }
}

fn target_name(t: Target, names: &Names) -> String {
    match t {
        Target::Asset(a) => names.assets[a.idx()].clone(),
        Target::District(d) => names.districts[d.idx()].clone(),
        Target::Agency(a) => names.agencies[a.idx()].clone(),
    }
}

/// The situation at the end of the day just simulated: districts and camps,
/// assets, agencies with what their crews do, open requests, liaison links.
pub fn situation(view: &View, scenario_name: &str, start_date: &str) -> String {
    let names = view.names().clone();
    let links = view.liaisons().links.clone();
    // The clock has moved on to the next day.
    let day = view.day().saturating_sub(1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{scenario_name}: situation at the end of day {day} ({})\n",
        date_after(start_date, day)
    );
    situation_places(&mut out, view, &names, day);
    situation_assets(&mut out, view, &names, day);
    situation_agencies(&mut out, view, &names, day);
    let links: Vec<String> = links
        .iter()
        .map(|&(a, b)| format!("{}–{}", names.agencies[a.idx()], names.agencies[b.idx()]))
        .collect();
    out.push('\n');
    out.push_str(&wrap(
        &format!(
            "Liaison links: {}",
            if links.is_empty() {
                "none".to_string()
            } else {
                links.join(", ")
            }
        ),
        "",
        "  ",
    ));
    out
}

/// The districts' and camps' part of [`situation`].
fn situation_places(out: &mut String, view: &View, names: &Names, day: u32) {
    let census = view.census().clone();
    let levels = view.levels().clone();
    let w = view.rules().service_weights();
    let districts: Vec<_> = view
        .districts()
        .iter()
        .map(|d| (d.district.ix, *d.ground, d.housing.damage(), d.suspension.until))
        .collect();
    // Two tables, so that each fits 80 columns: the people and the
    // ground, then the services.
    let _ = writeln!(out, "Districts: people and ground");
    let _ = writeln!(
        out,
        "  {:<13} {:>9} {:>9} {:>7} {:>8} {:>6}  suspended",
        "district", "present", "displaced", "hazards", "security", "damage"
    );
    for &(ix, g, damage, until) in &districts {
        let i = ix.idx();
        let _ = writeln!(
            out,
            "  {:<13} {:>9} {:>9} {:>7} {:>8} {:>6}  {}",
            names.districts[i],
            big(census.present(i)),
            big(census.displaced_from[i] as f64),
            pct(g.contamination),
            pct(g.security),
            pct(damage),
            if until > day + 1 {
                format!("until day {}", until - 1)
            } else {
                "-".to_string()
            }
        );
    }
    let _ = writeln!(out, "\nDistricts: services (index: weighted by the scenario's weights)");
    let _ = writeln!(
        out,
        "  {:<13} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "district", "food", "water", "power", "sanit", "health", "index"
    );
    for &(ix, ..) in &districts {
        let i = ix.idx();
        let q = levels.q[i];
        let _ = writeln!(
            out,
            "  {:<13} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            names.districts[i],
            pct(q[0]),
            pct(q[1]),
            pct(q[2]),
            pct(q[3]),
            pct(q[4]),
            pct(crate::sim::ledger::district_index(&q, w)),
        );
    }
    if !names.camps.is_empty() {
        let _ = writeln!(out, "\nCamps");
        for (c, q) in levels.camp_q.iter().enumerate() {
            let services: Vec<String> = Service::ALL
                .iter()
                .map(|s| format!("{} {}", s.name(), pct(q[s.index()])))
                .collect();
            out.push_str(&wrap(
                &format!(
                    "{} ({}): {}",
                    names.camps[c],
                    crate::report::text::amount(census.camp[c] as f64, "person", "people"),
                    services.join(", ")
                ),
                "  ",
                "      ",
            ));
        }
    }
}

/// The assets' part of [`situation`].
fn situation_assets(out: &mut String, view: &View, names: &Names, day: u32) {
    let assets: Vec<_> = view
        .assets()
        .iter()
        .map(|a| (a.asset.ix, a.asset.agency, a.condition, *a.operation, a.blockade.until))
        .collect();
    let _ = writeln!(out, "\nAssets");
    for (ix, agency, condition, op, blockade) in assets {
        let limit = crate::report::text::held_back(op.limit, names);
        out.push_str(&wrap(
            &format!(
                "{} ({}): condition {}, output {}{}{}",
                names.assets[ix.idx()],
                names.agencies[agency.idx()],
                pct(condition),
                pct(op.level),
                limit,
                if blockade > day + 1 {
                    format!(", blockaded until day {}", blockade - 1)
                } else {
                    String::new()
                }
            ),
            "  ",
            "      ",
        ));
    }
}

/// The agencies' part of [`situation`]: their crews and open requests.
fn situation_agencies(out: &mut String, view: &View, names: &Names, day: u32) {
    let requests = view.requests().clone();
    let book = view.strategies().clone();
    let agencies: Vec<_> = view
        .agencies()
        .iter()
        .map(|a| (a.agency.ix, book.followed[a.agency.ix.idx()].clone()))
        .collect();
    let crews: Vec<_> = view
        .crews()
        .iter()
        .map(|c| (c.crew.ix, c.crew.agency, c.crew.kind, *c.assignment, c.lost.is_some()))
        .collect();
    let _ = writeln!(out, "\nAgencies");
    for (ix, strategy) in agencies {
        let mine: Vec<_> = crews.iter().filter(|c| c.1 == ix).collect();
        let lost = mine.iter().filter(|c| c.4).count();
        let mut doing: BTreeMap<String, u32> = BTreeMap::new();
        for (_, _, kind, a, is_lost) in &mine {
            if *is_lost {
                continue;
            }
            let what = if a.out_until > day + 1 {
                format!("hurt until day {}", a.out_until - 1)
            } else {
                match a.target {
                    Some(t) => format!("{} {}", work(*kind), target_name(t, names)),
                    None => "idle".to_string(),
                }
            };
            *doing.entry(what).or_default() += 1;
        }
        let doing: Vec<String> = doing.into_iter().map(|(what, n)| format!("{n} {what}")).collect();
        out.push_str(&wrap(
            &format!(
                "{} ({strategy}): {}{}{}",
                names.agencies[ix.idx()],
                crate::report::text::count((mine.len() - lost) as u64, "crew", "crews"),
                if lost > 0 {
                    format!(" ({lost} lost)")
                } else {
                    String::new()
                },
                if doing.is_empty() {
                    String::new()
                } else {
                    format!(": {}", doing.join(", "))
                }
            ),
            "  ",
            "      ",
        ));
        for r in requests.list.iter().filter(|r| r.from == ix && r.stands()) {
            let state = match r.accepted {
                Some(_) => "accepted".to_string(),
                None => format!("answer due day {}", r.answer_due),
            };
            out.push_str(&wrap(
                &format!(
                    "open request to {}: {} at {} ({}, made day {}, {state})",
                    names.agencies[r.to.idx()],
                    r.ask.name(),
                    target_name(r.target, names),
                    r.channel.name(),
                    r.made
                ),
                "    ",
                "        ",
            ));
        }
    }
}

/// Figures of a run at the end of a day, for the branch comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Weighted resilience loss accumulated so far.
    pub loss: f64,
}

/// The original and a branch side by side from the branch day on: key
/// metrics every `every` days and at the end, and the resilience loss each
/// accumulated from the branch day.
pub fn branch_comparison(
    from: u32,
    original: &[Day],
    branch: &[Day],
    before: Totals,
    end: (Totals, Totals),
    every: u32,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Branch from day {from}: the original | the branch");
    let _ = writeln!(
        out,
        "{:>5}  {:>5} {:>5} {:>10} {:>8}  |  {:>5} {:>5} {:>10} {:>8}  digests",
        "day", "water", "power", "displaced", "returned", "water", "power", "displaced", "returned"
    );
    let n = original.len().min(branch.len());
    for day in shown_days(from, n, every, []) {
        let (o, b) = (&original[day as usize], &branch[day as usize]);
        let _ = writeln!(
            out,
            "{:>5}  {:>5} {:>5} {:>10} {:>8}  |  {:>5} {:>5} {:>10} {:>8}  {}",
            day,
            pct(o.services[1]),
            pct(o.services[2]),
            big(o.displaced as f64),
            pct(o.returned),
            pct(b.services[1]),
            pct(b.services[2]),
            big(b.displaced as f64),
            pct(b.returned),
            if o.digest == b.digest { "same" } else { "differ" }
        );
    }
    let first_difference = (0..n).find(|&d| original[d].digest != branch[d].digest);
    let _ = writeln!(
        out,
        "\nResilience loss from day {from}: original {}, branch {} ({}{})",
        big(end.0.loss - before.loss),
        big(end.1.loss - before.loss),
        if end.1.loss >= end.0.loss { "+" } else { "" },
        big(end.1.loss - end.0.loss)
    );
    let _ = writeln!(
        out,
        "{}",
        match first_difference {
            Some(d) => format!("The digests first differ on day {d}."),
            None => "The digests are the same on every day: the branch changed nothing.".to_string(),
        }
    );
    out
}
