//! Suggestions for fixes: the closest name to a misspelt one ("did you
//! mean"), the list of names that exist, and the kebab-case spelling of a
//! bad id.

use std::fmt::Write as _;

use super::shown;

/// The closest name to `found`, if one is close enough to be a typo.
///
/// A name is a candidate when it is at most a third of `found`'s length in
/// edits away (`strsim::osa_distance`: insertions, deletions, substitutions
/// and swaps of neighbours). Candidates are ranked by Jaro–Winkler
/// similarity, which weighs a shared beginning: `PumpStation` is three edits
/// from both `Substation` and `PumpingStation`, and what was meant shares
/// its first letters.
pub(super) fn closest<'a>(found: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Typos are short; comparing long strings costs quadratic time for
    // nothing.
    if found.len() > 64 {
        return None;
    }
    let found_lower = found.to_lowercase();
    let found_chars = found.chars().count();
    let allowed = (found_chars / 3).max(1);
    let mut best: Option<(f64, usize, &str)> = None;
    for name in names {
        // Names whose length differs by more than the allowed distance
        // cannot be close enough; skipping them keeps long lists cheap.
        if name.len() > 64 || name.chars().count().abs_diff(found_chars) > allowed {
            continue;
        }
        let lower = name.to_lowercase();
        let distance = strsim::osa_distance(&found_lower, &lower);
        if distance > allowed {
            continue;
        }
        let similarity = strsim::jaro_winkler(&found_lower, &lower);
        let better = best.is_none_or(|(s, d, _)| similarity > s || (similarity == s && distance < d));
        if better {
            best = Some((similarity, distance, name));
        }
    }
    best.map(|(_, _, name)| name)
}

/// "did you mean `x`?" when a name close to `found` exists.
pub(crate) fn did_you_mean(found: &str, names: &[&str]) -> Option<String> {
    closest(found, names.iter().copied()).map(|name| format!("did you mean `{name}`?"))
}

/// `districts are: east, west`, shortened when the list is long.
pub(super) fn names_list(kind: &str, names: &[&str]) -> String {
    const SHOWN: usize = 12;
    if names.is_empty() {
        return format!("there are no {kind}");
    }
    let mut list = names
        .iter()
        .take(SHOWN)
        .map(|name| shown(name))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(list, " and {} more", names.len() - SHOWN);
    }
    format!("{kind} are: {list}")
}

/// The kebab-case spelling of a bad id, offered as a fix.
pub(super) fn kebab_suggestion(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_suggestions() {
        assert_eq!(closest("wset", ["east", "west", "old-city"]), Some("west"));
        assert_eq!(
            closest("contamnation", ["security", "contamination"]),
            Some("contamination")
        );
        assert_eq!(closest("zzzz", ["east", "west"]), None);
        // Three edits from both; the one that shares the typed beginning.
        let kinds = [
            "PowerStation",
            "Substation",
            "PumpingStation",
            "SewageStation",
            "WaterPlant",
        ];
        assert_eq!(closest("PumpStation", kinds), Some("PumpingStation"));
    }
}
