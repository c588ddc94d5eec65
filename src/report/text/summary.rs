//! The readable summary `cimsim run` prints: services over time, the
//! resilience loss, returns and harm, places, crews and assets on the last
//! day, the injects, then the cooperation part.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use super::{amount, big, cooperation_text, count, pct};
use crate::report::RunReport;
use crate::scenario::Service;
use crate::sim::ledger::Outcomes;

/// The readable summary printed by `cimsim run`.
pub fn summary_text(report: &RunReport, outcomes: &Outcomes) -> String {
    let mut out = String::new();
    header(&mut out, report);
    services_over_time(&mut out, outcomes);
    resilience_loss(&mut out, report);
    returns_and_harm(&mut out, report);
    places(&mut out, report);
    held_back(&mut out, report);
    crews(&mut out, report);
    assets(&mut out, report);
    injects(&mut out, report);
    out.push_str(&cooperation_text(report));
    out.push_str(&format!("final digest {}  seed {}\n", report.final_digest, report.seed));
    out
}

/// The scenario, the run's size and its seed.
fn header(out: &mut String, report: &RunReport) {
    let sc = &report.scenario;
    out.push_str(&format!(
        "{} — {}\nday 0 = {}, {}, seed {}, strategy {}, {} in {}{}\n\n",
        sc.name,
        sc.title,
        sc.start_date,
        count(report.days.into(), "day", "days"),
        report.seed,
        report.strategy,
        count(report.population.people, "person", "people"),
        count(
            report.population.household_entities,
            "household entity",
            "household entities"
        ),
        if report.families_per_entity > 1 {
            format!(" ({} families each)", report.families_per_entity)
        } else {
            String::new()
        }
    ));
}

/// Services, displacement, returns and illness on selected days.
fn services_over_time(out: &mut String, outcomes: &Outcomes) {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    let mut header = vec!["day".to_string()];
    header.extend(Service::ALL.iter().map(|s| s.name().to_string()));
    header.extend(["displaced".to_string(), "returned".to_string(), "ill".to_string()]);
    t.set_header(header);
    let n = outcomes.days.len();
    let mut days: Vec<usize> = [0usize, 7, 30, 60, 90, 120, 180, 270, 365, 540, 730]
        .into_iter()
        .filter(|&d| d < n)
        .collect();
    if n > 0 && days.last() != Some(&(n - 1)) {
        days.push(n - 1);
    }
    for d in days {
        let s = &outcomes.days[d];
        let mut row = vec![s.day.to_string()];
        row.extend(s.services.iter().map(|q| pct(*q)));
        row.extend([
            big(s.people_displaced as f64),
            pct(s.returned_share),
            big(s.disease_active),
        ]);
        t.add_row(row);
    }
    out.push_str("Services over time (share of need met, people-weighted over every place)\n");
    out.push_str(&format!("{t}\n\n"));
}

/// The resilience loss by component and its weighted total.
fn resilience_loss(out: &mut String, report: &RunReport) {
    let rl = &report.resilience_loss;
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(["resilience loss", "person-days"]);
    for (k, v) in [
        ("food", rl.food),
        ("water", rl.water),
        ("electricity", rl.electricity),
        ("sanitation", rl.sanitation),
        ("health", rl.health),
        ("displacement", rl.displacement),
        ("shelter", rl.shelter),
        ("total (weighted)", rl.total),
    ] {
        t.add_row([k.to_string(), big(v)]);
    }
    out.push_str(&format!("{t}\n\n"));
}

/// Returns and harm, in two sentences.
fn returns_and_harm(out: &mut String, report: &RunReport) {
    let r = &report.returns;
    let displaced = r.initially_displaced_people;
    let home = if displaced == 0 {
        "nobody was displaced on day 0".to_string()
    } else {
        let home = big(r.returned_share * displaced as f64);
        format!(
            "{home} of {} displaced on day 0 {} home ({}); {}",
            count(displaced, "person", "people"),
            if home == "1" { "is" } else { "are" },
            pct(r.returned_share),
            r.days_to_half_returned
                .map_or("never half home within the run".to_string(), |d| {
                    format!("half home on day {d}")
                }),
        )
    };
    out.push_str(&format!(
        "Returns: {home}; {} went home, {} left again.\n",
        count(r.households_returned, "household", "households"),
        big(r.households_left_again as f64),
    ));
    let h = &report.harm;
    out.push_str(&format!(
        "Harm: {} below survival minimums, {} lost, {}.\n\n",
        amount(h.survival_person_days, "person-day", "person-days"),
        count(h.crew_casualties.into(), "crew", "crews"),
        amount(h.disease_cases, "disease case", "disease cases")
    ));
}

