//! The town a scenario describes, as a graph an author can look at: every
//! asset with who repairs it, what each needs and where its service goes.
//! Pure: `report::graph` renders it as Graphviz DOT and as SVG.

use std::collections::BTreeMap;

use super::format::{Need, Scenario};

/// A node: an asset or a district.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    /// Column of a left-to-right drawing: 0 for assets that need no other
    /// asset, one more than the furthest of its providers otherwise;
    /// districts after every asset.
    pub layer: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// An asset: its kind in words and the agency that repairs it.
    Asset { kind: &'static str, agency: String },
    /// A district, with its pre-war population.
    District { prewar_population: u32 },
}

/// An edge from a provider to what it provides for.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// What flows: a service's name, or `works` for an asset need.
    pub label: String,
    pub kind: EdgeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// The target needs the source (an `Asset` need, or a `Service` need
    /// met by the source at the target's site).
    Needs,
    /// The source's output serves the target district.
    Serves,
}

/// The dependency graph of a validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct DependencyGraph {
    pub name: String,
    /// Assets in file order, then districts in file order.
    pub nodes: Vec<Node>,
    /// Need edges in the order of the assets and their needs, then serve
    /// edges in the order of the assets and their districts.
    pub edges: Vec<Edge>,
}

impl DependencyGraph {
    /// The graph of `s`, which must have passed validation (every id it
    /// names exists); names that do not resolve are left out.
    pub fn of(s: &Scenario) -> DependencyGraph {
        let asset_ix: BTreeMap<&str, usize> = s.assets.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
        let district_ix: BTreeMap<&str, usize> = s
            .districts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), s.assets.len() + i))
            .collect();
        // Producers of each service for each district they serve, in file
        // order: a service need looks its providers up here.
        let mut producers: BTreeMap<(super::Service, &str), Vec<usize>> = BTreeMap::new();
        for (i, p) in s.assets.iter().enumerate() {
            if let Some(output) = &p.output {
                for d in &p.serves {
                    producers.entry((output.service, d.as_str())).or_default().push(i);
                }
            }
        }
        let mut edges = Vec::new();
        for (to, asset) in s.assets.iter().enumerate() {
            for need in &asset.needs {
                match need {
                    Need::Asset(id) => {
                        if let Some(&from) = asset_ix.get(id.as_str()) {
                            edges.push(Edge {
                                from,
                                to,
                                label: "works".to_string(),
                                kind: EdgeKind::Needs,
                            });
                        }
                    }
                    // Every producer of the service that serves the site.
                    Need::Service(service) => {
                        let found = producers.get(&(*service, asset.site.as_str()));
                        for &from in found.into_iter().flatten().filter(|&&from| from != to) {
                            edges.push(Edge {
                                from,
                                to,
                                label: service.name().to_string(),
                                kind: EdgeKind::Needs,
                            });
                        }
                    }
                }
            }
        }
        for (from, asset) in s.assets.iter().enumerate() {
            let Some(output) = &asset.output else { continue };
            for district in &asset.serves {
                if let Some(&to) = district_ix.get(district.as_str()) {
                    edges.push(Edge {
                        from,
                        to,
                        label: output.service.name().to_string(),
                        kind: EdgeKind::Serves,
                    });
                }
            }
        }
        // Layers in dependency order: each asset after its providers.
        let mut providers: Vec<Vec<usize>> = vec![Vec::new(); s.assets.len()];
        for e in edges.iter().filter(|e| e.kind == EdgeKind::Needs) {
            providers[e.to].push(e.from);
        }
        let mut layer = vec![0usize; s.assets.len()];
        for a in super::dependency_order(s) {
            layer[a] = providers[a].iter().map(|&p| layer[p] + 1).max().unwrap_or(0);
        }
        let district_layer = layer.iter().max().map_or(0, |m| m + 1);
        let mut nodes: Vec<Node> = s
            .assets
            .iter()
            .zip(&layer)
            .map(|(a, &layer)| Node {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: NodeKind::Asset {
                    kind: a.kind.label(),
                    agency: a.agency.clone(),
                },
                layer,
            })
            .collect();
        nodes.extend(s.districts.iter().map(|d| Node {
            id: d.id.clone(),
            name: d.name.clone(),
            kind: NodeKind::District {
                prewar_population: d.prewar_population,
            },
            layer: district_layer,
        }));
        DependencyGraph {
            name: s.name.clone(),
            nodes,
            edges,
        }
    }
}
