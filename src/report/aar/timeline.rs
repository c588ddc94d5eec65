//! The timeline of injects and key decisions: scripted and manual injects,
//! strategy changes and other inputs, liaison links and officers, return
//! milestones and crews lost, by day.

use super::Inputs;
use crate::record::Input;

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    pub day: u32,
    /// `inject`, `manual inject`, `decision`, `link`, `milestone`, `loss`.
    pub kind: &'static str,
    pub text: String,
}

/// Injects, inputs, liaison links and officers, and return milestones, by
/// day.
pub fn timeline(inputs: &Inputs) -> Vec<Event> {
    let mut out = Vec::new();
    for i in &inputs.report.injects {
        out.push(Event {
            day: i.day,
            kind: "inject",
            text: format!("{}: {}", i.id, i.message),
        });
    }
    // What was taken back with `undo` in a play journal is not shown.
    let effective = crate::record::effective(&inputs.recording.inputs).unwrap_or_default();
    for input in &effective {
        let (kind, text) = match input {
            Input::Inject { effect, .. } => ("manual inject", effect.clone()),
            Input::Strategy { agency, strategy, .. } => (
                "decision",
                format!(
                    "{} now follows the {strategy} strategy",
                    agency.as_deref().unwrap_or("every agency")
                ),
            ),
            Input::Later { .. } => ("manual inject", crate::record::describe(input)),
            Input::Human { .. } => ("player", crate::record::describe(input)),
            _ => ("decision", crate::record::describe(input)),
        };
        out.push(Event {
            day: input.day(),
            kind,
            text,
        });
    }
    // Links that started or ended on the same day make one line each.
    let mut links: std::collections::BTreeMap<(u32, bool), Vec<String>> = std::collections::BTreeMap::new();
    for (day, a, b, formed) in &inputs.trace.link_events {
        links.entry((*day, *formed)).or_default().push(format!("{a} – {b}"));
    }
    for ((day, formed), pairs) in links {
        let what = match (day, formed, pairs.len()) {
            (0, true, 1) => "liaison link in place from the start:",
            (0, true, _) => "liaison links in place from the start:",
            (_, true, 1) => "liaison link working:",
            (_, true, _) => "liaison links working:",
            (_, false, 1) => "liaison link lost:",
            (_, false, _) => "liaison links lost:",
        };
        out.push(Event {
            day,
            kind: "link",
            text: format!("{what} {}", pairs.join(", ")),
        });
    }
    for (day, by, with) in &inputs.trace.officer_events {
        let text = format!("{by} posts a liaison officer with {with}");
        // A player's `liaison` order is already listed as its input.
        if out.iter().any(|e| e.day == *day && e.text == text) {
            continue;
        }
        out.push(Event {
            day: *day,
            kind: "decision",
            text,
        });
    }
    let shares = &inputs.evidence.returned_share;
    for (threshold, words) in [(0.25, "a quarter"), (0.5, "half"), (0.75, "three quarters")] {
        if let Some(d) = shares.iter().position(|&s| s >= threshold) {
            out.push(Event {
                day: d as u32,
                kind: "milestone",
                text: format!("{words} of the people displaced on day 0 are home"),
            });
        }
    }
    let mut lost = 0;
    for row in &inputs.recording.days {
        if row.crews_lost > lost {
            out.push(Event {
                day: row.day,
                kind: "loss",
                text: format!(
                    "{} lost ({} so far)",
                    crate::report::text::count((row.crews_lost - lost).into(), "crew", "crews"),
                    row.crews_lost
                ),
            });
            lost = row.crews_lost;
        }
    }
    out.sort();
    out
}

/// The agencies human players controlled: those a `cimsim play` journal
/// hands to a person (`Input::Human`), in journal order.
pub fn human_agencies(inputs: &[Input]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for input in inputs {
        if let Input::Human { agency, .. } = input
            && !out.contains(agency)
        {
            out.push(agency.clone());
        }
    }
    out
}
