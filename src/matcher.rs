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
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::meta;
use regex_automata::util::syntax;
use regex_syntax::hir::{Hir, HirKind, Look};

use crate::lexicon::{GateRole, LazyRegex, Lexicon, Scope};
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
}

/// What a pattern of the decisive scan (see [`Matcher::matters`]) means.
#[derive(Debug, Clone, Copy, Default)]
struct DecisivePattern {
    /// A phrase of a decisive source: a whole-word match makes the text matter.
    phrase: bool,
    /// A trigger of a decisive source's regexes.
    trigger: bool,
    /// This required literal of a decisive regex.
    literal: Option<u32>,
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

/// Patterns numbered in order of first appearance, each stored once. Hashing, not sorting:
/// this runs at every start-up, and comparing thousands of phrases that share their first
/// words costs more.
struct Interner<'a> {
    ids: HashMap<&'a [u8], u32, BuildHasherDefault<WordHasher>>,
    patterns: Patterns,
}

impl<'a> Interner<'a> {
    /// The number of `pattern`, new or not.
    fn id(&mut self, pattern: &'a [u8]) -> u32 {
        let patterns = &mut self.patterns;
        *self.ids.entry(pattern).or_insert_with(|| {
            patterns.push(pattern);
            (patterns.len() - 1) as u32
        })
    }

    /// Room for `n` patterns: growing the table on the way costs more than the hashing.
    fn with_capacity(n: usize) -> Interner<'a> {
        Interner {
            ids: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
            patterns: Patterns::default(),
        }
    }

    fn len(&self) -> usize {
        self.patterns.len()
    }
}

/// A hash for short strings, several times cheaper than the standard one (start-up hashes
/// a few thousand phrases, the context stage looks up every word it reads); the sets it
/// keys are the lexicon's, so no text can grow them.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A match as `(pattern, start, end)`, for comparing the two ways of matching.
pub type MatchTriple = (u32, usize, usize);

/// One automaton match in `norm.squeezed`, before mapping to hits.
#[derive(Debug, Clone, Copy)]
struct PhraseMatch {
    pattern: u32,
    start: usize,
    end: usize,
    /// The match is a whole word (or starts/ends at punctuation), so its phrases apply.
    bounded: bool,
}

/// How many times [`Matcher::matters`] is asked before it compiles decisive regexes of its
/// own: a single CLI call never pays for that, a batch does.
const DECISIVE_WARM_UP: u32 = 32;

/// The decisive sources' regexes, each widened for a whole-text check.
#[derive(Debug)]
struct DecisiveRegexes {
    patterns: Vec<String>,
    /// Their required literals: one pass over a text can show that none of them matches.
    literals: RequiredLiterals,
    /// The decisive sources' phrases and triggers and those literals, to scan for at once.
    scan: MultiFinder,
    kinds: Vec<DecisivePattern>,
    asked: AtomicU32,
    /// Each of `patterns` widened to run on the whole text ([`whole_text_superset`]),
    /// compiled when a text first holds its required literals; `None` when it does not
    /// compile: then a text where it may match takes the full path.
    compiled: Vec<OnceLock<Option<meta::Regex>>>,
}

impl Clone for DecisiveRegexes {
    fn clone(&self) -> Self {
        DecisiveRegexes {
            patterns: self.patterns.clone(),
            literals: self.literals.clone(),
            scan: self.scan.clone(),
            kinds: self.kinds.clone(),
            asked: AtomicU32::new(self.asked.load(Ordering::Relaxed)),
            compiled: self.compiled.clone(),
        }
    }
}

/// A pattern that matches the whole text wherever `pattern` matches in one of its sentences,
/// and perhaps elsewhere too; `None` if it does not parse. Inside a sentence every assertion
/// sees the same bytes either way; at the edges the sentence sees the end of the haystack
/// where the text has its neighbours. Sentences start after white space or sentence
/// punctuation and end with it (never inside an ASCII word), so `\b` and the word-start
/// and word-end assertions agree at both edges and stay; `^`, `$`, `\B` and half word
/// boundaries at the end of a sentence may not, so they are dropped, which only widens
/// the pattern. A wider pattern is enough: a text it does not match has no match.
fn whole_text_superset(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    if hir.properties().look_set().iter().all(agrees_at_edges) {
        return Some(pattern.to_string());
    }
    Some(without_edge_looks(&hir).to_string())
}

