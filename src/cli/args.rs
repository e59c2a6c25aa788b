//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ownup::advice::SettingChoice;
use ownup::{Category, Severity};

const AFTER_HELP: &str = "\
Exit codes:
  0  success (for `check`: every text passed); also `batch`/`threads` with bad records
     (each is reported) and a stdout closed early (`ownup batch big.jsonl | head`)
  1  `check` failed: a score below --min-score or a deflection matching --fail-on;
     `batch`/`threads` with --strict: some records were bad
  2  usage or input error (unknown option, missing or unreadable file, malformed lexicon
     or labels)

Reading the report:
  +  an ownership component (it raises the score)
  -  a deflection (it lowers the score, or caps it)
  ~  quoted or reported speech: someone else's words, not counted
  !  a safety note (self-harm language): the report then gives no advice and no score
  A rule id is CATEGORY.RULE: `regret.sorry` is the rule `sorry` of the category `regret`;
  `ownup rules ID` explains one. In the breakdown, `elaboration` is the few points for
  ownership beyond the strongest finding of each component (a second way of owning it).
  `setting` is whose advice fits (personal, support, public; see --setting), and
  `missing` the ownership components the apology lacks, most important first.

Config: `ownup.toml` (or `[tool.ownup]` in pyproject.toml), found from the current directory
upward; `ownup config --help` describes it.

Colour is used only when stdout is a terminal and NO_COLOR is unset or empty,
unless --color always or never says otherwise.";

/// Reads an apology and scores how fully it takes ownership.
///
/// With no command, analyzes each FILE (stdin when none or `-`) as one text and prints a
/// report: each finding with its line, column, category, rule and message, the score 0-100
/// with its verdict and breakdown, and the top suggestions.
#[derive(Debug, Parser)]
#[command(
    name = "ownup",
    version,
    after_help = AFTER_HELP,
    max_term_width = 100,
    // `ownup --format json check x` would silently drop `--format`: the options of the
    // default report go with it alone, each command has its own.
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub report: ReportArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The analyzer's options, for every command that analyzes.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Analyzer options")]
pub struct EngineArgs {
    /// Add the rules of a lexicon file (TOML); a rule with an existing id replaces it.
    /// Repeatable.
    #[arg(long, value_name = "PATH")]
    pub lexicon: Vec<PathBuf>,

    /// Disable rules: a rule id, a category id, or a rule-id prefix ending in `.`.
    /// Comma-separated and repeatable.
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub disable: Vec<String>,

    /// Whose advice to give: personal (a friend, partner, colleague), support (a customer),
    /// public (a statement to an audience), or auto: told from each text (@handles, "DM
    /// us", order numbers, an organisation's "we", a long statement) [default: the config's
    /// `setting`, else auto]
    #[arg(long, value_name = "SETTING", value_parser = parse_setting)]
    pub setting: Option<SettingChoice>,

    #[command(flatten)]
    pub config: ConfigArgs,
}

fn parse_setting(s: &str) -> Result<SettingChoice, String> {
    s.parse()
}

/// Which project config to read.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigArgs {
    /// Read this config file (an `ownup.toml`, or a `pyproject.toml` with `[tool.ownup]`)
    /// instead of the one found from the current directory upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no config file.
    #[arg(long)]
    pub no_config: bool,
}

/// Output options of the commands that print reports for people or as JSON.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Output options")]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
    pub format: Format,
}

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with the text marked, then score, breakdown and suggestions.
    Human,
    /// One JSON object per text per line: `path` plus the JSON report fields.
    Json,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options of the report commands (the default one and `check`).
#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// Files to analyze, each as one text; stdin when none or `-`.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: FormatArgs,

    /// When to use colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output options")]
    pub color: ColorChoice,

    /// Read every input as Markdown: code blocks, inline code and HTML comments are
    /// skipped, block quotes (`> ...`) are quoted speech. Files ending in .md or .markdown
    /// are read so anyway. In any input, `<!-- ownup off -->` ... `<!-- ownup on -->` skips
    /// what is between, and `<!-- ownup disable ID,... -->` turns rules or categories off
    /// for the next paragraph.
    #[arg(long)]
    pub markdown: bool,

    #[command(flatten)]
    pub engine: EngineArgs,
}

