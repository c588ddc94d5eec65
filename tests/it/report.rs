//! `cimsim report`: the after-action report of a recorded run. Its figures
//! are those `cimsim run --json` prints for the same run; it renders in
//! headless Chromium with every chart and no external resource; a damaged
//! recording gives a clear error and no file; `--format md` writes the
//! Markdown and the charts; capability targets are rated by the documented
//! rule.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::*;

/// The chart ids every report has.
const CHARTS: [&str; 9] = [
    "recovery-food",
    "recovery-water",
    "recovery-electricity",
    "recovery-sanitation",
    "recovery-health",
    "people",
    "network-start",
    "network-end",
    "blocked",
];

/// A `mosul-2017` run at 10 families per entity, recorded once for the
/// tests of this file: (directory, recording, stdout of `run --json`).
fn mosul() -> &'static (tempfile::TempDir, PathBuf, String) {
    static RUN: OnceLock<(tempfile::TempDir, PathBuf, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("mosul.rec");
        let (code, out, err) = cimsim(&[
            "run",
            "mosul-2017",
            "--seed",
            "1",
            "--family-per-entity",
            "10",
            "--json",
            "--record",
            rec.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        (dir, rec, out)
    })
}

/// Writes the report of `rec` to `out`; (exit code, stderr).
fn report(rec: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["report", rec.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (code, _, err) = cimsim(&args);
    (code, err)
}

/// The text of the `<script type="application/json" id="ID">` element.
fn json_block(html: &str, id: &str) -> serde_json::Value {
    let open = format!("<script type=\"application/json\" id=\"{id}\">");
    let start = html.find(&open).unwrap_or_else(|| panic!("no {id} block")) + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap_or_else(|e| panic!("{id} block is not JSON: {e}"))
}

fn html_of(name: &str) -> (PathBuf, String) {
    let (dir, rec, _) = mosul();
    let out = dir.path().join(name);
    let (code, err) = report(rec, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

#[test]
fn the_reports_figures_equal_those_run_json_prints_for_the_same_run() {
    let (_, _, printed) = mosul();
    let (_, html) = html_of("figures.html");
    let figures = json_block(&html, "figures");
    let run: serde_json::Value = serde_json::from_str(printed).unwrap();
    let (a, b) = (figures.as_object().unwrap(), run.as_object().unwrap());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same fields in the same order"
    );
    for (key, value) in b {
        assert_eq!(&a[key], value, "field `{key}` differs from `run --json`");
    }
    // The figures shown on the page are those of the document: the losses of
    // the run and its references, the returns and the efficiency.
    let big = thousands;
    let row = |label: &str| {
        let start = html
            .find(&format!("<tr><td>{label}</td>"))
            .unwrap_or_else(|| panic!("no row {label}"));
        let end = start + html[start..].find("</tr>").unwrap();
        html[start..end].to_string()
    };
    let total = row("resilience loss, total (weighted person-days)");
    for value in [
        &run["resilience_loss"]["total"],
        &run["references"]["silo"]["resilience_loss"]["total"],
        &run["references"]["central"]["resilience_loss"]["total"],
    ] {
        assert!(
            total.contains(&format!(">{}<", big(value))),
            "{total} lacks {}",
            big(value)
        );
    }
    let water = row("  water");
    assert!(
        water.contains(&format!(">{}<", big(&run["resilience_loss"]["water"]))),
        "{water}"
    );
    let efficiency = row("coordination efficiency");
    let e = run["cooperation"]["coordination_efficiency"]
        .as_f64()
        .map_or("undefined".to_string(), |e| format!("{e:.2}"));
    assert!(efficiency.contains(&format!(">{e}<")), "{efficiency}");
    let returned = row("returned home by the last day");
    let share = format!(">{:.0}%<", run["returns"]["returned_share"].as_f64().unwrap() * 100.0);
    assert!(returned.contains(&share), "{returned}");
}

#[test]
fn the_same_recording_gives_the_same_bytes() {
    let (_, first) = html_of("a.html");
    let (_, second) = html_of("b.html");
    assert!(first == second, "two reports of the same recording differ");
}

/// Chromium from Debian (`chromium`) or another distribution
/// (`chromium-browser`), found on PATH.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "this test renders the report in headless Chromium, and neither `chromium` nor `chromium-browser` is on PATH; \
         run the tests with `scripts/test`, which installs Debian's `chromium` when it is missing"
    );
}

