//! Turns scenario text into a [`Scenario`] and finds everything wrong with it,
//! each problem with its field path, line, column and a suggested fix.
//!
//! `ron` stops at the first syntax or structure error; validation then
//! mends the text where one small edit is likely to (a misspelt name, a
//! field too many or missing, a value of the wrong type, a missing comma)
//! and reads on, so that the semantic checks report every problem at once,
//! in source order, and one mistake does not hide the others. Nothing here
//! allocates in proportion to what a scenario *describes*
//! (households, crews, days): the [`LIMITS`] are checked on the parsed
//! numbers, so an absurd scenario is refused before the engine builds it.
//! Nothing here may panic on any input.
//!
//! - `recover.rs`: [`read`], which parses, mends and parses again, then
//!   runs the semantic checks, and places every problem in the text as
//!   written;
//! - `syntax.rs`: a `ron` error in words, the checks made before parsing,
//!   and the `ron` options every scenario text is read with;
//! - `semantic/`: [`check`] and [`check_effect`], one file per part of the
//!   scenario;
//! - `suggest.rs`: "did you mean", name lists and id spellings offered as
//!   fixes.
//!
//! The asset dependency graph that the cycle check reads, and the order the
//! engine runs assets in, are `scenario::order`'s, not validation's.

mod recover;
mod semantic;
mod suggest;
mod syntax;

pub(crate) use recover::read;
pub use semantic::check_effect;
pub(crate) use suggest::did_you_mean;
pub use syntax::ron_options;

/// Largest magnitude of any quantity (capacities, stocks, budgets, rates,
/// weights): far above any real figure, far below where sums overflow.
const MAX_QUANTITY: f64 = 1e15;

/// Smallest value of a quantity the model divides by.
const MIN_DIVISOR: f64 = 1e-9;

/// The largest scenario this build accepts. Each limit is set from what one
/// world of that size was measured to cost on the project's 2-core machine
/// (`docs/performance.md`, "Limits"; the per-item figures are
/// `sim::footprint`'s): at every limit one world fits in a few GiB and is
/// built in seconds, so a scenario that validates can run on one machine.
/// Whether the *several* worlds a command builds at once fit in the memory
/// of the machine at hand is decided by the command before it builds them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Households over all population groups. At the limit one world at
    /// full resolution is 3 to 4.8 GB (150 B an entity at home, up to 240 B
    /// displaced) and takes about 20 s to generate (1 µs a household:
    /// 4,000,000 in 4.2 s); `--family-per-entity` divides both.
    pub households: u64,
    /// People over all population groups (households × mean size): sums of
    /// people stay exact in `f64` far beyond it.
    pub people: u64,
    /// Longest run, in days (`horizon_days`): a hundred years. The tutorial
    /// runs 36,500 days in 1.7 s and 39 MB.
    pub horizon_days: u32,
    /// Items in each of the lists `districts`, `assets`, `agencies`,
    /// `camps`, `population` and `injects`: dense indices are `u16`. The
    /// tutorial with 60,000 more assets validates in 2.5 s and runs a day
    /// in 0.65 s and 224 MB.
    pub list_items: usize,
    /// Crews over all agencies and crew groups. At the limit one world is
    /// about 440 MB (376 B a crew measured) and takes about 5 s to build
    /// (300,000 crews: 1.5 s, 127 MB).
    pub crews: u64,
    /// Place-days a run records (horizon × (districts + camps)): at the limit
    /// the daily outcomes of one world are about 1.2 GB (206 B a place-day
    /// measured).
    pub place_days: u64,
    /// Entries of all agencies' pictures (agencies × (districts + assets)):
    /// at the limit about 64 MB a world.
    pub picture_cells: u64,
    /// Smallest mean household size.
    pub min_mean_size: f64,
    /// Largest mean household size.
    pub max_mean_size: f64,
}

/// The limits of this build.
pub const LIMITS: Limits = Limits {
    households: 20_000_000,
    people: 150_000_000,
    horizon_days: 36_500,
    list_items: 65_535,
    crews: 1_000_000,
    place_days: 5_000_000,
    picture_cells: 1_000_000,
    min_mean_size: 1.0,
    max_mean_size: 30.0,
};

/// Text from the file, made safe to print: control characters (a terminal
/// escape in an id, say) are written as escapes.
fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A string from the file for a message: controls escaped, and cut short
/// when long.
fn shown(text: &str) -> String {
    const LONGEST: usize = 60;
    let mut out = escape_controls(&text.chars().take(LONGEST).collect::<String>());
    if text.chars().nth(LONGEST).is_some() {
        out.push('…');
    }
    out
}
