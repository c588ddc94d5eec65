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
//!   two have (cell, liaison link, or formal); a request still waiting for
//!   its answer moves to a faster channel when one opens (an officer
//!   arrives, a workshop links the two); requests are answered when their
//!   channel's delay is over, accepted or refused by a keyed draw, and
//!   fulfilled the day the need is met. An accepted request for clearance or
//!   an escort is a promise the provider's planner keeps first (`plan`).

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Access, Levels, Network, Rules};

use super::ledger::Ledger;
use crate::hash::{DayKey, Purpose};
use crate::scenario::Stock;

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
    let params: Vec<_> = ag.iter().map(|(a, _)| a.strategy).collect();
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
    // Linked agencies outside the cell share over their link when both
    // strategies work over links: whenever it is their fastest channel.
    for &(a, b) in &liaisons.links {
        let (a, b) = (a.idx(), b.idx());
        if a < n && b < n && liaisons.fastest(ag[a].0, ag[b].0) == Channel::Liaison {
            pairs.push((a, b));
            pairs.push((b, a));
        }
    }
    pairs.sort_unstable();

    let owned: Vec<(AgencyIx, f64)> = xs.iter().map(|(a, c, _)| (a.agency, c.0)).collect();
    let repairing = repair_plans(n, crews.iter(), &owned);

    // Merge from snapshots, so the result does not depend on the order of
    // the pairs: each view keeps the most recent observation, ties to the
    // lower-indexed giver.
    let before: Vec<Picture> = ag.iter().map(|(_, p)| (*p).clone()).collect();
    let watched: Vec<[bool; SERVICES]> = ag.iter().map(|(a, _)| a.watches).collect();
    for (_, p) in ag.iter_mut() {
        p.planned.iter_mut().for_each(|x| *x = false);
    }
    for &(g, r) in &pairs {
        pour(
            &mut ag[r].1,
            &before[g],
            AgencyIx::new(g),
            &watched[g],
            &owned,
            &repairing[g],
        );
        ledger.shares[g][r] += 1;
        ledger.shared_in.insert((
            day / super::ledger::NETWORK_PERIOD_DAYS,
            AgencyIx::new(g),
            AgencyIx::new(r),
        ));
    }

    // The central planner sees everything as it is.
    let mut ground = vec![(0.0, 0.0); districts.iter().len()];
    for (d, g) in &districts {
        ground[d.ix.idx()] = (g.contamination, g.security);
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
            let (c, s) = ground[asset.site.idx()];
            let (c, s) = site.reading(c, s);
            p.sites[x] = GroundView {
                contamination: c,
                security: s,
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

/// What each agency plans to repair, by agency and asset: its crews'
/// targets today and the rest of its repair backlog (damaged assets it owns
/// and has crews to repair), including sites it cannot reach yet. `assets`
/// gives each asset's owner and condition, by asset index.
pub fn repair_plans<'a>(
    agencies: usize,
    crews: impl Iterator<Item = (&'a Crew, &'a Assignment)>,
    assets: &[(AgencyIx, f64)],
) -> Vec<Vec<bool>> {
    let mut repairing = vec![vec![false; assets.len()]; agencies];
    let mut repairs = vec![false; agencies];
    for (c, a) in crews {
        if c.kind == crate::scenario::Mandate::Repair && c.agency.idx() < agencies {
            repairs[c.agency.idx()] = true;
            if let Some(Target::Asset(x)) = a.target
                && x.idx() < assets.len()
            {
                repairing[c.agency.idx()][x.idx()] = true;
            }
        }
    }
    for (x, &(owner, condition)) in assets.iter().enumerate() {
        let owner = owner.idx();
        if owner < agencies && repairs[owner] && condition < 1.0 {
            repairing[owner][x] = true;
        }
    }
    repairing
}

/// What `giver` tells a receiver when they share: the more recent of each
/// hazard and security reading, the levels of the services the giver
/// watches, the condition of the giver's own assets, and what it plans to
/// repair. `assets` gives each asset's owner (and condition), by index.
pub fn pour(
    to: &mut Picture,
    from: &Picture,
    giver: AgencyIx,
    watches: &[bool; SERVICES],
    assets: &[(AgencyIx, f64)],
    repairing: &[bool],
) {
    for (mine, theirs) in to.districts.iter_mut().zip(&from.districts) {
        mine.update_from(theirs);
    }
    for (mine, theirs) in to.sites.iter_mut().zip(&from.sites) {
        mine.update_from(theirs);
    }
    for (d, row) in to.services.iter_mut().enumerate() {
        for (s, watched) in watches.iter().enumerate() {
            if *watched {
                row[s] = from.services[d][s];
            }
        }
    }
    for (x, &(owner, _)) in assets.iter().enumerate() {
        if owner == giver {
            to.conditions[x] = from.conditions[x];
        }
        if repairing.get(x).copied().unwrap_or(false) {
            to.planned[x] = true;
        }
    }
}

/// Makes, answers and closes requests between agencies.
///
/// A request is made the day after its need shows: a crew blocked by
/// hazards or insecurity asks for clearance or an escort, a crew standing
/// dry or a generator without fuel asks the fuel supplier, and an asset that
/// stood idle for want of a service at its site asks the agency whose assets
/// provide that service there.
#[expect(
    clippy::too_many_arguments,
    reason = "a system's parameters are its data dependencies"
)]
pub fn exchange_requests(
    clock: Res<Clock>,
    seed: Res<Seed>,
    rules: Res<Rules>,
    network: Res<Network>,
    liaisons: Res<Liaisons>,
    mut requests: ResMut<Requests>,
    agencies: Query<(&Agency, &Stores)>,
    districts: Query<(&District, &Ground)>,
    assets: Query<(&Asset, &Site, &Operation)>,
    crews: Query<(&Crew, &Assignment), Without<Lost>>,
) {
    let day = clock.day;
    let today = Today::new(&rules, &network, &agencies, &districts, &assets);
    // Needs met since yesterday close their requests. A request made today
    // (a player's order, applied before the day's rules) is judged from
    // tomorrow, once today's infrastructure has run: an asset's operation is
    // not known before its first day.
    for r in requests
        .list
        .iter_mut()
        .filter(|r| r.fulfilled.is_none() && r.made < day)
    {
        if today.met(r.ask, r.target) {
            r.fulfilled = Some(day);
        }
    }
    for (from, ask, about) in today.needs(&crews) {
        today.ask(&mut requests, &liaisons, day, from, ask, about);
    }
    today.reroute(&mut requests, &liaisons, day);
    // Answers whose time has come (a cell request is answered the day it
    // is made).
    let answer = DayKey::new(seed.0, day, Purpose::Answer);
    // A player's agency answers when its player does (`Input::Answer`).
    let human: Vec<bool> = today.ag.iter().map(|(a, _)| a.human).collect();
    for r in requests
        .list
        .iter_mut()
        .filter(|r| r.answered.is_none() && r.answer_due <= day && !human.get(r.to.idx()).copied().unwrap_or(false))
    {
        r.accepted = Some(answer.unit(r.id) < rules.honour(r.channel));
        r.answered = Some(day);
    }
}

