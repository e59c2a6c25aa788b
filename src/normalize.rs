//! Stage 1: normalization.
//!
//! Rules are written once, against plain ASCII punctuation and lower case, so the text they
//! run on is normalized: curly quotes and apostrophes become straight, dashes and ellipses
//! become ASCII, runs of white space collapse, invisible characters vanish, and a lower-case
//! copy is kept for matching. Every normalized byte maps back to a byte offset of the original
//! text, so findings always point into what the user wrote.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::lexicon::{Lexicon, WordSet};

/// The words that decide which adverbs come out of the squeezed text
/// (`lexicons/classes.toml`).
#[derive(Debug, Clone, Default)]
pub struct SqueezeWords {
    /// Subjects and auxiliaries an adverb is dropped after: "i", "was", "have".
    after: WordSet,
    /// Intensifiers and manner adverbs dropped there: "deeply", "totally", "accidentally".
    intensifier: WordSet,
    /// Intensifiers dropped only right after a first-person subject: "i so regret" loses
    /// "so", "i'm so sorry" keeps it.
    subject_intensifier: WordSet,
    /// Those subjects.
    subject: WordSet,
    /// Words in -ly that are no manner adverb ("reply", "only"): every other -ly word right
    /// after a first-person subject comes out ("we unreservedly regret").
    ly_not_manner: WordSet,
    /// Hesitations of talk ("uh", "um"): they come out with the commas that set them off,
    /// so that "i feel, uh, sorry for them" reads as "i feel sorry for them".
    hesitation: WordSet,
    /// Words that cannot end a clause: only after them does a hesitation take its commas.
    hesitation_glue: WordSet,
    /// Words whose doubling means something ("yeah, yeah"): never read once.
    doubled: WordSet,
    /// Words whose stretched spellings ("sorrrry", "soooo", "fiiine") are read as the word,
    /// as runs of one letter: "sorry" is s1 o1 r2 y1. The apology words of heads are among
    /// them, so that no later stage needs to know stretches.
    stretchable: Vec<Vec<(u8, usize)>>,
}

