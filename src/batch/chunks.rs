//! The reader's part: inputs cut into chunks of whole records, without parsing them.
//!
//! Each chunk is a run of an input's bytes that starts and ends at record boundaries (line
//! ends; for CSV, line ends outside quotes), with the line it starts on. Parsing, analysis
//! and output happen in the workers, chunk by chunk ([`Chunk::records`]), so the reader
//! thread does little more than copy bytes (and decompress gzip).

use std::io::{self, BufRead};
use std::sync::Arc;

use super::csv::{Columns, Cutter, Rows};
use super::input::{Input, InputError, InputFormat};
use super::record::{Fields, Origin, Record, RecordError};
use super::{jsonl, lines};

/// How large a chunk to cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkSize {
    /// A chunk ends at the first record boundary past this many bytes (a record longer than
    /// that makes a chunk of its own).
    pub bytes: usize,
}

impl Default for ChunkSize {
    fn default() -> Self {
        ChunkSize { bytes: 128 << 10 }
    }
}

/// One input as its chunks know it.
#[derive(Debug)]
struct Source {
    name: Arc<str>,
    format: InputFormat,
    /// For CSV, the header's columns.
    columns: Option<Columns>,
    origin: Origin,
}

/// A run of whole records of one input.
#[derive(Debug)]
pub struct Chunk {
    source: Arc<Source>,
    first_line: u64,
    data: Vec<u8>,
}

impl Chunk {
    /// The name of the input it comes from (its path, or `<stdin>`).
    pub fn input(&self) -> &str {
        &self.source.name
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The line after its last: where the next chunk of its input starts (each chunk but an
    /// input's last ends with a line end).
    pub fn next_line(&self) -> u64 {
        self.first_line + memchr::memchr_iter(b'\n', &self.data).count() as u64
    }

    /// Its records, in order, each read or failed; blank lines are none.
    pub fn records<'c>(&'c self, fields: &'c Fields) -> Records<'c> {
        let csv = (self.source.format == InputFormat::Csv)
            .then(|| Rows::new(&self.data, self.first_line));
        Records {
            chunk: self,
            fields,
            pos: 0,
            line: self.first_line,
            csv,
        }
    }
}

/// The records of a chunk.
pub struct Records<'c> {
    chunk: &'c Chunk,
    fields: &'c Fields,
    pos: usize,
    /// The line at `pos`.
    line: u64,
    csv: Option<Rows<'c>>,
}

impl<'c> Iterator for Records<'c> {
    type Item = Result<Record<'c>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        let source = &self.chunk.source;
        if let Some(rows) = &mut self.csv {
            let row = rows.next()?;
            let columns = source.columns.as_ref()?;
            return Some(columns.record(row, self.fields, &source.origin));
        }
        let data = &self.chunk.data[..];
        while self.pos < data.len() {
            let end = memchr::memchr(b'\n', &data[self.pos..]).map_or(data.len(), |i| self.pos + i);
            let mut bytes = &data[self.pos..end];
            let line = self.line;
            self.pos = end + 1;
            self.line += 1;
            if let Some(b) = bytes.strip_suffix(b"\r") {
                bytes = b;
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(match source.format {
                InputFormat::Lines => lines::parse(bytes, line, self.fields, &source.origin),
                _ => jsonl::parse(bytes, line, self.fields, &source.origin),
            });
        }
        None
    }
}

/// Where records end in an input's buffer, found as bytes arrive.
enum Boundaries {
    /// Line ends: `scanned` bytes searched, the last record ending at `last_end`.
    Lines {
        scanned: usize,
        last_end: usize,
    },
    Csv(Cutter),
}

impl Boundaries {
    /// Just past the last record end in `buf`; 0 when none.
    fn scan(&mut self, buf: &[u8]) -> usize {
        match self {
            Boundaries::Lines { scanned, last_end } => {
                if let Some(i) = memchr::memrchr(b'\n', &buf[*scanned..]) {
                    *last_end = *scanned + i + 1;
                }
                *scanned = buf.len();
                *last_end
            }
            Boundaries::Csv(cutter) => cutter.scan(buf),
        }
    }

