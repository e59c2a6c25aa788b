//! Stage 3: matching every lexicon phrase and regex against the normalized text.
//!
//! All literal phrases (rules and gates) and all regex triggers go into one Aho-Corasick
//! automaton, compiled once per [`crate::Analyzer`] and shared across threads. One pass over
//! the text finds every phrase; regexes run only on the sentences where one of their trigger
//! words occurred, so a text with nothing apology-shaped in it costs one automaton pass.
//! A cold regex is also skipped, uncompiled, on a sentence that lacks its required literals
//! (see [`LazyRegex::may_match`]): a trigger like `i ` is in most sentences.
//!
//! Most texts in a batch are not apologies, and for those the whole context stage can be
//! skipped: [`Matcher::matters`] tells, from the automaton pass alone, whether any rule
//! that can report something outside an apology could fire (see [`Matcher::decisive`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta;
use regex_automata::util::syntax;
use regex_syntax::hir::Look;

use crate::lexicon::{GateRole, LazyRegex, Lexicon, Role, Scope};
use crate::normalize::Normalized;
use crate::segment::{Segments, MAX_SENTENCE};

/// What a match belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Index into [`Lexicon::rules`].
    Rule(usize),
    /// Index into [`Lexicon::gates`].
    Gate(usize),
}

/// One raw match, in normalized byte offsets, before any context rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// The rule or gate.
    pub source: Source,
}

/// What one pattern means, as ranges of [`Matcher::sources`].
#[derive(Debug, Clone, Default)]
struct Targets {
    /// Phrases: matches of the pattern are hits of these sources.
    phrase: (u32, u32),
    /// Triggers: the pattern's presence lets these sources' regexes run.
    trigger: (u32, u32),
    /// Some source in `phrase` is decisive.
    decisive_phrase: bool,
    /// Some source in `trigger` is decisive.
    decisive_trigger: bool,
    /// The pattern is this required literal of a decisive regex (see [`DecisiveRegexes`]).
    decisive_literal: Option<u32>,
}

/// The automaton's patterns, in one buffer: thousands of small strings would each be an
/// allocation at every start-up.
#[derive(Debug, Clone, Default)]
struct Patterns {
    bytes: Vec<u8>,
    /// Where each pattern ends in `bytes`; it starts where the previous one ends.
    ends: Vec<usize>,
}

impl Patterns {
    fn push(&mut self, pattern: &[u8]) {
        self.bytes.extend_from_slice(pattern);
        self.ends.push(self.bytes.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// A match as `(pattern, start, end)`, for comparing the two ways of matching.
pub type MatchTriple = (u32, usize, usize);

/// One automaton match in `norm.squeezed`, before mapping to hits.
#[derive(Debug, Clone, Copy)]
pub struct RawMatch {
    pattern: u32,
    start: usize,
    end: usize,
    /// The match is a whole word (or starts/ends at punctuation), so its phrases apply.
    bounded: bool,
}

/// The automaton matches of one text: computed once, used by [`Matcher::matters`] and
/// [`Matcher::hits`].
#[derive(Debug, Clone, Default)]
pub struct Scan {
    matches: Vec<RawMatch>,
}

/// How many times [`Matcher::matters`] is asked before it compiles the decisive regexes into
/// one: a single CLI call never pays for that, a batch does once.
const DECISIVE_WARM_UP: u32 = 32;

/// The decisive sources' regexes as one multi-pattern regex, for a whole-text check.
#[derive(Debug)]
struct DecisiveRegexes {
    patterns: Vec<String>,
    /// Their required literals: one pass over a text can show that none of them matches.
    literals: RequiredLiterals,
    asked: AtomicU32,
    /// `None` when some pattern cannot be checked on the whole text (see
    /// [`whole_text_safe`]) or does not compile: then every triggered text takes the full path.
    compiled: OnceLock<Option<meta::Regex>>,
}

impl Clone for DecisiveRegexes {
    fn clone(&self) -> Self {
        DecisiveRegexes {
            patterns: self.patterns.clone(),
            literals: self.literals.clone(),
            asked: AtomicU32::new(self.asked.load(Ordering::Relaxed)),
            compiled: self.compiled.clone(),
        }
    }
}

/// Whether a match of `pattern` in a sentence of a text is always also a match in the whole
/// text. Inside the sentence every assertion sees the same bytes either way; at the edges
/// the sentence sees the end of the haystack where the text has its neighbours. Sentences
/// start after white space or sentence punctuation and end with it (never inside an ASCII
/// word), so `\b` and the word-start and word-end assertions agree at both edges; `^`, `$`,
/// `\B` and half word boundaries at the end of the sentence would not.
fn whole_text_safe(pattern: &str) -> bool {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return false;
    };
    hir.properties().look_set().iter().all(|look| {
        matches!(
            look,
            Look::WordAscii | Look::WordStartAscii | Look::WordEndAscii | Look::WordStartHalfAscii
        )
    })
}

fn compile_decisive(patterns: &[String]) -> Option<meta::Regex> {
    if !patterns.iter().all(|p| whole_text_safe(p)) {
        return None;
    }
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::All)
        .utf8_empty(false)
        .nfa_size_limit(Some(8 << 20))
        .hybrid_cache_capacity(4 << 20)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build_many(patterns)
        .ok()
}

/// The compiled matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Every phrase and trigger.
    phrases: MultiFinder,
    targets: Vec<Targets>,
    /// The sources of all patterns, grouped by pattern (see [`Targets`]).
    sources: Vec<Source>,
    decisive: DecisiveRegexes,
    /// The required literals of every rule regex, then every gate regex.
    literals: RequiredLiterals,
    /// The number of rules, where the gates' regexes start in `literals`.
    rules: usize,
}

