//! CSV with a header row: RFC 4180 records, read as the common CSV readers read them.
//!
//! A record ends at a line end outside quotes; a field that starts with `"` is quoted and may
//! hold commas, line ends and `""` for a quote; bytes after its closing quote join the
//! field, and a quote inside an unquoted field is an ordinary byte. Blank lines are not
//! records. The reader thread only finds where records end ([`Cutter`]); workers read the
//! fields ([`Rows`]), with the same rules.
//!
//! Two things are errors of the record, not of the whole input: a row whose number of fields
//! differs from the header's, and a quoted field that never closes (it runs to the end of the
//! input, so that record is the input's last).

use std::borrow::Cow;

use super::input::InputError;
use super::record::{utf8, Fields, Origin, Record, RecordError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before a record: line ends here are blank lines.
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// After a quote inside a quoted field: a second quote is a quote, anything else ends
    /// the quoted part.
    QuoteInQuote,
}

/// What a byte does to the state; `true` when it ends a record.
fn step(state: State, b: u8) -> (State, bool) {
    let line_end = b == b'\n' || b == b'\r';
    match state {
        State::StartRecord if line_end => (State::StartRecord, false),
        State::StartRecord | State::StartField => match b {
            b'"' => (State::InQuoted, false),
            b',' => (State::StartField, false),
            _ if line_end => (State::StartRecord, true),
            _ => (State::InField, false),
        },
        State::InField | State::QuoteInQuote => match b {
            b'"' if state == State::QuoteInQuote => (State::InQuoted, false),
            b',' => (State::StartField, false),
            _ if line_end => (State::StartRecord, true),
            _ => (State::InField, false),
        },
        State::InQuoted if b == b'"' => (State::QuoteInQuote, false),
        State::InQuoted => (State::InQuoted, false),
    }
}

/// Finds where records end in a growing buffer, for the reader to cut chunks there.
#[derive(Debug, Clone)]
pub(crate) struct Cutter {
    state: State,
    /// How far the buffer has been scanned.
    scanned: usize,
    /// Just past the last record end found.
    last_end: usize,
}

impl Cutter {
    pub fn new() -> Cutter {
        Cutter {
            state: State::StartRecord,
            scanned: 0,
            last_end: 0,
        }
    }

    /// Scans the bytes of `buf` not scanned yet; returns the position just past the last
    /// record end in `buf` (0 when there is none).
    pub fn scan(&mut self, buf: &[u8]) -> usize {
        for (i, &b) in buf.iter().enumerate().skip(self.scanned) {
            let (state, ends) = step(self.state, b);
            self.state = state;
            if ends {
                self.last_end = i + 1;
            }
        }
        self.scanned = buf.len();
        self.last_end
    }

    /// The buffer lost its first `n` bytes (a chunk cut at a record end).
    pub fn consumed(&mut self, n: usize) {
        self.scanned -= n;
        self.last_end -= n;
    }
}

/// One row as read: its fields, the line it starts on, and whether it ran to the end of the
/// data inside a quoted field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row<'a> {
    pub line: u64,
    pub fields: Vec<Cow<'a, [u8]>>,
    /// The line where a quoted field opened that never closed.
    pub unterminated: Option<u64>,
}

