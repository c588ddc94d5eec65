//! Turns a validated scenario into a world: entities from the scenario's
//! lists, households generated from the population counts.
//!
//! Generation is a pure function of (scenario, seed): each population group
//! is one ChaCha8 stream seeded by the keyed hash of (seed, group), which
//! draws each household's size, vulnerability and home in turn, so the same
//! file and seed give the same families on any machine.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::components::*;
use super::households::household_digest;
use super::state::*;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use super::ledger::{Ledger, Outcomes};
use crate::hash::{Purpose, fnv1a64, keyed, unit};
use crate::scenario::{self, Location, Mandate, Need, Scenario, Service};

/// Dense indices of every id, for resolving references once.
pub struct Ids<'a> {
    pub districts: BTreeMap<&'a str, DistrictIx>,
    pub assets: BTreeMap<&'a str, AssetIx>,
    pub agencies: BTreeMap<&'a str, AgencyIx>,
    pub camps: BTreeMap<&'a str, CampIx>,
}

impl<'a> Ids<'a> {
    /// Indexes a validated scenario. Validation guarantees the counts fit in
    /// `u16` and that every reference resolves.
    pub fn new(s: &'a Scenario) -> Self {
        fn index<'a, T, K>(items: &'a [T], id: impl Fn(&'a T) -> &'a str, ix: fn(usize) -> K) -> BTreeMap<&'a str, K> {
            items.iter().enumerate().map(|(i, x)| (id(x), ix(i))).collect()
        }
        Ids {
            districts: index(&s.districts, |d| &d.id, DistrictIx::new),
            assets: index(&s.assets, |a| &a.id, AssetIx::new),
            agencies: index(&s.agencies, |a| &a.id, AgencyIx::new),
            camps: index(&s.camps, |c| &c.id, CampIx::new),
        }
    }

    pub fn place(&self, location: &Location) -> Place {
        match location {
            Location::Home => Place::Home,
            Location::Camp(c) => Place::Camp(self.camps[c.as_str()]),
            Location::Host(d) => Place::Host(self.districts[d.as_str()]),
        }
    }
}

/// Fills an empty world with the scenario's entities and resources. Each
/// household entity stands for `families_per_entity` families (1: full
/// resolution).
///
/// The steps run in this order, which is also the order in which entities
/// and resources are created: keep it, since query order follows it.
pub fn populate(world: &mut World, s: &Scenario, seed: u64, families_per_entity: u32) {
    let k = families_per_entity.max(1);
    let ids = Ids::new(s);
    let order: Vec<AssetIx> = scenario::dependency_order(s).into_iter().map(AssetIx::new).collect();
    insert_rules(world, s, seed, k, &order);
    spawn_districts(world, s);
    let network = spawn_assets(world, s, &ids, &order);
    spawn_agencies(world, s, &ids);
    insert_strategies(world, s, &ids);
    spawn_camps(world, s);
    spawn_households(world, s, &ids, seed, k);
    insert_tables(world, s);
    // Last, so that adding it left the entities and resources above as
    // they were.
    world.insert_resource(network);
}

/// The clock, the seed, the resolution and the rules' parameters.
/// `order` lists the assets in dependency order: every asset comes after
/// what it needs.
fn insert_rules(world: &mut World, s: &Scenario, seed: u64, families_per_entity: u32, order: &[AssetIx]) {
    world.insert_resource(Clock { day: 0 });
    world.insert_resource(Seed(seed));
    world.insert_resource(Resolution { families_per_entity });
    world.insert_resource(Rules {
        horizon: s.horizon_days,
        standards: s.standards.clone(),
        weights: s.weights.clone(),
        thresholds: s.thresholds.clone(),
        returns: s.returns.clone(),
        disease: s.disease.clone(),
        cooperation: s.cooperation.clone(),
        housing: s.housing.clone(),
        asset_order: order.to_vec(),
        prewar: s.districts.iter().map(|d| f64::from(d.prewar_population)).collect(),
    });
}

