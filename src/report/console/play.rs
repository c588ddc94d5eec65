//! What the `cimsim play` console prints: the situation report that opens
//! each turn (what changed since the last turn, services by district,
//! people displaced and returned, open requests, idle crews and why) and
//! the detail of one district or agency for `status`. Rendered into
//! strings; `cli` prints them.
//!
//! Like every report here, none of these print file names, timings or
//! anything else that differs between two sessions in the same state: a
//! resumed session prints what an uninterrupted one would.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::replay::date_after;
use crate::report::text::{big, count, held_back, pct, wrap};
use crate::scenario::Service;
use crate::sim::components::*;
use crate::sim::setup::Names;
use crate::sim::state::Census;
use crate::sim::view::View;

/// What a turn report compares with: the state when the last turn opened.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub day: u32,
    pub q: Vec<[f64; SERVICES]>,
    pub displaced: Vec<u64>,
    pub returned: u64,
    pub requests: usize,
    pub injects: usize,
    /// Tasks finished so far (`Ledger::finished`).
    pub finished: usize,
}

impl Snapshot {
    /// The state as it is now (at the start of the next day to simulate).
    pub fn take(view: &View) -> Self {
        let census = view.census();
        Snapshot {
            day: view.day(),
            q: view.levels().q.clone(),
            displaced: census.displaced_from.clone(),
            returned: census.returned_initial,
            requests: view.requests().list.len(),
            injects: view.inject_log().applied.len(),
            finished: view.ledger().finished.len(),
        }
    }
}

/// What a turn report needs besides the world: the turn's number, the
/// scenario's first date, and the facilitator's own injects (in words,
/// with their days) that acted since the last turn and that are due in
/// the next one (`days`).
#[derive(Debug, Clone, Default)]
pub struct Turn {
    pub number: u32,
    pub start_date: String,
    pub manual_fired: Vec<(u32, String)>,
    pub manual_due: Vec<(u32, String)>,
    /// The days the next `advance` simulates by default.
    pub days: std::ops::Range<u32>,
}

fn target_name(t: Target, names: &Names) -> String {
    match t {
        Target::Asset(a) => names.assets[a.idx()].clone(),
        Target::District(d) => names.districts[d.idx()].clone(),
        Target::Agency(a) => names.agencies[a.idx()].clone(),
    }
}

/// Service levels and outputs before the first simulated day: the rules
/// compute them during a day, so day 0 has none yet.
const NOT_YET: &str = "not known yet: day 0 has not been simulated (`advance` simulates it)";

/// One request in a line: id, who asks whom for what, and where it stands
/// on `today`.
pub fn request_line(r: &Request, names: &Names, humans: &[bool], today: u32) -> String {
    let to = &names.agencies[r.to.idx()];
    let state = match (r.accepted, r.fulfilled) {
        (_, Some(d)) => format!("need met on day {d}"),
        (Some(true), None) => "accepted, not yet done".to_string(),
        (Some(false), None) => "refused".to_string(),
        (None, None) if humans.get(r.to.idx()).copied().unwrap_or(false) => {
            if r.answer_due <= today {
                format!(
                    "waits for {to}'s player to answer (it reached them on day {})",
                    r.answer_due
                )
            } else {
                format!("on its way to {to}'s player (it reaches them on day {})", r.answer_due)
            }
        }
        (None, None) => format!("answer due on day {}", r.answer_due),
    };
    format!("{}: {state}", request_what(r, names))
}

/// A request without its state: id, who asks whom for what, where, by
/// which channel and when.
fn request_what(r: &Request, names: &Names) -> String {
    format!(
        "#{} {} asks {} for {} at {} ({}, day {})",
        r.id,
        names.agencies[r.from.idx()],
        names.agencies[r.to.idx()],
        r.ask.name(),
        target_name(r.target, names),
        r.channel.name(),
        r.made,
    )
}

fn work(kind: crate::scenario::Mandate) -> &'static str {
    crate::sim::setup::mandate_slug(kind)
}

/// Who decides what an agency's crews do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orders {
    /// Its strategy (nobody plays it).
    Planned,
    /// Its player, and its strategy for the crews no order holds.
    Standing,
    /// Its player alone: a crew without an order stands idle.
    OnlyOrdered,
}

