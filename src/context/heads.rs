//! Pass 4: which heads make an apology, and which sentences it reaches.
//!
//! A bare "sorry" right before a question or request is a polite opener ("Sorry, do you have
//! this in a nine?"), and before a "but" that turns to nothing blameworthy it softens a
//! disagreement ("Sorry, but that's not how it works"). The text is an apology
//! when a head or an admission in the writer's own voice remains. Rules scoped to an apology
//! then fire only in sentences within its reach, and never in a phatic sentence without a
//! valid head of its own.

use super::accounts::reads_as_others_account;
use super::but_scope::opens_with_extension;
use super::voice::ends_as_question;
use super::words::{words_before, words_in, Words};
use super::{Candidate, Context};
use crate::category::{Category, Kind, Trait};
use crate::lexicon::frame::Complement;
use crate::lexicon::{Role, Scope};
use crate::segment::Span;

/// How many sentences before or after an apology its deflection rules reach. Readers judge
/// a statement as a whole: a deflection twelve sentences after the apology still colours
/// it, but an unrelated remark in a long thread far from it does not.
const APOLOGY_REACH: usize = 20;

/// Texts of at most this many sentences are read as one apology: every sentence is in reach.
const SHORT_TEXT: usize = 6;

/// Drops request softeners, decides whether the text is an apology, and drops apology-scoped
/// candidates outside its reach.
pub fn run(cx: &mut Context<'_>) {
    // Told acts wait aside: they take no part in what makes a head an opener, and they make
    // an apology only where nothing else does.
    let (deeds, rest): (Vec<Candidate>, Vec<Candidate>) = std::mem::take(&mut cx.candidates)
        .into_iter()
        .partition(|c| cx.lex.rules[c.rule].role == Role::Deed);
    cx.candidates = rest;
    drop_softeners(cx);
    let mut apology_sentences = apology_sentences(cx);
    if apology_sentences.is_empty() {
        let owned = owned_deeds(cx, deeds);
        apology_sentences = owned.iter().map(|d| cx.sentence_of(d.span.start)).collect();
        apology_sentences.sort_unstable();
        apology_sentences.dedup();
        cx.candidates.extend(owned);
        cx.candidates.sort_by_key(|c| c.span.start);
    }
    cx.apology = !apology_sentences.is_empty();
    let near = reach(cx, &apology_sentences);
    let mut head_sentence = vec![false; cx.seg.sentences.len()];
    for c in &cx.candidates {
        if cx.rule(c).role == Role::Head {
            head_sentence[cx.sentence_of(c.span.start)] = true;
        }
    }
    let mut beside = vec![false; cx.seg.sentences.len() + 2];
    for &a in &apology_sentences {
        // Shifted by one, so that the sentence before the first needs no check.
        beside[a..=a + 2].iter_mut().for_each(|b| *b = true);
    }
    let (lex, seg, phatic) = (cx.lex, cx.seg, &cx.phatic_sentences);
    cx.candidates.retain(|c| {
        let s = seg.sentence_of(c.span.start);
        let in_reach = near[s] && (!phatic[s] || head_sentence[s]);
        match lex.rules[c.rule].scope {
            Scope::Anywhere => true,
            Scope::Apology => in_reach,
            Scope::Beside => in_reach && beside[s + 1],
        }
    });
}

