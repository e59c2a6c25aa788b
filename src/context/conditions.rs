//! A condition put on an apology from outside what it is for.
//!
//! The frames pass reads "sorry if I upset you" in the words after the head. A condition is
//! as often put before the apology ("If I was short with you on the phone, sorry", "Should
//! any part of your stay have fallen short, please accept our apologies") or after what it
//! is for ("apologies to whoever felt left out, if that's what happened"). Either way the
//! offence is made hypothetical (TAXONOMY §3, conditional), and no phrase list holds every
//! offence a writer can put in doubt. Not every "if" beside an apology does it: an offer
//! ("if you need anything"), a wish for what cannot be ("if I could take it back") or a
//! plan ("if I'm late tomorrow") doubts nothing that happened. A condition counts when it
//! tells the offence as what may have happened: the writer's doing, a fault, a failure or
//! someone's reaction in the past or the perfect; a reaction in the present ("if this offends
//! anyone"); the writer's words judged ("if my tone was harsh"); or the matter itself
//! doubted ("if that's what happened").

use super::accounts::is_past_verb;
use super::frames::{clauses_of_sentence, read_words, Word};
use super::words::Words;
use super::Context;
use crate::segment::Span;

/// The condition before a head in its sentence, in the head's clause ("if I ruined the
/// evening then I apologise") or the clause before it ("If I talked over anyone, apologies"):
/// its span, and the words it says after its condition word.
pub(super) fn condition_before<'t>(
    cx: &Context<'t>,
    s: usize,
    head: Span,
) -> Option<(Span, Vec<Word<'t>>)> {
    let before: Vec<Span> = clauses_of_sentence(cx, s)
        .filter(|c| c.start < head.start)
        .collect();
    // The head's own clause first, then the one before it: a condition further back is
    // on something else.
    before.iter().rev().take(2).find_map(|clause| {
        let words = read_words(
            cx.words,
            cx.lower,
            cx.text,
            clause.start,
            clause.end.min(head.start),
        );
        let (condition, said) = condition_words(cx.words, &words)?;
        Some((condition, said.to_vec()))
    })
}

/// The condition right after what a head is for, in its sentence: its span, and the words it
/// says after its condition word. "The editors apologise, insofar as the cover may have
/// been read as mocking".
pub(super) fn condition_after<'t>(
    cx: &Context<'t>,
    s: usize,
    end: usize,
) -> Option<(Span, Vec<Word<'t>>)> {
    let clause = clauses_of_sentence(cx, s).find(|c| c.start >= end)?;
    let words = read_words(cx.words, cx.lower, cx.text, clause.start, clause.end);
    let (condition, said) = condition_words(cx.words, &words)?;
    Some((condition, said.to_vec()))
}

/// The condition right after what a head is for, when it doubts the matter itself:
/// "apologies to whoever felt left out, if that's what happened", "sorry for the remark, if
/// it came across that way".
pub(super) fn doubt_after(cx: &Context<'_>, s: usize, end: usize) -> Option<Span> {
    let (condition, said) = condition_after(cx, s, end)?;
    let said: Vec<&str> = said.iter().map(|x| x.text).collect();
    doubts_matter(cx.words, &said).then_some(condition)
}

/// When a clause opens with a condition on an offence: the condition's span, and the words
/// it says after its condition word.
fn condition_words<'a, 't>(w: &Words, words: &'a [Word<'t>]) -> Option<(Span, &'a [Word<'t>])> {
    let lead = words
        .iter()
        .take_while(|x| w.clause_lead.contains(x.text) || w.address_term.contains(x.text))
        .count();
    let words = &words[lead..];
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let n = w.condition_opener.prefix_len(&t)?;
    let said = &t[n..];
    if said.is_empty() || w.open_condition.prefix_len(said).is_some() {
        return None;
    }
    let doubted = if t[0] == "should" {
        // "Should anyone have felt left out": the inversion is a condition only with the
        // perfect, and then on what happened to the hearer or anyone.
        said.contains(&"have")
            && said.iter().any(|x| {
                w.hearer.contains(x) || w.hearer_possessive.contains(x) || w.audience.contains(x)
            })
    } else {
        on_offence(w, said)
    };
    let span = Span {
        start: words[0].start,
        end: words[words.len() - 1].end,
    };
    doubted.then_some((span, &words[n..]))
}

