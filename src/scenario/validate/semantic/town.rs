//! The town: districts, assets, agencies and their crews, and camps.

use super::*;

impl Checker<'_> {
    pub(super) fn check_districts(&mut self) {
        let s = self.scenario;
        self.list_length("districts", s.districts.len());
        self.ids("districts", |c| &c.districts);
        for (i, d) in s.districts.iter().enumerate() {
            if d.prewar_population == 0 {
                self.report(
                    &format!("districts[{i}].prewar_population"),
                    "must be at least 1, found 0".to_string(),
                    Some("services and clearance are measured per pre-war resident".to_string()),
                );
            }
            self.check_dwellings(i, d);
            self.fraction(&format!("districts[{i}].contamination"), d.contamination);
            self.fraction(&format!("districts[{i}].security"), d.security);
        }
    }

    /// A district's dwellings: one form of damage, classes that fit in its
    /// homes, and at least a dwelling for each of its families.
    fn check_dwellings(&mut self, i: usize, d: &crate::scenario::District) {
        self.fraction(&format!("districts[{i}].housing_damage"), d.housing_damage);
        let classes = d.dwellings;
        if classes != crate::scenario::DamagedDwellings::default() {
            if d.housing_damage != 0.0 {
                self.report(
                    &format!("districts[{i}].dwellings"),
                    "is given with `housing_damage`".to_string(),
                    Some("give the damage once: `dwellings` by class, or the short `housing_damage`".to_string()),
                );
            }
            let damaged = u64::from(classes.light)
                + u64::from(classes.moderate)
                + u64::from(classes.heavy)
                + u64::from(classes.destroyed);
            if damaged > u64::from(d.homes) {
                self.report(
                    &format!("districts[{i}].dwellings"),
                    format!(
                        "counts {damaged} damaged dwellings, more than the district's {} homes",
                        d.homes
                    ),
                    Some("`homes` counts every dwelling, intact or not; the classes are part of it".to_string()),
                );
            }
        }
        // Only the first district of an id owns its families (a repeat is
        // reported as such), and a population past the size limits is
        // reported there.
        let first = self.scenario.districts.iter().position(|x| x.id == d.id) == Some(i);
        let families: u64 = self
            .scenario
            .population
            .iter()
            .filter(|g| g.origin == d.id)
            .map(|g| u64::from(g.households))
            .sum();
        if first && families <= LIMITS.households && families > u64::from(d.homes) {
            self.report(
                &format!("districts[{i}].homes"),
                format!(
                    "is {}, fewer than the {families} families of the population from it",
                    d.homes
                ),
                Some("each family has a dwelling of its own district: raise `homes` or lower the groups".to_string()),
            );
        }
    }

    pub(super) fn check_assets(&mut self) {
        let s = self.scenario;
        self.list_length("assets", s.assets.len());
        self.ids("assets", |c| &c.assets);
        for (i, a) in s.assets.iter().enumerate() {
            self.check_asset(i, a);
        }
    }

    pub(super) fn check_asset(&mut self, i: usize, a: &Asset) {
        let at = |field: &str| format!("assets[{i}].{field}");
        self.agency(&at("agency"), &a.agency);
        self.district(&at("site"), &a.site);
        match &a.output {
            Some(output) => {
                self.non_negative(&at("output.capacity"), output.capacity);
                if a.serves.is_empty() {
                    self.report(
                        &at("output"),
                        format!("produces {}, but `serves` lists no district", output.service.name()),
                        Some(format!("add `serves: [\"{}\"]` with the districts it supplies", a.site)),
                    );
                }
            }
            None if !a.serves.is_empty() => {
                self.report(
                    &at("serves"),
                    "lists districts, but the asset has no `output` to serve them with".to_string(),
                    Some("add `output: Some((service: ..., capacity: ...))`, or remove `serves`".to_string()),
                );
            }
            None => {}
        }
        let mut served = BTreeSet::new();
        for (j, district) in a.serves.iter().enumerate() {
            let path = at(&format!("serves[{j}]"));
            if self.district(&path, district).is_some() && !served.insert(district.as_str()) {
                self.report(
                    &path,
                    format!("lists district `{district}` a second time"),
                    Some("remove the repeat".to_string()),
                );
            }
        }
        self.fraction(&at("condition"), a.condition);
        self.positive(&at("repair_effort"), a.repair_effort);
        self.non_negative(&at("repair_cost"), a.repair_cost);
        if a.crew_slots == 0 {
            self.report(
                &at("crew_slots"),
                "must be at least 1, found 0".to_string(),
                Some("no crew could ever repair it".to_string()),
            );
        }
        for (j, need) in a.needs.iter().enumerate() {
            if let Need::Asset(id) = need {
                self.asset(&at(&format!("needs[{j}]")), id);
            }
        }
        for (j, consumption) in a.consumes.iter().enumerate() {
            self.non_negative(&at(&format!("consumes[{j}].per_day")), consumption.per_day);
        }
        self.optional_fraction(&at("contamination"), a.contamination);
        self.optional_fraction(&at("security"), a.security);
    }

    pub(super) fn check_agencies(&mut self) {
        let s = self.scenario;
        self.list_length("agencies", s.agencies.len());
        self.ids("agencies", |c| &c.agencies);
        let mut crews: u64 = 0;
        let mut crews_reported = false;
        for (i, a) in s.agencies.iter().enumerate() {
            self.check_agency(i, a);
            for (j, group) in a.crews.iter().enumerate() {
                crews += u64::from(group.count);
                if crews > LIMITS.crews && !crews_reported {
                    crews_reported = true;
                    self.report(
                        &format!("agencies[{i}].crews[{j}].count"),
                        format!(
                            "brings the crews to {crews}; a scenario may have at most {}",
                            LIMITS.crews
                        ),
                        None,
                    );
                }
            }
        }
    }

    pub(super) fn check_agency(&mut self, i: usize, a: &Agency) {
        let at = |field: &str| format!("agencies[{i}].{field}");
        // A set, so that many crew groups against a long list of mandates
        // cost no more than a short one; the names keep file order.
        let mandate_set: BTreeSet<_> = a.mandates.iter().copied().collect();
        let mut mandate_names: Vec<String> = Vec::new();
        for mandate in &a.mandates {
            let name = format!("{mandate:?}");
            if !mandate_names.contains(&name) {
                mandate_names.push(name);
            }
            if mandate_names.len() == mandate_set.len() {
                break;
            }
        }
        let mandates = mandate_names.join(", ");
        for (j, group) in a.crews.iter().enumerate() {
            let crew = |field: &str| at(&format!("crews[{j}].{field}"));
            if !mandate_set.contains(&group.kind) {
                self.report(
                    &crew("kind"),
                    format!(
                        "is `{:?}`, which is not a mandate of agency `{}` (mandates: {mandates})",
                        group.kind,
                        shown(&a.id)
                    ),
                    Some(format!(
                        "add `{:?}` to the agency's mandates, or give these crews another kind",
                        group.kind
                    )),
                );
            }
            self.non_negative(&crew("rate"), group.rate);
            self.non_negative(&crew("daily_cost"), group.daily_cost);
            self.non_negative(&crew("fuel_per_day"), group.fuel_per_day);
        }
        for (field, stocks) in [("stocks", &a.stocks), ("resupply", &a.resupply)] {
            self.non_negative(&at(&format!("{field}.fuel")), stocks.fuel);
            self.non_negative(&at(&format!("{field}.food")), stocks.food);
            self.non_negative(&at(&format!("{field}.medical")), stocks.medical);
        }
        self.non_negative(&at("budget"), a.budget);
        let mut seen = BTreeSet::new();
        for (j, liaison) in a.liaisons.iter().enumerate() {
            let path = at(&format!("liaisons[{j}]"));
            if liaison == &a.id {
                self.report(
                    &path,
                    format!("is the agency `{}` itself", shown(liaison)),
                    Some("a liaison links two different agencies".to_string()),
                );
            } else if self.agency(&path, liaison).is_some() && !seen.insert(liaison.as_str()) {
                self.report(
                    &path,
                    format!("lists agency `{liaison}` a second time"),
                    Some("remove the repeat".to_string()),
                );
            }
        }
    }

    pub(super) fn check_camps(&mut self) {
        let s = self.scenario;
        self.list_length("camps", s.camps.len());
        self.ids("camps", |c| &c.camps);
        for (i, camp) in s.camps.iter().enumerate() {
            if camp.capacity == 0 {
                self.report(
                    &format!("camps[{i}].capacity"),
                    "must be at least 1, found 0".to_string(),
                    Some("services fall with crowding, measured against capacity".to_string()),
                );
            }
            let sv = &camp.services;
            for (name, value) in [
                ("food", sv.food),
                ("water", sv.water),
                ("electricity", sv.electricity),
                ("sanitation", sv.sanitation),
                ("health", sv.health),
            ] {
                self.fraction(&format!("camps[{i}].services.{name}"), value);
            }
        }
    }
}
