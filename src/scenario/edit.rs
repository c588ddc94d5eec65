//! Setting one parameter of a loaded scenario by its path, for sweeps
//! (`cimsim compare --set PATH=V1,V2`).
//!
//! A path names a field the way the scenario file is written: fields joined
//! by dots, list items by their `id` (or `name`) or their position in
//! brackets — `cooperation.liaison_days`, `agencies[electricity].crews[0].count`,
//! `assets[al-qasoor-wtp].repair_effort`. Only numbers, flags and names can
//! be set. The edited scenario is written back as RON text and loaded like
//! any file, so every check of `validate` applies to every sweep point and
//! each point has its own content hash.

use serde_json::Value;

use super::{LoadedScenario, Scenario, ScenarioSource};

/// Why a path or a value cannot be used.
pub type EditError = String;

/// The scenario as a tree of values.
fn tree(s: &Scenario) -> Value {
    serde_json::to_value(s).expect("a scenario is plain data and always serialises")
}

/// One step of a path: a field, or a list item by id or position.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Item(String),
}

fn steps(path: &str) -> Result<Vec<Step>, EditError> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (field, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if field.is_empty() {
            return Err(format!("`{path}`: empty field name (write fields joined by dots)"));
        }
        out.push(Step::Field(field.to_string()));
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(format!("`{path}`: `[` without `]`"));
            };
            out.push(Step::Item(r[..end].to_string()));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("`{path}`: unexpected `{rest}` after `]`"));
        }
    }
    Ok(out)
}

/// The value at `path`, for reading or writing.
fn locate<'v>(root: &'v mut Value, path: &str) -> Result<&'v mut Value, EditError> {
    let mut here = root;
    let mut walked = String::new();
    for step in steps(path)? {
        here = match step {
            Step::Field(name) => {
                let Value::Object(map) = here else {
                    return Err(format!("`{walked}` has no fields; `{name}` cannot follow it"));
                };
                if !map.contains_key(&name) {
                    let known: Vec<&str> = map.keys().map(String::as_str).collect();
                    let at = if walked.is_empty() { "the scenario" } else { &walked };
                    return Err(format!(
                        "unknown field `{name}` in {at}; fields are: {}",
                        known.join(", ")
                    ));
                }
                if !walked.is_empty() {
                    walked.push('.');
                }
                walked.push_str(&name);
                map.get_mut(&name).expect("checked above")
            }
            Step::Item(key) => {
                let Value::Array(items) = here else {
                    return Err(format!("`{walked}` is not a list; `[{key}]` cannot follow it"));
                };
                let by_id = |v: &Value| {
                    ["id", "name"]
                        .iter()
                        .any(|f| v.get(f).and_then(Value::as_str) == Some(key.as_str()))
                };
                let i = match items.iter().position(by_id) {
                    Some(i) => i,
                    None => match key.parse::<usize>() {
                        Ok(i) if i < items.len() => i,
                        _ => {
                            let ids: Vec<&str> = items
                                .iter()
                                .filter_map(|v| v.get("id").or_else(|| v.get("name")).and_then(Value::as_str))
                                .collect();
                            let hint = if ids.is_empty() {
                                format!("positions 0 to {}", items.len().saturating_sub(1))
                            } else {
                                format!("ids: {}", ids.join(", "))
                            };
                            return Err(format!("`{walked}` has no item `{key}`; {hint}"));
                        }
                    },
                };
                walked.push_str(&format!("[{key}]"));
                &mut items[i]
            }
        };
    }
    Ok(here)
}

/// Splits a sweep as given to `--set`, `PATH=V1,V2,...`, into its path and
/// its values (none of them empty). The path and the values are checked
/// against a scenario by [`check`].
pub fn parse_sweep(text: &str) -> Result<(String, Vec<String>), EditError> {
    let (path, values) = text
        .split_once('=')
        .ok_or_else(|| format!("expected PATH=V1,V2,..., found `{text}`"))?;
    let values: Vec<String> = values.split(',').map(str::to_string).collect();
    if values.iter().any(String::is_empty) {
        return Err(format!("`{path}`: an empty value in `{text}`"));
    }
    Ok((path.to_string(), values))
}

