//! The default command (`ownup [FILE...]`) and `ownup check`.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use ownup::batch::io_message;
use ownup::report::human::{self, HumanOptions};
use ownup::report::WireReport;
use ownup::{Analysis, Analyzer, Kind};
use serde::Serialize;

use super::args::{AnalyzeArgs, CheckArgs, ColorChoice, FailOn, Format};
use super::{stdin_hint, use_color, Error, Outcome};

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
}

/// Why a text fails `check`, empty when it passes.
fn check(analysis: &Analysis, args: &CheckArgs) -> CheckResult {
    let mut reasons = Vec::new();
    if let Some(score) = analysis.score {
        if score < args.min_score {
            reasons.push(format!(
                "score {score} is below --min-score {}",
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
                "{} `{}` ({}) matches --fail-on",
                f.category,
                f.rule,
                f.severity.id()
            ));
        }
    }
    CheckResult {
        passed: reasons.is_empty(),
        reasons,
    }
}

/// Reads one input as text: the whole file or stdin. A leading byte order mark is removed,
/// so offsets count from after it.
fn read_text(path: &Path) -> Result<String, String> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
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

/// Runs the default report, or `check` when `check` is given.
pub fn run(
    analyzer: &Analyzer,
    args: &AnalyzeArgs,
    format: Format,
    color: ColorChoice,
    check_args: Option<&CheckArgs>,
) -> Result<Outcome, Error> {
    let stdin = [Path::new("-").to_path_buf()];
    let files = if args.files.is_empty() {
        &stdin[..]
    } else {
        &args.files[..]
    };
    let opts = HumanOptions {
        color: format == Format::Human && use_color(color),
        ..HumanOptions::default()
    };
    let many = files.len() > 1;
    let mut out = BufWriter::new(io::stdout().lock());
    let mut outcome = Outcome::Success;
    let mut first = true;
    for path in files {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(msg) => {
                out.flush()?;
                eprintln!("ownup: {msg}");
                outcome = outcome.max(Outcome::InputError);
                continue;
            }
        };
        let name = if path.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let analysis = analyzer.analyze(&text);
        let verdict = check_args.map(|c| check(&analysis, c));
        if verdict.as_ref().is_some_and(|v| !v.passed) {
            outcome = outcome.max(Outcome::Failed);
        }
        match format {
            Format::Json => {
                let line = JsonReport {
                    path: &name,
                    report: WireReport::new(&analysis, &text),
                    check: verdict,
                };
                serde_json::to_writer(&mut out, &line).map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            }
            Format::Human => {
                if many {
                    if !first {
                        out.write_all(b"\n")?;
                    }
                    let head = if opts.color {
                        format!("\x1b[1;4m{name}\x1b[0m\n")
                    } else {
                        format!("== {name} ==\n")
                    };
                    out.write_all(head.as_bytes())?;
                }
                out.write_all(human::render(&analysis, &text, &opts).as_bytes())?;
                if let Some(v) = &verdict {
                    if v.passed {
                        out.write_all(b"check: passed\n")?;
                    } else {
                        let msg = format!("check: FAILED: {}\n", v.reasons.join("; "));
                        let msg = if opts.color {
                            format!("\x1b[1;31m{}\x1b[0m\n", msg.trim_end())
                        } else {
                            msg
                        };
                        out.write_all(msg.as_bytes())?;
                    }
                }
            }
        }
        first = false;
    }
    out.flush()?;
    Ok(outcome)
}
