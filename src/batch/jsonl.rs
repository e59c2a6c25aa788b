//! JSON Lines: one object per line. Only the wanted fields are read, borrowed from the line
//! when they hold no escapes; the rest are skipped unparsed.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as _;
use serde_json::Value;

use super::record::{Fields, Origin, Record, RecordError};

/// Parses the record on one line (without its line end).
pub(crate) fn parse<'a>(
    bytes: &'a [u8],
    line: u64,
    fields: &Fields,
    origin: &Origin,
) -> Result<Record<'a>, RecordError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Err(not_utf8(bytes, e.valid_up_to(), line, fields, origin)),
    };
    let top = read(text, fields)
        .map_err(|e| origin.error(line, None, format!("not valid JSON: {}", json_message(&e))))?;
    let found = match top {
        Top::Object(found) => found,
        Top::Other(kind) => {
            return Err(origin.error(line, None, format!("expected a JSON object, found {kind}")))
        }
    };
    let id = found.id.and_then(FieldValue::into_text);
    let text = match found.text {
        Some(FieldValue::Str(s)) => s,
        None => {
            let id = id.map(Cow::into_owned);
            return Err(origin.error(line, id, format!("field `{}` is missing", fields.text)));
        }
        Some(other) => {
            let what = format!(
                "field `{}` is not a string (found {})",
                fields.text,
                other.kind()
            );
            return Err(origin.error(line, id.map(Cow::into_owned), what));
        }
    };
    Ok(Record {
        line,
        id,
        text,
        extra: found
            .extra
            .into_iter()
            .map(|v| v.and_then(FieldValue::into_text))
            .collect(),
    })
}

/// The error of a line that is not UTF-8. The line is read again with the bad bytes
/// replaced, so that the error keeps the record's id and names the field at fault when it
/// can.
fn not_utf8(bytes: &[u8], at: usize, line: u64, fields: &Fields, origin: &Origin) -> RecordError {
    let lossy = String::from_utf8_lossy(bytes);
    let found = match read(&lossy, fields) {
        Ok(Top::Object(found)) => found,
        _ => return origin.error(line, None, format!("not valid UTF-8 (at byte {at})")),
    };
    let clean = |s: &Cow<'_, str>| !s.contains(char::REPLACEMENT_CHARACTER);
    let id = found
        .id
        .and_then(FieldValue::into_text)
        .filter(clean)
        .map(Cow::into_owned);
    let what = match &found.text {
        Some(FieldValue::Str(t)) if !clean(t) => {
            format!("field `{}` is not valid UTF-8 (at byte {at})", fields.text)
        }
        _ => format!("not valid UTF-8 (at byte {at})"),
    };
    origin.error(line, id, what)
}

/// A JSON error without serde's `at line 1 column N`: the record is one line, whose number
/// the message already gives. The column is kept for syntax errors, where it points at the
/// fault; for a wrong type or a missing field it points only at where parsing stopped.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match s.strip_suffix(&suffix) {
        Some(msg) if e.is_data() => humane_json(msg),
        Some(msg) => format!("{} (column {})", humane_json(msg), e.column()),
        None => s,
    }
}

/// serde_json's syntax messages in words for the person who wrote the line: "expected
/// ident" means a bare word where a value belongs.
pub(crate) fn humane_json(msg: &str) -> String {
    const PLAIN: &[(&str, &str)] = &[
        ("expected ident", "expected a value: a bare word must be true, false or null, and text needs double quotes"),
        ("expected value", "expected a value (text in double quotes, a number, true, false, null, an object or a list)"),
        ("EOF while parsing an object", "the JSON ends before the object is closed with `}`"),
        ("EOF while parsing a list", "the JSON ends before the list is closed with `]`"),
        ("EOF while parsing a string", "the JSON ends inside a string: a closing `\"` is missing"),
        ("EOF while parsing a value", "the JSON ends where a value was expected"),
        ("key must be a string", "a key must be text in double quotes"),
        ("expected `:`", "expected `:` after the key"),
        ("expected `,` or `}`", "expected `,` or `}` after a value"),
        ("expected `,` or `]`", "expected `,` or `]` after a list item"),
        ("trailing comma", "a comma before the closing bracket: remove it"),
        ("trailing characters", "there is more after the JSON value"),
        ("invalid escape", "an invalid escape after `\\` in a string"),
    ];
    if let Some((_, plain)) = PLAIN.iter().find(|(raw, _)| msg == *raw) {
        return (*plain).to_string();
    }
    if msg.starts_with("control character") {
        return "a raw tab or line break inside a string: write it as \\t or \\n".to_string();
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("expected {expected}, found {found}");
        }
    }
    msg.to_string()
}

/// The wanted fields of one line, or what the line holds instead of an object.
fn read<'a>(text: &'a str, fields: &Fields) -> Result<Top<'a>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let top = TopSeed { fields }.deserialize(&mut de)?;
    de.end()?;
    Ok(top)
}

