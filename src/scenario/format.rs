//! The scenario file format: plain serde types that mirror the RON text.
//!
//! These types are the file, not the model. They reject unknown fields, carry
//! no behaviour, and are turned into ECS components by `sim::setup`. Every
//! field here is read by the simulation or by the report of a run; a field that
//! would be parsed and ignored does not belong in this file.
//!
//! Units are fixed so that scenario authors can check figures against sources:
//! water in litres, food in kilocalories, electricity in kilowatt-hours,
//! sanitation in toilets, health in hospital beds, fuel in litres, money in
//! US dollars, time in days.

use serde::{Deserialize, Serialize};

/// The only `format_version` this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A whole exercise: the starting state, the scripted events and the rules'
/// parameters.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Must equal [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Kebab-case id of the scenario (`tutorial`, `mosul-2017`).
    pub name: String,
    /// One line for `cimsim scenarios` and the header of a run.
    pub title: String,
    /// Calendar date of day 0 (`YYYY-MM-DD`), printed with the run.
    pub start_date: String,
    /// Number of simulated days; a run has exactly this many digests.
    pub horizon_days: u32,
    /// The strategy every agency follows unless the agency sets its own: a
    /// built-in name (`"silo"`, `"liaison"`, `"cell"`, `"central"`) or one of
    /// `strategies`.
    #[serde(default = "default_strategy")]
    pub strategy: String,
    /// Strategies this scenario defines from the built-in switches.
    #[serde(default)]
    pub strategies: Vec<StrategyDef>,
    /// Sphere-style standards: per-person needs and survival minimums.
    pub standards: Standards,
    /// Weights of the resilience-loss components and of the district index.
    pub weights: Weights,
    /// Conditions under which crews may work.
    pub thresholds: Thresholds,
    /// The household return and displacement model.
    pub returns: ReturnModel,
    /// The disease model.
    pub disease: DiseaseModel,
    /// Rubble, buried explosives and rebuilding; defaults when left out.
    #[serde(default)]
    pub housing: HousingModel,
    /// Who may open a district closed to returns, and on what conditions;
    /// left out, no district may be closed.
    #[serde(default)]
    pub authorisation: Authorisation,
    /// Request channels, the coordination cell's cost and the price of a
    /// wrong picture; defaults when left out.
    #[serde(default)]
    pub cooperation: Cooperation,
    pub districts: Vec<District>,
    pub assets: Vec<Asset>,
    pub agencies: Vec<Agency>,
    #[serde(default)]
    pub camps: Vec<Camp>,
    pub population: Vec<PopulationGroup>,
    #[serde(default)]
    pub injects: Vec<Inject>,
    /// Capability targets the after-action report rates the run against
    /// (`cimsim report`, docs/report.md); the simulation never reads them.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
}

/// What a strategy does, as data (DESIGN 3.3): the mechanics read these
/// switches, never a strategy's name. The four built-in strategies are sets
/// of them ([`BUILTIN_STRATEGIES`]); a scenario may define its own
/// ([`StrategyDef`]). Every switch left out is off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct StrategyParams {
    /// Shares its picture and plans with agencies it has a liaison link with
    /// (when they share too), and answers their requests through the link.
    pub shares_over_links: bool,
    /// Spends staff time to post a liaison officer with an agency it has
    /// waited on over the formal channel (`cooperation.liaison_post_after`
    /// days without a link); the link works `liaison_setup_days` later.
    pub posts_liaisons: bool,
    /// Sits in the coordination cell: a common picture with the other members
    /// and same-day requests among them.
    pub in_cell: bool,
    /// Plans jointly with every other agency whose strategy plans jointly
    /// (in the built-ins: the cell's members): one account of unserved people
    /// for deliveries, and escorts first where the joint planners' planned
    /// work waits.
    pub joint_plan: bool,
    /// Sees the true state of everything.
    pub omniscient: bool,
    /// Pays the cell's staff cost (a share of every crew's daily work).
    pub pays_staff_cost: bool,
}

