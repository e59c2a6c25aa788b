//! `ownup batch` and `ownup threads`: records in, JSON Lines out.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ownup::batch::{
    self, ByteCounter, ChunkSize, Chunks, Fields, InputError, InputFormat, RawRecord,
};
use ownup::report::record::RecordLine;
use ownup::report::WireReport;
use ownup::threads::{Comment, Threads};
use ownup::{Analysis, Analyzer, Category};

use super::args::{BatchArgs, InputArg, RecordArgs, ThreadsArgs};
use super::{stdin_hint, Error, Outcome};

/// Why a batch stopped.
enum Stop {
    Input(InputError),
    Output(io::Error),
}

impl From<Stop> for Error {
    fn from(s: Stop) -> Error {
        match s {
            Stop::Input(e) => Error::Msg(e.to_string()),
            Stop::Output(e) => Error::Output(e),
        }
    }
}

/// What the summary needs from one record.
#[derive(Default)]
struct Tally {
    apology: bool,
    score: Option<u8>,
    categories: Vec<Category>,
    error: bool,
}

#[derive(Default)]
struct Summary {
    records: u64,
    apologies: u64,
    score_sum: u64,
    categories: Vec<u64>,
    errors: u64,
    first_errors: Vec<String>,
}

impl Summary {
    fn add(&mut self, t: &Tally) {
        self.records += 1;
        if t.error {
            self.errors += 1;
        }
        if t.apology {
            self.apologies += 1;
        }
        if let Some(s) = t.score {
            self.score_sum += u64::from(s);
        }
        if self.categories.is_empty() {
            self.categories = vec![0; Category::ALL.len()];
        }
        for c in &t.categories {
            if let Some(i) = Category::ALL.iter().position(|x| x == c) {
                self.categories[i] += 1;
            }
        }
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
}

fn tally(a: &Analysis) -> Tally {
    Tally {
        apology: a.apology,
        score: a.score,
        categories: a.counted().map(|f| f.category).collect(),
        error: false,
    }
}

struct Setup {
    chunks: Chunks,
    counter: ByteCounter,
    progress: Option<ProgressBar>,
    pool: rayon::ThreadPool,
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
    let progress = (!args.no_progress && io::stderr().is_terminal()).then(|| {
        let pb = match total {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template(
                        "{bar:30} {bytes}/{total_bytes} {msg} [{elapsed_precise}, eta {eta}]",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} {bytes} {msg} [{elapsed_precise}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    });
    let fields = Fields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
        extra,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| Error::Msg(format!("cannot start worker threads: {e}")))?;
    Ok(Setup {
        chunks: Chunks::new(inputs, fields, ChunkSize::default()),
        counter,
        progress,
        pool,
    })
}

fn tick(progress: &Option<ProgressBar>, counter: &ByteCounter, records: u64) {
    if let Some(pb) = progress {
        pb.set_position(counter.load(Ordering::Relaxed));
        pb.set_message(format!("{records} records"));
    }
}

fn finish(progress: Option<ProgressBar>) {
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
}

fn bad_records_note(summary: &Summary, what: &str) {
    if summary.errors > 0 {
        for e in &summary.first_errors {
            eprintln!("ownup: {e}");
        }
        let more = summary.errors - summary.first_errors.len() as u64;
        if more > 0 {
            eprintln!("ownup: ... and {more} more");
        }
        eprintln!(
            "ownup: {} of {} records were bad{what}",
            summary.errors, summary.records
        );
    }
}

/// Runs `ownup batch`.
pub fn batch(analyzer: &Analyzer, args: &BatchArgs) -> Result<Outcome, Error> {
    let args = &args.records;
    let start = Instant::now();
    let Setup {
        chunks,
        counter,
        progress,
        pool,
    } = setup(args, Vec::new())?;
    let fields = Fields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
        extra: Vec::new(),
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut summary = Summary::default();

    let map = |raw: &RawRecord| -> (Vec<u8>, Tally, Option<String>) {
        match raw.parse(&fields) {
            Ok(rec) => {
                let a = analyzer.analyze(&rec.text);
                let t = tally(&a);
                let report = WireReport::new(&a, &rec.text);
                let bytes = RecordLine::report(&rec.id, rec.line, report).to_json_line();
                (bytes, t, None)
            }
            Err(e) => {
                let bytes = RecordLine::error(&e.id, e.line, &e.message).to_json_line();
                let t = Tally {
                    error: true,
                    ..Tally::default()
                };
                (bytes, t, Some(e.message))
            }
        }
    };

    let result = batch::process_ordered(
        &pool,
        chunks.map(|c| c.map_err(Stop::Input)),
        map,
        |results| {
            for (bytes, t, err) in results {
                out.write_all(&bytes).map_err(Stop::Output)?;
                summary.add(&t);
                if let Some(e) = err {
                    if summary.first_errors.len() < 5 {
                        summary.first_errors.push(e);
                    }
                }
            }
            tick(&progress, &counter, summary.records);
            Ok(())
        },
    );
    finish(progress);
    let flushed = out.flush();
    result?;
    flushed?;
    if args.summary {
        summary.print(start.elapsed(), None);
    }
    bad_records_note(&summary, " (their `error` field says why)");
    Ok(if args.strict && summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// Runs `ownup threads`.
pub fn threads(analyzer: &Analyzer, args: &ThreadsArgs) -> Result<Outcome, Error> {
    let start = Instant::now();
    let extra = vec![
        args.thread_field.clone(),
        args.author_field.clone(),
        args.parent_field.clone(),
    ];
    let rec_args = &args.records;
    let Setup {
        chunks,
        counter,
        progress,
        pool,
    } = setup(rec_args, extra.clone())?;
    let fields = Fields {
        text: rec_args.text_field.clone(),
        id: rec_args.id_field.clone(),
        extra,
    };
    let mut agg = Threads::new();
    let mut summary = Summary::default();

    let map = |raw: &RawRecord| -> Result<(Comment, Tally), String> {
        let rec = raw.parse(&fields).map_err(|e| e.message)?;
        let a = analyzer.analyze(&rec.text);
        Ok((Comment::new(&rec, &a), tally(&a)))
    };
    let result = batch::process_ordered(
        &pool,
        chunks.map(|c| c.map_err(Stop::Input)),
        map,
        |results| {
            for r in results {
                match r {
                    Ok((c, t)) => {
                        summary.add(&t);
                        agg.add(c);
                    }
                    Err(e) => {
                        summary.add(&Tally {
                            error: true,
                            ..Tally::default()
                        });
                        if summary.first_errors.len() < 5 {
                            summary.first_errors.push(e);
                        }
                    }
                }
            }
            tick(&progress, &counter, summary.records);
            Ok(())
        },
    );
    finish(progress);
    result?;
    let n_threads = agg.len();
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    for t in agg.finish() {
        serde_json::to_writer(&mut out, &t).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if rec_args.summary {
        summary.print(start.elapsed(), Some(n_threads));
    }
    bad_records_note(&summary, " (left out of the threads)");
    Ok(if rec_args.strict && summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}
