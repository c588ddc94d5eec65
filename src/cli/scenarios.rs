//! `cimsim scenarios`: the built-in scenarios, one line each.

use super::output::{Failure, data};
use cimsim::report::text::count;
use cimsim::scenario;

pub fn list() -> Result<(), Failure> {
    let mut out = String::new();
    for name in scenario::builtin_names() {
        let Some(source) = scenario::builtin(name) else {
            continue;
        };
        match scenario::load(source) {
            Ok(l) => {
                let s = &l.scenario;
                out.push_str(&format!(
                    "{name:<18} {} (day 0 = {}, {}, {})\n",
                    s.title,
                    s.start_date,
                    count(s.horizon_days.into(), "day", "days"),
                    count(s.districts.len() as u64, "district", "districts")
                ));
            }
            // A built-in that does not load is a bug; say so rather than hide it.
            Err(p) => out.push_str(&format!(
                "{name:<18} (does not load: {})\n",
                count(p.len() as u64, "problem", "problems")
            )),
        }
    }
    data(&out)
}
