//! Output of a finished run: the JSON document of DESIGN 7, the readable
//! summary, and the daily CSV series.
//!
//! Everything here renders into strings or writers handed in by `cli`; no
//! file is opened here. Timings never appear in these outputs, so equal runs
//! give byte-identical JSON and CSV.

pub mod aar;
pub mod graph;
pub mod play;
pub mod replay;

use std::io::Write;

use bevy_ecs::prelude::{Without, World};

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::hash::hex16;
use crate::scenario::{LoadedScenario, Service};
use crate::sim::Simulation;
use crate::sim::components::*;
use crate::sim::ledger::{Ledger, Outcomes};
use crate::sim::setup::{Injects, Names};
use crate::sim::state::{Census, Epidemic, InjectLog, Rules};

/// Version of the JSON document; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON document of one run (DESIGN 7).
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub schema_version: u32,
    pub engine_version: String,
    pub scenario: ScenarioInfo,
    pub seed: String,
    pub strategy: String,
    pub days: u32,
    /// Families per household entity (1: full resolution).
    pub families_per_entity: u32,
    pub population: Population,
    pub final_digest: String,
    pub resilience_loss: ResilienceLoss,
    pub returns: Returns,
    pub services: Services,
    pub harm: Harm,
    pub districts: Vec<PlaceState>,
    pub crews: Vec<AgencyWork>,
    pub assets: Vec<AssetState>,
    pub injects: Vec<InjectApplied>,
    pub liaison_links: Vec<[String; 2]>,
    /// The ledger of what agencies did for each other, and the score.
    pub cooperation: CooperationReport,
    /// The paired all-`silo` and all-`central` runs on the same scenario,
    /// seed and injects; null with `--no-score`.
    pub references: Option<References>,
}

/// The cooperation ledger's totals and the coordination efficiency.
#[derive(Debug, Clone, Serialize)]
pub struct CooperationReport {
    /// (RL_silo − RL_run) / (RL_silo − RL_central); null without references
    /// or when the gap is not clearly positive (`score::undefined_because`).
    pub coordination_efficiency: Option<f64>,
    /// Why `coordination_efficiency` is null, in words, when it is null
    /// with references.
    pub coordination_efficiency_undefined: Option<String>,
    /// The same per service (and displacement).
    pub efficiency_by_component: Vec<(String, Option<f64>)>,
    pub requests: Vec<ChannelTotals>,
    /// Requests by what was asked.
    pub requests_by_kind: Vec<AskTotals>,
    /// Days lost waiting on another agency, charged to the agency asked,
    /// largest first.
    pub waiting: Vec<WaitTotal>,
    pub crew_injuries: u32,
    pub injured_crew_days: f64,
    pub wasted_crew_days: f64,
    pub duplicated_crew_days: f64,
    pub staff_crew_days: f64,
    /// Liaison officers posted by the agencies' strategies (in place or on
    /// their way at the end), and the crew-days of work they took.
    pub liaison_officers: u32,
    pub officer_crew_days: f64,
    /// Fuel delivered by one agency's crews to another's stocks, litres.
    pub fuel_delivered_litres: f64,
    /// Pictures shared, in giver-receiver pair-days.
    pub picture_shares: u32,
    pub network: Network,
    /// The same measures period by period (`sim::ledger::NETWORK_PERIOD_DAYS`),
    /// over the ties active in each period.
    pub network_over_time: Vec<NetworkPeriod>,
    /// With `--attribution`: for each ministry, the resilience loss when it
    /// alone reverts to `silo`, and the change from this run (positive: the
    /// ministry's cooperation saved that much).
    pub attribution: Vec<Attribution>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attribution {
    pub agency: String,
    pub resilience_loss_if_silo: f64,
    pub change: f64,
}

/// Requests of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct AskTotals {
    /// `clearance`, `escort`, `fuel`, or the service asked for.
    pub ask: String,
    pub made: u32,
    pub accepted: u32,
    pub fulfilled: u32,
}

/// Days one agency lost waiting on another for one thing.
#[derive(Debug, Clone, Serialize)]
pub struct WaitTotal {
    /// The agency that waited.
    pub agency: String,
    /// The agency it had asked.
    pub on: String,
    pub ask: String,
    /// The channel of the request: `formal`, `liaison` or `cell`.
    pub channel: String,
    /// The asset that stood idle, or null for crews.
    pub asset: Option<String>,
    pub days: f64,
    /// `crew-days` for crews, `asset-days` for an idle asset.
    pub unit: String,
}

