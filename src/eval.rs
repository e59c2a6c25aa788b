//! Evaluation against labelled texts: detection, score correlation, per-category agreement.
//!
//! The label format is the one of the shared dev set (one JSON object per line: `id`, `text`,
//! `apology`, `ownership`, `components`, `deflections`, `components_uncertain`,
//! `deflections_uncertain`); ownup's own corpora add `band` and `absent` (categories that must
//! not be flagged). Categories marked by only one annotator (`_uncertain`) count neither as
//! hits nor as misses.
//!
//! A labelled set can be split in two by a stable hash of each text's id ([`Split`]): rules
//! are written from the tuning part and measured on the check part, which nobody reads while
//! writing them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::category::{Category, Kind};
use crate::Analyzer;

/// One labelled text.
#[derive(Debug, Clone, Deserialize)]
pub struct Labelled {
    /// Record id.
    #[serde(default)]
    pub id: serde_json::Value,
    /// The text.
    pub text: String,
    /// Whether it is an apology; `null` when annotators disagreed.
    #[serde(default)]
    pub apology: Option<bool>,
    /// Mean human ownership rating 0-100.
    #[serde(default)]
    pub ownership: Option<f64>,
    /// Components both annotators marked.
    #[serde(default)]
    pub components: Vec<String>,
    /// Deflections both annotators marked.
    #[serde(default)]
    pub deflections: Vec<String>,
    /// Components only one annotator marked (not scored).
    #[serde(default)]
    pub components_uncertain: Vec<String>,
    /// Deflections only one annotator marked (not scored).
    #[serde(default)]
    pub deflections_uncertain: Vec<String>,
    /// Expected verdict band (ownup corpora).
    #[serde(default)]
    pub band: Option<String>,
    /// Categories that must not be flagged (ownup corpora).
    #[serde(default)]
    pub absent: Vec<String>,
}

/// Which part of a labelled set a text belongs to, decided once by its id alone, so that the
/// split never moves when texts are added or reordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// About two thirds: read while writing rules and fitting weights.
    Tuning,
    /// About one third: only measured, never read while writing rules.
    Check,
}

impl Split {
    /// The part a text with this id belongs to: FNV-1a (64 bit) of the id's text, one in
    /// three to the check part. An id that is a JSON number is hashed as its decimal text.
    pub fn of(id: &serde_json::Value) -> Split {
        let text = match id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        if hash % 3 == 0 {
            Split::Check
        } else {
            Split::Tuning
        }
    }

    /// The wire id.
    pub fn id(self) -> &'static str {
        match self {
            Split::Tuning => "tuning",
            Split::Check => "check",
        }
    }
}

impl std::str::FromStr for Split {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tuning" => Ok(Split::Tuning),
            "check" => Ok(Split::Check),
            other => Err(format!(
                "unknown split `{other}` (expected tuning or check)"
            )),
        }
    }
}

/// Precision, recall and F1 with their counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    fn from_counts(tp: usize, fp: usize, fn_: usize) -> Prf {
        let p = if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            tp,
            fp,
            fn_,
            precision: p,
            recall: r,
            f1,
        }
    }
}

/// One text where ownup and the labels disagree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Disagreement {
    /// Record id.
    pub id: serde_json::Value,
    /// How far apart, for sorting: detection errors first, then score distance.
    pub severity: f64,
    /// What differs.
    pub what: String,
    /// The text (shortened).
    pub text: String,
}

/// The evaluation report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvalReport {
    /// Texts read.
    pub texts: usize,
    /// Apology detection over texts with a definite label.
    pub detection: Prf,
    /// Spearman correlation of `score` with `ownership` over the texts labelled apologies,
    /// a text ownup gives no score counting as 0: a missed apology is a ranking error too.
    pub spearman: Option<f64>,
    /// How many pairs the correlation is over.
    pub spearman_n: usize,
    /// The same over the texts both call apologies only.
    pub spearman_both: Option<f64>,
    /// Micro-averaged component agreement.
    pub components: Prf,
    /// Micro-averaged deflection agreement.
    pub deflections: Prf,
    /// Per category.
    pub categories: BTreeMap<String, Prf>,
    /// Share of labelled bands matched exactly (ownup corpora), when any.
    pub band_accuracy: Option<f64>,
    /// `absent` categories that were flagged anyway (ownup corpora).
    pub absent_violations: usize,
    /// The worst disagreements, worst first.
    pub worst: Vec<Disagreement>,
}

