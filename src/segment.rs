//! Stage 2: segmentation into sentences, clauses and quoted spans.
//!
//! Sentences come from Unicode sentence boundaries (UAX #29), adjusted for the way people
//! write comments: a lower-case sentence after a full stop still starts a new sentence
//! ("im sorry. i was wrong"), and a single line break inside a wrapped paragraph does not end
//! one. Over-long sentences are cut so that every later stage works on bounded pieces: this is
//! what keeps the analysis linear on text with no punctuation at all.

use unicode_segmentation::UnicodeSegmentation;

use crate::lexicon::{Lexicon, WordSet};

/// A half-open byte range `[start, end)` into the normalized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// Whether `other` lies within this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// The longest piece later stages look at at once; longer sentences are cut at a clause
/// boundary or white space.
pub const MAX_SENTENCE: usize = 600;

/// The segments of one normalized text.
#[derive(Debug, Clone, Default)]
pub struct Segments {
    /// Sentences in order; together they cover the text.
    pub sentences: Vec<Span>,
    /// Clauses in order, each inside one sentence.
    pub clauses: Vec<Span>,
    /// Paragraph index of each sentence (paragraphs are separated by blank lines).
    pub sentence_paragraph: Vec<usize>,
    /// Quoted spans (double quotes, single quotes that really quote, `>` reply lines).
    pub quoted: Vec<Span>,
    /// Where to look up an offset among the sentences and among the clauses.
    sentence_blocks: Blocks,
    clause_blocks: Blocks,
}

impl Segments {
    /// Index of the sentence containing byte `offset`.
    pub fn sentence_of(&self, offset: usize) -> usize {
        self.sentence_blocks
            .first_ending_after(&self.sentences, offset)
            .min(self.sentences.len().saturating_sub(1))
    }

    /// Index of the clause containing byte `offset`.
    pub fn clause_of(&self, offset: usize) -> usize {
        self.clause_blocks
            .first_ending_after(&self.clauses, offset)
            .min(self.clauses.len().saturating_sub(1))
    }

    /// Index of the sentence of clause `i`.
    pub fn clause_sentence(&self, i: usize) -> usize {
        self.sentence_of(self.clauses[i].start)
    }

    /// Whether `span` lies inside a quoted span.
    pub fn in_quote(&self, span: Span) -> bool {
        let i = self.quoted.partition_point(|q| q.end < span.end);
        self.quoted[..i.min(self.quoted.len())]
            .iter()
            .rev()
            .take(4)
            .chain(self.quoted.get(i))
            .any(|q| q.contains(span))
    }
}

/// Segments a normalized text (`text` keeps case; `lower` is its lower-case copy).
pub fn segment(text: &str, lower: &str, words: &ClauseWords) -> Segments {
    let sentences = sentences(text, lower);
    let mut paragraph = 0;
    let mut sentence_paragraph = Vec::with_capacity(sentences.len());
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 && text[..s.start].ends_with("\n\n") {
            paragraph += 1;
        }
        sentence_paragraph.push(paragraph);
    }
    let mut clauses = Vec::new();
    for s in &sentences {
        clauses_of(lower, *s, words, &mut clauses);
    }
    Segments {
        quoted: quotes(text),
        sentence_blocks: Blocks::new(&sentences),
        clause_blocks: Blocks::new(&clauses),
        sentences,
        clauses,
        sentence_paragraph,
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\'' || b >= 0x80
}