/// Whether an assertion answers the same at a sentence edge as in the whole text.
fn agrees_at_edges(look: Look) -> bool {
    matches!(
        look,
        Look::WordAscii | Look::WordStartAscii | Look::WordEndAscii | Look::WordStartHalfAscii
    )
}

/// `hir` with every assertion that may differ at a sentence edge replaced by the empty
/// pattern.
fn without_edge_looks(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) if !agrees_at_edges(*look) => Hir::empty(),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_edge_looks).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(without_edge_looks).collect())
        }
        HirKind::Repetition(rep) => {
            let mut rep = rep.clone();
            rep.sub = Box::new(without_edge_looks(&rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(cap) => {
            let mut cap = cap.clone();
            cap.sub = Box::new(without_edge_looks(&cap.sub));
            Hir::capture(cap)
        }
        _ => hir.clone(),
    }
}

fn compile_whole_text(pattern: &str) -> Option<meta::Regex> {
    let pattern = whole_text_superset(pattern)?;
    // Only whether it matches is asked, so the first match found will do.
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(&pattern)
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
    /// The required literals of every rule regex, then every gate regex; built by the first
    /// text that needs them (most texts of a batch, and many one-off calls, never do).
    literals: OnceLock<RequiredLiterals>,
    /// The number of rules, where the gates' regexes start in `literals`.
    rules: usize,
    /// Texts that reached the regexes so far, up to [`INDEX_AFTER`].
    finds: Counter,
}

/// A count shared between threads, cloned as its current value.
#[derive(Debug, Default)]
struct Counter(AtomicU32);

impl Clone for Counter {
    fn clone(&self) -> Self {
        Counter(AtomicU32::new(self.0.load(Ordering::Relaxed)))
    }
}

/// How many texts reach the regexes before their literals are indexed.
const INDEX_AFTER: u32 = 16;

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
    /// Whether to build a DFA too, once enough bytes were scanned to pay for it.
    with_dfa: bool,
    dfa: OnceLock<Option<AhoCorasick>>,
    scanned_by_ac: AtomicU64,
    /// Set by the thread that builds the automaton, or the DFA: the other threads go on
    /// with what they have meanwhile rather than wait.
    building_ac: AtomicBool,
    building_dfa: AtomicBool,
}

/// Bytes scanned with the automaton before its DFA is built: a DFA scans faster and takes
/// far longer to build (tens of milliseconds for the decisive patterns), which a batch
/// repays and a one-off call does not.
const DFA_AFTER: u64 = 1 << 20;

impl Clone for MultiFinder {
    fn clone(&self) -> Self {
        let flag = |b: &AtomicBool| AtomicBool::new(b.load(Ordering::Relaxed));
        MultiFinder {
            patterns: self.patterns.clone(),
            table: self.table.clone(),
            ac: self.ac.clone(),
            scanned_by_table: AtomicU64::new(self.scanned_by_table.load(Ordering::Relaxed)),
            with_dfa: self.with_dfa,
            dfa: self.dfa.clone(),
            scanned_by_ac: AtomicU64::new(self.scanned_by_ac.load(Ordering::Relaxed)),
            building_ac: flag(&self.building_ac),
            building_dfa: flag(&self.building_dfa),
        }
    }
}

impl MultiFinder {
    /// Finds `patterns`; `with_dfa` for a finder worth a DFA of its patterns in a batch
    /// (it costs about 2 KB of memory per pattern).
    fn new(patterns: Patterns, with_dfa: bool) -> MultiFinder {
        MultiFinder {
            table: PrefixTable::new(&patterns),
            patterns,
            ac: OnceLock::new(),
            scanned_by_table: AtomicU64::new(0),
            with_dfa,
            dfa: OnceLock::new(),
            scanned_by_ac: AtomicU64::new(0),
            building_ac: AtomicBool::new(false),
            building_dfa: AtomicBool::new(false),
        }
    }