/// Ranks with ties averaged.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation (Pearson on tie-averaged ranks).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
    if vx == 0.0 || vy == 0.0 {
        return None;
    }
    Some(cov / (vx * vy).sqrt())
}

fn short(text: &str, max: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        t
    } else {
        let cut: String = t.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Evaluates `analyzer` on labelled texts; keeps the `worst` disagreements.
pub fn evaluate(analyzer: &Analyzer, items: &[Labelled], worst: usize) -> EvalReport {
    use rayon::prelude::*;
    let analyses: Vec<_> = items
        .par_iter()
        .map(|it| analyzer.analyze(&it.text))
        .collect();

    let (mut dtp, mut dfp, mut dfn) = (0, 0, 0);
    let mut pairs: (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    let mut both: (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    let mut per: BTreeMap<Category, (usize, usize, usize)> = BTreeMap::new();
    let mut bands = (0usize, 0usize);
    let mut absent_violations = 0;
    let mut disagreements = Vec::new();

    for (it, an) in items.iter().zip(&analyses) {
        let mut what = Vec::new();
        let mut severity = 0.0;
        if let Some(gold) = it.apology {
            match (gold, an.apology) {
                (true, true) => dtp += 1,
                (false, true) => {
                    dfp += 1;
                    what.push("apology: labelled no, ownup yes".to_string());
                    severity += 100.0;
                }
                (true, false) => {
                    dfn += 1;
                    what.push("apology: labelled yes, ownup no".to_string());
                    severity += 100.0;
                }
                (false, false) => {}
            }
        }
        if let (Some(own), Some(true)) = (it.ownership, it.apology) {
            let score = an.score.map_or(0.0, f64::from);
            pairs.0.push(score);
            pairs.1.push(own);
            if an.score.is_some() {
                both.0.push(score);
                both.1.push(own);
                let d = (score - own).abs();
                severity += d;
                if d >= 20.0 {
                    what.push(format!("score {score} vs ownership {own:.0}"));
                }
            }
        }
        let predicted: BTreeSet<Category> = an.counted().map(|f| f.category).collect();
        let parse = |v: &[String]| -> BTreeSet<Category> {
            v.iter().filter_map(|s| s.parse().ok()).collect()
        };
        let gold: BTreeSet<Category> = parse(&it.components)
            .union(&parse(&it.deflections))
            .copied()
            .collect();
        let unsure: BTreeSet<Category> = parse(&it.components_uncertain)
            .union(&parse(&it.deflections_uncertain))
            .copied()
            .collect();
        for &c in Category::ALL {
            if unsure.contains(&c) && !gold.contains(&c) {
                continue;
            }
            let e = per.entry(c).or_default();
            match (gold.contains(&c), predicted.contains(&c)) {
                (true, true) => e.0 += 1,
                (false, true) => {
                    e.1 += 1;
                    what.push(format!("+{c}"));
                    severity += 10.0;
                }
                (true, false) => {
                    e.2 += 1;
                    what.push(format!("-{c}"));
                    severity += 10.0;
                }
                (false, false) => {}
            }
        }
        for a in &it.absent {
            if a.parse::<Category>().is_ok_and(|c| predicted.contains(&c)) {
                absent_violations += 1;
                what.push(format!("flagged absent {a}"));
                severity += 20.0;
            }
        }
        if let Some(b) = &it.band {
            bands.1 += 1;
            if an.verdict().id() == b {
                bands.0 += 1;
            } else {
                what.push(format!("band {} vs {b}", an.verdict().id()));
            }
        }
        if !what.is_empty() {
            disagreements.push(Disagreement {
                id: it.id.clone(),
                severity,
                what: what.join("; "),
                text: short(&it.text, 240),
            });
        }
    }

    let sum = |kind: Kind| {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (c, (a, b, d)) in &per {
            if c.kind() == kind {
                tp += a;
                fp += b;
                fn_ += d;
            }
        }
        Prf::from_counts(tp, fp, fn_)
    };
    disagreements.sort_by(|a, b| b.severity.total_cmp(&a.severity));
    disagreements.truncate(worst);
    EvalReport {
        texts: items.len(),
        detection: Prf::from_counts(dtp, dfp, dfn),
        spearman: spearman(&pairs.0, &pairs.1),
        spearman_n: pairs.0.len(),
        spearman_both: spearman(&both.0, &both.1),
        components: sum(Kind::Ownership),
        deflections: sum(Kind::Deflection),
        categories: per
            .iter()
            .map(|(c, (a, b, d))| (c.id().to_string(), Prf::from_counts(*a, *b, *d)))
            .collect(),
        band_accuracy: (bands.1 > 0).then(|| bands.0 as f64 / bands.1 as f64),
        absent_violations,
        worst: disagreements,
    }
}

/// Reads labelled texts from JSON Lines; errors name the input and line
/// (`labels.jsonl: line 7: ...`). A category id that ownup does not know is an error, since
/// a misspelt label would otherwise drop out of the counts unseen.
pub fn read_labels(src: &str, name: &str) -> Result<Vec<Labelled>, String> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    src.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let fail = |msg: String| format!("{name}: line {}: {msg}", i + 1);
            let item: Labelled =
                serde_json::from_str(l).map_err(|e| fail(crate::batch::json_message(&e)))?;
            let lists = [
                ("components", &item.components),
                ("deflections", &item.deflections),
                ("components_uncertain", &item.components_uncertain),
                ("deflections_uncertain", &item.deflections_uncertain),
                ("absent", &item.absent),
            ];
            for (field, ids) in lists {
                if let Some(bad) = ids.iter().find(|c| c.parse::<Category>().is_err()) {
                    return Err(fail(format!("`{field}`: unknown category `{bad}`")));
                }
            }
            Ok(item)
        })
        .collect()
}

