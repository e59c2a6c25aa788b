//! Stage 4: context rules. Raw matches become findings only after the context says so.
//!
//! The order matters and follows TAXONOMY §4:
//! 1. quotes and reported speech mark a match as someone else's words;
//! 2. negators just before a match cancel it ("I'm not blaming you", "not my fault");
//! 3. each apology head is checked for voice (the writer's, not "you're sorry"), demands
//!    ("say sorry"), questions ("sorry?") and phatic uses ("sorry for your loss");
//! 4. the text is an apology when a valid head or admission remains;
//! 5. apology-scoped deflections fire only near an apology and never in a phatic sentence;
//! 6. "but" is flagged only when what follows turns to excuse, blame or stance, not when it
//!    reclaims ownership; explanations followed by a reclaim ("no excuse") are not excuses;
//! 7. overlapping matches of one category collapse to the longest.

use std::sync::Arc;

use crate::analysis::{Finding, SafetyNote};
use crate::category::{Category, Kind};
use crate::lexicon::{GateRole, Lexicon, Role, Scope};
use crate::matcher::{Hit, Source};
use crate::normalize::Normalized;
use crate::segment::{Segments, Span};

/// A finding in normalized offsets, before mapping back to the original text.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index into [`Lexicon::rules`].
    pub rule: usize,
    /// Normalized span.
    pub span: Span,
    /// Quoted or reported speech.
    pub reported: bool,
}

/// The context stage's output.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Findings in normalized offsets, sorted.
    pub findings: Vec<Candidate>,
    /// Whether the writer apologizes.
    pub apology: bool,
    /// Safety notes in normalized offsets.
    pub safety: Vec<(Span, &'static str)>,
}

/// Words that cancel a match when they come just before it in the same clause.
const NEGATORS: &[&str] = &[
    "not", "never", "no", "nobody", "nothing", "hardly", "without", "dont", "don't", "didnt",
    "didn't", "doesnt", "doesn't", "isnt", "isn't", "wasnt", "wasn't", "werent", "weren't",
    "arent", "aren't", "cant", "can't", "cannot", "wont", "won't", "wouldnt", "wouldn't", "havent",
    "haven't", "hasnt", "hasn't", "aint", "ain't", "neither", "nor", "refuse", "refused", "stop",
];

/// Words skipped when looking back from "sorry" for its subject.
const SOFT_WORDS: &[&str] = &[
    "so",
    "really",
    "very",
    "truly",
    "deeply",
    "terribly",
    "genuinely",
    "sincerely",
    "awfully",
    "incredibly",
    "extremely",
    "just",
    "also",
    "too",
    "again",
    "sooo",
    "soo",
    "super",
    "am",
    "'m",
    "m",
    "was",
    "feel",
    "felt",
    "be",
    "being",
    "been",
    "profoundly",
    "honestly",
    "still",
    "heartily",
    "most",
    "more",
    "than",
    "ever",
    "and",
    "that",
    "how",
    "all",
    "totally",
    "absolutely",
    "utterly",
    "mega",
    "hella",
    "real",
    "damn",
    "fucking",
    "freaking",
    "sorta",
    "kinda",
    "is",
    "are",
    "do",
    "does",
    "humbly",
];

/// Subjects that make a head someone else's apology, not the writer's.
const OTHER_SUBJECTS: &[&str] = &[
    "he",
    "she",
    "they",
    "he's",
    "she's",
    "they're",
    "hes",
    "shes",
    "theyre",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "nobody",
    "who",
    "people",
    "anyone",
    "anybody",
    "him",
    "her",
    "them",
    "dad",
    "mom",
    "he'd",
    "she'd",
    "they'd",
    "company",
    "ceo",
    "government",
    "police",
    "boss",
    "manager",
    "mother",
    "father",
    "wife",
    "husband",
    "partner",
    "friend",
];

/// The hearer as subject: "you're sorry" is a demand or a question, never the writer's.
const SECOND_PERSON: &[&str] = &[
    "you", "you're", "youre", "u", "ur", "you'd", "it", "it's", "its",
];

/// Words just before a head that make it demanded, hypothetical or talked about.
const DEMAND_CUES: &[&str] = &[
    "say",
    "said",
    "saying",
    "says",
    "should",
    "shouldn't",
    "shouldnt",
    "must",
    "to",
    "make",
    "demand",
    "demanded",
    "expect",
    "expects",
    "owe",
    "owes",
    "want",
    "wants",
    "an",
    "his",
    "her",
    "their",
    "your",
    "the",
    "whose",
    "no",
    "apologize",
    "apologise",
];

