//! Components and resources of the simulation world.
//!
//! Static facts (ids, capacities, who owns what) live in components built once
//! by `setup`; state that rules change lives in separate components so that a
//! rule's signature shows what it touches. Per-day tables that households look
//! up (service levels, return probabilities) are resources indexed by dense
//! indices. Nothing here derives `Serialize`: files have their own types.

use bevy_ecs::prelude::*;

use crate::scenario::{Mandate, Service, StrategyParams};

/// Number of services measured for people.
pub const SERVICES: usize = 5;
/// Number of agency stocks (fuel, food, medical).
pub const STOCKS: usize = 3;

/// Declares a dense index: a `u16` position in the scenario file, of one kind
/// only, so that a district's index cannot be used where an asset's is meant.
///
/// `Debug` prints the bare number, as the `u16` aliases these replaced did,
/// so that no `Debug` text changes: none decides anything today, but
/// `InjectLog::inputs` hashes inputs' `Debug` text, and an input that one day
/// holds an index must not move digests (docs/determinism.md, "Debug text is
/// not a format"). The digest folds `get()`, the same integer as before.
/// There is no `Display`: users see names, not numbers.
macro_rules! dense_index {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(u16);

        impl $name {
            /// The index of the `i`-th item of its kind.
            ///
            /// # Panics
            ///
            /// If `i` does not fit in `u16`: validation caps every list at
            /// `LIMITS.list_items` (65 535) items, so this is a bug, not bad input.
            #[must_use]
            pub fn new(i: usize) -> Self {
                Self(u16::try_from(i).expect(concat!(stringify!($name), " beyond u16: validation caps list sizes")))
            }

            /// The position, for indexing a `Vec` or slice of this kind.
            #[must_use]
            pub fn idx(self) -> usize {
                usize::from(self.0)
            }

            /// The raw number, as folded into digests and printed.
            #[must_use]
            pub fn get(self) -> u16 {
                self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }
    )*};
}

dense_index! {
    /// Dense index of a district: its position in the scenario file.
    DistrictIx;
    /// Dense index of an asset.
    AssetIx;
    /// Dense index of an agency.
    AgencyIx;
    /// Dense index of a camp.
    CampIx;
}

/// The simulated day being computed (day 0 first).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Clock {
    pub day: u32,
}

/// Families per household entity (1: full resolution).
#[derive(Resource, Debug, Clone, Copy)]
pub struct Resolution {
    pub families_per_entity: u32,
}

/// The seed of this run.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Seed(pub u64);

// ---------------------------------------------------------------------------
// Districts

/// A part of the city. `key` is the FNV-1a hash of the string id, the stable
/// key of keyed random draws.
#[derive(Component, Debug, Clone)]
pub struct District {
    pub ix: DistrictIx,
    pub key: u64,
    pub prewar: f64,
    pub homes: f64,
}

/// Explosive hazards and security of a district.
#[derive(Component, Debug, Clone, Copy)]
pub struct Ground {
    pub contamination: f64,
    pub security: f64,
}

pub use super::housing::{DwellingWork, Housing};

/// All work but security is suspended here until this day (exclusive).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Suspension {
    pub until: u32,
}

// ---------------------------------------------------------------------------
// Assets

/// What an asset needs, with references resolved to dense indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NeedIx {
    Service(Service),
    Asset(AssetIx),
}

/// Static facts about an asset.
#[derive(Component, Debug, Clone)]
pub struct Asset {
    pub ix: AssetIx,
    pub key: u64,
    pub agency: AgencyIx,
    pub site: DistrictIx,
    pub output: Option<(Service, f64)>,
    pub serves: Vec<DistrictIx>,
    pub needs: Vec<NeedIx>,
    pub consumes: Vec<(usize, f64)>,
    pub repair_effort: f64,
    pub repair_cost: f64,
    pub crew_slots: u32,
    /// Pre-war people who depend on it, directly or through assets that need
    /// it: the planners' measure of its importance.
    pub weight: f64,
    /// The assets that need it directly, each with the share of its weight
    /// that passes to this one (`weight` already counts them).
    pub dependants: Vec<(AssetIx, f64)>,
}

/// 0 destroyed – 1 working.
#[derive(Component, Debug, Clone, Copy)]
pub struct Condition(pub f64);

