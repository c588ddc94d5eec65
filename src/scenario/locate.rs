//! Places in scenario text: maps a field path such as `assets[2].needs[0]` to
//! the bytes of its value, a byte back to the path around it, and bytes to
//! 1-based lines and columns.
//!
//! The scanner is structural, not a parser: it knows comments, strings, raw
//! strings, chars, brackets, commas and `name: value` fields, and nothing of
//! the scenario types, so it also copes with text that `ron` rejects. It must
//! never fail, never recurse and never take more than linear time, because it
//! runs on whatever bytes a user hands to `cimsim`.

use std::ops::Range;

/// Where the value at a field path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The value, including a struct or variant name before its bracket
    /// (`Sabotage(...)`), or the first line of the nearest enclosing value
    /// when the path itself is absent.
    pub span: Range<usize>,
    /// The field name before the value, when the value is a field.
    pub key: Option<Range<usize>>,
    /// False when the path was not found and `span` is the nearest enclosing
    /// value that was.
    pub exact: bool,
}

/// One comma-separated item of a bracketed group: `name: value` or `value`.
#[derive(Debug, Clone)]
struct Element {
    /// The field name, for `name: value` items and map entries.
    key: Option<Range<usize>>,
    /// The value, from its first token to its last.
    span: Range<usize>,
    /// Where the item starts: its key, or its value when it has no key.
    start: usize,
    /// The bracketed group inside the value (`(...)` of `Name(...)`), if any.
    group: Option<usize>,
}

/// A bracketed group and its items in order.
#[derive(Debug, Clone)]
struct Group {
    open: u8,
    items: Vec<usize>,
}

/// Where the item being read in a group has got to.
#[derive(Debug, Clone, Default)]
struct Pending {
    start: Option<usize>,
    key: Option<Range<usize>>,
    value_start: Option<usize>,
    end: usize,
    atoms: usize,
    first_atom: Option<Range<usize>>,
    group: Option<usize>,
    /// The item began with `#` (a `#![enable(...)]` attribute), so the group
    /// that follows is not a value.
    attribute: bool,
}

/// A group being read, on the explicit stack that replaces recursion.
#[derive(Debug)]
struct Frame {
    group: usize,
    pending: Pending,
}

/// The outline of a RON text: every bracketed group and item with its bytes.
///
/// Built in one pass with an explicit stack, so a hundred thousand nested
/// brackets cost memory in proportion, not stack depth.
#[derive(Debug, Clone)]
pub(crate) struct Outline {
    elements: Vec<Element>,
    groups: Vec<Group>,
    /// The top-level value, when the text has one.
    root: Option<usize>,
    /// Number of tokens outside comments and whitespace.
    tokens: usize,
}

/// A token of RON text, with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open(u8, usize),
    Close(usize),
    Comma,
    Colon,
    /// A number, identifier, string, char or any other run of bytes.
    Atom(Range<usize>),
}

