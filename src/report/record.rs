//! One output line of `ownup batch` and of the HTTP API's batch route: the record's `id` and
//! `line`, the fields of the JSON report, and `error`. Both write exactly this, so a tool can
//! switch between the command and the API without a second parser.

use std::sync::OnceLock;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::WireReport;
use crate::analysis::Analysis;

/// One record's output line. A bad record carries every report field as `null`, so the
/// schema of every line is the same.
#[derive(Serialize)]
pub struct RecordLine<'a> {
    id: &'a Value,
    line: u64,
    #[serde(flatten)]
    body: Body,
    error: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    Report(WireReport),
    Nulls(Nulls),
}

impl<'a> RecordLine<'a> {
    /// The line of a record that was analyzed.
    pub fn report(id: &'a Value, line: u64, report: WireReport) -> RecordLine<'a> {
        RecordLine {
            id,
            line,
            body: Body::Report(report),
            error: None,
        }
    }

    /// The line of a record that could not be read; `message` says what and where.
    pub fn error(id: &'a Value, line: u64, message: &'a str) -> RecordLine<'a> {
        RecordLine {
            id,
            line,
            body: Body::Nulls(Nulls),
            error: Some(message),
        }
    }

    /// The JSON line, ending in `\n`.
    pub fn to_json_line(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).unwrap_or_else(|e| {
            // Serializing our own structs cannot fail; keep the record anyway.
            serde_json::to_vec(
                &serde_json::json!({"id": Value::Null, "line": self.line, "error": e.to_string()}),
            )
            .unwrap_or_default()
        });
        bytes.push(b'\n');
        bytes
    }
}

/// The top-level keys of the JSON report, in order, read off the report itself so that a
/// field added to [`WireReport`] appears as `null` in error lines without a second list.
fn report_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let empty = WireReport::new(&Analysis::default(), "");
        serde_json::to_string(&empty)
            .ok()
            .and_then(|s| serde_json::from_str::<Keys>(&s).ok())
            .map(|k| k.0)
            .unwrap_or_default()
    })
}

/// The keys of a JSON object, in order (`serde_json::Map` would sort them).
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(KeysVisitor)
    }
}

/// Every report key with a `null` value.
struct Nulls;

impl Serialize for Nulls {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let keys = report_keys();
        let mut map = s.serialize_map(Some(keys.len()))?;
        for k in keys {
            map.serialize_entry(k, &())?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_line_has_every_report_key_as_null() {
        let id = Value::from("r1");
        let line = RecordLine::error(&id, 3, "line 3: field `text` is missing").to_json_line();
        let v: Value = serde_json::from_slice(&line).unwrap_or_default();
        let empty =
            serde_json::to_value(WireReport::new(&Analysis::default(), "")).unwrap_or_default();
        let keys = empty.as_object().map(|m| m.len()).unwrap_or(0);
        assert!(keys > 0);
        for (k, _) in empty.as_object().into_iter().flatten() {
            assert_eq!(v.get(k), Some(&Value::Null), "{k}");
        }
        assert_eq!(v["id"], "r1");
        assert_eq!(v["line"], 3);
        assert_eq!(v["error"], "line 3: field `text` is missing");
        assert!(line.ends_with(b"\n"));
    }
}
