//! Lexicons: rules as data.
//!
//! A lexicon is a TOML file of `[[rule]]` entries (ownership components and deflection
//! markers) and `[[gate]]` entries (context: phatic "sorry", reclaims, reporting frames,
//! safety phrases). Each entry carries its own message, source and `flag` / `pass` examples,
//! which the test suite runs. The built-in lexicons are compiled into the binary; users add
//! files with `--lexicon` and switch rules off by id.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;

/// The compiled form of a lexicon regex: byte-oriented, leftmost-first, like
/// `regex::bytes::Regex`.
pub type CompiledRegex = meta::Regex;

/// How many searches a regex serves from its quick-to-build form before the fast-to-run
/// form is built. A one-off CLI call touches a hundred regexes once each, where building
/// the lazy DFA and literal prefilter would cost more than the searches; a batch reuses
/// them millions of times.
const WARM_UP_USES: u32 = 64;

/// A regex compiled on first use. Start-up is part of every CLI call, and most texts never
/// reach most regexes, so the lexicon compiles nothing when it loads.
///
/// It is compiled twice over its life: first as a plain NFA search (no DFA, no literal
/// prefilter: several times cheaper to build), and after [`WARM_UP_USES`] searches with all
/// of the regex engine's accelerations. Both come from the same syntax and match semantics
/// of one regex engine, so they find exactly the same matches.
#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    quick: OnceLock<Option<CompiledRegex>>,
    fast: OnceLock<Option<CompiledRegex>>,
    uses: AtomicU32,
}

impl Clone for LazyRegex {
    fn clone(&self) -> Self {
        LazyRegex {
            pattern: self.pattern.clone(),
            quick: self.quick.clone(),
            fast: self.fast.clone(),
            uses: AtomicU32::new(self.uses.load(Ordering::Relaxed)),
        }
    }
}

