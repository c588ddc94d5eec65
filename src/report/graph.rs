//! A scenario's dependency graph (`scenario::graph`) as Graphviz DOT, for
//! those who have Graphviz, and as a self-contained SVG laid out here in
//! columns (providers left of what they serve), for those who do not.

use std::fmt::Write as _;

use super::aar::charts::COLOURS;
use super::aar::html::escape;
use crate::scenario::graph::{DependencyGraph, EdgeKind, NodeKind};

/// `"text"` for DOT: backslashes and quotes escaped, line breaks as `\n`.
fn quoted(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// A colour per agency, in the order agencies first appear among the assets.
fn agency_colours(g: &DependencyGraph) -> Vec<(String, String)> {
    let mut agencies: Vec<String> = Vec::new();
    for n in &g.nodes {
        if let NodeKind::Asset { agency, .. } = &n.kind
            && !agencies.contains(agency)
        {
            agencies.push(agency.clone());
        }
    }
    agencies
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let c = COLOURS[i % COLOURS.len()];
            (a, format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2))
        })
        .collect()
}

fn colour_of<'a>(colours: &'a [(String, String)], agency: &str) -> &'a str {
    colours
        .iter()
        .find(|(a, _)| a == agency)
        .map_or("#7f7f7f", |(_, c)| c.as_str())
}

/// The graph in Graphviz's DOT language (`dot -Tsvg`), left to right.
pub fn dot(g: &DependencyGraph) -> String {
    let colours = agency_colours(g);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quoted(&g.name));
    out.push_str("  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=10];\n  edge [fontname=\"sans-serif\", fontsize=9];\n");
    for n in &g.nodes {
        match &n.kind {
            NodeKind::Asset { kind, agency } => {
                let _ = writeln!(
                    out,
                    "  {} [shape=box, style=\"rounded,filled\", fillcolor={}, fontcolor=white, label={}];",
                    quoted(&n.id),
                    quoted(colour_of(&colours, agency)),
                    quoted(&format!("{}\n{kind} · {agency}", n.name))
                );
            }
            NodeKind::District { prewar_population } => {
                let _ = writeln!(
                    out,
                    "  {} [shape=ellipse, label={}];",
                    quoted(&n.id),
                    quoted(&format!("{}\n{prewar_population} people before the war", n.name))
                );
            }
        }
    }
    for e in &g.edges {
        let style = match e.kind {
            EdgeKind::Needs => "solid",
            EdgeKind::Serves => "dashed",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, style={style}];",
            quoted(&g.nodes[e.from].id),
            quoted(&g.nodes[e.to].id),
            quoted(&e.label)
        );
    }
    out.push_str("}\n");
    out
}

/// Width and height of a node's box, and the gaps between columns and rows.
const BOX_W: usize = 190;
const BOX_H: usize = 44;
const COLUMN: usize = 290;
const ROW: usize = 64;
const MARGIN: usize = 24;

/// The graph as one SVG: a column per layer, a box per asset coloured by
/// the agency that repairs it, an ellipse per district, need edges solid and
/// serve edges dashed, each labelled with what flows, and a legend of the
/// agencies.
pub fn svg(g: &DependencyGraph) -> String {
    let colours = agency_colours(g);
    let layers = g.nodes.iter().map(|n| n.layer).max().map_or(1, |m| m + 1);
    // Each node's row within its column, in node order.
    let mut rows = vec![0usize; layers];
    let mut place = Vec::with_capacity(g.nodes.len());
    for n in &g.nodes {
        place.push((n.layer, rows[n.layer]));
        rows[n.layer] += 1;
    }
    let tallest = rows.iter().copied().max().unwrap_or(1);
    let legend = colours.len() + 2;
    let width = MARGIN * 2 + (layers - 1) * COLUMN + BOX_W;
    let height = MARGIN * 2 + tallest.max(legend) * ROW + 30;
    let origin = |i: usize| {
        let (layer, row) = place[i];
        (MARGIN + layer * COLUMN, MARGIN + 30 + row * ROW)
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" font-family=\"sans-serif\" font-size=\"11\">",
        width + 240,
        width + 240
    );
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n");
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">{}: what each asset needs, and where its service goes</text>",
        MARGIN + 6,
        escape(&g.name)
    );
    let origins: Vec<(usize, usize)> = (0..g.nodes.len()).map(origin).collect();
    svg_edges(&mut out, g, &origins);
    svg_nodes(&mut out, g, &origins, &colours);
    svg_legend(&mut out, &colours, width);
    out.push_str("</svg>\n");
    out
}