#[test]
fn the_report_renders_in_headless_chromium_with_every_chart_and_nothing_external() {
    let (out, html) = html_of("browser.html");
    // Nothing to load: no `src` attribute at all and links only within the
    // page.
    assert!(!html.contains(" src="), "the page loads something");
    for (i, _) in html.match_indices("href=") {
        assert!(
            html[i..].starts_with("href=\"#"),
            "an external link: {}",
            &html[i..i + 60]
        );
    }
    assert!(!html.contains("url("), "the style loads something");
    assert!(!html.contains("@import"), "the style imports something");

    let browser = chromium();
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", out.display());
    // Chromium's output goes to files (the DOM is larger than a pipe's
    // buffer) and it gets two minutes: a browser that hangs fails the test
    // instead of stalling the suite.
    let run = |extra: &[&str]| -> (String, String) {
        let (out_path, err_path) = (profile.path().join("stdout"), profile.path().join("stderr"));
        let mut child = std::process::Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
            .args(extra)
            .arg(&url)
            .stdout(std::fs::File::create(&out_path).unwrap())
            .stderr(std::fs::File::create(&err_path).unwrap())
            .spawn()
            .expect("chromium starts");
        let mut status = None;
        for _ in 0..1200 {
            status = child.try_wait().unwrap();
            if status.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
        let Some(status) = status else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes: {stderr}");
        };
        assert!(status.success(), "chromium failed ({status}): {stderr}");
        (std::fs::read_to_string(&out_path).unwrap_or_default(), stderr)
    };
    let (dom, stderr) = run(&["--dump-dom"]);
    for failure in [
        "net::ERR",
        "Failed to load",
        "ERR_FILE_NOT_FOUND",
        "Refused to",
        "Uncaught",
    ] {
        assert!(!stderr.contains(failure), "chromium reported `{failure}`: {stderr}");
    }
    for chart in CHARTS {
        let tag = format!("<svg id=\"chart-{chart}\" class=\"chart\"");
        let at = dom
            .find(&tag)
            .unwrap_or_else(|| panic!("the rendered page has no chart `{chart}`"));
        let end = at + dom[at..].find("</svg>").expect("the chart is closed");
        let drawn = &dom[at..end];
        assert!(drawn.matches("<text").count() >= 2, "chart `{chart}` has no labels");
        assert!(
            ["<polyline", "<circle", "<rect", "<polygon"]
                .iter()
                .any(|m| drawn.contains(m)),
            "chart `{chart}` draws nothing"
        );
    }
    for section in ["glance", "charts", "timeline", "capabilities", "findings", "ledger"] {
        assert!(
            dom.contains(&format!("<section id=\"{section}\">")),
            "no section {section}"
        );
    }
    for row in [
        "east-water",
        "east-power",
        "west-water",
        "west-health",
        "returns",
        "requests-honoured",
        "crew-safety",
        "crews-at-work",
    ] {
        assert!(
            dom.contains(&format!("<tr id=\"capability-{row}\">")),
            "no capability {row}"
        );
    }
    assert!(dom.contains("none (all agencies followed their strategies)"));
    assert!(dom.contains("<table id=\"improvement-plan\">"), "no improvement plan");

    // Under the target directory wherever it is (`CARGO_TARGET_DIR`): cargo
    // creates `CARGO_TARGET_TMPDIR` for integration tests.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    run(&[&format!("--screenshot={}", shot.display()), "--window-size=1280,4000"]);
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 50_000,
        "the screenshot is empty"
    );
}