/// Who decides what each agency's crews do, by agency index.
fn orders_by_agency(view: &View) -> Vec<Orders> {
    let mut out = vec![Orders::Planned; view.names().agencies.len()];
    for a in view.agencies() {
        out[a.agency.ix.idx()] = match (a.agency.human, a.agency.standing) {
            (false, _) => Orders::Planned,
            (true, true) => Orders::Standing,
            (true, false) => Orders::OnlyOrdered,
        };
    }
    out
}

/// A crew lost, in words: when, and to what.
fn lost_words(lost: Lost, names: &Names) -> String {
    format!(
        "lost on day {} to an attack in {}",
        lost.day,
        names.districts[lost.district.idx()]
    )
}

/// A crew's state in words: whether it works, what on, and why not.
fn crew_state(a: &Assignment, lost: Option<Lost>, orders: Orders, day: u32, names: &Names) -> (bool, String) {
    if let Some(lost) = lost {
        return (false, lost_words(lost, names));
    }
    if a.out_until > day {
        return (false, format!("hurt, back on day {}", a.out_until));
    }
    let by_order = if a.held && orders != Orders::Planned {
        " (by order)"
    } else {
        ""
    };
    match (a.target, a.blocked) {
        (Some(t), Some((_, why))) => (
            false,
            format!(
                "at {}{by_order}, blocked by {}",
                target_name(t, names),
                why.name().replace('_', " ")
            ),
        ),
        (Some(t), None) => (true, format!("working at {}{by_order}", target_name(t, names))),
        (None, _) => (
            false,
            match orders {
                _ if a.held => "idle: stopped by order".to_string(),
                Orders::OnlyOrdered => "idle: no orders".to_string(),
                Orders::Standing => "idle: its strategy has no work for it".to_string(),
                Orders::Planned => "idle: no work planned".to_string(),
            },
        ),
    }
}

/// The report that opens a turn: what happened since `before`, what is
/// due in the next turn, services by district, open requests, and crews
/// that are not working. Every line fits
/// [`crate::report::text::CONSOLE_COLUMNS`].
pub fn turn_report(view: &View, turn: &Turn, before: &Snapshot) -> String {
    let names = view.names().clone();
    let now = Snapshot::take(view);
    let census = view.census().clone();
    let requests = view.requests().clone();
    let humans = view.humans();
    let day = now.day;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "=== Turn {}: day {day} ({}) ===",
        turn.number,
        date_after(&turn.start_date, day)
    );
    since_last_turn(&mut out, view, before, turn, day);
    due_next_turn(&mut out, view, turn);
    services_by_district(&mut out, &names, &census, &now, before);
    let open: Vec<&Request> = requests.list.iter().filter(|r| r.stands()).collect();
    if open.is_empty() {
        let _ = writeln!(out, "\nOpen requests: none");
    } else {
        let _ = writeln!(out, "\nOpen requests:");
    }
    for r in open {
        out.push_str(&wrap(&request_line(r, &names, &humans, day), "  ", "      "));
    }
    crews_not_working(&mut out, view, &names, day);
    out
}

/// A scripted inject in the words the facilitator reads out.
fn inject_words(inject: &crate::scenario::Inject, day: u32) -> String {
    format!("day {day}, {}: {}", inject.id, inject.message)
}