/// The edges, as curves from the provider's right side to the needing
/// node's left side.
fn svg_edges(out: &mut String, g: &DependencyGraph, origins: &[(usize, usize)]) {
    // Each edge leaves and enters at its own height on the box's side, so
    // the edges of one node fan out instead of lying on top of each other.
    let mut outgoing = vec![Vec::new(); g.nodes.len()];
    let mut incoming = vec![Vec::new(); g.nodes.len()];
    for (k, e) in g.edges.iter().enumerate() {
        outgoing[e.from].push(k);
        incoming[e.to].push(k);
    }
    let port = |ports: &[usize], k: usize| {
        let at = ports.iter().position(|&p| p == k).unwrap_or(0);
        BOX_H * (at + 1) / (ports.len() + 1)
    };
    for (k, e) in g.edges.iter().enumerate() {
        let ((x1, y1), (x2, y2)) = (origins[e.from], origins[e.to]);
        let (x1, y1, x2, y2) = (
            x1 + BOX_W,
            y1 + port(&outgoing[e.from], k),
            x2,
            y2 + port(&incoming[e.to], k),
        );
        let dash = if e.kind == EdgeKind::Serves {
            " stroke-dasharray=\"5 4\""
        } else {
            ""
        };
        let mid = x1.abs_diff(x2) / 2;
        let _ = writeln!(
            out,
            "<path d=\"M {x1} {y1} C {} {y1}, {} {y2}, {x2} {y2}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\"{dash} marker-end=\"url(#arrow)\"/>",
            x1 + mid,
            x2.saturating_sub(mid)
        );
        // A serve edge carries the source's output, which its box says; a
        // need edge says what is needed, near the box that needs it.
        if e.kind == EdgeKind::Needs {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" fill=\"#333\" font-size=\"9\" text-anchor=\"end\">{}</text>",
                x2 - 6,
                y2 - 3,
                escape(&e.label)
            );
        }
    }
}

/// The nodes: a box coloured by agency for an asset, an ellipse for a
/// district.
fn svg_nodes(out: &mut String, g: &DependencyGraph, origins: &[(usize, usize)], colours: &[(String, String)]) {
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, y) = origins[i];
        match &n.kind {
            NodeKind::Asset { kind, agency } => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"6\" fill=\"{}\"/>",
                    colour_of(colours, agency)
                );
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" fill=\"white\" font-weight=\"bold\">{}</text><text x=\"{}\" y=\"{}\" fill=\"white\">{} · {}</text>",
                    x + 8,
                    y + 17,
                    escape(&n.name),
                    x + 8,
                    y + 33,
                    escape(kind),
                    escape(agency)
                );
            }
            NodeKind::District { prewar_population } => {
                let _ = writeln!(
                    out,
                    "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" fill=\"#f4f4f4\" stroke=\"#333\"/>",
                    x + BOX_W / 2,
                    y + BOX_H / 2,
                    BOX_W / 2,
                    BOX_H / 2
                );
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{prewar_population} people</text>",
                    x + BOX_W / 2,
                    y + 19,
                    escape(&n.name),
                    x + BOX_W / 2,
                    y + 33
                );
            }
        }
    }
}

/// The legend: who repairs what, and what the two kinds of edge mean.
fn svg_legend(out: &mut String, colours: &[(String, String)], width: usize) {
    let lx = width + 10;
    for (k, (agency, colour)) in colours.iter().enumerate() {
        let ly = MARGIN + 30 + k * 22;
        let _ = writeln!(
            out,
            "<rect x=\"{lx}\" y=\"{ly}\" width=\"14\" height=\"14\" rx=\"3\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            lx + 20,
            ly + 11,
            escape(agency)
        );
    }
    let ly = MARGIN + 30 + colours.len() * 22 + 8;
    let _ = writeln!(
        out,
        "<text x=\"{lx}\" y=\"{ly}\">solid: needs (what, at the arrow)</text><text x=\"{lx}\" y=\"{}\">dashed: its output serves</text>",
        ly + 16
    );
}
