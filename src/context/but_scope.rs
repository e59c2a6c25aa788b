//! Pass 6: what an adversative after an apology turns to, and whether an explanation is
//! taken back.
//!
//! "I'm sorry, but..." is judged by its continuation: a reclaim anywhere after the "but"
//! ("but that's no excuse") or an extension opening it ("but I will fix it tonight") keeps
//! the apology, as does ownership or the apology said again after it. Anything else undoes
//! it: a deflection, a turn to the other person, a third party or circumstances, a stance
//! ("but I stand by"), and a continuation the rules know nothing of (a busy month, the
//! other's sensitivity, the writer's own pain): the finding does not depend on a list of
//! what may follow. It spans the adversative and the clause it introduces. An explanation
//! followed by a reclaim, or by an admission in its sentence, is not an excuse.

use super::frames::is_someone;
use super::spans::starts_within;
use super::words::{words_in, Words};
use super::{Candidate, Context};
use crate::category::{Kind, Trait};
use crate::lexicon::Role;
use crate::segment::Span;

/// How many words after the "but" are read to tell where it turns.
const OPENING_WORDS: usize = 8;

/// Judges adversatives and drops reclaimed explanations.
pub fn run(cx: &mut Context<'_>) {
    let n_sent = cx.seg.sentences.len();
    // Heads and candidates by sentence, so judging a "but" looks only at its neighbours.
    let mut heads_by_sentence: Vec<Vec<Span>> = vec![Vec::new(); n_sent];
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); n_sent];
    for (i, c) in cx.candidates.iter().enumerate() {
        let s = cx.sentence_of(c.span.start);
        if !c.reported && cx.rule(c).role == Role::Head {
            heads_by_sentence[s].push(c.span);
        }
        by_sentence[s].push(i);
    }
    let mut judged: Vec<Candidate> = Vec::with_capacity(cx.candidates.len());
    for c in &cx.candidates {
        let rule = cx.rule(c);
        let s = cx.sentence_of(c.span.start);
        if rule.role == Role::Adversative {
            let heads = [
                &heads_by_sentence[s][..],
                s.checked_sub(1).map_or(&[][..], |p| &heads_by_sentence[p]),
            ];
            let others: Vec<&Candidate> =
                by_sentence[s].iter().map(|&i| &cx.candidates[i]).collect();
            judged.extend(judge_but(cx, c, heads, &others));
        } else if cx.lex.has_trait(rule.category, Trait::Reclaimable)
            && reclaimed_after(cx, c.span.end, s, &by_sentence[s])
        {
            continue;
        } else {
            judged.push(c.clone());
        }
    }
    cx.candidates = judged;
}

/// Whether an explanation ending at `from` in sentence `s` is taken back: a reclaim ("that's
/// no excuse") after it in its sentence or the next, or an admission after it in its
/// sentence ("part of the reason was a bug, but the decision was ours"). `in_sentence` holds
/// the indices of the candidates in sentence `s`.
fn reclaimed_after(cx: &Context<'_>, from: usize, s: usize, in_sentence: &[usize]) -> bool {
    let sentence_end = cx.seg.sentences[s].end;
    let until = cx.seg.sentences.get(s + 1).map_or(sentence_end, |n| n.end);
    starts_within(&cx.marks.reclaims, from, until)
        || in_sentence.iter().map(|&i| &cx.candidates[i]).any(|c| {
            c.span.start >= from
                && c.span.start < sentence_end
                && !c.reported
                && cx.rule(c).role == Role::Admission
        })
}

/// Where the words after a "but" turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// Back to ownership, amends or change: the apology stands.
    Ownership,
    /// Anywhere else: a deflection, the other person, circumstances, a stance.
    Away,
    /// Nowhere: the clause ends, or goes on telling the act.
    Unknown,
}

/// Decides whether an adversative after an apology undoes it, and returns the finding
/// spanning the adversative and what it introduces.
fn judge_but(
    cx: &Context<'_>,
    c: &Candidate,
    heads: [&[Span]; 2],
    others: &[&Candidate],
) -> Option<Candidate> {
    let si = cx.sentence_of(c.span.start);
    let sentence = cx.seg.sentences[si];
    let lower = cx.lower;
    // `heads` are those of this sentence and of the one before.
    let head_before = heads[0].iter().any(|h| h.end <= c.span.start)
        || (!heads[1].is_empty() && lower[sentence.start..c.span.start].trim().is_empty());
    if !head_before
        || lower[sentence.start..c.span.start].contains("not only")
        || !follows_the_apology(cx, c, sentence, others)
    {
        return None;
    }
    let post = Span {
        start: c.span.end,
        end: sentence.end.max(c.span.end),
    };
    if turn(cx, post, others) != Turn::Away {
        return None;
    }
    Some(Candidate {
        rule: c.rule,
        span: Span {
            start: c.span.start,
            end: finding_end(cx, c, post),
        },
        reported: c.reported,
    })
}