/// Checks that `path` names a number, a flag or a name in `s` and that each
/// of `values` has its type. Nothing is run.
pub fn check(s: &Scenario, path: &str, values: &[String]) -> Result<(), EditError> {
    let mut root = tree(s);
    let leaf = locate(&mut root, path)?;
    for v in values {
        typed(leaf, path, v)?;
    }
    Ok(())
}

/// `text` as a value of the same type as `old`.
fn typed(old: &Value, path: &str, text: &str) -> Result<Value, EditError> {
    let wrong = |what: &str| format!("`{path}` is {what}, found `{text}`");
    Ok(match old {
        Value::Number(n) if n.is_u64() => Value::from(text.parse::<u64>().map_err(|_| wrong("a whole number"))?),
        Value::Number(_) => {
            let x: f64 = text.parse().map_err(|_| wrong("a number"))?;
            if !x.is_finite() {
                return Err(wrong("a finite number"));
            }
            Value::from(x)
        }
        Value::Bool(_) => Value::from(text.parse::<bool>().map_err(|_| wrong("`true` or `false`"))?),
        Value::String(_) => Value::from(text),
        Value::Null => return Err(format!("`{path}` is not set in this scenario; set a field that is")),
        _ => {
            return Err(format!(
                "`{path}` is a structure or a list; give the path of a number, flag or name"
            ));
        }
    })
}

/// The scenario with `path` set to `value`, written back as RON and loaded
/// like a file (so validated); the source is named after the edit.
pub fn set(loaded: &LoadedScenario, path: &str, value: &str) -> Result<LoadedScenario, EditError> {
    let mut root = tree(&loaded.scenario);
    let leaf = locate(&mut root, path)?;
    *leaf = typed(leaf, path, value)?;
    let edited: Scenario =
        serde_json::from_value(root).map_err(|e| format!("`{path}` = `{value}` does not fit the scenario: {e}"))?;
    let text = ron::ser::to_string_pretty(&edited, ron::ser::PrettyConfig::default())
        .map_err(|e| format!("cannot write the edited scenario: {e}"))?;
    let source = ScenarioSource {
        name: format!("{} with {path}={value}", loaded.source.name),
        text,
    };
    super::load(source).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.path, p.message)).collect();
        format!("`{path}` = `{value}` makes the scenario invalid: {}", list.join("; "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mosul() -> LoadedScenario {
        super::super::load(super::super::builtin("mosul-2017").unwrap()).unwrap()
    }

    #[test]
    fn paths_reach_fields_and_list_items_by_id_or_position() {
        let l = mosul();
        let edited = set(&l, "cooperation.liaison_days", "3").unwrap();
        assert_eq!(edited.scenario.cooperation.liaison_days, 3);
        let edited = set(&l, "agencies[electricity].crews[0].count", "7").unwrap();
        let e = edited.scenario.agencies.iter().find(|a| a.id == "electricity").unwrap();
        assert_eq!(e.crews[0].count, 7);
        assert_ne!(edited.content_hash, l.content_hash);
    }

    #[test]
    fn bad_paths_and_values_say_what_is_wrong() {
        let l = mosul();
        let err = |p: &str, v: &str| check(&l.scenario, p, &[v.to_string()]).unwrap_err();
        assert!(err("cooperation.liaison_dayz", "1").contains("fields are:"));
        assert!(err("agencies[police].budget", "1").contains("ids: water"));
        assert!(err("cooperation.liaison_days", "soon").contains("a whole number"));
        assert!(err("cooperation.formal_honour", "nan").contains("a finite number"));
        assert!(err("cooperation", "1").contains("structure"));
        assert!(err("cooperation.liaison_days[2]", "1").contains("not a list"));
        // A value of the right type that the checks refuse.
        assert!(
            set(&l, "cooperation.formal_honour", "2")
                .unwrap_err()
                .contains("invalid")
        );
    }
}