/// Reads tokens one at a time, skipping whitespace and comments.
struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Bytes that end an atom: brackets, separators, quotes and whitespace.
fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b':' | b'"' | b'\'') || b.is_ascii_whitespace()
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Skips whitespace, `//` comments and nested `/* */` comments. An
    /// unclosed block comment runs to the end of the text.
    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(b) = self.peek(0) {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.pos += 2;
                    let mut depth = 1usize;
                    while depth > 0 {
                        match (self.peek(0), self.peek(1)) {
                            (None, _) => break,
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.pos += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips a `"..."` string whose opening quote is at `self.pos`; an
    /// unclosed string runs to the end of the text.
    fn skip_string(&mut self) {
        self.pos += 1;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            match b {
                b'\\' => self.pos = (self.pos + 1).min(self.bytes.len()),
                b'"' => return,
                _ => {}
            }
        }
    }

    /// Skips a raw string `r#"..."#` whose `#`s start at `self.pos` and
    /// number `hashes`, with its opening quote after them.
    fn skip_raw_string(&mut self, hashes: usize) {
        self.pos += hashes + 1;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            if b == b'"' {
                let closing = self.bytes[self.pos..]
                    .iter()
                    .take(hashes)
                    .take_while(|&&h| h == b'#')
                    .count();
                if closing == hashes {
                    self.pos += hashes;
                    return;
                }
            }
        }
    }

    /// Skips a char literal at `self.pos` and returns true, or returns false
    /// when the quote does not open one (the caller then takes the quote
    /// alone). The look-ahead is bounded, so a stray quote costs nothing.
    fn skip_char(&mut self) -> bool {
        let rest = &self.bytes[self.pos + 1..];
        let close = if rest.first() == Some(&b'\\') {
            // Escapes are at most `\u{10FFFF}`: ten bytes.
            rest.iter().take(12).skip(2).position(|&b| b == b'\'').map(|i| i + 2)
        } else {
            // One char, of one to four bytes, then the closing quote.
            rest.iter().take(5).skip(1).position(|&b| b == b'\'').map(|i| i + 1)
        };
        match close {
            Some(i) => {
                self.pos += i + 2;
                true
            }
            None => false,
        }
    }

    /// Number of `#` after `self.pos + offset` when they are followed by a
    /// quote, i.e. when a raw string starts there.
    fn raw_string_hashes(&self, offset: usize) -> Option<usize> {
        let rest = self.bytes.get(self.pos + offset..)?;
        let hashes = rest.iter().take_while(|&&b| b == b'#').count();
        (rest.get(hashes) == Some(&b'"')).then_some(hashes)
    }

    /// Reads on after an opening bracket to its matching closing one and
    /// returns the byte after that; `None` when the text ends first.
    fn past_close(&mut self) -> Option<usize> {
        let mut depth = 1usize;
        while let Some(token) = self.next_token() {
            match token {
                Token::Open(..) => depth += 1,
                Token::Close(at) => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(at + 1);
                    }
                }
                Token::Comma | Token::Colon | Token::Atom(_) => {}
            }
        }
        None
    }

    fn next_token(&mut self) -> Option<Token> {
        self.skip_trivia();
        let start = self.pos;
        let b = self.peek(0)?;
        match b {
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                return Some(Token::Open(b, start));
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                return Some(Token::Close(start));
            }
            b',' => {
                self.pos += 1;
                return Some(Token::Comma);
            }
            b':' => {
                self.pos += 1;
                return Some(Token::Colon);
            }
            b'"' => self.skip_string(),
            b'\'' => {
                if !self.skip_char() {
                    self.pos += 1;
                }
            }
            b'r' if self.raw_string_hashes(1).is_some() => {
                let hashes = self.raw_string_hashes(1).unwrap_or(0);
                self.pos += 1;
                self.skip_raw_string(hashes);
            }
            b'b' if self.peek(1) == Some(b'"') => {
                self.pos += 1;
                self.skip_string();
            }
            b'b' if self.peek(1) == Some(b'\'') => {
                self.pos += 1;
                if !self.skip_char() {
                    self.pos += 1;
                }
            }
            b'b' if self.peek(1) == Some(b'r') && self.raw_string_hashes(2).is_some() => {
                let hashes = self.raw_string_hashes(2).unwrap_or(0);
                self.pos += 2;
                self.skip_raw_string(hashes);
            }
            _ => {
                // Any other run of bytes up to a delimiter or a comment is one
                // atom: identifiers, numbers, `#!`, and stray bytes alike.
                // Delimiters are ASCII, so atoms end on char boundaries.
                while let Some(b) = self.peek(0) {
                    let comment = b == b'/' && matches!(self.peek(1), Some(b'/' | b'*'));
                    if is_delimiter(b) || (comment && self.pos > start) {
                        break;
                    }
                    self.pos += 1;
                }
            }
        }
        Some(Token::Atom(start..self.pos))
    }
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step<'p> {
    Field(&'p str),
    Index(usize),
}

/// Splits `a.b[3].c` into steps; stops at the first malformed step, which
/// then counts as not found.
fn steps(path: &str) -> (Vec<Step<'_>>, bool) {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let Some(close) = after.find(']') else {
                return (out, false);
            };
            let Ok(index) = after[..close].parse() else {
                return (out, false);
            };
            out.push(Step::Index(index));
            rest = &after[close + 1..];
        } else {
            let name_start = rest.strip_prefix('.').unwrap_or(rest);
            let end = name_start.find(['.', '[']).unwrap_or(name_start.len());
            if end == 0 {
                return (out, false);
            }
            out.push(Step::Field(&name_start[..end]));
            rest = &name_start[end..];
        }
    }
    (out, true)
}

/// The name a key spells: without quotes or the `r#` of a raw identifier.
fn key_name(key: &str) -> &str {
    let key = key.strip_prefix("r#").unwrap_or(key);
    key.strip_prefix('"').and_then(|k| k.strip_suffix('"')).unwrap_or(key)
}

