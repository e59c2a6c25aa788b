//! Invariants of the analysis and of the batch reader, on generated input.
//!
//! - findings lie inside the text, on char boundaries, with start < end, sorted;
//! - the score is 0-100 exactly when the text is an apology, and the contributions add up
//!   to it;
//! - the wire report's line and column agree with the byte offsets;
//! - the shortcut of `Analyzer::analyze` gives what the full pipeline gives;
//! - the batch reader yields one result per non-blank line, in order.

use std::io::Cursor;
use std::sync::OnceLock;

use ownup::batch::{ChunkSize, Chunks, Fields, Input, InputFormat};
use ownup::report::WireReport;
use ownup::Analyzer;
use proptest::prelude::*;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::builtin)
}

fn check_invariants(text: &str) {
    let a = analyzer().analyze(text);
    let mut last = (0, 0);
    for f in &a.findings {
        assert!(f.start < f.end, "empty finding {f:?} in {text:?}");
        assert!(f.end <= text.len(), "finding past the end in {text:?}");
        assert!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "finding off a char boundary in {text:?}"
        );
        assert!(
            (f.start, f.end) >= last,
            "findings out of order in {text:?}"
        );
        last = (f.start, f.end);
    }
    for s in &a.safety {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    assert_eq!(
        a.score.is_some(),
        a.apology,
        "score without apology: {text:?}"
    );
    match a.score {
        Some(score) => {
            assert!(score <= 100);
            let total: i32 = a.contributions.iter().map(|c| c.points).sum();
            assert_eq!(total, i32::from(score), "contributions of {text:?}");
            assert!(a.contributions.iter().all(|c| c.finding < a.findings.len()));
        }
        None => assert!(a.contributions.is_empty()),
    }
    let wire = WireReport::new(&a, text);
    assert_eq!(wire.findings.len(), a.findings.len());
    for (w, f) in wire.findings.iter().zip(&a.findings) {
        let before = &text[..f.start];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(w.line, before.matches('\n').count() + 1, "line in {text:?}");
        assert_eq!(
            w.column,
            before[line_start..].chars().count() + 1,
            "column in {text:?}"
        );
        assert_eq!((w.start, w.end), (f.start, f.end));
    }
    assert_eq!(
        a,
        analyzer().analyze_exhaustive(text),
        "shortcut differs on {text:?}"
    );
}

/// Pieces people build apologies (and deflections, quotes, odd bytes) from.
const FRAGMENTS: &[&str] = &[
    // Conditions before and after an apology: openers, inversions, doubts.
    "If",
    "should",
    "have",
    "to whatever extent",
    "insofar as",
    "that's what happened",
    "apologies",
    // Accounts after an apology: subjects of every kind, past predicates, causes.
    "your",
    "your team",
    "the courier",
    "my phone",
    "died",
    "Dan",
    "there",
    "by",
    "because",
    "too",
    "sensitive",
    "lost",
    "late",
    "got",
    "had been",
    "sorry",
    "Sorry",
    "SORRY",
    "I'm",
    "I\u{2019}m",
    "im",
    "I",
    "i",
    "you",
    "You",
    "we",
    "but",
    "if",
    "not",
    "never",
    "my",
    "fault",
    "was",
    "wrong",
    "apologize",
    "feel",
    "that",
    "made",
    "me",
    "hurt",
    "will",
    "fix",
    "it",
    "again",
    "he",
    "said",
    "\"",
    "'",
    "\u{201C}",
    "\u{201D}",
    ",",
    ".",
    "!",
    "?",
    "...",
    "-",
    "\u{2014}",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\n\n",
    "\t",
    "\u{1F62D}",
    "\u{e9}",
    "\u{200B}",
    "\u{FEFF}",
    "\0",
    ">",
    "(",
    ")",
    "really",
    "deeply",
    "so",
    "excuse",
    "because",
    "happened",
    "mistakes",
    "were",
    "kill myself",
    "forgive me",
    "for",
    "loss",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|parts| {
        let mut s = String::new();
        for (i, p) in parts.iter().enumerate() {
            // Words mostly spaced, sometimes glued, as in real comments.
            if i > 0 && i % 3 != 0 {
                s.push(' ');
            }
            s.push_str(p);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invariants_on_arbitrary_strings(text in any::<String>()) {
        check_invariants(&text);
    }

    #[test]
    fn invariants_on_apology_fragments(text in fragments()) {
        check_invariants(&text);
    }

    #[test]
    fn records_out_equal_records_in(
        lines in prop::collection::vec(
            prop_oneof![
                Just(b"{\"id\":1,\"text\":\"I'm sorry\"}".to_vec()),
                Just(b"{\"text\":\"fine\"}".to_vec()),
                Just(b"{\"text\":5}".to_vec()),
                Just(b"[1,2]".to_vec()),
                Just(b"{bad json".to_vec()),
                Just(b"\xFF\xFE not utf-8".to_vec()),
                Just(b"{\"id\":\"x\"}".to_vec()),
                Just(b"{\"text\":\"nul \\u0000 byte\"}\r".to_vec()),
                Just(b"".to_vec()),
                Just(b"   ".to_vec()),
                prop::collection::vec(any::<u8>().prop_filter("one line", |b| *b != b'\n'), 0..40),
            ],
            0..60,
        ),
        chunk in 1usize..9,
        bom in any::<bool>(),
    ) {
        let mut data = Vec::new();
        if bom {
            data.extend_from_slice(b"\xEF\xBB\xBF");
        }
        for l in &lines {
            data.extend_from_slice(l);
            data.push(b'\n');
        }
        // The BOM belongs to the first line; a line is blank when only white space remains.
        let mut expected = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if !l.iter().all(u8::is_ascii_whitespace) {
                expected.push(i as u64 + 1);
            }
        }
        // Input that starts like gzip is read as gzip.
        prop_assume!(!data.starts_with(&[0x1f, 0x8b]));
        let fields = Fields::default();
        let input = Input::from_reader("t", InputFormat::Jsonl, Box::new(Cursor::new(data)));
        let size = ChunkSize { bytes: chunk * 16 };
        let mut seen = Vec::new();
        for c in Chunks::new(vec![input], fields.clone(), size) {
            let c = c.map_err(|e| TestCaseError::fail(e.to_string()))?;
            for record in c.records(&fields) {
                let line = match record {
                    Ok(r) => r.line,
                    Err(e) => {
                        let prefix = format!("line {}: ", e.line);
                        prop_assert!(e.message.starts_with(&prefix), "{}", e.message);
                        e.line
                    }
                };
                seen.push(line);
            }
        }
        prop_assert_eq!(seen, expected);
    }
}

/// Every text the project ships, through the shortcut and through every stage.
#[test]
fn shortcut_agrees_with_full_analysis_on_the_corpora() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let matcher = ownup::matcher::Matcher::new(analyzer().lexicon());
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpora/ is part of the crate") {
        let path = entry.expect("readable corpora/ entry").path();
        if path.extension().is_none_or(|e| e != "jsonl") {
            continue;
        }
        let src = std::fs::read_to_string(&path).expect("readable corpus");
        for line in src.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("corpus line is JSON");
            let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
                continue;
            };
            check_invariants(text);
            table_and_automaton_agree(&matcher, text);
            // Sentence by sentence too: short texts are where the shortcut applies.
            for part in text.split_inclusive(['.', '!', '?', '\n']) {
                check_invariants(part);
            }
            n += 1;
        }
    }
    assert!(n >= 300, "only {n} corpus texts");
}

