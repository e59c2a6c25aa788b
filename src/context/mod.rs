//! Stage 4: context. Raw matches become findings only after the context says so.
//!
//! One [`Context`] value goes through a sequence of named passes, each in its own module and
//! each reading what the passes before it wrote. The order follows TAXONOMY §4:
//!
//! 1. [`gates`]: reporting frames, phatic uses, reclaims, extensions and safety phrases;
//! 2. [`voice`]: negation, rule exceptions, quoted and reported speech, and whose voice each
//!    apology head is in;
//! 3. [`frames`]: what each apology is for (who acts, what kind of predicate, hypothetical or
//!    not, how definite, with [`conditions`] put on it from before or after); sympathy is no
//!    apology, and frame rules fire;
//! 4. [`heads`]: which heads make an apology (polite openers are not), and which sentences
//!    an apology reaches;
//! 5. [`accounts`]: a clause after an apology that tells how it came about, with someone or
//!    something else doing it, is an excuse or a blame shift (trap 8);
//! 6. [`but_scope`]: an adversative after an apology undoes it unless it turns back to
//!    ownership; explanations followed by a reclaim ("no excuse") are not excuses;
//! 7. [`collapse`]: overlapping matches of one category become one finding;
//! 8. [`vagueness`]: an all-purpose object is not a named act, and a definite one is vague
//!    only when nothing near the apology names the act.

mod accounts;
mod but_scope;
mod collapse;
mod conditions;
mod frames;
mod gates;
mod heads;
mod spans;
mod vagueness;
mod voice;
pub mod words;

use std::sync::Arc;

use crate::analysis::{Finding, SafetyNote};
use crate::lexicon::{Lexicon, Rule};
use crate::matcher::Hit;
use crate::normalize::Normalized;
use crate::segment::{Segments, Span};

pub use words::Words;

/// A finding in normalized offsets, before mapping back to the original text.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index into [`Lexicon::rules`].
    pub rule: usize,
    /// Normalized span.
    pub span: Span,
    /// Quoted or reported speech.
    pub reported: bool,
}

/// What the gates mark in a text.
#[derive(Debug, Default)]
pub struct Marks {
    /// Per sentence, the stretch of it that is reported speech, if any: from a reporting
    /// frame to the end of the sentence or to where the writer's own voice resumes.
    pub reported: Vec<Option<Span>>,
    /// Phatic uses ("sorry for your loss"): heads inside them are no apology.
    pub phatic: spans::SpanSet,
    /// Reclaims ("that's no excuse"), sorted by start.
    pub reclaims: Vec<Span>,
    /// Turns back to ownership after a "but" ("but I will fix it"), sorted by start.
    pub extends: Vec<Span>,
    /// Cues of sympathy ("my condolences", "that sounds awful"), sorted by start.
    pub sympathy: Vec<Span>,
}

/// The context stage's working value: the text, its segments and raw hits, and what each
/// pass has decided so far.
pub struct Context<'a> {
    /// The lexicon whose rules and gates the hits point to.
    pub lex: &'a Lexicon,
    /// The word classes the passes read.
    pub words: &'a Words,
    /// The normalized text, case kept.
    pub text: &'a str,
    /// Its lower-case copy, same offsets.
    pub lower: &'a str,
    /// Whether the writer repeated a word over a comma ("I, I think"), which the
    /// normalizer read once: a mark of talk.
    pub stuttered: bool,
    /// Sentences, clauses and quotes.
    pub seg: &'a Segments,
    /// Raw matches of rules and gates, sorted by position.
    pub hits: &'a [Hit],
    /// What the gates mark.
    pub marks: Marks,
    /// Safety notes: span and message.
    pub safety: Vec<(Span, &'static str)>,
    /// Rule matches kept so far.
    pub candidates: Vec<Candidate>,
    /// Sentences whose apology word is phatic (a softener, sympathy, an opener).
    pub phatic_sentences: Vec<bool>,
    /// What each apology head in the writer's voice is for, sorted by head.
    pub head_frames: Vec<frames::HeadFrame>,
    /// Whether the writer apologizes.
    pub apology: bool,
}