/// A strategy a scenario defines for itself, from the same switches as the
/// built-in ones.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyDef {
    /// Kebab-case name, used like a built-in one (`strategy: "liaison-cell"`,
    /// `--strategy liaison-cell`); it may not be a built-in name.
    pub name: String,
    pub params: StrategyParams,
}

const fn switches(
    shares_over_links: bool,
    posts_liaisons: bool,
    in_cell: bool,
    joint_plan: bool,
    omniscient: bool,
    pays_staff_cost: bool,
) -> StrategyParams {
    StrategyParams {
        shares_over_links,
        posts_liaisons,
        in_cell,
        joint_plan,
        omniscient,
        pays_staff_cost,
    }
}

/// The built-in strategies (DESIGN 3.3 and 3.6), by name:
/// - `silo`: own mandate, own information, formal channels only;
/// - `liaison`: liaison links share pictures and plans and answer requests
///   fast, and the agency posts liaison officers where it keeps waiting;
/// - `cell`: a member of the coordination cell, which plans jointly, at a
///   cost in staff time;
/// - `central`: the cell's planner with full information and no staff cost
///   (the upper reference, not a real option).
pub const BUILTIN_STRATEGIES: [(&str, StrategyParams); 4] = [
    ("silo", switches(false, false, false, false, false, false)),
    ("liaison", switches(true, true, false, false, false, false)),
    ("cell", switches(true, false, true, true, false, true)),
    ("central", switches(true, false, true, true, true, false)),
];

/// The strategy everything follows unless told otherwise.
pub const DEFAULT_STRATEGY: &str = "silo";

fn default_strategy() -> String {
    DEFAULT_STRATEGY.to_string()
}

impl Scenario {
    /// The switches of the strategy of that name: the scenario's own
    /// definitions, then the built-in ones.
    pub fn strategy_params(&self, name: &str) -> Option<StrategyParams> {
        self.strategies
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.params)
            .or_else(|| BUILTIN_STRATEGIES.iter().find(|b| b.0 == name).map(|b| b.1))
    }

    /// Every strategy name valid in this scenario: the built-in ones, then
    /// Crews over all agencies and crew groups.
    pub fn total_crews(&self) -> u64 {
        self.agencies
            .iter()
            .flat_map(|a| &a.crews)
            .map(|c| u64::from(c.count))
            .sum()
    }

    /// the scenario's own.
    pub fn strategy_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = BUILTIN_STRATEGIES.iter().map(|b| b.0).collect();
        for d in &self.strategies {
            if !names.contains(&d.name.as_str()) {
                names.push(&d.name);
            }
        }
        names
    }

    /// The strategy agency `i` follows.
    pub fn strategy_of(&self, i: usize) -> &str {
        self.agencies[i].strategy.as_deref().unwrap_or(&self.strategy)
    }
}

/// Parameters of the cooperation mechanics: request channels, the cell's cost,
/// and the price of acting on a wrong picture. Every field has a default, so
/// the block may be left out.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cooperation {
    /// Days a request through the ministries' headquarters takes to be
    /// answered.
    pub formal_days: u32,
    /// Probability that a formal request is accepted.
    pub formal_honour: f64,
    /// Days a request through a liaison link takes to be answered.
    pub liaison_days: u32,
    /// Probability that a request through a liaison link is accepted.
    pub liaison_honour: f64,
    /// Share of each cell member's crew work taken by staff time in the cell.
    pub cell_staff_share: f64,
    /// Probability, per unit of contamination, that a crew that walks into
    /// explosive hazards it did not know of is hurt.
    pub hazard_injury_rate: f64,
    /// Days a hurt crew is out of action.
    pub injury_days: u32,
    /// Days of crew work lost waiting on an agency over the formal channel
    /// after which a strategy that posts liaisons posts an officer there.
    pub liaison_post_after: u32,
    /// Days from posting an officer to a working link.
    pub liaison_setup_days: u32,
    /// Share of the posting agency's crew work each posted officer takes, for
    /// as long as the link lasts.
    pub liaison_staff_share: f64,
}

impl Default for Cooperation {
    fn default() -> Self {
        Cooperation {
            formal_days: 10,
            formal_honour: 0.5,
            liaison_days: 1,
            liaison_honour: 0.9,
            cell_staff_share: 0.003,
            hazard_injury_rate: 0.1,
            injury_days: 14,
            liaison_post_after: 5,
            liaison_setup_days: 3,
            liaison_staff_share: 0.005,
        }
    }
}

