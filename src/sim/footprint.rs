//! What a world will cost in memory, known before it is built: the sizes a
//! scenario describes (household entities, crews, place-days, picture
//! cells) times what each was measured to take in this engine.
//!
//! The figures are measured, not derived from `size_of`: an entity's cost is
//! its components plus bevy's archetype tables, the census and the daily
//! outcome rows, and only a run shows it. Each constant names the run it was
//! measured on (peak resident memory from `/usr/bin/time -f %M` on the
//! project's 2-core machine, the difference between two sizes of the same
//! scenario divided by the difference in count) and rounds up, so the
//! estimate is an upper bound; `docs/performance.md` has the table and the
//! test `tests/it/limits.rs` holds real runs to it. Pure arithmetic: no IO.

use crate::scenario::Scenario;

/// Resident memory of one household entity: 150 B measured for families at
/// home (the tutorial with one group of 1,000,000 then 4,000,000 households
/// at home, `--no-score --days 1`: 158 MB then 607 MB), 170 B for displaced
/// families on day 1 and 218 B once returns have moved them between tables
/// (two groups of 1,000,000 then 3,000,000 in a camp and with hosts,
/// `--days 60`: 420 MB then 1,292 MB); rounded up from the largest.
pub const BYTES_PER_HOUSEHOLD: u64 = 240;

/// Resident memory of one crew: 376 B measured (the tutorial with one crew
/// group of 10,000 then 100,000 crews, `--no-score --days 10`: 13.6 MB then
/// 48.9 MB), rounded up.
pub const BYTES_PER_CREW: u64 = 440;

/// Resident memory of one place-day of the daily outcomes (districts and
/// camps × days simulated): 206 B measured (the tutorial, 4 places, 180 then
/// 36,500 days: 9.4 MB then 39.2 MB), rounded up.
pub const BYTES_PER_PLACE_DAY: u64 = 240;

/// Resident memory of one asset with its share of the scenario it came
/// from (each world keeps a copy of the scenario), its picture cells
/// excluded: 2.8 KB measured (the tutorial with 10,000 then 60,000 more
/// health centres, `--no-score --days 1`: 47 MB then 224 MB), rounded up.
pub const BYTES_PER_ASSET: u64 = 3 * 1024;

/// One cell of an agency's picture (agencies × (districts + assets)): a
/// ground view or a condition with its flags, about 48 B, rounded up.
pub const BYTES_PER_PICTURE_CELL: u64 = 64;

/// A world before any of the above: the schedule, its systems and the
/// resources (about 1 MB measured on the tutorial), rounded up.
pub const BYTES_PER_WORLD: u64 = 4 * 1024 * 1024;

/// The process around the worlds: the binary, the scenario text and its
/// parse, thread stacks (9 MB measured for the whole tutorial run).
pub const BYTES_PER_PROCESS: u64 = 32 * 1024 * 1024;

/// The sizes that decide a world's memory, and the bytes they come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    /// Household entities: each group's households divided by the families
    /// per entity, rounded up.
    pub entities: u64,
    pub crews: u64,
    pub assets: u64,
    /// (districts + camps) × days simulated.
    pub place_days: u64,
    /// agencies × (districts + assets).
    pub picture_cells: u64,
    /// Estimated resident bytes of one such world.
    pub bytes: u64,
}

impl Footprint {
    /// The footprint of one world of `s` at `families_per_entity` (at least
    /// 1) simulated for `days` days.
    pub fn of(s: &Scenario, families_per_entity: u32, days: u32) -> Footprint {
        let k = u64::from(families_per_entity.max(1));
        let entities: u64 = s.population.iter().map(|g| u64::from(g.households).div_ceil(k)).sum();
        let crews = s.total_crews();
        let assets = s.assets.len() as u64;
        let places = (s.districts.len() + s.camps.len()) as u64;
        let place_days = places * u64::from(days);
        let picture_cells = s.agencies.len() as u64 * (s.districts.len() + s.assets.len()) as u64;
        let bytes = BYTES_PER_WORLD
            .saturating_add(entities.saturating_mul(BYTES_PER_HOUSEHOLD))
            .saturating_add(crews.saturating_mul(BYTES_PER_CREW))
            .saturating_add(assets.saturating_mul(BYTES_PER_ASSET))
            .saturating_add(place_days.saturating_mul(BYTES_PER_PLACE_DAY))
            .saturating_add(picture_cells.saturating_mul(BYTES_PER_PICTURE_CELL));
        Footprint {
            entities,
            crews,
            assets,
            place_days,
            picture_cells,
            bytes,
        }
    }
}

/// Estimated resident bytes of a process holding `worlds` such worlds at
/// once.
pub fn process_bytes(world: &Footprint, worlds: u64) -> u64 {
    BYTES_PER_PROCESS.saturating_add(world.bytes.saturating_mul(worlds))
}

/// The fewest families per entity (from 1 up to `max`) at which `worlds`
/// worlds fit in `available` bytes, if any.
pub fn coarsest_needed(s: &Scenario, days: u32, worlds: u64, available: u64, max: u32) -> Option<u32> {
    let fits = |k: u32| process_bytes(&Footprint::of(s, k, days), worlds) <= available;
    if !fits(max) {
        return None;
    }
    // The footprint falls as k grows: bisect for the smallest k that fits.
    let (mut lo, mut hi) = (1u32, max);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) { hi = mid } else { lo = mid + 1 }
    }
    Some(lo)
}