/// A `--fail-on` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// A deflection of this category.
    Category(Category),
    /// A deflection of this severity or higher.
    Severity(Severity),
    /// Nothing.
    Nothing,
}

impl FailOn {
    /// Parses one item: `none`, a severity, or a deflection category id.
    pub fn parse(s: &str) -> Result<FailOn, String> {
        let s = s.trim();
        if s == "none" {
            return Ok(FailOn::Nothing);
        }
        if let Ok(sev) = s.parse::<Severity>() {
            return Ok(FailOn::Severity(sev));
        }
        match s.parse::<Category>() {
            Ok(c) if c.kind() == ownup::Kind::Deflection => Ok(FailOn::Category(c)),
            Ok(c) => Err(format!("`{c}` is an ownership component, not a deflection")),
            Err(_) => Err(format!(
                "`{s}` is not a severity (info, warning, error), a deflection category id, or `none`"
            )),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Like the default report, but exit 1 when a text fails.
    ///
    /// A text fails when its score is below --min-score, or when a counted deflection (not in
    /// quoted or reported speech) matches --fail-on. A text with no apology has no score and
    /// never fails on --min-score, but --fail-on still applies to it.
    Check(CheckArgs),

    /// Score records (JSON Lines, CSV or lines) in parallel; JSON Lines out, in input order.
    ///
    /// Each record gives one flat JSON object: `id` (a string, or `null` when the record has
    /// none), `file` and `line` (where the record starts), the JSON report fields, and `error`
    /// (`null`, or what was wrong, naming the line and field; the report fields are then
    /// `null`). A bad record never stops the batch nor is dropped; blank lines are skipped
    /// but counted. The exit code is 0 even with bad records, unless --strict.
    Batch(BatchArgs),

    /// Summarize comment threads: one JSON object per thread, in order of first appearance.
    ///
    /// Each object has `thread_id`, `comments`, `apologies`, `mean_score`, `min_score`,
    /// `deflections` (counts by category), `authors` (the same per author) and
    /// `apology_replies` (each apologizing reply with the comment it answers). Memory grows
    /// with the number of comments (one id each) and threads, not with the texts.
    Threads(ThreadsArgs),

    /// List the categories and their rules, or show one rule or category.
    Rules(RulesArgs),

    /// Measure agreement with human labels (JSON Lines of labelled texts).
    ///
    /// Prints apology detection precision/recall/F1, the Spearman correlation of the score
    /// with the labelled ownership (texts both sides call apologies), micro and per-category
    /// precision/recall/F1 for components and deflections (labels marked uncertain left out,
    /// findings in reported speech not counted), and the worst disagreements with their
    /// texts.
    Eval(EvalArgs),

    /// Fit the score's weights to people's ratings (JSON Lines of labelled texts).
    ///
    /// Scores the rated apologies again with other weights (the base, each category's full
    /// and weak weight, the elaboration points and the undoing cap), drawing each towards its
    /// research prior with a penalty chosen by cross-validation. Writes the fitted weights to
    /// stdout as a lexicon file (use it with --lexicon) and a table of prior and fitted
    /// weights with the cross-validated figures to stderr.
    Fit(FitArgs),

    /// Serve a page for checking a draft in the browser, and an HTTP API for other tools.
    ///
    /// Prints the URL, then serves until Ctrl-C or SIGTERM. The API (POST /api/analyze,
    /// POST /api/batch, GET /api/rules, GET /healthz) answers in the JSON schema of
    /// `--format json`; GET /api/openapi.json describes it. Texts are neither stored nor
    /// logged. --lexicon and --disable apply as for the other commands.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),

    /// Print the effective settings of the project config, and where each came from.
    ///
    /// The config is `ownup.toml`, or `[tool.ownup]` in `pyproject.toml`, found from the
    /// current directory upward; --config names one, --no-config reads none. Keys:
    /// `min_score`, `fail_on`, `setting`, `lexicons` (paths relative to the file), and a
    /// `[rules]` table of rule or category ids set to off, info, warning or error. Options
    /// given on the command line win over the config.
    Config(ConfigCommandArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct ConfigCommandArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. Loopback by default: 0.0.0.0 (or ::) lets other machines
    /// reach the server.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,

    /// The port; 0 picks a free one (the printed URL names it).
    #[arg(long, default_value_t = 8080, value_name = "PORT")]
    pub port: u16,

    /// The largest request body accepted: bytes, or with a unit (512KiB, 2MiB).
    #[arg(long, default_value = "1MiB", value_name = "SIZE", value_parser = ownup::serve::limits::parse_size)]
    pub body_limit: usize,

    /// Seconds a request may take, from its body to its answer (503 after that).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Analyses run at once; more requests wait their turn [default: one per CPU]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Labelled files (`-` for stdin), as for `eval`: `text`, `apology`, `ownership`.
    #[arg(value_name = "LABELS", required = true)]
    pub files: Vec<PathBuf>,

    /// Fit on one part of the labels only (`tuning` or `check`, as for `eval`).
    #[arg(long, value_name = "PART")]
    pub split: Option<ownup::eval::Split>,

    /// Folds of the cross-validation that chooses the penalty.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: usize,

    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled files (`-` for stdin): one JSON object per line with `text`, `apology`,
    /// `ownership`, `components`, `deflections` (see the README, "Accuracy").
    #[arg(value_name = "LABELS", required = true)]
    pub files: Vec<PathBuf>,

    /// How many of the worst disagreements to show.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub worst: usize,

    /// Measure only one part of the labels, split by a stable hash of each id: `tuning`
    /// (about two thirds, for writing rules) or `check` (the rest, for measuring only).
    #[arg(long, value_name = "PART")]
    pub split: Option<ownup::eval::Split>,

    #[command(flatten)]
    pub output: FormatArgs,

    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub report: ReportArgs,

    /// Fail when the score is below this (texts with an apology only) [default: the
    /// config's `min_score`, else 50]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_score: Option<u8>,

    /// Fail on counted deflections of these severities (that severity or higher) or
    /// categories; `none` fails on none [default: the config's `fail_on`, else error]
    #[arg(
        long,
        value_name = "SEVERITY|CATEGORY,...",
        value_delimiter = ',',
        value_parser = FailOn::parse
    )]
    pub fail_on: Option<Vec<FailOn>>,

    /// Fail when a text has no apology at all.
    #[arg(long)]
    pub require_apology: bool,
}

/// The record input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputArg {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// One text per line.
    Lines,
}