/// The five services measured for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Service {
    Food,
    Water,
    Electricity,
    Sanitation,
    Health,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::Food,
        Service::Water,
        Service::Electricity,
        Service::Sanitation,
        Service::Health,
    ];

    /// Dense index, the position in [`Service::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The snake_case name used in JSON, CSV and tables.
    pub fn name(self) -> &'static str {
        match self {
            Service::Food => "food",
            Service::Water => "water",
            Service::Electricity => "electricity",
            Service::Sanitation => "sanitation",
            Service::Health => "health",
        }
    }
}

/// Per-person needs (Sphere Handbook defaults in `docs/scenario-format.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Standards {
    /// Litres of water per person per day (Sphere: 15).
    pub water_litres: f64,
    /// Survival minimum in litres per person per day (Sphere: 7.5).
    pub water_survival_litres: f64,
    /// Kilocalories per person per day (Sphere: 2,100).
    pub food_kcal: f64,
    /// Survival minimum in kilocalories per person per day.
    pub food_survival_kcal: f64,
    /// Kilowatt-hours of electricity per person per day.
    pub electricity_kwh: f64,
    /// People per toilet (Sphere: 50 early, 20 later).
    pub people_per_toilet: f64,
    /// Inpatient beds per 10,000 people.
    pub beds_per_10000: f64,
}

/// Weights of each component of the resilience loss. The district index is
/// the geometric mean of service levels with the same service weights.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub food: f64,
    pub water: f64,
    pub electricity: f64,
    pub sanitation: f64,
    pub health: f64,
    /// Weight of one displaced person-day.
    pub displacement: f64,
    /// Weight of one person-day without adequate shelter (in an
    /// uninhabitable dwelling, an overcrowded camp, or part of a hosted day).
    #[serde(default)]
    pub shelter: f64,
}

/// Where crews may work.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Highest explosive contamination (0–1) at which non-clearance work may
    /// proceed.
    pub clearance: f64,
    /// Lowest security (0–1) at which non-security work may proceed.
    pub security: f64,
}

/// How displaced households decide to go home, and when people at home leave
/// again. See `docs/model.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnModel {
    /// Daily return probability of a household whose home district looks
    /// perfect.
    pub max_daily_rate: f64,
    /// Weight of perceived security in the attractiveness of home.
    pub security_weight: f64,
    /// Weight of the perceived service index.
    pub services_weight: f64,
    /// Weight of the perceived share of habitable homes.
    pub housing_weight: f64,
    /// Weight of perceived explosive contamination (subtracted).
    pub contamination_weight: f64,
    /// Attractiveness at which the return rate is half its maximum.
    pub midpoint: f64,
    /// Steepness of the logistic response around the midpoint.
    pub steepness: f64,
    /// Time constant, in days, of the moving average through which
    /// households perceive home (word of mouth).
    pub perception_days: f64,
    /// Multiplier on the return rate of a household whose own home is
    /// uninhabitable.
    pub uninhabitable_factor: f64,
    /// Multiplier on the return rate of vulnerable households.
    pub vulnerable_factor: f64,
    /// Days a returned household keeps judging whether to stay.
    pub settling_days: u32,
    /// Daily probability that a settling household whose home is
    /// uninhabitable leaves again.
    pub leave_uninhabitable_rate: f64,
    /// Perceived security below which people at home start to leave.
    pub flight_security: f64,
    /// Daily probability of leaving for a household at home in such a district.
    pub flight_rate: f64,
    /// Weight of the perceived livelihoods indicator (work and markets,
    /// docs/model.md §7.17); 0 when left out.
    #[serde(default)]
    pub livelihood_weight: f64,
    /// Multiplier on the return rate of a household in a camp that is
    /// closing (`CloseCamp`); 1 when left out.
    #[serde(default = "one")]
    pub camp_closure_push: f64,
}

fn one() -> f64 {
    1.0
}