fn words_before(lower: &str, from: usize, at: usize, n: usize) -> Vec<&str> {
    let text = &lower[from.min(at)..at];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .rev()
        .take(n)
        .collect()
}

fn negated(lower: &str, clause: Span, at: usize) -> bool {
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
        .any(|w| NEGATORS.contains(w) || (w.ends_with("n't") && *w != "can't"))
}

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

/// Decides whose apology a head match is, by the words before it in its clause.
fn head_voice(lower: &str, clause: Span, hit: &Hit) -> Voice {
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
        if SOFT_WORDS.contains(w) {
            continue;
        }
        if DEMAND_CUES.contains(w) {
            return Voice::Rejected;
        }
        if SECOND_PERSON.contains(w) {
            return Voice::Rejected;
        }
        if OTHER_SUBJECTS.contains(w) {
            return Voice::Reported;
        }
        // The first content word decides: "i", "we" or anything else that is not a subject.
        return Voice::Own;
    }
    Voice::Own
}

fn ends_as_question(lower: &str, clause: Span) -> bool {
    lower[clause.start..clause.end]
        .trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == ')')
        .ends_with('?')
}

/// Runs the context rules over the raw hits.
pub fn resolve(lex: &Lexicon, norm: &Normalized<'_>, seg: &Segments, hits: &[Hit]) -> Resolved {
    let lower = norm.lower.as_str();
    let text = norm.text.as_str();
    let n_sent = seg.sentences.len();

    // Gates first: reporting frames, phatic uses, reclaims, safety.
    let mut reported_from: Vec<Option<usize>> = vec![None; n_sent];
    let mut phatic: Vec<Span> = Vec::new();
    let mut reclaims: Vec<Span> = Vec::new();
    let mut extends: Vec<Span> = Vec::new();
    let mut out = Resolved::default();
    let mut gate_off: Vec<Option<bool>> = vec![None; lex.gates.len()];
    for h in hits {
        let Source::Gate(g) = h.source else { continue };
        let gate = &lex.gates[g];
        let off = *gate_off[g].get_or_insert_with(|| {
            gate.unless
                .iter()
                .filter_map(|re| re.get())
                .any(|re| re.is_match(lower.as_bytes()))
        });
        if off {
            continue;
        }
        let span = Span {
            start: h.start,
            end: h.end,
        };
        match gate.role {
            GateRole::Reporting => {
                let s = seg.sentence_of(h.start);
                let from = reported_from[s].map_or(h.end, |f| f.min(h.end));
                reported_from[s] = Some(from);
            }
            GateRole::Phatic => phatic.push(span),
            GateRole::Reclaim => reclaims.push(span),
            GateRole::Extend => extends.push(span),
            GateRole::Safety => out.safety.push((
                span,
                "Self-harm language: this is surfaced for care, not scored. If you or the writer \
                 are at risk, reach out to someone you trust or a local crisis line.",
            )),
        }
    }
    let is_reported = |span: Span| {
        seg.in_quote(span)
            || reported_from[seg.sentence_of(span.start)].is_some_and(|from| span.start >= from)
    };

    // Negation, quotes, `unless`, and head validity.
    let mut kept: Vec<Candidate> = Vec::new();
    let mut phatic_sentences = vec![false; n_sent];
    let phatic = SpanSet::new(phatic);
    for h in hits {
        let Source::Rule(r) = h.source else { continue };
        let rule = &lex.rules[r];
        let span = Span {
            start: h.start,
            end: h.end,
        };
        let clause = seg.clauses[seg.clause_of(h.start)];
        let sentence = seg.sentences[seg.sentence_of(h.start)];
        if rule.negatable && negated(lower, clause, h.start) {
            continue;
        }
        if rule
            .unless
            .iter()
            .filter_map(|re| re.get())
            .any(|re| re.is_match(&lower.as_bytes()[sentence.start..sentence.end]))
        {
            continue;
        }
        if rule
            .except
            .iter()
            .filter_map(|re| re.get())
            .any(|re| re.is_match(&lower.as_bytes()[h.start..sentence.end.max(h.end)]))
        {
            continue;
        }
        if rule.role == Role::Head {
            let is_phatic = phatic.overlaps(span);
            if is_phatic {
                phatic_sentences[seg.sentence_of(h.start)] = true;
                continue;
            }
            if rule.category == Category::Regret && ends_as_question(text, clause) {
                continue;
            }
            match head_voice(lower, clause, h) {
                Voice::Rejected => continue,
                Voice::Reported => {
                    kept.push(Candidate {
                        rule: r,
                        span,
                        reported: true,
                    });
                    continue;
                }
                Voice::Own => {}
            }
        }
        kept.push(Candidate {
            rule: r,
            span,
            reported: is_reported(span),
        });
    }

    // A bare "sorry" before a question is a request softener ("Sorry, do you have this in
    // a nine?"), unless the sentences say something more about the apology (an act, an
    // offer, a deflection).
    // Per sentence, once: a text with a head in every sentence must stay linear.
    let mut owns_sentence = vec![false; n_sent];
    for c in &kept {
        if !c.reported && lex.rules[c.rule].category != Category::Regret {
            owns_sentence[seg.sentence_of(c.span.start)] = true;
        }
    }
    let owns_in = |sentence: usize, _kept: &[Candidate]| owns_sentence[sentence];
    let softened: Vec<usize> = kept
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let rule = &lex.rules[c.rule];
            if rule.role != Role::Head || rule.category != Category::Regret || c.reported {
                return false;
            }
            let s = seg.sentence_of(c.span.start);
            // A phrase can straddle the cut of an over-long sentence.
            let end = seg.sentences[s].end;
            let rest = lower[c.span.end.min(end)..end].trim_start();
            let bare = rest.is_empty()
                || rest.starts_with([',', '.', '!', '-', ':'])
                || rest.starts_with("but ");
            let window = s..(s + 3).min(n_sent);
            let question = window
                .clone()
                .any(|q| ends_as_question(text, seg.sentences[q]));
            bare && question && !window.clone().any(|q| owns_in(q, &kept))
        })
        .map(|(i, _)| i)
        .collect();
    let mut drop = vec![false; kept.len()];
    for &i in &softened {
        phatic_sentences[seg.sentence_of(kept[i].span.start)] = true;
        drop[i] = true;
    }
    let mut k = 0;
    kept.retain(|_| {
        k += 1;
        !drop[k - 1]
    });

    // Is there an apology, and where?
    let mut apology_sentences: Vec<usize> = kept
        .iter()
        .filter(|c| !c.reported && matches!(lex.rules[c.rule].role, Role::Head | Role::Admission))
        .map(|c| seg.sentence_of(c.span.start))
        .collect();
    apology_sentences.sort_unstable();
    apology_sentences.dedup();
    out.apology = !apology_sentences.is_empty();
    let short_text = n_sent <= 6;
    // Sentences within reach of an apology, marked in one pass so that a text with an
    // apology in every sentence stays linear.
    let mut near = vec![short_text && out.apology; n_sent];
    if out.apology && !short_text {
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
    }
    let near_apology = |s: usize| near[s];
    let mut head_sentence = vec![false; n_sent];
    for c in &kept {
        if lex.rules[c.rule].role == Role::Head {
            head_sentence[seg.sentence_of(c.span.start)] = true;
        }
    }
    let has_valid_head_in = |s: usize, _kept: &[Candidate]| head_sentence[s];

    let heads: Vec<Span> = kept
        .iter()
        .filter(|c| !c.reported && lex.rules[c.rule].role == Role::Head)
        .map(|c| c.span)
        .collect();

    let mut scoped: Vec<Candidate> = Vec::with_capacity(kept.len());
    for c in &kept {
        let rule = &lex.rules[c.rule];
        let s = seg.sentence_of(c.span.start);
        if rule.scope == Scope::Apology {
            if !near_apology(s) {
                continue;
            }
            if phatic_sentences[s] && !has_valid_head_in(s, &kept) {
                continue;
            }
        }
        scoped.push(c.clone());
    }

    reclaims.sort_unstable_by_key(|r| r.start);
    extends.sort_unstable_by_key(|r| r.start);
    // Explanations and "but" are judged by what surrounds them.
    let reclaim_after = |from: usize, sentence: usize| {
        let until = seg
            .sentences
            .get(sentence + 1)
            .map_or(seg.sentences[sentence].end, |n| n.end);
        starts_within(&reclaims, from, until)
    };
    // Heads and candidates by sentence, so judging a "but" looks only at its neighbours.
    let mut heads_by_sentence: Vec<Vec<Span>> = vec![Vec::new(); n_sent];
    for h in &heads {
        heads_by_sentence[seg.sentence_of(h.start)].push(*h);
    }
    let mut scoped_by_sentence: Vec<Vec<Candidate>> = vec![Vec::new(); n_sent];
    for c in &scoped {
        scoped_by_sentence[seg.sentence_of(c.span.start)].push(c.clone());
    }
    let mut findings: Vec<Candidate> = Vec::with_capacity(scoped.len());
    for c in &scoped {
        let rule = &lex.rules[c.rule];
        let s = seg.sentence_of(c.span.start);
        match rule.role {
            Role::Adversative => {
                if let Some(f) = judge_but(
                    lex,
                    lower,
                    seg,
                    c,
                    [
                        &heads_by_sentence[s],
                        s.checked_sub(1).map_or(&[][..], |p| &heads_by_sentence[p]),
                    ],
                    &scoped_by_sentence[s],
                    &[&reclaims, &extends],
                ) {
                    findings.push(f);
                }
            }
            _ if matches!(rule.category, Category::Excuse | Category::IntentOverImpact)
                && reclaim_after(c.span.end, s) =>
            {
                continue
            }
            _ => findings.push(c.clone()),
        }
    }

    // Collapse overlapping matches of one category to the longest (ties: first rule).
    findings.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end), c.rule));
    let mut collapsed: Vec<Candidate> = Vec::with_capacity(findings.len());
    // A match inside another of its category, or two matches of one rule that overlap ("My
    // apologies" and "apologies for"), are one finding: counting both would score the same
    // words twice.
    for c in findings {
        let cat = lex.rules[c.rule].category;
        let kept = collapsed.iter_mut().rev().take(16).find(|k| {
            lex.rules[k.rule].category == cat
                && k.reported == c.reported
                && (k.span.contains(c.span) || (k.rule == c.rule && c.span.start < k.span.end))
        });
        match kept {
            Some(k) => k.span.end = k.span.end.max(c.span.end),
            None => collapsed.push(c),
        }
    }
    // An all-purpose object ("sorry for everything") is not a named act.
    let vague: Vec<Span> = collapsed
        .iter()
        .filter(|c| {
            matches!(
                lex.rules[c.rule].category,
                Category::VagueObject | Category::Agentless
            )
        })
        .map(|c| c.span)
        .collect();
    let vague = SpanSet::new(vague);
    collapsed
        .retain(|c| lex.rules[c.rule].category != Category::Specificity || !vague.overlaps(c.span));
    // "Sorry for the mess" beside "we billed you twice" refers to a named act: a definite
    // object is only vague when nothing near the apology names or owns what was done. "Any
    // inconvenience" or "whatever I did" refers to nothing, wherever it stands.
    let refers = |c: &Candidate| {
        !lower[c.span.start..c.span.end]
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| matches!(w, "any" | "whatever" | "anything" | "everything"))
    };
    let any_vague = collapsed
        .iter()
        .any(|c| lex.rules[c.rule].category == Category::VagueObject);
    let mut named = vec![
        false;
        if any_vague {
            seg.sentences.len() + 2
        } else {
            0
        }
    ];
    for c in collapsed.iter().filter(|_| any_vague) {
        let cat = lex.rules[c.rule].category;
        if !c.reported && matches!(cat, Category::Specificity | Category::Responsibility) {
            // Shifted by one so that the sentences before and after index without checks.
            named[seg.sentence_of(c.span.start) + 1] = true;
        }
    }
    collapsed.retain(|c| {
        !any_vague || lex.rules[c.rule].category != Category::VagueObject || !refers(c) || {
            let at = seg.sentence_of(c.span.start) + 1;
            !named[at - 1..=at + 1].iter().any(|&n| n)
        }
    });
    collapsed.sort_by_key(|c| (c.span.start, c.span.end, c.rule));
    out.findings = collapsed;
    out
}