fn sentences(text: &str, lower: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut raw: Vec<Span> = Vec::new();
    for (start, s) in text.split_sentence_bound_indices() {
        let end = start + s.len();
        // A single line break inside a paragraph is a soft wrap when the next line starts in
        // lower case and the line does not end a sentence.
        if let Some(prev) = raw.last_mut() {
            let prev_text = &text[prev.start..prev.end];
            let soft = prev_text.ends_with('\n')
                && !prev_text.ends_with("\n\n")
                && !prev_text
                    .trim_end()
                    .ends_with(['.', '!', '?', ':', ';', ')', '"'])
                && s.chars().next().is_some_and(|c| c.is_lowercase());
            if soft {
                prev.end = end;
                continue;
            }
        }
        raw.push(Span { start, end });
    }
    // UAX #29 keeps "sorry. i was wrong" together because a lower-case word follows the
    // full stop; comments are written that way, so split there unless the word before the
    // stop is an abbreviation.
    let mut out = Vec::with_capacity(raw.len());
    for s in raw {
        let mut start = s.start;
        let mut i = s.start;
        while i < s.end {
            let b = bytes[i];
            if matches!(b, b'.' | b'!' | b'?') {
                let mut j = i + 1;
                while j < s.end && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b')') {
                    j += 1;
                }
                if j < s.end
                    && bytes[j] == b' '
                    && j + 1 < s.end
                    && bytes[j + 1].is_ascii_lowercase()
                {
                    // Step past the whole separator char: it may be multi-byte (U+FE0F).
                    let word_start = lower[start..i]
                        .char_indices()
                        .rev()
                        .find(|&(_, c)| !c.is_ascii_alphanumeric())
                        .map_or(start, |(p, c)| start + p + c.len_utf8());
                    let word = &lower[word_start..i];
                    let abbrev = word.len() <= 1 && b == b'.'
                        || matches!(
                            word,
                            "e.g"
                                | "i.e"
                                | "etc"
                                | "vs"
                                | "mr"
                                | "mrs"
                                | "ms"
                                | "dr"
                                | "st"
                                | "jr"
                                | "sr"
                                | "approx"
                                | "no"
                                | "p"
                                | "pp"
                                | "cf"
                                | "ca"
                                | "inc"
                                | "co"
                        );
                    if !abbrev {
                        out.push(Span { start, end: j + 1 });
                        start = j + 1;
                    }
                }
                i = j;
            } else {
                i += 1;
            }
        }
        if start < s.end {
            out.push(Span { start, end: s.end });
        }
    }
    // White space alone is not a sentence: it joins the sentence before it.
    let mut merged: Vec<Span> = Vec::with_capacity(out.len());
    for s in out {
        let blank = text[s.start..s.end].trim().is_empty();
        match merged.last_mut() {
            Some(prev) if blank => prev.end = s.end,
            _ => merged.push(s),
        }
    }
    let mut bounded = Vec::with_capacity(merged.len());
    for s in merged {
        cut_long(lower, s, &mut bounded);
    }
    if bounded.is_empty() {
        bounded.push(Span {
            start: 0,
            end: text.len(),
        });
    }
    bounded
}

/// Cuts a span longer than [`MAX_SENTENCE`] at the last clause punctuation or space before the
/// limit (or, in a run with neither, at a char boundary).
fn cut_long(lower: &str, s: Span, out: &mut Vec<Span>) {
    let bytes = lower.as_bytes();
    let mut start = s.start;
    while s.end - start > MAX_SENTENCE {
        let mut limit = start + MAX_SENTENCE;
        while !lower.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &bytes[start..limit];
        let cut = window
            .iter()
            .rposition(|&b| matches!(b, b',' | b';' | b':'))
            .filter(|&p| p > MAX_SENTENCE / 2)
            .or_else(|| window.iter().rposition(|&b| b == b' ').filter(|&p| p > 0))
            .map_or(limit, |p| start + p + 1);
        out.push(Span { start, end: cut });
        start = cut;
    }
    if start < s.end {
        out.push(Span { start, end: s.end });
    }
}

/// The words that open a clause inside a sentence (`lexicons/classes.toml`).
#[derive(Debug, Clone, Default)]
pub struct ClauseWords {
    /// Open a new clause wherever they follow a space: "but", "although", "that said".
    openers: WordSet,
    /// Open one only before a new subject: "and", "so", "or".
    conjunctions: WordSet,
    /// The new subjects after such a conjunction: "and I", "so they".
    subjects: WordSet,
}

