//! Every match of a rule's or gate's regex must contain one of its triggers.
//!
//! A regex runs only in sentences where one of its triggers occurs, so a form the regex
//! matches but no trigger covers is silently never found: the take-down rule once had only
//! the triggers "took down" and "removed" for a regex that also read "taking down", and
//! "apologi" never met the noun "apology". This walks each regex's syntax tree and asks,
//! without caps, whether every string it matches contains a trigger.

use ownup::Analyzer;
use regex_syntax::hir::{Class, Hir, HirKind};

/// The most strings a part of a regex may stand for before it is read as open-ended.
const MAX_STRINGS: usize = 4096;

/// Every string `hir` matches, when they are few; zero-width assertions match "".
fn strings(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c.ranges().iter().map(|r| r.len()).sum();
            (n <= 8).then(|| {
                c.ranges()
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|b| vec![b])
                    .collect()
            })
        }
        // The engine's syntax has no Unicode classes; one would be read as open-ended.
        HirKind::Class(Class::Unicode(_)) => None,
        HirKind::Capture(cap) => strings(&cap.sub),
        HirKind::Repetition(rep) => {
            let max = rep.max?;
            let sub = strings(&rep.sub)?;
            let mut out = Vec::new();
            let mut level = vec![Vec::new()];
            for n in 0..=max {
                if n >= rep.min {
                    out.extend(level.iter().cloned());
                }
                level = product(&level, &sub)?;
            }
            (out.len() <= MAX_STRINGS).then_some(out)
        }
        HirKind::Alternation(branches) => {
            let mut out = Vec::new();
            for b in branches {
                out.extend(strings(b)?);
                if out.len() > MAX_STRINGS {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(vec![Vec::new()], |acc, p| product(&acc, &strings(p)?)),
    }
}

fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_STRINGS {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| [&x[..], &y[..]].concat()))
            .collect(),
    )
}

fn contains_any(s: &[u8], triggers: &[&[u8]]) -> bool {
    triggers.iter().any(|t| s.windows(t.len()).any(|w| w == *t))
}

/// Whether every match of `hir` contains one of `triggers`.
fn covered(hir: &Hir, triggers: &[&[u8]]) -> bool {
    if let Some(all) = strings(hir) {
        return all.iter().all(|s| contains_any(s, triggers));
    }
    match hir.kind() {
        HirKind::Capture(cap) => covered(&cap.sub, triggers),
        HirKind::Repetition(rep) => rep.min >= 1 && covered(&rep.sub, triggers),
        HirKind::Alternation(branches) => branches.iter().all(|b| covered(b, triggers)),
        // Every match of a concatenation holds a match of each part, and of each run of
        // parts: a trigger may span parts ("apologi" + "[sz]e").
        HirKind::Concat(parts) => (0..parts.len()).any(|i| {
            (i + 1..=parts.len()).any(|j| {
                let run = &parts[i..j];
                if j - i == 1 {
                    return covered(&run[0], triggers);
                }
                run.iter()
                    .try_fold(vec![Vec::new()], |acc, p| product(&acc, &strings(p)?))
                    .is_some_and(|all| all.iter().all(|s| contains_any(s, triggers)))
            })
        }),
        _ => false,
    }
}

fn parse(pattern: &str) -> Hir {
    // The engine's syntax (`LazyRegex`): bytes, no Unicode classes.
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

/// A small deterministic generator (xorshift), so a failure names the same witness each run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The bytes a class may stand for in a witness: those of ordinary lower-case text, so that
/// a witness reads like a sentence ("\w" gives a letter, "\W" a space or an apostrophe).
const TEXT_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz '";

/// Appends to `out` one random string `hir` can match, assertions left to the caller's
/// check with the real regex.
fn sample(hir: &Hir, rng: &mut Rng, out: &mut Vec<u8>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.extend_from_slice(&lit.0),
        HirKind::Class(Class::Bytes(c)) => {
            let ok: Vec<u8> = TEXT_BYTES
                .iter()
                .copied()
                .filter(|b| c.ranges().iter().any(|r| (r.start()..=r.end()).contains(b)))
                .collect();
            // A class of punctuation that holds the apostrophe ("\W" in "i\W?m") stands
            // for it: "i m" is no way anyone writes "I'm".
            let apostrophe = ok.contains(&b'\'') && !ok.iter().any(u8::is_ascii_alphabetic);
            match ok.is_empty() {
                _ if apostrophe => out.push(b'\''),
                false => out.push(ok[rng.below(ok.len())]),
                true => out.push(c.ranges().first().map_or(b'x', |r| r.start())),
            }
        }
        HirKind::Class(Class::Unicode(_)) => out.push(b'x'),
        HirKind::Capture(cap) => sample(&cap.sub, rng, out),
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(rep.min + 3).min(rep.min + 3);
            let n = rep.min as usize + rng.below((max - rep.min) as usize + 1);
            for _ in 0..n {
                sample(&rep.sub, rng, out);
            }
        }
        HirKind::Alternation(branches) => sample(&branches[rng.below(branches.len())], rng, out),
        HirKind::Concat(parts) => parts.iter().for_each(|p| sample(p, rng, out)),
    }
}

