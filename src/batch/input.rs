//! Opening inputs: files or standard input, gzip-compressed or not.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

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

/// An input that cannot be read: names the input.
#[derive(Debug)]
pub struct InputError {
    /// The path, or `<stdin>`.
    pub path: String,
    /// What went wrong.
    pub error: io::Error,
}

impl InputError {
    pub(crate) fn new(path: &str, error: io::Error) -> InputError {
        InputError {
            path: path.to_string(),
            error,
        }
    }
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
    /// Whether input starting with the gzip magic bytes is decompressed.
    gunzip: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("format", &self.format)
            .finish()
    }
}

/// The name standard input goes by in messages and output.
pub const STDIN_NAME: &str = "<stdin>";

const BUFFER: usize = 1 << 16;

impl Input {
    /// Opens `path`, or stdin for `None` or `-`. `format` overrides the guess from the
    /// extension; stdin and unknown extensions default to JSON Lines. Bytes read are added
    /// to `counter`. Whether the input is gzip is told by its first bytes, not its name, when
    /// it is first read (see [`Input::into_reader`]).
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
                name: STDIN_NAME.to_string(),
                format: format.unwrap_or(InputFormat::Jsonl),
                size: None,
                reader: Box::new(BufReader::with_capacity(BUFFER, stdin)),
                gunzip: true,
            });
        };
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| InputError::new(&name, e))?;
        let meta = file.metadata().map_err(|e| InputError::new(&name, e))?;
        if meta.is_dir() {
            return Err(InputError::new(&name, io::Error::other("is a directory")));
        }
        let counted = Counting {
            inner: file,
            count: counter.clone(),
        };
        Ok(Input {
            format: format
                .or_else(|| InputFormat::guess(path))
                .unwrap_or(InputFormat::Jsonl),
            size: Some(meta.len()),
            name,
            reader: Box::new(BufReader::with_capacity(BUFFER, counted)),
            gunzip: true,
        })
    }

    /// Wraps any reader (for tests and embedding).
    pub fn from_reader(name: &str, format: InputFormat, reader: Box<dyn BufRead + Send>) -> Input {
        Input {
            name: name.to_string(),
            format,
            size: None,
            reader,
            gunzip: true,
        }
    }

    /// The input's bytes are read as they are, never decompressed: for input whose size is
    /// limited as it arrives (a request body), where a few compressed bytes could make
    /// gigabytes.
    pub fn never_gzip(mut self) -> Input {
        self.gunzip = false;
        self
    }

    /// The input's bytes: decompressed when they start with the gzip magic bytes (piped
    /// input has no name to tell) unless [`Input::never_gzip`] says not to, without a leading
    /// UTF-8 byte order mark.
    pub(crate) fn into_reader(self) -> Result<Box<dyn BufRead + Send>, InputError> {
        let Input {
            name,
            mut reader,
            gunzip,
            ..
        } = self;
        let head = fill_at_least(&mut reader, 2).map_err(|e| InputError::new(&name, e))?;
        let mut reader: Box<dyn BufRead + Send> = if gunzip && head.starts_with(&[0x1f, 0x8b]) {
            let decoder = flate2::bufread::MultiGzDecoder::new(reader);
            Box::new(BufReader::with_capacity(BUFFER, decoder))
        } else {
            reader
        };
        let head = fill_at_least(&mut reader, 3).map_err(|e| InputError::new(&name, e))?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
        }
        Ok(reader)
    }
}

/// The first bytes of `reader` without consuming them: at least `n` of them unless the input
/// is shorter. `fill_buf` may return fewer bytes than are coming (a pipe delivers them as
/// written), so a short buffer is topped up through a small chain.
fn fill_at_least(reader: &mut Box<dyn BufRead + Send>, n: usize) -> io::Result<Vec<u8>> {
    let buf = reader.fill_buf()?;
    if buf.len() >= n || buf.is_empty() {
        return Ok(buf[..buf.len().min(n)].to_vec());
    }
    // Read the few bytes out, then put them back in front of the rest.
    let mut head = Vec::with_capacity(n);
    while head.len() < n {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let take = buf.len().min(n - head.len());
        head.extend_from_slice(&buf[..take]);
        reader.consume(take);
    }
    let rest = std::mem::replace(reader, Box::new(io::empty()));
    *reader = Box::new(BufReader::with_capacity(
        BUFFER,
        io::Cursor::new(head.clone()).chain(rest),
    ));
    Ok(head)
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
