//! The default command (`ownup [FILE...]`) and `ownup check`.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use ownup::batch::{io_message, pipeline, STDIN_NAME};
use ownup::report::human::{self, HumanOptions};
use ownup::report::WireReport;
use ownup::{markup, Analysis, Analyzer, Kind};
use serde::Serialize;

use super::args::{FailOn, Format, ReportArgs};
use super::{stdin_hint, use_color, worker_count, Error, Outcome};

/// One text in `--format json`.
#[derive(Serialize)]
struct JsonReport<'a> {
    path: &'a str,
    #[serde(flatten)]
    report: WireReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<CheckResult>,
}

/// The verdict of `check` for one text.
#[derive(Debug, Serialize)]
struct CheckResult {
    passed: bool,
    reasons: Vec<String>,
    /// Why the text was not judged (a safety note comes first).
    #[serde(skip_serializing_if = "Option::is_none")]
    not_judged: Option<&'static str>,
}

/// What `check` fails on: the options, else the config, else the defaults.
#[derive(Debug, Clone)]
pub struct CheckPolicy {
    /// Fail below this score.
    pub min_score: u8,
    /// Fail on these deflections.
    pub fail_on: Vec<FailOn>,
    /// Fail when there is no apology.
    pub require_apology: bool,
}

/// Why `check` does not judge a text with a safety note.
const NOT_JUDGED: &str = "a safety note comes first; the text is not judged";

/// Why a text fails `check`, empty when it passes.
fn check(analysis: &Analysis, args: &CheckPolicy) -> CheckResult {
    if analysis.care_first() {
        return CheckResult {
            passed: true,
            reasons: Vec::new(),
            not_judged: Some(NOT_JUDGED),
        };
    }
    let mut reasons = Vec::new();
    if args.require_apology && !analysis.apology {
        reasons.push("no apology found, and --require-apology is set".to_string());
    }
    if let Some(score) = analysis.score {
        if score < args.min_score {
            reasons.push(format!(
                "score {score} is below min-score {}",
                args.min_score
            ));
        }
    }
    for f in analysis.counted().filter(|f| f.kind == Kind::Deflection) {
        let hit = args.fail_on.iter().any(|x| match *x {
            FailOn::Category(c) => f.category == c,
            FailOn::Severity(s) => f.severity >= s,
            FailOn::Nothing => false,
        });
        if hit {
            reasons.push(format!(
                "{} `{}` ({}) matches fail-on",
                f.category,
                f.rule,
                f.severity.id()
            ));
        }
    }
    CheckResult {
        passed: reasons.is_empty(),
        reasons,
        not_judged: None,
    }
}

