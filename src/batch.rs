//! Batch input: records from JSON Lines, CSV or plain lines (gzip-compressed when the path
//! ends in `.gz`), processed in parallel and written in input order, with memory bounded by
//! one chunk of records however large the input.
//!
//! The policy for bad input: **a record is never lost and never stops the batch.** Every
//! record read becomes exactly one result, either a [`Record`] or a [`RecordError`] naming
//! the input line (and the field, when one is at fault; and the input, when several are read):
//!
//! - a line that is not valid UTF-8, malformed JSON, a JSON value that is not an object, a
//!   missing text field or one that is not a string: an error record;
//! - NUL and other control characters inside a text are kept and analyzed (raw control
//!   characters are invalid inside a JSON string, so in JSON Lines they must be escaped, e.g.
//!   `\u0000`; a raw one makes that line an error record);
//! - a UTF-8 byte order mark at the start of the input is removed; a `\r` before `\n` is
//!   removed (CRLF files);
//! - blank lines (empty or only white space) in JSON Lines and plain lines are not records:
//!   they are skipped, but still counted, so line numbers always match the file;
//! - an empty input has zero records.
//!
//! Only an input that cannot be read at all (a missing file, an I/O error, a corrupt gzip
//! stream, a CSV header without the text column) is an error of the whole batch.
//!
//! A record's `id` is the value of the id field (any JSON value, CSV: the string) or, when
//! the field is missing or `null`, the 1-based line number where the record starts.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

use rayon::prelude::*;
use serde_json::Value;

/// The record format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row naming the columns.
    Csv,
    /// Each non-blank line is one text.
    Lines,
}

impl InputFormat {
    /// Guesses the format from a file name, after stripping `.gz`: `.jsonl`, `.ndjson`,
    /// `.json` → JSON Lines; `.csv` → CSV; `.txt` → lines. `None` when the extension says
    /// nothing.
    pub fn guess(path: &Path) -> Option<InputFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.')?.1;
        match ext {
            "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
            "csv" => Some(InputFormat::Csv),
            "txt" => Some(InputFormat::Lines),
            _ => None,
        }
    }
}

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

/// One good record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The id field's value, or the line number.
    pub id: Value,
    /// The text.
    pub text: String,
    /// The [`Fields::extra`] fields, in order: strings as they are, numbers and booleans
    /// written out, `None` when missing, `null` or empty.
    pub extra: Vec<Option<String>>,
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The id, when it could be read, else the line number.
    pub id: Value,
    /// What is wrong, starting with `line N: `; when [`Chunks`] reads several inputs, with
    /// the input's name before that (`data.jsonl: line N: `), since line numbers alone would
    /// not say which file.
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecordError {}

/// An input that cannot be read: names the input.
#[derive(Debug)]
pub struct InputError {
    /// The path, or `<stdin>`.
    pub path: String,
    /// What went wrong.
    pub error: io::Error,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, io_message(&self.error))
    }
}

impl std::error::Error for InputError {}

/// An I/O error's message without Rust's ` (os error N)` suffix.
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A byte counter shared with a progress display: how many bytes of the input files (before
/// decompression) have been read.
pub type ByteCounter = Arc<AtomicU64>;

struct Counting<R> {
    inner: R,
    count: ByteCounter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened input: a path (or stdin) and its format.
pub struct Input {
    /// The path as given, or `<stdin>`.
    pub name: String,
    /// The record format.
    pub format: InputFormat,
    /// The size in bytes on disk, when known.
    pub size: Option<u64>,
    reader: Box<dyn BufRead + Send>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("format", &self.format)
            .finish()
    }
}

impl Input {
    /// Opens `path`, or stdin for `None` or `-`. Gzip is decoded when the path ends in `.gz`.
    /// `format` overrides the guess from the extension; stdin and unknown extensions default
    /// to JSON Lines. Bytes read from the file are added to `counter`.
    pub fn open(
        path: Option<&Path>,
        format: Option<InputFormat>,
        counter: &ByteCounter,
    ) -> Result<Input, InputError> {
        let path = path.filter(|p| p.as_os_str() != "-");
        let Some(path) = path else {
            let stdin = Counting {
                inner: io::stdin(),
                count: counter.clone(),
            };
            return Ok(Input {
                name: "<stdin>".to_string(),
                format: format.unwrap_or(InputFormat::Jsonl),
                size: None,
                reader: Box::new(BufReader::with_capacity(1 << 16, stdin)),
            });
        };
        let name = path.display().to_string();
        let err = |error| InputError {
            path: name.clone(),
            error,
        };
        let file = File::open(path).map_err(err)?;
        let meta = file.metadata().map_err(err)?;
        if meta.is_dir() {
            return Err(err(io::Error::other("is a directory")));
        }
        let counted = Counting {
            inner: file,
            count: counter.clone(),
        };
        let gz = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let reader: Box<dyn BufRead + Send> = if gz {
            let raw = BufReader::with_capacity(1 << 16, counted);
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::bufread::MultiGzDecoder::new(raw),
            ))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, counted))
        };
        Ok(Input {
            format: format
                .or_else(|| InputFormat::guess(path))
                .unwrap_or(InputFormat::Jsonl),
            size: Some(meta.len()),
            name,
            reader,
        })
    }

    /// Wraps any reader (for tests and embedding).
    pub fn from_reader(name: &str, format: InputFormat, reader: Box<dyn BufRead + Send>) -> Input {
        Input {
            name: name.to_string(),
            format,
            size: None,
            reader,
        }
    }
}