/// Deepest nesting the outline records. Scenario values nest a few levels;
/// groups deeper than this are kept as opaque parts of the value around
/// them, so a file of nested brackets costs neither stack nor memory.
const MAX_DEPTH: usize = 128;

/// How many wrapper values (`When(...)`, `Some(...)`) a field look-up may
/// pass through. Scenario values nest at most two wrappers deep.
const MAX_WRAPPERS: usize = 4;

impl Outline {
    /// Scans `text` once.
    pub(crate) fn build(text: &str) -> Outline {
        let mut lexer = Lexer::new(text);
        let mut outline = Outline {
            elements: Vec::new(),
            groups: vec![Group {
                open: 0,
                items: Vec::new(),
            }],
            root: None,
            tokens: 0,
        };
        let mut stack = vec![Frame {
            group: 0,
            pending: Pending::default(),
        }];
        // Brackets open beyond `MAX_DEPTH`, read but not recorded.
        let mut opaque = 0usize;
        while let Some(token) = lexer.next_token() {
            outline.tokens += 1;
            if opaque > 0 || (matches!(token, Token::Open(..)) && stack.len() > MAX_DEPTH) {
                let Some(top) = stack.last_mut() else { break };
                let p = &mut top.pending;
                match token {
                    Token::Open(_, at) => {
                        opaque += 1;
                        p.start.get_or_insert(at);
                        p.value_start.get_or_insert(at);
                        p.end = at + 1;
                    }
                    Token::Close(at) => {
                        opaque -= 1;
                        p.end = at + 1;
                    }
                    Token::Atom(range) => p.end = range.end,
                    Token::Comma | Token::Colon => {}
                }
                continue;
            }
            match token {
                Token::Atom(range) => {
                    let Some(top) = stack.last_mut() else { break };
                    let p = &mut top.pending;
                    p.start.get_or_insert(range.start);
                    p.value_start.get_or_insert(range.start);
                    if p.atoms == 0 {
                        p.first_atom = Some(range.clone());
                    }
                    p.atoms += 1;
                    p.attribute |= text.as_bytes()[range.start] == b'#';
                    p.end = range.end;
                }
                Token::Colon => {
                    let Some(top) = stack.last_mut() else { break };
                    let p = &mut top.pending;
                    if p.key.is_none() && p.atoms == 1 && p.group.is_none() {
                        p.key = p.first_atom.take();
                        p.value_start = None;
                        p.atoms = 0;
                    }
                }
                Token::Comma => {
                    let Some(top) = stack.last_mut() else { break };
                    let pending = std::mem::take(&mut top.pending);
                    outline.finish(top.group, pending);
                }
                Token::Open(open, at) => {
                    let group = outline.groups.len();
                    outline.groups.push(Group {
                        open,
                        items: Vec::new(),
                    });
                    let Some(top) = stack.last_mut() else { break };
                    let p = &mut top.pending;
                    p.start.get_or_insert(at);
                    p.value_start.get_or_insert(at);
                    // A second group in one item (`A(..) B(..)` with no comma)
                    // is malformed; the first one stays the item's value.
                    p.group.get_or_insert(group);
                    p.end = at + 1;
                    stack.push(Frame {
                        group,
                        pending: Pending::default(),
                    });
                }
                Token::Close(at) => {
                    // A closer at the top level has nothing to close.
                    if stack.len() == 1 {
                        continue;
                    }
                    outline.close(&mut stack, at + 1);
                }
            }
        }
        // Unclosed groups end with the text.
        while stack.len() > 1 {
            outline.close(&mut stack, text.len());
        }
        if let Some(mut top) = stack.pop() {
            let pending = std::mem::take(&mut top.pending);
            outline.finish(top.group, pending);
        }
        // The top-level value is the first item that is a group; failing
        // that, the first item at all.
        let items = &outline.groups[0].items;
        outline.root = items
            .iter()
            .copied()
            .find(|&e| outline.elements[e].group.is_some())
            .or(items.first().copied());
        outline
    }

    /// Ends the group on top of the stack at byte `end` (just past its
    /// closing bracket).
    fn close(&mut self, stack: &mut Vec<Frame>, end: usize) {
        let Some(mut frame) = stack.pop() else { return };
        let pending = std::mem::take(&mut frame.pending);
        self.finish(frame.group, pending);
        if let Some(parent) = stack.last_mut() {
            parent.pending.end = end;
            if parent.pending.attribute {
                // `#![enable(...)]`: the attribute is not a value.
                parent.pending = Pending::default();
            }
        }
    }

