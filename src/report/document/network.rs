//! The interaction network of a run (an edge from A to B when A asked B for
//! something or shared its picture with B): density, reciprocity and
//! fragmentation over the whole run and period by period.

use super::{Network, NetworkPeriod};
use crate::round::r6;
use crate::sim::components::Requests;
use crate::sim::ledger::Ledger;

/// The network in each period of `NETWORK_PERIOD_DAYS` of a `days`-day run:
/// a tie from A to B when A asked B for something (request made in the
/// period) or shared its picture with B in the period.
pub(super) fn network_over_time(requests: &Requests, ledger: &Ledger, n: usize, days: u32) -> Vec<NetworkPeriod> {
    let len = crate::sim::ledger::NETWORK_PERIOD_DAYS;
    let periods = days.div_ceil(len);
    let mut edges = vec![vec![vec![false; n]; n]; periods as usize];
    for r in &requests.list {
        if let Some(e) = edges.get_mut((r.made / len) as usize) {
            e[r.from.idx()][r.to.idx()] = true;
        }
    }
    for &(p, g, r) in &ledger.shared_in {
        if let Some(e) = edges.get_mut(p as usize) {
            e[g.idx()][r.idx()] = true;
        }
    }
    edges
        .iter()
        .enumerate()
        .map(|(p, e)| {
            let from_day = p as u32 * len;
            NetworkPeriod {
                from_day,
                to_day: (from_day + len).min(days) - 1,
                network: network(e),
            }
        })
        .collect()
}

/// Density, reciprocity and fragmentation of a directed graph.
pub(super) fn network(edge: &[Vec<bool>]) -> Network {
    let n = edge.len();
    let edges = edge.iter().flatten().filter(|e| **e).count();
    let mutual = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .filter(|&(a, b)| edge[a][b] && edge[b][a])
        .count();
    // Components of the undirected graph, by repeated relaxation (n is small).
    let mut component: Vec<usize> = (0..n).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for a in 0..n {
            for b in 0..n {
                if (edge[a][b] || edge[b][a]) && component[a] != component[b] {
                    let m = component[a].min(component[b]);
                    component[a] = m;
                    component[b] = m;
                    changed = true;
                }
            }
        }
    }
    let pairs = n * n.saturating_sub(1) / 2;
    let apart = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .filter(|&(a, b)| component[a] != component[b])
        .count();
    Network {
        agencies: n as u32,
        edges: edges as u32,
        density: if n > 1 {
            r6(edges as f64 / (n * (n - 1)) as f64)
        } else {
            0.0
        },
        reciprocity: if edges > 0 {
            r6(mutual as f64 / edges as f64)
        } else {
            0.0
        },
        fragmentation: if pairs > 0 {
            r6(apart as f64 / pairs as f64)
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::components::{AgencyIx, Ask, Channel, DistrictIx, Request, Target};

    fn graph(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<bool>> {
        let mut g = vec![vec![false; n]; n];
        for &(a, b) in edges {
            g[a][b] = true;
        }
        g
    }

    #[test]
    fn network_measures_by_hand() {
        // Four agencies: 0 ⇄ 1, 1 → 2, and 3 alone. 3 of 12 possible edges;
        // 2 of the 3 edges are reciprocated; 3 of the 6 pairs (those with 3)
        // have no path.
        let n = network(&graph(4, &[(0, 1), (1, 0), (1, 2)]));
        assert_eq!((n.agencies, n.edges), (4, 3));
        assert_eq!(n.density, 0.25);
        assert_eq!(n.reciprocity, r6(2.0 / 3.0));
        assert_eq!(n.fragmentation, 0.5);
        // Nobody talks: everything is apart, nothing is reciprocated.
        let n = network(&graph(3, &[]));
        assert_eq!((n.density, n.reciprocity, n.fragmentation), (0.0, 0.0, 1.0));
        // A directed ring connects everyone without a single mutual tie.
        let n = network(&graph(3, &[(0, 1), (1, 2), (2, 0)]));
        assert_eq!((n.density, n.reciprocity, n.fragmentation), (0.5, 0.0, 0.0));
    }

    #[test]
    fn the_network_over_time_counts_each_period_s_own_ties() {
        // Three agencies over 70 days: 0 asks 1 on day 5 and 1 answers by
        // sharing on day 40; 2 shares with 0 on day 65 (the short last period).
        let mut requests = Requests::default();
        requests.list.push(Request {
            id: 0,
            from: AgencyIx::new(0),
            to: AgencyIx::new(1),
            ask: Ask::Clearance,
            target: Target::District(DistrictIx::new(0)),
            channel: Channel::Formal,
            made: 5,
            answer_due: 15,
            accepted: None,
            answered: None,
            fulfilled: None,
        });
        let mut ledger = Ledger::new(3);
        ledger.shared_in.insert((1, AgencyIx::new(1), AgencyIx::new(0)));
        ledger.shared_in.insert((2, AgencyIx::new(2), AgencyIx::new(0)));
        let periods = network_over_time(&requests, &ledger, 3, 70);
        let spans: Vec<(u32, u32)> = periods.iter().map(|p| (p.from_day, p.to_day)).collect();
        assert_eq!(spans, [(0, 29), (30, 59), (60, 69)]);
        let edges: Vec<u32> = periods.iter().map(|p| p.network.edges).collect();
        assert_eq!(edges, [1, 1, 1]);
        // No period has a reciprocated tie, though over the whole run 0 and 1
        // tied both ways.
        assert!(periods.iter().all(|p| p.network.reciprocity == 0.0));
        assert_eq!(periods[0].network.fragmentation, r6(2.0 / 3.0));
    }
}
