//! Reading on after a structure error, so that one mistake does not hide
//! the others: the text is mended in the one way the error suggests (a
//! misspelt name spelt as the closest one, an unknown field left out, a
//! missing field or a value of the wrong type given a stand-in value, a
//! missing comma put in) and parsed again; once it parses, the semantic
//! checks run on the mended text. Every problem keeps its place in the text
//! as written: the edits are kept, and a place in the mended text maps back
//! through them. An edit never adds or removes a line, so a line number
//! means the same in both texts.
//!
//! A syntax error that no small edit mends (an unclosed bracket or string,
//! a stray character) stops the reading there, and the problem says so;
//! so does an edit after which `ron` fails at the same place again. A
//! problem found at a stand-in value is the stand-in's, not the author's,
//! and is not reported. Reading is bounded ([`MAX_REPORTED`],
//! [`MAX_PARSES`], [`MAX_PARSED_BYTES`]), so a file of a thousand mistakes
//! costs a few parses, not a thousand. Nothing here may panic on any input.

use std::ops::Range;

use ron::error::Error as E;

use super::semantic::check;
use super::shown;
use super::suggest::closest;
use super::syntax::{before_parsing, ron_options, syntax_problem, version_after_parsing};
use crate::scenario::Problem;
use crate::scenario::format::Scenario;
use crate::scenario::locate::{self, Lines, Outline};

/// Structure problems reported for one file, at most: past them, an author
/// is better served by fixing the first ones.
const MAX_REPORTED: usize = 20;

/// Parses of one file, at most, counting the quiet ones that build a
/// stand-in value (a missing struct of seven fields takes nine).
const MAX_PARSES: usize = 200;

/// Bytes read for one file, at most, counting each parse as the whole text:
/// a file at the 16 MiB limit is parsed four times, a 100 kB one as often
/// as [`MAX_PARSES`] allows. Each parse after a problem costs about 0.2 s
/// for a 7.4 MB file on the project's machine (release build; a parse, an
/// outline and a look-up or two; docs/performance.md), so the bound keeps
/// reading on to about 2 s for the largest files.
const MAX_PARSED_BYTES: usize = 64 << 20;

/// The value put where a value is missing or of the wrong type. `ron` then
/// says what type is wanted there, and [`quiet_fix`] puts in a value of
/// that type.
const STAND_IN: &str = "0";

/// An identifier put where `ron` wants one in a stand-in value: `ron` then
/// lists the variants of the enum, and the first one is taken.
const PROBE: &str = "X_";

/// What the note of a problem that stopped the reading says.
const STOPPED: &str = "checking stopped here: what was meant cannot be guessed, so the rest of the file \
                       was not read and no ids, references or values were checked";

/// One change to the text.
#[derive(Debug, Clone)]
struct Edit {
    /// The bytes of the text as written that were replaced (empty for an
    /// insertion).
    original: Range<usize>,
    /// The bytes of the mended text that replace them.
    mended: Range<usize>,
    /// The mended bytes are a stand-in value of ours: an error inside them
    /// is ours to mend quietly, not the author's.
    stand_in: bool,
}

/// The text as mended so far, and the edits that made it from the text as
/// written: in order and disjoint.
#[derive(Debug, Clone)]
struct Mended {
    text: String,
    edits: Vec<Edit>,
}

impl Mended {
    fn new(text: &str) -> Mended {
        Mended {
            text: text.to_string(),
            edits: Vec::new(),
        }
    }

    /// Replaces `range` of the mended text by `with` (plus the newlines of
    /// what it replaces, so that every line keeps its number). An edit
    /// overlapping earlier ones merges with them into one.
    fn replace(&mut self, range: Range<usize>, with: &str, stand_in: bool) {
        let newlines = self.text[range.clone()].matches('\n').count();
        let with = format!("{with}{}", "\n".repeat(newlines));
        // An insertion merges only with an edit it falls strictly inside.
        let overlaps = |e: &&Edit| {
            if range.is_empty() {
                e.mended.start < range.start && range.start < e.mended.end
            } else {
                e.mended.start < range.end && range.start < e.mended.end
            }
        };
        let first = self.edits.partition_point(|e| e.mended.end <= range.start);
        let last = first + self.edits[first..].iter().take_while(overlaps).count();
        let merged = &self.edits[first..last];
        let start = merged.first().map_or(range.start, |e| e.mended.start.min(range.start));
        let end = merged.last().map_or(range.end, |e| e.mended.end.max(range.end));
        let original = self.original(start)..self.original_end(end);
        let stand_in = stand_in || merged.iter().any(|e| e.stand_in);
        let grown = with.len() as isize - range.len() as isize;
        self.text.replace_range(range, &with);
        let edit = Edit {
            original,
            mended: start..end.saturating_add_signed(grown),
            stand_in,
        };
        self.edits.splice(first..last, [edit]);
        for e in &mut self.edits[first + 1..] {
            e.mended = e.mended.start.saturating_add_signed(grown)..e.mended.end.saturating_add_signed(grown);
        }
    }

