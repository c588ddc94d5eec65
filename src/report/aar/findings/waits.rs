//! Waits on another agency: the largest waits of facilities for another
//! agency's service as areas for improvement, and what would have
//! shortened any wait (`remedy`, which the crews' waits in `losses.rs` use
//! too): a direct contact, using the link there was, the contact earlier,
//! standing priorities, or priority in the joint plan.

use super::Found;

/// Waits listed, largest first: the costliest few are what a debrief can
/// act on, and the JSON and the ledger's table list the rest.
const WAITS_LISTED: usize = 3;

/// Days below which a wait is too short to be worth a finding: less than a
/// day is the ordinary turnaround of any channel.
const MIN_WAIT_DAYS: f64 = 1.0;

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

/// The largest waits of facilities on another agency's service, as areas
/// for improvement. They are counted in asset-days, not crew-days, so they
/// come after the ranked losses of crew time (`losses.rs`), which include
/// the crews' own waits.
pub(super) fn judge(found: &mut Found) {
    let r = found.inputs.report;
    let waits = r
        .cooperation
        .waiting
        .iter()
        .filter(|w| w.asset.is_some() && w.days >= MIN_WAIT_DAYS);
    for w in waits.take(WAITS_LISTED) {
        let (a, b) = (&w.agency, &w.on);
        let asset = w.asset.as_deref().unwrap_or_default();
        let title = format!(
            "{a}'s {asset} stood idle waiting for {b} to restore its {} supply",
            w.ask
        );
        // `unit` is plural (`crew-days`, `asset-days`).
        let figure = format!(
            "{} lost, asked through the {} channel",
            crate::report::text::amount(w.days, w.unit.trim_end_matches('s'), &w.unit),
            w.channel
        );
        let action = remedy(found, a, b, &w.ask, &w.channel);
        found.area(title, figure, action, format!("{a} and {b}"));
    }
}

/// What would have shortened a wait of `a` on `b` for `ask` through
/// `channel`: a direct contact, using the link there was, the contact
/// earlier, standing priorities, or priority in the joint plan.
pub(super) fn remedy(found: &Found, a: &str, b: &str, ask: &str, channel: &str) -> String {
    let inputs = found.inputs;
    let r = inputs.report;
    // The switches of an agency's strategy on day 0.
    let strategy_of = |agency: &str| {
        let s = inputs.scenario;
        let i = s.agencies.iter().position(|x| x.id == agency)?;
        s.strategy_params(s.strategy_of(i))
    };
    let linked = r
        .liaison_links
        .iter()
        .any(|l| (l[0] == a && l[1] == b) || (l[0] == b && l[1] == a));
    let silo = strategy_of(a).is_some_and(|x| !x.shares_over_links && !x.in_cell);
    match (channel, linked, silo) {
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
            ask_words(ask)
        ),
        _ => format!(
            "Give {b}'s {} for {a} priority in the cell's joint plan.",
            ask_words(ask)
        ),
    }
}
