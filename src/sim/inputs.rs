//! Inputs: choices made while a run goes on, as opposed to the scenario's
//! scripted injects: a facilitator's manual inject (now or on a later day),
//! a change of strategy, and the orders of the players of `cimsim play`,
//! who speak for the agencies marked human.
//!
//! The driver applies the inputs of day d through [`crate::sim::Simulation::apply`]
//! before it steps day d (DESIGN 7), so they act at the start of the day,
//! before the schedule's `Injects` set. Every input is checked in full
//! before it changes anything: a refused input ([`InputError`], with the
//! reason in words) leaves the world as it was. Every applied input is
//! folded into `InjectLog::inputs`, which the digest covers: a run with
//! inputs has different digests from the same run without them. No IO here.

use bevy_ecs::prelude::*;

use super::components::*;
use super::coordinate::{pour, repair_plans};
use super::injects::apply_manual;
use super::ledger::Ledger;
use super::plan::open_tasks;
use super::setup::Names;
use super::state::{Access, InjectLog, Network, Rules, Scheduled};
use crate::hash::{fnv1a64, mix64};
use crate::scenario::{Effect, Mandate};

/// A choice applied to the world at the start of a day.
#[derive(Debug, Clone)]
pub enum Input {
    /// A manual inject: the same effects a scenario's injects have.
    Inject(Effect),
    /// A manual inject scheduled today for the start of a later `day`.
    Later { day: u32, effect: Effect },
    /// From today, `agency` (every agency when `None`) follows `strategy`.
    Strategy { agency: Option<String>, strategy: String },
    /// From today, `agency` is played by a person: it asks and answers
    /// only when ordered to, and its crews follow orders. With `standing`,
    /// the crews no order holds follow the agency's strategy; without, they
    /// stand idle until ordered.
    Human { agency: String, standing: bool },
    /// From today, a player's agency's crews no order holds follow its
    /// strategy (`on`) or stand idle until ordered.
    Standing { agency: String, on: bool },
    /// A player's crews (`crew` is a [`CrewSet`]: one id, `stem-2..4`,
    /// `stem-*`, or a comma-separated list) work on `target` (an asset,
    /// district or agency id, as their kind of work needs) from today
    /// until it is done or they get another order.
    Assign { crew: String, target: String },
    /// A player's crews stop work and stand idle until ordered or released.
    Stop { crew: String },
    /// A player's crews go back to the agency's standing orders.
    Release { crew: String },
    /// A player's agency asks another for `ask` about `target` (a district
    /// or asset for clearance and escorts, the asking agency for fuel, the
    /// waiting asset for a service) through `channel`.
    Request {
        from: String,
        to: String,
        ask: Ask,
        target: String,
        channel: Channel,
    },
    /// A player's agency answers the request with this id.
    Answer { request: u64, accept: bool },
    /// A player's agency tells another what it knows, once.
    Share { from: String, to: String },
    /// A player's agency posts a liaison officer with another: a link from
    /// `liaison_setup_days` on, the officer's time paid by `by`.
    Liaison { by: String, with: String },
    /// A player's agency, one of the authorities, authorises returns to a
    /// closed district it knows to be cleared and secure.
    Authorise { agency: String, district: String },
}

/// Why an input could not be applied, in words a player can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("unknown strategy `{0}`")]
    UnknownStrategy(String),
    #[error("unknown agency `{0}`")]
    UnknownAgency(String),
    #[error("no crew `{0}` (crew ids are AGENCY-KIND-N, e.g. `electricity-repair-1`)")]
    UnknownCrew(String),
    #[error("{0}")]
    Refused(String),
}

fn refuse<T>(why: impl Into<String>) -> Result<T, InputError> {
    Err(InputError::Refused(why.into()))
}

