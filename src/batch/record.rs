//! Records and their errors, the fields to read from them, and the record formats' shared
//! parts.

use std::borrow::Cow;
use std::sync::Arc;

/// Which fields of a record to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The field holding the text (default `text`).
    pub text: String,
    /// The field holding the record id (default `id`).
    pub id: String,
    /// More fields to read as strings (e.g. thread and author fields); see [`Record::extra`].
    pub extra: Vec<String>,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            text: "text".to_string(),
            id: "id".to_string(),
            extra: Vec::new(),
        }
    }
}

/// One good record, borrowing from the chunk it was read from where it can.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The id field's value as text (a string as it is; a number, boolean, array or object as
    /// JSON), `None` when the record has none (missing, `null`, or an empty CSV field).
    pub id: Option<Cow<'a, str>>,
    /// The text.
    pub text: Cow<'a, str>,
    /// The [`Fields::extra`] fields, in order, read as [`Record::id`] is, `None` also when
    /// empty.
    pub extra: Vec<Option<Cow<'a, str>>>,
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The id, when it could be read.
    pub id: Option<String>,
    /// What is wrong, starting with `line N: `; when several inputs are read, with the
    /// input's name before that (`data.jsonl: line N: `), since line numbers alone would not
    /// say which file.
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecordError {}

/// Where a record comes from, for its error messages.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// The input's name, when messages must name it.
    pub label: Option<Arc<str>>,
}

impl Origin {
    /// The error of the record starting at `line`.
    pub fn error(
        &self,
        line: u64,
        id: Option<String>,
        what: impl std::fmt::Display,
    ) -> RecordError {
        let message = match &self.label {
            Some(name) => format!("{name}: line {line}: {what}"),
            None => format!("line {line}: {what}"),
        };
        RecordError { line, id, message }
    }
}

/// A field's bytes as text: `Err(at)` names the first byte that is not UTF-8.
pub(crate) fn utf8(bytes: Cow<'_, [u8]>) -> Result<Cow<'_, str>, usize> {
    match bytes {
        Cow::Borrowed(b) => std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|e| e.valid_up_to()),
        Cow::Owned(b) => String::from_utf8(b)
            .map(Cow::Owned)
            .map_err(|e| e.utf8_error().valid_up_to()),
    }
}
