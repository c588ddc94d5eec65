//! What the after-action report says, written once: [`document`] turns an
//! [`AfterAction`] into the [`Document`] that `html.rs` and `markdown.rs`
//! both render. Every sentence of the report is here.

use super::document::{Block, Column, Document, Inline, Item, Paragraph, Row, Section, Style, Table, text};
use super::{AfterAction, Finding, Rating, human_agencies};
use crate::record::Input;
use crate::report::RunReport;
use crate::report::text::{big, pct};

/// The whole report as one document.
pub(super) fn document<'a>(aar: &'a AfterAction) -> Document<'a> {
    let i = aar.inputs;
    let s = i.scenario;
    let r = i.report;
    Document {
        title: "After-action report".to_string(),
        subject: s.name.clone(),
        subtitle: format!(
            "{} · seed {} · {} to {}",
            s.title,
            r.seed,
            aar.date(0),
            aar.date(r.days.saturating_sub(1))
        ),
        sections: vec![
            glance(aar),
            charts(aar),
            timeline(aar),
            capabilities(aar),
            findings(aar),
            ledger(aar),
        ],
        footer: format!(
            "cimsim {} · scenario content hash {} · final digest {} · recorded by cimsim {}",
            crate::ENGINE_VERSION,
            r.scenario.content_hash,
            r.final_digest,
            i.recording.header.engine_version
        ),
        figures_json: r.to_json(),
        ratings_json: ratings_json(aar),
    }
}

fn paragraph(style: Style, text: Vec<Inline>) -> Block<'static> {
    Block::Paragraph(Paragraph { style, text })
}

/// The headline, the ratings counted, the facts of the exercise and the
/// outcomes against the references.
fn glance<'a>(aar: &AfterAction) -> Section<'a> {
    let mut blocks = vec![paragraph(Style::Headline, vec![text(aar.headline())])];
    if let Some(summary) = aar.capability_summary() {
        blocks.push(paragraph(Style::Summary, vec![text(summary)]));
    }
    if let Some(first) = aar.areas.first().filter(|f| f.cost.is_some()) {
        blocks.push(paragraph(
            Style::Summary,
            vec![text(format!(
                "The largest loss of crew time: {}; its corrective action is the first of the improvement plan.",
                first.title
            ))],
        ));
    }
    blocks.push(Block::Facts {
        class: "glance",
        rows: aar.glance(),
    });
    blocks.push(Block::Heading("Outcomes against the references".to_string()));
    blocks.push(paragraph(
        Style::Plain,
        vec![
            text("The same scenario, seed and manual injects run with every agency alone ("),
            Inline::Em("silo".to_string()),
            text(") and with one planner with full information ("),
            Inline::Em("central".to_string()),
            text(", an upper reference, not a real option)."),
        ],
    ));
    let rows = aar
        .outcomes()
        .into_iter()
        .map(|(label, run, silo, central)| {
            // The components of the total are listed under it.
            let label = match label.strip_prefix("  ") {
                Some(part) => vec![Inline::Indent, text(part)],
                None => vec![text(label)],
            };
            Row {
                id: None,
                cells: vec![label, vec![text(run)], vec![text(silo)], vec![text(central)]],
            }
        })
        .collect();
    blocks.push(Block::Table(Table {
        id: Some("outcomes"),
        columns: vec![
            Column::text("figure"),
            Column::numeric("this run"),
            Column::numeric("all silo"),
            Column::numeric("all central"),
        ],
        rows,
    }));
    Section {
        id: "glance",
        title: "The exercise at a glance",
        nav: "At a glance",
        blocks,
    }
}

/// The charts, in four groups.
fn charts<'a>(aar: &'a AfterAction) -> Section<'a> {
    let group = |heading: &'static str, pair: bool, wanted: &dyn Fn(&str) -> bool| Block::Figures {
        heading,
        pair,
        charts: aar.charts.iter().filter(|c| wanted(&c.id)).collect(),
    };
    Section {
        id: "charts",
        title: "Charts",
        nav: "Charts",
        blocks: vec![
            group("Recovery of each service by district", false, &|id| {
                id.starts_with("recovery-")
            }),
            group("Displacement and returns", false, &|id| id == "people"),
            group("Who asked whom, and who answered", true, &|id| {
                id.starts_with("network-")
            }),
            group("Crews that could not work", false, &|id| id == "blocked"),
        ],
    }
}

