//! Where an apology is written: to a friend (personal), to a customer (support) or to an
//! audience (public). `--setting auto` tells it from cheap signals, read from
//! `lexicons/advice/settings.toml` in one automaton pass and one byte pass over the text.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

/// A setting: who the apology is written to, which chooses the advice that fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// To a friend, partner, family member or colleague.
    Personal,
    /// To a customer, by a company's agent.
    Support,
    /// A statement to an audience.
    Public,
}

impl Setting {
    /// Every setting, in the order of a rule's per-setting suggestions.
    pub const ALL: [Setting; 3] = [Setting::Personal, Setting::Support, Setting::Public];

    /// The id used on the command line, in config and lexicon files and on the wire.
    pub fn id(self) -> &'static str {
        match self {
            Setting::Personal => "personal",
            Setting::Support => "support",
            Setting::Public => "public",
        }
    }

    /// The position in [`Setting::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for Setting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Setting::ALL
            .into_iter()
            .find(|x| x.id() == s)
            .ok_or_else(|| format!("`{s}` is not a setting (personal, support or public)"))
    }
}

/// A setting, or `auto`: tell it from the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SettingChoice {
    /// Tell the setting from each text's signals.
    #[default]
    Auto,
    /// Use this setting for every text.
    Fixed(Setting),
}

impl SettingChoice {
    /// The id: `auto` or a setting's.
    pub fn id(self) -> &'static str {
        match self {
            SettingChoice::Auto => "auto",
            SettingChoice::Fixed(s) => s.id(),
        }
    }
}

impl std::str::FromStr for SettingChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "auto" => Ok(SettingChoice::Auto),
            other => other.parse().map(SettingChoice::Fixed).map_err(|_| {
                format!("`{other}` is not a setting (personal, support, public or auto)")
            }),
        }
    }
}

/// The setting an analysis used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingUse {
    /// The setting.
    pub setting: Setting,
    /// True when told from the text (`auto`), false when given.
    pub auto: bool,
    /// The signals that decided it (`auto` only): phrases as listed, or `@handle`,
    /// `order number`, `organisation "we"`, `long statement`.
    pub signals: Vec<String>,
}

/// Chooses the setting of a text; `lower` is its lower-cased normalized form and
/// `len` its length in bytes.
pub fn choose(choice: SettingChoice, lower: &str, len: usize) -> SettingUse {
    match choice {
        SettingChoice::Fixed(setting) => SettingUse {
            setting,
            auto: false,
            signals: Vec::new(),
        },
        SettingChoice::Auto => detect(signals(), lower, len),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalsSpec {
    settings: Vec<String>,
    threshold: u32,
    fallback: String,
    long_statement_bytes: usize,
    signal: Vec<SignalSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalSpec {
    setting: String,
    weight: u32,
    #[serde(default)]
    shape: Option<Shape>,
    #[serde(default)]
    phrases: Vec<String>,
}

/// A signal that is not a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Shape {
    Handle,
    OrderNumber,
    OrganisationWe,
    LongStatement,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Handle => "@handle",
            Shape::OrderNumber => "order number",
            Shape::OrganisationWe => "organisation \"we\"",
            Shape::LongStatement => "long statement",
        }
    }
}

/// The signal table, compiled.
struct Signals {
    /// Settings in tie-break order.
    order: Vec<Setting>,
    threshold: u32,
    fallback: Setting,
    long_statement_bytes: usize,
    /// `(setting, weight, shape)` of each shape signal.
    shapes: Vec<(Setting, u32, Shape)>,
    /// Every phrase, with its setting and weight.
    phrases: Vec<(Setting, u32, String)>,
    automaton: Option<AhoCorasick>,
}

const SIGNALS_TOML: &str = include_str!("../../lexicons/advice/settings.toml");

/// The built-in signal table, parsed on first use: only texts with an apology need it.
fn signals() -> &'static Signals {
    static SIGNALS: OnceLock<Signals> = OnceLock::new();
    super::builtin(&SIGNALS, "settings.toml", SIGNALS_TOML, compile)
}

fn compile(src: &str) -> Result<Signals, String> {
    let spec: SignalsSpec = toml::from_str(src).map_err(|e| e.to_string())?;
    let parse = |s: &str| s.parse::<Setting>();
    let mut shapes = Vec::new();
    let mut phrases = Vec::new();
    for s in spec.signal {
        let setting = parse(&s.setting)?;
        if let Some(shape) = s.shape {
            shapes.push((setting, s.weight, shape));
        }
        phrases.extend(s.phrases.into_iter().map(|p| (setting, s.weight, p)));
    }
    let automaton = AhoCorasick::new(phrases.iter().map(|p| &p.2)).ok();
    Ok(Signals {
        order: spec
            .settings
            .iter()
            .map(|s| parse(s))
            .collect::<Result<_, _>>()?,
        threshold: spec.threshold,
        fallback: parse(&spec.fallback)?,
        long_statement_bytes: spec.long_statement_bytes,
        shapes,
        phrases,
        automaton,
    })
}

