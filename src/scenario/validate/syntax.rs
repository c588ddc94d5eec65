//! Syntax and structure errors in words: what `ron` stopped at, reported
//! with what was expected, what was found, where, and a fix when one is
//! likely; and the checks made before `ron` reads a text (an empty file, an
//! unsupported `format_version`). Reading on past an error is
//! `recover.rs`'s.

use super::suggest::did_you_mean;
use super::{escape_controls, shown};
use crate::scenario::Problem;
use crate::scenario::format::{FORMAT_VERSION, Scenario};
use crate::scenario::locate::{self, Outline};

/// Deepest nesting `ron` may follow. A scenario nests six levels at most
/// (`injects: [( trigger: When(ServiceBelow(...)) )]`); the limit turns a
/// file of nested brackets into an error instead of a stack overflow.
const RECURSION_LIMIT: usize = 64;

/// The `ron` options every piece of scenario text is read with (files,
/// `--inject` effects): nesting deeper than [`RECURSION_LIMIT`] is an error.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RECURSION_LIMIT)
}

/// The problem found before `ron` is asked to parse the text, if any: an
/// empty file, or an unsupported `format_version`, which is reported before
/// anything else since a file written for another version is likely to fail
/// in confusing ways.
pub(super) fn before_parsing(text: &str, outline: &Outline) -> Option<Problem> {
    if outline.is_empty() {
        return Some(Problem {
            path: String::new(),
            message: "the file is empty: expected a scenario, `(format_version: 1, name: ..., ...)`".to_string(),
            help: Some("start from `cimsim scenarios` or docs/scenario-format.md".to_string()),
            note: None,
            line: 1,
            column: 1,
            span: 0..0,
        });
    }
    version_problem(text, outline)
}

/// The problem with a parsed scenario's `format_version` when it is not
/// this build's (written in a way the structural scanner did not read, such
/// as `0x2`), placed in `text`.
pub(super) fn version_after_parsing(text: &str, outline: &Outline, scenario: &Scenario) -> Option<Problem> {
    (scenario.format_version != FORMAT_VERSION).then(|| {
        let place = outline.find(text, "format_version");
        located(
            text,
            "format_version",
            place.span,
            unsupported_version(scenario.format_version.into()),
        )
    })
}

/// The message and help for a `format_version` other than this build's.
pub(super) fn unsupported_version(found: u64) -> (String, Option<String>) {
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
        note: None,
        line,
        column,
        span,
    }
}

/// Turns a `ron` error into a problem that says what was expected, what was
/// found, and where (with the field path around the error).
pub(super) fn syntax_problem(text: &str, outline: &Outline, error: &ron::error::SpannedError) -> Problem {
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
    located(text, &path, span.clone(), explain(&error.code, text, span, &found))
}

/// What a `ron` error means, in words: the message (what was expected and
/// what was found) and a fix when one is likely.
///
/// One arm per kind of error, so the function is as long as `ron`'s list of
/// errors; it is a table, and splitting it would only scatter the table.
fn explain(
    code: &ron::error::Error,
    text: &str,
    span: std::ops::Range<usize>,
    found: &str,
) -> (String, Option<String>) {
    use ron::error::Error as E;
    match code {
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
    }
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