/// The site's own hazards where they differ from its district's.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Site {
    pub contamination: Option<f64>,
    pub security: Option<f64>,
}

impl Site {
    /// The (contamination, security) at the site, given its district's:
    /// its own where it has them, otherwise the district's. The one rule
    /// for what crews meet, agencies see and requests judge there.
    pub fn reading(&self, contamination: f64, security: f64) -> (f64, f64) {
        (
            self.contamination.unwrap_or(contamination),
            self.security.unwrap_or(security),
        )
    }
}

/// Out of action until this day (exclusive).
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Blockade {
    pub until: u32,
}

/// Why an asset delivers less than its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Limit {
    #[default]
    None,
    Condition,
    Blockade,
    NeedService(Service),
    NeedAsset(AssetIx),
    Stock(usize),
}

/// How the asset worked today.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Operation {
    /// 0–1: share of capacity delivered.
    pub level: f64,
    /// The factor that limited it most.
    pub limit: Limit,
}

/// Share of capacity below which an asset is idle for want of an input, and
/// at or above which a request for that input is met.
pub const SERVICE_MET: f64 = 0.5;

impl Operation {
    /// The service the asset stood idle for (below [`SERVICE_MET`] because
    /// of it), if any: the one rule for asking for it, for judging the
    /// request met, and for charging the idle days.
    pub fn idle_for_service(&self) -> Option<Service> {
        match self.limit {
            Limit::NeedService(s) if self.level < SERVICE_MET => Some(s),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Agencies, crews and tasks

/// Static facts about an agency.
#[derive(Component, Debug, Clone)]
pub struct Agency {
    pub ix: AgencyIx,
    pub key: u64,
    pub mandates: Vec<Mandate>,
    /// What its strategy switches on (the name stays in the scenario).
    pub strategy: StrategyParams,
    /// Played by a person (`cimsim play --human`): it makes and answers
    /// requests only when ordered to, and its crews follow orders
    /// (`Input::Assign`). Set by `Input::Human`, never by the scenario.
    pub human: bool,
    /// With `human`: the crews no player holds follow the agency's strategy
    /// (standing orders); without, they stand idle until ordered.
    pub standing: bool,
    pub recheck_days: u32,
    /// Litres of fuel per day the agency's assets and crews burn at full use:
    /// public knowledge that a fuel supplier plans with.
    pub nominal_fuel: f64,
    /// The services it monitors everywhere, because its mandates or its
    /// assets provide them (see `setup::monitored`).
    pub watches: [bool; SERVICES],
}

/// The strategies a run knows (built-in and the scenario's own, by name)
/// and the name each agency follows, by agency index: what inputs and
/// reports need of names, which `Agency::strategy` does not keep.
#[derive(Resource, Debug, Clone, Default)]
pub struct StrategyBook {
    pub known: Vec<(String, StrategyParams)>,
    pub followed: Vec<String>,
    /// The strategy each agency followed when the world was built, before
    /// any input.
    pub initial: Vec<String>,
}

/// The strategy an agency follows while it is a member of the
/// coordination cell (`cimsim play`'s `cell join`).
pub const CELL_STRATEGY: &str = "cell";
/// The strategy an agency that started in the cell follows when it leaves:
/// it keeps working over liaison links.
pub const LEFT_CELL_STRATEGY: &str = "liaison";

/// Why an agency cannot join or leave the coordination cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellMove {
    AlreadyIn,
    NotIn,
    /// The scenario knows no strategy of this name to switch to.
    NoStrategy(String),
}

impl StrategyBook {
    pub fn params(&self, name: &str) -> Option<StrategyParams> {
        self.known.iter().find(|k| k.0 == name).map(|k| k.1)
    }

    /// The one rule for joining and leaving the coordination cell: the
    /// strategy agency `ix` follows once it joins ([`CELL_STRATEGY`]) or
    /// leaves (back to the strategy it started with, or
    /// [`LEFT_CELL_STRATEGY`] if it started in the cell).
    pub fn cell_move(&self, ix: AgencyIx, join: bool) -> Result<String, CellMove> {
        let now = &self.followed[ix.idx()];
        let in_cell = self.params(now).is_some_and(|p| p.in_cell);
        let strategy = if join {
            if in_cell {
                return Err(CellMove::AlreadyIn);
            }
            CELL_STRATEGY.to_string()
        } else {
            if !in_cell {
                return Err(CellMove::NotIn);
            }
            let first = &self.initial[ix.idx()];
            if self.params(first).is_some_and(|p| !p.in_cell) {
                first.clone()
            } else {
                LEFT_CELL_STRATEGY.to_string()
            }
        };
        if self.params(&strategy).is_none() {
            return Err(CellMove::NoStrategy(strategy));
        }
        Ok(strategy)
    }
}

/// Stocks held and arriving.
#[derive(Component, Debug, Clone, Copy)]
pub struct Stores {
    pub held: [f64; STOCKS],
    pub resupply: [f64; STOCKS],
    /// No resupply until this day (exclusive), after a fuel shortage.
    pub fuel_cut_until: u32,
    /// Last day fuel was delivered to this agency by a supplier.
    pub last_fuel_delivery: u32,
}

/// Money.
#[derive(Component, Debug, Clone, Copy)]
pub struct Budget {
    pub funds: f64,
    pub frozen_until: u32,
}

/// What an agency believes about the world. Each agency has its own; under
/// `silo` it fills only from what the agency owns and sees.
#[derive(Component, Debug, Clone)]
pub struct Picture {
    pub districts: Vec<GroundView>,
    /// One entry per asset: the believed state of its site.
    pub sites: Vec<GroundView>,
    /// Service levels (0–1) per district, for the services this agency
    /// monitors; stale values for the others.
    pub services: Vec<[f64; SERVICES]>,
    /// Believed condition of each asset: exact for its own.
    pub conditions: Vec<f64>,
    /// Assets that another agency this one shares with plans to repair now.
    pub planned: Vec<bool>,
}

/// A believed hazard and security reading and when each was taken: 0 for
/// the day-0 briefing, `d + 1` for an observation on day `d`.
#[derive(Debug, Clone, Copy)]
pub struct GroundView {
    pub contamination: f64,
    pub security: f64,
    /// When `contamination` was observed.
    pub observed: u32,
    /// When `security` was observed.
    pub security_observed: u32,
}

impl GroundView {
    /// When the older of the two readings was taken.
    pub fn oldest(&self) -> u32 {
        self.observed.min(self.security_observed)
    }

    /// Takes each reading of `other` that is more recent than ours.
    pub fn update_from(&mut self, other: &GroundView) {
        if other.observed > self.observed {
            self.contamination = other.contamination;
            self.observed = other.observed;
        }
        if other.security_observed > self.security_observed {
            self.security = other.security;
            self.security_observed = other.security_observed;
        }
    }
}

/// A crew: one team of one agency.
#[derive(Component, Debug, Clone)]
pub struct Crew {
    /// Dense index, in the order crews are generated.
    pub ix: u32,
    pub key: u64,
    pub agency: AgencyIx,
    pub kind: Mandate,
    pub rate: f64,
    pub daily_cost: f64,
    pub fuel_per_day: f64,
}

/// Where a crew works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Asset(AssetIx),
    /// A district (clearance, security, deliveries, rebuilding).
    District(DistrictIx),
    /// An agency to deliver fuel to.
    Agency(AgencyIx),
}

/// The crew's current work: its target and the stable id of its task, why
/// it could not work on its last day, and until when it is out hurt.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Assignment {
    pub target: Option<Target>,
    pub task: Option<u64>,
    /// What blocked the crew on the day it was last blocked, and where.
    pub blocked: Option<(Target, Blocker)>,
    /// Out of action until this day (exclusive) after walking into hazards.
    pub out_until: u32,
    /// A player's order holds the crew (`Input::Assign`, `Input::Stop`):
    /// the agency's standing orders leave it alone until the order's work
    /// is done or the crew is released (`Input::Release`).
    pub held: bool,
}