    /// The byte of the text as written that a byte of the mended text
    /// stands for; a byte inside an edit stands for the start of what the
    /// edit replaced.
    fn original(&self, byte: usize) -> usize {
        let i = self.edits.partition_point(|e| e.mended.start <= byte);
        match i.checked_sub(1).map(|i| &self.edits[i]) {
            None => byte,
            Some(e) if byte < e.mended.end => e.original.start,
            Some(e) => e.original.end + (byte - e.mended.end),
        }
    }

    /// [`Mended::original`] for the end of a range: a range ending inside
    /// an edit ends where what the edit replaced ends.
    fn original_end(&self, byte: usize) -> usize {
        let i = self.edits.partition_point(|e| e.mended.start < byte);
        match i.checked_sub(1).map(|i| &self.edits[i]) {
            None => byte,
            Some(e) if byte <= e.mended.end => e.original.end,
            Some(e) => e.original.end + (byte - e.mended.end),
        }
    }

    /// Whether `byte` is inside a stand-in value of ours, or (with
    /// `or_just_after`) right after one: where `ron` asks for the
    /// `(...)` of a variant we put in.
    fn in_stand_in(&self, byte: usize, or_just_after: bool) -> bool {
        self.edits.iter().any(|e| {
            e.stand_in && e.mended.start <= byte && (byte < e.mended.end || (or_just_after && byte == e.mended.end))
        })
    }

    /// A problem placed in the mended text, placed in the text as written.
    fn place(&self, mut problem: Problem, written: &str, lines: &Lines) -> Problem {
        let start = self.original(problem.span.start).min(written.len());
        let end = self.original_end(problem.span.end).clamp(start, written.len());
        problem.span = start..end;
        (problem.line, problem.column) = lines.line_col(written, start);
        problem
    }
}

/// What validation did about a structure problem, which its note says.
#[derive(Debug, Clone, PartialEq)]
enum Note {
    /// Read on as this says (`as if `naem` were `name``).
    ReadOn(String),
    /// Reading stopped at this problem.
    Stopped,
    /// Reading stopped at this problem because enough had been found: the
    /// bounds of reading were reached.
    Enough,
}

/// How to mend the text after one structure error.
#[derive(Debug)]
struct Repair {
    /// Edits of the mended text, applied in this order (so each must lie
    /// after the ones that follow it).
    edits: Vec<(Range<usize>, String)>,
    /// The field path of the stand-in value the edit puts in, if it does.
    stand_in: Option<String>,
    /// How the rest of the file was read, for the note.
    said: String,
    /// Whether the next error may be at the same place (a second field
    /// missing before the same bracket).
    same_place: bool,
}

impl Repair {
    fn new(edit: (Range<usize>, String), said: String) -> Repair {
        Repair {
            edits: vec![edit],
            stand_in: None,
            said,
            same_place: false,
        }
    }
}

/// Where the last repair was, so that an error it did not mend stops the
/// reading instead of being reported again and again.
#[derive(Debug)]
struct Guard {
    /// The problem's place in the text as written.
    at: usize,
    code: E,
    same_place: bool,
}

impl Guard {
    /// Whether an error at `at` (in the text as written) is a new one.
    fn passes(&self, at: usize, code: &E) -> bool {
        at > self.at || (at == self.at && self.same_place && *code != self.code)
    }
}

/// Reads and checks `written`: the scenario when it has no problem, else
/// every problem found, structure and semantic, in file order and placed in
/// `written`, each structure error mended on the way where it can be.
pub(crate) fn read(written: &str) -> Result<Scenario, Vec<Problem>> {
    let outline = Outline::build(written);
    if let Some(problem) = before_parsing(written, &outline) {
        return Err(vec![problem]);
    }
    let mut reader = Reader {
        written,
        lines: Lines::new(written),
        mended: Mended::new(written),
        found: Vec::new(),
        stand_ins: Vec::new(),
    };
    let scenario = reader.read();
    let problems = reader.problems(scenario.as_ref());
    match scenario {
        Some(scenario) if problems.is_empty() => Ok(scenario),
        _ => Err(problems),
    }
}

