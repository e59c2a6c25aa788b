//! Pass 3: what each apology is for.
//!
//! For every apology head in the writer's voice the pass reads the words after it (up to
//! the end of its clause) and describes them as a [`Frame`]: how the apology word takes
//! them (a noun phrase, a clause, an infinitive, a condition, nothing), who acts in them,
//! what kind of predicate they have, whether they are hypothetical, and how definite their
//! object is. The words are read with the lexicon's word classes, never with phrase lists.
//!
//! Two things follow from a frame. An apology for someone else's misfortune ("sorry he
//! lost his job") is sympathy, not an apology: the head is dropped and its sentence marked
//! phatic. And every `role = "frame"` rule whose condition the frame meets fires, spanning
//! the head and what it is for: the hearer's reaction is a feelings shift, no one acting is
//! agentless, a hypothetical is conditional, an all-purpose object is vague, and a named act
//! is specific.

use super::conditions::{condition_after, condition_before, doubt_after};
use super::spans::starts_within;
use super::words::{words_in, Words};
use super::{Candidate, Context};
use crate::lexicon::frame::{Actor, Complement, Frame, Modality, Object, Predicate};
use crate::lexicon::Role;
use crate::segment::Span;

/// The most words read after a head: what an apology is for is said near it, and a bound
/// keeps the pass linear.
const MAX_WORDS: usize = 40;

/// One word after a head.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word<'t> {
    pub(super) text: &'t str,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Written with a capital letter: a name, when not at the start of a sentence.
    pub(super) capital: bool,
    /// Written in capitals throughout ("SPAM"): shouting, or an acronym, not a name.
    shouted: bool,
    /// Clause punctuation (, ; : - ( ) and the like) stands between this word and the one
    /// before it.
    after_break: bool,
}

/// The words of `lower[from..to]`, at most `MAX_WORDS`; `text` is the same text with its
/// case kept. Hesitations of talk ("uh", "um") are no words, and the commas around them no
/// break: "sorry that, uh, the kids" reads as "sorry that the kids".
pub(super) fn read_words<'t>(
    w: &Words,
    lower: &'t str,
    text: &str,
    from: usize,
    to: usize,
) -> Vec<Word<'t>> {
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    let mut broke = false;
    // Whether a comma now breaks nothing: right after a hesitation.
    let mut hesitated = false;
    while i < to && out.len() < MAX_WORDS {
        let b = bytes[i];
        if (i == from || starts_token(bytes, i)) && is_link(&lower[i..to]) {
            // A link's parts ("i.imgur.com") are no words of the sentence.
            i += lower[i..to].find(char::is_whitespace).unwrap_or(to - i);
            broke = true;
            continue;
        }
        // A handle ("@jo_b") names whom it is said to, as an address term does: no word of
        // the clause, and a break.
        if b == b'@'
            && bytes
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            i += 1 + bytes[i + 1..to]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            broke = true;
            continue;
        }
        if b.is_ascii_alphanumeric() || b == b'\'' {
            let start = i;
            while i < to && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'\'') {
                i += 1;
            }
            let word = lower[start..i].trim_matches('\'');
            if w.hesitation.contains(word) {
                // Inside a clause ("sorry that, uh, the kids") the commas around it go with
                // it; after a word that can end one ("sorry, uh, that's a shame") they stay.
                let inside = out
                    .last()
                    .is_some_and(|p: &Word<'_>| w.hesitation_glue.contains(p.text));
                let last = bytes[from..start]
                    .iter()
                    .rev()
                    .find(|b| !b.is_ascii_whitespace());
                if inside && last == Some(&b',') {
                    broke = false;
                }
                hesitated = inside;
                continue;
            }
            if !word.is_empty() {
                out.push(Word {
                    text: word,
                    start,
                    end: i,
                    capital: text
                        .as_bytes()
                        .get(start)
                        .is_some_and(u8::is_ascii_uppercase),
                    shouted: i - start > 1
                        && text
                            .get(start..i)
                            .is_some_and(|w| !w.bytes().any(|b| b.is_ascii_lowercase())),
                    after_break: broke,
                });
            }
            broke = false;
            hesitated = false;
        } else {
            let comma_after_hesitation = hesitated && b == b',';
            broke |= !comma_after_hesitation
                && (matches!(b, b',' | b';' | b':' | b'(' | b')' | b'.' | b'!' | b'?')
                    || (b == b'-' && bytes.get(i + 1) == Some(&b' ')));
            hesitated &= b.is_ascii_whitespace() || b == b',';
            i += 1;
        }
    }
    out
}

/// Whether `at` begins a whitespace-delimited token.
fn starts_token(bytes: &[u8], at: usize) -> bool {
    at == 0
        || matches!(
            bytes[at - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'(' | b'[' | b'<'
        )
}

/// Whether the token at the start of `rest` is a link or a path.
fn is_link(rest: &str) -> bool {
    let token = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];
    token.starts_with("http") && token.contains("://")
        || token.starts_with("www.")
        || token.contains("](")
        || token.contains(".com/")
}

/// The frame of one head, and where what it is for ends.
#[derive(Debug, Clone, Copy)]
pub struct HeadFrame {
    /// The head's span.
    pub head: Span,
    /// What it is for.
    pub frame: Frame,
    /// Where the head and what it is for start: before the head when what it is for is
    /// said in the sentence before ("I deleted your file. I'm sorry.").
    pub start: usize,
    /// Where they end.
    pub end: usize,
    /// Whether what it is for names the writer ("sorry he found out from me").
    pub mentions_writer: bool,
    /// Whether it is a lament for what a collective "we" went through ("sorry we lost the
    /// game"), which is sorrow, not an apology.
    pub lament: bool,
    /// Whether it is the hearer's stance on something not the writer's ("sorry you're
    /// opposed to the war"), which regrets a difference of views, not an act.
    pub stance: bool,
    /// Whether it is something the hearer goes through or has, with nothing of the
    /// writer's in it ("sorry you're dealing with all this"): a peer's sympathy, an
    /// organisation's apology.
    pub hardship: bool,
    /// Whether it is for something of the hearer's, named as a noun ("sorry about your
    /// eye"): beside a cue of sympathy, their lot.
    pub hearers_thing: bool,
    /// Whether it is for a trouble of a third party's, named by their possessive ("sorry
    /// for her experience", "about his situation"): with nothing the writer owns near it,
    /// sympathy.
    pub others_trouble: bool,
}

/// Reads the frame of every head, drops heads of sympathy, and fires the frame rules.
pub fn run(cx: &mut Context<'_>) {
    let frame_rules: Vec<usize> = (0..cx.lex.rules.len())
        .filter(|&i| cx.lex.rules[i].role == Role::Frame)
        .collect();
    let mut frames = Vec::new();
    let mut acts = Acts::default();
    let mut sympathy = vec![false; cx.candidates.len()];
    // Read once, and only for a text that needs it.
    let mut service: Option<bool> = None;
    for (i, c) in cx.candidates.iter().enumerate() {
        if c.reported || cx.rule(c).role != Role::Head {
            continue;
        }
        let Some(hf) = read_frame(cx, c.span, &mut acts) else {
            continue;
        };
        // "Apologize" is never sympathy: an apology for what others did is made on their
        // behalf ("we apologise for the ways our founders took part in slavery"); on behalf of
        // a relative, the gates make it none.
        let explicit = cx.lower[c.span.start..c.span.end].contains("apolog");
        // "Sorry to all of you caught up in it" names only whom it is said to.
        let bare = hf.frame.complement == Complement::Bare || only_a_recipient(&hf);
        let near_cue = bare || hearers_lot(&hf);
        let peers_lot = hf.hardship && !*service.get_or_insert_with(|| speaks_for_a_service(cx));
        let others_lot = hf.others_trouble && !owns_within(cx, sentences_around(cx, hf.head, 1));
        if !explicit
            && (is_sympathy(&hf)
                || peers_lot
                || others_lot
                || near_cue && mourns_a_loss(cx, hf.head))
        {
            sympathy[i] = true;
            continue;
        }
        frames.push(hf);
    }
    // A sentence of sympathy is phatic unless another head in it is the writer's own: "I
    // never meant to hurt anyone, and I'm sorry they did" apologizes in its first clause.
    let mut own_head = vec![false; cx.seg.sentences.len()];
    for (c, _) in cx
        .candidates
        .iter()
        .zip(&sympathy)
        .filter(|(c, &sym)| !sym && !c.reported && cx.rule(c).role == Role::Head)
    {
        own_head[cx.seg.sentence_of(c.span.start)] = true;
    }
    for (i, c) in cx.candidates.iter().enumerate() {
        let s = cx.seg.sentence_of(c.span.start);
        if sympathy[i] && !own_head[s] {
            cx.phatic_sentences[s] = true;
        }
    }
    let mut fired = admitted_acts(cx, &frame_rules, &frames, &mut acts);
    for hf in &frames {
        for &r in &frame_rules {
            let admits = cx.lex.rules[r]
                .frame
                .is_some_and(|cond| cond.admits(&hf.frame));
            if admits {
                fired.push(Candidate {
                    rule: r,
                    span: Span {
                        start: hf.start,
                        end: hf.end,
                    },
                    reported: false,
                });
            }
        }
    }
    let mut k = 0;
    cx.candidates.retain(|_| {
        k += 1;
        !sympathy[k - 1]
    });
    cx.candidates.extend(fired);
    frames.sort_by_key(|f| f.head.start);
    cx.head_frames = frames;
}

/// An admission with no apology word ("I carelessly turned the talk to myself; that was
/// wrong") names its act as a head does: a clause of the writer doing something, in the
/// admission's sentence. The frame rules fire on that act as on a head's, unless a head of
/// the same sentence has already read what it is for.
fn admitted_acts(
    cx: &Context<'_>,
    frame_rules: &[usize],
    frames: &[HeadFrame],
    acts: &mut Acts,
) -> Vec<Candidate> {
    let act = NAMED_ACT;
    let mut fired = Vec::new();
    // A sentence is read once: when a head of it has been read, or an admission before.
    let mut read = vec![false; cx.seg.sentences.len()];
    for hf in frames {
        read[cx.seg.sentence_of(hf.head.start)] = true;
    }
    for c in &cx.candidates {
        if c.reported || !matches!(cx.rule(c).role, Role::Admission | Role::Deed) {
            continue;
        }
        let s = cx.seg.sentence_of(c.span.start);
        if std::mem::replace(&mut read[s], true) {
            continue;
        }
        let named = acts
            .of(cx, s, true)
            .iter()
            .map(|&(_, span)| span)
            .find(|&span| !fault_only_clause(cx, span));
        let Some(span) = named else {
            continue;
        };
        for &r in frame_rules {
            if cx.lex.rules[r].frame.is_some_and(|cond| cond.admits(&act)) {
                fired.push(Candidate {
                    rule: r,
                    span,
                    reported: false,
                });
            }
        }
    }
    fired
}

/// Whether a clause of the writer's owns a fault without naming the act: "we dropped the
/// ball", "I let my family down".
fn fault_only_clause(cx: &Context<'_>, span: Span) -> bool {
    let words = read_words(cx.words, cx.lower, cx.text, span.start, span.end);
    let mut t = texts(&words);
    let w = cx.words;
    while t
        .first()
        .is_some_and(|x| w.clause_lead.contains(x) || w.head_adverb.contains(x))
    {
        t.remove(0);
    }
    let Some(n) = cx.words.writer_subject.prefix_len(&t) else {
        return false;
    };
    let rest = &t[n..];
    // "I made a terrible judgement call": a fault made, with no act named in it.
    let made_a_fault = matches!(rest.first(), Some(&("made" | "committed")))
        && rest.last().is_some_and(|x| w.vague_noun.contains(x));
    owns_fault_only(w, rest)
        || made_a_fault
        || (rest.first() == Some(&"let") && rest.last() == Some(&"down"))
}

/// Sorrow about what a third party did or suffered, with no act of the writer in it, is
/// sympathy ("sorry he's not doing well", "sorry your brother lost his job").
fn is_sympathy(hf: &HeadFrame) -> bool {
    let f = &hf.frame;
    hf.lament
        || hf.stance
        || matches!(f.complement, Complement::Clause | Complement::Nominal)
            && f.actor == Actor::Others
            && f.predicate != Predicate::Reaction
            && !hf.mentions_writer
}

/// Whether a head is for what the hearer went through or has, with nothing of the
/// writer's in it and no reaction of theirs to read: "sorry you had that experience",
/// "sorry you're stuck at home", "sorry about your eye". Alone it may still be the writer's
/// doing (the wait the writer caused); beside a cue of sympathy ("that's awful") it is the
/// hearer's lot.
fn hearers_lot(hf: &HeadFrame) -> bool {
    let f = &hf.frame;
    let hearers_clause = f.complement == Complement::Clause
        && f.actor == Actor::Hearer
        && f.predicate != Predicate::Reaction
        && !hf.mentions_writer;
    hearers_clause || hf.hearers_thing && f.predicate != Predicate::Reaction
}

/// Whether the writer speaks for a service or an organisation anywhere in the text ("we",
/// "our", "DM us", an agent's initials signed "^JP"): what a customer goes through is then
/// its own to apologize for.
fn speaks_for_a_service(cx: &Context<'_>) -> bool {
    let whole = Span {
        start: 0,
        end: cx.lower.len(),
    };
    // A "we" inside a quotation is someone else's ("\"We only let him out once a day!\" Wow,
    // I'm so sorry this is happening to you").
    let base = cx.lower.as_ptr() as usize;
    let t: Vec<&str> = words_in(cx.lower, whole)
        .filter(|x| {
            let start = x.as_ptr() as usize - base;
            !cx.seg.in_quote(Span {
                start,
                end: start + x.len(),
            })
        })
        .collect();
    let signed = cx
        .lower
        .as_bytes()
        .windows(2)
        .any(|p| p[0] == b'^' && p[1].is_ascii_alphabetic());
    signed || (0..t.len()).any(|i| cx.words.service_cue.prefix_len(&t[i..]).is_some())
}