/// Applies one input to the world on the current day and folds it into the
/// digest state. An input that is refused changes nothing.
pub fn apply_input(world: &mut World, input: &Input) -> Result<(), InputError> {
    let day = world.resource::<Clock>().day;
    match input {
        Input::Inject(effect) => apply_manual(world, effect, day),
        Input::Later { day: at, effect } => schedule_later(world, day, *at, effect)?,
        Input::Strategy { agency, strategy } => follow_strategy(world, agency.as_deref(), strategy)?,
        Input::Human { agency, standing } => {
            let ix = agency_ix(world, agency)?;
            for mut a in world.query::<&mut Agency>().iter_mut(world) {
                if a.ix == ix {
                    a.human = true;
                    a.standing = *standing;
                }
            }
        }
        Input::Standing { agency, on } => {
            let ix = human_agency(world, agency)?;
            for mut a in world.query::<&mut Agency>().iter_mut(world) {
                if a.ix == ix {
                    a.standing = *on;
                }
            }
        }
        Input::Assign { crew, target } => assign(world, crew, target)?,
        Input::Stop { crew } => {
            for (entity, _) in human_crews(world, crew)? {
                if let Some(mut a) = world.get_mut::<Assignment>(entity) {
                    a.target = None;
                    a.task = None;
                    a.held = true;
                }
            }
        }
        Input::Release { crew } => {
            for (entity, _) in human_crews(world, crew)? {
                if let Some(mut a) = world.get_mut::<Assignment>(entity) {
                    a.held = false;
                }
            }
        }
        Input::Request {
            from,
            to,
            ask,
            target,
            channel,
        } => {
            let asking = check_request(world, from, to, *ask, target, *channel)?;
            let delay = world.resource::<Rules>().answer_delay(asking.channel);
            world.resource_mut::<Requests>().make(asking, day, delay);
        }
        Input::Answer { request, accept } => answer(world, day, *request, *accept)?,
        Input::Share { from, to } => share(world, from, to)?,
        Input::Liaison { by, with } => post_liaison(world, day, by, with)?,
        Input::Authorise { agency, district } => authorise(world, day, agency, district)?,
    }
    // The input's Debug text (derived; floats printed shortest-exact) and
    // day, chained in order of application. It decides no draw, only the
    // digest, and like every digest is stable within one build; derived
    // Debug text is not a format (docs/determinism.md).
    let key = fnv1a64(format!("{day}:{input:?}").as_bytes());
    let mut log = world.resource_mut::<InjectLog>();
    log.inputs = mix64(log.inputs.rotate_left(23) ^ key) | 1;
    Ok(())
}

/// `Input::Later`: a manual inject for a day after today and before the
/// horizon.
fn schedule_later(world: &mut World, day: u32, at: u32, effect: &Effect) -> Result<(), InputError> {
    let horizon = world.resource::<Rules>().horizon;
    if at <= day || at >= horizon {
        return refuse(format!(
            "a later inject needs a day after today (day {day}) and before the horizon ({horizon} days)"
        ));
    }
    world.resource_mut::<Scheduled>().injects.push((at, effect.clone()));
    Ok(())
}

/// `Input::Strategy`: `agency` (every agency when `None`) follows
/// `strategy` from today.
fn follow_strategy(world: &mut World, agency: Option<&str>, strategy: &str) -> Result<(), InputError> {
    let s = world
        .resource::<StrategyBook>()
        .params(strategy)
        .ok_or_else(|| InputError::UnknownStrategy(strategy.to_string()))?;
    let only = match agency {
        None => None,
        Some(id) => Some(agency_ix(world, id)?),
    };
    let mut changed = Vec::new();
    for mut a in world.query::<&mut Agency>().iter_mut(world) {
        if only.is_none_or(|ix| ix == a.ix) {
            a.strategy = s;
            changed.push(a.ix);
        }
    }
    let mut book = world.resource_mut::<StrategyBook>();
    for ix in changed {
        book.followed[ix.idx()] = strategy.to_string();
    }
    Ok(())
}

/// The strategy a player's agency switches to when it joins (`join`) or
/// leaves the coordination cell (`StrategyBook::cell_move`), checked: the
/// order to give is `Input::Strategy` with it.
pub fn cell_strategy(world: &World, agency: &str, join: bool) -> Result<String, InputError> {
    let ix = human_agency(world, agency)?;
    world
        .resource::<StrategyBook>()
        .cell_move(ix, join)
        .or_else(|why| match why {
            CellMove::AlreadyIn => refuse(format!("{agency} is already in the coordination cell")),
            CellMove::NotIn => refuse(format!("{agency} is not in the coordination cell")),
            CellMove::NoStrategy(strategy) => refuse(format!(
                "this scenario has no strategy `{strategy}` to switch {agency} to"
            )),
        })
}

/// `Input::Assign`: each crew of the set joins the open task of its
/// agency, kind and target, or opens one (as `plan::plan_work` does, with
/// the same task ids). Every crew is checked before any is moved.
fn assign(world: &mut World, crew: &str, target: &str) -> Result<(), InputError> {
    let crews = human_crews(world, crew)?;
    let mut targets = Vec::with_capacity(crews.len());
    for (_, c) in &crews {
        targets.push(crew_target(world, c, target)?);
    }
    for ((entity, c), target) in crews.into_iter().zip(targets) {
        let open = {
            let mut q = world.query::<&Task>();
            open_tasks(q.iter(world)).get(&(c.agency, c.kind, target)).copied()
        };
        let id = match open {
            Some(id) => id,
            None => {
                let id = world.resource_mut::<TaskIds>().allocate();
                world.spawn(Task::new(id, c.kind, target, c.agency));
                id
            }
        };
        if let Some(mut a) = world.get_mut::<Assignment>(entity) {
            a.target = Some(target);
            a.task = Some(id);
            a.held = true;
        }
    }
    Ok(())
}

