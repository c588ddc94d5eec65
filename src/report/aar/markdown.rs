//! The after-action report as Markdown, with each chart as an SVG file of its
//! own next to the Markdown file.
//!
//! It renders the same [`Document`] as the HTML page (`content.rs`), so the
//! two say the same; only the look differs.

use std::fmt::Write as _;

use super::document::{Block, Document, Inline, Item, Paragraph, Style, Table};
use super::{AfterAction, content};

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

/// The Markdown text and the chart files, `(file name, SVG)`; the file names
/// are `STEM-ID.svg` and the Markdown links to them by those names.
pub fn to_markdown(aar: &AfterAction, stem: &str) -> (String, Vec<(String, String)>) {
    render(&content::document(aar), stem)
}

fn render(doc: &Document, stem: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::new();
    let mut files = Vec::new();
    let _ = writeln!(out, "# {} — {}\n", md(&doc.title), md(&doc.subject));
    let _ = writeln!(out, "{}\n", md(&doc.subtitle));
    for s in &doc.sections {
        let _ = writeln!(out, "## {}\n", md(s.title));
        for b in &s.blocks {
            block(&mut out, &mut files, b, stem);
        }
    }
    let _ = writeln!(out, "---\n\n{}\n", md(&doc.footer));
    // A fence longer than any run of backticks in the JSON (scenario text
    // could hold some).
    let json = &doc.figures_json;
    let longest = json.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    let _ = writeln!(
        out,
        "<details><summary>Figures (the JSON of <code>cimsim run --json</code>)</summary>\n\n{fence}json\n{}\n{fence}\n\n</details>",
        json.trim_end()
    );
    (out, files)
}

fn block(out: &mut String, files: &mut Vec<(String, String)>, b: &Block, stem: &str) {
    match b {
        Block::Heading(h) => {
            let _ = writeln!(out, "### {}\n", md(h));
        }
        Block::Paragraph(Paragraph { style, text }) => {
            let quote = if *style == Style::Headline { "> " } else { "" };
            let _ = writeln!(out, "{quote}{}\n", inline(text));
        }
        Block::Facts { rows, .. } => {
            out.push_str("| | |\n|---|---|\n");
            for (k, v) in rows {
                let _ = writeln!(out, "| **{}** | {} |", md(k), md(v));
            }
            out.push('\n');
        }
        Block::Table(t) => table(out, t),
        Block::Findings(items) => findings(out, items),
        // Each chart under its own title: a Markdown reader sees the SVG
        // files one by one, not side by side under a group heading.
        Block::Figures { charts, .. } => {
            for c in charts {
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
        }
    }
}

fn table(out: &mut String, t: &Table) {
    let headers: Vec<String> = t.columns.iter().map(|c| md(c.header)).collect();
    let rules: Vec<&str> = t
        .columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |\n|{}|", headers.join(" | "), rules.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row.cells.iter().map(|c| inline(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn findings(out: &mut String, items: &[Item]) {
    for f in items {
        let _ = writeln!(out, "- **{}** — {}", md(&f.title), md(&f.detail));
        if let Some(note) = &f.note {
            let _ = writeln!(out, "  - {}", md(note));
        }
    }
    out.push('\n');
}

fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text(t) => out.push_str(&md(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "**{}**", md(t));
            }
            Inline::Em(t) => {
                let _ = write!(out, "*{}*", md(t));
            }
            Inline::Code(t) => {
                let _ = write!(out, "`{t}`");
            }
            Inline::Aside(t) => {
                let _ = write!(out, " ({})", md(t));
            }
            Inline::Indent => {}
            Inline::Rating {
                rating,
                value,
                emphasis,
                ..
            } => {
                let stars = if *emphasis { "**" } else { "" };
                let _ = write!(out, "{stars}{}{stars} ({})", rating.label(), md(value));
            }
        }
    }
    out
}