/// What happened since the last turn: events (with what the facilitator
/// reads out), work finished, crews lost, requests made and closed, and
/// the change in people displaced and back home.
fn since_last_turn(out: &mut String, view: &View, before: &Snapshot, turn: &Turn, day: u32) {
    let census = view.census();
    let requests = view.requests();
    let names = view.names();
    if day == 0 {
        let _ = writeln!(out, "The exercise starts: no day has been simulated yet.");
        return;
    }
    if before.day >= day {
        let _ = writeln!(out, "No day simulated since the last report (the session was resumed).");
        return;
    }
    let _ = writeln!(
        out,
        "Since the last turn ({}):",
        crate::report::text::day_span(before.day, day.saturating_sub(1), " to ")
    );
    let log = view.inject_log();
    let scripted = view.scripted();
    let mut fired: Vec<(u32, String)> = log.applied[before.injects.min(log.applied.len())..]
        .iter()
        .map(|&(d, i)| (d, inject_words(&scripted[i], d)))
        .collect();
    fired.extend(
        turn.manual_fired
            .iter()
            .map(|(d, what)| (*d, format!("day {d}, {what}"))),
    );
    fired.sort_by_key(|f| f.0);
    if !fired.is_empty() {
        let _ = writeln!(out, "  events:");
        for (_, what) in &fired {
            out.push_str(&wrap(what, "    ", "      "));
        }
    }
    let ledger = view.ledger();
    let done: Vec<String> = ledger.finished[before.finished.min(ledger.finished.len())..]
        .iter()
        .map(|f| format!("{} {} (day {})", work(f.kind), target_name(f.target, names), f.day))
        .collect();
    if !done.is_empty() {
        out.push_str(&wrap(&format!("work finished: {}", done.join(", ")), "  ", "    "));
    }
    let lost: Vec<String> = view
        .crews()
        .iter()
        .filter_map(|c| {
            let l = c.lost.filter(|l| l.day >= before.day)?;
            Some(format!(
                "{} ({})",
                names.crews[c.crew.ix as usize],
                lost_words(l, names)
            ))
        })
        .collect();
    if !lost.is_empty() {
        out.push_str(&wrap(&format!("crews lost: {}", lost.join("; ")), "  ", "    "));
    }
    let new = requests.list.len().saturating_sub(before.requests);
    if new > 0 {
        let _ = writeln!(out, "  {}", count(new as u64, "new request", "new requests"));
    }
    // Requests that closed in these days leave the open list: say how.
    let closed: Vec<String> = requests
        .list
        .iter()
        .filter_map(|r| {
            let (on, how) = r.closed_by(day - 1)?;
            (on >= before.day).then(|| format!("{}: {how} on day {on}", request_what(r, names)))
        })
        .collect();
    if !closed.is_empty() {
        let _ = writeln!(out, "  requests closed:");
        for line in closed {
            out.push_str(&wrap(&line, "    ", "      "));
        }
    }
    out.push_str(&wrap(
        &format!(
            "displaced {} ({}), back home of those displaced at the start {} ({})",
            big(census.displaced() as f64),
            signed(census.displaced() as f64 - before.displaced.iter().sum::<u64>() as f64),
            big(census.returned_initial as f64),
            signed(census.returned_initial as f64 - before.returned as f64),
        ),
        "  ",
        "    ",
    ));
}

/// The injects due in the next turn: the scenario's injects set for a day
/// in it, and the facilitator's own scheduled ones. Injects that wait for
/// a condition cannot be foreseen and are not listed.
fn due_next_turn(out: &mut String, view: &View, turn: &Turn) {
    if turn.days.is_empty() {
        return;
    }
    let fired: Vec<usize> = view.inject_log().applied.iter().map(|&(_, i)| i).collect();
    let mut due: Vec<(u32, String)> = view
        .scripted()
        .iter()
        .enumerate()
        .filter_map(|(i, inject)| match inject.trigger {
            crate::scenario::Trigger::Day(d) if turn.days.contains(&d) && !fired.contains(&i) => {
                Some((d, inject_words(inject, d)))
            }
            _ => None,
        })
        .collect();
    due.extend(turn.manual_due.iter().map(|(d, what)| (*d, format!("day {d}, {what}"))));
    due.sort_by_key(|d| d.0);
    let _ = writeln!(
        out,
        "Due in the next turn ({}):{}",
        crate::report::text::day_span(turn.days.start, turn.days.end - 1, " to "),
        if due.is_empty() { " no scheduled inject" } else { "" }
    );
    for (_, what) in &due {
        out.push_str(&wrap(what, "    ", "      "));
    }
}

/// The widest district id the services table shows whole; a longer one
/// ends in `…`.
const DISTRICT_COLUMN: usize = 13;

