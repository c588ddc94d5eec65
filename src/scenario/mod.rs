//! Scenario files: the RON format, the built-in scenarios, loading and
//! validation with places (file, line, column, field path).
//!
//! This module reads text it is given; only `cli` touches the file system
//! (through [`read_source`]), and nothing here prints.

pub mod diagnostic;
pub mod edit;
pub mod format;
pub mod graph;
mod locate;
mod order;
mod validate;

pub use format::*;
pub use order::dependency_order;
pub(crate) use validate::did_you_mean;
pub use validate::{LIMITS, Limits, check_effect, ron_options};

use std::path::Path;

/// The built-in scenarios, compiled into the binary: (name, RON text).
pub const BUILTINS: &[(&str, &str)] = &[
    ("mosul-2017", include_str!("../../scenarios/mosul-2017.ron")),
    ("mosul-east-2017", include_str!("../../scenarios/mosul-east-2017.ron")),
    ("tutorial", include_str!("../../scenarios/tutorial.ron")),
];

/// The scenario `cimsim run` uses when none is named.
pub const DEFAULT_SCENARIO: &str = "mosul-2017";

/// Largest scenario file read, in bytes; larger files are refused unread.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The text of a scenario and the name to show for it in messages.
#[derive(Debug, Clone)]
pub struct ScenarioSource {
    /// The path as given, or the built-in name.
    pub name: String,
    pub text: String,
}

/// "; did you mean the file `./tal-afar.ron`?" when the name of an unknown
/// built-in is a scenario file in the current folder (a name without `/` or
/// `.ron` is taken for a built-in, so `tal-afar` does not open
/// `tal-afar.ron`), or a built-in's name is close to it.
fn file_hint(name: &str) -> String {
    for candidate in [format!("{name}.ron"), name.to_string()] {
        if Path::new(&candidate).is_file() {
            return format!("; did you mean the file `./{candidate}`? (a path needs a `/` or the `.ron` ending)");
        }
    }
    match validate::did_you_mean(name, &builtin_names()) {
        Some(hint) => format!("; {hint}"),
        None => String::new(),
    }
}

/// Why a scenario argument could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("unknown scenario `{name}`; built-in scenarios: {}{}", builtin_names().join(", "), file_hint(name))]
    UnknownBuiltin { name: String },
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "`{path}` holds more than {MAX_FILE_BYTES} bytes ({size} or more); scenario files are limited to {MAX_FILE_BYTES} bytes"
    )]
    TooLarge { path: String, size: u64 },
    #[error("`{path}` is not UTF-8 text (first invalid byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize },
}

/// Names of the built-in scenarios, in the order `cimsim scenarios` lists them.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|(name, _)| *name).collect()
}

/// True when a scenario argument names a file rather than a built-in
/// (DESIGN 7: it contains `/` or ends in `.ron`).
pub fn is_path(arg: &str) -> bool {
    arg.contains('/') || arg.ends_with(".ron")
}

/// The built-in scenario of that name.
pub fn builtin(name: &str) -> Option<ScenarioSource> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| ScenarioSource {
            name: (*n).to_string(),
            text: (*text).to_string(),
        })
}

/// Resolves a scenario argument to its text: a built-in name or a file path.
pub fn read_source(arg: &str) -> Result<ScenarioSource, SourceError> {
    if !is_path(arg) {
        return builtin(arg).ok_or_else(|| SourceError::UnknownBuiltin { name: arg.to_string() });
    }
    let path = Path::new(arg);
    let io = |source| SourceError::Io {
        path: arg.to_string(),
        source,
    };
    let bytes = read_at_most(path, MAX_FILE_BYTES)
        .map_err(io)?
        .map_err(|size| SourceError::TooLarge {
            path: arg.to_string(),
            size,
        })?;
    let text = String::from_utf8(bytes).map_err(|e| SourceError::NotUtf8 {
        path: arg.to_string(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(ScenarioSource {
        name: arg.to_string(),
        text,
    })
}

/// Reads a file of at most `limit` bytes; `Ok(Err(size))` when it holds
/// more (`size` is what the file system says, or `limit + 1` when it says
/// nothing). The limit holds on what is read, not only on the size the file
/// system reports: a device or a pipe (`/dev/zero`, `<(…)`) reports 0 and
/// would otherwise be read until memory runs out. Every file a user names
/// is read through here.
pub fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "a folder, not a file",
        ));
    }
    if meta.len() > limit {
        return Ok(Err(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(limit + 1));
    }
    Ok(Ok(bytes))
}

/// One thing wrong with a scenario, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Field path such as `assets[2].needs[0]`; empty for syntax errors that
    /// have no path.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
    /// What validation did about it, when that matters for reading the
    /// problems after it: the guess it read on with after a structure
    /// error, or that checking stopped here.
    pub note: Option<String>,
    /// 1-based line and column of the offending text.
    pub line: usize,
    pub column: usize,
    /// Byte range of the offending text in the source.
    pub span: std::ops::Range<usize>,
}

/// Whether the problems say the file is of a format version this build does
/// not read: an input error (exit 2), not a failed check (DESIGN 7).
pub fn unsupported_version(problems: &[Problem]) -> bool {
    problems
        .iter()
        .any(|p| p.path == "format_version" && p.message.starts_with("unsupported format_version"))
}

/// A scenario that parsed and passed every check, with the text it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub source: ScenarioSource,
    pub scenario: Scenario,
    /// FNV-1a 64 of the file's bytes (DESIGN 7: content hashes cover the bytes).
    pub content_hash: u64,
}

/// Parses and validates a scenario, returning every problem found.
///
/// After a structure error (a misspelt or missing field, a value of the
/// wrong type) validation reads on as if the likely fix had been made, and
/// the problem's note says so; a syntax error that cannot be mended stops
/// it, and that problem's note says that too.
pub fn load(source: ScenarioSource) -> Result<LoadedScenario, Vec<Problem>> {
    let scenario = validate::read(&source.text)?;
    let content_hash = crate::hash::fnv1a64(source.text.as_bytes());
    Ok(LoadedScenario {
        source,
        scenario,
        content_hash,
    })
}

/// Applies strategy overrides from the command line: `all` for every agency,
/// then each `(agency, strategy)` pair. Every name is checked against the
/// scenario; the error lists the valid ones.
pub fn set_strategies(s: &mut Scenario, all: Option<&str>, per_agency: &[(String, String)]) -> Result<(), String> {
    let known = |s: &Scenario, name: &str, flag: &str| -> Result<String, String> {
        if s.strategy_params(name).is_some() {
            Ok(name.to_string())
        } else {
            let names = s.strategy_names();
            let hint = did_you_mean(name, &names).map_or(String::new(), |h| format!("{h} "));
            Err(format!(
                "{flag}: unknown strategy `{name}`; {hint}strategies are: {}",
                names.join(", ")
            ))
        }
    };
    if let Some(name) = all {
        s.strategy = known(s, name, "--strategy")?;
        s.agencies.iter_mut().for_each(|a| a.strategy = None);
    }
    for (agency, name) in per_agency {
        let name = known(s, name, "--strategy-for")?;
        let ids: Vec<&str> = s.agencies.iter().map(|a| a.id.as_str()).collect();
        let Some(i) = ids.iter().position(|id| id == agency) else {
            let hint = did_you_mean(agency, &ids).map_or(String::new(), |h| format!("{h} "));
            return Err(format!(
                "--strategy-for: unknown agency `{agency}`; {hint}agencies are: {}",
                ids.join(", ")
            ));
        };
        s.agencies[i].strategy = Some(name);
    }
    Ok(())
}
