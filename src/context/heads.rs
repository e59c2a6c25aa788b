//! Pass 3: which heads make an apology, and which sentences it reaches.
//!
//! A bare "sorry" before a question is a request softener ("Sorry, do you have this in a
//! nine?") unless the sentences around it say more about an apology. The text is an apology
//! when a head or an admission in the writer's own voice remains. Rules scoped to an apology
//! then fire only in sentences within its reach, and never in a phatic sentence without a
//! valid head of its own.

use super::voice::ends_as_question;
use super::Context;
use crate::category::Category;
use crate::lexicon::{Role, Scope};

/// How many sentences before or after an apology its deflection rules reach. Readers judge
/// a statement as a whole: a deflection twelve sentences after the apology still colours
/// it, but an unrelated remark in a long thread far from it does not.
const APOLOGY_REACH: usize = 20;

/// Texts of at most this many sentences are read as one apology: every sentence is in reach.
const SHORT_TEXT: usize = 6;

/// Drops request softeners, decides whether the text is an apology, and drops apology-scoped
/// candidates outside its reach.
pub fn run(cx: &mut Context<'_>) {
    drop_softeners(cx);
    let apology_sentences = apology_sentences(cx);
    cx.apology = !apology_sentences.is_empty();
    let near = reach(cx, &apology_sentences);
    let mut head_sentence = vec![false; cx.seg.sentences.len()];
    for c in &cx.candidates {
        if cx.rule(c).role == Role::Head {
            head_sentence[cx.sentence_of(c.span.start)] = true;
        }
    }
    let (lex, seg, phatic) = (cx.lex, cx.seg, &cx.phatic_sentences);
    cx.candidates.retain(|c| {
        let s = seg.sentence_of(c.span.start);
        lex.rules[c.rule].scope != Scope::Apology || (near[s] && (!phatic[s] || head_sentence[s]))
    });
}

/// Removes bare heads that only soften a question, and marks their sentences phatic.
fn drop_softeners(cx: &mut Context<'_>) {
    let n_sent = cx.seg.sentences.len();
    // Per sentence, once: a text with a head in every sentence must stay linear.
    let mut owns_sentence = vec![false; n_sent];
    for c in &cx.candidates {
        if !c.reported && cx.rule(c).category != Category::Regret {
            owns_sentence[cx.sentence_of(c.span.start)] = true;
        }
    }
    let softener: Vec<bool> = cx
        .candidates
        .iter()
        .map(|c| {
            let rule = cx.rule(c);
            if rule.role != Role::Head || rule.category != Category::Regret || c.reported {
                return false;
            }
            let s = cx.sentence_of(c.span.start);
            // A phrase can straddle the cut of an over-long sentence.
            let end = cx.seg.sentences[s].end;
            let rest = cx.lower[c.span.end.min(end)..end].trim_start();
            let bare = rest.is_empty()
                || rest.starts_with([',', '.', '!', '-', ':'])
                || rest.starts_with("but ");
            let window = s..(s + 3).min(n_sent);
            let question = window
                .clone()
                .any(|q| ends_as_question(cx.text, cx.seg.sentences[q]));
            bare && question && !window.clone().any(|q| owns_sentence[q])
        })
        .collect();
    for (c, &soft) in cx.candidates.iter().zip(&softener) {
        if soft {
            cx.phatic_sentences[cx.seg.sentence_of(c.span.start)] = true;
        }
    }
    let mut i = 0;
    cx.candidates.retain(|_| {
        i += 1;
        !softener[i - 1]
    });
}

/// The sentences holding a head or an admission in the writer's own voice, sorted.
fn apology_sentences(cx: &Context<'_>) -> Vec<usize> {
    let mut sentences: Vec<usize> = cx
        .candidates
        .iter()
        .filter(|c| !c.reported && matches!(cx.rule(c).role, Role::Head | Role::Admission))
        .map(|c| cx.sentence_of(c.span.start))
        .collect();
    sentences.sort_unstable();
    sentences.dedup();
    sentences
}

/// For each sentence, whether an apology reaches it; marked in one pass so that a text with
/// an apology in every sentence stays linear.
fn reach(cx: &Context<'_>, apology_sentences: &[usize]) -> Vec<bool> {
    let n_sent = cx.seg.sentences.len();
    let apology = !apology_sentences.is_empty();
    if n_sent <= SHORT_TEXT || !apology {
        return vec![apology; n_sent];
    }
    let mut near = vec![false; n_sent];
    let mut reach_until = None;
    let mut next = apology_sentences.iter().peekable();
    for (s, flag) in near.iter_mut().enumerate() {
        while let Some(&&a) = next.peek() {
            if a > s + APOLOGY_REACH {
                break;
            }
            reach_until = Some(a + APOLOGY_REACH);
            next.next();
        }
        *flag = reach_until.is_some_and(|u| s <= u);
    }
    near
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::analyzer;

    #[test]
    fn a_softened_request_is_no_apology() {
        assert!(
            !analyzer()
                .analyze("Sorry, do you have this in a nine?")
                .apology
        );
        assert!(analyzer().analyze("Sorry, I broke the build.").apology);
    }

    #[test]
    fn deflections_far_from_an_apology_are_not_its_own() {
        let mut text = String::from("I'm sorry I was late. ");
        for _ in 0..30 {
            text.push_str("The weather was fine today. ");
        }
        text.push_str("It was just a joke.");
        let a = analyzer().analyze(&text);
        assert!(a.apology);
        assert!(!a.has(crate::Category::Minimizing));
    }
}