    /// Records a finished item in its group; an empty item (after a trailing
    /// comma) is not an item.
    fn finish(&mut self, group: usize, pending: Pending) {
        let Some(start) = pending.start else { return };
        let value_start = pending
            .value_start
            .or(pending.key.as_ref().map(|k| k.start))
            .unwrap_or(start);
        let end = pending.end.max(value_start);
        let id = self.elements.len();
        self.elements.push(Element {
            key: pending.key,
            span: value_start..end,
            start,
            group: pending.group,
        });
        self.groups[group].items.push(id);
    }

    /// True when the text holds nothing but whitespace and comments.
    pub(crate) fn is_empty(&self) -> bool {
        self.tokens == 0
    }

    /// The item whose key is `name` in the value `element`, looking through
    /// wrappers such as `When(...)` and `Some(...)` that hold a single
    /// unnamed value.
    fn field(&self, text: &str, mut element: usize, name: &str) -> Option<usize> {
        for _ in 0..=MAX_WRAPPERS {
            let group = &self.groups[self.elements[element].group?];
            let found = group.items.iter().copied().find(|&i| {
                self.elements[i]
                    .key
                    .as_ref()
                    .is_some_and(|k| key_name(&text[k.clone()]) == name)
            });
            if found.is_some() {
                return found;
            }
            match group.items.as_slice() {
                [only] if self.elements[*only].key.is_none() => element = *only,
                _ => return None,
            }
        }
        None
    }

    /// The place of the value at `path` (`""` is the whole scenario), or of
    /// the nearest enclosing value found. Never fails: with no value at all
    /// the place is the start of the text.
    pub(crate) fn find(&self, text: &str, path: &str) -> Place {
        let Some(mut current) = self.root else {
            return Place {
                span: 0..0,
                key: None,
                exact: false,
            };
        };
        let (steps, well_formed) = steps(path);
        let mut exact = well_formed;
        for step in steps {
            let next = match step {
                Step::Field(name) => self.field(text, current, name),
                Step::Index(i) => self.elements[current]
                    .group
                    .and_then(|g| self.groups[g].items.get(i).copied()),
            };
            match next {
                Some(next) => current = next,
                None => {
                    exact = false;
                    break;
                }
            }
        }
        let element = &self.elements[current];
        let mut span = element.span.clone();
        if !exact {
            // An enclosing struct can span many lines; its first line is
            // enough to show where the missing part belongs.
            if let Some(newline) = text[span.clone()].find('\n') {
                span.end = span.start + newline;
            }
            span.end = text[span.clone()].trim_end().len() + span.start;
        }
        Place {
            span,
            key: element.key.clone(),
            exact,
        }
    }

    /// The field path of the innermost value or field name containing `byte`,
    /// in the syntax [`Outline::find`] reads; `""` outside any field.
    pub(crate) fn path_at(&self, text: &str, byte: usize) -> String {
        let mut path = String::new();
        let Some(mut current) = self.root else { return path };
        let contains = |e: &Element| e.start <= byte && byte < e.span.end.max(e.start + 1);
        if !contains(&self.elements[current]) {
            return path;
        }
        while let Some(group_id) = self.elements[current].group {
            let group = &self.groups[group_id];
            // Items are in text order, so a binary search finds the last item
            // starting at or before `byte`.
            let after = group.items.partition_point(|&i| self.elements[i].start <= byte);
            let Some(position) = after.checked_sub(1) else { break };
            let item = group.items[position];
            if !contains(&self.elements[item]) {
                break;
            }
            match &self.elements[item].key {
                Some(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key_name(&text[key.clone()]));
                }
                // A wrapper's single value (`Camp("x")`, `When(...)`) is
                // addressed through the wrapper, as `find` does.
                None if group.open == b'(' && group.items.len() == 1 => {}
                None => path.push_str(&format!("[{position}]")),
            }
            current = item;
        }
        path
    }
}

/// Byte range of the token at `byte` after any whitespace and comments: the
/// whole string, bracket or run of bytes. Empty at the end of the text.
pub(crate) fn token_at(text: &str, byte: usize) -> Range<usize> {
    let mut lexer = Lexer::new(text);
    lexer.pos = floor_char_boundary(text, byte);
    match lexer.next_token() {
        Some(Token::Atom(range)) => range,
        Some(Token::Open(_, at) | Token::Close(at)) => at..at + 1,
        Some(Token::Comma | Token::Colon) => lexer.pos - 1..lexer.pos,
        None => text.len()..text.len(),
    }
}