/// What `exchange_requests` looks at today: agencies and assets by index,
/// and each district's (contamination, security).
struct Today<'a> {
    rules: &'a Rules,
    network: &'a Network,
    ag: Vec<(&'a Agency, &'a Stores)>,
    xs: Vec<(&'a Asset, &'a Site, &'a Operation)>,
    ground: Vec<(f64, f64)>,
}

impl<'a> Today<'a> {
    fn new(
        rules: &'a Rules,
        network: &'a Network,
        agencies: &'a Query<(&Agency, &Stores)>,
        districts: &Query<(&District, &Ground)>,
        assets: &'a Query<(&Asset, &Site, &Operation)>,
    ) -> Self {
        let mut ag: Vec<(&Agency, &Stores)> = agencies.iter().collect();
        ag.sort_unstable_by_key(|a| a.0.ix);
        let mut ground = vec![(0.0, 0.0); districts.iter().len()];
        for (d, g) in districts {
            ground[d.ix.idx()] = (g.contamination, g.security);
        }
        let mut xs: Vec<(&Asset, &Site, &Operation)> = assets.iter().collect();
        xs.sort_unstable_by_key(|x| x.0.ix);
        Today {
            rules,
            network,
            ag,
            xs,
            ground,
        }
    }

    /// An asset's district and whether its site has hazards of its own
    /// (what `Ask::ground` needs).
    fn site_of(&self, x: AssetIx) -> (DistrictIx, bool) {
        let (a, s, _) = self.xs[x.idx()];
        (a.site, s.contamination.is_some())
    }

