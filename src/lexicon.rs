//! Lexicons: rules as data.
//!
//! A lexicon is a TOML file of `[[rule]]` entries (ownership components and deflection
//! markers) and `[[gate]]` entries (context: phatic "sorry", reclaims, reporting frames,
//! safety phrases). Each entry carries its own message, source and `flag` / `pass` examples,
//! which the test suite runs. The built-in lexicons are read by the build script, through
//! the same code that reads user files (`lexicon/spec.rs`), and compiled into the binary as
//! data, so that start-up parses no TOML and no regex; users add files with `--lexicon` and
//! switch rules off by id.

pub mod classes;
pub mod frame;
mod literals;
mod spec;
pub mod weights;
mod word_set;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use memchr::memmem;
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;

use crate::analysis::Severity;
use crate::category::{Category, Kind, Trait, TraitTable, Traits};

pub use classes::{Classes, WordClass};
pub use frame::{AnyOf, Frame, FrameCondition};
pub use spec::{
    expand, line_of, CategoryDecl, Gate, GateRole, LexiconError, Role, Rule, Scope, Written,
};
pub use weights::{CategoryWeight, Formula, Strength, Weights};
pub use word_set::WordSet;

// The built-in lexicon as the build script wrote it: `BUILTIN`, `builtin_classes()`,
// `builtin_rules()` and `builtin_gates()`.
include!(concat!(env!("OUT_DIR"), "/builtin_lexicon.rs"));

/// The compiled form of a lexicon regex: byte-oriented, leftmost-first, like
/// `regex::bytes::Regex`.
pub type CompiledRegex = meta::Regex;

/// How many searches a regex serves from its quick-to-build form before the fast-to-run
/// form is built. A one-off CLI call touches a hundred regexes once each, where building
/// the DFA and literal prefilter would cost more than the searches; a batch reuses
/// them millions of times.
const WARM_UP_USES: u32 = 64;

/// Haystacks at least this long are searched with a lazy DFA (see [`build_regex`]).
const LONG_HAYSTACK: usize = 256;

/// The most memory a lazy DFA keeps per regex and thread, for long haystacks.
const LAZY_DFA_CACHE: usize = 64 << 10;

/// The compiled forms of a regex: same pattern, same matches, different costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Cheap to build: an NFA searched by backtracking, no prefilter.
    Quick,
    /// For short haystacks once warm: the same, with a literal prefilter.
    Fast,
    /// For long haystacks once warm: a lazy DFA with a bounded cache.
    Long,
}

/// Sets of literals such that every match of a regex contains one literal of each set;
/// no sets, no requirement.
#[derive(Debug, Clone)]
enum Literals {
    Builtin(&'static [&'static [&'static [u8]]]),
    User(Arc<[Vec<Vec<u8>>]>),
}

/// A regex compiled on first use. Start-up is part of every CLI call, and most texts never
/// reach most regexes, so the lexicon compiles nothing when it loads.
///
/// While it warms up, a search first looks for the regex's required literals (computed by
/// `lexicon/literals.rs`): a haystack without a literal of each of its sets cannot match,
/// and the regex is neither compiled nor run for it (see [`LazyRegex::may_match`]). The
/// regex is compiled twice over its life: first as a plain NFA search (no DFA, no
/// literal prefilter: several times cheaper to build), and after `WARM_UP_USES` (64) searches
/// with the regex engine's literal prefilter; a warm regex searching a long haystack (a
/// sentence cut at the segmenter's limit, a whole text) also gets a lazy DFA. All come from
/// the same syntax and match semantics of one regex engine, so they find exactly the same
/// matches.
#[derive(Debug)]
pub struct LazyRegex {
    pattern: Cow<'static, str>,
    literals: Literals,
    quick: OnceLock<Option<CompiledRegex>>,
    fast: OnceLock<Option<CompiledRegex>>,
    long: OnceLock<Option<CompiledRegex>>,
    uses: AtomicU32,
}

impl Clone for LazyRegex {
    fn clone(&self) -> Self {
        LazyRegex {
            pattern: self.pattern.clone(),
            literals: self.literals.clone(),
            quick: self.quick.clone(),
            fast: self.fast.clone(),
            long: self.long.clone(),
            uses: AtomicU32::new(self.uses.load(Ordering::Relaxed)),
        }
    }
}

/// One regex, ready to search a haystack; see [`LazyRegex::get`].
#[derive(Debug, Clone, Copy)]
pub struct Search<'a>(&'a LazyRegex);

impl Search<'_> {
    /// Whether the regex matches somewhere in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.0.may_match(hay) && self.0.compiled_for(hay).is_some_and(|re| re.is_match(hay))
    }
}

