//! Renders scenario problems as the text the command line prints: one
//! grep-able line, then a source snippet with the place underlined and the
//! suggested fix.
//!
//! Rendering returns a `String`; printing it is the caller's business, so
//! nothing here writes to a terminal or reads one. The snippet never copies
//! control characters from the file to the output, and never shows more than
//! a window of a long line, so a one-line or hostile file renders as readably
//! as a tidy one.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, NamedSource,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Problem, ScenarioSource};

/// Width the snippet's text is wrapped at, wide enough for scenario lines.
const WIDTH: usize = 100;

/// Lines longer than this, in bytes, are shown as a window around the place
/// instead of whole, and are not shown as context.
const LONG_LINE: usize = 240;

/// Bytes shown on each side of the place in a long line.
const WINDOW: usize = 80;

/// Longest underline, in bytes; a longer span is underlined from its start.
const LONGEST_LABEL: usize = 160;

/// Scenario text prepared for snippets: control characters replaced
/// byte-for-byte (so every offset still holds), and the line starts indexed
/// so that a snippet costs time in proportion to what it shows.
#[derive(Debug, Clone)]
struct Excerpt {
    text: Arc<str>,
    line_starts: Arc<[usize]>,
}

impl Excerpt {
    fn new(text: &str) -> Excerpt {
        let clean: String = text
            .chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => c,
                // One byte for one byte.
                c if c.is_ascii_control() => '?',
                // C1 controls are two bytes in UTF-8, as is `¿`.
                '\u{80}'..='\u{9f}' => '¿',
                c => c,
            })
            .collect();
        let line_starts = std::iter::once(0)
            .chain(clean.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Excerpt {
            text: Arc::from(clean),
            line_starts,
        }
    }

    /// 0-based line of a byte and the byte its line starts at.
    fn line_of(&self, byte: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= byte).saturating_sub(1);
        (line, self.line_starts[line])
    }

    /// Byte where the line starting at `start` ends (its newline or the end).
    fn line_end(&self, start: usize) -> usize {
        self.text[start..].find('\n').map_or(self.text.len(), |i| start + i)
    }

    fn floor(&self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }

    fn ceil(&self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte += 1;
        }
        byte
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &*self.text;
        let start = span.offset();
        let end = start.checked_add(span.len()).ok_or(MietteError::OutOfBounds)?;
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (first_line, first_start) = self.line_of(start);
        let (last_line, last_start) = self.line_of(end.saturating_sub(1).max(start));
        let last_end = self.line_end(last_start);
        let (from, to, line, lines) = if last_end - first_start > LONG_LINE {
            // A window of the long line around the place, without context.
            let from = self.floor(start.saturating_sub(WINDOW).max(first_start));
            let to = self.ceil(end.max(start + 1).saturating_add(WINDOW).min(last_end));
            (from, to.max(from), first_line, last_line - first_line + 1)
        } else {
            let (mut from, mut line) = (first_start, first_line);
            for _ in 0..context_lines_before {
                let Some(previous) = line.checked_sub(1) else { break };
                let previous_start = self.line_starts[previous];
                if from - previous_start > LONG_LINE {
                    break;
                }
                (from, line) = (previous_start, previous);
            }
            let mut to = last_end;
            let mut lines = last_line - line + 1;
            for _ in 0..context_lines_after {
                if to >= text.len() {
                    break;
                }
                let next_end = self.line_end(to + 1);
                if next_end - to > LONG_LINE {
                    break;
                }
                to = next_end;
                lines += 1;
            }
            // The newline ending the last line belongs to the snippet, as
            // in miette's own sources.
            (from, (to + 1).min(text.len()), line, lines)
        };
        // Asked for no context before, miette wants the contents to start at
        // the span itself: that is how it finds the column for the header.
        let from = if context_lines_before == 0 { start } else { from };
        let column = text[self.line_starts[line]..from].chars().count();
        Ok(Box::new(MietteSpanContents::new(
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            line,
            column,
            lines,
        )))
    }
}

/// A [`Problem`] with the source text it points into, as `miette` wants it.
#[derive(Debug)]
struct ProblemDiagnostic {
    headline: String,
    label: String,
    help: Option<String>,
    span: SourceSpan,
    source: NamedSource<Excerpt>,
}

impl fmt::Display for ProblemDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl std::error::Error for ProblemDiagnostic {}

impl Diagnostic for ProblemDiagnostic {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

impl fmt::Display for Problem {
    /// `line:column: path: message`, the form used in logs and test failures.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// The text printed for one problem: `error: {name}:{line}:{column}: {path}:
/// {message}` on the first line, then the snippet, the help and the note.
///
/// Colour is used only when `color` is true and `NO_COLOR` is unset or empty
/// (<https://no-color.org>); the caller decides whether its output is a
/// terminal.
pub fn render(source: &ScenarioSource, problem: &Problem, color: bool) -> String {
    render_with(source, &Excerpt::new(&source.text), problem, color)
}

/// [`render`] for every problem, separated by blank lines; the source text is
/// prepared once for all of them.
pub fn render_all(source: &ScenarioSource, problems: &[Problem], color: bool) -> String {
    let excerpt = Excerpt::new(&source.text);
    problems
        .iter()
        .map(|p| render_with(source, &excerpt, p, color))
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_with(source: &ScenarioSource, excerpt: &Excerpt, problem: &Problem, color: bool) -> String {
    let where_ = if problem.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", problem.path)
    };
    let mut out = format!(
        "error: {}:{}:{}: {where_}{}\n",
        source.name, problem.line, problem.column, problem.message
    );
    // A span from another text, or past its end, must not make the renderer
    // fail: clamp it to the text, to its first line and to a readable length.
    let start = excerpt.floor(problem.span.start);
    let line_end = excerpt.line_end(start);
    let end = excerpt.floor(problem.span.end.clamp(start, line_end).min(start + LONGEST_LABEL));
    let diagnostic = ProblemDiagnostic {
        headline: format!("{where_}{}", problem.message),
        label: if problem.path.is_empty() {
            "here".to_string()
        } else {
            problem.path.clone()
        },
        help: problem.help.clone(),
        span: SourceSpan::from(start..end),
        source: NamedSource::new(&source.name, excerpt.clone()),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = if color && !no_color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    if handler.render_report(&mut out, &diagnostic).is_err() {
        // The renderer fails only on a span it cannot read; the first line
        // already says what and where.
        out.push_str("  (the source snippet could not be shown)\n");
    }
    if let Some(note) = &problem.note {
        // Wrapped and indented as miette writes the help above it; lines
        // break at spaces only, so a field name stays whole.
        let options = textwrap::Options::new(WIDTH - 2)
            .initial_indent("  note: ")
            .subsequent_indent("        ")
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .break_words(false);
        out.push_str(&textwrap::fill(note, options));
        out.push('\n');
    }
    out
}