/// Where CSV fields are, from the header.
#[derive(Debug)]
struct CsvColumns {
    text: usize,
    id: Option<usize>,
    extra: Vec<Option<usize>>,
}

enum RawData {
    Line(Vec<u8>),
    Csv(csv::ByteRecord, Arc<CsvColumns>),
}

/// A record as read, not yet parsed; parsing ([`RawRecord::parse`]) can run in parallel.
pub struct RawRecord {
    line: u64,
    format: InputFormat,
    data: RawData,
    /// The input's name, when it must appear in error messages.
    input: Option<Arc<str>>,
}

impl RawRecord {
    /// 1-based line where the record starts.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Bytes held, for chunking.
    fn weight(&self) -> usize {
        match &self.data {
            RawData::Line(b) => b.len(),
            RawData::Csv(r, _) => r.as_slice().len(),
        }
    }

    /// Parses the record.
    pub fn parse(&self, fields: &Fields) -> Result<Record, RecordError> {
        let line = self.line;
        let line_id = || Value::from(line);
        let fail = |id: Value, msg: String| RecordError {
            line,
            id,
            message: match &self.input {
                Some(name) => format!("{name}: line {line}: {msg}"),
                None => format!("line {line}: {msg}"),
            },
        };
        match (&self.data, self.format) {
            (RawData::Line(bytes), InputFormat::Lines) => {
                let text = std::str::from_utf8(bytes).map_err(|e| {
                    fail(
                        line_id(),
                        format!("not valid UTF-8 (at byte {})", e.valid_up_to()),
                    )
                })?;
                Ok(Record {
                    line,
                    id: line_id(),
                    text: text.to_string(),
                    extra: vec![None; fields.extra.len()],
                })
            }
            (RawData::Line(bytes), _) => {
                if let Err(e) = std::str::from_utf8(bytes) {
                    return Err(fail(
                        line_id(),
                        format!("not valid UTF-8 (at byte {})", e.valid_up_to()),
                    ));
                }
                let value: Value = serde_json::from_slice(bytes).map_err(|e| {
                    fail(line_id(), format!("malformed JSON: {}", json_message(&e)))
                })?;
                let Value::Object(mut obj) = value else {
                    return Err(fail(
                        line_id(),
                        format!("expected a JSON object, found {}", type_name(&value)),
                    ));
                };
                let id = match obj.remove(&fields.id) {
                    None | Some(Value::Null) => line_id(),
                    Some(v) => v,
                };
                let extra = fields
                    .extra
                    .iter()
                    .map(|f| obj.get(f).and_then(scalar_string))
                    .collect();
                let text = match obj.remove(&fields.text) {
                    Some(Value::String(s)) => s,
                    None => {
                        return Err(fail(id, format!("field `{}` is missing", fields.text)));
                    }
                    Some(other) => {
                        return Err(fail(
                            id,
                            format!(
                                "field `{}` is not a string (found {})",
                                fields.text,
                                type_name(&other)
                            ),
                        ));
                    }
                };
                Ok(Record {
                    line,
                    id,
                    text,
                    extra,
                })
            }
            (RawData::Csv(rec, cols), _) => {
                let field = |i: usize| -> Result<Option<&str>, usize> {
                    match rec.get(i) {
                        None => Ok(None),
                        Some(b) => std::str::from_utf8(b)
                            .map(Some)
                            .map_err(|e| e.valid_up_to()),
                    }
                };
                let id = match cols.id.map(field) {
                    Some(Ok(Some(s))) if !s.is_empty() => Value::from(s),
                    _ => line_id(),
                };
                let text = match field(cols.text) {
                    Ok(Some(s)) => s.to_string(),
                    Ok(None) => {
                        return Err(fail(
                            id,
                            format!(
                                "field `{}` is missing (the row has {} fields)",
                                fields.text,
                                rec.len()
                            ),
                        ));
                    }
                    Err(at) => {
                        return Err(fail(
                            id,
                            format!("field `{}` is not valid UTF-8 (at byte {at})", fields.text),
                        ));
                    }
                };
                let extra = cols
                    .extra
                    .iter()
                    .map(|c| match c.map(field) {
                        Some(Ok(Some(s))) if !s.is_empty() => Some(s.to_string()),
                        _ => None,
                    })
                    .collect();
                Ok(Record {
                    line,
                    id,
                    text,
                    extra,
                })
            }
        }
    }
}

