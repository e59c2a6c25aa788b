//! Plain lines: each non-blank line is one text, with no id.

use std::borrow::Cow;

use super::record::{utf8, Fields, Origin, Record, RecordError};

/// The record on one line (without its line end).
pub(crate) fn parse<'a>(
    bytes: &'a [u8],
    line: u64,
    fields: &Fields,
    origin: &Origin,
) -> Result<Record<'a>, RecordError> {
    let text = utf8(Cow::Borrowed(bytes))
        .map_err(|at| origin.error(line, None, format!("not valid UTF-8 (at byte {at})")))?;
    Ok(Record {
        line,
        id: None,
        text,
        extra: vec![None; fields.extra.len()],
    })
}
