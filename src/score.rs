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
//! - an undoing deflection (but-undoing, conditional, feelings-shift, blame-shift,
//!   counter-accusation, pathologizing, denial) **caps** the score at 45: an apology that is
//!   retracted cannot be more than weak, however many components it lists;
//! - the result is clamped to 0..=100.
//!
//! Every step is a [`Contribution`] pointing at a finding, and the contributions add up to
//! the score exactly, including the cap and the clamp.

use crate::analysis::{Contribution, Finding};
use crate::category::{Category, Kind};
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
    let rule_of = |f: &Finding| lex.rule(&f.rule);
    let mut contributions = Vec::new();
    let counted = || findings.iter().enumerate().filter(|(_, f)| !f.reported);

    if let Some((i, f)) = counted()
        .find(|(_, f)| rule_of(f).is_some_and(|r| matches!(r.role, Role::Head | Role::Admission)))
    {
        contributions.push(Contribution {
            label: "base",
            points: BASE,
            finding: i,
            reason: format!("the writer apologizes or admits fault (`{}`)", f.rule),
        });
    }

    for &cat in Category::ALL.iter().filter(|c| c.kind() == Kind::Ownership) {
        let best = counted()
            .filter(|(_, f)| f.category == cat)
            .filter_map(|(i, f)| rule_of(f).map(|r| (i, f, r.weight)))
            .max_by_key(|&(i, _, w)| (w, std::cmp::Reverse(i)));
        if let Some((i, f, w)) = best {
            if w > 0 {
                contributions.push(Contribution {
                    label: cat.id(),
                    points: w,
                    finding: i,
                    reason: format!("{} (`{}`)", cat.description(), f.rule),
                });
            }
        }
    }

    // Comprehensiveness (Schumann 2014 counts every element offered): each further
    // ownership finding beyond the strongest of its category adds a little, up to a limit.
    let mut extra = 0;
    for (i, f) in counted() {
        if f.kind != Kind::Ownership || contributions.iter().any(|c| c.finding == i) {
            continue;
        }
        if extra >= ELABORATION_MAX {
            break;
        }
        let points = ELABORATION.min(ELABORATION_MAX - extra);
        extra += points;
        contributions.push(Contribution {
            label: "elaboration",
            points,
            finding: i,
            reason: format!("a further {} finding (`{}`)", f.category.id(), f.rule),
        });
    }

    // For a routine apology (regret and nothing else owned), a reason is what a minor
    // apology consists of: Schlenker & Darby 1981 found accounts lower an apology only as
    // the offence grows. The excuse is still flagged, but costs nothing.
    let routine = !contributions
        .iter()
        .any(|c| c.points > 0 && !matches!(c.label, "base" | "regret" | "elaboration"));
    let mut first_undoing = None;
    let mut biggest_penalty: Option<(usize, i32)> = None;
    for &cat in Category::ALL
        .iter()
        .filter(|c| c.kind() == Kind::Deflection)
    {
        for (n, (i, f)) in counted().filter(|(_, f)| f.category == cat).enumerate() {
            let Some(r) = rule_of(f) else { continue };
            let points = match n {
                _ if routine && cat == Category::Excuse => 0,
                0 => r.weight,
                1 => r.weight / 2,
                _ => 0,
            };
            if cat.is_undoing() && first_undoing.is_none_or(|j| i < j) {
                first_undoing = Some(i);
            }
            if points > 0 {
                if biggest_penalty.is_none_or(|(_, p)| points > p) {
                    biggest_penalty = Some((i, points));
                }
                contributions.push(Contribution {
                    label: cat.id(),
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

    let mut total: i32 = contributions.iter().map(|c| c.points).sum();
    // An undoing line weighs less against an apology that owns much else: each ownership
    // component beyond regret lifts the cap a little (readers judge the whole statement).
    let breadth = contributions
        .iter()
        .filter(|c| c.points > 0 && !matches!(c.label, "base" | "regret" | "elaboration"))
        .count() as i32;
    let cap = (UNDOING_CAP + CAP_STEP * (breadth - 1).max(0)).min(CAP_MAX);
    if let Some(i) = first_undoing {
        if total > cap {
            contributions.push(Contribution {
                label: "cap",
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
    if total < 0 {
        let i = biggest_penalty.map_or(0, |(i, _)| i);
        contributions.push(Contribution {
            label: "floor",
            points: -total,
            finding: i,
            reason: "deflections outweigh the apology; the score stops at 0".to_string(),
        });
        total = 0;
    }
    if total > 100 {
        let i = contributions.first().map_or(0, |c| c.finding);
        contributions.push(Contribution {
            label: "ceiling",
            points: 100 - total,
            finding: i,
            reason: "the score stops at 100".to_string(),
        });
        total = 100;
    }
    (Some(total.clamp(0, 100) as u8), contributions)
}