/// The shortcut's regex check kicks in after a warm-up; run enough texts through one
/// analyzer that it does, and compare again.
#[test]
fn shortcut_agrees_after_warm_up() {
    let a = Analyzer::builtin();
    let texts = [
        "I was there when it got late.",
        "my dog was sick so we left",
        "I think the game was great",
        "it got led to the wrong place",
        "i really hurt my back",
        "We made mistakes and I own that.",
        "The mistakes were made by my team.",
        "i messed up my exam",
        "I want to kill myself",
        "thanks, that was helpful",
    ];
    for _ in 0..20 {
        for t in texts {
            assert_eq!(a.analyze(t), a.analyze_exhaustive(t), "{t:?}");
        }
    }
}

fn table_and_automaton_agree(matcher: &ownup::matcher::Matcher, text: &str) {
    let norm = ownup::normalize::Normalized::new(text);
    let (table, automaton) = matcher.scan_both(&norm);
    assert_eq!(table, automaton, "matches differ on {text:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Before its automaton is built the matcher looks phrases up by prefix; both must find
    /// exactly the same matches.
    #[test]
    fn prefix_table_finds_what_the_automaton_finds(
        a in any::<String>(),
        b in fragments(),
    ) {
        let m = ownup::matcher::Matcher::new(analyzer().lexicon());
        table_and_automaton_agree(&m, &a);
        table_and_automaton_agree(&m, &b);
    }
}

/// Found by the `analyze` fuzz target: a sentence over the length limit was cut at its only
/// space, inside the head "I'm sorry", and the context stage sliced past the cut.
#[test]
fn a_phrase_straddling_a_sentence_cut() {
    check_invariants(&format!("I'm sorry.{}", "\u{FFFD}".repeat(400)));
    for pad in 585..600 {
        let text = format!(
            "{} I'm sorry but you did it{}",
            "x".repeat(pad),
            "y".repeat(300)
        );
        check_invariants(&text);
        let text = format!("{}, I'm sorry but you did it", "word ".repeat(pad / 5));
        check_invariants(&text);
    }
}

/// Found by the `analyze` fuzz target: "and" after a squeezed adverb, then a non-ASCII char.
#[test]
fn and_after_an_adverb_before_a_multibyte_char() {
    check_invariants("we take this very seriously and\u{FFFD}\u{FFFD}d I genuinely can't");
}

/// The frame pass reads the words after each apology word through fixed-size windows; a
/// complement longer than a window once indexed past it ("Sorry to be the bearer of bad
/// tidings"). Every head, every word that opens a complement, and complements of every
/// length up to past the longest window.
#[test]
fn every_head_with_complements_of_every_length() {
    let heads = [
        "Sorry",
        "I'm sorry",
        "I apologize",
        "Apologies",
        "I regret",
        "Excuse me",
        "Pardon me",
        "Forgive me",
        "My bad",
        "I didn't mean",
        "We are deeply sorry",
    ];
    let openers = [
        "", "to", "for", "about", "bout", "that", "if", "on", "when", "me for",
    ];
    let words = [
        "be", "the", "bearer", "of", "bad", "news", "you", "hurt", "your", "feelings", "when", "I",
        "said", "it", "again", "twice", "so", "people", "were", "upset",
    ];
    for head in heads {
        for opener in openers {
            for n in 0..=words.len() {
                let text = format!("{head} {opener} {}.", words[..n].join(" "));
                check_invariants(&text);
            }
        }
    }
}