/// The state of one reading.
struct Reader<'a> {
    written: &'a str,
    lines: Lines,
    mended: Mended,
    /// Structure problems in the order found, placed in `written`.
    found: Vec<(Problem, Option<Note>)>,
    /// Field paths given a stand-in value.
    stand_ins: Vec<String>,
}

impl Reader<'_> {
    /// Parses, mends and parses again until the mended text parses or
    /// reading has to stop.
    fn read(&mut self) -> Option<Scenario> {
        let (mut parses, mut parsed) = (0usize, 0usize);
        let mut guard: Option<Guard> = None;
        let mut quiet: Option<(usize, E)> = None;
        loop {
            parses += 1;
            parsed += self.mended.text.len();
            if parses > 1 && (parses > MAX_PARSES || parsed > MAX_PARSED_BYTES) {
                return self.stop(Note::Enough);
            }
            let error = match ron_options().from_str::<Scenario>(&self.mended.text) {
                Ok(scenario) => return self.parsed(scenario),
                Err(error) => error,
            };
            let text = self.mended.text.as_str();
            let at = locate::offset_of(text, error.span.start.line, error.span.start.col);
            let at = locate::skip_trivia(text, at);
            if self.mended.in_stand_in(at, matches!(error.code, E::ExpectedStructLike)) {
                // `ron` says what type our stand-in must have: give it one.
                let again = quiet.as_ref().is_some_and(|(b, c)| *b == at && *c == error.code);
                let outline = Outline::build(text);
                let Some((range, with)) = quiet_fix(&error.code, text, at, &outline).filter(|_| !again) else {
                    return self.stop(Note::Stopped);
                };
                quiet = Some((at, error.code));
                self.mended.replace(range, &with, true);
                continue;
            }
            quiet = None;
            let outline = Outline::build(text);
            let problem = syntax_problem(text, &outline, &error);
            let problem = self.mended.place(problem, self.written, &self.lines);
            if guard
                .as_ref()
                .is_some_and(|g| !g.passes(problem.span.start, &error.code))
            {
                return self.stop(Note::Stopped);
            }
            if self.found.len() + 1 >= MAX_REPORTED {
                self.found.push((problem, Some(Note::Enough)));
                return None;
            }
            let Some(repair) = repair(&error.code, text, at, &outline) else {
                self.found.push((problem, Some(Note::Stopped)));
                return None;
            };
            guard = Some(Guard {
                at: problem.span.start,
                code: error.code,
                same_place: repair.same_place,
            });
            let stand_in = repair.stand_in.is_some();
            for (range, with) in repair.edits {
                self.mended.replace(range, &with, stand_in);
            }
            self.stand_ins.extend(repair.stand_in);
            self.found.push((problem, Some(Note::ReadOn(repair.said))));
        }
    }

    /// The mended text parsed: the scenario, unless its `format_version`
    /// (written, not a stand-in) is not this build's.
    fn parsed(&mut self, scenario: Scenario) -> Option<Scenario> {
        if self.stand_ins.iter().any(|path| path == "format_version") {
            return Some(scenario);
        }
        let text = &self.mended.text;
        match version_after_parsing(text, &Outline::build(text), &scenario) {
            Some(problem) => {
                let problem = self.mended.place(problem, self.written, &self.lines);
                self.found.push((problem, None));
                None
            }
            None => Some(scenario),
        }
    }

    /// Reading stops: the last problem found says so, and why.
    fn stop(&mut self, why: Note) -> Option<Scenario> {
        if let Some((_, note)) = self.found.last_mut() {
            *note = Some(why);
        }
        None
    }

    /// Every problem, in file order: the structure problems found, with
    /// their notes, and the semantic problems of the mended scenario that
    /// are not about a stand-in value.
    fn problems(self, scenario: Option<&Scenario>) -> Vec<Problem> {
        let semantic: Vec<Problem> = match scenario {
            None => Vec::new(),
            Some(s) if self.found.is_empty() => return check(s, self.written),
            Some(s) => check(s, &self.mended.text)
                .into_iter()
                .filter(|p| !self.stand_ins.iter().any(|path| within(&p.path, path)))
                .map(|p| self.mended.place(p, self.written, &self.lines))
                .collect(),
        };
        let (structure, total) = (self.found.len(), self.found.len() + semantic.len());
        let mut problems: Vec<Problem> = self
            .found
            .into_iter()
            .enumerate()
            .map(|(i, (mut problem, note))| {
                let others = i + 1 < total;
                problem.note = match note {
                    Some(Note::ReadOn(said)) if others => Some(format!(
                        "the rest of the file was checked {said}; other problems may follow from this"
                    )),
                    Some(Note::ReadOn(_)) | None => None,
                    Some(Note::Stopped) => Some(STOPPED.to_string()),
                    Some(Note::Enough) => Some(format!(
                        "checking stopped after {structure} problems of structure; fix these and validate the file again"
                    )),
                };
                problem
            })
            .chain(semantic)
            .collect();
        // Stable: a structure problem comes before a semantic one at the
        // same place.
        problems.sort_by_key(|p| p.span.start);
        problems
    }
}

