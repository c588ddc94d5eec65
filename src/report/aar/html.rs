//! The after-action report as one self-contained HTML page: inline CSS and
//! SVG, no script that runs, no external resource of any kind, so it opens
//! offline and prints. Every text from the scenario or the recording is
//! escaped.

use std::fmt::Write as _;

use super::{AfterAction, Finding};

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
footer { margin-top: 36px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// The SVG of a chart with its id, class and accessible name.
fn inline_svg(chart: &super::Chart) -> String {
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

fn figure(chart: &super::Chart) -> String {
    format!(
        "<figure class=\"chart\" id=\"figure-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(&chart.id),
        inline_svg(chart),
        escape(&chart.description)
    )
}

fn findings_list(out: &mut String, list: &[Finding], none: &str) {
    if list.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(none));
        return;
    }
    out.push_str("<ul class=\"findings\">\n");
    for f in list {
        let _ = write!(
            out,
            "<li><strong>{}</strong><br><span class=\"figure\">{}</span>",
            escape(&f.title),
            escape(&f.figure)
        );
        if let Some(a) = &f.action {
            let _ = write!(out, "<span class=\"action\">Corrective action: {}</span>", escape(a));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The whole page.
pub fn to_html(aar: &AfterAction) -> String {
    let i = aar.inputs;
    let s = i.scenario;
    let r = i.report;
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>After-action report — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&s.name)
    );
    let _ = write!(
        out,
        "<header>\n<h1>After-action report</h1>\n<p class=\"sub\">{} — {} · seed {} · {} to {}</p>\n</header>\n",
        escape(&s.name),
        escape(&s.title),
        escape(&r.seed),
        escape(&aar.date(0)),
        escape(&aar.date(r.days.saturating_sub(1)))
    );
    out.push_str(
        "<nav><a href=\"#glance\">At a glance</a><a href=\"#charts\">Charts</a><a href=\"#timeline\">Timeline</a><a href=\"#capabilities\">Capabilities</a><a href=\"#findings\">Strengths and improvements</a><a href=\"#ledger\">Cooperation ledger</a></nav>\n",
    );

    // At a glance.
    out.push_str("<section id=\"glance\">\n<h2>The exercise at a glance</h2>\n");
    let _ = writeln!(out, "<p class=\"headline\">{}</p>", escape(&aar.headline()));
    if let Some(summary) = aar.capability_summary() {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", escape(&summary));
    }
    out.push_str("<table class=\"glance\">\n");
    for (k, v) in aar.glance() {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(k),
            escape(&v)
        );
    }
    out.push_str("</table>\n<h3>Outcomes against the references</h3>\n");
    out.push_str(
        "<p>The same scenario, seed and manual injects run with every agency alone (<em>silo</em>) and with one planner with full information (<em>central</em>, an upper reference, not a real option).</p>\n",
    );
    out.push_str("<table id=\"outcomes\">\n<tr><th>figure</th><th class=\"num\">this run</th><th class=\"num\">all silo</th><th class=\"num\">all central</th></tr>\n");
    for (label, run, silo, central) in aar.outcomes() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&label),
            escape(&run),
            escape(&silo),
            escape(&central)
        );
    }
    out.push_str("</table>\n</section>\n");

    // Charts.
    out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n<h3>Recovery of each service by district</h3>\n");
    for c in aar.charts.iter().filter(|c| c.id.starts_with("recovery-")) {
        out.push_str(&figure(c));
    }
    out.push_str("<h3>Displacement and returns</h3>\n");
    for c in aar.charts.iter().filter(|c| c.id == "people") {
        out.push_str(&figure(c));
    }
    out.push_str("<h3>Who asked whom, and who answered</h3>\n<div class=\"pair\">\n");
    for c in aar.charts.iter().filter(|c| c.id.starts_with("network-")) {
        out.push_str(&figure(c));
    }
    out.push_str("</div>\n<h3>Crews that could not work</h3>\n");
    for c in aar.charts.iter().filter(|c| c.id == "blocked") {
        out.push_str(&figure(c));
    }
    out.push_str("</section>\n");

    // Timeline.
    out.push_str("<section id=\"timeline\">\n<h2>Timeline of injects and key decisions</h2>\n");
    if aar.timeline.is_empty() {
        out.push_str("<p>No inject fired and no decision was recorded.</p>\n");
    } else {
        out.push_str("<table>\n<tr><th class=\"num\">day</th><th>date</th><th>kind</th><th>event</th></tr>\n");
        for e in &aar.timeline {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"kind\">{}</td><td>{}</td></tr>",
                e.day,
                escape(&aar.date(e.day)),
                escape(e.kind),
                escape(&e.text)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");

    // Capabilities.
    out.push_str("<section id=\"capabilities\">\n<h2>Capability ratings</h2>\n");
    if aar.capabilities.is_empty() {
        out.push_str(
            "<p>The scenario defines no capability targets (<code>capabilities</code> in the scenario file).</p>\n",
        );
    } else {
        out.push_str(
            "<p>Each target is rated <em>performed</em>, <em>some challenges</em>, <em>major challenges</em> or <em>unable to perform</em> by the thresholds the scenario sets; the same targets measured in the references show what working alone and one good planner achieve.</p>\n",
        );
        out.push_str("<table id=\"capability-table\">\n<tr><th>capability</th><th>target</th><th>rating</th><th>evidence</th><th>all silo</th><th>all central</th></tr>\n");
        for c in &aar.capabilities {
            // The references: their rating and value; their evidence as a
            // tooltip.
            let reference = |k: usize| {
                let (m, rating) = &c.references[k];
                format!(
                    "<span class=\"rating {}\" title=\"{}\">{}</span> {}",
                    rating.code(),
                    escape(&m.evidence),
                    escape(rating.label()),
                    escape(&c.shown[k + 1])
                )
            };
            let _ = writeln!(
                out,
                "<tr id=\"capability-{}\"><td><strong>{}</strong>{}</td><td>{}<br><span class=\"figure\">{}</span></td><td><span class=\"rating {}\">{}</span> {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&c.id),
                escape(&c.name),
                c.source.as_ref().map_or(String::new(), |s| format!(
                    "<br><span class=\"figure\">source: {}</span>",
                    escape(s)
                )),
                escape(&c.target),
                escape(&c.thresholds),
                c.rating.code(),
                escape(c.rating.label()),
                escape(&c.shown[0]),
                escape(&c.run.evidence),
                reference(0),
                reference(1),
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");

    // Findings.
    out.push_str("<section id=\"findings\">\n<h2>Strengths and areas for improvement</h2>\n<h3>Strengths</h3>\n");
    findings_list(
        &mut out,
        &aar.strengths,
        "The cooperation ledger shows no particular strength.",
    );
    out.push_str("<h3>Areas for improvement and corrective actions</h3>\n");
    findings_list(
        &mut out,
        &aar.areas,
        "The cooperation ledger shows no area for improvement.",
    );
    if !aar.areas.is_empty() {
        out.push_str("<h3>Improvement plan</h3>\n<table id=\"improvement-plan\">\n<tr><th class=\"num\">#</th><th>area for improvement</th><th>corrective action</th><th>responsible</th></tr>\n");
        for (k, f) in aar.areas.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                k + 1,
                escape(&f.title),
                escape(f.action.as_deref().unwrap_or("")),
                escape(f.owner.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");

    // The ledger's tables.
    out.push_str("<section id=\"ledger\">\n<h2>Cooperation ledger</h2>\n");
    out.push_str("<table>\n<tr><th>channel</th><th class=\"num\">made</th><th class=\"num\">accepted</th><th class=\"num\">refused</th><th class=\"num\">unanswered</th><th class=\"num\">need met</th><th class=\"num\">days to answer</th><th class=\"num\">days to need met</th></tr>\n");
    let days = |d: Option<f64>| d.map_or("—".to_string(), |d| format!("{d:.1}"));
    for ch in &r.cooperation.requests {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&ch.channel),
            ch.made,
            ch.accepted,
            ch.refused,
            ch.unanswered,
            ch.fulfilled,
            days(ch.mean_days_to_answer),
            days(ch.mean_days_to_fulfil)
        );
    }
    out.push_str("</table>\n");
    if !r.cooperation.waiting.is_empty() {
        out.push_str("<h3>Days lost waiting on another agency (largest first)</h3>\n<table>\n<tr><th>agency</th><th>waited on</th><th>for</th><th>channel</th><th>asset</th><th class=\"num\">days</th></tr>\n");
        for w in r.cooperation.waiting.iter().take(15) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{} {}</td></tr>",
                escape(&w.agency),
                escape(&w.on),
                escape(&w.ask),
                escape(&w.channel),
                escape(w.asset.as_deref().unwrap_or("crews")),
                crate::report::text::big(w.days),
                escape(&w.unit)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");

    let _ = writeln!(
        out,
        "<footer>cimsim {} · scenario content hash {} · final digest {} · recorded by cimsim {}. The figures of this run are embedded below as the JSON document of <code>cimsim run --json</code>.</footer>",
        escape(crate::ENGINE_VERSION),
        escape(&r.scenario.content_hash),
        escape(&r.final_digest),
        escape(&i.recording.header.engine_version)
    );
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"figures\">\n{}\n</script>\n<script type=\"application/json\" id=\"ratings\">\n{}\n</script>\n</body>\n</html>\n",
        script_json(&r.to_json()),
        script_json(&ratings_json(aar))
    );
    out
}

/// The capability ratings as JSON, for tools.
pub(super) fn ratings_json(aar: &AfterAction) -> String {
    let value = |x: f64| {
        if x.is_nan() {
            serde_json::Value::Null
        } else {
            serde_json::json!(x)
        }
    };
    let list: Vec<serde_json::Value> = aar
        .capabilities
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "rating": c.rating.label(),
                "value": value(c.run.value),
                "evidence": c.run.evidence,
                "silo": {"rating": c.references[0].1.label(), "value": value(c.references[0].0.value)},
                "central": {"rating": c.references[1].1.label(), "value": value(c.references[1].0.value)},
            })
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
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
