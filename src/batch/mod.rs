//! Batch input: records from JSON Lines, CSV or plain lines, gzip-compressed or not, read in
//! chunks by one thread and processed in parallel ([`pipeline`]), with the results in input
//! order and memory bounded by a few chunks however large the input.
//!
//! - [`input`]: opening files and stdin; gzip is recognized by its first bytes.
//! - [`chunks`]: the reader's part, cutting an input into chunks at record boundaries.
//! - `jsonl`, `csv`, `lines`: the record formats, read by the workers.
//! - [`record`]: records, their errors, and which fields to read.
//! - [`pipeline`]: the ordered parallel pipeline that `batch`, `threads` and the reports
//!   over many files share.
//!
//! The policy for bad input: **a record is never lost and never stops the batch.** Every
//! record read becomes exactly one result, either a [`Record`] or a [`RecordError`] naming
//! the input line (and the field, when one is at fault; and the input, when several are read):
//!
//! - a line that is not valid UTF-8, malformed JSON, a JSON value that is not an object, a
//!   missing text field or one that is not a string: an error record;
//! - a CSV row with more or fewer fields than the header, or with a quoted field that never
//!   closes (which runs to the end of the input): an error record;
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
//! A record's id is text: the id field's string, or any other JSON value written as JSON;
//! none when the field is missing, `null` or empty. It is kept in the error of a bad record
//! whenever it can be read, even when another field is not UTF-8.

pub mod chunks;
mod csv;
pub mod input;
mod jsonl;
mod lines;
pub mod pipeline;
pub mod record;

pub use chunks::{Chunk, ChunkSize, Chunks, Records};
pub use input::{io_message, open_all, ByteCounter, Input, InputError, InputFormat, STDIN_NAME};
// The server words its JSON errors the same way; without it only the batch reader does.
#[cfg(feature = "serve")]
pub(crate) use jsonl::humane_json;
pub(crate) use jsonl::json_message;
pub use record::{Fields, Record, RecordError};
