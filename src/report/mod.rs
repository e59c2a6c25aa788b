//! Stage 6: reports. The JSON wire form of an analysis (TAXONOMY §5), separate from the
//! core types so the schema can stay stable while the engine changes.
//!
//! Positions: `start`/`end` are UTF-8 byte offsets into the original text, `end` exclusive.
//! `line` and `column` are 1-based; a column counts Unicode scalar values (chars) from the
//! start of the line, so "é" and "😭" are one column each. Lines end at `\n` (a `\r` before
//! it belongs to the line it ends).

use serde::{Deserialize, Serialize};

use crate::analysis::Analysis;

pub mod human;
pub mod record;
pub mod rules;

/// The version of the JSON schema below; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON contract for one analyzed text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireReport {
    /// True when the writer apologizes in their own voice.
    pub apology: bool,
    /// Ownership 0-100, `null` without an apology.
    pub score: Option<u8>,
    /// Verdict band id.
    pub verdict: String,
    /// Findings sorted by position.
    pub findings: Vec<WireFinding>,
    /// The score breakdown; the points add up to `score`.
    pub contributions: Vec<WireContribution>,
    /// Safety notes (self-harm language), never scored.
    pub safety: Vec<WireSafety>,
    /// The setting the advice fits: `personal`, `support` or `public`; `null` without an
    /// apology.
    #[serde(default)]
    pub setting: Option<String>,
    /// What chose the setting: `auto` (told from the text) or `given` (an option or the
    /// config); `null` without an apology.
    #[serde(default)]
    pub setting_source: Option<String>,
    /// The signals that told the setting (`auto` only).
    #[serde(default)]
    pub setting_signals: Vec<String>,
    /// The ownership components the apology lacks, most important first for the setting.
    #[serde(default)]
    pub missing: Vec<WireMissing>,
    /// True when a safety note comes first: no rewrite advice is given, and the score is
    /// not a verdict on the text.
    #[serde(default)]
    pub care_first: bool,
}

/// An absent ownership component on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireMissing {
    /// The component's category id.
    pub category: String,
    /// Its name in advice ("naming the act").
    pub name: String,
    /// One line on what to add.
    pub advice: String,
}

/// One finding on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireFinding {
    /// `ownership` or `deflection`.
    pub kind: String,
    /// Category id.
    pub category: String,
    /// Rule id (also its configuration key).
    pub rule: String,
    /// `info`, `warning` or `error`.
    pub severity: String,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column (in chars) of the start.
    pub column: usize,
    /// The matched text, exactly as written.
    pub text: String,
    /// Why this was flagged.
    pub message: String,
    /// A suggested rewrite (deflections), else `null`.
    pub suggestion: Option<String>,
    /// True when in quoted or reported speech; such findings do not count.
    pub reported: bool,
}

/// One line of the score breakdown on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireContribution {
    /// `base`, a category id, `cap`, `floor` or `ceiling`.
    pub label: String,
    /// Signed points.
    pub points: i32,
    /// Index into `findings`.
    pub finding: usize,
    /// The rule of that finding.
    pub rule: String,
    /// Byte offset of that finding's start.
    pub start: usize,
    /// Byte offset of that finding's end.
    pub end: usize,
    /// Why.
    pub reason: String,
}

/// A safety note on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireSafety {
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in chars.
    pub column: usize,
    /// The matched text.
    pub text: String,
    /// What to tell the reader.
    pub message: String,
}

/// Line starts of a text, for turning byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    /// The text indexed.
    pub text: &'a str,
    starts: Vec<usize>,
    /// `(byte, chars before it)` every [`CHECKPOINT`] bytes, so a column on a very long line
    /// costs a bounded count, not a scan from the line start.
    marks: Vec<(usize, usize)>,
}