/// Byte range of the value that starts at `byte`, after any whitespace and
/// comments: an atom, an atom with the bracketed group after it
/// (`Some(...)`, `Sabotage(...)`), or a bracketed group. Empty where no
/// value starts (at a `,`, a `:`, a closing bracket or the end of the
/// text); `None` when a bracket it opens is never closed.
pub(crate) fn value_at(text: &str, byte: usize) -> Option<Range<usize>> {
    let mut lexer = Lexer::new(text);
    lexer.pos = floor_char_boundary(text, byte);
    match lexer.next_token() {
        None => Some(text.len()..text.len()),
        Some(Token::Open(_, at)) => lexer.past_close().map(|end| at..end),
        Some(Token::Atom(atom)) => match lexer.next_token() {
            Some(Token::Open(..)) => lexer.past_close().map(|end| atom.start..end),
            _ => Some(atom),
        },
        Some(Token::Close(at)) => Some(at..at),
        Some(Token::Comma | Token::Colon) => Some(lexer.pos - 1..lexer.pos - 1),
    }
}

/// Byte range of the field `name: value` whose name starts at `byte`, with
/// the comma after it when there is one; `None` when no such field starts
/// there or its value is never closed.
pub(crate) fn field_at(text: &str, byte: usize) -> Option<Range<usize>> {
    let mut lexer = Lexer::new(text);
    lexer.pos = floor_char_boundary(text, byte);
    let Some(Token::Atom(key)) = lexer.next_token() else {
        return None;
    };
    let Some(Token::Colon) = lexer.next_token() else {
        return None;
    };
    let value = value_at(text, lexer.pos)?;
    lexer.pos = value.end;
    let end = match lexer.next_token() {
        Some(Token::Comma) => lexer.pos,
        _ => value.end,
    };
    Some(key.start..end)
}

/// The last token that ends at or before `byte` (read from the start of
/// the text, so comments and strings are skipped correctly), as its bytes.
pub(crate) fn token_before(text: &str, byte: usize) -> Option<Range<usize>> {
    let mut lexer = Lexer::new(text);
    let mut last = None;
    loop {
        let start = {
            lexer.skip_trivia();
            lexer.pos
        };
        let Some(token) = lexer.next_token() else { break };
        if lexer.pos > byte {
            break;
        }
        last = Some(match token {
            Token::Atom(range) => range,
            _ => start..lexer.pos,
        });
    }
    last
}

/// Byte just past any whitespace and comments at `byte`.
pub(crate) fn skip_trivia(text: &str, byte: usize) -> usize {
    let mut lexer = Lexer::new(text);
    lexer.pos = floor_char_boundary(text, byte);
    lexer.skip_trivia();
    lexer.pos
}

/// The largest char boundary at or before `byte`, clamped to the text.
pub(crate) fn floor_char_boundary(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// 1-based line and column of `byte`; the column counts chars, as `ron`
/// does, and a newline ends a line.
pub(crate) fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = floor_char_boundary(text, byte);
    let before = &text[..byte];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    (line, 1 + before[line_start..].chars().count())
}

/// Byte offset of a 1-based line and char column, as `ron` reports them.
/// Positions past the end of a line or of the text are clamped to it.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_len = line_text.find('\n').unwrap_or(line_text.len());
    let within = line_text[..line_len]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_len, |(i, _)| i);
    start + within
}