impl ClauseWords {
    /// The class ids the segmenter reads.
    pub const IDS: &'static [&'static str] =
        &["clause_opener", "clause_conjunction", "clause_subject"];

    /// The clause classes of a lexicon; a class it lacks is empty.
    pub fn of(lex: &Lexicon) -> ClauseWords {
        ClauseWords {
            openers: WordSet::of(lex, "clause_opener"),
            conjunctions: WordSet::of(lex, "clause_conjunction"),
            subjects: WordSet::of(lex, "clause_subject"),
        }
    }

    /// Whether the words at the start of `rest` open a clause.
    fn open_clause(&self, rest: &str) -> bool {
        // This runs at every space of every text: most words open nothing, and one lookup
        // of the first word tells so before the next words are read.
        let mut first = [""; 1];
        if leading_words(rest, &mut first) == 0
            || !(self.openers.may_start(first[0]) || self.conjunctions.contains(first[0]))
        {
            return false;
        }
        let mut words = [""; 4];
        let n = leading_words(rest, &mut words);
        let words = &words[..n];
        if self.openers.prefix_len(words).is_some() {
            return true;
        }
        words.len() > 1
            && self.conjunctions.contains(words[0])
            && self.subjects.prefix_len(&words[1..]).is_some()
    }
}

/// Fills `out` with the words that start `rest`, each after a single space, and returns how
/// many: "that said, we" gives "that", "said". A clause opener is written as one run.
fn leading_words<'a>(rest: &'a str, out: &mut [&'a str]) -> usize {
    let mut n = 0;
    let mut at = 0;
    while n < out.len() {
        let len = rest[at..]
            .bytes()
            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'\'')
            .count();
        if len == 0 {
            break;
        }
        out[n] = &rest[at..at + len];
        n += 1;
        at += len;
        if rest.as_bytes().get(at) != Some(&b' ') {
            break;
        }
        at += 1;
    }
    n
}

/// Appends the clauses of sentence `s` to `out`.
fn clauses_of(lower: &str, s: Span, words: &ClauseWords, out: &mut Vec<Span>) {
    let bytes = lower.as_bytes();
    let first = out.len();
    let mut start = s.start;
    let mut i = s.start;
    while i < s.end {
        let b = bytes[i];
        let mut cut_after = None;
        let mut cut_before = None;
        match b {
            b',' | b';' | b':' | b'(' | b')' => cut_after = Some(i + 1),
            b'-' if i > s.start && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' ') => {
                cut_after = Some(i + 1)
            }
            b' ' if words.open_clause(&lower[i + 1..s.end]) => cut_before = Some(i + 1),
            _ => {}
        }
        if let Some(c) = cut_after.or(cut_before) {
            if c > start && lower[start..c].bytes().any(is_word_byte) {
                out.push(Span { start, end: c });
                start = c;
            }
        }
        i += 1;
    }
    if start < s.end {
        if lower[start..s.end].bytes().any(is_word_byte) || out.len() == first {
            out.push(Span { start, end: s.end });
        } else if let Some(last) = out.last_mut() {
            last.end = s.end;
        }
    }
}

/// Bytes per block of [`Blocks`].
const BLOCK_SHIFT: u32 = 8;

/// For spans in order (sorted by end), the first span ending after the start of each block
/// of 256 bytes of the text: an offset is looked up among the few spans of its block. Every
/// pass asks for the sentence and clause of every match, and a binary search over all the
/// clauses of a long text (a quarter of a million for 2 MB of "sorry but if you") missed
/// the cache at most of its steps.
#[derive(Debug, Clone, Default)]
struct Blocks {
    first: Vec<usize>,
    /// How many spans the index was made for: spans changed since are searched whole.
    spans: usize,
}

impl Blocks {
    fn new(spans: &[Span]) -> Blocks {
        let Some(last) = spans.last() else {
            return Blocks::default();
        };
        let n = (last.end >> BLOCK_SHIFT) + 2;
        let mut first = Vec::with_capacity(n);
        let mut i = 0;
        for b in 0..n {
            let at = b << BLOCK_SHIFT;
            while i < spans.len() && spans[i].end <= at {
                i += 1;
            }
            first.push(i);
        }
        Blocks {
            first,
            spans: spans.len(),
        }
    }

