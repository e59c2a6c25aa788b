//! `POST /api/batch`: JSON Lines in, JSON Lines out, streamed and in order. Every input
//! record gives exactly one output line, written as `ownup batch` writes it (`id`, `file`,
//! `line`, the report fields, `error`), by the same writer; `file` is always `"body"`. A bad
//! line gets an error record naming the line and field, and blank lines are skipped but
//! counted. The body is cut into records and parsed by the command line's batch reader, on
//! the blocking pool, fed through a channel as it arrives, so output starts before the input
//! ends and memory stays at a few chunks either way.

use std::borrow::Cow;
use std::convert::Infallible;
use std::io::{self, BufReader, Read};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::error::ApiError;
use super::input::{media_type, BATCH_TYPES};
use super::limits::{show_size, Gates};
use super::App;
use crate::batch::{
    io_message, Chunk, ChunkSize, Chunks, Fields, Input, InputFormat, Record, RecordError,
};
use crate::report::record::LineWriter;
use crate::Analyzer;

/// The input name of the body: the `file` of every output line, as `ownup batch body` would
/// write it.
const BODY_NAME: &str = "body";

/// Body chunks on their way from the connection to the reader.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Output lines on their way to the connection: when the client reads slowly, scoring waits.
const LINES_IN_FLIGHT: usize = 256;

/// The query string: which fields hold the text and the id.
#[derive(Debug, Deserialize)]
pub struct BatchParams {
    text_field: Option<String>,
    id_field: Option<String>,
}

/// Scores the records of the body.
pub async fn batch(
    State(app): State<App>,
    params: Result<Query<BatchParams>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|e| {
        ApiError::bad_request("bad_query", format!("bad query string: {}", e.body_text()))
    })?;
    media_type(&headers, BATCH_TYPES)?;
    app.gates.check_length(&headers)?;
    let slot = app.gates.admit().await?;
    let defaults = Fields::default();
    let fields = Fields {
        text: params.text_field.unwrap_or(defaults.text),
        id: params.id_field.unwrap_or(defaults.id),
        extra: Vec::new(),
    };
    let deadline = Instant::now() + app.gates.limits.timeout;
    let (chunk_tx, chunk_rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    tokio::spawn(pump_body(body, chunk_tx, app.gates.clone(), deadline));
    let (line_tx, line_rx) = mpsc::channel(LINES_IN_FLIGHT);
    let scorer = Scorer {
        analyzer: app.analyzer.clone(),
        gates: app.gates.clone(),
        runtime: tokio::runtime::Handle::current(),
        out: line_tx,
    };
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        scorer.run(ChannelReader::new(chunk_rx), &fields);
    });
    let lines = futures_util::stream::unfold(line_rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<Bytes, Infallible>(b), rx))
    });
    let mut res = Body::from_stream(lines).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    Ok(res)
}

/// Forwards the body to the reader, ending it with an error once it passes the size limit
/// or the deadline: the response has begun by then, so the error becomes the last line.
async fn pump_body(
    body: Body,
    tx: mpsc::Sender<io::Result<Bytes>>,
    gates: Arc<Gates>,
    deadline: Instant,
) {
    let limit = gates.limits.body;
    let mut stream = body.into_data_stream();
    let mut seen = 0usize;
    loop {
        let next = tokio::time::timeout_at(deadline, stream.next()).await;
        let (chunk, error) = match next {
            Ok(None) => return,
            Ok(Some(Ok(chunk))) if seen + chunk.len() <= limit => {
                seen += chunk.len();
                (Some(chunk), None)
            }
            // The bytes up to the limit are read, so that the lines within it are scored.
            Ok(Some(Ok(chunk))) => (
                Some(chunk.slice(..limit - seen)),
                Some(io::Error::other(format!(
                    "the body is larger than the limit of {} (the server's --body-limit)",
                    show_size(limit)
                ))),
            ),
            Ok(Some(Err(e))) => (
                None,
                Some(io::Error::other(format!("could not read the body: {e}"))),
            ),
            Err(_) => (
                None,
                Some(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "the body took longer than {} s to arrive (the server's --timeout)",
                        gates.limits.timeout.as_secs()
                    ),
                )),
            ),
        };
        let stop = error.is_some();
        for item in chunk.map(Ok).into_iter().chain(error.map(Err)) {
            if tx.send(item).await.is_err() {
                return;
            }
        }
        if stop {
            return;
        }
    }
}

