//! Reading one row's text from a Python object.
//!
//! A data frame column holds whatever its source held: `None`, `NaN` for a missing value,
//! numbers, bytes, strings with lone surrogates (from `surrogateescape` decoding). Each of
//! those is a fact about one row, so it becomes that row's error message and never an
//! exception that would stop the other rows.

use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};

/// The text of one row, owned so the analysis can run without the interpreter lock, or why
/// the row has none.
pub type RowText = Result<String, String>;

/// Reads one row's text.
pub fn row_text(value: &Bound<'_, PyAny>) -> RowText {
    if value.is_none() {
        return Err("text is missing (None)".to_string());
    }
    if let Ok(s) = value.cast::<PyString>() {
        return match s.to_cow() {
            Ok(text) if text.trim().is_empty() => Err("text is empty".to_string()),
            Ok(text) => Ok(text.into_owned()),
            Err(e) => Err(not_unicode(value.py(), s, &e)),
        };
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        if f.value().is_nan() {
            return Err("text is missing (NaN)".to_string());
        }
    }
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an unknown type".to_string());
    // pandas' own missing-value markers are not strings, but they mean "missing".
    match type_name.as_str() {
        "NAType" => return Err("text is missing (NA)".to_string()),
        "NaTType" => return Err("text is missing (NaT)".to_string()),
        _ => {}
    }
    Err(format!("text is not a string (found {type_name})"))
}

/// Names the first char that UTF-8 cannot hold (a lone surrogate) and where it is.
fn not_unicode(py: Python<'_>, s: &Bound<'_, PyString>, err: &PyErr) -> String {
    let start = err
        .value(py)
        .getattr("start")
        .and_then(|v| v.extract::<usize>());
    let code = start
        .as_ref()
        .ok()
        .and_then(|&i| s.get_item(i).ok())
        .and_then(|c| code_point(&c));
    match (start, code) {
        (Ok(i), Some(code)) => {
            format!("text is not valid Unicode: a lone surrogate (U+{code:04X}) at index {i}")
        }
        _ => "text is not valid Unicode (a lone surrogate)".to_string(),
    }
}

/// The code point of a one-char Python string, which may be one Rust cannot hold.
fn code_point(c: &Bound<'_, PyAny>) -> Option<u32> {
    let builtins = c.py().import("builtins").ok()?;
    builtins.call_method1("ord", (c,)).ok()?.extract().ok()
}
