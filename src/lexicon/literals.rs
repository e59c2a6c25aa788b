//! Required literals: for a regex, sets of strings such that every match contains a string
//! of each set.
//!
//! A regex cannot match a haystack that lacks every string of one of its sets, so a
//! substring check can answer for it without compiling or running it. "I'm sorry" reaches
//! a hundred regexes through their trigger words (`i `, `my `, `sorry`), and compiling them
//! would cost most of a CLI call; almost all of them also need a word that is absent.
//!
//! The build script computes the sets of the built-in lexicon (it includes this file), so
//! start-up parses no regex.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The most strings a set built exactly may hold: cross products grow fast.
const MAX_LITERALS: usize = 24;
/// The most strings a set may hold: a larger one costs more to check than it saves.
const MAX_SET: usize = 64;
/// The most sets kept for one regex, the most selective first.
const MAX_SETS: usize = 3;

/// Strings one of which occurs in every match.
type Set = Vec<Vec<u8>>;

/// What a part of a regex says about the strings it matches.
enum Lits {
    /// Every match is one of these strings.
    Exact(Set),
    /// Every match contains a string of each of these sets; none means nothing is known.
    Inner(Vec<Set>),
}

/// Sets of literals such that every match of `hir` contains one string of each set, the
/// most selective first; empty when no set is worth checking (every match could be empty,
/// or the sets would be too large).
pub fn required_literals(hir: &Hir) -> Vec<Set> {
    match walk(hir) {
        Lits::Exact(set) => normalize(vec![set]),
        Lits::Inner(sets) => normalize(sets),
    }
}

/// Drops sets that say nothing (one that holds the empty string is always satisfied) and
/// redundant strings, and keeps the most selective sets.
fn normalize(sets: Vec<Set>) -> Vec<Set> {
    let mut out: Vec<Set> = Vec::new();
    for mut set in sets {
        if set.is_empty() || set.iter().any(|l| l.is_empty()) {
            continue;
        }
        // A string that contains another adds nothing: wherever it occurs, so does the other.
        set.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        set.dedup();
        let mut minimal: Set = Vec::new();
        for lit in set {
            if !minimal.iter().any(|shorter| contains(&lit, shorter)) {
                minimal.push(lit);
            }
        }
        if !out.contains(&minimal) {
            out.push(minimal);
        }
    }
    out.sort_by_key(|set| std::cmp::Reverse(selectivity(set)));
    out.truncate(MAX_SETS);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// How unlikely a set is to be found in a sentence: its shortest string is long (spaces not
/// counted, so that `my ` does not beat `bad`), then it has few strings.
fn selectivity(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set
        .iter()
        .map(|l| l.iter().filter(|&&c| c != b' ').count())
        .min()
        .unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

fn walk(hir: &Hir) -> Lits {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Lits::Exact(vec![Vec::new()]),
        HirKind::Literal(lit) => Lits::Exact(vec![lit.0.to_vec()]),
        HirKind::Class(class) => class_literals(class).map_or(Lits::Inner(Vec::new()), Lits::Exact),
        HirKind::Capture(cap) => walk(&cap.sub),
        HirKind::Repetition(rep) => match (rep.min, rep.max, walk(&rep.sub)) {
            (1, Some(1), lits) => lits,
            (0, Some(1), Lits::Exact(mut set)) if set.len() < MAX_LITERALS => {
                set.push(Vec::new());
                Lits::Exact(set)
            }
            (0, _, _) => Lits::Inner(Vec::new()),
            (_, _, Lits::Exact(set)) => Lits::Inner(vec![set]),
            (_, _, inner) => inner,
        },
        HirKind::Alternation(branches) => alternation(branches),
        HirKind::Concat(parts) => concat(parts),
    }
}

/// A match of an alternation is a match of one branch, so it contains a string of the
/// union of one set of each branch.
fn alternation(branches: &[Hir]) -> Lits {
    let mut union = Vec::new();
    let mut exact = true;
    for branch in branches {
        match walk(branch) {
            Lits::Exact(set) => union.extend(set),
            Lits::Inner(sets) => {
                exact = false;
                match sets.into_iter().next() {
                    Some(best) => union.extend(best),
                    None => return Lits::Inner(Vec::new()),
                }
            }
        }
        // Bounds the work on a huge alternation before it is cut down below.
        if union.len() > 8 * MAX_SET {
            return Lits::Inner(Vec::new());
        }
    }
    if exact && union.len() <= MAX_LITERALS {
        return Lits::Exact(union);
    }
    // Too many strings to match exactly, but often few once those that contain another
    // are dropped (`\w+ed|said|missed|lied` needs `ed`, `said`).
    let sets = normalize(vec![union]);
    if sets.first().is_some_and(|set| set.len() <= MAX_SET) {
        Lits::Inner(sets)
    } else {
        Lits::Inner(Vec::new())
    }
}

/// A concatenation needs every part, so every part's sets hold for it. Runs of exact parts
/// join into their cross product while it stays small (`(did|made) it` needs `did it` or
/// `made it`), which makes longer, more selective strings.
fn concat(parts: &[Hir]) -> Lits {
    let mut sets: Vec<Set> = Vec::new();
    let mut run: Set = vec![Vec::new()];
    let mut exact = true;
    for part in parts {
        match walk(part) {
            Lits::Exact(set) if run.len() * set.len() <= MAX_LITERALS => {
                run = run
                    .iter()
                    .flat_map(|a| set.iter().map(move |b| [a.as_slice(), b].concat()))
                    .collect();
            }
            Lits::Exact(set) => {
                exact = false;
                sets.push(std::mem::replace(&mut run, set));
            }
            Lits::Inner(inner) => {
                exact = false;
                sets.push(std::mem::replace(&mut run, vec![Vec::new()]));
                sets.extend(inner);
            }
        }
    }
    if exact {
        return Lits::Exact(run);
    }
    sets.push(run);
    Lits::Inner(normalize(sets))
}

/// The strings a small class matches, each as its UTF-8 or raw bytes.
fn class_literals(class: &Class) -> Option<Set> {
    let mut out = Vec::new();
    match class {
        Class::Bytes(bytes) => {
            for range in bytes.iter() {
                if out.len() + usize::from(range.end() - range.start()) >= MAX_LITERALS {
                    return None;
                }
                out.extend((range.start()..=range.end()).map(|b| vec![b]));
            }
        }
        Class::Unicode(chars) => {
            for range in chars.iter() {
                let n = (range.end() as u32 - range.start() as u32) as usize;
                if out.len() + n >= MAX_LITERALS {
                    return None;
                }
                out.extend((range.start()..=range.end()).map(|c| c.to_string().into_bytes()));
            }
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}