/// A crew killed or disbanded; it no longer works. Where and when: an
/// attack on the crews working in `district` on `day`.
#[derive(Component, Debug, Clone, Copy)]
pub struct Lost {
    pub day: u32,
    pub district: DistrictIx,
}

/// Why a crew could not work today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Blocker {
    Hazard,
    Security,
    Suspended,
    Budget,
    Stock,
}

impl Blocker {
    pub const ALL: [Blocker; 5] = [
        Blocker::Hazard,
        Blocker::Security,
        Blocker::Suspended,
        Blocker::Budget,
        Blocker::Stock,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Blocker::Hazard => "explosive_hazards",
            Blocker::Security => "insecurity",
            Blocker::Suspended => "suspension",
            Blocker::Budget => "budget",
            Blocker::Stock => "stocks",
        }
    }
}

/// A unit of work: one kind of work at one target for one agency.
#[derive(Component, Debug, Clone)]
pub struct Task {
    /// Stable id, allocated in order of creation.
    pub id: u64,
    pub kind: Mandate,
    pub target: Target,
    pub agency: AgencyIx,
    pub crew_days: f64,
    pub blocked_days: f64,
    /// Set when the work is finished or abandoned; the task is then removed.
    pub closed: bool,
}

impl Task {
    /// A new task on which no crew has worked yet.
    pub fn new(id: u64, kind: Mandate, target: Target, agency: AgencyIx) -> Self {
        Task {
            id,
            kind,
            target,
            agency,
            crew_days: 0.0,
            blocked_days: 0.0,
            closed: false,
        }
    }
}