/// Spans sorted by start with the furthest end so far, so that "does anything overlap this
/// span" is a binary search rather than a scan (texts can hold thousands of matches).
struct SpanSet {
    spans: Vec<Span>,
    reach: Vec<usize>,
}

impl SpanSet {
    fn new(mut spans: Vec<Span>) -> SpanSet {
        spans.sort_unstable_by_key(|s| s.start);
        let reach = spans
            .iter()
            .scan(0, |reach, s| {
                *reach = (*reach).max(s.end);
                Some(*reach)
            })
            .collect();
        SpanSet { spans, reach }
    }

    fn overlaps(&self, span: Span) -> bool {
        let i = self.spans.partition_point(|s| s.start < span.end);
        i > 0 && self.reach[i - 1] > span.start
    }
}

/// Whether some span in `spans` (sorted by start) starts in `from..until`.
fn starts_within(spans: &[Span], from: usize, until: usize) -> bool {
    let i = spans.partition_point(|r| r.start < from);
    spans.get(i).is_some_and(|r| r.start < until)
}

/// How many sentences before or after an apology its deflection rules reach. Readers
/// judge a statement as a whole: a deflection twelve sentences after the apology still
/// colours it, but an unrelated remark in a long thread far from it does not.
const APOLOGY_REACH: usize = 20;