/// A JSON error without serde's `at line 1 column N`: the record is one line, whose number
/// the message already gives. The column is kept for syntax errors, where it points at the
/// fault; for a wrong type or a missing field it points only at where parsing stopped.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match s.strip_suffix(&suffix) {
        Some(msg) if e.is_data() => msg.to_string(),
        Some(msg) => format!("{msg} (column {})", e.column()),
        None => s,
    }
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

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Turns CRLF into LF before the CSV parser sees it. The csv crate reports a record that
/// follows a CRLF as starting on the line before (its position sits on the `\n`), so error
/// messages would name the wrong line; a `\r\n` inside a quoted field becomes `\n`, which
/// changes nothing the analysis looks at.
struct CrlfToLf<R> {
    inner: R,
    /// A `\r` that ended the previous buffer, not yet known to precede `\n`.
    pending_cr: bool,
    out: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            pending_cr: false,
            out: Vec::with_capacity(1 << 16),
            pos: 0,
        }
    }
}

impl<R: BufRead> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CrlfToLf<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.out.len() {
            self.out.clear();
            self.pos = 0;
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                if std::mem::take(&mut self.pending_cr) {
                    self.out.push(b'\r');
                    continue;
                }
                break;
            }
            let mut bytes = chunk;
            if std::mem::take(&mut self.pending_cr) && bytes[0] != b'\n' {
                self.out.push(b'\r');
            }
            let len = chunk.len();
            if bytes.last() == Some(&b'\r') {
                self.pending_cr = true;
                bytes = &bytes[..len - 1];
            }
            let mut i = 0;
            while let Some(j) = memchr::memchr(b'\r', &bytes[i..]) {
                let at = i + j;
                self.out.extend_from_slice(&bytes[i..at]);
                if bytes.get(at + 1) != Some(&b'\n') {
                    self.out.push(b'\r');
                }
                i = at + 1;
            }
            self.out.extend_from_slice(&bytes[i..]);
            self.inner.consume(len);
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
    }
}

enum Source {
    Lines(Box<dyn BufRead + Send>),
    Csv(csv::Reader<Box<dyn BufRead + Send>>, Arc<CsvColumns>),
}

/// Reads raw records from one input, in order.
pub struct RecordReader {
    name: String,
    format: InputFormat,
    source: Source,
    /// Lines consumed so far.
    line: u64,
    buf: Vec<u8>,
    done: bool,
    /// Set when record errors must name the input.
    label: Option<Arc<str>>,
}

