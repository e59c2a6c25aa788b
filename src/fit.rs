//! Fitting the score's weights to people's ownership ratings.
//!
//! The score stays a sum of per-finding points (every point still traces to a finding);
//! what is fitted are the numbers: the base, each category's full and weak weight, the
//! elaboration points and the undoing cap. The analyses are made once; each trial scores
//! them again with other weights through the same [`crate::score::score_with`] the analyzer
//! uses, so the fit cannot drift from the formula.
//!
//! The loss is the mean squared difference between score and rating plus a penalty that
//! draws each weight towards its research prior (ridge): with a couple of hundred rated
//! texts and some forty weights, an unpenalized fit would learn the texts, not the readers.
//! The penalty's strength is chosen by k-fold cross-validation, and the figures reported are
//! those of texts the fit did not see. Weights are whole points, searched coordinate by
//! coordinate with shrinking steps, each kept within its bounds and signs (a component never
//! subtracts, a deflection never adds).

use std::fmt::Write as _;

use crate::analysis::Finding;
use crate::category::{Category, Kind};
use crate::eval::{spearman, Labelled};
use crate::lexicon::{Formula, Strength, Weights};
use crate::{score, Analyzer};

/// One rated text, analyzed.
struct Rated {
    findings: Vec<Finding>,
    rating: f64,
}

/// A weight the fit moves, and where it may go.
#[derive(Debug, Clone, Copy)]
enum Param {
    Base,
    Elaboration,
    UndoingCap,
    CapStep,
    Full(Category),
    Weak(Category),
}

impl Param {
    fn get(self, w: &Weights) -> i32 {
        match self {
            Param::Base => w.formula.base,
            Param::Elaboration => w.formula.elaboration,
            Param::UndoingCap => w.formula.undoing_cap,
            Param::CapStep => w.formula.cap_step,
            Param::Full(c) => w.of(c).full,
            Param::Weak(c) => w.of(c).weak,
        }
    }

    fn set(self, w: &mut Weights, v: i32) {
        match self {
            Param::Base => w.formula.base = v,
            Param::Elaboration => w.formula.elaboration = v,
            Param::UndoingCap => w.formula.undoing_cap = v,
            Param::CapStep => w.formula.cap_step = v,
            Param::Full(c) => w.of_mut(c).full = v,
            Param::Weak(c) => w.of_mut(c).weak = v,
        }
    }

    /// The research value the penalty draws the weight towards: the lexicon's `prior`, and
    /// for the formula its published numbers.
    fn prior(self, prior: &Weights) -> i32 {
        match self {
            Param::Full(c) => prior.of(c).prior,
            Param::Weak(c) => prior.of(c).weak_prior,
            other => other.get(&Weights {
                formula: Formula::default(),
                ..*prior
            }),
        }
    }

    /// Whether `v` is allowed, given the other weights.
    fn allows(self, w: &Weights, v: i32) -> bool {
        match self {
            Param::Base => (0..=60).contains(&v),
            Param::Elaboration => (0..=5).contains(&v),
            Param::UndoingCap => (v >= 10) && v <= w.formula.cap_max,
            Param::CapStep => (0..=15).contains(&v),
            Param::Full(_) => (0..=60).contains(&v),
            // A weak finding never counts more than a full one.
            Param::Weak(c) => (0..=60).contains(&v) && v <= w.of(c).full,
        }
    }
}

/// What a fit found.
#[derive(Debug, Clone)]
pub struct FitReport {
    /// The fitted weights.
    pub weights: Weights,
    /// The weights it started from (the lexicon's).
    pub prior: Weights,
    /// The penalty strength chosen by cross-validation.
    pub lambda: f64,
    /// Rated texts that ownup also reads as apologies: what the fit is over.
    pub texts: usize,
    /// Cross-validated Spearman and root mean squared error, with the lexicon's weights and
    /// with weights fitted on the other folds.
    pub cv: [(f64, f64); 2],
    /// For each penalty strength tried: its cross-validated Spearman and RMSE.
    pub tried: Vec<(f64, f64, f64)>,
}

/// Penalty strengths tried.
const LAMBDAS: &[f64] = &[0.0, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0];

