//! `ownup batch` and `ownup threads`: records in, JSON Lines out.
//!
//! Both run on the batch pipeline: a reader thread cuts the input into chunks of records,
//! workers parse, analyze and (for `batch`) serialize a whole chunk, and this thread writes
//! the finished bytes, or adds the chunk's comments to the thread tallies, in input order.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ownup::batch::{
    self, pipeline, ByteCounter, Chunk, ChunkSize, Chunks, Fields, InputFormat, Record, RecordError,
};
use ownup::report::record::LineWriter;
use ownup::threads::{Comment, Threads};
use ownup::{Analysis, Analyzer, Category};

use super::args::{BatchArgs, InputArg, RecordArgs, ThreadsArgs};
use super::{stdin_hint, worker_count, Error, Outcome};

/// Totals over records, for `--summary` and the note on bad records; chunks add theirs up.
#[derive(Default)]
struct Summary {
    records: u64,
    apologies: u64,
    score_sum: u64,
    /// Counted findings per category, in the order of [`Category::ALL`].
    categories: Vec<u64>,
    errors: u64,
    /// The first few error messages, for stderr.
    first_errors: Vec<String>,
}

/// How many bad records are named on stderr.
const ERRORS_SHOWN: usize = 5;

impl Summary {
    fn add(&mut self, a: &Analysis) {
        self.records += 1;
        if a.apology {
            self.apologies += 1;
        }
        if let Some(s) = a.score {
            self.score_sum += u64::from(s);
        }
        for f in a.counted() {
            if self.categories.is_empty() {
                self.categories = vec![0; Category::ALL.len()];
            }
            if let Some(i) = Category::ALL.iter().position(|&c| c == f.category) {
                self.categories[i] += 1;
            }
        }
    }

    fn add_error(&mut self, message: &str) {
        self.records += 1;
        self.errors += 1;
        if self.first_errors.len() < ERRORS_SHOWN {
            self.first_errors.push(message.to_string());
        }
    }

    /// Adds the totals of the records that come after these.
    fn merge(&mut self, later: Summary) {
        self.records += later.records;
        self.apologies += later.apologies;
        self.score_sum += later.score_sum;
        self.errors += later.errors;
        if self.categories.is_empty() {
            self.categories = later.categories;
        } else {
            for (a, b) in self.categories.iter_mut().zip(later.categories) {
                *a += b;
            }
        }
        let room = ERRORS_SHOWN - self.first_errors.len();
        self.first_errors
            .extend(later.first_errors.into_iter().take(room));
    }

    fn print(&self, elapsed: Duration, threads: Option<usize>) {
        let secs = elapsed.as_secs_f64();
        let mut s = String::from("summary:\n");
        s.push_str(&format!("  records      {}\n", self.records));
        if let Some(t) = threads {
            s.push_str(&format!("  threads      {t}\n"));
        }
        s.push_str(&format!("  apologies    {}\n", self.apologies));
        if self.apologies > 0 {
            s.push_str(&format!(
                "  mean score   {:.1}\n",
                self.score_sum as f64 / self.apologies as f64
            ));
        } else {
            s.push_str("  mean score   -\n");
        }
        s.push_str(&format!("  errors       {}\n", self.errors));
        let rate = if secs > 0.0 {
            self.records as f64 / secs
        } else {
            0.0
        };
        s.push_str(&format!(
            "  elapsed      {secs:.2}s ({rate:.0} records/s)\n"
        ));
        let used: Vec<(Category, u64)> = Category::ALL
            .iter()
            .zip(&self.categories)
            .filter(|(_, &n)| n > 0)
            .map(|(c, &n)| (*c, n))
            .collect();
        if !used.is_empty() {
            s.push_str("  findings by category (counted, not reported speech):\n");
            for (c, n) in used {
                s.push_str(&format!("    {:<20} {:>8}  {}\n", c.id(), n, c.kind()));
            }
        }
        eprint!("{s}");
    }