impl RecordReader {
    /// Starts reading `input`. For CSV this reads the header and fails when it has no column
    /// named `fields.text`.
    pub fn new(input: Input, fields: &Fields) -> Result<RecordReader, InputError> {
        let Input {
            name,
            format,
            reader,
            ..
        } = input;
        let source = match format {
            InputFormat::Jsonl | InputFormat::Lines => Source::Lines(reader),
            InputFormat::Csv => {
                let mut rdr = csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(true)
                    .from_reader(Box::new(CrlfToLf::new(reader)) as Box<dyn BufRead + Send>);
                let headers = rdr
                    .byte_headers()
                    .map_err(|e| InputError {
                        path: name.clone(),
                        error: csv_io(e),
                    })?
                    .clone();
                let names: Vec<String> = headers
                    .iter()
                    .map(|h| {
                        let h = String::from_utf8_lossy(h);
                        h.trim_start_matches('\u{feff}').trim().to_string()
                    })
                    .collect();
                let pos = |f: &str| names.iter().position(|n| n == f);
                let empty = names.iter().all(String::is_empty);
                let text = match pos(&fields.text) {
                    Some(i) => i,
                    // An empty file has no header and no records.
                    None if empty => usize::MAX,
                    None => {
                        return Err(InputError {
                            path: name,
                            error: io::Error::new(
                                io::ErrorKind::InvalidData,
                                format!(
                                    "the CSV header has no column `{}` (columns: {})",
                                    fields.text,
                                    names.join(", ")
                                ),
                            ),
                        });
                    }
                };
                let cols = CsvColumns {
                    text,
                    id: pos(&fields.id),
                    extra: fields.extra.iter().map(|f| pos(f)).collect(),
                };
                Source::Csv(rdr, Arc::new(cols))
            }
        };
        Ok(RecordReader {
            name,
            format,
            source,
            line: 0,
            buf: Vec::new(),
            done: false,
            label: None,
        })
    }

    /// The input's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The next raw record, `None` at the end.
    pub fn next_raw(&mut self) -> Result<Option<RawRecord>, InputError> {
        if self.done {
            return Ok(None);
        }
        let err = |name: &str, error| InputError {
            path: name.to_string(),
            error,
        };
        match &mut self.source {
            Source::Lines(reader) => loop {
                self.buf.clear();
                let n = reader
                    .read_until(b'\n', &mut self.buf)
                    .map_err(|e| err(&self.name, e))?;
                if n == 0 {
                    self.done = true;
                    return Ok(None);
                }
                self.line += 1;
                let mut bytes = std::mem::take(&mut self.buf);
                if bytes.last() == Some(&b'\n') {
                    bytes.pop();
                    if bytes.last() == Some(&b'\r') {
                        bytes.pop();
                    }
                }
                if self.line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                    bytes.drain(..3);
                }
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Ok(Some(RawRecord {
                    line: self.line,
                    format: self.format,
                    data: RawData::Line(bytes),
                    input: self.label.clone(),
                }));
            },
            Source::Csv(rdr, cols) => {
                let mut rec = csv::ByteRecord::new();
                let more = rdr
                    .read_byte_record(&mut rec)
                    .map_err(|e| err(&self.name, csv_io(e)))?;
                if !more {
                    self.done = true;
                    return Ok(None);
                }
                let line = rec.position().map_or(0, |p| p.line());
                Ok(Some(RawRecord {
                    line,
                    format: self.format,
                    data: RawData::Csv(rec, cols.clone()),
                    input: self.label.clone(),
                }))
            }
        }
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
    }
}

/// How many records, or bytes of records, to read before processing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkSize {
    /// Records per chunk at most.
    pub records: usize,
    /// Bytes per chunk: a chunk ends after the record that reaches this.
    pub bytes: usize,
}

impl Default for ChunkSize {
    fn default() -> Self {
        ChunkSize {
            records: 4096,
            bytes: 8 << 20,
        }
    }
}

/// Reads several inputs in turn, in chunks.
pub struct Chunks {
    pending: std::vec::IntoIter<Input>,
    current: Option<RecordReader>,
    fields: Fields,
    size: ChunkSize,
    failed: bool,
    /// Whether record errors name their input: only with several, so that the messages
    /// of a single input stay short.
    name_inputs: bool,
}

impl Chunks {
    /// Reads `inputs` one after another.
    pub fn new(inputs: Vec<Input>, fields: Fields, size: ChunkSize) -> Chunks {
        Chunks {
            name_inputs: inputs.len() > 1,
            pending: inputs.into_iter(),
            current: None,
            fields,
            size,
            failed: false,
        }
    }
}

