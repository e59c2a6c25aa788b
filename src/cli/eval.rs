//! `ownup eval LABELS...`: agreement with human labels, as a thin shell over `ownup::eval`.

use std::io::{self, Write};

use ownup::batch::io_message;
use ownup::eval::{evaluate, read_labels};
use ownup::Analyzer;

use super::args::{EvalArgs, Format};
use super::{Error, Outcome};

/// Runs `ownup eval`.
pub fn run(analyzer: &Analyzer, args: &EvalArgs, format: Format) -> Result<Outcome, Error> {
    let mut items = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let src = std::fs::read_to_string(path)
            .map_err(|e| Error::Msg(format!("{name}: {}", io_message(&e))))?;
        // read_labels names the file and line of a malformed record.
        items.extend(read_labels(&src, &name).map_err(Error::Msg)?);
    }
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