/// Whether `path` is `prefix` or a path inside it.
fn within(path: &str, prefix: &str) -> bool {
    !prefix.is_empty()
        && path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// How to mend the text after the structure error `code` at byte `at` of
/// `text`, or `None` when no small edit is likely to mend it.
///
/// One arm per kind of error that can be mended, like `syntax::explain`.
fn repair(code: &E, text: &str, at: usize, outline: &Outline) -> Option<Repair> {
    match code {
        E::NoSuchStructField { expected, found, .. } => {
            let key = locate::token_at(text, at);
            match closest(found, expected.iter().copied()) {
                Some(name) if !has_sibling(text, outline, key.start, name) => Some(Repair::new(
                    (key, name.to_string()),
                    format!("as if `{}` were `{name}`", shown(found)),
                )),
                _ => leave_out(text, key.start, "without this field".to_string()),
            }
        }
        E::DuplicateStructField { field, .. } => leave_out(
            text,
            locate::token_at(text, at).start,
            format!("with the first `{field}` only"),
        ),
        E::NoSuchEnumVariant { expected, found, .. } => match closest(found, expected.iter().copied()) {
            Some(name) => Some(Repair::new(
                (locate::token_at(text, at), name.to_string()),
                format!("as if `{}` were `{name}`", shown(found)),
            )),
            None => stand_in(text, at, outline),
        },
        E::MissingStructField { field, .. } => missing_field(text, at, field, outline),
        E::ExpectedOption => {
            let value = locate::value_at(text, at).filter(|v| !v.is_empty())?;
            let said = format!("as if it were `Some({})`", shown(&text[value.clone()]));
            Some(Repair {
                edits: vec![
                    (value.end..value.end, ")".to_string()),
                    (value.start..value.start, "Some(".to_string()),
                ],
                stand_in: None,
                said,
                // The value inside may be of the wrong type too.
                same_place: true,
            })
        }
        E::ExpectedComma => {
            let token = locate::token_at(text, at);
            (!token.is_empty()).then(|| {
                let said = format!("as if a comma were written before `{}`", shown(&text[token.clone()]));
                Repair::new((token.start..token.start, ",".to_string()), said)
            })
        }
        E::TrailingCharacters => Some(Repair::new(
            (at..text.len(), " ".to_string()),
            "without the text after the scenario's closing bracket".to_string(),
        )),
        // `ron` wants a field name here as often as an enum's variant: only
        // a value after `name:` gets a stand-in.
        E::ExpectedIdentifier | E::SuggestRawIdentifier(_) => {
            let before = locate::token_before(text, at)?;
            (&text[before] == ":").then(|| stand_in(text, at, outline)).flatten()
        }
        E::ExpectedNamedStructLike(name) if *name == "Scenario" => None,
        E::ExpectedInteger
        | E::ExpectedFloat
        | E::ExpectedString
        | E::ExpectedBoolean
        | E::ExpectedArray
        | E::ExpectedMap
        | E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::IntegerOutOfBounds
        | E::InvalidValueForType { .. } => stand_in(text, at, outline),
        _ => None,
    }
}

/// Whether the struct holding the field whose name starts at `key` also has
/// a field `name`: then a misspelt field is not renamed to it.
fn has_sibling(text: &str, outline: &Outline, key: usize, name: &str) -> bool {
    let path = outline.path_at(text, key);
    let sibling = match path.rsplit_once('.') {
        Some((parent, _)) => format!("{parent}.{name}"),
        None if path.contains('[') => return false,
        None => name.to_string(),
    };
    outline.find(text, &sibling).exact
}

/// Leaves out the field whose name starts at `key`, with its comma.
fn leave_out(text: &str, key: usize, said: String) -> Option<Repair> {
    let field = locate::field_at(text, key)?;
    Some(Repair::new((field, " ".to_string()), said))
}

/// Puts a stand-in in place of the value at `at`, which is not the author's
/// any more: problems about it are not reported.
fn stand_in(text: &str, at: usize, outline: &Outline) -> Option<Repair> {
    let value = locate::value_at(text, at).filter(|v| !v.is_empty())?;
    Some(Repair {
        stand_in: Some(outline.path_at(text, value.start)),
        ..Repair::new((value, STAND_IN.to_string()), "with a stand-in value here".to_string())
    })
}

/// Adds the missing `field`, with a stand-in value, before the closing
/// bracket at `at`.
fn missing_field(text: &str, at: usize, field: &str, outline: &Outline) -> Option<Repair> {
    let close = locate::token_at(text, at);
    if text.as_bytes().get(close.start) != Some(&b')') {
        return None;
    }
    let before = locate::token_before(text, close.start)?;
    let separator = if matches!(&text[before], "," | "(") { "" } else { ", " };
    let parent = outline.path_at(text, close.start);
    let path = if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    };
    Some(Repair {
        edits: vec![(close.start..close.start, format!("{separator}{field}: {STAND_IN}"))],
        stand_in: Some(path),
        said: format!("with a stand-in value for `{field}`"),
        same_place: true,
    })
}