/// A district's dwellings on day 0: its damaged ones, their rubble (heavily
/// damaged first), and the explosives buried in it: `buried_share` of all
/// the district's hazards, so `contamination × share / (1 − share)` on top
/// of what shows, where there is rubble.
fn housing(d: &crate::scenario::District, m: &crate::scenario::HousingModel) -> Housing {
    let damaged = d.damaged();
    let dwellings = f64::from(d.homes);
    let heavy = f64::from(damaged.heavy);
    let uninhabitable = heavy + f64::from(damaged.destroyed);
    let debris = heavy * m.debris_heavy_tonnes + f64::from(damaged.destroyed) * m.debris_destroyed_tonnes;
    let share = m.buried_share.clamp(0.0, 0.95);
    let buried = if debris > 0.0 {
        d.contamination * share / (1.0 - share)
    } else {
        0.0
    };
    Housing {
        dwellings,
        uninhabitable,
        heavy,
        debris,
        ready: if debris > 0.0 { 0.0 } else { uninhabitable },
        buried,
        uncovered: 0.0,
        rented: 0.0,
        per_dwelling: DwellingWork {
            debris_heavy: m.debris_heavy_tonnes,
            debris_destroyed: m.debris_destroyed_tonnes,
            rebuild_heavy: m.rebuild_heavy,
            rebuild_destroyed: m.rebuild_destroyed,
        },
    }
}

fn spawn_districts(world: &mut World, s: &Scenario) {
    for (i, d) in s.districts.iter().enumerate() {
        world.spawn((
            District {
                ix: DistrictIx::new(i),
                key: fnv1a64(d.id.as_bytes()),
                prewar: f64::from(d.prewar_population),
                homes: f64::from(d.homes),
            },
            Ground {
                contamination: d.contamination,
                security: d.security,
            },
            housing(d, &s.housing),
            Suspension::default(),
        ));
    }
}

/// Spawns the assets, weighed (see [`weigh`]; `order` is the dependency
/// order), and returns their static facts.
fn spawn_assets(world: &mut World, s: &Scenario, ids: &Ids, order: &[AssetIx]) -> Network {
    let mut assets: Vec<Asset> = s
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| Asset {
            ix: AssetIx::new(i),
            key: fnv1a64(a.id.as_bytes()),
            agency: ids.agencies[a.agency.as_str()],
            site: ids.districts[a.site.as_str()],
            output: a.output.as_ref().map(|o| (o.service, o.capacity)),
            serves: a.serves.iter().map(|d| ids.districts[d.as_str()]).collect(),
            needs: a
                .needs
                .iter()
                .map(|n| match n {
                    Need::Service(sv) => NeedIx::Service(*sv),
                    Need::Asset(b) => NeedIx::Asset(ids.assets[b.as_str()]),
                })
                .collect(),
            consumes: a.consumes.iter().map(|c| (c.stock.index(), c.per_day)).collect(),
            repair_effort: a.repair_effort,
            repair_cost: a.repair_cost,
            crew_slots: a.crew_slots,
            weight: 0.0,
            dependants: Vec::new(),
        })
        .collect();
    weigh(&mut assets, s, order);
    let network = Network {
        assets: assets.iter().map(AssetFacts::of).collect(),
    };
    for (asset, a) in assets.into_iter().zip(&s.assets) {
        world.spawn((
            asset,
            Condition(a.condition),
            Site {
                contamination: a.contamination,
                security: a.security,
            },
            Blockade::default(),
            Operation::default(),
        ));
    }
    network
}

/// An asset's importance: the pre-war people it serves directly, plus the
/// importance of every asset that needs it, directly or through a service
/// (shared equally among the producers of that service at the site). Walks
/// the dependency order backwards so dependents are weighed before what
/// they depend on.
fn weigh(assets: &mut [Asset], s: &Scenario, order: &[AssetIx]) {
    // Who provides what, before any weight is known.
    let unweighed = Network {
        assets: assets.iter().map(AssetFacts::of).collect(),
    };
    let mut weight = vec![0.0; assets.len()];
    let mut dependants: Vec<Vec<(AssetIx, f64)>> = vec![Vec::new(); assets.len()];
    for &a in order.iter().rev() {
        let asset = &assets[a.idx()];
        let direct: f64 = asset
            .serves
            .iter()
            .map(|&d| f64::from(s.districts[d.idx()].prewar_population))
            .sum();
        weight[a.idx()] += direct;
        let w = weight[a.idx()];
        for need in &asset.needs {
            match *need {
                NeedIx::Asset(b) => {
                    let b = b.idx();
                    weight[b] += w;
                    dependants[b].push((a, 1.0));
                }
                NeedIx::Service(sv) => {
                    let producers: Vec<usize> = unweighed.providers(sv, asset.site).map(|(i, _)| i.idx()).collect();
                    let share = 1.0 / producers.len() as f64;
                    for &b in &producers {
                        weight[b] += w * share;
                        dependants[b].push((a, share));
                    }
                }
            }
        }
    }
    for (i, asset) in assets.iter_mut().enumerate() {
        asset.weight = weight[i];
        asset.dependants = std::mem::take(&mut dependants[i]);
    }
}

