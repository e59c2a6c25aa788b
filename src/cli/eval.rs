//! `ownup eval LABELS...`: agreement with human labels, as a thin shell over `ownup::eval`.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use ownup::batch::io_message;
use ownup::eval::{evaluate, read_labels, Labelled, Split};
use ownup::Analyzer;

use super::args::{EvalArgs, FitArgs, Format};
use super::{stdin_hint, Error, Outcome};

/// Reads one labels file (or stdin for `-`) as UTF-8 text, naming it in any error.
fn read_source(path: &Path) -> Result<(String, String), Error> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let mut bytes = Vec::new();
    let read = if stdin {
        stdin_hint();
        io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else if path.is_dir() {
        Err(io::Error::other("is a directory"))
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    read.map_err(|e| Error::Msg(format!("{name}: {}", io_message(&e))))?;
    match String::from_utf8(bytes) {
        Ok(src) => Ok((name, src)),
        Err(e) => {
            // Name the line, as for every other malformed label.
            let at = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
            Err(Error::Msg(format!("{name}: line {line}: not valid UTF-8")))
        }
    }
}

/// Reads labelled files, keeping one part of them when asked.
fn read_items(files: &[PathBuf], split: Option<Split>) -> Result<Vec<Labelled>, Error> {
    let mut items = Vec::new();
    for path in files {
        let (name, src) = read_source(path)?;
        items.extend(read_labels(&src, &name).map_err(Error::Msg)?);
    }
    if let Some(part) = split {
        items.retain(|it| Split::of(&it.id) == part);
    }
    if items.is_empty() {
        return Err(Error::Msg(
            "no labelled texts in the input: nothing to measure".to_string(),
        ));
    }
    Ok(items)
}

/// Runs `ownup fit`: the fitted weights to stdout, as a lexicon file; the table to stderr.
pub fn fit(analyzer: &Analyzer, args: &FitArgs) -> Result<Outcome, Error> {
    let items = read_items(&args.files, args.split)?;
    let report = ownup::fit::fit(analyzer, &items, args.folds);
    if report.texts < 10 {
        return Err(Error::Msg(format!(
            "only {} rated texts that ownup also reads as apologies: too few to fit weights",
            report.texts
        )));
    }
    eprint!("{}", report.to_text());
    let mut out = io::stdout().lock();
    out.write_all(report.to_toml().as_bytes())?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// Runs `ownup eval`.
pub fn run(analyzer: &Analyzer, args: &EvalArgs, format: Format) -> Result<Outcome, Error> {
    let items = read_items(&args.files, args.split)?;
    let report = evaluate(analyzer, &items, args.worst);
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer(&mut out, &report).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Format::Human => out.write_all(report.to_text().as_bytes())?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}
