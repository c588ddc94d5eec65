//! `cimsim scenarios`: the built-in scenarios, one line each.

use super::output::{Failure, data};
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
                    "{name:<18} {} (day 0 = {}, {} days, {} districts)\n",
                    s.title,
                    s.start_date,
                    s.horizon_days,
                    s.districts.len()
                ));
            }
            // A built-in that does not load is a bug; say so rather than hide it.
            Err(p) => out.push_str(&format!("{name:<18} (does not load: {} problems)\n", p.len())),
        }
    }
    data(&out)
}
