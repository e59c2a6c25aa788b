//! Stage 5: the ownership score.
//!
//! The formula (README "Scoring") follows the research weights of TAXONOMY §2:
//!
//! - an apology by the writer earns a **base** of 25, traced to the first head or admission;
//! - each ownership component adds the weight of its strongest finding, once per category.
//!   The built-in weights are responsibility 22, repair 15 (vague offers less), regret 10
//!   (weak heads such as "I regret" less), specificity 10, impact 8, change 8 (vague 4),
//!   forgiveness 2: responsibility first and repair second (Lewicki et al. 2016), components
//!   adding independently (Scher & Darley 1997), a bare "sorry" weak (Jucker 2018). The
//!   maximum is 100;
//! - each further ownership finding beyond the strongest of its category adds 2
//!   (**elaboration**, at most 10): comprehensiveness counts every element offered
//!   (Schumann 2014);
//! - each deflection subtracts its rule's weight; a second finding of the same category
//!   subtracts half, later ones nothing, so one repeated phrase cannot zero a long text;
//!   a category with the `free_in_routine` trait costs nothing in a routine apology (one
//!   that owns nothing beyond regret);
//! - a deflection whose category has the `undoing` trait **caps** the score at 45, plus 6
//!   for each component with the `breadth` trait beyond the first, at most 75: an apology
//!   that is retracted cannot be more than weak, however many components it lists;
//! - the result is clamped to 0..=100.
//!
//! Every step is a [`Contribution`] pointing at a finding, and the contributions add up to
//! the score exactly, including the cap and the clamp.

use crate::analysis::{Contribution, Finding, Label};
use crate::category::{Category, Kind, Trait};
use crate::lexicon::{Lexicon, Role};

/// Points for any apology by the writer.
pub const BASE: i32 = 25;
/// Points for each ownership finding beyond the strongest of its category.
pub const ELABORATION: i32 = 2;
/// The most elaboration can add.
pub const ELABORATION_MAX: i32 = 10;
/// The highest score an apology with an undoing deflection can reach.
pub const UNDOING_CAP: i32 = 45;
/// How much each ownership component beyond the first (not counting regret) raises the cap.
pub const CAP_STEP: i32 = 6;
/// The cap never rises above this.
pub const CAP_MAX: i32 = 75;

/// Scores findings; `None` when there is no apology.
pub fn score(
    lex: &Lexicon,
    apology: bool,
    findings: &[Finding],
) -> (Option<u8>, Vec<Contribution>) {
    if !apology {
        return (None, Vec::new());
    }
    let mut contributions = Vec::new();
    let counted = || findings.iter().enumerate().filter(|(_, f)| !f.reported);
    let rule_of = |f: &Finding| &lex.rules[f.rule_index];

    if let Some((i, f)) =
        counted().find(|(_, f)| matches!(rule_of(f).role, Role::Head | Role::Admission))
    {
        contributions.push(Contribution {
            label: Label::Base,
            points: BASE,
            finding: i,
            reason: format!("the writer apologizes or admits fault (`{}`)", f.rule),
        });
    }
    components(lex, findings, &mut contributions);
    let breadth = contributions
        .iter()
        .filter(|c| matches!(c.label, Label::Component(cat) if lex.has_trait(cat, Trait::Breadth)))
        .count() as i32;
    let first_undoing = deflections(lex, findings, breadth == 0, &mut contributions);
    let mut total: i32 = contributions.iter().map(|c| c.points).sum();
    // An undoing line weighs less against an apology that owns much else: each component
    // with breadth beyond the first lifts the cap a little (readers judge the whole statement).
    let cap = (UNDOING_CAP + CAP_STEP * (breadth - 1).max(0)).min(CAP_MAX);
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
fn components(lex: &Lexicon, findings: &[Finding], out: &mut Vec<Contribution>) {
    let counted = || findings.iter().enumerate().filter(|(_, f)| !f.reported);
    for &cat in Category::ALL.iter().filter(|c| c.kind() == Kind::Ownership) {
        let best = counted()
            .filter(|(_, f)| f.category == cat)
            .map(|(i, f)| (i, f, lex.rules[f.rule_index].weight))
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
    let mut extra = 0;
    for (i, f) in counted() {
        if f.kind != Kind::Ownership || out.iter().any(|c| c.finding == i) {
            continue;
        }
        if extra >= ELABORATION_MAX {
            break;
        }
        let points = ELABORATION.min(ELABORATION_MAX - extra);
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
            let weight = lex.rules[f.rule_index].weight;
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
