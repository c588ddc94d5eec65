//! The cooperation part of the summary: the score against the references,
//! the ledger's totals, and the costliest failures of cooperation in words.

use super::{amount, big, count, day_span};
use crate::report::RunReport;
use crate::report::document::References;

/// The cooperation part of the summary: the score against the references,
/// the ledger's totals, and the costliest failures of cooperation in words.
pub fn cooperation_text(report: &RunReport) -> String {
    let c = &report.cooperation;
    let mut out = String::from("Cooperation\n");
    match (&report.references, c.coordination_efficiency) {
        (Some(r), e) => {
            out.push_str(&format!(
                "  resilience loss: this run {}, all-silo {}, all-central {}; coordination efficiency {}\n",
                big(report.resilience_loss.total),
                big(r.silo.resilience_loss.total),
                big(r.central.resilience_loss.total),
                e.map_or_else(|| efficiency_undefined(r), |e| format!("{e:.2}")),
            ));
        }
        (None, _) => out.push_str("  no references (--no-score): coordination efficiency not computed\n"),
    }
    for ch in &c.requests {
        if ch.made == 0 {
            continue;
        }
        let timing = match (ch.mean_days_to_answer, ch.mean_days_to_fulfil) {
            (Some(answer), Some(met)) => format!("answered in {answer:.1} days, need met in {met:.1} days on average"),
            (Some(answer), None) => format!("answered in {answer:.1} days on average, no need met"),
            (None, _) => "none answered".to_string(),
        };
        out.push_str(&format!(
            "  {} requests: {} made, {} accepted, {} refused, {} unanswered; {timing}\n",
            ch.channel, ch.made, ch.accepted, ch.refused, ch.unanswered,
        ));
    }
    out.push_str(&format!(
        "  crews hurt on unknown hazards {}, crew-days lost to injury {}, repairs without inputs {}, duplicated deliveries {}, staff time in the cell {}, liaison officers posted {} ({})\n",
        c.crew_injuries,
        big(c.injured_crew_days),
        big(c.wasted_crew_days),
        big(c.duplicated_crew_days),
        big(c.staff_crew_days),
        c.liaison_officers,
        amount(c.officer_crew_days, "crew-day", "crew-days"),
    ));
    out.push_str(&format!(
        "  network: {}, {}, density {:.2}, reciprocity {:.2}, fragmentation {:.2}\n",
        count(c.network.agencies.into(), "agency", "agencies"),
        count(c.network.edges.into(), "tie", "ties"),
        c.network.density,
        c.network.reciprocity,
        c.network.fragmentation
    ));
    // Over one period, the line would repeat the network's own figures.
    if let [first, .., last] = c.network_over_time.as_slice() {
        let peak = c.network_over_time.iter().max_by(|a, b| {
            a.network
                .density
                .total_cmp(&b.network.density)
                .then(b.from_day.cmp(&a.from_day))
        });
        out.push_str(&format!(
            "  network over time: density {:.2} in {}, {:.2} in {}{}\n",
            first.network.density,
            day_span(first.from_day, first.to_day, "–"),
            last.network.density,
            day_span(last.from_day, last.to_day, "–"),
            peak.map_or(String::new(), |p| format!(
                " (highest {:.2} in {})",
                p.network.density,
                day_span(p.from_day, p.to_day, "–")
            )),
        ));
    }
    for a in &c.attribution {
        out.push_str(&format!(
            "  if {} alone worked in silo: resilience loss {} ({}{})\n",
            a.agency,
            big(a.resilience_loss_if_silo),
            if a.change >= 0.0 { "+" } else { "" },
            big(a.change)
        ));
    }
    for line in missed_opportunities(report) {
        out.push_str(&format!("  - {line}\n"));
    }
    out.push('\n');
    out
}

/// The costliest failures, in words: the three largest waits on another
/// agency in the ledger, each with the channel it was asked through.
pub fn missed_opportunities(report: &RunReport) -> Vec<String> {
    let c = &report.cooperation;
    let mut lines = Vec::new();
    let linked = |a: &str, b: &str| {
        report
            .liaison_links
            .iter()
            .any(|l| (l[0] == a && l[1] == b) || (l[0] == b && l[1] == a))
    };
    for w in c.waiting.iter().take(3) {
        let (a, b) = (&w.agency, &w.on);
        let what = match (w.ask.as_str(), &w.asset) {
            (_, Some(asset)) => format!(
                "{a}'s {asset} stood idle {} waiting for {b} to restore its {}",
                amount(w.days, "day", "days"),
                w.ask
            ),
            ("fuel", None) => format!(
                "{a}'s crews stood dry {} waiting for fuel from {b}",
                amount(w.days, "crew-day", "crew-days")
            ),
            (ask, None) => format!(
                "{a}'s crews stood idle {} waiting for {b} to {} their ground",
                amount(w.days, "crew-day", "crew-days"),
                if ask == "escort" { "secure" } else { "clear" }
            ),
        };
        let why = match (w.channel.as_str(), linked(a, b), report.strategy.as_str()) {
            ("formal", true, "silo") => "asked through headquarters: silo agencies do not use their liaison link",
            ("formal", true, _) => "asked through headquarters before a liaison link came",
            ("formal", false, _) => "asked through headquarters: no liaison link between them",
            ("liaison", _, _) => "asked over their liaison link",
            _ => "asked in the coordination cell",
        };
        lines.push(format!("{what}; {why}"));
    }
    lines
}

/// "undefined: why" for a run whose efficiency against `refs` is undefined.
pub fn efficiency_undefined(refs: &References) -> String {
    let why = crate::score::undefined_because(refs.silo.resilience_loss.total, refs.central.resilience_loss.total);
    format!("undefined: {}", why.unwrap_or_else(|| "no references".to_string()))
}
