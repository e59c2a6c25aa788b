//! Pass 5: accounts beside an apology.
//!
//! An apology is often followed by how the thing came about: "Sorry for the delay, the
//! courier lost your parcel", "Apologies for the late reply. My laptop died on the train."
//! When the account has someone or something other than the writer doing it, tells a
//! failure or is given as the cause, and owns nothing, it stands in for ownership: TAXONOMY
//! §4 trap 8 calls an explanation before or instead of ownership an excuse, and the rubric
//! counts responsibility put on others as a blame shift. No phrase list can hold every
//! account ("the satnav sent us the wrong way", "finance sent the figures at midnight"), so
//! the pass reads the clause's shape with the word classes: its subject, a past predicate,
//! and a failure or a cause. The frame rules that name the `account` complement then decide
//! the category, as they do for what an apology is for.

use std::collections::HashSet;

use super::frames::{
    auxiliaries, clauses_of_sentence, is_content, read_words, subject, HeadFrame, Word,
};
use super::spans::starts_within;
use super::words::{words_in, Words};
use super::{Candidate, Context};
use crate::category::{Category, Kind};
use crate::lexicon::frame::{Actor, Complement, Frame, Modality, Object, Predicate};
use crate::lexicon::{Role, WordSet};
use crate::segment::Span;

/// How many clauses after a head are read for its account: the account comes right after
/// the apology or not at all.
const CLAUSES_READ: usize = 3;

/// Reads the account after every apology head and fires the frame rules that ask for one.
pub fn run(cx: &mut Context<'_>) {
    let rules: Vec<usize> = (0..cx.lex.rules.len())
        .filter(|&i| {
            let rule = &cx.lex.rules[i];
            rule.role == Role::Frame
                && rule
                    .frame
                    .is_some_and(|f| f.names_complement(Complement::Account))
        })
        .collect();
    if rules.is_empty() || !cx.apology {
        return;
    }
    let read = Read::new(cx);
    let mut fired: Vec<Candidate> = Vec::new();
    // Two heads can share one account; a set keeps the check constant for a text with
    // thousands of heads, where a scan of what fired would make the pass quadratic.
    let mut seen: HashSet<(usize, Span)> = HashSet::new();
    for hf in &cx.head_frames {
        let live = read.heads.binary_search(&hf.head.start).is_ok()
            && !cx.phatic_sentences[cx.sentence_of(hf.head.start)];
        if !live {
            continue;
        }
        let names_act = hf.frame.complement != Complement::Bare;
        let Some((frame, span)) = account_after(cx, hf, names_act, &read) else {
            continue;
        };
        for &r in &rules {
            let admits = cx.lex.rules[r]
                .frame
                .is_some_and(|cond| cond.admits(&frame));
            if admits && seen.insert((r, span)) {
                fired.push(Candidate {
                    rule: r,
                    span,
                    reported: false,
                });
            }
        }
    }
    cx.candidates.extend(fired);
}

/// What the pass looks up for every head, read once and sorted: a text with thousands of
/// heads must not be scanned once per head.
struct Read {
    /// Starts of the live apology heads.
    heads: Vec<usize>,
    /// The adversatives, by start.
    adversatives: Vec<Span>,
    /// Ownership found (a head aside), by start.
    ownership: Vec<Span>,
    /// Where the first admission starts.
    first_admission: Option<usize>,
}

impl Read {
    fn new(cx: &Context<'_>) -> Self {
        let spans_of = |keep: &dyn Fn(&Candidate) -> bool| {
            let mut v: Vec<Span> = cx
                .candidates
                .iter()
                .filter(|c| !c.reported && keep(c))
                .map(|c| c.span)
                .collect();
            v.sort_unstable_by_key(|s| s.start);
            v
        };
        let role = |c: &Candidate| cx.rule(c).role;
        Read {
            heads: spans_of(&|c| role(c) == Role::Head)
                .iter()
                .map(|s| s.start)
                .collect(),
            adversatives: spans_of(&|c| role(c) == Role::Adversative),
            // Naming an act is not owning it: "I never deleted your file" names one to deny it.
            ownership: spans_of(&|c| {
                let category = cx.rule(c).category;
                category.kind() == Kind::Ownership
                    && category != Category::Specificity
                    && role(c) != Role::Head
            }),
            first_admission: spans_of(&|c| role(c) == Role::Admission)
                .first()
                .map(|s| s.start),
        }
    }
}

/// The first clause after the head (past what it is for, in its sentence or the next) that
/// is an account, with its frame and span. With `names_act` (the apology says what it is
/// for), someone's act told right after it is an account by its place alone. A clause an
/// adversative opens is the but-scope pass's to judge.
fn account_after(
    cx: &Context<'_>,
    hf: &HeadFrame,
    names_act: bool,
    read: &Read,
) -> Option<(Frame, Span)> {
    let head = hf.head;
    let s = cx.sentence_of(head.start);
    let after = hf.end.max(head.end);
    let next = (s + 1 < cx.seg.sentences.len()).then_some(s + 1);
    let clauses = clauses_of_sentence(cx, s)
        .filter(|c| c.start >= after)
        .chain(next.into_iter().flat_map(|n| clauses_of_sentence(cx, n)))
        .take(CLAUSES_READ);
    for (k, clause) in clauses.enumerate() {
        if cx.phatic_sentences[cx.sentence_of(clause.start)] || cx.is_reported(clause) {
            return None;
        }
        let mut words = read_words(cx.words, cx.lower, cx.text, clause.start, clause.end);
        let Some(opening) = words.first() else {
            continue;
        };
        // "That said, you've been picking at me all week": the but-scope pass reads the
        // adversative; what it opens may still be an account of its own.
        let adversatives = &read.adversatives;
        if let Ok(i) = adversatives.binary_search_by_key(&opening.start, |a| a.start) {
            let from = adversatives[i].end.min(clause.end);
            words = read_words(cx.words, cx.lower, cx.text, from, clause.end);
            if words.is_empty() {
                continue;
            }
            // "But the meeting has moved to 3pm": what a "but" turns to that goes back to
            // ownership or informs the hearer is no account of the act.
            if starts_within(&cx.marks.extends, words[0].start, words[0].end) {
                return None;
            }
        }
        // A subject is dropped only where a clause opens: right after the apology, or as a
        // sentence of its own ("Was typing when your reply came").
        let opens = k == 0 || words[0].capital;
        match read_account(cx.words, &words, names_act && k == 0, opens) {
            Reading::Account(frame) => {
                let span = Span {
                    start: words[0].start,
                    end: words[words.len() - 1].end,
                };
                return (!owned_around(cx, span, read, frame.actor)).then_some((frame, span));
            }
            // Once the writer speaks of their own doing, what comes after is no account of it.
            Reading::Stop => return None,
            Reading::Other => {}
        }
    }
    None
}