impl Iterator for Chunks {
    type Item = Result<Vec<RawRecord>, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let mut chunk = Vec::new();
        let mut bytes = 0;
        while chunk.len() < self.size.records.max(1) && bytes < self.size.bytes {
            if self.current.is_none() {
                let Some(input) = self.pending.next() else {
                    break;
                };
                match RecordReader::new(input, &self.fields) {
                    Ok(mut r) => {
                        if self.name_inputs {
                            r.label = Some(Arc::from(r.name.as_str()));
                        }
                        self.current = Some(r);
                    }
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                }
            }
            let Some(reader) = self.current.as_mut() else {
                break;
            };
            match reader.next_raw() {
                Ok(Some(rec)) => {
                    bytes += rec.weight();
                    chunk.push(rec);
                }
                Ok(None) => {
                    self.current = None;
                    if !chunk.is_empty() {
                        // Give the records read so far; the next call opens the next input.
                        return Some(Ok(chunk));
                    }
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
        if chunk.is_empty() {
            None
        } else {
            Some(Ok(chunk))
        }
    }
}

/// Runs `map` over every item of every chunk in parallel on `pool` and hands the results to
/// `sink` chunk by chunk, in input order, on the calling thread. A reader thread reads the next chunk while the current
/// one is processed, so at most three chunks are in memory.
///
/// Stops at the first error from the source or from `sink` and returns it; the reader thread
/// then stops too.
pub fn process_ordered<I, R, T, E, F, S>(
    pool: &rayon::ThreadPool,
    source: I,
    map: F,
    mut sink: S,
) -> Result<(), E>
where
    I: Iterator<Item = Result<Vec<R>, E>> + Send,
    R: Send + Sync,
    T: Send,
    E: Send,
    F: Fn(&R) -> T + Sync,
    S: FnMut(Vec<T>) -> Result<(), E>,
{
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Result<Vec<R>, E>>(1);
        scope.spawn(move || {
            for chunk in source {
                let stop = chunk.is_err();
                if tx.send(chunk).is_err() || stop {
                    break;
                }
            }
        });
        // `rx` is dropped when this closure returns, which ends the reader thread.
        let result = (|| {
            for chunk in rx.iter() {
                let chunk = chunk?;
                let out: Vec<T> = pool.install(|| chunk.par_iter().map(&map).collect());
                drop(chunk);
                sink(out)?;
            }
            Ok(())
        })();
        drop(rx);
        result
    })
}

