//! What an apology lacks: the ownership components with no counted finding, most important
//! first for the setting, each with one line on what to add. The lines are templates in
//! `lexicons/advice/missing.toml`; the first opens with the apology's own object ("You say
//! sorry for 'the delay'; ...") when the text has one.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::setting::Setting;
use crate::analysis::Analysis;
use crate::category::{Category, Kind};

/// One absent ownership component and what to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The component.
    pub category: Category,
    /// Its name in advice ("naming the act", "owning it").
    pub name: String,
    /// One line on what to add.
    pub advice: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MissingSpec {
    order: HashMap<String, Vec<Category>>,
    component: Vec<ComponentSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentSpec {
    category: Category,
    name: String,
    lead: String,
    personal: String,
    support: String,
    public: String,
}

impl ComponentSpec {
    fn advice(&self, setting: Setting) -> &str {
        match setting {
            Setting::Personal => &self.personal,
            Setting::Support => &self.support,
            Setting::Public => &self.public,
        }
    }
}

/// The placeholder of a `lead` for the apology's object.
const OBJECT: &str = "{object}";

const MISSING_TOML: &str = include_str!("../../lexicons/advice/missing.toml");

fn table() -> &'static MissingSpec {
    static TABLE: OnceLock<MissingSpec> = OnceLock::new();
    super::builtin(&TABLE, "missing.toml", MISSING_TOML, compile)
}

fn compile(src: &str) -> Result<MissingSpec, String> {
    let spec: MissingSpec = toml::from_str(src).map_err(|e| e.to_string())?;
    for s in Setting::ALL {
        let order = spec
            .order
            .get(s.id())
            .ok_or_else(|| format!("[order] has no `{}`", s.id()))?;
        if let Some(c) = order
            .iter()
            .find(|c| !spec.component.iter().any(|x| x.category == **c))
        {
            return Err(format!(
                "[order] {} names `{c}`, which has no [[component]]",
                s.id()
            ));
        }
    }
    match spec
        .component
        .iter()
        .find(|c| c.category.kind() != Kind::Ownership)
    {
        Some(c) => Err(format!("`{}` is not an ownership component", c.category)),
        None => Ok(spec),
    }
}

/// The components `a` lacks, in the setting's order, with what to add.
pub fn missing(a: &Analysis, text: &str, setting: Setting) -> Vec<Missing> {
    let spec = table();
    let have: Vec<Category> = a
        .counted()
        .filter(|f| f.kind == Kind::Ownership)
        .map(|f| f.category)
        .collect();
    let order = spec.order.get(setting.id()).map_or(&[][..], Vec::as_slice);
    let mut object = apology_object(a, text);
    let mut out = Vec::new();
    for c in order.iter().filter(|c| !have.contains(c)) {
        let Some(comp) = spec.component.iter().find(|x| x.category == *c) else {
            continue;
        };
        let advice = comp.advice(setting);
        // The object opens the first line only: once is enough to show it was read.
        let line = match object.take() {
            Some(obj) => format!("{}; {advice}", comp.lead.replace(OBJECT, &obj)),
            None => capitalize(advice),
        };
        out.push(Missing {
            category: *c,
            name: comp.name.clone(),
            advice: line,
        });
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words that end an apology's object: what follows them is a new clause.
const OBJECT_ENDS: &[&str] = &[
    "this", "which", "but", "because", "since", "as", "if", "though", "although", "that",
];

/// The most words of an object quoted.
const OBJECT_MAX_WORDS: usize = 8;

/// What the first counted apology is for, with its preposition, quoted from the text: "sorry
/// for the delay" gives `for 'the delay'`, "sorry if I upset you" `if 'I upset you'`. `None`
/// when no `for`, `about`, `over` or `if` follows the apology.
fn apology_object(a: &Analysis, text: &str) -> Option<String> {
    let head = a.counted().find(|f| f.category == Category::Regret)?;
    let head_text = text.get(head.start..head.end)?;
    let after = text.get(head.end..)?;
    let clause_end = after
        .find(['.', ',', ';', ':', '!', '?', '\n'])
        .unwrap_or(after.len());
    let mut words = after[..clause_end].split_whitespace().peekable();
    // The head may end in its preposition ("We apologize for"), or the object may follow it.
    let ends_in_preposition = head_text
        .split_whitespace()
        .last()
        .is_some_and(is_object_preposition);
    let preposition = match ends_in_preposition {
        true => head_text.split_whitespace().last(),
        false => words.next().filter(|w| is_object_preposition(w)),
    }?;
    let object: Vec<&str> = words
        .take_while(|w| !OBJECT_ENDS.contains(&w.to_ascii_lowercase().as_str()))
        .take(OBJECT_MAX_WORDS)
        .collect();
    if object.is_empty() {
        return None;
    }
    Some(format!(
        "{} '{}'",
        preposition.to_ascii_lowercase(),
        object.join(" ")
    ))
}

fn is_object_preposition(word: &str) -> bool {
    ["for", "about", "over", "if"]
        .iter()
        .any(|p| word.eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analyzer;

    fn missing_of(text: &str, setting: Setting) -> Vec<Missing> {
        let a = Analyzer::builtin().analyze(text);
        missing(&a, text, setting)
    }

    #[test]
    fn the_built_in_table_compiles() {
        assert!(compile(MISSING_TOML).is_ok());
    }

    #[test]
    fn the_first_line_quotes_the_object() {
        let m = missing_of("We apologize for the delay.", Setting::Support);
        assert!(!m.is_empty());
        assert!(
            m[0].advice.starts_with("You say sorry for 'the delay'; "),
            "{m:?}"
        );
        let m = missing_of("Sorry if my comment upset you.", Setting::Personal);
        assert!(
            m[0].advice
                .starts_with("You say sorry if 'my comment upset you'; "),
            "{m:?}"
        );
        assert!(!m[1].advice.contains("the delay"), "{m:?}");
    }

    #[test]
    fn a_full_apology_lacks_little() {
        let text = "I'm sorry I shared your address. It was wrong of me, it put you at risk, \
                    I've deleted the post, and I will never do it again.";
        let m = missing_of(text, Setting::Personal);
        assert!(m.len() <= 1, "{m:?}");
    }
}
