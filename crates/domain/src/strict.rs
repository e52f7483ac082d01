//! Policies are read leniently where a newer server may have added a field
//! (a device reading what its login brought), and strictly where a person
//! wrote them (a municipality's policy file), so that a misspelt key is an
//! error naming it instead of a rule silently left at its default.

use serde::Serialize;
use serde_json::Value;

/// The keys of the JSON `text` that `parsed` (what was read from it) does
/// not have, as dotted paths (`hours.0.form`). Empty when every key was used.
pub fn unknown_keys<T: Serialize>(text: &str, parsed: &T) -> Vec<String> {
    let (Ok(given), Ok(known)) = (
        serde_json::from_str::<Value>(text),
        serde_json::to_value(parsed),
    ) else {
        return Vec::new();
    };
    let mut unknown = Vec::new();
    walk(&given, &known, "", &mut unknown);
    unknown
}

fn walk(given: &Value, known: &Value, path: &str, unknown: &mut Vec<String>) {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (given, known) {
        (Value::Object(given), Value::Object(known)) => {
            for (key, value) in given {
                match known.get(key) {
                    Some(inner) => walk(value, inner, &at(key), unknown),
                    None => unknown.push(at(key)),
                }
            }
        }
        (Value::Array(given), Value::Array(known)) => {
            for (i, (value, inner)) in given.iter().zip(known).enumerate() {
                walk(value, inner, &at(&i.to_string()), unknown);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize)]
    struct Window {
        from: String,
    }

    #[derive(Serialize, serde::Deserialize)]
    struct Policy {
        cap: u32,
        hours: Vec<Window>,
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_path() {
        let text = r#"{"cap": 1, "capp": 2, "hours": [{"from": "10:00", "form": "x"}]}"#;
        let parsed: Policy = serde_json::from_str(text).unwrap();
        assert_eq!(unknown_keys(text, &parsed), vec!["capp", "hours.0.form"]);
    }

    #[test]
    fn a_file_with_only_known_keys_has_none() {
        let text = r#"{"cap": 1, "hours": []}"#;
        let parsed: Policy = serde_json::from_str(text).unwrap();
        assert!(unknown_keys(text, &parsed).is_empty());
    }
}
