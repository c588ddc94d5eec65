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
use super::setup::Names;
use super::state::{InjectLog, Rules, Scheduled};
use crate::hash::{fnv1a64, mix64};
use crate::scenario::{Effect, Mandate, Service};

/// A choice applied to the world at the start of a day.
#[derive(Debug, Clone)]
pub enum Input {
    /// A manual inject: the same effects a scenario's injects have.
    Inject(Effect),
    /// A manual inject scheduled today for the start of a later `day`.
    Later { day: u32, effect: Effect },
    /// From today, `agency` (every agency when `None`) follows `strategy`.
    Strategy { agency: Option<String>, strategy: String },
    /// From today, `agency` is played by a person: its crews follow orders
    /// and it asks and answers only when ordered to.
    Human { agency: String },
    /// A player's crew works on `target` (an asset, district or agency id,
    /// as the crew's kind of work needs) from today until it is done or
    /// the crew gets another order.
    Assign { crew: String, target: String },
    /// A player's crew stops work and stands idle.
    Stop { crew: String },
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
        Input::Later { day: at, effect } => {
            let horizon = world.resource::<Rules>().horizon;
            if *at <= day || *at >= horizon {
                return refuse(format!(
                    "a later inject needs a day after today (day {day}) and before the horizon ({horizon} days)"
                ));
            }
            world.resource_mut::<Scheduled>().injects.push((*at, effect.clone()));
        }
        Input::Strategy { agency, strategy } => {
            let s = world
                .resource::<StrategyBook>()
                .params(strategy)
                .ok_or_else(|| InputError::UnknownStrategy(strategy.clone()))?;
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
                book.followed[usize::from(ix)] = strategy.clone();
            }
        }
        Input::Human { agency } => {
            let ix = agency_ix(world, agency)?;
            for mut a in world.query::<&mut Agency>().iter_mut(world) {
                if a.ix == ix {
                    a.human = true;
                }
            }
        }
        Input::Assign { crew, target } => {
            let (entity, c) = human_crew(world, crew)?;
            let target = crew_target(world, &c, target)?;
            // The open task of this agency, kind and target, or a new one
            // (as `plan::plan_work` does, with the same task ids).
            let mut q = world.query::<&Task>();
            let open = q
                .iter(world)
                .filter(|t| !t.closed && t.agency == c.agency && t.kind == c.kind && t.target == target)
                .map(|t| t.id)
                .min();
            let id = match open {
                Some(id) => id,
                None => {
                    let mut ids = world.resource_mut::<TaskIds>();
                    let id = ids.next;
                    ids.next += 1;
                    world.spawn(Task {
                        id,
                        kind: c.kind,
                        target,
                        agency: c.agency,
                        crew_days: 0.0,
                        blocked_days: 0.0,
                        closed: false,
                    });
                    id
                }
            };
            if let Some(mut a) = world.get_mut::<Assignment>(entity) {
                a.target = Some(target);
                a.task = Some(id);
            }
        }
        Input::Stop { crew } => {
            let (entity, _) = human_crew(world, crew)?;
            if let Some(mut a) = world.get_mut::<Assignment>(entity) {
                a.target = None;
                a.task = None;
            }
        }
        Input::Request {
            from,
            to,
            ask,
            target,
            channel,
        } => {
            let request = check_request(world, from, to, *ask, target, *channel)?;
            world.resource_mut::<Requests>().list.push(request);
        }
        Input::Answer { request, accept } => {
            let names = world.resource::<Names>().clone();
            let humans = humans(world);
            let mut requests = world.resource_mut::<Requests>();
            let Some(r) = requests.list.iter_mut().find(|r| r.id == *request) else {
                return refuse(format!("no request #{request}"));
            };
            let to = &names.agencies[usize::from(r.to)];
            if !humans[usize::from(r.to)] {
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
            r.accepted = Some(*accept);
            r.answered = Some(day);
        }
        Input::Share { from, to } => {
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
                return Err(InputError::UnknownAgency(from.clone()));
            };
            for (a, mut p) in world.query::<(&Agency, &mut Picture)>().iter_mut(world) {
                if a.ix == receiver {
                    pour(
                        &mut p,
                        &picture,
                        giver,
                        &watches,
                        &owned,
                        &repairing[usize::from(giver)],
                    );
                }
            }
            world.resource_mut::<Ledger>().shares[usize::from(giver)][usize::from(receiver)] += 1;
        }
        Input::Liaison { by, with } => {
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
            liaisons.posted.insert(
                key,
                Posting {
                    by: a,
                    from_day: day.saturating_add(setup),
                },
            );
        }
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

