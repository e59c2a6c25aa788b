//! Runs every rule's and gate's `flag` / `pass` examples against the full analyzer, so each
//! lexicon entry is tested by the data it documents itself with.

use ownup::lexicon::{GateRole, Role};
use ownup::{Analyzer, Category, Kind};

fn analyzer() -> &'static Analyzer {
    static A: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    A.get_or_init(Analyzer::builtin)
}

#[test]
fn every_rule_has_examples_of_both_kinds() {
    let a = analyzer();
    let mut missing = Vec::new();
    for r in &a.lexicon().rules {
        if r.flag.is_empty() || r.pass.is_empty() {
            missing.push(format!("{} ({})", r.id, r.origin));
        }
    }
    for g in &a.lexicon().gates {
        if g.flag.is_empty() || g.pass.is_empty() {
            missing.push(format!("{} ({})", g.id, g.origin));
        }
    }
    assert!(
        missing.is_empty(),
        "entries without flag and pass examples:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_category_has_rules() {
    let a = analyzer();
    for c in Category::ALL {
        assert!(
            a.lexicon().rules.iter().any(|r| r.category == *c),
            "category {c} has no rule"
        );
    }
}

/// A frame rule's examples run with the other rules of its category switched off: its flag
/// examples must be caught by the frame alone (a phrase rule of the category would take the
/// finding's rule id), and its pass examples must not flag the category at all.
fn frame_rule_examples(failures: &mut Vec<String>) {
    let lex = analyzer().lexicon();
    for r in lex.rules.iter().filter(|r| r.role == Role::Frame) {
        let others: Vec<String> = lex
            .rules
            .iter()
            .filter(|o| o.category == r.category && o.id != r.id)
            .map(|o| o.id.to_string())
            .collect();
        let alone = Analyzer::builder()
            .disable(others)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        for (text, should) in r
            .flag
            .iter()
            .map(|t| (t, true))
            .chain(r.pass.iter().map(|t| (t, false)))
        {
            let an = alone.analyze(text);
            if an.has(r.category) != should {
                let got: Vec<String> = an.findings.iter().map(|f| f.rule.to_string()).collect();
                failures.push(format!(
                    "{} should {} {text:?} (got {got:?}, apology {})",
                    r.id,
                    if should { "flag" } else { "pass" },
                    an.apology
                ));
            }
        }
    }
}

#[test]
fn rule_examples() {
    let a = analyzer();
    let mut failures = Vec::new();
    frame_rule_examples(&mut failures);
    for r in a.lexicon().rules.iter().filter(|r| r.role != Role::Frame) {
        for text in &r.flag {
            let an = a.analyze(text);
            if !an.counted().any(|f| *f.rule == *r.id) {
                let got: Vec<String> = an.findings.iter().map(|f| f.rule.to_string()).collect();
                failures.push(format!(
                    "{} should flag {text:?} (got {got:?}, apology {})",
                    r.id, an.apology
                ));
            }
        }
        for text in &r.pass {
            let an = a.analyze(text);
            if an.counted().any(|f| *f.rule == *r.id) {
                failures.push(format!("{} should pass {text:?}", r.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn gate_examples() {
    let a = analyzer();
    let mut failures = Vec::new();
    let undo = |c: Category| {
        matches!(
            c,
            Category::Excuse | Category::ButUndoing | Category::IntentOverImpact
        )
    };
    for g in &a.lexicon().gates {
        for (text, should) in g
            .flag
            .iter()
            .map(|t| (t, true))
            .chain(g.pass.iter().map(|t| (t, false)))
        {
            let an = a.analyze(text);
            let applies = match g.role {
                // A sympathy cue makes the bare apology beside it sympathy.
                GateRole::Phatic | GateRole::Sympathy => !an.apology,
                GateRole::Reclaim | GateRole::Extend => {
                    an.apology && !an.counted().any(|f| undo(f.category))
                }
                GateRole::Reporting => {
                    !an.findings.is_empty() && an.findings.iter().all(|f| f.reported)
                }
                GateRole::Safety => !an.safety.is_empty(),
            };
            if applies != should {
                let got: Vec<String> = an
                    .findings
                    .iter()
                    .map(|f| format!("{}{}", f.rule, if f.reported { "(r)" } else { "" }))
                    .collect();
                failures.push(format!(
                    "{} should {} {text:?} (apology {}, findings {got:?})",
                    g.id,
                    if should { "apply to" } else { "not apply to" },
                    an.apology
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} gate example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A class's `flag` spellings are in it and its `pass` spellings are not, after the same
/// expansion its words go through (contractions, `{a|b}` groups); and every class the
/// context stage reads exists.
#[test]
fn class_examples() {
    let a = analyzer();
    let lex = a.lexicon();
    let mut failures = Vec::new();
    for class in lex.classes.iter() {
        if class.flag.is_empty() || class.pass.is_empty() {
            failures.push(format!(
                "{} ({}) has no flag or no pass examples",
                class.id, class.origin
            ));
        }
        let spell = |w: &str| w.to_ascii_lowercase();
        for w in &class.flag {
            if !class.contains(&spell(w)) {
                failures.push(format!("{} should hold {w:?}", class.id));
            }
        }
        for w in &class.pass {
            if class.contains(&spell(w)) {
                failures.push(format!("{} should not hold {w:?}", class.id));
            }
        }
    }
    let read = ownup::context::Words::IDS
        .iter()
        .chain(ownup::segment::ClauseWords::IDS)
        .chain(ownup::normalize::SqueezeWords::IDS);
    for id in read {
        if lex.class(id).is_none() {
            failures.push(format!(
                "the normalizer, the segmenter or the context stage reads class `{id}`, which is missing"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deflection_rules_have_suggestions() {
    let a = analyzer();
    for r in a
        .lexicon()
        .rules
        .iter()
        .filter(|r| r.category.kind() == Kind::Deflection)
    {
        assert!(r.suggestion.is_some(), "{} has no suggestion", r.id);
    }
}

/// `(i|we)( will| \W?ll)` reads "i 'll" and misses "i'll": a contraction's apostrophe joins
/// the pronoun with no space, so an alternative that starts with a space before `\W?` can
/// never match the contracted form. The same holds for a group written after a space,
/// `(i|we) (was|\W?m)`, which can never match "i'm". Every regex must glue the contraction
/// to the word before it: `(i|we)( was|\W?m)`. After "we", `\W?re` also reads the word
/// "were" as "we're" ("they were joking"): the apostrophe must be required, `\Wre`.
#[test]
fn regexes_do_not_require_a_space_before_a_contraction() {
    let a = analyzer();
    let lex = a.lexicon();
    let rules = lex.rules.iter().map(|r| {
        let regexes: Vec<_> = r.regexes.iter().chain(&r.unless).chain(&r.except).collect();
        (r.id.to_string(), regexes)
    });
    let gates = lex.gates.iter().map(|g| {
        let regexes: Vec<_> = g
            .regexes
            .iter()
            .chain(&g.unless)
            .chain(&g.when)
            .chain(&g.except)
            .collect();
        (g.id.to_string(), regexes)
    });
    let bad: Vec<String> = rules
        .chain(gates)
        .flat_map(|(id, regexes)| {
            regexes
                .into_iter()
                .map(|re| re.pattern().to_string())
                .filter(|p| {
                    p.contains("| \\W?")
                        || p.contains("( \\W?")
                        || spaced_group_with_contraction(p)
                        || were_read_as_we_are(p)
                })
                .map(move |p| format!("{id}: {p}"))
        })
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A phrase group written after a space, `i {want|'d like}`, expands to "i 'd like", which no
/// text holds; the space belongs inside the group: `i{ want|'d like}`.
#[test]
fn phrases_do_not_put_a_space_before_a_contraction() {
    let a = analyzer();
    let expanded = a
        .lexicon()
        .rules
        .iter()
        .flat_map(|r| r.expanded.iter().map(move |e| (&r.id, e)))
        .chain(
            a.lexicon()
                .gates
                .iter()
                .flat_map(|g| g.expanded.iter().map(move |e| (&g.id, e))),
        );
    let bad: Vec<String> = expanded
        .filter(|(_, e)| {
            e.split(' ').any(|w| {
                ["'d", "'ll", "'re", "'ve", "'m", "'s", "'t"]
                    .iter()
                    .any(|c| w.strip_prefix(c).is_some_and(|rest| rest.is_empty()))
            })
        })
        .map(|(id, e)| format!("{id}: {e}"))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Whether a group written after a space has a top-level alternative that starts with `\W`
/// beside one that does not.
fn spaced_group_with_contraction(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    (0..b.len().saturating_sub(1))
        .filter(|&i| b[i] == b' ' && b[i + 1] == b'(' && b.get(i + 2) != Some(&b'?'))
        .any(|i| {
            let alternatives = top_level_alternatives(&pattern[i + 2..]);
            let glued = alternatives.iter().filter(|x| x.starts_with("\\W")).count();
            glued > 0 && glued < alternatives.len()
        })
}

/// Whether a group right after a "we" alternative holds `\W?re`, which matches "were".
fn were_read_as_we_are(pattern: &str) -> bool {
    pattern.match_indices("we)(").any(|(i, m)| {
        top_level_alternatives(&pattern[i + m.len()..])
            .iter()
            .any(|x| x.starts_with("\\W?re"))
    })
}

/// The alternatives of the group whose body starts `body` (up to its closing parenthesis).
fn top_level_alternatives(body: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0usize, 0, Vec::new());
    let b = body.as_bytes();
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'|' if depth == 0 => {
                out.push(&body[start..k]);
                start = k + 1;
            }
            _ => {}
        }
        k += 1;
    }
    out.push(&body[start..k.min(body.len())]);
    out
}