impl LazyRegex {
    fn new(pattern: String) -> LazyRegex {
        LazyRegex {
            pattern,
            quick: OnceLock::new(),
            fast: OnceLock::new(),
            uses: AtomicU32::new(0),
        }
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The compiled regex, for one search; `None` only when it exceeds the size limits,
    /// which [`LazyRegex::check`] reports at load time for user lexicons.
    pub fn get(&self) -> Option<&CompiledRegex> {
        if let Some(fast) = self.fast.get() {
            return fast.as_ref();
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) < WARM_UP_USES {
            return self
                .quick
                .get_or_init(|| build_regex(&self.pattern, false).ok())
                .as_ref();
        }
        self.fast
            .get_or_init(|| build_regex(&self.pattern, true).ok())
            .as_ref()
    }

    /// Whether a search would have to compile first.
    pub fn is_compiled(&self) -> bool {
        self.quick.get().is_some() || self.fast.get().is_some()
    }

    /// Compiles the regexes that are not yet, on two threads when there are enough of them
    /// to pay for the second. The first text a CLI call analyzes needs about a hundred.
    pub fn prepare(regexes: &[&LazyRegex]) {
        let pending: Vec<&LazyRegex> = regexes
            .iter()
            .copied()
            .filter(|r| !r.is_compiled())
            .collect();
        let compile = |list: &[&LazyRegex]| {
            for r in list {
                r.quick.get_or_init(|| build_regex(&r.pattern, false).ok());
            }
        };
        if pending.len() < 8 {
            compile(&pending);
            return;
        }
        let (a, b) = pending.split_at(pending.len() / 2);
        std::thread::scope(|scope| {
            scope.spawn(|| compile(b));
            compile(a);
        });
    }

    /// Compiles now, returning the error if any.
    pub fn check(&self) -> Result<(), String> {
        build_regex(&self.pattern, true)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

fn build_regex(pattern: &str, fast: bool) -> Result<CompiledRegex, Box<meta::BuildError>> {
    // Byte regexes without Unicode classes: the lexicon speaks English over lower-cased
    // text, ASCII classes compile in a fraction of the time and keep the DFA usable on any
    // input. Matches are snapped to char boundaries by the matcher. Size limits bound any
    // user pattern. The configuration is `regex::bytes::Regex`'s, so patterns mean what
    // its documentation says.
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .nfa_size_limit(Some(1 << 20))
        .hybrid_cache_capacity(1 << 20)
        .which_captures(WhichCaptures::Implicit);
    let config = if fast {
        config
    } else {
        config
            .auto_prefilter(false)
            .hybrid(false)
            .dfa(false)
            .onepass(false)
    };
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(pattern)
        .map_err(Box::new)
}

type Regex = LazyRegex;
use serde::Deserialize;

use crate::analysis::Severity;
use crate::category::{Category, Kind};

/// The built-in lexicon files, embedded at compile time: `(file name, contents)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("context.toml", include_str!("../lexicons/context.toml")),
    ("regret.toml", include_str!("../lexicons/regret.toml")),
    (
        "responsibility.toml",
        include_str!("../lexicons/responsibility.toml"),
    ),
    (
        "specificity.toml",
        include_str!("../lexicons/specificity.toml"),
    ),
    ("impact.toml", include_str!("../lexicons/impact.toml")),
    ("repair.toml", include_str!("../lexicons/repair.toml")),
    ("change.toml", include_str!("../lexicons/change.toml")),
    (
        "forgiveness.toml",
        include_str!("../lexicons/forgiveness.toml"),
    ),
    (
        "but_undoing.toml",
        include_str!("../lexicons/but_undoing.toml"),
    ),
    (
        "conditional.toml",
        include_str!("../lexicons/conditional.toml"),
    ),
    (
        "feelings_shift.toml",
        include_str!("../lexicons/feelings_shift.toml"),
    ),
    (
        "blame_shift.toml",
        include_str!("../lexicons/blame_shift.toml"),
    ),
    (
        "victim_framing.toml",
        include_str!("../lexicons/victim_framing.toml"),
    ),
    (
        "minimizing.toml",
        include_str!("../lexicons/minimizing.toml"),
    ),
    ("excuse.toml", include_str!("../lexicons/excuse.toml")),
    (
        "intent_over_impact.toml",
        include_str!("../lexicons/intent_over_impact.toml"),
    ),
    ("agentless.toml", include_str!("../lexicons/agentless.toml")),
    (
        "vague_object.toml",
        include_str!("../lexicons/vague_object.toml"),
    ),
    ("pressure.toml", include_str!("../lexicons/pressure.toml")),
    (
        "counter_accusation.toml",
        include_str!("../lexicons/counter_accusation.toml"),
    ),
    (
        "pathologizing.toml",
        include_str!("../lexicons/pathologizing.toml"),
    ),
    ("denial.toml", include_str!("../lexicons/denial.toml")),
    (
        "self_flagellation.toml",
        include_str!("../lexicons/self_flagellation.toml"),
    ),
    ("grudging.toml", include_str!("../lexicons/grudging.toml")),
];

/// A lexicon that could not be loaded: names the file, and the line where it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    /// The file (a path for user files, the file name for built-in ones).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LexiconError {}

/// What a rule's matches mean to the context stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A plain marker of its category.
    Marker,
    /// An apology head ("sorry", "I apologize"): valid only in the writer's own, unnegated,
    /// non-phatic voice. Valid heads make the text an apology.
    Head,
    /// An admission of fault that makes a text an apology without "sorry".
    Admission,
    /// An adversative ("but", "however") after an apology head; flagged only when what
    /// follows turns to justification or the other's part.
    Adversative,
}

/// Where a rule may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Only near an apology by the writer (within a few sentences of it).
    Apology,
    /// Anywhere, apology or not.
    Anywhere,
}