fn agency_ix(world: &World, id: &str) -> Result<AgencyIx, InputError> {
    world
        .resource::<Names>()
        .agency(id)
        .ok_or_else(|| InputError::UnknownAgency(id.to_string()))
}

/// Which agencies are played by people, by agency index.
fn humans(world: &mut World) -> Vec<bool> {
    let n = world.resource::<Names>().agencies.len();
    let mut out = vec![false; n];
    for a in world.query::<&Agency>().iter(world) {
        if let Some(h) = out.get_mut(usize::from(a.ix)) {
            *h = a.human;
        }
    }
    out
}

/// An agency played by a person.
fn human_agency(world: &mut World, id: &str) -> Result<AgencyIx, InputError> {
    let ix = agency_ix(world, id)?;
    if humans(world)[usize::from(ix)] {
        Ok(ix)
    } else {
        refuse(format!("{id} is not played by a person: it follows its strategy"))
    }
}

/// A crew of an agency played by a person, still in service.
fn human_crew(world: &mut World, id: &str) -> Result<(Entity, Crew), InputError> {
    let ix = world
        .resource::<Names>()
        .crew(id)
        .ok_or_else(|| InputError::UnknownCrew(id.to_string()))?;
    let mut q = world.query::<(Entity, &Crew, Has<Lost>)>();
    let Some((entity, crew, lost)) = q
        .iter(world)
        .find(|(_, c, _)| c.ix == ix)
        .map(|(e, c, l)| (e, c.clone(), l))
    else {
        return Err(InputError::UnknownCrew(id.to_string()));
    };
    if lost {
        return refuse(format!("{id} was lost and takes no orders"));
    }
    let agency = world.resource::<Names>().agencies[usize::from(crew.agency)].clone();
    if !humans(world)[usize::from(crew.agency)] {
        return refuse(format!("{id} belongs to {agency}, which is not played by a person"));
    }
    Ok((entity, crew))
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

/// The target `id` names for a crew, if it fits the crew's mandate.
fn crew_target(world: &mut World, crew: &Crew, id: &str) -> Result<Target, InputError> {
    let names = world.resource::<Names>().clone();
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
            let mut q = world.query::<&Asset>();
            let owner = q.iter(world).find(|a| a.ix == x).map(|a| a.agency);
            if owner != Some(crew.agency) {
                let owner = owner.map_or("another agency", |o| names.agencies[usize::from(o)].as_str());
                return refuse(format!(
                    "{id} is {owner}'s to repair, not {}'s: ask {owner} instead",
                    names.agencies[usize::from(crew.agency)]
                ));
            }
            Ok(Target::Asset(x))
        }
        Mandate::Clear => {
            if let Some(d) = names.district(id) {
                return Ok(Target::District(d));
            }
            let Some(x) = names.asset(id) else { return wrong() };
            let mut q = world.query::<(&Asset, &Site)>();
            let own_site = q
                .iter(world)
                .find(|(a, _)| a.ix == x)
                .is_some_and(|(_, s)| s.contamination.is_some());
            if !own_site {
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
    world: &mut World,
    from: &str,
    to: &str,
    ask: Ask,
    target: &str,
    channel: Channel,
) -> Result<Request, InputError> {
    let day = world.resource::<Clock>().day;
    let a = human_agency(world, from)?;
    let b = agency_ix(world, to)?;
    if a == b {
        return refuse(format!("{from} cannot ask itself"));
    }
    let names = world.resource::<Names>().clone();
    // Each asset's owner, site, whether the site has hazards of its own,
    // and what it provides where: (asset, owner, site, own site, output).
    type Facts = (AssetIx, AgencyIx, DistrictIx, bool, Option<(Service, Vec<DistrictIx>)>);
    let mut assets: Vec<Facts> = world
        .query::<(&Asset, &Site)>()
        .iter(world)
        .map(|(x, s)| {
            (
                x.ix,
                x.agency,
                x.site,
                s.contamination.is_some(),
                x.output.map(|o| (o.0, x.serves.clone())),
            )
        })
        .collect();
    assets.sort_unstable_by_key(|x| x.0);
    let site_of = |x: AssetIx| (assets[usize::from(x)].2, assets[usize::from(x)].3);
    let mut ag: Vec<(AgencyIx, Vec<Mandate>, crate::scenario::StrategyParams, bool)> = world
        .query::<&Agency>()
        .iter(world)
        .map(|x| (x.ix, x.mandates.clone(), x.strategy, x.human))
        .collect();
    ag.sort_unstable_by_key(|x| x.0);
    let about = match ask {
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
            ask.ground(t, site_of).unwrap_or(t)
        }
        Ask::Fuel => {
            if !target.is_empty() && target != from {
                return refuse(format!(
                    "a fuel request is for the asking agency ({from}), not `{target}`"
                ));
            }
            Target::Agency(a)
        }
        Ask::Service(s) => {
            let Some(x) = names.asset(target) else {
                return refuse(format!(
                    "a {} request names the asset that waits for it, and `{target}` is not an asset",
                    s.name()
                ));
            };
            let site = assets[usize::from(x)].2;
            let gives = assets.iter().any(|y| {
                y.1 == b
                    && y.4
                        .as_ref()
                        .is_some_and(|(o, serves)| *o == s && serves.contains(&site))
            });
            if !gives {
                return refuse(format!(
                    "{to} has no asset that provides {} at {target}'s site",
                    s.name()
                ));
            }
            Target::Asset(x)
        }
    };
    if !matches!(ask, Ask::Service(_)) && !ag[usize::from(b)].1.contains(&ask.mandate()) {
        return refuse(format!(
            "{to} has no mandate to give {} (it needs {} crews)",
            ask.name(),
            crate::sim::setup::mandate_slug(ask.mandate())
        ));
    }
    let linked = world.resource::<Liaisons>().linked(a, b);
    match channel {
        Channel::Formal => {}
        Channel::Liaison if !linked => {
            return refuse(format!(
                "{from} and {to} have no liaison link (establish one with `liaison {from} {to}`)"
            ));
        }
        Channel::Liaison if !ag[usize::from(b)].3 && !ag[usize::from(b)].2.shares_over_links => {
            return refuse(format!(
                "{to} follows a strategy that does not work over liaison links: ask through the formal channel"
            ));
        }
        Channel::Cell if !(ag[usize::from(a)].2.in_cell && ag[usize::from(b)].2.in_cell) => {
            return refuse(format!(
                "{from} and {to} are not both in the coordination cell (`cell join AGENCY`)"
            ));
        }
        _ => {}
    }
    let requests = world.resource::<Requests>();
    if let Some(r) = requests.list.iter().find(|r| {
        r.from == a && r.ask == ask && r.target == about && r.fulfilled.is_none() && r.accepted != Some(false)
    }) {
        return refuse(format!(
            "{from} already asked {} for this (request #{})",
            names.agencies[usize::from(r.to)],
            r.id
        ));
    }
    let coop = &world.resource::<Rules>().cooperation;
    let delay = match channel {
        Channel::Cell => 0,
        Channel::Liaison => coop.liaison_days,
        Channel::Formal => coop.formal_days,
    };
    Ok(Request {
        id: requests.list.len() as u64,
        from: a,
        to: b,
        ask,
        target: about,
        channel,
        made: day,
        answer_due: day.saturating_add(delay),
        accepted: None,
        answered: None,
        fulfilled: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn human(sim: &mut Simulation, agency: &str) {
        sim.apply(&Input::Human {
            agency: agency.to_string(),
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
        assert_eq!(ordered.target, Some(Target::Asset(1)));
        // Crews without orders stand idle instead of being planned.
        assert_eq!(assignment(&mut sim, "water-repair-2").target, None);
        assert_eq!(assignment(&mut sim, "water-truck-water-1").target, None);
        // The planner still moves the crews of agencies nobody plays.
        assert!(assignment(&mut sim, "electricity-repair-1").target.is_some());
        sim.apply(&Input::Stop {
            crew: "water-repair-1".into(),
        })
        .unwrap();
        sim.step();
        assert_eq!(assignment(&mut sim, "water-repair-1").target, None);
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
        let east = q.iter(&sim.world).find(|(d, _)| d.ix == 0).unwrap().1.contamination;
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
        assert!(requests.list.iter().filter(|r| r.from == 1).count() == 1);
        let to_defence: Vec<&Request> = requests.list.iter().filter(|r| r.to == 3).collect();
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
        let effect: Effect = ron::from_str("Sabotage(asset: \"power-station\", damage: 0.5)").unwrap();
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
            q.iter(&sim.world).find(|(a, _)| a.ix == 0).unwrap().1.0
        };
        assert!(condition(&mut later) < condition(&mut plain) - 0.3);
    }
}
