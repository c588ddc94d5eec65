//! The fuzz corpora on the stable toolchain: every seed (`fuzz/seeds/`) and
//! every crash once found (`fuzz/regressions/`) goes through the entry point
//! its fuzz target calls (`cimsim::untrusted`), so a crash stays fixed
//! without a nightly toolchain (docs/fuzzing.md).
//!
//! A panic fails the test. Beyond that, a seed whose name starts with
//! `refused-` must be refused and every other seed accepted, so the seeds
//! keep reaching past the first check; regressions may go either way.

use std::path::{Path, PathBuf};

use cimsim::untrusted;

type Entry = fn(&[u8]) -> Result<(), String>;

/// Every fuzz target, by the name of its folders, and its entry point.
const TARGETS: [(&str, Entry); 8] = [
    ("scenario", |d| untrusted::scenario(d).map(|_| ())),
    ("scenario_run", untrusted::scenario_run),
    ("recording", untrusted::recording),
    ("journal", untrusted::journal),
    ("inject", untrusted::inject),
    ("set", untrusted::set),
    ("console", untrusted::console),
    ("compare_part", untrusted::compare_part),
];

fn fuzz_dir(kind: &str, target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target)
}

/// The files of a folder, sorted; READMEs are notes, not inputs.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("README")))
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_has_seeds_and_a_regressions_folder() {
    for (target, _) in TARGETS {
        assert!(
            !inputs(&fuzz_dir("seeds", target)).is_empty(),
            "fuzz/seeds/{target} has no seed"
        );
        assert!(
            fuzz_dir("regressions", target).is_dir(),
            "fuzz/regressions/{target} is missing"
        );
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fuzz/fuzz_targets/{target}.rs"));
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        assert!(
            text.contains(&format!("cimsim::untrusted::{target}(data)")),
            "{} does not call cimsim::untrusted::{target}",
            source.display()
        );
    }
}

#[test]
fn seeds_are_accepted_or_refused_as_named() {
    let mut wrong = Vec::new();
    for (target, entry) in TARGETS {
        for path in inputs(&fuzz_dir("seeds", target)) {
            let bytes = std::fs::read(&path).expect("a readable seed");
            let refused = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("refused-"));
            match (entry(&bytes), refused) {
                (Ok(()), false) | (Err(_), true) => {}
                (Ok(()), true) => wrong.push(format!("{}: accepted", path.display())),
                (Err(e), false) => wrong.push(format!("{}: refused: {e}", path.display())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "seeds not taken as their names say:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn crashes_once_found_stay_fixed() {
    for (target, entry) in TARGETS {
        for path in inputs(&fuzz_dir("regressions", target)) {
            let bytes = std::fs::read(&path).expect("a readable regression file");
            // Accepted or refused, whichever is right for it: it must not
            // panic, and a panic names the file in the test's output.
            #[expect(
                clippy::print_stderr,
                reason = "names the regression file before a panic can hide it"
            )]
            {
                eprintln!("{}", path.display());
            }
            let _ = entry(&bytes);
        }
    }
}

#[test]
fn the_built_in_scenarios_load_through_the_fuzzed_entry_point() {
    for (name, text) in cimsim::scenario::BUILTINS {
        assert!(untrusted::scenario(text.as_bytes()).is_ok(), "{name}");
        let seed = fuzz_dir("seeds", "scenario").join(format!("{name}.ron"));
        assert_eq!(
            std::fs::read_to_string(&seed).ok().as_deref(),
            Some(*text),
            "{} is not the built-in {name}: copy scenarios/{name}.ron there",
            seed.display()
        );
    }
}
