//! Capability targets: metrics, days, districts and the order of their
//! thresholds.

use super::*;

impl Checker<'_> {
    /// Capability targets of the after-action report: ids, the metric's
    /// references and days, and thresholds in the order the rating rule
    /// needs (docs/report.md).
    pub(super) fn check_capabilities(&mut self) {
        let s = self.scenario;
        self.list_length("capabilities", s.capabilities.len());
        let names = s.capabilities.iter().map(|c| c.id.as_str()).collect::<Vec<_>>();
        let ids = Ids::new("capabilities", "capability", names);
        for (i, c) in s.capabilities.iter().enumerate() {
            let at = |field: &str| format!("capabilities[{i}].{field}");
            self.id(&at("id"), &c.id);
            let first = ids.get(&c.id).unwrap_or(i);
            if first != i {
                let line = self.line_of(&format!("capabilities[{first}].id"));
                self.report(
                    &at("id"),
                    format!("repeats the id `{}` of capabilities[{first}]", shown(&c.id)),
                    Some(format!(
                        "ids must be unique among capabilities; the first is on line {line}"
                    )),
                );
            }
            if c.name.trim().is_empty() {
                self.report(
                    &at("name"),
                    "must not be empty".to_string(),
                    Some("say what the capability is, in words".to_string()),
                );
            }
            let day = match &c.metric {
                Metric::ServiceLevel { districts, day, .. } => {
                    if districts.is_empty() {
                        self.report(
                            &at("metric.districts"),
                            "must name at least one district".to_string(),
                            Some("list the districts whose people the target is about".to_string()),
                        );
                    }
                    for (k, d) in districts.iter().enumerate() {
                        self.district(&at(&format!("metric.districts[{k}]")), d);
                    }
                    Some(*day)
                }
                Metric::ReturnedShare { day } => Some(*day),
                _ => None,
            };
            if let Some(day) = day
                && day >= s.horizon_days
                && s.horizon_days > 0
            {
                self.report(
                    &at("metric.day"),
                    format!(
                        "is day {day}, but the run's last day is {} (horizon_days is {})",
                        s.horizon_days.saturating_sub(1),
                        s.horizon_days
                    ),
                    Some(format!("days count from 0; use a day below {}", s.horizon_days)),
                );
            }
            let thresholds = [
                ("performed", c.performed),
                ("some_challenges", c.some_challenges),
                ("major_challenges", c.major_challenges),
            ];
            let mut all_valid = true;
            for (field, value) in thresholds {
                let before = self.problems.len();
                if c.metric.is_share() {
                    self.fraction(&at(field), value);
                } else {
                    self.non_negative(&at(field), value);
                }
                all_valid &= self.problems.len() == before;
            }
            if !all_valid {
                continue;
            }
            let more = c.metric.more_is_better();
            for pair in thresholds.windows(2) {
                let ((a, x), (b, y)) = (pair[0], pair[1]);
                let wrong = if more { y > x } else { y < x };
                if wrong {
                    let (relation, direction) = if more {
                        ("at most", "more is better for this metric")
                    } else {
                        ("at least", "less is better for this metric")
                    };
                    self.report(
                        &at(b),
                        format!("is {y}, but must be {relation} `{a}` ({x})"),
                        Some(format!(
                            "{direction}: order the thresholds performed, some_challenges, major_challenges from best to worst"
                        )),
                    );
                }
            }
        }
    }
}