impl LazyRegex {
    fn new(pattern: Cow<'static, str>, literals: Literals) -> LazyRegex {
        LazyRegex {
            pattern,
            literals,
            quick: OnceLock::new(),
            fast: OnceLock::new(),
            long: OnceLock::new(),
            uses: AtomicU32::new(0),
        }
    }

    /// A regex of a user lexicon, parsed by `spec`, which found its required literals.
    fn from_checked(pattern: String, literals: Vec<Vec<Vec<u8>>>) -> LazyRegex {
        LazyRegex::new(Cow::Owned(pattern), Literals::User(literals.into()))
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The regex for searches, compiled by the first search that needs it; `None` when it
    /// is known not to compile (it exceeds the size limits, which [`LazyRegex::check`]
    /// reports at load time for user lexicons).
    pub fn get(&self) -> Option<Search<'_>> {
        let failed = |cell: &OnceLock<Option<CompiledRegex>>| matches!(cell.get(), Some(None));
        if failed(&self.quick) || failed(&self.fast) {
            return None;
        }
        Some(Search(self))
    }

    /// Whether a search of `hay` is needed: `false` when `hay` lacks the regex's required
    /// literals, which proves that it does not match there.
    ///
    /// The check saves compiling regexes that would only fail, which is most of a one-off
    /// CLI call. Skipped searches count towards the warm-up; past it the regex runs in its
    /// fast form, with the engine's own literal prefilter, which costs less than the
    /// substring checks, so then every search is made.
    pub fn may_match(&self, hay: &[u8]) -> bool {
        if self.uses.load(Ordering::Relaxed) >= WARM_UP_USES || self.has_required_literals(hay) {
            return true;
        }
        self.uses.fetch_add(1, Ordering::Relaxed);
        false
    }

    /// Whether `hay` holds a literal of each set of literals the regex requires: `false`
    /// proves that the regex does not match in it.
    pub fn has_required_literals(&self, hay: &[u8]) -> bool {
        fn all_in<S: AsRef<[L]>, L: AsRef<[u8]>>(sets: &[S], hay: &[u8]) -> bool {
            sets.iter()
                .all(|set| set.as_ref().iter().any(|l| contains(hay, l.as_ref())))
        }
        match &self.literals {
            Literals::Builtin(sets) => all_in(sets, hay),
            Literals::User(sets) => all_in(sets, hay),
        }
    }

    /// The sets of literals the regex requires: every match holds a string of each set.
    /// Empty when nothing is known.
    pub fn required_literal_sets(&self) -> Vec<Vec<&[u8]>> {
        match &self.literals {
            Literals::Builtin(sets) => sets.iter().map(|set| set.to_vec()).collect(),
            Literals::User(sets) => sets
                .iter()
                .map(|set| set.iter().map(Vec::as_slice).collect())
                .collect(),
        }
    }

    /// The compiled regex, for one search of `hay`; `None` only when it exceeds the size
    /// limits.
    pub(crate) fn compiled_for(&self, hay: &[u8]) -> Option<&CompiledRegex> {
        if let Some(fast) = self.fast.get() {
            if hay.len() >= LONG_HAYSTACK {
                if let Some(long) = self
                    .long
                    .get_or_init(|| build_regex(&self.pattern, Form::Long).ok())
                {
                    return Some(long);
                }
            }
            return fast.as_ref();
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) < WARM_UP_USES {
            return self
                .quick
                .get_or_init(|| build_regex(&self.pattern, Form::Quick).ok())
                .as_ref();
        }
        self.fast
            .get_or_init(|| build_regex(&self.pattern, Form::Fast).ok())
            .as_ref()
    }