    /// Whether a request's need is met now.
    fn met(&self, ask: Ask, t: Target) -> bool {
        let fuel = Stock::Fuel.index();
        let th = &self.rules.thresholds;
        match (ask, t) {
            (Ask::Fuel, Target::Agency(a)) => {
                let (agency, stores) = self.ag[a.idx()];
                stores.held[fuel] >= agency.nominal_fuel
            }
            (Ask::Service(s), Target::Asset(x)) => {
                let op = self.xs[x.idx()].2;
                op.idle_for_service() != Some(s)
            }
            (Ask::Clearance | Ask::Escort, _) => {
                let (c, s) = match t {
                    Target::Asset(x) => {
                        let (a, site, _) = self.xs[x.idx()];
                        let (c, s) = self.ground[a.site.idx()];
                        site.reading(c, s)
                    }
                    Target::District(d) => self.ground[d.idx()],
                    Target::Agency(_) => (0.0, 1.0),
                };
                if ask == Ask::Clearance {
                    c <= th.clearance
                } else {
                    s >= th.security
                }
            }
            _ => true,
        }
    }

    /// Yesterday's needs, in order: crews (by crew index), then assets (by
    /// asset index). Each is (asking agency, what, about what).
    fn needs(&self, crews: &Query<(&Crew, &Assignment), Without<Lost>>) -> Vec<(AgencyIx, Ask, Target)> {
        let fuel = Stock::Fuel.index();
        let site_of = |x: AssetIx| self.site_of(x);
        let mut needs: Vec<(AgencyIx, Ask, Target)> = Vec::new();
        let mut blocked: Vec<(&Crew, &Assignment)> = crews.iter().filter(|(_, a)| a.blocked.is_some()).collect();
        blocked.sort_unstable_by_key(|b| b.0.ix);
        for (crew, assignment) in blocked {
            let Some((target, why)) = assignment.blocked else {
                continue;
            };
            let from = crew.agency;
            let need = match why {
                Blocker::Hazard => Ask::Clearance.ground(target, site_of).map(|g| (Ask::Clearance, g)),
                Blocker::Security => Ask::Escort.ground(target, site_of).map(|g| (Ask::Escort, g)),
                // A crew that burns fuel, of an agency holding less than a
                // day's burn, stood dry (a delivery may have come since).
                Blocker::Stock
                    if crew.fuel_per_day > 0.0 && {
                        let (agency, stores) = self.ag[from.idx()];
                        stores.held[fuel] < agency.nominal_fuel
                    } =>
                {
                    Some((Ask::Fuel, Target::Agency(from)))
                }
                _ => None,
            };
            if let Some((ask, about)) = need {
                needs.push((from, ask, about));
            }
        }
        for (asset, _, op) in &self.xs {
            let ask = match (op.idle_for_service(), op.limit) {
                (Some(s), _) => Ask::Service(s),
                (None, Limit::Stock(i)) if i == fuel && op.level < SERVICE_MET => Ask::Fuel,
                _ => continue,
            };
            let about = match ask {
                Ask::Fuel => Target::Agency(asset.agency),
                _ => Target::Asset(asset.ix),
            };
            needs.push((asset.agency, ask, about));
        }
        needs
    }

    /// Who can give what is asked about `about`: the agencies with the
    /// mandate, or for a service the owners of the assets providing it
    /// there (`Network::providers`).
    fn providers(&self, ask: Ask, about: Target) -> Vec<AgencyIx> {
        match (ask, about) {
            (Ask::Service(s), Target::Asset(x)) => {
                let site = self.xs[x.idx()].0.site;
                let mut owners: Vec<AgencyIx> = self.network.providers(s, site).map(|(_, b)| b.agency).collect();
                owners.sort_unstable();
                owners.dedup();
                owners
            }
            _ => self
                .ag
                .iter()
                .filter(|(o, _)| o.mandates.contains(&ask.mandate()))
                .map(|(o, _)| o.ix)
                .collect(),
        }
    }

