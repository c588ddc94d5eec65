//! Turns scenario text into a [`Scenario`] and finds everything wrong with it,
//! each problem with its field path, line, column and a suggested fix.
//!
//! Parsing stops at the first syntax or structure error, because `ron` cannot
//! go on; the semantic checks then report every problem at once, in source
//! order. Nothing here allocates in proportion to what a scenario *describes*
//! (households, crews, days): the [`LIMITS`] are checked on the parsed
//! numbers, so an absurd scenario is refused before the engine builds it.
//! Nothing here may panic on any input.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::Problem;
use super::format::{
    Agency, Asset, BUILTIN_STRATEGIES, Condition, Effect, FORMAT_VERSION, Location, Metric, Need, PopulationGroup,
    Scenario, Service, Trigger,
};
use super::locate::{self, Lines, Outline};

/// Deepest nesting `ron` may follow. A scenario nests six levels at most
/// (`injects: [( trigger: When(ServiceBelow(...)) )]`); the limit turns a
/// file of nested brackets into an error instead of a stack overflow.
const RECURSION_LIMIT: usize = 64;

/// The `ron` options every piece of scenario text is read with (files,
/// `--inject` effects): nesting deeper than [`RECURSION_LIMIT`] is an error.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// Largest magnitude of any quantity (capacities, stocks, budgets, rates,
/// weights): far above any real figure, far below where sums overflow.
const MAX_QUANTITY: f64 = 1e15;

/// Smallest value of a quantity the model divides by.
const MIN_DIVISOR: f64 = 1e-9;

/// The largest scenario this build accepts. Each limit is set from what one
/// world of that size was measured to cost on the project's 2-core machine
/// (`docs/performance.md`, "Limits"; the per-item figures are
/// `sim::footprint`'s): at every limit one world fits in a few GiB and is
/// built in seconds, so a scenario that validates can run on one machine.
/// Whether the *several* worlds a command builds at once fit in the memory
/// of the machine at hand is decided by the command before it builds them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Households over all population groups. At the limit one world at
    /// full resolution is 3 to 4.8 GB (150 B an entity at home, up to 240 B
    /// displaced) and takes about 20 s to generate (1 µs a household:
    /// 4,000,000 in 4.2 s); `--family-per-entity` divides both.
    pub households: u64,
    /// People over all population groups (households × mean size): sums of
    /// people stay exact in `f64` far beyond it.
    pub people: u64,
    /// Longest run, in days (`horizon_days`): a hundred years. The tutorial
    /// runs 36,500 days in 1.7 s and 39 MB.
    pub horizon_days: u32,
    /// Items in each of the lists `districts`, `assets`, `agencies`,
    /// `camps`, `population` and `injects`: dense indices are `u16`. The
    /// tutorial with 60,000 more assets validates in 2.5 s and runs a day
    /// in 0.65 s and 224 MB.
    pub list_items: usize,
    /// Crews over all agencies and crew groups. At the limit one world is
    /// about 440 MB (376 B a crew measured) and takes about 5 s to build
    /// (300,000 crews: 1.5 s, 127 MB).
    pub crews: u64,
    /// Place-days a run records (horizon × (districts + camps)): at the limit
    /// the daily outcomes of one world are about 1.2 GB (206 B a place-day
    /// measured).
    pub place_days: u64,
    /// Entries of all agencies' pictures (agencies × (districts + assets)):
    /// at the limit about 64 MB a world.
    pub picture_cells: u64,
    /// Smallest mean household size.
    pub min_mean_size: f64,
    /// Largest mean household size.
    pub max_mean_size: f64,
}

/// The limits of this build.
pub const LIMITS: Limits = Limits {
    households: 20_000_000,
    people: 150_000_000,
    horizon_days: 36_500,
    list_items: 65_535,
    crews: 1_000_000,
    place_days: 5_000_000,
    picture_cells: 1_000_000,
    min_mean_size: 1.0,
    max_mean_size: 30.0,
};

/// Parses scenario text, reporting the first syntax or structure error with
/// its place.
///
/// An unsupported `format_version` is reported before anything else, since a
/// file written for another version is likely to fail in confusing ways.
pub(crate) fn parse(text: &str) -> Result<Scenario, Problem> {
    let outline = Outline::build(text);
    if outline.is_empty() {
        return Err(Problem {
            path: String::new(),
            message: "the file is empty: expected a scenario, `(format_version: 1, name: ..., ...)`".to_string(),
            help: Some("start from `cimsim scenarios` or docs/scenario-format.md".to_string()),
            line: 1,
            column: 1,
            span: 0..0,
        });
    }
    if let Some(problem) = version_problem(text, &outline) {
        return Err(problem);
    }
    match ron_options().from_str::<Scenario>(text) {
        Ok(scenario) if scenario.format_version != FORMAT_VERSION => {
            let place = outline.find(text, "format_version");
            Err(located(
                text,
                "format_version",
                place.span,
                unsupported_version(scenario.format_version.into()),
            ))
        }
        Ok(scenario) => Ok(scenario),
        Err(error) => Err(syntax_problem(text, &outline, &error)),
    }
}

/// The message and help for a `format_version` other than this build's.
fn unsupported_version(found: u64) -> (String, Option<String>) {
    (
        format!("unsupported format_version {found}; this build reads {FORMAT_VERSION}"),
        Some(format!(
            "this file was written for another version of cimsim; set `format_version: {FORMAT_VERSION}` \
             only after converting it to the format in docs/scenario-format.md"
        )),
    )
}

/// Reads `format_version` with the structural scanner, so that a file of a
/// newer format is named as such even when `ron` would stumble on its syntax.
fn version_problem(text: &str, outline: &Outline) -> Option<Problem> {
    let place = outline.find(text, "format_version");
    if !place.exact {
        return None;
    }
    let digits: String = text[place.span.clone()].chars().filter(|&c| c != '_').collect();
    let version: u64 = digits.parse().ok()?;
    (version != u64::from(FORMAT_VERSION))
        .then(|| located(text, "format_version", place.span, unsupported_version(version)))
}