/// Next stable task id.
#[derive(Resource, Debug, Default)]
pub struct TaskIds {
    pub next: u64,
}

impl TaskIds {
    /// Takes the next task id: the one allocator for the planner and for
    /// players' orders, so both number tasks in one sequence.
    pub fn allocate(&mut self) -> u64 {
        let id = self.next;
        self.next += 1;
        id
    }
}

/// How a request travels between agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    /// Through the ministries' headquarters: slow, often ignored.
    Formal,
    /// Through a liaison link: fast, usually honoured.
    Liaison,
    /// Inside the coordination cell: the same day.
    Cell,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Formal, Channel::Liaison, Channel::Cell];
    pub fn name(self) -> &'static str {
        match self {
            Channel::Formal => "formal",
            Channel::Liaison => "liaison",
            Channel::Cell => "cell",
        }
    }
}

/// What one agency asks of another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ask {
    /// Clear the explosive hazards of a district or a site.
    Clearance,
    /// Secure a district (an escort for the crews working there).
    Escort,
    /// Deliver fuel to the asking agency, whose crews stand dry.
    Fuel,
    /// Restore a service an asset needs at its site (power to a plant,
    /// water to a hospital): the target is the waiting asset.
    Service(Service),
}

impl Ask {
    /// Every kind of request, in ledger order.
    pub const ALL: [Ask; 8] = [
        Ask::Clearance,
        Ask::Escort,
        Ask::Fuel,
        Ask::Service(Service::Food),
        Ask::Service(Service::Water),
        Ask::Service(Service::Electricity),
        Ask::Service(Service::Sanitation),
        Ask::Service(Service::Health),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Ask::Clearance => "clearance",
            Ask::Escort => "escort",
            Ask::Fuel => "fuel",
            Ask::Service(s) => s.name(),
        }
    }

    /// The mandate that gives it.
    pub fn mandate(self) -> Mandate {
        match self {
            Ask::Clearance => Mandate::Clear,
            Ask::Escort => Mandate::Secure,
            Ask::Fuel => Mandate::DeliverFuel,
            Ask::Service(_) => Mandate::Repair,
        }
    }

    /// The ground a request about `target` is for: an asset's own site when
    /// it is cleared on its own, otherwise the district it stands in (an
    /// escort comes from securing the district, which lifts its sites).
    /// `asset` gives an asset's district and whether its site has hazards of
    /// its own. The one rule for making requests and for charging waits.
    pub fn ground(self, target: Target, asset: impl Fn(AssetIx) -> (DistrictIx, bool)) -> Option<Target> {
        if !matches!(self, Ask::Clearance | Ask::Escort) {
            return None;
        }
        match target {
            Target::Asset(x) => {
                let (district, own_site) = asset(x);
                Some(if self == Ask::Clearance && own_site {
                    target
                } else {
                    Target::District(district)
                })
            }
            Target::District(_) => Some(target),
            Target::Agency(_) => None,
        }
    }
}