/// Line starts of a text, for turning many bytes into lines and columns
/// without rescanning the text for each.
#[derive(Debug, Clone)]
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts }
    }

    /// Same as [`line_col`], in logarithmic time plus the length of the line.
    pub(crate) fn line_col(&self, text: &str, byte: usize) -> (usize, usize) {
        let byte = floor_char_boundary(text, byte);
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts[line - 1];
        (line, 1 + text[start..byte].chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"// head
Scenario( /* (nested /* ) */ ) */
    name: "a(b)\"c", tag: r#"x"( "#, ch: ')',
    list: [ (id: "p", v: Some((x: 1))), (id: "q") , ],
    trig: When(Below(district: "east", days: 3)),
    pair: ("a", "b"),
)
"##;

    fn found(path: &str) -> (String, bool) {
        let outline = Outline::build(TEXT);
        let place = outline.find(TEXT, path);
        (TEXT[place.span].to_string(), place.exact)
    }

    #[test]
    fn find_resolves_fields_indices_and_wrappers() {
        assert_eq!(found("name"), (r#""a(b)\"c""#.to_string(), true));
        assert_eq!(found("tag"), ("r#\"x\"( \"#".to_string(), true));
        assert_eq!(found("ch"), ("')'".to_string(), true));
        assert_eq!(found("list[1].id"), (r#""q""#.to_string(), true));
        assert_eq!(found("list[0].v.x"), ("1".to_string(), true));
        assert_eq!(found("trig.district"), (r#""east""#.to_string(), true));
        assert_eq!(
            found("trig"),
            (r#"When(Below(district: "east", days: 3))"#.to_string(), true)
        );
        assert_eq!(found("pair[1]"), (r#""b""#.to_string(), true));
    }

    #[test]
    fn find_falls_back_to_the_nearest_enclosing_value() {
        assert_eq!(found("list[1].missing"), (r#"(id: "q")"#.to_string(), false));
        assert_eq!(
            found("list[7]"),
            ("[ (id: \"p\", v: Some((x: 1))), (id: \"q\") , ]".to_string(), false)
        );
        assert_eq!(
            found("nothing"),
            ("Scenario( /* (nested /* ) */ ) */".to_string(), false)
        );
    }

    #[test]
    fn path_at_inverts_find() {
        let outline = Outline::build(TEXT);
        for path in ["name", "list[1].id", "list[0].v.x", "trig.district", "pair[1]", "trig"] {
            let place = outline.find(TEXT, path);
            assert_eq!(outline.path_at(TEXT, place.span.start), path);
        }
        assert_eq!(outline.path_at(TEXT, 0), "");
    }

    #[test]
    fn line_col_and_offset_of_are_inverse() {
        let text = "ab\ncé\n\nd";
        for byte in [0, 1, 2, 3, 4, 6, 7, 8, 9] {
            let (line, col) = line_col(text, byte);
            assert_eq!(offset_of(text, line, col), byte);
            assert_eq!(Lines::new(text).line_col(text, byte), (line, col));
        }
        assert_eq!(line_col(text, 6), (2, 3));
    }

    #[test]
    fn values_fields_and_the_token_before_are_found_whole() {
        let text = r#"(a: Some((x: "),")), b: [1, 2] , c: 3 /* ) */ )"#;
        let value = |at: &str| value_at(text, text.find(at).unwrap()).map(|r| &text[r]);
        assert_eq!(value("Some"), Some(r#"Some((x: "),"))"#));
        assert_eq!(value("[1"), Some("[1, 2]"));
        assert_eq!(value("3 "), Some("3"));
        assert_eq!(value(", c").map(str::len), Some(0));
        assert_eq!(value_at("(a: [1, 2", 4), None);
        let field = |at: &str| field_at(text, text.find(at).unwrap()).map(|r| &text[r]);
        assert_eq!(field("a:"), Some(r#"a: Some((x: "),")),"#));
        assert_eq!(field("b:"), Some("b: [1, 2] ,"));
        assert_eq!(field("c:"), Some("c: 3"));
        assert_eq!(field("[1"), None);
        let before = |at: &str| token_before(text, text.rfind(at).unwrap()).map(|r| &text[r]);
        assert_eq!(before(" )"), Some("3"));
        assert_eq!(before("c:"), Some(","));
        assert_eq!(token_before(text, 0), None);
    }

    #[test]
    fn deep_nesting_and_garbage_do_not_fail() {
        let deep = "(".repeat(100_000);
        let outline = Outline::build(&deep);
        assert_eq!(outline.path_at(&deep, 50_000).len(), 0);
        assert!(!outline.find(&deep, "a.b[2]").exact);
        // Past the recorded depth, the groups are opaque but what follows
        // them is found again.
        let text = format!("(a: {}1{}, b: 2)", "[".repeat(300), "]".repeat(300));
        let outline = Outline::build(&text);
        assert_eq!(&text[outline.find(&text, "b").span], "2");
        assert_eq!(
            outline.path_at(&text, 200),
            "a[0][0][0]".to_string() + &"[0]".repeat(MAX_DEPTH - 4)
        );
        for text in ["", ")))", "\"unclosed", "r##\"x", "'", "b'", "/* open", "#![enable(x)]"] {
            let outline = Outline::build(text);
            let _ = outline.find(text, "a[0]");
            let _ = outline.path_at(text, text.len());
        }
    }
}
