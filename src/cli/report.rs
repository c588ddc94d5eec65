//! `cimsim report FILE`: the after-action report of a recorded run, as one
//! self-contained HTML page (default) or as Markdown with SVG charts.
//!
//! The recording is read and re-simulated exactly as `cimsim replay` does it
//! (`replay::load`, `replay::verify`: every day's digest is checked, and a
//! mismatch exits 1); the `silo` and `central` references run on the same
//! scenario, seed and the inputs they inherit (`score::references`, as in
//! `cimsim run` and `cimsim play`) in threads beside it. Everything is rendered in memory before the first byte is written,
//! and every file is written atomically, so a failure leaves no partial
//! report.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::output::{Failure, note, prepare_output, write_all_atomically, write_atomically};
use super::replay::{Loaded, check_failed, load, new_sim, verify};
use cimsim::record;
use cimsim::report::RunReport;
use cimsim::report::aar::{AfterAction, Evidence, Inputs, ReferenceEvidence, Trace, to_html, to_markdown};
use cimsim::scenario::LoadedScenario;
use cimsim::score::references;
use cimsim::sim::Simulation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One self-contained HTML page (inline CSS and SVG).
    Html,
    /// Markdown, with each chart as an SVG file next to it.
    Md,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A recorded run (`cimsim run --record FILE`, `cimsim replay --branch
    /// ... --record FILE`).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the report; by default `STEM.html` (or `STEM.md`) in
    /// the current directory, STEM being the recording's file name without
    /// its extension.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// `html` (default) or `md` (Markdown, the charts as `STEM-CHART.svg`
    /// files next to it).
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
    /// Refuse to start when the worlds this command builds are estimated to
    /// need more memory than SIZE (e.g. `4G`, `512MiB`); without it, the
    /// memory the machine, its cgroup and `ulimit -v` leave available.
    #[arg(long, value_name = "SIZE", value_parser = super::memory::parse_size)]
    pub max_memory: Option<u64>,
}

/// The output path: `--out`, or the recording's stem with the format's
/// extension in the current directory.
fn output_path(args: &ReportArgs) -> PathBuf {
    if let Some(out) = &args.out {
        return out.clone();
    }
    let stem = args
        .file
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let ext = match args.format {
        Format::Html => "html",
        Format::Md => "md",
    };
    PathBuf::from(format!("{stem}.{ext}"))
}

/// Runs a reference (a scenario of `score::references::reference_scenarios`)
/// for `days` days with the inputs it inherits from the recording
/// (`score::references::inherited_inputs`: the manual injects left standing
/// after undos, for today or a later day).
fn reference(l: &Loaded, scenario: &LoadedScenario, days: u32) -> Result<ReferenceEvidence, String> {
    let inherited = references::inherited_inputs(&l.recording.inputs)?;
    let mut sim = Simulation::with_options(
        &scenario.scenario,
        l.recording.seed(),
        cimsim::sim::Options {
            families_per_entity: l.recording.header.families_per_entity,
            shuffle: None,
        },
    );
    record::drive(&mut sim, &inherited, days, |_, _| true)?;
    let evidence = Evidence::gather(&sim);
    let report = RunReport::new(&sim, scenario, l.recording.seed());
    Ok(ReferenceEvidence { report, evidence })
}

pub fn report(args: ReportArgs) -> Result<(), Failure> {
    let path = output_path(&args);
    prepare_output(&path)?;
    let l = load(&args.file)?;
    // The run and its two references, side by side.
    super::replay::check_memory(&l, 3, args.max_memory)?;
    let days = l.recording.days.len() as u32;
    if days == 0 {
        return Err(check_failed(&format!("`{}` records no days", args.file.display())));
    }
    #[expect(
        clippy::disallowed_methods,
        reason = "timing the report for stderr, outside the simulation"
    )]
    let started = std::time::Instant::now();
    // The run (verified day by day) and its two references are separate
    // worlds, side by side.
    let scenarios = references::reference_scenarios(&l.scenario);
    let (run, refs) = std::thread::scope(|scope| {
        let handles = scenarios.each_ref().map(|s| {
            let l = &l;
            scope.spawn(move || reference(l, s, days))
        });
        let mut sim = new_sim(&l);
        let mut trace = Trace::default();
        let run = verify(&l, &mut sim, days, |sim, row| trace.observe(sim, row.day)).map(|()| (sim, trace));
        let refs = handles.map(|h| h.join().unwrap_or_else(|_| Err("a reference run panicked".to_string())));
        (run, refs)
    });
    let (sim, trace) = run?;
    let [silo, central] = refs;
    let silo = silo.map_err(|e| Failure::Input(format!("the silo reference: {e}")))?;
    let central = central.map_err(|e| Failure::Input(format!("the central reference: {e}")))?;
    let evidence = Evidence::gather(&sim);
    let mut run_report = RunReport::new(&sim, &l.scenario, l.recording.seed());
    run_report.score(&silo.report, &central.report);
    let inputs = Inputs {
        recording: &l.recording,
        scenario: &l.scenario.scenario,
        report: &run_report,
        evidence: &evidence,
        trace: &trace,
        references: [&silo, &central],
    };
    let aar = AfterAction::new(&inputs).map_err(Failure::Input)?;
    match args.format {
        Format::Html => {
            let html = to_html(&aar);
            write_atomically(&path, |w| w.write_all(html.as_bytes()))?;
        }
        Format::Md => {
            let stem = path
                .file_stem()
                .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
            let (text, charts) = to_markdown(&aar, &stem);
            write_all(&path, &text, &charts)?;
        }
    }
    note(&format!(
        "verified {} of `{}`, ran its silo and central references and wrote {} in {:.3} s",
        cimsim::report::text::count(days.into(), "day", "days"),
        l.recording.header.scenario.name,
        path.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Writes the chart files and the Markdown file as one: nothing is renamed
/// into place until every file is written, so a failure leaves no report
/// half-written (and an earlier report in the same place untouched).
fn write_all(path: &Path, text: &str, charts: &[(String, String)]) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let chart_paths: Vec<PathBuf> = charts.iter().map(|(name, _)| dir.join(name)).collect();
    let mut files: Vec<(&Path, &[u8])> = chart_paths
        .iter()
        .zip(charts)
        .map(|(p, (_, svg))| (p.as_path(), svg.as_bytes()))
        .collect();
    files.push((path, text.as_bytes()));
    write_all_atomically(&files)
}
