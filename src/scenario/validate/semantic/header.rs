//! The header (name, dates, horizon, format), the strategies and the
//! model's parameters.

use super::*;

impl Checker<'_> {
    pub(super) fn check_header(&mut self) {
        let s = self.scenario;
        if s.format_version != FORMAT_VERSION {
            let (message, help) = unsupported_version(s.format_version.into());
            self.report("format_version", message, help);
        }
        self.id("name", &s.name);
        if !is_calendar_date(&s.start_date) {
            self.report(
                "start_date",
                format!(
                    "must be a calendar date written YYYY-MM-DD, found `{}`",
                    shown(&s.start_date)
                ),
                Some("for example `2017-07-10`".to_string()),
            );
        }
        if s.horizon_days == 0 {
            self.report(
                "horizon_days",
                "must be at least 1 day, found 0".to_string(),
                Some("a run simulates this many days".to_string()),
            );
        } else if s.horizon_days > LIMITS.horizon_days {
            self.report(
                "horizon_days",
                format!(
                    "is {} days; runs are limited to {} days",
                    s.horizon_days, LIMITS.horizon_days
                ),
                None,
            );
        }
        // Combined sizes: each list may be within its limit and the
        // products still exhaust memory (the daily series keeps a row per
        // day and place; every agency keeps a picture of every district and
        // site).
        let places = (s.districts.len() + s.camps.len()) as u64;
        let series = u64::from(s.horizon_days) * places;
        if series > LIMITS.place_days {
            self.report(
                "horizon_days",
                format!(
                    "{} days × {places} districts and camps is {series} place-days; a run keeps at most {}",
                    s.horizon_days, LIMITS.place_days
                ),
                Some("shorten the horizon or merge districts".to_string()),
            );
        }
        let pictures = s.agencies.len() as u64 * (s.districts.len() + s.assets.len()) as u64;
        if pictures > LIMITS.picture_cells {
            self.report(
                "agencies",
                format!(
                    "{} agencies × {} districts and assets is {pictures} picture entries; at most {}",
                    s.agencies.len(),
                    s.districts.len() + s.assets.len(),
                    LIMITS.picture_cells
                ),
                Some("fewer agencies, districts or assets".to_string()),
            );
        }
    }

    /// The scenario's own strategies and every strategy reference.
    pub(super) fn check_strategies(&mut self) {
        let s = self.scenario;
        self.list_length("strategies", s.strategies.len());
        for (i, def) in s.strategies.iter().enumerate() {
            let path = format!("strategies[{i}].name");
            self.id(&path, &def.name);
            let first = s.strategies.iter().position(|d| d.name == def.name).unwrap_or(i);
            if BUILTIN_STRATEGIES.iter().any(|b| b.0 == def.name) {
                self.report(
                    &path,
                    format!("redefines the built-in strategy `{}`", def.name),
                    Some("give your strategy a name of its own".to_string()),
                );
            } else if first != i {
                let line = self.line_of(&format!("strategies[{first}].name"));
                self.report(
                    &path,
                    format!("repeats the strategy name `{}`", shown(&def.name)),
                    Some(format!("the first `{}` is on line {line}", shown(&def.name))),
                );
            }
        }
        self.reference("strategy", &s.strategy, |c| &c.strategies);
        for (i, a) in s.agencies.iter().enumerate() {
            if let Some(name) = &a.strategy {
                self.reference(&format!("agencies[{i}].strategy"), name, |c| &c.strategies);
            }
        }
    }

    pub(super) fn check_model(&mut self) {
        let s = self.scenario;
        let st = &s.standards;
        for (name, value) in [
            ("water_litres", st.water_litres),
            ("water_survival_litres", st.water_survival_litres),
            ("food_kcal", st.food_kcal),
            ("food_survival_kcal", st.food_survival_kcal),
            ("electricity_kwh", st.electricity_kwh),
            ("people_per_toilet", st.people_per_toilet),
            ("beds_per_10000", st.beds_per_10000),
        ] {
            self.positive(&format!("standards.{name}"), value);
        }
        for (survival, survival_name, full, name) in [
            (
                st.water_survival_litres,
                "water_survival_litres",
                st.water_litres,
                "water_litres",
            ),
            (st.food_survival_kcal, "food_survival_kcal", st.food_kcal, "food_kcal"),
        ] {
            if survival > full {
                self.report(
                    &format!("standards.{survival_name}"),
                    format!("is {survival}, above the full standard `{name}` of {full}"),
                    Some("a survival minimum cannot exceed the full need".to_string()),
                );
            }
        }
        let w = &s.weights;
        for (name, value) in [
            ("food", w.food),
            ("water", w.water),
            ("electricity", w.electricity),
            ("sanitation", w.sanitation),
            ("health", w.health),
            ("displacement", w.displacement),
            ("shelter", w.shelter),
        ] {
            self.non_negative(&format!("weights.{name}"), value);
        }
        let service_weights = [w.food, w.water, w.electricity, w.sanitation, w.health];
        if service_weights.iter().all(|v| *v == 0.0) {
            self.report(
                "weights",
                "gives every service a weight of 0".to_string(),
                Some(
                    "the district index is a weighted mean of services, so at least one weight must be above 0"
                        .to_string(),
                ),
            );
        }
        let c = &s.cooperation;
        self.fraction("cooperation.formal_honour", c.formal_honour);
        self.fraction("cooperation.liaison_honour", c.liaison_honour);
        self.fraction("cooperation.cell_staff_share", c.cell_staff_share);
        self.fraction("cooperation.hazard_injury_rate", c.hazard_injury_rate);
        self.fraction("cooperation.liaison_staff_share", c.liaison_staff_share);
        let h = &s.housing;
        for (name, value) in [
            ("debris_heavy_tonnes", h.debris_heavy_tonnes),
            ("debris_destroyed_tonnes", h.debris_destroyed_tonnes),
        ] {
            self.non_negative(&format!("housing.{name}"), value);
        }
        for (name, value) in [
            ("rebuild_heavy", h.rebuild_heavy),
            ("rebuild_destroyed", h.rebuild_destroyed),
        ] {
            if !(value > 0.0 && value.is_finite()) {
                self.report(
                    &format!("housing.{name}"),
                    format!("must be above 0, found {value}"),
                    Some("it is the crew work one dwelling takes, in dwellings".to_string()),
                );
            }
        }
        self.fraction("housing.hosted_shelter_gap", h.hosted_shelter_gap);
        if !(0.0..=0.95).contains(&h.buried_share) {
            self.report(
                "housing.buried_share",
                format!("must be between 0 and 0.95, found {}", h.buried_share),
                Some("the share of a district's explosives that lies in its rubble (Mosul: about 2/3)".to_string()),
            );
        }
        self.check_authorisation();
        self.fraction("thresholds.clearance", s.thresholds.clearance);
        self.fraction("thresholds.security", s.thresholds.security);
        let r = &s.returns;
        for (name, value) in [
            ("max_daily_rate", r.max_daily_rate),
            ("leave_uninhabitable_rate", r.leave_uninhabitable_rate),
            ("flight_security", r.flight_security),
            ("flight_rate", r.flight_rate),
        ] {
            self.fraction(&format!("returns.{name}"), value);
        }
        for (name, value) in [
            ("security_weight", r.security_weight),
            ("services_weight", r.services_weight),
            ("housing_weight", r.housing_weight),
            ("contamination_weight", r.contamination_weight),
            ("uninhabitable_factor", r.uninhabitable_factor),
            ("vulnerable_factor", r.vulnerable_factor),
            ("livelihood_weight", r.livelihood_weight),
            ("camp_closure_push", r.camp_closure_push),
        ] {
            self.non_negative(&format!("returns.{name}"), value);
        }
        self.finite("returns.midpoint", r.midpoint);
        self.positive("returns.steepness", r.steepness);
        self.positive("returns.perception_days", r.perception_days);
        let d = &s.disease;
        self.non_negative("disease.base_rate", d.base_rate);
        self.non_negative("disease.wash_rate", d.wash_rate);
        self.positive("disease.illness_days", d.illness_days);
        self.fraction("disease.treatment_effect", d.treatment_effect);
    }

    /// `authorisation` and the districts it opens.
    fn check_authorisation(&mut self) {
        let s = self.scenario;
        let a = &s.authorisation;
        self.fraction("authorisation.max_contamination", a.max_contamination);
        self.fraction("authorisation.min_security", a.min_security);
        for (i, agency) in a.by.iter().enumerate() {
            self.agency(&format!("authorisation.by[{i}]"), agency);
        }
        if a.by.is_empty()
            && let Some(i) = s.districts.iter().position(|d| d.closed)
        {
            self.report(
                &format!("districts[{i}].closed"),
                format!(
                    "closes district `{}` to returns, but no agency may authorise returns",
                    s.districts[i].id
                ),
                Some(
                    "name the authorities in `authorisation: (by: [\"interior\"], ...)`, or leave the district open"
                        .to_string(),
                ),
            );
        }
    }
}