/// Everyone starts from the same briefing: the true state of day 0.
fn briefing(s: &Scenario, ids: &Ids) -> Picture {
    Picture {
        districts: s
            .districts
            .iter()
            .map(|d| GroundView {
                contamination: d.contamination,
                security: d.security,
                observed: 0,
                security_observed: 0,
            })
            .collect(),
        sites: s
            .assets
            .iter()
            .map(|a| {
                let d = &s.districts[ids.districts[a.site.as_str()].idx()];
                GroundView {
                    contamination: a.contamination.unwrap_or(d.contamination),
                    security: a.security.unwrap_or(d.security),
                    observed: 0,
                    security_observed: 0,
                }
            })
            .collect(),
        // NaN: not known yet. Monitored services are read from day 1 on.
        services: vec![[f64::NAN; SERVICES]; s.districts.len()],
        conditions: s.assets.iter().map(|a| a.condition).collect(),
        planned: vec![false; s.assets.len()],
    }
}

/// Each agency, followed by its crews.
fn spawn_agencies(world: &mut World, s: &Scenario, ids: &Ids) {
    let briefing = briefing(s, ids);
    let mut crew_ix = 0u32;
    for (i, a) in s.agencies.iter().enumerate() {
        let ix = AgencyIx::new(i);
        let asset_fuel: f64 = s
            .assets
            .iter()
            .filter(|x| x.agency == a.id)
            .flat_map(|x| &x.consumes)
            .filter(|c| c.stock == scenario::Stock::Fuel)
            .map(|c| c.per_day)
            .sum();
        let crew_fuel: f64 = a.crews.iter().map(|g| g.fuel_per_day * f64::from(g.count)).sum();
        world.spawn((
            Agency {
                ix,
                key: fnv1a64(a.id.as_bytes()),
                mandates: a.mandates.clone(),
                strategy: s.strategy_params(s.strategy_of(i)).unwrap_or_default(),
                human: false,
                standing: false,
                recheck_days: a.recheck_days,
                nominal_fuel: asset_fuel + crew_fuel,
                watches: monitored(
                    &a.mandates,
                    s.assets
                        .iter()
                        .filter(|x| x.agency == a.id)
                        .filter_map(|x| x.output.as_ref().map(|o| o.service)),
                ),
            },
            Stores {
                held: [a.stocks.fuel, a.stocks.food, a.stocks.medical],
                resupply: [a.resupply.fuel, a.resupply.food, a.resupply.medical],
                fuel_cut_until: 0,
                last_fuel_delivery: 0,
            },
            Budget {
                funds: a.budget,
                frozen_until: 0,
            },
            briefing.clone(),
        ));
        for g in &a.crews {
            for n in 1..=g.count {
                let id = crew_id(&a.id, g.kind, n);
                world.spawn((
                    Crew {
                        ix: crew_ix,
                        key: fnv1a64(id.as_bytes()),
                        agency: ix,
                        kind: g.kind,
                        rate: g.rate,
                        daily_cost: g.daily_cost,
                        fuel_per_day: g.fuel_per_day,
                    },
                    Assignment::default(),
                ));
                crew_ix += 1;
            }
        }
    }
}

/// The strategies known and followed, and the liaison links of the file.
fn insert_strategies(world: &mut World, s: &Scenario, ids: &Ids) {
    let followed: Vec<String> = (0..s.agencies.len()).map(|i| s.strategy_of(i).to_string()).collect();
    world.insert_resource(StrategyBook {
        known: s
            .strategy_names()
            .into_iter()
            .filter_map(|n| s.strategy_params(n).map(|p| (n.to_string(), p)))
            .collect(),
        initial: followed.clone(),
        followed,
    });
    let mut liaisons = Liaisons::default();
    for a in &s.agencies {
        for b in &a.liaisons {
            let (x, y) = (ids.agencies[a.id.as_str()], ids.agencies[b.as_str()]);
            liaisons.links.insert((x.min(y), x.max(y)));
        }
    }
    world.insert_resource(liaisons);
}