/// Injects, decisions, links and milestones by day and date.
fn timeline<'a>(aar: &AfterAction) -> Section<'a> {
    let block = if aar.timeline.is_empty() {
        paragraph(
            Style::Plain,
            vec![text("No inject fired and no decision was recorded.")],
        )
    } else {
        Block::Table(Table {
            id: None,
            columns: vec![
                Column::numeric("day"),
                Column::date("date"),
                Column::muted("kind"),
                Column::text("event"),
            ],
            rows: aar
                .timeline
                .iter()
                .map(|e| Row::plain([e.day.to_string(), aar.date(e.day), e.kind.to_string(), e.text.clone()]))
                .collect(),
        })
    };
    Section {
        id: "timeline",
        title: "Timeline of injects and key decisions",
        nav: "Timeline",
        blocks: vec![block],
    }
}

/// Each capability target rated in the run and in the references.
fn capabilities<'a>(aar: &AfterAction) -> Section<'a> {
    let blocks = if aar.capabilities.is_empty() {
        vec![paragraph(
            Style::Plain,
            vec![
                text("The scenario defines no capability targets ("),
                Inline::Code("capabilities"),
                text(" in the scenario file)."),
            ],
        )]
    } else {
        let em = |s: &str| Inline::Em(s.to_string());
        let intro = vec![
            text("Each target is rated "),
            em("performed"),
            text(", "),
            em("some challenges"),
            text(", "),
            em("major challenges"),
            text(" or "),
            em("unable to perform"),
            text(
                " by the thresholds the scenario sets; the same targets measured in the references show what working alone and one good planner achieve.",
            ),
        ];
        let rows = aar
            .capabilities
            .iter()
            .map(|c| {
                let mut name = vec![Inline::Strong(c.name.clone())];
                if let Some(source) = &c.source {
                    name.push(Inline::Aside(format!("source: {source}")));
                }
                let reference = |k: usize| {
                    let (m, rating) = &c.references[k];
                    vec![Inline::Rating {
                        rating: *rating,
                        value: c.shown[k + 1].clone(),
                        evidence: Some(m.evidence.clone()),
                        emphasis: false,
                    }]
                };
                Row {
                    id: Some(format!("capability-{}", c.id)),
                    cells: vec![
                        name,
                        vec![text(c.target.clone()), Inline::Aside(c.thresholds.clone())],
                        vec![Inline::Rating {
                            rating: c.rating,
                            value: c.shown[0].clone(),
                            evidence: None,
                            emphasis: true,
                        }],
                        vec![text(c.run.evidence.clone())],
                        reference(0),
                        reference(1),
                    ],
                }
            })
            .collect();
        vec![
            paragraph(Style::Plain, intro),
            Block::Table(Table {
                id: Some("capability-table"),
                columns: ["capability", "target", "rating", "evidence", "all silo", "all central"]
                    .map(Column::text)
                    .into(),
                rows,
            }),
            Block::Heading("What each rating measures".to_string()),
            Block::Findings(
                aar.capabilities
                    .iter()
                    .map(|c| Item {
                        title: c.name.clone(),
                        detail: c.definition.clone(),
                        note: None,
                    })
                    .collect(),
            ),
        ]
    };
    Section {
        id: "capabilities",
        title: "Capability ratings",
        nav: "Capabilities",
        blocks,
    }
}

/// A list of findings, or the sentence saying there is none.
fn findings_list(list: &[Finding], none: &str) -> Block<'static> {
    if list.is_empty() {
        return paragraph(Style::Plain, vec![text(none)]);
    }
    Block::Findings(
        list.iter()
            .map(|f| Item {
                title: f.title.clone(),
                detail: f.figure.clone(),
                note: f.action.as_ref().map(|a| format!("Corrective action: {a}")),
            })
            .collect(),
    )
}

/// Losses of crew time listed in the table, largest first: the rest are in
/// the JSON (`crews[]`).
const LOSSES_SHOWN: usize = 15;