/// Water- and sanitation-related disease.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DiseaseModel {
    /// New cases per person per day with full water and sanitation.
    pub base_rate: f64,
    /// Extra new cases per person per day when water and sanitation are absent.
    pub wash_rate: f64,
    /// Mean days a case stays ill.
    pub illness_days: f64,
    /// Share by which full health service shortens the illness.
    pub treatment_effect: f64,
}

/// A part of the city.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub id: String,
    pub name: String,
    /// People living here before the conflict: the yardstick against which
    /// households judge services.
    pub prewar_population: u32,
    /// Number of dwellings (a family each); rebuilding crews rebuild the
    /// uninhabitable ones one by one.
    pub homes: u32,
    /// Share (0–1) of homes uninhabitable, all counted as heavily damaged:
    /// the short form of `dwellings`, for a town without rubble. Give this or
    /// `dwellings`, not both.
    #[serde(default)]
    pub housing_damage: f64,
    /// Dwellings by damage class (of `homes`; the rest are intact). Heavily
    /// damaged and destroyed ones cannot be lived in until rebuilt, and leave
    /// rubble (`housing.debris_tonnes`).
    #[serde(default)]
    pub dwellings: DamagedDwellings,
    /// Explosive-hazard contamination (0 clear – 1 saturated).
    pub contamination: f64,
    /// Security level (0 none – 1 full).
    pub security: f64,
    /// Closed to returns on day 0: nobody displaced from it goes home until
    /// an agency of `authorisation.by` authorises it (docs/model.md §7.17).
    #[serde(default)]
    pub closed: bool,
}

/// Dwellings of a district by damage class (`District::dwellings`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DamagedDwellings {
    /// Lightly damaged: habitable.
    #[serde(default)]
    pub light: u32,
    /// Moderately damaged: habitable.
    #[serde(default)]
    pub moderate: u32,
    /// Heavily damaged: uninhabitable until rebuilt.
    #[serde(default)]
    pub heavy: u32,
    /// Destroyed: uninhabitable until rebuilt.
    #[serde(default)]
    pub destroyed: u32,
}

impl District {
    /// The district's damaged dwellings, from whichever form the file gives
    /// (`dwellings`, or `housing_damage` counted as heavy damage).
    pub fn damaged(&self) -> DamagedDwellings {
        if self.dwellings != DamagedDwellings::default() {
            self.dwellings
        } else {
            DamagedDwellings {
                heavy: (f64::from(self.homes) * self.housing_damage.clamp(0.0, 1.0)).round() as u32,
                ..DamagedDwellings::default()
            }
        }
    }

    /// Share of the district's dwellings that cannot be lived in.
    pub fn uninhabitable_share(&self) -> f64 {
        let d = self.damaged();
        f64::from(d.heavy.saturating_add(d.destroyed)) / f64::from(self.homes.max(1))
    }
}

/// Rubble, the explosives in it and rebuilding (docs/model.md §7.16). Every
/// field has a default, so the block may be left out: no rubble, and a
/// destroyed dwelling costs twice a heavily damaged one to rebuild.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HousingModel {
    /// Tonnes of rubble a heavily damaged dwelling leaves.
    pub debris_heavy_tonnes: f64,
    /// Tonnes of rubble a destroyed dwelling leaves.
    pub debris_destroyed_tonnes: f64,
    /// Share of a district's explosive hazards that lies buried in its
    /// rubble, on top of what its `contamination` shows on the surface;
    /// removing rubble brings it up.
    pub buried_share: f64,
    /// Rebuilding a heavily damaged dwelling, in dwellings of crew work.
    pub rebuild_heavy: f64,
    /// Rebuilding a destroyed dwelling, in dwellings of crew work.
    pub rebuild_destroyed: f64,
    /// Share of a hosted person's day counted as without adequate shelter.
    pub hosted_shelter_gap: f64,
}

/// Return authorisation (docs/model.md §7.17): an agency of `by` opens a
/// closed district once what it knows of it meets both conditions.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Authorisation {
    /// Agencies that may authorise returns (the authorities: Interior,
    /// Defence).
    pub by: Vec<String>,
    /// Highest explosive contamination the authorising agency must know the
    /// district to have.
    pub max_contamination: f64,
    /// Lowest security it must know the district to have.
    pub min_security: f64,
}