fn spawn_camps(world: &mut World, s: &Scenario) {
    for (i, c) in s.camps.iter().enumerate() {
        let v = &c.services;
        world.spawn(Camp {
            ix: CampIx::new(i),
            capacity: f64::from(c.capacity),
            services: [v.food, v.water, v.electricity, v.sanitation, v.health],
        });
    }
}

/// Generates the households of every population group (families at home
/// first, then the displaced), with the census and the households' digest.
fn spawn_households(world: &mut World, s: &Scenario, ids: &Ids, seed: u64, families_per_entity: u32) {
    let nd = s.districts.len();
    let mut census = Census {
        home: vec![0; nd],
        hosted: vec![0; nd],
        camp: vec![0; s.camps.len()],
        displaced_from: vec![0; nd],
        in_rubble: vec![0; nd],
        initial_displaced_from: vec![0; nd],
        returned_initial_from: vec![0; nd],
        ..Census::default()
    };
    let mut digest = 0u64;
    let mut serial = 0u32;
    let mut at_home = Vec::new();
    let mut away = Vec::new();
    let mut draws = Vec::new();
    for (gi, g) in s.population.iter().enumerate() {
        let origin = ids.districts[g.origin.as_str()];
        let place = ids.place(&g.location);
        // Each group is one ChaCha8 stream keyed by (seed, group): editing
        // one group of a scenario leaves every other group's families as
        // they were. Only raw `next_u64` output is used, converted by
        // `hash::unit`, so no sampling algorithm of `rand` can change them.
        let mut rng = ChaCha8Rng::seed_from_u64(keyed(seed, 0, gi as u64, Purpose::Population));
        // Sizes are uniform on 1..=2m-1, whose mean is m. An entity of
        // several families sums their sizes and shares one vulnerability
        // and one home draw.
        let span = (2.0 * g.mean_size - 1.0).max(1.0);
        let mut left = g.households;
        while left > 0 {
            let families = left.min(families_per_entity);
            left -= families;
            let mut size = 0u32;
            for _ in 0..families {
                size += (1.0 + (unit(rng.next_u64()) * span).floor()) as u32;
            }

            let vulnerable = unit(rng.next_u64()) < g.vulnerable_share;
            draws.push((origin, unit(rng.next_u64()), serial, families));
            let hh = Household {
                serial,
                origin,
                families: families.min(u32::from(u16::MAX)) as u16,
                size,
                vulnerable,
                displaced_at_start: place != Place::Home,
                home: 0,
            };
            let refuge = place;
            let w = Whereabouts {
                place,
                refuge,
                since: 0,
            };
            digest = digest.wrapping_add(household_digest(serial, &w));
            let n = u64::from(size);
            census.total_people += n;
            census.total_households += 1;
            match place {
                Place::Home => {
                    census.home[origin.idx()] += n;
                    at_home.push((hh, w));
                }
                Place::Camp(c) => {
                    census.camp[c.idx()] += n;
                    census.displaced_from[origin.idx()] += n;
                    census.initial_displaced += n;
                    census.initial_displaced_from[origin.idx()] += n;
                    away.push((hh, w, Displaced));
                }
                Place::Host(h) => {
                    census.hosted[h.idx()] += n;
                    census.displaced_from[origin.idx()] += n;
                    census.initial_displaced += n;
                    census.initial_displaced_from[origin.idx()] += n;
                    away.push((hh, w, Displaced));
                }
            }
            serial += 1;
        }
    }
    let (homes, tenure) = assign_homes(s, nd, draws);
    world.insert_resource(tenure);
    let uninhabitable: Vec<u32> = s
        .districts
        .iter()
        .map(|d| {
            let damaged = d.damaged();
            damaged.heavy.saturating_add(damaged.destroyed)
        })
        .collect();
    let mut in_rubble = Vec::new();
    let mut housed = Vec::new();
    for (mut hh, w) in at_home {
        hh.home = homes[hh.serial as usize];
        if hh.home < uninhabitable[hh.origin.idx()] {
            census.in_rubble[hh.origin.idx()] += u64::from(hh.size);
            in_rubble.push((hh, w, InRubble));
        } else {
            housed.push((hh, w));
        }
    }
    for (hh, _, _) in &mut away {
        hh.home = homes[hh.serial as usize];
    }
    world.spawn_batch(housed);
    world.spawn_batch(in_rubble);
    world.spawn_batch(away);
    world.insert_resource(census);
    world.insert_resource(Digests {
        households: digest,
        daily: Vec::with_capacity(s.horizon_days as usize),
    });
}