/// What a gate does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateRole {
    /// Marks an apology head as phatic (sympathy, opener, softener, repair of hearing).
    Phatic,
    /// Reclaims ownership after an explanation or a "but" ("that's no excuse").
    Reclaim,
    /// After a "but", turns back to ownership or amends ("but I will fix it"); weaker than a
    /// reclaim, so it does not excuse an explanation.
    Extend,
    /// Opens reported speech ("he said", "my boss told me").
    Reporting,
    /// Self-harm language: surfaced as a safety note, never scored.
    Safety,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    gate: Vec<GateSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: toml::Spanned<String>,
    category: String,
    kind: Kind,
    #[serde(default = "default_role")]
    role: Role,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    regex: Vec<String>,
    #[serde(default)]
    triggers: Vec<String>,
    weight: i32,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    scope: Option<Scope>,
    #[serde(default = "yes")]
    negatable: bool,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    message: String,
    #[serde(default)]
    suggestion: Option<String>,
    source: String,
    #[serde(default)]
    flag: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GateSpec {
    id: toml::Spanned<String>,
    role: GateRole,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    regex: Vec<String>,
    #[serde(default)]
    triggers: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    description: String,
    source: String,
    #[serde(default)]
    flag: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
}

fn default_role() -> Role {
    Role::Marker
}

fn yes() -> bool {
    true
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule id, also its configuration key.
    pub id: Arc<str>,
    /// Its category.
    pub category: Category,
    /// How the context stage treats its matches.
    pub role: Role,
    /// Points it adds (ownership) or removes (deflection), before context adjustments.
    pub weight: i32,
    /// Severity of its findings.
    pub severity: Severity,
    /// Where it may fire.
    pub scope: Scope,
    /// Whether a negator just before a match cancels it.
    pub negatable: bool,
    /// Regexes over the sentence; any match suppresses the rule there.
    pub unless: Vec<Regex>,
    /// Regexes over the text from the start of a match to the end of its sentence (`^` is
    /// the start of the match); any match drops that match. Rust regexes have no
    /// look-around, so "first person + past-tense verb, but not `felt`" or "but not `made
    /// mistakes`" is a pattern plus an exception.
    pub except: Vec<Regex>,
    /// Literal phrases as written (before expansion).
    pub phrases: Vec<String>,
    /// Phrases after `{a|b}` and contraction expansion.
    pub expanded: Vec<String>,
    /// Regexes over the lower-case sentence.
    pub regexes: Vec<Regex>,
    /// Words one of which must occur in a sentence for the regexes to be tried there.
    pub triggers: Vec<String>,
    /// Explanation shown with each finding.
    pub message: Arc<str>,
    /// Suggested rewrite.
    pub suggestion: Option<Arc<str>>,
    /// The research finding the rule rests on.
    pub source: String,
    /// Texts the rule must flag.
    pub flag: Vec<String>,
    /// Texts the rule must not flag.
    pub pass: Vec<String>,
    /// Where the rule was defined, as `file:line`.
    pub origin: String,
}

/// One compiled gate.
#[derive(Debug, Clone)]
pub struct Gate {
    /// Gate id.
    pub id: Arc<str>,
    /// What it does.
    pub role: GateRole,
    /// Phrases after expansion.
    pub expanded: Vec<String>,
    /// Regexes over the lower-case sentence.
    pub regexes: Vec<Regex>,
    /// Words one of which must occur for the regexes to be tried.
    pub triggers: Vec<String>,
    /// Regexes over the whole text; any match switches the gate off for that text.
    pub unless: Vec<Regex>,
    /// What it recognizes.
    pub description: String,
    /// The research finding it rests on.
    pub source: String,
    /// Texts where the gate must apply.
    pub flag: Vec<String>,
    /// Texts where it must not.
    pub pass: Vec<String>,
    /// Where it was defined, as `file:line`.
    pub origin: String,
}