impl SqueezeWords {
    /// The class ids the normalizer reads.
    pub const IDS: &'static [&'static str] = &[
        "squeeze_after",
        "intensifier",
        "subject_intensifier",
        "squeeze_subject",
        "ly_not_manner",
        "hesitation",
        "hesitation_glue",
        "doubled_word",
        "stretchable",
        "head_word",
    ];

    /// The squeeze classes of a lexicon; a class it lacks is empty.
    pub fn of(lex: &Lexicon) -> SqueezeWords {
        SqueezeWords {
            after: WordSet::of(lex, "squeeze_after"),
            intensifier: WordSet::of(lex, "intensifier"),
            subject_intensifier: WordSet::of(lex, "subject_intensifier"),
            subject: WordSet::of(lex, "squeeze_subject"),
            ly_not_manner: WordSet::of(lex, "ly_not_manner"),
            hesitation: WordSet::of(lex, "hesitation"),
            hesitation_glue: WordSet::of(lex, "hesitation_glue"),
            doubled: WordSet::of(lex, "doubled_word"),
            stretchable: ["stretchable", "head_word"]
                .iter()
                .flat_map(|id| {
                    WordSet::of(lex, id)
                        .iter()
                        .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
                        .map(|w| letter_runs(w.as_bytes()))
                        .collect::<Vec<_>>()
                })
                .collect(),
        }
    }

    /// The classes of the built-in lexicon, read once.
    pub fn builtin() -> &'static SqueezeWords {
        static BUILTIN: OnceLock<SqueezeWords> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Lexicon::builtin()
                .map(|lex| SqueezeWords::of(&lex))
                .unwrap_or_default()
        })
    }

    fn is_intensifier(&self, word: &str) -> bool {
        self.intensifier.contains(word) || self.subject_intensifier.contains(word)
    }

    /// Whether `word` comes out after `prev`.
    fn drops(&self, prev: &str, word: &str) -> bool {
        let after_subject = self.subject.contains(prev);
        self.after.contains(prev)
            && (self.intensifier.contains(word)
                || (after_subject
                    && (self.subject_intensifier.contains(word) || self.manner_adverb(word))))
    }

    /// The byte offsets of `text` to drop so that every stretched spelling of a
    /// stretchable word reads as the word: of "Sorrrry" two r's go. Rules and gates
    /// are written against the word; a stretch must not carry an apology past the gate
    /// that would read it as a refusal or a request.
    fn stretch_drops(&self, text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut drops = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            // A stretch has a letter held; most words are too short or have none.
            let word = &bytes[start..i];
            if word.len() < 3 || !word.windows(2).any(|p| p[0] == p[1]) {
                continue;
            }
            let runs = letter_runs(&word.to_ascii_lowercase());
            // A word of the class as written is no stretch of a shorter one ("sorry" of a
            // "sory" a user lexicon adds).
            if self.stretchable.contains(&runs) {
                continue;
            }
            // The nearest word it stretches: "sorrrry" is "sorry", not a shorter "sory".
            let Some(base) = self
                .stretchable
                .iter()
                .filter(|base| stretches(base, &runs))
                .max_by_key(|base| base.iter().map(|r| r.1).sum::<usize>())
            else {
                continue;
            };
            // Keep as many letters of each run as the word has: the first ones of its first
            // run and the last ones of every other, so that a finding that starts or ends
            // with the word takes in the whole stretch of the original.
            let mut at = start;
            for (n, (&(_, held), &(_, kept))) in runs.iter().zip(base).enumerate() {
                if n == 0 {
                    drops.extend(at + kept..at + held);
                } else {
                    drops.extend(at..at + held - kept);
                }
                at += held;
            }
        }
        drops
    }

    /// The byte offsets of `text` to drop so that a word said twice over a comma, as talk
    /// repeats itself ("I, I think", "the, the what", "that's, that's terrible"), reads
    /// once: the first saying and its comma and space go. Rules and gates are written for
    /// the clause as meant, and a stutter between "sorry" and "I think" must not hide it.
    fn stutter_drops(&self, text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let is_word = |b: u8| b.is_ascii_alphabetic() || b == b'\'';
        let mut drops = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !is_word(bytes[i]) || (i > 0 && is_word(bytes[i - 1])) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            let word = &bytes[start..i];
            if bytes.get(i) != Some(&b',') {
                continue;
            }
            let next = i + 1 + bytes[i + 1..].iter().take_while(|b| **b == b' ').count();
            let again = next > i + 1
                && bytes.len() >= next + word.len()
                && bytes[next..next + word.len()].eq_ignore_ascii_case(word)
                && !bytes.get(next + word.len()).is_some_and(|b| is_word(*b));
            if again && !self.doubled.contains(&text[start..i].to_ascii_lowercase()) {
                drops.extend(start..next);
            }
        }
        drops
    }

    /// Whether a word reads as a manner or degree adverb by its form: "unbelievably",
    /// "unequivocally". The list of intensifiers cannot hold them all.
    fn manner_adverb(&self, word: &str) -> bool {
        word.len() > 4 && word.ends_with("ly") && !self.ly_not_manner.contains(word)
    }
}

/// A normalized text with its map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    original: &'a str,
    /// Normalized text, letter case kept (sentence segmentation needs case): the original
    /// itself when normalizing changes nothing, as for most comments.
    pub text: Cow<'a, str>,
    /// `text` with ASCII letters lower-cased: same length, same offsets.
    pub lower: String,
    /// `lower` with degree and manner adverbs after a subject or auxiliary taken out
    /// ("i deeply hurt you" reads "i hurt you"), so that one lexicon phrase covers the
    /// adverbs people put inside it. Phrases are matched here and mapped back. `None` when
    /// no word was taken out: then it is `lower` ([`Normalized::squeezed`]).
    squeezed: Option<String>,
    /// `(squeezed offset, lower offset)` after every removed word.
    squeeze_map: Vec<(usize, usize)>,
    /// `(normalized offset, original offset)` at every point where the two stop moving in
    /// step. Between checkpoints the offsets advance together. Plain ASCII text needs only the
    /// first checkpoint, so the map costs nothing on the common case.
    checkpoints: Vec<(usize, usize)>,
    /// Whether a word said twice over a comma was read once ("I, I think"): a mark of
    /// talk that the text no longer shows.
    pub stuttered: bool,
}