/// What the byte pass counts.
#[derive(Debug, Default)]
struct Shapes {
    handle: bool,
    order_number: bool,
    we: usize,
    i: usize,
}

/// One pass over the words of `lower`: handles, order numbers, and first-person pronouns.
fn scan_shapes(lower: &str) -> Shapes {
    let mut s = Shapes::default();
    let bytes = lower.as_bytes();
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'\'';
    let mut i = 0;
    while i < bytes.len() {
        if !word_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && word_byte(bytes[i]) {
            i += 1;
        }
        let word = &bytes[start..i];
        let before = start.checked_sub(1).map(|p| bytes[p]);
        // An @ that starts a word (not the middle of an e-mail address) opens a handle.
        let at_word_start = start < 2 || !word_byte(bytes[start - 2]);
        match word {
            _ if before == Some(b'@') && at_word_start => s.handle = true,
            _ if word[0].is_ascii_digit() && before == Some(b'#') => s.order_number = true,
            _ if word.len() >= 5 && word.iter().all(u8::is_ascii_digit) => s.order_number = true,
            b"we" | b"our" | b"us" | b"we're" | b"we've" | b"we'll" => s.we += 1,
            b"i" | b"my" | b"me" | b"i'm" | b"i've" | b"i'll" | b"i'd" => s.i += 1,
            _ => {}
        }
    }
    s
}

fn detect(sig: &Signals, lower: &str, len: usize) -> SettingUse {
    let mut totals = [0u32; 3];
    let mut signals = Vec::new();
    let mut seen = vec![false; sig.phrases.len()];
    if let Some(ac) = &sig.automaton {
        for m in ac.find_iter(lower) {
            let k = m.pattern().as_usize();
            if seen[k] || !whole_words(lower, m.start(), m.end()) {
                continue;
            }
            seen[k] = true;
            let (setting, weight, phrase) = &sig.phrases[k];
            totals[setting.index()] += weight;
            signals.push(phrase.clone());
        }
    }
    let shapes = scan_shapes(lower);
    let organisation = shapes.we > shapes.i;
    for &(setting, weight, shape) in &sig.shapes {
        let found = match shape {
            Shape::Handle => shapes.handle,
            Shape::OrderNumber => shapes.order_number,
            Shape::OrganisationWe => organisation,
            Shape::LongStatement => organisation && len > sig.long_statement_bytes,
        };
        if found {
            totals[setting.index()] += weight;
            signals.push(shape.describe().to_string());
        }
    }
    let best = sig
        .order
        .iter()
        .copied()
        .filter(|s| totals[s.index()] >= sig.threshold)
        .max_by_key(|s| {
            (
                totals[s.index()],
                std::cmp::Reverse(position(&sig.order, *s)),
            )
        });
    let setting = best.unwrap_or(sig.fallback);
    // Only the signals of the chosen setting explain the choice.
    let keep: Vec<String> = signals
        .into_iter()
        .filter(|s| signal_setting(sig, s) == Some(setting))
        .collect();
    SettingUse {
        setting,
        auto: true,
        signals: keep,
    }
}

fn position(order: &[Setting], s: Setting) -> usize {
    order.iter().position(|x| *x == s).unwrap_or(order.len())
}

/// The setting a reported signal counted for.
fn signal_setting(sig: &Signals, signal: &str) -> Option<Setting> {
    let shape = sig.shapes.iter().find(|(_, _, sh)| sh.describe() == signal);
    let phrase = sig.phrases.iter().find(|(_, _, p)| p == signal);
    shape.map(|s| s.0).or(phrase.map(|p| p.0))
}

/// Whether `start..end` of `s` is bounded by non-word bytes on both sides.
fn whole_words(s: &str, start: usize, end: usize) -> bool {
    let b = s.as_bytes();
    let word = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let word_before = start.checked_sub(1).is_some_and(word);
    !word_before && !word(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(text: &str) -> Setting {
        let lower = text.to_lowercase();
        choose(SettingChoice::Auto, &lower, lower.len()).setting
    }

    #[test]
    fn the_built_in_table_compiles() {
        assert!(compile(SIGNALS_TOML).is_ok());
    }

    #[test]
    fn tells_settings_apart() {
        assert_eq!(
            auto("@sam We're sorry for the delay. Please DM us your order number."),
            Setting::Support
        );
        assert_eq!(
            auto("I'm sorry I forgot your birthday. I love you."),
            Setting::Personal
        );
        assert_eq!(auto("Sorry I was late."), Setting::Personal);
        let statement = format!(
            "To our community: we are sorry. {}",
            "We failed to protect the data we hold, and we will do better. ".repeat(12)
        );
        assert_eq!(auto(&statement), Setting::Public);
    }

    #[test]
    fn handles_and_order_numbers() {
        assert!(!scan_shapes("write to me at sam@example.com").handle);
        assert!(scan_shapes("@sam hi").handle);
        assert!(!scan_shapes("order 1234 of mine").order_number);
        assert!(scan_shapes("order #1234").order_number);
    }
}
