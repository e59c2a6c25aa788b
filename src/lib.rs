//! # ownup
//!
//! Reads an apology and tells how fully it takes ownership.
//!
//! The pipeline reads top to bottom, one module per stage:
//! [`normalize`] → [`segment`] → [`matcher`] → [`context`] → [`score`] → [`advice`] →
//! [`report`].
//! Rules are data ([`lexicon`]): every rule carries its category, weight, message, suggested
//! rewrite, research source and examples.
//!
//! ```
//! let analyzer = ownup::Analyzer::builtin();
//! let analysis = analyzer.analyze("I'm sorry I yelled, but you provoked me.");
//! assert!(analysis.apology);
//! assert!(analysis.has(ownup::Category::ButUndoing));
//! assert!(analysis.has(ownup::Category::BlameShift));
//!
//! // Every point of the score traces to a finding, and the points add up.
//! let score = analysis.score.expect("an apology has a score");
//! let total: i32 = analysis.contributions.iter().map(|c| c.points).sum();
//! assert_eq!(total, i32::from(score));
//!
//! // Sympathy is not an apology.
//! assert!(!analyzer.analyze("So sorry for your loss.").apology);
//!
//! // The JSON contract, with byte offsets and 1-based line/column.
//! let text = "Mistakes were made.";
//! let wire = ownup::report::WireReport::new(&analyzer.analyze(text), text);
//! assert_eq!(wire.score, None);
//! ```
#![deny(missing_docs)]

pub mod advice;
pub mod analysis;
pub mod batch;
pub mod category;
pub mod context;
pub mod eval;
pub mod fit;
pub mod lexicon;
pub mod markup;
pub mod matcher;
pub mod normalize;
pub mod report;
pub mod score;
pub mod segment;
#[cfg(feature = "serve")]
pub mod serve;
pub mod threads;

use std::path::PathBuf;

pub use analysis::{Analysis, Contribution, Finding, Label, SafetyNote, Severity, Verdict};
pub use category::{Category, Kind, Trait};
pub use lexicon::{Lexicon, LexiconError};

use matcher::Matcher;
use normalize::Normalized;

/// The compiled analyzer: lexicon and matcher, built once and shared (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Analyzer {
    lexicon: Lexicon,
    matcher: Matcher,
    words: context::Words,
    clause_words: segment::ClauseWords,
    squeeze_words: normalize::SqueezeWords,
    setting: advice::SettingChoice,
}