/// `Input::Answer`: a player's agency answers a request addressed to it
/// once it has arrived.
fn answer(world: &mut World, day: u32, request: u64, accept: bool) -> Result<(), InputError> {
    let names = world.resource::<Names>().clone();
    let humans = humans(world);
    let mut requests = world.resource_mut::<Requests>();
    let Some(r) = requests.list.iter_mut().find(|r| r.id == request) else {
        return refuse(format!("no request #{request}"));
    };
    let to = &names.agencies[r.to.idx()];
    if !humans[r.to.idx()] {
        return refuse(format!(
            "request #{request} is addressed to {to}, which is not played by a person"
        ));
    }
    if let Some(d) = r.answered {
        return refuse(format!("request #{request} was already answered on day {d}"));
    }
    if r.fulfilled.is_some() {
        return refuse(format!("request #{request} needs no answer: its need is met"));
    }
    if r.answer_due > day {
        return refuse(format!(
            "request #{request} reaches {to} on day {} ({} channel)",
            r.answer_due,
            r.channel.name()
        ));
    }
    r.accepted = Some(accept);
    r.answered = Some(day);
    Ok(())
}

/// `Input::Share`: a player's agency pours its picture into another's, as
/// sharing does (`coordinate::pour`).
fn share(world: &mut World, from: &str, to: &str) -> Result<(), InputError> {
    let giver = human_agency(world, from)?;
    let receiver = agency_ix(world, to)?;
    if giver == receiver {
        return refuse(format!("{from} cannot share with itself"));
    }
    let n = world.resource::<Names>().agencies.len();
    let mut assets: Vec<(AssetIx, AgencyIx, f64)> = world
        .query::<(&Asset, &Condition)>()
        .iter(world)
        .map(|(a, c)| (a.ix, a.agency, c.0))
        .collect();
    assets.sort_unstable_by_key(|x| x.0);
    let owned: Vec<(AgencyIx, f64)> = assets.iter().map(|x| (x.1, x.2)).collect();
    let repairing = {
        let mut q = world.query_filtered::<(&Crew, &Assignment), Without<Lost>>();
        let crews: Vec<(&Crew, &Assignment)> = q.iter(world).collect();
        repair_plans(n, crews.into_iter(), &owned)
    };
    let mut q = world.query::<(&Agency, &Picture)>();
    let Some((watches, picture)) = q
        .iter(world)
        .find(|(a, _)| a.ix == giver)
        .map(|(a, p)| (a.watches, p.clone()))
    else {
        return Err(InputError::UnknownAgency(from.to_string()));
    };
    for (a, mut p) in world.query::<(&Agency, &mut Picture)>().iter_mut(world) {
        if a.ix == receiver {
            pour(&mut p, &picture, giver, &watches, &owned, &repairing[giver.idx()]);
        }
    }
    world.resource_mut::<Ledger>().shares[giver.idx()][receiver.idx()] += 1;
    Ok(())
}

/// `Input::Liaison`: a player's agency posts an officer with another; the
/// link works `liaison_setup_days` from today.
fn post_liaison(world: &mut World, day: u32, by: &str, with: &str) -> Result<(), InputError> {
    let a = human_agency(world, by)?;
    let b = agency_ix(world, with)?;
    if a == b {
        return refuse(format!("{by} cannot post a liaison officer with itself"));
    }
    let setup = world.resource::<Rules>().cooperation.liaison_setup_days;
    let mut liaisons = world.resource_mut::<Liaisons>();
    let key = (a.min(b), a.max(b));
    if liaisons.links.contains(&key) {
        return refuse(format!("{by} and {with} already have a liaison link"));
    }
    if let Some(p) = liaisons.posted.get(&key) {
        return refuse(format!(
            "a liaison officer between {by} and {with} is already on the way (link from day {})",
            p.from_day
        ));
    }
    liaisons.post(a, b, day, setup);
    Ok(())
}

/// `Input::Authorise`: on the conditions the authorities' strategies use
/// (`Access::refusal`), judged on the agency's own picture.
fn authorise(world: &mut World, day: u32, agency: &str, district: &str) -> Result<(), InputError> {
    let a = human_agency(world, agency)?;
    let Some(d) = world.resource::<Names>().district(district) else {
        return refuse(format!("no district `{district}`"));
    };
    let view = world
        .query::<(&Agency, &Picture)>()
        .iter(world)
        .find(|(x, _)| x.ix == a)
        .map(|(_, p)| p.districts[d.idx()]);
    let Some(view) = view else {
        return refuse(format!("{agency} has no picture"));
    };
    if let Some(why) = world.resource::<Access>().refusal(a, d.idx(), &view) {
        return refuse(format!("{agency} cannot authorise returns to {district}: it {why}"));
    }
    world.resource_mut::<Access>().authorise(d.idx(), a, day);
    Ok(())
}