impl Default for HousingModel {
    fn default() -> Self {
        HousingModel {
            debris_heavy_tonnes: 0.0,
            debris_destroyed_tonnes: 0.0,
            buried_share: 0.0,
            rebuild_heavy: 1.0,
            rebuild_destroyed: 2.0,
            hosted_shelter_gap: 0.5,
        }
    }
}

/// What an asset needs to work.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub enum Need {
    /// The service as available at the asset's site district.
    Service(Service),
    /// Another asset working (a bridge, a transmission line, a plant).
    Asset(String),
}

/// A stock an agency holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Stock {
    /// Litres of fuel.
    Fuel,
    /// Kilocalories of food rations.
    Food,
    /// Units of medical supplies.
    Medical,
}

impl Stock {
    pub const ALL: [Stock; 3] = [Stock::Fuel, Stock::Food, Stock::Medical];
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn name(self) -> &'static str {
        match self {
            Stock::Fuel => "fuel",
            Stock::Food => "food",
            Stock::Medical => "medical",
        }
    }
}

/// Consumption of an agency stock by an asset at full output.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Consumption {
    pub stock: Stock,
    pub per_day: f64,
}

/// What an asset produces.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    pub service: Service,
    /// Units of the service per day at full condition (see the module docs
    /// for units).
    pub capacity: f64,
}

/// The kind of facility, shown in tables and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum AssetKind {
    PowerStation,
    Substation,
    TransmissionLine,
    Generator,
    Bridge,
    WaterPlant,
    PumpingStation,
    WaterMain,
    SewageStation,
    Hospital,
    HealthCentre,
    FoodPoint,
    FuelDepot,
}

impl AssetKind {
    /// Lower-case words for tables.
    pub fn label(self) -> &'static str {
        match self {
            AssetKind::PowerStation => "power station",
            AssetKind::Substation => "substation",
            AssetKind::TransmissionLine => "transmission line",
            AssetKind::Generator => "generator",
            AssetKind::Bridge => "bridge",
            AssetKind::WaterPlant => "water plant",
            AssetKind::PumpingStation => "pumping station",
            AssetKind::WaterMain => "water main",
            AssetKind::SewageStation => "sewage station",
            AssetKind::Hospital => "hospital",
            AssetKind::HealthCentre => "health centre",
            AssetKind::FoodPoint => "food point",
            AssetKind::FuelDepot => "fuel depot",
        }
    }
}

/// A facility that produces or carries a service.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub id: String,
    pub name: String,
    pub kind: AssetKind,
    /// The agency that may repair and run it.
    pub agency: String,
    /// The district the asset stands in.
    pub site: String,
    /// What it produces; carriers (bridges, lines) produce nothing.
    #[serde(default)]
    pub output: Option<Output>,
    /// Districts it serves; its output is shared among them by need.
    #[serde(default)]
    pub serves: Vec<String>,
    /// 0 destroyed – 1 working.
    pub condition: f64,
    /// Crew-days to repair from 0 to 1.
    pub repair_effort: f64,
    /// Material cost in US$ to repair from 0 to 1.
    pub repair_cost: f64,
    /// Most crews that can work on it at once.
    pub crew_slots: u32,
    /// Services and assets it needs to work.
    #[serde(default)]
    pub needs: Vec<Need>,
    /// Stocks it consumes from its agency at full output.
    #[serde(default)]
    pub consumes: Vec<Consumption>,
    /// Contamination of the site when it differs from the district's.
    #[serde(default)]
    pub contamination: Option<f64>,
    /// Security of the site when it differs from the district's.
    #[serde(default)]
    pub security: Option<f64>,
}