/// Crew-days from which a loss is listed in the table.
const LOSS_LISTED_CREW_DAYS: f64 = 10.0;

/// The losses of crew time ranked by cost, as a table with a sentence
/// saying what is counted; `None` when no loss is large enough to list.
fn losses_table(aar: &AfterAction) -> Vec<Block<'static>> {
    let r = aar.inputs.report;
    let all = super::losses(r);
    let total: f64 = all.iter().map(|l| l.crew_days).sum();
    let listed: Vec<&super::Loss> = all
        .iter()
        .filter(|l| l.crew_days >= LOSS_LISTED_CREW_DAYS)
        .take(LOSSES_SHOWN)
        .collect();
    let mut blocks = vec![
        Block::Heading("Crew time lost, largest first".to_string()),
        paragraph(
            Style::Plain,
            vec![text(
                "Every loss is counted in crew-days (one crew for one day), the one unit they share: idle capacity (a crew with no orders or plan while work it could have done that day waited with a free place), waits (crews sent to work and stopped, or held back idle because all the work waiting for them was stopped, by each reason), repairs on assets that got none of their inputs, deliveries to districts others had already served, and crews out hurt on hazards nobody had shown them. The corrective actions below follow the same order.",
            )],
        ),
    ];
    if listed.is_empty() {
        blocks.push(paragraph(
            Style::Plain,
            vec![text(format!(
                "No loss reached {LOSS_LISTED_CREW_DAYS} crew-days ({} lost in all).",
                crate::report::text::amount(total, "crew-day", "crew-days")
            ))],
        ));
        return blocks;
    }
    blocks.push(Block::Table(Table {
        id: Some("losses"),
        columns: vec![
            Column::numeric("#"),
            Column::text("loss"),
            Column::numeric("crew-days"),
            Column::numeric("share of all lost"),
        ],
        rows: listed
            .iter()
            .enumerate()
            .map(|(k, l)| {
                Row::plain([
                    (k + 1).to_string(),
                    super::findings::sentence(&l.what()),
                    big(l.crew_days),
                    super::findings::share(l.crew_days, total),
                ])
            })
            .collect(),
    }));
    blocks
}

/// Strengths, areas for improvement and the improvement plan.
fn findings<'a>(aar: &AfterAction) -> Section<'a> {
    let mut blocks = vec![
        Block::Heading("Strengths".to_string()),
        findings_list(&aar.strengths, "The cooperation ledger shows no particular strength."),
    ];
    blocks.extend(losses_table(aar));
    blocks.extend([
        Block::Heading("Areas for improvement and corrective actions".to_string()),
        findings_list(&aar.areas, "The cooperation ledger shows no area for improvement."),
    ]);
    if !aar.areas.is_empty() {
        blocks.push(Block::Heading("Improvement plan".to_string()));
        blocks.push(Block::Table(Table {
            id: Some("improvement-plan"),
            columns: vec![
                Column::numeric("#"),
                Column::text("answers the area for improvement"),
                Column::text("corrective action"),
                Column::text("responsible"),
            ],
            rows: aar
                .areas
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    Row::plain([
                        (k + 1).to_string(),
                        f.title.clone(),
                        f.action.clone().unwrap_or_default(),
                        f.owner.clone().unwrap_or_default(),
                    ])
                })
                .collect(),
        }));
    }
    Section {
        id: "findings",
        title: "Strengths and areas for improvement",
        nav: "Strengths and improvements",
        blocks,
    }
}

/// Most waits shown in the ledger's table: the rest are in the JSON.
const WAITS_SHOWN: usize = 15;