    /// Whether a search would have to compile first.
    pub fn is_compiled(&self) -> bool {
        self.quick.get().is_some() || self.fast.get().is_some()
    }

    /// Compiles the regexes that are not yet, on two threads when there are enough of them
    /// to pay for the second.
    pub fn prepare(regexes: &[&LazyRegex]) {
        let pending: Vec<&LazyRegex> = regexes
            .iter()
            .copied()
            .filter(|r| !r.is_compiled())
            .collect();
        let compile = |list: &[&LazyRegex]| {
            for r in list {
                r.quick
                    .get_or_init(|| build_regex(&r.pattern, Form::Quick).ok());
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
        build_regex(&self.pattern, Form::Long)
            .and_then(|_| build_regex(&self.pattern, Form::Fast))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Whether `needle` occurs in `hay`. A sentence is searched for a few literals at a time,
/// where building a searcher costs more than the search: short haystacks are searched
/// byte by byte from each occurrence of the needle's first byte.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    const SHORT: usize = 1024;
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if hay.len() > SHORT {
        return memmem::find(hay, needle).is_some();
    }
    memchr::memchr_iter(first, hay).any(|i| hay[i + 1..].starts_with(rest))
}

fn build_regex(pattern: &str, form: Form) -> Result<CompiledRegex, Box<meta::BuildError>> {
    // Byte regexes without Unicode classes: the lexicon speaks English over lower-cased
    // text, ASCII classes compile in a fraction of the time and keep the DFA usable on any
    // input. Matches are snapped to char boundaries by the matcher. Size limits bound any
    // user pattern. The configuration is `regex::bytes::Regex`'s, so patterns mean what
    // its documentation says. `spec` parses with the same syntax options.
    //
    // A lazy DFA only for long haystacks. Each regex keeps a lazy-DFA cache per worker
    // thread, and a batch warms a few hundred regexes: with one for every search, a 1 GB
    // batch sat near 58 MiB resident (39 without). Most searches are a sentence of a
    // comment, where the bounded backtracker needs no cache and is as fast; a sentence cut
    // at the segmenter's limit, in a text that is an apology in every sentence, is where
    // the DFA pays (several times faster there), and few regexes ever see one.
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .nfa_size_limit(Some(1 << 20))
        .which_captures(WhichCaptures::Implicit);
    let config = match form {
        Form::Quick => config
            .hybrid(false)
            .auto_prefilter(false)
            .dfa(false)
            .onepass(false),
        Form::Fast => config.hybrid(false),
        Form::Long => config.hybrid(true).hybrid_cache_capacity(LAZY_DFA_CACHE),
    };
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(pattern)
        .map_err(Box::new)
}

/// The regex type of `spec`'s rules and gates (the build script has its own).
type Regex = LazyRegex;

/// Rule and gate fields as the generated code of the built-in lexicon writes them.
fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The regexes of a built-in rule or gate: `(pattern, required literals)`.
type BuiltinRegexes = &'static [(&'static str, &'static [&'static [&'static [u8]]])];

fn builtin_regexes(list: BuiltinRegexes) -> Vec<Regex> {
    list.iter()
        .map(|&(pattern, literals)| {
            LazyRegex::new(Cow::Borrowed(pattern), Literals::Builtin(literals))
        })
        .collect()
}

/// A set of word classes, rules and gates, ready to compile into a matcher.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// What each category does beyond flagging.
    pub traits: TraitTable,
    /// The score's weights.
    pub weights: Weights,
    /// Word classes, in load order; a later class with the same id adds to an earlier one.
    pub classes: Classes,
    /// Rules, in load order; a later rule with the same id replaces an earlier one.
    pub rules: Vec<Rule>,
    /// Gates, likewise.
    pub gates: Vec<Gate>,
}

impl Lexicon {
    /// The built-in lexicon.
    ///
    /// The build script has read and checked its files; an error there fails the build, so
    /// this does not fail, and the `Result` stays for the callers that handle one.
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        lex.weights.formula = builtin_formula();
        for decl in builtin_categories() {
            lex.declare(&decl);
        }
        for class in builtin_classes() {
            lex.classes.merge(class, false);
        }
        lex.merge(builtin_rules(), builtin_gates());
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
            for re in g.regexes.iter().chain(&g.unless).chain(&g.when) {
                re.check()
                    .map_err(|e| format!("{}: {}: {e}", g.origin, g.id))?;
            }
        }
        Ok(())
    }

    /// Adds the classes, rules and gates of lexicon source text; `name` names it in errors.
    ///
    /// A class that gains or changes words widens the rules already loaded that use it:
    /// they are compiled again with its new words.
    pub fn add_source(&mut self, name: &str, src: &str) -> Result<(), LexiconError> {
        let parsed = spec::parse_source(name, src, &self.classes, &self.traits)?;
        if let Some(f) = parsed.formula {
            self.weights.formula = f;
        }
        for decl in &parsed.categories {
            self.declare(decl);
        }
        let mut changed: Vec<Arc<str>> = Vec::new();
        for (class, replace) in parsed.classes {
            let id = Arc::clone(&class.id);
            if self.classes.merge(class, replace) {
                changed.push(id);
            }
        }
        if !changed.is_empty() {
            self.recompile_users_of(&changed)?;
        }
        self.merge(parsed.rules, parsed.gates);
        Ok(())
    }

    /// Applies what a source declares of a category, and gives its rules their weights.
    fn declare(&mut self, decl: &CategoryDecl) {
        if let Some(t) = decl.traits {
            self.traits.set(decl.category, t);
        }
        decl.apply(self.weights.of_mut(decl.category));
        self.assign_weights();
    }

    /// Gives every rule the weight of its category for its strength.
    fn assign_weights(&mut self) {
        for r in &mut self.rules {
            r.weight = self.weights.of(r.category).of(r.strength);
        }
    }

    /// Replaces the weights, and gives every rule its new weight (for fitting them).
    pub fn set_weights(&mut self, weights: Weights) {
        self.weights = weights;
        self.assign_weights();
    }

    /// Compiles again the rules and gates whose patterns name one of these classes.
    fn recompile_users_of(&mut self, changed: &[Arc<str>]) -> Result<(), LexiconError> {
        let uses = |w: &Written| w.all().any(|p| classes::refers_to(p, changed));
        let err_at = |origin: &str, what: &str, id: &str| {
            let (file, line) = origin.rsplit_once(':').unwrap_or((origin, ""));
            let (file, line, what, id) = (
                file.to_string(),
                line.parse().ok(),
                what.to_string(),
                id.to_string(),
            );
            move |message: String| LexiconError {
                file: file.clone(),
                line,
                message: format!("{what} `{id}`: {message}"),
            }
        };
        for r in self.rules.iter_mut().filter(|r| uses(&r.written)) {
            let c = spec::compile_written(
                &r.written,
                &self.classes,
                &err_at(&r.origin, "rule", &r.id),
            )?;
            (r.expanded, r.regexes, r.unless, r.except, r.triggers) =
                (c.expanded, c.regexes, c.unless, c.except, c.triggers);
        }
        for g in self.gates.iter_mut().filter(|g| uses(&g.written)) {
            let c = spec::compile_written(
                &g.written,
                &self.classes,
                &err_at(&g.origin, "gate", &g.id),
            )?;
            (
                g.expanded, g.regexes, g.unless, g.when, g.except, g.triggers,
            ) = (
                c.expanded, c.regexes, c.unless, c.when, c.except, c.triggers,
            );
        }
        Ok(())
    }

    /// Whether category `c` has trait `t`.
    pub fn has_trait(&self, c: Category, t: Trait) -> bool {
        self.traits.has(c, t)
    }

    /// The word class with this id, if the lexicon has it.
    pub fn class(&self, id: &str) -> Option<&WordClass> {
        self.classes.get(id)
    }

    /// Drops the required literals of every regex, so that every search compiles and runs
    /// its regex. Only for testing that the literals never change a result.
    #[doc(hidden)]
    pub fn without_required_literals(mut self) -> Lexicon {
        let regexes = self
            .rules
            .iter_mut()
            .flat_map(|r| {
                r.regexes
                    .iter_mut()
                    .chain(&mut r.unless)
                    .chain(&mut r.except)
            })
            .chain(
                self.gates
                    .iter_mut()
                    .flat_map(|g| g.regexes.iter_mut().chain(&mut g.unless).chain(&mut g.when)),
            );
        for re in regexes {
            re.literals = Literals::Builtin(&[]);
        }
        self
    }

    /// Adds parsed rules and gates; one with the id of an earlier one replaces it.
    fn merge(&mut self, rules: Vec<Rule>, gates: Vec<Gate>) {
        let weights = self.weights;
        let rules = rules.into_iter().map(|mut r| {
            r.weight = weights.of(r.category).of(r.strength);
            r
        });
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
            self.rules.retain(|r| !r.answers_to(id));
            self.gates.retain(|g| &*g.id != id);
            if self.rules.len() + self.gates.len() == before {
                return Err(format!("no rule, gate or category named `{id}`"));
            }
        }
        Ok(())
    }

