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
}

/// The automaton's patterns, in one buffer: thousands of small strings would each be an
/// allocation at every start-up.
#[derive(Debug, Clone, Default)]
struct Patterns {
    text: String,
    /// Where each pattern ends in `text`; it starts where the previous one ends.
    ends: Vec<usize>,
}

impl Patterns {
    fn push(&mut self, pattern: &str) {
        self.text.push_str(pattern);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
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
    asked: AtomicU32,
    /// `None` when some pattern cannot be checked on the whole text (see
    /// [`whole_text_safe`]) or does not compile: then every triggered text takes the full path.
    compiled: OnceLock<Option<meta::Regex>>,
}

impl Clone for DecisiveRegexes {
    fn clone(&self) -> Self {
        DecisiveRegexes {
            patterns: self.patterns.clone(),
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
#[derive(Debug)]
pub struct Matcher {
    /// The automaton, built when the bytes scanned without it make it worth building.
    ac: OnceLock<Option<AhoCorasick>>,
    /// Until then, patterns are looked up by their first two bytes.
    table: PrefixTable,
    patterns: Patterns,
    /// Bytes scanned with `table`, which costs more per byte than the automaton but nothing
    /// to build: a CLI call on one text never builds the automaton.
    scanned_by_table: AtomicU64,
    targets: Vec<Targets>,
    /// The sources of all patterns, grouped by pattern (see [`Targets`]).
    sources: Vec<Source>,
    decisive: DecisiveRegexes,
}

impl Clone for Matcher {
    fn clone(&self) -> Self {
        Matcher {
            ac: self.ac.clone(),
            table: self.table.clone(),
            patterns: self.patterns.clone(),
            scanned_by_table: AtomicU64::new(self.scanned_by_table.load(Ordering::Relaxed)),
            targets: self.targets.clone(),
            sources: self.sources.clone(),
            decisive: self.decisive.clone(),
        }
    }
}

/// How many bytes the prefix table scans (in texts of at most [`TABLE_TEXT_MAX`] bytes)
/// before the automaton is built.
const TABLE_BUDGET: u64 = 64 << 10;
/// Longer texts always use the automaton.
const TABLE_TEXT_MAX: usize = 4 << 10;

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
            match p.as_bytes() {
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
                if patterns.get(p as usize).as_bytes()[0] == rest[0] {
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
                let pat = patterns.get(p as usize).as_bytes();
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
        for (source, phrases, triggers) in sources {
            entries.extend(phrases.iter().map(|p| (p.as_str(), false, source)));
            entries.extend(triggers.iter().map(|t| (t.as_str(), true, source)));
            if Matcher::decisive(lex, source) {
                let regexes = match source {
                    Source::Rule(i) => &lex.rules[i].regexes,
                    Source::Gate(i) => &lex.gates[i].regexes,
                };
                decisive_patterns.extend(regexes.iter().map(|r| r.pattern().to_string()));
            }
        }
        // Pattern ids by first appearance. Hashing, not sorting: this runs at every
        // start-up, comparing thousands of phrases that share their first words costs more,
        // and the order of the patterns means nothing.
        let mut ids: HashMap<&str, u32> = HashMap::with_capacity(entries.len());
        let mut patterns = Patterns::default();
        let entry_ids: Vec<u32> = entries
            .iter()
            .map(|&(pattern, ..)| {
                *ids.entry(pattern).or_insert_with(|| {
                    patterns.push(pattern);
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
        Matcher {
            ac: OnceLock::new(),
            table: PrefixTable::new(&patterns),
            patterns,
            scanned_by_table: AtomicU64::new(0),
            targets,
            sources: grouped,
            decisive: DecisiveRegexes {
                patterns: decisive_patterns,
                asked: AtomicU32::new(0),
                compiled: OnceLock::new(),
            },
        }
    }

    /// The sources in a range of [`Matcher::sources`].
    fn sources_in(&self, (start, end): (u32, u32)) -> &[Source] {
        &self.sources[start as usize..end as usize]
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
        let mut emit = |pattern: u32, start: usize, end: usize| {
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
        };
        let use_table = self.ac.get().is_none()
            && bytes.len() <= TABLE_TEXT_MAX
            && self
                .scanned_by_table
                .fetch_add(bytes.len() as u64, Ordering::Relaxed)
                < TABLE_BUDGET;
        if use_table {
            self.table.find(&self.patterns, bytes, emit);
        } else if let Some(ac) = self.automaton() {
            for m in ac.find_overlapping_iter(norm.squeezed.as_str()) {
                emit(m.pattern().as_u32(), m.start(), m.end());
            }
        }
        Scan { matches }
    }

    /// Every automaton match, as [`Matcher::scan`] finds them before the automaton is built;
    /// for testing that both ways find the same.
    pub fn scan_both(&self, norm: &Normalized<'_>) -> (Vec<MatchTriple>, Vec<MatchTriple>) {
        let bytes = norm.squeezed.as_bytes();
        let mut table = Vec::new();
        self.table
            .find(&self.patterns, bytes, |p, s, e| table.push((p, s, e)));
        let mut automaton: Vec<MatchTriple> = self
            .automaton()
            .map(|ac| {
                ac.find_overlapping_iter(norm.squeezed.as_str())
                    .map(|m| (m.pattern().as_u32(), m.start(), m.end()))
                    .collect()
            })
            .unwrap_or_default();
        table.sort_unstable();
        automaton.sort_unstable();
        (table, automaton)
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
        // (source, sentence) pairs whose regexes should run.
        let mut regex_work: Vec<(Source, usize)> = Vec::new();
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
                    regex_work.extend(trigger.iter().map(|s| (*s, sentence)));
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
        let regexes_of = |source: Source| match source {
            Source::Rule(i) => &lex.rules[i].regexes,
            Source::Gate(i) => &lex.gates[i].regexes,
        };
        let hay_of = |sentence: usize| {
            let span = seg.sentences[sentence];
            (span.start, &lower.as_bytes()[span.start..span.end])
        };
        // A regex whose required literals are absent from a sentence cannot match there: it
        // is neither run nor, if no other sentence needs it, compiled.
        if regex_work
            .iter()
            .any(|w| regexes_of(w.0).iter().any(|r| !r.is_compiled()))
        {
            let mut needed: Vec<&LazyRegex> = regex_work
                .iter()
                .flat_map(|&(source, sentence)| {
                    let hay = hay_of(sentence).1;
                    regexes_of(source)
                        .iter()
                        .filter(move |r| !r.is_compiled() && r.has_required_literals(hay))
                })
                .collect();
            needed.sort_unstable_by_key(|r| *r as *const LazyRegex);
            needed.dedup_by_key(|r| *r as *const LazyRegex);
            LazyRegex::prepare(&needed);
        }
        for (source, sentence) in regex_work {
            let (offset, hay) = hay_of(sentence);
            for re in regexes_of(source) {
                if !re.may_match(hay) {
                    continue;
                }
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
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    }
}
