//! Pass 7: overlapping matches of one category become one finding.
//!
//! A match inside another of its category, two overlapping matches of one rule ("My
//! apologies" and "apologies for"), or a frame rule's match and another of its category
//! over the same words are one finding: counting both would score the same words twice.
//! The longest match gives the span; on a tie, the first rule, except that a head or an
//! admission is never replaced by a plain marker (it is what makes the text an apology). A
//! frame rule's match takes the rule of a phrase rule inside it: the frame says how far the
//! apology's object runs, the phrase rule says more precisely what it is.

use super::{Candidate, Context};
use crate::lexicon::Role;

/// How many earlier findings a match is compared with: overlapping matches of one category
/// sit next to each other once sorted, and a bound keeps dense texts linear.
const LOOK_BACK: usize = 16;

/// Collapses overlapping candidates of one category.
pub fn run(cx: &mut Context<'_>) {
    let mut sorted = std::mem::take(&mut cx.candidates);
    sorted.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end), c.rule));
    let mut collapsed: Vec<Candidate> = Vec::with_capacity(sorted.len());
    for c in sorted {
        let cat = cx.rule(&c).category;
        let kept = collapsed.iter_mut().rev().take(LOOK_BACK).find(|k| {
            cx.lex.rules[k.rule].category == cat
                && k.reported == c.reported
                && c.span.start < k.span.end
                && (k.span.contains(c.span)
                    || k.rule == c.rule
                    || cx.lex.rules[k.rule].role == Role::Frame
                    || cx.rule(&c).role == Role::Frame)
        });
        match kept {
            Some(k) => {
                k.span.end = k.span.end.max(c.span.end);
                let (kept_role, role) = (cx.lex.rules[k.rule].role, cx.rule(&c).role);
                // A match that makes the apology must be the one that stays, or the text would
                // be an apology with no finding to trace its base to.
                let takes_over = (kept_role == Role::Frame && role != Role::Frame)
                    || (role.makes_apology() && !kept_role.makes_apology());
                if takes_over {
                    k.rule = c.rule;
                }
            }
            None => collapsed.push(c),
        }
    }
    cx.candidates = collapsed;
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::analyzer;

    #[test]
    fn overlapping_heads_are_one_finding() {
        let a = analyzer().analyze("My apologies for the late reply.");
        let regret = a
            .counted()
            .filter(|f| f.category == crate::Category::Regret)
            .count();
        assert_eq!(regret, 1);
    }
}
