//! The run document: [`RunReport`], the JSON of `cimsim run --json`
//! (DESIGN 7), its schema types, and how it is scored against the
//! references and attributed to the ministries.
//!
//! The types here are the schema: changing a field changes the document,
//! and an incompatible change bumps [`SCHEMA_VERSION`]. They are built from
//! a finished world (`build.rs`, `cooperation.rs`, `network.rs`) and never
//! from ECS components serialized directly.

mod build;
mod cooperation;
mod network;

use serde::Serialize;

use crate::round::r6;
use crate::sim::components::SERVICES;

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
    /// Person-days without adequate shelter (docs/scoring.md §1).
    pub shelter: f64,
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
    /// Share of the day-0 displaced home at the end of selected days (and
    /// of the last day).
    pub returned_share_by_day: Vec<DayShare>,
    /// The same by origin district, for districts with people displaced on
    /// day 0.
    pub returned_share_by_origin: Vec<OriginShares>,
}

/// Returns of one district's day-0 displaced (`Returns::returned_share_by_origin`).
#[derive(Debug, Clone, Serialize)]
pub struct OriginShares {
    pub district: String,
    pub initially_displaced_people: u64,
    /// On the days of `returned_share_by_day`.
    pub by_day: Vec<DayShare>,
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
    /// The part of `crew_days_idle` when work the crew could have done that
    /// day waited with a free place (idle capacity, docs/model.md).
    pub crew_days_idle_with_work: f64,
    /// Idle crew-days when the work that waited was all out of reach, by the
    /// reason that stopped it (as in `blocked_by`): crews held back.
    pub held_back_by: Vec<(String, f64)>,
    pub crew_days_blocked: f64,
    /// Blocked crew-days by reason (explosive_hazards, insecurity, ...).
    pub blocked_by: Vec<(String, f64)>,
    /// Repair crew-days on assets that got none of their inputs
    /// (`cooperation.wasted_crew_days`, by agency).
    pub crew_days_wasted: f64,
    /// Delivery crew-days to districts whose need others had met
    /// (`cooperation.duplicated_crew_days`, by agency).
    pub crew_days_duplicated: f64,
    /// Crew-days out hurt after walking into unknown hazards
    /// (`cooperation.injured_crew_days`, by agency).
    pub crew_days_injured: f64,
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
    /// Habitable dwellings and rubble left (districts only).
    pub habitable_dwellings: Option<f64>,
    pub debris_tonnes: Option<f64>,
    /// Closed to returns on the last day (districts only).
    pub closed: Option<bool>,
    /// When and by whom returns were authorised, if they were.
    pub authorised: Option<Authorised>,
    /// What holds its displaced people back (districts only).
    pub held_back: Option<HeldBackCounts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Authorised {
    pub day: u32,
    pub by: String,
}

/// A district's displaced people by the first obstacle that stops them
/// (docs/model.md §7.17).
#[derive(Debug, Clone, Serialize)]
pub struct HeldBackCounts {
    pub not_authorised: u64,
    pub no_dwelling: u64,
    pub may_return: u64,
    /// For those who may: the condition that weighs most against going home
    /// (`insecurity`, `explosives`, `services`, `damaged neighbourhood`,
    /// `no work`).
    pub weighs_most: Option<String>,
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
                ("shelter", r.shelter),
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

    /// The JSON document, pretty-printed, with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

/// What holds an asset back, in the words of the document's `limited_by`
/// (and of every text report's "held back by"); `None` when nothing does.
pub(crate) fn limit_text(limit: crate::sim::components::Limit, names: &crate::sim::setup::Names) -> Option<String> {
    use crate::sim::components::Limit;
    Some(match limit {
        Limit::None => return None,
        Limit::Condition => "damage".to_string(),
        Limit::Blockade => "blockade".to_string(),
        Limit::NeedService(s) => format!("no {}", s.name()),
        Limit::NeedAsset(a) => format!("needs {}", names.assets[a.idx()]),
        Limit::Stock(i) => format!("no {}", crate::scenario::Stock::ALL[i].name()),
    })
}
