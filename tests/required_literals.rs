//! The required-literal check (`LazyRegex::may_match`) is a pure optimisation: a regex is
//! skipped only where it cannot match. These tests run the built-in lexicon with and without
//! the check over every text at hand (corpora, samples, every rule's and gate's examples) and
//! over generated texts, and compare.
//!
//! The check is made only while a regex warms up (a regex that has served enough searches
//! runs without it), so the analyzers are built afresh every few texts.

use std::sync::OnceLock;

use ownup::lexicon::LazyRegex;
use ownup::normalize::Normalized;
use ownup::{Analyzer, Lexicon};
use proptest::prelude::*;

/// Texts analyzed by one pair of analyzers, few enough that most regexes are still cold.
const TEXTS_PER_ANALYZER: usize = 10;

/// Analyzers with the check and without it.
struct Pair {
    with: Analyzer,
    without: Analyzer,
}

impl Pair {
    fn new() -> Pair {
        let lex = Lexicon::builtin().expect("built-in lexicon loads");
        let plain = lex.clone().without_required_literals();
        Pair {
            with: Analyzer::from_lexicon(lex),
            without: Analyzer::from_lexicon(plain),
        }
    }

    fn assert_same(&self, text: &str) {
        assert_eq!(
            self.with.analyze(text),
            self.without.analyze(text),
            "the required literals change the analysis of {text:?}"
        );
        assert_eq!(
            self.with.analyze_exhaustive(text),
            self.without.analyze_exhaustive(text),
            "the required literals change the full analysis of {text:?}"
        );
    }
}

fn texts() -> &'static Vec<String> {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut texts = Vec::new();
        let mut corpora: Vec<_> = std::fs::read_dir(format!("{root}/corpora"))
            .expect("corpora directory")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        corpora.sort();
        for path in corpora {
            let src = std::fs::read_to_string(&path).expect("corpus reads");
            // tests/eval.rs checks the corpora's form; any text will do here.
            for line in src.lines() {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                if let Some(t) = v["text"].as_str() {
                    texts.push(t.to_string());
                }
            }
        }
        for entry in std::fs::read_dir(format!("{root}/samples")).expect("samples directory") {
            let path = entry.expect("sample entry").path();
            if let Ok(t) = std::fs::read_to_string(&path) {
                texts.push(t);
            }
        }
        let lex = Lexicon::builtin().expect("built-in lexicon loads");
        for r in &lex.rules {
            texts.extend(r.flag.iter().chain(&r.pass).cloned());
        }
        for g in &lex.gates {
            texts.extend(g.flag.iter().chain(&g.pass).cloned());
        }
        assert!(
            texts.len() > 500,
            "too few texts to compare: {}",
            texts.len()
        );
        texts
    })
}

fn regexes(lex: &Lexicon) -> Vec<&LazyRegex> {
    let rules = lex
        .rules
        .iter()
        .flat_map(|r| r.regexes.iter().chain(&r.unless).chain(&r.except));
    let gates = lex
        .gates
        .iter()
        .flat_map(|g| g.regexes.iter().chain(&g.unless).chain(&g.when));
    rules.chain(gates).collect()
}

#[test]
fn skipping_regexes_never_changes_an_analysis() {
    for chunk in texts().chunks(TEXTS_PER_ANALYZER) {
        let pair = Pair::new();
        for text in chunk {
            pair.assert_same(text);
        }
    }
}

#[test]
fn a_regex_never_matches_where_its_literals_are_absent() {
    let pair = Pair::new();
    let checked = regexes(pair.with.lexicon());
    let plain = regexes(pair.without.lexicon());
    assert_eq!(checked.len(), plain.len());
    let mut skipped = 0usize;
    for text in texts() {
        let norm = Normalized::new(text);
        let lower = norm.lower.as_bytes();
        // Whole texts, and every suffix from a word start (the `except` haystacks start
        // mid-sentence).
        let starts = (0..lower.len()).filter(|&i| i == 0 || lower[i - 1] == b' ');
        for start in starts {
            let hay = &lower[start..];
            for (re, plain) in checked.iter().zip(&plain) {
                if re.has_required_literals(hay) {
                    continue;
                }
                skipped += 1;
                let matched = plain.get().is_some_and(|s| s.is_match(hay));
                assert!(
                    !matched,
                    "`{}` matches {:?}, which lacks its required literals",
                    re.pattern(),
                    String::from_utf8_lossy(hay)
                );
            }
        }
    }
    assert!(
        skipped > 0,
        "no regex was ever skipped: the check is not in use"
    );
}

/// Words of the lexicon's own examples, so that generated texts reach many rules.
fn vocabulary() -> &'static Vec<String> {
    static V: OnceLock<Vec<String>> = OnceLock::new();
    V.get_or_init(|| {
        let mut words: Vec<String> = texts()
            .iter()
            .flat_map(|t| t.split_whitespace().map(str::to_string))
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_texts_analyze_the_same(
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0..6usize), 1..40)
    ) {
        let words = vocabulary();
        let seps = [" ", " ", " ", ", ", ". ", "? "];
        let mut text = String::new();
        for (i, sep) in picks {
            text.push_str(&words[i.index(words.len())]);
            text.push_str(seps[sep]);
        }
        Pair::new().assert_same(&text);
    }

    #[test]
    fn arbitrary_texts_analyze_the_same(text in "\\PC{0,200}") {
        Pair::new().assert_same(&text);
    }
}
