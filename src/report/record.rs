//! The output lines of `ownup batch` and of the HTTP API's batch route:
//! `{"id", "file", "line", <report fields>, "error"}`. Both write them with this one writer,
//! so a tool can switch between the command and the API without a second parser.
//!
//! Every line has the same keys. A bad record has every report field `null`; a text with
//! nothing in it (most of a batch) has the empty report, written from bytes made once.

use std::fmt;
use std::io::Write as _;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::WireReport;
use crate::analysis::Analysis;
use crate::batch::{Record, RecordError};

/// Writes output lines into a buffer.
pub struct LineWriter {
    /// The report fields of an empty analysis and `"error":null`, after the head.
    empty_tail: Vec<u8>,
    /// Every report field `null`, then `"error":`, after the head.
    nulls: Vec<u8>,
}

impl Default for LineWriter {
    fn default() -> Self {
        LineWriter::new()
    }
}

impl LineWriter {
    /// Makes the bytes every line shares.
    pub fn new() -> LineWriter {
        let empty = serde_json::to_vec(&WireReport::new(&Analysis::default(), ""))
            .unwrap_or_else(|_| b"{}".to_vec());
        let mut empty_tail = b",".to_vec();
        empty_tail.extend_from_slice(&empty[1..empty.len() - 1]);
        empty_tail.extend_from_slice(b",\"error\":null}\n");
        let mut nulls = Vec::new();
        for key in report_keys(&empty) {
            nulls.push(b',');
            push_json(&mut nulls, &key);
            nulls.extend_from_slice(b":null");
        }
        nulls.extend_from_slice(b",\"error\":");
        LineWriter { empty_tail, nulls }
    }

    /// The `file` value of an input's lines, as JSON.
    pub fn file(&self, name: &str) -> Vec<u8> {
        let mut json = Vec::new();
        push_json(&mut json, name);
        json
    }

    /// Appends the line of a good record; `file` is [`LineWriter::file`]'s value.
    pub fn report(&self, out: &mut Vec<u8>, record: &Record<'_>, file: &[u8], analysis: &Analysis) {
        head(out, record.id.as_deref(), file, record.line);
        let empty = !analysis.apology
            && analysis.score.is_none()
            && analysis.findings.is_empty()
            && analysis.contributions.is_empty()
            && analysis.safety.is_empty()
            && analysis.setting.is_none();
        if empty {
            out.extend_from_slice(&self.empty_tail);
            return;
        }
        // The report's object, its braces turned into the separator and the line's end.
        let start = out.len();
        if serde_json::to_writer(&mut *out, &WireReport::new(analysis, &record.text)).is_err()
            || out.len() < start + 2
        {
            // Writing our own structs into memory cannot fail; should it, the line stays
            // whole, with the empty report.
            out.truncate(start);
            out.extend_from_slice(&self.empty_tail);
            return;
        }
        out[start] = b',';
        out.pop();
        out.extend_from_slice(b",\"error\":null}\n");
    }

    /// Appends the line of a bad record; `file` is [`LineWriter::file`]'s value.
    pub fn error(&self, out: &mut Vec<u8>, e: &RecordError, file: &[u8]) {
        head(out, e.id.as_deref(), file, e.line);
        out.extend_from_slice(&self.nulls);
        push_json(out, &e.message);
        out.extend_from_slice(b"}\n");
    }
}

fn head(out: &mut Vec<u8>, id: Option<&str>, file: &[u8], line: u64) {
    out.extend_from_slice(b"{\"id\":");
    match id {
        Some(id) => push_json(out, id),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"file\":");
    out.extend_from_slice(file);
    // Into memory, writing does not fail.
    let _ = write!(out, ",\"line\":{line}");
}

/// Appends `s` as a JSON string.
fn push_json(out: &mut Vec<u8>, s: &str) {
    // Into memory, a string always serializes.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// The keys of a JSON object, in order (`serde_json::Map` would sort them), read off the
/// report itself so that a field added to [`WireReport`] appears as `null` in error lines
/// without a second list.
fn report_keys(object: &[u8]) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an object")
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
            d.deserialize_map(V)
        }
    }
    serde_json::from_slice::<Keys>(object)
        .map(|k| k.0)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn an_error_line_has_every_report_key_as_null() {
        let lines = LineWriter::new();
        let file = lines.file("body");
        let e = RecordError {
            line: 3,
            id: Some("r1".to_string()),
            message: "line 3: field `text` is missing".to_string(),
        };
        let mut line = Vec::new();
        lines.error(&mut line, &e, &file);
        let v: Value = serde_json::from_slice(&line).unwrap_or_default();
        let empty =
            serde_json::to_value(WireReport::new(&Analysis::default(), "")).unwrap_or_default();
        let keys = empty.as_object().map(|m| m.len()).unwrap_or(0);
        assert!(keys > 0);
        for (k, _) in empty.as_object().into_iter().flatten() {
            assert_eq!(v.get(k), Some(&Value::Null), "{k}");
        }
        assert_eq!(v["id"], "r1");
        assert_eq!(v["file"], "body");
        assert_eq!(v["line"], 3);
        assert_eq!(v["error"], "line 3: field `text` is missing");
        assert!(line.ends_with(b"\n"));
    }

    #[test]
    fn a_report_line_has_the_keys_of_an_error_line_in_the_same_order() {
        let lines = LineWriter::new();
        let file = lines.file("body");
        let record = Record {
            line: 1,
            id: None,
            text: "I'm sorry you feel that way.".into(),
            extra: Vec::new(),
        };
        let analysis = crate::Analyzer::default().analyze(&record.text);
        let mut good = Vec::new();
        lines.report(&mut good, &record, &file, &analysis);
        let e = RecordError {
            line: 2,
            id: None,
            message: "line 2: malformed JSON".to_string(),
        };
        let mut bad = Vec::new();
        lines.error(&mut bad, &e, &file);
        assert_eq!(report_keys(&good), report_keys(&bad));
        let v: Value = serde_json::from_slice(&good).unwrap_or_default();
        assert_eq!(v["id"], Value::Null);
        assert_eq!(v["error"], Value::Null);
        assert!(v["score"].is_number(), "{v}");
    }
}