/// How many bytes a [`MultiFinder`] scans with its prefix table (in texts of at most
/// [`TABLE_TEXT_MAX`] bytes) before it builds its automaton.
const TABLE_BUDGET: u64 = 64 << 10;
/// Longer texts always use the automaton.
const TABLE_TEXT_MAX: usize = 4 << 10;

/// Finds every occurrence (overlapping) of many strings. The automaton costs milliseconds to
/// build, more than a one-off CLI call spends on its text, so until enough bytes have been
/// searched a prefix table, built in microseconds, finds the same matches.
#[derive(Debug)]
struct MultiFinder {
    patterns: Patterns,
    table: PrefixTable,
    ac: OnceLock<Option<AhoCorasick>>,
    scanned_by_table: AtomicU64,
}

impl Clone for MultiFinder {
    fn clone(&self) -> Self {
        MultiFinder {
            patterns: self.patterns.clone(),
            table: self.table.clone(),
            ac: self.ac.clone(),
            scanned_by_table: AtomicU64::new(self.scanned_by_table.load(Ordering::Relaxed)),
        }
    }
}

impl MultiFinder {
    fn new(patterns: Patterns) -> MultiFinder {
        MultiFinder {
            table: PrefixTable::new(&patterns),
            patterns,
            ac: OnceLock::new(),
            scanned_by_table: AtomicU64::new(0),
        }
    }

    fn automaton(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| {
                if self.patterns.len() == 0 {
                    return None;
                }
                // Standard semantics so that overlapping matches of different rules ("sorry"
                // and "sorry you feel") are all reported; context decides between them.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(self.patterns.iter())
                    .ok()
            })
            .as_ref()
    }

    /// Calls `emit(pattern, start, end)` for every occurrence of every pattern in `hay`.
    fn find(&self, hay: &[u8], mut emit: impl FnMut(u32, usize, usize)) {
        let use_table = self.ac.get().is_none()
            && hay.len() <= TABLE_TEXT_MAX
            && self
                .scanned_by_table
                .fetch_add(hay.len() as u64, Ordering::Relaxed)
                < TABLE_BUDGET;
        if use_table {
            self.table.find(&self.patterns, hay, emit);
        } else if let Some(ac) = self.automaton() {
            for m in ac.find_overlapping_iter(hay) {
                emit(m.pattern().as_u32(), m.start(), m.end());
            }
        }
    }

    /// Every match as the table finds it and as the automaton does, each sorted.
    fn find_both(&self, hay: &[u8]) -> (Vec<MatchTriple>, Vec<MatchTriple>) {
        let mut table = Vec::new();
        self.table
            .find(&self.patterns, hay, |p, s, e| table.push((p, s, e)));
        let mut automaton: Vec<MatchTriple> = self
            .automaton()
            .map(|ac| {
                ac.find_overlapping_iter(hay)
                    .map(|m| (m.pattern().as_u32(), m.start(), m.end()))
                    .collect()
            })
            .unwrap_or_default();
        table.sort_unstable();
        automaton.sort_unstable();
        (table, automaton)
    }
}