/// Whether the adversative `c` contrasts with the apology: it opens its sentence (after a
/// sentence with a head), or the clause just before it holds the head, what the head is for,
/// or a finding. A "but" after other talk contrasts with that talk: "sorry my english is bad,
/// the plugin is not what I need, but it can do the work". An apology in brackets is an
/// aside, and a "but" after the bracket goes back to the sentence around it.
fn follows_the_apology(
    cx: &Context<'_>,
    c: &Candidate,
    sentence: Span,
    others: &[&Candidate],
) -> bool {
    let seg = cx.seg;
    let ci = seg.clause_of(c.span.start);
    let Some(before) = ci.checked_sub(1).map(|p| seg.clauses[p]) else {
        return true;
    };
    if before.end <= sentence.start || cx.lower[sentence.start..c.span.start].trim().is_empty() {
        return true;
    }
    let reaches = |start: usize, end: usize| start < before.end && end > before.start;
    // Only the heads of this sentence can reach the clause before the "but"; the frames are
    // sorted by head, so a long text of apologies is not scanned once per "but".
    let upto = cx
        .head_frames
        .partition_point(|hf| hf.head.start < c.span.start);
    let apology_reaches = cx.head_frames[..upto]
        .iter()
        .rev()
        .take_while(|hf| hf.head.end > sentence.start)
        .any(|hf| reaches(hf.head.start, hf.end.max(hf.head.end)));
    if apology_reaches {
        return !cx.lower[before.start..before.end].trim_end().ends_with(')');
    }
    others.iter().any(|o| {
        reaches(o.span.start, o.span.end) && !o.reported && cx.rule(o).role != Role::Adversative
    })
}

/// Whether an extension ("but I will fix it", "but thank you for telling me") opens `post`,
/// the clause after an adversative. "But I will not let them define me" opens like "but I
/// will fix it": an extension followed by a negation turns away from ownership, not back.
pub fn opens_with_extension(cx: &Context<'_>, post: Span) -> bool {
    let opening = &cx.lower[post.start..post.end];
    let post_open =
        post.start + opening.len() - opening.trim_start_matches([' ', ',', '-', ':']).len();
    let ext = &cx.marks.extends;
    let i = ext.partition_point(|r| r.start < post_open);
    ext.get(i).is_some_and(|r| {
        r.start < post_open + 1 && {
            let rest = cx.lower[r.end.min(post.end)..post.end].trim_start();
            // "But we want to emphasize that the crew followed every protocol": a wish to
            // make a point is a defence, not a turn back to ownership.
            let next: Vec<&str> = rest.split(' ').take(4).collect();
            !(rest.starts_with("not ")
                || rest.starts_with("never ")
                || cx.words.assertion_verb.prefix_len(&next).is_some())
        }
    })
}

/// Where the clause after a "but" (`post`, to the end of its sentence) turns.
fn turn(cx: &Context<'_>, post: Span, others: &[&Candidate]) -> Turn {
    let lower = cx.lower;
    if opens_with_extension(cx, post) || starts_within(&cx.marks.reclaims, post.start, post.end) {
        return Turn::Ownership;
    }
    let inside = |o: &&&Candidate| o.span.start >= post.start && o.span.start < post.end;
    // Ownership after it, or the apology said again ("But most of all, we are sorry").
    let owns_after = others.iter().filter(inside).any(|o| {
        let rule = cx.rule(o);
        cx.lex.has_trait(rule.category, Trait::TurnsBack)
            || (rule.role == Role::Head && !o.reported)
    });
    if owns_after {
        return Turn::Ownership;
    }
    let deflects_after = others.iter().filter(inside).any(|o| {
        let k = cx.rule(o);
        k.category.kind() == Kind::Deflection && k.role != Role::Adversative
    });
    let tokens: Vec<&str> = words_in(lower, post).take(OPENING_WORDS + 4).collect();
    let mut open = &tokens[..];
    // Fillers say nothing about where the clause turns: "but honestly you were...".
    while let Some(n) = cx.words.but_filler.prefix_len(open) {
        open = &open[n..];
    }
    let open = &open[..open.len().min(OPENING_WORDS)];
    // A request ("but how would I block it?") or a return to the conversation ("but yes,
    // Friday works") is what the message is for, however it opens.
    let resumes = cx.words.request_turn.prefix_len(open).is_some()
        || cx.words.but_resume.prefix_len(open).is_some();
    if (resumes || brings_news(cx.words, open)) && !deflects_after {
        return Turn::Unknown;
    }
    let away = cx.words.but_turn_away.prefix_len(open).is_some()
        || cx.words.but_stance.prefix_len(open).is_some();
    if deflects_after || away {
        return Turn::Away;
    }
    // "but then (I) didn't show up" goes on telling the act; a "yet" that ends its clause
    // turns nowhere.
    let telling = open[..open.len().min(1)] == ["then"]
        && !open
            .get(1)
            .is_some_and(|w| cx.words.hearer.contains(w) || cx.words.third_person.contains(w));
    // A question after the "but" ("But couldn't we group them?") raises a new point; what
    // it says, if it deflects, the rules above have already read.
    let asks = lower[post.start..post.end]
        .trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == ')')
        .ends_with('?');
    if open.is_empty() || telling || asks {
        return Turn::Unknown;
    }
    // Whatever else follows a "but" after an apology takes something back from it: the rules
    // need not know the continuation to tell that it is no ownership, repair or change.
    Turn::Away
}

