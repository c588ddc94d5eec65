//! Rule: sense. Each agency updates its own [`Picture`] from what it can see.
//!
//! Under every strategy an agency sees the condition of its own assets, the
//! hazards
//! (if it clears them) and the security (if it provides it) everywhere, the
//! levels of the services it provides everywhere, and the ground wherever its
//! crews were sent. Everything else stays as it was last seen: a stale
//! picture. Sharing pictures between agencies belongs to `Coordinate`.

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::Levels;
use crate::scenario::Mandate;

/// Updates every agency's picture with what it observes this morning.
pub fn sense_surroundings(
    clock: Res<Clock>,
    levels: Res<Levels>,
    mut agencies: Query<(&Agency, &mut Picture)>,
    districts: Query<(&District, &Ground)>,
    assets: Query<(&Asset, &Condition, &Site)>,
    crews: Query<(&Crew, &Assignment), Without<Lost>>,
) {
    let day = clock.day;
    let mut ground = vec![
        Ground {
            contamination: 0.0,
            security: 0.0
        };
        districts.iter().len()
    ];
    for (d, g) in &districts {
        ground[d.ix.idx()] = *g;
    }
    let mut sites = Vec::new();
    for (a, c, s) in &assets {
        sites.push((a.ix, a.agency, a.site, c.0, *s));
    }
    sites.sort_unstable_by_key(|s| s.0);
    let site_ground = |i: usize| {
        let (_, _, d, _, s) = sites[i];
        let g = ground[d.idx()];
        s.reading(g.contamination, g.security)
    };
    // Where each agency's crews are (order-free: a set of places per agency).
    let n_agencies = agencies.iter().len();
    let mut seen_districts = vec![std::collections::BTreeSet::new(); n_agencies];
    let mut seen_sites = vec![std::collections::BTreeSet::new(); n_agencies];
    for (c, a) in &crews {
        match a.target {
            Some(Target::District(d)) => {
                seen_districts[c.agency.idx()].insert(d);
            }
            Some(Target::Asset(x)) => {
                seen_sites[c.agency.idx()].insert(x);
                seen_districts[c.agency.idx()].insert(sites[x.idx()].2);
            }
            _ => {}
        }
    }
    for (agency, mut picture) in &mut agencies {
        let me = agency.ix.idx();
        let clears = agency.mandates.contains(&Mandate::Clear);
        let secures = agency.mandates.contains(&Mandate::Secure);
        let watch = agency.watches;
        for (d, view) in picture.districts.iter_mut().enumerate() {
            let g = ground[d];
            let visited = seen_districts[me].contains(&DistrictIx::new(d));
            if clears || visited {
                view.contamination = g.contamination;
                view.observed = day + 1;
            }
            if secures || visited {
                view.security = g.security;
                view.security_observed = day + 1;
            }
        }
        for (i, site) in sites.iter().enumerate() {
            let own = site.1 == agency.ix;
            let visited = seen_sites[me].contains(&AssetIx::new(i));
            let (c, s) = site_ground(i);
            let view = &mut picture.sites[i];
            if clears || visited {
                view.contamination = c;
                view.observed = day + 1;
            }
            if secures || visited {
                view.security = s;
                view.security_observed = day + 1;
            }
            if own {
                picture.conditions[i] = site.3;
            }
        }
        // Levels hold yesterday's values (nothing on day 0).
        if day > 0 {
            for (d, row) in picture.services.iter_mut().enumerate() {
                for (s, watched) in watch.iter().enumerate() {
                    if *watched {
                        row[s] = levels.q_assets[d][s];
                    }
                }
            }
        }
    }
}
