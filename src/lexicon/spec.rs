//! Lexicon source files: their TOML schema, the checks on each entry, and phrase expansion.
//!
//! This is everything between a lexicon file and plain rule data. The build script includes
//! it to turn the built-in lexicons into data compiled into the binary, and
//! [`super::Lexicon::add_source`] runs it on user files, so both read a file the same way.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

use super::classes::{references, substitute, Classes, WordClass};
use super::frame::{Actor, Complement, FrameCondition, Modality, Object, Predicate};
use super::literals::required_literals;
use super::weights::{CategoryWeight, Formula, Strength};
use super::{Category, Kind, Regex, Severity, Trait, TraitTable, Traits};

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
    /// A told act of the writer's that wrongs someone ("I forgot to pick you up", "we named
    /// the wrong man"): an apology without "sorry" only when nothing else makes one and the
    /// text also owns the act another way (a finding of a category with the trait
    /// `owns_deed`: what it did, a repair, a change). Told alone, an act is a story.
    Deed,
    /// An adversative ("but", "however") after an apology head; flagged only when what
    /// follows turns to justification or the other's part.
    Adversative,
    /// Fires on each apology head whose frame (what it is for) meets the rule's `frame`
    /// condition; it has no phrases of its own.
    Frame,
}

impl Role {
    /// Whether a match of a rule in this role can make a text an apology by itself: what the
    /// batch shortcut must look for, what may stand anywhere, and what a score's base traces to.
    pub fn makes_apology(self) -> bool {
        matches!(self, Role::Head | Role::Admission | Role::Deed)
    }

    /// The id used in lexicon files.
    pub fn id(self) -> &'static str {
        match self {
            Role::Marker => "marker",
            Role::Head => "head",
            Role::Admission => "admission",
            Role::Deed => "deed",
            Role::Adversative => "adversative",
            Role::Frame => "frame",
        }
    }
}

/// Where a rule may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Only near an apology by the writer (within a few sentences of it).
    Apology,
    /// Only beside an apology: in the sentence of a head or admission, or the one before
    /// or after it (an explanation of the act, not of something else in a long message).
    Beside,
    /// Anywhere, apology or not.
    Anywhere,
}

impl Scope {
    /// The id used in lexicon files.
    pub fn id(self) -> &'static str {
        match self {
            Scope::Apology => "apology",
            Scope::Beside => "beside",
            Scope::Anywhere => "anywhere",
        }
    }
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
    /// A cue of sympathy (a condolence, grave news, a hard time met with sympathy): the
    /// frames pass reads a bare apology beside one, with nothing the writer owns near it, as
    /// sympathy.
    Sympathy,
}

