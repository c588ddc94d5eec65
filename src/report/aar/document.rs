//! The after-action report as one document: sections of headings,
//! paragraphs, tables, findings and figures, holding every sentence the
//! report says. `content.rs` writes it once; `html.rs` and `markdown.rs`
//! render it, and decide only how each element looks in their format.
//!
//! Text is plain here: the renderers escape it for their format.

use super::{Chart, Rating};

/// The whole report.
pub struct Document<'a> {
    /// `After-action report`: with the subject, the page title and the
    /// Markdown heading; alone, the HTML page's heading.
    pub title: String,
    /// What the report is about: the scenario's name.
    pub subject: String,
    /// The line under the title: scenario title, seed and dates.
    pub subtitle: String,
    pub sections: Vec<Section<'a>>,
    /// The build, the scenario, the digest and the recording's build.
    pub footer: String,
    /// The run's document (`cimsim run --json`), embedded as data.
    pub figures_json: String,
    /// The capability ratings as JSON, for tools (the HTML page embeds
    /// them; the Markdown shows them in its table only).
    pub ratings_json: String,
}

/// A top-level section, with its anchor and its name in the navigation.
pub struct Section<'a> {
    pub id: &'static str,
    pub title: &'static str,
    /// The section's name in the page's navigation bar.
    pub nav: &'static str,
    pub blocks: Vec<Block<'a>>,
}

/// One element of a section.
pub enum Block<'a> {
    /// A sub-heading.
    Heading(String),
    Paragraph(Paragraph),
    /// Label-value rows without a header.
    Facts {
        class: &'static str,
        rows: Vec<(&'static str, String)>,
    },
    Table(Table),
    /// Strengths or areas for improvement, each with its figure and, for
    /// an area, its corrective action.
    Findings(Vec<Item>),
    /// Charts under a heading, side by side when `pair`.
    Figures {
        heading: &'static str,
        pair: bool,
        charts: Vec<&'a Chart>,
    },
}

/// A paragraph and how it stands out.
pub struct Paragraph {
    pub style: Style,
    pub text: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    /// The one-sentence outcome at the top (a box in HTML, a quote in
    /// Markdown).
    Headline,
    /// The count of ratings and areas for improvement.
    Summary,
}

/// A run of text inside a paragraph or a table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Em(String),
    /// A program name or file field; never holds a backtick.
    Code(&'static str),
    /// A secondary line in a cell (the source of a target, its
    /// thresholds): under the text in HTML, in brackets in Markdown.
    Aside(String),
    /// The label of a part of the row above (`food` under the total
    /// resilience loss). Markdown tables cannot indent, so it is nothing
    /// there.
    Indent,
    /// A rating with the value it rates. `evidence` is given where it has
    /// no cell of its own (the references: a tooltip in HTML); `emphasis`
    /// marks the run's own rating (bold in Markdown).
    Rating {
        rating: Rating,
        value: String,
        evidence: Option<String>,
        emphasis: bool,
    },
}

/// A table with a header row.
pub struct Table {
    pub id: Option<&'static str>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// A column: its header and how its cells are set.
pub struct Column {
    pub header: &'static str,
    /// Figures, right-aligned.
    pub numeric: bool,
    /// The class of the column's cells in HTML (`kind`: muted), if any.
    pub class: Option<&'static str>,
}

impl Column {
    pub fn text(header: &'static str) -> Self {
        Column {
            header,
            numeric: false,
            class: None,
        }
    }

    pub fn numeric(header: &'static str) -> Self {
        Column {
            header,
            numeric: true,
            class: None,
        }
    }

    /// Calendar dates, which never break inside.
    pub fn date(header: &'static str) -> Self {
        Column {
            header,
            numeric: false,
            class: Some("date"),
        }
    }

    pub fn muted(header: &'static str) -> Self {
        Column {
            header,
            numeric: false,
            class: Some("kind"),
        }
    }
}

/// A table row: one cell per column, and an anchor when it has one.
pub struct Row {
    pub id: Option<String>,
    pub cells: Vec<Vec<Inline>>,
}

impl Row {
    /// A row of plain-text cells.
    pub fn plain(cells: impl IntoIterator<Item = String>) -> Self {
        Row {
            id: None,
            cells: cells.into_iter().map(|c| vec![Inline::Text(c)]).collect(),
        }
    }
}

/// A finding in a list: its title, the figure behind it, and a note (the
/// corrective action) under it.
pub struct Item {
    pub title: String,
    pub detail: String,
    pub note: Option<String>,
}

/// Plain text as an inline run.
pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}