/// Options shared by `batch` and `threads`.
#[derive(Debug, Args, Clone)]
pub struct RecordArgs {
    /// Input files, gzip-compressed or not (told by their first bytes); stdin when none or `-`.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Input format [default: from the extension, after `.gz`: .jsonl/.ndjson/.json → jsonl,
    /// .csv → csv, .txt → lines; otherwise and for stdin jsonl]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input: Option<InputArg>,

    /// The field (JSON key or CSV column) holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// The field holding the record id (`id` is `null` in the output when a record has
    /// none).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// Worker threads (0: one per CPU); reading and writing have a thread each besides.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,

    /// Exit 1 when some records were bad.
    #[arg(long)]
    pub strict: bool,

    /// Print totals on stderr at the end.
    #[arg(long)]
    pub summary: bool,

    /// Never draw the progress bar (it is drawn on stderr only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    #[command(flatten)]
    pub records: RecordArgs,

    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct ThreadsArgs {
    #[command(flatten)]
    pub records: RecordArgs,

    #[command(flatten)]
    pub engine: EngineArgs,

    /// The field holding the thread id; a comment without one is a thread of its own.
    #[arg(long, default_value = "thread_id", value_name = "NAME")]
    pub thread_field: String,

    /// The field holding the author.
    #[arg(long, default_value = "author", value_name = "NAME")]
    pub author_field: String,

    /// The field holding the id of the comment this one answers.
    #[arg(long, default_value = "parent_id", value_name = "NAME")]
    pub parent_field: String,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id or category id to show alone.
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    #[command(flatten)]
    pub output: FormatArgs,

    #[command(flatten)]
    pub engine: EngineArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