/// Whether the words in `span` read as an account with someone or something other than the
/// writer doing it: what follows "sorry, but" in "Sorry, but you told me it was optional".
/// The heads pass asks this before it calls such a "but" a softener, since it runs before
/// this pass. The writer's own state is left out: "sorry, but I'm struggling to follow"
/// opens a request.
pub(super) fn reads_as_others_account(cx: &Context<'_>, span: Span) -> bool {
    let words = read_words(cx.words, cx.lower, cx.text, span.start, span.end);
    !words.is_empty()
        && matches!(
            read_account(cx.words, &words, false, true),
            Reading::Account(frame) if frame.actor != Actor::Writer
        )
}

/// What one clause after an apology is.
enum Reading {
    /// An account, with its frame.
    Account(Frame),
    /// The end of where an account may be: the writer acting.
    Stop,
    /// Something else; the next clause may still be the account.
    Other,
}

/// Reads a clause as an account: its subject someone or something other than the writer,
/// a predicate in the past, and either a failure told or a cause given. The clause right
/// after an apology that names its act (`first`) needs neither when it tells what someone
/// else did: "Sorry we missed the start. Dan swore it started at eight." A clause that
/// `opens` (right after the apology, or a sentence of its own) may have dropped its subject.
fn read_account(w: &Words, words: &[Word<'_>], first: bool, opens: bool) -> Reading {
    let all: Vec<&str> = words.iter().map(|x| x.text).collect();
    let mut t = &all[..];
    let mut causal = false;
    loop {
        if let Some(n) = w.cause_connective.prefix_len(t) {
            causal = true;
            t = &t[n..];
        } else if let Some(n) = w
            .clause_lead
            .prefix_len(t)
            .or_else(|| w.but_filler.prefix_len(t))
        {
            t = &t[n..];
        } else {
            break;
        }
    }
    // "I just think you take these things too personally": the writer's opinion of the
    // hearer is read as what it says of the hearer.
    t = strip_opinion_lead(w, t);
    // A question ("which store did you buy these from?") or a relative clause ("who trained
    // clean") tells no account.
    if t.len() < 2 || w.wh_word.contains(t[0]) {
        return Reading::Other;
    }
    // "The banner was never meant to ridicule anyone": what was willed, which the intent
    // rules read, is no account of how it came about.
    if holds(&w.volition_word, t) {
        return Reading::Other;
    }
    // "it slipped my mind while I was packing": whatever the clause's subject, the writer
    // taken up with something else when it happened is the circumstance offered.
    if occupied_at_the_time(w, t) {
        return Reading::Account(account(Actor::Writer, Predicate::State));
    }
    // A capital is a name inside a sentence; at its start, only before a verb ("Dan swore").
    let capital = words
        .iter()
        .find(|x| x.text == t[0])
        .is_some_and(|x| x.capital && x.text != "i")
        && (words[0].text != t[0] || t.get(1).is_some_and(|x| is_past_verb(w, x)));
    // "Sry, was driving", "sorry, been slammed all week": a clause with its subject dropped,
    // as chat drops it, right after the writer's apology is the writer's own.
    if opens && matches!(t[0], "was" | "been") {
        return writers_own_account(w, t).map_or(Reading::Stop, Reading::Account);
    }
    let (actor, n) = account_subject(w, t, capital);
    let predicate = past_predicate(w, actor, &t[n..]);
    // The hearer's thing ("your messages", "your team") is the hearer's doing, unless it
    // was only done to ("your order was dispatched to the wrong address").
    let hearers_thing = w.hearer_possessive.contains(t[0])
        && !t.iter().take(n).any(|x| {
            w.kin_noun.contains(x) || w.third_party_agent.contains(x) || w.public_body.contains(x)
        })
        && predicate != Some(Predicate::Passive);
    match actor {
        Actor::Writer => {
            return writers_own_account(w, &t[n..]).map_or(Reading::Stop, Reading::Account)
        }
        Actor::Hearer | Actor::Audience => {
            return turned_on_hearer(w, actor, &t[n..]).map_or(Reading::Other, Reading::Account)
        }
        _ if hearers_thing => {
            return turned_on_hearer(w, Actor::Hearer, &t[n..])
                .map_or(Reading::Other, Reading::Account)
        }
        Actor::Others | Actor::Thing | Actor::Nobody => {}
        _ => return Reading::Other,
    }
    let Some(predicate) = predicate else {
        return Reading::Other;
    };
    // "the end comment was unnecessary and rude": a verdict on the thing, not how it came about.
    if actor == Actor::Thing && judged_wrong(w, &t[n..]) {
        return Reading::Other;
    }
    // "printed by an outside supplier": the agent named is someone acting. So is the agent of
    // a passive ("my remarks were taken out of context by people with an agenda").
    let by_agent = names_agent(&t[n..], 8);
    let (actor, predicate) = match (actor, predicate) {
        (Actor::Thing, Predicate::Act) if by_agent => (Actor::Others, predicate),
        (Actor::Thing | Actor::Nobody | Actor::Others, Predicate::Passive) if by_agent => {
            (Actor::Others, Predicate::Act)
        }
        _ => (actor, predicate),
    };
    // Someone else's act that fell on the writer ("Priya told us it started at eight", "the
    // agency sent us the old rates") is given as what led to the failure.
    let on_writer =
        predicate == Predicate::Act && t[n..].iter().take(4).any(|x| matches!(*x, "me" | "us"));
    // Right after an apology that names its act, a thing doing something ("my phone took a
    // swim", "the bank holiday pushed processing back") is told as how it came about.
    let told_right_after = first
        && match actor {
            Actor::Others => predicate == Predicate::Act,
            Actor::Thing => matches!(
                predicate,
                Predicate::Act | Predicate::Event | Predicate::State
            ),
            _ => false,
        };
    if !(causal || on_writer || told_right_after || tells_failure(w, &t[n..])) {
        return Reading::Other;
    }
    Reading::Account(account(actor, predicate))
}

/// Whether a predicate calls its subject wrong: "was unnecessary", "is completely
/// unacceptable", "were needlessly rude".
fn judged_wrong(w: &Words, t: &[&str]) -> bool {
    let skip = t
        .iter()
        .take_while(|x| {
            w.be_aux.contains(x)
                || w.aux.contains(x)
                || w.act_adverb.contains(x)
                || x.ends_with("ly")
        })
        .count();
    t.first().is_some_and(|x| w.be_aux.contains(x))
        && w.wrong_evaluation.prefix_len(&t[skip..]).is_some()
}

/// What follows "I (just) think (that)" when it is said of the hearer: "I honestly feel you
/// overreacted" reads as "you overreacted". The writer's opinion of their own act ("I think
/// I was wrong") is left whole.
fn strip_opinion_lead<'t>(w: &Words, t: &'t [&'t str]) -> &'t [&'t str] {
    let Some((first, rest)) = t.split_first() else {
        return t;
    };
    if !w.writer_subject.contains(first) {
        return t;
    }
    let adverbs = rest
        .iter()
        .take_while(|x| w.act_adverb.contains(x) || w.soft.contains(x))
        .count();
    let Some(verb) = rest.get(adverbs) else {
        return t;
    };
    if !w.belief_verb.contains(verb) {
        return t;
    }
    let said = &rest[adverbs + 1..];
    let said = said.strip_prefix(&["that"]).unwrap_or(said);
    let of_hearer = said
        .first()
        .is_some_and(|x| w.hearer.contains(x) || w.hearer_possessive.contains(x));
    if of_hearer {
        said
    } else {
        t
    }
}

/// The frame of an account.
fn account(actor: Actor, predicate: Predicate) -> Frame {
    Frame {
        complement: Complement::Account,
        actor,
        predicate,
        modality: Modality::Actual,
        object: Object::Specific,
    }
}

/// Whether a noun names people who act for themselves: family, a role, a person.
fn is_person(w: &Words, x: &str) -> bool {
    w.kin_noun.contains(x) || w.role_noun.contains(x) || w.person_noun.contains(x)
}

/// Whether some spelling of `set` starts anywhere in `t`.
fn holds(set: &WordSet, t: &[&str]) -> bool {
    (0..t.len()).any(|i| set.prefix_len(&t[i..]).is_some())
}

/// "I'd been covering two desks since six", "I was juggling three launches", "we were
/// short-staffed": the writer taken up with something else when it happened. Told right
/// after an apology it is the circumstance offered for the failure (TAXONOMY trap 8), where
/// "I was rude" or "I was being selfish" owns the conduct and "I was trying to help" speaks
/// of an aim.
fn occupied(w: &Words, t: &[&str]) -> bool {
    let be = auxiliaries(w, t);
    let told_in_past = t[..be]
        .iter()
        .any(|x| matches!(*x, "was" | "were" | "been" | "had" | "'d"));
    let Some(verb) = t.get(be) else {
        return false;
    };
    let busy_doing = told_in_past
        && verb.len() > 4
        && verb.ends_with("ing")
        && !w.not_gerund.contains(verb)
        && !w.not_occupied.contains(verb);
    busy_doing || (be > 0 && w.busy_state.prefix_len(&t[be..]).is_some())
}

/// Whether a clause holds "while I was ...", "when we were ...": a time clause with the
/// writer taken up with something else.
fn occupied_at_the_time(w: &Words, t: &[&str]) -> bool {
    (0..t.len()).any(|i| {
        w.time_clause_word.prefix_len(&t[i..]).is_some_and(|n| {
            t.get(i + n).is_some_and(|x| matches!(*x, "i" | "we")) && occupied(w, &t[i + n + 1..])
        })
    })
}

/// "I'm getting dogpiled", "we are being targeted", "I've been called a monster all week":
/// the writer as the one things are done to, in a passive that goes on. Told right after an
/// apology, whatever the verb, it makes the writer the injured one. Participles that tell no
/// harm ("getting married", "being paid", "getting interrupted") are left out.
fn done_to_writer(w: &Words, t: &[&str]) -> bool {
    let be = auxiliaries(w, t);
    let lead = &t[..be];
    let rest = &t[be..];
    let harm = |x: &str| {
        ((x.len() > 4 && x.ends_with("ed")) || w.participle.contains(x))
            && !w.unmarked_participle.contains(x)
            && !w.feeling_word.contains(x)
    };
    let going_on = match rest {
        [g, p, ..] => matches!(*g, "getting" | "being" | "got") && harm(p),
        _ => false,
    };
    let on_and_on = lead.contains(&"been")
        && rest.len() > 1
        && harm(rest[0])
        && w.done_to_cue.contains(rest[1]);
    going_on || on_and_on
}

/// What a clause with the writer as its subject after an apology may be besides an act of
/// theirs: their own suffering ("I've been going through hell myself": the writer as the
/// injured one), or a wrong said not to have been done ("I didn't lie about it", "I wasn't
/// drunk"). An omission owned ("I didn't call") is neither, and ends the search.
fn writers_own_account(w: &Words, t: &[&str]) -> Option<Frame> {
    // Only the writer in it: "I'm heartbroken by your losses" and "anyone who has been on
    // the receiving end" grieve for others.
    let others = t.iter().any(|x| {
        w.hearer.contains(x)
            || w.hearer_possessive.contains(x)
            || w.audience.contains(x)
            || w.third_person.contains(x)
    });
    if holds(&w.suffering_word, t) && !holds(&w.harm_verb, t) && !others {
        return Some(account(Actor::Writer, Predicate::Reaction));
    }
    if done_to_writer(w, t) {
        return Some(account(Actor::Writer, Predicate::Reaction));
    }
    if occupied(w, t) {
        return Some(account(Actor::Writer, Predicate::State));
    }
    let mut i = 0;
    while i < t.len()
        && (w.aux.contains(t[i]) || w.act_adverb.contains(t[i]))
        && !w.negator.contains(t[i])
    {
        i += 1;
    }
    let rest = &t[i.min(t.len())..];
    let negated = rest.first().is_some_and(|x| w.negator.contains(x));
    let denied = negated
        && (w.wrong_act.prefix_len(&rest[1..]).is_some()
            || w.conduct_fault.prefix_len(&rest[1..]).is_some()
            || rest
                .get(1)
                .is_some_and(|x| w.aux.contains(x) || *x == "even")
                && w.wrong_act.prefix_len(&rest[2..]).is_some());
    (denied || denies_a_deed(w, rest)).then(|| account(Actor::Writer, Predicate::Denial))
}

/// "I never called your mom controlling", "I didn't delete anything", "we've never once
/// parked there", "I did not post those photos": a deed of the writer's said not to have
/// happened, whatever the deed, when it is said with "never", with nothing left of it
/// ("anything", "once", "at all") or pointed at ("that", "those"). Will
/// ("I never meant"), knowing ("I didn't realise") and an omission owned ("I never called
/// back", "I never told you the truth") are no denial.
fn denies_a_deed(w: &Words, rest: &[&str]) -> bool {
    let Some((neg, more)) = rest.split_first() else {
        return false;
    };
    if !w.negator.contains(neg) {
        return false;
    }
    let skip = more
        .iter()
        .take_while(|x| {
            w.act_adverb.contains(x) || w.aux.contains(x) || matches!(**x, "once" | "ever")
        })
        .count();
    let Some(verb) = more.get(skip) else {
        return false;
    };
    let said_with_never = *neg == "never" || more[..skip].contains(&"once");
    let nothing_left = more.iter().any(|x| w.nothing_left_word.contains(x));
    let deed = (is_past_verb(w, verb)
        || w.participle.contains(verb)
        || (!said_with_never && is_content(w, verb)))
        && !w.denial_exempt_verb.contains(verb)
        && !more
            .iter()
            .skip(skip + 1)
            .take(4)
            .any(|x| w.owed_act_cue.contains(x));
    // "I did not post those photos", "I didn't say that": the deed pointed at as the one in
    // question is denied, where "I didn't call back" owns an omission.
    let pointed = more
        .get(skip + 1)
        .is_some_and(|x| matches!(*x, "that" | "those" | "these" | "such"));
    deed && (said_with_never || nothing_left || pointed)
}

/// What a clause about the hearer (or the audience) after an apology turns to: their
/// reaction made a disorder ("you're being paranoid") or called too much ("you take
/// everything so personally", "some people here could do with a thicker skin"), or, of the
/// hearer, a fault of theirs set
/// against the writer's ("you forgot mine two years running", "your team isn't exactly
/// prompt either", "you did the same in March").
fn turned_on_hearer(w: &Words, actor: Actor, t: &[&str]) -> Option<Frame> {
    // A reaction made a disorder is pathologizing; one called too much, minimizing (the
    // rubric's "you're too sensitive"): told as the other's reaction, or as how they are.
    if holds(&w.disorder_word, t) {
        return Some(account(actor, Predicate::Reaction));
    }
    if holds(&w.overreaction_word, t) {
        return Some(account(actor, Predicate::State));
    }
    // "You just wouldn't listen", "you kept pushing my buttons": the other's refusal given
    // as what drove the writer.
    if actor == Actor::Hearer && (led_the_writer(w, t) || holds(&w.hearer_obstinacy, t)) {
        return Some(account(actor, Predicate::Led));
    }
    // What they did or how they are, in any tense: the fault set against the writer's is
    // what makes it a counter-accusation, not the telling ("you told our server twice").
    let deed = past_predicate(w, Actor::Others, t);
    let did = deed.is_some()
        || t.first()
            .is_some_and(|x| w.be_aux.contains(x) || w.aux.contains(x) || x.ends_with("n't"))
        || t.iter()
            .take(3)
            .any(|x| w.habit_adverb.contains(x) || matches!(*x, "keep" | "kept"));
    // A deed of theirs dated to another occasion ("you read my diary in high school", "you
    // ate my cake last week") is brought up beside the writer's, whatever the deed; a deed
    // done for the writer ("you planned it all for us last year", "you helped me all week")
    // is a kindness.
    let recalled = deed.is_some()
        && holds(&w.other_occasion, t)
        && !t.iter().take(2).any(|x| w.telling_verb.contains(x))
        && !t.windows(2).any(|p| {
            p[0] == "for" && (matches!(p[1], "me" | "us") || w.writer_possessive.contains(p[1]))
        });
    let against = holds(&w.tu_quoque, t) || holds(&w.conduct_fault, t) || recalled;
    let kind = holds(&w.kindness_verb, t) || bore_it(w, t);
    (actor == Actor::Hearer && did && against && !kind).then(|| account(actor, Predicate::Act))
}

/// Whether the hearer is told as the one who bore the harm ("you were the one who had to
/// clean up", "you're the one who suffered"): their burden, not a fault of theirs.
fn bore_it(w: &Words, t: &[&str]) -> bool {
    let Some(who) = t.iter().position(|x| matches!(*x, "who" | "that")) else {
        return false;
    };
    let after = &t[who + 1..];
    let obliged = matches!(
        after,
        ["had" | "has" | "have", "to", ..] | ["has" | "have", "had", "to", ..]
    );
    let hurt = matches!(after, ["got" | "was" | "were", "hurt" | "left", ..]);
    obliged || hurt || w.ordeal_verb.prefix_len(after).is_some()
}

/// Whether a clause about the hearer tells what they said or did to the writer, given as
/// what led to the act: "you literally told me it was optional", "you never told me it
/// moved", "you came at me first". A call ("you called me at six") says nothing of what
/// was said, and a kindness ("you helped me all week") leads to nothing.
fn led_the_writer(w: &Words, t: &[&str]) -> bool {
    let verb = t
        .iter()
        .position(|x| !w.act_adverb.contains(x) && !w.negator.contains(x) && *x != "did")
        .unwrap_or(0);
    let to_me = |at: usize| t.get(at).is_some_and(|x| matches!(*x, "me" | "us"));
    // "you have ,": nothing after the hearer leads anywhere.
    let Some(&said_verb) = t.get(verb) else {
        return false;
    };
    if w.telling_verb.contains(said_verb) {
        if w.contact_verb.contains(said_verb) {
            return false;
        }
        let to = usize::from(t.get(verb + 1) == Some(&"to"));
        if to_me(verb + 1 + to) {
            return told_as_direction(w, &t[(verb + 2 + to).min(t.len())..]);
        }
        // "you said the meeting was optional": a telling with no one told is a direction too,
        // unless it tells of the hearer or the writer ("you said you felt left out").
        let said = &t[verb + 1..];
        let said = said.strip_prefix(&["that"]).unwrap_or(said);
        return said
            .first()
            .is_some_and(|x| !w.hearer_subject.contains(x) && !w.writer_subject.contains(x))
            && said.iter().take(3).any(|x| w.be_aux.contains(x))
            && told_as_direction(w, said);
    }
    past_predicate(w, Actor::Others, t) == Some(Predicate::Act)
        && (0..4).any(to_me)
        && !holds(&w.kindness_verb, t)
}

/// Whether what the hearer told the writer reads as a direction the writer went by ("it was
/// optional", "to come at six"), not how they felt ("how much it meant to you") or a telling
/// the writer then owns ignoring ("it mattered, but I went anyway").
fn told_as_direction(w: &Words, said: &[&str]) -> bool {
    let feeling = said
        .first()
        .is_some_and(|x| w.wh_word.contains(x) || matches!(*x, "about" | "off"));
    let owned_after = said
        .windows(2)
        .any(|p| matches!(p[0], "and" | "but") && w.writer_subject.contains(p[1]));
    !said.is_empty() && !feeling && !owned_after
}

/// Who the subject of an account is. Beyond what [`subject`] reads: a third party the writer
/// works through or an organisation is someone acting ("the courier", "the exam board"),
/// the writer's own organisation is the writer ("our team"), and a name is a person.
fn account_subject(w: &Words, t: &[&str], capital: bool) -> (Actor, usize) {
    if t[0] == "there" && t.get(1).is_some_and(|x| w.be_aux.contains(x)) {
        return (Actor::Nobody, 1);
    }
    let (actor, n) = subject(w, t);
    // The noun phrase ends at its verb, which [`subject`] may not know ("my meeting overran").
    let n = match actor {
        // "the accused has": after a determiner or possessor, one word at least.
        Actor::Thing | Actor::Others if n > 1 => {
            let from = if w.determiner.contains(t[0])
                || w.writer_possessive.contains(t[0])
                || w.hearer_possessive.contains(t[0])
            {
                2
            } else {
                1
            };
            match (from..=n.min(t.len() - 1)).find(|&i| is_verb_here(w, &t[i..])) {
                // "the problems seems to have": "seems", a verb the classes do not know,
                // stands before the one found.
                Some(i)
                    if !t[from..i]
                        .iter()
                        .any(|x| *x == "to" || *x == "that" || w.wh_word.contains(x)) =>
                {
                    i
                }
                // No verb where the noun phrase should end, or one the classes do not know
                // before it: the clause is not read.
                _ => return (Actor::Unknown, 0),
            }
        }
        _ => n,
    };
    let noun_phrase = &t[..n.max(1).min(t.len())];
    let names = |set: &WordSet| noun_phrase.iter().any(|x| set.contains(x));
    // The ones the apology is made to ("families missed funerals", "some customers were
    // charged twice") are what the failure did, not an account of it.
    if names(&w.served_party) || names(&w.audience) {
        return (Actor::Audience, n);
    }
    let agent = names(&w.third_party_agent)
        || names(&w.organisation_noun)
        || names(&w.role_noun)
        || names(&w.person_noun)
        || names(&w.kin_noun)
        || names(&w.public_body);
    let own_side = names(&w.own_organisation);
    match actor {
        // "my brother", "our courier partner" act for themselves; "our team", "our
        // technician" act for the writer, and "my phone" is a thing.
        Actor::Thing if w.writer_possessive.contains(t[0]) => {
            let others = names(&w.kin_noun)
                || names(&w.outside_firm)
                || ((names(&w.third_party_agent) || names(&w.role_noun))
                    && !own_side
                    && t[0] == "my");
            let acts = past_predicate(w, Actor::Others, &t[n..]) == Some(Predicate::Act);
            match (others, own_side || acts) {
                (true, _) => (Actor::Others, n),
                (false, true) => (Actor::Writer, n),
                (false, false) => (Actor::Thing, n),
            }
        }
        Actor::Thing if agent => (Actor::Others, n),
        // "that was never my intention": a pointing word points back at the act itself.
        Actor::Nobody => (Actor::Unknown, n),
        Actor::Unknown if capital && is_noun_like(w, t[0]) => (Actor::Others, 1),
        // "mom took it": family and people by their role act for themselves.
        Actor::Unknown if is_person(w, t[0]) => (Actor::Others, 1),
        // "your kids keep leaving it open", "my landlord never replied": anyone's people act
        // for themselves too.
        Actor::Unknown
            if t.len() > 2
                && (w.hearer_possessive.contains(t[0])
                    || w.writer_possessive.contains(t[0])
                    || w.determiner.contains(t[0]))
                && is_person(w, t[1]) =>
        {
            (Actor::Others, 2)
        }
        // "nobody put it on my calendar": no one doing what someone should have.
        Actor::Unknown
            if matches!(t[0], "nobody" | "noone")
                && t.get(1).is_some_and(|x| is_past_verb(w, x)) =>
        {
            (Actor::Others, 1)
        }
        // "traffic was awful", "staff sickness meant", "demand this season has been": a bare
        // noun, perhaps a time, then a verb.
        Actor::Unknown if is_noun_like(w, t[0]) => {
            let timed = t.get(1..3).is_some_and(|x| {
                matches!(x[0], "this" | "last" | "that") && w.time_word.contains(x[1])
            });
            let from = if timed { 3 } else { 1 };
            match t.iter().skip(from).take(2).position(|x| {
                is_past_verb(w, x) || w.be_aux.contains(x) || matches!(*x, "has" | "have" | "had")
            }) {
                Some(p) => (Actor::Thing, from + p),
                None => (Actor::Unknown, 0),
            }
        }
        other => (other, n),
    }
}

/// Whether a word may open a bare noun phrase: no pronoun, auxiliary or function word.
fn is_noun_like(w: &Words, x: &str) -> bool {
    is_content(w, x)
        && !x.contains('\'')
        && !x.ends_with("ly")
        && !x.ends_with("ing")
        && !(w.act_adverb.contains(x)
            || w.request_opener.contains(x)
            || w.soft.contains(x)
            || w.negator.contains(x)
            || w.clause_lead.contains(x)
            || w.question_lead.contains(x)
            || is_past_verb(w, x))
}

/// The predicate of an account, when it is in the past: an act ("lost it", "never passed it
/// on", "kept missing"), a happening ("went down", "overran"), a passive ("was cancelled")
/// or a state ("was out of service"). Conduct of a person ("the driver was rude") is an act.
fn past_predicate(w: &Words, actor: Actor, t: &[&str]) -> Option<Predicate> {
    let mut i = 0;
    // Adverbs before the verb ("just", "completely"), never the forms of "be" the class of
    // soft words also holds.
    while i < t.len() && (w.act_adverb.contains(t[i]) || w.head_adverb.contains(t[i])) {
        i += 1;
    }
    let mut rest = &t[i..];
    // "the number provided is not...": a participle after the noun, then the verb.
    if rest.len() > 1
        && is_past_verb(w, rest[0])
        && (w.be_aux.contains(rest[1]) || w.aux.contains(rest[1]))
    {
        rest = &rest[1..];
    }
    let first = *rest.first()?;
    if w.event_verb.prefix_len(rest).is_some() || w.malfunction_verb.prefix_len(rest).is_some() {
        return Some(Predicate::Event);
    }
    if matches!(
        first,
        "never" | "didn't" | "didnt" | "failed" | "forgot" | "neglected"
    ) {
        return Some(Predicate::Act);
    }
    if matches!(
        first,
        "was" | "were" | "wasn't" | "weren't" | "had" | "has" | "have" | "got"
    ) {
        let more = &rest[1..];
        let skip = more
            .iter()
            .take_while(|x| w.soft.contains(x) || **x == "been")
            .count();
        let next = more.get(skip).copied().unwrap_or("");
        if actor == Actor::Others && w.conduct_fault.prefix_len(&more[skip..]).is_some() {
            return Some(Predicate::Act);
        }
        // "my property manager was supposed to handle it": a duty someone did not meet.
        if actor == Actor::Others && next == "supposed" {
            return Some(Predicate::Act);
        }
        // "has been shared", "got sent": the perfect or "got" before a participle is passive.
        let passive_aux = first == "got" || more[..skip].contains(&"been");
        if matches!(first, "had" | "has" | "have") && !passive_aux && is_past_verb(w, next) {
            return Some(if w.malfunction_verb.contains(next) {
                Predicate::Event
            } else {
                Predicate::Act
            });
        }
        // "has said far worse": the perfect without "been" is active.
        if !passive_aux && matches!(first, "had" | "has" | "have") && w.participle.contains(next) {
            return Some(Predicate::Act);
        }
        if w.participle.contains(next) || next.ends_with("ed") {
            // "printed by an outside supplier": the agent named is someone acting.
            let by_agent = names_agent(&more[skip..], 4);
            return Some(if by_agent {
                Predicate::Act
            } else {
                Predicate::Passive
            });
        }
        if first == "got" {
            return Some(Predicate::Act);
        }
        // "was awful", "has been unprecedented": a state, in the past or up to now.
        let stative = matches!(first, "was" | "were" | "wasn't" | "weren't")
            || more[..skip].contains(&"been");
        return (!next.is_empty() && stative).then_some(Predicate::State);
    }
    if matches!(first, "kept" | "keeps" | "keep") || is_past_verb(w, first) {
        return Some(Predicate::Act);
    }
    None
}

/// Whether "by" names an agent within the first `within` words: "printed by an outside
/// supplier", not "sent twice by mistake".
fn names_agent(t: &[&str], within: usize) -> bool {
    t.windows(2).take(within).any(|p| {
        p[0] == "by"
            && !matches!(
                p[1],
                "me" | "us"
                    | "my"
                    | "our"
                    | "myself"
                    | "ourselves"
                    | "mistake"
                    | "accident"
                    | "error"
                    | "chance"
                    | "default"
                    | "hand"
                    | "now"
                    | "then"
                    | "far"
            )
    })
}

/// Whether a verb of a clause starts at `t`: a past, a happening, a form of "be" or "have".
fn is_verb_here(w: &Words, t: &[&str]) -> bool {
    is_past_verb(w, t[0])
        || w.malfunction_verb.prefix_len(t).is_some()
        || w.event_verb.prefix_len(t).is_some()
        || w.be_aux.contains(t[0])
        || w.aux.contains(t[0])
        || t[0].ends_with("n't")
        || matches!(t[0], "never" | "didnt" | "kept" | "keeps" | "keep")
}

/// A verb in the past tense: regular, or an irregular past of an act.
pub(super) fn is_past_verb(w: &Words, x: &str) -> bool {
    (x.len() > 3 && x.ends_with("ed") && !w.feeling_word.contains(x)) || w.past_act.contains(x)
}

/// Whether the words after the subject tell something going wrong: a failure word, a
/// mishap, a misdeed, a fault, a misfortune ("there was a crash on the bypass").
fn tells_failure(w: &Words, t: &[&str]) -> bool {
    (0..t.len()).any(|i| {
        let rest = &t[i..];
        w.failure_word.prefix_len(rest).is_some()
            || w.malfunction_verb.prefix_len(rest).is_some()
            || w.mishap_verb.prefix_len(rest).is_some()
            || w.misdeed_verb.prefix_len(rest).is_some()
            || w.fault_verb.prefix_len(rest).is_some()
            || w.misfortune_noun.contains(rest[0])
    })
}

/// Whether the writer owns the thing in or right after the account: ownership found there
/// ("the courier lost it, and that's on us") or a reclaim ("but that's no excuse").
fn owned_around(cx: &Context<'_>, span: Span, read: &Read, actor: Actor) -> bool {
    let sentence = cx.seg.sentences[cx.sentence_of(span.start)];
    let until = sentence.end.max(span.end);
    // An admission before the account ("that's our mistake. Your order went to your old
    // address because...") has owned it already: what follows explains, after ownership.
    // What is turned on the hearer ("I lied. You hid a credit card from me for a year") is
    // not an explanation, and owning first does not take it back.
    let explains = !matches!(actor, Actor::Hearer | Actor::Audience);
    let admitted_before = explains && read.first_admission.is_some_and(|a| a < span.start);
    // "as you know, the requirements kept changing on your side": the hearer's part, which
    // the blame-shift rules read.
    let said: Vec<&str> = words_in(
        cx.lower,
        Span {
            start: span.start,
            end: until,
        },
    )
    .collect();
    let hearers_side =
        (0..said.len()).any(|i| cx.words.hearers_side.prefix_len(&said[i..]).is_some());
    hearers_side
        || admitted_before
        // "No excuse, I just never put it in my calendar": a reclaim before it in its
        // sentence owns what follows.
        || starts_within(&cx.marks.reclaims, sentence.start.min(span.start), until)
        || starts_within(&read.ownership, span.start, until)
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::analyzer;

    fn rules_of(text: &str) -> Vec<String> {
        analyzer()
            .analyze(text)
            .findings
            .iter()
            .map(|f| f.rule.to_string())
            .collect()
    }

    fn assert_fires(text: &str, rule: &str) {
        let rules = rules_of(text);
        assert!(rules.iter().any(|r| r == rule), "{text}: {rules:?}");
    }

    fn assert_no_account(text: &str) {
        let rules = rules_of(text);
        assert!(
            !rules.iter().any(|r| r.ends_with("account")),
            "{text}: {rules:?}"
        );
    }

    #[test]
    fn an_account_of_a_thing_going_wrong_is_an_excuse() {
        for text in [
            "Sorry for the late reply, my phone died at the station.",
            "Apologies for the wait. The lifts were out of service all morning.",
            "We're sorry the match started late; the floodlights failed twice.",
            "Sorry I'm late, there was a crash on the bypass.",
            // A state up to now, and a bare noun with a time before its verb.
            "Sorry the parcel is late; the roads have been icy since Monday.",
            "Apologies for the slow replies. Volume this week has been enormous.",
        ] {
            assert!(
                rules_of(text).iter().any(|r| r.starts_with("excuse.")),
                "{text}: {:?}",
                rules_of(text)
            );
        }
    }

    #[test]
    fn an_account_of_someone_else_doing_it_is_a_blame_shift() {
        for text in [
            "Sorry the invoice was wrong. The agency sent us the old rates.",
            "Sorry we were late, Priya told us it started at eight.",
            "Apologies for the mix-up; our courier partner dropped the ball again.",
            "We apologize for the error. Our supplier shipped the wrong batch.",
        ] {
            assert_fires(text, "blame_shift.account");
        }
        // The organisation's own people and tools are its own doing.
        assert_no_account("Sorry for the delay. Our team lost the parcel.");
    }

    #[test]
    fn a_dropped_subject_is_the_writers_only_where_a_clause_opens() {
        assert_fires("sorry, was in a meeting", "excuse.occupied");
        assert_fires(
            "Sorry, I missed your question. Was typing when your reply came.",
            "excuse.occupied",
        );
        let mid = "Sorry about that, yes it is the settings page then. The script I posted \
                   above using load_all() was working so yours should work too.";
        assert!(
            !rules_of(mid).iter().any(|r| r == "excuse.occupied"),
            "{mid}"
        );
    }

    #[test]
    fn news_after_a_but_is_no_account() {
        assert_no_account("Sorry for the short notice, but the meeting has moved to 3pm.");
        assert_no_account("Sorry for the confusion, but the form is due on Friday.");
        // A thing going wrong after the "but" is still an account.
        assert_fires(
            "Sorry for the late reply, but Dan sent me the wrong forms.",
            "blame_shift.account",
        );
    }

    #[test]
    fn a_clause_turned_on_the_hearer_shrinks_pathologizes_or_accuses() {
        for (text, rule) in [
            (
                "Sorry about the comment. You take everything so personally.",
                "minimizing.account",
            ),
            (
                "We apologise for the remark; some readers were determined to be offended.",
                "minimizing.account",
            ),
            (
                "Sorry I snapped. You're being completely hysterical about it.",
                "pathologizing.account",
            ),
            (
                "Sorry I forgot your birthday. You forgot mine two years running.",
                "counter_accusation.account",
            ),
        ] {
            assert_fires(text, rule);
        }
        // The hearer told, thanked or was hurt: no fault of theirs set against the writer's.
        for text in [
            "I'm sorry. You told our server twice about the allergy, and we ignored it.",
            "Sorry I forgot your birthday. You deserved better from me.",
        ] {
            assert_no_account(text);
        }
    }

    #[test]
    fn the_writers_own_suffering_or_a_denied_wrong_after_an_apology() {
        for (text, rule) in [
            (
                "Sorry for the post. Honestly, I have been treated like a pariah ever since.",
                "victim_framing.account",
            ),
            (
                "I apologise for the tone. I never plagiarised a single line, whatever they say.",
                "denial.account",
            ),
        ] {
            assert_fires(text, rule);
        }
        // Grief for the other, and an omission owned, are neither.
        for text in [
            "We're so sorry. We are heartbroken by your loss.",
            "Sorry for the mix-up. I didn't check the date, and I should have.",
        ] {
            assert_no_account(text);
        }
    }

    #[test]
    fn a_deed_denied_with_never_or_with_nothing_left_is_a_denial() {
        for text in [
            "I'm sorry about Sunday. I never called your mom controlling.",
            "Sorry about the file. I didn't delete anything.",
        ] {
            assert_fires(text, "denial.account");
        }
        // Will, and omissions the writer owes, deny nothing.
        for text in [
            "I'm sorry. I never called you back after the funeral.",
            "I'm sorry. I never told you the truth about the money.",
            "I'm sorry. I never meant for it to go that far.",
        ] {
            assert!(
                !rules_of(text).iter().any(|r| r == "denial.account"),
                "{text}: {:?}",
                rules_of(text)
            );
        }
    }

    #[test]
    fn what_the_hearer_told_or_did_to_the_writer_led_to_it() {
        for text in [
            "Sorry I wasn't there. You literally told me it was optional.",
            "Sorry I missed it. You never told me it had moved.",
            "Sorry I swore. You came at me first.",
        ] {
            assert_fires(text, "blame_shift.hearer_led");
        }
        for text in [
            "Sorry I missed your call. You called me at six and I was asleep.",
            "Sorry I was short with you. You helped me all week and I didn't thank you.",
        ] {
            assert_no_account(text);
        }
    }

    #[test]
    fn the_hearers_deed_on_another_occasion_is_set_against_the_writers() {
        assert_fires(
            "Sorry I finished the milk. You ate my birthday cake last week.",
            "counter_accusation.account",
        );
        // A kindness on another occasion is no fault.
        assert_no_account(
            "I'm sorry I forgot our anniversary. You planned the whole trip for us last year.",
        );
    }

    #[test]
    fn the_hearer_as_the_one_who_bore_it_is_no_accusation() {
        assert_fires(
            "Sorry I snapped. You were the one who started it.",
            "counter_accusation.account",
        );
        assert_no_account("I'm sorry. You were the one who had to clean up after me.");
        assert_no_account("I'm sorry. You're the one who went through all of it alone.");
    }

    #[test]
    fn the_writer_done_to_or_taken_up_at_the_time() {
        assert_fires(
            "Sorry for the meltdown. I'm getting dogpiled by hundreds of people.",
            "victim_framing.account",
        );
        assert_fires(
            "Sorry I forgot, it slipped my mind while I was packing.",
            "excuse.occupied",
        );
        assert_fires(
            "Sorry we missed the start, we got stuck behind a tractor.",
            "excuse.occupied",
        );
        assert_no_account("Sorry for the late reply, I'm getting married next month.");
    }

    #[test]
    fn a_hearer_clause_with_nothing_after_it_reads_nothing() {
        // Found by the property tests: "you have ," left no words for what the hearer did.
        for text in [
            "If If IfIf If IfIf my \"sorry If IfIf , ,you have ,",
            "Sorry. You have,",
            "Sorry, but you",
        ] {
            let rules = rules_of(text);
            assert!(
                !rules.iter().any(|r| r == "blame_shift.hearer_led"),
                "{text}: {rules:?}"
            );
        }
    }

    #[test]
    fn updates_owned_accounts_and_the_writers_acts_are_no_account() {
        for text in [
            "Sorry for the wait! The refund was processed this morning.",
            "Sorry for the delay. I forgot to send it.",
            "Sorry the report is late, the data arrived broken, but that's no excuse.",
            "Sorry for the delay. Our team dropped the ball and we have fixed it.",
            "I'm sorry for your loss. The service was lovely.",
            "Sorry about that. He said the road was closed.",
            // A verdict on the writer's thing is no account of how it came about.
            "I apologise for coming off as rude; the last comment was unnecessary and unkind.",
        ] {
            assert_no_account(text);
        }
    }
}