    /// Names the first bad records on stderr, and how many there were.
    fn note_bad_records(&self, what: &str) {
        if self.errors == 0 {
            return;
        }
        for e in &self.first_errors {
            eprintln!("ownup: {e}");
        }
        let more = self.errors - self.first_errors.len() as u64;
        if more > 0 {
            eprintln!("ownup: ... and {more} more");
        }
        eprintln!(
            "ownup: {} of {} records were bad{what}",
            self.errors, self.records
        );
    }

    fn outcome(&self, strict: bool) -> Outcome {
        if strict && self.errors > 0 {
            Outcome::Failed
        } else {
            Outcome::Success
        }
    }
}

/// The inputs opened and the progress bar drawn.
struct Setup {
    chunks: Chunks,
    fields: Fields,
    progress: Progress,
    workers: usize,
}

fn setup(args: &RecordArgs, extra: Vec<String>) -> Result<Setup, Error> {
    let format = args.input.map(|f| match f {
        InputArg::Jsonl => InputFormat::Jsonl,
        InputArg::Csv => InputFormat::Csv,
        InputArg::Lines => InputFormat::Lines,
    });
    let counter: ByteCounter = Arc::default();
    if args.files.is_empty() || args.files.iter().any(|f| f.as_os_str() == "-") {
        stdin_hint();
    }
    let inputs =
        batch::open_all(&args.files, format, &counter).map_err(|e| Error::Msg(e.to_string()))?;
    let total: Option<u64> = inputs.iter().map(|i| i.size).sum();
    let fields = Fields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
        extra,
    };
    Ok(Setup {
        chunks: Chunks::new(inputs, fields.clone(), ChunkSize::default()),
        fields,
        progress: Progress::new(!args.no_progress, total, counter),
        workers: worker_count(args.threads),
    })
}

/// A progress bar on stderr, when it is a terminal.
struct Progress {
    bar: Option<ProgressBar>,
    counter: ByteCounter,
}

impl Progress {
    fn new(wanted: bool, total: Option<u64>, counter: ByteCounter) -> Progress {
        let bar = (wanted && io::stderr().is_terminal()).then(|| {
            let (template, fallback) = match total {
                Some(_) => (
                    "{bar:30} {bytes}/{total_bytes} {msg} [{elapsed_precise}, eta {eta}]",
                    ProgressStyle::default_bar(),
                ),
                None => (
                    "{spinner} {bytes} {msg} [{elapsed_precise}]",
                    ProgressStyle::default_spinner(),
                ),
            };
            let style = ProgressStyle::with_template(template).unwrap_or(fallback);
            let pb = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
                .with_style(style);
            pb.enable_steady_tick(Duration::from_millis(200));
            pb
        });
        Progress { bar, counter }
    }

    fn tick(&self, records: u64) {
        if let Some(pb) = &self.bar {
            pb.set_position(self.counter.load(Ordering::Relaxed));
            pb.set_message(format!("{records} records"));
        }
    }

    fn finish(self) {
        if let Some(pb) = self.bar {
            pb.finish_and_clear();
        }
    }
}

/// A chunk of `batch` output: its lines, and the totals of its records.
struct BatchChunk {
    bytes: Vec<u8>,
    summary: Summary,
}

fn batch_chunk(
    analyzer: &Analyzer,
    fields: &Fields,
    lines: &LineWriter,
    chunk: Chunk,
) -> BatchChunk {
    // Output lines are a little longer than their records, and a chunk of one long text
    // may have a report of any size: room for the common case, growth for the rest.
    let mut bytes = Vec::with_capacity((chunk.len() + chunk.len() / 2).min(1 << 20));
    let mut summary = Summary::default();
    let file = lines.file(chunk.input());
    for record in chunk.records(fields) {
        match record.and_then(|r| analyze_guarded(analyzer, &r).map(|a| (r, a))) {
            Ok((record, analysis)) => {
                summary.add(&analysis);
                lines.report(&mut bytes, &record, &file, &analysis);
            }
            Err(e) => {
                summary.add_error(&e.message);
                lines.error(&mut bytes, &e, &file);
            }
        }
    }
    BatchChunk { bytes, summary }
}