    /// The first `n` bytes of the buffer went into a chunk.
    fn consumed(&mut self, n: usize) {
        match self {
            Boundaries::Lines { scanned, last_end } => {
                *scanned -= n;
                *last_end -= n;
            }
            Boundaries::Csv(cutter) => cutter.consumed(n),
        }
    }
}

/// An input being cut into chunks.
struct Reading {
    source: Arc<Source>,
    reader: Box<dyn BufRead + Send>,
    buf: Vec<u8>,
    /// The line of `buf[0]`.
    line: u64,
    eof: bool,
    boundaries: Boundaries,
}

impl Reading {
    /// Appends the next bytes of the input to `buf`; sets `eof` at the end.
    fn read_more(&mut self) -> io::Result<()> {
        let block = self.reader.fill_buf()?;
        if block.is_empty() {
            self.eof = true;
            return Ok(());
        }
        let n = block.len();
        self.buf.extend_from_slice(block);
        self.reader.consume(n);
        Ok(())
    }

    /// Takes the first `n` bytes of `buf` as a chunk.
    fn cut(&mut self, n: usize) -> Chunk {
        let rest = self.buf[n..].to_vec();
        self.buf.truncate(n);
        let data = std::mem::replace(&mut self.buf, rest);
        self.boundaries.consumed(n);
        let first_line = self.line;
        self.line += memchr::memchr_iter(b'\n', &data).count() as u64;
        Chunk {
            source: self.source.clone(),
            first_line,
            data,
        }
    }

    /// The next chunk of about `size` bytes, `None` at the end of the input.
    fn next_chunk(&mut self, size: usize) -> io::Result<Option<Chunk>> {
        loop {
            let end = self.boundaries.scan(&self.buf);
            if self.eof {
                return Ok((!self.buf.is_empty()).then(|| self.cut(self.buf.len())));
            }
            if end > 0 && self.buf.len() >= size {
                return Ok(Some(self.cut(end)));
            }
            self.read_more()?;
        }
    }

    /// Reads the CSV header: the input's first record.
    fn header(&mut self, fields: &Fields) -> Result<Option<Columns>, InputError> {
        let name = self.source.name.clone();
        let err = |e| InputError::new(&name, e);
        // Enough bytes to hold the header: up to its end, or all there is.
        while self.boundaries.scan(&self.buf) == 0 && !self.eof {
            self.read_more().map_err(err)?;
        }
        let mut rows = Rows::new(&self.buf, 1);
        let header = rows.next();
        let header_len = rows.consumed();
        let columns = Columns::from_header(header, fields, &self.source.name)?;
        self.line += memchr::memchr_iter(b'\n', &self.buf[..header_len]).count() as u64;
        self.buf.drain(..header_len);
        // The records start after the header: the cutter starts over there.
        self.boundaries = Boundaries::Csv(Cutter::new());
        Ok(columns)
    }
}

/// Reads several inputs in turn and cuts them into chunks; an iterator for the reader
/// thread.
pub struct Chunks {
    pending: std::vec::IntoIter<Input>,
    current: Option<Reading>,
    fields: Fields,
    size: ChunkSize,
    failed: bool,
    /// Whether record errors name their input: only with several, so that the messages of a
    /// single input stay short.
    name_inputs: bool,
}

impl Chunks {
    /// Reads `inputs` one after another; `fields` says which CSV columns must be there.
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

    fn open(&self, input: Input) -> Result<Reading, InputError> {
        let name: Arc<str> = Arc::from(input.name.as_str());
        let format = input.format;
        let reader = input.into_reader()?;
        let boundaries = match format {
            InputFormat::Csv => Boundaries::Csv(Cutter::new()),
            _ => Boundaries::Lines {
                scanned: 0,
                last_end: 0,
            },
        };
        let mut reading = Reading {
            source: Arc::new(Source {
                origin: Origin {
                    label: self.name_inputs.then(|| name.clone()),
                },
                name,
                format,
                columns: None,
            }),
            reader,
            buf: Vec::new(),
            line: 1,
            eof: false,
            boundaries,
        };
        if format == InputFormat::Csv {
            let columns = reading.header(&self.fields)?;
            if let Some(source) = Arc::get_mut(&mut reading.source) {
                source.columns = columns;
            }
        }
        Ok(reading)
    }
}

impl Iterator for Chunks {
    type Item = Result<Chunk, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            let reading = match &mut self.current {
                Some(reading) => reading,
                None => {
                    let input = self.pending.next()?;
                    match self.open(input) {
                        Ok(reading) => self.current.insert(reading),
                        Err(e) => {
                            self.failed = true;
                            return Some(Err(e));
                        }
                    }
                }
            };
            match reading.next_chunk(self.size.bytes) {
                Ok(Some(chunk)) => return Some(Ok(chunk)),
                Ok(None) => self.current = None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(InputError::new(&reading.source.name, e)));
                }
            }
        }
        None
    }
}