/// The required literals of a list of regexes (see [`LazyRegex`]), indexed so that one
/// pass over a haystack tells which of the regexes can match in it.
///
/// A trigger like `i ` is in most sentences, so most triggered regexes are searched where
/// they cannot match; the regex engine's own prefilter only knows a regex's first
/// literals. Checking each regex's literals one by one costs more than the searches it saves
/// on an apology-dense text (a hundred regexes per sentence); one automaton pass over the
/// sentence, then a few bit tests per regex, does not.
#[derive(Debug, Clone)]
struct RequiredLiterals {
    finder: MultiFinder,
    /// For each literal, the sets holding it: `literal_sets[starts[l]..starts[l + 1]]`.
    literal_set_starts: Vec<u32>,
    literal_sets: Vec<u32>,
    /// For each regex, its sets: `regex_sets[starts[r]..starts[r + 1]]`.
    regex_set_starts: Vec<u32>,
    regex_sets: Vec<u32>,
    /// The number of the first regex of each list given to [`RequiredLiterals::new`].
    first_regex: Vec<u32>,
    sets: usize,
}

/// How many of a regex's sets of required literals (the most selective first) the matcher
/// checks before a search: the later sets hold common words ("i ", "my "), which cost more
/// to find in every sentence than the searches they save.
const SETS_CHECKED: usize = 2;

/// Which literals, and so which literal sets, one haystack holds.
struct Satisfied {
    literals: BitSet,
    sets: BitSet,
}

/// A fixed-size set of small numbers.
struct BitSet(Vec<u64>);

impl BitSet {
    fn new(len: usize) -> BitSet {
        BitSet(vec![0; len.div_ceil(64)])
    }

    /// Adds `i`; `false` when it was there already.
    fn insert(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let fresh = self.0[word] & bit == 0;
        self.0[word] |= bit;
        fresh
    }

    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1u64 << (i % 64)) != 0
    }

    fn clear(&mut self) {
        self.0.fill(0);
    }
}

