//! Word classes: named, shared lists of words that rules and the context stage refer to.
//!
//! A class ("first_person", "feeling_word", "negator") is declared once, in a lexicon file, as
//! a `[[class]]` entry with its words and its own `flag`/`pass` examples. Rules name it as
//! `<class_id>` inside phrases and regexes, and the context stage reads it by id, so adding a
//! word to a class widens every rule and every context check that uses it. A user lexicon
//! that declares a class with an existing id adds its words to it (or, with
//! `replace = true`, replaces them).
//!
//! This file is also included by the build script, which expands the built-in rules with the
//! built-in classes.

use std::collections::BTreeSet;
use std::sync::Arc;

/// One word class.
#[derive(Debug, Clone)]
pub struct WordClass {
    /// The class id, as rules name it (`<id>`).
    pub id: Arc<str>,
    /// What the class holds.
    pub description: String,
    /// Every spelling: the entries with `{a|b}` groups and contractions expanded, lower
    /// case, sorted and without duplicates. An entry of several words stays one spelling.
    pub words: Vec<String>,
    /// Spellings the class must hold (run by the tests).
    pub flag: Vec<String>,
    /// Spellings it must not hold.
    pub pass: Vec<String>,
    /// Where it was defined, as `file:line`.
    pub origin: String,
}

impl WordClass {
    /// Whether `word` (lower case, one token or several separated by single spaces) is one
    /// of the class's spellings.
    pub fn contains(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|w| w.as_str().cmp(word))
            .is_ok()
    }

    /// Adds spellings, keeping the list sorted and unique.
    pub fn extend(&mut self, words: &[String]) {
        let mut all: BTreeSet<String> = self.words.drain(..).collect();
        all.extend(words.iter().cloned());
        self.words = all.into_iter().collect();
    }

    /// The class as a regex group: `(?:w1|w2|...)`, longest spelling first so that the
    /// leftmost-first engine prefers "i am" to "i".
    pub fn regex_group(&self) -> String {
        let mut words: Vec<&String> = self.words.iter().collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alts: Vec<String> = words.iter().map(|w| regex_syntax::escape(w)).collect();
        format!("(?:{})", alts.join("|"))
    }

    /// The class as a phrase group: `{w1|w2|...}`.
    pub fn phrase_group(&self) -> String {
        format!("{{{}}}", self.words.join("|"))
    }
}

/// The classes of a lexicon, in load order.
#[derive(Debug, Clone, Default)]
pub struct Classes {
    list: Vec<WordClass>,
}

impl Classes {
    /// The class with this id.
    pub fn get(&self, id: &str) -> Option<&WordClass> {
        self.list.iter().find(|c| &*c.id == id)
    }

    /// Every class, in load order.
    pub fn iter(&self) -> impl Iterator<Item = &WordClass> {
        self.list.iter()
    }

    /// Adds a class; one with an existing id adds its words to it, or replaces it when
    /// `replace` is set. Returns whether an existing class changed.
    pub fn merge(&mut self, class: WordClass, replace: bool) -> bool {
        match self.list.iter_mut().find(|c| c.id == class.id) {
            Some(slot) if replace => {
                *slot = class;
                true
            }
            Some(slot) => {
                let before = slot.words.len();
                slot.extend(&class.words);
                slot.flag.extend(class.flag);
                slot.pass.extend(class.pass);
                slot.words.len() != before
            }
            None => {
                self.list.push(class);
                false
            }
        }
    }
}

/// Whether byte `i` of `pattern` opens a class reference `<id>` rather than the name of a
/// capture group (`(?P<name>` or `(?<name>`).
fn opens_reference(pattern: &str, i: usize) -> bool {
    let before = &pattern[..i];
    !(before.ends_with("(?P") || before.ends_with("(?"))
}

/// The ids of the classes a pattern refers to, with their byte ranges (`<` to `>`).
pub fn references(pattern: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while let Some(off) = pattern[i..].find('<') {
        let open = i + off;
        let name_end = pattern[open + 1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .map_or(pattern.len(), |e| open + 1 + e);
        let named = name_end > open + 1
            && bytes.get(name_end) == Some(&b'>')
            && bytes[open + 1].is_ascii_lowercase();
        if named && opens_reference(pattern, open) {
            out.push((open..name_end + 1, &pattern[open + 1..name_end]));
            i = name_end + 1;
        } else {
            i = open + 1;
        }
    }
    out
}

/// Replaces every `<id>` in `pattern` with what `group` makes of the class.
pub fn substitute(
    pattern: &str,
    classes: &Classes,
    group: impl Fn(&WordClass) -> String,
) -> Result<String, String> {
    let refs = references(pattern);
    if refs.is_empty() {
        return Ok(pattern.to_string());
    }
    let mut out = String::with_capacity(pattern.len() * 4);
    let mut last = 0;
    for (range, id) in refs {
        let class = classes
            .get(id)
            .ok_or_else(|| format!("unknown word class `<{id}>` in `{pattern}`"))?;
        out.push_str(&pattern[last..range.start]);
        out.push_str(&group(class));
        last = range.end;
    }
    out.push_str(&pattern[last..]);
    Ok(out)
}

/// Whether a pattern refers to any of these class ids.
pub fn refers_to(pattern: &str, ids: &[Arc<str>]) -> bool {
    references(pattern)
        .iter()
        .any(|(_, id)| ids.iter().any(|c| &**c == *id))
}