/// A problem at a byte range, with its line and column.
fn located(text: &str, path: &str, span: std::ops::Range<usize>, (message, help): (String, Option<String>)) -> Problem {
    let (line, column) = locate::line_col(text, span.start);
    Problem {
        path: escape_controls(path),
        message: escape_controls(&message),
        help: help.as_deref().map(escape_controls),
        line,
        column,
        span,
    }
}

/// Text from the file, made safe to print: control characters (a terminal
/// escape in an id, say) are written as escapes.
fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A string from the file for a message: controls escaped, and cut short
/// when long.
fn shown(text: &str) -> String {
    const LONGEST: usize = 60;
    let mut out = escape_controls(&text.chars().take(LONGEST).collect::<String>());
    if text.chars().nth(LONGEST).is_some() {
        out.push('…');
    }
    out
}

/// Turns a `ron` error into a problem that says what was expected, what was
/// found, and where (with the field path around the error).
fn syntax_problem(text: &str, outline: &Outline, error: &ron::error::SpannedError) -> Problem {
    use ron::error::Error as E;
    let start = locate::offset_of(text, error.span.start.line, error.span.start.col);
    let end = locate::offset_of(text, error.span.end.line, error.span.end.col).max(start);
    // `ron`'s span starts where the parser was before the failing step, often
    // on whitespace; the token after it is what the user needs to see.
    let start = locate::skip_trivia(text, start);
    let mut span = if start < end {
        start..end
    } else {
        locate::token_at(text, start)
    };
    if matches!(error.code, E::IntegerOutOfBounds) && text[..span.start].ends_with(['-', '+']) {
        // `ron` points past the sign; the whole number is what was found.
        span.start -= 1;
    }
    let found = describe_found(text, span.clone());
    let path = outline.path_at(text, span.start);
    let (message, help): (String, Option<String>) = match &error.code {
        E::Eof => (
            "the file ends in the middle of the scenario".to_string(),
            Some("a value or a closing bracket is missing".to_string()),
        ),
        E::ExpectedComma => (
            format!("expected `,` or a closing bracket after the value, found {found}"),
            Some("separate fields and list items with commas".to_string()),
        ),
        E::ExpectedMapColon => (format!("expected `:` after the field name, found {found}"), None),
        E::ExpectedNamedStructLike("Scenario") => (
            format!("expected a scenario, `(format_version: 1, name: ..., ...)`, found {found}"),
            Some("a scenario file is a single RON struct; see docs/scenario-format.md".to_string()),
        ),
        E::ExpectedNamedStructLike(name) => (format!("expected `(` opening a `{name}`, found {found}"), None),
        E::ExpectedStructLike => (format!("expected `(`, found {found}"), None),
        E::ExpectedStructLikeEnd | E::ExpectedOptionEnd => (
            format!("expected `,` or a closing `)`, found {found}"),
            Some("a bracket is not closed, or a comma is missing".to_string()),
        ),
        E::ExpectedArray => (format!("expected a list `[...]`, found {found}"), None),
        E::ExpectedArrayEnd => (
            format!("expected `,` or a closing `]`, found {found}"),
            Some("a list is not closed, or a comma is missing".to_string()),
        ),
        E::ExpectedMap => (format!("expected a map `{{...}}`, found {found}"), None),
        E::ExpectedMapEnd => (format!("expected `,` or a closing `}}`, found {found}"), None),
        E::ExpectedString => (format!("expected a string in double quotes, found {found}"), None),
        E::ExpectedStringEnd => (
            "a string is never closed: expected a closing `\"`".to_string(),
            Some("a quote inside a string is written `\\\"`".to_string()),
        ),
        E::ExpectedInteger => (format!("expected a whole number, found {found}"), None),
        E::ExpectedFloat => (format!("expected a number, found {found}"), None),
        E::ExpectedBoolean => (format!("expected `true` or `false`, found {found}"), None),
        E::ExpectedOption => (
            format!("expected `Some(...)` or `None`, found {found}"),
            Some(format!(
                "optional fields are written `Some({})`",
                shown(text[span.clone()].trim())
            )),
        ),
        E::ExpectedIdentifier => (format!("expected a field or variant name, found {found}"), None),
        E::IntegerOutOfBounds => (
            format!("expected a whole number from 0 to {}, found {found}", u32::MAX),
            None,
        ),
        E::InvalidValueForType { expected, found } => (format!("expected {expected}, found {found}"), None),
        E::ExpectedDifferentLength { expected, found } => {
            let elements = if *found == 1 { "element" } else { "elements" };
            (format!("expected {expected}, found {found} {elements}"), None)
        }
        E::NoSuchStructField { expected, found, outer } => {
            let names = expected.join(", ");
            let message = format!(
                "unknown field `{}`{}; expected one of: {names}",
                shown(found),
                in_outer(outer.as_deref())
            );
            (
                message,
                Some(did_you_mean(found, expected).unwrap_or_else(|| "remove it or fix its name".to_string())),
            )
        }
        E::NoSuchEnumVariant { expected, found, outer } => {
            let names = expected.join(", ");
            let message = format!(
                "unknown variant `{}`{}; expected one of: {names}",
                shown(found),
                in_outer(outer.as_deref())
            );
            (message, did_you_mean(found, expected))
        }
        E::MissingStructField { field, outer } => (
            format!("missing field `{field}`{}", in_outer(outer.as_deref())),
            Some(format!(
                "add `{field}: ...` before this bracket; docs/scenario-format.md describes it"
            )),
        ),
        E::DuplicateStructField { field, outer } => (
            format!("field `{field}` appears twice{}", in_outer(outer.as_deref())),
            Some("remove one of the two".to_string()),
        ),
        E::TrailingCharacters => (
            format!("unexpected text after the end of the scenario: {found}"),
            Some("the scenario is a single `( ... )`; remove what follows its closing bracket".to_string()),
        ),
        E::UnexpectedChar(c) => (format!("unexpected character {c:?}"), None),
        E::ExceededRecursionLimit => (
            format!("values are nested more than {RECURSION_LIMIT} deep"),
            Some("scenarios nest a few levels at most; a bracket is probably not closed".to_string()),
        ),
        E::UnclosedBlockComment => (
            "a `/*` comment is never closed".to_string(),
            Some("end it with `*/`".to_string()),
        ),
        E::Message(message) => (message.clone(), None),
        other => (format!("{other}, found {found}"), None),
    };
    located(text, &path, span, (message, help))
}