    fn build(&self, kind: Option<AhoCorasickKind>) -> Option<AhoCorasick> {
        if self.patterns.len() == 0 {
            return None;
        }
        // Standard semantics so that overlapping matches of different rules ("sorry" and
        // "sorry you feel") are all reported; context decides between them.
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(self.patterns.iter())
            .ok()
    }

    /// The automaton, built now or by the caller when it is time and no other thread is
    /// building it; `None`: use the table.
    fn automaton(&self, hay_len: usize) -> Option<&AhoCorasick> {
        if let Some(dfa) = self.dfa.get() {
            return dfa.as_ref();
        }
        if let Some(ac) = self.ac.get() {
            if self.with_dfa
                && self
                    .scanned_by_ac
                    .fetch_add(hay_len as u64, Ordering::Relaxed)
                    >= DFA_AFTER
                && !self.building_dfa.swap(true, Ordering::AcqRel)
            {
                return self
                    .dfa
                    .get_or_init(|| self.build(Some(AhoCorasickKind::DFA)))
                    .as_ref();
            }
            return ac.as_ref();
        }
        let table_will_do = hay_len <= TABLE_TEXT_MAX
            && self
                .scanned_by_table
                .fetch_add(hay_len as u64, Ordering::Relaxed)
                < TABLE_BUDGET;
        if table_will_do || self.building_ac.swap(true, Ordering::AcqRel) {
            return None;
        }
        self.ac.get_or_init(|| self.build(None)).as_ref()
    }

