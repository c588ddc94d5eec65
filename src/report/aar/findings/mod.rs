//! Strengths, areas for improvement and their corrective actions, drawn from
//! the cooperation ledger and the capability ratings by the fixed rules of
//! docs/report.md. Pure functions, no IO.

use super::{Inputs, RatedCapability, Rating};
use crate::report::text::{big, pct};

/// A strength or an area for improvement: what, the figure behind it, and
/// (for an area for improvement) the corrective action suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub title: String,
    pub figure: String,
    pub action: Option<String>,
    /// Who the corrective action falls to, for the improvement plan.
    pub owner: Option<String>,
}

/// Names who the last area for improvement's corrective action falls to.
fn set_owner(areas: &mut [Finding], owner: String) {
    if let Some(f) = areas.last_mut() {
        f.owner = Some(owner);
    }
}

/// The text with its first letter upper-case.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What was asked, in words: `clearance`, `escorts`, `fuel deliveries`, or
/// a service's supply.
fn ask_words(ask: &str) -> String {
    match ask {
        "clearance" => "clearance".to_string(),
        "escort" => "escorts".to_string(),
        "fuel" => "fuel deliveries".to_string(),
        service => format!("{service} supply"),
    }
}

/// Agencies with crews that neither asked nor were asked anything and
/// neither gave nor received a picture: the isolated nodes of the network
/// (an agency without crews, such as the advisers, is not expected to ask).
fn isolated(inputs: &Inputs) -> Vec<String> {
    let ev = inputs.evidence;
    let with_crews = |a: &str| {
        inputs
            .report
            .crews
            .iter()
            .any(|c| c.agency == a && (c.crews > 0 || c.crew_days_worked > 0.0))
    };
    ev.agencies
        .iter()
        .enumerate()
        .filter(|(_, a)| with_crews(a))
        .filter(|(i, a)| {
            let asked = ev.requests.iter().any(|r| &r.from == *a || &r.to == *a);
            let shared = ev.shares.get(*i).is_some_and(|row| row.iter().any(|&k| k > 0))
                || ev.shares.iter().any(|row| row.get(*i).is_some_and(|&k| k > 0));
            !asked && !shared
        })
        .map(|(_, a)| a.clone())
        .collect()
}

/// Crew-days below which a waste, a duplication or a block is noise, not a
/// finding.
const NOTABLE_CREW_DAYS: f64 = 10.0;

/// Share of an agency's crew-days (worked and blocked) above which its
/// blocked crew-days are an area for improvement.
const BLOCKED_SHARE: f64 = 0.05;