/// ` in `District``, naming the struct or enum an error is in.
fn in_outer(outer: Option<&str>) -> String {
    outer.map(|o| format!(" in `{o}`")).unwrap_or_default()
}

/// The text of a span, quoted and shortened for a message.
fn describe_found(text: &str, span: std::ops::Range<usize>) -> String {
    if span.start >= text.len() {
        return "the end of the file".to_string();
    }
    format!("`{}`", shown(&text[span]))
}

/// The closest name to `found`, if one is close enough to be a typo.
///
/// A name is a candidate when it is at most a third of `found`'s length in
/// edits away (`strsim::osa_distance`: insertions, deletions, substitutions
/// and swaps of neighbours). Candidates are ranked by Jaro–Winkler
/// similarity, which weighs a shared beginning: `PumpStation` is three edits
/// from both `Substation` and `PumpingStation`, and what was meant shares
/// its first letters.
fn closest<'a>(found: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Typos are short; comparing long strings costs quadratic time for
    // nothing.
    if found.len() > 64 {
        return None;
    }
    let found_lower = found.to_lowercase();
    let found_chars = found.chars().count();
    let allowed = (found_chars / 3).max(1);
    let mut best: Option<(f64, usize, &str)> = None;
    for name in names {
        // Names whose length differs by more than the allowed distance
        // cannot be close enough; skipping them keeps long lists cheap.
        if name.len() > 64 || name.chars().count().abs_diff(found_chars) > allowed {
            continue;
        }
        let lower = name.to_lowercase();
        let distance = strsim::osa_distance(&found_lower, &lower);
        if distance > allowed {
            continue;
        }
        let similarity = strsim::jaro_winkler(&found_lower, &lower);
        let better = best.is_none_or(|(s, d, _)| similarity > s || (similarity == s && distance < d));
        if better {
            best = Some((similarity, distance, name));
        }
    }
    best.map(|(_, _, name)| name)
}

/// "did you mean `x`?" when a name close to `found` exists.
pub(crate) fn did_you_mean(found: &str, names: &[&str]) -> Option<String> {
    closest(found, names.iter().copied()).map(|name| format!("did you mean `{name}`?"))
}

/// `districts are: east, west`, shortened when the list is long.
fn names_list(kind: &str, names: &[&str]) -> String {
    const SHOWN: usize = 12;
    if names.is_empty() {
        return format!("there are no {kind}");
    }
    let mut list = names
        .iter()
        .take(SHOWN)
        .map(|name| shown(name))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(list, " and {} more", names.len() - SHOWN);
    }
    format!("{kind} are: {list}")
}