/// Each district's people and service levels, with the change since the
/// last turn, in 80 columns.
fn services_by_district(out: &mut String, names: &Names, census: &Census, now: &Snapshot, before: &Snapshot) {
    let day = now.day;
    let _ = writeln!(out, "\nServices by district (change since the last turn)");
    let _ = writeln!(
        out,
        "  {:<13} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "district", "present", "displaced", "food", "water", "power", "sanit", "health"
    );
    for (i, id) in names.districts.iter().enumerate() {
        let q = now.q.get(i).copied().unwrap_or_default();
        let was = before.q.get(i).copied().unwrap_or(q);
        let cells: Vec<String> = Service::ALL
            .iter()
            .map(|s| {
                let (a, b) = (q[s.index()], was[s.index()]);
                let delta = ((a - b) * 100.0).round();
                if day == 0 {
                    "—".to_string()
                } else if delta == 0.0 || before.day >= day {
                    pct(a)
                } else {
                    let cell = format!("{} {}{delta:.0}", pct(a), if delta > 0.0 { "+" } else { "" });
                    // `100% +100` is the one cell wider than its column.
                    if cell.len() > 8 { cell.replace(' ', "") } else { cell }
                }
            })
            .collect();
        let id = if id.chars().count() > DISTRICT_COLUMN {
            id.chars().take(DISTRICT_COLUMN - 1).collect::<String>() + "…"
        } else {
            id.clone()
        };
        let _ = writeln!(
            out,
            "  {:<13} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8}",
            id,
            big(census.present(i)),
            big(census.displaced_from[i] as f64),
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4]
        );
    }
}

/// The crews of each agency that are not at work, and why (by crew for a
/// player's agency, counted for the others), with how a player's crews
/// are run.
fn crews_not_working(out: &mut String, view: &View, names: &Names, day: u32) {
    let _ = writeln!(out, "\nCrews not working");
    let orders = orders_by_agency(view);
    let crews = view.crews();
    let mut any = false;
    for (a, id) in names.agencies.iter().enumerate() {
        let mine: Vec<_> = crews
            .iter()
            .filter(|c| c.crew.agency.idx() == a && c.lost.is_none())
            .collect();
        // Before the first day the planner has placed nobody's crews.
        if mine.is_empty() || (day == 0 && orders[a] != Orders::OnlyOrdered) {
            continue;
        }
        let mut why: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in &mine {
            let (working, state) = crew_state(c.assignment, None, orders[a], day, names);
            if !working {
                let reason = if state.starts_with("hurt") {
                    "hurt".to_string()
                } else {
                    state.rsplit(", ").next().unwrap_or("").trim().to_string()
                };
                why.entry(reason)
                    .or_default()
                    .push(names.crews[c.crew.ix as usize].clone());
            }
        }
        if why.is_empty() {
            continue;
        }
        any = true;
        let player = orders[a] != Orders::Planned;
        let parts: Vec<String> = why
            .iter()
            .map(|(reason, ids)| {
                if player {
                    format!("{reason}: {}", compact(ids))
                } else {
                    format!("{} {reason}", ids.len())
                }
            })
            .collect();
        let run = match orders[a] {
            Orders::Planned => "",
            Orders::Standing => " [player, standing orders]",
            Orders::OnlyOrdered => " [player, orders only]",
        };
        out.push_str(&wrap(
            &format!(
                "{id}{run} ({} of {}): {}",
                why.values().map(Vec::len).sum::<usize>(),
                count(mine.len() as u64, "crew", "crews"),
                parts.join("; ")
            ),
            "  ",
            "    ",
        ));
    }
    if !any && day == 0 {
        let _ = writeln!(
            out,
            "  not known yet: strategies place their crews when day 0 is simulated"
        );
    } else if !any {
        let _ = writeln!(out, "  none: every crew is at work");
    }
}

/// A crew id's stem and number: `water-repair` and 4.
fn split_id(id: &str) -> Option<(&str, u32)> {
    let (stem, n) = id.rsplit_once('-')?;
    Some((stem, n.parse().ok()?))
}

/// Crew ids with runs of consecutive numbers of one kind shortened:
/// `water-repair-1..4 water-truck-water-2`, as orders take them.
fn compact(ids: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(&str, u32, u32)> = None;
    let close = |run: Option<(&str, u32, u32)>, out: &mut Vec<String>| {
        if let Some((stem, a, b)) = run {
            out.push(if a == b {
                format!("{stem}-{a}")
            } else {
                format!("{stem}-{a}..{b}")
            });
        }
    };
    for id in ids {
        match (split_id(id), run) {
            (Some((stem, n)), Some((s, a, b))) if stem == s && n == b + 1 => run = Some((s, a, n)),
            (Some((stem, n)), _) => {
                close(run, &mut out);
                run = Some((stem, n, n));
            }
            (None, _) => {
                close(run.take(), &mut out);
                out.push(id.clone());
            }
        }
    }
    close(run, &mut out);
    out.join(" ")
}

