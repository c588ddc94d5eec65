//! The six-decimal rounding of every float written to a file (the JSON
//! document, recordings, compare parts), in one place that `record`,
//! `score`, `compare` and `report` can all use without depending on each
//! other.

/// Rounds to 6 decimal places so the JSON is readable; the digest, not
/// the JSON, is the bit-exact record.
pub fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