/// True for lowercase kebab-case ids: `^[a-z0-9]+(-[a-z0-9]+)*$`.
fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The kebab-case spelling of a bad id, offered as a fix.
fn kebab_suggestion(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
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

/// Semantic checks of a parsed scenario: every problem, in source order.
pub(crate) fn check(s: &Scenario, text: &str) -> Vec<Problem> {
    let mut checker = Checker {
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
    };
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
    let mut checker = Checker {
        scenario: s,
        text: "",
        outline: Outline::build(""),
        lines: Lines::new(""),
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
    };
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

    fn check_header(&mut self) {
        let s = self.scenario;
        if s.format_version != FORMAT_VERSION {
            let (message, help) = unsupported_version(s.format_version.into());
            self.report("format_version", message, help);
        }
        self.id("name", &s.name);
        if !is_calendar_date(&s.start_date) {
            self.report(
                "start_date",
                format!(
                    "must be a calendar date written YYYY-MM-DD, found `{}`",
                    shown(&s.start_date)
                ),
                Some("for example `2017-07-10`".to_string()),
            );
        }
        if s.horizon_days == 0 {
            self.report(
                "horizon_days",
                "must be at least 1 day, found 0".to_string(),
                Some("a run simulates this many days".to_string()),
            );
        } else if s.horizon_days > LIMITS.horizon_days {
            self.report(
                "horizon_days",
                format!(
                    "is {} days; runs are limited to {} days",
                    s.horizon_days, LIMITS.horizon_days
                ),
                None,
            );
        }
        // Combined sizes: each list may be within its limit and the
        // products still exhaust memory (the daily series keeps a row per
        // day and place; every agency keeps a picture of every district and
        // site).
        let places = (s.districts.len() + s.camps.len()) as u64;
        let series = u64::from(s.horizon_days) * places;
        if series > LIMITS.place_days {
            self.report(
                "horizon_days",
                format!(
                    "{} days × {places} districts and camps is {series} place-days; a run keeps at most {}",
                    s.horizon_days, LIMITS.place_days
                ),
                Some("shorten the horizon or merge districts".to_string()),
            );
        }
        let pictures = s.agencies.len() as u64 * (s.districts.len() + s.assets.len()) as u64;
        if pictures > LIMITS.picture_cells {
            self.report(
                "agencies",
                format!(
                    "{} agencies × {} districts and assets is {pictures} picture entries; at most {}",
                    s.agencies.len(),
                    s.districts.len() + s.assets.len(),
                    LIMITS.picture_cells
                ),
                Some("fewer agencies, districts or assets".to_string()),
            );
        }
    }

    /// The scenario's own strategies and every strategy reference.
    fn check_strategies(&mut self) {
        let s = self.scenario;
        self.list_length("strategies", s.strategies.len());
        for (i, def) in s.strategies.iter().enumerate() {
            let path = format!("strategies[{i}].name");
            self.id(&path, &def.name);
            let first = s.strategies.iter().position(|d| d.name == def.name).unwrap_or(i);
            if BUILTIN_STRATEGIES.iter().any(|b| b.0 == def.name) {
                self.report(
                    &path,
                    format!("redefines the built-in strategy `{}`", def.name),
                    Some("give your strategy a name of its own".to_string()),
                );
            } else if first != i {
                let line = self.line_of(&format!("strategies[{first}].name"));
                self.report(
                    &path,
                    format!("repeats the strategy name `{}`", shown(&def.name)),
                    Some(format!("the first `{}` is on line {line}", shown(&def.name))),
                );
            }
        }
        self.reference("strategy", &s.strategy, |c| &c.strategies);
        for (i, a) in s.agencies.iter().enumerate() {
            if let Some(name) = &a.strategy {
                self.reference(&format!("agencies[{i}].strategy"), name, |c| &c.strategies);
            }
        }
    }

    fn check_model(&mut self) {
        let s = self.scenario;
        let st = &s.standards;
        for (name, value) in [
            ("water_litres", st.water_litres),
            ("water_survival_litres", st.water_survival_litres),
            ("food_kcal", st.food_kcal),
            ("food_survival_kcal", st.food_survival_kcal),
            ("electricity_kwh", st.electricity_kwh),
            ("people_per_toilet", st.people_per_toilet),
            ("beds_per_10000", st.beds_per_10000),
        ] {
            self.positive(&format!("standards.{name}"), value);
        }
        for (survival, survival_name, full, name) in [
            (
                st.water_survival_litres,
                "water_survival_litres",
                st.water_litres,
                "water_litres",
            ),
            (st.food_survival_kcal, "food_survival_kcal", st.food_kcal, "food_kcal"),
        ] {
            if survival > full {
                self.report(
                    &format!("standards.{survival_name}"),
                    format!("is {survival}, above the full standard `{name}` of {full}"),
                    Some("a survival minimum cannot exceed the full need".to_string()),
                );
            }
        }
        let w = &s.weights;
        for (name, value) in [
            ("food", w.food),
            ("water", w.water),
            ("electricity", w.electricity),
            ("sanitation", w.sanitation),
            ("health", w.health),
            ("displacement", w.displacement),
        ] {
            self.non_negative(&format!("weights.{name}"), value);
        }
        let service_weights = [w.food, w.water, w.electricity, w.sanitation, w.health];
        if service_weights.iter().all(|v| *v == 0.0) {
            self.report(
                "weights",
                "gives every service a weight of 0".to_string(),
                Some(
                    "the district index is a weighted mean of services, so at least one weight must be above 0"
                        .to_string(),
                ),
            );
        }
        let c = &s.cooperation;
        self.fraction("cooperation.formal_honour", c.formal_honour);
        self.fraction("cooperation.liaison_honour", c.liaison_honour);
        self.fraction("cooperation.cell_staff_share", c.cell_staff_share);
        self.fraction("cooperation.hazard_injury_rate", c.hazard_injury_rate);
        self.fraction("cooperation.liaison_staff_share", c.liaison_staff_share);
        self.fraction("thresholds.clearance", s.thresholds.clearance);
        self.fraction("thresholds.security", s.thresholds.security);
        let r = &s.returns;
        for (name, value) in [
            ("max_daily_rate", r.max_daily_rate),
            ("leave_uninhabitable_rate", r.leave_uninhabitable_rate),
            ("flight_security", r.flight_security),
            ("flight_rate", r.flight_rate),
        ] {
            self.fraction(&format!("returns.{name}"), value);
        }
        for (name, value) in [
            ("security_weight", r.security_weight),
            ("services_weight", r.services_weight),
            ("housing_weight", r.housing_weight),
            ("contamination_weight", r.contamination_weight),
            ("uninhabitable_factor", r.uninhabitable_factor),
            ("vulnerable_factor", r.vulnerable_factor),
        ] {
            self.non_negative(&format!("returns.{name}"), value);
        }
        self.finite("returns.midpoint", r.midpoint);
        self.positive("returns.steepness", r.steepness);
        self.positive("returns.perception_days", r.perception_days);
        let d = &s.disease;
        self.non_negative("disease.base_rate", d.base_rate);
        self.non_negative("disease.wash_rate", d.wash_rate);
        self.positive("disease.illness_days", d.illness_days);
        self.fraction("disease.treatment_effect", d.treatment_effect);
    }

    fn check_districts(&mut self) {
        let s = self.scenario;
        self.list_length("districts", s.districts.len());
        self.ids("districts", |c| &c.districts);
        for (i, d) in s.districts.iter().enumerate() {
            if d.prewar_population == 0 {
                self.report(
                    &format!("districts[{i}].prewar_population"),
                    "must be at least 1, found 0".to_string(),
                    Some("services and clearance are measured per pre-war resident".to_string()),
                );
            }
            self.fraction(&format!("districts[{i}].housing_damage"), d.housing_damage);
            self.fraction(&format!("districts[{i}].contamination"), d.contamination);
            self.fraction(&format!("districts[{i}].security"), d.security);
        }
    }

    fn check_assets(&mut self) {
        let s = self.scenario;
        self.list_length("assets", s.assets.len());
        self.ids("assets", |c| &c.assets);
        for (i, a) in s.assets.iter().enumerate() {
            self.check_asset(i, a);
        }
    }

    fn check_asset(&mut self, i: usize, a: &Asset) {
        let at = |field: &str| format!("assets[{i}].{field}");
        self.agency(&at("agency"), &a.agency);
        self.district(&at("site"), &a.site);
        match &a.output {
            Some(output) => {
                self.non_negative(&at("output.capacity"), output.capacity);
                if a.serves.is_empty() {
                    self.report(
                        &at("output"),
                        format!("produces {}, but `serves` lists no district", output.service.name()),
                        Some(format!("add `serves: [\"{}\"]` with the districts it supplies", a.site)),
                    );
                }
            }
            None if !a.serves.is_empty() => {
                self.report(
                    &at("serves"),
                    "lists districts, but the asset has no `output` to serve them with".to_string(),
                    Some("add `output: Some((service: ..., capacity: ...))`, or remove `serves`".to_string()),
                );
            }
            None => {}
        }
        let mut served = BTreeSet::new();
        for (j, district) in a.serves.iter().enumerate() {
            let path = at(&format!("serves[{j}]"));
            if self.district(&path, district).is_some() && !served.insert(district.as_str()) {
                self.report(
                    &path,
                    format!("lists district `{district}` a second time"),
                    Some("remove the repeat".to_string()),
                );
            }
        }
        self.fraction(&at("condition"), a.condition);
        self.positive(&at("repair_effort"), a.repair_effort);
        self.non_negative(&at("repair_cost"), a.repair_cost);
        if a.crew_slots == 0 {
            self.report(
                &at("crew_slots"),
                "must be at least 1, found 0".to_string(),
                Some("no crew could ever repair it".to_string()),
            );
        }
        for (j, need) in a.needs.iter().enumerate() {
            if let Need::Asset(id) = need {
                self.asset(&at(&format!("needs[{j}]")), id);
            }
        }
        for (j, consumption) in a.consumes.iter().enumerate() {
            self.non_negative(&at(&format!("consumes[{j}].per_day")), consumption.per_day);
        }
        self.optional_fraction(&at("contamination"), a.contamination);
        self.optional_fraction(&at("security"), a.security);
    }

    fn check_agencies(&mut self) {
        let s = self.scenario;
        self.list_length("agencies", s.agencies.len());
        self.ids("agencies", |c| &c.agencies);
        let mut crews: u64 = 0;
        let mut crews_reported = false;
        for (i, a) in s.agencies.iter().enumerate() {
            self.check_agency(i, a);
            for (j, group) in a.crews.iter().enumerate() {
                crews += u64::from(group.count);
                if crews > LIMITS.crews && !crews_reported {
                    crews_reported = true;
                    self.report(
                        &format!("agencies[{i}].crews[{j}].count"),
                        format!(
                            "brings the crews to {crews}; a scenario may have at most {}",
                            LIMITS.crews
                        ),
                        None,
                    );
                }
            }
        }
    }

    fn check_agency(&mut self, i: usize, a: &Agency) {
        let at = |field: &str| format!("agencies[{i}].{field}");
        // A set, so that many crew groups against a long list of mandates
        // cost no more than a short one; the names keep file order.
        let mandate_set: BTreeSet<_> = a.mandates.iter().copied().collect();
        let mut mandate_names: Vec<String> = Vec::new();
        for mandate in &a.mandates {
            let name = format!("{mandate:?}");
            if !mandate_names.contains(&name) {
                mandate_names.push(name);
            }
            if mandate_names.len() == mandate_set.len() {
                break;
            }
        }
        let mandates = mandate_names.join(", ");
        for (j, group) in a.crews.iter().enumerate() {
            let crew = |field: &str| at(&format!("crews[{j}].{field}"));
            if !mandate_set.contains(&group.kind) {
                self.report(
                    &crew("kind"),
                    format!(
                        "is `{:?}`, which is not a mandate of agency `{}` (mandates: {mandates})",
                        group.kind,
                        shown(&a.id)
                    ),
                    Some(format!(
                        "add `{:?}` to the agency's mandates, or give these crews another kind",
                        group.kind
                    )),
                );
            }
            self.non_negative(&crew("rate"), group.rate);
            self.non_negative(&crew("daily_cost"), group.daily_cost);
            self.non_negative(&crew("fuel_per_day"), group.fuel_per_day);
        }
        for (field, stocks) in [("stocks", &a.stocks), ("resupply", &a.resupply)] {
            self.non_negative(&at(&format!("{field}.fuel")), stocks.fuel);
            self.non_negative(&at(&format!("{field}.food")), stocks.food);
            self.non_negative(&at(&format!("{field}.medical")), stocks.medical);
        }
        self.non_negative(&at("budget"), a.budget);
        let mut seen = BTreeSet::new();
        for (j, liaison) in a.liaisons.iter().enumerate() {
            let path = at(&format!("liaisons[{j}]"));
            if liaison == &a.id {
                self.report(
                    &path,
                    format!("is the agency `{}` itself", shown(liaison)),
                    Some("a liaison links two different agencies".to_string()),
                );
            } else if self.agency(&path, liaison).is_some() && !seen.insert(liaison.as_str()) {
                self.report(
                    &path,
                    format!("lists agency `{liaison}` a second time"),
                    Some("remove the repeat".to_string()),
                );
            }
        }
    }

    fn check_camps(&mut self) {
        let s = self.scenario;
        self.list_length("camps", s.camps.len());
        self.ids("camps", |c| &c.camps);
        for (i, camp) in s.camps.iter().enumerate() {
            if camp.capacity == 0 {
                self.report(
                    &format!("camps[{i}].capacity"),
                    "must be at least 1, found 0".to_string(),
                    Some("services fall with crowding, measured against capacity".to_string()),
                );
            }
            let sv = &camp.services;
            for (name, value) in [
                ("food", sv.food),
                ("water", sv.water),
                ("electricity", sv.electricity),
                ("sanitation", sv.sanitation),
                ("health", sv.health),
            ] {
                self.fraction(&format!("camps[{i}].services.{name}"), value);
            }
        }
    }

    fn check_population(&mut self) {
        let s = self.scenario;
        self.list_length("population", s.population.len());
        let mut households: u64 = 0;
        let mut people: f64 = 0.0;
        let (mut households_reported, mut people_reported) = (false, false);
        for (i, group) in s.population.iter().enumerate() {
            self.check_group(i, group);
            households += u64::from(group.households);
            if households > LIMITS.households && !households_reported {
                households_reported = true;
                self.report(
                    &format!("population[{i}].households"),
                    format!(
                        "brings the households to {households}; a scenario may have at most {}",
                        LIMITS.households
                    ),
                    Some("model the city at a coarser scale, or a part of it".to_string()),
                );
            }
            if group.mean_size.is_finite() {
                people += f64::from(group.households) * group.mean_size;
            }
            if people > LIMITS.people as f64 && !people_reported {
                people_reported = true;
                self.report(
                    &format!("population[{i}].households"),
                    format!(
                        "brings the people to about {people:.0}; a scenario may have at most {}",
                        LIMITS.people
                    ),
                    Some("model the city at a coarser scale, or a part of it".to_string()),
                );
            }
        }
    }

    fn check_group(&mut self, i: usize, group: &PopulationGroup) {
        let at = |field: &str| format!("population[{i}].{field}");
        self.district(&at("origin"), &group.origin);
        self.location(&at("location"), &group.location);
        if self.finite(&at("mean_size"), group.mean_size)
            && !(LIMITS.min_mean_size..=LIMITS.max_mean_size).contains(&group.mean_size)
        {
            self.report(
                &at("mean_size"),
                format!(
                    "must be from {} to {} people per household, found {}",
                    LIMITS.min_mean_size, LIMITS.max_mean_size, group.mean_size
                ),
                None,
            );
        }
        self.fraction(&at("vulnerable_share"), group.vulnerable_share);
    }

    fn check_injects(&mut self) {
        let s = self.scenario;
        self.list_length("injects", s.injects.len());
        let (list, names) = ("injects", s.injects.iter().map(|i| i.id.as_str()).collect::<Vec<_>>());
        let ids = Ids::new(list, "inject", names);
        for (i, inject) in s.injects.iter().enumerate() {
            let path = format!("injects[{i}].id");
            self.id(&path, &inject.id);
            let first = ids.get(&inject.id).unwrap_or(i);
            if first != i {
                let line = self.line_of(&format!("injects[{first}].id"));
                self.report(
                    &path,
                    format!("repeats the id `{}` of injects[{first}]", shown(&inject.id)),
                    Some(format!("ids must be unique among injects; the first is on line {line}")),
                );
            }
            match &inject.trigger {
                // A zero horizon is reported once, on `horizon_days`; every
                // inject day would otherwise repeat it.
                Trigger::Day(day) if *day >= s.horizon_days && s.horizon_days > 0 => {
                    let last = s.horizon_days.saturating_sub(1);
                    self.report(
                        &format!("injects[{i}].trigger"),
                        format!(
                            "fires on day {day}, but the run's last day is {last} (horizon_days is {})",
                            s.horizon_days
                        ),
                        Some(format!(
                            "days count from 0; use a day below {}, or raise horizon_days",
                            s.horizon_days
                        )),
                    );
                }
                Trigger::Day(_) => {}
                Trigger::When(condition) => self.check_condition(i, condition),
            }
            self.check_effect(i, &inject.effect);
        }
    }

    /// Capability targets of the after-action report: ids, the metric's
    /// references and days, and thresholds in the order the rating rule
    /// needs (docs/report.md).
    fn check_capabilities(&mut self) {
        let s = self.scenario;
        self.list_length("capabilities", s.capabilities.len());
        let names = s.capabilities.iter().map(|c| c.id.as_str()).collect::<Vec<_>>();
        let ids = Ids::new("capabilities", "capability", names);
        for (i, c) in s.capabilities.iter().enumerate() {
            let at = |field: &str| format!("capabilities[{i}].{field}");
            self.id(&at("id"), &c.id);
            let first = ids.get(&c.id).unwrap_or(i);
            if first != i {
                let line = self.line_of(&format!("capabilities[{first}].id"));
                self.report(
                    &at("id"),
                    format!("repeats the id `{}` of capabilities[{first}]", shown(&c.id)),
                    Some(format!(
                        "ids must be unique among capabilities; the first is on line {line}"
                    )),
                );
            }
            if c.name.trim().is_empty() {
                self.report(
                    &at("name"),
                    "must not be empty".to_string(),
                    Some("say what the capability is, in words".to_string()),
                );
            }
            let day = match &c.metric {
                Metric::ServiceLevel { districts, day, .. } => {
                    if districts.is_empty() {
                        self.report(
                            &at("metric.districts"),
                            "must name at least one district".to_string(),
                            Some("list the districts whose people the target is about".to_string()),
                        );
                    }
                    for (k, d) in districts.iter().enumerate() {
                        self.district(&at(&format!("metric.districts[{k}]")), d);
                    }
                    Some(*day)
                }
                Metric::ReturnedShare { day } => Some(*day),
                _ => None,
            };
            if let Some(day) = day
                && day >= s.horizon_days
                && s.horizon_days > 0
            {
                self.report(
                    &at("metric.day"),
                    format!(
                        "is day {day}, but the run's last day is {} (horizon_days is {})",
                        s.horizon_days.saturating_sub(1),
                        s.horizon_days
                    ),
                    Some(format!("days count from 0; use a day below {}", s.horizon_days)),
                );
            }
            let thresholds = [
                ("performed", c.performed),
                ("some_challenges", c.some_challenges),
                ("major_challenges", c.major_challenges),
            ];
            let mut all_valid = true;
            for (field, value) in thresholds {
                let before = self.problems.len();
                if c.metric.is_share() {
                    self.fraction(&at(field), value);
                } else {
                    self.non_negative(&at(field), value);
                }
                all_valid &= self.problems.len() == before;
            }
            if !all_valid {
                continue;
            }
            let more = c.metric.more_is_better();
            for pair in thresholds.windows(2) {
                let ((a, x), (b, y)) = (pair[0], pair[1]);
                let wrong = if more { y > x } else { y < x };
                if wrong {
                    let (relation, direction) = if more {
                        ("at most", "more is better for this metric")
                    } else {
                        ("at least", "less is better for this metric")
                    };
                    self.report(
                        &at(b),
                        format!("is {y}, but must be {relation} `{a}` ({x})"),
                        Some(format!(
                            "{direction}: order the thresholds performed, some_challenges, major_challenges from best to worst"
                        )),
                    );
                }
            }
        }
    }

    fn check_condition(&mut self, i: usize, condition: &Condition) {
        let at = |field: &str| format!("injects[{i}].trigger.{field}");
        match condition {
            Condition::ServiceBelow { district, below, .. } | Condition::SecurityBelow { district, below, .. } => {
                self.district(&at("district"), district);
                self.fraction(&at("below"), *below);
            }
        }
    }

    fn check_effect(&mut self, i: usize, effect: &Effect) {
        let at = |field: &str| format!("injects[{i}].effect.{field}");
        match effect {
            Effect::Sabotage { asset, damage } => {
                self.asset(&at("asset"), asset);
                self.fraction(&at("damage"), *damage);
            }
            Effect::Blockade { asset, .. } => {
                self.asset(&at("asset"), asset);
            }
            Effect::DiseaseOutbreak {
                district,
                cases,
                multiplier,
                ..
            } => {
                self.district(&at("district"), district);
                self.non_negative(&at("cases"), *cases);
                self.positive(&at("multiplier"), *multiplier);
            }
            Effect::FuelShortage { agency, lost, .. } => {
                self.agency(&at("agency"), agency);
                self.fraction(&at("lost"), *lost);
            }
            Effect::CrewAttack {
                district,
                security_drop,
                ..
            } => {
                self.district(&at("district"), district);
                self.fraction(&at("security_drop"), *security_drop);
            }
            Effect::Displacement { district, share, to } => {
                self.district(&at("district"), district);
                self.fraction(&at("share"), *share);
                if *to == Location::Home {
                    self.report(
                        &at("to"),
                        "is `Home`; displaced people go to a camp or a host district".to_string(),
                        Some("use `Camp(\"camp-id\")` or `Host(\"district-id\")`".to_string()),
                    );
                } else {
                    self.location(&at("to"), to);
                }
            }
            Effect::Heatwave { water_factor, .. } => self.positive(&at("water_factor"), *water_factor),
            Effect::BudgetFreeze { agency, .. } => {
                self.agency(&at("agency"), agency);
            }
            Effect::Minefield {
                district,
                site,
                contamination,
            } => {
                let s = self.scenario;
                let district_index = self.district(&at("district"), district);
                if let Some(site) = site
                    && let Some(asset) = self.asset(&at("site"), site)
                {
                    let stands_in = &s.assets[asset].site;
                    if district_index.is_some() && stands_in != district {
                        self.report(
                            &at("site"),
                            format!("is asset `{site}`, which stands in district `{stands_in}`, not in `{district}`"),
                            Some(format!(
                                "set `district: \"{stands_in}\"`, or name an asset in `{district}`"
                            )),
                        );
                    }
                }
                self.fraction(&at("contamination"), *contamination);
            }
            Effect::LiaisonPosted { between } | Effect::LiaisonEnded { between } => {
                let first = self.agency(&at("between[0]"), &between.0);
                let second = self.agency(&at("between[1]"), &between.1);
                if first.is_some() && second.is_some() && between.0 == between.1 {
                    self.report(
                        &at("between"),
                        format!("names agency `{}` twice", between.0),
                        Some("a liaison links two different agencies".to_string()),
                    );
                }
            }
            Effect::Workshop { agencies } => {
                let mut seen = BTreeSet::new();
                for (j, agency) in agencies.iter().enumerate() {
                    let path = at(&format!("agencies[{j}]"));
                    if self.agency(&path, agency).is_some() && !seen.insert(agency.as_str()) {
                        self.report(
                            &path,
                            format!("lists agency `{agency}` a second time"),
                            Some("remove the repeat".to_string()),
                        );
                    }
                }
                if agencies.len() < 2 {
                    let listed = if agencies.is_empty() {
                        "no agency"
                    } else {
                        "only one agency"
                    };
                    self.report(
                        &at("agencies"),
                        format!("lists {listed}; a workshop brings together at least two"),
                        None,
                    );
                }
            }
        }
    }

    /// Reports each dependency cycle once, at the `needs` entry closing it.
    fn check_cycles(&mut self) {
        let s = self.scenario;
        let graph = Graph::new(s);
        for cycle in graph.cycles() {
            let name = |step: &Option<(usize, usize)>| step.map_or("…", |(a, _)| s.assets[a].id.as_str());
            let mut chain = cycle.steps.iter().map(name).collect::<Vec<_>>().join(" -> ");
            let _ = write!(chain, " -> {}", name(&cycle.steps[0]));
            // How each asset depends on the next, where both are shown.
            let mut links = Vec::new();
            for (k, step) in cycle.steps.iter().enumerate() {
                let next = &cycle.steps[(k + 1) % cycle.steps.len()];
                let (Some((a, need)), Some((next, _))) = (step, next) else {
                    continue;
                };
                let (a, next) = (&s.assets[*a], &s.assets[*next]);
                links.push(match &a.needs[*need] {
                    Need::Asset(_) => format!("`{}` needs `{}` working", a.id, next.id),
                    Need::Service(service) => {
                        format!(
                            "`{}` needs {} at `{}`, which `{}` supplies",
                            a.id,
                            service.name(),
                            a.site,
                            next.id
                        )
                    }
                });
            }
            // A long cycle's links say the same thing many times over.
            const SHOWN_LINKS: usize = 6;
            if links.len() > SHOWN_LINKS {
                let more = links.len() - SHOWN_LINKS;
                links.truncate(SHOWN_LINKS);
                links.push(format!("and {more} more"));
            }
            let (last, closing) = cycle.closing;
            self.report(
                &format!("assets[{last}].needs[{closing}]"),
                format!("closes a dependency cycle: {chain}"),
                Some(format!(
                    "{}; services propagate once a day in a fixed order, so no asset in a cycle can ever start: \
                     remove one of these needs, or supply one of the assets from outside the cycle",
                    links.join("; ")
                )),
            );
        }
    }
}

/// One dependency cycle among assets: each step is an asset and the needs
/// entry through which it depends on the next step's asset (the last wraps
/// round to the first). A long cycle is shown by its two ends, with `None`
/// where the middle is left out.
struct Cycle {
    steps: Vec<Option<(usize, usize)>>,
    /// The asset and needs entry that close the cycle.
    closing: (usize, usize),
}

/// Nodes shown from each end of a long cycle.
const CYCLE_ENDS: usize = 12;

/// What assets depend on, as a graph.
///
/// Nodes `0..n` are the assets; the nodes after them are supply points, one
/// per (service, district) some asset needs. An asset needing a service at
/// its site depends on the supply point, which depends on every asset
/// producing the service for that district. The supply points keep the graph
/// linear in the size of the scenario, where edges straight from consumers
/// to producers could number assets squared.
struct Graph {
    assets: usize,
    /// Dependencies of each node, each with the needs entry it comes from
    /// (meaningful for asset nodes only).
    edges: Vec<Vec<(usize, usize)>>,
}

impl Graph {
    fn new(s: &Scenario) -> Graph {
        let districts: BTreeMap<&str, usize> = s
            .districts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let asset_ids: BTreeMap<&str, usize> = s
            .assets
            .iter()
            .enumerate()
            .rev()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut supply: BTreeMap<(Service, usize), usize> = BTreeMap::new();
        let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); s.assets.len()];
        for (i, asset) in s.assets.iter().enumerate() {
            for (k, need) in asset.needs.iter().enumerate() {
                let target = match need {
                    Need::Asset(id) => asset_ids.get(id.as_str()).copied(),
                    Need::Service(service) => districts.get(asset.site.as_str()).map(|&site| {
                        *supply.entry((*service, site)).or_insert_with(|| {
                            edges.push(Vec::new());
                            edges.len() - 1
                        })
                    }),
                };
                if let Some(target) = target {
                    edges[i].push((target, k));
                }
            }
        }
        for (i, asset) in s.assets.iter().enumerate() {
            let Some(output) = &asset.output else { continue };
            for district in &asset.serves {
                let point = districts
                    .get(district.as_str())
                    .and_then(|&d| supply.get(&(output.service, d)));
                if let Some(&point) = point {
                    edges[point].push((i, 0));
                }
            }
        }
        Graph {
            assets: s.assets.len(),
            edges,
        }
    }

    /// The cycles closed by back edges of a depth-first search from each
    /// asset in index order. Every cycle of the graph passes through one of
    /// them, and removing their closing needs leaves no cycle.
    fn cycles(&self) -> Vec<Cycle> {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let mut colour = vec![WHITE; self.edges.len()];
        // Where each grey node sits on the stack, so a back edge finds its
        // cycle without searching the stack.
        let mut position = vec![0usize; self.edges.len()];
        let mut cycles = Vec::new();
        // The explicit stack holds (node, next edge to follow); a node is
        // grey exactly while it is on the stack.
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in 0..self.assets {
            if colour[root] != WHITE {
                continue;
            }
            colour[root] = GREY;
            position[root] = stack.len();
            stack.push((root, 0));
            while let Some(top) = stack.last_mut() {
                let (node, next) = *top;
                let Some(&(target, _)) = self.edges[node].get(next) else {
                    colour[node] = BLACK;
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                match colour[target] {
                    WHITE => {
                        colour[target] = GREY;
                        position[target] = stack.len();
                        stack.push((target, 0));
                    }
                    GREY => cycles.push(self.cycle(&stack[position[target]..])),
                    _ => {}
                }
            }
        }
        cycles
    }

    /// The cycle formed by a stretch of the search stack, which ends with
    /// the node whose edge closes it. Only the two ends of a long stretch
    /// are read, so reporting many long cycles stays cheap.
    fn cycle(&self, path: &[(usize, usize)]) -> Cycle {
        // The edge being followed from a node is the one before `next`.
        let step = |&(node, next): &(usize, usize)| {
            (node < self.assets).then(|| (node, self.edges[node].get(next.wrapping_sub(1)).map_or(0, |&(_, k)| k)))
        };
        // Supply points are not assets and are left out of the steps.
        let assets = |part: &[(usize, usize)]| part.iter().filter_map(step).map(Some).collect::<Vec<_>>();
        let steps = if path.len() <= 2 * CYCLE_ENDS {
            assets(path)
        } else {
            let mut steps = assets(&path[..CYCLE_ENDS]);
            steps.push(None);
            steps.extend(assets(&path[path.len() - CYCLE_ENDS..]));
            steps
        };
        let closing = path.iter().rev().find_map(step).unwrap_or((0, 0));
        Cycle { steps, closing }
    }
}

