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
use crate::report::text::{big, held_back, pct};
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
        }
    }
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

/// A crew's state in words: what it works on, or why it does not.
fn crew_state(a: &Assignment, lost: bool, day: u32, names: &Names) -> (bool, String) {
    if lost {
        return (false, "lost".to_string());
    }
    if a.out_until > day {
        return (false, format!("hurt, back on day {}", a.out_until));
    }
    match (a.target, a.blocked) {
        (Some(t), Some((_, why))) => (
            false,
            format!(
                "at {}, blocked by {}",
                target_name(t, names),
                why.name().replace('_', " ")
            ),
        ),
        (Some(t), None) => (true, format!("working at {}", target_name(t, names))),
        (None, _) => (false, "idle: no orders".to_string()),
    }
}

/// The report that opens a turn: what changed since `before` (with
/// `manual`, the facilitator's injects that acted in those days, in words),
/// services by district, people, open requests, and crews that are not
/// working.
pub fn turn_report(view: &View, turn: u32, before: &Snapshot, manual: &[String], start_date: &str) -> String {
    let names = view.names().clone();
    let now = Snapshot::take(view);
    let census = view.census().clone();
    let requests = view.requests().clone();
    let humans = view.humans();
    let day = now.day;
    let mut out = String::new();
    let _ = writeln!(out, "=== Turn {turn}: day {day} ({}) ===", date_after(start_date, day));
    since_last_turn(&mut out, view, before, manual, day);
    services_by_district(&mut out, &names, &census, &now, before);
    let open: Vec<&Request> = requests.list.iter().filter(|r| r.stands()).collect();
    let _ = writeln!(out, "\nOpen requests: {}", if open.is_empty() { "none" } else { "" });
    for r in open {
        let _ = writeln!(out, "  {}", request_line(r, &names, &humans, day));
    }
    crews_not_working(&mut out, view, &names, &humans, day);
    out
}

/// What happened since the last turn: injects fired, new requests, and the
/// change in people displaced and back home.
fn since_last_turn(out: &mut String, view: &View, before: &Snapshot, manual: &[String], day: u32) {
    let census = view.census();
    let requests = view.requests();
    if day == 0 {
        let _ = writeln!(out, "The exercise starts: no day has been simulated yet.");
    } else if before.day >= day {
        let _ = writeln!(out, "No day simulated since the last report (the session was resumed).");
    } else {
        let _ = writeln!(
            out,
            "Since the last turn ({}):",
            crate::report::text::day_span(before.day, day.saturating_sub(1), " to ")
        );
        let log = view.inject_log();
        let scripted = view.scripted();
        let mut fired: Vec<String> = log.applied[before.injects.min(log.applied.len())..]
            .iter()
            .map(|&(d, i)| format!("{} (day {d})", scripted[i].id))
            .collect();
        fired.extend(manual.iter().cloned());
        if !fired.is_empty() {
            let _ = writeln!(out, "  events: {}", fired.join(", "));
        }
        let new: Vec<&Request> = requests.list[before.requests.min(requests.list.len())..]
            .iter()
            .collect();
        if !new.is_empty() {
            let _ = writeln!(
                out,
                "  {}",
                crate::report::text::count(new.len() as u64, "new request", "new requests")
            );
        }
        // Requests that closed in these days leave the open list: say how.
        let closed: Vec<String> = requests
            .list
            .iter()
            .filter_map(|r| {
                let (on, how) = r.closed_by(day - 1)?;
                (on >= before.day).then(|| format!("    {}: {how} on day {on}", request_what(r, view.names())))
            })
            .collect();
        if !closed.is_empty() {
            let _ = writeln!(out, "  requests closed:");
            for line in closed {
                let _ = writeln!(out, "{line}");
            }
        }
        let _ = writeln!(
            out,
            "  displaced {} ({}), back home of those displaced at the start {} ({})",
            big(census.displaced() as f64),
            signed(census.displaced() as f64 - before.displaced.iter().sum::<u64>() as f64),
            big(census.returned_initial as f64),
            signed(census.returned_initial as f64 - before.returned as f64),
        );
    }
}

