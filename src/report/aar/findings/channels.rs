//! Each request channel as a finding: a channel that answered fast and
//! honoured most requests is a strength; a slow or refusing headquarters
//! (the formal channel) is an area for improvement.

use super::Found;
use crate::report::text::pct;

/// Share of requests accepted from which a channel is a strength. A
/// liaison link at the model's defaults honours 90 % (`liaison_honour`),
/// which passes with room for chance; the formal channel's 50 %
/// (`formal_honour`) does not.
const FAST_ACCEPTED: f64 = 0.8;

/// Mean days to answer up to which a channel is a strength: a liaison link
/// answers in 1 day at the defaults (`liaison_days`), and one day more
/// allows for requests answered late; headquarters' 10 days
/// (`formal_days`) never pass.
const FAST_ANSWER_DAYS: f64 = 2.0;

/// Share accepted below which the formal channel is an area for
/// improvement: at the defaults (50 %) it is; headquarters that honour
/// most requests are not blamed.
const SLOW_FORMAL_ACCEPTED: f64 = 0.7;

/// Mean days to answer above which the formal channel is an area for
/// improvement: half of the default 10 days, so headquarters at the
/// defaults are, and headquarters that answer within a working week are
/// not.
const SLOW_FORMAL_ANSWER_DAYS: f64 = 5.0;

pub(super) fn judge(found: &mut Found) {
    let c = &found.inputs.report.cooperation;
    for ch in &c.requests {
        if ch.made == 0 {
            continue;
        }
        let accept = f64::from(ch.accepted) / f64::from(ch.made);
        let answer = ch.mean_days_to_answer.unwrap_or(f64::INFINITY);
        let figure = format!(
            "{}: {} accepted, {} refused, {} unanswered; {}",
            crate::report::text::count(
                ch.made.into(),
                &format!("{} request", ch.channel),
                &format!("{} requests", ch.channel)
            ),
            ch.accepted,
            ch.refused,
            ch.unanswered,
            ch.mean_days_to_answer.map_or("none answered".to_string(), |d| format!(
                "answered in {d:.1} days on average"
            ))
        );
        if accept >= FAST_ACCEPTED && answer <= FAST_ANSWER_DAYS {
            found.strength(
                format!(
                    "Requests through the {} channel were answered fast and honoured",
                    ch.channel
                ),
                figure,
            );
        } else if ch.channel == "formal" && (accept < SLOW_FORMAL_ACCEPTED || answer > SLOW_FORMAL_ANSWER_DAYS) {
            found.area(
                format!(
                    "Formal requests through headquarters were slow or refused ({} accepted)",
                    pct(accept)
                ),
                figure,
                "Agree standing arrangements between ministries (who clears, escorts and fuels whom, within how many days) so crews do not wait on headquarters."
                    .to_string(),
                "the ministries' headquarters".to_string(),
            );
        }
    }
}