    /// Sets the severity of rules by rule id, category id, or rule-id prefix ending in `.`
    /// (as for [`Lexicon::disable`]). Severity decides what `check --fail-on` fails on and
    /// how a finding is shown; it moves no score.
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> Result<(), String> {
        let id = id.trim();
        let mut found = false;
        for r in self.rules.iter_mut().filter(|r| r.answers_to(id)) {
            r.severity = severity;
            found = true;
        }
        match found {
            true => Ok(()),
            false => Err(format!("no rule or category named `{id}`")),
        }
    }

    /// Looks a rule up by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
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

    impl LazyRegex {
        fn literal_sets(&self) -> Vec<Vec<Vec<u8>>> {
            match &self.literals {
                Literals::Builtin(sets) => sets
                    .iter()
                    .map(|set| set.iter().map(|l| l.to_vec()).collect())
                    .collect(),
                Literals::User(sets) => sets.to_vec(),
            }
        }
    }

    /// Every field of every rule and gate, regexes as pattern and literals.
    fn describe(lex: &Lexicon) -> Vec<String> {
        let re = |list: &[LazyRegex]| -> Vec<(String, Vec<Vec<Vec<u8>>>)> {
            list.iter()
                .map(|r| (r.pattern().to_string(), r.literal_sets()))
                .collect()
        };
        let rules = lex.rules.iter().map(|r| {
            format!(
                "{:?}",
                (
                    (&r.id, r.category, r.role, r.weight, r.strength, r.severity, r.scope),
                    (r.negatable, re(&r.unless), re(&r.except), re(&r.regexes)),
                    (&r.written, &r.expanded, &r.triggers, &r.message, r.frame),
                    (
                        &r.suggestion,
                        &r.suggestion_by_setting,
                        &r.source,
                        &r.flag,
                        &r.pass,
                        &r.origin
                    ),
                )
            )
        });
        let gates = lex.gates.iter().map(|g| {
            format!(
                "{:?}",
                (
                    (
                        &g.id,
                        g.role,
                        &g.written,
                        &g.expanded,
                        re(&g.regexes),
                        &g.triggers
                    ),
                    (re(&g.unless), re(&g.when), &g.description, &g.source),
                    (&g.flag, &g.pass, &g.origin),
                )
            )
        });
        let classes = lex.classes.iter().map(|c| {
            format!(
                "{:?}",
                (&c.id, &c.description, &c.words, &c.flag, &c.pass, &c.origin)
            )
        });
        let traits = Category::ALL.iter().map(|c| {
            format!(
                "{c}: {:?} {:?}",
                lex.traits.of(*c).list(),
                lex.weights.of(*c)
            )
        });
        rules.chain(gates).chain(classes).chain(traits).collect()
    }

