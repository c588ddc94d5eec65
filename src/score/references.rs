//! The worlds a run is scored against: its two references and its
//! attribution variants, as scenarios and inputs ready to simulate.
//!
//! The rules, in one place (docs/scoring.md §3 and §4):
//!
//! - A **reference** is the run's scenario with every agency's strategy
//!   replaced: the scenario's `strategy` set to `silo` (or `central`) and
//!   every agency's own strategy cleared. It has the run's seed, days and
//!   resolution, and inherits of the run's inputs only the facilitator's
//!   manual injects ([`inherited_inputs`]).
//! - An **attribution variant** is the run's scenario with one agency that
//!   has crews alone reverted to `silo`; everything else is the run's.
//!
//! `compare` is the one caller that does not build references here: the
//! strategies it compares are their own references (its `silo` and `central`
//! rows, with `--strategy-for` applied under every strategy, docs/compare.md),
//! and it runs no manual inputs. Its attribution variants are built here.
//!
//! Nothing here runs a world.

use crate::record::{self, Input};
use crate::scenario::{LoadedScenario, Scenario};

/// The strategies of the two references, in the order
/// [`reference_scenarios`] returns them.
pub const REFERENCES: [&str; 2] = ["silo", "central"];

/// The strategy an agency reverts to in an attribution variant.
pub const REVERTED: &str = "silo";

/// The inputs of a run that its references inherit, in order: the
/// facilitator's manual injects, for today (`Inject`, as `run --inject` and
/// `play`'s `inject` give them) or scheduled for a later day (`Later`), once
/// undos are resolved (`record::effective`: an undone inject is not
/// inherited).
///
/// Injects change the world the agencies work in, so a reference must live
/// through them too; scripted injects are in the scenario and need no input.
/// Strategy changes, `human` marks and players' orders are the run's own
/// choices, the very thing the efficiency measures, so a reference keeps its
/// strategy and plans for itself throughout (DESIGN 3.6).
///
/// Fails as `record::effective` does: an undo with nothing of its day to
/// take back.
pub fn inherited_inputs(inputs: &[Input]) -> Result<Vec<Input>, String> {
    Ok(record::effective(inputs)?
        .into_iter()
        .filter(|i| matches!(i, Input::Inject { .. } | Input::Later { .. }))
        .collect())
}

/// The run's scenario with every agency in `strategy`: the scenario's
/// strategy set, every agency's own cleared.
fn reference_scenario(run: &LoadedScenario, strategy: &str) -> LoadedScenario {
    let mut s = run.clone();
    s.scenario.strategy = strategy.to_string();
    s.scenario.agencies.iter_mut().for_each(|a| a.strategy = None);
    s
}

/// The two references of a run, all-`silo` then all-`central` (the order of
/// [`REFERENCES`]). Scenario-defined strategies play no part: the references
/// are always the built-in `silo` and `central`.
pub fn reference_scenarios(run: &LoadedScenario) -> [LoadedScenario; 2] {
    REFERENCES.map(|strategy| reference_scenario(run, strategy))
}

/// The agencies attribution measures, by index in the scenario, in its
/// order: those with crews (an agency without crews has nothing to revert).
pub fn attributed(s: &Scenario) -> Vec<usize> {
    (0..s.agencies.len())
        .filter(|&i| !s.agencies[i].crews.is_empty())
        .collect()
}

/// The run's scenario with agency `agency` (an index in the scenario) alone
/// reverted to [`REVERTED`], every other agency as in the run.
pub fn attribution_variant(run: &LoadedScenario, agency: usize) -> LoadedScenario {
    let mut s = run.clone();
    s.scenario.agencies[agency].strategy = Some(REVERTED.to_string());
    s
}

/// Every attribution variant of a run, with the id of the agency it
/// reverts, in [`attributed`] order. A variant inherits every input of the
/// run, as the run's world does.
pub fn attribution_variants(run: &LoadedScenario) -> Vec<(String, LoadedScenario)> {
    attributed(&run.scenario)
        .into_iter()
        .map(|i| (run.scenario.agencies[i].id.clone(), attribution_variant(run, i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inject(day: u32) -> Input {
        Input::Inject {
            day,
            effect: "Heatwave(water_factor: 1.5, days: 2)".to_string(),
        }
    }

    #[test]
    fn references_inherit_the_injects_left_standing_and_no_choice_of_the_run() {
        let later = Input::Later {
            day: 1,
            at: 4,
            effect: "BudgetFreeze(agency: \"oil\", days: 5)".to_string(),
        };
        let inputs = vec![
            inject(0),
            Input::Human {
                day: 0,
                agency: "water".to_string(),
                standing: true,
            },
            inject(1),
            Input::Undo { day: 1 },
            later.clone(),
            Input::Strategy {
                day: 2,
                agency: None,
                strategy: "cell".to_string(),
            },
            Input::Stop {
                day: 2,
                crew: "water-repair-1".to_string(),
            },
        ];
        assert_eq!(inherited_inputs(&inputs), Ok(vec![inject(0), later]));
        assert!(inherited_inputs(&[Input::Undo { day: 0 }]).is_err());
    }

    #[test]
    fn references_reset_every_strategy_and_variants_revert_one_agency() {
        let mut run = crate::scenario::load(crate::scenario::builtin("tutorial").unwrap()).unwrap();
        run.scenario.strategy = "cell".to_string();
        run.scenario.agencies[0].strategy = Some("liaison".to_string());
        let [silo, central] = reference_scenarios(&run);
        for (s, name) in [(&silo, "silo"), (&central, "central")] {
            assert_eq!(s.scenario.strategy, name);
            assert!(s.scenario.agencies.iter().all(|a| a.strategy.is_none()));
        }
        let variants = attribution_variants(&run);
        assert_eq!(variants.len(), attributed(&run.scenario).len());
        let (id, v) = &variants[1];
        let i = attributed(&run.scenario)[1];
        assert_eq!(*id, run.scenario.agencies[i].id);
        assert_eq!(v.scenario.agencies[i].strategy.as_deref(), Some(REVERTED));
        assert_eq!(v.scenario.agencies[0].strategy, run.scenario.agencies[0].strategy);
        assert_eq!(v.scenario.strategy, "cell");
    }
}
