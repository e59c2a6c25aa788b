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
    /// Deflections that retract the apology they sit in rather than merely weakening it.
    /// One of these caps the score (see `score`).
    pub fn is_undoing(self) -> bool {
        matches!(
            self,
            Category::ButUndoing
                | Category::Conditional
                | Category::FeelingsShift
                | Category::BlameShift
                | Category::CounterAccusation
                | Category::Pathologizing
                | Category::Denial
        )
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
        assert!("sorry".parse::<Category>().is_err());
    }
}
