//! Injects: their triggers, conditions and effects (also used for a
//! manual inject given on the command line).

use super::*;

impl Checker<'_> {
    pub(super) fn check_injects(&mut self) {
        let s = self.scenario;
        self.list_length("injects", s.injects.len());
        let (list, names) = ("injects", s.injects.iter().map(|i| i.id.as_str()).collect::<Vec<_>>());
        let ids = Ids::new(list, "inject", names);
        for (i, inject) in s.injects.iter().enumerate() {
            let path = format!("injects[{i}].id");
            self.id(&path, &inject.id);
            let first = ids.get(&inject.id).unwrap_or(i);
            if first != i {
                let line = self.line_of(&format!("injects[{first}].id"));
                self.report(
                    &path,
                    format!("repeats the id `{}` of injects[{first}]", shown(&inject.id)),
                    Some(format!("ids must be unique among injects; the first is on line {line}")),
                );
            }
            match &inject.trigger {
                // A zero horizon is reported once, on `horizon_days`; every
                // inject day would otherwise repeat it.
                Trigger::Day(day) if *day >= s.horizon_days && s.horizon_days > 0 => {
                    let last = s.horizon_days.saturating_sub(1);
                    self.report(
                        &format!("injects[{i}].trigger"),
                        format!(
                            "fires on day {day}, but the run's last day is {last} (horizon_days is {})",
                            s.horizon_days
                        ),
                        Some(format!(
                            "days count from 0; use a day below {}, or raise horizon_days",
                            s.horizon_days
                        )),
                    );
                }
                Trigger::Day(_) => {}
                Trigger::When(condition) => self.check_condition(i, condition),
            }
            self.check_effect(i, &inject.effect);
        }
    }

    pub(super) fn check_condition(&mut self, i: usize, condition: &Condition) {
        let at = |field: &str| format!("injects[{i}].trigger.{field}");
        match condition {
            Condition::ServiceBelow { district, below, .. } | Condition::SecurityBelow { district, below, .. } => {
                self.district(&at("district"), district);
                self.fraction(&at("below"), *below);
            }
        }
    }

    pub(super) fn check_effect(&mut self, i: usize, effect: &Effect) {
        let at = |field: &str| format!("injects[{i}].effect.{field}");
        match effect {
            Effect::Sabotage { asset, damage } => {
                self.asset(&at("asset"), asset);
                self.fraction(&at("damage"), *damage);
            }
            Effect::CloseCamp { camp } => {
                self.reference(&at("camp"), camp, |c| &c.camps);
            }
            Effect::Funding { agency, amount } => {
                self.agency(&at("agency"), agency);
                self.non_negative(&at("amount"), *amount);
            }
            Effect::Blockade { asset, .. } => {
                self.asset(&at("asset"), asset);
            }
            Effect::DiseaseOutbreak {
                district,
                cases,
                multiplier,
                ..
            } => {
                self.district(&at("district"), district);
                self.non_negative(&at("cases"), *cases);
                self.positive(&at("multiplier"), *multiplier);
            }
            Effect::FuelShortage { agency, lost, .. } => {
                self.agency(&at("agency"), agency);
                self.fraction(&at("lost"), *lost);
            }
            Effect::CrewAttack {
                district,
                security_drop,
                ..
            } => {
                self.district(&at("district"), district);
                self.fraction(&at("security_drop"), *security_drop);
            }
            Effect::Displacement { district, share, to } => {
                self.district(&at("district"), district);
                self.fraction(&at("share"), *share);
                if *to == Location::Home {
                    self.report(
                        &at("to"),
                        "is `Home`; displaced people go to a camp or a host district".to_string(),
                        Some("use `Camp(\"camp-id\")` or `Host(\"district-id\")`".to_string()),
                    );
                } else {
                    self.location(&at("to"), to);
                }
            }
            Effect::Heatwave { water_factor, .. } => self.positive(&at("water_factor"), *water_factor),
            Effect::BudgetFreeze { agency, .. } => {
                self.agency(&at("agency"), agency);
            }
            Effect::Minefield {
                district,
                site,
                contamination,
            } => {
                let s = self.scenario;
                let district_index = self.district(&at("district"), district);
                if let Some(site) = site
                    && let Some(asset) = self.asset(&at("site"), site)
                {
                    let stands_in = &s.assets[asset].site;
                    if district_index.is_some() && stands_in != district {
                        self.report(
                            &at("site"),
                            format!("is asset `{site}`, which stands in district `{stands_in}`, not in `{district}`"),
                            Some(format!(
                                "set `district: \"{stands_in}\"`, or name an asset in `{district}`"
                            )),
                        );
                    }
                }
                self.fraction(&at("contamination"), *contamination);
            }
            Effect::LiaisonPosted { between } | Effect::LiaisonEnded { between } => {
                let first = self.agency(&at("between[0]"), &between.0);
                let second = self.agency(&at("between[1]"), &between.1);
                if first.is_some() && second.is_some() && between.0 == between.1 {
                    self.report(
                        &at("between"),
                        format!("names agency `{}` twice", between.0),
                        Some("a liaison links two different agencies".to_string()),
                    );
                }
            }
            Effect::Workshop { agencies } => {
                let mut seen = BTreeSet::new();
                for (j, agency) in agencies.iter().enumerate() {
                    let path = at(&format!("agencies[{j}]"));
                    if self.agency(&path, agency).is_some() && !seen.insert(agency.as_str()) {
                        self.report(
                            &path,
                            format!("lists agency `{agency}` a second time"),
                            Some("remove the repeat".to_string()),
                        );
                    }
                }
                if agencies.len() < 2 {
                    let listed = if agencies.is_empty() {
                        "no agency"
                    } else {
                        "only one agency"
                    };
                    self.report(
                        &at("agencies"),
                        format!("lists {listed}; a workshop brings together at least two"),
                        None,
                    );
                }
            }
        }
    }
}