/// Bytes between char-count checkpoints.
const CHECKPOINT: usize = 1024;

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut marks = vec![(0, 0)];
        let mut next = CHECKPOINT;
        for (chars, (i, _)) in text.char_indices().enumerate() {
            if i >= next {
                marks.push((i, chars));
                next = i + CHECKPOINT;
            }
        }
        LineIndex {
            text,
            starts,
            marks,
        }
    }

    /// Chars before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let m = self.marks.partition_point(|&(b, _)| b <= offset);
        let (b, n) = self.marks[m.saturating_sub(1)];
        n + self
            .text
            .get(b..offset)
            .map_or(offset - b, |s| s.chars().count())
    }

    /// The byte range of the line holding `offset`, without its line end (`\n`, and the `\r`
    /// of a CRLF).
    pub fn line_span(&self, offset: usize) -> std::ops::Range<usize> {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let mut end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        if end > start && self.text.as_bytes()[end - 1] == b'\r' && end < self.text.len() {
            end -= 1;
        }
        start..end
    }

    /// 1-based `(line, column)` of a byte offset; the column counts chars.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = if self.text.is_char_boundary(offset) {
            self.chars_before(offset) - self.chars_before(start)
        } else {
            offset - start
        };
        (line, col + 1)
    }
}

impl WireReport {
    /// Builds the wire form of `analysis`, which must have been made from `text`.
    pub fn new(analysis: &Analysis, text: &str) -> WireReport {
        let lines = LineIndex::new(text);
        let slice = |s: usize, e: usize| text.get(s..e).unwrap_or_default().to_string();
        let findings = analysis
            .findings
            .iter()
            .map(|f| {
                let (line, column) = lines.line_col(f.start);
                WireFinding {
                    kind: f.kind.id().to_string(),
                    category: f.category.id().to_string(),
                    rule: f.rule.to_string(),
                    severity: f.severity.id().to_string(),
                    start: f.start,
                    end: f.end,
                    line,
                    column,
                    text: slice(f.start, f.end),
                    message: f.message.to_string(),
                    suggestion: f.suggestion.as_ref().map(|s| s.to_string()),
                    reported: f.reported,
                }
            })
            .collect();
        let contributions = analysis
            .contributions
            .iter()
            .map(|c| {
                let f = analysis.findings.get(c.finding);
                WireContribution {
                    label: c.label.to_string(),
                    points: c.points,
                    finding: c.finding,
                    rule: f.map(|f| f.rule.to_string()).unwrap_or_default(),
                    start: f.map_or(0, |f| f.start),
                    end: f.map_or(0, |f| f.end),
                    reason: c.reason.clone(),
                }
            })
            .collect();
        let safety = analysis
            .safety
            .iter()
            .map(|s| {
                let (line, column) = lines.line_col(s.start);
                WireSafety {
                    start: s.start,
                    end: s.end,
                    line,
                    column,
                    text: slice(s.start, s.end),
                    message: s.message.to_string(),
                }
            })
            .collect();
        let setting = analysis.setting.as_ref();
        let missing = analysis
            .missing
            .iter()
            .map(|m| WireMissing {
                category: m.category.id().to_string(),
                name: m.name.clone(),
                advice: m.advice.clone(),
            })
            .collect();
        WireReport {
            apology: analysis.apology,
            score: analysis.score,
            verdict: analysis.verdict().id().to_string(),
            findings,
            contributions,
            safety,
            setting: setting.map(|s| s.setting.id().to_string()),
            setting_source: setting.map(|s| if s.auto { "auto" } else { "given" }.to_string()),
            setting_signals: setting.map(|s| s.signals.clone()).unwrap_or_default(),
            missing,
            care_first: analysis.care_first(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_on_a_long_line_count_chars() {
        let text = format!("{}é{}x", "a".repeat(3000), "b".repeat(2000));
        let idx = super::LineIndex::new(&text);
        let x = text.len() - 1;
        assert_eq!(idx.line_col(x), (1, 5002));
        let after = format!("{text}\nzz");
        let idx = super::LineIndex::new(&after);
        assert_eq!(idx.line_col(after.len() - 1), (2, 2));
    }

    use super::*;

    #[test]
    fn columns_count_chars_and_crlf_lines() {
        let t = "a\u{1F62D}b\r\nsorry";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(5), (1, 3));
        assert_eq!(idx.line_col(t.find("sorry").unwrap_or(0)), (2, 1));
    }
}
