//! What assets depend on, as a graph ([`AssetGraph`]), and the order the
//! engine runs them in ([`dependency_order`]): every asset after the
//! assets it needs and after the producers of the services it needs at its
//! site. Validation reads the same graph's cycles (`validate::semantic`)
//! to refuse a scenario whose assets could never start.

use std::collections::{BTreeMap, BTreeSet};

use super::format::{Need, Scenario, Service};

/// One dependency cycle among assets: each step is an asset and the needs
/// entry through which it depends on the next step's asset (the last wraps
/// round to the first). A long cycle is shown by its two ends, with `None`
/// where the middle is left out.
pub(crate) struct Cycle {
    pub(crate) steps: Vec<Option<(usize, usize)>>,
    /// The asset and needs entry that close the cycle.
    pub(crate) closing: (usize, usize),
}

/// Nodes shown from each end of a long cycle.
const CYCLE_ENDS: usize = 12;

/// What assets depend on, as a graph.
///
/// Nodes `0..n` are the assets; the nodes after them are supply points, one
/// per (service, district) some asset needs. An asset needing a service at
/// its site depends on the supply point, which depends on every asset
/// producing the service for that district. The supply points keep the graph
/// linear in the size of the scenario, where edges straight from consumers
/// to producers could number assets squared.
pub(crate) struct AssetGraph {
    assets: usize,
    /// Dependencies of each node, each with the needs entry it comes from
    /// (meaningful for asset nodes only).
    edges: Vec<Vec<(usize, usize)>>,
}

impl AssetGraph {
    pub(crate) fn new(s: &Scenario) -> AssetGraph {
        let districts: BTreeMap<&str, usize> = s
            .districts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        let asset_ids: BTreeMap<&str, usize> = s
            .assets
            .iter()
            .enumerate()
            .rev()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut supply: BTreeMap<(Service, usize), usize> = BTreeMap::new();
        let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); s.assets.len()];
        for (i, asset) in s.assets.iter().enumerate() {
            for (k, need) in asset.needs.iter().enumerate() {
                let target = match need {
                    Need::Asset(id) => asset_ids.get(id.as_str()).copied(),
                    Need::Service(service) => districts.get(asset.site.as_str()).map(|&site| {
                        *supply.entry((*service, site)).or_insert_with(|| {
                            edges.push(Vec::new());
                            edges.len() - 1
                        })
                    }),
                };
                if let Some(target) = target {
                    edges[i].push((target, k));
                }
            }
        }
        for (i, asset) in s.assets.iter().enumerate() {
            let Some(output) = &asset.output else { continue };
            for district in &asset.serves {
                let point = districts
                    .get(district.as_str())
                    .and_then(|&d| supply.get(&(output.service, d)));
                if let Some(&point) = point {
                    edges[point].push((i, 0));
                }
            }
        }
        AssetGraph {
            assets: s.assets.len(),
            edges,
        }
    }

    /// The cycles closed by back edges of a depth-first search from each
    /// asset in index order. Every cycle of the graph passes through one of
    /// them, and removing their closing needs leaves no cycle.
    pub(crate) fn cycles(&self) -> Vec<Cycle> {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let mut colour = vec![WHITE; self.edges.len()];
        // Where each grey node sits on the stack, so a back edge finds its
        // cycle without searching the stack.
        let mut position = vec![0usize; self.edges.len()];
        let mut cycles = Vec::new();
        // The explicit stack holds (node, next edge to follow); a node is
        // grey exactly while it is on the stack.
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in 0..self.assets {
            if colour[root] != WHITE {
                continue;
            }
            colour[root] = GREY;
            position[root] = stack.len();
            stack.push((root, 0));
            while let Some(top) = stack.last_mut() {
                let (node, next) = *top;
                let Some(&(target, _)) = self.edges[node].get(next) else {
                    colour[node] = BLACK;
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                match colour[target] {
                    WHITE => {
                        colour[target] = GREY;
                        position[target] = stack.len();
                        stack.push((target, 0));
                    }
                    GREY => cycles.push(self.cycle(&stack[position[target]..])),
                    _ => {}
                }
            }
        }
        cycles
    }

    /// The cycle formed by a stretch of the search stack, which ends with
    /// the node whose edge closes it. Only the two ends of a long stretch
    /// are read, so reporting many long cycles stays cheap.
    fn cycle(&self, path: &[(usize, usize)]) -> Cycle {
        // The edge being followed from a node is the one before `next`.
        let step = |&(node, next): &(usize, usize)| {
            (node < self.assets).then(|| (node, self.edges[node].get(next.wrapping_sub(1)).map_or(0, |&(_, k)| k)))
        };
        // Supply points are not assets and are left out of the steps.
        let assets = |part: &[(usize, usize)]| part.iter().filter_map(step).map(Some).collect::<Vec<_>>();
        let steps = if path.len() <= 2 * CYCLE_ENDS {
            assets(path)
        } else {
            let mut steps = assets(&path[..CYCLE_ENDS]);
            steps.push(None);
            steps.extend(assets(&path[path.len() - CYCLE_ENDS..]));
            steps
        };
        let closing = path.iter().rev().find_map(step).unwrap_or((0, 0));
        Cycle { steps, closing }
    }
}

/// Asset indices in an order where every asset comes after the assets it
/// depends on (its `Asset` needs and the producers of its `Service` needs at
/// its site), so services can be propagated in one pass.
///
/// Among the assets that are ready, the one with the smallest index comes
/// first (Kahn's algorithm), so the order is a pure function of the file. On
/// a validated scenario every asset is ordered; were a cycle present, its
/// assets would follow the rest in index order.
pub fn dependency_order(s: &Scenario) -> Vec<usize> {
    let graph = AssetGraph::new(s);
    let nodes = graph.edges.len();
    let mut waiting: Vec<usize> = graph.edges.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (node, deps) in graph.edges.iter().enumerate() {
        for &(dep, _) in deps {
            dependents[dep].push(node);
        }
    }
    let mut ready: BTreeSet<usize> = (0..graph.assets).filter(|&a| waiting[a] == 0).collect();
    // Supply points are passed through as soon as they are ready, so the
    // choice among assets is the same as in a graph of assets alone.
    let mut points: Vec<usize> = (graph.assets..nodes).filter(|&p| waiting[p] == 0).collect();
    let mut order = Vec::with_capacity(graph.assets);
    let mut placed = vec![false; graph.assets];
    loop {
        let node = match points.pop() {
            Some(point) => point,
            None => match ready.pop_first() {
                Some(asset) => {
                    order.push(asset);
                    placed[asset] = true;
                    asset
                }
                None => break,
            },
        };
        for &dependent in &dependents[node] {
            waiting[dependent] -= 1;
            if waiting[dependent] == 0 {
                if dependent < graph.assets {
                    ready.insert(dependent);
                } else {
                    points.push(dependent);
                }
            }
        }
    }
    order.extend((0..graph.assets).filter(|&a| !placed[a]));
    order
}