fn agency_ix(world: &World, id: &str) -> Result<AgencyIx, InputError> {
    world
        .resource::<Names>()
        .agency(id)
        .ok_or_else(|| InputError::UnknownAgency(id.to_string()))
}

/// Agency `ix`'s static facts and strategy, if it exists.
fn agency(world: &World, ix: AgencyIx) -> Option<Agency> {
    let mut q = world.try_query::<&Agency>()?;
    q.iter(world).find(|a| a.ix == ix).cloned()
}

/// Which agencies are played by people, by agency index.
pub fn humans(world: &World) -> Vec<bool> {
    let n = world.resource::<Names>().agencies.len();
    let mut out = vec![false; n];
    if let Some(mut q) = world.try_query::<&Agency>() {
        for a in q.iter(world) {
            if let Some(h) = out.get_mut(a.ix.idx()) {
                *h = a.human;
            }
        }
    }
    out
}

/// An agency played by a person.
fn human_agency(world: &World, id: &str) -> Result<AgencyIx, InputError> {
    let ix = agency_ix(world, id)?;
    if humans(world)[ix.idx()] {
        Ok(ix)
    } else {
        refuse(format!("{id} is not played by a person: it follows its strategy"))
    }
}

/// The crews a [`CrewSet`] names, in index order: each of an agency played
/// by a person. A group skips its lost crews (one named alone is refused)
/// and must keep at least one.
fn human_crews(world: &World, set: &str) -> Result<Vec<(Entity, Crew)>, InputError> {
    let names = world.resource::<Names>();
    let picked = CrewSet::parse(set)
        .map_err(InputError::Refused)?
        .pick(&names.crews)
        .map_err(InputError::UnknownCrew)?;
    // `Lost` is looked up per entity rather than in the query: a query
    // needs its components registered, and `Lost` is not until the
    // schedule first runs or a crew is lost.
    let mut found: Vec<(Entity, Crew)> = world
        .try_query::<(Entity, &Crew)>()
        .map(|mut q| {
            q.iter(world)
                .filter(|(_, c)| picked.binary_search(&c.ix).is_ok())
                .map(|(e, c)| (e, c.clone()))
                .collect()
        })
        .unwrap_or_default();
    found.sort_unstable_by_key(|(_, c)| c.ix);
    let humans = humans(world);
    let mut kept = Vec::with_capacity(found.len());
    for (entity, crew) in found {
        let id = &names.crews[crew.ix as usize];
        if !humans[crew.agency.idx()] {
            let agency = &names.agencies[crew.agency.idx()];
            return refuse(format!("{id} belongs to {agency}, which is not played by a person"));
        }
        if let Some(lost) = world.get::<Lost>(entity) {
            if picked.len() == 1 {
                return refuse(format!(
                    "{id} was lost on day {} in {} and takes no orders",
                    lost.day,
                    names.districts[lost.district.idx()]
                ));
            }
            continue;
        }
        kept.push((entity, crew));
    }
    if kept.is_empty() {
        return refuse(format!("every crew of `{set}` was lost: none takes orders"));
    }
    Ok(kept)
}

/// Crews named in an order: `water-repair-3` (one crew), `water-repair-2..4`
/// (a range of numbers of one stem, both ends included), `water-repair-*`
/// or `water-*` (every crew whose id starts so), or a comma-separated list
/// of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrewSet(Vec<CrewPattern>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum CrewPattern {
    One(String),
    Range { stem: String, from: u32, to: u32 },
    Prefix(String),
}