/// An error building an analyzer from user configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// A lexicon file could not be read or is malformed.
    Lexicon(LexiconError),
    /// `disable` named no rule.
    Disable(String),
    /// A severity was set for an id that names no rule.
    Severity(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Lexicon(e) => write!(f, "{e}"),
            BuildError::Disable(e) | BuildError::Severity(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds an [`Analyzer`] from the built-in lexicon, user lexicon files and disabled rules.
#[derive(Debug, Clone, Default)]
pub struct AnalyzerBuilder {
    files: Vec<PathBuf>,
    disabled: Vec<String>,
    severities: Vec<(String, Severity)>,
    setting: advice::SettingChoice,
    no_builtin: bool,
}

impl AnalyzerBuilder {
    /// Adds a user lexicon file; its rules add to, or replace by id, the built-in ones.
    pub fn lexicon_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.files.push(path.into());
        self
    }

    /// Disables rules by rule id, category id, or id prefix ending in `.`.
    pub fn disable<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.disabled.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Sets the severity of rules by rule id, category id, or id prefix ending in `.`;
    /// later calls win where they overlap.
    pub fn severity(mut self, id: impl Into<String>, severity: Severity) -> Self {
        self.severities.push((id.into(), severity));
        self
    }

    /// The setting whose advice to give (`auto`, the default, tells it from each text).
    pub fn setting(mut self, choice: advice::SettingChoice) -> Self {
        self.setting = choice;
        self
    }

    /// Starts from an empty lexicon instead of the built-in one.
    pub fn without_builtin(mut self) -> Self {
        self.no_builtin = true;
        self
    }

    /// Loads and compiles everything.
    pub fn build(self) -> Result<Analyzer, BuildError> {
        let mut lexicon = if self.no_builtin {
            Lexicon::default()
        } else {
            Lexicon::builtin().map_err(BuildError::Lexicon)?
        };
        for f in &self.files {
            lexicon.add_file(f).map_err(BuildError::Lexicon)?;
        }
        lexicon
            .disable(&self.disabled)
            .map_err(BuildError::Disable)?;
        for (id, severity) in &self.severities {
            lexicon
                .set_severity(id, *severity)
                .map_err(BuildError::Severity)?;
        }
        let mut analyzer = Analyzer::from_lexicon(lexicon);
        analyzer.setting = self.setting;
        Ok(analyzer)
    }
}

impl Analyzer {
    /// The analyzer with the built-in lexicon.
    ///
    /// The built-in lexicon is part of the crate and is checked by its tests, so failing to
    /// load it is a bug in ownup, not an input error.
    pub fn builtin() -> Analyzer {
        match Lexicon::builtin() {
            Ok(lex) => Analyzer::from_lexicon(lex),
            Err(e) => panic!("ownup's built-in lexicon is invalid: {e}"),
        }
    }

    /// A builder for custom lexicons and disabled rules.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// Compiles an analyzer for a lexicon.
    pub fn from_lexicon(lexicon: Lexicon) -> Analyzer {
        let matcher = Matcher::new(&lexicon);
        let words = context::Words::of(&lexicon);
        let clause_words = segment::ClauseWords::of(&lexicon);
        let squeeze_words = normalize::SqueezeWords::of(&lexicon);
        Analyzer {
            lexicon,
            matcher,
            words,
            clause_words,
            squeeze_words,
            setting: advice::SettingChoice::Auto,
        }
    }

    /// The setting whose advice this analyzer gives.
    pub fn setting(&self) -> advice::SettingChoice {
        self.setting
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Analyzes one text.
    ///
    /// Most texts in a batch are no apology and hold nothing that could be reported without
    /// one: for those, one automaton pass proves the analysis empty and the rest of the
    /// pipeline is skipped. The result is always that of [`Analyzer::analyze_exhaustive`].
    pub fn analyze(&self, text: &str) -> Analysis {
        let norm = Normalized::with(text, &self.squeeze_words);
        if !self.matcher.matters(&norm) {
            return Analysis::default();
        }
        self.finish(&norm, None)
    }

    /// Analyzes a draft with parts masked by [`markup::mask`] (inline directives, Markdown
    /// code): findings whose rule is disabled in their paragraph are dropped before the
    /// score. Offsets are those of the original text, which the masked text keeps.
    pub fn analyze_masked(&self, masked: &markup::Masked) -> Analysis {
        let norm = Normalized::with(&masked.text, &self.squeeze_words);
        if !self.matcher.matters(&norm) {
            return Analysis::default();
        }
        self.finish(&norm, Some(masked))
    }

    /// Analyzes one text through every stage, without the shortcut of
    /// [`Analyzer::analyze`]; the result is the same. For testing that shortcut.
    pub fn analyze_exhaustive(&self, text: &str) -> Analysis {
        let norm = Normalized::with(text, &self.squeeze_words);
        self.finish(&norm, None)
    }

    /// Compiles the `unless` and `except` regexes the context stage will run on these hits,
    /// all at once (see [`lexicon::LazyRegex::prepare`]); they compile on first use anyway,
    /// one by one. Those whose required literals are absent from the whole text can match
    /// in no part of it, and are left alone.
    ///
    /// The literal check reads the whole text, so it runs once per distinct regex, after the
    /// hits' regexes are deduplicated: once per hit, a text with a finding in every sentence
    /// was read once per finding, which is quadratic in its length.
    fn prepare_context_regexes(&self, norm: &Normalized<'_>, hits: &[matcher::Hit]) {
        let lex = &self.lexicon;
        let mut sources: Vec<matcher::Source> = hits.iter().map(|h| h.source).collect();
        sources.sort_unstable();
        sources.dedup();
        let mut needed: Vec<&lexicon::LazyRegex> = Vec::new();
        for source in sources {
            match source {
                matcher::Source::Rule(i) => {
                    needed.extend(lex.rules[i].unless.iter().chain(&lex.rules[i].except))
                }
                matcher::Source::Gate(i) => needed.extend(&lex.gates[i].unless),
            }
        }
        needed.retain(|r| !r.is_compiled());
        needed.sort_unstable_by_key(|r| *r as *const lexicon::LazyRegex);
        needed.dedup_by_key(|r| *r as *const lexicon::LazyRegex);
        let lower = norm.lower.as_bytes();
        needed.retain(|r| r.has_required_literals(lower));
        if !needed.is_empty() {
            lexicon::LazyRegex::prepare(&needed);
        }
    }

    fn finish(&self, norm: &Normalized<'_>, masked: Option<&markup::Masked>) -> Analysis {
        let segments = segment::segment(&norm.text, &norm.lower, &self.clause_words);
        let hits = self.matcher.find(&self.lexicon, norm, &segments);
        self.prepare_context_regexes(norm, &hits);
        let resolved = context::resolve(&self.lexicon, &self.words, norm, &segments, &hits);
        let mut findings = context::to_findings(&self.lexicon, norm, &resolved);
        if let Some(m) = masked.filter(|m| !m.disabled.is_empty()) {
            let rules = &self.lexicon.rules;
            findings.retain(|f| {
                let Some(rule) = rules.get(f.rule_index) else {
                    return true;
                };
                !m.is_disabled(f.start, |id| rule.answers_to(id))
            });
        }
        let safety = context::to_safety(norm, &resolved);
        let (score, contributions) = score::score(&self.lexicon, resolved.apology, &findings);
        let mut analysis = Analysis {
            apology: resolved.apology,
            score,
            findings,
            contributions,
            safety,
            setting: None,
            missing: Vec::new(),
        };
        advice::advise(&self.lexicon, self.setting, norm, &mut analysis);
        analysis
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::builtin()
    }
}
