//! Pass 2: negation, rule exceptions, and whose voice each match is in.
//!
//! A negator just before a match in its clause cancels it ("I'm not blaming you"); a rule's
//! `unless` regexes cancel it in the sentence, its `except` regexes from the match on. An
//! apology head is the writer's own only when nothing before it makes it someone else's
//! ("she apologized": kept, marked reported), demanded or addressed to the hearer ("say
//! sorry", "you should be sorry": dropped), and it is not phatic or a question ("sorry?").
//! Every other match is marked reported when it is quoted or after a reporting frame.

use super::words::{words_before, words_in, Words};
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
    mark_narration(cx);
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
            if rule.category == Category::Regret && asks_about_apology(cx, clause, span) {
                continue;
            }
            match head_voice(cx.words, cx.lower, clause, h) {
                Voice::Rejected => continue,
                Voice::Reported => !said_back_to_hearer(cx, clause, h),
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

/// A writer telling of an apology they made is reported speech about the writer: from the
/// start of its clause on, what the sentence says ("I said I was sorry") is not said now.
fn mark_narration(cx: &mut Context<'_>) {
    for h in cx.hits {
        let Source::Rule(r) = h.source else { continue };
        if cx.lex.rules[r].role != Role::Head {
            continue;
        }
        let clause = cx.seg.clauses[cx.seg.clause_of(h.start)];
        let before = words_before(cx.lower, clause.start, h.start, NARRATION_REACH);
        let after = cx.lower[h.end..clause.end.max(h.end)].trim_start();
        let (head, tail) = (&cx.lower[h.start..h.end], sentence_tail(cx.lower, h.end));
        let told = match contact_voice(cx.words, head, &before, tail) {
            Some(voice) => voice == Voice::Reported,
            None => narrated(cx.words, head, &before, after, tail),
        };
        if told && !said_back_to_hearer(cx, clause, h) {
            cx.report_from(clause.start);
        }
    }
}

/// "I said I was sorry. You're being irrational.", "I said I was sorry, what more do you
/// want?": an apology said before, with no one named as told, turned straight to the hearer
/// (in the rest of its sentence or the next) is restated to them (and is pressure), not
/// told of; "I said I was sorry and she hung up" tells of it.
fn said_back_to_hearer(cx: &Context<'_>, clause: Span, head: &Hit) -> bool {
    // Nearest first: "i said i was" reads ["was", "i", "said", "i"].
    let before = words_before(cx.lower, clause.start, head.start, 6);
    let head_end = head.end;
    let no_one_told = before
        .windows(2)
        .any(|p| matches!(p[1], "said" | "wrote") && cx.words.writer_subject.contains(p[0]));
    let s = cx.sentence_of(head_end);
    let tail: Vec<&str> = words_in(
        cx.lower,
        Span {
            start: head_end,
            end: cx.seg.sentences[s].end,
        },
    )
    .collect();
    let next_to_hearer = cx.seg.sentences.get(s + 1).is_some_and(|next| {
        words_in(cx.lower, *next)
            .next()
            .is_some_and(|x| cx.words.hearer.contains(x))
    });
    // "I said I was sorry, what more do you want?": turned to the hearer in the same sentence.
    let tail_to_hearer = tail.iter().any(|x| cx.words.hearer.contains(x));
    let to_someone_else = tail.iter().any(|x| cx.words.third_person.contains(x));
    no_one_told && (next_to_hearer || tail_to_hearer) && !to_someone_else
}

/// Whether negation or the rule's own exceptions cancel a match.
fn cancelled(cx: &Context<'_>, r: usize, span: Span) -> bool {
    let rule = &cx.lex.rules[r];
    let clause = cx.seg.clauses[cx.seg.clause_of(span.start)];
    let sentence = cx.seg.sentences[cx.seg.sentence_of(span.start)];
    let bytes = cx.lower.as_bytes();
    (rule.negatable && negated(cx.words, cx.lower, clause, span.start))
        || (matches!(rule.role, Role::Admission | Role::Deed)
            && (supposed(cx.words, cx.lower, clause, span.start)
                || attributed(cx.words, cx.lower, clause, span.start)
                || asked_about(cx.words, cx.lower, clause)))
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

/// Whether an admission is only supposed: "if I was wrong", "I apologize when I'm wrong",
/// "whether I made a mistake". A condition or a habit admits nothing; the conditional
/// apology around it is flagged by its own rules.
fn supposed(words: &Words, lower: &str, clause: Span, at: usize) -> bool {
    words_before(lower, clause.start, at, 2)
        .iter()
        .any(|w| words.condition_word.contains(w))
}

/// Whether an admission is someone else's view of the writer: "sorry you think I did
/// something wrong", "they say we failed". "I think I was wrong" stays the writer's own.
fn attributed(words: &Words, lower: &str, clause: Span, at: usize) -> bool {
    let before = words_before(lower, clause.start, at, 3);
    // Nearest first: the verb, then its subject.
    before.windows(2).any(|p| {
        words.belief_verb.contains(p[0])
            && (words.hearer.contains(p[1])
                || words.third_person.contains(p[1])
                || words.other_subject.contains(p[1]))
    })
}

/// Whether an admission is only asked about: a yes/no question about the writer's own act
/// ("have I made a mistake here?", "or am I showing my ignorance?") admits nothing. A
/// rhetorical self-reproach ("how could I have been so careless?") opens otherwise and stays.
fn asked_about(words: &Words, lower: &str, clause: Span) -> bool {
    if !ends_as_question(lower, clause) {
        return false;
    }
    let opening: Vec<&str> = words_in(lower, clause).take(6).collect();
    let open = opening
        .iter()
        .position(|w| !words.question_lead.contains(w))
        .map_or(&opening[..0], |i| &opening[i..]);
    words.own_act_question.prefix_len(open).is_some()
        || words.own_state_question.prefix_len(open).is_some()
}

/// Whether a negator stands in the three words before `at` in its clause, not counting the
/// words of a going-on between them ("I'm not going to keep apologising").
pub fn negated(words: &Words, lower: &str, clause: Span, at: usize) -> bool {
    let mut before = words_before(lower, clause.start, at, 8);
    let going_on = before
        .iter()
        .take_while(|w| words.continuation.contains(w))
        .count();
    if going_on > 0 {
        before.drain(..going_on);
    }
    before.truncate(3);
    // "Not gonna lie, I was a jerk", "I can't believe I forgot": the negator belongs to the
    // idiom that ends just before.
    if ends_negated_idiom(words, &before) {
        return false;
    }
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

/// Whether the last one, two or three words before a match (`before`, nearest first) are
/// the end of a negated idiom ("lie", "gonna lie", "can't believe").
fn ends_negated_idiom(words: &Words, before: &[&str]) -> bool {
    (1..=before.len()).any(|n| {
        let idiom: Vec<&str> = before[..n].iter().rev().copied().collect();
        words.negated_idiom_end.contains(&idiom.join(" "))
    })
}

/// How many words may stand between an apology word and the question mark for the
/// question to be about the apology ("you're sorry?", "should I apologize for that?").
const QUESTION_TAIL: usize = 3;

/// Whether the apology word is what a question asks about: the clause ends with "?" and
/// either opens with the head, a question word or an auxiliary ("why should I apologize",
/// "are you sorry") or ends a few words after the head. A run-on clause that only ends in a
/// question ("hi apologies for the delay yes it was after the update?") keeps its apology.
fn asks_about_apology(cx: &Context<'_>, clause: Span, head: Span) -> bool {
    if !ends_as_question(cx.text, clause) {
        return false;
    }
    let head_text = &cx.lower[head.start..head.end];
    // "Forgive me?" asks for forgiveness: the question is the apology.
    if head_text.contains("forgive") {
        return false;
    }
    let tail = &cx.lower[head.end..clause.end.max(head.end)];
    // "I'm so sorry, are you ok?": the question after a comma is a question of its own.
    let own_question = tail.contains([',', ';']) || tail.contains(" - ");
    let after = words_in(
        cx.lower,
        Span {
            start: head.end,
            end: clause.end.max(head.end),
        },
    )
    .count();
    let opener = words_in(
        cx.lower,
        Span {
            start: clause.start,
            end: head.start.max(clause.start),
        },
    )
    .next();
    // A head that opens the question ("sorry you're trying to stream it?") asks it, unless a
    // question of its own follows a comma ("sorry, can we drop it now?"): the heads pass
    // decides whether that is a polite opener.
    (after <= QUESTION_TAIL && !own_question)
        || opener.is_some_and(|w| cx.words.question_opener.contains(w))
        || (opener.is_none() && !own_question)
}

/// Whether a clause ends with a question mark.
pub fn ends_as_question(text: &str, clause: Span) -> bool {
    text[clause.start..clause.end]
        .trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == ')')
        .ends_with('?')
}

/// The words around one head that decide whose apology it is.
struct Around<'t> {
    head: &'t str,
    /// The words before it in its clause, nearest first.
    before: Vec<&'t str>,
    /// More of them, as far as a telling of the writer's apology reaches ("I have reached out
    /// to the family to apologize").
    far: Vec<&'t str>,
    /// The first few words after it in its clause.
    following: Vec<&'t str>,
    /// The rest of its clause.
    after: &'t str,
    /// The rest of its sentence.
    tail: &'t str,
    /// A stretch of the text after it.
    further: &'t str,
}

/// Decides whose apology a head match is, by the words around it in its clause: first by
/// the form of the head and its clause, then by the subject it has.
fn head_voice(words: &Words, lower: &str, clause: Span, hit: &Hit) -> Voice {
    let rest = Span {
        start: hit.end,
        end: clause.end.max(hit.end),
    };
    let around = Around {
        head: &lower[hit.start..hit.end],
        before: words_before(lower, clause.start, hit.start, 6),
        far: words_before(lower, clause.start, hit.start, NARRATION_REACH),
        following: words_in(lower, rest).take(3).collect(),
        after: lower[rest.start..rest.end].trim_start(),
        tail: sentence_tail(lower, hit.end),
        further: text_after(lower, hit.end),
    };
    voice_of_form(words, &around).unwrap_or_else(|| voice_of_subject(words, &around))
}

/// Whose apology a head is, where its form or its clause's shape says it alone.
fn voice_of_form(words: &Words, a: &Around<'_>) -> Option<Voice> {
    let (head, before) = (a.head, &a.before[..]);
    // "how sorry I am": the subject follows the head.
    if words.trailing_subject.prefix_len(&a.following).is_some() {
        return Some(Voice::Own);
    }
    if let Some(voice) = contact_voice(words, head, &a.far, a.tail) {
        return Some(voice);
    }
    if narrated(words, head, &a.far, a.after, a.tail) || habitual(words, head, before, a) {
        return Some(Voice::Reported);
    }
    // "The Gazette hereby apologizes": the statement is the apology, made by its writer.
    if before
        .iter()
        .take(3)
        .any(|w| words.performative_adverb.contains(w))
    {
        return Some(Voice::Own);
    }
    let verb = head.split(' ').next().unwrap_or(head);
    let bare_verb = matches!(verb, "apologize" | "apologise");
    if bare_verb && head == verb {
        // "most surgeons apologise", "companies apologize all the time": the bare verb after
        // a plural noun tells what others do.
        if before.first().is_some_and(|w| plural_subject(words, w)) {
            return Some(Voice::Reported);
        }
        // "Apologize to her now": the bare verb with no subject is a demand.
        if before
            .iter()
            .all(|w| words.soft.contains(w) || *w == "please")
        {
            return Some(Voice::Rejected);
        }
    }
    if bare_verb {
        if let Some(voice) = joined_voice(words, &a.far) {
            return Some(voice);
        }
    }
    if noun_talked_about(words, head, before, &a.following) {
        return Some(Voice::Rejected);
    }
    // Heads that carry their own subject ("i apologize", "my apologies") only need the
    // demand check; bare "sorry"/"apologies" look back for a subject.
    let own_subject = ["i ", "i'", "im ", "we", "my ", "our "]
        .iter()
        .any(|p| head.starts_with(p));
    if own_subject {
        return Some(match before.first() {
            Some(&("say" | "said" | "to" | "make" | "makes" | "made")) => Voice::Rejected,
            _ => Voice::Own,
        });
    }
    // "we say sorry": the writer says it now; "you say sorry" stays a demand.
    if before.first() == Some(&"say")
        && before
            .get(1)
            .is_some_and(|w| words.writer_subject.contains(w))
    {
        return Some(Voice::Own);
    }
    if before.first() == Some(&"saying") && writer_is_saying(words, &before[1..]) {
        return Some(Voice::Own);
    }
    None
}

/// Whether the writer is the one saying "sorry" after "saying": "I'm saying sorry", "I
/// want to start by saying sorry", "let me begin by saying sorry". "You could start by
/// saying sorry" and "saying sorry never helps" stay a demand and a topic.
fn writer_is_saying(words: &Words, before: &[&str]) -> bool {
    let before: Vec<&str> = before
        .iter()
        .copied()
        .filter(|w| !(words.soft.contains(w) || words.head_adverb.contains(w)))
        .collect();
    match before.as_slice() {
        [w, ..] if matches!(*w, "i'm" | "we're") => true,
        ["am" | "are", w, ..] => words.writer_subject.contains(w),
        // Whose the clause is that "by saying" ends: the first person named before it.
        ["by", rest @ ..] => rest
            .iter()
            .find(|w| {
                words.writer_subject.contains(w)
                    || matches!(**w, "me" | "us")
                    || words.hearer_subject.contains(w)
                    || words.other_subject.contains(w)
            })
            .is_some_and(|w| words.writer_subject.contains(w) || matches!(*w, "me" | "us")),
        _ => false,
    }
}

/// Whose the bare verb is when "and" joins it to a clause before: "own up to your mistake
/// and apologize", "go and apologise to her" are one more demand; "they can admit it and
/// apologize" tells what others should do. A clause of the writer's ("I'll call her and
/// apologize"), a thanks ("thank you for your patience and apologize for the delay") or
/// another apology word before it leaves it to the subject.
fn joined_voice(words: &Words, far: &[&str]) -> Option<Voice> {
    if far.first() != Some(&"and") {
        return None;
    }
    let writers = far.iter().any(|w| {
        words.writer_subject.contains(w)
            || words.head_word.contains(w)
            || words.gratitude_word.contains(w)
            || matches!(*w, "me" | "us" | "let's" | "lets")
    });
    if writers {
        return None;
    }
    if far.iter().any(|w| words.other_subject.contains(w)) {
        return Some(Voice::Reported);
    }
    let to_hearer = far
        .iter()
        .any(|w| words.hearer.contains(w) || words.hearer_possessive.contains(w));
    let sent = far[1..]
        .iter()
        .all(|w| matches!(*w, "go" | "come" | "just" | "now" | "then"));
    (to_hearer || sent).then_some(Voice::Rejected)
}

/// Whose apology a bare head is, by the subject it looks back to.
fn voice_of_subject(words: &Words, a: &Around<'_>) -> Voice {
    let (head, before) = (a.head, &a.before[..]);
    let reported_verb = is_reporting_form(head);
    let stands = reported_verb && stands_now(words, before, a.tail);
    // "would like to issue an apology", "the club would like to sincerely apologize": the
    // subject before the wish decides. "I want to apologize" is read whole by a rule of its
    // own, so the verb alone after a writer's wish is left to it.
    let skip = wished(words, before);
    let writer_wish = before[skip..]
        .iter()
        .find(|w| !words.soft.contains(w) && !words.modal.contains(w))
        .is_some_and(|w| words.writer_subject.contains(w));
    if skip > 0 && head.starts_with("apolog") && writer_wish {
        return Voice::Rejected;
    }
    // "The principal made Kyle apologize", "mum made me say sorry": an apology someone was
    // made to make is told, not made now.
    let caused = before
        .get(1)
        .is_some_and(|v| words.causative_verb.contains(v))
        && before
            .first()
            .is_some_and(|o| !words.soft.contains(o) && *o != "to");
    if caused {
        return Voice::Reported;
    }
    // "Derek needs to apologise", "the club needs to say sorry": a need is put on someone
    // else, which is a demand, whoever they are.
    // "dad sorry about the scratch": a relative named right before a bare "sorry", with no
    // verb between, is addressed; "dad is sorry" would tell of his.
    if let [who] = before {
        if head == "sorry" && words.kin_noun.contains(who) {
            return Voice::Own;
        }
    }
    // "Just wanted to say sorry for last night": a wish to say it with the "I" dropped, as
    // notes and texts drop it, is the writer's; "say sorry" alone is a demand.
    if let ["say", "to", wish, rest @ ..] = before {
        if words.desire_verb.contains(wish) && rest.iter().all(|w| words.soft.contains(w)) {
            return Voice::Own;
        }
    }
    let needed = skip > 0 && matches!(before[skip - 1], "need" | "needs");
    let subject = before[skip..]
        .iter()
        .find(|w| !words.soft.contains(w) && !words.modal.contains(w));
    if needed && subject.is_some_and(|w| !words.writer_subject.contains(w)) {
        return Voice::Rejected;
    }
    let (mut past_modal, mut obliged) = (false, false);
    for w in &before[skip..] {
        if words.soft.contains(w) {
            continue;
        }
        if words.demand.contains(w) || words.hearer_subject.contains(w) {
            return Voice::Rejected;
        }
        // "you can apologize": the modal stands between the subject and the head; so does
        // the perfect's auxiliary of an apology in force ("I have apologised").
        if words.modal.contains(w) || (stands && is_perfect_word(words, w)) {
            past_modal = past_modal || words.modal.contains(w);
            obliged = obliged || words.obligation.contains(w);
            continue;
        }
        // "Dana better apologize to him", "the club must say sorry": an apology owed by
        // someone named is a demand.
        if obliged && super::frames::is_content(words, w) && !words.but_filler.contains(w) {
            return Voice::Rejected;
        }
        // "whether the diocese will apologise": someone else's apology asked about, not
        // made. "The council will apologise to every tenant" is a statement of its own.
        if past_modal
            && super::frames::is_content(words, w)
            && !words.but_filler.contains(w)
            && before.iter().any(|b| words.condition_word.contains(b))
        {
            return Voice::Reported;
        }
        // "my mum is sorry": family are someone else, as "she" is.
        if words.other_subject.contains(w) || words.kin_noun.contains(w) {
            return Voice::Reported;
        }
        // "The teacher was sorry", "the officers are sorry": a person named as the subject
        // of "be sorry" is someone else too. Without the verb, a name before "sorry" is
        // whom it is said to ("man, sorry"); an organisation's own people speaking through
        // it are read by the rule for its voice.
        let verb: Vec<&str> = before[skip..]
            .iter()
            .take_while(|b| words.soft.contains(b))
            .copied()
            .collect();
        let linked = verb.iter().any(|b| {
            matches!(
                *b,
                "is" | "are" | "was" | "were" | "be" | "been" | "feel" | "feels" | "felt"
            )
        });
        // "The officers involved were sorry": told in the past, the subject's own words come
        // after it first. In the present ("the officers involved are sorry") an organisation's
        // people speak through it, which the rule for its voice reads.
        let told = verb
            .iter()
            .any(|b| matches!(*b, "was" | "were" | "been" | "felt"));
        let named = before
            .iter()
            .skip_while(|b| *b != w)
            .find(|b| !words.part_participle.contains(b));
        let person = |x: &str| super::frames::is_someone(words, x);
        let someone = |x: &str| person(x) || words.audience.contains(x);
        if linked && (person(w) || (told && named.is_some_and(|x| someone(x)))) {
            return Voice::Reported;
        }
        // "the vendor apologized", "Sam regrets": a subject other than the writer before a
        // verb in the third person or the past, unless an organisation names itself.
        if reported_verb && !words.writer_subject.contains(w) {
            if names_itself(words, head, before, a.further) {
                return Voice::Own;
            }
            return Voice::Reported;
        }
        // The first content word decides: "i", "we" or anything else that is not a subject.
        return Voice::Own;
    }
    // "A spokesman, Jo Reyes, apologized for...": the subject stands before the clause. A
    // head that holds its subject ("the firm regrets") has already said whose it is, and a
    // present with none ("Hi Matt, apologizes for the wait") is an agent's slip for "I".
    if reported_verb && !stands && !head.contains(' ') && head.ends_with("ed") {
        return Voice::Reported;
    }
    Voice::Own
}

/// Whether a word before a bare apology verb is a plural noun as its subject ("surgeons",
/// "people"), not an adverb, a filler or the writer.
fn plural_subject(words: &Words, w: &str) -> bool {
    (words.audience.contains(w) || (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")))
        && !words.soft.contains(w)
        && !words.writer_subject.contains(w)
        && !matches!(
            w,
            "always"
                | "sometimes"
                | "perhaps"
                | "thanks"
                | "guys"
                | "folks"
                | "yes"
                | "unless"
                | "afterwards"
                | "towards"
                | "besides"
                | "nevertheless"
                | "regardless"
        )
}

/// Whether the apology noun is what the sentence is about, not an apology being made: "my
/// apology was necessary", "those kinds of apologies", "resolved through personal
/// apologies".
fn noun_talked_about(words: &Words, head: &str, before: &[&str], following: &[&str]) -> bool {
    // The head may carry its preposition: "apologies for".
    let noun = head
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.ends_with("apology") || w.ends_with("apologies"));
    if !noun {
        return false;
    }
    // "This apology is long overdue", "my apology is sincere": the one being made now.
    let this_one = head.starts_with("my ")
        || head.starts_with("our ")
        || matches!(before.first(), Some(&("this" | "my" | "our")));
    let told_of = match following.first() {
        Some(&("was" | "were" | "has" | "had" | "have")) => true,
        Some(&("is" | "are" | "seemed" | "seems" | "sounded" | "sounds")) => !this_one,
        _ => false,
    };
    told_of
        || before
            .first()
            .is_some_and(|w| words.apology_topic_cue.contains(w))
}

/// How far past a head an organisation's "we" or "our" is looked for.
const SELF_NAMING_REACH: usize = 400;

/// The text after `at`, at most [`SELF_NAMING_REACH`] bytes, cut at a character boundary.
fn text_after(lower: &str, at: usize) -> &str {
    let mut end = (at + SELF_NAMING_REACH).min(lower.len());
    while !lower.is_char_boundary(end) {
        end -= 1;
    }
    &lower[at..end]
}

/// How many words before a head say only that someone wishes to make it: "would like to
/// issue an apology", "we want to offer our apologies".
fn wished(words: &Words, before: &[&str]) -> usize {
    let adverbs = before.iter().take_while(|w| words.soft.contains(w)).count();
    match &before[adverbs..] {
        ["to", verb, ..] if words.desire_verb.contains(verb) => adverbs + 2,
        _ => 0,
    }
}

/// Whether the head is an apology verb in the past or the third person ("apologized",
/// "regrets"): one someone made, rather than one being made. The noun "apologies" ("my
/// apologies to the family") is being made, so only the verb's "-izes"/"-ises" counts.
fn is_reporting_form(head: &str) -> bool {
    let last = head.rsplit(' ').next().unwrap_or(head);
    last.starts_with("apologi")
        && (last.ends_with("ed") || last.ends_with("izes") || last.ends_with("ises"))
        || matches!(last, "regrets" | "regretted")
}

/// Whether an organisation or a person names itself as the subject of its own apology:
/// "Acme apologizes for the outage", "the board of trustees apologises for what happened".
/// A statement in the present speaks for the one it names, as press statements do (the
/// rubric reads "the company regrets" as an apology without an agent); a report says
/// "apologized", a relative ("my brother apologizes for our fight") is no organisation, a
/// habit ("he rarely apologizes") is talked about, a headline ("apologizes after the
/// backlash") reports one, and "apologizes to us" names us as the ones it was made to.
fn names_itself(words: &Words, head: &str, before: &[&str], after: &str) -> bool {
    let last = head.rsplit(' ').next().unwrap_or(head);
    let present = last.ends_with("izes") || last.ends_with("ises") || last == "regrets";
    let to_us = ["to us", "to our "]
        .iter()
        .any(|p| after.trim_start().starts_with(p));
    // "Trump rarely apologizes": a habit, talked about. "Restaurant apologizes after
    // hosting...": a headline's news of an apology, dated by what it followed.
    let habit = before
        .iter()
        .take(2)
        .any(|w| words.habit_adverb.contains(w));
    let headline = after.trim_start().starts_with("after ");
    present
        && !to_us
        && !habit
        && !headline
        && !before
            .iter()
            .any(|w| words.writer_possessive.contains(w) || words.kin_noun.contains(w))
}

/// Whether the apology verb tells a habit of apologizing rather than making one: "I always
/// apologise first", "I apologize too much", "we say sorry all the time". The writer talks
/// about their apologies, as the rubric's texts about apologies in general do.
fn habitual(words: &Words, head: &str, before: &[&str], a: &Around<'_>) -> bool {
    let last = head.rsplit(' ').next().unwrap_or(head);
    // "say sorry": the head is "sorry", and the verb before it.
    let says = usize::from(last == "sorry" && matches!(before.first(), Some(&("say" | "says"))));
    if !(last.starts_with("apologi") || says == 1) {
        return false;
    }
    let adverb_before = before
        .iter()
        .skip(says)
        .take(2)
        .any(|w| words.habit_adverb.contains(w) && *w != "ever");
    adverb_before
        || words.habit_phrase.prefix_len(&a.following).is_some()
        || would_of_habit(words, &before[says..])
}

/// "We'd both apologize and make up", "whenever we fought I would apologize": a "would" of
/// past habit, told with the group that did it or the occasions it came on. A "would" of
/// wish or offer ("I would like to apologize", "I would apologize for the wait") has neither.
fn would_of_habit(words: &Words, before: &[&str]) -> bool {
    let is_would = |w: &&str| *w == "would" || w.ends_with("'d");
    let Some(p) = before.iter().take(3).position(is_would) else {
        return false;
    };
    let between = &before[..p];
    let grouped = between
        .iter()
        .any(|w| words.floating_quantifier.contains(w));
    let on_occasions = before[p..].contains(&"whenever")
        || before[p..]
            .windows(2)
            .any(|w| w[0] == "time" && matches!(w[1], "every" | "each"));
    // "We'd both then apologize", "we would eventually apologize": adverbs of how often or
    // of a story's order may stand between.
    let only_adverbs = between.iter().all(|w| {
        words.floating_quantifier.contains(w)
            || words.habit_adverb.contains(w)
            || words.story_adverb.contains(w)
    });
    only_adverbs && (grouped || on_occasions)
}

/// Whether the writer is telling of an apology they made before ("I apologized to her last
/// week", "I told him I was sorry"): reported speech about the writer, not an apology now.
/// "I already apologized" to the hearer stays the writer's own (and may be pressure).
fn narrated(words: &Words, head: &str, before: &[&str], after: &str, tail: &str) -> bool {
    // `before` is nearest first: "i told him i was" reads ["was", "i", "him", "told", "i"].
    // "I had to swallow my pride and apologize": an apology the writer once had to make.
    let had_to = before.windows(2).position(|w| w == ["to", "had"]);
    if had_to.is_some_and(|p| {
        before
            .get(p + 2)
            .is_some_and(|w| words.writer_subject.contains(w))
    }) {
        return true;
    }
    // "I said at the time that I was sorry": a time told between the verb and its "that"
    // widens the reach.
    let reach = if before.iter().take(8).any(|w| words.time_word.contains(w)) {
        8
    } else {
        5
    };
    if let Some(p) = before
        .iter()
        .take(reach)
        .position(|w| words.telling_verb.contains(w))
    {
        // "Told my brother I was sorry": a diary's telling drops its "I"; only a past form
        // does, since "tell her I'm sorry" asks for the apology to be passed on.
        let past_form = before[p].ends_with("ed") || matches!(before[p], "told" | "said" | "wrote");
        let by_writer = before.get(p + 1).map_or(past_form, |w| {
            words.writer_subject.contains(w) || (past_form && matches!(*w, "and" | "then" | "so"))
        });
        let inside = &before[..p];
        // "I told you I was sorry": told to the hearer, the apology is restated to them now
        // (and may be pressure), not told of.
        if inside.iter().any(|w| words.hearer.contains(w)) {
            return false;
        }
        let to_other = inside
            .iter()
            .any(|w| words.third_person.contains(w) || matches!(*w, "everyone" | "them"));
        let past = inside.iter().any(|w| matches!(*w, "was" | "were" | "had"));
        if by_writer && (to_other || past) {
            return true;
        }
    }
    let writer_subject = head.split(' ').any(|w| words.writer_subject.contains(w))
        || before
            .iter()
            .find(|w| {
                !words.soft.contains(w)
                    && !is_perfect_word(words, w)
                    && !words.story_adverb.contains(w)
            })
            .is_some_and(|w| words.writer_subject.contains(w));
    if !(is_reporting_form(head) && writer_subject) {
        return false;
    }
    let after: Vec<&str> = after
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    let to_someone_else = after.first() == Some(&"to")
        && after.get(1).is_some_and(|w| {
            words.third_person.contains(w) || matches!(*w, "the" | "my" | "everyone" | "a" | "an")
        });
    // "I once apologized to...", "we finally apologized": a time in the telling; so is a
    // past time that opens the clause ("at the time I apologized", "last week we apologized").
    let told_as_story = before
        .iter()
        .take(2)
        .any(|w| words.story_adverb.contains(w))
        || dated_before_subject(words, before);
    if stands_now(words, before, tail) {
        return false;
    }
    to_someone_else || told_as_story || in_the_past(words, &after)
}

/// Whether the words before the writer's subject date the clause in the past: "at the time
/// I apologized", "two weeks ago we apologized". `before` is nearest first.
fn dated_before_subject(words: &Words, before: &[&str]) -> bool {
    let Some(k) = before.iter().position(|w| words.writer_subject.contains(w)) else {
        return false;
    };
    let lead: Vec<&str> = before[k + 1..].iter().rev().copied().collect();
    (0..lead.len()).any(|i| words.past_marker.prefix_len(&lead[i..]).is_some())
}

fn in_the_past(words: &Words, after: &[&str]) -> bool {
    after.iter().any(|w| words.past_marker.contains(w))
}

/// "I have apologised to the family", said to the public, stands now: the perfect tells of
/// an apology still in force, with no story around it ("last week", "but she didn't...").
/// "I have apologised privately to them" tells of one made elsewhere, and stays reported.
fn stands_now(words: &Words, before: &[&str], tail: &str) -> bool {
    in_force(words, before) && !story_in(words, tail)
}

/// Whether the rest of a sentence tells a story around an apology: a time past ("last
/// week"), a "but" ("but she didn't accept it"), or that it was made elsewhere ("privately").
fn story_in(words: &Words, tail: &str) -> bool {
    let tail: Vec<&str> = tail
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    in_the_past(words, &tail) || tail.iter().any(|w| matches!(*w, "but" | "privately"))
}

/// The voice of an apology verb that is the purpose of the writer's getting in touch: "I
/// rang her to apologize" tells of an apology as "I apologized to her" does (reported); "we
/// have reached out to the guest to apologize" stands now, as "I have apologized" does (own),
/// unless a story goes on around it ("..., but he has blocked me").
fn contact_voice(words: &Words, head: &str, before: &[&str], tail: &str) -> Option<Voice> {
    let perfect = contacted_to_apologize(words, head, before)?;
    let told = !perfect || story_in(words, tail);
    Some(if told { Voice::Reported } else { Voice::Own })
}

/// Whether an apology verb is the purpose of the writer's getting in touch ("I called him to
/// apologize", "we have reached out to the guest to apologise"), and if so whether in the
/// perfect. `before` is nearest first and must open with "to". "I called to say I'm sorry"
/// keeps the apology's own words, present and the writer's, and is left to the rest.
fn contacted_to_apologize(words: &Words, head: &str, before: &[&str]) -> Option<bool> {
    if head
        .split(' ')
        .next()
        .is_some_and(|w| words.writer_subject.contains(w))
    {
        return None;
    }
    // "to apologize", "to say sorry".
    let before = before.strip_prefix(&["say"]).unwrap_or(before);
    let (&"to", rest) = before.split_first()? else {
        return None;
    };
    let in_order: Vec<&str> = rest.iter().rev().copied().collect();
    let verb =
        (0..in_order.len()).find(|&i| words.outreach_verb.prefix_len(&in_order[i..]).is_some())?;
    // Back from the verb over "have", "already", "personally" to the writer.
    let mut i = verb;
    let mut perfect = false;
    while i > 0
        && !words.writer_subject.contains(in_order[i - 1])
        && (is_perfect_word(words, in_order[i - 1]) || words.soft.contains(in_order[i - 1]))
    {
        perfect |= words.perfect_aux.contains(in_order[i - 1]);
        i -= 1;
    }
    let subject = in_order.get(i.checked_sub(1)?)?;
    perfect |= subject.ends_with("'ve");
    words.writer_subject.contains(subject).then_some(perfect)
}

/// How many words before a head a telling of the writer's apology is read in.
const NARRATION_REACH: usize = 10;

/// How far past a head `sentence_tail` looks: a bound keeps the pass linear on a text with
/// many heads and no sentence end.
const TAIL_MAX: usize = 200;

/// The rest of the sentence after `at`, up to its end mark, at most `TAIL_MAX` bytes.
fn sentence_tail(lower: &str, at: usize) -> &str {
    let rest = &lower[at..];
    let bytes = rest.as_bytes();
    let mut end = bytes
        .iter()
        .take(TAIL_MAX)
        .position(|b| matches!(b, b'.' | b'!' | b'?' | b';'))
        .unwrap_or(bytes.len().min(TAIL_MAX));
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    &rest[..end]
}

/// Whether a reported apology of the writer's is in the perfect: "I have apologised",
/// "we've since apologized" (`before` is nearest first).
fn in_force(words: &Words, before: &[&str]) -> bool {
    let aux = |w: &&str| words.perfect_aux.contains(w);
    match before {
        [first, ..] if aux(first) => true,
        [first, second, ..] => is_perfect_adverb(words, first) && aux(second),
        // "We've since apologized": "since" also opens clauses, so the clause may start at
        // the adverb, with the auxiliary cut off before it.
        [first] => is_perfect_adverb(words, first),
        _ => false,
    }
}

fn is_perfect_adverb(words: &Words, w: &str) -> bool {
    // "I have unreservedly apologised": a manner adverb between the auxiliary and the verb.
    words.perfect_adverb.contains(w)
        || (w.len() > 4 && w.ends_with("ly") && !words.ly_not_manner.contains(w))
}

/// A word of the perfect between a subject and its participle: "have", "already".
fn is_perfect_word(words: &Words, w: &str) -> bool {
    words.perfect_aux.contains(w) || is_perfect_adverb(words, w)
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::{analyzer, assert_apology, categories, counted_rules};

    #[test]
    fn saying_sorry_is_the_writers_when_the_writer_says_it() {
        assert_apology(
            true,
            &[
                "I want to start by saying sorry to the families.",
                "Let me begin by saying sorry.",
                "We're saying sorry because we got it wrong.",
            ],
        );
        assert_apology(
            false,
            &[
                "You could start by saying sorry.",
                "He never even began by saying sorry.",
                "Saying sorry never fixed anything.",
                "They're saying sorry now.",
            ],
        );
    }

    #[test]
    fn a_negator_reaches_past_a_going_on() {
        assert_apology(
            false,
            &[
                "I'm not going to keep apologising for a joke I made at school.",
                "I don't intend to apologize.",
            ],
        );
        assert_apology(true, &["I'm not gonna lie, I'm sorry."]);
        assert_apology(
            true,
            &[
                "not gonna lie i was a jerk to you",
                "no kidding I was rude to you",
            ],
        );
    }

    #[test]
    fn incredulity_at_ones_own_act_admits_it() {
        use crate::Category::{Responsibility, Specificity};
        for text in [
            "I can't believe I forgot your birthday.",
            "Can't believe I forgot your birthday again.",
        ] {
            let found = categories(text);
            assert!(found.contains(&Specificity), "{text}: {found:?}");
            assert!(found.contains(&Responsibility), "{text}: {found:?}");
        }
        // Doubting it is not admitting it.
        assert_apology(false, &["I don't believe I ever yelled at you."]);
    }

    #[test]
    fn the_bare_verb_joined_to_a_demand_is_a_demand() {
        assert_apology(
            false,
            &[
                "Admit you lied to your mum and apologize to her.",
                "Just go and apologise.",
                "They should own it and apologize to the player.",
            ],
        );
        assert_apology(
            true,
            &[
                "I'll ring her after work and apologize.",
                "Thanks for waiting and apologize for the mix-up.",
                "We reviewed your complaint and apologize for the rude reply.",
            ],
        );
    }

    #[test]
    fn an_apology_owed_or_asked_about_is_not_made() {
        assert_apology(
            false,
            &[
                "Dana better apologize to Lee for those comments.",
                "Everyone asked whether the club will apologise.",
                "They'll be sorry when the bill comes.",
            ],
        );
        assert_apology(
            true,
            &[
                "We must apologise for the delay.",
                "The council would like to issue a formal apology to every tenant.",
            ],
        );
    }

    #[test]
    fn a_habit_of_apologizing_is_talked_about() {
        assert_apology(
            false,
            &[
                "Lately I've noticed I apologize too often.",
                "I always apologise first, even when it isn't my fault.",
                "We say sorry all the time in this office.",
                "After a fight my sister and I would both apologize and go for ice cream.",
                "Whenever the printer jammed I would always apologize to the queue.",
                "Every time he came home late we'd all say sorry for waiting up.",
                "Whenever we argued we would eventually apologize and laugh about it.",
            ],
        );
        assert_apology(
            true,
            &[
                "I apologize for everything I said last night.",
                "I apologise for the mess, it was my fault.",
                "I would apologize for the wait, it was our mistake.",
                "We'd like to apologize for the wait.",
            ],
        );
    }

    #[test]
    fn a_question_about_the_apology_is_none_but_a_run_on_question_keeps_it() {
        assert_apology(
            false,
            &[
                "Why should I apologize for telling the truth?",
                "You're sorry?",
                "Am I sorry for it?",
            ],
        );
        assert_apology(
            true,
            &["hi apologies for the delay yes it was after the update?"],
        );
    }

    #[test]
    fn an_admission_in_a_condition_or_a_habit_admits_nothing() {
        assert_apology(
            false,
            &[
                "I apologize when I'm wrong. I said nothing wrong.",
                "Correct me if I'm wrong, but isn't that the old version?",
            ],
        );
        assert_apology(true, &["I was wrong about the date."]);
    }

    #[test]
    fn an_apology_in_the_perfect_stands_but_a_story_of_one_does_not() {
        assert_apology(
            true,
            &[
                "I have apologised to the coach and the whole squad.",
                "We've since apologized to the tenants.",
            ],
        );
        assert_apology(
            false,
            &[
                "I apologized to her last week; I said I was sorry, but she didn't accept it.",
                "I have apologised to him, but he still won't speak to me.",
            ],
        );
    }

    #[test]
    fn getting_in_touch_to_apologize_is_told_as_the_apology_itself_is() {
        assert_apology(
            true,
            &[
                "We have written to every tenant affected to apologise.",
                "I've phoned the venue twice today to say sorry.",
            ],
        );
        assert_apology(
            false,
            &[
                "I rang my sister on Sunday to apologise.",
                "I have messaged him to apologize, but he has blocked me.",
                "You should ring them to apologise.",
            ],
        );
        let a = analyzer().analyze("I drove over to her flat to apologize.");
        assert!(a.findings.iter().any(|f| f.reported));
    }

    #[test]
    fn an_admission_in_someone_elses_view_admits_nothing() {
        assert_apology(
            false,
            &[
                "They claim I made a mistake with the figures.",
                "Everyone says I was wrong to quit.",
            ],
        );
        assert_apology(
            true,
            &[
                "I think I made a mistake with the figures.",
                "I still can't believe how I could be so selfish.",
            ],
        );
    }

    #[test]
    fn a_modal_after_the_hearer_is_still_a_demand() {
        assert_apology(
            false,
            &[
                "You can apologize to her yourself.",
                "Sam should apologize to the whole class.",
                "I have apologized to her last week.",
            ],
        );
    }

    #[test]
    fn apologies_offered_to_someone_are_made_now() {
        assert_apology(
            true,
            &[
                "I extend my deepest apologies to the victims.",
                "We offer our apologies to the families.",
                "My apologies to everyone who waited.",
            ],
        );
        assert_apology(false, &["I apologized to her last week."]);
    }

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

    #[test]
    fn an_admission_asked_about_admits_nothing() {
        use crate::context::test_support::counted_rules;
        for text in [
            "Have I made a mistake here?",
            "Or am I showing my ignorance?",
        ] {
            assert!(
                counted_rules(text).is_empty(),
                "{text}: {:?}",
                counted_rules(text)
            );
        }
        for text in [
            "How could I have been so careless?",
            "I made a mistake. Can you fix it?",
        ] {
            assert!(!counted_rules(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn an_organisation_speaks_for_itself_in_its_own_name() {
        assert_apology(
            true,
            &[
                "Acme apologizes for the outage and we are refunding every customer.",
                "The council would like to issue a formal apology to every tenant affected.",
                "For the years of silence, we say sorry.",
                "The board of trustees apologises for what happened at the gala.",
                "The water company regrets the interruption to supplies on Tuesday.",
            ],
        );
        assert_apology(
            false,
            &[
                "Acme apologized for the outage and we got a refund.",
                "My brother apologizes for our fight.",
                "You say sorry, but you never change.",
                "The mayor rarely apologizes for anything.",
                "Burger chain apologizes after staff mocked a customer online",
            ],
        );
    }

    #[test]
    fn an_apology_told_as_a_story_or_by_someone_named_is_not_made_now() {
        assert_apology(
            false,
            &[
                "I had to apologize to the whole class for the mix-up.",
                "I once apologized to a lamp post for walking into it.",
                "A spokesman for the club, Dan Ortiz, apologized for the delay.",
                // Dated before the subject, or a time told between the telling and the "that".
                "At the time I apologized for any confusion.",
                "Two weeks ago we apologized to the tenants.",
                "I told reporters at the time that I was sorry if anyone was offended.",
            ],
        );
        assert_apology(
            true,
            &[
                "I have unreservedly apologised to the staff affected.",
                "Hi Sam, apologizes for the late reply, we are catching up.",
            ],
        );
    }

    #[test]
    fn an_apology_told_back_to_the_hearer_is_restated_not_narrated() {
        assert_apology(
            true,
            &[
                "I told you I was sorry. Stop sulking.",
                "I said I was sorry. You keep bringing it up.",
                "I said I was sorry, what more do you want?",
                "Just wanted to say sorry about Friday.",
                "Wanted to say sorry to the whole crew for the mess.",
                "mum sorry about the vase.",
            ],
        );
        assert_apology(
            false,
            &[
                "I told her I was sorry and she laughed.",
                "I said I was sorry. She walked out anyway.",
                "I said I was sorry and she hung up on me.",
                "He wanted to say sorry to the crew.",
                "My mum is sorry about the vase.",
                "The teacher was sorry about the mix-up.",
                "The officers were sorry.",
                "The officers involved were sorry, my cousin said.",
                "Everyone involved was sorry.",
            ],
        );
        // Without a verb, whom "sorry" is said to; an organisation's own people speak for it.
        assert_apology(
            true,
            &[
                "Hey man, sorry about that.",
                "The officers involved are deeply sorry.",
            ],
        );
    }

    #[test]
    fn apologies_talked_about_or_made_by_others_in_general_are_none() {
        assert_apology(
            false,
            &[
                "My apology was necessary, given the climate.",
                "We could do with fewer of those kinds of apologies.",
                "Most doctors apologise when something goes wrong.",
            ],
        );
        assert_apology(
            true,
            &[
                "My apologies, wrong thread.",
                "Again, apologize for the confusion.",
            ],
        );
    }

    #[test]
    fn the_apology_being_made_may_be_the_subject_of_its_sentence() {
        assert_apology(
            true,
            &[
                "This apology is long overdue.",
                "My apology is for the way I spoke to you.",
            ],
        );
        assert_apology(false, &["Apologies are cheap.", "My apology was accepted."]);
    }
}