/// A set of rules and gates, ready to compile into a matcher.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Rules, in load order; a later rule with the same id replaces an earlier one.
    pub rules: Vec<Rule>,
    /// Gates, likewise.
    pub gates: Vec<Gate>,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        // Loading is part of every CLI call; the files parse independently, so the second
        // half parses on another core while this one does the first.
        let (first, second) = BUILTIN.split_at(BUILTIN.len() / 2);
        let parse_all = |files: &[(&str, &str)]| {
            files
                .iter()
                .map(|(name, src)| parse_source(name, src, true))
                .collect::<Result<Vec<_>, _>>()
        };
        let (first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(|| parse_all(second));
            let first = parse_all(first);
            // A panic while parsing is a bug in ownup; pass it on as it was.
            let second = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (first, second)
        });
        let mut lex = Lexicon::default();
        for parsed in first?.into_iter().chain(second?) {
            lex.merge(parsed);
        }
        Ok(lex)
    }

    /// Adds the rules and gates of a lexicon file.
    pub fn add_file(&mut self, path: &Path) -> Result<(), LexiconError> {
        let name = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| LexiconError {
            file: name.clone(),
            line: None,
            message: format!("cannot read lexicon: {e}"),
        })?;
        let before: std::collections::HashSet<String> =
            self.rules.iter().map(|r| r.origin.clone()).collect();
        self.add_source(&name, &src)?;
        // A user's regexes are compiled now, so that an over-large one is an error that
        // names its file and line rather than a rule that silently never fires.
        for r in self.rules.iter().filter(|r| !before.contains(&r.origin)) {
            for re in r.regexes.iter().chain(&r.unless).chain(&r.except) {
                re.check().map_err(|e| LexiconError {
                    file: name.clone(),
                    line: r.origin.rsplit(':').next().and_then(|l| l.parse().ok()),
                    message: format!("rule `{}`: regex `{}`: {e}", r.id, re.pattern()),
                })?;
            }
        }
        Ok(())
    }

    /// Compiles every regex now (the built-in lexicon's tests use this).
    pub fn check_regexes(&self) -> Result<(), String> {
        for r in &self.rules {
            for re in r.regexes.iter().chain(&r.unless).chain(&r.except) {
                re.check()
                    .map_err(|e| format!("{}: {}: {e}", r.origin, r.id))?;
            }
        }
        for g in &self.gates {
            for re in g.regexes.iter().chain(&g.unless) {
                re.check()
                    .map_err(|e| format!("{}: {}: {e}", g.origin, g.id))?;
            }
        }
        Ok(())
    }

    /// Adds the rules and gates of lexicon source text; `name` names it in errors.
    pub fn add_source(&mut self, name: &str, src: &str) -> Result<(), LexiconError> {
        self.add_source_inner(name, src, false)
    }

    /// `trusted`: the source is ownup's own, whose regexes the test suite compiles.
    fn add_source_inner(
        &mut self,
        name: &str,
        src: &str,
        trusted: bool,
    ) -> Result<(), LexiconError> {
        let parsed = parse_source(name, src, trusted)?;
        self.merge(parsed);
        Ok(())
    }

    /// Adds parsed rules and gates; one with the id of an earlier one replaces it.
    fn merge(&mut self, (rules, gates): (Vec<Rule>, Vec<Gate>)) {
        for rule in rules {
            match self.rules.iter_mut().find(|x| x.id == rule.id) {
                Some(slot) => *slot = rule,
                None => self.rules.push(rule),
            }
        }
        for gate in gates {
            match self.gates.iter_mut().find(|x| x.id == gate.id) {
                Some(slot) => *slot = gate,
                None => self.gates.push(gate),
            }
        }
    }

    /// Removes rules by id. An id may name one rule, a category (all its rules), or a
    /// rule-id prefix ending in `.`. An id that matches nothing is an error, so a typo in a
    /// configuration never silently keeps a rule on.
    pub fn disable(&mut self, ids: &[String]) -> Result<(), String> {
        for id in ids {
            let id = id.trim();
            let before = self.rules.len() + self.gates.len();
            self.rules.retain(|r| {
                !(&*r.id == id
                    || r.category.id() == id
                    || (id.ends_with('.') && r.id.starts_with(id)))
            });
            self.gates.retain(|g| &*g.id != id);
            if self.rules.len() + self.gates.len() == before {
                return Err(format!("no rule, gate or category named `{id}`"));
            }
        }
        Ok(())
    }

    /// Looks a rule up by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

