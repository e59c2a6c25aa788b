//! Pass 2: negation, rule exceptions, and whose voice each match is in.
//!
//! A negator just before a match in its clause cancels it ("I'm not blaming you"); a rule's
//! `unless` regexes cancel it in the sentence, its `except` regexes from the match on. An
//! apology head is the writer's own only when nothing before it makes it someone else's
//! ("she apologized": kept, marked reported), demanded or addressed to the hearer ("say
//! sorry", "you should be sorry": dropped), and it is not phatic or a question ("sorry?").
//! Every other match is marked reported when it is quoted or after a reporting frame.

use super::words::{words_before, Words};
use super::{Candidate, Context};
use crate::category::Category;
use crate::lexicon::Role;
use crate::matcher::{Hit, Source};
use crate::segment::Span;

/// Whose apology a head is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Voice {
    /// The writer's own.
    Own,
    /// Someone else's ("she apologized"): kept, marked reported.
    Reported,
    /// Not an apology at all: demanded, hypothetical, addressed to the hearer.
    Rejected,
}

/// Keeps the rule hits that survive negation, exceptions and voice as candidates.
pub fn run(cx: &mut Context<'_>) {
    let mut kept = Vec::new();
    for h in cx.hits {
        let Source::Rule(r) = h.source else { continue };
        let span = Span {
            start: h.start,
            end: h.end,
        };
        if cancelled(cx, r, span) {
            continue;
        }
        let rule = &cx.lex.rules[r];
        let reported = if rule.role == Role::Head {
            if cx.marks.phatic.overlaps(span) {
                let s = cx.sentence_of(h.start);
                cx.phatic_sentences[s] = true;
                continue;
            }
            let clause = cx.seg.clauses[cx.seg.clause_of(h.start)];
            if rule.category == Category::Regret && ends_as_question(cx.text, clause) {
                continue;
            }
            match head_voice(cx.words, cx.lower, clause, h) {
                Voice::Rejected => continue,
                Voice::Reported => true,
                Voice::Own => cx.is_reported(span),
            }
        } else {
            cx.is_reported(span)
        };
        kept.push(Candidate {
            rule: r,
            span,
            reported,
        });
    }
    cx.candidates = kept;
}

/// Whether negation or the rule's own exceptions cancel a match.
fn cancelled(cx: &Context<'_>, r: usize, span: Span) -> bool {
    let rule = &cx.lex.rules[r];
    let clause = cx.seg.clauses[cx.seg.clause_of(span.start)];
    let sentence = cx.seg.sentences[cx.seg.sentence_of(span.start)];
    let bytes = cx.lower.as_bytes();
    (rule.negatable && negated(cx.words, cx.lower, clause, span.start))
        || rule
            .unless
            .iter()
            .filter_map(|re| re.get())
            .any(|re| re.is_match(&bytes[sentence.start..sentence.end]))
        || rule
            .except
            .iter()
            .filter_map(|re| re.get())
            .any(|re| re.is_match(&bytes[span.start..sentence.end.max(span.end)]))
}

/// Whether a negator stands in the three words before `at` in its clause.
pub fn negated(words: &Words, lower: &str, clause: Span, at: usize) -> bool {
    let before = words_before(lower, clause.start, at, 3);
    // "not only ... but also" and "not just" intensify rather than negate.
    if before
        .first()
        .is_some_and(|w| matches!(*w, "only" | "just"))
        && before.get(1).is_some_and(|w| *w == "not")
    {
        return false;
    }
    before
        .iter()
        .any(|w| words.negator.contains(w) || (w.ends_with("n't") && *w != "can't"))
}

/// Whether a clause ends with a question mark.
pub fn ends_as_question(text: &str, clause: Span) -> bool {
    text[clause.start..clause.end]
        .trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == ')')
        .ends_with('?')
}

/// Decides whose apology a head match is, by the words before it in its clause.
fn head_voice(words: &Words, lower: &str, clause: Span, hit: &Hit) -> Voice {
    let before = words_before(lower, clause.start, hit.start, 6);
    let head_text = &lower[hit.start..hit.end];
    // Heads that carry their own subject ("i apologize", "my apologies") only need the
    // demand check; bare "sorry"/"apologies" look back for a subject.
    let own_subject = head_text.starts_with("i ")
        || head_text.starts_with("i'")
        || head_text.starts_with("im ")
        || head_text.starts_with("we")
        || head_text.starts_with("my ")
        || head_text.starts_with("our ");
    // "how sorry I am": the subject follows the head.
    let after = lower[hit.end..clause.end.max(hit.end)].trim_start();
    if [
        "i am", "i'm", "im ", "we are", "we're", "i was", "we were", "i feel", "i felt",
    ]
    .iter()
    .any(|p| after.starts_with(p))
    {
        return Voice::Own;
    }
    if own_subject {
        return match before.first() {
            Some(&("say" | "said" | "to" | "make" | "makes" | "made")) => Voice::Rejected,
            _ => Voice::Own,
        };
    }
    for w in &before {
        if words.soft.contains(w) {
            continue;
        }
        if words.demand.contains(w) || words.hearer_subject.contains(w) {
            return Voice::Rejected;
        }
        if words.other_subject.contains(w) {
            return Voice::Reported;
        }
        // The first content word decides: "i", "we" or anything else that is not a subject.
        return Voice::Own;
    }
    Voice::Own
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::{analyzer, counted_rules};

    #[test]
    fn negated_and_demanded_heads_are_no_apology() {
        for text in [
            "I'm not sorry.",
            "You should be sorry.",
            "Say you're sorry!",
        ] {
            assert!(!analyzer().analyze(text).apology, "{text}");
        }
    }

    #[test]
    fn someone_elses_apology_is_reported() {
        let a = analyzer().analyze("She apologized to the whole team.");
        assert!(!a.apology);
        assert!(a.findings.iter().all(|f| f.reported));
    }

    #[test]
    fn negation_cancels_a_deflection() {
        assert!(
            !counted_rules("I'm sorry I yelled. I'm not blaming you for it.")
                .iter()
                .any(|r| r.starts_with("blame_shift"))
        );
    }
}
