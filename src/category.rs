//! The closed set of categories a finding can carry (TAXONOMY §2 and §3).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Whether a finding raises the ownership score or lowers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An ownership component: the writer takes ownership of the act.
    Ownership,
    /// A deflection marker: the writer pushes ownership away.
    Deflection,
}

impl Kind {
    /// The wire id of the kind.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Ownership => "ownership",
            Kind::Deflection => "deflection",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

macro_rules! categories {
    ($( $variant:ident => $id:literal, $kind:ident, $doc:literal; )*) => {
        /// A category id from TAXONOMY §2 (ownership components) or §3 (deflections).
        ///
        /// The `category` field of every finding is one of these; finer distinctions live in
        /// rule ids.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Category {
            $( #[doc = $doc] $variant, )*
        }

        impl Category {
            /// Every category, ownership components first, in taxonomy order.
            pub const ALL: &'static [Category] = &[ $( Category::$variant, )* ];

            /// The stable id used on the wire, in lexicons and on the command line.
            pub fn id(self) -> &'static str {
                match self { $( Category::$variant => $id, )* }
            }

            /// Whether the category is an ownership component or a deflection.
            pub fn kind(self) -> Kind {
                match self { $( Category::$variant => Kind::$kind, )* }
            }

            /// One-line definition, as in the taxonomy.
            pub fn description(self) -> &'static str {
                match self { $( Category::$variant => $doc, )* }
            }
        }

        impl FromStr for Category {
            type Err = UnknownCategory;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $id => Ok(Category::$variant), )*
                    _ => Err(UnknownCategory(s.to_string())),
                }
            }
        }
    };
}

categories! {
    Regret => "regret", Ownership, "An explicit apology or expression of remorse.";
    Responsibility => "responsibility", Ownership, "First-person acknowledgment of fault.";
    Specificity => "specificity", Ownership, "Names the act, in the first person.";
    Impact => "impact", Ownership, "Acknowledges the harm to the other, with the speaker as cause.";
    Repair => "repair", Ownership, "Offers amends or asks how to make it right.";
    Change => "change", Ownership, "Commits to not repeating the act.";
    Forgiveness => "forgiveness", Ownership, "Asks forgiveness without demanding it.";
    ButUndoing => "but_undoing", Deflection, "An apology followed by but/however turning to justification or the other's part.";
    Conditional => "conditional", Deflection, "The offence made hypothetical (\"sorry if\").";
    FeelingsShift => "feelings_shift", Deflection, "Regret for the other's reaction, not the act.";
    BlameShift => "blame_shift", Deflection, "Responsibility put on the hearer or others.";
    VictimFraming => "victim_framing", Deflection, "The speaker casts themself as the injured one.";
    Minimizing => "minimizing", Deflection, "Shrinks the offence or the other's reaction.";
    Excuse => "excuse", Deflection, "Circumstances or reasons offered as justification.";
    IntentOverImpact => "intent_over_impact", Deflection, "Defends intentions instead of owning the effect.";
    Agentless => "agentless", Deflection, "The act without an agent, or in the third person.";
    VagueObject => "vague_object", Deflection, "No clear object, or an all-purpose one.";
    Pressure => "pressure", Deflection, "Pushes the hearer to forgive or move on.";
    CounterAccusation => "counter_accusation", Deflection, "Turns to the hearer's faults.";
    Pathologizing => "pathologizing", Deflection, "Treats the hearer's reaction as a disorder.";
    Denial => "denial", Deflection, "Denies the act or the hearer's memory.";
    SelfFlagellation => "self_flagellation", Deflection, "Global self-condemnation instead of owning the act.";
    Grudging => "grudging", Deflection, "A reluctant or sarcastic apology.";
}

impl Category {
    /// The category's position in [`Category::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

macro_rules! traits {
    ($( $variant:ident => $id:literal, $doc:literal; )*) => {
        /// What a category does beyond flagging, declared in the lexicon
        /// (`lexicons/categories.toml`) rather than named in code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Trait {
            $( #[doc = $doc] $variant, )*
        }

        impl Trait {
            /// Every trait.
            pub const ALL: &'static [Trait] = &[ $( Trait::$variant, )* ];

            /// The id used in lexicon files.
            pub fn id(self) -> &'static str {
                match self { $( Trait::$variant => $id, )* }
            }
        }

        impl FromStr for Trait {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $id => Ok(Trait::$variant), )*
                    _ => {
                        let ids: Vec<&str> = Trait::ALL.iter().map(|t| t.id()).collect();
                        Err(format!("unknown trait `{s}` (expected one of: {})", ids.join(", ")))
                    }
                }
            }
        }
    };
}

traits! {
    Undoing => "undoing", "Retracts the apology it sits in: caps the score.";
    Reclaimable => "reclaimable", "Dropped when a reclaim (\"that's no excuse\") follows it.";
    FreeInRoutine => "free_in_routine", "Costs nothing in an apology that owns nothing beyond regret.";
    Breadth => "breadth", "An ownership component that counts to breadth.";
    TurnsBack => "turns_back", "Found after a \"but\", turns it back to ownership.";
    NamesAct => "names_act", "Names or owns the act, so a definite object nearby is not vague.";
    Unnamed => "unnamed", "An object that names no act: specificity inside it is dropped.";
    OwnsDeed => "owns_deed", "Beside a told wrong act (a deed rule), makes the act an apology.";
}

/// The traits of every category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraitTable([Traits; 23]);

impl TraitTable {
    /// The traits of `c`.
    pub fn of(&self, c: Category) -> Traits {
        self.0[c.index()]
    }

    /// Whether `c` has trait `t`.
    pub fn has(&self, c: Category, t: Trait) -> bool {
        self.of(c).has(t)
    }

    /// Sets the traits of `c`.
    pub fn set(&mut self, c: Category, traits: Traits) {
        self.0[c.index()] = traits;
    }
}

/// A set of traits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Traits(u32);

impl Traits {
    /// The set holding these traits.
    pub fn of(traits: &[Trait]) -> Traits {
        Traits(traits.iter().fold(0, |bits, t| bits | 1 << *t as u32))
    }

    /// Whether the set holds `t`.
    pub fn has(self, t: Trait) -> bool {
        self.0 & (1 << t as u32) != 0
    }

    /// The traits in the set.
    pub fn list(self) -> Vec<Trait> {
        Trait::ALL
            .iter()
            .copied()
            .filter(|t| self.has(*t))
            .collect()
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A category id that is not in the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCategory(pub String);

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = Category::ALL.iter().map(|c| c.id()).collect();
        write!(
            f,
            "unknown category `{}` (expected one of: {})",
            self.0,
            ids.join(", ")
        )
    }
}

impl std::error::Error for UnknownCategory {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.id().parse::<Category>(), Ok(*c));
        }
        assert_eq!(Category::ALL.len(), 23);
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
        let t = Traits::of(&[Trait::Undoing, Trait::Breadth]);
        assert!(t.has(Trait::Undoing) && !t.has(Trait::Reclaimable));
        assert_eq!(t.list(), [Trait::Undoing, Trait::Breadth]);
        assert!("sorry".parse::<Category>().is_err());
    }
}