    /// `spans.partition_point(|s| s.end <= offset)`.
    fn first_ending_after(&self, spans: &[Span], offset: usize) -> usize {
        let b = offset >> BLOCK_SHIFT;
        match (self.first.get(b), self.first.get(b + 1)) {
            (Some(&lo), Some(&hi)) if self.spans == spans.len() => {
                lo + spans[lo..hi].partition_point(|s| s.end <= offset)
            }
            _ => spans.partition_point(|s| s.end <= offset),
        }
    }
}

/// Finds quoted spans. Double quotes pair up in order. A single quote opens a quote only
/// after white space or an opening bracket and before a letter, and only when a closing
/// quote follows within the paragraph: so "don't", "'90s" and "the kids' room" never open
/// one. A line starting with `>` quotes someone else, as in e-mail and forum replies.
fn quotes(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut open_double: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let line_start = i == 0 || bytes[i - 1] == b'\n';
        if line_start && b == b'>' {
            let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |p| i + p);
            out.push(Span { start: i, end });
            i = end;
            continue;
        }
        if b == b'\n' && i + 1 < bytes.len() && bytes[i + 1] == b'\n' {
            // A quote never runs past a paragraph.
            open_double = None;
        }
        if b == b'"' {
            match open_double.take() {
                Some(s) => out.push(Span {
                    start: s,
                    end: i + 1,
                }),
                None => open_double = Some(i),
            }
        } else if b == b'\'' {
            let opens = (i == 0 || matches!(bytes[i - 1], b' ' | b'\n' | b'(' | b'[' | b':'))
                && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic());
            if opens {
                if let Some(close) = closing_single(bytes, i + 1) {
                    out.push(Span {
                        start: i,
                        end: close + 1,
                    });
                    i = close + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.sort();
    out
}

fn closing_single(bytes: &[u8], from: usize) -> Option<usize> {
    let limit = (from + 400).min(bytes.len());
    let mut j = from;
    while j < limit {
        match bytes[j] {
            b'\n' if bytes.get(j + 1) == Some(&b'\n') => return None,
            b'\'' => {
                let before_ok = j > from && !matches!(bytes[j - 1], b' ' | b'\n');
                let after = bytes.get(j + 1).copied();
                let after_ok = after.is_none_or(|c| !c.is_ascii_alphanumeric());
                // "kids' " is a plural possessive, not a close, when a noun follows.
                let plural_possessive = bytes[j - 1] == b's'
                    && after == Some(b' ')
                    && bytes.get(j + 2).is_some_and(|c| c.is_ascii_lowercase());
                if before_ok && after_ok && !plural_possessive {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibyte_char_before_a_full_stop() {
        // A variation selector right before ". " once split a char in the abbreviation check.
        let text = "see you guys again in december \u{fe0f}. next time";
        let seg = segment(text, &text.to_lowercase(), &clause_words());
        assert!(!seg.sentences.is_empty());
        for sp in &seg.sentences {
            assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end));
        }
    }

    #[test]
    fn offsets_are_looked_up_as_by_a_search_over_all_spans() {
        let mut t = String::new();
        for i in 0..400 {
            t.push_str(
                [
                    "Sorry, but ",
                    "I was late. ",
                    "no punctuation here ",
                    "ok!\n\n",
                ][i % 4],
            );
            t.push_str(&"x".repeat(i % 37));
        }
        t.push_str(&"sorry but if you ".repeat(100));
        let (s, _) = seg(&t);
        assert!(s.clauses.len() > 300);
        for offset in 0..=t.len() + 300 {
            let by_search = |spans: &[Span]| {
                spans
                    .partition_point(|x| x.end <= offset)
                    .min(spans.len() - 1)
            };
            assert_eq!(s.sentence_of(offset), by_search(&s.sentences), "{offset}");
            assert_eq!(s.clause_of(offset), by_search(&s.clauses), "{offset}");
        }
    }

    fn clause_words() -> ClauseWords {
        ClauseWords::of(&Lexicon::builtin().expect("built-in lexicon"))
    }

    fn seg(t: &str) -> (Segments, String) {
        let lower = t.to_ascii_lowercase();
        (segment(t, &lower, &clause_words()), lower)
    }

    fn texts<'a>(t: &'a str, spans: &[Span]) -> Vec<&'a str> {
        spans.iter().map(|s| t[s.start..s.end].trim()).collect()
    }

    #[test]
    fn lower_case_sentences_split() {
        let t = "im sorry. i was wrong! it won't happen again";
        let (s, _) = seg(t);
        assert_eq!(
            texts(t, &s.sentences),
            ["im sorry.", "i was wrong!", "it won't happen again"]
        );
    }

    #[test]
    fn abbreviations_do_not_split() {
        let t = "Sorry, e.g. the meeting vs. the call was my fault.";
        let (s, _) = seg(t);
        assert_eq!(s.sentences.len(), 1);
    }

    #[test]
    fn soft_wraps_join_and_blank_lines_split() {
        let t = "I am sorry that I\nmissed it\n\nIt was wrong";
        let (s, _) = seg(t);
        assert_eq!(
            texts(t, &s.sentences),
            ["I am sorry that I\nmissed it", "It was wrong"]
        );
        assert_eq!(s.sentence_paragraph, [0, 1]);
    }

    #[test]
    fn clauses_split_at_but_and_new_subjects() {
        let t = "I'm sorry I yelled but you provoked me and you know it";
        let (s, _) = seg(t);
        assert_eq!(
            texts(t, &s.clauses),
            [
                "I'm sorry I yelled",
                "but you provoked me",
                "and you know it"
            ]
        );
    }

    #[test]
    fn a_conjunction_without_a_new_subject_joins_words() {
        let t = "Sorry and thanks, that said we fixed it";
        let (s, _) = seg(t);
        assert_eq!(
            texts(t, &s.clauses),
            ["Sorry and thanks,", "that said we fixed it"]
        );
    }

    #[test]
    fn a_user_lexicon_widens_the_clause_classes() {
        let t = "sorry nevertheless you started it and mum was there";
        let mut lex = Lexicon::builtin().expect("built-in lexicon");
        let before = segment(t, t, &ClauseWords::of(&lex));
        assert_eq!(texts(t, &before.clauses), [t]);
        let src = r#"
            [[class]]
            id = "clause_opener"
            description = "More openers."
            words = ["nevertheless"]
            [[class]]
            id = "clause_subject"
            description = "More subjects."
            words = ["mum"]
        "#;
        lex.add_source("test", src).expect("a valid lexicon");
        let after = segment(t, t, &ClauseWords::of(&lex));
        assert_eq!(
            texts(t, &after.clauses),
            ["sorry", "nevertheless you started it", "and mum was there"]
        );
    }

    #[test]
    fn apostrophes_never_open_quotes() {
        let t = "I don't think the '90s were the kids' fault, he said 'it's your fault' to me";
        let (s, _) = seg(t);
        assert_eq!(texts(t, &s.quoted), ["'it's your fault'"]);
    }

    #[test]
    fn double_quotes_and_reply_lines() {
        let t = "> you never listen\nHe said \"sorry\" and left";
        let (s, _) = seg(t);
        assert_eq!(texts(t, &s.quoted), ["> you never listen", "\"sorry\""]);
    }

    #[test]
    fn long_runs_are_cut() {
        let t = "sorry but if you ".repeat(200);
        let (s, _) = seg(&t);
        assert!(s.sentences.iter().all(|x| x.end - x.start <= MAX_SENTENCE));
        assert_eq!(s.sentences.first().map(|x| x.start), Some(0));
        assert_eq!(s.sentences.last().map(|x| x.end), Some(t.len()));
    }
}
