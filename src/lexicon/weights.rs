//! The score's weights: what each category adds or removes, and the few numbers of the
//! formula around them (README, Scoring). They are lexicon data, fitted to people's ratings
//! by `ownup fit` ([`crate::fit`]) and drawn towards the research weights (`prior`).
//!
//! This file is also included by the build script.

use super::Category;

/// How strongly a rule's findings count within its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// The category's `weight`.
    #[default]
    Full,
    /// The category's `weak` weight: a deferred "I'd like to apologize", a routine "DM us".
    Weak,
}

impl Strength {
    /// The id used in lexicon files.
    pub fn id(self) -> &'static str {
        match self {
            Strength::Full => "full",
            Strength::Weak => "weak",
        }
    }
}

/// One category's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategoryWeight {
    /// Points of a full-strength finding.
    pub full: i32,
    /// Points of a weak finding.
    pub weak: i32,
    /// The research weight of a full finding, which a fit is drawn towards.
    pub prior: i32,
    /// The research weight of a weak finding.
    pub weak_prior: i32,
}

impl CategoryWeight {
    /// The points of a finding of this strength.
    pub fn of(&self, s: Strength) -> i32 {
        match s {
            Strength::Full => self.full,
            Strength::Weak => self.weak,
        }
    }
}

/// The numbers of the score formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formula {
    /// Points for apologizing at all.
    pub base: i32,
    /// Points for each ownership finding beyond the strongest of its category.
    pub elaboration: i32,
    /// The most elaboration adds.
    pub elaboration_max: i32,
    /// The highest score an apology with an undoing deflection reaches.
    pub undoing_cap: i32,
    /// How much each component with breadth beyond the first lifts the cap.
    pub cap_step: i32,
    /// The cap never rises above this.
    pub cap_max: i32,
}

impl Default for Formula {
    fn default() -> Formula {
        Formula {
            base: 25,
            elaboration: 2,
            elaboration_max: 10,
            undoing_cap: 45,
            cap_step: 6,
            cap_max: 75,
        }
    }
}

/// Every weight of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Weights {
    /// The formula's numbers.
    pub formula: Formula,
    /// Per category, by [`Category::index`].
    pub category: [CategoryWeight; 23],
}

impl Weights {
    /// The weights of a category.
    pub fn of(&self, c: Category) -> &CategoryWeight {
        &self.category[c.index()]
    }

    /// The weights of a category, to change.
    pub fn of_mut(&mut self, c: Category) -> &mut CategoryWeight {
        &mut self.category[c.index()]
    }
}