impl GateRole {
    /// The id used in lexicon files.
    pub fn id(self) -> &'static str {
        match self {
            GateRole::Phatic => "phatic",
            GateRole::Reclaim => "reclaim",
            GateRole::Extend => "extend",
            GateRole::Reporting => "reporting",
            GateRole::Safety => "safety",
            GateRole::Sympathy => "sympathy",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    score: Option<ScoreSpec>,
    #[serde(default)]
    category: Vec<CategorySpec>,
    #[serde(default)]
    class: Vec<ClassSpec>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    gate: Vec<GateSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoreSpec {
    base: i32,
    elaboration: i32,
    elaboration_max: i32,
    undoing_cap: i32,
    cap_step: i32,
    cap_max: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategorySpec {
    id: toml::Spanned<String>,
    #[serde(default)]
    traits: Option<Vec<String>>,
    #[serde(default)]
    weight: Option<i32>,
    #[serde(default)]
    weak: Option<i32>,
    #[serde(default)]
    prior: Option<i32>,
    #[serde(default)]
    weak_prior: Option<i32>,
}

/// What a source declares of one category; what it leaves out stays as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryDecl {
    /// The category.
    pub category: Category,
    /// Its traits, when declared.
    pub traits: Option<Traits>,
    /// Its weights, each when declared: full, weak, prior, weak prior.
    pub weights: [Option<i32>; 4],
}

impl CategoryDecl {
    /// Applies the declared weights. A category that declares `weight` but no `weak` has
    /// one weight for all its rules; likewise for the priors.
    pub fn apply(&self, w: &mut CategoryWeight) {
        let [full, weak, prior, weak_prior] = self.weights;
        match (full, weak) {
            (Some(f), _) => (w.full, w.weak) = (f, weak.unwrap_or(f)),
            (None, Some(k)) => w.weak = k,
            (None, None) => {}
        }
        match (prior, weak_prior) {
            (Some(p), _) => (w.prior, w.weak_prior) = (p, weak_prior.or(weak).unwrap_or(p)),
            (None, Some(k)) => w.weak_prior = k,
            (None, None) => {}
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassSpec {
    id: toml::Spanned<String>,
    description: String,
    words: Vec<String>,
    #[serde(default)]
    replace: bool,
    #[serde(default)]
    flag: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
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
    #[serde(default)]
    strength: Strength,
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
    suggestion: Option<SuggestionSpec>,
    source: String,
    #[serde(default)]
    frame: Option<FrameSpec>,
    #[serde(default)]
    flag: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
}

/// A rule's `suggestion`: one text for every setting, or a table keyed by setting whose
/// `default` serves the settings it leaves out. Either may quote the matched words with
/// `{matched}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SuggestionSpec {
    One(String),
    BySetting(SuggestionTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuggestionTable {
    default: String,
    #[serde(default)]
    personal: Option<String>,
    #[serde(default)]
    support: Option<String>,
    #[serde(default)]
    public: Option<String>,
}

/// The settings a suggestion table may name, in the order of [`Rule::suggestion_by_setting`].
pub const SETTING_IDS: [&str; 3] = ["personal", "support", "public"];

impl SuggestionSpec {
    /// The default text and the text of each setting in [`SETTING_IDS`] order.
    fn split(self) -> (String, [Option<Arc<str>>; 3]) {
        match self {
            SuggestionSpec::One(s) => (s, [None, None, None]),
            SuggestionSpec::BySetting(t) => {
                let own = |s: Option<String>| s.map(|s| Arc::from(s.trim()));
                (t.default, [own(t.personal), own(t.support), own(t.public)])
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FrameSpec {
    #[serde(default)]
    complement: Vec<String>,
    #[serde(default)]
    actor: Vec<String>,
    #[serde(default)]
    predicate: Vec<String>,
    #[serde(default)]
    modality: Vec<String>,
    #[serde(default)]
    object: Vec<String>,
}

impl FrameSpec {
    fn compile(&self) -> Result<FrameCondition, String> {
        Ok(FrameCondition {
            complement: FrameCondition::parse_set(Complement::ALL, &self.complement)?,
            actor: FrameCondition::parse_set(Actor::ALL, &self.actor)?,
            predicate: FrameCondition::parse_set(Predicate::ALL, &self.predicate)?,
            modality: FrameCondition::parse_set(Modality::ALL, &self.modality)?,
            object: FrameCondition::parse_set(Object::ALL, &self.object)?,
        })
    }
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
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
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

/// The patterns of a rule or gate as written, word-class references (`<id>`) and all: what
/// `ownup rules` shows, and what is compiled again when a user lexicon extends a class.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Phrases.
    pub phrases: Vec<String>,
    /// Regexes.
    pub regex: Vec<String>,
    /// `unless` regexes.
    pub unless: Vec<String>,
    /// `when` regexes (gates only).
    pub when: Vec<String>,
    /// `except` regexes.
    pub except: Vec<String>,
    /// Triggers, as written: a `<class>` in one stands for each of its words.
    pub triggers: Vec<String>,
}

impl Written {
    /// Every pattern.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.phrases
            .iter()
            .chain(&self.regex)
            .chain(&self.unless)
            .chain(&self.when)
            .chain(&self.except)
            .chain(&self.triggers)
    }
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
    /// Whether its findings count with the category's full or weak weight.
    pub strength: Strength,
    /// Points it adds (ownership) or removes (deflection): its category's weight for its
    /// strength, set when the lexicon is assembled.
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
    /// The patterns as written.
    pub written: Written,
    /// Phrases after word-class, `{a|b}` and contraction expansion.
    pub expanded: Vec<String>,
    /// Regexes over the lower-case sentence.
    pub regexes: Vec<Regex>,
    /// Words one of which must occur in a sentence for the regexes to be tried there.
    pub triggers: Vec<String>,
    /// For `role = "frame"`: the frames of apology heads it fires on.
    pub frame: Option<FrameCondition>,
    /// Explanation shown with each finding.
    pub message: Arc<str>,
    /// Suggested rewrite: the default, for every setting without its own.
    pub suggestion: Option<Arc<str>>,
    /// The suggested rewrite for each setting that has its own, in [`SETTING_IDS`] order.
    pub suggestion_by_setting: [Option<Arc<str>>; 3],
    /// The research finding the rule rests on.
    pub source: String,
    /// Texts the rule must flag.
    pub flag: Vec<String>,
    /// Texts the rule must not flag.
    pub pass: Vec<String>,
    /// Where the rule was defined, as `file:line`.
    pub origin: String,
}

impl Rule {
    /// Whether configuration `id` names this rule: its id, its category's id, or a prefix
    /// of its id ending in `.`.
    pub fn answers_to(&self, id: &str) -> bool {
        &*self.id == id
            || self.category.id() == id
            || (id.ends_with('.') && self.id.starts_with(id))
    }

    /// The settings with a suggestion of their own, and that suggestion.
    pub fn setting_suggestions(&self) -> impl Iterator<Item = (&'static str, &str)> {
        SETTING_IDS
            .iter()
            .zip(&self.suggestion_by_setting)
            .filter_map(|(id, s)| Some((*id, s.as_deref()?)))
    }
}

/// One compiled gate.
#[derive(Debug, Clone)]
pub struct Gate {
    /// Gate id.
    pub id: Arc<str>,
    /// What it does.
    pub role: GateRole,
    /// The patterns as written.
    pub written: Written,
    /// Phrases after expansion.
    pub expanded: Vec<String>,
    /// Regexes over the lower-case sentence.
    pub regexes: Vec<Regex>,
    /// Words one of which must occur for the regexes to be tried.
    pub triggers: Vec<String>,
    /// Regexes over the whole text; any match switches the gate off for that text.
    pub unless: Vec<Regex>,
    /// Regexes over the whole text; when there are any, the gate is on only in a text one
    /// of them matches. A bare "I'm so sorry" is sympathy in a note that tells of a death,
    /// and the cue is often a sentence away.
    pub when: Vec<Regex>,
    /// Regexes over the text from the start of a gate match to the end of its sentence (`^`
    /// is the start of the match); any match drops that one match. Sympathy for a misfortune
    /// is no apology, but "sorry about what happened to her at our store" names the writer's
    /// side in what follows.
    pub except: Vec<Regex>,
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

/// What one lexicon source holds, checked and compiled.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The score formula's numbers, when it declares them.
    pub formula: Option<Formula>,
    /// The categories it declares.
    pub categories: Vec<CategoryDecl>,
    /// Its word classes, each with whether it replaces a class of the same id.
    pub classes: Vec<(WordClass, bool)>,
    /// Its rules, in file order.
    pub rules: Vec<Rule>,
    /// Its gates, in file order.
    pub gates: Vec<Gate>,
}

/// Parses and checks one lexicon source. Its rules may name the classes in `known` and the
/// classes the source declares itself, wherever they stand in it; a rule's default severity
/// follows its category's traits, as `traits` and the source declare them.
pub fn parse_source(
    name: &str,
    src: &str,
    known: &Classes,
    traits: &TraitTable,
) -> Result<Parsed, LexiconError> {
    let spec: FileSpec = toml::from_str(src).map_err(|e| LexiconError {
        file: name.to_string(),
        line: e.span().map(|s| line_of(src, s.start)),
        message: e.message().to_string(),
    })?;
    let classes: Vec<(WordClass, bool)> = spec
        .class
        .into_iter()
        .map(|c| compile_class(name, src, c))
        .collect::<Result<_, _>>()?;
    let mut visible = known.clone();
    for (class, replace) in &classes {
        visible.merge(class.clone(), *replace);
    }
    let categories: Vec<CategoryDecl> = spec
        .category
        .into_iter()
        .map(|c| compile_category(name, src, c))
        .collect::<Result<_, _>>()?;
    let mut traits = *traits;
    for c in &categories {
        if let Some(t) = c.traits {
            traits.set(c.category, t);
        }
    }
    let formula = spec.score.map(|s| Formula {
        base: s.base,
        elaboration: s.elaboration,
        elaboration_max: s.elaboration_max,
        undoing_cap: s.undoing_cap,
        cap_step: s.cap_step,
        cap_max: s.cap_max,
    });
    let rules = spec
        .rule
        .into_iter()
        .map(|r| compile_rule(name, src, r, &visible, &traits))
        .collect::<Result<_, _>>()?;
    let gates = spec
        .gate
        .into_iter()
        .map(|g| compile_gate(name, src, g, &visible))
        .collect::<Result<_, _>>()?;
    Ok(Parsed {
        formula,
        categories,
        classes,
        rules,
        gates,
    })
}

fn compile_category(file: &str, src: &str, c: CategorySpec) -> Result<CategoryDecl, LexiconError> {
    let line = line_of(src, c.id.span().start);
    let id = c.id.into_inner();
    let err = entry_error(file, line, "category", &id);
    let category: Category = id.parse().map_err(|e| err(format!("{e}")))?;
    let traits = match c.traits {
        Some(list) => {
            let traits: Vec<Trait> = list
                .iter()
                .map(|t| t.parse::<Trait>())
                .collect::<Result<_, _>>()
                .map_err(&err)?;
            Some(Traits::of(&traits))
        }
        None => None,
    };
    let weights = [c.weight, c.weak, c.prior, c.weak_prior];
    if weights.iter().flatten().any(|w| !(0..=60).contains(w)) {
        return Err(err("weights must be between 0 and 60 points".into()));
    }
    Ok(CategoryDecl {
        category,
        traits,
        weights,
    })
}

fn compile_class(file: &str, src: &str, c: ClassSpec) -> Result<(WordClass, bool), LexiconError> {
    let line = line_of(src, c.id.span().start);
    let id = c.id.into_inner();
    let err = entry_error(file, line, "class", &id);
    let valid_id = id.starts_with(|ch: char| ch.is_ascii_lowercase())
        && id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
    if !valid_id {
        return Err(err(
            "a class id is lower-case letters, digits and `_`, starting with a letter".into(),
        ));
    }
    if c.words.is_empty() || c.description.trim().is_empty() {
        return Err(err("needs `words` and a `description`".into()));
    }
    if let Some(bad) = c.words.iter().find(|w| w.contains(['<', '>', '|'])) {
        return Err(err(format!(
            "word `{bad}`: a class word cannot hold `<`, `>` or `|`"
        )));
    }
    let words = expand_all(&c.words).map_err(&err)?;
    Ok((
        WordClass {
            id: id.as_str().into(),
            description: c.description.trim().to_string(),
            words,
            flag: c.flag,
            pass: c.pass,
            origin: format!("{file}:{line}"),
        },
        c.replace,
    ))
}

/// 1-based line of a byte offset.
pub fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Errors in one entry name its file, line, kind and id: ``x.toml:3: rule `a.b`: ...``.
fn entry_error<'a>(
    file: &'a str,
    line: usize,
    what: &'a str,
    id: &'a str,
) -> impl Fn(String) -> LexiconError + 'a {
    move |message| LexiconError {
        file: file.to_string(),
        line: Some(line),
        message: format!("{what} `{id}`: {message}"),
    }
}

fn compile_regexes(
    list: &[String],
    classes: &Classes,
    err: &dyn Fn(String) -> LexiconError,
) -> Result<Vec<Regex>, LexiconError> {
    list.iter()
        .map(|written| {
            let r = substitute(written, classes, WordClass::regex_group).map_err(err)?;
            // The syntax of `LazyRegex`'s engine configuration.
            let hir = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(&r)
                .map_err(|e| err(format!("bad regex `{written}`: {e}")))?;
            let literals = required_literals(&hir);
            Ok(Regex::from_checked(r, literals))
        })
        .collect()
}

/// The phrases, regexes and exceptions of `written`, compiled against `classes`.
pub struct Compiled {
    /// Phrases after expansion.
    pub expanded: Vec<String>,
    /// Regexes.
    pub regexes: Vec<Regex>,
    /// `unless` regexes.
    pub unless: Vec<Regex>,
    /// `when` regexes.
    pub when: Vec<Regex>,
    /// `except` regexes.
    pub except: Vec<Regex>,
    /// Triggers with their class references spelled out.
    pub triggers: Vec<String>,
}

/// Compiles written patterns; errors go through `err`.
pub fn compile_written(
    written: &Written,
    classes: &Classes,
    err: &dyn Fn(String) -> LexiconError,
) -> Result<Compiled, LexiconError> {
    let phrases: Vec<String> = written
        .phrases
        .iter()
        .map(|p| substitute(p, classes, WordClass::phrase_group))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    Ok(Compiled {
        expanded: expand_all(&phrases).map_err(err)?,
        regexes: compile_regexes(&written.regex, classes, err)?,
        unless: compile_regexes(&written.unless, classes, err)?,
        when: compile_regexes(&written.when, classes, err)?,
        except: compile_regexes(&written.except, classes, err)?,
        triggers: expand_triggers(&written.triggers, classes).map_err(err)?,
    })
}

/// Lower-cases the triggers and spells out each `<class>` in them as every word of the
/// class ("the <device_noun>" is "the phone", "the app", ...), so a trigger widens with its
/// class as a regex does. Unlike phrases, spacing is kept: "i " is a trigger, "i" is not.
fn expand_triggers(triggers: &[String], classes: &Classes) -> Result<Vec<String>, String> {
    let mut out = BTreeSet::new();
    for t in triggers {
        let lower = t.to_ascii_lowercase();
        let mut forms = vec![String::new()];
        let mut last = 0;
        for (range, id) in references(&lower) {
            let class = classes
                .get(id)
                .ok_or_else(|| format!("unknown word class `<{id}>` in trigger `{t}`"))?;
            let literal = &lower[last..range.start];
            forms = forms
                .iter()
                .flat_map(|f| class.words.iter().map(move |w| format!("{f}{literal}{w}")))
                .collect();
            last = range.end;
        }
        out.extend(forms.into_iter().map(|f| f + &lower[last..]));
    }
    Ok(out.into_iter().collect())
}

fn compile_rule(
    file: &str,
    src: &str,
    r: RuleSpec,
    classes: &Classes,
    traits: &TraitTable,
) -> Result<Rule, LexiconError> {
    let line = line_of(src, r.id.span().start);
    let id = r.id.into_inner();
    let err = entry_error(file, line, "rule", &id);
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
    let frame = match (&r.frame, r.role) {
        (Some(f), Role::Frame) => {
            if !(r.phrases.is_empty() && r.regex.is_empty()) {
                return Err(err(
                    "a frame rule fires on frames, not on `phrases` or `regex`".into(),
                ));
            }
            Some(f.compile().map_err(|e| err(format!("frame: {e}")))?)
        }
        (None, Role::Frame) => return Err(err("role `frame` needs a `frame` table".into())),
        (Some(_), _) => return Err(err("a `frame` table needs role `frame`".into())),
        (None, _) => None,
    };
    if frame.is_none() && r.phrases.is_empty() && r.regex.is_empty() {
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
    let (suggestion, suggestion_by_setting) = match r.suggestion.map(SuggestionSpec::split) {
        Some((default, by_setting)) => (Some(default), by_setting),
        None => (None, [None, None, None]),
    };
    let written = Written {
        phrases: r.phrases,
        regex: r.regex,
        unless: r.unless,
        when: Vec::new(),
        except: r.except,
        triggers: r.triggers,
    };
    let compiled = compile_written(&written, classes, &err)?;
    let default_scope = match (r.kind, r.role) {
        (_, role) if role.makes_apology() => Scope::Anywhere,
        _ => Scope::Apology,
    };
    let default_severity = match r.kind {
        Kind::Ownership => Severity::Info,
        Kind::Deflection if traits.has(category, Trait::Undoing) => Severity::Error,
        Kind::Deflection => Severity::Warning,
    };
    Ok(Rule {
        id: id.as_str().into(),
        category,
        role: r.role,
        strength: r.strength,
        weight: 0,
        severity: r.severity.unwrap_or(default_severity),
        scope: r.scope.unwrap_or(default_scope),
        negatable: r.negatable,
        unless: compiled.unless,
        except: compiled.except,
        written,
        expanded: compiled.expanded,
        regexes: compiled.regexes,
        triggers: compiled.triggers,
        frame,
        message: r.message.trim().into(),
        suggestion: suggestion.map(|s| s.trim().into()),
        suggestion_by_setting,
        source: r.source,
        flag: r.flag,
        pass: r.pass,
        origin: format!("{file}:{line}"),
    })
}

fn compile_gate(
    file: &str,
    src: &str,
    g: GateSpec,
    classes: &Classes,
) -> Result<Gate, LexiconError> {
    let line = line_of(src, g.id.span().start);
    let id = g.id.into_inner();
    let err = entry_error(file, line, "gate", &id);
    if g.phrases.is_empty() && g.regex.is_empty() {
        return Err(err("needs at least one of `phrases` or `regex`".into()));
    }
    if !g.regex.is_empty() && g.triggers.is_empty() {
        return Err(err("a gate with `regex` needs `triggers`".into()));
    }
    let written = Written {
        phrases: g.phrases,
        regex: g.regex,
        unless: g.unless,
        when: g.when,
        except: g.except,
        triggers: g.triggers,
    };
    let compiled = compile_written(&written, classes, &err)?;
    Ok(Gate {
        id: id.as_str().into(),
        role: g.role,
        written,
        expanded: compiled.expanded,
        regexes: compiled.regexes,
        triggers: compiled.triggers,
        unless: compiled.unless,
        when: compiled.when,
        except: compiled.except,
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
        // a user's lexicon loads at every CLI call.
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
