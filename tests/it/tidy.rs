//! The architecture's invariants that a reading of the sources can check
//! (`docs/ARCHITECTURE.md`, "Invariants"), as rust-analyzer's tidy tests
//! check theirs: the layers of `src/`, the bevy `World` kept inside `sim`,
//! no IO in the library's model, and no long function without a reason.

use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest layer first. A module may use
/// the modules before it, never one after it: the folders form no cycle.
const LAYERS: &[&[&str]] = &[
    &["hash", "round"],
    &["scenario"],
    &["sim"],
    &["record"],
    &["score"],
    &["report"],
    &["compare", "exercise"],
    &["untrusted"],
];

/// Lines a function may span before it needs a reason written beside it.
const LONG_FUNCTION_LINES: usize = 120;

/// The mark that says why a longer function stays whole, in the comment
/// lines just above it.
const LONG_REASON: &str = "Long because";

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The code of a file without its comment lines.
fn code(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

#[test]
fn no_module_uses_a_module_of_a_higher_layer() {
    let mut wrong = Vec::new();
    for (file, text) in src() {
        let top = file.split(['/', '.']).next().unwrap();
        // The binary (`main.rs`, `cli/`) may use everything.
        let Some(own) = layer(top) else { continue };
        for (n, line) in code(&text) {
            for (i, _) in line.match_indices("crate::") {
                let used: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(theirs) = layer(&used)
                    && theirs > own
                {
                    wrong.push(format!("src/{file}:{}: {top} uses {used}", n + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a lower layer uses a higher one:\n{}",
        wrong.join("\n")
    );
}

/// The first path segments named right after `at` in `line`: `x` for
/// `PREFIXx::y`, and `a`, `b` for `PREFIX{a::c, b}`.
fn named_after(line: &str, at: usize) -> Vec<String> {
    let rest = &line[at..];
    let word = |t: &str| -> String {
        t.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    match rest.strip_prefix('{') {
        Some(list) => list
            .split('}')
            .next()
            .unwrap_or("")
            .split(',')
            .map(word)
            .filter(|w| !w.is_empty())
            .collect(),
        None => vec![word(rest)],
    }
}

/// The module a file belongs to, two levels deep: `report/document/build.rs`
/// is `report::document`, `sim/plan.rs` is `sim::plan`.
fn second_level(file: &str) -> Option<String> {
    let parts: Vec<&str> = file.trim_end_matches(".rs").split('/').collect();
    match parts.as_slice() {
        [top, sub, ..] if *sub != "mod" => Some(format!("{top}::{sub}")),
        _ => None,
    }
}

#[test]
fn no_two_modules_of_a_folder_use_each_other() {
    use std::collections::{BTreeMap, BTreeSet};
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in src() {
        let Some(me) = second_level(&file) else { continue };
        let top = me.split("::").next().unwrap().to_string();
        // In `top/sub.rs` and `top/sub/mod.rs`, `super::` is `top::`.
        let depth = file.matches('/').count() - usize::from(file.ends_with("/mod.rs"));
        for (_, line) in code(&text) {
            if depth == 1 {
                for (i, _) in line.match_indices("super::") {
                    for sub in named_after(line, i + 7) {
                        let other = format!("{top}::{sub}");
                        if other != me && sub.chars().next().is_some_and(|c| c.is_lowercase()) {
                            uses.entry(me.clone()).or_default().insert(other);
                        }
                    }
                }
            }
            for (i, _) in line.match_indices(&format!("crate::{top}::")) {
                for sub in named_after(line, i + 7 + top.len() + 2) {
                    let other = format!("{top}::{sub}");
                    if other != me && sub.chars().next().is_some_and(|c| c.is_lowercase()) {
                        uses.entry(me.clone()).or_default().insert(other);
                    }
                }
            }
        }
    }
    let mut cycles = Vec::new();
    for (a, theirs) in &uses {
        for b in theirs {
            if a < b && uses.get(b).is_some_and(|u| u.contains(a)) {
                cycles.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(cycles.is_empty(), "modules that use each other:\n{}", cycles.join("\n"));
}

#[test]
fn the_bevy_world_is_named_only_inside_sim() {
    let mut wrong = Vec::new();
    for (file, text) in src() {
        if file.starts_with("sim/") {
            continue;
        }
        for (n, line) in code(&text) {
            let named = line
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == "World");
            let field = line.match_indices(".world").any(|(i, _)| {
                !line[i + 6..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if named || field {
                wrong.push(format!("src/{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "outside sim, read a world through Simulation::view:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_library_outside_the_command_line_opens_no_file_and_prints_nothing() {
    // `scenario::read_source`/`read_at_most` are the library's one bounded
    // read of a file, on behalf of the command line.
    let allowed = ["scenario/mod.rs"];
    let mut wrong = Vec::new();
    for (file, text) in src() {
        if file.starts_with("cli/") || file == "main.rs" || allowed.contains(&file.as_str()) {
            continue;
        }
        for (n, line) in code(&text) {
            for banned in [
                "std::fs::",
                "File::open",
                "File::create",
                "println!",
                "eprintln!",
                "io::stdout",
                "io::stderr",
            ] {
                if line.contains(banned) {
                    wrong.push(format!("src/{file}:{}: {banned}", n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "IO outside cli:\n{}", wrong.join("\n"));
}

#[test]
fn no_function_is_longer_than_it_needs_to_be_without_a_reason() {
    let mut long = Vec::new();
    for (file, text) in src() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| trimmed.starts_with(p));
            if !is_fn || trimmed.ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            let Some(end) = lines[i + 1..].iter().position(|l| *l == close) else {
                continue;
            };
            let span = end + 2;
            let reason = lines[..i]
                .iter()
                .rev()
                .take_while(|l| {
                    let t = l.trim_start();
                    t.starts_with("//") || t.starts_with("#[")
                })
                .any(|l| l.contains(LONG_REASON));
            if span > LONG_FUNCTION_LINES && !reason {
                long.push(format!("src/{file}:{}: {span} lines", i + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {LONG_FUNCTION_LINES} lines with no `{LONG_REASON}` comment above them:\n{}",
        long.join("\n")
    );
}