impl RequiredLiterals {
    /// Indexes the regexes of `lists`, numbered in order, each by its `sets` most selective
    /// sets of literals.
    fn new<'a>(
        lists: impl Iterator<Item = &'a [LazyRegex]>,
        sets_per_regex: usize,
    ) -> RequiredLiterals {
        let mut ids: HashMap<&[u8], u32> = HashMap::new();
        let mut patterns = Patterns::default();
        // (literal, set) pairs, then counted into the literal -> sets index.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut regex_set_starts = vec![0u32];
        let mut regex_sets = Vec::new();
        let mut first_regex = Vec::new();
        let mut sets = 0u32;
        for list in lists {
            first_regex.push(regex_set_starts.len() as u32 - 1);
            for re in list {
                for set in re.required_literal_sets().into_iter().take(sets_per_regex) {
                    for lit in set {
                        let id = *ids.entry(lit).or_insert_with(|| {
                            patterns.push(lit);
                            (patterns.len() - 1) as u32
                        });
                        pairs.push((id, sets));
                    }
                    regex_sets.push(sets);
                    sets += 1;
                }
                regex_set_starts.push(regex_sets.len() as u32);
            }
        }
        first_regex.push(regex_set_starts.len() as u32 - 1);
        pairs.sort_unstable();
        pairs.dedup();
        let mut literal_set_starts = vec![0u32; patterns.len() + 1];
        for &(lit, _) in &pairs {
            literal_set_starts[lit as usize + 1] += 1;
        }
        for i in 1..literal_set_starts.len() {
            literal_set_starts[i] += literal_set_starts[i - 1];
        }
        RequiredLiterals {
            finder: MultiFinder::new(patterns),
            literal_set_starts,
            literal_sets: pairs.into_iter().map(|(_, set)| set).collect(),
            regex_set_starts,
            regex_sets,
            first_regex,
            sets: sets as usize,
        }
    }

    fn satisfied(&self) -> Satisfied {
        Satisfied {
            literals: BitSet::new(self.finder.patterns.len()),
            sets: BitSet::new(self.sets),
        }
    }

    /// Marks the sets that `hay` satisfies (and forgets those of the previous haystack).
    fn scan(&self, hay: &[u8], state: &mut Satisfied) {
        state.literals.clear();
        state.sets.clear();
        self.finder
            .find(hay, |lit, _, _| self.mark(lit as usize, state));
    }

    /// Marks the sets that literal `lit` satisfies.
    fn mark(&self, lit: usize, state: &mut Satisfied) {
        if !state.literals.insert(lit) {
            return;
        }
        let (from, to) = (
            self.literal_set_starts[lit],
            self.literal_set_starts[lit + 1],
        );
        for &set in &self.literal_sets[from as usize..to as usize] {
            state.sets.insert(set as usize);
        }
    }

    /// The number of regex `index` of list `list`.
    fn regex_number(&self, list: usize, index: usize) -> usize {
        self.first_regex[list] as usize + index
    }

    /// How many regexes are indexed.
    fn regexes(&self) -> usize {
        self.regex_set_starts.len() - 1
    }

    /// Whether the last haystack given to [`RequiredLiterals::scan`] holds a literal of each
    /// set of the regex: `false` proves that the regex does not match in it.
    fn may_match(&self, regex: usize, state: &Satisfied) -> bool {
        let (from, to) = (
            self.regex_set_starts[regex],
            self.regex_set_starts[regex + 1],
        );
        self.regex_sets[from as usize..to as usize]
            .iter()
            .all(|&set| state.sets.contains(set as usize))
    }
}

/// A multi-pattern matcher that finds the same matches as the automaton (every occurrence of
/// every pattern, overlapping), built in microseconds. Patterns sit in buckets by their first
/// two bytes; one-byte patterns are tried everywhere.
#[derive(Debug, Clone, Default)]
struct PrefixTable {
    /// `(first two bytes, pattern)`, sorted.
    by_prefix: Vec<(u16, u32)>,
    /// Patterns one byte long.
    single: Vec<u32>,
}

impl PrefixTable {
    fn new(patterns: &Patterns) -> PrefixTable {
        let mut table = PrefixTable::default();
        for (i, p) in patterns.iter().enumerate() {
            match p {
                [] => {}
                [_] => table.single.push(i as u32),
                [a, b, ..] => table
                    .by_prefix
                    .push((u16::from_be_bytes([*a, *b]), i as u32)),
            }
        }
        table.by_prefix.sort_unstable();
        table
    }

