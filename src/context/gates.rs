//! Pass 1: gates. They flag nothing themselves; they mark what other matches mean.
//!
//! A reporting frame ("he said", "my boss told me") makes the rest of its sentence someone
//! else's words; a phatic use ("sorry for your loss", "sorry to bother you") makes the head
//! inside it no apology; a reclaim ("that's no excuse") takes ownership back after an
//! explanation; an extension ("but I will fix it") turns a "but" back to ownership; a
//! sympathy cue ("my condolences", "that sounds awful") tells the frames pass that a bare
//! "I'm so sorry" beside it may be sympathy; a safety
//! phrase is surfaced for care, never scored. A gate's `unless` regexes switch it off for the
//! whole text, and its `when` regexes, if it has any, switch it on only for a text one of
//! them matches; its `except` regexes drop one hit when they match from it to its sentence
//! end.

use super::spans::SpanSet;
use super::Context;
use crate::lexicon::GateRole;
use crate::matcher::Source;
use crate::segment::Span;

const SAFETY_NOTE: &str = "Self-harm language: this is surfaced for care, not scored. If you \
     or the writer are at risk, reach out to someone you trust or a local crisis line.";

/// Reads the gate hits into [`Context::marks`] and [`Context::safety`].
pub fn run(cx: &mut Context<'_>) {
    cx.marks.reported = vec![None; cx.seg.sentences.len()];
    let mut phatic = Vec::new();
    let mut reclaims = Vec::new();
    let mut extends = Vec::new();
    let mut sympathy = Vec::new();
    // Whether each gate is switched off for this text, decided on its first hit.
    let mut off: Vec<Option<bool>> = vec![None; cx.lex.gates.len()];
    for h in cx.hits {
        let Source::Gate(g) = h.source else { continue };
        let gate = &cx.lex.gates[g];
        let switched_off = *off[g].get_or_insert_with(|| {
            let matches = |res: &[crate::lexicon::LazyRegex]| {
                res.iter()
                    .filter_map(|re| re.get())
                    .any(|re| re.is_match(cx.lower.as_bytes()))
            };
            matches(&gate.unless) || (!gate.when.is_empty() && !matches(&gate.when))
        });
        if switched_off || excepted(cx, gate, h.start) {
            continue;
        }
        let span = Span {
            start: h.start,
            end: h.end,
        };
        match gate.role {
            GateRole::Reporting => cx.report_from(h.end),
            GateRole::Phatic => phatic.push(span),
            GateRole::Reclaim => reclaims.push(span),
            GateRole::Extend => extends.push(span),
            GateRole::Safety => cx.safety.push((span, SAFETY_NOTE)),
            GateRole::Sympathy => sympathy.push(span),
        }
    }
    reclaims.sort_unstable_by_key(|r| r.start);
    extends.sort_unstable_by_key(|r| r.start);
    sympathy.sort_unstable_by_key(|r| r.start);
    cx.marks.sympathy = sympathy;
    cx.marks.phatic = SpanSet::new(phatic);
    cx.marks.reclaims = reclaims;
    cx.marks.extends = extends;
}

/// Whether one of the gate's `except` regexes matches from `start` to the end of its sentence.
fn excepted(cx: &Context<'_>, gate: &crate::lexicon::Gate, start: usize) -> bool {
    if gate.except.is_empty() {
        return false;
    }
    let sentence = cx.seg.sentences[cx.seg.sentence_of(start)];
    let rest = &cx.lower.as_bytes()[start..sentence.end.max(start)];
    gate.except
        .iter()
        .filter_map(|re| re.get())
        .any(|re| re.is_match(rest))
}

#[cfg(test)]
mod tests {
    use crate::context::test_support::analyzer;

    #[test]
    fn reporting_frame_marks_the_rest_of_the_sentence() {
        let a = analyzer().analyze("My boss told me it's your fault. I'm sorry.");
        assert!(a.findings.iter().any(|f| f.reported));
        assert!(a.apology);
    }

    #[test]
    fn safety_phrase_is_surfaced_not_scored() {
        let a = analyzer().analyze("I'm sorry for everything. You're better off without me.");
        assert!(!a.safety.is_empty());
    }

    #[test]
    fn a_gate_with_when_applies_only_where_its_cue_is() {
        // `phatic.after_refusal` needs a refusal somewhere in the text.
        let softener = analyzer().analyze("We can't accept returns after a month. Sorry.");
        assert!(!softener.apology);
        let apology = analyzer().analyze("You waited a month for a reply. Sorry.");
        assert!(apology.apology);
    }
}