/// Each household's dwelling, by serial: within each district, the families
/// sorted by their home draw (ties by serial) get distinct dwellings spread
/// evenly over the district's, worst first, so the share of families with an
/// uninhabitable home is the share of such dwellings. A district's families
/// never outnumber its dwellings (validation); if they did, the last ones
/// would share the last dwelling.
fn assign_homes(s: &Scenario, nd: usize, draws: Vec<(DistrictIx, f64, u32, u32)>) -> (Vec<u32>, Tenure) {
    let mut by_district: Vec<Vec<(f64, u32, u32)>> = vec![Vec::new(); nd];
    for (d, draw, serial, families) in draws {
        by_district[d.idx()].push((draw, serial, families));
    }
    let mut homes = vec![0u32; by_district.iter().map(Vec::len).sum()];
    let mut tenure = Tenure {
        homes: vec![Vec::new(); nd],
        after: vec![Vec::new(); nd],
    };
    for (d, list) in by_district.iter_mut().enumerate() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let total: u64 = list.iter().map(|x| u64::from(x.2)).sum();
        let dwellings = u64::from(s.districts[d].homes);
        let mut before = 0u64;
        for &(_, serial, families) in list.iter() {
            let home = if total > dwellings {
                before.min(dwellings.saturating_sub(1))
            } else {
                before * dwellings / total.max(1)
            };
            let home = home.min(u64::from(u32::MAX)) as u32;
            homes[serial as usize] = home;
            tenure.homes[d].push(home);
            tenure.after[d].push(total - before);
            before += u64::from(families);
        }
    }
    (homes, tenure)
}

/// The per-day tables, the logs and the ledgers, as they are before day 0.
fn insert_tables(world: &mut World, s: &Scenario) {
    let nd = s.districts.len();
    world.insert_resource(Levels {
        supply: vec![[0.0; SERVICES]; nd],
        need: vec![[0.0; SERVICES]; nd],
        q: vec![[0.0; SERVICES]; nd],
        availability: vec![[0.0; SERVICES]; nd],
        piped: vec![[0.0; SERVICES]; nd],
        delivered: vec![[0.0; SERVICES]; nd],
        q_assets: vec![[0.0; SERVICES]; nd],
        camp_q: vec![[0.0; SERVICES]; s.camps.len()],
        deliveries: vec![[0.0; SERVICES]; nd],
        heat_factor: 1.0,
        heat_until: 0,
    });
    let p = &s.districts;
    world.insert_resource(Perceived {
        security: p.iter().map(|d| d.security).collect(),
        services: vec![f64::NAN; nd],
        housing: p.iter().map(|d| 1.0 - d.uninhabitable_share()).collect(),
        contamination: p.iter().map(|d| d.contamination).collect(),
        livelihood: vec![f64::NAN; nd],
        return_p: vec![[[0.0; 2]; 2]; nd],
        flight_p: vec![0.0; nd],
    });
    let places = nd + s.camps.len();
    world.insert_resource(Epidemic {
        active: vec![0.0; places],
        outbreak: vec![(1.0, 0); nd],
        cumulative: 0.0,
    });
    world.insert_resource(InjectLog {
        fired: vec![false; s.injects.len()],
        streak: vec![0; s.injects.len()],
        applied: Vec::new(),
        manual: 0,
        inputs: 0,
    });
    let names = Names::new(s);
    world.insert_resource(Access {
        closed: p.iter().map(|d| d.closed).collect(),
        authorised: vec![None; nd],
        camp_closed: vec![false; s.camps.len()],
        by: s.authorisation.by.iter().filter_map(|a| names.agency(a)).collect(),
        max_contamination: s.authorisation.max_contamination,
        min_security: s.authorisation.min_security,
    });
    world.insert_resource(Injects(s.injects.clone()));
    world.insert_resource(Scheduled::default());
    world.insert_resource(names);
    world.insert_resource(TaskIds::default());
    world.insert_resource(Requests::default());
    world.insert_resource(Ledger::new(s.agencies.len()));
    world.insert_resource(Outcomes::default());
}

/// The scenario's injects, as written.
#[derive(Resource, Debug, Clone)]
pub struct Injects(pub Vec<scenario::Inject>);

