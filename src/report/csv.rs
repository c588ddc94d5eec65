//! The daily series of `cimsim run --csv`: one row per day, place and
//! service.

use std::io::Write;

use crate::scenario::Service;
use crate::sim::ledger::Outcomes;
use crate::sim::setup::Names;

/// Writes the daily series: one row per day, place and service.
pub fn write_csv<W: Write>(out: W, outcomes: &Outcomes, names: &Names) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "day",
        "place_kind",
        "place",
        "service",
        "level",
        "people",
        "habitable_dwellings",
        "debris_tonnes",
        "people_home",
        "people_displaced_from",
    ])?;
    for p in &outcomes.places {
        let id = match p.kind {
            "camp" => &names.camps[usize::from(p.ix)],
            _ => &names.districts[usize::from(p.ix)],
        };
        // A district's homes and people, the same on each of its rows; empty
        // for a camp.
        let [habitable, debris, home, away] = match p.district {
            Some(d) => [
                format!("{:.3}", d.habitable_dwellings),
                format!("{:.1}", d.debris_tonnes),
                d.people_home.to_string(),
                d.displaced_from.to_string(),
            ],
            None => Default::default(),
        };
        for s in Service::ALL {
            w.write_record([
                p.day.to_string(),
                p.kind.to_string(),
                id.clone(),
                s.name().to_string(),
                format!("{:.6}", p.q[s.index()]),
                p.people.to_string(),
                habitable.clone(),
                debris.clone(),
                home.clone(),
                away.clone(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
