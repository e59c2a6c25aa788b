//! `ownup serve`: the options turned into the server's, then the server.

use std::time::Duration;

use ownup::serve::{self as server, Limits, Options};
use ownup::Analyzer;

use super::args::ServeArgs;
use super::{Error, Outcome};

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(analyzer: Analyzer, args: &ServeArgs) -> Result<Outcome, Error> {
    let options = Options {
        bind: args.bind,
        port: args.port,
        limits: Limits {
            body: args.body_limit,
            timeout: Duration::from_secs(args.timeout),
            analyses: args
                .jobs
                .map_or_else(server::limits::default_analyses, usize::from),
        },
    };
    server::run(analyzer, &options).map_err(Error::Msg)?;
    Ok(Outcome::Success)
}