/// Fits the weights of `analyzer`'s lexicon to the ratings of `items`, choosing the
/// penalty by `folds`-fold cross-validation.
pub fn fit(analyzer: &Analyzer, items: &[Labelled], folds: usize) -> FitReport {
    use rayon::prelude::*;
    let lex = analyzer.lexicon();
    let rated: Vec<Rated> = items
        .par_iter()
        .filter(|it| it.apology == Some(true))
        .filter_map(|it| {
            let rating = it.ownership?;
            let a = analyzer.analyze(&it.text);
            a.apology.then_some(Rated {
                findings: a.findings,
                rating,
            })
        })
        .collect();
    let prior = lex.weights;
    let params = params(analyzer, &rated);
    let folds = folds.clamp(2, rated.len().max(2));
    let fold_of = |i: usize| i % folds;
    let cross_validate = |lambda: Option<f64>| {
        let mut predicted = vec![0.0; rated.len()];
        for k in 0..folds {
            let train: Vec<&Rated> = rated
                .iter()
                .enumerate()
                .filter(|(i, _)| fold_of(*i) != k)
                .map(|(_, r)| r)
                .collect();
            let w = match lambda {
                Some(l) => descend(analyzer, &train, &params, &prior, l),
                None => prior,
            };
            for (i, r) in rated.iter().enumerate().filter(|(i, _)| fold_of(*i) == k) {
                predicted[i] = f64::from(score_of(analyzer, &w, r));
            }
        }
        figures(&predicted, &rated)
    };
    let tried: Vec<(f64, f64, f64)> = LAMBDAS
        .par_iter()
        .map(|&l| {
            let (rho, rmse) = cross_validate(Some(l));
            (l, rho, rmse)
        })
        .collect();
    let &(lambda, rho, rmse) = choose_penalty(&tried).unwrap_or(&(1.0, 0.0, 0.0));
    let all: Vec<&Rated> = rated.iter().collect();
    let weights = descend(analyzer, &all, &params, &prior, lambda);
    FitReport {
        weights,
        prior,
        lambda,
        texts: rated.len(),
        cv: [cross_validate(None), (rho, rmse)],
        tried,
    }
}

/// The weights worth fitting: the formula's, each category's full weight when its findings
/// occur in the texts, and its weak one when it has weak rules (one that never fires stays
/// at its prior, which the penalty holds it to).
fn params(analyzer: &Analyzer, rated: &[Rated]) -> Vec<Param> {
    let lex = analyzer.lexicon();
    let mut seen = [[false; 2]; 23];
    for f in rated.iter().flat_map(|r| &r.findings) {
        seen[f.category.index()][0] = true;
    }
    for r in lex.rules.iter().filter(|r| r.strength == Strength::Weak) {
        seen[r.category.index()][1] = true;
    }
    let mut out = vec![
        Param::Base,
        Param::Elaboration,
        Param::UndoingCap,
        Param::CapStep,
    ];
    for &c in Category::ALL {
        if seen[c.index()][0] {
            out.push(Param::Full(c));
        }
        if seen[c.index()][1] {
            out.push(Param::Weak(c));
        }
    }
    out
}

fn score_of(analyzer: &Analyzer, w: &Weights, r: &Rated) -> u8 {
    score::score_with(analyzer.lexicon(), w, true, &r.findings)
        .0
        .unwrap_or(0)
}

