//! Dependency cycles among assets, reported once each at the `needs` entry
//! that closes them (the graph and its cycles are `scenario::order`'s).

use crate::scenario::order::AssetGraph;

use super::*;

impl Checker<'_> {
    /// Reports each dependency cycle once, at the `needs` entry closing it.
    pub(super) fn check_cycles(&mut self) {
        let s = self.scenario;
        let graph = AssetGraph::new(s);
        for cycle in graph.cycles() {
            let name = |step: &Option<(usize, usize)>| step.map_or("…", |(a, _)| s.assets[a].id.as_str());
            let mut chain = cycle.steps.iter().map(name).collect::<Vec<_>>().join(" -> ");
            let _ = write!(chain, " -> {}", name(&cycle.steps[0]));
            // How each asset depends on the next, where both are shown.
            let mut links = Vec::new();
            for (k, step) in cycle.steps.iter().enumerate() {
                let next = &cycle.steps[(k + 1) % cycle.steps.len()];
                let (Some((a, need)), Some((next, _))) = (step, next) else {
                    continue;
                };
                let (a, next) = (&s.assets[*a], &s.assets[*next]);
                links.push(match &a.needs[*need] {
                    Need::Asset(_) => format!("`{}` needs `{}` working", a.id, next.id),
                    Need::Service(service) => {
                        format!(
                            "`{}` needs {} at `{}`, which `{}` supplies",
                            a.id,
                            service.name(),
                            a.site,
                            next.id
                        )
                    }
                });
            }
            // A long cycle's links say the same thing many times over.
            const SHOWN_LINKS: usize = 6;
            if links.len() > SHOWN_LINKS {
                let more = links.len() - SHOWN_LINKS;
                links.truncate(SHOWN_LINKS);
                links.push(format!("and {more} more"));
            }
            let (last, closing) = cycle.closing;
            self.report(
                &format!("assets[{last}].needs[{closing}]"),
                format!("closes a dependency cycle: {chain}"),
                Some(format!(
                    "{}; services propagate once a day in a fixed order, so no asset in a cycle can ever start: \
                     remove one of these needs, or supply one of the assets from outside the cycle",
                    links.join("; ")
                )),
            );
        }
    }
}
