//! The population groups: sizes, origins and where they stay.

use super::*;

impl Checker<'_> {
    pub(super) fn check_population(&mut self) {
        let s = self.scenario;
        self.list_length("population", s.population.len());
        let mut households: u64 = 0;
        let mut people: f64 = 0.0;
        let (mut households_reported, mut people_reported) = (false, false);
        for (i, group) in s.population.iter().enumerate() {
            self.check_group(i, group);
            households += u64::from(group.households);
            if households > LIMITS.households && !households_reported {
                households_reported = true;
                self.report(
                    &format!("population[{i}].households"),
                    format!(
                        "brings the households to {households}; a scenario may have at most {}",
                        LIMITS.households
                    ),
                    Some("model the city at a coarser scale, or a part of it".to_string()),
                );
            }
            if group.mean_size.is_finite() {
                people += f64::from(group.households) * group.mean_size;
            }
            if people > LIMITS.people as f64 && !people_reported {
                people_reported = true;
                self.report(
                    &format!("population[{i}].households"),
                    format!(
                        "brings the people to about {people:.0}; a scenario may have at most {}",
                        LIMITS.people
                    ),
                    Some("model the city at a coarser scale, or a part of it".to_string()),
                );
            }
        }
    }

    pub(super) fn check_group(&mut self, i: usize, group: &PopulationGroup) {
        let at = |field: &str| format!("population[{i}].{field}");
        self.district(&at("origin"), &group.origin);
        self.location(&at("location"), &group.location);
        if self.finite(&at("mean_size"), group.mean_size)
            && !(LIMITS.min_mean_size..=LIMITS.max_mean_size).contains(&group.mean_size)
        {
            self.report(
                &at("mean_size"),
                format!(
                    "must be from {} to {} people per household, found {}",
                    LIMITS.min_mean_size, LIMITS.max_mean_size, group.mean_size
                ),
                None,
            );
        }
        self.fraction(&at("vulnerable_share"), group.vulnerable_share);
    }
}