/// Analyzes one record, turning a panic inside the analysis (a bug of ours, never the
/// input's fault) into that record's error: the batch goes on, and every record still
/// yields exactly one output line.
fn analyze_guarded(analyzer: &Analyzer, record: &Record<'_>) -> Result<Analysis, RecordError> {
    guarded(|| analyzer.analyze(&record.text)).map_err(|why| RecordError {
        line: record.line,
        id: record.id.as_deref().map(str::to_string),
        message: format!(
            "line {}: internal error while analyzing this record ({why}); please report it",
            record.line
        ),
    })
}

/// Runs `f`, returning its panic's message as an error.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// Runs `ownup batch`.
pub fn batch(analyzer: &Analyzer, args: &BatchArgs) -> Result<Outcome, Error> {
    let args = &args.records;
    let start = Instant::now();
    let Setup {
        chunks,
        fields,
        progress,
        workers,
    } = setup(args, Vec::new())?;
    let lines = LineWriter::new();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut summary = Summary::default();
    let result = pipeline::ordered(
        workers,
        chunks.map(|c| c.map_err(|e| Error::Msg(e.to_string()))),
        |chunk| batch_chunk(analyzer, &fields, &lines, chunk),
        |done| {
            out.write_all(&done.bytes)?;
            summary.merge(done.summary);
            progress.tick(summary.records);
            Ok(())
        },
    );
    progress.finish();
    let flushed = out.flush();
    result?;
    flushed?;
    if args.summary {
        summary.print(start.elapsed(), None);
    }
    summary.note_bad_records(" (their `error` field says why)");
    Ok(summary.outcome(args.strict))
}

/// A chunk of `threads` input: its comments, and the totals of its records.
struct ThreadsChunk {
    comments: Vec<Comment>,
    summary: Summary,
}

fn threads_chunk(analyzer: &Analyzer, fields: &Fields, chunk: Chunk) -> ThreadsChunk {
    let mut comments = Vec::new();
    let mut summary = Summary::default();
    for record in chunk.records(fields) {
        match record.and_then(|r| analyze_guarded(analyzer, &r).map(|a| (r, a))) {
            Ok((record, analysis)) => {
                summary.add(&analysis);
                comments.push(Comment::new(&record, &analysis));
            }
            Err(e) => summary.add_error(&e.message),
        }
    }
    ThreadsChunk { comments, summary }
}

/// Runs `ownup threads`.
pub fn threads(analyzer: &Analyzer, args: &ThreadsArgs) -> Result<Outcome, Error> {
    let start = Instant::now();
    let extra = vec![
        args.thread_field.clone(),
        args.author_field.clone(),
        args.parent_field.clone(),
    ];
    let Setup {
        chunks,
        fields,
        progress,
        workers,
    } = setup(&args.records, extra)?;
    let mut agg = Threads::new();
    let mut summary = Summary::default();
    let result = pipeline::ordered(
        workers,
        chunks.map(|c| c.map_err(|e| Error::Msg(e.to_string()))),
        |chunk| threads_chunk(analyzer, &fields, chunk),
        |done| {
            for c in done.comments {
                agg.add(c);
            }
            summary.merge(done.summary);
            progress.tick(summary.records);
            Ok(())
        },
    );
    progress.finish();
    result?;
    let n_threads = agg.len();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    for t in agg.finish() {
        serde_json::to_writer(&mut out, &t).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if args.records.summary {
        summary.print(start.elapsed(), Some(n_threads));
    }
    summary.note_bad_records(" (left out of the threads)");
    Ok(summary.outcome(args.records.strict))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_in_the_analysis_becomes_the_records_error() {
        assert_eq!(super::guarded(|| 7), Ok(7));
        let err = super::guarded(|| -> u8 { panic!("slice past the end") });
        assert_eq!(err, Err("slice past the end".to_string()));
        let owned = super::guarded(|| -> u8 { panic!("{} words", 3) });
        assert_eq!(owned, Err("3 words".to_string()));
    }
}