    /// Agency `from` asks for `ask` about `about`, unless the need is met,
    /// its player asks instead, it can do it itself, or it already asked:
    /// the provider reached by the fastest channel (ties to the lower
    /// index) gets the request.
    fn ask(&self, requests: &mut Requests, liaisons: &Liaisons, day: u32, from: AgencyIx, ask: Ask, about: Target) {
        // A player's agency asks only when its player orders it to
        // (`Input::Request`).
        if self.met(ask, about) || self.ag[from.idx()].0.human {
            return;
        }
        let givers = self.providers(ask, about);
        // An agency that can do it itself plans it itself.
        if givers.contains(&from) || requests.standing(from, ask, about).is_some() {
            return;
        }
        let mine = self.ag[from.idx()].0;
        let channel_to = |o: AgencyIx| liaisons.fastest(mine, self.ag[o.idx()].0);
        let Some(provider) = givers
            .into_iter()
            .min_by_key(|&o| (std::cmp::Reverse(channel_to(o)), o))
        else {
            return;
        };
        let channel = channel_to(provider);
        let asking = Asking {
            from,
            to: provider,
            ask,
            target: about,
            channel,
        };
        requests.make(asking, day, self.rules.answer_delay(channel));
    }

    /// A request still waiting for its answer goes over the fastest channel
    /// its two agencies have today when that answers it sooner: a link that
    /// starts to work (an officer arriving, a workshop, a phone number
    /// exchanged) carries the requests standing between them, and is
    /// answered with that channel's delay from today and its honour rate. A
    /// player's request keeps the channel its player chose.
    fn reroute(&self, requests: &mut Requests, liaisons: &Liaisons, day: u32) {
        for r in requests
            .list
            .iter_mut()
            .filter(|r| r.answered.is_none() && r.fulfilled.is_none())
        {
            let (from, to) = (self.ag[r.from.idx()].0, self.ag[r.to.idx()].0);
            if from.human {
                continue;
            }
            let channel = liaisons.fastest(from, to);
            let due = day.saturating_add(self.rules.answer_delay(channel));
            if due < r.answer_due {
                r.channel = channel;
                r.answer_due = due;
            }
        }
    }
}

/// Agencies whose strategy posts liaisons post an officer with an agency
/// whose strategy works over links, once a formal request to it has gone
/// unmet for `liaison_post_after` days; the link works `liaison_setup_days`
/// after posting, and the officer costs the poster staff time (`execute`)
/// for as long as the link lasts.
pub fn post_liaisons(
    clock: Res<Clock>,
    rules: Res<Rules>,
    requests: Res<Requests>,
    agencies: Query<&Agency>,
    mut liaisons: ResMut<Liaisons>,
) {
    let day = clock.day;
    let coop = &rules.cooperation;
    let mut ag: Vec<&Agency> = agencies.iter().collect();
    ag.sort_unstable_by_key(|a| a.ix);
    let arrived: Vec<(AgencyIx, AgencyIx)> = liaisons
        .posted
        .iter()
        .filter(|(_, p)| p.from_day <= day)
        .map(|(k, _)| *k)
        .collect();
    liaisons.links.extend(arrived);
    for r in requests.open() {
        let waited = day.saturating_sub(r.made);
        let (a, b) = (r.from, r.to);
        if r.channel != Channel::Formal
            || waited < coop.liaison_post_after
            || !ag[a.idx()].strategy.posts_liaisons
            || ag[a.idx()].human
            || !ag[b.idx()].strategy.shares_over_links
        {
            continue;
        }
        let key = (a.min(b), a.max(b));
        if liaisons.links.contains(&key) || liaisons.posted.contains_key(&key) {
            continue;
        }
        liaisons.post(a, b, day, coop.liaison_setup_days);
    }
}

/// The authorities open districts closed to returns: an agency of
/// `authorisation.by` played by its strategy authorises a closed district
/// the day what it knows of it (its own picture, after today's sharing)
/// shows it cleared and secure (docs/model.md §7.17). A player's agency
/// authorises only when ordered (`Input::Authorise`), on the same
/// conditions. The first authority in index order that may, does.
pub fn authorise_returns(clock: Res<Clock>, mut access: ResMut<Access>, agencies: Query<(&Agency, &Picture)>) {
    if !access.closed.iter().any(|&c| c) {
        return;
    }
    let mut authorities: Vec<_> = agencies
        .iter()
        .filter(|(a, _)| !a.human && access.by.contains(&a.ix))
        .collect();
    authorities.sort_unstable_by_key(|(a, _)| a.ix);
    for d in 0..access.closed.len() {
        if !access.closed[d] {
            continue;
        }
        if let Some((a, _)) = authorities
            .iter()
            .find(|(a, p)| access.refusal(a.ix, d, &p.districts[d]).is_none())
        {
            access.authorise(d, a.ix, clock.day);
        }
    }
}
