//! Writing to the outside world: stdout, stderr and files.
//!
//! Files are written atomically: into a temporary file in the same
//! directory, flushed and synced, then renamed over the target, so an
//! interrupted write never leaves a broken file in place of a good one.
#![expect(
    clippy::disallowed_methods,
    reason = "the one module that writes to stdout and stderr (clippy.toml)"
)]

use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// How a command failed, which decides the exit code.
#[derive(Debug)]
pub enum Failure {
    /// stdout was closed (`cimsim run | head`): not an error.
    BrokenPipe,
    /// A check failed (validation problems): exit 1; already reported.
    Check,
    /// A usage or input error: exit 2, with this message.
    Input(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Input(format!("cannot write output: {e}"))
        }
    }
}

/// Writes data to stdout.
pub fn data(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes a diagnostic line to stderr.
pub fn note(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Most problems printed in full for one file; the rest are counted. A file
/// with thousands of errors is better fixed from the first ones, and
/// printing them all would take longer than reading them.
pub const MAX_PROBLEMS_SHOWN: usize = 100;

/// Prints a file's problems on stderr, the source prepared once.
pub fn report_problems(source: &cimsim::scenario::ScenarioSource, problems: &[cimsim::scenario::Problem]) {
    let shown = &problems[..problems.len().min(MAX_PROBLEMS_SHOWN)];
    note(&cimsim::scenario::diagnostic::render_all(source, shown, color()));
    if problems.len() > shown.len() {
        note(&format!(
            "… and {} in {} (only the first {MAX_PROBLEMS_SHOWN} are shown)",
            cimsim::report::text::count((problems.len() - shown.len()) as u64, "more problem", "more problems"),
            source.name
        ));
    }
}

/// Writes an error line to stderr.
pub fn error(text: &str) {
    note(&format!("error: {text}"));
}

/// Whether stderr is a terminal (a progress bar is worth drawing).
pub fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// Whether diagnostics on stderr may use colour: a terminal, and `NO_COLOR`
/// unset or empty.
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stderr_is_terminal()
}

/// Refuses to replace what is not a regular file: renaming over a device
/// (`/dev/stdout`) or a directory would replace it, not write to it.
fn writable_target(path: &Path) -> Result<(), Failure> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(Failure::Input(format!(
            "`{}` is not a regular file; give the path of a file to write",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Reads a file given on the command line, refusing one larger than `limit`
/// bytes before reading more of it (`scenario::read_at_most`). `what` names
/// the kind of file in the message ("recordings", "journals").
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Failure> {
    let shown = path.display();
    match cimsim::scenario::read_at_most(path, limit) {
        Err(e) => Err(Failure::Input(format!("cannot read `{shown}`: {e}"))),
        Ok(Err(size)) => Err(Failure::Input(format!(
            "`{shown}` holds more than {limit} bytes ({size} or more); {what} are limited to {limit} bytes"
        ))),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// Checks, before any work, that `path` can be written when the work is
/// done: it is not a directory or a device, and its folder exists (a missing
/// folder is created, and the creation said on stderr) and takes a new file.
/// A shard that finds out only after hours of work that `parts/` is missing
/// has lost those hours.
pub fn prepare_output(path: &Path) -> Result<(), Failure> {
    writable_target(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: io::Error| Failure::Input(format!("cannot write `{}`: {e}", path.display()));
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::Input(format!(
                "cannot write `{}`: its folder `{}` does not exist and cannot be created: {e}",
                path.display(),
                dir.display()
            ))
        })?;
        note(&format!("created folder `{}` for `{}`", dir.display(), path.display()));
    } else if !dir.is_dir() {
        return Err(Failure::Input(format!(
            "cannot write `{}`: `{}` is not a folder",
            path.display(),
            dir.display()
        )));
    }
    // The probe is the same kind of temporary file the final write makes,
    // so a folder that refuses it now would refuse the output later.
    tempfile::Builder::new()
        .prefix(".cimsim-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    Ok(())
}

/// A temporary file is private (0600); an output file is an ordinary file
/// others may read (0644).
fn shareable(file: &std::fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Writes a file atomically through `fill`.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let fail = |e: io::Error| Failure::Input(format!("cannot write `{}`: {e}", path.display()));
    writable_target(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".cimsim-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    {
        let mut buf = io::BufWriter::new(tmp.as_file_mut());
        fill(&mut buf).map_err(fail)?;
        buf.flush().map_err(fail)?;
    }
    shareable(tmp.as_file()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Writes several files as one: each into a temporary file in its target's
/// directory, flushed and synced; only when every one is written are they
/// renamed over their targets, in the order given. A failure while writing
/// leaves every target as it was (the temporary files are removed).
pub fn write_all_atomically(files: &[(&Path, &[u8])]) -> Result<(), Failure> {
    let mut ready = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let fail = |e: io::Error| Failure::Input(format!("cannot write `{}`: {e}", path.display()));
        writable_target(path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".cimsim-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(fail)?;
        tmp.as_file_mut().write_all(bytes).map_err(fail)?;
        shareable(tmp.as_file()).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        ready.push((*path, tmp));
    }
    for (path, tmp) in ready {
        tmp.persist(path)
            .map_err(|e| Failure::Input(format!("cannot write `{}`: {}", path.display(), e.error)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set of files is written whole or not at all: when one cannot be
    /// written, the others keep their old content and no temporary file is
    /// left behind.
    #[test]
    fn a_set_of_files_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.svg"), dir.path().join("a.md"));
        std::fs::write(&a, "old chart").unwrap();
        let missing = dir.path().join("no-such-dir").join("b.md");
        let result = write_all_atomically(&[(a.as_path(), b"new chart".as_slice()), (missing.as_path(), b"text")]);
        assert!(matches!(result, Err(Failure::Input(_))));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old chart");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "a temporary file was left"
        );
        write_all_atomically(&[(a.as_path(), b"new chart".as_slice()), (b.as_path(), b"text")]).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new chart");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "text");
    }

    /// `cimsim run | head` closes the pipe: that ends the program quietly
    /// with exit 0, while any other write error is an input error.
    #[test]
    fn a_broken_pipe_is_not_an_error() {
        let broken = io::Error::new(io::ErrorKind::BrokenPipe, "closed");
        assert!(matches!(Failure::from(broken), Failure::BrokenPipe));
        let full = io::Error::new(io::ErrorKind::StorageFull, "full");
        assert!(matches!(Failure::from(full), Failure::Input(_)));
    }
}