/// Whether what a condition says is an offence that may have happened.
fn on_offence(w: &Words, said: &[&str]) -> bool {
    let writer = w.writer_subject.contains(said[0]);
    // "if I had known", "if I could", "if I were you": what was not, or cannot be.
    if writer && said.get(1).is_some_and(|x| w.counterfactual.contains(x)) {
        return false;
    }
    let writers_thing = w.writer_possessive.contains(said[0])
        || (0..said.len()).any(|i| w.writer_side.prefix_len(&said[i..]).is_some());
    let judged = (0..said.len()).any(|i| {
        let rest = &said[i..];
        w.wrong_evaluation.prefix_len(rest).is_some()
            || w.conduct_word.prefix_len(rest).is_some()
            || w.bad_manner.prefix_len(rest).is_some()
    });
    // A reaction taken badly: "if anyone was hurt", "if this offends anyone", "if my notes
    // came off as harsh", or a thing taken some way ("if the poster was read as mocking").
    // A perception alone doubts nothing ("if you find it funny").
    let reaction = (0..said.len()).any(|i| {
        let rest = &said[i..];
        let taken = i > 0 && w.be_aux.contains(said[i - 1]);
        w.feeling_word.prefix_len(rest).is_some()
            || w.upsetting_verb.contains(rest[0])
            || w.misreading.prefix_len(rest).is_some()
            || (w.perception_verb.prefix_len(rest).is_some() && (judged || taken))
    });
    let fault = (0..said.len()).any(|i| {
        let rest = &said[i..];
        w.fault_verb.prefix_len(rest).is_some()
            || w.misdeed_verb.prefix_len(rest).is_some()
            || w.harm_verb.prefix_len(rest).is_some()
            || w.failure_word.prefix_len(rest).is_some()
    });
    let past = said.iter().enumerate().any(|(i, x)| {
        matches!(*x, "was" | "were" | "wasn't" | "weren't" | "did" | "didn't")
            || is_past_verb(w, x)
            || (w.perfect_aux.contains(x) || *x == "'ve") && i + 1 < said.len()
    });
    // The writer's words judged, or anyone's reaction, in any tense: "if my tone is harsh",
    // "if this offends anyone". The writer's doing, a fault or a failure only when told as
    // past: "if I'm late tomorrow" is a plan.
    (writers_thing && judged)
        || reaction
        || (past && (writer || writers_thing || judged || fault))
        || doubts_matter(w, said)
        || grants_good_faith(w, said)
}

/// "If you were being sincere", "if you were only joking", "if that was a real question":
/// the hearer's good faith granted as a condition, which makes the offence of having
/// doubted it hypothetical.
fn grants_good_faith(w: &Words, said: &[&str]) -> bool {
    let subject = w.hearer.prefix_len(said).or(match said.first() {
        Some(&("that" | "it" | "this")) => Some(1),
        _ => None,
    });
    subject.is_some_and(|n| (n..said.len()).any(|i| w.good_faith.prefix_len(&said[i..]).is_some()))
}

/// "that's what happened", "that is the case", "it came across that way": the condition
/// doubts the matter itself.
fn doubts_matter(w: &Words, said: &[&str]) -> bool {
    let Some((first, rest)) = said.split_first() else {
        return false;
    };
    match *first {
        "so" => rest.is_empty(),
        "that's" | "it's" | "this" | "that" | "it" => {
            // "that is how", "it may have been read as": the verb after any auxiliaries.
            let skip = rest
                .iter()
                .take_while(|x| w.be_aux.contains(x) || w.aux.contains(x))
                .count();
            let rest = &rest[skip..];
            w.doubted_matter.prefix_len(rest).is_some()
                || w.event_verb.prefix_len(rest).is_some()
                || w.perception_verb.prefix_len(rest).is_some()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::analyzer;

    fn conditional(text: &str) -> bool {
        analyzer()
            .analyze(text)
            .findings
            .iter()
            .any(|f| f.rule.to_string().starts_with("conditional."))
    }

    #[test]
    fn a_condition_before_the_apology_makes_it_conditional() {
        for text in [
            "if we billed you for the wrong month then we apologise",
            "Priya - if my notes on your draft came off as harsh, please accept my apologies.",
            "If what I posted about the quiz night was unfair, I apologize.",
            "If this bothers anyone, sorry.",
            "If I talked over people in the meeting, apologies.",
            "if i was snippy with you on the phone earlier, sorry love",
        ] {
            assert!(conditional(text), "{text}");
        }
    }

    #[test]
    fn granting_the_hearers_good_faith_makes_it_conditional() {
        for text in [
            "If you were asking in good faith, then I apologise.",
            "if that was an honest question, sorry",
            // The object named does not undo the condition before it.
            "If you were only kidding, sorry for biting your head off.",
        ] {
            assert!(conditional(text), "{text}");
        }
        assert!(!conditional(
            "You were asking in good faith, and I'm sorry I snapped."
        ));
    }

    #[test]
    fn a_condition_after_the_apology_makes_it_conditional() {
        for text in [
            "Apologies to whoever felt singled out by the rota, if that's what happened.",
            "We apologise, insofar as the poster may have been read as mocking the victims.",
        ] {
            assert!(conditional(text), "{text}");
        }
    }

    #[test]
    fn offers_plans_and_wishes_are_no_condition() {
        for text in [
            "If you need anything else, sorry, just ask.",
            "If I could take it back, I would. I'm sorry.",
            "If I'm late tomorrow, sorry, the trains are on strike.",
            "If you want the receipt, sorry, I'll send it tonight.",
            "If we had known sooner, we would have called. We are sorry.",
            "If you missed the stream, sorry I ran over time.",
            "If you find it funny then it's funny, sorry.",
        ] {
            assert!(!conditional(text), "{text}");
        }
    }
}
