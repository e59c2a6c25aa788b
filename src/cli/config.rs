//! The project config: `ownup.toml`, or `[tool.ownup]` in `pyproject.toml`, found from the
//! current directory upward (the first directory with either wins, as ruff and clippy do).
//!
//! ```toml
//! min_score = 60
//! fail_on = ["error", "minimizing"]
//! setting = "support"
//! lexicons = ["team.toml"]         # relative to the config file
//!
//! [rules]
//! conditional = "off"              # a category id, a rule id, or a rule-id prefix ending in `.`
//! "regret.sorry" = "info"
//! ```
//!
//! Options on the command line win over the config; `--config FILE` names the file and
//! `--no-config` reads none. Every value is checked when the file is read, and a bad one is
//! an error naming the file, the line and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ownup::advice::SettingChoice;
use ownup::lexicon::line_of;
use ownup::{Lexicon, Severity};
use serde::Deserialize;
use toml::Spanned;

use super::args::{ConfigArgs, FailOn};

/// The name of the config file.
pub const FILE_NAME: &str = "ownup.toml";

/// What a `[rules]` entry sets a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The rule is disabled.
    Off,
    /// The rule's findings have this severity.
    On(Severity),
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            other => other.parse().ok().map(Level::On),
        }
    }

    /// The id as written in the config.
    pub fn id(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::On(s) => s.id(),
        }
    }
}

/// A value and the line of the config it was read from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the config file.
    pub line: usize,
}

/// A config file, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from; `None` when no config is in use.
    pub file: Option<PathBuf>,
    /// `min_score`.
    pub min_score: Option<Sourced<u8>>,
    /// `fail_on`, parsed.
    pub fail_on: Option<Sourced<Vec<FailOn>>>,
    /// `fail_on` as written, for `ownup config`.
    pub fail_on_text: String,
    /// `setting`.
    pub setting: Option<Sourced<SettingChoice>>,
    /// `lexicons`, relative to the config file's directory.
    pub lexicons: Option<Sourced<Vec<PathBuf>>>,
    /// `[rules]`: id, level and line, in file order.
    pub rules: Vec<(String, Sourced<Level>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigSpec {
    min_score: Option<Spanned<toml::Value>>,
    fail_on: Option<Spanned<toml::Value>>,
    setting: Option<Spanned<toml::Value>>,
    lexicons: Option<Spanned<toml::Value>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
    ownup: Option<ConfigSpec>,
}

/// The config the options ask for: `--config FILE`, none with `--no-config`, else the one
/// found from the current directory upward.
pub fn load(args: &ConfigArgs) -> Result<Config, String> {
    if args.no_config {
        return Ok(Config::default());
    }
    let file = match &args.config {
        Some(f) => Some(f.clone()),
        None => std::env::current_dir().ok().and_then(|d| discover(&d)),
    };
    match file {
        Some(f) => read(&f),
        None => Ok(Config::default()),
    }
}

/// The first `ownup.toml`, or `pyproject.toml` with a `[tool.ownup]` table, in `dir` or
/// above it, as a path relative to `dir`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().enumerate().find_map(|(up, d)| {
        // Named relative to `dir` ("ownup.toml", "../ownup.toml"), as messages show it.
        let relative = |name: &str| PathBuf::from("../".repeat(up)).join(name);
        if d.join(FILE_NAME).is_file() {
            return Some(relative(FILE_NAME));
        }
        let py = d.join("pyproject.toml");
        let has_table = std::fs::read_to_string(&py).is_ok_and(|s| {
            s.lines()
                .any(|l| l.trim() == "[tool.ownup]" || l.trim().starts_with("[tool.ownup."))
        });
        has_table.then(|| relative("pyproject.toml"))
    })
}

