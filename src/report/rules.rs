//! The rules on the wire: what `ownup rules --format json` prints and the HTTP API's rules
//! routes return, and the choice of what to show for an id.

use serde::Serialize;

use crate::category::{Category, Trait};
use crate::lexicon::{Gate, Lexicon, Rule};

/// Categories with (some of) their rules, and context gates: what a listing shows.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    /// The lexicon the rules come from.
    pub lexicon: &'a Lexicon,
    /// Categories in taxonomy order, each with the rules shown.
    pub categories: Vec<(Category, Vec<&'a Rule>)>,
    /// Context gates shown.
    pub gates: Vec<&'a Gate>,
}

impl<'a> Selection<'a> {
    /// Every category with all its rules, and every gate.
    pub fn all(lex: &'a Lexicon) -> Selection<'a> {
        Selection {
            lexicon: lex,
            categories: Category::ALL
                .iter()
                .map(|&c| (c, rules_of(lex, c)))
                .collect(),
            gates: lex.gates.iter().collect(),
        }
    }

    /// What `id` names: a category with its rules, one rule, one gate, or the rules whose ids
    /// start with `id` when it ends in `.`. `None` when it names nothing.
    pub fn find(lex: &'a Lexicon, id: &str) -> Option<Selection<'a>> {
        let id = id.trim();
        let mut sel = Selection {
            lexicon: lex,
            categories: Vec::new(),
            gates: Vec::new(),
        };
        if let Ok(c) = id.parse::<Category>() {
            sel.categories.push((c, rules_of(lex, c)));
        } else if let Some(r) = lex.rule(id) {
            sel.categories.push((r.category, vec![r]));
        } else if let Some(g) = lex.gates.iter().find(|g| &*g.id == id) {
            sel.gates.push(g);
        } else if id.ends_with('.') {
            for r in lex.rules.iter().filter(|r| r.id.starts_with(id)) {
                match sel.categories.iter_mut().find(|(c, _)| *c == r.category) {
                    Some((_, v)) => v.push(r),
                    None => sel.categories.push((r.category, vec![r])),
                }
            }
        }
        let empty = sel.categories.is_empty() && sel.gates.is_empty();
        (!empty).then_some(sel)
    }

    /// Whether a deflection of category `c` caps the score (the lexicon's `undoing` trait).
    pub fn undoing(&self, c: Category) -> bool {
        self.lexicon.has_trait(c, Trait::Undoing)
    }

    /// The wire form.
    pub fn wire(&self) -> WireRules<'a> {
        WireRules {
            categories: self
                .categories
                .iter()
                .map(|(c, rules)| WireCategory {
                    id: c.id(),
                    kind: c.kind().id(),
                    description: c.description(),
                    undoing: self.undoing(*c),
                    rules: rules.iter().map(|r| WireRule::new(r)).collect(),
                })
                .collect(),
            gates: self.gates.iter().map(|g| WireGate::new(g)).collect(),
        }
    }
}

fn rules_of(lex: &Lexicon, c: Category) -> Vec<&Rule> {
    lex.rules.iter().filter(|r| r.category == c).collect()
}

/// A rules listing on the wire.
#[derive(Debug, Serialize)]
pub struct WireRules<'a> {
    /// Categories with their rules.
    pub categories: Vec<WireCategory<'a>>,
    /// Context gates.
    pub gates: Vec<WireGate<'a>>,
}

/// A category on the wire.
#[derive(Debug, Serialize)]
pub struct WireCategory<'a> {
    /// Category id.
    pub id: &'static str,
    /// `ownership` or `deflection`.
    pub kind: &'static str,
    /// One-line definition.
    pub description: &'static str,
    /// Whether a deflection of it caps the score.
    pub undoing: bool,
    /// Its rules.
    pub rules: Vec<WireRule<'a>>,
}

/// A rule on the wire.
#[derive(Debug, Serialize)]
pub struct WireRule<'a> {
    /// Rule id.
    pub id: &'a str,
    /// `marker`, `head`, `admission`, `adversative` or `frame`.
    pub role: &'static str,
    /// Points added or removed.
    pub weight: i32,
    /// `info`, `warning` or `error`.
    pub severity: &'static str,
    /// `apology` or `anywhere`.
    pub scope: &'static str,
    /// Why a finding of it is flagged.
    pub message: &'a str,
    /// What the apology's frame must be for the rule to apply, as lexicon text (e.g.
    /// `modality = hypothetical`); `None` when any frame will do.
    pub frame: Option<String>,
    /// The suggested rewrite (the default, for settings without their own).
    pub suggestion: Option<&'a str>,
    /// The suggested rewrite of each setting that has its own (`personal`, `support`,
    /// `public`).
    pub suggestion_by_setting: std::collections::BTreeMap<&'static str, &'a str>,
    /// The research it rests on.
    pub source: &'a str,
    /// Where it is defined (file and line).
    pub origin: &'a str,
    /// Texts it must flag.
    pub flag: &'a [String],
    /// Texts it must not flag.
    pub pass: &'a [String],
}

impl<'a> WireRule<'a> {
    fn new(r: &'a Rule) -> WireRule<'a> {
        WireRule {
            id: &r.id,
            role: r.role.id(),
            weight: r.weight,
            severity: r.severity.id(),
            scope: r.scope.id(),
            message: &r.message,
            frame: r.frame.map(|f| f.describe()),
            suggestion: r.suggestion.as_deref(),
            suggestion_by_setting: r.setting_suggestions().collect(),
            source: &r.source,
            origin: &r.origin,
            flag: &r.flag,
            pass: &r.pass,
        }
    }
}

/// A context gate on the wire.
#[derive(Debug, Serialize)]
pub struct WireGate<'a> {
    /// Gate id.
    pub id: &'a str,
    /// `phatic`, `reclaim`, `extend`, `reporting` or `safety`.
    pub role: &'static str,
    /// What it does.
    pub description: &'a str,
    /// The research it rests on.
    pub source: &'a str,
    /// Where it is defined.
    pub origin: &'a str,
    /// Texts it must apply to.
    pub flag: &'a [String],
    /// Texts it must not apply to.
    pub pass: &'a [String],
}

impl<'a> WireGate<'a> {
    fn new(g: &'a Gate) -> WireGate<'a> {
        WireGate {
            id: &g.id,
            role: g.role.id(),
            description: &g.description,
            source: &g.source,
            origin: &g.origin,
            flag: &g.flag,
            pass: &g.pass,
        }
    }
}
