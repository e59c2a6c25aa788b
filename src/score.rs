//! Stage 5: the ownership score.
//!
//! The formula (README "Scoring"); its numbers are lexicon data (`lexicons/categories.toml`),
//! fitted to people's ratings by [`crate::fit`] and drawn towards the research weights of
//! TAXONOMY §2:
//!
//! - an apology by the writer earns a **base**, traced to the first head or admission;
//! - each ownership component adds the weight of its strongest finding, once per category
//!   (a rule's weight is its category's, full or weak: components add independently,
//!   Scher & Darley 1997);
//! - each further ownership finding beyond the strongest of its category adds a little
//!   (**elaboration**, up to a limit): comprehensiveness counts every element offered
//!   (Schumann 2014);
//! - each deflection subtracts its rule's weight; a second finding of the same category
//!   subtracts half, later ones nothing, so one repeated phrase cannot zero a long text;
//!   a category with the `free_in_routine` trait costs nothing in a routine apology (one
//!   that owns nothing beyond regret);
//! - a deflection whose category has the `undoing` trait **caps** the score, the cap rising
//!   a step for each component with the `breadth` trait beyond the first, up to a limit: an
//!   apology that is retracted cannot be more than weak, however many components it lists;
//! - the result is clamped to 0..=100.
//!
//! Every step is a [`Contribution`] pointing at a finding, and the contributions add up to
//! the score exactly, including the cap and the clamp.

use crate::analysis::{Contribution, Finding, Label};
use crate::category::{Category, Kind, Trait};
use crate::lexicon::{Lexicon, Weights};

/// Scores findings with the lexicon's weights; `None` when there is no apology.
pub fn score(
    lex: &Lexicon,
    apology: bool,
    findings: &[Finding],
) -> (Option<u8>, Vec<Contribution>) {
    score_with(lex, &lex.weights, apology, findings)
}

/// Scores findings with other weights (what a fit tries).
pub fn score_with(
    lex: &Lexicon,
    weights: &Weights,
    apology: bool,
    findings: &[Finding],
) -> (Option<u8>, Vec<Contribution>) {
    if !apology {
        return (None, Vec::new());
    }
    let formula = &weights.formula;
    let mut contributions = Vec::new();
    let counted = || findings.iter().enumerate().filter(|(_, f)| !f.reported);
    let rule_of = |f: &Finding| &lex.rules[f.rule_index];

    if let Some((i, f)) = counted().find(|(_, f)| rule_of(f).role.makes_apology()) {
        contributions.push(Contribution {
            label: Label::Base,
            points: formula.base,
            finding: i,
            reason: format!("the writer apologizes or admits fault (`{}`)", f.rule),
        });
    }
    components(lex, weights, findings, &mut contributions);
    let breadth = contributions
        .iter()
        .filter(|c| matches!(c.label, Label::Component(cat) if lex.has_trait(cat, Trait::Breadth)))
        .count() as i32;
    let first_undoing = deflections(lex, weights, findings, breadth == 0, &mut contributions);
    let mut total: i32 = contributions.iter().map(|c| c.points).sum();
    // An undoing line weighs less against an apology that owns much else: each component
    // with breadth beyond the first lifts the cap a little (readers judge the whole statement).
    let cap = (formula.undoing_cap + formula.cap_step * (breadth - 1).max(0)).min(formula.cap_max);
    if let Some(i) = first_undoing {
        if total > cap {
            contributions.push(Contribution {
                label: Label::Cap,
                points: cap - total,
                finding: i,
                reason: format!(
                    "`{}` undoes the apology: the score is capped at {cap}",
                    findings[i].rule
                ),
            });
            total = cap;
        }
    }
    total = clamp(&mut contributions, total);
    (Some(total as u8), contributions)
}

/// Each ownership component's strongest finding, then elaboration for the others.
/// The points of a finding under `weights`: its category's, for its rule's strength.
fn points_of(lex: &Lexicon, weights: &Weights, f: &Finding) -> i32 {
    weights.of(f.category).of(lex.rules[f.rule_index].strength)
}

