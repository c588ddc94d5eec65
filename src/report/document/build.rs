//! Reading a finished world into a [`RunReport`]: the crews' work, the
//! assets' and places' last-day state, returns, harm and the injects
//! applied. Reads resources and queries only; changes nothing.

use super::cooperation::cooperation_report;
use super::*;
use crate::hash::hex16;
use crate::scenario::{LoadedScenario, Service};
use crate::sim::Simulation;
use crate::sim::components::*;
use crate::sim::ledger::{Ledger, Outcomes};
use crate::sim::setup::Names;
use crate::sim::state::Census;
use crate::sim::view::View;

/// Days at which returns are reported, when within the run.
const SHARE_DAYS: [u32; 11] = [7, 21, 30, 60, 90, 120, 150, 180, 365, 540, 730];

/// The days returns are reported on: [`SHARE_DAYS`] within a run of `days`
/// days, and its last day.
fn share_days(days: u32) -> Vec<u32> {
    let mut out: Vec<u32> = SHARE_DAYS.iter().copied().filter(|&d| d < days).collect();
    if days > 0 && out.last() != Some(&(days - 1)) {
        out.push(days - 1);
    }
    out
}

/// Returns of each district's day-0 displaced on `days`, from the daily
/// district rows.
fn shares_by_origin(outcomes: &Outcomes, names: &Names, census: &Census, days: &[u32]) -> Vec<OriginShares> {
    let mut at: Vec<Vec<u64>> = vec![vec![0; days.len()]; names.districts.len()];
    for p in &outcomes.places {
        if let (Some(d), Ok(k)) = (p.district, days.binary_search(&p.day)) {
            at[usize::from(p.ix)][k] = d.returned_initial;
        }
    }
    census
        .initial_displaced_from
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(i, &n)| OriginShares {
            district: names.districts[i].clone(),
            initially_displaced_people: n,
            by_day: days
                .iter()
                .zip(&at[i])
                .map(|(&day, &back)| DayShare {
                    day,
                    share: r6(back as f64 / n as f64),
                })
                .collect(),
        })
        .collect()
}

/// The strategy of a run: the one every agency follows, or `mixed`.
fn strategy_label(s: &crate::scenario::Scenario) -> String {
    let mut names: Vec<&str> = (0..s.agencies.len()).map(|i| s.strategy_of(i)).collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [one] => (*one).to_string(),
        [] => s.strategy.clone(),
        _ => "mixed".to_string(),
    }
}

impl RunReport {
    /// Builds the report of a run from its final world.
    pub fn new(sim: &Simulation, loaded: &LoadedScenario, seed: u64) -> Self {
        let view = &sim.view();
        let names = view.names().clone();
        let rules = view.rules().clone();
        let outcomes = view.outcomes().clone();
        let ledger = view.ledger().clone();
        let census = view.census().clone();
        let epidemic = view.epidemic().clone();
        let digests = view.digests().to_vec();
        let log = view.inject_log().clone();
        let injects = view.scripted().to_vec();
        let links = view.liaisons().links.clone();
        let w = rules.service_weights();
        let loss = outcomes.loss.map(r6);
        let displacement_loss = r6(outcomes.displaced_days);
        let total = r6(outcomes.total_loss(&rules.weights));

        let days = outcomes.days.len() as u32;
        let mut mean = [0.0; SERVICES];
        for d in &outcomes.days {
            for (m, q) in mean.iter_mut().zip(d.services) {
                *m += q / f64::from(days.max(1));
            }
        }
        let last = outcomes.days.last();
        let final_q = last.map_or([0.0; SERVICES], |d| d.services);
        let s = &loaded.scenario;
        RunReport {
            schema_version: SCHEMA_VERSION,
            engine_version: crate::ENGINE_VERSION.to_string(),
            scenario: ScenarioInfo {
                name: s.name.clone(),
                title: s.title.clone(),
                start_date: s.start_date.clone(),
                content_hash: hex16(loaded.content_hash),
            },
            seed: seed.to_string(),
            strategy: strategy_label(s),
            days,
            families_per_entity: view.families_per_entity(),
            population: Population {
                people: census.total_people,
                household_entities: census.total_households,
            },
            final_digest: hex16(digests.last().copied().unwrap_or(0)),
            resilience_loss: ResilienceLoss {
                total,
                food: loss[Service::Food.index()],
                water: loss[Service::Water.index()],
                electricity: loss[Service::Electricity.index()],
                sanitation: loss[Service::Sanitation.index()],
                health: loss[Service::Health.index()],
                displacement: displacement_loss,
                shelter: r6(outcomes.shelter_days),
            },
            returns: Returns {
                initially_displaced_people: census.initial_displaced,
                returned_share: r6(last.map_or(0.0, |d| d.returned_share)),
                displaced_people_end: census.displaced(),
                displaced_person_days: displacement_loss,
                days_to_half_returned: outcomes.day_half_returned,
                households_returned: census.returns,
                households_left_again: census.departures,
                returned_share_by_day: share_days(days)
                    .iter()
                    .map(|&d| DayShare {
                        day: d,
                        share: r6(outcomes.days[d as usize].returned_share),
                    })
                    .collect(),
                returned_share_by_origin: shares_by_origin(&outcomes, &names, &census, &share_days(days)),
            },
            services: Services {
                final_level: ServiceLevels::from(final_q.map(r6)),
                mean_level: ServiceLevels::from(mean.map(r6)),
                from_assets_final: ServiceLevels::from(last.map_or([0.0; SERVICES], |d| d.piped).map(r6)),
            },
            harm: Harm {
                survival_person_days: r6(outcomes.survival_days),
                crew_casualties: ledger.casualties.iter().sum(),
                disease_cases: r6(epidemic.cumulative),
            },
            districts: place_states(view, &names, &census, w),
            crews: agency_work(view, &names, &ledger),
            assets: asset_states(view, &names),
            injects: log
                .applied
                .iter()
                .map(|&(day, i)| InjectApplied {
                    day,
                    id: injects[i].id.clone(),
                    message: injects[i].message.clone(),
                })
                .collect(),
            cooperation: cooperation_report(view, &names, &ledger, days),
            references: None,
            liaison_links: links
                .iter()
                .map(|&(a, b)| [names.agencies[a.idx()].clone(), names.agencies[b.idx()].clone()])
                .collect(),
        }
    }
}