impl EvalReport {
    /// A plain-text table for people.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let row = |s: &mut String, name: &str, p: &Prf| {
            let _ = writeln!(
                s,
                "  {name:<20} P {:.3}  R {:.3}  F1 {:.3}   (tp {}, fp {}, fn {})",
                p.precision, p.recall, p.f1, p.tp, p.fp, p.fn_
            );
        };
        let _ = writeln!(s, "texts: {}", self.texts);
        row(&mut s, "apology detection", &self.detection);
        let _ = match self.spearman {
            Some(r) => writeln!(
                s,
                "  spearman(score, ownership) {r:.3} over {} labelled apologies (no score = 0); \
                 {} where both see one",
                self.spearman_n,
                self.spearman_both
                    .map_or_else(|| "n/a".to_string(), |b| format!("{b:.3}"))
            ),
            None => writeln!(s, "  spearman: not enough pairs ({})", self.spearman_n),
        };
        row(&mut s, "components (micro)", &self.components);
        row(&mut s, "deflections (micro)", &self.deflections);
        if let Some(b) = self.band_accuracy {
            let _ = writeln!(
                s,
                "  band accuracy {b:.3}; absent categories flagged: {}",
                self.absent_violations
            );
        }
        for (kind, title) in [
            (Kind::Ownership, "components"),
            (Kind::Deflection, "deflections"),
        ] {
            let _ = writeln!(s, "per category, {title}:");
            for (c, p) in &self.categories {
                let of_kind = c.parse::<Category>().is_ok_and(|c| c.kind() == kind);
                if of_kind && p.tp + p.fp + p.fn_ > 0 {
                    row(&mut s, c, p);
                }
            }
        }
        if !self.worst.is_empty() {
            let _ = writeln!(s, "worst disagreements:");
            for d in &self.worst {
                // A string id reads better without its JSON quotes.
                let id = match &d.id {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let _ = writeln!(s, "  [{id}] {}\n      {}", d.what, d.text);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_handles_ties_and_order() {
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 40.0]).unwrap_or(0.0);
        assert!((r - 1.0).abs() < 1e-9);
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]).unwrap_or(0.0);
        assert!((r + 1.0).abs() < 1e-9);
        assert_eq!(ranks(&[5.0, 1.0, 5.0]), [2.5, 1.0, 2.5]);
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
    }

    #[test]
    fn read_labels_names_file_and_line() {
        let ok = "\u{feff}{\"text\":\"sorry\",\"components\":[\"regret\"],\"extra\":1}\r\n\n";
        assert_eq!(read_labels(ok, "a.jsonl").map(|v| v.len()), Ok(1));
        let err = |src: &str| read_labels(src, "a.jsonl").err().unwrap_or_default();
        assert_eq!(
            err("{\"text\":\"x\"}\n\n{oops\n"),
            "a.jsonl: line 3: a key must be text in double quotes (column 2)"
        );
        assert_eq!(err("{}"), "a.jsonl: line 1: missing field `text`");
        assert_eq!(
            err("{\"text\":\"x\",\"absent\":[\"regrets\"]}"),
            "a.jsonl: line 1: `absent`: unknown category `regrets`"
        );
    }

    #[test]
    fn prf_counts() {
        let p = Prf::from_counts(8, 2, 2);
        assert!((p.precision - 0.8).abs() < 1e-9 && (p.recall - 0.8).abs() < 1e-9);
    }
}