    #[test]
    fn builtin_is_its_sources_read_at_run_time() {
        let built = Lexicon::builtin().expect("built-in lexicon loads");
        let mut read = Lexicon::default();
        for (name, src) in BUILTIN {
            read.add_source(name, src).expect("built-in source reads");
        }
        assert_eq!(describe(&built), describe(&read));
        assert!(built.rules.len() > 50 && built.gates.len() > 5);
    }

    #[test]
    fn required_literals_of_a_regex() {
        let sets = |pattern: &str| {
            let hir = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(pattern)
                .expect("pattern parses");
            literals::required_literals(&hir)
        };
        let b = |list: &[&str]| -> Vec<Vec<u8>> {
            list.iter().map(|s| s.as_bytes().to_vec()).collect()
        };
        assert_eq!(
            sets(r"\bi (did|made) it\b"),
            vec![b(&["i did it", "i made it"])]
        );
        // Each part of a concatenation is needed; the most selective set comes first.
        assert_eq!(
            sets(r"\b(sorry|regret)\b[^.!?]{0,20} (you|they) feel"),
            vec![b(&[" you feel", " they feel"]), b(&["sorry", "regret"])]
        );
        // An optional part needs nothing; a repeated one needs itself.
        assert_eq!(sets(r"(very )?bad"), vec![b(&["bad"])]);
        assert_eq!(sets(r"(ha)+\w*"), vec![b(&["ha"])]);
        // Nothing is required of a regex that can match the empty string or any word.
        assert!(sets(r"\w+").is_empty());
        assert!(sets(r"(sorry)?").is_empty());
        assert!(sets(r"sorry|\w+").is_empty());
    }