/// What an agency's crews may do. A crew's kind is one of its agency's
/// mandates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Mandate {
    /// Repair the agency's own assets. Rate: crew-days per day.
    Repair,
    /// Remove explosive hazards. Rate: contamination removed per day in a
    /// district of 10,000 pre-war people or at one site.
    Clear,
    /// Patrol and hold ground. Rate: security gained per day.
    Secure,
    /// Distribute food rations from the agency's food stock. Rate: kcal/day.
    DistributeFood,
    /// Truck water. Rate: litres/day; uses `fuel_per_day` of the agency's fuel.
    TruckWater,
    /// Rebuild uninhabitable homes whose rubble is gone. Rate: heavily
    /// damaged homes per day (a destroyed one takes `housing.rebuild_destroyed`).
    Rebuild,
    /// Remove rubble from a district. Rate: tonnes per day.
    RemoveDebris,
    /// Deliver fuel from the agency's stock to other agencies. Rate: litres/day.
    DeliverFuel,
    /// Run mobile clinics. Rate: beds-equivalent; uses medical supplies.
    Medical,
}

/// A group of identical crews. They get ids `<agency>-<kind>-<n>`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrewGroup {
    pub kind: Mandate,
    pub count: u32,
    /// Work per crew-day, in the unit of the crew's kind.
    pub rate: f64,
    /// Wages and running costs in US$ per working day.
    pub daily_cost: f64,
    /// Fuel in litres per working day.
    #[serde(default)]
    pub fuel_per_day: f64,
}

/// Stock levels, in the units of [`Stock`].
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stocks {
    #[serde(default)]
    pub fuel: f64,
    #[serde(default)]
    pub food: f64,
    #[serde(default)]
    pub medical: f64,
}

/// A ministry or service.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub mandates: Vec<Mandate>,
    #[serde(default)]
    pub crews: Vec<CrewGroup>,
    /// Stocks on day 0.
    #[serde(default)]
    pub stocks: Stocks,
    /// Stocks arriving every day from outside the city.
    #[serde(default)]
    pub resupply: Stocks,
    /// US$ available for wages and materials.
    pub budget: f64,
    /// Agencies this one has a direct contact in on day 0.
    #[serde(default)]
    pub liaisons: Vec<String>,
    /// Overrides the scenario's strategy for this agency.
    #[serde(default)]
    pub strategy: Option<String>,
    /// Days after which a site the agency believes blocked is looked at again.
    pub recheck_days: u32,
}

/// Fixed service levels (0–1) a camp provides at or under capacity.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CampServices {
    pub food: f64,
    pub water: f64,
    pub electricity: f64,
    pub sanitation: f64,
    pub health: f64,
}

/// An IDP camp.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Camp {
    pub id: String,
    pub name: String,
    /// People it holds before overcrowding lowers its services.
    pub capacity: u32,
    pub services: CampServices,
}

/// Where a group of households is on day 0.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub enum Location {
    /// In their own home in the origin district.
    Home,
    /// In the named camp.
    Camp(String),
    /// With a host family in the named district.
    Host(String),
}

/// Households generated from counts. The engine draws each household's size,
/// vulnerability and home from keyed randomness.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationGroup {
    pub origin: String,
    pub location: Location,
    pub households: u32,
    /// Mean people per household (sizes are drawn from 1 to twice the mean).
    pub mean_size: f64,
    /// Share (0–1) of households that are vulnerable.
    pub vulnerable_share: f64,
}

/// When an inject fires.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub enum Trigger {
    /// At the start of that day.
    Day(u32),
    /// The first day on which the condition has held for its number of days.
    When(Condition),
}

/// A condition watched every day.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum Condition {
    ServiceBelow {
        district: String,
        service: Service,
        below: f64,
        days: u32,
    },
    SecurityBelow {
        district: String,
        below: f64,
        days: u32,
    },
}