/// Each district and camp on the last day.
fn places(out: &mut String, report: &RunReport) {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "place",
        "people",
        "displaced from",
        "hazards",
        "security",
        "homes damaged",
        "food",
        "water",
        "power",
        "sanitation",
        "health",
        "index",
    ]);
    let opt = |x: Option<f64>| x.map_or("—".to_string(), pct);
    for p in &report.districts {
        let s = &p.services;
        t.add_row([
            format!("{} ({})", p.name, p.id),
            big(p.people as f64),
            if p.kind == "camp" {
                "camp".to_string()
            } else {
                big(p.displaced_from as f64)
            },
            opt(p.contamination),
            opt(p.security),
            opt(p.housing_damage),
            pct(s.food),
            pct(s.water),
            pct(s.electricity),
            pct(s.sanitation),
            pct(s.health),
            pct(p.index),
        ]);
    }
    out.push_str("Places on the last day\n");
    out.push_str(&format!("{t}\n\n"));
}

/// What holds each district's displaced people back on the last day, for
/// districts that still have people away, and when closed districts were
/// authorised.
fn held_back(out: &mut String, report: &RunReport) {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "district",
        "displaced",
        "not authorised",
        "no dwelling",
        "may return",
        "weighs most for those who may",
        "returns",
    ]);
    let mut rows = 0;
    for p in report.districts.iter().filter(|p| p.kind == "district") {
        let Some(h) = &p.held_back else { continue };
        let authorised = match (&p.authorised, p.closed) {
            (Some(a), _) => format!("authorised day {} by {}", a.day, a.by),
            (None, Some(true)) => "closed".to_string(),
            _ => "open".to_string(),
        };
        if p.displaced_from == 0 && p.authorised.is_none() {
            continue;
        }
        rows += 1;
        t.add_row([
            format!("{} ({})", p.name, p.id),
            big(p.displaced_from as f64),
            big(h.not_authorised as f64),
            big(h.no_dwelling as f64),
            big(h.may_return as f64),
            if h.may_return > 0 {
                h.weighs_most.clone().unwrap_or_else(|| "—".to_string())
            } else {
                "—".to_string()
            },
            authorised,
        ]);
    }
    if rows > 0 {
        out.push_str("What holds the displaced back on the last day (people, by the first obstacle)\n");
        out.push_str(&format!("{t}\n\n"));
    }
}

/// Crew-days by agency, for agencies that had crews or worked.
fn crews(out: &mut String, report: &RunReport) {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "agency",
        "crews",
        "worked",
        "idle",
        "blocked",
        "blocked on",
        "tasks done",
        "spent US$",
    ]);
    for a in &report.crews {
        if a.crews == 0 && a.crew_days_worked == 0.0 {
            continue;
        }
        let on = a
            .blocked_by
            .iter()
            .map(|(k, v)| format!("{k} {}", big(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        t.add_row([
            a.agency.clone(),
            a.crews.to_string(),
            big(a.crew_days_worked),
            big(a.crew_days_idle),
            big(a.crew_days_blocked),
            on,
            a.tasks_completed.to_string(),
            big(a.spent_usd),
        ]);
    }
    out.push_str("Crew-days by agency\n");
    out.push_str(&format!("{t}\n\n"));
}

/// Each asset on the last day.
fn assets(out: &mut String, report: &RunReport) {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(["asset", "kind", "agency", "condition", "output", "held back by"]);
    for a in &report.assets {
        t.add_row([
            format!("{} ({})", a.name, a.asset),
            a.kind.clone(),
            a.agency.clone(),
            pct(a.condition),
            pct(a.level),
            a.limited_by.clone().unwrap_or_default(),
        ]);
    }
    out.push_str("Assets on the last day\n");
    out.push_str(&format!("{t}\n\n"));
}

/// The injects applied, by day; nothing when none was.
fn injects(out: &mut String, report: &RunReport) {
    if !report.injects.is_empty() {
        out.push_str("Injects\n");
        for i in &report.injects {
            out.push_str(&format!("  day {:>4}  {}: {}\n", i.day, i.id, i.message));
        }
        out.push('\n');
    }
}