/// Opens every input up front (so a missing file is reported before any output).
pub fn open_all(
    paths: &[PathBuf],
    format: Option<InputFormat>,
    counter: &ByteCounter,
) -> Result<Vec<Input>, InputError> {
    if paths.is_empty() {
        return Ok(vec![Input::open(None, format, counter)?]);
    }
    paths
        .iter()
        .map(|p| Input::open(Some(p), format, counter))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: InputFormat, data: &[u8], fields: &Fields) -> Vec<Result<Record, RecordError>> {
        let input = Input::from_reader("t", format, Box::new(io::Cursor::new(data.to_vec())));
        let chunks = Chunks::new(
            vec![input],
            fields.clone(),
            ChunkSize {
                records: 2,
                bytes: 100,
            },
        );
        let mut out = Vec::new();
        for chunk in chunks {
            for raw in chunk.unwrap_or_default() {
                out.push(raw.parse(fields));
            }
        }
        out
    }

    #[test]
    fn jsonl_bad_records_keep_their_lines() {
        let data = b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"x\"}\r\n\n  \n{\"text\":5}\n[1]\n{bad\n\xFF\n{\"id\":7}\n{\"text\":\"nul\\u0000\"}";
        let out = read(InputFormat::Jsonl, data, &Fields::default());
        assert_eq!(out.len(), 7);
        let ok = out[0]
            .as_ref()
            .map(|r| (r.id.clone(), r.text.clone(), r.line));
        assert_eq!(ok, Ok((Value::from("a"), "x".to_string(), 1)));
        let errs: Vec<String> = out[1..6]
            .iter()
            .map(|r| {
                r.as_ref()
                    .err()
                    .map(|e| e.message.clone())
                    .unwrap_or_default()
            })
            .collect();
        assert!(
            errs[0].starts_with("line 4: field `text` is not a string"),
            "{errs:?}"
        );
        assert!(
            errs[1].starts_with("line 5: expected a JSON object"),
            "{errs:?}"
        );
        assert!(errs[2].starts_with("line 6: malformed JSON"), "{errs:?}");
        assert!(errs[3].starts_with("line 7: not valid UTF-8"), "{errs:?}");
        assert_eq!(errs[4], "line 8: field `text` is missing");
        assert_eq!(
            out[5].as_ref().err().map(|e| e.id.clone()),
            Some(Value::from(7))
        );
        assert_eq!(
            out[6].as_ref().map(|r| r.text.clone()),
            Ok("nul\0".to_string())
        );
    }

    #[test]
    fn csv_with_bom_crlf_and_short_rows() {
        let data =
            "\u{feff}id,text,author\r\n1,\"Sorry, I was wrong.\",ann\r\n2\r\n,\"two\r\nlines\",\r\n";
        let fields = Fields {
            extra: vec!["author".into()],
            ..Fields::default()
        };
        let out = read(InputFormat::Csv, data.as_bytes(), &fields);
        assert_eq!(out.len(), 3);
        let r = out[0].as_ref().ok();
        assert_eq!(r.map(|r| r.text.as_str()), Some("Sorry, I was wrong."));
        assert_eq!(
            r.map(|r| r.extra.clone()),
            Some(vec![Some("ann".to_string())])
        );
        assert!(
            out[1]
                .as_ref()
                .is_err_and(|e| e.message.starts_with("line 3: field `text` is missing")),
            "{out:?}"
        );
        let r = out[2].as_ref().ok();
        assert_eq!(r.map(|r| (r.id.clone(), r.line)), Some((Value::from(4), 4)));
    }

    #[test]
    fn errors_name_the_input_only_when_there_are_several() {
        let open = |name: &str, data: &'static [u8]| {
            Input::from_reader(name, InputFormat::Jsonl, Box::new(io::Cursor::new(data)))
        };
        let fields = Fields::default();
        let messages = |inputs| -> Vec<String> {
            Chunks::new(inputs, fields.clone(), ChunkSize::default())
                .flat_map(|c| c.unwrap_or_default())
                .map(|raw| {
                    raw.parse(&fields)
                        .err()
                        .map(|e| e.message)
                        .unwrap_or_default()
                })
                .collect()
        };
        let two = messages(vec![
            open("a.jsonl", b"{\"text\":\"ok\"}\n{\"text\":1}\n"),
            open("b.jsonl", b"{oops\n"),
        ]);
        assert_eq!(two[0], "");
        assert_eq!(
            two[1],
            "a.jsonl: line 2: field `text` is not a string (found a number)"
        );
        assert_eq!(
            two[2],
            "b.jsonl: line 1: malformed JSON: key must be a string (column 2)"
        );
        let one = messages(vec![open("b.jsonl", b"{oops\n")]);
        assert_eq!(
            one[0],
            "line 1: malformed JSON: key must be a string (column 2)"
        );
    }

    #[test]
    fn crlf_to_lf_across_buffer_edges() {
        for cap in 1..6 {
            let data = b"a\r\nb\rc\r\n\r\r\nd\r".to_vec();
            let inner = io::BufReader::with_capacity(cap, io::Cursor::new(data));
            let mut out = Vec::new();
            CrlfToLf::new(inner)
                .read_to_end(&mut out)
                .expect("in-memory read");
            assert_eq!(out, b"a\nb\rc\n\r\nd\r", "capacity {cap}");
        }
    }

    #[test]
    fn guesses_formats() {
        let g = |p: &str| InputFormat::guess(Path::new(p));
        assert_eq!(g("a.jsonl.gz"), Some(InputFormat::Jsonl));
        assert_eq!(g("a.NDJSON"), Some(InputFormat::Jsonl));
        assert_eq!(g("a.csv.gz"), Some(InputFormat::Csv));
        assert_eq!(g("a.txt"), Some(InputFormat::Lines));
        assert_eq!(g("a.gz"), None);
        assert_eq!(g("a"), None);
    }

    #[test]
    fn process_ordered_keeps_order() {
        let chunks = (0..50).map(|i| Ok::<_, ()>((i * 100..i * 100 + 100).collect::<Vec<u32>>()));
        let mut seen = Vec::new();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("pool");
        let r = process_ordered(
            &pool,
            chunks,
            |x| x * 2,
            |v| {
                seen.extend(v);
                Ok(())
            },
        );
        assert_eq!(r, Ok(()));
        assert_eq!(seen, (0..5000).map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn process_ordered_stops_on_sink_error() {
        let chunks = (0..).map(|i| Ok::<_, &str>(vec![i]));
        let mut n = 0;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .expect("pool");
        let r = process_ordered(
            &pool,
            chunks,
            |x| *x,
            |_| {
                n += 1;
                if n == 3 {
                    Err("closed")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("closed"));
    }
}
