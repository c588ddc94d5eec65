//! The semantic checks of a parsed scenario: ids, references, ranges,
//! consistency, size limits and dependency cycles, every problem at once.
//!
//! [`Checker`] walks the scenario part by part, one file per part, and
//! places each problem in the text through the structural outline (so a
//! problem has a line and column even though the parsed scenario has none).

mod capabilities;
mod cycles;
mod header;
mod injects;
mod population;
mod town;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::suggest::{closest, kebab_suggestion, names_list};
use super::syntax::unsupported_version;
use super::{LIMITS, MAX_QUANTITY, MIN_DIVISOR, escape_controls, shown};
use crate::scenario::Problem;
use crate::scenario::format::{
    Agency, Asset, BUILTIN_STRATEGIES, Condition, Effect, FORMAT_VERSION, Location, Metric, Need, PopulationGroup,
    Scenario, Trigger,
};
use crate::scenario::locate::{Lines, Outline};

/// True for lowercase kebab-case ids: `^[a-z0-9]+(-[a-z0-9]+)*$`.
fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// True for a real calendar date written `YYYY-MM-DD` (years 1 to 9999).
fn is_calendar_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &date[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days_in_month).contains(&day)
}

/// The ids of one kind of item, in file order, with the first index of each.
struct Ids<'a> {
    /// Plural name used in messages (`districts`).
    kind: &'static str,
    /// Singular name used in messages (`district`).
    one: &'static str,
    names: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Ids<'a> {
    fn new(kind: &'static str, one: &'static str, names: Vec<&'a str>) -> Self {
        let mut index = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            index.entry(*name).or_insert(i);
        }
        Ids {
            kind,
            one,
            names,
            index,
        }
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
}

/// Collects problems while walking a scenario, placing each in the text.
struct Checker<'a> {
    scenario: &'a Scenario,
    text: &'a str,
    outline: Outline,
    lines: Lines,
    problems: Vec<Problem>,
    districts: Ids<'a>,
    assets: Ids<'a>,
    agencies: Ids<'a>,
    camps: Ids<'a>,
    /// Built-in strategy names, then the scenario's own.
    strategies: Ids<'a>,
    /// Names still to be compared for "did you mean" suggestions. A file of
    /// a hundred thousand broken references to a hundred thousand ids would
    /// otherwise take hours; once the budget is spent, problems come without
    /// a guess.
    suggestion_budget: usize,
}

/// Names compared for suggestions in one check, at most.
const SUGGESTION_BUDGET: usize = 2_000_000;

impl<'a> Checker<'a> {
    /// A checker of `s`, whose source is `text` (empty for an effect given
    /// outside a file), with every id list built once.
    fn new(s: &'a Scenario, text: &'a str) -> Self {
        Checker {
            scenario: s,
            text,
            outline: Outline::build(text),
            lines: Lines::new(text),
            problems: Vec::new(),
            districts: Ids::new(
                "districts",
                "district",
                s.districts.iter().map(|d| d.id.as_str()).collect(),
            ),
            assets: Ids::new("assets", "asset", s.assets.iter().map(|a| a.id.as_str()).collect()),
            agencies: Ids::new("agencies", "agency", s.agencies.iter().map(|a| a.id.as_str()).collect()),
            camps: Ids::new("camps", "camp", s.camps.iter().map(|c| c.id.as_str()).collect()),
            strategies: Ids::new("strategies", "strategy", s.strategy_names()),
            suggestion_budget: SUGGESTION_BUDGET,
        }
    }
}

/// Semantic checks of a parsed scenario: every problem, in source order.
pub(crate) fn check(s: &Scenario, text: &str) -> Vec<Problem> {
    let mut checker = Checker::new(s, text);
    checker.check_header();
    checker.check_strategies();
    checker.check_model();
    checker.check_districts();
    checker.check_assets();
    checker.check_agencies();
    checker.check_camps();
    checker.check_population();
    checker.check_injects();
    checker.check_capabilities();
    checker.check_cycles();
    let mut problems = checker.problems;
    // Checks run kind by kind; users read files top to bottom. The sort is
    // stable, so problems at the same place keep the order of the checks.
    problems.sort_by_key(|p| p.span.start);
    problems
}

/// Checks one inject effect given outside the scenario file (a manual
/// inject: `--inject DAY:EFFECT`) against a validated scenario: the same
/// references and ranges as an inject in the file. Returns every problem as
/// `field: message (help)`; empty when the effect is valid.
pub fn check_effect(s: &Scenario, effect: &Effect) -> Vec<String> {
    let mut checker = Checker::new(s, "");
    checker.check_effect(0, effect);
    checker
        .problems
        .into_iter()
        .map(|p| {
            let field = p.path.trim_start_matches("injects[0].effect.");
            match p.help {
                Some(help) => format!("{field}: {} ({help})", p.message),
                None => format!("{field}: {}", p.message),
            }
        })
        .collect()
}

impl<'a> Checker<'a> {
    fn report(&mut self, path: &str, message: String, help: Option<String>) {
        let place = self.outline.find(self.text, path);
        let (line, column) = self.lines.line_col(self.text, place.span.start);
        let (message, help) = (escape_controls(&message), help.as_deref().map(escape_controls));
        self.problems.push(Problem {
            path: path.to_string(),
            message,
            help,
            note: None,
            line,
            column,
            span: place.span,
        });
    }

    /// The line a path is on, for "first defined on line N" help.
    fn line_of(&self, path: &str) -> usize {
        let place = self.outline.find(self.text, path);
        self.lines.line_col(self.text, place.span.start).0
    }

    fn finite(&mut self, path: &str, value: f64) -> bool {
        if value.is_finite() {
            return true;
        }
        self.report(path, format!("must be a finite number, found {value}"), None);
        false
    }