/// The names of the files in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_damaged_recording_gives_a_clear_error_and_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("t.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "2",
        "--days",
        "20",
        "--no-score",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let good = std::fs::read(&rec).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("report.html");
    let cut = good.len() / 2;
    let mut flipped = good.clone();
    flipped[cut] ^= 0x01;
    for (bytes, code, message) in [
        (good[..cut].to_vec(), 1, "the recording is truncated"),
        (good[..good.len() - 1].to_vec(), 1, "the recording is truncated"),
        (flipped, 1, "checksum mismatch"),
        (Vec::new(), 2, "not a cimsim recording"),
        (b"<html>not a recording</html>\n".to_vec(), 2, "not a cimsim recording"),
    ] {
        std::fs::write(&rec, &bytes).unwrap();
        for format in ["html", "md"] {
            let (got, err) = report(&rec, &out, &["--format", format]);
            assert_eq!(got, code, "{message}: {err}");
            assert!(err.contains(message), "expected `{message}` in: {err}");
            assert!(err.starts_with("error: "), "{err}");
            assert!(
                listing(out_dir.path()).is_empty(),
                "files left: {:?}",
                listing(out_dir.path())
            );
        }
    }
    // A file that passes its checks but does not replay: a day's digest
    // changed and the checksum recomputed.
    let text = String::from_utf8(good.clone()).unwrap();
    let day5 = text.lines().find(|l| l.starts_with("{\"day\":{\"day\":5,")).unwrap();
    let digest_at = day5.find("\"digest\":\"").unwrap() + 10;
    let mut edited = day5.to_string();
    let first = &day5[digest_at..digest_at + 1];
    edited.replace_range(digest_at..digest_at + 1, if first == "0" { "1" } else { "0" });
    let text = text.replacen(day5, &edited, 1);
    let body_end = text.trim_end_matches('\n').rfind('\n').unwrap() + 1;
    let body = &text[..body_end];
    let forged = format!(
        "{body}{{\"checksum\":\"{}\"}}\n",
        cimsim::hash::hex16(cimsim::hash::fnv1a64(body.as_bytes()))
    );
    std::fs::write(&rec, forged).unwrap();
    let (got, err) = report(&rec, &out, &[]);
    assert_eq!(got, 1, "{err}");
    assert!(err.contains("day 5 does not match the recording"), "{err}");
    assert!(listing(out_dir.path()).is_empty());
    // A missing file is an input error.
    let (got, err) = report(&dir.path().join("missing.rec"), &out, &[]);
    assert_eq!(got, 2, "{err}");
    assert!(err.contains("cannot read"), "{err}");
    assert!(listing(out_dir.path()).is_empty());
}