    /// Calls `emit(pattern, start, end)` for every occurrence of every pattern in `hay`,
    /// until it says to stop.
    fn find(&self, hay: &[u8], mut emit: impl FnMut(u32, usize, usize) -> ControlFlow<()>) {
        match self.automaton(hay.len()) {
            Some(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    if emit(m.pattern().as_u32(), m.start(), m.end()).is_break() {
                        return;
                    }
                }
            }
            None => self.table.find(&self.patterns, hay, emit),
        }
    }

    /// Every match as the table finds it and as the automaton does, each sorted.
    fn find_both(&self, hay: &[u8]) -> (Vec<MatchTriple>, Vec<MatchTriple>) {
        let mut table = Vec::new();
        self.table.find(&self.patterns, hay, |p, s, e| {
            table.push((p, s, e));
            ControlFlow::Continue(())
        });
        let mut automaton: Vec<MatchTriple> = self
            .ac
            .get_or_init(|| self.build(None))
            .as_ref()
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
        let mut literals = Interner::with_capacity(1024);
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
                        pairs.push((literals.id(lit), sets));
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
        let mut literal_set_starts = vec![0u32; literals.len() + 1];
        for &(lit, _) in &pairs {
            literal_set_starts[lit as usize + 1] += 1;
        }
        for i in 1..literal_set_starts.len() {
            literal_set_starts[i] += literal_set_starts[i - 1];
        }
        RequiredLiterals {
            finder: MultiFinder::new(literals.patterns, false),
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
        self.finder.find(hay, |lit, _, _| {
            self.mark(lit as usize, state);
            ControlFlow::Continue(())
        });
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

    fn find(
        &self,
        patterns: &Patterns,
        hay: &[u8],
        mut emit: impl FnMut(u32, usize, usize) -> ControlFlow<()>,
    ) {
        for start in 0..hay.len() {
            let rest = &hay[start..];
            for &p in &self.single {
                if patterns.get(p as usize)[0] == rest[0] && emit(p, start, start + 1).is_break() {
                    return;
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
                if rest.starts_with(pat) && emit(p, start, start + pat.len()).is_break() {
                    return;
                }
            }
        }
    }
}

/// Whether the character that starts at byte `at` (or, with `before`, ends there) is part
/// of a word. Non-ASCII letters are ("café", "naïve"); bullets, arrows and emoji are not, so
/// "•••Sorry" still starts a word.
fn word_char_at(bytes: &[u8], at: usize, before: bool) -> bool {
    let mut start = at;
    if before {
        if at == 0 {
            return false;
        }
        start = at - 1;
        while start > 0 && bytes[start] & 0xC0 == 0x80 {
            start -= 1;
        }
    }
    let Some(&first) = bytes.get(start) else {
        return false;
    };
    if first < 0x80 {
        return first.is_ascii_alphanumeric() || first == b'_';
    }
    let end = (start + 4).min(bytes.len());
    let decoded = match std::str::from_utf8(&bytes[start..end]) {
        Ok(s) => s.chars().next(),
        Err(e) => std::str::from_utf8(&bytes[start..start + e.valid_up_to()])
            .ok()
            .and_then(|s| s.chars().next()),
    };
    decoded.is_some_and(char::is_alphanumeric)
}

/// Whether the match `start..end` of `bytes` is whole words (or starts and ends at
/// punctuation), so that its phrases apply.
fn bounded(bytes: &[u8], start: usize, end: usize) -> bool {
    let left = !word_char_at(bytes, start, false) || !word_char_at(bytes, start, true);
    let right = !word_char_at(bytes, end, true) || !word_char_at(bytes, end, false);
    left && right
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
        let mut phrases = Interner::with_capacity(entries.len());
        let entry_ids: Vec<u32> = entries
            .iter()
            .map(|&(pattern, ..)| phrases.id(pattern.as_bytes()))
            .collect();
        let patterns = phrases.patterns;
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
        }
        for (id, t) in targets.iter_mut().enumerate() {
            t.phrase = (starts[2 * id], starts[2 * id + 1]);
            t.trigger = (starts[2 * id + 1], starts[2 * id + 2]);
        }
        // One set each: the decisive check runs on half of all texts, and the first set is
        // the most selective.
        let decisive_literals = RequiredLiterals::new(decisive_sources.into_iter(), 1);
        // The decisive scan: the decisive sources' phrases and triggers, and their regexes'
        // literals, in an automaton of their own, a fraction of the size of the whole.
        let mut scan = Interner::with_capacity(entries.len() / 2);
        let mut marks: Vec<(u32, DecisivePattern)> = Vec::new();
        for &(pattern, trigger, source) in &entries {
            if Matcher::decisive(lex, source) {
                let mark = DecisivePattern {
                    phrase: !trigger,
                    trigger,
                    literal: None,
                };
                marks.push((scan.id(pattern.as_bytes()), mark));
            }
        }
        for (lit, bytes) in decisive_literals.finder.patterns.iter().enumerate() {
            let mark = DecisivePattern {
                literal: Some(lit as u32),
                ..DecisivePattern::default()
            };
            marks.push((scan.id(bytes), mark));
        }
        let mut kinds = vec![DecisivePattern::default(); scan.len()];
        let decisive_scan = scan.patterns;
        let decisive_count = decisive_patterns.len();
        for (id, mark) in marks {
            let k = &mut kinds[id as usize];
            k.phrase |= mark.phrase;
            k.trigger |= mark.trigger;
            k.literal = k.literal.or(mark.literal);
        }
        Matcher {
            phrases: MultiFinder::new(patterns, false),
            targets,
            sources: grouped,
            decisive: DecisiveRegexes {
                patterns: decisive_patterns,
                literals: decisive_literals,
                scan: MultiFinder::new(decisive_scan, true),
                kinds,
                asked: AtomicU32::new(0),
                compiled: vec![OnceLock::new(); decisive_count],
            },
            literals: OnceLock::new(),
            rules: lex.rules.len(),
            finds: Counter::default(),
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
                r.role.makes_apology() || r.scope == Scope::Anywhere
            }
            Source::Gate(i) => lex.gates[i].role == GateRole::Safety,
        }
    }

    /// Runs the automaton over the squeezed text, calling `visit` with each match until it
    /// says to stop. The matches are not kept: on an apology-dense text there are several
    /// per word, and a list of them held more memory than all the rest of the analysis.
    fn phrase_matches(
        &self,
        norm: &Normalized<'_>,
        mut visit: impl FnMut(PhraseMatch) -> ControlFlow<()>,
    ) {
        let bytes = norm.squeezed().as_bytes();
        self.phrases.find(bytes, |pattern, start, end| {
            visit(PhraseMatch {
                pattern,
                start,
                end,
                bounded: bounded(bytes, start, end),
            })
        });
    }

    /// Every automaton match, as the matcher finds them before the automaton is built;
    /// for testing that both ways find the same.
    pub fn scan_both(&self, norm: &Normalized<'_>) -> (Vec<MatchTriple>, Vec<MatchTriple>) {
        self.phrases.find_both(norm.squeezed().as_bytes())
    }

    /// Whether the text may have a non-empty analysis. `false` is a proof that it has none
    /// (no decisive phrase, and no decisive regex can match); `true` means the full
    /// analysis must run.
    pub fn matters(&self, norm: &Normalized<'_>) -> bool {
        // A decisive regex runs on sentences of `lower`; a match in one contains the regex's
        // required literals, so where the whole text lacks them it cannot match, whatever
        // the sentences. Triggers like `i ` are in half of all comments; the literals rule
        // out most of those. The scan finds them in the squeezed text, which is `lower`
        // unless some word was squeezed out; then `lower` needs a pass of its own.
        let literals = &self.decisive.literals;
        let mut satisfied = literals.satisfied();
        let squeezed_is_lower = norm.squeezed().len() == norm.lower.len();
        let mut triggered = false;
        let mut decisive_phrase = false;
        let bytes = norm.squeezed().as_bytes();
        self.decisive.scan.find(bytes, |pattern, start, end| {
            let kind = self.decisive.kinds[pattern as usize];
            if kind.phrase && bounded(bytes, start, end) {
                decisive_phrase = true;
                return ControlFlow::Break(());
            }
            triggered |= kind.trigger;
            if let (Some(lit), true) = (kind.literal, squeezed_is_lower) {
                literals.mark(lit as usize, &mut satisfied);
            }
            ControlFlow::Continue(())
        });
        if decisive_phrase {
            return true;
        }
        // A trigger the squeeze took out is found in the words taken out (see `find`).
        if !triggered && !squeezed_is_lower {
            let lower = norm.lower.as_bytes();
            for (start, end) in norm.squeezed_out() {
                self.decisive
                    .scan
                    .find(&lower[start..end], |pattern, _, _| {
                        triggered |= self.decisive.kinds[pattern as usize].trigger;
                        ControlFlow::Continue(())
                    });
            }
        }
        if !triggered {
            return false;
        }
        if !squeezed_is_lower {
            literals.scan(norm.lower.as_bytes(), &mut satisfied);
        }
        if !(0..literals.regexes()).any(|r| literals.may_match(r, &satisfied)) {
            return false;
        }
        // Past this point a decisive regex may run; whether it matches is known only by
        // running it. Sentence by sentence it runs on slices of `lower`; any match in a slice
        // is also a match of its widened form in the whole text (see `whole_text_superset`),
        // provided no sentence was cut inside a word, which only happens past
        // `MAX_SENTENCE` bytes.
        if norm.lower.len() > MAX_SENTENCE {
            return true;
        }
        if self.decisive.asked.load(Ordering::Relaxed) < DECISIVE_WARM_UP {
            self.decisive.asked.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        // Only the regexes whose literals the text holds run, each alone: a text holds the
        // literals of a few, and a small lazy DFA per regex stays warm, where one DFA over
        // the union of them all kept clearing a 48 MB cache on real comments and took 2.3
        // times as long over the bench corpus.
        let lower = norm.lower.as_bytes();
        (0..literals.regexes())
            .filter(|&r| literals.may_match(r, &satisfied))
            .any(|r| {
                let compiled = self.decisive.compiled[r]
                    .get_or_init(|| compile_whole_text(&self.decisive.patterns[r]));
                compiled.as_ref().is_none_or(|re| re.is_match(lower))
            })
    }

    /// Finds every hit, sorted by position. Phrases are matched on the squeezed text and
    /// mapped back to offsets in `norm.lower`; regexes run on `norm.lower` itself.
    pub fn find(&self, lex: &Lexicon, norm: &Normalized<'_>, seg: &Segments) -> Vec<Hit> {
        let lower = norm.lower.as_str();
        let mut hits = Vec::new();
        // (sentence, source) pairs whose regexes should run.
        let mut regex_work: Vec<(usize, Source)> = Vec::new();
        // A frequent trigger ("i") matches many times in one sentence and would push the
        // same work each time; the last few (pattern, sentence) pairs catch the repeats.
        let mut recent = [(u32::MAX, usize::MAX); 8];
        let mut next_recent = 0;
        self.phrase_matches(norm, |m| {
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
            if !phrase.is_empty() && m.bounded {
                let (start, end) = (norm.unsqueeze(m.start), norm.unsqueeze_end(m.end));
                hits.extend(phrase.iter().map(|&source| Hit { start, end, source }));
            }
            ControlFlow::Continue(())
        });
        // A trigger word the squeeze took out ("it actually starts") is not in the squeezed
        // text; the words taken out are scanned on their own for triggers.
        for (start, end) in norm.squeezed_out() {
            let sentence = seg.sentence_of(start);
            self.phrases
                .find(&lower.as_bytes()[start..end], |pattern, _, _| {
                    let trigger = self.sources_in(self.targets[pattern as usize].trigger);
                    regex_work.extend(trigger.iter().map(|s| (sentence, *s)));
                    ControlFlow::Continue(())
                });
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
            let Some(re) = re.compiled_for(hay) else {
                continue;
            };
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
        // The index costs half a millisecond to build: a one-off call on a short text checks
        // each regex's literals directly instead, as every call did before the index.
        let literals = match self.literals.get() {
            Some(literals) => Some(literals),
            None if lower.len() > TABLE_TEXT_MAX
                || self.finds.0.fetch_add(1, Ordering::Relaxed) >= INDEX_AFTER =>
            {
                Some(self.literals.get_or_init(|| {
                    RequiredLiterals::new(
                        lex.rules
                            .iter()
                            .map(|r| &r.regexes[..])
                            .chain(lex.gates.iter().map(|g| &g.regexes[..])),
                        SETS_CHECKED,
                    )
                }))
            }
            None => None,
        };
        let mut searches = Vec::new();
        let mut satisfied = literals.map(RequiredLiterals::satisfied);
        let mut scanned = usize::MAX;
        for &(sentence, source) in work {
            let span = seg.sentences[sentence];
            let hay = &lower[span.start..span.end];
            if let (Some(literals), Some(satisfied)) = (literals, &mut satisfied) {
                if sentence != scanned {
                    literals.scan(hay, satisfied);
                    scanned = sentence;
                }
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
                let may_match = match (literals, &satisfied) {
                    (Some(literals), Some(satisfied)) => {
                        literals.may_match(literals.regex_number(list, i), satisfied)
                    }
                    _ => re.is_compiled() || re.has_required_literals(hay),
                };
                if may_match {
                    searches.push((sentence, re, source));
                }
            }
        }
        searches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisive_patterns_are_widened_only_at_sentence_edges() {
        // Word assertions agree at sentence edges: kept as written.
        let kept = r"\bmy fault\b";
        assert_eq!(whole_text_superset(kept).as_deref(), Some(kept));
        // "$" and "^" hold at a sentence's edges, not inside the whole text: dropped, so a
        // text whose sentence matches still matches.
        for (pattern, sentence, text) in [
            (
                r"\bmy doing\s*([.!]|$)",
                "it was my doing",
                "it was my doing and more",
            ),
            (
                r"^\W*posting it was wrong",
                "posting it was wrong",
                "ok. posting it was wrong",
            ),
        ] {
            let whole = compile_whole_text(pattern).expect("compiles");
            assert!(meta::Regex::new(pattern)
                .expect("compiles")
                .is_match(sentence));
            assert!(!meta::Regex::new(pattern).expect("compiles").is_match(text));
            assert!(whole.is_match(text), "{pattern} in {text:?}");
        }
    }

    #[test]
    fn symbols_next_to_a_phrase_are_boundaries_and_letters_are_not() {
        let at = |text: &str, needle: &str| {
            let start = text.find(needle).expect("needle");
            bounded(text.as_bytes(), start, start + needle.len())
        };
        assert!(at("•••sorry for the post", "sorry"));
        assert!(at("sorry🙏 for the delay", "sorry"));
        assert!(at("désolé, sorry", "sorry"));
        assert!(!at("désorryé", "sorry"));
        assert!(!at("ésorry", "sorry"));
        assert!(!at("sorryé", "sorry"));
    }
}
