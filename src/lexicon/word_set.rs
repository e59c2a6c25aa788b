//! A word class as a set of spellings, for lookups by word or by a run of words.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::Lexicon;
use crate::matcher::WordHasher;

/// The segmenter and the context stage look words up in these sets for every match and
/// every word they read around one: a cheap hash for short strings, not the standard one.
type Set = HashSet<String, BuildHasherDefault<WordHasher>>;

/// One class as a set of spellings, for lookups by word or by a run of words.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    words: Set,
    /// The runs of words a longer spelling starts with ("to" and "to be" for "to be
    /// honest"): a run that starts none ends the search of [`WordSet::prefix_len`].
    stems: Set,
    /// The most words in one spelling ("to be honest" is three).
    longest: usize,
}

impl WordSet {
    /// The class `id` of a lexicon; empty when the lexicon has no such class.
    pub fn of(lex: &Lexicon, id: &str) -> WordSet {
        let words: Set = lex
            .class(id)
            .map(|c| c.words.iter().cloned().collect())
            .unwrap_or_default();
        let longest = words
            .iter()
            .map(|w| w.split(' ').count())
            .max()
            .unwrap_or(0);
        let mut stems = Set::default();
        for w in &words {
            stems.extend(w.match_indices(' ').map(|(i, _)| w[..i].to_string()));
        }
        WordSet {
            words,
            stems,
            longest,
        }
    }

    /// Whether one word (or a run of words joined by single spaces) is in the set.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Whether some spelling of the set is `word` or starts with it.
    pub fn may_start(&self, word: &str) -> bool {
        self.words.contains(word) || self.stems.contains(word)
    }

    /// How many of the words at the start of `tokens` make the longest spelling in the set.
    pub fn prefix_len(&self, tokens: &[&str]) -> Option<usize> {
        let (&first, _) = tokens.split_first()?;
        if self.longest == 0 {
            return None;
        }
        let mut found = self.words.contains(first).then_some(1);
        // Most lookups end here: no spelling of several words starts with the first word.
        if !self.stems.contains(first) {
            return found;
        }
        let mut joined = String::from(first);
        for (n, t) in tokens.iter().enumerate().take(self.longest).skip(1) {
            joined.push(' ');
            joined.push_str(t);
            if self.words.contains(&joined) {
                found = Some(n + 1);
            }
            if !self.stems.contains(&joined) {
                break;
            }
        }
        found
    }

    /// The spellings of the set.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `prefix_len` computed before it stopped at the first run that starts no
    /// spelling: every run of up to `longest` words joined and looked up.
    fn prefix_len_by_joining(set: &WordSet, tokens: &[&str]) -> Option<usize> {
        let mut joined = String::new();
        let mut found = None;
        for (n, t) in tokens.iter().take(set.longest).enumerate() {
            if n > 0 {
                joined.push(' ');
            }
            joined.push_str(t);
            if set.words.contains(&joined) {
                found = Some(n + 1);
            }
        }
        found
    }

    #[test]
    fn prefix_len_stops_early_with_the_same_answer() {
        let lex = Lexicon::builtin().expect("built-in lexicon");
        let mut spellings: Vec<String> = Vec::new();
        let mut sets = Vec::new();
        for class in lex.classes.iter() {
            let set = WordSet::of(&lex, &class.id);
            spellings.extend(set.words.iter().cloned());
            sets.push(set);
        }
        spellings.sort();
        for set in &sets {
            for (i, a) in spellings.iter().enumerate() {
                // Each spelling alone, followed by the next one, and cut short by a word.
                let b = &spellings[(i * 7 + 3) % spellings.len()];
                for text in [a.clone(), format!("{a} {b}"), format!("{a} x {b}")] {
                    let tokens: Vec<&str> = text.split(' ').collect();
                    for k in 0..=tokens.len() {
                        assert_eq!(
                            set.prefix_len(&tokens[k..]),
                            prefix_len_by_joining(set, &tokens[k..]),
                            "{text:?} from word {k}"
                        );
                    }
                }
            }
        }
    }
}