/// What an inject does (DESIGN 3.5).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum Effect {
    /// An asset's condition falls by `damage`.
    Sabotage { asset: String, damage: f64 },
    /// An asset stops working for some days (a protest, a blockade).
    Blockade { asset: String, days: u32 },
    /// New cases, and transmission multiplied for some days.
    DiseaseOutbreak {
        district: String,
        cases: f64,
        multiplier: f64,
        days: u32,
    },
    /// An agency loses a share of its fuel and gets no resupply for some days.
    FuelShortage { agency: String, lost: f64, days: u32 },
    /// Crews working in the district are attacked: some are lost, security
    /// falls and all non-security work there is suspended for some days.
    CrewAttack {
        district: String,
        casualties: u32,
        security_drop: f64,
        suspend_days: u32,
    },
    /// A share of the people at home in a district flee to a camp or a host
    /// district.
    Displacement { district: String, share: f64, to: Location },
    /// Water needs multiplied for some days.
    Heatwave { water_factor: f64, days: u32 },
    /// An agency may spend nothing for some days.
    BudgetFreeze { agency: String, days: u32 },
    /// Money reaches an agency (a donor's tranche, a programme's budget):
    /// US$ added to its funds.
    Funding { agency: String, amount: f64 },
    /// A camp closes: it takes nobody new, its people are pushed to go home
    /// (`returns.camp_closure_push`), and those who cannot live on its site
    /// without shelter.
    CloseCamp { camp: String },
    /// Hazards found in a district or at an asset's site.
    Minefield {
        district: String,
        #[serde(default)]
        site: Option<String>,
        contamination: f64,
    },
    /// A direct contact between two agencies.
    LiaisonPosted { between: (String, String) },
    /// A contact lost (the officer is reassigned).
    LiaisonEnded { between: (String, String) },
    /// A workshop convened by the advisers: every pair of the listed agencies
    /// gets a contact.
    Workshop { agencies: Vec<String> },
}

/// One line of the master events list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    /// What the facilitator reads out.
    pub message: String,
    pub trigger: Trigger,
    pub effect: Effect,
}

/// A capability target of the after-action report (HSEEP style): a figure of
/// the run measured by `metric`, rated against three thresholds. The rule is
/// in docs/report.md: for a metric where more is better the run *performed*
/// at `performed` or above, had *some challenges* at `some_challenges` or
/// above, *major challenges* at `major_challenges` or above, and was
/// *unable* below; for a metric where less is better the comparisons turn
/// round (at or below each threshold).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    /// Kebab-case id, unique among capabilities.
    pub id: String,
    /// The capability in words, as the report shows it.
    pub name: String,
    /// Where the target comes from (a source, or "design value").
    #[serde(default)]
    pub source: Option<String>,
    pub metric: Metric,
    pub performed: f64,
    pub some_challenges: f64,
    pub major_challenges: f64,
}

/// What a capability target measures. Every metric is read from the run's
/// outcomes or cooperation ledger (docs/report.md).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub enum Metric {
    /// The people-weighted level (0–1) of a service over the listed
    /// districts (the people present there) at the end of `day`. More is
    /// better.
    ServiceLevel {
        service: Service,
        districts: Vec<String>,
        day: u32,
    },
    /// The share (0–1) of the people displaced on day 0 who are home at the
    /// end of `day`. More is better.
    ReturnedShare { day: u32 },
    /// Requests honoured: requests between agencies that the agency asked
    /// accepted and whose need was then met by the end of the run, over
    /// requests made (0–1). A refused request counts against it even when
    /// its need was met some other way. More is better. Files written before
    /// it had this name say `RequestFulfilment`.
    #[serde(alias = "RequestFulfilment")]
    RequestsHonoured,
    /// Requests between agencies that the agency asked accepted, over
    /// requests made (0–1); a request still unanswered at the end counts as
    /// not accepted. More is better.
    RequestsAccepted,
    /// Crews lost over the run. Less is better.
    CrewCasualties,
    /// Crew-days blocked (hazards, insecurity, missing inputs, …) over the
    /// run, all agencies. Less is better.
    BlockedCrewDays,
    /// Days until half the people displaced on day 0 were home; a run in
    /// which that never happened counts as its number of days. Less is better.
    DaysToHalfReturned,
}

impl Metric {
    /// Whether a larger value is better (the thresholds descend) or worse
    /// (they ascend).
    pub fn more_is_better(&self) -> bool {
        matches!(
            self,
            Metric::ServiceLevel { .. }
                | Metric::ReturnedShare { .. }
                | Metric::RequestsHonoured
                | Metric::RequestsAccepted
        )
    }

    /// Whether the value is a share from 0 to 1.
    pub fn is_share(&self) -> bool {
        self.more_is_better()
    }
}