    fn find(&self, patterns: &Patterns, hay: &[u8], mut emit: impl FnMut(u32, usize, usize)) {
        for start in 0..hay.len() {
            let rest = &hay[start..];
            for &p in &self.single {
                if patterns.get(p as usize)[0] == rest[0] {
                    emit(p, start, start + 1);
                }
            }
            let [a, b, ..] = rest else { continue };
            let key = u16::from_be_bytes([*a, *b]);
            let from = self.by_prefix.partition_point(|e| e.0 < key);
            for &(k, p) in &self.by_prefix[from..] {
                if k != key {
                    break;
                }
                let pat = patterns.get(p as usize);
                if rest.starts_with(pat) {
                    emit(p, start, start + pat.len());
                }
            }
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl Matcher {
    /// Compiles the matcher for a lexicon.
    pub fn new(lex: &Lexicon) -> Matcher {
        // (pattern, is a trigger, source), in lexicon order.
        let mut entries: Vec<(&str, bool, Source)> = Vec::new();
        let sources = lex
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (Source::Rule(i), &r.expanded, &r.triggers))
            .chain(
                lex.gates
                    .iter()
                    .enumerate()
                    .map(|(i, g)| (Source::Gate(i), &g.expanded, &g.triggers)),
            );
        let mut decisive_patterns = Vec::new();
        let mut decisive_sources = Vec::new();
        for (source, phrases, triggers) in sources {
            entries.extend(phrases.iter().map(|p| (p.as_str(), false, source)));
            entries.extend(triggers.iter().map(|t| (t.as_str(), true, source)));
            if Matcher::decisive(lex, source) {
                let regexes = match source {
                    Source::Rule(i) => &lex.rules[i].regexes,
                    Source::Gate(i) => &lex.gates[i].regexes,
                };
                decisive_patterns.extend(regexes.iter().map(|r| r.pattern().to_string()));
                decisive_sources.push(&regexes[..]);
            }
        }
        // Pattern ids by first appearance. Hashing, not sorting: this runs at every
        // start-up, comparing thousands of phrases that share their first words costs more,
        // and the order of the patterns means nothing.
        let mut ids: HashMap<&[u8], u32> = HashMap::with_capacity(entries.len());
        let mut patterns = Patterns::default();
        let entry_ids: Vec<u32> = entries
            .iter()
            .map(|&(pattern, ..)| {
                *ids.entry(pattern.as_bytes()).or_insert_with(|| {
                    patterns.push(pattern.as_bytes());
                    (patterns.len() - 1) as u32
                })
            })
            .collect();
        // Each pattern's phrase sources, then its trigger sources, each in lexicon order,
        // in one array: a counting sort on (pattern, is a trigger).
        let slot = |id: u32, trigger: bool| 2 * id as usize + usize::from(trigger);
        let mut starts = vec![0u32; 2 * patterns.len() + 1];
        for (&(_, trigger, _), &id) in entries.iter().zip(&entry_ids) {
            starts[slot(id, trigger) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut grouped = vec![Source::Rule(0); entries.len()];
        let mut targets = vec![Targets::default(); patterns.len()];
        for (&(_, trigger, source), &id) in entries.iter().zip(&entry_ids) {
            let at = &mut next[slot(id, trigger)];
            grouped[*at as usize] = source;
            *at += 1;
            let t = &mut targets[id as usize];
            let decisive = Matcher::decisive(lex, source);
            if trigger {
                t.decisive_trigger |= decisive;
            } else {
                t.decisive_phrase |= decisive;
            }
        }
        for (id, t) in targets.iter_mut().enumerate() {
            t.phrase = (starts[2 * id], starts[2 * id + 1]);
            t.trigger = (starts[2 * id + 1], starts[2 * id + 2]);
        }
        let literals = RequiredLiterals::new(
            lex.rules
                .iter()
                .map(|r| &r.regexes[..])
                .chain(lex.gates.iter().map(|g| &g.regexes[..])),
            SETS_CHECKED,
        );
        // One set each: the decisive check runs on half of all texts, and the first set is
        // the most selective.
        let decisive_literals = RequiredLiterals::new(decisive_sources.into_iter(), 1);
        // The decisive regexes' literals join the phrases, so that the scan finds them too.
        let literal_patterns = &decisive_literals.finder.patterns;
        for (lit, bytes) in literal_patterns.iter().enumerate() {
            let id = match ids.get(bytes) {
                Some(&id) => id,
                None => {
                    patterns.push(bytes);
                    targets.push(Targets::default());
                    (patterns.len() - 1) as u32
                }
            };
            targets[id as usize].decisive_literal = Some(lit as u32);
        }
        Matcher {
            phrases: MultiFinder::new(patterns),
            targets,
            sources: grouped,
            decisive: DecisiveRegexes {
                patterns: decisive_patterns,
                literals: decisive_literals,
                asked: AtomicU32::new(0),
                compiled: OnceLock::new(),
            },
            literals,
            rules: lex.rules.len(),
        }
    }

    /// The sources in a range of [`Matcher::sources`].
    fn sources_in(&self, (start, end): (u32, u32)) -> &[Source] {
        &self.sources[start as usize..end as usize]
    }

    /// Whether a source can put anything in an analysis of a text that is not an apology.
    ///
    /// The context stage reports a finding outside an apology only for heads, admissions
    /// and rules scoped `anywhere`; every other rule needs an apology nearby, and an apology
    /// needs a head or an admission. The only other output is a safety note. So a text where
    /// no decisive source matches has the empty analysis, whatever else matches in it.
    pub fn decisive(lex: &Lexicon, source: Source) -> bool {
        match source {
            Source::Rule(i) => {
                let r = &lex.rules[i];
                matches!(r.role, Role::Head | Role::Admission) || r.scope == Scope::Anywhere
            }
            Source::Gate(i) => lex.gates[i].role == GateRole::Safety,
        }
    }

    /// Runs the automaton over the squeezed text.
    pub fn scan(&self, norm: &Normalized<'_>) -> Scan {
        let bytes = norm.squeezed.as_bytes();
        let mut matches = Vec::new();
        self.phrases.find(bytes, |pattern, start, end| {
            let left_ok =
                !is_word_byte(bytes[start]) || start == 0 || !is_word_byte(bytes[start - 1]);
            let right_ok =
                !is_word_byte(bytes[end - 1]) || end == bytes.len() || !is_word_byte(bytes[end]);
            matches.push(RawMatch {
                pattern,
                start,
                end,
                bounded: left_ok && right_ok,
            });
        });
        Scan { matches }
    }

    /// Every automaton match, as [`Matcher::scan`] finds them before the automaton is built;
    /// for testing that both ways find the same.
    pub fn scan_both(&self, norm: &Normalized<'_>) -> (Vec<MatchTriple>, Vec<MatchTriple>) {
        self.phrases.find_both(norm.squeezed.as_bytes())
    }

    /// Whether the text may have a non-empty analysis. `false` is a proof that it has none
    /// (no decisive phrase, and no decisive regex can match); `true` means the full
    /// analysis must run.
    pub fn matters(&self, norm: &Normalized<'_>, scan: &Scan) -> bool {
        let mut triggered = false;
        for m in &scan.matches {
            let t = &self.targets[m.pattern as usize];
            if t.decisive_phrase && m.bounded {
                return true;
            }
            triggered |= t.decisive_trigger;
        }
        if !triggered {
            return false;
        }
        // A decisive regex runs on sentences of `lower`; a match in one contains the regex's
        // required literals, so where the whole text lacks them it cannot match, whatever
        // the sentences. Triggers like `i ` are in half of all comments; the literals rule
        // out most of those. The scan found them in the squeezed text, which is `lower`
        // unless some word was squeezed out; then `lower` needs a pass of its own.
        let literals = &self.decisive.literals;
        let mut satisfied = literals.satisfied();
        if norm.squeezed.len() == norm.lower.len() {
            for m in &scan.matches {
                if let Some(lit) = self.targets[m.pattern as usize].decisive_literal {
                    literals.mark(lit as usize, &mut satisfied);
                }
            }
        } else {
            literals.scan(norm.lower.as_bytes(), &mut satisfied);
        }
        if !(0..literals.regexes()).any(|r| literals.may_match(r, &satisfied)) {
            return false;
        }
        // Past this point a decisive regex may run; whether it matches is known only by
        // running it. Sentence by sentence it runs on slices of `lower`; any match in a slice
        // is also a match in the whole text, provided the regex asserts nothing at a slice
        // edge that differs in the whole text (see `whole_text_safe`) and no sentence was cut
        // inside a word, which only happens past `MAX_SENTENCE` bytes.
        if norm.lower.len() > MAX_SENTENCE {
            return true;
        }
        if self.decisive.asked.load(Ordering::Relaxed) < DECISIVE_WARM_UP {
            self.decisive.asked.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        match self
            .decisive
            .compiled
            .get_or_init(|| compile_decisive(&self.decisive.patterns))
        {
            Some(re) => re.is_match(norm.lower.as_bytes()),
            None => true,
        }
    }

    /// Finds every hit, sorted by position. Phrases are matched on the squeezed text and
    /// mapped back to offsets in `norm.lower`; regexes run on `norm.lower` itself.
    pub fn find(&self, lex: &Lexicon, norm: &Normalized<'_>, seg: &Segments) -> Vec<Hit> {
        self.hits(lex, norm, seg, &self.scan(norm))
    }

    /// [`Matcher::find`] from the automaton matches of [`Matcher::scan`].
    pub fn hits(
        &self,
        lex: &Lexicon,
        norm: &Normalized<'_>,
        seg: &Segments,
        scan: &Scan,
    ) -> Vec<Hit> {
        let lower = norm.lower.as_str();
        let mut hits = Vec::new();
        // (sentence, source) pairs whose regexes should run.
        let mut regex_work: Vec<(usize, Source)> = Vec::new();
        // A frequent trigger ("i") matches many times in one sentence and would push the
        // same work each time; the last few (pattern, sentence) pairs catch the repeats.
        let mut recent = [(u32::MAX, usize::MAX); 8];
        let mut next_recent = 0;
        for m in &scan.matches {
            let t = &self.targets[m.pattern as usize];
            let trigger = self.sources_in(t.trigger);
            if !trigger.is_empty() {
                let sentence = seg.sentence_of(norm.unsqueeze(m.start));
                let key = (m.pattern, sentence);
                if !recent.contains(&key) {
                    recent[next_recent] = key;
                    next_recent = (next_recent + 1) % recent.len();
                    regex_work.extend(trigger.iter().map(|s| (sentence, *s)));
                }
            }
            let phrase = self.sources_in(t.phrase);
            if phrase.is_empty() || !m.bounded {
                continue;
            }
            let (start, end) = (norm.unsqueeze(m.start), norm.unsqueeze_end(m.end));
            hits.extend(phrase.iter().map(|&source| Hit { start, end, source }));
        }
        regex_work.sort_unstable();
        regex_work.dedup();
        let searches = self.regex_searches(lex, lower.as_bytes(), seg, &regex_work);
        // Compiled all at once, on two threads when there are many (a one-off CLI call).
        let mut cold: Vec<&LazyRegex> = searches
            .iter()
            .map(|s| s.1)
            .filter(|r| !r.is_compiled())
            .collect();
        if !cold.is_empty() {
            cold.sort_unstable_by_key(|r| *r as *const LazyRegex);
            cold.dedup_by_key(|r| *r as *const LazyRegex);
            LazyRegex::prepare(&cold);
        }
        for (sentence, re, source) in searches {
            let span = seg.sentences[sentence];
            let (offset, hay) = (span.start, &lower.as_bytes()[span.start..span.end]);
            let Some(re) = re.compiled() else { continue };
            for m in re.find_iter(hay) {
                // Byte classes like [^.!?] can stop inside a multi-byte char.
                let mut start = offset + m.start();
                let mut end = offset + m.end();
                while !lower.is_char_boundary(start) {
                    start -= 1;
                }
                while !lower.is_char_boundary(end) {
                    end += 1;
                }
                if start < end {
                    hits.push(Hit { start, end, source });
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }

    /// The regex searches that `work` (sorted by sentence) asks for and that can find
    /// something: those whose required literals are in their sentence.
    fn regex_searches<'l>(
        &self,
        lex: &'l Lexicon,
        lower: &[u8],
        seg: &Segments,
        work: &[(usize, Source)],
    ) -> Vec<(usize, &'l LazyRegex, Source)> {
        let mut searches = Vec::new();
        let mut satisfied = self.literals.satisfied();
        let mut scanned = usize::MAX;
        for &(sentence, source) in work {
            if sentence != scanned {
                let span = seg.sentences[sentence];
                self.literals
                    .scan(&lower[span.start..span.end], &mut satisfied);
                scanned = sentence;
            }
            let regexes = match source {
                Source::Rule(i) => &lex.rules[i].regexes,
                Source::Gate(i) => &lex.gates[i].regexes,
            };
            let list = match source {
                Source::Rule(i) => i,
                Source::Gate(i) => self.rules + i,
            };
            for (i, re) in regexes.iter().enumerate() {
                let number = self.literals.regex_number(list, i);
                if self.literals.may_match(number, &satisfied) {
                    searches.push((sentence, re, source));
                }
            }
        }
        searches
    }
}
