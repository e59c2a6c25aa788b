//! Frames: what an apology is for, described by a few closed features, and the conditions on
//! them that `role = "frame"` rules declare.
//!
//! The context stage reads the words after each apology head and describes them as a
//! [`Frame`]: the kind of complement, who acts in it, what kind of predicate it has, whether
//! it is hypothetical and how definite its object is. A frame rule fires on every head whose
//! frame meets its condition, so a category follows from the frame ("sorry you feel" and
//! "sorry people were upset" are one rule: the hearer's reaction) rather than from a list of
//! phrasings. This file is also included by the build script.

use std::fmt;
use std::str::FromStr;

macro_rules! feature {
    ($name:ident, $doc:literal, $( $variant:ident => $id:literal, $vdoc:literal; )*) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            $( #[doc = $vdoc] $variant, )*
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The id used in lexicon files.
            pub fn id(self) -> &'static str {
                match self { $( $name::$variant => $id, )* }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $id => Ok($name::$variant), )*
                    _ => {
                        let ids: Vec<&str> = $name::ALL.iter().map(|v| v.id()).collect();
                        Err(format!("unknown {} `{s}` (expected one of: {})",
                            stringify!($name).to_lowercase(), ids.join(", ")))
                    }
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}

feature! { Complement, "How the apology word takes what it is for.",
    Bare => "bare", "Nothing: \"I'm sorry.\"";
    Nominal => "nominal", "A noun phrase or gerund: \"sorry for the delay\", \"regret yelling\".";
    Clause => "clause", "A clause: \"sorry (that) you feel that way\".";
    Infinitive => "infinitive", "An infinitive: \"sorry to keep you waiting\".";
    Conditional => "conditional", "A condition: \"sorry if anyone was offended\".";
    Account => "account", "An account beside the apology of how it came about, with someone or something else doing it: \"sorry for the delay, the courier lost it\".";
}

feature! { Actor, "Who acts in what the apology is for.",
    Unknown => "unknown", "Nobody the rules can tell.";
    Writer => "writer", "The writer or their organisation: \"sorry I yelled\".";
    Hearer => "hearer", "The person addressed: \"sorry you feel that way\".";
    Audience => "audience", "Anyone affected, unnamed: \"sorry if anyone was hurt\".";
    Others => "others", "A third party: \"sorry he was rude\".";
    Nobody => "nobody", "No one: an event or a passive without agent: \"sorry this happened\".";
    Thing => "thing", "A thing as subject of a state: \"sorry your order is late\".";
}

feature! { Predicate, "What kind of predicate it has.",
    Unknown => "unknown", "Nothing the rules can tell.";
    Act => "act", "Something done: \"I yelled\", \"for keeping you waiting\".";
    Reaction => "reaction", "A feeling, perception or experience of the other: \"you were offended\".";
    Event => "event", "Something that happened: \"this happened\", \"the incident\".";
    Passive => "passive", "A passive with no agent: \"mistakes were made\", \"the lives lost\".";
    State => "state", "A state of a thing: \"your order is late\".";
    Denial => "denial", "An act said not to have been done, or a fault said not to be one: \"I didn't lie\", \"I wasn't drunk\".";
    Led => "led", "What someone told or did to the writer, given as what led to the act: \"you told me it was optional\", \"you came at me first\".";
}

feature! { Modality, "Whether it is asserted or hypothetical.",
    Actual => "actual", "Asserted.";
    Hypothetical => "hypothetical", "Made hypothetical: \"if\", \"to the extent\", \"may have\".";
}

feature! { Object, "How definite what the apology is for is.",
    None => "none", "No object.";
    Specific => "specific", "A named act or thing: \"the delay\", \"my comments\", \"yelling\".";
    Vague => "vague", "All-purpose: \"any inconvenience\", \"whatever I did\", \"everything\".";
    Deictic => "deictic", "Pointed at, not named: \"that\", \"what happened\", \"the confusion\".";
}

/// What one apology is for, as the context stage reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Frame {
    /// How the complement is taken.
    pub complement: Complement,
    /// Who acts.
    pub actor: Actor,
    /// The kind of predicate.
    pub predicate: Predicate,
    /// Asserted or hypothetical.
    pub modality: Modality,
    /// How definite the object is.
    pub object: Object,
}

/// A set of values of one feature, as a bit set; empty means any value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnyOf(u32);

impl AnyOf {
    /// The set of these values' positions.
    pub fn of(positions: &[usize]) -> AnyOf {
        AnyOf(positions.iter().fold(0, |bits, p| bits | 1 << p))
    }

    /// The positions in the set.
    pub fn positions(self) -> Vec<usize> {
        (0..32).filter(|p| self.0 & (1 << p) != 0).collect()
    }

    fn admits(self, position: usize) -> bool {
        self.0 == 0 || self.0 & (1 << position) != 0
    }
}

/// The condition of a frame rule: each feature's allowed values (empty: any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrameCondition {
    /// Allowed complements.
    pub complement: AnyOf,
    /// Allowed actors.
    pub actor: AnyOf,
    /// Allowed predicates.
    pub predicate: AnyOf,
    /// Allowed modalities.
    pub modality: AnyOf,
    /// Allowed objects.
    pub object: AnyOf,
}

fn position<T: PartialEq>(all: &[T], v: T) -> usize {
    all.iter().position(|x| *x == v).unwrap_or(0)
}

impl FrameCondition {
    /// Whether the condition names a complement among its allowed ones (not "any"): an
    /// account is read only for the rules that ask for one.
    pub fn names_complement(&self, c: Complement) -> bool {
        self.complement.0 != 0 && self.complement.admits(position(Complement::ALL, c))
    }

    /// Whether a frame meets the condition.
    pub fn admits(&self, f: &Frame) -> bool {
        self.complement
            .admits(position(Complement::ALL, f.complement))
            && self.actor.admits(position(Actor::ALL, f.actor))
            && self.predicate.admits(position(Predicate::ALL, f.predicate))
            && self.modality.admits(position(Modality::ALL, f.modality))
            && self.object.admits(position(Object::ALL, f.object))
    }

    /// Parses one feature's list of value ids into a set.
    pub fn parse_set<T: FromStr<Err = String> + PartialEq + Copy>(
        all: &[T],
        ids: &[String],
    ) -> Result<AnyOf, String> {
        let positions = ids
            .iter()
            .map(|id| id.parse::<T>().map(|v| position(all, v)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AnyOf::of(&positions))
    }

    /// The condition as lexicon text, for listings.
    pub fn describe(&self) -> String {
        fn part<T: fmt::Display + Copy>(name: &str, all: &[T], set: AnyOf) -> Option<String> {
            let ids: Vec<String> = set
                .positions()
                .iter()
                .map(|&p| all[p].to_string())
                .collect();
            (!ids.is_empty()).then(|| format!("{name} = {}", ids.join("|")))
        }
        [
            part("complement", Complement::ALL, self.complement),
            part("actor", Actor::ALL, self.actor),
            part("predicate", Predicate::ALL, self.predicate),
            part("modality", Modality::ALL, self.modality),
            part("object", Object::ALL, self.object),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}
