//! Inputs: choices made while a run goes on, as opposed to the scenario's
//! scripted injects. A facilitator's manual inject and a change of strategy
//! are inputs today; a player's orders (`cimsim play`) will be more variants
//! of [`Input`].
//!
//! The driver applies the inputs of day d through [`crate::sim::Simulation::apply`]
//! before it steps day d (DESIGN 7), so they act at the start of the day,
//! before the schedule's `Injects` set. Every applied input is folded into
//! `InjectLog::inputs`, which the digest covers: a run with inputs has
//! different digests from the same run without them. No IO here.

use bevy_ecs::prelude::*;

use super::components::{Agency, Clock, StrategyBook};
use super::injects::apply_effect;
use super::setup::Names;
use super::state::InjectLog;
use crate::hash::{fnv1a64, mix64};
use crate::scenario::Effect;

/// A choice applied to the world at the start of a day.
#[derive(Debug, Clone)]
pub enum Input {
    /// A manual inject: the same effects a scenario's injects have.
    Inject(Effect),
    /// From today, `agency` (every agency when `None`) follows `strategy`.
    Strategy { agency: Option<String>, strategy: String },
}

/// Why an input could not be applied. Inputs are checked before a run
/// starts; this is the engine's own refusal of anything that slipped by.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("unknown strategy `{0}`")]
    UnknownStrategy(String),
    #[error("unknown agency `{0}`")]
    UnknownAgency(String),
}

/// Applies one input to the world on the current day and folds it into the
/// digest state.
pub fn apply_input(world: &mut World, input: &Input) -> Result<(), InputError> {
    let day = world.resource::<Clock>().day;
    match input {
        Input::Inject(effect) => apply_effect(world, effect, day),
        Input::Strategy { agency, strategy } => {
            let s = world
                .resource::<StrategyBook>()
                .params(strategy)
                .ok_or_else(|| InputError::UnknownStrategy(strategy.clone()))?;
            let only = match agency {
                None => None,
                Some(id) => Some(
                    world
                        .resource::<Names>()
                        .agency(id)
                        .ok_or_else(|| InputError::UnknownAgency(id.clone()))?,
                ),
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
    }
    // The input's Debug text (derived; floats printed shortest-exact, as
    // `injects::apply_effect` salts a displacement) and day, chained in order
    // of application. Like every digest, stable within one build.
    let key = fnv1a64(format!("{day}:{input:?}").as_bytes());
    let mut log = world.resource_mut::<InjectLog>();
    log.inputs = mix64(log.inputs.rotate_left(23) ^ key) | 1;
    Ok(())
}