/// The rows of a run of whole records.
pub(crate) struct Rows<'a> {
    data: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Rows<'a> {
    /// Reads `data`, whose first byte is on line `line`.
    pub fn new(data: &'a [u8], line: u64) -> Rows<'a> {
        Rows { data, pos: 0, line }
    }

    /// How many bytes the rows read so far took, with their line ends.
    pub fn consumed(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for Rows<'a> {
    type Item = Row<'a>;

    fn next(&mut self) -> Option<Row<'a>> {
        let mut state = State::StartRecord;
        let mut fields = Vec::new();
        // The field so far: borrowed while it is one unbroken run of the data.
        let mut field: Cow<'a, [u8]> = Cow::Borrowed(&[]);
        let mut run_start = None;
        let mut start_line = self.line;
        let mut quote_line = self.line;
        let data = self.data;
        while self.pos < data.len() {
            let b = data[self.pos];
            let at = self.pos;
            self.pos += 1;
            if state == State::StartRecord {
                start_line = self.line;
            }
            if b == b'\n' {
                self.line += 1;
            }
            let (next, ends) = step(state, b);
            // Whether the byte is part of the field's content.
            let content = match (state, next) {
                (State::StartRecord | State::StartField, State::InQuoted) => {
                    quote_line = self.line;
                    false
                }
                (State::InQuoted, State::QuoteInQuote) => false,
                (_, State::InField | State::InQuoted) => true,
                _ => false,
            };
            if content {
                push(&mut field, &mut run_start, data, at);
            } else {
                settle(&mut field, &mut run_start, data, at);
            }
            if next == State::StartField || ends {
                fields.push(std::mem::replace(&mut field, Cow::Borrowed(&[])));
            }
            state = next;
            if ends {
                return Some(Row {
                    line: start_line,
                    fields,
                    unterminated: None,
                });
            }
        }
        if state == State::StartRecord {
            return None;
        }
        settle(&mut field, &mut run_start, data, data.len());
        fields.push(field);
        Some(Row {
            line: start_line,
            fields,
            unterminated: (state == State::InQuoted).then_some(quote_line),
        })
    }
}

/// Adds the byte at `at` to the field: extends the current run, or starts one.
fn push<'a>(field: &mut Cow<'a, [u8]>, run_start: &mut Option<usize>, data: &'a [u8], at: usize) {
    match run_start {
        Some(_) => {}
        None if field.is_empty() && matches!(field, Cow::Borrowed(_)) => *run_start = Some(at),
        None => field.to_mut().push(data[at]),
    }
}

/// Ends the current run before `at`: the field is the run, or gets it appended.
fn settle<'a>(field: &mut Cow<'a, [u8]>, run_start: &mut Option<usize>, data: &'a [u8], at: usize) {
    let Some(start) = run_start.take() else {
        return;
    };
    let run = &data[start..at];
    if field.is_empty() && matches!(field, Cow::Borrowed(_)) {
        *field = Cow::Borrowed(run);
    } else {
        field.to_mut().extend_from_slice(run);
    }
}

/// Where the wanted fields are, from the header.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    count: usize,
    text: usize,
    id: Option<usize>,
    extra: Vec<Option<usize>>,
}

impl Columns {
    /// Reads the header row. `None` for an empty input (no header, no records).
    pub fn from_header(
        header: Option<Row<'_>>,
        fields: &Fields,
        name: &str,
    ) -> Result<Option<Columns>, InputError> {
        let Some(header) = header else {
            return Ok(None);
        };
        let bad = |what: String| {
            InputError::new(
                name,
                std::io::Error::new(std::io::ErrorKind::InvalidData, what),
            )
        };
        if let Some(line) = header.unterminated {
            return Err(bad(format!(
                "the CSV header has a quoted field, opened on line {line}, that never closes"
            )));
        }
        let names: Vec<String> = header
            .fields
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        let pos = |f: &str| names.iter().position(|n| n == f);
        let Some(text) = pos(&fields.text) else {
            return Err(bad(format!(
                "the CSV header has no column `{}` (columns: {})",
                fields.text,
                names.join(", ")
            )));
        };
        Ok(Some(Columns {
            count: names.len(),
            text,
            id: pos(&fields.id),
            extra: fields.extra.iter().map(|f| pos(f)).collect(),
        }))
    }