/// The edit that gives a stand-in value the type `ron` asks for at `at`, or
/// `None` when there is none to give.
fn quiet_fix(code: &E, text: &str, at: usize, outline: &Outline) -> Option<(Range<usize>, String)> {
    let with = match code {
        E::ExpectedInteger | E::ExpectedFloat | E::IntegerOutOfBounds | E::InvalidValueForType { .. } => STAND_IN,
        E::ExpectedString => "\"\"",
        E::ExpectedBoolean => "false",
        E::ExpectedArray => "[]",
        E::ExpectedMap => "{}",
        E::ExpectedOption => "None",
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => "()",
        E::ExpectedIdentifier | E::SuggestRawIdentifier(_) => PROBE,
        E::NoSuchEnumVariant { expected, .. } => {
            return Some((locate::token_at(text, at), (*expected.first()?).to_string()));
        }
        E::MissingStructField { field, .. } => {
            return missing_field(text, at, field, outline)?.edits.pop();
        }
        _ => return None,
    };
    Some((locate::value_at(text, at)?, with.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_in_the_mended_text_map_back_to_the_text_as_written() {
        let written = "(a: 1, bb: 2, c: 3)";
        let mut mended = Mended::new(written);
        // `bb` becomes `b`, then `, d: 0` goes in before the bracket.
        mended.replace(7..9, "b", false);
        let close = mended.text.rfind(')').unwrap();
        mended.replace(close..close, ", d: 0", true);
        assert_eq!(mended.text, "(a: 1, b: 2, c: 3, d: 0)");
        // Before, inside, between and after the edits.
        assert_eq!(mended.original(1), 1);
        assert_eq!(mended.original(7), 7);
        assert_eq!(mended.original(10), 11);
        let d = mended.text.find('d').unwrap();
        assert_eq!(mended.original(d), written.rfind(')').unwrap());
        assert_eq!(mended.original(mended.text.len() - 1), written.len() - 1);
        assert_eq!(mended.original_end(8), 9);
        assert!(mended.in_stand_in(d, false));
        assert!(!mended.in_stand_in(mended.text.len() - 1, false));
        // An edit inside a stand-in grows it.
        let zero = mended.text.rfind('0').unwrap();
        mended.replace(zero..zero + 1, "\"\"", true);
        assert_eq!(mended.text, "(a: 1, b: 2, c: 3, d: \"\")");
        assert_eq!(mended.edits.len(), 2);
        assert_eq!(mended.original(mended.text.len() - 1), written.len() - 1);
    }

    #[test]
    fn an_edit_keeps_every_line_number() {
        let mut mended = Mended::new("(a: [\n1,\n2],\nb: 3)");
        mended.replace(4..11, "0", true);
        assert_eq!(mended.text, "(a: 0\n\n,\nb: 3)");
    }

    #[test]
    fn paths_within_a_stand_in() {
        assert!(within("horizon_days", "horizon_days"));
        assert!(within("standards.water_litres", "standards"));
        assert!(within("districts[0]", "districts"));
        assert!(!within("districts_extra", "districts"));
        assert!(!within("name", ""));
    }
}