/// The body chunks as a blocking reader, for the command line's batch reader.
struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl ChannelReader {
    fn new(rx: mpsc::Receiver<io::Result<Bytes>>) -> ChannelReader {
        ChannelReader {
            rx,
            current: Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                None => return Ok(0),
                Some(chunk) => self.current = chunk?,
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// Scores records on a blocking thread and sends their lines out.
struct Scorer {
    analyzer: Arc<Analyzer>,
    gates: Arc<Gates>,
    runtime: tokio::runtime::Handle,
    out: mpsc::Sender<Bytes>,
}

impl Scorer {
    fn run(&self, body: ChannelReader, fields: &Fields) {
        let input = Input::from_reader(
            BODY_NAME,
            InputFormat::Jsonl,
            Box::new(BufReader::with_capacity(1 << 16, body)),
        )
        // The body limit counts the bytes that arrive; gzip would let them grow unbounded.
        .never_gzip();
        // A chunk is every whole line that has arrived, however few: the answer keeps pace
        // with the body.
        let chunks = Chunks::new(vec![input], fields.clone(), ChunkSize { bytes: 1 });
        let lines = Arc::new(LineWriter::new());
        let file: Arc<[u8]> = lines.file(BODY_NAME).into();
        let mut next_line = 1;
        for chunk in chunks {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => return self.stopped(&lines, &file, next_line, &io_message(&e.error)),
            };
            if !self.chunk(&chunk, fields, &lines, &file) {
                return;
            }
            next_line = chunk.next_line();
        }
    }

    /// Scores and sends the records of one chunk; false when the batch is to stop.
    fn chunk(
        &self,
        chunk: &Chunk,
        fields: &Fields,
        lines: &Arc<LineWriter>,
        file: &Arc<[u8]>,
    ) -> bool {
        for record in chunk.records(fields) {
            let line = match record {
                Ok(record) => match self.score(owned(record), lines, file) {
                    Some(line) => line,
                    None => return false,
                },
                Err(e) => {
                    let mut bytes = Vec::new();
                    lines.error(&mut bytes, &e, file);
                    bytes
                }
            };
            if !self.send(Bytes::from(line)) {
                return false;
            }
        }
        true
    }

    /// The output line of one record, computed on the analysis threads like every analysis:
    /// one slot per record, so that a batch shares the CPU with single analyses, and none
    /// held while the client reads.
    fn score(
        &self,
        record: Record<'static>,
        lines: &Arc<LineWriter>,
        file: &Arc<[u8]>,
    ) -> Option<Vec<u8>> {
        let analyzer = self.analyzer.clone();
        let lines = lines.clone();
        let file = file.clone();
        let work = move || {
            let mut bytes = Vec::new();
            lines.report(&mut bytes, &record, &file, &analyzer.analyze(&record.text));
            bytes
        };
        self.runtime.block_on(self.gates.analyze(work)).ok()
    }

    /// Hands a line to the connection; false when the client has gone, or has read nothing
    /// for as long as a request may take (it would hold a body slot for ever).
    fn send(&self, line: Bytes) -> bool {
        let limit = self.gates.limits.timeout;
        let sent = self
            .runtime
            .block_on(tokio::time::timeout(limit, self.out.send(line)));
        matches!(sent, Ok(Ok(())))
    }

    /// The last line, when the body could not be read to its end.
    fn stopped(&self, lines: &LineWriter, file: &[u8], line: u64, why: &str) {
        let e = RecordError {
            line,
            id: None,
            message: format!("line {line}: {why}; this line and any after it were not read"),
        };
        let mut bytes = Vec::new();
        lines.error(&mut bytes, &e, file);
        self.send(Bytes::from(bytes));
    }
}

/// A record that owns its text, to be moved to an analysis thread.
fn owned(record: Record<'_>) -> Record<'static> {
    Record {
        line: record.line,
        id: record.id.map(|id| Cow::Owned(id.into_owned())),
        text: Cow::Owned(record.text.into_owned()),
        extra: Vec::new(),
    }
}
