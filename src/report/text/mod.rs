//! Text summaries of a finished run: the table `cimsim run` prints
//! (`summary.rs`), its cooperation part (`cooperation.rs`), and the number
//! and word formats every text report shares.

mod cooperation;
mod summary;

pub use cooperation::{cooperation_text, efficiency_undefined, missed_opportunities};
pub use summary::summary_text;

use crate::sim::components::Limit;
use crate::sim::setup::Names;

/// The width of a terminal the console's reports fit: every line `play`
/// prints is at most this wide (tables are laid out for it, text is
/// wrapped by [`wrap`]).
pub const CONSOLE_COLUMNS: usize = 80;

/// `text` filled to [`CONSOLE_COLUMNS`], its first line after `indent`,
/// the others after `more`, ending with a newline. Lines break at spaces
/// only: an id, a path or a number stays whole.
pub fn wrap(text: &str, indent: &str, more: &str) -> String {
    let options = textwrap::Options::new(CONSOLE_COLUMNS)
        .initial_indent(indent)
        .subsequent_indent(more)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    textwrap::fill(text, options) + "\n"
}

/// Every line of `text` wrapped by [`wrap`], a continuation two columns
/// deeper than the line's own indent: a report written for a wide page,
/// for the console.
pub fn wrap_lines(text: &str) -> String {
    text.lines()
        .map(|line| {
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            wrap(body, indent, &format!("{indent}    "))
        })
        .collect()
}

/// A count with its noun, in the number it shows: `1 run`, `2 runs`,
/// `0 runs`, `1,200 runs`. Every count followed by a noun in a text output
/// is written with it (or with [`amount`]), so that no output reads
/// `1 crews`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    amount(n as f64, one, many)
}

/// A quantity rounded to a whole number, with its noun in the number shown:
/// `1 crew-day` (for 0.7 as for 1.2), `0 crew-days`, `1,562,680
/// person-days`.
pub fn amount(x: f64, one: &str, many: &str) -> String {
    let shown = big(x);
    format!("{shown} {}", if shown == "1" { one } else { many })
}

/// `day 4` for a span of one day, `days 0 to 4` (with `join` ` to `) or
/// `days 0–4` (with `–`) for more: never `days 4 to 4`.
pub fn day_span(from: u32, to: u32, join: &str) -> String {
    if from == to {
        format!("day {from}")
    } else {
        format!("days {from}{join}{to}")
    }
}

/// `, held back by X` for an asset line, or nothing when nothing held it
/// back.
pub(crate) fn held_back(limit: Limit, names: &Names) -> String {
    crate::report::document::limit_text(limit, names).map_or(String::new(), |l| format!(", held back by {l}"))
}

pub(crate) fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

pub(crate) fn big(x: f64) -> String {
    let v = x.round() as i128;
    // `unsigned_abs`: a figure beyond i128 (a part file can hold any
    // number) saturates at `i128::MIN`, whose `abs` overflows.
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0 { format!("-{out}") } else { out }
}
