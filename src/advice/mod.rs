//! Stage 6, between the score and the report: advice. After the score, makes what the report tells the writer to change: the
//! setting the apology is written in ([`setting`]), each finding's message and suggestion
//! with the words it matched and the setting's template, and the ownership components the
//! apology lacks ([`missing`]).
//!
//! Nothing here changes a finding's span, category or points, so the score is the same for
//! every setting. The templates are data (`lexicons/advice/*.toml` and each rule's
//! `suggestion`), not code.

pub mod missing;
pub mod setting;

use std::sync::Arc;

use crate::analysis::{Analysis, Finding};
use crate::lexicon::{Lexicon, Rule};
use crate::normalize::Normalized;

pub use missing::Missing;
pub use setting::{Setting, SettingChoice, SettingUse};

/// The placeholder of a message or suggestion for the words the finding matched.
pub const MATCHED: &str = "{matched}";

/// Matched words longer than this are cut (with `…`) where a template quotes them.
const QUOTE_MAX_CHARS: usize = 60;

/// Adds the advice to an analysis made from `norm`: the setting, each finding's message and
/// suggestion filled in, and what is missing. An analysis with a safety note gets no rewrite
/// advice at all: care comes before critique.
pub fn advise(lexicon: &Lexicon, choice: SettingChoice, norm: &Normalized<'_>, a: &mut Analysis) {
    if !a.apology {
        return;
    }
    let used = setting::choose(choice, &norm.lower, norm.original().len());
    let text = norm.original();
    let care_first = !a.safety.is_empty();
    for f in &mut a.findings {
        fill_finding(lexicon, used.setting, text, care_first, f);
    }
    if !care_first {
        a.missing = missing::missing(a, text, used.setting);
    }
    a.setting = Some(used);
}

/// Sets a finding's message and suggestion for `setting`, quoting what it matched.
fn fill_finding(
    lexicon: &Lexicon,
    setting: Setting,
    text: &str,
    care_first: bool,
    f: &mut Finding,
) {
    let Some(rule) = lexicon.rules.get(f.rule_index) else {
        return;
    };
    let matched = || {
        quote_words(matched_words(
            rule,
            text.get(f.start..f.end).unwrap_or_default(),
        ))
    };
    // A message that does not quote the text itself is led by the words it is about, so
    // that no message speaks of words the draft does not contain.
    f.message = match rule.message.contains(MATCHED) {
        true => rule.message.replace(MATCHED, &matched()).into(),
        false => format!("'{}': {}", matched(), rule.message).into(),
    };
    if care_first {
        f.suggestion = None;
        return;
    }
    let template = rule.suggestion_by_setting[setting.index()]
        .as_ref()
        .or(rule.suggestion.as_ref());
    f.suggestion = template.map(|t| match t.contains(MATCHED) {
        true => Arc::from(t.replace(MATCHED, &matched())),
        false => Arc::from(format!("Instead of '{}': {t}", matched())),
    });
}

/// The words a finding matched: for a phrase rule, the longest of its phrases inside the
/// finding's span (the context stage may widen a span to its clause); else the span.
fn matched_words<'t>(rule: &Rule, span: &'t str) -> &'t str {
    let lower = span.to_ascii_lowercase();
    let best = rule
        .expanded
        .iter()
        .filter_map(|p| Some((lower.find(p.as_str())?, p.len())))
        .max_by_key(|&(at, len)| (len, std::cmp::Reverse(at)));
    match best {
        Some((at, len)) => span.get(at..at + len).unwrap_or(span),
        None => span,
    }
}

/// A built-in advice table, compiled on first use: only texts with an apology need one. The
/// tables are part of the crate and checked by its tests, so one that fails to compile is a
/// bug in ownup, not an input error.
fn builtin<T>(
    cell: &'static std::sync::OnceLock<T>,
    file: &str,
    src: &str,
    compile: fn(&str) -> Result<T, String>,
) -> &'static T {
    cell.get_or_init(|| match compile(src) {
        Ok(t) => t,
        Err(e) => panic!("ownup's built-in lexicons/advice/{file} is invalid: {e}"),
    })
}

/// Words from the text as a template quotes them: white space collapsed, cut when long.
pub fn quote_words(words: &str) -> String {
    let mut out = String::with_capacity(words.len().min(QUOTE_MAX_CHARS * 4));
    for (n, w) in words.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(w);
        if out.chars().count() > QUOTE_MAX_CHARS {
            let cut: String = out.chars().take(QUOTE_MAX_CHARS).collect();
            return format!("{}…", cut.trim_end());
        }
    }
    out
}