/// Reads and checks a config file.
pub fn read(path: &Path) -> Result<Config, String> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{name}: cannot read the config: {}",
            ownup::batch::io_message(&e)
        )
    })?;
    let at = |span: std::ops::Range<usize>, msg: String| {
        format!("{name}:{}: {msg}", line_of(&src, span.start))
    };
    let toml_error = |e: toml::de::Error| {
        let msg = humane_toml_message(e.message());
        match e.span() {
            Some(span) => at(span, msg),
            None => format!("{name}: {msg}"),
        }
    };
    let spec = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        let py: PyProject = toml::from_str(&src).map_err(toml_error)?;
        match py.tool.and_then(|t| t.ownup) {
            Some(spec) => spec,
            None => return Err(format!("{name}: has no [tool.ownup] table")),
        }
    } else {
        toml::from_str(&src).map_err(toml_error)?
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let mut config = Config {
        file: Some(path.to_path_buf()),
        ..Config::default()
    };
    let line = |v: &Spanned<toml::Value>| line_of(&src, v.span().start);
    let fail = |v: &Spanned<toml::Value>, key: &str, msg: &str| {
        format!("{name}:{}: `{key}` {msg}", line(v))
    };
    if let Some(v) = &spec.min_score {
        let n = v.get_ref().as_integer().filter(|n| (0..=100).contains(n));
        let n = n.ok_or_else(|| fail(v, "min_score", "must be a whole number from 0 to 100"))?;
        config.min_score = Some(Sourced {
            value: n as u8,
            line: line(v),
        });
    }
    if let Some(v) = &spec.fail_on {
        let items = strings(v.get_ref())
            .ok_or_else(|| fail(v, "fail_on", "must be a string or a list of strings"))?;
        let parsed = items
            .iter()
            .map(|s| FailOn::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(v, "fail_on", &format!("has {e}")))?;
        config.fail_on_text = items.join(",");
        config.fail_on = Some(Sourced {
            value: parsed,
            line: line(v),
        });
    }
    if let Some(v) = &spec.setting {
        let choice = v
            .get_ref()
            .as_str()
            .and_then(|s| s.parse::<SettingChoice>().ok())
            .ok_or_else(|| {
                fail(
                    v,
                    "setting",
                    "must be one of personal, support, public, auto",
                )
            })?;
        config.setting = Some(Sourced {
            value: choice,
            line: line(v),
        });
    }
    if let Some(v) = &spec.lexicons {
        let items = strings(v.get_ref())
            .ok_or_else(|| fail(v, "lexicons", "must be a list of lexicon file paths"))?;
        let paths = items.iter().map(|p| base.join(p)).collect();
        config.lexicons = Some(Sourced {
            value: paths,
            line: line(v),
        });
    }
    for (key, v) in &spec.rules {
        let id = key.get_ref();
        let level = v.get_ref().as_str().and_then(Level::parse).ok_or_else(|| {
            fail(
                v,
                &format!("rules.{id}"),
                "must be one of off, info, warning, error",
            )
        })?;
        config.rules.push((
            id.clone(),
            Sourced {
                value: level,
                line: line(v),
            },
        ));
    }
    config.rules.sort_by_key(|(_, l)| l.line);
    Ok(config)
}

/// A string, or a list of strings, as a list.
fn strings(v: &toml::Value) -> Option<Vec<String>> {
    match v {
        toml::Value::String(s) => Some(s.split(',').map(|s| s.trim().to_string()).collect()),
        toml::Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// TOML's messages, in the words of this file: its "fields" are our keys.
fn humane_toml_message(msg: &str) -> String {
    let msg = msg.trim().lines().collect::<Vec<_>>().join(": ");
    if msg.starts_with("invalid string") {
        return "a text value needs quotes, as in setting = \"support\"".to_string();
    }
    msg.replace("unknown field", "unknown key")
        .replace("expected one of", "the keys are")
}

impl Config {
    /// A short name for where a value came from: `FILE:LINE`.
    pub fn at(&self, line: usize) -> String {
        let name = self
            .file
            .as_ref()
            .map_or_else(String::new, |f| f.display().to_string());
        format!("{name}:{line}")
    }

    /// Checks that every `[rules]` key names a rule or category of `lexicon`, naming the
    /// line of the first that does not.
    pub fn check_rule_ids(&self, lexicon: &Lexicon) -> Result<(), String> {
        for (id, level) in &self.rules {
            let known = lexicon.rules.iter().any(|r| r.answers_to(id))
                || lexicon.gates.iter().any(|g| &*g.id == id.as_str());
            if !known {
                return Err(format!(
                    "{}: [rules] `{id}` names no rule or category (`ownup rules` lists them)",
                    self.at(level.line)
                ));
            }
        }
        Ok(())
    }
}

/// `check --min-score` when neither the option nor the config sets it.
pub const DEFAULT_MIN_SCORE: u8 = 50;

/// What `ownup config` prints: each setting, its value and where it came from.
pub fn describe(config: &Config) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = match &config.file {
        Some(f) => writeln!(out, "config file: {}", f.display()),
        None => writeln!(
            out,
            "config file: none (no {FILE_NAME} or [tool.ownup] here or above)"
        ),
    };
    let from = |line: Option<usize>| line.map_or_else(|| "default".to_string(), |l| config.at(l));
    let mut row = |key: &str, value: String, line: Option<usize>| {
        let _ = writeln!(out, "{key:<10} {value:<24} {}", from(line));
    };
    let min = config.min_score.as_ref();
    row(
        "min_score",
        min.map_or(DEFAULT_MIN_SCORE, |m| m.value).to_string(),
        min.map(|m| m.line),
    );
    let fail_on = config.fail_on.as_ref();
    let fail_text = match fail_on {
        Some(_) => config.fail_on_text.clone(),
        None => "error".to_string(),
    };
    row("fail_on", fail_text, fail_on.map(|f| f.line));
    let setting = config.setting.as_ref();
    row(
        "setting",
        setting.map_or("auto", |s| s.value.id()).to_string(),
        setting.map(|s| s.line),
    );
    let lexicons = config.lexicons.as_ref();
    let names = lexicons.map(|l| {
        l.value
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    });
    row(
        "lexicons",
        names
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "(built-in only)".into()),
        lexicons.map(|l| l.line),
    );
    if config.rules.is_empty() {
        out.push_str("rules:     (every rule at its own severity)\n");
    } else {
        out.push_str("rules:\n");
        for (id, level) in &config.rules {
            let _ = writeln!(
                out,
                "  {id:<30} {:<8} {}",
                level.value.id(),
                config.at(level.line)
            );
        }
    }
    out.push_str("Options on the command line win over these.\n");
    out
}
