//! The output lines of `ownup batch`: `{"id", "file", "line", <report fields>, "error"}`.
//!
//! Every line has the same keys. A bad record has every report field `null`; a text with
//! nothing in it (most of a batch) has the empty report, written from bytes made once.

use std::fmt;
use std::io::Write as _;

use ownup::batch::{Record, RecordError};
use ownup::report::WireReport;
use ownup::Analysis;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// Writes output lines into a chunk's buffer.
pub struct LineWriter {
    /// The report fields of an empty analysis and `"error":null`, after the head.
    empty_tail: Vec<u8>,
    /// Every report field `null`, then `"error":`, after the head.
    nulls: Vec<u8>,
}

impl LineWriter {
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

    /// The line of a good record.
    pub fn report(&self, out: &mut Vec<u8>, record: &Record<'_>, file: &[u8], analysis: &Analysis) {
        head(out, record.id.as_deref(), file, record.line);
        let empty = !analysis.apology
            && analysis.score.is_none()
            && analysis.findings.is_empty()
            && analysis.contributions.is_empty()
            && analysis.safety.is_empty();
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

    /// The line of a bad record.
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

/// The keys of a JSON object, in order.
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