/// The strongest penalty whose cross-validated RMSE is within `RMSE_TOLERANCE` of the best.
///
/// With a hundred-odd rated texts, neighbouring penalties differ by less than the folds'
/// noise, and the weakest penalty lets a weight run to zero on a handful of texts (a denial
/// that costs nothing). Preferring the most prior-bound model the data cannot tell apart from
/// the best is the one-standard-error rule of the lasso literature, with a fixed tolerance
/// standing in for the standard error.
fn choose_penalty(tried: &[(f64, f64, f64)]) -> Option<&(f64, f64, f64)> {
    let best = tried.iter().map(|t| t.2).min_by(f64::total_cmp)?;
    tried
        .iter()
        .filter(|t| t.2 <= best * (1.0 + RMSE_TOLERANCE))
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// How much worse than the best cross-validated RMSE a stronger penalty may be and still win.
const RMSE_TOLERANCE: f64 = 0.02;

/// The mean squared error of `w` over `texts`, plus the penalty.
fn loss(
    analyzer: &Analyzer,
    texts: &[&Rated],
    w: &Weights,
    params: &[Param],
    prior: &Weights,
    lambda: f64,
) -> f64 {
    let n = texts.len().max(1) as f64;
    let mse = texts
        .iter()
        .map(|r| (f64::from(score_of(analyzer, w, r)) - r.rating).powi(2))
        .sum::<f64>()
        / n;
    let penalty = params
        .iter()
        .map(|p| f64::from(p.get(w) - p.prior(prior)).powi(2))
        .sum::<f64>()
        / params.len().max(1) as f64;
    mse + lambda * penalty
}

/// Integer coordinate descent from the prior: each weight in turn tries a step up and a step
/// down and keeps what lowers the loss; steps shrink from 8 points to 1.
fn descend(
    analyzer: &Analyzer,
    texts: &[&Rated],
    params: &[Param],
    prior: &Weights,
    lambda: f64,
) -> Weights {
    let mut w = *prior;
    // A category whose weak rules do not fire here has one weight: its weak one follows it;
    // and a weak weight never exceeds the full one.
    let follows = |w: &mut Weights| {
        for &c in Category::ALL {
            let has_weak = params
                .iter()
                .any(|p| matches!(p, Param::Weak(k) if *k == c));
            let cw = w.of_mut(c);
            cw.weak = if has_weak {
                cw.weak.min(cw.full)
            } else {
                cw.full
            };
        }
    };
    follows(&mut w);
    let mut best = loss(analyzer, texts, &w, params, prior, lambda);
    for step in [8, 4, 2, 1] {
        for _ in 0..40 {
            let mut moved = false;
            for &p in params {
                for delta in [step, -step] {
                    let v = p.get(&w) + delta;
                    if !p.allows(&w, v) {
                        continue;
                    }
                    let mut trial = w;
                    p.set(&mut trial, v);
                    follows(&mut trial);
                    let l = loss(analyzer, texts, &trial, params, prior, lambda);
                    if l < best - 1e-9 {
                        (w, best, moved) = (trial, l, true);
                        break;
                    }
                }
            }
            if !moved {
                break;
            }
        }
    }
    w
}

/// Spearman and RMSE of predictions against ratings.
fn figures(predicted: &[f64], rated: &[Rated]) -> (f64, f64) {
    let ratings: Vec<f64> = rated.iter().map(|r| r.rating).collect();
    let rho = spearman(predicted, &ratings).unwrap_or(0.0);
    let n = predicted.len().max(1) as f64;
    let rmse = (predicted
        .iter()
        .zip(&ratings)
        .map(|(p, r)| (p - r).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    (rho, rmse)
}

impl FitReport {
    /// The fitted weights as a lexicon file: `ownup --lexicon FILE` scores with them.
    pub fn to_toml(&self) -> String {
        let f = &self.weights.formula;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Score weights fitted by `ownup fit` to {} rated texts (penalty {}).\n\
             # Cross-validated Spearman {:.3} (lexicon weights: {:.3}).\n",
            self.texts, self.lambda, self.cv[1].0, self.cv[0].0
        );
        let _ = writeln!(
            s,
            "[score]\nbase = {}\nelaboration = {}\nelaboration_max = {}\nundoing_cap = {}\ncap_step = {}\ncap_max = {}",
            f.base, f.elaboration, f.elaboration_max, f.undoing_cap, f.cap_step, f.cap_max
        );
        for &c in Category::ALL {
            let w = self.weights.of(c);
            let _ = writeln!(
                s,
                "\n[[category]]\nid = \"{c}\"\nweight = {}\nweak = {}\nprior = {}\nweak_prior = {}",
                w.full, w.weak, w.prior, w.weak_prior
            );
        }
        s
    }

    /// A table for people: prior and fitted weights, and the cross-validated figures.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "rated apologies ownup also reads as apologies: {}",
            self.texts
        );
        let _ = writeln!(s, "penalty (cross-validated): {}", self.lambda);
        for (l, rho, rmse) in &self.tried {
            let _ = writeln!(s, "  penalty {l:<5} CV Spearman {rho:.3}  RMSE {rmse:.1}");
        }
        let _ = writeln!(
            s,
            "cross-validated: lexicon weights Spearman {:.3} RMSE {:.1}; fitted Spearman {:.3} RMSE {:.1}",
            self.cv[0].0, self.cv[0].1, self.cv[1].0, self.cv[1].1
        );
        let (p, f) = (&self.prior.formula, &self.weights.formula);
        let _ = writeln!(s, "{:<22} {:>8} {:>8}", "weight", "prior", "fitted");
        for (name, a, b) in [
            ("base", p.base, f.base),
            ("elaboration", p.elaboration, f.elaboration),
            ("undoing cap", p.undoing_cap, f.undoing_cap),
            ("cap step", p.cap_step, f.cap_step),
        ] {
            let _ = writeln!(s, "{name:<22} {a:>8} {b:>8}");
        }
        for &c in Category::ALL {
            let (a, b) = (self.prior.of(c), self.weights.of(c));
            let sign = if c.kind() == Kind::Deflection {
                "-"
            } else {
                "+"
            };
            let _ = writeln!(
                s,
                "{:<22} {:>8} {:>8}",
                c.id(),
                format!("{sign}{}", a.prior),
                format!("{sign}{}", b.full)
            );
            if a.weak_prior != a.prior || b.weak != b.full {
                // Only categories with weak rules have a second weight.
                let _ = writeln!(
                    s,
                    "{:<22} {:>8} {:>8}",
                    format!("  (weak)"),
                    format!("{sign}{}", a.weak_prior),
                    format!("{sign}{}", b.weak)
                );
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::read_labels;

    fn corpus() -> Vec<Labelled> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/ownership.jsonl");
        let src = std::fs::read_to_string(path).unwrap_or_default();
        read_labels(&src, "ownership.jsonl").unwrap_or_default()
    }

    #[test]
    fn the_strongest_penalty_the_data_cannot_tell_from_the_best_wins() {
        // (penalty, Spearman, RMSE): 0 is best by 0.1, within 2%; 10 is 5% worse.
        let tried = [
            (0.0, 0.74, 11.6),
            (1.0, 0.75, 11.7),
            (3.0, 0.74, 11.8),
            (10.0, 0.72, 12.2),
        ];
        assert_eq!(choose_penalty(&tried).map(|t| t.0), Some(3.0));
        let clear = [(0.0, 0.80, 10.0), (1.0, 0.70, 11.0)];
        assert_eq!(choose_penalty(&clear).map(|t| t.0), Some(0.0));
        assert!(choose_penalty(&[]).is_none());
    }

    #[test]
    fn fitted_weights_keep_their_signs_and_load_as_a_lexicon() {
        let analyzer = Analyzer::builtin();
        let items = corpus();
        assert!(items.len() > 30);
        let report = fit(&analyzer, &items, 3);
        assert!(report.texts > 20);
        for &c in Category::ALL {
            let w = report.weights.of(c);
            assert!(
                (0..=60).contains(&w.full) && (0..=w.full).contains(&w.weak),
                "{c}: {w:?}"
            );
        }
        // The file it writes reads back as the same weights.
        let mut lex = crate::Lexicon::builtin().expect("built-in lexicon");
        lex.add_source("fitted.toml", &report.to_toml())
            .expect("the fitted weights load");
        assert_eq!(lex.weights, report.weights);
        assert!(lex
            .rules
            .iter()
            .all(|r| r.weight == report.weights.of(r.category).of(r.strength)));
    }

    #[test]
    fn a_fit_fits_better_than_where_it_starts() {
        let analyzer = Analyzer::builtin();
        let items = corpus();
        let rated: Vec<Rated> = items
            .iter()
            .filter(|it| it.apology == Some(true))
            .filter_map(|it| {
                let a = analyzer.analyze(&it.text);
                Some(Rated {
                    findings: a.findings,
                    rating: it.ownership?,
                })
                .filter(|_| a.apology)
            })
            .collect();
        let texts: Vec<&Rated> = rated.iter().collect();
        let params = params(&analyzer, &rated);
        let prior = analyzer.lexicon().weights;
        let fitted = descend(&analyzer, &texts, &params, &prior, 0.0);
        let before = loss(&analyzer, &texts, &prior, &params, &prior, 0.0);
        let after = loss(&analyzer, &texts, &fitted, &params, &prior, 0.0);
        assert!(after < before, "{after} >= {before}");
        // With a heavy penalty, weights that start at their priors stay there.
        let mut at_priors = prior;
        for c in &mut at_priors.category {
            (c.full, c.weak) = (c.prior, c.weak_prior);
        }
        let held = descend(&analyzer, &texts, &params, &at_priors, 1e6);
        assert_eq!(held.category, at_priors.category);
    }
}
