//! Households: the one way a household moves, and its part of the digest.
//!
//! Every rule that moves a household (going home in `people::decide_returns`,
//! leaving again in `people::settle_returnees`, fleeing or being displaced in
//! `injects::displace`) calls [`move_household`], which keeps the books that a
//! move changes: the census, the counts of returns and departures, the
//! whereabouts, the household digest and the markers. It must stay cheap: it
//! runs once per household that moves, allocates nothing and queries nothing.
//! It never draws: who moves is decided by the caller's keyed draw.

use bevy_ecs::prelude::*;

use super::components::*;
use super::state::{Census, Digests};
use crate::hash::mix64;

/// The digest contribution of one household: where it is, where it last
/// found refuge, and since when (which decides whether it is still settling).
/// `Digests::households` is the wrapping sum of these over all households.
#[inline]
pub fn household_digest(serial: u32, w: &Whereabouts) -> u64 {
    fn code(p: Place) -> u64 {
        match p {
            Place::Home => 0,
            Place::Camp(c) => (1 << 16) | u64::from(c.get()),
            Place::Host(d) => (2 << 16) | u64::from(d.get()),
        }
    }
    let places = (code(w.place) << 32) | code(w.refuge);
    mix64(mix64(u64::from(serial) ^ (u64::from(w.since) << 32)) ^ places)
}

/// Moves household `e` on `day`: home when `to` is [`Place::Home`], otherwise
/// away from home to `to`, which becomes its refuge. A household moves
/// between home and away only, never from one refuge to another.
///
/// - Going home counts a return, gives back the people of a household
///   displaced on day 0 to `Census::returned_initial`, and marks the household
///   `Settling` instead of `Displaced`.
/// - Leaving home counts a departure, takes a day-0 household's people back
///   out of `returned_initial`, and marks it `Displaced` (no longer
///   `Settling`).
///
/// Either way the census moves its people, `since` becomes `day`, and the
/// household's digest contribution is replaced in `Digests::households`. The
/// markers change through `commands`, when the caller's commands are applied.
pub fn move_household(
    commands: &mut Commands,
    census: &mut Census,
    digests: &mut Digests,
    (e, h, w): (Entity, &Household, &mut Whereabouts),
    to: Place,
    day: u32,
) {
    let old = household_digest(h.serial, w);
    census.shift(h.origin, h.size, w.place, to);
    if to == Place::Home {
        debug_assert_ne!(w.place, Place::Home, "a household goes home from away");
        census.returns += 1;
        if h.displaced_at_start {
            census.returned_initial += u64::from(h.size);
            census.returned_initial_from[h.origin.idx()] += u64::from(h.size);
        }
        commands.entity(e).remove::<Displaced>().insert(Settling);
    } else {
        debug_assert_eq!(w.place, Place::Home, "a household leaves from home");
        census.departures += 1;
        if h.displaced_at_start {
            census.returned_initial -= u64::from(h.size);
            census.returned_initial_from[h.origin.idx()] -= u64::from(h.size);
        }
        w.refuge = to;
        commands
            .entity(e)
            .remove::<(Settling, Renting, InRubble)>()
            .insert(Displaced);
    }
    w.place = to;
    w.since = day;
    let new = household_digest(h.serial, w);
    digests.households = digests.households.wrapping_sub(old).wrapping_add(new);
}
