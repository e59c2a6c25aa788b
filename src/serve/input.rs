//! What a request body holds: its declared media type, and the text in it. Each way a body
//! can be wrong gets its own message and code.

use axum::http::{header, HeaderMap, StatusCode};
use serde_json::Value;

use super::error::ApiError;

/// The media types `POST /api/analyze` accepts.
pub const ANALYZE_TYPES: &[&str] = &["application/json", "text/plain"];

/// The media types `POST /api/batch` accepts: the names JSON Lines goes by, and plain text.
pub const BATCH_TYPES: &[&str] = &[
    "application/x-ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/json-lines",
    "application/jsonlines",
    "text/plain",
];

/// The media type of the body, one of `accepted`, with any charset UTF-8.
pub fn media_type(
    headers: &HeaderMap,
    accepted: &[&'static str],
) -> Result<&'static str, ApiError> {
    let wanted = accepted.join(" or ");
    let unsupported = |msg: String| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            msg,
        )
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported(format!(
            "the Content-Type header is missing; send {wanted}"
        )));
    };
    let value = value.to_str().unwrap_or_default();
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let Some(&found) = accepted.iter().find(|t| **t == essence) else {
        return Err(unsupported(format!(
            "Content-Type `{}` is not accepted here; send {wanted}",
            value.trim()
        )));
    };
    for param in parts {
        let (name, val) = param.split_once('=').unwrap_or((param, ""));
        let val = val.trim().trim_matches('"');
        let utf8 = val.eq_ignore_ascii_case("utf-8") || val.eq_ignore_ascii_case("utf8");
        if name.trim().eq_ignore_ascii_case("charset") && !utf8 {
            return Err(unsupported(format!(
                "charset `{val}` is not supported; send UTF-8"
            )));
        }
    }
    Ok(found)
}

/// The body as UTF-8, without a leading byte order mark (offsets count from after it, as
/// for a file the command line reads).
pub fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    let s = std::str::from_utf8(bytes).map_err(|e| {
        ApiError::bad_request(
            "invalid_utf8",
            format!("the body is not valid UTF-8 (at byte {})", e.valid_up_to()),
        )
    })?;
    Ok(s.strip_prefix('\u{feff}').unwrap_or(s))
}

/// The text to analyze: the body itself for `text/plain`, the `text` field of a JSON
/// object otherwise. Other fields are ignored.
pub fn analyze_text(media: &str, bytes: &[u8]) -> Result<String, ApiError> {
    let body = utf8(bytes)?;
    if media == "text/plain" {
        if body.trim().is_empty() {
            return Err(ApiError::unprocessable(
                "empty_text",
                "the body is empty: send the text to analyze",
            ));
        }
        return Ok(body.to_string());
    }
    let value: Value = serde_json::from_str(body).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!(
                "not valid JSON: {} (line {}, column {})",
                json_reason(&e),
                e.line(),
                e.column()
            ),
        )
    })?;
    let Value::Object(mut obj) = value else {
        return Err(ApiError::unprocessable(
            "wrong_type",
            format!(
                "expected a JSON object like {{\"text\": \"...\"}}, found {}",
                type_name(&value)
            ),
        ));
    };
    match obj.remove("text") {
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::unprocessable(
            "empty_text",
            "field `text` is empty: send the text to analyze",
        )),
        Some(Value::String(s)) => Ok(s),
        None => Err(ApiError::unprocessable(
            "missing_field",
            "field `text` is missing: send {\"text\": \"...\"}",
        )),
        Some(other) => Err(ApiError::unprocessable(
            "wrong_type",
            format!("field `text` is not a string (found {})", type_name(&other)),
        )),
    }
}

/// serde's message without its ` at line L column C`, which the caller words itself.
fn json_reason(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    crate::batch::humane_json(s.strip_suffix(&suffix).unwrap_or(&s))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_type(t: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(t) {
            h.insert(header::CONTENT_TYPE, v);
        }
        h
    }

    fn code(r: Result<impl std::fmt::Debug, ApiError>) -> StatusCode {
        r.err().map_or(StatusCode::OK, |e| e.status())
    }

    #[test]
    fn media_types_need_utf8_and_a_listed_essence() {
        assert_eq!(
            media_type(&with_type("application/json"), ANALYZE_TYPES).ok(),
            Some("application/json")
        );
        assert_eq!(
            media_type(&with_type("Text/Plain; charset=\"UTF-8\""), ANALYZE_TYPES).ok(),
            Some("text/plain")
        );
        let bad = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        assert_eq!(
            code(media_type(
                &with_type("text/plain; charset=latin1"),
                ANALYZE_TYPES
            )),
            bad
        );
        assert_eq!(
            code(media_type(&with_type("application/xml"), ANALYZE_TYPES)),
            bad
        );
        assert_eq!(code(media_type(&HeaderMap::new(), ANALYZE_TYPES)), bad);
    }

    #[test]
    fn each_bad_body_has_its_own_code() {
        let json = "application/json";
        assert_eq!(
            analyze_text(json, br#"{"text":"Sorry."}"#).ok().as_deref(),
            Some("Sorry.")
        );
        assert_eq!(
            analyze_text("text/plain", "\u{feff}Sorry.".as_bytes())
                .ok()
                .as_deref(),
            Some("Sorry.")
        );
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        assert_eq!(
            code(analyze_text(json, br#"{"text":"#)),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            code(analyze_text(json, b"{\"text\":\"\xff\"}")),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            code(analyze_text(json, br#"{"txt":"Sorry."}"#)),
            unprocessable
        );
        assert_eq!(code(analyze_text(json, br#"{"text":3}"#)), unprocessable);
        assert_eq!(code(analyze_text(json, br#"["Sorry."]"#)), unprocessable);
        assert_eq!(code(analyze_text(json, br#"{"text":"  "}"#)), unprocessable);
        assert_eq!(code(analyze_text("text/plain", b"\n")), unprocessable);
    }
}