/// What one original character becomes.
enum Out {
    Keep,
    Replace(&'static str),
    Drop,
    Space,
    Newline,
}

fn classify(c: char) -> Out {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
        | '\u{00B4}' | '`' => Out::Replace("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => Out::Replace("\""),
        // Dashes separate clauses; spacing them keeps "sorry—but" two words.
        '\u{2014}' | '\u{2013}' | '\u{2012}' | '\u{2015}' | '\u{2212}' => Out::Replace(" - "),
        '\u{2026}' => Out::Replace("..."),
        '\u{FF01}' => Out::Replace("!"),
        '\u{FF1F}' => Out::Replace("?"),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Out::Drop,
        '\n' | '\u{2028}' | '\u{2029}' | '\u{0085}' => Out::Newline,
        c if c.is_whitespace() || c.is_control() => Out::Space,
        _ => Out::Keep,
    }
}

impl<'a> Normalized<'a> {
    /// Normalizes `original`, squeezing with the built-in classes.
    pub fn new(original: &'a str) -> Normalized<'a> {
        Normalized::with(original, SqueezeWords::builtin())
    }

    /// Normalizes `original`, squeezing out the adverbs `words` name.
    pub fn with(original: &'a str, words: &SqueezeWords) -> Normalized<'a> {
        let mut drops = words.stretch_drops(original);
        let stutters = words.stutter_drops(original);
        let stuttered = !stutters.is_empty();
        if stuttered {
            drops.extend(stutters);
            drops.sort_unstable();
            drops.dedup();
        }
        if drops.is_empty() && is_already_normal(original.as_bytes()) {
            // Most comments are plain ASCII with single spaces: nothing to replace, and the
            // map back to the original is the identity.
            let text = Cow::Borrowed(original);
            let lower = text.to_ascii_lowercase();
            let (squeezed, squeeze_map) = squeeze(&lower, words);
            return Normalized {
                original,
                text,
                lower,
                squeezed,
                squeeze_map,
                checkpoints: vec![(0, 0)],
                stuttered: false,
            };
        }
        Normalized {
            stuttered,
            ..Normalized::general(original, words, &drops)
        }
    }

    /// The normalization of any text; [`Normalized::new`] takes a shortcut for text that it
    /// would leave as it is.
    /// `drops` are byte offsets of `original` to leave out, sorted.
    fn general(original: &'a str, words: &SqueezeWords, drops: &[usize]) -> Normalized<'a> {
        let mut text = String::with_capacity(original.len());
        let mut checkpoints = vec![(0usize, 0usize)];
        let mut pending_ws: Option<(usize, usize, usize)> = None; // (orig start, orig end, newlines)

        let flush_ws = |text: &mut String,
                        checkpoints: &mut Vec<(usize, usize)>,
                        ws: (usize, usize, usize)| {
            let (o_start, o_end, newlines) = ws;
            let rep = match newlines {
                0 => " ",
                1 => "\n",
                _ => "\n\n",
            };
            let verbatim = &original[o_start..o_end] == rep;
            if !verbatim {
                checkpoints.push((text.len(), o_start));
            }
            text.push_str(rep);
            if !verbatim {
                checkpoints.push((text.len(), o_end));
            }
        };

        let mut drops = drops.iter().peekable();
        for (i, c) in original.char_indices() {
            let end = i + c.len_utf8();
            let held = drops.next_if_eq(&&i).is_some();
            let out = if held { Out::Drop } else { classify(c) };
            match out {
                Out::Space | Out::Newline => {
                    let nl = usize::from(matches!(classify(c), Out::Newline));
                    pending_ws = Some(match pending_ws {
                        Some((s, _, n)) => (s, end, n + nl),
                        None => (i, end, nl),
                    });
                    continue;
                }
                _ => {}
            }
            if let Some(ws) = pending_ws.take() {
                flush_ws(&mut text, &mut checkpoints, ws);
            }
            match out {
                Out::Keep => {
                    let (n, o) = checkpoints[checkpoints.len() - 1];
                    if text.len() as isize - n as isize != i as isize - o as isize {
                        checkpoints.push((text.len(), i));
                    }
                    text.push(c);
                }
                Out::Replace(rep) => {
                    checkpoints.push((text.len(), i));
                    text.push_str(rep);
                    checkpoints.push((text.len(), end));
                }
                Out::Drop => {
                    checkpoints.push((text.len(), end));
                }
                Out::Space | Out::Newline => unreachable!("handled above"),
            }
        }
        if let Some(ws) = pending_ws.take() {
            flush_ws(&mut text, &mut checkpoints, ws);
        }
        let lower = text.to_ascii_lowercase();
        let (squeezed, squeeze_map) = squeeze(&lower, words);
        Normalized {
            original,
            text: Cow::Owned(text),
            lower,
            squeezed,
            squeeze_map,
            checkpoints,
            stuttered: false,
        }
    }

    /// `lower` with degree and manner adverbs after a subject or auxiliary taken out
    /// ("i deeply hurt you" reads "i hurt you"), so that one lexicon phrase covers the
    /// adverbs people put inside it. Phrases are matched here and mapped back.
    pub fn squeezed(&self) -> &str {
        self.squeezed.as_deref().unwrap_or(&self.lower)
    }

    /// The stretches of `lower` taken out of the squeezed text, each a word and the space
    /// after it, in order: what a scan of the squeezed text cannot see.
    pub fn squeezed_out(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut prev = (0, 0);
        self.squeeze_map.iter().map(move |&(s, l)| {
            let removed = (l - prev.1) - (s - prev.0);
            prev = (s, l);
            (l - removed, l)
        })
    }

    /// Maps an offset in `squeezed` to the offset in `lower`. A removed word sits before
    /// the checkpoint, so offsets at a checkpoint land after it (a match starting there
    /// starts at the kept word).
    pub fn unsqueeze(&self, offset: usize) -> usize {
        let idx = self.squeeze_map.partition_point(|c| c.0 <= offset);
        match idx {
            0 => offset,
            i => {
                let (s, l) = self.squeeze_map[i - 1];
                l + (offset - s)
            }
        }
    }

    /// Like [`Normalized::unsqueeze`] for an end offset: an end at a checkpoint stays before
    /// the removed word.
    pub fn unsqueeze_end(&self, offset: usize) -> usize {
        let idx = self.squeeze_map.partition_point(|c| c.0 < offset);
        match idx {
            0 => offset,
            i => {
                let (s, l) = self.squeeze_map[i - 1];
                l + (offset - s)
            }
        }
    }

    /// The text this was made from.
    pub fn original(&self) -> &'a str {
        self.original
    }

    /// Maps a normalized byte offset to a byte offset in the original text. Offsets inside a
    /// replaced character land on that character's start; the result is always a char
    /// boundary of the original.
    pub fn to_original(&self, offset: usize) -> usize {
        let idx = self.checkpoints.partition_point(|c| c.0 <= offset);
        let (n, o) = self.checkpoints[idx.saturating_sub(1)];
        let mut orig = o + (offset - n);
        if let Some(&(_, next_o)) = self.checkpoints.get(idx) {
            orig = orig.min(next_o);
        }
        let mut orig = orig.min(self.original.len());
        while !self.original.is_char_boundary(orig) {
            orig -= 1;
        }
        orig
    }

    /// Maps a normalized end offset, rounding forward to a char boundary of the original.
    pub fn to_original_end(&self, offset: usize) -> usize {
        let idx = self.checkpoints.partition_point(|c| c.0 < offset);
        let (n, o) = self.checkpoints[idx.saturating_sub(1)];
        let mut orig = o + (offset - n.min(offset));
        if let Some(&(_, next_o)) = self.checkpoints.get(idx) {
            orig = orig.min(next_o);
        }
        let mut orig = orig.min(self.original.len());
        while !self.original.is_char_boundary(orig) {
            orig += 1;
        }
        orig
    }
}

/// Whether normalizing `bytes` would give them back unchanged: printable ASCII other than
/// the backtick, and white space only in runs that normalize to themselves (a single space,
/// a single line break, one blank line).
fn is_already_normal(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\n' => {
                let run = bytes[i..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\n'))
                    .count();
                let verbatim = matches!(&bytes[i..i + run], b" " | b"\n" | b"\n\n");
                if !verbatim {
                    return false;
                }
                i += run;
            }
            b'`' => return false,
            0x21..=0x7e => i += 1,
            _ => return false,
        }
    }
    true
}

