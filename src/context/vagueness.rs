//! Pass 8: vague objects against named acts.
//!
//! An all-purpose object ("sorry for everything") or an agentless frame is not a named act,
//! so a specificity match inside one is dropped. A definite object ("sorry for the mess")
//! is vague only when nothing in its sentence or the ones beside it names or owns what was
//! done ("we billed you twice"); "any inconvenience" or "whatever I did" refers to nothing,
//! wherever it stands.

use super::spans::SpanSet;
use super::words::words_in;
use super::{Candidate, Context};
use crate::category::{Category, Trait};

/// Reconciles vague objects with specificity.
pub fn run(cx: &mut Context<'_>) {
    let lex = cx.lex;
    let has = |c: &Candidate, t: Trait| lex.has_trait(lex.rules[c.rule].category, t);
    let unnamed: Vec<_> = cx
        .candidates
        .iter()
        .filter(|c| has(c, Trait::Unnamed))
        .map(|c| c.span)
        .collect();
    let unnamed = SpanSet::new(unnamed);
    cx.candidates.retain(|c| {
        lex.rules[c.rule].category != Category::Specificity || !unnamed.overlaps(c.span)
    });
    let any_vague = cx
        .candidates
        .iter()
        .any(|c| lex.rules[c.rule].category == Category::VagueObject);
    if !any_vague {
        return;
    }
    // Shifted by one so that the sentences before and after index without checks.
    let mut named = vec![false; cx.seg.sentences.len() + 2];
    for c in &cx.candidates {
        if !c.reported && has(c, Trait::NamesAct) {
            named[cx.sentence_of(c.span.start) + 1] = true;
        }
    }
    let (lower, seg) = (cx.lower, cx.seg);
    let refers_elsewhere = |c: &Candidate| {
        let at = seg.sentence_of(c.span.start) + 1;
        !words_in(lower, c.span).any(|w| cx.words.refers_to_nothing.contains(w))
            && named[at - 1..=at + 1].iter().any(|&n| n)
    };
    cx.candidates
        .retain(|c| lex.rules[c.rule].category != Category::VagueObject || !refers_elsewhere(c));
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::counted_rules;

    fn vague(text: &str) -> bool {
        counted_rules(text)
            .iter()
            .any(|r| r.starts_with("vague_object"))
    }

    #[test]
    fn a_definite_object_beside_a_named_act_is_not_vague() {
        assert!(vague("We apologize for any inconvenience."));
        assert!(vague(
            "We billed you twice. We apologize for any inconvenience."
        ));
    }
}