impl<'a> Context<'a> {
    /// The rule a candidate comes from.
    pub fn rule(&self, c: &Candidate) -> &'a Rule {
        &self.lex.rules[c.rule]
    }

    /// The sentence a byte offset is in.
    pub fn sentence_of(&self, offset: usize) -> usize {
        self.seg.sentence_of(offset)
    }

    /// Marks reported speech in the sentence of `from`, from `from` to where the writer's
    /// own voice resumes: a colon or semicolon ("he said I had to apologize; here it is"), or
    /// a clause opening with "so", "but" or "and" and the writer ("so here I am:").
    pub fn report_from(&mut self, from: usize) {
        let s = self.sentence_of(from);
        let sentence = self.seg.sentences[s];
        let mut end = sentence.end;
        if let Some(p) = self.lower[from.min(sentence.end)..sentence.end].find([';', ':']) {
            end = from + p;
        }
        let first = self.seg.clause_of(from);
        for c in self.seg.clauses[first + 1..]
            .iter()
            .take_while(|c| c.start < end)
        {
            let mut words = words::words_in(self.lower, *c);
            let opener = words.next();
            let next = words.next();
            if matches!(opener, Some("so" | "but" | "and"))
                && next.is_some_and(|w| self.words.writer_subject.contains(w) || w == "here")
            {
                end = c.start;
                break;
            }
        }
        let region = &mut self.marks.reported[s];
        *region = Some(match *region {
            Some(r) => Span {
                start: r.start.min(from),
                end: r.end.max(end),
            },
            None => Span { start: from, end },
        });
    }

    /// Whether a span is quoted or in reported speech.
    pub fn is_reported(&self, span: Span) -> bool {
        self.seg.in_quote(span)
            || self.marks.reported[self.sentence_of(span.start)]
                .is_some_and(|r| span.start >= r.start && span.start < r.end)
    }
}

/// The context stage's output.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Findings in normalized offsets, sorted.
    pub findings: Vec<Candidate>,
    /// Whether the writer apologizes.
    pub apology: bool,
    /// Safety notes in normalized offsets.
    pub safety: Vec<(Span, &'static str)>,
}

/// Runs the context passes over the raw hits.
pub fn resolve(
    lex: &Lexicon,
    words: &Words,
    norm: &Normalized<'_>,
    seg: &Segments,
    hits: &[Hit],
) -> Resolved {
    let mut cx = Context {
        lex,
        words,
        text: &norm.text,
        lower: &norm.lower,
        stuttered: norm.stuttered,
        seg,
        hits,
        marks: Marks::default(),
        safety: Vec::new(),
        candidates: Vec::new(),
        phatic_sentences: vec![false; seg.sentences.len()],
        head_frames: Vec::new(),
        apology: false,
    };
    gates::run(&mut cx);
    voice::run(&mut cx);
    frames::run(&mut cx);
    heads::run(&mut cx);
    accounts::run(&mut cx);
    but_scope::run(&mut cx);
    collapse::run(&mut cx);
    vagueness::run(&mut cx);
    let mut findings = std::mem::take(&mut cx.candidates);
    findings.sort_by_key(|c| (c.span.start, c.span.end, c.rule));
    Resolved {
        findings,
        apology: cx.apology,
        safety: cx.safety,
    }
}

/// Turns resolved candidates into findings with original offsets.
pub fn to_findings(lex: &Lexicon, norm: &Normalized<'_>, resolved: &Resolved) -> Vec<Finding> {
    resolved
        .findings
        .iter()
        .map(|c| {
            let rule = &lex.rules[c.rule];
            Finding {
                kind: rule.category.kind(),
                category: rule.category,
                rule: Arc::clone(&rule.id),
                rule_index: c.rule,
                start: norm.to_original(c.span.start),
                end: norm.to_original_end(c.span.end),
                message: Arc::clone(&rule.message),
                suggestion: rule.suggestion.clone(),
                severity: rule.severity,
                reported: c.reported,
            }
        })
        .collect()
}

/// Maps safety notes back to the original text.
pub fn to_safety(norm: &Normalized<'_>, resolved: &Resolved) -> Vec<SafetyNote> {
    resolved
        .safety
        .iter()
        .map(|(s, m)| SafetyNote {
            start: norm.to_original(s.start),
            end: norm.to_original_end(s.end),
            message: m,
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs the pipeline up to the context stage on a text, for the passes' unit tests.

    use crate::Analyzer;

    /// The built-in analyzer, built once.
    pub fn analyzer() -> &'static Analyzer {
        static A: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
        A.get_or_init(Analyzer::builtin)
    }

    /// Asserts the whole pipeline's apology verdict on each text.
    pub fn assert_apology(expected: bool, texts: &[&str]) {
        for text in texts {
            assert_eq!(analyzer().analyze(text).apology, expected, "{text}");
        }
    }

    /// The categories of every finding the whole pipeline reports in `text`.
    pub fn categories(text: &str) -> Vec<crate::Category> {
        analyzer()
            .analyze(text)
            .findings
            .iter()
            .map(|f| f.category)
            .collect()
    }

    /// The rule ids the whole pipeline reports as counted findings in `text`.
    pub fn counted_rules(text: &str) -> Vec<String> {
        analyzer()
            .analyze(text)
            .counted()
            .map(|f| f.rule.to_string())
            .collect()
    }
}