/// Requests through one channel.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelTotals {
    pub channel: String,
    pub made: u32,
    pub accepted: u32,
    pub refused: u32,
    pub unanswered: u32,
    pub fulfilled: u32,
    /// Mean days from request to answer, over answered requests.
    pub mean_days_to_answer: Option<f64>,
    /// Mean days from request to the need being met, over fulfilled ones.
    pub mean_days_to_fulfil: Option<f64>,
}

/// The interaction network over days `from_day` to `to_day` (inclusive).
#[derive(Debug, Clone, Serialize)]
pub struct NetworkPeriod {
    pub from_day: u32,
    pub to_day: u32,
    #[serde(flatten)]
    pub network: Network,
}

/// The interaction network over the whole run: an edge from A to B when A
/// asked B for something or shared its picture with B.
#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub agencies: u32,
    pub edges: u32,
    /// Edges over possible directed edges.
    pub density: f64,
    /// Share of edges whose reverse edge exists too.
    pub reciprocity: f64,
    /// Share of agency pairs with no path between them (ignoring direction).
    pub fragmentation: f64,
}

/// Figures of a reference run.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceRun {
    pub strategy: String,
    pub final_digest: String,
    pub resilience_loss: ResilienceLoss,
    pub returned_share: f64,
}

/// The two reference runs.
#[derive(Debug, Clone, Serialize)]
pub struct References {
    pub silo: ReferenceRun,
    pub central: ReferenceRun,
}

#[derive(Debug, Clone, Serialize)]
pub struct Population {
    pub people: u64,
    pub household_entities: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    pub start_date: String,
    pub content_hash: String,
}