fn signed(x: f64) -> String {
    if x >= 0.0 { format!("+{}", big(x)) } else { big(x) }
}

/// One crew in detail: its agency and kind of work, who runs it, and what
/// it does (or when and to what it was lost).
pub fn crew_detail(view: &View, ix: u32) -> String {
    let names = view.names();
    let orders = orders_by_agency(view);
    let Some(c) = view.crews().into_iter().find(|c| c.crew.ix == ix) else {
        return String::new();
    };
    let a = c.crew.agency.idx();
    let run = match orders[a] {
        Orders::Planned => "follows its strategy",
        Orders::Standing if c.assignment.held => "played by a person: on a player's order",
        Orders::Standing => "played by a person: on standing orders (its strategy)",
        Orders::OnlyOrdered => "played by a person: works only when ordered",
    };
    let (_, state) = crew_state(c.assignment, c.lost, orders[a], view.day(), names);
    let mut out = String::new();
    out.push_str(&wrap(
        &format!(
            "{} ({} crew of {}; {run})",
            names.crews[ix as usize],
            work(c.crew.kind),
            names.agencies[a]
        ),
        "",
        "  ",
    ));
    out.push_str(&wrap(&state, "  ", "    "));
    out
}

/// One asset in detail: owner, site, condition, output and what holds it
/// back, the ground at its site, and the crews at work on it or its site.
pub fn asset_detail(view: &View, x: AssetIx) -> String {
    let names = view.names().clone();
    let day = view.day();
    let mut out = String::new();
    let Some((asset, condition, op, site)) = view
        .assets()
        .iter()
        .find(|a| a.asset.ix == x)
        .map(|a| (a.asset.clone(), a.condition, *a.operation, *a.site))
    else {
        return out;
    };
    let ground = view
        .districts()
        .iter()
        .find(|d| d.district.ix == asset.site)
        .map(|d| *d.ground);
    let i = x.idx();
    out.push_str(&wrap(
        &format!(
            "{} ({}, {}): {}'s, in {}",
            names.assets[i],
            names.asset_names[i],
            names.asset_kinds[i].label(),
            names.agencies[asset.agency.idx()],
            names.districts[asset.site.idx()]
        ),
        "",
        "  ",
    ));
    let limit = held_back(op.limit, &names);
    if view.digests().is_empty() {
        out.push_str(&wrap(
            &format!("condition {}; output {NOT_YET}", pct(condition)),
            "  ",
            "    ",
        ));
    } else {
        out.push_str(&wrap(
            &format!("condition {}, output {}{}", pct(condition), pct(op.level), limit),
            "  ",
            "    ",
        ));
    }
    if let Some(g) = ground {
        let _ = writeln!(
            out,
            "  explosive hazards at the site {}, security {}",
            pct(site.contamination.unwrap_or(g.contamination)),
            pct(site.security.unwrap_or(g.security))
        );
    }
    let orders = orders_by_agency(view);
    let crews: Vec<(u32, AgencyIx, Assignment)> = view
        .crews()
        .iter()
        .filter(|c| c.lost.is_none() && c.assignment.target == Some(Target::Asset(x)))
        .map(|c| (c.crew.ix, c.crew.agency, *c.assignment))
        .collect();
    if crews.is_empty() {
        let _ = writeln!(out, "  no crew at work on it");
    }
    for (ix, agency, a) in crews {
        let (_, state) = crew_state(&a, None, orders[agency.idx()], day, &names);
        out.push_str(&wrap(&state, &format!("  {:<26} ", names.crews[ix as usize]), "      "));
    }
    out
}

