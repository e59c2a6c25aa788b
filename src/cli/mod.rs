//! The `ownup` command line: argument parsing, dispatch, exit codes.
//!
//! Exit codes: 0 success; 1 a `check` failed (or `batch`/`threads --strict` saw bad
//! records); 2 a usage or input error. A closed stdout (`ownup batch big.jsonl | head -1`)
//! ends the run quietly with exit 0: the reader asked for no more, which is no failure.

mod analyze;
mod args;
mod eval;
mod records;
mod rules;
#[cfg(feature = "serve")]
mod serve;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use ownup::Analyzer;

use args::{Cli, ColorChoice, Command, Format, GlobalArgs};

/// What a command ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: a check failed.
    Failed,
    /// Exit 2: an input error was reported on the way, but the run went on.
    InputError,
}

impl Outcome {
    fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Failed => 1,
            Outcome::InputError => 2,
        }
    }

    /// The more serious of two outcomes.
    pub fn max(self, other: Outcome) -> Outcome {
        if other.code() > self.code() {
            other
        } else {
            self
        }
    }
}

/// An error that ends the run.
#[derive(Debug)]
pub enum Error {
    /// A usage or input error: printed as `ownup: MESSAGE`, exit 2.
    Msg(String),
    /// Writing the output failed (a broken pipe is not an error).
    Output(io::Error),
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Output(e)
    }
}

/// Runs the command line and returns the exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout (exit 0); usage errors to stderr (exit 2).
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = dispatch(cli);
    let code = match result {
        Ok(outcome) => outcome.code(),
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(Error::Output(e)) => {
            eprintln!(
                "ownup: cannot write output: {}",
                ownup::batch::io_message(&e)
            );
            2
        }
        Err(Error::Msg(m)) => {
            eprintln!("ownup: {m}");
            2
        }
    };
    ExitCode::from(code)
}

fn dispatch(cli: Cli) -> Result<Outcome, Error> {
    let g = &cli.global;
    let format = g.format.unwrap_or(Format::Human);
    let records_only = |cmd: &str| match g.format {
        Some(Format::Human) => Err(Error::Msg(format!(
            "`{cmd}` writes JSON Lines only; --format human does not apply"
        ))),
        _ => Ok(()),
    };
    match cli.command {
        None => analyze::run(&build(g)?, &cli.analyze, format, g.color, None),
        Some(Command::Check(args)) => {
            analyze::run(&build(g)?, &args.analyze, format, g.color, Some(&args))
        }
        Some(Command::Batch(args)) => {
            records_only("batch")?;
            records::batch(&build(g)?, &args)
        }
        Some(Command::Threads(args)) => {
            records_only("threads")?;
            records::threads(&build(g)?, &args)
        }
        Some(Command::Rules(args)) => rules::run(&build(g)?, &args, format),
        Some(Command::Eval(args)) => eval::run(&build(g)?, &args, format),
        #[cfg(feature = "serve")]
        Some(Command::Serve(args)) => {
            if g.format.is_some() {
                return Err(Error::Msg(
                    "`serve` answers in JSON; --format does not apply".to_string(),
                ));
            }
            serve::run(build(g)?, &args)
        }
        Some(Command::Completions(args)) => {
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "ownup", &mut buf);
            write_stdout(&buf)?;
            Ok(Outcome::Success)
        }
    }
}

/// Builds the analyzer from `--lexicon` and `--disable`.
fn build(engine: &GlobalArgs) -> Result<Analyzer, Error> {
    let mut b = Analyzer::builder();
    for f in &engine.lexicon {
        b = b.lexicon_file(f);
    }
    let ids: Vec<String> = engine
        .disable
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    b.disable(ids)
        .build()
        .map_err(|e| Error::Msg(e.to_string()))
}

/// Whether to colour stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|v| v == "dumb");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && !dumb && io::stdout().is_terminal(),
    }
}

/// Says on stderr that input is awaited from a terminal: without a file argument ownup
/// reads stdin, and a silent wait looks like a hang to someone who typed just `ownup`.
pub fn stdin_hint() {
    if io::stdin().is_terminal() {
        eprintln!("ownup: reading from the terminal; end the text with Ctrl-D (files: see --help)");
    }
}

/// Writes all of `bytes` to stdout and flushes.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}