/// Each district's people and service levels, with the change since the
/// last turn.
fn services_by_district(out: &mut String, names: &Names, census: &Census, now: &Snapshot, before: &Snapshot) {
    let day = now.day;
    let _ = writeln!(out, "\nServices by district (change since the last turn)");
    let _ = writeln!(
        out,
        "  {:<16} {:>9} {:>9}  {:>10} {:>10} {:>10} {:>10} {:>10}",
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
                    format!("{} {}{delta:.0}", pct(a), if delta > 0.0 { "+" } else { "" })
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  {:<16} {:>9} {:>9}  {:>10} {:>10} {:>10} {:>10} {:>10}",
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
/// player's agency, counted for the others).
fn crews_not_working(out: &mut String, view: &View, names: &Names, humans: &[bool], day: u32) {
    let _ = writeln!(out, "\nCrews not working");
    let crews: Vec<(u32, AgencyIx, Assignment, bool)> = view
        .crews()
        .iter()
        .map(|c| (c.crew.ix, c.crew.agency, *c.assignment, c.lost))
        .collect();
    let mut any = false;
    for (a, id) in names.agencies.iter().enumerate() {
        let mine: Vec<_> = crews.iter().filter(|c| c.1.idx() == a && !c.3).collect();
        // Before the first day the planner has not placed anybody's crews.
        if mine.is_empty() || (day == 0 && !humans[a]) {
            continue;
        }
        let mut why: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (ix, _, asg, lost) in &mine {
            let (working, state) = crew_state(asg, *lost, day, names);
            if !working {
                let reason = state.split(',').next_back().unwrap_or("").trim().to_string();
                let reason = if state.starts_with("hurt") {
                    "hurt".to_string()
                } else {
                    reason
                };
                why.entry(reason).or_default().push(names.crews[*ix as usize].clone());
            }
        }
        if why.is_empty() {
            continue;
        }
        any = true;
        let parts: Vec<String> = why
            .iter()
            .map(|(reason, ids)| {
                if humans[a] {
                    format!("{reason}: {}", compact(ids))
                } else {
                    format!("{} {reason}", ids.len())
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  {id}{} ({} of {}): {}",
            if humans[a] { " [player]" } else { "" },
            why.values().map(Vec::len).sum::<usize>(),
            crate::report::text::count(mine.len() as u64, "crew", "crews"),
            parts.join("; ")
        );
    }
    if !any {
        let _ = writeln!(out, "  none: every crew is at work");
    }
}

/// A crew id's stem and number: `water-repair` and 4.
fn split_id(id: &str) -> Option<(&str, u32)> {
    let (stem, n) = id.rsplit_once('-')?;
    Some((stem, n.parse().ok()?))
}

/// Crew ids with runs of consecutive numbers of one kind shortened:
/// `water-repair-1..4 water-truck-water-2`.
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
    let _ = writeln!(
        out,
        "{} ({}, {}): {}'s, in {}",
        names.assets[i],
        names.asset_names[i],
        names.asset_kinds[i].label(),
        names.agencies[asset.agency.idx()],
        names.districts[asset.site.idx()]
    );
    let limit = held_back(op.limit, &names);
    if view.digests().is_empty() {
        let _ = writeln!(out, "  condition {}; output {NOT_YET}", pct(condition));
    } else {
        let _ = writeln!(out, "  condition {}, output {}{}", pct(condition), pct(op.level), limit);
    }
    if let Some(g) = ground {
        let _ = writeln!(
            out,
            "  explosive hazards at the site {}, security {}",
            pct(site.contamination.unwrap_or(g.contamination)),
            pct(site.security.unwrap_or(g.security))
        );
    }
    let crews: Vec<(u32, Assignment)> = view
        .crews()
        .iter()
        .filter(|c| !c.lost && c.assignment.target == Some(Target::Asset(x)))
        .map(|c| (c.crew.ix, *c.assignment))
        .collect();
    if crews.is_empty() {
        let _ = writeln!(out, "  no crew at work on it");
    }
    for (ix, a) in crews {
        let (_, state) = crew_state(&a, false, day, &names);
        let _ = writeln!(out, "  {:<28} {state}", names.crews[ix as usize]);
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
        .map(|x| (*x.ground, x.housing.damage));
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
        let _ = writeln!(
            out,
            "  asset {} ({}): condition {}, {}",
            names.assets[ix.idx()],
            names.agencies[agency.idx()],
            pct(condition),
            if simulated {
                format!("output {}{limit}", pct(op.level))
            } else {
                "output not known yet".to_string()
            }
        );
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
    let _ = writeln!(
        out,
        "{} ({}): {}, strategy {}",
        names.agencies[i],
        names.agency_names[i],
        if humans[i] {
            "played by a person"
        } else {
            "follows its strategy"
        },
        book.followed[i]
    );
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
    let crews: Vec<(u32, crate::scenario::Mandate, Assignment, bool)> = view
        .crews()
        .iter()
        .filter(|c| c.crew.agency == a)
        .map(|c| (c.crew.ix, c.crew.kind, *c.assignment, c.lost))
        .collect();
    let _ = writeln!(out, "  crews:");
    for (ix, kind, asg, lost) in crews {
        let (_, state) = crew_state(&asg, lost, day, &names);
        let _ = writeln!(out, "    {:<28} {:<16} {state}", names.crews[ix as usize], work(kind));
    }
    let mine: Vec<&Request> = requests
        .list
        .iter()
        .filter(|r| (r.from == a || r.to == a) && r.stands())
        .collect();
    if !mine.is_empty() {
        let _ = writeln!(out, "  open requests:");
        for r in mine {
            let _ = writeln!(out, "    {}", request_line(r, &names, &humans, day));
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