    /// The record of a row.
    pub fn record<'a>(
        &self,
        row: Row<'a>,
        fields: &Fields,
        origin: &Origin,
    ) -> Result<Record<'a>, RecordError> {
        let Row {
            line,
            fields: mut cells,
            unterminated,
        } = row;
        let read = |i: Option<usize>| -> Option<Cow<'a, str>> {
            let bytes = cells.get(i?)?.clone();
            utf8(bytes).ok().filter(|s| !s.is_empty())
        };
        let id = read(self.id);
        let extra = self.extra.iter().map(|&c| read(c)).collect();
        let fail = |what: String| origin.error(line, id.as_ref().map(|s| s.to_string()), what);
        if let Some(open) = unterminated {
            return Err(fail(format!(
                "a quoted field opened on line {open} never closes: the rest of the input was \
                 read as this one field"
            )));
        }
        if cells.len() != self.count {
            let s = if cells.len() == 1 { "" } else { "s" };
            return Err(fail(format!(
                "the row has {} field{s}, the header {}",
                cells.len(),
                self.count
            )));
        }
        let text = utf8(std::mem::take(&mut cells[self.text])).map_err(|at| {
            fail(format!(
                "field `{}` is not valid UTF-8 (at byte {at})",
                fields.text
            ))
        })?;
        Ok(Record {
            line,
            id,
            text,
            extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[u8]) -> Vec<(u64, Vec<String>, Option<u64>)> {
        Rows::new(data, 1)
            .map(|r| {
                let cells = r
                    .fields
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                (r.line, cells, r.unterminated)
            })
            .collect()
    }

    #[test]
    fn quotes_commas_and_line_ends() {
        let got = rows(b"a,\"b,\"\"c\"\"\"\r\n\r\n\"x\ny\"z,w\"q\n,\n1");
        let want = vec![
            (1, vec!["a".into(), "b,\"c\"".into()], None),
            (3, vec!["x\nyz".into(), "w\"q".into()], None),
            (5, vec!["".into(), "".into()], None),
            (6, vec!["1".into()], None),
        ];
        assert_eq!(got, want);
        assert_eq!(
            rows(b"a,b\nc,\"never\nclosed"),
            vec![
                (1, vec!["a".into(), "b".into()], None),
                (2, vec!["c".into(), "never\nclosed".into()], Some(2)),
            ]
        );
    }

    #[test]
    fn the_cutter_ends_records_where_rows_do() {
        let data = b"h1,h2\n\"a\nb\",c\r\nd,\"e\"\"\"\n\nf\"g,h\n";
        let mut ends = Vec::new();
        let mut c = Cutter::new();
        for n in 1..=data.len() {
            let end = c.scan(&data[..n]);
            if end > 0 && ends.last() != Some(&end) {
                ends.push(end);
            }
        }
        assert_eq!(ends, vec![6, 14, 23, 30]);
        let mut pos = 0;
        let mut line = 1;
        for &end in &ends {
            let n = Rows::new(&data[pos..end], line).count();
            assert!(n <= 1, "one record per cut at most");
            line += data[pos..end].iter().filter(|&&b| b == b'\n').count() as u64;
            pos = end;
        }
    }

    fn csv_crate(data: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut rdr = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        rdr.byte_records()
            .map(|r| {
                r.map(|r| r.iter().map(<[u8]>::to_vec).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    proptest::proptest! {
        /// Fields as the csv crate reads them, and the same records however the reader cuts
        /// the input.
        #[test]
        fn reads_as_the_csv_crate_and_cuts_where_records_end(
            bytes in proptest::collection::vec(
                proptest::sample::select(&b"ab ,\"\n\r"[..]), 0..60),
            cut_every in 1usize..20,
        ) {
            let whole: Vec<Vec<Vec<u8>>> = Rows::new(&bytes, 1)
                .map(|r| r.fields.iter().map(|f| f.to_vec()).collect())
                .collect();
            proptest::prop_assert_eq!(&whole, &csv_crate(&bytes));
            let mut cutter = Cutter::new();
            let mut buf: Vec<u8> = Vec::new();
            let mut pieces = Vec::new();
            for block in bytes.chunks(cut_every) {
                buf.extend_from_slice(block);
                let end = cutter.scan(&buf);
                if end > 0 {
                    pieces.extend(Rows::new(&buf[..end], 1).map(|r| {
                        r.fields.iter().map(|f| f.to_vec()).collect::<Vec<_>>()
                    }));
                    buf.drain(..end);
                    cutter.consumed(end);
                }
            }
            pieces.extend(
                Rows::new(&buf, 1).map(|r| r.fields.iter().map(|f| f.to_vec()).collect()),
            );
            proptest::prop_assert_eq!(pieces, whole);
        }
    }
}