    /// A share: 0 none, 1 all.
    fn fraction(&mut self, path: &str, value: f64) {
        if self.finite(path, value) && !(0.0..=1.0).contains(&value) {
            self.report(
                path,
                format!("must be a share from 0 to 1, found {value}"),
                Some("0 means none and 1 means all".to_string()),
            );
        }
    }

    fn optional_fraction(&mut self, path: &str, value: Option<f64>) {
        if let Some(value) = value {
            self.fraction(path, value);
        }
    }

    /// Capacities, costs, rates, stocks, weights: zero is allowed.
    fn non_negative(&mut self, path: &str, value: f64) {
        if self.finite(path, value) && value < 0.0 {
            self.report(path, format!("must be 0 or more, found {value}"), None);
        } else {
            self.not_huge(path, value);
        }
    }

    /// No quantity in a scenario comes near this; beyond it sums and products
    /// over a run could overflow to infinity.
    fn not_huge(&mut self, path: &str, value: f64) {
        if value.is_finite() && value.abs() > MAX_QUANTITY {
            self.report(
                path,
                format!("must be at most {MAX_QUANTITY:e}, found {value:e}"),
                Some("sums over people and days would overflow; check the unit".to_string()),
            );
        }
    }

    /// Quantities the model divides by, where zero has no meaning.
    fn positive(&mut self, path: &str, value: f64) {
        if self.finite(path, value) && value < MIN_DIVISOR {
            self.report(
                path,
                format!("must be at least {MIN_DIVISOR:e}, found {value}"),
                Some("the model divides by this value, so zero (or nearly zero) has no meaning".to_string()),
            );
        } else {
            self.not_huge(path, value);
        }
    }

    fn id(&mut self, path: &str, id: &str) {
        if !is_kebab(id) {
            let suggestion = kebab_suggestion(id);
            let help = if suggestion.is_empty() {
                "ids use lowercase letters, digits and single hyphens".to_string()
            } else {
                format!("write it `{suggestion}`")
            };
            self.report(
                path,
                format!(
                    "must be a lowercase kebab-case id such as `old-city`, found `{}`",
                    shown(id)
                ),
                Some(help),
            );
        }
    }

    /// Checks the ids of one kind: their case and that each is used once.
    fn ids(&mut self, list: &str, which: fn(&Self) -> &Ids<'a>) {
        let (kind, names) = {
            let ids = which(self);
            (ids.kind, ids.names.clone())
        };
        for (i, id) in names.iter().enumerate() {
            let path = format!("{list}[{i}].id");
            self.id(&path, id);
            let first = which(self).get(id).unwrap_or(i);
            if first != i {
                let first_path = format!("{list}[{first}].id");
                let line = self.line_of(&first_path);
                let id = shown(id);
                self.report(
                    &path,
                    format!("repeats the id `{id}` of {list}[{first}]"),
                    Some(format!(
                        "ids must be unique among {kind}; the first `{id}` is on line {line}"
                    )),
                );
            }
        }
    }

    /// Checks that `id` names an item of a kind, with a suggestion if not.
    fn reference(&mut self, path: &str, id: &str, which: fn(&Self) -> &Ids<'a>) -> Option<usize> {
        let ids = which(self);
        if let Some(i) = ids.get(id) {
            return Some(i);
        }
        let list = names_list(ids.kind, &ids.names);
        let affordable = self.suggestion_budget >= ids.names.len();
        let guess = if affordable {
            closest(id, ids.names.iter().copied())
        } else {
            None
        };
        let (one, count) = (ids.one, ids.names.len());
        if affordable {
            self.suggestion_budget -= count;
        }
        let help = match guess {
            Some(name) => format!("did you mean `{name}`? {list}"),
            None => list,
        };
        let message = format!("refers to {one} `{}`, which does not exist", shown(id));
        self.report(path, message, Some(help));
        None
    }

    fn district(&mut self, path: &str, id: &str) -> Option<usize> {
        self.reference(path, id, |c| &c.districts)
    }

    fn asset(&mut self, path: &str, id: &str) -> Option<usize> {
        self.reference(path, id, |c| &c.assets)
    }

    fn agency(&mut self, path: &str, id: &str) -> Option<usize> {
        self.reference(path, id, |c| &c.agencies)
    }

    fn location(&mut self, path: &str, location: &Location) {
        match location {
            Location::Home => {}
            Location::Camp(camp) => {
                self.reference(path, camp, |c| &c.camps);
            }
            Location::Host(district) => {
                self.district(path, district);
            }
        }
    }

    /// Refuses a list longer than [`LIMITS`] at its first item too many.
    fn list_length(&mut self, list: &str, len: usize) {
        if len > LIMITS.list_items {
            let limit = LIMITS.list_items;
            self.report(
                &format!("{list}[{limit}]"),
                format!("is item {} of `{list}`; a scenario may have at most {limit}", limit + 1),
                Some("split the exercise into smaller scenarios".to_string()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        for good in ["a", "old-city", "b2", "x-1-y"] {
            assert!(is_kebab(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "Old", "a_b", "a b", "é"] {
            assert!(!is_kebab(bad), "{bad}");
        }
        assert_eq!(kebab_suggestion("Old City"), "old-city");
    }
    #[test]
    fn calendar_dates() {
        assert!(is_calendar_date("2017-07-10"));
        assert!(is_calendar_date("2016-02-29"));
        assert!(is_calendar_date("2000-02-29"));
        for bad in [
            "1900-02-29",
            "2017-02-29",
            "2017-13-01",
            "2017-04-31",
            "2017-7-10",
            "0000-01-01",
            "2017-07-1x",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }
}