/// Parses and compiles one lexicon source into its rules and gates, in file order.
fn parse_source(
    name: &str,
    src: &str,
    trusted: bool,
) -> Result<(Vec<Rule>, Vec<Gate>), LexiconError> {
    let spec: FileSpec = toml::from_str(src).map_err(|e| LexiconError {
        file: name.to_string(),
        line: e.span().map(|s| line_of(src, s.start)),
        message: e.message().to_string(),
    })?;
    let rules = spec
        .rule
        .into_iter()
        .map(|r| compile_rule(name, src, r, trusted))
        .collect::<Result<_, _>>()?;
    let gates = spec
        .gate
        .into_iter()
        .map(|g| compile_gate(name, src, g, trusted))
        .collect::<Result<_, _>>()?;
    Ok((rules, gates))
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn compile_regexes(
    list: &[String],
    trusted: bool,
    err: &dyn Fn(String) -> LexiconError,
) -> Result<Vec<Regex>, LexiconError> {
    list.iter()
        .map(|r| {
            // Parsing every regex costs more than the rest of loading; the built-in ones are
            // checked by the test suite instead (`Lexicon::check_regexes`).
            if !trusted {
                regex_syntax::ParserBuilder::new()
                    .unicode(false)
                    .utf8(false)
                    .build()
                    .parse(r)
                    .map_err(|e| err(format!("bad regex `{r}`: {e}")))?;
            }
            Ok(LazyRegex::new(r.clone()))
        })
        .collect()
}

fn compile_rule(file: &str, src: &str, r: RuleSpec, trusted: bool) -> Result<Rule, LexiconError> {
    let line = line_of(src, r.id.span().start);
    let id = r.id.into_inner();
    let err = |message: String| LexiconError {
        file: file.to_string(),
        line: Some(line),
        message: format!("rule `{id}`: {message}"),
    };
    let category: Category = r.category.parse().map_err(|e| err(format!("{e}")))?;
    if category.kind() != r.kind {
        return Err(err(format!(
            "kind `{}` does not match category `{}`, which is {}",
            r.kind,
            category,
            category.kind()
        )));
    }
    if id.is_empty() || id.contains(char::is_whitespace) {
        return Err(err("id must be non-empty and without spaces".into()));
    }
    if r.phrases.is_empty() && r.regex.is_empty() {
        return Err(err("needs at least one of `phrases` or `regex`".into()));
    }
    if !r.regex.is_empty() && r.triggers.is_empty() {
        return Err(err(
            "a rule with `regex` needs `triggers`: words one of which must occur for the regex to be tried".into(),
        ));
    }
    if r.message.trim().is_empty() || r.source.trim().is_empty() {
        return Err(err("`message` and `source` must not be empty".into()));
    }
    if r.kind == Kind::Deflection && r.suggestion.is_none() {
        return Err(err("a deflection rule needs a `suggestion`".into()));
    }
    if r.weight < 0 || r.weight > 60 {
        return Err(err("weight must be between 0 and 60 points".into()));
    }
    let expanded = expand_all(&r.phrases).map_err(&err)?;
    let regexes = compile_regexes(&r.regex, trusted, &err)?;
    let unless = compile_regexes(&r.unless, trusted, &err)?;
    let except = compile_regexes(&r.except, trusted, &err)?;
    let default_scope = match (r.kind, r.role) {
        (_, Role::Head | Role::Admission) => Scope::Anywhere,
        _ => Scope::Apology,
    };
    let default_severity = match r.kind {
        Kind::Ownership => Severity::Info,
        Kind::Deflection if category.is_undoing() => Severity::Error,
        Kind::Deflection => Severity::Warning,
    };
    Ok(Rule {
        id: id.as_str().into(),
        category,
        role: r.role,
        weight: r.weight,
        severity: r.severity.unwrap_or(default_severity),
        scope: r.scope.unwrap_or(default_scope),
        negatable: r.negatable,
        unless,
        except,
        phrases: r.phrases,
        expanded,
        regexes,
        triggers: r.triggers.iter().map(|t| t.to_ascii_lowercase()).collect(),
        message: r.message.trim().into(),
        suggestion: r.suggestion.map(|s| s.trim().into()),
        source: r.source,
        flag: r.flag,
        pass: r.pass,
        origin: format!("{file}:{line}"),
    })
}

fn compile_gate(file: &str, src: &str, g: GateSpec, trusted: bool) -> Result<Gate, LexiconError> {
    let line = line_of(src, g.id.span().start);
    let id = g.id.into_inner();
    let err = |message: String| LexiconError {
        file: file.to_string(),
        line: Some(line),
        message: format!("gate `{id}`: {message}"),
    };
    if g.phrases.is_empty() && g.regex.is_empty() {
        return Err(err("needs at least one of `phrases` or `regex`".into()));
    }
    if !g.regex.is_empty() && g.triggers.is_empty() {
        return Err(err("a gate with `regex` needs `triggers`".into()));
    }
    Ok(Gate {
        id: id.as_str().into(),
        role: g.role,
        expanded: expand_all(&g.phrases).map_err(&err)?,
        regexes: compile_regexes(&g.regex, trusted, &err)?,
        triggers: g.triggers.iter().map(|t| t.to_ascii_lowercase()).collect(),
        unless: compile_regexes(&g.unless, trusted, &err)?,
        description: g.description,
        source: g.source,
        flag: g.flag,
        pass: g.pass,
        origin: format!("{file}:{line}"),
    })
}

/// The most phrases one pattern may expand to; more is almost surely a mistake.
const MAX_EXPANSIONS: usize = 2048;

fn expand_all(phrases: &[String]) -> Result<Vec<String>, String> {
    let mut out = BTreeSet::new();
    for p in phrases {
        let lower = p
            .to_ascii_lowercase()
            .replace(['\u{2019}', '\u{2018}'], "'");
        // Most phrases have no group and no contraction: they are their own expansion, and
        // loading is part of every CLI call.
        if !lower.contains(['{', '\'']) {
            let e = lower.split_whitespace().collect::<Vec<_>>().join(" ");
            if !e.is_empty() {
                out.insert(e);
            }
            continue;
        }
        for e in expand(&lower)? {
            let e = e.split_whitespace().collect::<Vec<_>>().join(" ");
            if !e.is_empty() {
                out.insert(e);
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Expands `{a|b|}` groups and contractions of one phrase.
pub fn expand(phrase: &str) -> Result<Vec<String>, String> {
    let mut results = vec![String::new()];
    let mut rest = phrase;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(open) => {
                let close = rest[open..]
                    .find('}')
                    .map(|c| open + c)
                    .ok_or_else(|| format!("unclosed `{{` in phrase `{phrase}`"))?;
                let literal = &rest[..open];
                let options: Vec<&str> = rest[open + 1..close].split('|').collect();
                let mut next = Vec::with_capacity(results.len() * options.len());
                for r in &results {
                    for o in &options {
                        next.push(format!("{r}{literal}{o}"));
                    }
                }
                results = next;
                rest = &rest[close + 1..];
            }
            None => {
                for r in &mut results {
                    r.push_str(rest);
                }
                rest = "";
            }
        }
        if results.len() > MAX_EXPANSIONS {
            return Err(format!(
                "phrase `{phrase}` expands to more than {MAX_EXPANSIONS} phrases"
            ));
        }
    }
    let mut out = Vec::new();
    for r in results {
        let mut variants = vec![String::new()];
        for (i, word) in r.split(' ').enumerate() {
            let alts = contraction_variants(word);
            let mut next = Vec::with_capacity(variants.len() * alts.len());
            for v in &variants {
                for a in &alts {
                    let mut s = v.clone();
                    if i > 0 {
                        s.push(' ');
                    }
                    s.push_str(a);
                    next.push(s);
                }
            }
            variants = next;
            if variants.len() > MAX_EXPANSIONS {
                return Err(format!(
                    "phrase `{phrase}` expands to more than {MAX_EXPANSIONS} phrases"
                ));
            }
        }
        out.extend(variants);
    }
    Ok(out)
}

/// The spellings people use for a contracted word, with and without the apostrophe.
fn contraction_variants(word: &str) -> Vec<String> {
    let fixed: &[&str] = match word {
        "i'm" => &["i'm", "im", "i am"],
        "you're" => &["you're", "youre", "you are", "ur"],
        "we're" => &["we're", "we are"],
        "they're" => &["they're", "theyre", "they are"],
        "it's" => &["it's", "its", "it is"],
        "that's" => &["that's", "thats", "that is"],
        "there's" => &["there's", "theres", "there is"],
        "what's" => &["what's", "whats", "what is"],
        "he's" => &["he's", "hes", "he is"],
        "she's" => &["she's", "shes", "she is"],
        "i've" => &["i've", "ive", "i have"],
        "we've" => &["we've", "weve", "we have"],
        "you've" => &["you've", "youve", "you have"],
        "they've" => &["they've", "theyve", "they have"],
        "i'll" => &["i'll", "i will"],
        "we'll" => &["we'll", "we will"],
        "you'll" => &["you'll", "youll", "you will"],
        "i'd" => &["i'd", "id", "i would"],
        "you'd" => &["you'd", "youd", "you would"],
        "let's" => &["let's", "lets", "let us"],
        "can't" => &["can't", "cant", "cannot", "can not"],
        "won't" => &["won't", "wont", "will not"],
        "ain't" => &["ain't", "aint"],
        _ => &[],
    };
    if !fixed.is_empty() {
        return fixed.iter().map(|s| s.to_string()).collect();
    }
    if let Some(stem) = word.strip_suffix("n't") {
        return vec![word.to_string(), format!("{stem}nt"), format!("{stem} not")];
    }
    vec![word.to_string()]
}

/// Rule ids by category, for listings.
pub fn rules_by_category(lex: &Lexicon) -> HashMap<Category, Vec<&Rule>> {
    let mut map: HashMap<Category, Vec<&Rule>> = HashMap::new();
    for r in &lex.rules {
        map.entry(r.category).or_default().push(r);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_groups_and_contractions() {
        let mut e = expand("{i'm|i was} sorry {you|u} {feel|}").unwrap_or_default();
        e.sort();
        assert!(e.contains(&"im sorry you feel".to_string()));
        assert!(e.contains(&"i am sorry u ".to_string()));
        assert!(e.contains(&"i was sorry you feel".to_string()));
        let d = expand("i didn't mean to").unwrap_or_default();
        assert_eq!(
            d,
            ["i didn't mean to", "i didnt mean to", "i did not mean to"]
        );
    }

    #[test]
    fn builtin_loads() {
        let lex = Lexicon::builtin().expect("built-in lexicon loads");
        lex.check_regexes().expect("built-in regexes compile");
        for c in Category::ALL {
            assert!(
                lex.rules.iter().any(|r| r.category == *c),
                "no rule for {c}"
            );
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        let mut lex = Lexicon::default();
        let src = "[[rule]]\nid = \"x.y\"\ncategory = \"nope\"\nkind = \"deflection\"\nphrases=[\"a\"]\nweight = 1\nmessage=\"m\"\nsource=\"s\"\nsuggestion=\"s\"\n";
        let e = lex.add_source("mine.toml", src).expect_err("bad category");
        assert_eq!(e.file, "mine.toml");
        assert_eq!(e.line, Some(2));
        assert!(e
            .to_string()
            .starts_with("mine.toml:2: rule `x.y`: unknown category `nope`"));
        let e = lex
            .add_source("bad.toml", "[[rule]]\nid = ")
            .expect_err("syntax");
        assert_eq!(e.line, Some(2));
        let src = "[[rule]]\nid = \"x.y\"\ncategory = \"denial\"\nkind = \"deflection\"\nregex=[\"(\"]\ntriggers=[\"a\"]\nweight = 1\nmessage=\"m\"\nsource=\"s\"\nsuggestion=\"s\"\n";
        let e = lex.add_source("re.toml", src).expect_err("regex");
        assert!(e.message.contains("bad regex"), "{e}");
    }

    #[test]
    fn disable_by_rule_category_or_prefix() {
        let mut lex = Lexicon::builtin().expect("built-in lexicon loads");
        lex.disable(&["blame_shift".to_string()]).expect("category");
        assert!(!lex.rules.iter().any(|r| r.category == Category::BlameShift));
        assert!(lex.disable(&["no_such_rule".to_string()]).is_err());
    }
}
