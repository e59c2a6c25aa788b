//! Stage 3: matching every lexicon phrase and regex against the normalized text.
//!
//! All literal phrases (rules and gates) and all regex triggers go into one Aho-Corasick
//! automaton, compiled once per [`crate::Analyzer`] and shared across threads. One pass over
//! the text finds every phrase; regexes run only on the sentences where one of their trigger
//! words occurred, so a text with nothing apology-shaped in it costs one automaton pass.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::lexicon::Lexicon;
use crate::normalize::Normalized;
use crate::segment::Segments;

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

#[derive(Debug, Clone, Default)]
struct Targets {
    /// Phrases: matches of the pattern are hits of these sources.
    phrase: Vec<Source>,
    /// Triggers: the pattern's presence lets these sources' regexes run.
    trigger: Vec<Source>,
}

/// The compiled matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    targets: Vec<Targets>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl Matcher {
    /// Compiles the matcher for a lexicon.
    pub fn new(lex: &Lexicon) -> Matcher {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Targets> = Vec::new();
        let mut slot = |p: &str, patterns: &mut Vec<String>, targets: &mut Vec<Targets>| {
            *index.entry(p.to_string()).or_insert_with(|| {
                patterns.push(p.to_string());
                targets.push(Targets::default());
                patterns.len() - 1
            })
        };
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
        for (source, phrases, triggers) in sources {
            for p in phrases {
                let i = slot(p, &mut patterns, &mut targets);
                targets[i].phrase.push(source);
            }
            for t in triggers {
                let i = slot(t, &mut patterns, &mut targets);
                targets[i].trigger.push(source);
            }
        }
        let ac = if patterns.is_empty() {
            None
        } else {
            // Standard semantics so that overlapping matches of different rules ("sorry" and
            // "sorry you feel") are all reported; context decides between them.
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()
        };
        Matcher { ac, targets }
    }

    /// Finds every hit, sorted by position. Phrases are matched on the squeezed text and
    /// mapped back to offsets in `norm.lower`; regexes run on `norm.lower` itself.
    pub fn find(&self, lex: &Lexicon, norm: &Normalized<'_>, seg: &Segments) -> Vec<Hit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let lower = norm.lower.as_str();
        let squeezed = norm.squeezed.as_str();
        let bytes = squeezed.as_bytes();
        let mut hits = Vec::new();
        // (source, sentence) pairs whose regexes should run.
        let mut regex_work: Vec<(Source, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(squeezed) {
            let t = &self.targets[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if !t.trigger.is_empty() {
                let sentence = seg.sentence_of(norm.unsqueeze(start));
                regex_work.extend(t.trigger.iter().map(|s| (*s, sentence)));
            }
            if t.phrase.is_empty() {
                continue;
            }
            let first = bytes[start];
            let last = bytes[end - 1];
            let left_ok = !is_word_byte(first) || start == 0 || !is_word_byte(bytes[start - 1]);
            let right_ok = !is_word_byte(last) || end == bytes.len() || !is_word_byte(bytes[end]);
            if left_ok && right_ok {
                let (start, end) = (norm.unsqueeze(start), norm.unsqueeze_end(end));
                hits.extend(t.phrase.iter().map(|&source| Hit { start, end, source }));
            }
        }
        regex_work.sort_unstable();
        regex_work.dedup();
        for (source, sentence) in regex_work {
            let regexes = match source {
                Source::Rule(i) => &lex.rules[i].regexes,
                Source::Gate(i) => &lex.gates[i].regexes,
            };
            let span = seg.sentences[sentence];
            let hay = &lower.as_bytes()[span.start..span.end];
            for re in regexes.iter().filter_map(|r| r.get()) {
                for m in re.find_iter(hay) {
                    // Byte classes like [^.!?] can stop inside a multi-byte char.
                    let mut start = span.start + m.start();
                    let mut end = span.start + m.end();
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