/// Removes adverbs that follow a subject or auxiliary. Returns the squeezed text (`None` when
/// nothing was removed) and the checkpoints back to `lower`.
fn squeeze(lower: &str, words: &SqueezeWords) -> (Option<String>, Vec<(usize, usize)>) {
    let bytes = lower.as_bytes();
    let mut out = String::new();
    let mut map = Vec::new();
    let mut copied = 0; // bytes of `lower` copied so far
    let mut prev_word: &str = "";
    let mut last_dropped = false;
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'\'') {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'\'') {
            i += 1;
        }
        let word = &lower[start..i];
        let follows_space = start > 0 && bytes[start - 1] == b' ';
        let then_space = bytes.get(i) == Some(&b' ');
        // "I deeply and sincerely apologize": an "and" between two dropped adverbs goes too.
        // Only before a space (as `droppable` needs anyway) is `i + 1` a char boundary.
        let joins_adverbs = word == "and" && last_dropped && then_space && {
            let rest = &lower[(i + 1).min(lower.len())..];
            let next = rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
                .next()
                .unwrap_or("");
            words.is_intensifier(next)
        };
        if words.hesitation.contains(word)
            && (prev_word.is_empty() || words.hesitation_glue.contains(prev_word))
        {
            if let Some((from, to)) = hesitation_span(bytes, start, i).filter(|s| s.0 >= copied) {
                if out.is_empty() && copied == 0 {
                    out.reserve(lower.len());
                }
                out.push_str(&lower[copied..from]);
                copied = to;
                i = to;
                map.push((out.len(), copied));
                continue;
            }
        }
        let droppable = follows_space
            && then_space
            && (words.drops(prev_word, word) || (joins_adverbs && words.after.contains(prev_word)));
        if droppable {
            if out.is_empty() && copied == 0 {
                out.reserve(lower.len());
            }
            out.push_str(&lower[copied..start]);
            copied = i + 1; // the word and the space after it
            i += 1;
            map.push((out.len(), copied));
            // The subject stays the previous word, so runs of adverbs all drop.
            last_dropped = true;
            continue;
        }
        last_dropped = false;
        prev_word = word;
    }
    if map.is_empty() {
        // Nothing taken out: the squeezed text is `lower` itself, not a copy of it.
        return (None, map);
    }
    out.push_str(&lower[copied..]);
    (Some(out), map)
}