/// Tries this many random matches of a regex the structural check could not clear.
const SAMPLES: usize = 2000;

/// A string the regex matches that holds none of the triggers, if random sampling finds
/// one: the structural check alone is conservative (a trigger may be met by a part it
/// cannot follow), so only a witness fails the test.
fn witness(pattern: &str, triggers: &[&[u8]]) -> Option<String> {
    let hir = parse(pattern);
    if covered(&hir, triggers) {
        return None;
    }
    let re = regex::bytes::RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| panic!("{pattern}: {e}"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..SAMPLES).find_map(|_| {
        let mut s = Vec::new();
        sample(&hir, &mut rng, &mut s);
        let text = String::from_utf8_lossy(&s).trim().to_string();
        let english = !text.split(' ').any(unwritten_contraction);
        (english && re.is_match(text.as_bytes()) && !contains_any(text.as_bytes(), triggers))
            .then_some(text)
    })
}

/// Whether `word` is a contraction no one writes, which alternations like
/// "(i|we)( was|\W?m|\W?d been)+" also spell: "we'm", "im'd", "imd".
fn unwritten_contraction(word: &str) -> bool {
    let Some(rest) = word.strip_prefix("we").or_else(|| word.strip_prefix('i')) else {
        return false;
    };
    let rest = rest.strip_prefix('\'').unwrap_or(rest);
    fn after(s: &str) -> Option<&str> {
        ["m", "d", "ve", "ll", "re"]
            .iter()
            .find_map(|x| s.strip_prefix(x))
    }
    match after(rest) {
        Some(tail) => {
            (word.starts_with("we") && rest.starts_with('m'))
                || after(tail.strip_prefix('\'').unwrap_or(tail)).is_some()
        }
        None => false,
    }
}

#[test]
fn every_regex_match_holds_a_trigger() {
    let analyzer = Analyzer::builtin();
    let lex = analyzer.lexicon();
    let sources = lex
        .rules
        .iter()
        .map(|r| (r.id.to_string(), &r.regexes, &r.triggers))
        .chain(
            lex.gates
                .iter()
                .map(|g| (g.id.to_string(), &g.regexes, &g.triggers)),
        );
    let mut uncovered = Vec::new();
    for (id, regexes, triggers) in sources {
        let triggers: Vec<&[u8]> = triggers.iter().map(|t| t.as_bytes()).collect();
        for re in regexes {
            if let Some(text) = witness(re.pattern(), &triggers) {
                uncovered.push(format!("{id}: \"{text}\" matches `{}`", re.pattern()));
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "{} regexes match text that holds none of their triggers, so that text is never \
         tried; add a trigger the form holds:\n{}",
        uncovered.len(),
        uncovered.join("\n")
    );
}

#[test]
fn the_coverage_check_reads_what_it_should() {
    let t: &[&[u8]] = &[b"sorry", b"apolog"];
    assert!(covered(&parse(r"\b(i\W?m|we are) sorry\b"), t));
    assert!(covered(&parse(r"\bapologi[sz]e\b"), t));
    assert!(covered(&parse(r"\b(sorry|apolog\w+)( \w+)?"), t));
    assert!(!covered(&parse(r"\b(sorry|regret)\b"), t));
    assert!(!covered(&parse(r"\b(sorry)?\w+"), t));
    assert!(!covered(&parse(r"\bapolog"), &[b"apologi"]));
    assert_eq!(witness(r"\b(sorry|regret)\b", t).as_deref(), Some("regret"));
    assert_eq!(witness(r"\bi\W?m sorry\b", t), None);
    assert!(unwritten_contraction("im'd") && unwritten_contraction("we'm"));
    assert!(!unwritten_contraction("we'd") && !unwritten_contraction("ill"));
}

/// Triggers are found in the squeezed text, from which intensifiers after a subject or an
/// auxiliary are taken out ("it actually starts" reads "it starts"). A trigger that is such
/// a word must still send its regex to the sentence.
#[test]
fn a_trigger_the_squeeze_takes_out_still_triggers() {
    let dir = std::env::temp_dir().join(format!("ownup-squeezed-trigger-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("rule.toml");
    std::fs::write(
        &path,
        r#"[[rule]]
id = "repair.squeezed_trigger_probe"
category = "repair"
kind = "ownership"
scope = "anywhere"
regex = ['\bit actually starts\b']
triggers = ["actually"]
message = "probe"
source = "test"
"#,
    )
    .expect("write rule");
    let analyzer = ownup::Analyzer::builder()
        .lexicon_file(&path)
        .build()
        .expect("analyzer");
    let fired = |text: &str| {
        analyzer
            .analyze(text)
            .findings
            .iter()
            .any(|f| &*f.rule == "repair.squeezed_trigger_probe")
    };
    assert!(fired("Sorry, it actually starts at six."));
    assert!(!fired("Sorry, it starts at six."));
    let _ = std::fs::remove_dir_all(&dir);
}