/// Openers after "but" that carry no stance of their own and are skipped.
const BUT_FILLERS: &[&str] = &[
    "honestly",
    "frankly",
    "like",
    "tbh",
    "to be honest",
    "i mean",
    "well",
    "really",
    "also",
    "again",
    "look",
    "okay",
    "ok",
    "seriously",
    "still",
    "still,",
    "then again",
    "come on",
];

/// Openers after "but" that turn to someone or something else: the other person, third
/// parties, circumstances.
const BUT_OTHERS: &[&str] = &[
    "you ",
    "you're ",
    "youre ",
    "your ",
    "u ",
    "ur ",
    "they ",
    "they're ",
    "theyre ",
    "their ",
    "he ",
    "he's ",
    "his ",
    "she ",
    "she's ",
    "her ",
    "op ",
    "everyone",
    "everybody",
    "nobody",
    "no one",
    "people ",
    "some people",
    "someone",
    "somebody",
    "my opponent",
    "my critics",
    "the ",
    "this ",
    "that ",
    "these ",
    "those ",
    "it ",
    "it's ",
    "its ",
    "there ",
    "there's ",
    "theres ",
    "my ",
    "our ",
    "we ",
    "we're ",
    "we've ",
    "in fairness",
    "to be fair",
];

/// Decides whether an adversative after an apology undoes it, and returns the finding
/// spanning the adversative and what it introduces.
fn judge_but(
    lex: &Lexicon,
    lower: &str,
    seg: &Segments,
    c: &Candidate,
    heads: [&[Span]; 2],
    others: &[Candidate],
    reclaims: &[&[Span]],
) -> Option<Candidate> {
    let si = seg.sentence_of(c.span.start);
    let sentence = seg.sentences[si];
    // `heads` are those of this sentence and of the one before.
    let head_before = heads[0].iter().any(|h| h.end <= c.span.start)
        || (!heads[1].is_empty() && lower[sentence.start..c.span.start].trim().is_empty());
    if !head_before {
        return None;
    }
    if lower[sentence.start..c.span.start].contains("not only") {
        return None;
    }
    let post = Span {
        start: c.span.end,
        end: sentence.end.max(c.span.end),
    };
    // A reclaim anywhere after the "but" saves it; an extension only when it opens the clause.
    let post_open = lower[post.start..post.end].len()
        - lower[post.start..post.end]
            .trim_start_matches([' ', ',', '-', ':'])
            .len()
        + post.start;
    // "but I will not let them define me" opens like "but I will fix it": an extension
    // followed by a negation turns away from ownership, not back to it.
    let extends = {
        let i = reclaims[1].partition_point(|r| r.start < post_open);
        reclaims[1].get(i).is_some_and(|r| {
            r.start < post_open + 1 && {
                let rest = lower[r.end.min(post.end)..post.end].trim_start();
                !(rest.starts_with("not ") || rest.starts_with("never "))
            }
        })
    };
    if starts_within(reclaims[0], post.start, post.end) || extends {
        return None;
    }
    let mut post_text = lower[post.start..post.end].trim_start_matches([' ', ',', '-', ':']);
    // Fillers say nothing about where the clause turns: "but honestly you were...".
    loop {
        let before = post_text.len();
        for filler in BUT_FILLERS {
            if let Some(rest) = post_text.strip_prefix(filler) {
                if rest.starts_with([' ', ',']) {
                    post_text = rest.trim_start_matches([' ', ',']);
                }
            }
        }
        if post_text.len() == before {
            break;
        }
    }
    // What follows owns or repairs ("but I'll fix it tonight", "but the mistake was mine").
    let owns_after = others.iter().any(|o| {
        let k = &lex.rules[o.rule];
        k.category.kind() == Kind::Ownership
            && !matches!(k.category, Category::Regret | Category::Specificity)
            && o.span.start >= post.start
            && o.span.start < post.end
    });
    if owns_after {
        return None;
    }
    let deflects_after = others.iter().any(|o| {
        let k = &lex.rules[o.rule];
        k.category.kind() == Kind::Deflection
            && k.role != Role::Adversative
            && o.span.start >= post.start
            && o.span.start < post.end
    });
    let second_person = BUT_OTHERS.iter().any(|p| post_text.starts_with(p));
    let stance = [
        "i stand by",
        "i still think",
        "i still believe",
        "i still feel",
        "i had my reasons",
        "i had good reasons",
        "i had a good reason",
        "i remember",
        "in my defense",
        "in my defence",
        "to be fair",
        "i'm only human",
        "im only human",
        "i was only",
        "i was just",
        "i did what",
        "i think you",
        "i feel like you",
        "that's how i",
        "thats how i",
        "that's just",
        "thats just",
        "it was",
        "it's not",
        "its not",
        "there were",
        "times were",
        "i didn't know",
        "i didnt know",
        "i had no",
        "i was",
        "i've been",
        "ive been",
        "i have been",
        "i'm not",
        "im not",
        "everything i",
        "what i said",
        "my point",
        "the point",
        "i'd also note",
        "i would also note",
        "i'd point out",
        "i would point out",
        "i do think",
        "i think",
        "i believe",
        "i maintain",
        "we stand by",
        "we maintain",
        "we believe",
        "i had",
        "i didn't",
        "i didnt",
        "i did not",
        "i never",
        "i don't",
        "i dont",
        "i do not",
        "i just",
        "i only",
        "do you",
        "did you",
        "have you",
        "can you",
        "why ",
        "how ",
        "who ",
        "what ",
        "let's be",
        "lets be",
        "come on",
        // Turning to the writer's record or to what others should conclude.
        "i'd also ask",
        "i would also ask",
        "i'd ask",
        "i would ask",
        "i ask that",
        "i'd like people to",
        "i want people to",
        "people should",
        "look at",
        "i will not",
        "i won't",
        "i wont",
        "it should not",
        "it shouldn't",
        "this should not",
        "this shouldn't",
        "that should not",
        "that shouldn't",
    ]
    .iter()
    .any(|p| post_text.starts_with(p));
    if !(deflects_after || second_person || stance) {
        return None;
    }
    let clause_end = seg.clauses[seg.clause_of(post.start.min(sentence.end.saturating_sub(1)))]
        .end
        .max(c.span.end);
    let end = if lower[c.span.end..clause_end]
        .trim_matches([' ', ','])
        .is_empty()
    {
        // "However," is its own clause: take the next one too.
        let next = seg.clause_of(clause_end.min(sentence.end.saturating_sub(1)));
        seg.clauses[next].end.min(sentence.end).max(clause_end)
    } else {
        clause_end
    };
    let end = lower[..end].trim_end().len().max(c.span.end);
    Some(Candidate {
        rule: c.rule,
        span: Span {
            start: c.span.start,
            end,
        },
        reported: c.reported,
    })
}

/// Turns resolved candidates into findings with original offsets.
pub fn to_findings(lex: &Lexicon, norm: &Normalized<'_>, resolved: &Resolved) -> Vec<Finding> {
    resolved
        .findings
        .iter()
        .map(|c| {
            let rule = &lex.rules[c.rule];
            Finding {
                kind: rule.category.kind(),
                category: rule.category,
                rule: Arc::clone(&rule.id),
                start: norm.to_original(c.span.start),
                end: norm.to_original_end(c.span.end),
                message: Arc::clone(&rule.message),
                suggestion: rule.suggestion.clone(),
                severity: rule.severity,
                reported: c.reported,
            }
        })
        .collect()
}

/// Maps safety notes back to the original text.
pub fn to_safety(norm: &Normalized<'_>, resolved: &Resolved) -> Vec<SafetyNote> {
    resolved
        .safety
        .iter()
        .map(|(s, m)| SafetyNote {
            start: norm.to_original(s.start),
            end: norm.to_original_end(s.end),
            message: m,
        })
        .collect()
}
