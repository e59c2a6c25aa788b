//! The `ownup` command line: argument parsing, dispatch, exit codes.
//!
//! Exit codes: 0 success; 1 a `check` failed (or `batch`/`threads --strict` saw bad
//! records); 2 a usage or input error. A closed stdout (`ownup batch big.jsonl | head -1`)
//! ends the run quietly with exit 0: the reader asked for no more, which is no failure.

mod analyze;
mod args;
mod config;
mod eval;
mod records;
mod rules;
#[cfg(feature = "serve")]
mod serve;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use ownup::Analyzer;

use analyze::CheckPolicy;
use args::{CheckArgs, Cli, ColorChoice, Command, EngineArgs, FailOn};
use config::Config;

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
    match cli.command {
        None => {
            misplaced_command(&cli.report.files)?;
            analyze::run(&build(&cli.report.engine)?.0, &cli.report, None)
        }
        Some(Command::Check(args)) => {
            let (analyzer, config) = build(&args.report.engine)?;
            let policy = check_policy(&args, &config);
            analyze::run(&analyzer, &args.report, Some(&policy))
        }
        Some(Command::Batch(args)) => records::batch(&build(&args.engine)?.0, &args),
        Some(Command::Threads(args)) => records::threads(&build(&args.engine)?.0, &args),
        Some(Command::Rules(args)) => {
            rules::run(&build(&args.engine)?.0, &args, args.output.format)
        }
        Some(Command::Eval(args)) => eval::run(&build(&args.engine)?.0, &args, args.output.format),
        Some(Command::Fit(args)) => eval::fit(&build(&args.engine)?.0, &args),
        #[cfg(feature = "serve")]
        Some(Command::Serve(args)) => serve::run(build(&args.engine)?.0, &args),
        Some(Command::Config(args)) => {
            let config = config::load(&args.config).map_err(Error::Msg)?;
            check_rule_ids(&config, &[])?;
            write_stdout(config::describe(&config).as_bytes())?;
            Ok(Outcome::Success)
        }
        Some(Command::Completions(args)) => {
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "ownup", &mut buf);
            write_stdout(&buf)?;
            Ok(Outcome::Success)
        }
    }
}

/// `ownup --format json batch x` reads `batch` as a file to report on: options before a
/// command belong to the default report. Said plainly when no such file exists.
fn misplaced_command(files: &[std::path::PathBuf]) -> Result<(), Error> {
    let Some(first) = files.first().and_then(|f| f.to_str()) else {
        return Ok(());
    };
    if Cli::command().find_subcommand(first).is_some() && !files[0].exists() {
        return Err(Error::Msg(format!(
            "`{first}` is a command, and the options before it are the default report's: \
             put a command's options after it (`ownup {first} --help`)"
        )));
    }
    Ok(())
}

/// Checks the config's `[rules]` ids against the lexicon of the config's lexicons and
/// `more`, so that a bad one is named with its line.
fn check_rule_ids(config: &Config, more: &[std::path::PathBuf]) -> Result<(), Error> {
    if config.rules.is_empty() {
        return Ok(());
    }
    let mut b = Analyzer::builder();
    for f in config.lexicons.iter().flat_map(|l| &l.value).chain(more) {
        b = b.lexicon_file(f);
    }
    let probe = b.build().map_err(|e| Error::Msg(e.to_string()))?;
    config.check_rule_ids(probe.lexicon()).map_err(Error::Msg)
}

/// What `check` fails on: each option, else the config's value, else the default.
fn check_policy(args: &CheckArgs, config: &Config) -> CheckPolicy {
    CheckPolicy {
        min_score: args
            .min_score
            .or(config.min_score.as_ref().map(|m| m.value))
            .unwrap_or(config::DEFAULT_MIN_SCORE),
        fail_on: args
            .fail_on
            .clone()
            .or(config.fail_on.as_ref().map(|f| f.value.clone()))
            .unwrap_or_else(|| vec![FailOn::Severity(ownup::Severity::Error)]),
        require_apology: args.require_apology,
    }
}

/// Builds the analyzer from the project config, then `--lexicon`, `--disable` and
/// `--setting`, which add to it or win over it; returns the config too.
fn build(engine: &EngineArgs) -> Result<(Analyzer, Config), Error> {
    let config = config::load(&engine.config).map_err(Error::Msg)?;
    let mut b = Analyzer::builder();
    let config_lexicons = config.lexicons.iter().flat_map(|l| &l.value);
    for f in config_lexicons.chain(&engine.lexicon) {
        b = b.lexicon_file(f);
    }
    check_rule_ids(&config, &engine.lexicon)?;
    let mut disabled = Vec::new();
    for (id, level) in &config.rules {
        match level.value {
            config::Level::Off => disabled.push(id.clone()),
            config::Level::On(severity) => b = b.severity(id.clone(), severity),
        }
    }
    disabled.extend(
        engine
            .disable
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    );
    let setting = engine
        .setting
        .or(config.setting.as_ref().map(|s| s.value))
        .unwrap_or_default();
    let analyzer = b
        .disable(disabled)
        .setting(setting)
        .build()
        .map_err(|e| Error::Msg(e.to_string()))?;
    Ok((analyzer, config))
}

/// How many worker threads: `requested`, or one per CPU for 0.
pub fn worker_count(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism().map_or(1, usize::from)
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