/// Requests by channel and the largest waits.
fn ledger<'a>(aar: &AfterAction) -> Section<'a> {
    let c = &aar.inputs.report.cooperation;
    let days = |d: Option<f64>| d.map_or("—".to_string(), |d| format!("{d:.1}"));
    let mut blocks = vec![Block::Table(Table {
        id: None,
        columns: vec![
            Column::text("channel"),
            Column::numeric("made"),
            Column::numeric("accepted"),
            Column::numeric("refused"),
            Column::numeric("unanswered"),
            Column::numeric("need met"),
            Column::numeric("days to answer"),
            Column::numeric("days to need met"),
        ],
        rows: c
            .requests
            .iter()
            .map(|ch| {
                Row::plain([
                    ch.channel.clone(),
                    ch.made.to_string(),
                    ch.accepted.to_string(),
                    ch.refused.to_string(),
                    ch.unanswered.to_string(),
                    ch.fulfilled.to_string(),
                    days(ch.mean_days_to_answer),
                    days(ch.mean_days_to_fulfil),
                ])
            })
            .collect(),
    })];
    if !c.waiting.is_empty() {
        blocks.push(Block::Heading(
            "Days lost waiting on another agency (largest first)".to_string(),
        ));
        blocks.push(Block::Table(Table {
            id: None,
            columns: vec![
                Column::text("agency"),
                Column::text("waited on"),
                Column::text("for"),
                Column::text("channel"),
                Column::text("asset"),
                Column::numeric("days"),
            ],
            rows: c
                .waiting
                .iter()
                .take(WAITS_SHOWN)
                .map(|w| {
                    Row::plain([
                        w.agency.clone(),
                        w.on.clone(),
                        w.ask.clone(),
                        w.channel.clone(),
                        w.asset.clone().unwrap_or_else(|| "crews".to_string()),
                        // `unit` is plural (`crew-days`, `asset-days`).
                        crate::report::text::amount(w.days, w.unit.trim_end_matches('s'), &w.unit),
                    ])
                })
                .collect(),
        }));
    }
    Section {
        id: "ledger",
        title: "Cooperation ledger",
        nav: "Cooperation ledger",
        blocks,
    }
}

