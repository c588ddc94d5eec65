//! The after-action report as Markdown, with each chart as an SVG file of its
//! own next to the Markdown file. Same content as the HTML page.

use std::fmt::Write as _;

use super::{AfterAction, Finding};

/// Text safe in Markdown, tables included: HTML is escaped (renderers pass
/// inline HTML through), and so are the characters that start Markdown
/// syntax inside a line.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn findings(out: &mut String, list: &[Finding], none: &str) {
    if list.is_empty() {
        let _ = writeln!(out, "{none}\n");
        return;
    }
    for f in list {
        let _ = writeln!(out, "- **{}** — {}", md(&f.title), md(&f.figure));
        if let Some(a) = &f.action {
            let _ = writeln!(out, "  - Corrective action: {}", md(a));
        }
    }
    out.push('\n');
}

/// The Markdown text and the chart files, `(file name, SVG)`; the file names
/// are `STEM-ID.svg` and the Markdown links to them by those names.
pub fn to_markdown(aar: &AfterAction, stem: &str) -> (String, Vec<(String, String)>) {
    let i = aar.inputs;
    let s = i.scenario;
    let r = i.report;
    let mut out = String::new();
    let _ = writeln!(out, "# After-action report — {}\n", md(&s.name));
    let _ = writeln!(
        out,
        "{} · seed {} · {} to {}\n",
        md(&s.title),
        md(&r.seed),
        aar.date(0),
        aar.date(r.days.saturating_sub(1))
    );
    out.push_str("## The exercise at a glance\n\n");
    let _ = writeln!(out, "> {}\n", md(&aar.headline()));
    if let Some(summary) = aar.capability_summary() {
        let _ = writeln!(out, "{}\n", md(&summary));
    }
    out.push_str("| | |\n|---|---|\n");
    for (k, v) in aar.glance() {
        let _ = writeln!(out, "| **{}** | {} |", md(k), md(&v));
    }
    out.push_str("\n### Outcomes against the references\n\n");
    out.push_str("| figure | this run | all silo | all central |\n|---|---:|---:|---:|\n");
    for (label, run, silo, central) in aar.outcomes() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(label.trim()),
            md(&run),
            md(&silo),
            md(&central)
        );
    }

    out.push_str("\n## Charts\n\n");
    let mut files = Vec::new();
    for c in &aar.charts {
        let name = format!("{stem}-{}.svg", c.id);
        let _ = writeln!(
            out,
            "### {}\n\n![{}]({name})\n\n{}\n",
            md(&c.title),
            md(&c.title),
            md(&c.description)
        );
        files.push((name, c.svg.clone()));
    }

    out.push_str("## Timeline of injects and key decisions\n\n");
    if aar.timeline.is_empty() {
        out.push_str("No inject fired and no decision was recorded.\n\n");
    } else {
        out.push_str("| day | date | kind | event |\n|---:|---|---|---|\n");
        for e in &aar.timeline {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                e.day,
                aar.date(e.day),
                e.kind,
                md(&e.text)
            );
        }
        out.push('\n');
    }

    out.push_str("## Capability ratings\n\n");
    if aar.capabilities.is_empty() {
        out.push_str("The scenario defines no capability targets.\n\n");
    } else {
        out.push_str(
            "| capability | target | rating | evidence | all silo | all central |\n|---|---|---|---|---|---|\n",
        );
        for c in &aar.capabilities {
            let _ = writeln!(
                out,
                "| **{}**{} | {} ({}) | **{}** ({}) | {} | {} ({}) | {} ({}) |",
                md(&c.name),
                c.source
                    .as_ref()
                    .map_or(String::new(), |s| format!(" (source: {})", md(s))),
                md(&c.target),
                md(&c.thresholds),
                c.rating.label(),
                md(&c.shown[0]),
                md(&c.run.evidence),
                c.references[0].1.label(),
                md(&c.shown[1]),
                c.references[1].1.label(),
                md(&c.shown[2]),
            );
        }
        out.push('\n');
    }

    out.push_str("## Strengths and areas for improvement\n\n### Strengths\n\n");
    findings(
        &mut out,
        &aar.strengths,
        "The cooperation ledger shows no particular strength.",
    );
    out.push_str("### Areas for improvement and corrective actions\n\n");
    findings(
        &mut out,
        &aar.areas,
        "The cooperation ledger shows no area for improvement.",
    );
    if !aar.areas.is_empty() {
        out.push_str("### Improvement plan\n\n| # | area for improvement | corrective action | responsible |\n|---:|---|---|---|\n");
        for (k, f) in aar.areas.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                k + 1,
                md(&f.title),
                md(f.action.as_deref().unwrap_or("")),
                md(f.owner.as_deref().unwrap_or(""))
            );
        }
        out.push('\n');
    }

    out.push_str("## Cooperation ledger\n\n| channel | made | accepted | refused | unanswered | need met |\n|---|---:|---:|---:|---:|---:|\n");
    for ch in &r.cooperation.requests {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            ch.channel, ch.made, ch.accepted, ch.refused, ch.unanswered, ch.fulfilled
        );
    }
    let _ = writeln!(
        out,
        "\n---\n\ncimsim {} · scenario content hash {} · final digest {}\n",
        crate::ENGINE_VERSION,
        r.scenario.content_hash,
        r.final_digest
    );
    // A fence longer than any run of backticks in the JSON (scenario text
    // could hold some).
    let json = r.to_json();
    let longest = json.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let _ = writeln!(
        out,
        "<details><summary>Figures (the JSON of <code>cimsim run --json</code>)</summary>\n\n{fence}json\n{}\n{fence}\n\n</details>",
        json.trim_end()
    );
    (out, files)
}