/// Asset indices in an order where every asset comes after the assets it
/// depends on (its `Asset` needs and the producers of its `Service` needs at
/// its site), so services can be propagated in one pass.
///
/// Among the assets that are ready, the one with the smallest index comes
/// first (Kahn's algorithm), so the order is a pure function of the file. On
/// a validated scenario every asset is ordered; were a cycle present, its
/// assets would follow the rest in index order.
pub fn dependency_order(s: &Scenario) -> Vec<usize> {
    let graph = Graph::new(s);
    let nodes = graph.edges.len();
    let mut waiting: Vec<usize> = graph.edges.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (node, deps) in graph.edges.iter().enumerate() {
        for &(dep, _) in deps {
            dependents[dep].push(node);
        }
    }
    let mut ready: BTreeSet<usize> = (0..graph.assets).filter(|&a| waiting[a] == 0).collect();
    // Supply points are passed through as soon as they are ready, so the
    // choice among assets is the same as in a graph of assets alone.
    let mut points: Vec<usize> = (graph.assets..nodes).filter(|&p| waiting[p] == 0).collect();
    let mut order = Vec::with_capacity(graph.assets);
    let mut placed = vec![false; graph.assets];
    loop {
        let node = match points.pop() {
            Some(point) => point,
            None => match ready.pop_first() {
                Some(asset) => {
                    order.push(asset);
                    placed[asset] = true;
                    asset
                }
                None => break,
            },
        };
        for &dependent in &dependents[node] {
            waiting[dependent] -= 1;
            if waiting[dependent] == 0 {
                if dependent < graph.assets {
                    ready.insert(dependent);
                } else {
                    points.push(dependent);
                }
            }
        }
    }
    order.extend((0..graph.assets).filter(|&a| !placed[a]));
    order
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

    #[test]
    fn typo_suggestions() {
        assert_eq!(closest("wset", ["east", "west", "old-city"]), Some("west"));
        assert_eq!(
            closest("contamnation", ["security", "contamination"]),
            Some("contamination")
        );
        assert_eq!(closest("zzzz", ["east", "west"]), None);
        // Three edits from both; the one that shares the typed beginning.
        let kinds = [
            "PowerStation",
            "Substation",
            "PumpingStation",
            "SewageStation",
            "WaterPlant",
        ];
        assert_eq!(closest("PumpStation", kinds), Some("PumpingStation"));
    }
}