/// The capability ratings as JSON, for tools.
fn ratings_json(aar: &AfterAction) -> String {
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

/// The figures of the at-a-glance section, read from the run's document.
impl AfterAction<'_> {
    /// Rows of the "at a glance" table: label and value, plain text.
    pub(super) fn glance(&self) -> Vec<(&'static str, String)> {
        let i = self.inputs;
        let h = &i.recording.header;
        let r = i.report;
        let s = i.scenario;
        let days = r.days;
        let players = human_agencies(&i.recording.inputs);
        let mut strategies = format!("{} for every agency", h.strategy);
        if !h.strategy_for.is_empty() {
            let v: Vec<String> = h.strategy_for.iter().map(|(a, x)| format!("{a}: {x}")).collect();
            strategies = format!("{} except {}", h.strategy, v.join(", "));
        }
        let changes: Vec<String> = i
            .recording
            .inputs
            .iter()
            .filter_map(|x| match x {
                Input::Strategy { day, agency, strategy } => Some(format!(
                    "from day {day} {} follows {strategy}",
                    agency.as_deref().unwrap_or("every agency")
                )),
                _ => None,
            })
            .collect();
        if !changes.is_empty() {
            strategies.push_str(&format!("; {}", changes.join("; ")));
        }
        let mut rows = vec![
            ("Scenario", format!("{} — {}", s.name, s.title)),
            ("Seed", h.seed.clone()),
            ("Strategies", strategies),
            (
                "Agencies",
                s.agencies
                    .iter()
                    .enumerate()
                    .map(|(k, a)| format!("{} ({}): {}", a.id, a.name, s.strategy_of(k)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            (
                "Human-played agencies",
                if players.is_empty() {
                    "none (all agencies followed their strategies)".to_string()
                } else {
                    players.join(", ")
                },
            ),
            (
                "Dates",
                format!(
                    "{} (day 0) to {} (day {}), {}",
                    self.date(0),
                    self.date(days.saturating_sub(1)),
                    days.saturating_sub(1),
                    crate::report::text::count(days.into(), "day", "days")
                ),
            ),
            (
                "Population",
                format!(
                    "{}; {} displaced on day 0{}",
                    crate::report::text::count(r.population.people, "person", "people"),
                    big(r.returns.initially_displaced_people as f64),
                    if h.families_per_entity > 1 {
                        format!(" ({} families per simulated household)", h.families_per_entity)
                    } else {
                        String::new()
                    }
                ),
            ),
        ];
        if let Some(b) = &h.branch {
            rows.push((
                "Branch",
                format!(
                    "a what-if branch from day {} of the run with checksum {}",
                    b.day, b.original
                ),
            ));
        }
        rows.push((
            "Verification",
            format!(
                "re-simulated and verified against the recording, day by day: final digest {}",
                r.final_digest
            ),
        ));
        rows
    }

    /// The outcome figures against the references: (label, run, silo,
    /// central), already formatted.
    pub(super) fn outcomes(&self) -> Vec<(String, String, String, String)> {
        let r = self.inputs.report;
        let [silo, central] = self.inputs.references.map(|x| &x.report);
        let row = |label: &str, f: &dyn Fn(&RunReport) -> String| (label.to_string(), f(r), f(silo), f(central));
        let mut rows = vec![
            row("resilience loss, total (weighted person-days)", &|x| {
                big(x.resilience_loss.total)
            }),
            row("  food", &|x| big(x.resilience_loss.food)),
            row("  water", &|x| big(x.resilience_loss.water)),
            row("  electricity", &|x| big(x.resilience_loss.electricity)),
            row("  sanitation", &|x| big(x.resilience_loss.sanitation)),
            row("  health", &|x| big(x.resilience_loss.health)),
            row("  displacement (person-days)", &|x| big(x.resilience_loss.displacement)),
            row("  shelter (person-days)", &|x| big(x.resilience_loss.shelter)),
            row("returned home by the last day", &|x| pct(x.returns.returned_share)),
            row("day half the displaced were home", &|x| {
                x.returns
                    .days_to_half_returned
                    .map_or("never".to_string(), |d| format!("day {d}"))
            }),
            row("person-days below survival minimums", &|x| {
                big(x.harm.survival_person_days)
            }),
            row("crews lost", &|x| x.harm.crew_casualties.to_string()),
            row("disease cases", &|x| big(x.harm.disease_cases)),
        ];
        rows.push((
            "coordination efficiency".to_string(),
            r.cooperation
                .coordination_efficiency
                .map_or("undefined".to_string(), |e| format!("{e:.2}")),
            "0 (by definition)".to_string(),
            "1 (by definition)".to_string(),
        ));
        rows
    }

    /// The capability ratings counted, in one sentence; `None` without
    /// targets.
    pub(super) fn capability_summary(&self) -> Option<String> {
        if self.capabilities.is_empty() {
            return None;
        }
        let parts: Vec<String> = [
            Rating::Performed,
            Rating::SomeChallenges,
            Rating::MajorChallenges,
            Rating::Unable,
            Rating::NotExercised,
        ]
        .iter()
        .filter_map(|r| {
            let n = self.capabilities.iter().filter(|c| c.rating == *r).count();
            (n > 0).then(|| format!("{n} {}", r.label()))
        })
        .collect();
        Some(format!(
            "Capability targets ({}): {}. Areas for improvement: {}, each with a corrective action.",
            self.capabilities.len(),
            parts.join(", "),
            self.areas.len()
        ))
    }

    /// One sentence on the outcome, for the top of the page.
    pub(super) fn headline(&self) -> String {
        let r = self.inputs.report;
        let e = r.cooperation.coordination_efficiency;
        format!(
            "Over {}, {} of the {} displaced on day 0 went home ({}). The run's resilience loss was {}; {}",
            crate::report::text::count(r.days.into(), "day", "days"),
            big(r.returns.returned_share * r.returns.initially_displaced_people as f64),
            crate::report::text::count(r.returns.initially_displaced_people, "person", "people"),
            pct(r.returns.returned_share),
            crate::report::text::amount(r.resilience_loss.total, "person-day", "person-days"),
            match (e, &r.references) {
                (Some(e), Some(refs)) => format!(
                    "working alone it would have been {} and with one planner with full information {}, so the agencies closed {} of that gap (coordination efficiency {e:.2}).",
                    big(refs.silo.resilience_loss.total),
                    big(refs.central.resilience_loss.total),
                    pct(e)
                ),
                (None, Some(refs)) => format!(
                    "working alone it would have been {} and with one planner with full information {}; the coordination efficiency is {}.",
                    big(refs.silo.resilience_loss.total),
                    big(refs.central.resilience_loss.total),
                    crate::report::text::efficiency_undefined(refs)
                ),
                (_, None) => "it was run without references, so no coordination efficiency was computed.".to_string(),
            }
        )
    }
}