fn components(lex: &Lexicon, weights: &Weights, findings: &[Finding], out: &mut Vec<Contribution>) {
    let counted = || findings.iter().enumerate().filter(|(_, f)| !f.reported);
    for &cat in Category::ALL.iter().filter(|c| c.kind() == Kind::Ownership) {
        let best = counted()
            .filter(|(_, f)| f.category == cat)
            .map(|(i, f)| (i, f, points_of(lex, weights, f)))
            .max_by_key(|&(i, _, w)| (w, std::cmp::Reverse(i)));
        if let Some((i, f, w)) = best.filter(|b| b.2 > 0) {
            out.push(Contribution {
                label: Label::Component(cat),
                points: w,
                finding: i,
                reason: format!("{} (`{}`)", cat.description(), f.rule),
            });
        }
    }
    // Comprehensiveness (Schumann 2014 counts every element offered): each further
    // ownership finding beyond the strongest of its category adds a little, up to a limit.
    let formula = &weights.formula;
    let mut extra = 0;
    for (i, f) in counted() {
        if f.kind != Kind::Ownership || out.iter().any(|c| c.finding == i) {
            continue;
        }
        if extra >= formula.elaboration_max {
            break;
        }
        let points = formula.elaboration.min(formula.elaboration_max - extra);
        if points <= 0 {
            break;
        }
        extra += points;
        out.push(Contribution {
            label: Label::Elaboration,
            points,
            finding: i,
            reason: format!("a further {} finding (`{}`)", f.category.id(), f.rule),
        });
    }
}

/// Each deflection's points; returns the first finding whose category undoes the apology.
/// In a `routine` apology (nothing owned beyond regret) a reason is what a minor apology
/// consists of: Schlenker & Darby 1981 found accounts lower an apology only as the offence
/// grows, so categories with the `free_in_routine` trait are flagged but cost nothing.
fn deflections(
    lex: &Lexicon,
    weights: &Weights,
    findings: &[Finding],
    routine: bool,
    out: &mut Vec<Contribution>,
) -> Option<usize> {
    let counted = || findings.iter().enumerate().filter(|(_, f)| !f.reported);
    let mut first_undoing: Option<usize> = None;
    for &cat in Category::ALL
        .iter()
        .filter(|c| c.kind() == Kind::Deflection)
    {
        for (n, (i, f)) in counted().filter(|(_, f)| f.category == cat).enumerate() {
            let weight = points_of(lex, weights, f);
            let points = match n {
                _ if routine && lex.has_trait(cat, Trait::FreeInRoutine) => 0,
                0 => weight,
                1 => weight / 2,
                _ => 0,
            };
            if lex.has_trait(cat, Trait::Undoing) && first_undoing.is_none_or(|j| i < j) {
                first_undoing = Some(i);
            }
            if points > 0 {
                out.push(Contribution {
                    label: Label::Deflection(cat),
                    points: -points,
                    finding: i,
                    reason: if n == 0 {
                        format!("{} (`{}`)", cat.description(), f.rule)
                    } else {
                        format!("repeated {} (`{}`), half weight", cat.id(), f.rule)
                    },
                });
            }
        }
    }
    first_undoing
}

/// Clamps the total to 0..=100 with a `floor` or `ceiling` line, and returns it.
fn clamp(contributions: &mut Vec<Contribution>, total: i32) -> i32 {
    if total < 0 {
        // The floor points at the costliest deflection (the first of equals).
        let mut costliest: Option<(usize, i32)> = None;
        for c in contributions.iter() {
            if matches!(c.label, Label::Deflection(_))
                && costliest.is_none_or(|(_, p)| c.points < p)
            {
                costliest = Some((c.finding, c.points));
            }
        }
        let i = costliest.map_or(0, |(i, _)| i);
        contributions.push(Contribution {
            label: Label::Floor,
            points: -total,
            finding: i,
            reason: "deflections outweigh the apology; the score stops at 0".to_string(),
        });
        return 0;
    }
    if total > 100 {
        let i = contributions.first().map_or(0, |c| c.finding);
        contributions.push(Contribution {
            label: Label::Ceiling,
            points: 100 - total,
            finding: i,
            reason: "the score stops at 100".to_string(),
        });
        return 100;
    }
    total
}