/// Strengths and areas for improvement drawn from the cooperation ledger by
/// the rules of docs/report.md, in that order.
pub fn findings(inputs: &Inputs, capabilities: &[RatedCapability]) -> (Vec<Finding>, Vec<Finding>) {
    let r = inputs.report;
    let c = &r.cooperation;
    let mut strengths = Vec::new();
    let mut areas = Vec::new();
    // Titles and actions are sentences, even when they start with an id.
    let finding = |title: String, figure: String, action: Option<String>| Finding {
        title: sentence(&title),
        figure,
        action: action.as_deref().map(sentence),
        owner: None,
    };
    // Who the corrective actions fall to, in words.
    let s = inputs.scenario;
    let everyone = if s.agencies.iter().any(|a| a.id == "advisers") {
        "all ministries, convened by the advisers".to_string()
    } else {
        "all agencies".to_string()
    };
    let with_mandate = |m: crate::scenario::Mandate| -> Vec<String> {
        s.agencies
            .iter()
            .filter(|a| a.mandates.contains(&m))
            .map(|a| a.id.clone())
            .collect()
    };

    // Whether any agency planned with the cell on day 0.
    let planned_jointly = {
        let s = inputs.scenario;
        (0..s.agencies.len()).any(|i| s.strategy_params(s.strategy_of(i)).is_some_and(|p| p.joint_plan))
    };
    if let (Some(e), Some(refs)) = (c.coordination_efficiency, &r.references) {
        let figure = format!(
            "resilience loss {} person-days against {} all-silo and {} all-central: coordination efficiency {e:.2}",
            big(r.resilience_loss.total),
            big(refs.silo.resilience_loss.total),
            big(refs.central.resilience_loss.total)
        );
        // A strength only when the run also beat working alone (implied by
        // a positive gap, stated so it holds whatever the formula becomes).
        if e >= 0.5 && r.resilience_loss.total < refs.silo.resilience_loss.total {
            strengths.push(finding(
                format!(
                    "The agencies closed {} of the gap between working alone and one good planner",
                    pct(e)
                ),
                figure,
                None,
            ));
        } else if e < 0.25 {
            areas.push(finding(
                format!("The agencies closed only {} of the gap between working alone and one good planner", pct(e.max(0.0))),
                figure,
                Some(if planned_jointly {
                    format!(
                        "The cell already plans jointly: review the order of its joint plan (repairs that unblock others first) and its staff time ({} crew-days), and bring in the ministries still outside it.",
                        big(c.staff_crew_days)
                    )
                } else {
                    "Stand up a joint coordination cell with a common picture and a daily joint plan ordered by dependencies; rehearse it in the next workshop."
                        .to_string()
                }),
            ));
            set_owner(&mut areas, everyone.clone());
        }
    }
    for ch in &c.requests {
        if ch.made == 0 {
            continue;
        }
        let accept = f64::from(ch.accepted) / f64::from(ch.made);
        let answer = ch.mean_days_to_answer.unwrap_or(f64::INFINITY);
        let figure = format!(
            "{} {} requests: {} accepted, {} refused, {} unanswered; answered in {} days on average",
            ch.made,
            ch.channel,
            ch.accepted,
            ch.refused,
            ch.unanswered,
            ch.mean_days_to_answer.map_or("—".to_string(), |d| format!("{d:.1}"))
        );
        if accept >= 0.8 && answer <= 2.0 {
            strengths.push(finding(
                format!(
                    "Requests through the {} channel were answered fast and honoured",
                    ch.channel
                ),
                figure,
                None,
            ));
        } else if ch.channel == "formal" && (accept < 0.7 || answer > 5.0) {
            areas.push(finding(
                format!(
                    "Formal requests through headquarters were slow or refused ({} accepted)",
                    pct(accept)
                ),
                figure,
                Some(
                    "Agree standing arrangements between ministries (who clears, escorts and fuels whom, within how many days) so crews do not wait on headquarters."
                        .to_string(),
                ),
            ));
            set_owner(&mut areas, "the ministries' headquarters".to_string());
        }
    }
    // The switches of an agency's strategy on day 0.
    let strategy_of = |agency: &str| {
        let s = inputs.scenario;
        let i = s.agencies.iter().position(|x| x.id == agency)?;
        s.strategy_params(s.strategy_of(i))
    };
    let linked = |a: &str, b: &str| {
        r.liaison_links
            .iter()
            .any(|l| (l[0] == a && l[1] == b) || (l[0] == b && l[1] == a))
    };
    for w in c.waiting.iter().filter(|w| w.days >= 1.0).take(3) {
        let (a, b) = (&w.agency, &w.on);
        let title = match (&w.asset, w.ask.as_str()) {
            (Some(asset), ask) => format!("{a}'s {asset} stood idle waiting for {b} to restore its {ask} supply"),
            (None, "fuel") => format!("{a}'s crews waited for fuel from {b}"),
            (None, "escort") => format!("{a}'s crews waited for {b} to secure their work sites"),
            (None, _) => format!("{a}'s crews waited for {b} to clear explosive hazards"),
        };
        let figure = format!(
            "{} {} lost, asked through the {} channel",
            big(w.days),
            w.unit,
            w.channel
        );
        let silo = strategy_of(a).is_some_and(|x| !x.shares_over_links && !x.in_cell);
        let action = match (w.channel.as_str(), linked(a, b), silo) {
            ("formal", false, _) => format!(
                "Give {a} and {b} a direct contact: post a liaison officer between them, or bring both to a workshop convened by the advisers."
            ),
            ("formal", true, true) => format!(
                "{a} and {b} had a liaison link, but {a} worked in silo and asked through headquarters: agree that requests between them go over the link and are answered within a day."
            ),
            ("formal", true, false) => format!(
                "The liaison link between {a} and {b} came after these requests: give them the contact before operations start (an early workshop, or an officer posted on day 0)."
            ),
            ("liaison", _, _) => format!(
                "Agree standing priorities between {a} and {b} for {} so that accepted requests are met sooner.",
                ask_words(&w.ask)
            ),
            _ => format!(
                "Give {b}'s {} for {a} priority in the cell's joint plan.",
                ask_words(&w.ask)
            ),
        };
        areas.push(finding(title, figure, Some(action)));
        set_owner(&mut areas, format!("{a} and {b}"));
    }
    if c.crew_injuries > 0 {
        areas.push(finding(
            "Crews were hurt on explosive hazards their agency did not know of".to_string(),
            format!(
                "{} crews hurt, {} crew-days lost to injury",
                c.crew_injuries,
                big(c.injured_crew_days)
            ),
            Some(
                "Share hazard and clearance maps daily (Defence and Counter-Terrorism Service with every agency sending crews) over liaison links or in the cell."
                    .to_string(),
            ),
        ));
        let clearing = with_mandate(crate::scenario::Mandate::Clear);
        set_owner(
            &mut areas,
            if clearing.is_empty() {
                everyone.clone()
            } else {
                format!("{} with every agency sending crews", and_list(&clearing))
            },
        );
    } else if c.picture_shares > 0 {
        strengths.push(finding(
            "No crew was hurt on an unknown hazard".to_string(),
            format!(
                "{} pictures shared between agencies (giver-receiver pair-days)",
                big(f64::from(c.picture_shares))
            ),
            None,
        ));
    }
    if c.wasted_crew_days >= NOTABLE_CREW_DAYS {
        areas.push(finding(
            "Repairs went ahead while their inputs were missing".to_string(),
            format!("{} repair crew-days on assets without power, water or fuel", big(c.wasted_crew_days)),
            Some(
                "Sequence repairs by dependency: power before pumps, pumps before hospitals; share repair plans so each ministry knows when its inputs come."
                    .to_string(),
            ),
        ));
        set_owner(&mut areas, and_list(&with_mandate(crate::scenario::Mandate::Repair)));
    }
    if c.duplicated_crew_days >= NOTABLE_CREW_DAYS {
        areas.push(finding(
            "Deliveries were duplicated while other districts went without".to_string(),
            format!(
                "{} delivery crew-days to districts already served",
                big(c.duplicated_crew_days)
            ),
            Some("Deconflict distributions: share daily delivery plans by district before crews leave.".to_string()),
        ));
        set_owner(&mut areas, everyone.clone());
    } else if c.requests.iter().any(|ch| ch.made > 0) && c.duplicated_crew_days == 0.0 {
        strengths.push(finding(
            "No delivery was duplicated".to_string(),
            "0 duplicated delivery crew-days".to_string(),
            None,
        ));
    }
    // The agency whose crews were kept from work the most, when that is a
    // notable share of its work.
    if let Some(a) = r
        .crews
        .iter()
        .filter(|a| a.crew_days_blocked >= NOTABLE_CREW_DAYS)
        .filter(|a| a.crew_days_blocked >= BLOCKED_SHARE * (a.crew_days_worked + a.crew_days_blocked))
        .max_by(|x, y| x.crew_days_blocked.total_cmp(&y.crew_days_blocked))
    {
        let (reason, days) = a
            .blocked_by
            .iter()
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .cloned()
            .unwrap_or_default();
        let action = match reason.as_str() {
            "budget" => format!(
                "Secure {}'s operating budget before the next phase (a pre-approved emergency allocation), so a budget freeze does not idle its crews.",
                a.agency
            ),
            "explosive_hazards" => format!(
                "Plan clearance ahead of {}'s work: ask Defence and the Counter-Terrorism Service to clear its sites first, through a liaison link or the joint plan.",
                a.agency
            ),
            "insecurity" => format!(
                "Arrange escorts for {}'s crews with Interior and Defence before they are sent out.",
                a.agency
            ),
            "stocks" => format!(
                "Agree fuel and supply deliveries to {} with Oil in advance, so its crews do not run dry.",
                a.agency
            ),
            _ => format!(
                "Review with {} why its crews were suspended and how work can resume sooner.",
                a.agency
            ),
        };
        areas.push(finding(
            format!(
                "{}'s crews were kept from work, mostly by {}",
                a.agency,
                reason.replace('_', " ")
            ),
            format!(
                "{} crew-days blocked ({} of them by {}) against {} worked",
                big(a.crew_days_blocked),
                big(days),
                reason.replace('_', " "),
                big(a.crew_days_worked)
            ),
            Some(action),
        ));
        set_owner(&mut areas, a.agency.clone());
    }
    if c.liaison_officers > 0 {
        strengths.push(finding(
            "Ministries posted liaison officers where they kept waiting".to_string(),
            format!(
                "{} officers posted, costing {} crew-days of work",
                c.liaison_officers,
                big(c.officer_crew_days)
            ),
            None,
        ));
    }
    let n = &c.network;
    let alone = isolated(inputs);
    if n.fragmentation > 0.0 && !alone.is_empty() {
        areas.push(finding(
            format!("{} never dealt with another agency", and_list(&alone)),
            format!(
                "no request made or received and no picture shared; {} of agency pairs had no tie, direct or indirect (density {:.2})",
                pct(n.fragmentation),
                n.density
            ),
            Some(format!(
                "Include {} in the next workshop so that {} a working contact with the ministries {} on.",
                and_list(&alone),
                if alone.len() == 1 { "it has" } else { "each has" },
                if alone.len() == 1 { "it depends" } else { "they depend" }
            )),
        ));
        let owner = if s.agencies.iter().any(|a| a.id == "advisers") {
            format!("the advisers with {}", and_list(&alone))
        } else {
            and_list(&alone)
        };
        set_owner(&mut areas, owner);
    }
    if n.edges > 0 && n.reciprocity >= 0.5 {
        strengths.push(finding(
            "Cooperation ran both ways".to_string(),
            format!("{} of ties were reciprocated ({} ties)", pct(n.reciprocity), n.edges),
            None,
        ));
    }
    for cap in capabilities {
        match cap.rating {
            Rating::Performed => strengths.push(finding(
                format!("Capability met: {}", cap.name),
                cap.run.evidence.clone(),
                None,
            )),
            Rating::MajorChallenges | Rating::Unable => {
                let central = &cap.references[1];
                let action = if central.1 < cap.rating {
                    format!(
                        "Make this target an objective of the joint plan: with one planner and full information it was rated {} ({}).",
                        central.1.label(),
                        central.0.evidence
                    )
                } else {
                    "Even one planner with full information fell short: review the resources and the target with the ministries concerned."
                        .to_string()
                };
                areas.push(finding(
                    format!("Capability {}: {}", cap.rating.label(), cap.name),
                    cap.run.evidence.clone(),
                    Some(action),
                ));
                set_owner(&mut areas, everyone.clone());
            }
            _ => {}
        }
    }
    (strengths, areas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        let l = |v: &[&str]| and_list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&[]), "");
        assert_eq!(l(&["oil"]), "oil");
        assert_eq!(l(&["oil", "cts"]), "oil and cts");
        assert_eq!(l(&["oil", "interior", "cts"]), "oil, interior and cts");
    }
}