/// String ids by dense index, for resolving inject references and for output.
#[derive(Resource, Debug, Clone)]
pub struct Names {
    pub districts: Vec<String>,
    pub assets: Vec<String>,
    pub agencies: Vec<String>,
    pub camps: Vec<String>,
    /// Crew ids (`<agency>-<kind>-<n>`), by crew index.
    pub crews: Vec<String>,
    /// Display names (the scenario's `name` fields), by dense index.
    pub district_names: Vec<String>,
    pub asset_names: Vec<String>,
    pub asset_kinds: Vec<scenario::AssetKind>,
    pub agency_names: Vec<String>,
    pub camp_names: Vec<String>,
}

impl Names {
    fn new(s: &Scenario) -> Self {
        Names {
            districts: s.districts.iter().map(|d| d.id.clone()).collect(),
            assets: s.assets.iter().map(|a| a.id.clone()).collect(),
            agencies: s.agencies.iter().map(|a| a.id.clone()).collect(),
            camps: s.camps.iter().map(|c| c.id.clone()).collect(),
            crews: s
                .agencies
                .iter()
                .flat_map(|a| {
                    a.crews
                        .iter()
                        .flat_map(move |g| (1..=g.count).map(move |n| crew_id(&a.id, g.kind, n)))
                })
                .collect(),
            district_names: s.districts.iter().map(|d| d.name.clone()).collect(),
            asset_names: s.assets.iter().map(|a| a.name.clone()).collect(),
            asset_kinds: s.assets.iter().map(|a| a.kind).collect(),
            agency_names: s.agencies.iter().map(|a| a.name.clone()).collect(),
            camp_names: s.camps.iter().map(|c| c.name.clone()).collect(),
        }
    }

    fn find<K>(list: &[String], id: &str, ix: fn(usize) -> K) -> Option<K> {
        list.iter().position(|x| x == id).map(ix)
    }
    pub fn district(&self, id: &str) -> Option<DistrictIx> {
        Self::find(&self.districts, id, DistrictIx::new)
    }
    pub fn asset(&self, id: &str) -> Option<AssetIx> {
        Self::find(&self.assets, id, AssetIx::new)
    }
    pub fn agency(&self, id: &str) -> Option<AgencyIx> {
        Self::find(&self.agencies, id, AgencyIx::new)
    }
    /// A crew's index from its id.
    pub fn crew(&self, id: &str) -> Option<u32> {
        self.crews.iter().position(|x| x == id).map(|i| i as u32)
    }
    pub fn camp(&self, id: &str) -> Option<CampIx> {
        Self::find(&self.camps, id, CampIx::new)
    }
    pub fn place(&self, location: &Location) -> Option<Place> {
        Some(match location {
            Location::Home => Place::Home,
            Location::Camp(c) => Place::Camp(self.camp(c)?),
            Location::Host(d) => Place::Host(self.district(d)?),
        })
    }
}

/// The id of the `n`th crew (from 1) of a kind of an agency.
pub fn crew_id(agency: &str, kind: Mandate, n: u32) -> String {
    format!("{agency}-{}-{n}", mandate_slug(kind))
}

/// The kebab-case word for a crew kind, used in crew ids and output.
pub fn mandate_slug(m: Mandate) -> &'static str {
    match m {
        Mandate::Repair => "repair",
        Mandate::Clear => "clear",
        Mandate::Secure => "secure",
        Mandate::DistributeFood => "distribute-food",
        Mandate::TruckWater => "truck-water",
        Mandate::Rebuild => "rebuild",
        Mandate::RemoveDebris => "debris",
        Mandate::DeliverFuel => "deliver-fuel",
        Mandate::Medical => "medical",
    }
}

/// The services an agency watches because its mandates or assets provide
/// them: under `silo` these are the only levels it knows.
pub fn monitored(mandates: &[Mandate], own_outputs: impl Iterator<Item = Service>) -> [bool; SERVICES] {
    let mut m = [false; SERVICES];
    for k in mandates {
        match k {
            Mandate::DistributeFood => m[Service::Food.index()] = true,
            Mandate::TruckWater => m[Service::Water.index()] = true,
            Mandate::Medical => m[Service::Health.index()] = true,
            _ => {}
        }
    }
    for s in own_outputs {
        m[s.index()] = true;
    }
    m
}