    #[test]
    fn errors_name_file_and_line() {
        let mut lex = Lexicon::default();
        let src = "[[rule]]\nid = \"x.y\"\ncategory = \"nope\"\nkind = \"deflection\"\nphrases=[\"a\"]\nmessage=\"m\"\nsource=\"s\"\nsuggestion=\"s\"\n";
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
        let src = "[[rule]]\nid = \"x.y\"\ncategory = \"denial\"\nkind = \"deflection\"\nregex=[\"(\"]\ntriggers=[\"a\"]\nmessage=\"m\"\nsource=\"s\"\nsuggestion=\"s\"\n";
        let e = lex.add_source("re.toml", src).expect_err("regex");
        assert!(e.message.contains("bad regex"), "{e}");
    }

    #[test]
    fn classes_widen_the_rules_that_use_them() {
        let src = |words: &str| {
            format!(
                "[[class]]\nid = \"pet\"\ndescription = \"d\"\nwords = [{words}]\nflag = [\"cat\"]\npass = [\"x\"]\n"
            )
        };
        let rule = "[[rule]]\nid = \"x.pet\"\ncategory = \"denial\"\nkind = \"deflection\"\nphrases = [\"my <pet> ate it\"]\nregex = ['\\bthe <pet> did\\b']\ntriggers = [\"the <pet> \", \"The\"]\nmessage = \"m\"\nsource = \"s\"\nsuggestion = \"s\"\n";
        let mut lex = Lexicon::default();
        lex.add_source("a.toml", &(src("\"cat\"") + rule))
            .expect("loads");
        let r = lex.rule("x.pet").expect("rule");
        assert_eq!(r.expanded, ["my cat ate it"]);
        assert!(r.regexes[0].pattern().contains("(?:cat)"));
        // A trigger naming a class is every word of it; spacing is kept.
        assert_eq!(r.triggers, ["the", "the cat "]);
        // A later file adds a word: the rule already loaded now knows it too.
        lex.add_source("b.toml", &src("\"dog\"")).expect("extends");
        let r = lex.rule("x.pet").expect("rule");
        assert_eq!(r.expanded, ["my cat ate it", "my dog ate it"]);
        assert!(r.regexes[0].pattern().contains("dog"));
        assert_eq!(r.triggers, ["the", "the cat ", "the dog "]);
        assert_eq!(r.written.phrases, ["my <pet> ate it"]);
        // A named capture group is not a class reference; an unknown class is an error.
        assert!(classes::references(r"(?P<pet>x)(?<pet>y)").is_empty());
        let e = lex
            .add_source(
                "c.toml",
                &rule.replace("x.pet", "x.bad").replace("<pet>", "<nope>"),
            )
            .expect_err("unknown class");
        assert!(e.to_string().contains("unknown word class `<nope>`"), "{e}");
    }

    #[test]
    fn disable_by_rule_category_or_prefix() {
        let mut lex = Lexicon::builtin().expect("built-in lexicon loads");
        lex.disable(&["blame_shift".to_string()]).expect("category");
        assert!(!lex.rules.iter().any(|r| r.category == Category::BlameShift));
        assert!(lex.disable(&["no_such_rule".to_string()]).is_err());
    }
}