/// Whether what a head is for is something the hearer goes through or has, with nothing
/// of the writer's in it: "sorry you're dealing with all this", "sorry you've been having
/// a hard time", "sorry you're stuck at home sick", "sorry this keeps happening to you".
/// What the hearer bore from the writer ("sorry you had to wait", "sorry you had to see
/// that") is left an apology.
fn hearers_hardship(w: &Words, words: &[Word<'_>]) -> bool {
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let t = t.strip_prefix(&["that"]).unwrap_or(&t);
    // "Sorry you had to deal with my mood": the writer's thing is in what was borne.
    if t.iter().any(|x| w.writer_possessive.contains(x)) {
        return false;
    }
    match w.hearer.prefix_len(t) {
        Some(n) => bears_hardship(w, &t[n..], t[n - 1].ends_with("'re")),
        None => happens_to_hearer(w, t),
    }
}

/// The predicate after the hearer as subject: an ordeal ("had to go through that"), or
/// a trouble or an ailment had or been in ("'ve been having a hard time", "are sick").
fn bears_hardship(w: &Words, t: &[&str], subject_is: bool) -> bool {
    let skip = auxiliaries(w, t);
    let (before, mut rest) = t.split_at(skip);
    if let ["to", more @ ..] | ["having" | "have" | "had" | "got", "to", more @ ..] = rest {
        rest = more;
    }
    if w.hearer_ordeal.prefix_len(rest).is_some() {
        return true;
    }
    let have = |x: &&str| {
        matches!(
            *x,
            "have" | "having" | "had" | "has" | "got" | "get" | "getting"
        )
    };
    let has = before.iter().any(have) || rest.first().is_some_and(have);
    let is = subject_is || before.iter().any(|x| w.be_aux.contains(x));
    (has || is)
        && (0..rest.len().min(5)).any(|i| {
            w.hearer_trouble.prefix_len(&rest[i..]).is_some()
                || w.ailment.prefix_len(&rest[i..]).is_some()
        })
}

/// "This keeps happening to you", "it's going like that for you": an event that befalls
/// the hearer, with no one named doing it.
fn happens_to_hearer(w: &Words, t: &[&str]) -> bool {
    let near = &t[..t.len().min(6)];
    (0..near.len()).any(|i| {
        let befalls = w.befall_verb.contains(near[i]);
        // "going like that for you", "turned out this way for you": a manner between.
        befalls
            && (i + 1..(i + 5).min(t.len()))
                .any(|j| matches!(t[j], "to" | "for") && w.hearer.prefix_len(&t[j + 1..]).is_some())
    })
}

/// Whether all a head names is the people it is said to, with no reaction of theirs and
/// nothing of the writer's: "sorry to everyone caught up in it".
fn only_a_recipient(hf: &HeadFrame) -> bool {
    let f = &hf.frame;
    f.complement == Complement::Nominal
        && f.actor == Actor::Audience
        && f.predicate != Predicate::Reaction
        && !hf.mentions_writer
}

/// Whether a bare head comes after a death or a grave misfortune (in its sentence or the two
/// before), or near a cue of sympathy the gates marked (within two sentences either way: a
/// condolence, sympathy for a hard time), with nothing the writer owns there: "Our
/// colleague passed away on Sunday. We are so sorry, and our thoughts are with his family."
/// An admission or a named act of the writer's ("I hit your cat. I'm so sorry") keeps it an
/// apology. This is the one reading of sympathy beside a bare apology.
fn mourns_a_loss(cx: &Context<'_>, head: Span) -> bool {
    let s = cx.sentence_of(head.start);
    let window = sentences_around(cx, head, 2);
    let sympathy = starts_within(&cx.marks.sympathy, window.start, window.end);
    let loss =
        (s.saturating_sub(2)..=s).any(|k| tells_a_loss(cx.words, cx.lower, cx.seg.sentences[k]));
    (loss || sympathy) && !owns_within(cx, window)
}

/// The sentence of `head` and `k` sentences either side of it.
fn sentences_around(cx: &Context<'_>, head: Span, k: usize) -> Span {
    let s = cx.sentence_of(head.start);
    let last = (s + k).min(cx.seg.sentences.len() - 1);
    Span {
        start: cx.seg.sentences[s.saturating_sub(k)].start,
        end: cx.seg.sentences[last].end,
    }
}

/// Whether a sentence tells of a death or a grave misfortune that is not the writer's doing
/// or the writer's own: "the storm died down" is no death; "I backed over your cat and
/// killed it" and "my dog killed your chicken" are the writer's doing, and "my father
/// passed away" the writer's own loss, unless the writer only heard of it ("I just heard
/// your dad passed").
fn tells_a_loss(w: &Words, lower: &str, sentence: Span) -> bool {
    let t: Vec<&str> = words_in(lower, sentence).collect();
    let writers_before = |upto: usize| {
        (0..upto).any(|k| {
            (w.writer_subject.contains(t[k]) || w.writer_possessive.contains(t[k]))
                && !(k + 1..(k + 3).min(t.len())).any(|j| w.news_verb.prefix_len(&t[j..]).is_some())
        })
    };
    (0..t.len()).any(|i| {
        w.loss_word.prefix_len(&t[i..]).is_some_and(|n| {
            let phrasal = t
                .get(i + n)
                .is_some_and(|x| matches!(*x, "down" | "out" | "off" | "away"));
            !phrasal && !writers_before(i)
        })
    })
}

/// Whether the writer owns something within `window`: an admission, or an ownership finding
/// beyond the apology word itself. The candidates are still in the voice pass's order, by
/// start, so only those inside the window are looked at: a text of thousands of bare heads
/// stays linear.
fn owns_within(cx: &Context<'_>, window: Span) -> bool {
    let from = cx
        .candidates
        .partition_point(|c| c.span.start < window.start);
    cx.candidates[from..]
        .iter()
        .take_while(|c| c.span.start < window.end)
        .any(|c| {
            let rule = cx.rule(c);
            // An offer of help ("want me to come over?") is what a friend offers in
            // sympathy too, and owns nothing; so is seeing what it cost ("that must have
            // been hard"), which names no act of the writer's.
            !c.reported
                && rule.role != Role::Deed
                && (rule.role == Role::Admission
                    || rule.category.kind() == crate::category::Kind::Ownership
                        && rule.role != Role::Head
                        && !matches!(
                            rule.category,
                            crate::category::Category::Repair | crate::category::Category::Impact
                        ))
        })
}

/// Whether the words an apology is for put the writer in it: as a subject ("sorry he found
/// out from me") or on the writer's side ("hurt by my words", "in our care"). The writer's
/// thing as the object of someone else's act ("the council ignored our warnings") does not.
fn names_writer_side(w: &Words, words: &[Word<'_>]) -> bool {
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    (0..t.len()).any(|i| {
        w.writer_subject.contains(t[i])
            || matches!(t[i], "me" | "us")
            || w.writer_side.prefix_len(&t[i..]).is_some()
    })
}

/// "sorry we lost the game", "sorry we ever got into that war", "sorry we had such a wet
/// spring": a collective "we" that went through something, with nothing of the hearer's in
/// it and no fault named, laments; "sorry we lost your parcel" apologizes.
fn laments(w: &Words, words: &[Word<'_>]) -> bool {
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let t = t.strip_prefix(&["that"]).unwrap_or(&t);
    let Some((first, rest)) = t.split_first() else {
        return false;
    };
    if !matches!(*first, "we" | "we've" | "we'd") {
        return false;
    }
    let skip = rest
        .iter()
        .take_while(|x| w.aux.contains(x) || w.act_adverb.contains(x) || **x == "ever")
        .count();
    // "had" is both an auxiliary and the verb of "we had such a wet spring".
    (w.lament_verb.prefix_len(rest).is_some() || w.lament_verb.prefix_len(&rest[skip..]).is_some())
        && !t.iter().any(|x| {
            w.hearer.contains(x)
                || w.hearer_possessive.contains(x)
                || w.transgression_noun.contains(x)
                || matches!(*x, "me" | "us")
        })
}

/// "sorry you're opposed to the plan", "sorry that you don't agree with the ruling": the
/// hearer's view of a matter, with none of the writer's doing in it.
fn takes_a_stance(w: &Words, words: &[Word<'_>]) -> bool {
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let t = t.strip_prefix(&["that"]).unwrap_or(&t);
    let Some(n) = w.hearer.prefix_len(t) else {
        return false;
    };
    let rest = &t[n..];
    let skip = auxiliaries(w, rest);
    w.stance_word.prefix_len(&rest[skip..]).is_some()
}

/// How many words at the start of `t` are auxiliaries or adverbs before a verb or its
/// complement: "'ve been", "was just", "had completely".
pub(super) fn auxiliaries(w: &Words, t: &[&str]) -> usize {
    t.iter()
        .take_while(|x| w.be_aux.contains(x) || w.aux.contains(x) || w.act_adverb.contains(x))
        .count()
}

/// Whether the words after a head's object give it a second object on the writer's side:
/// "sorry for what the residents went through, and for our part in it".
fn owned_second_object(w: &Words, more: &[Word<'_>]) -> bool {
    let t: Vec<&str> = more.iter().map(|x| x.text).collect();
    let second = matches!(
        t.as_slice(),
        ["and", "for" | "about", ..]
            | [
                "and",
                "also" | "especially" | "above all",
                "for" | "about",
                ..
            ]
    );
    second && names_writer_side(w, more)
}

/// Reads what the head at `head` is for.
fn read_frame(cx: &Context<'_>, head: Span, acts: &mut Acts) -> Option<HeadFrame> {
    let s = cx.seg.sentence_of(head.start);
    let sentence = cx.seg.sentences[s];
    let words = read_words(cx.words, cx.lower, cx.text, head.start, sentence.end);
    // Start after the apology word itself: head phrases may carry their subject ("i'm
    // sorry") or their preposition ("apologies for"). A head with no apology word of its own
    // ("I never meant to") has no frame here; a later "sorry" in its sentence is its own head.
    let at = words
        .iter()
        .take_while(|w| w.start < head.end)
        .position(|w| is_apology_word(cx.words, w.text))?;
    let rest = &words[at + 1..];
    let (frame, used) = complement(cx.words, rest, takes_object(cx.words, words[at].text));
    let mentions_writer =
        names_writer_side(cx.words, &rest[..used]) || owned_second_object(cx.words, &rest[used..]);
    let mut hf = HeadFrame {
        head,
        frame,
        start: head.start,
        end: if used == 0 {
            head.end
        } else {
            rest[used - 1].end.max(head.end)
        },
        mentions_writer,
        lament: frame.complement == Complement::Clause && laments(cx.words, &rest[..used]),
        stance: frame.complement == Complement::Clause
            && frame.actor == Actor::Hearer
            && !mentions_writer
            && takes_a_stance(cx.words, &rest[..used]),
        hardship: frame.complement == Complement::Clause
            && !mentions_writer
            && hearers_hardship(cx.words, &rest[..used]),
        hearers_thing: frame.complement == Complement::Nominal
            && !mentions_writer
            && rest[..used]
                .get(1)
                .is_some_and(|x| cx.words.hearer_possessive.contains(x.text)),
        others_trouble: frame.complement == Complement::Nominal
            && !mentions_writer
            && used > 1
            && {
                let t: Vec<&str> = rest[1..used].iter().map(|x| x.text).collect();
                third_partys_trouble(cx.words, &t) && !caused_by_writer(cx.words, &t)
            },
    };
    let names_nothing = frame.complement == Complement::Bare
        || (frame.object == Object::Deictic && frame.actor != Actor::Nobody);
    // "Excuse me" and "pardon me" beg leave for what happens as they are said (a cough, a
    // slip of the tongue, a reach past someone): an act told in another sentence is the
    // next thing said, not what they are for ("Excuse me. For instance, I pay the bills").
    let momentary = matches!(words[at].text, "excuse" | "pardon")
        && rest.first().is_some_and(|x| x.text == "me");
    let reach = if momentary { 0 } else { ACT_REACH };
    if names_nothing {
        // The finding points at the act where it is named.
        let condition = condition_before(cx, s, head).or_else(|| condition_after(cx, s, hf.end));
        if let Some((span, said)) = condition {
            // "If I was short with you, sorry", "We apologise, insofar as the cover may have
            // been read as mocking": what the apology is for is the condition.
            let (said_frame, _) = clause(cx.words, &said);
            hf.frame = Frame {
                complement: Complement::Conditional,
                modality: Modality::Hypothetical,
                ..said_frame
            };
            hf.start = hf.start.min(span.start);
            hf.end = hf.end.max(span.end);
        } else if let Some((act, span)) = act_nearby(cx, s, head, reach, acts) {
            hf.frame = act;
            hf.start = span.start;
            hf.end = span.end;
        } else if let Some((account, span)) = agentless_before(cx, s, head) {
            hf.frame = account;
            hf.start = span.start;
            hf.end = head.end;
        } else if names_only_a_vague_noun(cx.words, &rest[..used]) {
            // "My apology for the mistakes", "sorry for this misconduct", with no act named
            // near it: the object is a label any apology could carry.
            hf.frame.object = Object::Vague;
        }
    }
    if !names_nothing {
        // "If you were genuinely asking, sorry for snapping": the object is named, and the
        // condition before it still makes the offence hypothetical.
        if let Some((span, _)) = condition_before(cx, s, head) {
            hf.frame.modality = Modality::Hypothetical;
            hf.start = hf.start.min(span.start);
        }
    }
    if let Some(doubt) = doubt_after(cx, s, hf.end) {
        hf.frame.modality = Modality::Hypothetical;
        hf.end = doubt.end;
    }
    Some(hf)
}

/// Whether a noun-phrase object ends in a vague noun that points at nothing said before it:
/// a plural ("the mistakes"), or one that is the writer's ("my actions") or pointed at
/// ("this misconduct"). "The error" or "the distress this caused" refer back to what the
/// text has told, whoever it says did it; a bare pointer ("that", "it") is no noun.
fn names_only_a_vague_noun(w: &Words, object: &[Word<'_>]) -> bool {
    // The complement opens with the preposition that introduced it ("for my behaviour").
    let object = match object {
        [p, rest @ ..]
            if matches!(p.text, "for" | "about" | "over" | "regarding" | "re" | "of") =>
        {
            rest
        }
        _ => object,
    };
    let (Some(first), Some(last)) = (object.first(), object.last()) else {
        return false;
    };
    let noun = last.text;
    let vague = noun.len() > 2 && w.vague_noun.contains(noun) && !w.deictic.contains(noun);
    let generic = noun.ends_with('s')
        || w.writer_possessive.contains(first.text)
        || (object.len() > 1 && w.deictic.contains(first.text));
    vague && generic
}

/// The frame of an act the writer names in a clause of their own, away from the apology
/// word: "I deleted your draft. I'm sorry."
const NAMED_ACT: Frame = Frame {
    complement: Complement::Bare,
    actor: Actor::Writer,
    predicate: Predicate::Act,
    modality: Modality::Actual,
    object: Object::Specific,
};

/// How many sentences before and after a head its act may be named in.
const ACT_REACH: usize = 3;

/// When a head says nothing of what it is for, the act is often named beside it: in a
/// clause of its sentence ("Sorry, I misread your post", "I stepped on your foot, sorry"),
/// or in a sentence up to `reach` away ("I deleted your draft. I'm sorry."). A clause with
/// the writer as subject and a verb of doing is taken for what the apology is for: the
/// nearest one.
/// Outside the head's sentence, its object must name something ("I made a mistake" and "I
/// let you down" name nothing), and a verb of thinking, wishing or planning never counts.
fn act_nearby(
    cx: &Context<'_>,
    s: usize,
    head: Span,
    reach: usize,
    acts: &mut Acts,
) -> Option<(Frame, Span)> {
    let act = NAMED_ACT;
    let n_sent = cx.seg.sentences.len();
    let mut order = vec![s];
    for d in 1..=reach {
        order.extend(
            [s + d, s.wrapping_sub(d)]
                .into_iter()
                .filter(|&i| i < n_sent),
        );
    }
    for i in order {
        for &(clause, span) in acts.of(cx, i, i != s) {
            if clause.start < head.end && clause.end > head.start {
                continue;
            }
            return Some((act, span));
        }
    }
    None
}

/// When a head says nothing of what it is for and no act of the writer is named near it,
/// an account just before it of what happened with no one doing it is what it is for:
/// "Serious failings took place at the home, and we are sorry", "Errors were made in your
/// claim. We apologise." Only the head's sentence and the one before it are read, and only
/// before the head: an account after it is the next thing said, not what the sorrow is for.
fn agentless_before(cx: &Context<'_>, s: usize, head: Span) -> Option<(Frame, Span)> {
    let sentences = [Some(s), s.checked_sub(1)];
    for i in sentences.into_iter().flatten() {
        // "Customers were charged twice by an error in our system." Then "we apologise": the
        // sentence before names the writer's side, so its account is not one without an
        // agent. (In the head's own sentence the writer is the head's subject.)
        let sentence = cx.seg.sentences[i];
        if i != s {
            let whole = read_words(cx.words, cx.lower, cx.text, sentence.start, sentence.end);
            let writers_side = whole.iter().any(|x| {
                cx.words.writer_subject.contains(x.text)
                    || cx.words.writer_possessive.contains(x.text)
            });
            if writers_side {
                continue;
            }
        }
        for span in clauses_of_sentence(cx, i).filter(|c| c.end <= head.start) {
            let ws = read_words(cx.words, cx.lower, cx.text, span.start, span.end);
            let from = ws
                .iter()
                .take_while(|x| cx.words.clause_lead.contains(x.text))
                .count();
            let t = texts(&ws[from..]);
            if happened_to_nobody(cx.words, &t) {
                let account = Frame {
                    complement: Complement::Clause,
                    actor: Actor::Nobody,
                    predicate: Predicate::Event,
                    object: Object::Deictic,
                    ..Frame::default()
                };
                return Some((account, span));
            }
        }
    }
    None
}

/// Whether a clause opens with a few words naming no one and then a verb of happening or
/// a passive with no agent: "serious failings took place", "errors were made in your
/// claim", "the wrong menu was served". A pointing word ("that was unfair") points back
/// at an act already named, "by us" names the agent, and people as the subject ("forty
/// families were evacuated") tell what the act did to them, not the act.
fn happened_to_nobody(w: &Words, t: &[&str]) -> bool {
    if t.windows(2)
        .any(|p| p[0] == "by" && matches!(p[1], "me" | "us" | "my" | "our"))
    {
        return false;
    }
    (1..=4.min(t.len().saturating_sub(1))).any(|v| {
        let subject = &t[..v];
        let someone = subject.iter().any(|x| {
            w.writer_subject.contains(x)
                || w.writer_possessive.contains(x)
                || w.hearer.contains(x)
                || w.hearer_possessive.contains(x)
                || w.third_person.contains(x)
                || w.deictic.contains(x)
                || w.audience.contains(x)
                || is_people(w, x)
                || matches!(*x, "who" | "that" | "which" | "me" | "us" | "it" | "i")
        });
        let rest = &t[v..];
        let passive = rest.len() >= 2
            && matches!(rest[0], "was" | "were" | "got")
            && rest[1].ends_with("ed")
            && !w.feeling_word.contains(rest[1]);
        !someone && (w.event_verb.prefix_len(rest).is_some() || passive)
    })
}

/// Whether a word names someone other than the writer: people, a person by their role, or
/// others the writer works through ("the manager", "the courier").
pub(super) fn is_someone(w: &Words, x: &str) -> bool {
    is_people(w, x) || w.role_noun.contains(x) || w.third_party_agent.contains(x)
}

/// Whether a word names people or a person, in the singular or the plural ("families").
pub(super) fn is_people(w: &Words, x: &str) -> bool {
    let known = |x: &str| {
        w.person_noun.contains(x) || w.kin_noun.contains(x) || w.people_category.contains(x)
    };
    known(x)
        || x.strip_suffix('s').is_some_and(known)
        || x.strip_suffix("ies")
            .is_some_and(|stem| known(&format!("{stem}y")))
}

/// The clauses of a few sentences that name an act of the writer, with the act's span, in
/// clause order, read once per sentence and strictness: every bare head asks for the seven
/// sentences around it, and a text with an apology in every clause asked each sentence's
/// clauses again for every head near it. Heads come in text order, so the last few
/// sentences asked are all that is kept.
#[derive(Default)]
struct Acts {
    recent: Vec<SentenceActs>,
}

/// The acts named in one sentence: each clause that names one, and the act's span.
struct SentenceActs {
    sentence: usize,
    strict: bool,
    acts: Vec<(Span, Span)>,
}

impl Acts {
    /// The seven sentences around a head, strict and not.
    const KEEP: usize = 2 * (2 * ACT_REACH + 1);

    fn of(&mut self, cx: &Context<'_>, i: usize, strict: bool) -> &[(Span, Span)] {
        let at = match self
            .recent
            .iter()
            .position(|r| r.sentence == i && r.strict == strict)
        {
            Some(at) => at,
            None => {
                let mut acts = Vec::new();
                for clause in clauses_of_sentence(cx, i) {
                    let ws = read_words(cx.words, cx.lower, cx.text, clause.start, clause.end);
                    if names_writer_act(cx.words, &ws, strict) {
                        let span = Span {
                            start: ws[0].start,
                            end: ws[ws.len() - 1].end,
                        };
                        acts.push((clause, span));
                    }
                }
                if self.recent.len() == Self::KEEP {
                    self.recent.remove(0);
                }
                self.recent.push(SentenceActs {
                    sentence: i,
                    strict,
                    acts,
                });
                self.recent.len() - 1
            }
        };
        &self.recent[at].acts
    }
}

/// The clauses of sentence `i`.
pub(super) fn clauses_of_sentence<'c>(
    cx: &'c Context<'_>,
    i: usize,
) -> impl Iterator<Item = Span> + 'c {
    let sentence = cx.seg.sentences[i];
    let first = cx.seg.clause_of(sentence.start);
    cx.seg.clauses[first..]
        .iter()
        .copied()
        .take_while(move |c| c.start < sentence.end)
}

/// Whether a clause is the writer doing something: "I misread your post", "we charged every
/// customer twice", "I was rude to you". With `strict` (a clause outside the head's
/// sentence) its object must name something.
fn names_writer_act(w: &Words, clause: &[Word<'_>], strict: bool) -> bool {
    let mut t: Vec<&str> = clause.iter().map(|x| x.text).collect();
    let mut skipped = 0;
    // "and I said", "so we deleted": the clause's conjunction is no part of it.
    while t
        .first()
        .is_some_and(|x| w.clause_lead.contains(x) || w.head_adverb.contains(x))
    {
        t.remove(0);
        skipped += 1;
    }
    let Some(n) = w.writer_subject.prefix_len(&t) else {
        return false;
    };
    if n > 1 || t.len() < n + 1 || matches!(t[0], "i'll" | "we'll" | "i'd" | "we'd") {
        return false;
    }
    // "I don't miss a day", "I can't do anything right": a habit or ability denied names
    // no act. A past omission ("I didn't call") does.
    if t.iter().any(|x| w.habit_negation.contains(x)) {
        return false;
    }
    let mut v = n;
    while v < t.len() && (w.head_adverb.contains(t[v]) || w.act_adverb.contains(t[v])) {
        v += 1;
    }
    let rest = &t[v.min(t.len())..];
    // "I'm" and "we're" bring their own "be": "I'm late again".
    let be = matches!(t[0], "i'm" | "we're" | "im");
    let (verb, object) = if be {
        ("am", rest)
    } else {
        match rest.split_first() {
            Some((verb, object)) => (*verb, object),
            None => return false,
        }
    };
    if w.be_aux.contains(verb) {
        // "I was rude to you", "we were late".
        return w.conduct_word.prefix_len(object).is_some();
    }
    if w.non_act_verb.contains(verb) || w.aux.contains(verb) {
        // "I hurt you when I laughed at your poem": the act is in the when-clause.
        return t
            .iter()
            .position(|x| matches!(*x, "when" | "by"))
            .is_some_and(|k| names_writer_act(w, &clause[skipped + k + 1..], strict));
    }
    let names = object.iter().any(|x| is_content(w, x));
    names || (!strict && verb.ends_with("ed"))
}

/// Whether a word names something: not a pronoun, determiner, vague noun or particle.
pub(super) fn is_content(w: &Words, x: &str) -> bool {
    x.len() > 2
        && !(w.vague_noun.contains(x)
            || w.determiner.contains(x)
            || w.deictic.contains(x)
            || w.hearer.contains(x)
            || w.writer_subject.contains(x)
            || w.writer_possessive.contains(x)
            || w.third_person.contains(x)
            || w.aux.contains(x)
            || w.be_aux.contains(x)
            || w.head_adverb.contains(x)
            || w.empty_word.contains(x))
}

/// Whether a word is the apology word of a head ("sorry", "apologize", "regret", ...).
/// Stretched spellings ("sorrrry") reach here as the word: the normalizer reads them so.
fn is_apology_word(w: &Words, word: &str) -> bool {
    w.head_word.contains(word)
}

/// Whether the apology word is a verb that takes its object directly ("regret the harm",
/// "forgive my language"), so that a noun phrase after it is what it is for, not a subject.
fn takes_object(w: &Words, apology_word: &str) -> bool {
    w.transitive_head.contains(apology_word)
}

/// The frame of the words after an apology word, and how many of them it spans.
fn complement(w: &Words, rest: &[Word<'_>], transitive: bool) -> (Frame, usize) {
    let mut i = 0;
    // "sorry again for", "apologize sincerely and unreservedly to".
    while i < rest.len() && !rest[i].after_break {
        // "and" joins adverbs ("sincerely and unreservedly") but also another state of the
        // writer ("sorry and embarrassed"), which ends the head.
        let joined = usize::from(i > 0 && rest[i].text == "and");
        match w.head_adverb.prefix_len(&texts(&rest[i + joined..])) {
            Some(n) => i += joined + n,
            None => break,
        }
    }
    let bare = Frame {
        complement: Complement::Bare,
        ..Frame::default()
    };
    if i >= rest.len() || rest[i].after_break {
        return (bare, 0);
    }
    let mut modality = Modality::Actual;
    // A recipient: "apologize to anyone who was offended", "sorry to all of you".
    if rest[i].text == "to" && i + 1 < rest.len() && opens_recipient(w, rest[i + 1].text) {
        let (recipient, used) = recipient(w, &rest[i + 1..]);
        i += 1 + used;
        if recipient.modality == Modality::Hypothetical {
            modality = Modality::Hypothetical;
        }
        let continues = i < rest.len() && !rest[i].after_break;
        if !continues || recipient.predicate == Predicate::Reaction {
            return (
                Frame {
                    modality,
                    ..recipient
                },
                i,
            );
        }
    }
    let (mut frame, used) = introduced(w, &rest[i..], transitive);
    if frame.complement == Complement::Bare {
        return (Frame { modality, ..frame }, if i > 0 { i } else { 0 });
    }
    if modality == Modality::Hypothetical {
        frame.modality = Modality::Hypothetical;
    }
    (frame, i + used)
}

/// Whether a word after "to" opens a recipient rather than an infinitive.
fn opens_recipient(w: &Words, word: &str) -> bool {
    w.hearer.contains(word)
        || w.audience.contains(word)
        || w.determiner.contains(word)
        || w.third_person.contains(word)
        || w.writer_possessive.contains(word)
        || matches!(word, "me" | "us" | "all" | "every" | "each" | "anyone")
}

/// Reads a recipient and any relative clause on it ("those who were offended", "anyone
/// whose data may have been exposed").
fn recipient(w: &Words, words: &[Word<'_>]) -> (Frame, usize) {
    let end = words
        .iter()
        .position(|x| x.after_break || x.text == "for")
        .unwrap_or(words.len());
    let span = &words[..end];
    let mut frame = Frame {
        complement: Complement::Nominal,
        actor: Actor::Audience,
        ..Frame::default()
    };
    if let Some(rel) = span
        .iter()
        .position(|x| matches!(x.text, "who" | "whose" | "that" | "which"))
    {
        let clause = &span[rel + 1..];
        frame.modality = modality_of(w, clause);
        if reacts(w, clause) {
            frame.predicate = Predicate::Reaction;
        }
    }
    (frame, end)
}

/// The frame after any recipient: a preposition, a condition, "that", an infinitive, or a
/// clause straight after the apology word.
fn introduced(w: &Words, words: &[Word<'_>], transitive: bool) -> (Frame, usize) {
    let Some(first) = words.first() else {
        return (bare(), 0);
    };
    let t = texts(words);
    let until = extent(w, words);
    if let Some(n) = w
        .hypothetical
        .prefix_len(&t)
        .filter(|_| opens_condition(w, first.text))
    {
        let (mut frame, used) = clause(w, &words[n..until.max(n)]);
        frame.complement = Complement::Conditional;
        frame.modality = Modality::Hypothetical;
        return (frame, n + used);
    }
    // "Sorry my friend", "sorry my fellow students": the hearer addressed, not the
    // writer's thing.
    let addressed = w.writer_possessive.contains(first.text)
        && t.get(1).is_some_and(|x| w.address_term.contains(x))
        && (until == 2 || t[1] == "fellow");
    if addressed {
        return (bare(), 0);
    }
    match first.text {
        // "sorry and embarrassed", "sorry and I take full responsibility": the writer's own
        // state or a clause of its own, not what the apology is for.
        "and" | "&" | "or" => (bare(), 0),
        // "So sorry about Peter": a person named, and nothing done to them named, is sorrow
        // for them ("sorry for English" and "sorry about Tuesday" are not). So are people
        // alone, pitied: "I feel awful for their daughter", "sorry for her".
        "for" | "about" | "bout" | "abt" if sorrow_for_people(w, words, until.max(1)) => {
            let frame = Frame {
                complement: Complement::Nominal,
                actor: Actor::Others,
                predicate: Predicate::State,
                modality: Modality::Actual,
                object: Object::None,
            };
            (frame, until.max(1))
        }
        "for" | "about" | "bout" | "abt" | "over" | "regarding" | "re" | "of" => {
            let (frame, used) = nominal(w, &words[1..until.max(1)]);
            (frame, 1 + used)
        }
        // "I was sorry when they cancelled the show": the clause is what the regret is
        // about, as after "that".
        "that" | "when" => {
            let (frame, used) = clause(w, &words[1..until.max(1)]);
            (frame, 1 + used)
        }
        "to" => {
            let used = until.max(1);
            // "I didn't mean to hurt you": the harm alone, as in a clause.
            let object = if only_harms_someone(w, &texts(&words[1..used])) {
                Object::None
            } else {
                Object::Specific
            };
            let frame = Frame {
                complement: Complement::Infinitive,
                actor: Actor::Writer,
                predicate: Predicate::Act,
                object,
                modality: modality_of(w, &words[1..used]),
            };
            (frame, used)
        }
        "me" if transitive => {
            // "forgive me for", "excuse me for".
            match words.get(1).map(|x| x.text) {
                Some("for") => {
                    let (frame, used) = nominal(w, &words[2..until.max(2)]);
                    (frame, 2 + used)
                }
                _ => (bare(), 0),
            }
        }
        // "we regret it came across as an attack": a pronoun and a verb open a clause with
        // no "that", even after a verb that takes an object.
        _ if transitive && pronoun_then_verb(w, &t) => clause(w, &words[..until]),
        _ if transitive => nominal(w, &words[..until]),
        _ if opens_clause(w, &t) => clause(w, &words[..until]),
        // "sorry other drivers treat you like that": people of a kind, then their verb.
        _ if people_subject(w, &texts(&words[..until])).is_some_and(|n| n < until) => {
            clause(w, &words[..until])
        }
        // "sorry, wrong chat", "sry running late": the object with no preposition.
        _ if is_direct_object(w, &words[..until]) => nominal(w, &words[..until]),
        _ => (bare(), 0),
    }
}

/// Whether the words right after an apology word are its object with no preposition: a
/// gerund, or a few words that name something and open no question, request or address.
fn is_direct_object(w: &Words, words: &[Word<'_>]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    if is_gerund(w, first.text) {
        return true;
    }
    // "Sorry haha": laughter is no object.
    words.len() <= 4
        && !w.social_marker.contains(first.text)
        && !first.capital
        && !w.request_opener.contains(first.text)
        && !matches!(first.text, "but" | "to" | "and" | "not" | "no")
        && !w.address_term.contains(first.text)
        && words.iter().any(|x| is_content(w, x.text))
}

fn bare() -> Frame {
    Frame {
        complement: Complement::Bare,
        ..Frame::default()
    }
}

/// "if", "whether", "to the extent": not "should" or "may", which open a condition only
/// inside one ("if I may have", "should anyone have felt").
fn opens_condition(w: &Words, first: &str) -> bool {
    !w.hedge_word.contains(first)
}

/// How many words what the apology is for runs to: up to clause punctuation or a word that
/// ends it ("but", "because").
fn extent(w: &Words, words: &[Word<'_>]) -> usize {
    words
        .iter()
        .enumerate()
        .skip(1)
        .find(|&(n, x)| {
            x.after_break
                || (w.clause_end_word.contains(x.text)
                    && !(x.text == "so" && intensifies(w, &words[n + 1..])))
        })
        .map_or(words.len(), |(n, _)| n)
}

/// Whether a "so" before these words is "very" ("were so rude to you"), not "and so" ("so I
/// left"): a subject after it opens a clause of its own.
fn intensifies(w: &Words, after: &[Word<'_>]) -> bool {
    let t = texts(after);
    !t.is_empty()
        && !opens_clause(w, &t)
        && !w.determiner.contains(t[0])
        && !w.clause_end_word.contains(t[0])
}

fn texts<'t>(words: &[Word<'t>]) -> Vec<&'t str> {
    words.iter().take(6).map(|w| w.text).collect()
}

/// Whether the words open a clause: a subject the classes know, then more words.
fn opens_clause(w: &Words, t: &[&str]) -> bool {
    t.len() >= 2
        && (w.writer_subject.prefix_len(t).is_some()
            || w.hearer.prefix_len(t).is_some()
            || w.audience.prefix_len(t).is_some()
            || w.third_person.prefix_len(t).is_some()
            || w.hearer_possessive.contains(t[0])
            || w.writer_possessive.contains(t[0])
            || matches!(
                t[0],
                "this"
                    | "that"
                    | "that's"
                    | "it"
                    | "it's"
                    | "there"
                    | "the"
                    | "things"
                    | "mistakes"
            ))
}

/// Whether a clause is a cleft on the hearer's own reading: "that's what you read", "that's
/// how you took it", "this is what you heard". What the apology is for is then how the hearer
/// took the act, not the act (TAXONOMY feelings_shift).
fn hearers_reading(w: &Words, t: &[&str]) -> bool {
    // "sorry that is how you read it": the "that" may have been taken as the conjunction.
    let rest = match t {
        ["that's" | "thats" | "it's" | "its", rest @ ..] => rest,
        ["that" | "this" | "it", "is" | "was", rest @ ..] => rest,
        ["is" | "was", rest @ ..] => rest,
        _ => return false,
    };
    let ["what" | "how", rest @ ..] = rest else {
        return false;
    };
    // "that's how you found out", "that's what you had to do": how the hearer came to
    // something, not how they took it.
    w.hearer
        .prefix_len(rest)
        .or_else(|| w.audience.prefix_len(rest))
        .and_then(|n| rest.get(n))
        .is_some_and(|verb| {
            !matches!(
                *verb,
                "found" | "learned" | "learnt" | "had" | "got" | "were" | "was"
            )
        })
}

/// Whether the words open with a pronoun and a verb: a clause, whatever takes them.
fn pronoun_then_verb(w: &Words, t: &[&str]) -> bool {
    t.len() >= 2
        && (w.writer_subject.contains(t[0])
            || w.hearer.contains(t[0])
            || w.third_person.contains(t[0])
            || matches!(t[0], "it" | "this"))
        && (is_verbish(w, t[1])
            || w.perception_verb.prefix_len(&t[1..]).is_some()
            || w.event_verb.prefix_len(&t[1..]).is_some())
}

/// The subject of a clause: who it is, and how many words it takes.
pub(super) fn subject(w: &Words, t: &[&str]) -> (Actor, usize) {
    if let Some(n) = w.writer_subject.prefix_len(t) {
        return (Actor::Writer, n);
    }
    if let Some(n) = w.hearer.prefix_len(t) {
        return (Actor::Hearer, n);
    }
    if let Some(n) = w.audience.prefix_len(t) {
        return (Actor::Audience, n);
    }
    let possessed = |n: usize| {
        // "your order", "our new system": the possessor, then the words up to the verb.
        // At least one word after the possessor, but never past the end: "sorry, my".
        (n + t[n..]
            .iter()
            .take_while(|x| !(is_verbish(w, x)))
            .count()
            .clamp(1, 3))
        .min(t.len())
    };
    // "my comments were misread": the writer's thing, which can be read, react or happen.
    if w.writer_possessive.contains(t[0]) {
        return (Actor::Thing, possessed(1));
    }
    if w.hearer_possessive.contains(t[0]) {
        let n = possessed(1);
        // "your dog", "your mum": family and pets act and suffer for themselves.
        let person = t[1..n]
            .iter()
            .any(|x| w.person_noun.contains(x) || w.kin_noun.contains(x));
        return (if person { Actor::Others } else { Actor::Thing }, n);
    }
    if let Some(n) = w.third_person.prefix_len(t) {
        return (Actor::Others, n);
    }
    // "it took me so long to answer": the writer's own slowness, under a dummy "it";
    // "it was rude not to reply": the writer's own act, judged under one.
    if dummy_it_of_the_writer(t) || dummy_it_judges_an_act(w, t) {
        return (Actor::Writer, 1);
    }
    if let Some(n) = w.deictic.prefix_len(t) {
        return (Actor::Nobody, n);
    }
    // "that's happened", "it's been a mess": the pronoun with its auxiliary.
    if t[0]
        .strip_suffix("'s")
        .is_some_and(|stem| w.deictic.contains(stem))
    {
        return (Actor::Nobody, 1);
    }
    if matches!(t[0], "the" | "a" | "an" | "there") {
        // "sorry the council never fixed the road": a public body acts, not the writer's
        // thing; a store or a courier may be the writer's own side, and stays a thing.
        // "what the war did to your village": a misfortune acts as no one's agent.
        // "the economy", "the country": the public world, which no one in a conversation
        // speaks for. Entries of several words ("school board") are read where they start.
        let n = possessed(1);
        let outside = (1..n).any(|i| {
            let at = &t[i..n];
            w.public_body.prefix_len(at).is_some()
                || w.public_matter.prefix_len(at).is_some()
                || w.misfortune_noun.prefix_len(at).is_some()
        });
        return (if outside { Actor::Others } else { Actor::Thing }, n);
    }
    if w.transgression_noun.contains(t[0]) {
        // "errors in judgment were made", "lapses of care occurred": the noun with its
        // complement is the subject.
        let complement = matches!(t.get(1), Some(&("in" | "of"))) && t.len() > 3;
        return (Actor::Thing, if complement { 3 } else { 1 });
    }
    (Actor::Unknown, 0)
}

/// Whether a clause opens "it took me", "it's taken us", "it has taken me": time the writer
/// took, told with a dummy subject.
fn dummy_it_of_the_writer(t: &[&str]) -> bool {
    let rest = match t {
        ["it", "took" | "takes", rest @ ..] => rest,
        ["it's" | "its", "taken", rest @ ..] => rest,
        ["it", "has" | "had", "taken", rest @ ..] => rest,
        _ => return false,
    };
    matches!(rest.first(), Some(&("me" | "us")))
}

/// Whether a clause opens "it was rude (of me) (not) to", "that was careless to": a verdict
/// on an act the apology is for, the writer's own, told with a dummy subject.
fn dummy_it_judges_an_act(w: &Words, t: &[&str]) -> bool {
    let rest = match t {
        ["it" | "that", "was" | "is", rest @ ..] => rest,
        ["it's" | "that's" | "its" | "thats", rest @ ..] => rest,
        _ => return false,
    };
    let skip = rest
        .iter()
        .take_while(|x| w.act_adverb.contains(x) || w.soft.contains(x))
        .count();
    let Some(n) = w.wrong_evaluation.prefix_len(&rest[skip..]) else {
        return false;
    };
    let after = &rest[skip + n..];
    let after = after.strip_prefix(&["of", "me"]).unwrap_or(after);
    let after = after.strip_prefix(&["not"]).unwrap_or(after);
    after.first() == Some(&"to")
}

/// Whether a word looks like the verb of a clause: an auxiliary, a form of "be", a
/// perception or event verb, or a past tense.
fn is_verbish(w: &Words, word: &str) -> bool {
    w.be_aux.contains(word)
        || w.aux.contains(word)
        || w.event_verb.contains(word)
        || w.perception_verb.contains(word)
        || w.feeling_word.contains(word)
        || w.non_act_verb.contains(word)
        || w.participle.contains(word)
        || w.irregular_past.contains(word)
        || word.ends_with("ed")
        || word.ends_with("n't")
}

/// "Sorry my father never saw this day": family and friends act for themselves. Only a child
/// or a pet who wronged the hearer is the writer's to answer for ("sorry my son broke your
/// window"); a grown relative's wrong ("sorry my husband was rude to you") is apologized for
/// on their behalf. `t` opens with a subject `n` words long.
fn kin_acts_alone(w: &Words, t: &[&str], n: usize) -> bool {
    let start = 1.min(t.len());
    let subject = &t[start..n.clamp(start, t.len())];
    let kin = t.first().is_some_and(|x| w.writer_possessive.contains(x))
        && subject
            .iter()
            .any(|x| w.kin_noun.contains(x) || w.dependent_noun.contains(x));
    let dependent = subject.iter().any(|x| w.dependent_noun.contains(x));
    let on_the_hearer = t[start..]
        .iter()
        .any(|x| w.hearer.contains(x) || w.hearer_possessive.contains(x));
    kin && !(dependent && on_the_hearer)
}

/// Reads a clause: subject, then what kind of predicate follows it.
fn clause(w: &Words, words: &[Word<'_>]) -> (Frame, usize) {
    if words.is_empty() {
        return (bare(), 0);
    }
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    if hearers_reading(w, &t) {
        let frame = Frame {
            complement: Complement::Clause,
            actor: Actor::Hearer,
            predicate: Predicate::Reaction,
            modality: modality_of(w, words),
            object: Object::None,
        };
        return (frame, words.len());
    }
    let (mut actor, n) = subject(w, &t);
    // A name as subject ("sorry John couldn't come", "sorry the Mavericks lost"). After
    // "the", only a plural or a name before a word for people ("the Okafor family") names
    // people: "the Wi-Fi", "the Internet", "the App" are things an organisation runs.
    let named = |x: &Word<'_>| x.capital && x.text != "i";
    let people = |x: &&str| w.kin_noun.contains(x) || w.person_noun.contains(x);
    let team = words
        .get(1)
        .is_some_and(|x| named(x) && (x.text.ends_with('s') || t.get(2).is_some_and(people)));
    if matches!(actor, Actor::Thing | Actor::Unknown)
        && (named(&words[0]) || (t[0] == "the" && team))
    {
        actor = Actor::Others;
    }
    if kin_acts_alone(w, &t, n) {
        actor = Actor::Others;
    }
    // "sorry people were so rude to you", "the hurt other drivers have caused": people the
    // writer does not speak for, doing something to the hearer or to others. People shown as
    // a kind ("people like that exist") are no one the writer speaks for, whatever they do.
    let mut n = n;
    if matches!(actor, Actor::Audience | Actor::Unknown) {
        let others = |m: usize| {
            t[..m].contains(&"like") || does_to_someone(w, &t[m..]) || judged_at_fault(w, &t[m..])
        };
        match people_subject(w, &t) {
            Some(m) if others(m) => (actor, n) = (Actor::Others, m),
            // "some customers were overcharged": people the writer serves, whatever befell
            // them; the verb is read after them.
            Some(m) if m > n => (actor, n) = (Actor::Audience, m),
            _ => {}
        }
    }
    // "how sorry I am": the subject after the apology word, with no predicate of its own.
    if actor == Actor::Writer
        && t[n..]
            .iter()
            .all(|x| w.be_aux.contains(x) || w.aux.contains(x))
    {
        return (bare(), 0);
    }
    // "my comment hurt you", "if my words felt personal": the writer's own act or words as
    // subject make what follows their effect, not the other's reaction.
    // "our customers were frustrated": the writer's people feel for themselves.
    let writers_people = t[1.min(n)..n]
        .iter()
        .any(|x| w.served_party.contains(x) || w.audience.contains(x));
    let writers_thing = w.writer_possessive.contains(t[0]) && !writers_people;
    let mut predicate = predicate(w, actor, &t[n..], writers_thing);
    // "things got out of hand", "it all went sideways": what happened, with no one doing it.
    let vague_subject = n >= 1
        && t[..n]
            .iter()
            .all(|x| w.vague_noun.contains(x) || w.deictic.contains(x) || w.determiner.contains(x));
    if vague_subject && actor != Actor::Writer && predicate != Predicate::Reaction {
        predicate = Predicate::Event;
    }
    // "sorry you were charged twice", "sorry some customers were overcharged": done to the
    // hearer or the writer's public, by no one named, as "your card was charged twice" is.
    let actor = match (actor, predicate) {
        (Actor::Thing | Actor::Unknown | Actor::Nobody, Predicate::Event | Predicate::Passive)
        | (Actor::Hearer | Actor::Audience, Predicate::Passive) => Actor::Nobody,
        (a, _) => a,
    };
    let object = match (actor, predicate) {
        (_, Predicate::Reaction) => Object::None,
        (Actor::Nobody, _) => Object::Deictic,
        (Actor::Writer, _) if owns_fault_only(w, &t[n..]) => Object::Vague,
        (Actor::Writer, _) if only_harms_someone(w, &t[n..]) => Object::None,
        // "Sorry, I'll try to do better": a pledge, not what the apology is for.
        (Actor::Writer, _) if pledges(w, &t[n.saturating_sub(1)..]) => Object::None,
        (Actor::Writer | Actor::Thing, _) => Object::Specific,
        _ => Object::None,
    };
    let frame = Frame {
        complement: Complement::Clause,
        actor,
        predicate,
        modality: modality_of(w, words),
        object,
    };
    (frame, words.len())
}

/// Whether a clause of the writer's pledges betterment: put in the future ("I'll", "we
/// will") and about doing better ("try", "improve", "next time"). "Sorry, I'll be late"
/// names the act to come, and stays what the apology is for.
fn pledges(w: &Words, t: &[&str]) -> bool {
    let future = t.iter().take(3).any(|x| w.future_aux.contains(x));
    future && (0..t.len()).any(|i| w.pledge_word.prefix_len(&t[i..]).is_some())
}

/// How many words open `t` naming people in general or by a kind ("people", "some people",
/// "other drivers", "church people", "men like him"), if it opens so.
fn people_subject(w: &Words, t: &[&str]) -> Option<usize> {
    let kind = |x: &str| {
        is_people(w, x)
            || w.others_noun.contains(x)
            || w.served_party.contains(x)
            || w.audience.contains(x)
    };
    let with_noun = || {
        let lead = w.people_lead.prefix_len(t).unwrap_or(0);
        let noun = t
            .get(lead..(lead + 2).min(t.len()))?
            .iter()
            .position(|x| kind(x))?;
        // One word may name the kind before the noun ("church people"), never a pronoun or
        // a verb ("you people", "was people").
        let modifier_ok = noun == 0 || {
            let m = t[lead];
            is_content(w, m)
                && !is_verbish(w, m)
                && !w.hearer_possessive.contains(m)
                && !w.clause_end_word.contains(m)
                && !kind(m)
        };
        modifier_ok.then_some(lead + noun + 1)
    };
    let n = with_noun().or_else(|| w.audience.prefix_len(t))?;
    // "some of our drivers", "anyone who called you": the people are picked out further on,
    // and the verb comes later; what they did may still be the writer's to answer for.
    if t.get(n)
        .is_some_and(|x| matches!(*x, "of" | "who" | "that" | "whose" | "whom"))
    {
        return None;
    }
    // "men like him": the kind shown by one of them.
    let like = matches!(t.get(n..n + 2), Some(["like", x]) if w.third_person.contains(x) || matches!(*x, "that" | "this" | "these" | "those"));
    let n = n + 2 * usize::from(like);
    // "folks at the gym", "strangers on the internet": where they are, in a preposition and
    // one noun, with or without a determiner.
    let place = match t.get(n..) {
        Some([p, d, _, ..]) if is_place_preposition(p) && w.determiner.contains(d) => 3,
        Some([p, _, ..]) if is_place_preposition(p) => 2,
        _ => 0,
    };
    Some(n + place)
}

fn is_place_preposition(word: &str) -> bool {
    matches!(word, "at" | "in" | "on" | "from" | "around")
}

/// Whether a predicate does something to someone: a verb with the hearer or other people as
/// its object within a few words ("were rude to you", "treat cyclists like that", "have caused
/// women"), not a reaction ("were upset") or something gone through ("had to wait").
fn does_to_someone(w: &Words, t: &[&str]) -> bool {
    let skip = t
        .iter()
        .take_while(|x| {
            w.aux.contains(x) || w.act_adverb.contains(x) || x.ends_with("n't") || **x == "keep"
        })
        .count();
    let rest = &t[skip..];
    // "had to wait": an obligation is gone through, not done to anyone.
    let obliged = t
        .windows(2)
        .take(skip + 1)
        .any(|p| p[1] == "to" && matches!(p[0], "had" | "have" | "has" | "got"));
    // "sorry @user for trying to...": a name or an address, then what the apology is for.
    let addressed = rest
        .first()
        .is_some_and(|x| matches!(*x, "for" | "about" | "over" | "if"));
    if rest.is_empty()
        || addressed
        || obliged
        || reacts_words(w, rest)
        || w.ordeal_verb.prefix_len(rest).is_some()
        || w.ordeal_verb.prefix_len(t).is_some()
    {
        return false;
    }
    rest.iter().skip(1).take(5).any(|x| {
        w.hearer.contains(x)
            || w.hearer_possessive.contains(x)
            || matches!(*x, "him" | "her" | "them")
            || is_people(w, x)
            || w.others_noun.contains(x)
    })
}

/// Whether a predicate calls its subject at fault: "are so unkind", "can be such jerks".
/// People in general at fault are no one the writer answers for: "sorry some people are so
/// unkind" pities the hearer.
fn judged_at_fault(w: &Words, t: &[&str]) -> bool {
    let skip = t
        .iter()
        .take_while(|x| {
            w.aux.contains(x)
                || w.be_aux.contains(x)
                || w.soft.contains(x)
                || matches!(**x, "such" | "a" | "an")
        })
        .count();
    let rest = &t[skip..];
    skip > 0
        && (w.fault_word.prefix_len(rest).is_some()
            || rest.first().is_some_and(|x| {
                w.fault_noun.contains(x) || w.fault_noun.contains(x.trim_end_matches('s'))
            }))
}

/// Whether a first-person predicate tells only what the act did to someone: "I hurt you",
/// "I made you feel small", "we let everyone down", "I hurt your feelings". That is impact;
/// the act is named only when a clause after it tells it ("when I laughed at your poem").
fn only_harms_someone(w: &Words, t: &[&str]) -> bool {
    let skip = t
        .iter()
        .take_while(|x| w.aux.contains(x) || w.act_adverb.contains(x))
        .count();
    let rest = &t[skip..];
    let (n, made) = match rest.first() {
        Some(&"made") => (1, true),
        _ => match w.effect_verb.prefix_len(rest) {
            Some(n) => (n, false),
            None => return false,
        },
    };
    let after = &rest[n..];
    let person = match after {
        [p, f, ..] if w.hearer_possessive.contains(p) && *f == "feelings" => 2,
        [p, ..] if w.hearer.contains(p) => 1,
        _ => match w.harmed_person.prefix_len(after) {
            Some(n) => n,
            None => return false,
        },
    };
    let more = &after[person..];
    if made && more.first() != Some(&"feel") {
        return false;
    }
    !more
        .iter()
        .any(|x| matches!(*x, "when" | "by" | "with" | "because" | "after" | "in"))
}

/// Whether a first-person clause only owns a fault without naming the act: "we let you
/// down", "I messed up", "we have broken your trust". Readers do not count these as naming
/// what was done (the act is what let them down).
fn owns_fault_only(w: &Words, t: &[&str]) -> bool {
    let mut i = 0;
    while i < t.len() && (w.aux.contains(t[i]) || w.act_adverb.contains(t[i])) {
        i += 1;
    }
    let rest = &t[i.min(t.len())..];
    let Some(n) = w.fault_verb.prefix_len(rest) else {
        return false;
    };
    !rest[n..].iter().any(|x| is_content(w, x))
}

/// What kind of predicate follows a subject.
fn predicate(w: &Words, actor: Actor, t: &[&str], writers_thing: bool) -> Predicate {
    // Auxiliaries and adverbs before the verb: "you may have", "we've just".
    let mut i = 0;
    while i < t.len() && w.aux.contains(t[i]) {
        i += 1;
    }
    let rest = &t[i..];
    if rest.is_empty() {
        return Predicate::Unknown;
    }
    let reaction = reacts_words(w, rest);
    if reaction && actor != Actor::Writer && !writers_thing && !caused_by_writer(w, rest) {
        return Predicate::Reaction;
    }
    // "my words were misunderstood", "my behaviour was perceived as rude": the writer's
    // thing taken a way is the others' reading of it, which the rubric calls a feelings
    // shift, not a passive with no agent.
    let perceived = w.be_aux.prefix_len(rest).is_some_and(|n| {
        w.perception_verb.prefix_len(rest).is_some()
            || w.perception_verb.prefix_len(&rest[n..]).is_some()
    });
    if writers_thing && perceived {
        return Predicate::Reaction;
    }
    if w.event_verb.prefix_len(rest).is_some() {
        return Predicate::Event;
    }
    // "wasn't shipped", "was never sent": a passive denied is still a passive, with no agent.
    let negated_be = match rest {
        ["wasn't" | "weren't" | "isn't" | "aren't", ..] => true,
        // "hasn't arrived" is no passive; "hasn't been sent" is.
        ["hasn't" | "haven't", "been", ..] => true,
        _ => false,
    };
    let be = w.be_aux.prefix_len(rest).or(negated_be.then_some(1));
    if let Some(mut n) = be {
        // "was not sent", "has not been sent", "hasn't been sent".
        n += usize::from(rest.get(n).is_some_and(|x| matches!(*x, "not" | "never")));
        n += usize::from(rest.get(n) == Some(&"been"));
        let next = rest.get(n).copied().unwrap_or("");
        let by_agent = rest.iter().skip(n + 1).take(4).any(|x| *x == "by");
        if is_participle(w, next) && !by_agent {
            return Predicate::Passive;
        }
        return if actor == Actor::Writer {
            Predicate::Act
        } else {
            Predicate::State
        };
    }
    match actor {
        Actor::Writer => Predicate::Act,
        _ => Predicate::Unknown,
    }
}

/// Whether a reaction is owned as the writer's doing: "embarrassed by what I did",
/// "upset because of me", "hurt because I lied". Naming only an object of the writer's
/// ("offended by my joke") leaves it a reaction.
fn caused_by_writer(w: &Words, t: &[&str]) -> bool {
    t.windows(2).enumerate().any(|(n, pair)| {
        let after = &t[n + 1..];
        match pair {
            ["by" | "of", "me" | "us"] => true,
            ["by" | "at" | "with", "what" | "how" | "the"] => after
                .iter()
                .skip(1)
                .take(3)
                .any(|x| w.writer_subject.contains(x)),
            ["because" | "when" | "that" | "after", x] => w.writer_subject.contains(x),
            // "any offence caused by my posts": the writer's doing, named as a cause.
            ["caused" | "created" | "done", "by"] => after
                .get(1)
                .is_some_and(|x| w.writer_possessive.contains(x) || matches!(*x, "me" | "us")),
            _ => false,
        }
    })
}

fn is_participle(w: &Words, word: &str) -> bool {
    w.participle.contains(word) || (word.len() > 4 && word.ends_with("ed"))
}

/// Whether the words speak of someone's reaction: "were offended", "felt", "took it",
/// "your experience".
fn reacts_words(w: &Words, t: &[&str]) -> bool {
    let mut prev_possessive = false;
    for (n, x) in t.iter().take(4).enumerate() {
        if w.perception_verb.prefix_len(&t[n..]).is_some()
            || w.feeling_word.prefix_len(&t[n..]).is_some()
        {
            return true;
        }
        if prev_possessive && w.reaction_noun.contains(x) {
            return true;
        }
        prev_possessive = w.hearer_possessive.contains(x) || (n > 0 && *x == "their");
    }
    false
}

fn reacts(w: &Words, words: &[Word<'_>]) -> bool {
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let mut i = 0;
    while i < t.len() && (w.aux.contains(t[i]) || w.be_aux.contains(t[i])) {
        i += 1;
    }
    reacts_words(w, &t[i.min(t.len())..]) || reacts_words(w, &t)
}

/// Hypothetical when a word of the class stands in the words ("any confusion I may have
/// caused").
fn modality_of(w: &Words, words: &[Word<'_>]) -> Modality {
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let hypothetical = (0..t.len()).any(|i| {
        w.hypothetical
            .prefix_len(&t[i..])
            // "should" only opening a condition ("should you have any trouble"); "I should
            // have said" is the writer's own hindsight.
            .is_some_and(|_| t[i] != "should" || t.get(i + 1).is_some_and(|n| inverts_should(w, n)))
            && !matches!(t[i], "may" | "might" if !t[i + 1..].first().is_some_and(|n| *n == "have" || *n == "be"))
    });
    if hypothetical {
        Modality::Hypothetical
    } else {
        Modality::Actual
    }
}

/// Whether the word after "should" is the subject it was put before, as a condition puts it
/// ("should you", "should any customer", "should I have"): a subject of any person, or the
/// start of a noun phrase.
fn inverts_should(w: &Words, next: &str) -> bool {
    w.writer_subject.contains(next)
        || w.hearer.contains(next)
        || w.third_person.contains(next)
        || w.audience.contains(next)
        || w.deictic.contains(next)
        || w.determiner.contains(next)
        || next == "there"
}

/// Reads a noun phrase or gerund after "for", "about".
fn nominal(w: &Words, words: &[Word<'_>]) -> (Frame, usize) {
    if words.is_empty() {
        return (bare(), 0);
    }
    let t: Vec<&str> = words.iter().map(|x| x.text).collect();
    let used = words.len();
    let frame = |actor, predicate, object| Frame {
        complement: Complement::Nominal,
        actor,
        predicate,
        modality: modality_of(w, words),
        object,
    };
    // "for yelling", "for not calling", "for having said".
    let g = usize::from(matches!(t[0], "not" | "never"));
    if t.get(g).is_some_and(|x| is_gerund(w, x)) {
        // "for hurting you": the harm alone, as in a clause.
        let object = if g == 0 && only_harms_someone(w, &t) {
            Object::None
        } else {
            Object::Specific
        };
        return (frame(Actor::Writer, Predicate::Act, object), used);
    }
    // "what those children went through": an ordeal of someone other than the writer.
    if t[0] == "what" && suffered_by_others(w, &t[1..]) {
        return (frame(Actor::Others, Predicate::State, Object::None), used);
    }
    // Free relatives: "what happened", "what I said about you", "whatever I did".
    if matches!(t[0], "what" | "whatever" | "how") && t.len() > 1 {
        let (mut actor, mut n) = subject(w, &t[1..]);
        // "whatever role I played", "what part we had": a noun before the subject.
        if actor == Actor::Unknown && t[0] != "how" && t.len() > 2 {
            if let Some(m) = w.writer_subject.prefix_len(&t[2..]) {
                (actor, n) = (Actor::Writer, 1 + m);
            }
        }
        // "what my brother said at dinner": kin acting alone, as in a clause; "what men
        // have done to you", "what those boys said": people other than the writer.
        if kin_acts_alone(w, &t[1..], n) {
            actor = Actor::Others;
        }
        if !matches!(actor, Actor::Writer | Actor::Hearer) {
            if let Some(m) = people_subject(w, &t[1..]) {
                (actor, n) = (Actor::Others, m);
            }
        }
        let rest = &t[1 + n..];
        if actor == Actor::Unknown || w.event_verb.prefix_len(&t[1..]).is_some() {
            return (
                frame(Actor::Nobody, Predicate::Event, Object::Deictic),
                used,
            );
        }
        let object = if t[0] == "whatever" {
            Object::Vague
        } else if rest.len() > 2 {
            Object::Specific
        } else {
            Object::Deictic
        };
        return (frame(actor, Predicate::Act, object), used);
    }
    // "about that, Tanya", "about this guys": a deictic and a name or address term.
    let addressed = |n: usize| {
        words[n..]
            .iter()
            .all(|x| x.capital || w.head_adverb.contains(x.text))
    };
    if w.deictic
        .prefix_len(&t)
        .is_some_and(|n| n == t.len() || (t.len() - n <= 2 && addressed(n)))
    {
        return (
            frame(Actor::Unknown, Predicate::Unknown, Object::Deictic),
            used,
        );
    }
    let quantified = w.vague_quantifier.prefix_len(&t);
    let head_end = noun_end(w, &t);
    let nouns = &t[..head_end];
    let relative = &t[head_end..];
    if relative_by_third_party(w, &words[head_end..]) {
        return (frame(Actor::Others, Predicate::State, Object::None), used);
    }
    // "for my reaction on Saturday", "our response": the writer's own reaction is an act of
    // theirs, not the hearer's feeling.
    let writers_own = nouns
        .first()
        .is_some_and(|x| w.writer_possessive.contains(x));
    let reaction = !writers_own
        && (reacts_words(w, nouns)
            || nouns
                .iter()
                .any(|x| w.reaction_noun.contains(x) && *x != "experience"));
    // "Any hurt I may have caused": a relative clause with the writer as subject makes the
    // reaction the writer's doing, as "caused by my posts" does.
    if reaction && !caused_by_writer(w, &t) && !relative_by_writer(w, relative) {
        let actor = if nouns.iter().any(|x| w.hearer_possessive.contains(x)) {
            Actor::Hearer
        } else {
            Actor::Audience
        };
        let object = if quantified.is_some() {
            Object::Vague
        } else {
            Object::None
        };
        return (frame(actor, Predicate::Reaction, object), used);
    }
    if nouns.iter().any(|x| w.event_noun.contains(x))
        || w.event_noun
            .prefix_len(&nouns[nouns.len().min(1)..])
            .is_some()
        || relative_is_event(w, relative)
    {
        return (
            frame(Actor::Nobody, Predicate::Event, Object::Deictic),
            used,
        );
    }
    if relative_is_passive(w, nouns, relative) {
        return (
            frame(Actor::Nobody, Predicate::Passive, Object::Deictic),
            used,
        );
    }
    let content = nouns.iter().any(|x| {
        !(w.vague_noun.contains(x)
            || w.determiner.contains(x)
            || w.vague_quantifier.contains(x)
            || w.head_adverb.contains(x)
            || w.deictic.contains(x)
            || w.time_word.contains(x))
    });
    let owner = if nouns.iter().any(|x| w.writer_possessive.contains(x))
        || relative_by_writer(w, relative)
    {
        Actor::Writer
    } else {
        Actor::Unknown
    };
    let object = match (quantified.is_some(), content) {
        (true, false) => Object::Vague,
        (true, true) if t[0] != "all" => Object::Vague,
        (_, true) => Object::Specific,
        (false, false) => Object::Deictic,
    };
    let predicate = if owner == Actor::Writer {
        Predicate::Act
    } else {
        Predicate::Unknown
    };
    (frame(owner, predicate, object), used)
}

/// Whether a noun phrase is a trouble of someone else's, named by their possessive: "her
/// experience", "his situation", "their loss". Nothing in it is the writer's.
fn third_partys_trouble(w: &Words, nouns: &[&str]) -> bool {
    let trouble = |at: &[&str]| {
        w.hearer_trouble.prefix_len(at).is_some()
            || w.misfortune_noun.prefix_len(at).is_some()
            || w.ailment.prefix_len(at).is_some()
    };
    matches!(nouns.first(), Some(&("his" | "her" | "their")))
        && (1..nouns.len()).any(|i| trouble(&nouns[i..]))
}

/// Whether a noun phrase is a name alone: one to three words in capitals, none a day or a
/// time, and none a pointer ("that"). "The" before a name in the plural names a team or a
/// family ("the Cowboys", "the Hendersons"); before one in the singular, it is more often a
/// product or a place ("the Wifi").
fn names_a_person(w: &Words, object: &[Word<'_>]) -> bool {
    let object = match object {
        [the, rest @ ..]
            if the.text == "the" && rest.last().is_some_and(|x| x.text.ends_with('s')) =>
        {
            rest
        }
        _ => object,
    };
    (1..=3).contains(&object.len())
        && object.iter().all(|x| {
            x.capital && !x.shouted && !w.time_word.contains(x.text) && !w.deictic.contains(x.text)
        })
}

/// Whether the words after "for" or "about" (up to `until`) name only people the writer is
/// sorry for: a person by name after "about", or other people pitied.
fn sorrow_for_people(w: &Words, words: &[Word<'_>], until: usize) -> bool {
    let object = &words[1..until];
    let named = matches!(words[0].text, "about" | "bout" | "abt")
        && names_a_person(w, object)
        && !(words[1].text == "the" && names_writer_side(w, &words[until..]));
    named || (only_pitied_people(w, object) && !names_writer_side(w, &words[until..]))
}

/// Whether a noun phrase names only other people: "her", "them", "you", "their daughter", "the
/// poor kids", "those families", "the workers caught in the middle of it". The writer's
/// customers ("our customers") and the hearer's own ("your mum", read elsewhere) are left
/// out, as is anything the writer did to them ("the people I hurt").
fn only_pitied_people(w: &Words, object: &[Word<'_>]) -> bool {
    let t: Vec<&str> = object.iter().map(|x| x.text).collect();
    let person = |x: &str| {
        w.pitied_person.contains(x) || w.kin_noun.contains(x) || w.people_category.contains(x)
    };
    match t.as_slice() {
        [one] => matches!(*one, "her" | "him" | "them" | "you" | "u" | "ya"),
        [det, rest @ ..] if is_pity_determiner(det) || person(det) => {
            let rest = if person(det) { &t[..] } else { rest };
            // The people, then perhaps what befalls them: "who never got to see him play".
            let nouns = rest
                .iter()
                .position(|x| {
                    matches!(
                        *x,
                        "who" | "that" | "caught" | "stuck" | "in" | "at" | "on" | "from"
                            // "those people down there", "the folks affected".
                            | "there" | "here" | "down" | "over" | "out" | "everywhere"
                            | "affected" | "involved"
                    )
                })
                .unwrap_or(rest.len());
            (1..=3).contains(&nouns)
                && person(rest[nouns - 1])
                && !rest[..nouns].iter().any(|x| is_verbish(w, x))
                && !names_writer_side(w, &object[t.len() - rest.len() + nouns..])
        }
        _ => false,
    }
}

fn is_pity_determiner(word: &str) -> bool {
    matches!(
        word,
        "his"
            | "her"
            | "their"
            | "the"
            | "those"
            | "these"
            | "that"
            | "this"
            | "my"
            | "all"
            | "every"
            | "each"
    )
}

/// Whether the words after "what" tell of an ordeal someone other than the writer went
/// through: a subject of a few words with no writer in it, then an ordeal verb.
fn suffered_by_others(w: &Words, t: &[&str]) -> bool {
    if caused_by_writer(w, t) || t.iter().any(|x| matches!(*x, "me" | "us")) {
        return false;
    }
    // "what the people of the valley are going through": a subject of up to six words.
    (1..=6.min(t.len())).any(|p| {
        w.ordeal_verb.prefix_len(&t[p..]).is_some()
            && !t[..p].iter().any(|x| {
                w.writer_subject.contains(x)
                    || w.writer_possessive.contains(x)
                    || w.hearer.contains(x)
            })
    })
}

fn is_gerund(w: &Words, word: &str) -> bool {
    word.len() > 4 && word.ends_with("ing") && !w.not_gerund.contains(word) || word == "having"
}

/// Where the nouns of a noun phrase end: at a relative clause ("that", "which", a subject
/// pronoun, a new determiner or an auxiliary: "any confusion my reply may have caused") or
/// at a participle after a noun ("the lives lost").
fn noun_end(w: &Words, t: &[&str]) -> usize {
    const PREPOSITIONS: &[&str] = &[
        "of", "to", "for", "with", "in", "on", "at", "from", "about", "by", "into", "over",
    ];
    t.iter()
        .enumerate()
        .skip(1)
        .find(|(n, x)| {
            let prev = t[n - 1];
            matches!(
                **x,
                "that"
                    | "which"
                    | "who"
                    | "whom"
                    | "whose"
                    | "i"
                    | "we"
                    | "you"
                    | "he"
                    | "she"
                    | "they"
                    | "i've"
                    | "we've"
                    | "i'd"
                    | "we'd"
                    | "it"
                    | "this"
            ) || ((w.determiner.contains(x) || w.aux.contains(x))
                && !PREPOSITIONS.contains(&prev)
                && !w.determiner.contains(prev))
                || (is_participle(w, x) && !w.determiner.contains(prev) && !w.aux.contains(prev))
        })
        .map_or(t.len(), |(n, _)| n)
}

fn relative_is_event(w: &Words, rel: &[&str]) -> bool {
    let mut body = strip_relative(rel);
    // "the way it happened", "the mess this turned into".
    if body
        .first()
        .is_some_and(|x| matches!(*x, "it" | "this" | "that" | "things" | "everything"))
    {
        body = &body[1..];
    }
    let mut i = 0;
    while i < body.len() && (w.aux.contains(body[i]) || w.be_aux.contains(body[i])) {
        i += 1;
    }
    w.event_verb
        .prefix_len(&body[i.min(body.len())..])
        .is_some()
}

/// A reduced relative with no agent after a noun for a wrong or a loss: "mistakes made",
/// "the harm caused", "the lives lost". ("The inconvenience caused" names no wrong: it is
/// a vague object, not an agentless act.)
fn relative_is_passive(w: &Words, nouns: &[&str], rel: &[&str]) -> bool {
    rel.first().is_some_and(|x| is_participle(w, x))
        && !rel.iter().take(4).any(|x| *x == "by")
        && nouns.iter().any(|x| w.transgression_noun.contains(x))
}

/// "the pain his family is going through", "the loss the town has suffered": a relative
/// clause with a third party as its active subject, which the writer did not cause.
fn relative_by_third_party(w: &Words, rel: &[Word<'_>]) -> bool {
    let body = match rel.first().map(|x| x.text) {
        Some("that" | "which" | "who") => &rel[1..],
        _ => rel,
    };
    if body.is_empty() {
        return false;
    }
    let (frame, _) = clause(w, body);
    let t: Vec<&str> = body.iter().map(|x| x.text).collect();
    let acted = frame.actor == Actor::Others
        && !matches!(frame.predicate, Predicate::Passive | Predicate::Reaction);
    (acted || passive_by_others(w, &t)) && !caused_by_writer(w, &t)
}

/// Whether a clause is done "by" other people: "you were treated by a few idiots", "the
/// abuse she got from strangers". The writer's own people ("by our staff") are not others.
fn passive_by_others(w: &Words, t: &[&str]) -> bool {
    let Some(k) = t.iter().position(|x| matches!(*x, "by" | "from")) else {
        return false;
    };
    let agent = t[k + 1..]
        .iter()
        .find(|x| !(w.determiner.contains(x) || matches!(**x, "a" | "few" | "some" | "other")));
    let others = |x: &str| {
        is_people(w, x)
            || w.others_noun.contains(x)
            || w.third_person.contains(x)
            || w.fault_noun.contains(x)
            || w.fault_noun.contains(x.trim_end_matches('s'))
    };
    k > 0 && agent.is_some_and(|x| others(x))
}

fn relative_by_writer(w: &Words, rel: &[&str]) -> bool {
    let body = strip_relative(rel);
    body.first().is_some_and(|x| w.writer_subject.contains(x))
}

fn strip_relative<'a, 't>(rel: &'a [&'t str]) -> &'a [&'t str] {
    match rel.first() {
        Some(&("that" | "which" | "who")) => &rel[1..],
        _ => rel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::test_support::{analyzer, assert_apology, categories};

    fn frame_of(text: &str) -> Frame {
        let lower = text.to_ascii_lowercase();
        let w = Words::of(analyzer().lexicon());
        let words = read_words(&w, &lower, text, 0, lower.len());
        let at = words
            .iter()
            .position(|x| is_apology_word(&w, x.text))
            .expect("an apology word");
        complement(&w, &words[at + 1..], takes_object(&w, words[at].text)).0
    }

    #[test]
    fn the_hearers_reaction() {
        for text in [
            "I'm sorry you feel that way.",
            "We're sorry you were disappointed with the meal.",
            "I apologize to anyone who was offended.",
            "Sorry this has been your experience.",
            "Sorry if anyone took it the wrong way.",
            "I'm sorry that's what you heard.",
            "Sorry that is how you read it.",
        ] {
            assert_eq!(frame_of(text).predicate, Predicate::Reaction, "{text}");
        }
        assert_ne!(
            frame_of("I'm sorry I hurt you.").predicate,
            Predicate::Reaction
        );
        // A reaction the writer says they caused is their act, however hedged.
        for text in [
            "I regret any hurt I may have caused.",
            "Sorry for the distress we caused your family.",
        ] {
            let frame = frame_of(text);
            assert_eq!(frame.actor, Actor::Writer, "{text}");
            assert_ne!(frame.predicate, Predicate::Reaction, "{text}");
        }
        assert_eq!(
            frame_of("Sorry for the hurt you felt.").predicate,
            Predicate::Reaction
        );
    }

    #[test]
    fn the_public_world_and_a_team_are_sorrowed_for() {
        assert_apology(
            false,
            &[
                "I'm sorry some people are so unkind to you.",
                "Sorry that people can be such bullies.",
                "I'm sorry for the way you were treated by a few strangers.",
                "I'm sorry the economy is so bad right now.",
                "I'm real sorry the school board cut the music program.",
                "I'm sorry about the Cowboys, they just don't have it this year.",
            ],
        );
        assert_apology(
            true,
            &[
                "Sorry about the Wifi, it has been down all day.",
                "Sorry about the AirPods, we will send a replacement.",
                "Sorry our drivers were so rude to you.",
                "I'm sorry for the way you were treated by our staff.",
            ],
        );
    }

    #[test]
    fn a_recipient_alone_beside_a_loss_mourns_it() {
        assert_apology(
            false,
            &["Saddened that the plant is laying off 400 people. Sorry to all of you caught up in it."],
        );
        assert_apology(
            true,
            &["The update deleted your files. Sorry to all of you who lost work."],
        );
    }

    #[test]
    fn a_hesitation_inside_the_clause_breaks_nothing() {
        let frame = frame_of("I'm sorry that, uh, the kids can't go.");
        assert_eq!(frame.complement, Complement::Clause);
        assert_eq!(
            frame_of("I'm sorry, uh, that's a shame.").complement,
            Complement::Bare
        );
    }

    #[test]
    fn a_public_body_acts_for_itself() {
        assert_eq!(
            frame_of("I'm sorry the council never fixed that road.").actor,
            Actor::Others
        );
        assert_eq!(
            frame_of("Sorry the courier left it in the rain.").actor,
            Actor::Thing
        );
    }

    #[test]
    fn a_when_clause_is_what_the_regret_is_about() {
        let frame = frame_of("I was sorry when they closed the old cinema.");
        assert_eq!(frame.complement, Complement::Clause);
        assert_eq!(frame.actor, Actor::Others);
        assert_eq!(
            frame_of("I'm sorry when I snap at you.").actor,
            Actor::Writer
        );
    }

    #[test]
    fn nobody_acting() {
        for text in [
            "I'm sorry that this happened.",
            "We regret this occurrence.",
            "I apologize for the way it happened.",
            "We are sorry for the lives lost.",
            "I regret that mistakes were made.",
            "Sorry for what happened.",
        ] {
            assert_eq!(frame_of(text).actor, Actor::Nobody, "{text}");
        }
        assert_eq!(frame_of("Sorry I broke it.").actor, Actor::Writer);
        // A dummy "it" with the writer's time taken is the writer's slowness.
        for text in [
            "I'm sorry it took me so long to answer.",
            "Sorry it's taken us a week to reply.",
        ] {
            assert_eq!(frame_of(text).actor, Actor::Writer, "{text}");
        }
        assert_eq!(
            frame_of("Sorry it took so long for the parts to arrive.").actor,
            Actor::Nobody
        );
        // A passive denied has no agent either; a perfect denied is no passive.
        for text in [
            "I'm sorry your order wasn't shipped on time.",
            "Sorry the email was never sent.",
            "Sorry the form hasn't been signed.",
        ] {
            assert_eq!(frame_of(text).predicate, Predicate::Passive, "{text}");
        }
        assert_ne!(
            frame_of("I'm sorry your order hasn't arrived yet.").predicate,
            Predicate::Passive
        );
    }

    #[test]
    fn a_pronoun_with_its_auxiliary_is_a_deictic_subject() {
        for text in [
            "I'm sorry that that's happened.",
            "Sorry it's happened again.",
        ] {
            assert_eq!(frame_of(text).actor, Actor::Nobody, "{text}");
            assert_eq!(frame_of(text).predicate, Predicate::Event, "{text}");
        }
    }

    #[test]
    fn a_free_relative_with_a_noun_keeps_its_subject() {
        let frame = frame_of("I'm sorry for whatever role I may have played.");
        assert_eq!(frame.actor, Actor::Writer);
        assert_eq!(frame.object, Object::Vague);
        assert_eq!(frame.modality, Modality::Hypothetical);
        assert_eq!(frame_of("Sorry for what happened.").actor, Actor::Nobody);
    }

    #[test]
    fn hypothetical_and_vague() {
        assert_eq!(
            frame_of("Sorry if I upset you.").modality,
            Modality::Hypothetical
        );
        assert_eq!(
            frame_of("We apologize to those whose data may have been exposed.").modality,
            Modality::Hypothetical
        );
        // "Should" opens a condition only before its subject; after the writer it is hindsight.
        assert_eq!(
            frame_of("We apologize should you have experienced any delay.").modality,
            Modality::Hypothetical
        );
        assert_eq!(
            frame_of("Sorry I should have said army.").modality,
            Modality::Actual
        );
        assert_eq!(
            frame_of("Sorry for any inconvenience.").object,
            Object::Vague
        );
        assert_eq!(frame_of("Sorry for whatever I did.").object, Object::Vague);
        assert_eq!(frame_of("Sorry for the delay.").object, Object::Specific);
        assert_eq!(
            frame_of("Sorry to keep you waiting.").object,
            Object::Specific
        );
        assert_eq!(
            frame_of("Sorry your order is late.").object,
            Object::Specific
        );
        assert_eq!(
            frame_of("Sorry for yelling at you.").object,
            Object::Specific
        );
        assert_eq!(frame_of("Sorry about that.").object, Object::Deictic);
        // Laughter, a handle or the hearer addressed after the head is no object.
        for bare_head in [
            "Sorry haha",
            "Sorry @jo_b, still confused.",
            "Sorry my friend, I'm out.",
        ] {
            assert_eq!(
                frame_of(bare_head).complement,
                Complement::Bare,
                "{bare_head}"
            );
        }
        // A pledge to do better is not what the apology is for; an act to come is.
        assert_eq!(
            frame_of("Sorry I'll try to do better next time.").object,
            Object::None
        );
        assert_eq!(
            frame_of("I'm sorry I'm going to miss your party.").object,
            Object::Specific
        );
        assert_eq!(frame_of("I'm sorry.").complement, Complement::Bare);
    }

    #[test]
    fn what_the_hearer_goes_through_is_a_peers_sympathy_and_a_services_apology() {
        let a = analyzer();
        for peer in [
            "So sorry you've been having a hard time lately.",
            "Sorry you two have to deal with a neighbour like him.",
            "I'm sorry you're experiencing all of this at once.",
            "Sorry this keeps happening to you, it isn't fair.",
            "Sorry you're stuck in bed sick, get well soon!",
            "Sorry it went so badly for you at the interview.",
            // A "we" quoted from someone else is not the writer speaking for a service.
            "\"We only let him out once a day!\" Wow. Sorry this keeps happening to you.",
        ] {
            assert!(!a.analyze(peer).apology, "{peer}");
        }
        for owned in [
            // The writer's thing in what was borne, or something the writer made them bear.
            "Sorry you had to deal with my temper on Sunday.",
            "Sorry you had to wait so long for an answer.",
            // A service speaking: the customer's trouble is its own to apologize for.
            "Sorry you're having trouble with the checkout. Could you DM us the error?",
            "Sorry you're still having issues with your account! ^MK",
        ] {
            assert!(a.analyze(owned).apology, "{owned}");
        }
        // Beside a cue of sympathy, what the hearer had is their lot; so is a thing of theirs.
        assert!(
            !a.analyze("Oh no, that's awful. I'm sorry you had that happen.")
                .apology
        );
        assert!(
            !a.analyze("So sorry about your knee. That sounds awful.")
                .apology
        );
    }

    #[test]
    fn the_harm_alone_names_no_act() {
        use crate::Category::{Impact, Specificity};
        for text in ["I'm sorry I upset you.", "Sorry I hurt your feelings."] {
            let found = categories(text);
            assert!(!found.contains(&Specificity), "{text}");
            assert!(found.contains(&Impact), "{text}");
        }
        for text in [
            "Sorry I made you wait.",
            "I'm sorry I hurt you when I laughed at your poem.",
        ] {
            assert!(categories(text).contains(&Specificity), "{text}");
        }
    }

    #[test]
    fn excuse_me_is_for_what_happens_as_it_is_said() {
        use crate::Category::Specificity;
        assert!(
            !categories("Excuse me. For instance, I pay all the household bills.")
                .contains(&Specificity)
        );
        assert!(categories("Excuse me, I stepped on your foot.").contains(&Specificity));
        assert!(categories("I deleted your draft. I'm sorry.").contains(&Specificity));
    }

    #[test]
    fn a_verdict_under_a_dummy_it_judges_the_writers_act() {
        use crate::Category::{Agentless, Responsibility};
        for text in [
            "Sorry, it was careless not to check the date.",
            "Sorry that was so rude to walk off mid-sentence.",
        ] {
            let found = categories(text);
            assert!(found.contains(&Responsibility), "{text}");
            assert!(!found.contains(&Agentless), "{text}");
        }
        // A hardship under a dummy "it" judges nothing the writer did.
        assert!(!categories("Sorry, it was hard to hear you.").contains(&Responsibility));
    }

    #[test]
    fn third_party_misfortune_is_sympathy() {
        assert!(
            !analyzer()
                .analyze("I'm so sorry your brother lost his job.")
                .apology
        );
        assert!(!analyzer().analyze("Sorry they cancelled the show.").apology);
        assert!(analyzer().analyze("Sorry I cancelled the show.").apology);
        // Kin acting alone, in a clause or a free relative; on the hearer, the writer answers.
        assert!(
            !analyzer()
                .analyze("I'm sorry for what my uncle said at the wedding.")
                .apology
        );
        assert!(
            analyzer()
                .analyze("I'm sorry for what my dog did to your roses.")
                .apology
        );
        assert!(
            !analyzer()
                .analyze("I'm sorry my husband was rude to you at the till.")
                .apology
        );
        assert!(
            analyzer()
                .analyze("Sorry my son kicked his ball into your window.")
                .apology
        );
        // A clause with no subject at all ("that was his response") is read, not skipped.
        let subjectless = analyzer().analyze("So sorry that was his response.");
        assert!(subjectless
            .findings
            .iter()
            .any(|f| &*f.rule == "regret.sorry"));
        // A team is a third party; a capitalised service is the organisation's own thing.
        assert!(!analyzer().analyze("Sorry the Rovers lost again.").apology);
        assert!(
            analyzer()
                .analyze("We're sorry the Wi-Fi was slower than expected on your flight.")
                .apology
        );
    }

    #[test]
    fn the_writers_own_reaction_is_an_act_not_a_feeling_of_the_hearer() {
        use crate::context::test_support::counted_rules;
        assert!(
            !counted_rules("Sorry to the team for my reaction after the match.")
                .iter()
                .any(|r| r.starts_with("feelings_shift"))
        );
        assert!(counted_rules("Sorry for your reaction.")
            .iter()
            .any(|r| r.starts_with("feelings_shift")));
    }

    #[test]
    fn a_bare_sorry_beside_a_death_or_a_condolence_is_condolence() {
        use crate::context::test_support::assert_apology;
        assert_apology(
            false,
            &[
                "Just heard your uncle was diagnosed last month. I'm so sorry.",
                "I'm so sorry. Our thoughts are with the whole family tonight.",
                "Their cat died on Friday. We're so sorry, truly.",
                "Oh, that's too bad. I'm so sorry.",
            ],
        );
        // The writer's doing, or the writer's own loss given as the reason, stays an apology;
        // so does a death told of in a phrasal verb.
        assert_apology(
            true,
            &[
                "I backed over your cat and killed it. I'm so sorry.",
                "My neighbour's dog died and I forgot your party. I'm so sorry.",
                "The music died down and I kept shouting. Sorry.",
                "Sorry, that was awful of me.",
            ],
        );
    }

    #[test]
    fn a_collective_we_that_went_through_something_laments() {
        assert_apology(
            false,
            &[
                "I'm sorry we lost the final on penalties.",
                "Sorry we ever got into that mess of a war.",
                "I'm sorry we had such a cold summer.",
            ],
        );
        assert_apology(
            true,
            &[
                "Sorry we lost your luggage.",
                "We're sorry we had such a delay with your refund.",
                "Sorry we lost the game for you, coach.",
            ],
        );
    }

    #[test]
    fn the_hearers_view_of_a_matter_not_the_writers_is_no_apology() {
        assert_apology(
            false,
            &[
                "I'm sorry that you're opposed to the new bypass.",
                "Sorry you disagree with the referee's decision.",
            ],
        );
        assert_apology(
            true,
            &[
                "I'm sorry you disagree with my decision.",
                "I'm sorry you feel that way.",
            ],
        );
    }

    #[test]
    fn what_others_did_or_suffer_is_sympathy() {
        assert_apology(
            false,
            &[
                // Family act for themselves; the writer's thing as an object is no act of theirs.
                "I'm sorry that my grandmother never got to see the new house.",
                "We regret that the ministry has ignored our letters.",
                // A misfortune as the agent; a third party's ordeal in a relative clause.
                "I'm sorry for what the flood did to your farm.",
                "I'm so sorry for what those miners went through.",
                "I'm sorry for the grief the Okafor family is living through.",
                // People other than the writer as the subject of the free relative.
                "I'm sorry for what some people said to you at school.",
                "I'm sorry for what those boys did to you.",
                // Sorrow for every one of the people who suffered.
                "I am sorry for every family who lost someone in the fire.",
                // A third party's trouble, named by their possessive.
                "I'm sorry for her experience at that clinic.",
                "So sorry about his situation with the landlord.",
            ],
        );
        assert_apology(
            true,
            &[
                "I'm sorry my son broke your window.",
                "We are sorry that they were treated this way by our staff.",
                "I'm sorry for the pain I caused your family.",
                "I'm sorry for what my staff went through because of me.",
                // Their trouble, with the writer owning it beside it.
                "I'm sorry for her pain. I caused it.",
                "I'm sorry for her experience with our staff.",
                // A second object of the same head, on the writer's side.
                "We are sorry for what the tenants endured that winter, and for our role in it.",
            ],
        );
    }

    #[test]
    fn people_of_a_kind_doing_something_to_the_hearer_are_someone_else() {
        assert_apology(
            false,
            &[
                "Sorry some folks at the gym were so mean to you.",
                "I'm sorry other parents keep judging you for it.",
                "I'm sorry random commenters sent you those messages.",
                "So sorry for the harm that people like her have done to your family.",
                "Sorry trolls keep flooding your inbox.",
                // A kind shown by one of them, whatever they do.
                "I'm sorry people like that are still out there.",
                "Sorry that men like him get elected.",
            ],
        );
        assert_apology(
            true,
            &[
                // Picked out as the writer's, or the verb comes after a relative clause.
                "I'm sorry a few of our drivers were short with you.",
                "Sorry anyone who rang you today got the engaged tone.",
                // Something gone through or felt, not done to anyone.
                "Sorry customers had to wait outside for you.",
                "I'm sorry people were upset by my post.",
                // An address, then what the apology is for.
                "Sorry folks for the late start to your session.",
                // "So" as "very" keeps the clause whole: the writer's act is read.
                "I'm sorry I was so short with you on the phone.",
            ],
        );
    }

    #[test]
    fn a_possessive_at_the_end_of_a_clause_is_read_safely() {
        // Found by the property test: a possessor with nothing after it.
        for text in [
            "sorry sorry sorrysorry sorry \"my \" so",
            "Sorry, my",
            "sorry your",
        ] {
            let _ = analyzer().analyze(text);
        }
    }

    #[test]
    fn a_pronoun_and_a_verb_after_regret_are_a_clause() {
        let a = analyzer().analyze("We regret it came across as a personal attack.");
        assert!(a.apology);
        assert!(a
            .findings
            .iter()
            .any(|f| f.category == crate::category::Category::FeelingsShift));
    }

    #[test]
    fn an_apology_for_what_others_did_is_made_on_their_behalf() {
        assert_apology(
            true,
            &[
                "We apologise that he treated the workers that way.",
                "We apologise for the ways our founders profited from the mills.",
            ],
        );
        assert_apology(false, &["I'm sorry he treated the workers that way."]);
    }

    #[test]
    fn an_account_with_no_agent_before_a_bare_head_is_what_it_is_for() {
        let agentless = |text: &str| {
            analyzer()
                .analyze(text)
                .findings
                .iter()
                .any(|f| f.category == crate::category::Category::Agentless)
        };
        assert!(agentless(
            "Serious failings took place on the ward, and we are sorry."
        ));
        assert!(agentless(
            "The wrong cake was delivered to the party. We apologise."
        ));
        assert!(!agentless(
            "Forty families were evacuated overnight. We are deeply sorry."
        ));
        assert!(!agentless("I deleted the wrong folder. I'm sorry."));
        assert!(!agentless("The error was made by us. We apologise."));
    }

    fn categories_of(text: &str) -> Vec<crate::Category> {
        analyzer()
            .analyze(text)
            .counted()
            .map(|f| f.category)
            .collect()
    }

    #[test]
    fn an_admission_names_its_act_from_a_clause_beside_it() {
        use crate::Category::Specificity;
        for text in [
            "I shouldn't have read your messages without asking, and that was wrong.",
            "That was a failure on my part: I cancelled the booking without telling you.",
        ] {
            assert!(categories_of(text).contains(&Specificity), "{text}");
        }
        // Owning a fault in its own words names no act.
        for text in [
            "We dropped the ball, and that was inexcusable.",
            "I let my family down and I let you down, and that's on me.",
        ] {
            assert!(!categories_of(text).contains(&Specificity), "{text}");
        }
    }

    #[test]
    fn a_generic_fault_noun_names_no_act() {
        use crate::Category::{Specificity, VagueObject};
        for text in [
            "I am truly sorry for my actions.",
            "I apologize for my behaviour.",
            "We apologise for this misconduct.",
            "I regret my actions.",
        ] {
            let alone = categories_of(text);
            assert!(!alone.contains(&Specificity), "{text}");
            assert!(alone.contains(&VagueObject), "{text}");
        }
        // Qualified, or with the act told beside it, it is specific and not vague.
        let dated = categories_of("I am truly sorry for my actions at the party on Friday.");
        assert!(dated.contains(&Specificity));
        let told = categories_of("I shouted at your mother. I am truly sorry for my actions.");
        assert!(told.contains(&Specificity) && !told.contains(&VagueObject));
        // "The error" points back at what the text told, whoever it says did it.
        let correction =
            categories_of("A caption on page 4 named the wrong player. We regret the error.");
        assert!(!correction.contains(&VagueObject));
    }

    #[test]
    fn a_bare_sorry_near_a_loss_or_a_sympathy_cue_is_sympathy() {
        assert_apology(
            false,
            &[
                "My aunt told me your father passed away last week. I'm so sorry.",
                "We just heard about the diagnosis. We are so, so sorry and we are here for you.",
                // Two sentences from the loss, or from the cue, is still beside it.
                "Your dad passed away on Monday. It was so sudden. I'm so sorry.",
                "Oh, I'm so sorry! Good luck with the move. Sending love and hugs!",
            ],
        );
        assert_apology(
            true,
            &[
                "Sad news from me: I wrecked your car. I'm so sorry.",
                "Grandpa passed away while I was at the party. I should have been there. I'm so sorry.",
                "My mum told me the dog died. I'm so sorry I wasn't there for you.",
            ],
        );
    }

    #[test]
    fn a_head_without_an_apology_word_keeps_its_own_frame() {
        // The later "sorry they did" is sympathy; the slip owned before it is not.
        assert_apology(
            true,
            &["I never meant to hurt anyone, and I'm sorry they did."],
        );
        assert_apology(false, &["I'm sorry they got hurt."]);
    }

    #[test]
    fn sorrow_for_a_named_person_is_sympathy() {
        assert_apology(
            false,
            &[
                "I'm so sorry about Grandpa. He loved that garden.",
                "I feel terrible for their daughter.",
                "Sorry for the poor guy, that's rough.",
                "I'm so sorry for her.",
            ],
        );
        assert_apology(
            true,
            &[
                "I'm sorry for the people I hurt.",
                "I feel awful about missing your party.",
            ],
        );
        assert_apology(
            true,
            &[
                "Sorry about Tuesday, I mixed up the times.",
                "Sorry about Dan's bike, I'll pay for the wheel.",
            ],
        );
    }
}
