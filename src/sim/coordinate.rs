//! Rules: coordinate. Agencies share what they know and ask each other for
//! what their work needs, as far as their strategies let them.
//!
//! - [`share_pictures`]: the central planner sees the truth; cell members
//!   pool their pictures; agencies with a liaison link whose strategies both
//!   share exchange theirs; `silo` agencies share nothing. Plans travel the
//!   same ways: an agency learns which assets the agencies it shares with are
//!   repairing, so clearance goes first where work is planned.
//! - [`exchange_requests`]: a crew blocked by hazards or insecurity makes its
//!   agency ask one that clears or secures, through the fastest channel the
//!   two have (cell, liaison link, or formal); requests are answered when
//!   their channel's delay is over, accepted or refused by a keyed draw, and
//!   fulfilled the day the need is met.

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Levels, Rules};
use crate::hash::{DayKey, Purpose};
use crate::score::Ledger;

/// Pools and exchanges pictures by strategy, and spreads plans.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn share_pictures(
    clock: Res<Clock>,
    levels: Res<Levels>,
    liaisons: Res<Liaisons>,
    mut ledger: ResMut<Ledger>,
    mut agencies: Query<(&Agency, &mut Picture)>,
    districts: Query<(&District, &Ground)>,
    assets: Query<(&Asset, &Condition, &Site)>,
    crews: Query<(&Crew, &Assignment), Without<Lost>>,
) {
    let day = clock.day;
    let mut ag: Vec<_> = agencies.iter_mut().collect();
    ag.sort_unstable_by_key(|x| x.0.ix);
    let n = ag.len();
    let params: Vec<_> = ag.iter().map(|(a, _)| a.strategy.params()).collect();
    let mut xs: Vec<_> = assets.iter().collect();
    xs.sort_unstable_by_key(|x| x.0.ix);

    // Who shares with whom today (giver, receiver).
    let mut pairs = Vec::new();
    let members: Vec<usize> = (0..n).filter(|&i| params[i].in_cell).collect();
    for &i in &members {
        for &j in &members {
            if i != j {
                pairs.push((i, j));
            }
        }
    }
    for &(a, b) in &liaisons.links {
        let (a, b) = (usize::from(a), usize::from(b));
        let both_cell = params[a].in_cell && params[b].in_cell;
        if a < n && b < n && params[a].shares_over_links && params[b].shares_over_links && !both_cell {
            pairs.push((a, b));
            pairs.push((b, a));
        }
    }
    pairs.sort_unstable();

    // What each agency plans to repair: its crews' targets today and the
    // rest of its repair backlog (damaged assets it owns and has crews to
    // repair), including sites it cannot reach yet.
    let mut repairing = vec![vec![false; xs.len()]; n];
    let mut repairs = vec![false; n];
    for (c, a) in &crews {
        if c.kind == crate::scenario::Mandate::Repair {
            repairs[usize::from(c.agency)] = true;
            if let Some(Target::Asset(x)) = a.target {
                repairing[usize::from(c.agency)][usize::from(x)] = true;
            }
        }
    }
    for (x, (asset, cond, _)) in xs.iter().enumerate() {
        let owner = usize::from(asset.agency);
        if repairs[owner] && cond.0 < 1.0 {
            repairing[owner][x] = true;
        }
    }

    // Merge from snapshots, so the result does not depend on the order of
    // the pairs: each view keeps the most recent observation, ties to the
    // lower-indexed giver.
    let before: Vec<Picture> = ag.iter().map(|(_, p)| (*p).clone()).collect();
    let watched: Vec<[bool; SERVICES]> = ag.iter().map(|(a, _)| a.watches).collect();
    for (_, p) in ag.iter_mut() {
        p.planned.iter_mut().for_each(|x| *x = false);
    }
    for &(g, r) in &pairs {
        let from = &before[g];
        let to = &mut ag[r].1;
        for (mine, theirs) in to.districts.iter_mut().zip(&from.districts) {
            mine.update_from(theirs);
        }
        for (mine, theirs) in to.sites.iter_mut().zip(&from.sites) {
            mine.update_from(theirs);
        }
        for (d, row) in to.services.iter_mut().enumerate() {
            for (s, watched) in watched[g].iter().enumerate() {
                if *watched {
                    row[s] = from.services[d][s];
                }
            }
        }
        for (x, asset) in xs.iter().enumerate() {
            if usize::from(asset.0.agency) == g {
                to.conditions[x] = from.conditions[x];
            }
            if repairing[g][x] {
                to.planned[x] = true;
            }
        }
        ledger.shares[g][r] += 1;
    }

    // The central planner sees everything as it is.
    let mut ground = vec![(0.0, 0.0); districts.iter().len()];
    for (d, g) in &districts {
        ground[usize::from(d.ix)] = (g.contamination, g.security);
    }
    for (i, (_, p)) in ag.iter_mut().enumerate() {
        if !params[i].omniscient {
            continue;
        }
        for (d, v) in p.districts.iter_mut().enumerate() {
            *v = GroundView {
                contamination: ground[d].0,
                security: ground[d].1,
                observed: day + 1,
                security_observed: day + 1,
            };
        }
        for (x, (asset, cond, site)) in xs.iter().enumerate() {
            let (c, s) = ground[usize::from(asset.site)];
            p.sites[x] = GroundView {
                contamination: site.contamination.unwrap_or(c),
                security: site.security.unwrap_or(s),
                observed: day + 1,
                security_observed: day + 1,
            };
            p.conditions[x] = cond.0;
            p.planned[x] = repairing.iter().any(|r| r[x]);
        }
        if day > 0 {
            p.services.clone_from(&levels.q_assets);
        }
    }
}