/// A request between agencies and its life: made, answered, fulfilled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request {
    /// Stable id, in order of creation.
    pub id: u64,
    pub from: AgencyIx,
    pub to: AgencyIx,
    pub ask: Ask,
    /// Where: a district, or an asset's site.
    pub target: Target,
    /// The channel that carries it: the one it was made through, or a
    /// faster one that opened while it waited for its answer
    /// (`coordinate::exchange_requests`).
    pub channel: Channel,
    pub made: u32,
    /// The day the answer arrives (sooner when a faster channel opens).
    pub answer_due: u32,
    /// `Some(true)` accepted, `Some(false)` refused, once answered.
    pub accepted: Option<bool>,
    pub answered: Option<u32>,
    /// The day the need was met (by anyone).
    pub fulfilled: Option<u32>,
}

/// Every request made so far, in order of creation.
#[derive(Resource, Debug, Default, Clone)]
pub struct Requests {
    pub list: Vec<Request>,
}

impl Request {
    /// It still stands: its need is not met and it was not refused. A
    /// refused request is closed; asking again is a new request.
    pub fn stands(&self) -> bool {
        self.fulfilled.is_none() && self.accepted != Some(false)
    }

    /// How it closed, if it did by the end of day `last`: met, or refused.
    pub fn closed_by(&self, last: u32) -> Option<(u32, &'static str)> {
        match (self.fulfilled, self.accepted, self.answered) {
            (Some(d), _, _) if d <= last => Some((d, "need met")),
            (None, Some(false), Some(d)) if d <= last => Some((d, "refused")),
            _ => None,
        }
    }
}

impl Requests {
    /// Requests still waiting for their need to be met.
    pub fn open(&self) -> impl Iterator<Item = &Request> {
        self.list.iter().filter(|r| r.fulfilled.is_none())
    }

    /// The request `from` made for `ask` about `target` that still stands
    /// (its need not met, and not refused), if any: an agency, planned or
    /// played, does not ask twice for one thing.
    pub fn standing(&self, from: AgencyIx, ask: Ask, target: Target) -> Option<&Request> {
        self.list
            .iter()
            .find(|r| r.from == from && r.ask == ask && r.target == target && r.stands())
    }

    /// Makes a request on `day`, with the next id; its answer is due once
    /// the channel's `delay` (`Rules::answer_delay`) is over. Returns its id.
    pub fn make(&mut self, asking: Asking, day: u32, delay: u32) -> u64 {
        let id = self.list.len() as u64;
        self.list.push(Request {
            id,
            from: asking.from,
            to: asking.to,
            ask: asking.ask,
            target: asking.target,
            channel: asking.channel,
            made: day,
            answer_due: day.saturating_add(delay),
            accepted: None,
            answered: None,
            fulfilled: None,
        });
        id
    }
}

/// A request as its asker frames it, before it is made: who asks whom, for
/// what, about what, and through which channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Asking {
    pub from: AgencyIx,
    pub to: AgencyIx,
    pub ask: Ask,
    pub target: Target,
    pub channel: Channel,
}

/// Why a channel is closed between two agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelClosed {
    /// No working liaison link between them.
    NoLink,
    /// The agency asked follows a strategy that does not work over links.
    NotOverLinks,
    /// They are not both in the coordination cell.
    NotInCell,
}

/// Pairs of agencies with a direct contact (lower index first).
#[derive(Resource, Debug, Default, Clone)]
pub struct Liaisons {
    pub links: std::collections::BTreeSet<(AgencyIx, AgencyIx)>,
    /// Officers posted by agencies' strategies, by pair: who pays for the
    /// officer and the day the link starts to work. Ends with the link.
    pub posted: std::collections::BTreeMap<(AgencyIx, AgencyIx), Posting>,
}

/// Whether two agencies are both members of the coordination cell: they
/// pool their pictures and their requests go through the cell.
pub fn in_cell_together(a: &Agency, b: &Agency) -> bool {
    a.strategy.in_cell && b.strategy.in_cell
}

/// A liaison officer an agency posted with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub by: AgencyIx,
    pub from_day: u32,
}

impl Liaisons {
    /// Whether `a` and `b` have a working link.
    pub fn linked(&self, a: AgencyIx, b: AgencyIx) -> bool {
        self.links.contains(&(a.min(b), a.max(b)))
    }

    /// Officers agency `a` has posted (working or on their way).
    pub fn officers(&self, a: AgencyIx) -> usize {
        self.posted.values().filter(|p| p.by == a).count()
    }