/// The bytes a hesitation at `start..end` takes out with it: the comma and space before it,
/// or the space, and a comma after it, leaving one space between the words around it
/// ("feel, uh, sorry" becomes "feel sorry"). `None` when it stands against other
/// punctuation, which it leaves as it is.
fn hesitation_span(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let before = &bytes[..start];
    let from = if before.ends_with(b", ") {
        start - 2
    } else if before.ends_with(b" ") {
        start - 1
    } else if start == 0 {
        start
    } else {
        return None;
    };
    let after = &bytes[end..];
    let to = if after.starts_with(b",") || (from == start && after.starts_with(b" ")) {
        end + 1
    } else if after.starts_with(b" ") || after.is_empty() {
        end
    } else {
        return None;
    };
    Some((from, to))
}

/// A word as runs of one byte: "sorry" is s1 o1 r2 y1.
fn letter_runs(word: &[u8]) -> Vec<(u8, usize)> {
    let mut runs: Vec<(u8, usize)> = Vec::new();
    for &b in word {
        match runs.last_mut() {
            Some(last) if last.0 == b => last.1 += 1,
            _ => runs.push((b, 1)),
        }
    }
    runs
}

/// Whether `runs` spell `base` with some letter held longer: the same letters in the same
/// order, each run as long or longer, one longer.
fn stretches(base: &[(u8, usize)], runs: &[(u8, usize)]) -> bool {
    base.len() == runs.len()
        && base.iter().zip(runs).all(|(b, r)| b.0 == r.0 && b.1 <= r.1)
        && base.iter().zip(runs).any(|(b, r)| b.1 < r.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span<'a>(n: &Normalized<'a>, needle: &str) -> &'a str {
        let s = n.lower.find(needle).expect("needle in normalized text");
        let (a, b) = (n.to_original(s), n.to_original_end(s + needle.len()));
        &n.original()[a..b]
    }

    #[test]
    fn ascii_is_identity() {
        let n = Normalized::new("I'm sorry, I was wrong.");
        assert_eq!(n.text, "I'm sorry, I was wrong.");
        assert_eq!(n.lower, "i'm sorry, i was wrong.");
        assert_eq!(n.checkpoints.len(), 1);
        assert_eq!(span(&n, "i was wrong"), "I was wrong");
    }

    #[test]
    fn a_word_of_the_class_as_written_is_no_stretch_of_a_shorter_one() {
        // A user's "sory" must not read every "sorry" as "sory".
        let mut words = SqueezeWords::builtin().clone();
        words.stretchable.insert(0, letter_runs(b"sory"));
        let n = Normalized::with("I'm sorry, so sorrrry. Sory.", &words);
        assert_eq!(n.lower, "i'm sorry, so sorry. sory.");
    }

    #[test]
    fn a_word_said_twice_over_a_comma_reads_once_and_maps_back() {
        let n = Normalized::new("Well, I'm sorry, I, I think that's, that's wrong.");
        assert_eq!(n.lower, "well, i'm sorry, i think that's wrong.");
        assert_eq!(span(&n, "i think"), "I think");
        assert_eq!(span(&n, "that's wrong"), "that's wrong");
        // Words that only begin alike, and a repetition with no comma, stay.
        for kept in ["I, Ian, said so.", "I know that that is true.", "no,no"] {
            assert_eq!(Normalized::new(kept).text, kept);
        }
        // The start and the end of the text.
        assert_eq!(Normalized::new("I, I, I forgot").lower, "i forgot");
        assert_eq!(Normalized::new("sorry, sorry").lower, "sorry");
        // A doubling that means something stays: "yeah, yeah" brushes off.
        assert_eq!(
            Normalized::new("Yeah, yeah, sorry").lower,
            "yeah, yeah, sorry"
        );
    }

    #[test]
    fn curly_quotes_and_apostrophes_map_back() {
        let n = Normalized::new("I\u{2019}m sorry \u{201C}you felt\u{201D} that way");
        assert_eq!(n.lower, "i'm sorry \"you felt\" that way");
        assert_eq!(span(&n, "i'm sorry"), "I\u{2019}m sorry");
        assert_eq!(span(&n, "\"you felt\""), "\u{201C}you felt\u{201D}");
        assert_eq!(span(&n, "that way"), "that way");
    }

    #[test]
    fn whitespace_collapses_and_crlf_keeps_line_breaks() {
        let n = Normalized::new("Sorry.\r\n\r\nI  was\twrong.\r\nReally");
        assert_eq!(n.text, "Sorry.\n\nI was wrong.\nReally");
        assert_eq!(span(&n, "i was wrong"), "I  was\twrong");
        assert_eq!(span(&n, "really"), "Really");
    }

    #[test]
    fn emoji_and_invisible_characters() {
        let n = Normalized::new("\u{FEFF}sorry \u{1F62D}\u{200B} i forgot");
        assert_eq!(n.text, "sorry \u{1F62D} i forgot");
        assert_eq!(span(&n, "i forgot"), "i forgot");
        assert_eq!(span(&n, "sorry"), "sorry");
    }

    #[test]
    fn stretched_words_read_as_the_word_and_map_back_whole() {
        let n = Normalized::new("Soooo sorrryyy, I can't. OOPS, nooo. Soon, sorry.");
        assert_eq!(n.lower, "so sorry, i can't. oops, no. soon, sorry.");
        assert_eq!(span(&n, "so sorry"), "Soooo sorrryyy");
        assert_eq!(span(&n, "oops"), "OOPS");
        assert_eq!(span(&n, "no."), "nooo.");
        // The apology words of heads are stretchable too.
        for (t, read) in [
            ("soooorry", "sorry"),
            ("ssoorryy", "sorry"),
            ("apologiesss", "apologies"),
            ("regreeet", "regret"),
        ] {
            assert_eq!(Normalized::new(t).lower, read);
        }
        // Words that are not stretches of a stretchable word stay as written: letters
        // dropped, changed or added are no stretch.
        for t in [
            "Soon",
            "sorrow",
            "bookkeeper",
            "sorryish",
            "apologizes",
            "sory",
            "sorty",
            "orry",
        ] {
            assert_eq!(Normalized::new(t).text, t);
        }
    }

    #[test]
    fn hesitations_inside_a_clause_come_out_with_their_commas() {
        let n = Normalized::new("I feel, uh, sorry for them.");
        assert_eq!(n.squeezed(), "i feel sorry for them.");
        let s = n.squeezed().find("sorry").unwrap_or(0);
        assert_eq!(&n.lower[n.unsqueeze(s)..n.unsqueeze_end(s + 5)], "sorry");
        assert_eq!(
            Normalized::new("uh, i'm sorry that um the kids").squeezed(),
            " i'm sorry that the kids"
        );
        // After a word that can end a clause, the commas keep their break.
        assert_eq!(
            Normalized::new("i'm sorry, uh, that's a shame").squeezed(),
            "i'm sorry, uh, that's a shame"
        );
    }

    #[test]
    fn adverbs_are_squeezed_and_map_back() {
        let n = Normalized::new("I also deeply hurt you, and I was completely wrong.");
        assert_eq!(n.squeezed(), "i hurt you, and i was wrong.");
        let s = n.squeezed().find("i hurt you").unwrap_or(0);
        let (a, b) = (n.unsqueeze(s), n.unsqueeze_end(s + "i hurt you".len()));
        assert_eq!(&n.lower[a..b], "i also deeply hurt you");
        let s = n.squeezed().find("wrong").unwrap_or(0);
        assert_eq!(&n.lower[n.unsqueeze(s)..n.unsqueeze_end(s + 5)], "wrong");
        assert_eq!(
            Normalized::new("my family emergency").squeezed(),
            "my family emergency"
        );
        assert_eq!(Normalized::new("i'm so sorry").squeezed(), "i'm so sorry");
        let out: Vec<&str> = n.squeezed_out().map(|(a, b)| &n.lower[a..b]).collect();
        assert_eq!(out, ["also ", "deeply ", "completely "]);
    }

    #[test]
    fn the_squeeze_reads_its_classes_and_a_user_lexicon_widens_them() {
        let squeezed = |t: &str, w: &SqueezeWords| Normalized::with(t, w).squeezed().to_string();
        let builtin = SqueezeWords::builtin();
        assert_eq!(squeezed("i so regret it", builtin), "i regret it");
        assert_eq!(squeezed("it was so wrong", builtin), "it was so wrong");
        // Contractions the classes expand must not turn "well" or "ill" into subjects.
        assert_eq!(squeezed("well really good", builtin), "well really good");
        assert_eq!(squeezed("i sure regret it", builtin), "i sure regret it");
        // An adverb in -ly goes after a first-person subject by its form alone, a verb in
        // -ly stays.
        assert_eq!(
            squeezed("we unbelievably regret it", builtin),
            "we regret it"
        );
        assert_eq!(squeezed("i reply that", builtin), "i reply that");
        let mut lex = Lexicon::builtin().expect("built-in lexicon");
        let src = r#"
            [[class]]
            id = "intensifier"
            description = "More intensifiers."
            words = ["sure"]
        "#;
        lex.add_source("test", src).expect("a valid lexicon");
        let widened = SqueezeWords::of(&lex);
        assert_eq!(squeezed("i sure regret it", &widened), "i regret it");
    }

    #[test]
    fn shortcut_agrees_with_the_general_path() {
        for t in [
            "I'm sorry, I was wrong.",
            " sorry ",
            "a\nb\n\nc\n\n\nd",
            "a  b",
            "x\n \ny",
            "\n",
            "",
            "tab\there",
            "quote `here`",
            "I really deeply hurt you",
            "caf\u{e9}",
            "crlf\r\nline",
        ] {
            let (a, b) = (
                Normalized::new(t),
                Normalized::general(t, SqueezeWords::builtin(), &[]),
            );
            assert_eq!(a.text, b.text, "{t:?}");
            assert_eq!(a.squeezed(), b.squeezed(), "{t:?}");
            assert_eq!(a.checkpoints, b.checkpoints, "{t:?}");
            assert_eq!(a.squeeze_map, b.squeeze_map, "{t:?}");
        }
    }

    #[test]
    fn and_before_a_multibyte_char() {
        // Found by fuzzing: "and" after a dropped adverb, followed by a non-ASCII char.
        let n = Normalized::new("it was seriously and\u{FFFD}d I can't");
        assert_eq!(n.squeezed(), "it was and\u{FFFD}d i can't");
        let n = Normalized::new("I deeply and sincerely apologize");
        assert_eq!(n.squeezed(), "i apologize");
    }

    #[test]
    fn dashes_become_spaced() {
        let n = Normalized::new("sorry\u{2014}but you started it");
        assert_eq!(n.text, "sorry - but you started it");
        assert_eq!(span(&n, "but you"), "but you");
    }
}
