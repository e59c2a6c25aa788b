//! Core result types: what the pipeline produces for one text.
//!
//! These are in-memory types with byte offsets only; the JSON wire form (with line and
//! column, matched text and a schema version) lives in [`crate::report`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::advice::{Missing, SettingUse};
use crate::category::{Category, Kind};

/// How serious a deflection is; `check --fail-on` takes these as well as categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; rarely changes the reading of the apology.
    Info,
    /// Weakens the apology.
    Warning,
    /// Undoes the apology.
    Error,
}

impl Severity {
    /// The wire id.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown severity `{other}` (expected info, warning or error)"
            )),
        }
    }
}

/// One flagged span: an ownership component or a deflection marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Ownership or deflection (always `category.kind()`).
    pub kind: Kind,
    /// The taxonomy category.
    pub category: Category,
    /// The rule id that fired; also its configuration key.
    pub rule: Arc<str>,
    /// The rule's index in the analyzer's lexicon ([`crate::Lexicon::rules`]).
    pub rule_index: usize,
    /// Byte offset of the start of the span in the original text.
    pub start: usize,
    /// Byte offset one past the end of the span in the original text.
    pub end: usize,
    /// The rule's message, explaining the finding.
    pub message: Arc<str>,
    /// A suggested rewrite (deflections).
    pub suggestion: Option<Arc<str>>,
    /// The rule's severity.
    pub severity: Severity,
    /// True when the span is inside quoted or reported speech: the words are someone
    /// else's and do not count toward the score.
    pub reported: bool,
}

/// What a line of the score breakdown is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// Apologizing at all.
    Base,
    /// An ownership component, for its strongest finding.
    Component(Category),
    /// A further ownership finding beyond the strongest of its category.
    Elaboration,
    /// A deflection.
    Deflection(Category),
    /// The cap an undoing deflection puts on the score.
    Cap,
    /// The score stops at 0.
    Floor,
    /// The score stops at 100.
    Ceiling,
}

impl Label {
    /// The wire id: `base`, a category id, `elaboration`, `cap`, `floor` or `ceiling`.
    pub fn id(self) -> &'static str {
        match self {
            Label::Base => "base",
            Label::Component(c) | Label::Deflection(c) => c.id(),
            Label::Elaboration => "elaboration",
            Label::Cap => "cap",
            Label::Floor => "floor",
            Label::Ceiling => "ceiling",
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// One line of the score breakdown. The `points` of all contributions add up to the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// What the points are for.
    pub label: Label,
    /// Signed points.
    pub points: i32,
    /// Index into [`Analysis::findings`] of the finding the points trace to.
    pub finding: usize,
    /// A short human explanation.
    pub reason: String,
}

/// The verdict band of a score (documented in the README).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No apology by the writer: no score.
    #[default]
    NoApology,
    /// 0-24: the apology is retracted by what surrounds it.
    Deflecting,
    /// 25-49: an apology with little ownership, or ownership undercut by deflection.
    Weak,
    /// 50-74: real ownership with gaps.
    Partial,
    /// 75-100: responsibility, the act and amends, without deflection.
    Full,
}

impl Verdict {
    /// The band a score falls in.
    pub fn from_score(score: Option<u8>) -> Verdict {
        match score {
            None => Verdict::NoApology,
            Some(0..=24) => Verdict::Deflecting,
            Some(25..=49) => Verdict::Weak,
            Some(50..=74) => Verdict::Partial,
            Some(_) => Verdict::Full,
        }
    }

    /// The wire id.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::NoApology => "no_apology",
            Verdict::Deflecting => "deflecting",
            Verdict::Weak => "weak",
            Verdict::Partial => "partial",
            Verdict::Full => "full",
        }
    }

    /// Every verdict, lowest first.
    pub const ALL: &'static [Verdict] = &[
        Verdict::NoApology,
        Verdict::Deflecting,
        Verdict::Weak,
        Verdict::Partial,
        Verdict::Full,
    ];
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::ALL
            .iter()
            .copied()
            .find(|v| v.id() == s)
            .ok_or_else(|| format!("unknown verdict `{s}`"))
    }
}

/// A note that is surfaced but never scored, such as self-harm language.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyNote {
    /// Byte offset of the start of the span.
    pub start: usize,
    /// Byte offset one past the end of the span.
    pub end: usize,
    /// What to tell the reader.
    pub message: &'static str,
}

/// Everything the pipeline found in one text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// True when the writer apologizes, or admits fault, in their own voice.
    pub apology: bool,
    /// Ownership 0-100; `None` when there is no apology.
    pub score: Option<u8>,
    /// Findings sorted by `(start, end, rule)`.
    pub findings: Vec<Finding>,
    /// The score breakdown; empty when there is no apology.
    pub contributions: Vec<Contribution>,
    /// Self-harm language and similar, never scored.
    pub safety: Vec<SafetyNote>,
    /// The setting the advice fits (told from the text, or given); `None` without an
    /// apology.
    pub setting: Option<SettingUse>,
    /// The ownership components the apology lacks, most important first for the setting,
    /// with what to add; empty without an apology, and when a safety note comes first.
    pub missing: Vec<Missing>,
}

impl Analysis {
    /// The verdict band of the score.
    pub fn verdict(&self) -> Verdict {
        Verdict::from_score(self.score)
    }

    /// Findings that count toward the score (not in quoted or reported speech).
    pub fn counted(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.reported)
    }

    /// True when a safety note (self-harm language) was found: the report then leads with
    /// it and gives no rewrite advice and no verdict.
    pub fn care_first(&self) -> bool {
        !self.safety.is_empty()
    }

    /// Whether a counted finding of this category is present.
    pub fn has(&self, category: Category) -> bool {
        self.counted().any(|f| f.category == category)
    }
}