impl CrewSet {
    /// Reads an order's crew words; an error says what is wrong with them.
    pub fn parse(text: &str) -> Result<CrewSet, String> {
        let mut patterns = Vec::new();
        for part in text.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!("`{text}`: an empty crew name in the list"));
            }
            if let Some(prefix) = part.strip_suffix('*') {
                if prefix.is_empty() || prefix.contains('*') {
                    return Err(format!(
                        "`{part}`: a group is a crew id's beginning then `*`, e.g. `water-repair-*`"
                    ));
                }
                patterns.push(CrewPattern::Prefix(prefix.to_string()));
            } else if let Some((head, to)) = part.split_once("..") {
                let range = head
                    .rsplit_once('-')
                    .and_then(|(stem, from)| Some((stem, from.parse::<u32>().ok()?, to.parse::<u32>().ok()?)));
                match range {
                    Some((stem, from, to)) if from <= to && !stem.is_empty() => patterns.push(CrewPattern::Range {
                        stem: stem.to_string(),
                        from,
                        to,
                    }),
                    _ => {
                        return Err(format!(
                            "`{part}`: a range is a crew id then `..` and a higher number, e.g. `water-repair-2..4`"
                        ));
                    }
                }
            } else {
                patterns.push(CrewPattern::One(part.to_string()));
            }
        }
        Ok(CrewSet(patterns))
    }

    /// The indices (into `crews`, the crew ids) the set names, sorted and
    /// without repeats; the error is the first pattern that names no crew.
    pub fn pick(&self, crews: &[String]) -> Result<Vec<u32>, String> {
        let mut out: Vec<u32> = Vec::new();
        for p in &self.0 {
            let before = out.len();
            for (i, id) in crews.iter().enumerate() {
                let hit = match p {
                    CrewPattern::One(x) => id == x,
                    CrewPattern::Prefix(x) => id.starts_with(x.as_str()),
                    CrewPattern::Range { stem, from, to } => id
                        .rsplit_once('-')
                        .is_some_and(|(s, n)| s == stem && n.parse::<u32>().is_ok_and(|n| (*from..=*to).contains(&n))),
                };
                if hit {
                    out.push(i as u32);
                }
            }
            if out.len() == before {
                return Err(match p {
                    CrewPattern::One(x) => x.clone(),
                    CrewPattern::Prefix(x) => format!("{x}*"),
                    CrewPattern::Range { stem, from, to } => format!("{stem}-{from}..{to}"),
                });
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// What a crew's kind of work can be aimed at, in words.
pub fn target_kind(kind: Mandate) -> &'static str {
    match kind {
        Mandate::Repair => "an asset of its own agency",
        Mandate::Clear => "a district, or an asset whose site has hazards of its own",
        Mandate::DeliverFuel => "another agency",
        _ => "a district",
    }
}

/// Whether each asset's site has hazards of its own today, by asset index.
fn own_sites(world: &World) -> Vec<bool> {
    let mut own = vec![false; world.resource::<Network>().assets.len()];
    if let Some(mut q) = world.try_query::<(&Asset, &Site)>() {
        for (a, s) in q.iter(world) {
            own[a.ix.idx()] = s.contamination.is_some();
        }
    }
    own
}

/// The target `id` names for a crew, if it fits the crew's mandate.
fn crew_target(world: &World, crew: &Crew, id: &str) -> Result<Target, InputError> {
    let names = world.resource::<Names>();
    let network = world.resource::<Network>();
    let kind = crate::sim::setup::mandate_slug(crew.kind);
    let crew_id = &names.crews[crew.ix as usize];
    let wrong = || {
        refuse(format!(
            "{crew_id} is a {kind} crew: it works on {}, and `{id}` is not one",
            target_kind(crew.kind)
        ))
    };
    match crew.kind {
        Mandate::Repair => {
            let Some(x) = names.asset(id) else { return wrong() };
            let owner = network.assets.get(x.idx()).map(|a| a.agency);
            if owner != Some(crew.agency) {
                let owner = owner.map_or("another agency", |o| names.agencies[o.idx()].as_str());
                return refuse(format!(
                    "{id} is {owner}'s to repair, not {}'s: ask {owner} instead",
                    names.agencies[crew.agency.idx()]
                ));
            }
            Ok(Target::Asset(x))
        }
        Mandate::Clear => {
            if let Some(d) = names.district(id) {
                return Ok(Target::District(d));
            }
            let Some(x) = names.asset(id) else { return wrong() };
            if !own_sites(world)[x.idx()] {
                return refuse(format!(
                    "{id}'s site has no hazards of its own: clear its district instead"
                ));
            }
            Ok(Target::Asset(x))
        }
        Mandate::DeliverFuel => match names.agency(id) {
            Some(a) if a == crew.agency => refuse(format!("{crew_id} cannot deliver fuel to its own agency")),
            Some(a) => Ok(Target::Agency(a)),
            None => wrong(),
        },
        _ => names.district(id).map(Target::District).map_or_else(wrong, Ok),
    }
}

/// A request a player's agency may make, checked: who can give what is
/// asked, whether the channel exists, and that it is not already asked.
fn check_request(
    world: &World,
    from: &str,
    to: &str,
    ask: Ask,
    target: &str,
    channel: Channel,
) -> Result<Asking, InputError> {
    let a = human_agency(world, from)?;
    let b = agency_ix(world, to)?;
    if a == b {
        return refuse(format!("{from} cannot ask itself"));
    }
    let names = world.resource::<Names>();
    let about = request_target(world, from, to, a, b, ask, target)?;
    let (Some(asker), Some(asked)) = (agency(world, a), agency(world, b)) else {
        return Err(InputError::UnknownAgency(to.to_string()));
    };
    if !matches!(ask, Ask::Service(_)) && !asked.mandates.contains(&ask.mandate()) {
        return refuse(format!(
            "{to} has no mandate to give {} (it needs {} crews)",
            ask.name(),
            crate::sim::setup::mandate_slug(ask.mandate())
        ));
    }
    match world.resource::<Liaisons>().closed(channel, &asker, &asked) {
        None => {}
        Some(ChannelClosed::NoLink) => {
            return refuse(format!(
                "{from} and {to} have no liaison link (establish one with `liaison {from} {to}`)"
            ));
        }
        Some(ChannelClosed::NotOverLinks) => {
            return refuse(format!(
                "{to} follows a strategy that does not work over liaison links: ask through the formal channel"
            ));
        }
        Some(ChannelClosed::NotInCell) => {
            return refuse(format!(
                "{from} and {to} are not both in the coordination cell (`cell join AGENCY`)"
            ));
        }
    }
    if let Some(r) = world.resource::<Requests>().standing(a, ask, about) {
        return refuse(format!(
            "{from} already asked {} for this (request #{})",
            names.agencies[r.to.idx()],
            r.id
        ));
    }
    Ok(Asking {
        from: a,
        to: b,
        ask,
        target: about,
        channel,
    })
}

/// What a player's request from `a` (`from`) to `b` (`to`) is about:
/// the ground for clearance and escorts (`Ask::ground`), the asking agency
/// for fuel, and for a service the waiting asset, which `b` must have an
/// asset to provide for (`Network::providers`).
fn request_target(
    world: &World,
    from: &str,
    to: &str,
    a: AgencyIx,
    b: AgencyIx,
    ask: Ask,
    target: &str,
) -> Result<Target, InputError> {
    let names = world.resource::<Names>();
    let network = world.resource::<Network>();
    match ask {
        Ask::Clearance | Ask::Escort => {
            let t = if let Some(d) = names.district(target) {
                Target::District(d)
            } else if let Some(x) = names.asset(target) {
                Target::Asset(x)
            } else {
                return refuse(format!(
                    "a {} request is about a district or an asset, and `{target}` is neither",
                    ask.name()
                ));
            };
            let own = own_sites(world);
            let site_of = |x: AssetIx| (network.assets[x.idx()].site, own[x.idx()]);
            Ok(ask.ground(t, site_of).unwrap_or(t))
        }
        Ask::Fuel => {
            if !target.is_empty() && target != from {
                return refuse(format!(
                    "a fuel request is for the asking agency ({from}), not `{target}`"
                ));
            }
            Ok(Target::Agency(a))
        }
        Ask::Service(s) => {
            let Some(x) = names.asset(target) else {
                return refuse(format!(
                    "a {} request names the asset that waits for it, and `{target}` is not an asset",
                    s.name()
                ));
            };
            let site = network.assets[x.idx()].site;
            if !network.providers(s, site).any(|(_, y)| y.agency == b) {
                return refuse(format!(
                    "{to} has no asset that provides {} at {target}'s site",
                    s.name()
                ));
            }
            Ok(Target::Asset(x))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Service;
    use crate::sim::Simulation;

    fn tutorial() -> Simulation {
        let loaded = crate::scenario::load(crate::scenario::builtin("tutorial").unwrap()).unwrap();
        Simulation::with_options(
            &loaded.scenario,
            3,
            crate::sim::Options {
                families_per_entity: 20,
                shuffle: None,
            },
        )
    }

    fn assignment(sim: &mut Simulation, crew: &str) -> Assignment {
        let ix = sim.world.resource::<Names>().crew(crew).unwrap();
        let mut q = sim.world.query::<(&Crew, &Assignment)>();
        *q.iter(&sim.world).find(|(c, _)| c.ix == ix).unwrap().1
    }

    /// `agency` played by a person whose crews work only when ordered.
    fn human(sim: &mut Simulation, agency: &str) {
        sim.apply(&Input::Human {
            agency: agency.to_string(),
            standing: false,
        })
        .unwrap();
    }

    #[test]
    fn a_human_agencys_crews_keep_their_orders_and_others_are_planned() {
        let mut sim = tutorial();
        human(&mut sim, "water");
        sim.apply(&Input::Assign {
            crew: "water-repair-1".into(),
            target: "water-plant".into(),
        })
        .unwrap();
        sim.run_days(3);
        let ordered = assignment(&mut sim, "water-repair-1");
        assert_eq!(ordered.target, Some(Target::Asset(AssetIx::new(1))));
        // Crews without orders stand idle instead of being planned.
        assert_eq!(assignment(&mut sim, "water-repair-2").target, None);
        assert_eq!(assignment(&mut sim, "water-truck-water-1").target, None);
        // The planner still moves the crews of agencies nobody plays.
        assert!(assignment(&mut sim, "health-repair-1").target.is_some());
        sim.apply(&Input::Stop {
            crew: "water-repair-1".into(),
        })
        .unwrap();
        sim.step();
        assert_eq!(assignment(&mut sim, "water-repair-1").target, None);
    }

    #[test]
    fn standing_orders_plan_the_crews_no_order_holds_and_a_release_hands_them_back() {
        let mut planned = tutorial();
        planned.run_days(3);
        let mut played = tutorial();
        played
            .apply(&Input::Human {
                agency: "water".into(),
                standing: true,
            })
            .unwrap();
        played.run_days(3);
        // Without a single order, the player's crews go where the
        // strategy sends them.
        for crew in ["water-repair-1", "water-repair-2", "water-truck-water-1"] {
            assert_eq!(
                assignment(&mut played, crew).target,
                assignment(&mut planned, crew).target,
                "{crew}"
            );
            assert!(assignment(&mut played, crew).target.is_some(), "{crew}");
        }
        // An order holds its crews; the others stay planned.
        played
            .apply(&Input::Assign {
                crew: "water-repair-1..2".into(),
                target: "sewage-station".into(),
            })
            .unwrap();
        played
            .apply(&Input::Stop {
                crew: "water-truck-*".into(),
            })
            .unwrap();
        played.run_days(2);
        for crew in ["water-repair-1", "water-repair-2"] {
            let a = assignment(&mut played, crew);
            assert_eq!(a.target, Some(Target::Asset(AssetIx::new(2))), "{crew}");
            assert!(a.held, "{crew}");
        }
        assert_eq!(assignment(&mut played, "water-truck-water-2").target, None);
        played
            .apply(&Input::Release {
                crew: "water-truck-water-1,water-truck-water-2".into(),
            })
            .unwrap();
        played.step();
        assert!(assignment(&mut played, "water-truck-water-2").target.is_some());
        assert!(!assignment(&mut played, "water-truck-water-2").held);
        // Standing orders off: a released crew without an order stays idle.
        played
            .apply(&Input::Standing {
                agency: "water".into(),
                on: false,
            })
            .unwrap();
        played
            .apply(&Input::Stop {
                crew: "water-truck-water-1".into(),
            })
            .unwrap();
        played
            .apply(&Input::Release {
                crew: "water-truck-water-1".into(),
            })
            .unwrap();
        played.run_days(2);
        assert_eq!(assignment(&mut played, "water-truck-water-1").target, None);
    }

    #[test]
    fn crew_sets_name_ranges_prefixes_and_lists() {
        let crews: Vec<String> = [
            "water-repair-1",
            "water-repair-2",
            "water-repair-3",
            "water-truck-water-1",
        ]
        .map(String::from)
        .to_vec();
        let pick = |text: &str| CrewSet::parse(text).and_then(|s| s.pick(&crews));
        assert_eq!(pick("water-repair-2"), Ok(vec![1]));
        assert_eq!(pick("water-repair-2..3"), Ok(vec![1, 2]));
        assert_eq!(pick("water-repair-*"), Ok(vec![0, 1, 2]));
        assert_eq!(pick("water-*"), Ok(vec![0, 1, 2, 3]));
        assert_eq!(
            pick("water-truck-water-1, water-repair-1..2,water-repair-1"),
            Ok(vec![0, 1, 3])
        );
        assert_eq!(pick("water-repair-7"), Err("water-repair-7".to_string()));
        assert_eq!(pick("water-repair-5..9"), Err("water-repair-5..9".to_string()));
        for bad in [
            "water-repair-3..1",
            "water-repair..3",
            "*",
            "water-*-1*",
            "water-repair-1,,water-repair-2",
        ] {
            assert!(pick(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_human_crew_whose_work_is_done_stands_idle() {
        let mut sim = tutorial();
        human(&mut sim, "defence");
        sim.apply(&Input::Assign {
            crew: "defence-clear-1".into(),
            target: "east".into(),
        })
        .unwrap();
        sim.run_days(60);
        let ledger = sim.world.resource::<Ledger>();
        assert_eq!(ledger.completed[3], 1, "east cleared");
        let mut q = sim.world.query::<(&District, &Ground)>();
        let east = q
            .iter(&sim.world)
            .find(|(d, _)| d.ix == DistrictIx::new(0))
            .unwrap()
            .1
            .contamination;
        assert_eq!(east, 0.0);
        assert_eq!(assignment(&mut sim, "defence-clear-1").target, None);
    }

    #[test]
    fn orders_that_do_not_fit_are_refused_and_change_nothing() {
        let mut sim = tutorial();
        human(&mut sim, "water");
        let before = sim.world.resource::<InjectLog>().inputs;
        let cases = [
            (
                Input::Assign {
                    crew: "water-repair-9".into(),
                    target: "water-plant".into(),
                },
                "no crew",
            ),
            (
                Input::Assign {
                    crew: "water-repair-1".into(),
                    target: "power-station".into(),
                },
                "electricity's to repair",
            ),
            (
                Input::Assign {
                    crew: "water-repair-1".into(),
                    target: "east".into(),
                },
                "works on an asset",
            ),
            (
                Input::Assign {
                    crew: "electricity-repair-1".into(),
                    target: "power-station".into(),
                },
                "not played by a person",
            ),
            (
                Input::Request {
                    from: "water".into(),
                    to: "health".into(),
                    ask: Ask::Clearance,
                    target: "east".into(),
                    channel: Channel::Formal,
                },
                "no mandate",
            ),
            (
                Input::Request {
                    from: "water".into(),
                    to: "defence".into(),
                    ask: Ask::Clearance,
                    target: "east".into(),
                    channel: Channel::Liaison,
                },
                "no liaison link",
            ),
            (
                Input::Request {
                    from: "water".into(),
                    to: "defence".into(),
                    ask: Ask::Clearance,
                    target: "east".into(),
                    channel: Channel::Cell,
                },
                "coordination cell",
            ),
            (
                Input::Answer {
                    request: 0,
                    accept: true,
                },
                "no request #0",
            ),
            (
                Input::Liaison {
                    by: "water".into(),
                    with: "electricity".into(),
                },
                "already have a liaison link",
            ),
        ];
        for (input, why) in cases {
            let err = sim.apply(&input).unwrap_err().to_string();
            assert!(err.contains(why), "{input:?}: {err}");
        }
        assert_eq!(sim.world.resource::<InjectLog>().inputs, before);
        assert!(sim.world.resource::<Requests>().list.is_empty());
    }

    #[test]
    fn requests_to_a_human_agency_wait_for_its_answer_and_its_own_go_out_when_ordered() {
        let mut sim = tutorial();
        human(&mut sim, "defence");
        human(&mut sim, "water");
        sim.apply(&Input::Request {
            from: "water".into(),
            to: "defence".into(),
            ask: Ask::Clearance,
            target: "west".into(),
            channel: Channel::Formal,
        })
        .unwrap();
        sim.run_days(40);
        let requests = sim.world.resource::<Requests>().clone();
        // Only the ordered request from water; requests from the planned
        // agencies to defence stay unanswered.
        assert!(requests.list.iter().filter(|r| r.from == AgencyIx::new(1)).count() == 1);
        let to_defence: Vec<&Request> = requests.list.iter().filter(|r| r.to == AgencyIx::new(3)).collect();
        assert!(!to_defence.is_empty());
        assert!(to_defence.iter().all(|r| r.answered.is_none()), "{to_defence:?}");
        let id = to_defence
            .iter()
            .find(|r| r.fulfilled.is_none())
            .expect("an open request")
            .id;
        sim.apply(&Input::Answer {
            request: id,
            accept: true,
        })
        .unwrap();
        let r = sim.world.resource::<Requests>().list[id as usize];
        assert_eq!((r.accepted, r.answered), (Some(true), Some(40)));
        let again = sim
            .apply(&Input::Answer {
                request: id,
                accept: false,
            })
            .unwrap_err();
        assert!(again.to_string().contains("already answered"), "{again}");
    }

    #[test]
    fn a_request_ordered_on_day_0_is_not_closed_before_anything_ran() {
        // On day 0 no asset has run yet: the request must stay open at least
        // until the day's infrastructure has said whether the need is there.
        let mut sim = tutorial();
        human(&mut sim, "water");
        sim.apply(&Input::Request {
            from: "water".into(),
            to: "electricity".into(),
            ask: Ask::Service(Service::Electricity),
            target: "water-plant".into(),
            channel: Channel::Formal,
        })
        .unwrap();
        sim.run_days(1);
        let r = sim.world.resource::<Requests>().list[0];
        assert_eq!(r.made, 0);
        assert_ne!(r.fulfilled, Some(0), "closed as met on the day it was made: {r:?}");
    }

    #[test]
    fn a_later_inject_fires_on_its_day() {
        let effect: Effect = ron::from_str("Sabotage(asset: \"clinic\", damage: 0.5)").unwrap();
        let mut plain = tutorial();
        plain.run_days(6);
        let mut later = tutorial();
        later.apply(&Input::Later { day: 4, effect }).unwrap();
        later.run_days(6);
        assert_ne!(
            plain.digests()[0],
            later.digests()[0],
            "the order itself is in the digest"
        );
        let condition = |sim: &mut Simulation| {
            let mut q = sim.world.query::<(&Asset, &Condition)>();
            q.iter(&sim.world).find(|(a, _)| a.ix == AssetIx::new(3)).unwrap().1.0
        };
        assert!(condition(&mut later) < condition(&mut plain) - 0.3);
    }
}