/// What each agency's crews did, from the ledger, with the crews left and
/// the stocks held at the end.
fn agency_work(view: &View, names: &Names, ledger: &Ledger) -> Vec<AgencyWork> {
    let mut crew_counts = vec![0u32; names.agencies.len()];
    for c in view.crews().iter().filter(|c| c.lost.is_none()) {
        crew_counts[c.crew.agency.idx()] += 1;
    }
    let stores: Vec<(AgencyIx, [f64; STOCKS])> = view.agencies().iter().map(|a| (a.agency.ix, a.stores.held)).collect();
    names
        .agencies
        .iter()
        .enumerate()
        .map(|(a, id)| AgencyWork {
            agency: id.clone(),
            crews: crew_counts[a],
            crew_days_worked: ledger.worked[a],
            crew_days_idle: ledger.idle[a],
            crew_days_idle_with_work: ledger.idle_with_work[a],
            held_back_by: by_reason(&ledger.idle_held[a]),
            crew_days_blocked: ledger.blocked_total(a),
            blocked_by: by_reason(&ledger.blocked[a]),
            crew_days_wasted: ledger.wasted[a],
            crew_days_duplicated: ledger.duplicated[a],
            crew_days_injured: ledger.injured_days[a],
            tasks_completed: ledger.completed[a],
            spent_usd: r6(ledger.spent[a]),
            stocks_end: crate::scenario::Stock::ALL
                .iter()
                .map(|s| (s.name().to_string(), r6(stores[a].1[s.index()])))
                .collect(),
        })
        .collect()
}

/// Crew-days by [`Blocker`] (in `Blocker::ALL` order), the reasons with
/// any, by name.
fn by_reason(days: &[f64; 5]) -> Vec<(String, f64)> {
    Blocker::ALL
        .iter()
        .zip(days)
        .filter(|(_, d)| **d > 0.0)
        .map(|(b, d)| (b.name().to_string(), *d))
        .collect()
}

/// Each asset's last-day state, in asset order.
fn asset_states(view: &View, names: &Names) -> Vec<AssetState> {
    view.assets()
        .iter()
        .map(|x| {
            let (a, c, o) = (x.asset, x.condition, x.operation);
            AssetState {
                asset: names.assets[a.ix.idx()].clone(),
                name: names.asset_names[a.ix.idx()].clone(),
                kind: names.asset_kinds[a.ix.idx()].label().to_string(),
                agency: names.agencies[a.agency.idx()].clone(),
                condition: r6(c),
                level: r6(o.level),
                limited_by: limit_text(o.limit, names),
            }
        })
        .collect()
}

/// Each district's last-day state in district order, then each camp's.
fn place_states(view: &View, names: &Names, census: &Census, w: [f64; SERVICES]) -> Vec<PlaceState> {
    let levels = view.levels().clone();
    let access = view.access();
    let held_back = view.held_back();
    let mut places: Vec<PlaceState> = view
        .districts()
        .iter()
        .map(|x| {
            let (d, g, h) = (x.district, x.ground, x.housing);
            let i = d.ix.idx();
            let held = held_back[i];
            PlaceState {
                id: names.districts[i].clone(),
                name: names.district_names[i].clone(),
                kind: "district",
                people: census.home[i] + census.hosted[i],
                displaced_from: census.displaced_from[i],
                contamination: Some(r6(g.contamination)),
                security: Some(r6(g.security)),
                housing_damage: Some(r6(h.damage())),
                services: ServiceLevels::from(levels.q[i].map(r6)),
                index: r6(crate::sim::ledger::district_index(&levels.q[i], w)),
                habitable_dwellings: Some(r6(h.habitable_dwellings())),
                debris_tonnes: Some(r6(h.debris)),
                closed: Some(access.closed[i]),
                authorised: access.authorised[i].map(|(day, by)| Authorised {
                    day,
                    by: names.agencies[by.idx()].clone(),
                }),
                held_back: Some(HeldBackCounts {
                    not_authorised: held.not_authorised,
                    no_dwelling: held.no_dwelling,
                    may_return: held.may_return,
                    weighs_most: held.weighs_most.map(|o| o.name().to_string()),
                }),
            }
        })
        .collect();
    for (c, q) in levels.camp_q.iter().enumerate() {
        places.push(PlaceState {
            id: names.camps[c].clone(),
            name: names.camp_names[c].clone(),
            kind: "camp",
            people: census.camp[c],
            displaced_from: 0,
            contamination: None,
            security: None,
            housing_damage: None,
            services: ServiceLevels::from(q.map(r6)),
            index: r6(crate::sim::ledger::district_index(q, w)),
            habitable_dwellings: None,
            debris_tonnes: None,
            closed: None,
            authorised: None,
            held_back: None,
        });
    }
    places
}