/// Reads one input as text: the whole file or stdin. A leading byte order mark is removed,
/// so offsets count from after it.
fn read_text(path: &Path) -> Result<String, String> {
    let stdin = path.as_os_str() == "-";
    let name = display_name(path);
    let mut bytes = Vec::new();
    let res = if stdin {
        stdin_hint();
        io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else if path.is_dir() {
        Err(io::Error::other("is a directory"))
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    res.map_err(|e| format!("{name}: {}", io_message(&e)))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name}: not valid UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// One file's report, made by a worker: the bytes to write, or why the file could not be
/// read.
struct FileReport {
    bytes: Result<Vec<u8>, String>,
    failed: bool,
}

/// Runs the default report, or `check` when `check` is given. Files are read by one thread,
/// analyzed and rendered by the others, and written in the order given.
pub fn run(
    analyzer: &Analyzer,
    args: &ReportArgs,
    check_args: Option<&CheckPolicy>,
) -> Result<Outcome, Error> {
    let stdin = [Path::new("-").to_path_buf()];
    let files = if args.files.is_empty() {
        &stdin[..]
    } else {
        &args.files[..]
    };
    let format = args.output.format;
    let opts = HumanOptions {
        color: format == Format::Human && use_color(args.color),
        ..HumanOptions::default()
    };
    let many = files.len() > 1;
    let source = files
        .iter()
        .map(|path| Ok::<_, Error>((display_name(path), read_text(path))));
    let write = |w: &mut dyn Write, name: &str, text: &str| -> io::Result<bool> {
        let markdown = args.markdown || is_markdown(name);
        let analysis = analyzer.analyze_masked(&markup::mask(text, markdown));
        let verdict = check_args.map(|c| check(&analysis, c));
        let failed = verdict.as_ref().is_some_and(|v| !v.passed);
        match format {
            Format::Json => write_json(w, name, &analysis, text, verdict)?,
            Format::Human => write_human(w, name, many, &analysis, text, verdict, &opts)?,
        }
        Ok(failed)
    };
    let report = |(name, text): (String, Result<String, String>)| -> FileReport {
        let mut bytes = Vec::new();
        let failed = match text {
            // Into memory, writing does not fail.
            Ok(text) => write(&mut bytes, &name, &text).unwrap_or(false),
            Err(msg) => {
                return FileReport {
                    bytes: Err(msg),
                    failed: false,
                }
            }
        };
        FileReport {
            bytes: Ok(bytes),
            failed,
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut outcome = Outcome::Success;
    let mut first = true;
    if many {
        let sink = |done: FileReport| -> Result<(), Error> {
            match done.bytes {
                Ok(bytes) => {
                    if format == Format::Human && !first {
                        out.write_all(b"\n")?;
                    }
                    first = false;
                    out.write_all(&bytes)?;
                    if done.failed {
                        outcome = outcome.max(Outcome::Failed);
                    }
                }
                Err(msg) => {
                    out.flush()?;
                    eprintln!("ownup: {msg}");
                    outcome = outcome.max(Outcome::InputError);
                }
            }
            Ok(())
        };
        pipeline::ordered(worker_count(0), source, report, sink)?;
    } else {
        // One text: threads would only add their start-up to a call that takes milliseconds,
        // and its report goes straight out, never held whole.
        for (name, text) in source.flatten() {
            match text {
                Ok(text) => {
                    if write(&mut out, &name, &text)? {
                        outcome = outcome.max(Outcome::Failed);
                    }
                }
                Err(msg) => {
                    out.flush()?;
                    eprintln!("ownup: {msg}");
                    outcome = outcome.max(Outcome::InputError);
                }
            }
        }
    }
    out.flush()?;
    Ok(outcome)
}

/// Whether a file's name says it is Markdown.
fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown", ".mdx"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    }
}

/// One text in `--format json`: one line.
fn write_json(
    w: &mut dyn Write,
    name: &str,
    analysis: &Analysis,
    text: &str,
    check: Option<CheckResult>,
) -> io::Result<()> {
    let line = JsonReport {
        path: name,
        report: WireReport::new(analysis, text),
        check,
    };
    serde_json::to_writer(&mut *w, &line)?;
    w.write_all(b"\n")
}

/// One text's human report, headed by its name when there are several.
fn write_human(
    w: &mut dyn Write,
    name: &str,
    many: bool,
    analysis: &Analysis,
    text: &str,
    verdict: Option<CheckResult>,
    opts: &HumanOptions,
) -> io::Result<()> {
    if many {
        if opts.color {
            writeln!(w, "\x1b[1;4m{name}\x1b[0m")?;
        } else {
            writeln!(w, "== {name} ==")?;
        }
    }
    human::write(analysis, text, opts, w)?;
    if let Some(v) = &verdict {
        if let Some(why) = v.not_judged {
            writeln!(w, "check: not judged: {why}")?;
        } else if v.passed {
            w.write_all(b"check: passed\n")?;
        } else {
            let msg = format!("check: FAILED: {}", v.reasons.join("; "));
            if opts.color {
                writeln!(w, "\x1b[1;31m{msg}\x1b[0m")?;
            } else {
                writeln!(w, "{msg}")?;
            }
        }
    }
    Ok(())
}