/// Whether the words after a "but" bring news of a thing of the hearer's or of the talk, as it
/// stands now: "but your refund has gone through", "but the link works for me", "but the
/// answer is yes". That carries the conversation on; it is no reason the writer was right.
/// People ("but the manager is..."), conduct ("but your tone is..."), claims ("but the truth
/// is..."), the past ("but the road was closed") and a thing judged or called a habit ("but
/// the house is always like this", "but the joke is so funny") are where stances and
/// accounts turn, and are left as they were.
fn brings_news(w: &Words, open: &[&str]) -> bool {
    let Some((&det, rest)) = open.split_first() else {
        return false;
    };
    if !(det == "the" || w.hearer_possessive.contains(det)) {
        return false;
    }
    let Some(verb) = rest.iter().take(3).position(|x| w.present_link.contains(x)) else {
        return false;
    };
    let thing = &rest[..verb];
    let judged = rest
        .get(verb + 1)
        .is_some_and(|x| w.habit_adverb.contains(x) || w.soft.contains(x));
    !thing.is_empty()
        && !judged
        && !thing.iter().any(|x| {
            is_someone(w, x)
                || w.third_person.contains(x)
                || w.grounds_noun.contains(x)
                || (det != "the" && w.owned_thing.contains(x))
                || x.ends_with("ed")
                || w.past_act.contains(x)
        })
}

/// The end of a but-undoing finding: the clause the adversative opens, and the next one
/// when the adversative is a clause of its own ("However, ...").
fn finding_end(cx: &Context<'_>, c: &Candidate, post: Span) -> usize {
    let seg = cx.seg;
    let sentence = seg.sentences[cx.sentence_of(c.span.start)];
    let clause_end = seg.clauses[seg.clause_of(post.start.min(sentence.end.saturating_sub(1)))]
        .end
        .max(c.span.end);
    let end = if cx.lower[c.span.end..clause_end]
        .trim_matches([' ', ','])
        .is_empty()
    {
        let next = seg.clause_of(clause_end.min(sentence.end.saturating_sub(1)));
        seg.clauses[next].end.min(sentence.end).max(clause_end)
    } else {
        clause_end
    };
    cx.lower[..end].trim_end().len().max(c.span.end)
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::counted_rules;

    fn undone(text: &str) -> bool {
        counted_rules(text)
            .iter()
            .any(|r| r.starts_with("but_undoing"))
    }

    #[test]
    fn a_but_is_judged_by_what_it_turns_to() {
        assert!(undone("I'm sorry I yelled at you, but you provoked me."));
        assert!(undone("I apologize. However, I stand by what I said."));
        assert!(!undone("I'm sorry, but I will fix it tonight."));
        assert!(!undone("I was exhausted, but that's no excuse. I'm sorry."));
        assert!(!undone(
            "Not only am I sorry, but I also want to make it right."
        ));
    }

    #[test]
    fn a_question_for_help_or_a_return_to_the_talk_undoes_nothing() {
        assert!(!undone("Sorry for the late reply, but yes, Friday works."));
        assert!(!undone(
            "Sorry to add to the thread, but how would I reset it?"
        ));
        assert!(!undone(
            "Sorry about the outage, but it will be back tonight."
        ));
        assert!(undone("Sorry I was late, but how was I supposed to know?"));
        assert!(undone(
            "I'm sorry I yelled, but why should I be the one to apologize?"
        ));
    }

    #[test]
    fn news_of_the_matter_as_it_stands_undoes_nothing() {
        assert!(!undone(
            "Sorry I didn't mention it, but the file is tab separated."
        ));
        assert!(!undone(
            "Sorry it took so long, but your parcel should arrive tomorrow."
        ));
        // The past, people, conduct, claims and judgements still turn away.
        assert!(undone("I'm sorry we were late, but the road was closed."));
        assert!(undone(
            "I'm sorry I yelled, but your attitude is the problem."
        ));
        assert!(undone(
            "I'm sorry I said it, but the truth is it needed saying."
        ));
        assert!(undone(
            "Sorry for the mess, but the house is always like this."
        ));
        assert!(undone(
            "Sorry I was rude, but the manager is the one who started it."
        ));
    }

    #[test]
    fn a_but_after_other_talk_contrasts_with_that_talk() {
        assert!(!undone(
            "Sorry my spelling is bad, the plugin is not what I need, but it can do the work."
        ));
        assert!(!undone(
            "I got the refund approved (sorry for the wait), but the invoice still shows the old total."
        ));
        assert!(undone(
            "I'm sorry, I know I was late, but the traffic was terrible."
        ));
        assert!(undone(
            "I apologize if my tone was sharp, but you started it."
        ));
    }

    #[test]
    fn fillers_after_but_are_skipped() {
        assert!(undone(
            "I'm sorry I was late, but honestly, you never wait for anyone."
        ));
    }
}