/// Removes bare heads that only open a request ("Sorry, could you send it again?") or soften
/// a disagreement ("Sorry, but that's not how it works"), and marks their sentences phatic.
/// Only the words right after the head count: a question elsewhere in the text never makes
/// an apology an opener.
fn drop_softeners(cx: &mut Context<'_>) {
    let more = more_starts(cx);
    let softener: Vec<bool> = cx
        .candidates
        .iter()
        .map(|c| {
            let rule = cx.rule(c);
            rule.role == Role::Head
                && rule.category == Category::Regret
                && !c.reported
                && is_bare(cx, c.span)
                && !owned_before(cx, c.span)
                && (opens_request(cx, c.span, &more) || softens_a_but(cx, c.span.end, &more))
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

/// Whether the head says nothing of what it is for.
fn is_bare(cx: &Context<'_>, head: Span) -> bool {
    let at = cx
        .head_frames
        .partition_point(|f| f.head.start < head.start);
    cx.head_frames
        .get(at)
        .filter(|f| f.head == head)
        .is_none_or(|f| f.frame.complement == Complement::Bare)
}

/// The first words after `from`: in its sentence, or in the next one when its sentence has
/// no more; names and handles addressed ("Sorry Allen, ...", "@jo") skipped.
fn next_words<'a>(cx: &Context<'a>, from: usize) -> (Vec<&'a str>, Span) {
    let s = cx.sentence_of(from);
    let mut sentence = cx.seg.sentences[s];
    let mut span = Span {
        start: from.min(sentence.end),
        end: sentence.end,
    };
    let mut words: Vec<(usize, &str)> = word_starts(cx.lower, span);
    let mut skip = addressed(cx, &words);
    // "Excuse me, sorry, can I squeeze past?": another apology word before the request is
    // part of the same opening.
    while words
        .get(skip)
        .is_some_and(|&(_, w)| cx.words.head_word.contains(w) && w != "bad")
    {
        skip += 1;
        if words.get(skip).is_some_and(|&(_, w)| w == "me") {
            skip += 1;
        }
    }
    // "Sorry Priya... did the fix work?": only a name before the sentence ends. A head with
    // its subject ("We're sorry, Anthony! Did you order online?") stays an apology.
    let lone_sorry = words_before(cx.lower, sentence.start, from, 2) == ["sorry"];
    if words.len() == skip && (skip == 0 || lone_sorry) {
        if let Some(next) = cx.seg.sentences.get(s + 1) {
            sentence = *next;
            span = sentence;
            words = word_starts(cx.lower, span);
            skip = 0;
        }
    }
    (words[skip..].iter().map(|(_, w)| *w).collect(), sentence)
}

/// How many of the first words (at most two, with their byte offsets) address the hearer.
fn addressed(cx: &Context<'_>, words: &[(usize, &str)]) -> usize {
    words
        .iter()
        .take(2)
        .take_while(|&&(at, w)| names_the_hearer(cx, at, w))
        .count()
}

/// Whether the word `w` at byte `at` addresses the hearer rather than starting the clause:
/// a name ("Sorry Allen", "@jo") or a term of address ("sorry pal", "sorry folks").
fn names_the_hearer(cx: &Context<'_>, at: usize, w: &str) -> bool {
    cx.words.address_term.contains(w)
        || (cx.text[at..].starts_with(|c: char| c.is_uppercase())
            && !cx.words.writer_subject.contains(w)
            && !cx.words.request_opener.contains(w)
            && !cx.words.hearer.contains(w)
            && w != "but")
}

fn word_starts(lower: &str, span: Span) -> Vec<(usize, &str)> {
    let base = lower.as_ptr() as usize;
    words_in(lower, span)
        .take(12)
        .map(|w| (w.as_ptr() as usize - base, w))
        .collect()
}

/// Whether a question or a request follows the head directly, or after an aside and a "but"
/// ("Sorry, I know it's late, but could you check it?"), and is not an offer ("How can I
/// make it right?").
fn opens_request(cx: &Context<'_>, head: Span, more: &[usize]) -> bool {
    let from = head.end;
    let (words, sentence) = next_words(cx, from);
    // "Sorry. But what is the blue button?": a conjunction or a filler opening the question
    // changes nothing when the head stands alone. "That's true, sorry. But couldn't we...":
    // a head after words of its own is for them, and the "but" turns from it.
    let alone = stands_alone(cx, head);
    let lead = words
        .iter()
        .take_while(|w| {
            alone && (matches!(**w, "but" | "so" | "and") || cx.words.but_filler.contains(w))
        })
        .count();
    if says_more(more, from, sentence.end) {
        return false;
    }
    is_request(cx, &words[lead..], sentence) || (alone && request_after_aside(cx, from))
}

/// Whether the head opens its sentence, with at most its subject, adverbs and an
/// interjection before it.
fn stands_alone(cx: &Context<'_>, head: Span) -> bool {
    let sentence = cx.seg.sentences[cx.sentence_of(head.start)];
    words_before(cx.lower, sentence.start, head.start, 4)
        .iter()
        .all(|w| {
            cx.words.writer_subject.contains(w)
                || cx.words.soft.contains(w)
                || cx.words.be_aux.contains(w)
                || cx.words.but_filler.contains(w)
                || matches!(*w, "oh" | "ah")
        })
}

/// Whether `words` open a question or a request in `sentence`.
fn is_request(cx: &Context<'_>, words: &[&str], sentence: Span) -> bool {
    let Some(n) = cx.words.request_opener.prefix_len(words) else {
        return false;
    };
    // "Sorry! Did I step on your foot?": a question about the writer's own act; "I'm so
    // sorry, are you ok?": care for the person, not a request.
    let about_own_act = cx.words.own_act_question.prefix_len(words).is_some();
    if about_own_act || cx.words.wellbeing_check.prefix_len(words).is_some() {
        return false;
    }
    words[0] == "please" || n > 1 || ends_as_question(cx.text, sentence)
}

/// Whether the head's sentence goes on, after an aside that tells of nothing the writer did,
/// to "but" and a request. "Sorry, I forgot, but could you resend it?" owns a slip first.
fn request_after_aside(cx: &Context<'_>, from: usize) -> bool {
    let sentence = cx.seg.sentences[cx.sentence_of(from)];
    let rest = Span {
        start: from.min(sentence.end),
        end: sentence.end,
    };
    let after: Vec<&str> = words_in(cx.lower, rest).take(20).collect();
    let Some(but) = after.iter().position(|w| *w == "but") else {
        return false;
    };
    let aside = &after[..but];
    but > 0 && !tells_own_act(cx.words, aside) && is_request(cx, &after[but + 1..], sentence)
}

/// Whether the head's sentence tells an act of the writer's before it: "I deleted the
/// archive by mistake (wrong button, sorry). Could an admin restore it?" owns a slip, and
/// the question after it asks for the repair.
fn owned_before(cx: &Context<'_>, head: Span) -> bool {
    let sentence = cx.seg.sentences[cx.sentence_of(head.start)];
    let before: Vec<&str> = words_in(
        cx.lower,
        Span {
            start: sentence.start,
            end: head.start.max(sentence.start),
        },
    )
    .collect();
    tells_own_act(cx.words, &before)
}

/// Whether `words` hold the writer as subject of a verb in the past: "I forgot", "we sent".
fn tells_own_act(w: &Words, words: &[&str]) -> bool {
    words.windows(2).any(|pair| {
        w.writer_subject.contains(pair[0])
            && (pair[1].ends_with("ed") || w.past_act.contains(pair[1]))
    }) || words.windows(3).any(|t| {
        w.writer_subject.contains(t[0])
            && w.act_adverb.contains(t[1])
            && (t[2].ends_with("ed") || w.past_act.contains(t[2]))
    })
}

/// Whether "but" follows the head in its sentence and turns to nothing the rules read as a
/// deflection, a stance or more ownership: "Sorry, but that's not how it works" softens a
/// disagreement, where "Sorry, but you started it" takes an apology back.
fn softens_a_but(cx: &Context<'_>, from: usize, more: &[usize]) -> bool {
    let sentence = cx.seg.sentences[cx.sentence_of(from)];
    let opening = word_starts(
        cx.lower,
        Span {
            start: from.min(sentence.end),
            end: sentence.end,
        },
    );
    // "Sorry pal, but...", "Sorry Cal, but...": whom the head addresses comes before the "but",
    // and so may a filler ("I'm sorry, you know, but...").
    let mut after: Vec<&str> = opening[addressed(cx, &opening)..]
        .iter()
        .map(|&(_, w)| w)
        .take(12)
        .collect();
    while let Some(n) = cx.words.but_filler.prefix_len(&after) {
        after.drain(..n);
    }
    if after.first() != Some(&"but") {
        return false;
    }
    // "Sorry, but what is X?" opens a question for help; "Sorry, but why should I?" is a stance.
    let stance = cx.words.but_stance.prefix_len(&after[1..]).is_some()
        && cx.words.request_turn.prefix_len(&after[1..]).is_none();
    // "I'm sorry, but thank you for telling me": a turn back to ownership or to the other's
    // good keeps the apology.
    let rest = &cx.lower[from.min(sentence.end)..sentence.end];
    let post = rest.find("but").map(|at| Span {
        start: from + at + "but".len(),
        end: sentence.end,
    });
    let extends = post.is_some_and(|post| opens_with_extension(cx, post));
    // "Sorry, but you told me it was optional": an account that puts it on someone else
    // takes the apology back, whatever words it is in.
    let accounts_for_it = post.is_some_and(|post| reads_as_others_account(cx, post));
    // "I'm sorry, but the media blew this out of proportion": a deflection the rules find
    // after the "but" turns away from the apology; it softens no disagreement.
    let deflects = post.is_some_and(|post| deflection_within(cx, post));
    !stance
        && !extends
        && !accounts_for_it
        && !deflects
        && !blames_another(cx.words, &after[1..])
        && !judges_the_hearer(cx.words, &after[1..])
        && !says_more(more, from, sentence.end)
}

/// Whether a deflection candidate (other than the adversative itself) starts in `span`. The
/// frames pass has appended its findings after the others, so the candidates are not in
/// order here and all are looked at; only a bare head right before a "but" asks.
fn deflection_within(cx: &Context<'_>, span: Span) -> bool {
    cx.candidates.iter().any(|c| {
        let rule = cx.rule(c);
        !c.reported
            && rule.category.kind() == Kind::Deflection
            && rule.role != Role::Adversative
            && c.span.start >= span.start
            && c.span.start < span.end
    })
}

/// Whether the words after "but" judge the hearer's conduct or feelings: "sorry, but you're
/// late again", "but you are overreacting", "but you can't be mad at me for that". That
/// turns the apology on them; it softens no disagreement. "But you're wrong about the date"
/// disputes a fact, and is left to the softener.
fn judges_the_hearer(w: &Words, after: &[&str]) -> bool {
    let mut t = after;
    while let Some(n) = w.but_filler.prefix_len(t) {
        t = &t[n..];
    }
    let mut rest = match t {
        ["you're" | "youre" | "ur", rest @ ..] => rest,
        ["you" | "u", "are" | "were" | "was", rest @ ..] => rest,
        ["you" | "u", "can't" | "cant" | "cannot" | "couldn't", rest @ ..] => {
            let adverbs = rest
                .iter()
                .take_while(|x| **x != "be" && (w.soft.contains(x) || x.ends_with("ly")))
                .count();
            match &rest[adverbs..] {
                ["blame" | "expect", ..] => return true,
                ["be", more @ ..] => more,
                _ => return false,
            }
        }
        _ => return false,
    };
    let adverbs = rest
        .iter()
        .take_while(|x| w.soft.contains(x) || x.ends_with("ly"))
        .count();
    rest = &rest[adverbs..];
    if rest.first() == Some(&"wrong") {
        return false;
    }
    w.conduct_fault.prefix_len(rest).is_some()
        || w.overreaction_word.prefix_len(rest).is_some()
        || w.feeling_word.prefix_len(rest).is_some()
}

/// Whether the words after "but" tell what someone else did or how they behaved: "sorry,
/// but she started it", "but my brother broke it first", "but they were rude". That puts
/// the act on them and takes the apology back; it softens no disagreement.
fn blames_another(w: &Words, after: &[&str]) -> bool {
    let mut t = after;
    while let Some(n) = w.but_filler.prefix_len(t) {
        t = &t[n..];
    }
    let n = match t {
        [first, ..] if w.third_person.contains(first) || w.other_subject.contains(first) => 1,
        [det, noun, ..]
            if matches!(*det, "my" | "our" | "his" | "her" | "their" | "the")
                && (w.kin_noun.contains(noun)
                    || w.person_noun.contains(noun)
                    || w.third_party_agent.contains(noun)) =>
        {
            2
        }
        _ => return false,
    };
    let rest = &t[n..];
    match rest {
        [verb, ..] if verb.ends_with("ed") || w.past_act.contains(verb) => true,
        ["was" | "were", more @ ..] => {
            let adverbs = more.iter().take_while(|x| w.soft.contains(x)).count();
            w.conduct_fault.prefix_len(&more[adverbs..]).is_some()
        }
        _ => false,
    }
}

/// Whether a deflection or more ownership than regret is found in `from..until`: `more`
/// holds the starts of such candidates, sorted ([`more_starts`]).
fn says_more(more: &[usize], from: usize, until: usize) -> bool {
    let i = more.partition_point(|&s| s <= from);
    more.get(i).is_some_and(|&s| s < until)
}

/// The sorted starts of the candidates that are a deflection or more ownership than regret,
/// so that [`says_more`] is a binary search, not a scan of every candidate per head.
fn more_starts(cx: &Context<'_>) -> Vec<usize> {
    let lex = cx.lex;
    let mut starts: Vec<usize> = cx
        .candidates
        .iter()
        .filter(|o| {
            let rule = &lex.rules[o.rule];
            !matches!(rule.role, Role::Adversative | Role::Frame)
                && (rule.category.kind() == Kind::Deflection
                    || lex.has_trait(rule.category, Trait::TurnsBack))
        })
        .map(|o| o.span.start)
        .collect();
    starts.sort_unstable();
    starts
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
    if sentences.len() == 1 && admission_told_to_no_one(cx, sentences[0]) {
        sentences.clear();
    }
    sentences
}

/// The told acts (deed rules) in the writer's own voice that the text owns another way too:
/// a finding of a category with the trait `owns_deed` that says more than the act itself
/// ("I overwrote your changes. I've restored your version").
fn owned_deeds(cx: &Context<'_>, deeds: Vec<Candidate>) -> Vec<Candidate> {
    let traits = &cx.lex.traits;
    let owned = |deed: &Candidate| {
        cx.candidates.iter().any(|c| {
            !c.reported
                && traits.has(cx.rule(c).category, Trait::OwnsDeed)
                && !(c.span.start >= deed.span.start && c.span.end <= deed.span.end)
        })
    };
    deeds
        .into_iter()
        .filter(|d| !d.reported && owned(d))
        .collect()
}

/// Texts of at most this many sentences can be a turn of talk whose admission narrates.
const TALK_TURN: usize = 3;

/// Whether the one sentence holding an apology's evidence holds only an admission that
/// narrates: "and we should have gone the whole way over,", "I lied. #nofilter". A turn of
/// talk or a social post with nothing else of an apology (no head, no other component) and
/// no one addressed tells a story about the writer; it apologizes to no one. An admission
/// said to someone ("I messed up. I promised I'd be there with you"), or in a statement
/// (no mark of talk), stays an apology.
fn admission_told_to_no_one(cx: &Context<'_>, sentence: usize) -> bool {
    if cx.seg.sentences.len() > TALK_TURN {
        return false;
    }
    let lone = cx.candidates.iter().filter(|c| !c.reported).all(|c| {
        let rule = cx.rule(c);
        match rule.role {
            Role::Head => false,
            Role::Admission => rule.category == Category::Responsibility,
            _ => {
                rule.category.kind() == Kind::Deflection
                    || matches!(
                        rule.category,
                        Category::Specificity | Category::Responsibility
                    )
            }
        }
    });
    if !lone {
        return false;
    }
    let all = Span {
        start: 0,
        end: cx.lower.len(),
    };
    let words: Vec<&str> = words_in(cx.lower, all).collect();
    // "You know" is filler; "your car" names what the hearer owns, so it is said to them.
    let addressed = words.iter().enumerate().any(|(i, w)| {
        (cx.words.hearer.contains(w)
            && !matches!(words.get(i + 1).copied(), Some("know" | "see" | "mean")))
            || cx.words.hearer_possessive.contains(w)
    });
    if addressed {
        return false;
    }
    let opening: Vec<&str> = words_in(cx.lower, cx.seg.sentences[sentence])
        .take(3)
        .collect();
    let talk_opening = cx.words.talk_marker.prefix_len(&opening).is_some();
    let stutter = cx.stuttered || opening.windows(2).any(|w| w[0] == w[1]);
    let talk_anywhere =
        cx.lower.contains('#') || words.iter().any(|w| cx.words.social_marker.contains(w));
    talk_opening || stutter || talk_anywhere
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

    /// Asserts that each text is (or is not) read as an apology.
    fn assert_apology(texts: &[&str], apology: bool) {
        for text in texts {
            assert_eq!(analyzer().analyze(text).apology, apology, "{text}");
        }
    }

    #[test]
    fn a_sorry_to_a_name_before_a_question_is_an_opener() {
        let a = analyzer().analyze("Sorry Priya... did the fix work for you?");
        assert!(!a.apology);
        let a = analyzer().analyze("We're sorry, Tom! Did the parcel arrive damaged?");
        assert!(a.apology);
    }

    #[test]
    fn an_admission_told_to_no_one_in_talk_narrates() {
        assert_apology(
            &[
                "and we should have taken the earlier train,",
                "we, we messed up the booking that time too",
                "I lied lol, the pizza place is still the best in town",
                "Uh, that was my own fault, I guess.",
            ],
            false,
        );
        assert_apology(
            &[
                "and I should have told you first,",
                "We got this wrong.",
                "I messed up. I promised I'd be at the airport for you and I wasn't.",
                "and we were wrong, and I'm sorry,",
                "so that was my fault. I won't do it again.",
                "okay I admit it, I was the one who scratched your car",
            ],
            true,
        );
    }

    #[test]
    fn a_question_about_the_harm_keeps_the_apology() {
        assert_apology(
            &[
                "oh no, I knocked your coffee over, I'm so sorry, are you ok?",
                "Oops, sorry! Did I wake you?",
            ],
            true,
        );
    }

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
    fn a_request_after_a_lone_sorry_and_a_but_is_an_opener() {
        assert_apology(
            &[
                "Sorry. But where do I find the settings page?",
                "I'm sorry. So how do I reset it?",
                "Sorry, I know this thread is old, but could you post the config?",
                "Sorry, I was wondering if the two clubs are related?",
            ],
            false,
        );
    }

    #[test]
    fn a_sorry_after_words_of_its_own_or_an_owned_slip_stays() {
        assert_apology(
            &[
                "You're right, sorry. But couldn't we split the table instead?",
                "Sorry, I deleted the file, but could you send it again?",
            ],
            true,
        );
    }

    #[test]
    fn a_but_that_turns_to_a_deflection_is_no_softener() {
        assert_apology(
            &[
                "I'm sorry, but the media has blown this out of proportion.",
                "I'm sorry, but it is what it is.",
                "I'm sorry, but anyone would have reacted the same way.",
            ],
            true,
        );
        // Disagreeing about a fact, with no deflection, is still a softener, whoever the
        // "sorry" addresses on the way.
        assert_apology(
            &[
                "Sorry, but that's not how it works.",
                "Sorry mate, but that's not how it works.",
                "Sorry Dana, but the bus leaves at nine.",
                // A filler before the "but" hides nothing.
                "Sorry mate, honestly, but that's not how it works.",
                "I'm sorry, well, but that is the rule.",
            ],
            false,
        );
        assert_apology(&["Sorry mate, but you started it."], true);
    }

    #[test]
    fn a_but_that_blames_someone_else_takes_the_apology_back() {
        for text in [
            "I'm sorry, but she started it.",
            "Sorry, but my cousin threw the first punch.",
            "Sorry, but they were really rude to me.",
            // The accounts pass's reading, asked before it runs.
            "Sorry, but you said the meeting was optional.",
            "Sorry, but the courier left it at the wrong door.",
        ] {
            let a = analyzer().analyze(text);
            assert!(a.apology, "{text}");
            assert!(
                a.findings
                    .iter()
                    .any(|f| &*f.rule == "but_undoing.adversative"),
                "{text}"
            );
        }
        // A verdict or a fact about someone softened by "sorry" owns nothing.
        assert_apology(
            &[
                "Sorry, but he is right about the dates.",
                "Sorry, but they were here first.",
                "Sorry, but I'm struggling to follow the second step. Could you explain it again?",
            ],
            false,
        );
    }

    #[test]
    fn a_told_wrong_is_an_apology_only_when_owned_another_way() {
        // The act beside a repair, a change, or a judgement of it.
        assert_apology(
            &[
                "I deleted your photos from the shared drive. I've restored them from the backup.",
                "I tuned you out all week. From now on my phone stays in the drawer at dinner.",
                "I told Sam about your news before you could, and that was not ok.",
            ],
            true,
        );
        // The act told alone, done to the writer's own things, or only supposed.
        assert_apology(
            &[
                "I deleted your photos from the shared drive.",
                "I broke my phone again, so I'll get a new one tomorrow.",
                "If I deleted your photos, I've restored them from the backup.",
            ],
            false,
        );
        // A told act waits aside while openers are read: "sorry, but" before a moderator's
        // note of what they removed still softens a refusal.
        assert_apology(
            &["Sorry, but I removed your post. Please read the rules first."],
            false,
        );
        // With a head, the act adds nothing of its own: the apology stands on the head.
        let a = analyzer().analyze("Sorry, I deleted your photos. I've restored them.");
        assert!(a
            .findings
            .iter()
            .all(|f| &*f.rule != "responsibility.told_wrong"));
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

    #[test]
    fn a_but_that_judges_the_hearer_takes_the_apology_back() {
        for text in [
            "Sorry, but you're late again.",
            "Sorry but you can't be mad at me for that.",
            "I'm sorry, but you are really overreacting.",
            "Sorry, but you can't seriously blame me.",
        ] {
            let a = analyzer().analyze(text);
            assert!(a.apology, "{text}");
            assert!(a.has(crate::Category::ButUndoing), "{text}");
        }
        // Disputing a fact, or telling what the hearer must do, is still a softener.
        assert_apology(
            &[
                "Sorry, but you're wrong about the date.",
                "Sorry, but you can't park here.",
            ],
            false,
        );
    }

    #[test]
    fn a_sorry_after_the_writers_own_act_is_no_opener() {
        assert_apology(
            &["I deleted the archive by mistake (wrong button, sorry). Could an admin restore it?"],
            true,
        );
        assert_apology(&["I'm new here, sorry. Where do I post this?"], false);
    }

    #[test]
    fn a_chain_of_apology_words_before_a_request_is_one_opener() {
        assert_apology(
            &["Excuse me, sorry, can I just get past you to the aisle?"],
            false,
        );
        assert_apology(&["Excuse me, sorry, I didn't see you there."], true);
    }
}