/// Person-days of unmet need per service, displaced person-days, and their
/// weighted total.
#[derive(Debug, Clone, Serialize)]
pub struct ResilienceLoss {
    pub total: f64,
    pub food: f64,
    pub water: f64,
    pub electricity: f64,
    pub sanitation: f64,
    pub health: f64,
    pub displacement: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Returns {
    pub initially_displaced_people: u64,
    /// Share of the people displaced on day 0 who are home at the end.
    pub returned_share: f64,
    pub displaced_people_end: u64,
    pub displaced_person_days: f64,
    pub days_to_half_returned: Option<u32>,
    pub households_returned: u64,
    pub households_left_again: u64,
    /// Share of the day-0 displaced home at the end of selected days.
    pub returned_share_by_day: Vec<DayShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayShare {
    pub day: u32,
    pub share: f64,
}

/// People-weighted service levels over every place people are.
#[derive(Debug, Clone, Serialize)]
pub struct Services {
    pub final_level: ServiceLevels,
    pub mean_level: ServiceLevels,
    /// Supply from assets alone against the pre-war need on the last day
    /// (piped water, grid power), pre-war-population weighted.
    pub from_assets_final: ServiceLevels,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceLevels {
    pub food: f64,
    pub water: f64,
    pub electricity: f64,
    pub sanitation: f64,
    pub health: f64,
}

impl ServiceLevels {
    fn from(q: [f64; SERVICES]) -> Self {
        ServiceLevels {
            food: q[0],
            water: q[1],
            electricity: q[2],
            sanitation: q[3],
            health: q[4],
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Harm {
    pub survival_person_days: f64,
    pub crew_casualties: u32,
    pub disease_cases: f64,
}

/// What one agency's crews did.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyWork {
    pub agency: String,
    pub crews: u32,
    pub crew_days_worked: f64,
    pub crew_days_idle: f64,
    pub crew_days_blocked: f64,
    /// Blocked crew-days by reason (explosive_hazards, insecurity, ...).
    pub blocked_by: Vec<(String, f64)>,
    pub tasks_completed: u32,
    pub spent_usd: f64,
    pub stocks_end: Vec<(String, f64)>,
}

/// A district or camp on the last day.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceState {
    pub id: String,
    pub name: String,
    /// `district` or `camp`.
    pub kind: &'static str,
    /// People there: residents at home and hosted families, or camp residents.
    pub people: u64,
    /// People from this district who are displaced (districts only).
    pub displaced_from: u64,
    pub contamination: Option<f64>,
    pub security: Option<f64>,
    pub housing_damage: Option<f64>,
    pub services: ServiceLevels,
    /// Weighted geometric mean of the service levels.
    pub index: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetState {
    pub asset: String,
    pub name: String,
    /// The kind of facility in words (`water plant`).
    pub kind: String,
    pub agency: String,
    pub condition: f64,
    /// Share of capacity delivered on the last day.
    pub level: f64,
    /// What held it back on the last day, if anything.
    pub limited_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InjectApplied {
    pub day: u32,
    pub id: String,
    pub message: String,
}

/// Days at which returns are reported, when within the run.
const SHARE_DAYS: [u32; 8] = [7, 21, 30, 60, 90, 120, 180, 365];

/// The cooperation ledger's totals, from the requests and the ledger.
fn cooperation_report(world: &World, names: &Names, ledger: &Ledger, days: u32) -> CooperationReport {
    let requests = world.resource::<Requests>();
    let n = names.agencies.len();
    let channels = Channel::ALL
        .iter()
        .map(|&c| {
            let list: Vec<&Request> = requests.list.iter().filter(|r| r.channel == c).collect();
            let answered: Vec<f64> = list
                .iter()
                .filter_map(|r| r.answered.map(|d| f64::from(d - r.made)))
                .collect();
            let fulfilled: Vec<f64> = list
                .iter()
                .filter_map(|r| r.fulfilled.map(|d| f64::from(d - r.made)))
                .collect();
            let mean = |v: &[f64]| (!v.is_empty()).then(|| r6(v.iter().sum::<f64>() / v.len() as f64));
            ChannelTotals {
                channel: c.name().to_string(),
                made: list.len() as u32,
                accepted: list.iter().filter(|r| r.accepted == Some(true)).count() as u32,
                refused: list.iter().filter(|r| r.accepted == Some(false)).count() as u32,
                unanswered: list.iter().filter(|r| r.accepted.is_none()).count() as u32,
                fulfilled: fulfilled.len() as u32,
                mean_days_to_answer: mean(&answered),
                mean_days_to_fulfil: mean(&fulfilled),
            }
        })
        .collect();
    let requests_by_kind = Ask::ALL
        .iter()
        .filter_map(|&ask| {
            let list: Vec<&Request> = requests.list.iter().filter(|r| r.ask == ask).collect();
            (!list.is_empty()).then(|| AskTotals {
                ask: ask.name().to_string(),
                made: list.len() as u32,
                accepted: list.iter().filter(|r| r.accepted == Some(true)).count() as u32,
                fulfilled: list.iter().filter(|r| r.fulfilled.is_some()).count() as u32,
            })
        })
        .collect();
    let mut waiting: Vec<WaitTotal> = ledger
        .waits
        .iter()
        .map(|(w, &days)| WaitTotal {
            agency: names.agencies[usize::from(w.from)].clone(),
            on: names.agencies[usize::from(w.to)].clone(),
            ask: w.ask.name().to_string(),
            channel: w.channel.name().to_string(),
            asset: w.asset.map(|x| names.assets[usize::from(x)].clone()),
            days,
            unit: if w.asset.is_some() { "asset-days" } else { "crew-days" }.to_string(),
        })
        .collect();
    // Largest first; ties in ledger order (the sort is stable).
    waiting.sort_by(|a, b| b.days.total_cmp(&a.days));
    let liaisons = world.resource::<Liaisons>();
    let mut edge = vec![vec![false; n]; n];
    for r in &requests.list {
        edge[usize::from(r.from)][usize::from(r.to)] = true;
    }
    for (g, row) in ledger.shares.iter().enumerate() {
        for (r, &k) in row.iter().enumerate() {
            if k > 0 {
                edge[g][r] = true;
            }
        }
    }
    CooperationReport {
        coordination_efficiency: None,
        coordination_efficiency_undefined: None,
        efficiency_by_component: Vec::new(),
        requests: channels,
        requests_by_kind,
        waiting,
        crew_injuries: ledger.injuries.iter().sum(),
        injured_crew_days: ledger.injured_days.iter().sum(),
        wasted_crew_days: ledger.wasted.iter().sum(),
        duplicated_crew_days: ledger.duplicated.iter().sum(),
        staff_crew_days: r6(ledger.staff_days.iter().sum()),
        liaison_officers: liaisons.posted.len() as u32,
        officer_crew_days: r6(ledger.officer_days.iter().sum()),
        fuel_delivered_litres: r6(ledger.fuel_delivered),
        picture_shares: ledger.shares.iter().flatten().sum(),
        network: network(&edge),
        network_over_time: network_over_time(requests, ledger, n, days),
        attribution: Vec::new(),
    }
}

/// The network in each period of `NETWORK_PERIOD_DAYS` of a `days`-day run:
/// a tie from A to B when A asked B for something (request made in the
/// period) or shared its picture with B in the period.
fn network_over_time(requests: &Requests, ledger: &Ledger, n: usize, days: u32) -> Vec<NetworkPeriod> {
    let len = crate::sim::ledger::NETWORK_PERIOD_DAYS;
    let periods = days.div_ceil(len);
    let mut edges = vec![vec![vec![false; n]; n]; periods as usize];
    for r in &requests.list {
        if let Some(e) = edges.get_mut((r.made / len) as usize) {
            e[usize::from(r.from)][usize::from(r.to)] = true;
        }
    }
    for &(p, g, r) in &ledger.shared_in {
        if let Some(e) = edges.get_mut(p as usize) {
            e[usize::from(g)][usize::from(r)] = true;
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
fn network(edge: &[Vec<bool>]) -> Network {
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

/// "undefined: why" for a run whose efficiency against `refs` is undefined.
pub fn efficiency_undefined(refs: &References) -> String {
    let why = crate::score::undefined_because(refs.silo.resilience_loss.total, refs.central.resilience_loss.total);
    format!("undefined: {}", why.unwrap_or_else(|| "no references".to_string()))
}

/// A count with its noun: `1 run`, `2 runs`, `0 runs`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Rounds to 6 decimal places so the JSON is readable; the digest, not
/// the JSON, is the bit-exact record.
pub fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `, held back by X` for an asset line, or nothing when nothing held it
/// back.
pub(crate) fn held_back(limit: Limit, names: &Names) -> String {
    limit_text(limit, names).map_or(String::new(), |l| format!(", held back by {l}"))
}

pub(crate) fn limit_text(limit: Limit, names: &Names) -> Option<String> {
    Some(match limit {
        Limit::None => return None,
        Limit::Condition => "damage".to_string(),
        Limit::Blockade => "blockade".to_string(),
        Limit::NeedService(s) => format!("no {}", s.name()),
        Limit::NeedAsset(a) => format!("needs {}", names.assets[usize::from(a)]),
        Limit::Stock(i) => format!("no {}", crate::scenario::Stock::ALL[i].name()),
    })
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
    /// Adds each ministry's contribution: the resilience loss with it alone
    /// in `silo`, against this run's.
    pub fn attribute(&mut self, losses: &[(String, f64)]) {
        let total = self.resilience_loss.total;
        self.cooperation.attribution = losses
            .iter()
            .map(|(agency, loss)| Attribution {
                agency: agency.clone(),
                resilience_loss_if_silo: *loss,
                change: r6(loss - total),
            })
            .collect();
    }

    /// Adds the references and the coordination efficiency, overall and per
    /// component of the resilience loss.
    pub fn score(&mut self, silo: &RunReport, central: &RunReport) {
        let parts = |r: &ResilienceLoss| {
            [
                ("food", r.food),
                ("water", r.water),
                ("electricity", r.electricity),
                ("sanitation", r.sanitation),
                ("health", r.health),
                ("displacement", r.displacement),
            ]
        };
        let (run, s, c) = (
            parts(&self.resilience_loss),
            parts(&silo.resilience_loss),
            parts(&central.resilience_loss),
        );
        let efficiency = |run: f64, silo: f64, central: f64| crate::score::efficiency(run, silo, central).map(r6);
        self.cooperation.coordination_efficiency = efficiency(
            self.resilience_loss.total,
            silo.resilience_loss.total,
            central.resilience_loss.total,
        );
        self.cooperation.coordination_efficiency_undefined =
            crate::score::undefined_because(silo.resilience_loss.total, central.resilience_loss.total);
        self.cooperation.efficiency_by_component = (0..run.len())
            .map(|i| (run[i].0.to_string(), efficiency(run[i].1, s[i].1, c[i].1)))
            .collect();
        let reference = |r: &RunReport| ReferenceRun {
            strategy: r.strategy.clone(),
            final_digest: r.final_digest.clone(),
            resilience_loss: r.resilience_loss.clone(),
            returned_share: r.returns.returned_share,
        };
        self.references = Some(References {
            silo: reference(silo),
            central: reference(central),
        });
    }

    /// Builds the report of a run from its final world.
    pub fn new(sim: &mut Simulation, loaded: &LoadedScenario, seed: u64) -> Self {
        let world = &mut sim.world;
        let names = world.resource::<Names>().clone();
        let rules = world.resource::<Rules>().clone();
        let outcomes = world.resource::<Outcomes>().clone();
        let ledger = world.resource::<Ledger>().clone();
        let census = world.resource::<Census>().clone();
        let epidemic = world.resource::<Epidemic>().clone();
        let digests = world.resource::<crate::sim::state::Digests>().daily.clone();
        let log = world.resource::<InjectLog>().clone();
        let injects = world.resource::<Injects>().0.clone();
        let links = world.resource::<Liaisons>().links.clone();
        let w = rules.service_weights();
        let loss = outcomes.loss.map(r6);
        let displacement_loss = r6(outcomes.displaced_days);
        let total = r6(outcomes.total_loss(w, rules.weights.displacement));

        let mut crew_counts = vec![0u32; names.agencies.len()];
        for c in world.query_filtered::<&Crew, Without<Lost>>().iter(world) {
            crew_counts[usize::from(c.agency)] += 1;
        }
        let mut stores: Vec<(AgencyIx, [f64; STOCKS])> = world
            .query::<(&Agency, &Stores)>()
            .iter(world)
            .map(|(a, s)| (a.ix, s.held))
            .collect();
        stores.sort_unstable_by_key(|x| x.0);
        let crews = names
            .agencies
            .iter()
            .enumerate()
            .map(|(a, id)| AgencyWork {
                agency: id.clone(),
                crews: crew_counts[a],
                crew_days_worked: ledger.worked[a],
                crew_days_idle: ledger.idle[a],
                crew_days_blocked: ledger.blocked_total(a),
                blocked_by: Blocker::ALL
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| ledger.blocked[a][*i] > 0.0)
                    .map(|(i, b)| (b.name().to_string(), ledger.blocked[a][i]))
                    .collect(),
                tasks_completed: ledger.completed[a],
                spent_usd: r6(ledger.spent[a]),
                stocks_end: crate::scenario::Stock::ALL
                    .iter()
                    .map(|s| (s.name().to_string(), r6(stores[a].1[s.index()])))
                    .collect(),
            })
            .collect();
        let mut assets: Vec<(AssetIx, AssetState)> = world
            .query::<(&Asset, &Condition, &Operation)>()
            .iter(world)
            .map(|(a, c, o)| {
                let s = AssetState {
                    asset: names.assets[usize::from(a.ix)].clone(),
                    name: names.asset_names[usize::from(a.ix)].clone(),
                    kind: names.asset_kinds[usize::from(a.ix)].label().to_string(),
                    agency: names.agencies[usize::from(a.agency)].clone(),
                    condition: r6(c.0),
                    level: r6(o.level),
                    limited_by: limit_text(o.limit, &names),
                };
                (a.ix, s)
            })
            .collect();
        assets.sort_unstable_by_key(|x| x.0);

        let levels = world.resource::<crate::sim::state::Levels>().clone();
        let mut districts: Vec<(DistrictIx, PlaceState)> = world
            .query::<(&District, &Ground, &Housing)>()
            .iter(world)
            .map(|(d, g, h)| {
                let i = usize::from(d.ix);
                let s = PlaceState {
                    id: names.districts[i].clone(),
                    name: names.district_names[i].clone(),
                    kind: "district",
                    people: census.home[i] + census.hosted[i],
                    displaced_from: census.displaced_from[i],
                    contamination: Some(r6(g.contamination)),
                    security: Some(r6(g.security)),
                    housing_damage: Some(r6(h.damage)),
                    services: ServiceLevels::from(levels.q[i].map(r6)),
                    index: r6(crate::sim::ledger::district_index(&levels.q[i], w)),
                };
                (d.ix, s)
            })
            .collect();
        districts.sort_unstable_by_key(|x| x.0);
        let mut places: Vec<PlaceState> = districts.into_iter().map(|x| x.1).collect();
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
            });
        }

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
            families_per_entity: world.resource::<Resolution>().families_per_entity,
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
            },
            returns: Returns {
                initially_displaced_people: census.initial_displaced,
                returned_share: r6(last.map_or(0.0, |d| d.returned_share)),
                displaced_people_end: census.displaced(),
                displaced_person_days: displacement_loss,
                days_to_half_returned: outcomes.day_half_returned,
                households_returned: census.returns,
                households_left_again: census.departures,
                returned_share_by_day: SHARE_DAYS
                    .iter()
                    .filter(|&&d| d < days)
                    .map(|&d| DayShare {
                        day: d,
                        share: r6(outcomes.days[d as usize].returned_share),
                    })
                    .collect(),
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
            districts: places,
            crews,
            assets: assets.into_iter().map(|x| x.1).collect(),
            injects: log
                .applied
                .iter()
                .map(|&(day, i)| InjectApplied {
                    day,
                    id: injects[i].id.clone(),
                    message: injects[i].message.clone(),
                })
                .collect(),
            cooperation: cooperation_report(world, &names, &ledger, days),
            references: None,
            liaison_links: links
                .iter()
                .map(|&(a, b)| {
                    [
                        names.agencies[usize::from(a)].clone(),
                        names.agencies[usize::from(b)].clone(),
                    ]
                })
                .collect(),
        }
    }

    /// The JSON document, pretty-printed, with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

pub(crate) fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

pub(crate) fn big(x: f64) -> String {
    let v = x.round() as i128;
    // `unsigned_abs`: a figure beyond i128 (a part file can hold any
    // number) saturates at `i128::MIN`, whose `abs` overflows.
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// The readable summary printed by `cimsim run`.
pub fn summary_text(report: &RunReport, outcomes: &Outcomes) -> String {
    let mut out = String::new();
    let sc = &report.scenario;
    out.push_str(&format!(
        "{} — {}\nday 0 = {}, {} days, seed {}, strategy {}, {} people in {} household entities{}\n\n",
        sc.name,
        sc.title,
        sc.start_date,
        report.days,
        report.seed,
        report.strategy,
        big(report.population.people as f64),
        big(report.population.household_entities as f64),
        if report.families_per_entity > 1 {
            format!(" ({} families each)", report.families_per_entity)
        } else {
            String::new()
        }
    ));

    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    let mut header = vec!["day".to_string()];
    header.extend(Service::ALL.iter().map(|s| s.name().to_string()));
    header.extend(["displaced".to_string(), "returned".to_string(), "ill".to_string()]);
    t.set_header(header);
    let n = outcomes.days.len();
    let mut days: Vec<usize> = [0usize, 7, 30, 60, 90, 120, 180, 270, 365, 540, 730]
        .into_iter()
        .filter(|&d| d < n)
        .collect();
    if n > 0 && days.last() != Some(&(n - 1)) {
        days.push(n - 1);
    }
    for d in days {
        let s = &outcomes.days[d];
        let mut row = vec![s.day.to_string()];
        row.extend(s.services.iter().map(|q| pct(*q)));
        row.extend([
            big(s.people_displaced as f64),
            pct(s.returned_share),
            big(s.disease_active),
        ]);
        t.add_row(row);
    }
    out.push_str("Services over time (share of need met, people-weighted over every place)\n");
    out.push_str(&format!("{t}\n\n"));

    let rl = &report.resilience_loss;
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(["resilience loss", "person-days"]);
    for (k, v) in [
        ("food", rl.food),
        ("water", rl.water),
        ("electricity", rl.electricity),
        ("sanitation", rl.sanitation),
        ("health", rl.health),
        ("displacement", rl.displacement),
        ("total (weighted)", rl.total),
    ] {
        t.add_row([k.to_string(), big(v)]);
    }
    out.push_str(&format!("{t}\n\n"));

    let r = &report.returns;
    out.push_str(&format!(
        "Returns: {} of {} people displaced on day 0 are home ({}); half home on {}; {} households went home, {} left again.\n",
        big(r.returned_share * r.initially_displaced_people as f64),
        big(r.initially_displaced_people as f64),
        pct(r.returned_share),
        r.days_to_half_returned.map_or("no day".to_string(), |d| format!("day {d}")),
        big(r.households_returned as f64),
        big(r.households_left_again as f64),
    ));
    let h = &report.harm;
    out.push_str(&format!(
        "Harm: {} person-days below survival minimums, {} crews lost, {} disease cases.\n\n",
        big(h.survival_person_days),
        h.crew_casualties,
        big(h.disease_cases)
    ));

    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "place",
        "people",
        "displaced from",
        "hazards",
        "security",
        "homes damaged",
        "food",
        "water",
        "power",
        "sanitation",
        "health",
        "index",
    ]);
    let opt = |x: Option<f64>| x.map_or("—".to_string(), pct);
    for p in &report.districts {
        let s = &p.services;
        t.add_row([
            format!("{} ({})", p.name, p.id),
            big(p.people as f64),
            if p.kind == "camp" {
                "camp".to_string()
            } else {
                big(p.displaced_from as f64)
            },
            opt(p.contamination),
            opt(p.security),
            opt(p.housing_damage),
            pct(s.food),
            pct(s.water),
            pct(s.electricity),
            pct(s.sanitation),
            pct(s.health),
            pct(p.index),
        ]);
    }
    out.push_str("Places on the last day\n");
    out.push_str(&format!("{t}\n\n"));

    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "agency",
        "crews",
        "worked",
        "idle",
        "blocked",
        "blocked on",
        "tasks done",
        "spent US$",
    ]);
    for a in &report.crews {
        if a.crews == 0 && a.crew_days_worked == 0.0 {
            continue;
        }
        let on = a
            .blocked_by
            .iter()
            .map(|(k, v)| format!("{k} {}", big(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        t.add_row([
            a.agency.clone(),
            a.crews.to_string(),
            big(a.crew_days_worked),
            big(a.crew_days_idle),
            big(a.crew_days_blocked),
            on,
            a.tasks_completed.to_string(),
            big(a.spent_usd),
        ]);
    }
    out.push_str("Crew-days by agency\n");
    out.push_str(&format!("{t}\n\n"));

    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(["asset", "kind", "agency", "condition", "output", "held back by"]);
    for a in &report.assets {
        t.add_row([
            format!("{} ({})", a.name, a.asset),
            a.kind.clone(),
            a.agency.clone(),
            pct(a.condition),
            pct(a.level),
            a.limited_by.clone().unwrap_or_default(),
        ]);
    }
    out.push_str("Assets on the last day\n");
    out.push_str(&format!("{t}\n\n"));

    if !report.injects.is_empty() {
        out.push_str("Injects\n");
        for i in &report.injects {
            out.push_str(&format!("  day {:>4}  {}: {}\n", i.day, i.id, i.message));
        }
        out.push('\n');
    }
    out.push_str(&cooperation_text(report));
    out.push_str(&format!("final digest {}  seed {}\n", report.final_digest, report.seed));
    out
}

/// The cooperation part of the summary: the score against the references,
/// the ledger's totals, and the costliest failures of cooperation in words.
pub(crate) fn cooperation_text(report: &RunReport) -> String {
    let c = &report.cooperation;
    let mut out = String::from("Cooperation\n");
    match (&report.references, c.coordination_efficiency) {
        (Some(r), e) => {
            out.push_str(&format!(
                "  resilience loss: this run {}, all-silo {}, all-central {}; coordination efficiency {}\n",
                big(report.resilience_loss.total),
                big(r.silo.resilience_loss.total),
                big(r.central.resilience_loss.total),
                e.map_or_else(|| efficiency_undefined(r), |e| format!("{e:.2}")),
            ));
        }
        (None, _) => out.push_str("  no references (--no-score): coordination efficiency not computed\n"),
    }
    for ch in &c.requests {
        if ch.made == 0 {
            continue;
        }
        out.push_str(&format!(
            "  {} requests: {} made, {} accepted, {} refused, {} unanswered; answered in {} days, need met in {} days on average\n",
            ch.channel,
            ch.made,
            ch.accepted,
            ch.refused,
            ch.unanswered,
            ch.mean_days_to_answer.map_or("—".to_string(), |d| format!("{d:.1}")),
            ch.mean_days_to_fulfil.map_or("—".to_string(), |d| format!("{d:.1}")),
        ));
    }
    out.push_str(&format!(
        "  crews hurt on unknown hazards {}, crew-days lost to injury {}, repairs without inputs {}, duplicated deliveries {}, staff time in the cell {}, liaison officers posted {} ({} crew-days)\n",
        c.crew_injuries,
        big(c.injured_crew_days),
        big(c.wasted_crew_days),
        big(c.duplicated_crew_days),
        big(c.staff_crew_days),
        c.liaison_officers,
        big(c.officer_crew_days),
    ));
    out.push_str(&format!(
        "  network: {} agencies, {} ties, density {:.2}, reciprocity {:.2}, fragmentation {:.2}\n",
        c.network.agencies, c.network.edges, c.network.density, c.network.reciprocity, c.network.fragmentation
    ));
    if let (Some(first), Some(last)) = (c.network_over_time.first(), c.network_over_time.last()) {
        let peak = c.network_over_time.iter().max_by(|a, b| {
            a.network
                .density
                .total_cmp(&b.network.density)
                .then(b.from_day.cmp(&a.from_day))
        });
        out.push_str(&format!(
            "  network over time: density {:.2} in days {}–{}, {:.2} in days {}–{}{}\n",
            first.network.density,
            first.from_day,
            first.to_day,
            last.network.density,
            last.from_day,
            last.to_day,
            peak.map_or(String::new(), |p| format!(
                " (highest {:.2} in days {}–{})",
                p.network.density, p.from_day, p.to_day
            )),
        ));
    }
    for a in &c.attribution {
        out.push_str(&format!(
            "  if {} alone worked in silo: resilience loss {} ({}{})\n",
            a.agency,
            big(a.resilience_loss_if_silo),
            if a.change >= 0.0 { "+" } else { "" },
            big(a.change)
        ));
    }
    for line in missed_opportunities(report) {
        out.push_str(&format!("  - {line}\n"));
    }
    out.push('\n');
    out
}

/// The costliest failures, in words: the three largest waits on another
/// agency in the ledger, each with the channel it was asked through.
pub(crate) fn missed_opportunities(report: &RunReport) -> Vec<String> {
    let c = &report.cooperation;
    let mut lines = Vec::new();
    let linked = |a: &str, b: &str| {
        report
            .liaison_links
            .iter()
            .any(|l| (l[0] == a && l[1] == b) || (l[0] == b && l[1] == a))
    };
    for w in c.waiting.iter().take(3) {
        let (a, b) = (&w.agency, &w.on);
        let what = match (w.ask.as_str(), &w.asset) {
            (_, Some(asset)) => format!(
                "{a}'s {asset} stood idle {} days waiting for {b} to restore its {}",
                big(w.days),
                w.ask
            ),
            ("fuel", None) => format!(
                "{a}'s crews stood dry {} crew-days waiting for fuel from {b}",
                big(w.days)
            ),
            (ask, None) => format!(
                "{a}'s crews stood idle {} crew-days waiting for {b} to {} their ground",
                big(w.days),
                if ask == "escort" { "secure" } else { "clear" }
            ),
        };
        let why = match (w.channel.as_str(), linked(a, b), report.strategy.as_str()) {
            ("formal", true, "silo") => "asked through headquarters: silo agencies do not use their liaison link",
            ("formal", true, _) => "asked through headquarters before a liaison link came",
            ("formal", false, _) => "asked through headquarters: no liaison link between them",
            ("liaison", _, _) => "asked over their liaison link",
            _ => "asked in the coordination cell",
        };
        lines.push(format!("{what}; {why}"));
    }
    lines
}

/// Writes the daily series: one row per day, place and service.
pub fn write_csv<W: Write>(out: W, outcomes: &Outcomes, names: &Names) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["day", "place_kind", "place", "service", "level", "people"])?;
    for p in &outcomes.places {
        let id = match p.kind {
            "camp" => &names.camps[usize::from(p.ix)],
            _ => &names.districts[usize::from(p.ix)],
        };
        for s in Service::ALL {
            w.write_record([
                p.day.to_string(),
                p.kind.to_string(),
                id.clone(),
                s.name().to_string(),
                format!("{:.6}", p.q[s.index()]),
                p.people.to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            from: 0,
            to: 1,
            ask: Ask::Clearance,
            target: Target::District(0),
            channel: Channel::Formal,
            made: 5,
            answer_due: 15,
            accepted: None,
            answered: None,
            fulfilled: None,
        });
        let mut ledger = Ledger::new(3);
        ledger.shared_in.insert((1, 1, 0));
        ledger.shared_in.insert((2, 2, 0));
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
