//! The after-action report as one self-contained HTML page: inline CSS and
//! SVG, no script that runs, no external resource of any kind, so it opens
//! offline and prints. Every text from the scenario or the recording is
//! escaped.
//!
//! It renders the [`Document`] `content.rs` writes; nothing here says
//! anything the Markdown does not, except what only a page has (the
//! navigation, the data embedded for tools).

use std::fmt::Write as _;

use super::document::{Block, Column, Document, Inline, Item, Paragraph, Row, Style, Table};
use super::{AfterAction, Chart, content};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// JSON text safe inside a `<script type="application/json">` element: no
/// `<` can start `</script>`.
fn script_json(json: &str) -> String {
    json.trim_end().replace('<', "\\u003c")
}

const STYLE: &str = r#"
:root { --ink: #1d2733; --muted: #5b6773; --rule: #d5dbe1; --accent: #1f4e79; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1040px; padding: 24px 32px 48px; line-height: 1.45; font-size: 15px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 12px; }
h1 { font-size: 28px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 21px; margin: 32px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; color: var(--accent); }
h3 { font-size: 17px; margin: 20px 0 8px; }
.sub { color: var(--muted); margin: 0 0 10px; }
nav { font-size: 14px; margin: 8px 0 16px; }
nav a { margin-right: 14px; color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.headline { font-size: 16px; background: #f4f7fa; border-left: 4px solid var(--accent); padding: 10px 14px; }
figure.chart { margin: 16px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; border: 1px solid var(--rule); }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
.pair { display: flex; gap: 12px; flex-wrap: wrap; }
.pair figure { flex: 1 1 45%; }
.rating { font-weight: 600; padding: 2px 8px; border-radius: 10px; white-space: nowrap; }
.rating.p { background: #d8f0d8; color: #1b5e20; }
.rating.s { background: #fff3c4; color: #7a5b00; }
.rating.m { background: #ffe0c2; color: #8a3b00; }
.rating.u { background: #f8d0d0; color: #8b1a1a; }
.rating.n { background: #e6e8eb; color: #444; }
ul.findings li { margin-bottom: 10px; }
.figure { color: var(--muted); }
.action { display: block; margin-top: 2px; }
.kind { color: var(--muted); font-size: 13px; white-space: nowrap; }
.date { white-space: nowrap; }
footer { margin-top: 36px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// The whole page.
pub fn to_html(aar: &AfterAction) -> String {
    render(&content::document(aar))
}

/// The page of a document.
fn render(doc: &Document) -> String {
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&doc.title),
        escape(&doc.subject)
    );
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"sub\">{} — {}</p>\n</header>\n",
        escape(&doc.title),
        escape(&doc.subject),
        escape(&doc.subtitle)
    );
    out.push_str("<nav>");
    for s in &doc.sections {
        let _ = write!(out, "<a href=\"#{}\">{}</a>", s.id, escape(s.nav));
    }
    out.push_str("</nav>\n");
    for s in &doc.sections {
        let _ = writeln!(out, "<section id=\"{}\">\n<h2>{}</h2>", s.id, escape(s.title));
        for b in &s.blocks {
            block(&mut out, b);
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "<footer>{}. The figures of this run are embedded below as the JSON document of <code>cimsim run --json</code>.</footer>",
        escape(&doc.footer)
    );
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"figures\">\n{}\n</script>\n<script type=\"application/json\" id=\"ratings\">\n{}\n</script>\n</body>\n</html>\n",
        script_json(&doc.figures_json),
        script_json(&doc.ratings_json)
    );
    out
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Heading(h) => {
            let _ = writeln!(out, "<h3>{}</h3>", escape(h));
        }
        Block::Paragraph(Paragraph { style, text }) => {
            let class = match style {
                Style::Plain => "",
                Style::Headline => " class=\"headline\"",
                Style::Summary => " class=\"summary\"",
            };
            let _ = writeln!(out, "<p{class}>{}</p>", inline(text));
        }
        Block::Facts { class, rows } => {
            let _ = writeln!(out, "<table class=\"{class}\">");
            for (k, v) in rows {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                    escape(k),
                    escape(v)
                );
            }
            out.push_str("</table>\n");
        }
        Block::Table(t) => table(out, t),
        Block::Findings(items) => findings(out, items),
        Block::Figures { heading, pair, charts } => {
            let _ = writeln!(out, "<h3>{}</h3>", escape(heading));
            if *pair {
                out.push_str("<div class=\"pair\">\n");
            }
            for c in charts {
                out.push_str(&figure(c));
            }
            if *pair {
                out.push_str("</div>\n");
            }
        }
    }
}

fn table(out: &mut String, t: &Table) {
    match t.id {
        Some(id) => {
            let _ = writeln!(out, "<table id=\"{id}\">");
        }
        None => out.push_str("<table>\n"),
    }
    out.push_str("<tr>");
    for c in &t.columns {
        let class = if c.numeric { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(c.header));
    }
    out.push_str("</tr>\n");
    for Row { id, cells } in &t.rows {
        match id {
            Some(id) => {
                let _ = write!(out, "<tr id=\"{}\">", escape(id));
            }
            None => out.push_str("<tr>"),
        }
        for (c, cell) in t.columns.iter().zip(cells) {
            let _ = write!(out, "<td{}>{}</td>", cell_class(c), inline(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn cell_class(c: &Column) -> String {
    match (c.numeric, c.class) {
        (true, _) => " class=\"num\"".to_string(),
        (false, Some(class)) => format!(" class=\"{class}\""),
        (false, None) => String::new(),
    }
}

fn findings(out: &mut String, items: &[Item]) {
    out.push_str("<ul class=\"findings\">\n");
    for f in items {
        let _ = write!(
            out,
            "<li><strong>{}</strong><br><span class=\"figure\">{}</span>",
            escape(&f.title),
            escape(&f.detail)
        );
        if let Some(note) = &f.note {
            let _ = write!(out, "<span class=\"action\">{}</span>", escape(note));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "<strong>{}</strong>", escape(t));
            }
            Inline::Em(t) => {
                let _ = write!(out, "<em>{}</em>", escape(t));
            }
            Inline::Code(t) => {
                let _ = write!(out, "<code>{}</code>", escape(t));
            }
            Inline::Aside(t) => {
                let _ = write!(out, "<br><span class=\"figure\">{}</span>", escape(t));
            }
            // Two spaces, as the page has always had them; a browser shows
            // none.
            Inline::Indent => out.push_str("  "),
            Inline::Rating {
                rating,
                value,
                evidence,
                emphasis: _,
            } => {
                let title = evidence
                    .as_ref()
                    .map_or(String::new(), |e| format!(" title=\"{}\"", escape(e)));
                let _ = write!(
                    out,
                    "<span class=\"rating {}\"{title}>{}</span> {}",
                    rating.code(),
                    escape(rating.label()),
                    escape(value)
                );
            }
        }
    }
    out
}

/// The SVG of a chart with its id, class and accessible name.
fn inline_svg(chart: &Chart) -> String {
    let attributes = format!(
        r#"<svg id="chart-{}" class="chart" role="img" aria-label="{}" "#,
        escape(&chart.id),
        escape(&chart.description)
    );
    // Plotters writes `<svg width=...`; strip its XML declaration if any.
    let body = chart.svg.trim_start();
    let body = body
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .unwrap_or(body)
        .trim_start();
    body.replacen("<svg ", &attributes, 1)
}

fn figure(chart: &Chart) -> String {
    format!(
        "<figure class=\"chart\" id=\"figure-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(&chart.id),
        inline_svg(chart),
        escape(&chart.description)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html_and_json_for_script() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(script_json("{\"a\": \"</script>\"}\n"), "{\"a\": \"\\u003c/script>\"}");
    }
}