    /// The fastest channel between agency `from` and agency `to` when the
    /// planner asks: the cell when both are members, their liaison link
    /// when both strategies work over links and the link works, otherwise
    /// the formal channel.
    pub fn fastest(&self, from: &Agency, to: &Agency) -> Channel {
        if in_cell_together(from, to) {
            Channel::Cell
        } else if from.strategy.shares_over_links && to.strategy.shares_over_links && self.linked(from.ix, to.ix) {
            Channel::Liaison
        } else {
            Channel::Formal
        }
    }

    /// Whether a player's agency `from` may ask `to` through `channel`: the
    /// formal channel is always open; a liaison link must work and `to`
    /// must work over links (or be played by a person); the cell needs
    /// both as members.
    pub fn closed(&self, channel: Channel, from: &Agency, to: &Agency) -> Option<ChannelClosed> {
        match channel {
            Channel::Formal => None,
            Channel::Liaison if !self.linked(from.ix, to.ix) => Some(ChannelClosed::NoLink),
            Channel::Liaison if !to.human && !to.strategy.shares_over_links => Some(ChannelClosed::NotOverLinks),
            Channel::Cell if !in_cell_together(from, to) => Some(ChannelClosed::NotInCell),
            _ => None,
        }
    }

    /// Posts an officer of agency `by` with agency `with` on `day`: their
    /// link works `setup_days` later (`Cooperation::liaison_setup_days`),
    /// and `by` pays for the officer while it lasts. The one rule for
    /// strategies that post liaisons and for players' orders.
    pub fn post(&mut self, by: AgencyIx, with: AgencyIx, day: u32, setup_days: u32) {
        self.posted.insert(
            (by.min(with), by.max(with)),
            Posting {
                by,
                from_day: day.saturating_add(setup_days),
            },
        );
    }

    /// Ends the link between `a` and `b`, and any officer posted there.
    pub fn end(&mut self, a: AgencyIx, b: AgencyIx) {
        self.links.remove(&(a.min(b), a.max(b)));
        self.posted.remove(&(a.min(b), a.max(b)));
    }
}

// ---------------------------------------------------------------------------
// Camps and households

/// An IDP camp.
#[derive(Component, Debug, Clone)]
pub struct Camp {
    pub ix: CampIx,
    pub capacity: f64,
    pub services: [f64; SERVICES],
}

/// Where a household is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Home,
    Camp(CampIx),
    Host(DistrictIx),
}

/// A family. `home` is its dwelling in its district, worst first: the home is
/// habitable when [`Housing::habitable`], so rebuilding a district makes
/// homes habitable without visiting households. The dwellings of one
/// district's families are distinct, so a district never houses more
/// families than it has dwellings.
#[derive(Component, Debug, Clone, Copy)]
pub struct Household {
    pub serial: u32,
    pub origin: DistrictIx,
    /// Families in the entity: 1, or several with `--family-per-entity`.
    pub families: u16,
    /// People in the entity.
    pub size: u32,
    pub vulnerable: bool,
    pub displaced_at_start: bool,
    pub home: u32,
}

/// Where the household is, where it last found refuge, and since when.
#[derive(Component, Debug, Clone, Copy)]
pub struct Whereabouts {
    pub place: Place,
    pub refuge: Place,
    pub since: u32,
}

/// Marker: away from home. Only these households are visited every day, so
/// the marker lives in the table (dense iteration); the move on return is
/// the price, paid once per return.
#[derive(Component, Debug, Clone, Copy)]
pub struct Displaced;

/// Marker: recently returned and still judging whether to stay. Stored in a
/// sparse set: it comes and goes once per return, and a sparse-set change
/// does not move the household's row between tables.
#[derive(Component, Debug, Clone, Copy)]
#[component(storage = "SparseSet")]
pub struct Settling;

/// Marker: at home in a rented or shared dwelling of its district, its own
/// being uninhabitable. Dropped when its own is rebuilt or it leaves.
#[derive(Component, Debug, Clone, Copy)]
pub struct Renting;

/// Marker: at home in its own uninhabitable dwelling (it stayed through the
/// fighting). Dropped when the dwelling is rebuilt or it leaves.
#[derive(Component, Debug, Clone, Copy)]
pub struct InRubble;