/// One district in detail: people, ground, services, and the assets there.
pub fn district_detail(view: &View, d: DistrictIx) -> String {
    let names = view.names().clone();
    let census = view.census().clone();
    let levels = view.levels().clone();
    let i = d.idx();
    let mut out = String::new();
    let ground = view
        .districts()
        .iter()
        .find(|x| x.district.ix == d)
        .map(|x| (*x.ground, x.housing.damage()));
    let _ = writeln!(out, "{} ({})", names.districts[i], names.district_names[i]);
    let _ = writeln!(
        out,
        "  present {}, displaced from here {}",
        big(census.present(i)),
        big(census.displaced_from[i] as f64)
    );
    if let Some((g, damage)) = ground {
        let _ = writeln!(
            out,
            "  explosive hazards {}, security {}, housing damage {}",
            pct(g.contamination),
            pct(g.security),
            pct(damage)
        );
    }
    let simulated = !view.digests().is_empty();
    if simulated {
        let q = levels.q.get(i).copied().unwrap_or_default();
        let services: Vec<String> = Service::ALL
            .iter()
            .map(|s| format!("{} {}", s.name(), pct(q[s.index()])))
            .collect();
        let _ = writeln!(out, "  services: {}", services.join(", "));
    } else {
        let _ = writeln!(out, "  services: {NOT_YET}");
    }
    let assets: Vec<_> = view
        .assets()
        .iter()
        .filter(|a| a.asset.site == d)
        .map(|a| (a.asset.ix, a.asset.agency, a.condition, *a.operation))
        .collect();
    for (ix, agency, condition, op) in assets {
        let limit = held_back(op.limit, &names);
        out.push_str(&wrap(
            &format!(
                "asset {} ({}): condition {}, {}",
                names.assets[ix.idx()],
                names.agencies[agency.idx()],
                pct(condition),
                if simulated {
                    format!("output {}{limit}", pct(op.level))
                } else {
                    "output not known yet".to_string()
                }
            ),
            "  ",
            "      ",
        ));
    }
    out
}

/// One agency in detail: strategy, every crew by id and what it does, its
/// requests both ways, and its liaison links.
pub fn agency_detail(view: &View, a: AgencyIx) -> String {
    let names = view.names().clone();
    let book = view.strategies().clone();
    let requests = view.requests().clone();
    let links = view.liaisons().clone();
    let day = view.day();
    let humans = view.humans();
    let i = a.idx();
    let mut out = String::new();
    let run = match orders_by_agency(view)[i] {
        Orders::Planned => "follows its strategy",
        Orders::Standing => "played by a person; crews on standing orders unless ordered",
        Orders::OnlyOrdered => "played by a person; crews work only when ordered",
    };
    out.push_str(&wrap(
        &format!(
            "{} ({}): {run}, strategy {}",
            names.agencies[i], names.agency_names[i], book.followed[i]
        ),
        "",
        "  ",
    ));
    if let Some((stores, budget)) = view
        .agencies()
        .iter()
        .find(|x| x.agency.ix == a)
        .map(|x| (*x.stores, *x.budget))
    {
        let _ = writeln!(
            out,
            "  budget US${}{}; stocks: fuel {} L, food {}, medical {}",
            big(budget.funds),
            if budget.frozen_until > day {
                format!(" (frozen until day {})", budget.frozen_until)
            } else {
                String::new()
            },
            big(stores.held[0]),
            big(stores.held[1]),
            big(stores.held[2])
        );
    }
    let orders = orders_by_agency(view)[i];
    let crews: Vec<(u32, crate::scenario::Mandate, Assignment, Option<Lost>)> = view
        .crews()
        .iter()
        .filter(|c| c.crew.agency == a)
        .map(|c| (c.crew.ix, c.crew.kind, *c.assignment, c.lost))
        .collect();
    let _ = writeln!(out, "  crews:");
    for (ix, kind, asg, lost) in crews {
        let (_, state) = crew_state(&asg, lost, orders, day, &names);
        out.push_str(&wrap(
            &state,
            &format!("    {:<22} {:<15} ", names.crews[ix as usize], work(kind)),
            "        ",
        ));
    }
    let mine: Vec<&Request> = requests
        .list
        .iter()
        .filter(|r| (r.from == a || r.to == a) && r.stands())
        .collect();
    if !mine.is_empty() {
        let _ = writeln!(out, "  open requests:");
        for r in mine {
            out.push_str(&wrap(&request_line(r, &names, &humans, day), "    ", "        "));
        }
    }
    let linked: Vec<&str> = links
        .links
        .iter()
        .filter_map(|&(x, y)| {
            if x == a {
                Some(names.agencies[y.idx()].as_str())
            } else if y == a {
                Some(names.agencies[x.idx()].as_str())
            } else {
                None
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "  liaison links: {}",
        if linked.is_empty() {
            "none".to_string()
        } else {
            linked.join(", ")
        }
    );
    out
}