enum Top<'a> {
    Object(Found<'a>),
    /// Not an object: what it is, for the message.
    Other(&'static str),
}

/// The wanted fields of an object, as found.
struct Found<'a> {
    id: Option<FieldValue<'a>>,
    text: Option<FieldValue<'a>>,
    extra: Vec<Option<FieldValue<'a>>>,
}

/// A field's value: a string (borrowed from the line when it holds no escape), `null`, or
/// anything else written as JSON.
#[derive(Debug, Clone)]
enum FieldValue<'a> {
    Str(Cow<'a, str>),
    Null,
    Other { json: String, kind: &'static str },
}

impl<'a> FieldValue<'a> {
    /// The value as an id: `None` for `null` and the empty string.
    fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            FieldValue::Str(s) if s.is_empty() => None,
            FieldValue::Str(s) => Some(s),
            FieldValue::Null => None,
            FieldValue::Other { json, .. } => Some(Cow::Owned(json)),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            FieldValue::Str(_) => "a string",
            FieldValue::Null => "null",
            FieldValue::Other { kind, .. } => kind,
        }
    }

    fn other(value: Value) -> FieldValue<'a> {
        let kind = match &value {
            Value::Null => return FieldValue::Null,
            Value::String(s) => return FieldValue::Str(Cow::Owned(s.clone())),
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        FieldValue::Other {
            json: value.to_string(),
            kind,
        }
    }
}

struct TopSeed<'f> {
    fields: &'f Fields,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Top<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let fields = self.fields;
        let mut found = Found {
            id: None,
            text: None,
            extra: vec![None; fields.extra.len()],
        };
        while let Some(key) = map.next_key_seed(KeySeed { fields })? {
            if key.is_empty() {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = map.next_value_seed(ValueSeed)?;
            for (i, slot) in found.extra.iter_mut().enumerate() {
                if key.extra & (1 << i) != 0 {
                    *slot = Some(value.clone());
                }
            }
            if key.id {
                found.id = Some(value.clone());
            }
            if key.text {
                found.text = Some(value);
            }
        }
        Ok(Top::Object(found))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Top::Other("an array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Top<'de>, E> {
        Ok(Top::Other("a string"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Top<'de>, E> {
        Ok(Top::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Top<'de>, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Top<'de>, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Top<'de>, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Top<'de>, E> {
        Ok(Top::Other("null"))
    }
}

/// Which wanted fields a key names (a key may name several: `--id-field text`).
struct Key {
    text: bool,
    id: bool,
    /// Bit `i`: extra field `i`.
    extra: u64,
}

impl Key {
    fn is_empty(&self) -> bool {
        !self.text && !self.id && self.extra == 0
    }
}

struct KeySeed<'f> {
    fields: &'f Fields,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        let f = self.fields;
        let extra = f
            .extra
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, name)| *name == key)
            .fold(0u64, |bits, (i, _)| bits | 1 << i);
        Ok(Key {
            text: f.text == key,
            id: f.id == key,
            extra,
        })
    }
}

struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = FieldValue<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<FieldValue<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = FieldValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::Str(Cow::Owned(s.to_string())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::Str(Cow::Owned(s)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::other(Value::from(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::other(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::other(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FieldValue<'de>, E> {
        Ok(FieldValue::other(Value::from(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<FieldValue<'de>, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(FieldValue::other(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldValue<'de>, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(FieldValue::other(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin { label: None }
    }

    fn parse_line(line: &[u8]) -> Result<Record<'_>, RecordError> {
        parse(line, 1, &Fields::default(), &origin())
    }

    #[test]
    fn ids_are_text_and_strings_borrow() {
        let r = parse_line(br#"{"id":7,"text":"plain","other":[1,{"a":2}]}"#).expect("good");
        assert_eq!(r.id.as_deref(), Some("7"));
        assert!(matches!(r.text, Cow::Borrowed("plain")));
        let r = parse_line(br#"{"text":"a\"b","id":{"x":[1.5,true]}}"#).expect("good");
        assert_eq!(r.text, "a\"b");
        assert_eq!(r.id.as_deref(), Some(r#"{"x":[1.5,true]}"#));
        let r = parse_line(br#"{"text":"t","id":null}"#).expect("good");
        assert_eq!(r.id, None);
    }

    #[test]
    fn errors_keep_the_id_and_name_the_field() {
        let e = parse_line(b"{\"id\":\"g\",\"text\":\"\xff\xfe\"}").expect_err("bad");
        assert_eq!(e.id.as_deref(), Some("g"));
        assert_eq!(
            e.message,
            "line 1: field `text` is not valid UTF-8 (at byte 18)"
        );
        let e = parse_line(br#"{"id":"n","text":null}"#).expect_err("bad");
        assert_eq!(
            e.message,
            "line 1: field `text` is not a string (found null)"
        );
        assert_eq!(e.id.as_deref(), Some("n"));
        let e = parse_line(br#"[1,2]"#).expect_err("bad");
        assert_eq!(e.message, "line 1: expected a JSON object, found an array");
        let e = parse_line(br#"{"text":"a"} x"#).expect_err("bad");
        assert!(e
            .message
            .starts_with("line 1: not valid JSON: there is more after the JSON value"));
    }
}