/// Makes, answers and closes requests between agencies.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn exchange_requests(
    clock: Res<Clock>,
    seed: Res<Seed>,
    rules: Res<Rules>,
    liaisons: Res<Liaisons>,
    mut requests: ResMut<Requests>,
    agencies: Query<&Agency>,
    districts: Query<(&District, &Ground)>,
    assets: Query<(&Asset, &Site)>,
    crews: Query<(&Crew, &Assignment), Without<Lost>>,
) {
    let day = clock.day;
    let coop = &rules.cooperation;
    let th = &rules.thresholds;
    let mut ag: Vec<&Agency> = agencies.iter().collect();
    ag.sort_unstable_by_key(|a| a.ix);
    let mut ground = vec![(0.0, 0.0); districts.iter().len()];
    for (d, g) in &districts {
        ground[usize::from(d.ix)] = (g.contamination, g.security);
    }
    let mut xs: Vec<(&Asset, &Site)> = assets.iter().collect();
    xs.sort_unstable_by_key(|x| x.0.ix);
    let site_of = |x: AssetIx| {
        let (a, s) = xs[usize::from(x)];
        (a.site, s.contamination.is_some())
    };
    // Whether a request's need is met now.
    let met = |ask: Ask, t: Target| -> bool {
        let (c, s) = match t {
            Target::Asset(x) => {
                let (a, site) = xs[usize::from(x)];
                let (c, s) = ground[usize::from(a.site)];
                (site.contamination.unwrap_or(c), site.security.unwrap_or(s))
            }
            Target::District(d) => ground[usize::from(d)],
            Target::Agency(_) => (0.0, 1.0),
        };
        match ask {
            Ask::Clearance => c <= th.clearance,
            Ask::Escort => s >= th.security,
        }
    };

    // Needs met since yesterday close their requests.
    for r in requests.list.iter_mut().filter(|r| r.fulfilled.is_none()) {
        if met(r.ask, r.target) {
            r.fulfilled = Some(day);
        }
    }
    // New requests from crews blocked yesterday, in crew order.
    let mut blocked: Vec<(u32, AgencyIx, Target, Blocker)> = crews
        .iter()
        .filter_map(|(c, a)| a.blocked.map(|(t, b)| (c.ix, c.agency, t, b)))
        .collect();
    blocked.sort_unstable_by_key(|b| b.0);
    for (_, from, target, why) in blocked {
        let ask = match why {
            Blocker::Hazard => Ask::Clearance,
            Blocker::Security => Ask::Escort,
            _ => continue,
        };
        let Some(place) = ask.ground(target, site_of) else {
            continue;
        };
        if met(ask, place) {
            continue;
        }
        let me = ag[usize::from(from)];
        // An agency that can do it itself plans it itself.
        if me.mandates.contains(&ask.mandate()) {
            continue;
        }
        let open = requests.list.iter().any(|r| {
            r.from == from && r.ask == ask && r.target == place && r.fulfilled.is_none() && r.accepted != Some(false)
        });
        if open {
            continue;
        }
        let linked = |o: AgencyIx| liaisons.links.contains(&(from.min(o), from.max(o)));
        let mine = me.strategy.params();
        let channel_to = |o: &Agency| {
            let theirs = o.strategy.params();
            if mine.in_cell && theirs.in_cell {
                Channel::Cell
            } else if mine.shares_over_links && theirs.shares_over_links && linked(o.ix) {
                Channel::Liaison
            } else {
                Channel::Formal
            }
        };
        // The provider reached by the fastest channel; ties to the lower index.
        let Some(provider) = ag
            .iter()
            .filter(|o| o.ix != from && o.mandates.contains(&ask.mandate()))
            .min_by_key(|o| (std::cmp::Reverse(channel_to(o)), o.ix))
        else {
            continue;
        };
        let channel = channel_to(provider);
        let delay = match channel {
            Channel::Cell => 0,
            Channel::Liaison => coop.liaison_days,
            Channel::Formal => coop.formal_days,
        };
        let id = requests.list.len() as u64;
        requests.list.push(Request {
            id,
            from,
            to: provider.ix,
            ask,
            target: place,
            channel,
            made: day,
            answer_due: day.saturating_add(delay),
            accepted: None,
            answered: None,
            fulfilled: None,
        });
    }
    // Answers whose time has come (a cell request is answered the day it
    // is made).
    let answer = DayKey::new(seed.0, day, Purpose::Answer);
    for r in requests
        .list
        .iter_mut()
        .filter(|r| r.answered.is_none() && r.answer_due <= day)
    {
        let honour = match r.channel {
            Channel::Cell => 1.0,
            Channel::Liaison => coop.liaison_honour,
            Channel::Formal => coop.formal_honour,
        };
        r.accepted = Some(answer.unit(r.id) < honour);
        r.answered = Some(day);
    }
}