#[test]
fn markdown_writes_the_report_and_each_chart_as_an_svg_file() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("t.rec");
    let (code, _, err) = cimsim(&["run", "tutorial", "--seed", "4", "--record", rec.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("aar.md");
    let (code, err) = report(&rec, &out, &["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    for section in [
        "## The exercise at a glance",
        "## Charts",
        "## Timeline of injects and key decisions",
        "## Capability ratings",
        "## Strengths and areas for improvement",
    ] {
        assert!(md.contains(section), "no `{section}`");
    }
    let mut expected = vec!["aar.md".to_string(), "t.rec".to_string()];
    for chart in CHARTS {
        let name = format!("aar-{chart}.svg");
        assert!(md.contains(&format!("]({name})")), "the Markdown does not link {name}");
        let svg = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{name} is not SVG");
        expected.push(name);
    }
    expected.sort();
    assert_eq!(listing(dir.path()), expected);
}

#[test]
fn the_default_output_is_the_recordings_stem_in_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("exercise-3.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "4",
        "--days",
        "30",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let work = tempfile::tempdir().unwrap();
    let out = cmd(&["report"]).arg(&rec).current_dir(work.path()).stdout();
    assert!(out.is_empty(), "data on stdout");
    assert_eq!(listing(work.path()), vec!["exercise-3.html".to_string()]);
}

/// The documented rule, restated: more is better when the thresholds
/// descend.
fn rule(value: f64, thresholds: [f64; 3]) -> &'static str {
    let more = thresholds[0] >= thresholds[2];
    let meets = |t: f64| if more { value >= t } else { value <= t };
    if meets(thresholds[0]) {
        "performed"
    } else if meets(thresholds[1]) {
        "some challenges"
    } else if meets(thresholds[2]) {
        "major challenges"
    } else {
        "unable to perform"
    }
}

#[test]
fn capability_targets_are_rated_by_the_documented_rule_on_a_hand_built_town() {
    // The town's power station at half its condition and nobody to repair
    // it: electricity meets half the need; the water plant, fully built,
    // needs power. No crew can be lost.
    let text = town(&Town {
        power_condition: 0.5,
        ..Town::default()
    });
    let capabilities = r#"
    capabilities: [
        (id: "power", name: "Power", metric: ServiceLevel(service: Electricity, districts: ["centre"], day: 10),
         performed: 0.9, some_challenges: 0.45, major_challenges: 0.2),
        (id: "power-strict", name: "Power, strict", metric: ServiceLevel(service: Electricity, districts: ["centre"], day: 10),
         performed: 0.95, some_challenges: 0.9, major_challenges: 0.6),
        (id: "crews", name: "No crew lost", metric: CrewCasualties,
         performed: 0, some_challenges: 1, major_challenges: 2),
        (id: "late", name: "Beyond the recording", metric: ServiceLevel(service: Water, districts: ["centre"], day: 40),
         performed: 0.8, some_challenges: 0.6, major_challenges: 0.4),
    ],
)"#;
    let text = format!("{}{capabilities}", text.trim_end().strip_suffix(')').unwrap());
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("town.ron");
    std::fs::write(&scenario, &text).unwrap();
    let rec = dir.path().join("town.rec");
    let (code, _, err) = cimsim(&[
        "run",
        scenario.to_str().unwrap(),
        "--seed",
        "1",
        "--days",
        "20",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("town.html");
    let (code, err) = report(&rec, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    let ratings = json_block(&html, "ratings");
    let by_id = |id: &str| {
        ratings
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no rating {id}"))
            .clone()
    };
    let power = by_id("power");
    let level = power["value"].as_f64().unwrap();
    assert!((level - 0.5).abs() < 0.01, "half the power: {power}");
    assert_eq!(power["rating"], "some challenges", "{power}");
    assert_eq!(power["rating"], rule(level, [0.9, 0.45, 0.2]));
    assert_eq!(by_id("power-strict")["rating"], "unable to perform");
    let crews = by_id("crews");
    assert_eq!(
        (crews["value"].as_f64(), &crews["rating"]),
        (Some(0.0), &serde_json::json!("performed"))
    );
    let late = by_id("late");
    assert_eq!(late["rating"], "not exercised", "{late}");
    assert!(late["value"].is_null());
    assert!(late["evidence"].as_str().unwrap().contains("before day 40"), "{late}");
    // The rendered table says the same.
    assert!(html.contains("<span class=\"rating s\">some challenges</span>"));
    assert!(html.contains("<span class=\"rating n\">not exercised</span>"));
}

#[test]
fn text_from_the_scenario_is_escaped() {
    // A scenario whose title and district name carry markup: the page shows
    // it as text.
    let text = town(&Town::default())
        .replace("title: \"Test town\"", "title: \"<script>alert(1)</script> & co\"")
        .replace("name: \"Centre\"", "name: \"<img src=x onerror=alert(2)>\"");
    let text = format!(
        "{}{}",
        text.trim_end().strip_suffix(')').unwrap(),
        r#"    capabilities: [(id: "x", name: "<iframe src=evil>", source: Some("</td><script>"),
        metric: CrewCasualties, performed: 0, some_challenges: 1, major_challenges: 2)],
)"#
    );
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("town.ron");
    std::fs::write(&scenario, &text).unwrap();
    let rec = dir.path().join("town.rec");
    let (code, _, err) = cimsim(&[
        "run",
        scenario.to_str().unwrap(),
        "--seed",
        "1",
        "--days",
        "5",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("town.html");
    let (code, err) = report(&rec, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script>alert"), "the title was not escaped");
    assert!(!html.contains("<img"), "a name was not escaped");
    assert!(!html.contains("<iframe"), "a capability's name was not escaped");
    assert!(!html.contains("</td><script>"), "a capability's source was not escaped");
    assert!(html.contains("&lt;iframe src=evil&gt;"));
    // The Markdown too: renderers pass HTML through.
    let md = dir.path().join("town.md");
    let (code, err) = report(&rec, &md, &["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&md).unwrap();
    let before_figures = &md[..md.find("<details>").unwrap()];
    for markup in ["<script>", "<img", "<iframe", "</td>"] {
        assert!(!before_figures.contains(markup), "`{markup}` in the Markdown");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
}

/// The Markdown report of a short tutorial run, without its embedded JSON
/// (pinned field by field above): what a trainer reads, as a snapshot.
#[test]
fn markdown_report_of_the_tutorial() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("t.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "1",
        "--strategy",
        "liaison",
        "--inject",
        "40:Heatwave(water_factor: 1.5, days: 10)",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("aar.md");
    let (code, err) = report(&rec, &out, &["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    // The build's rules hash changes with every change to a rule; the
    // report's text around it is what this snapshot is about.
    assert!(md.contains(cimsim::ENGINE_VERSION), "the report names its build");
    let text =
        md[..md.find("<details>").expect("the figures block")].replace(cimsim::ENGINE_VERSION, "[engine version]");
    insta::assert_snapshot!(text);
}

/// Regression (issue 13.7): the Markdown left out sentences and tables the
/// page had (the references' introduction, how targets are rated, the
/// ledger's days and its waits, the build that recorded the run). Every
/// paragraph, column header and row label of the page's sections, and its
/// footer, is in the Markdown too; only the look differs.
#[test]
fn the_markdown_says_what_the_page_says() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("t.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "2",
        "--days",
        "90",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (html_file, md_file) = (dir.path().join("aar.html"), dir.path().join("aar.md"));
    assert_eq!(report(&rec, &html_file, &[]).0, 0);
    assert_eq!(report(&rec, &md_file, &["--format", "md"]).0, 0);
    let html = std::fs::read_to_string(&html_file).unwrap();
    let md = std::fs::read_to_string(&md_file).unwrap();
    // Text without either format's markup.
    let from_html = |s: &str| {
        let mut out = String::new();
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let md_text = {
        let mut out = String::new();
        let mut chars = md[..md.find("<details>").unwrap()].chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                '*' | '`' => {}
                c => out.push(c),
            }
        }
        out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    };
    let body = &html[html.find("<section").unwrap()..html.find("<script").unwrap()];
    let mut checked = 0;
    for (open, close) in [("<p>", "</p>"), ("<p class=", "</p>"), ("<th", "</th>")] {
        for piece in body.split(open).skip(1) {
            let inner = &piece[piece
                .find('>')
                .map_or(0, |i| if open.ends_with('>') { 0 } else { i + 1 })..];
            let text = from_html(&inner[..inner.find(close).unwrap()]);
            if !text.trim().is_empty() {
                assert!(md_text.contains(text.trim()), "the Markdown does not say: {text}");
                checked += 1;
            }
        }
    }
    let footer = from_html(&body[body.find("<footer>").unwrap()..body.find("</footer>").unwrap()]);
    let footer = &footer[..footer.find(". The figures").unwrap()];
    assert!(md_text.contains(footer), "the Markdown's footer is not: {footer}");
    assert!(checked > 40, "only {checked} pieces of text compared");
}

/// The attributes of an SVG or HTML start tag (`<polyline a="b" ...>`).
fn attributes(tag: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].rsplit([' ', '<']).next().unwrap_or_default().to_string();
        let value_start = eq + 2;
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        out.insert(name, rest[value_start..value_start + len].to_string());
        rest = &rest[value_start + len + 1..];
    }
    out
}

/// Every start tag `<NAME ...>` in `svg` with the given class, as
/// attributes, and the text up to the next `<` (a `<text>`'s content).
fn tags(svg: &str, name: &str, class: &str) -> Vec<(std::collections::BTreeMap<String, String>, String)> {
    let open = format!("<{name} class=\"{class}\"");
    svg.match_indices(&open)
        .map(|(i, _)| {
            let end = i + svg[i..].find('>').unwrap();
            let text_end = end + 1 + svg[end + 1..].find('<').unwrap_or(0);
            (attributes(&svg[i..end]), svg[end + 1..text_end].to_string())
        })
        .collect()
}

/// The SVG of chart `id` in a page.
fn chart_svg<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("<svg id=\"chart-{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    &html[at..at + html[at..].find("</svg>").unwrap()]
}

/// Regression (issue 14.14): two districts shared red, the legend's
/// colours were hard to match, the people chart's legend covered the
/// returns, and dates wrapped. Every line of a time chart now has a look of
/// its own (colour and dash), is named at its end outside the plot (names
/// apart, none over a line), and the date axis has a few short labels that
/// cannot break; the blocked chart's key sits beside the bars.
#[test]
fn every_chart_line_looks_different_is_named_beside_the_plot_and_dates_do_not_wrap() {
    let (_, html) = html_of("charts.html");
    let districts = 12;
    for id in [
        "recovery-food",
        "recovery-water",
        "recovery-electricity",
        "recovery-sanitation",
        "recovery-health",
        "people",
    ] {
        let svg = chart_svg(&html, id);
        let lines = tags(svg, "polyline", "series");
        let expected = if id == "people" { 4 } else { districts };
        assert_eq!(lines.len(), expected, "{id}: one line per series");
        let looks: std::collections::BTreeSet<(String, String)> = lines
            .iter()
            .map(|(a, _)| {
                (
                    a["stroke"].clone(),
                    a.get("stroke-dasharray").cloned().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(looks.len(), lines.len(), "{id}: two lines look alike: {looks:?}");
        // The plot's right edge: the last point of any line.
        let right = lines
            .iter()
            .flat_map(|(a, _)| {
                a["points"]
                    .split(' ')
                    .map(|p| p.split(',').next().unwrap().parse::<i32>().unwrap())
                    .collect::<Vec<_>>()
            })
            .max()
            .unwrap();
        let names = tags(svg, "text", "name");
        let mut named: Vec<&str> = names.iter().map(|(_, t)| t.as_str()).collect();
        let mut drawn: Vec<&str> = lines.iter().map(|(a, _)| a["data-name"].as_str()).collect();
        named.sort_unstable();
        drawn.sort_unstable();
        assert_eq!(named, drawn, "{id}: every line is named");
        let mut ys: Vec<i32> = names.iter().map(|(a, _)| a["y"].parse().unwrap()).collect();
        for (a, text) in &names {
            let x: i32 = a["x"].parse().unwrap();
            assert!(
                x > right,
                "{id}: the name {text} at x {x} is inside the plot (right edge {right})"
            );
        }
        ys.sort_unstable();
        for pair in ys.windows(2) {
            assert!(pair[1] - pair[0] >= 12, "{id}: two names overlap: {ys:?}");
        }
        // Dates: a few, short, one line each, far enough apart not to touch.
        let dates = tags(svg, "text", "date");
        assert!((2..=8).contains(&dates.len()), "{id}: {} date labels", dates.len());
        let mut xs = Vec::new();
        for (a, text) in &dates {
            let words: Vec<&str> = text.split(' ').collect();
            assert!(
                words.len() == 2 && text.len() <= 8 && !text.contains('\n'),
                "{id}: the date label `{text}` is not short"
            );
            assert!(
                words.iter().any(|w| ["Jan", "Apr", "Jul", "Oct"].contains(w)),
                "{id}: `{text}` is not on a quarter"
            );
            xs.push(a["x"].parse::<i32>().unwrap());
        }
        for pair in xs.windows(2) {
            assert!(pair[1] - pair[0] >= 60, "{id}: date labels closer than 60 px: {xs:?}");
        }
    }
    // The blocked chart's key is right of every bar.
    let svg = chart_svg(&html, "blocked");
    let rects: Vec<std::collections::BTreeMap<String, String>> = svg
        .match_indices("<rect ")
        .map(|(i, _)| attributes(&svg[i..i + svg[i..].find('>').unwrap()]))
        .filter(|a| a.contains_key("width") && a.get("fill").is_some_and(|f| f != "#FFFFFF"))
        .collect();
    let num = |a: &std::collections::BTreeMap<String, String>, k: &str| a[k].parse::<i32>().unwrap();
    let (keys, bars): (Vec<_>, Vec<_>) = rects
        .iter()
        .partition(|a| num(a, "width") <= 15 && num(a, "height") <= 13);
    assert!(
        !keys.is_empty() && !bars.is_empty(),
        "{} keys, {} bars",
        keys.len(),
        bars.len()
    );
    let bars_end = bars.iter().map(|a| num(a, "x") + num(a, "width")).max().unwrap();
    for k in &keys {
        assert!(
            num(k, "x") > bars_end,
            "a key at x {} lies over the bars (to {bars_end})",
            num(k, "x")
        );
    }
    // The timeline's dates do not break: their cells say so to the browser.
    assert!(html.contains(".date { white-space: nowrap; }"));
    assert!(
        html.contains("<td class=\"date\">"),
        "the timeline's dates have no class"
    );
}

/// Regression (issue 14.2): "requests between ministries met: performed,
/// 100 %" stood beside "formal requests slow or refused". A refused
/// request no longer counts as met (`RequestFulfilment` is read as
/// `RequestsHonoured`: accepted by the agency asked and its need met), and
/// every rating says in one sentence what it measures and how it is graded.
#[test]
fn a_rating_of_requests_does_not_count_refused_ones_as_met_and_every_rating_says_what_it_measures() {
    let dir = tempfile::tempdir().unwrap();
    let rec = dir.path().join("t.rec");
    let (code, _, err) = cimsim(&[
        "run",
        "tutorial",
        "--seed",
        "1",
        "--strategy",
        "silo",
        "--record",
        rec.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("aar.html");
    assert_eq!(report(&rec, &out, &[]).0, 0);
    let html = std::fs::read_to_string(&out).unwrap();
    let figures = json_block(&html, "figures");
    let channels = figures["cooperation"]["requests"].as_array().unwrap();
    let sum = |k: &str| channels.iter().map(|c| c[k].as_u64().unwrap()).sum::<u64>();
    let (made, accepted, refused, met) = (sum("made"), sum("accepted"), sum("refused"), sum("fulfilled"));
    assert!(
        refused > 0 && met == made,
        "the case needs refused requests whose need was met: {channels:?}"
    );
    let ratings = json_block(&html, "ratings");
    let requests = ratings
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "request-fulfilment")
        .expect("the tutorial rates requests");
    let value = requests["value"].as_f64().unwrap();
    assert!(
        value <= accepted as f64 / made as f64 + 1e-6,
        "refused requests counted as met: {requests} with {accepted} of {made} accepted"
    );
    let evidence = requests["evidence"].as_str().unwrap();
    assert!(evidence.contains(&format!("{refused} refused")), "{evidence}");
    assert!(
        !evidence.starts_with(&format!("{made} of {made} ")),
        "a claim of every request met beside refusals: {evidence}"
    );
    // One sentence per rating: what it measures and how it is graded.
    let list = &html[html.find("<h3>What each rating measures</h3>").expect("no definitions")..];
    let list = &list[..list.find("</ul>").unwrap()];
    let items = list.matches("<li>").count();
    assert_eq!(items, ratings.as_array().unwrap().len());
    assert_eq!(list.matches("Measures ").count(), items, "{list}");
    assert_eq!(list.matches("rated performed ").count(), items, "{list}");
}

/// Regression (issue 14.13): an exercise's real lesson went unmentioned.
/// The water player gave no orders and its crews stood idle while
/// work they could do waited; the report's first area for improvement, the
/// largest loss at the top of the page and the improvement plan's first
/// action are about that, in crew-days, and the losses are ranked by cost.
#[test]
fn the_largest_loss_an_idle_player_agency_comes_first_with_its_action_first() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("t.journal");
    let ran = cmd(&["play", "tutorial", "--seed", "1", "--human", "water", "--journal"])
        .arg(&journal)
        // Standing orders off: the player's crews work only when ordered.
        .lines(&["standing water off", "advance 14", "advance 14", "quit"])
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let out = dir.path().join("aar.md");
    let (code, err) = report(&journal, &out, &["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&out).unwrap();
    let figures: serde_json::Value = {
        let at = md.find("```json").unwrap() + 7;
        serde_json::from_str(&md[at..at + md[at..].find("```").unwrap()]).unwrap()
    };
    let water = figures["crews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["agency"] == "water")
        .unwrap();
    let idle = water["crew_days_idle_with_work"].as_f64().unwrap();
    assert!(
        idle > 0.0 && idle == water["crew_days_idle"].as_f64().unwrap(),
        "{water}"
    );
    let title = format!(
        "Water's crews stood idle while work they could do waited: {} crew-days",
        thousands(&water["crew_days_idle_with_work"])
    );
    let areas = &md[md.find("### Areas for improvement").unwrap()..];
    let first = areas.lines().find(|l| l.starts_with("- **")).unwrap();
    assert!(
        first.starts_with(&format!("- **{title}**")),
        "the first area is: {first}"
    );
    let plan = &md[md.find("### Improvement plan").unwrap()..];
    let first = plan.lines().find(|l| l.starts_with("| 1 |")).unwrap();
    assert!(
        first.starts_with(&format!("| 1 | {title} | Leave water's standing orders on")),
        "the first action is: {first}"
    );
    assert!(md.contains(&format!("The largest loss of crew time: {title}")));
    // The losses table is ordered by cost.
    let table = &md[md.find("### Crew time lost").unwrap()..md.find("### Areas for improvement").unwrap()];
    let costs: Vec<f64> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
        .map(|l| l.split('|').nth(3).unwrap().trim().replace(',', "").parse().unwrap())
        .collect();
    assert!(!costs.is_empty() && costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
    assert_eq!(costs[0], idle);
}

/// Idle capacity and crews held back, on the one-district town: crews
/// without orders count as idle capacity only while work they could do
/// waits with a free place; crews whose only work is on ground they may not
/// work on are held back by that reason, not idle capacity.
#[test]
fn idle_capacity_counts_crews_without_orders_only_while_work_they_could_do_waited() {
    use cimsim::sim::inputs::Input;
    let days = 10;
    let idle_of = |power_condition: f64| {
        let text = town(&Town {
            power_condition,
            electricity_crews: 2,
            ..Town::default()
        });
        let l = load(&text);
        let mut sim = cimsim::sim::Simulation::new(&l.scenario, 1);
        // A player's crews that work only when ordered, and no order.
        sim.apply(&Input::Human {
            agency: "electricity".into(),
            standing: false,
        })
        .unwrap();
        sim.run_days(days);
        let ledger = sim.view().ledger().clone();
        (ledger.idle[0], ledger.idle_with_work[0])
    };
    // The power station half built, four slots, two crews with no orders:
    // every idle crew-day had work it could do.
    assert_eq!(idle_of(0.5), (f64::from(2 * days), f64::from(2 * days)));
    // Nothing to repair: idle, but no capacity lost.
    assert_eq!(idle_of(1.0), (f64::from(2 * days), 0.0));
    // The water plant half built on a mined site nobody clears: Water's
    // crews are held back or blocked by hazards, never idle capacity.
    let text = town(&Town {
        plant_condition: 0.5,
        plant_site_contamination: Some(0.5),
        ..Town::default()
    });
    let sim = run(&text, 1, days);
    let ledger = sim.view().ledger().clone();
    let water = 1;
    let hazard = 0;
    assert_eq!(ledger.idle_with_work[water], 0.0);
    assert!(ledger.idle_held[water][hazard] > 0.0, "{:?}", ledger.idle_held[water]);
    assert_eq!(
        ledger.idle_held[water][hazard]
            + ledger.blocked[water][hazard]
            + ledger.worked[water]
            + ledger.injured_days[water],
        f64::from(2 * days),
        "each of the two crews' days is held back, blocked, worked or out hurt"
    );
}
