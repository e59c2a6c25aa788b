//! The human-readable report: a pure function from an [`Analysis`] and its text to text.
//!
//! ```text
//! + 1:1  regret  regret.sorry  The writer apologizes.
//!    | I'm sorry I yelled, but you provoked me.
//!    | ^^^^^^^^^
//! score 25/100 (weak)
//!   breakdown: base +25, regret +10, but_undoing -15, blame_shift -18, floor +3
//! setting: personal (auto)
//! suggestions:
//!   1. [blame_shift] Own your part without assigning theirs.
//! missing, most important first:
//!   - owning it: Say it was your doing, with no one else in the sentence.
//! ```
//!
//! One line per finding (`MARK LINE:COL  category  rule  message`, line and column 1-based,
//! the column in chars as in the JSON report), then the line of the text it sits on with the
//! span marked: underlined with `^` without colour, in bold colour with it. The mark reads
//! without colour: `+` an ownership component, `-` a deflection, `~` quoted or reported
//! speech, which does not count (also dimmed in colour). Then the score and verdict, the
//! score breakdown with points summed per label, the setting the advice fits, the top
//! suggestions of the counted deflections (the ones that cost the most points first) and the
//! ownership components that are missing. Without an apology, the report says what makes a
//! text one. With a safety note (self-harm language), the report is the note alone: no
//! findings, no score, no advice.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use crate::analysis::{Analysis, Finding, Label, Severity};
use crate::category::Kind;
use crate::report::LineIndex;

/// How to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HumanOptions {
    /// Use ANSI colours and bold (for a terminal).
    pub color: bool,
    /// How many suggestions to show at most.
    pub suggestions: usize,
    /// The widest excerpt of a line to show, in terminal columns; longer lines are cut
    /// around the span and marked with `…`.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            suggestions: 3,
            width: 100,
        }
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const MAGENTA: &str = "\x1b[35m";

struct Painter {
    on: bool,
}

impl Painter {
    fn paint(&self, out: &mut String, style: &str, s: &str) {
        if self.on && !style.is_empty() {
            out.push_str(style);
            out.push_str(s);
            out.push_str(RESET);
        } else {
            out.push_str(s);
        }
    }
}

fn finding_color(f: &Finding) -> &'static str {
    match (f.kind, f.severity) {
        (Kind::Ownership, _) => GREEN,
        (Kind::Deflection, Severity::Error) => RED,
        (Kind::Deflection, Severity::Warning) => YELLOW,
        (Kind::Deflection, Severity::Info) => CYAN,
    }
}

/// Renders the report of `analysis`, which must have been made from `text`.
pub fn render(analysis: &Analysis, text: &str, opts: &HumanOptions) -> String {
    let mut out = String::new();
    // Into a string, nothing fails.
    let _ = render_into(analysis, text, opts, &mut out, &mut |_| Ok(()));
    out
}

/// Writes the report of `analysis` to `w` as it is made, so that the report on a long text
/// (several times the text's size) is never held whole.
pub fn write(
    analysis: &Analysis,
    text: &str,
    opts: &HumanOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = String::new();
    render_into(analysis, text, opts, &mut out, &mut |out| {
        w.write_all(out.as_bytes())?;
        out.clear();
        Ok(())
    })?;
    w.write_all(out.as_bytes())
}

/// How much of a report is made before it is handed on.
const PIECE: usize = 64 << 10;

/// Renders into `out`, handing it to `flush` (which empties it) between findings once it is
/// large.
fn render_into(
    analysis: &Analysis,
    text: &str,
    opts: &HumanOptions,
    out: &mut String,
    flush: &mut dyn FnMut(&mut String) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let p = Painter { on: opts.color };
    let lines = LineIndex::new(text);
    if analysis.care_first() {
        safety_notes(out, &p, &lines, analysis, opts.width);
        p.paint(out, &format!("{BOLD}{MAGENTA}"), "care first:");
        out.push(' ');
        out.push_str(CARE_FIRST);
        out.push('\n');
        return Ok(());
    }

    for f in &analysis.findings {
        if out.len() >= PIECE {
            flush(out)?;
        }
        let (line, col) = lines.line_col(f.start);
        let color = finding_color(f);
        let head = format!("{line}:{col}");
        if f.reported {
            let mut s = format!("~ {head}  {}  {}  {}", f.category, f.rule, f.message);
            s.push_str("  (reported)");
            p.paint(out, DIM, &s);
        } else {
            out.push_str(match f.kind {
                Kind::Ownership => "+ ",
                Kind::Deflection => "- ",
            });
            p.paint(out, BOLD, &head);
            out.push_str("  ");
            p.paint(out, color, f.category.id());
            out.push_str("  ");
            out.push_str(&f.rule);
            out.push_str("  ");
            out.push_str(&f.message);
        }
        out.push('\n');
        let span = Span {
            text,
            start: f.start,
            end: f.end,
            width: opts.width,
        };
        excerpt(out, &p, &lines, span, if f.reported { DIM } else { color });
    }

    safety_notes(out, &p, &lines, analysis, opts.width);

    match analysis.score {
        Some(score) => {
            let verdict = analysis.verdict();
            let style = match score {
                0..=24 => RED,
                25..=49 => YELLOW,
                _ => GREEN,
            };
            p.paint(
                out,
                &format!("{BOLD}{style}"),
                &format!("score {score}/100 ({})", verdict.id()),
            );
            out.push('\n');
            let breakdown = breakdown(analysis);
            if !breakdown.is_empty() {
                let _ = writeln!(out, "  breakdown: {breakdown}");
            }
        }
        None => {
            p.paint(out, BOLD, "no apology found");
            out.push('\n');
            out.push_str(WHAT_IS_AN_APOLOGY);
            return Ok(());
        }
    }
    if let Some(used) = &analysis.setting {
        let _ = write!(out, "setting: {}", used.setting.id());
        match used.auto {
            true if used.signals.is_empty() => out.push_str(" (auto: no signal of another)"),
            true => {
                let _ = write!(out, " (auto: {})", used.signals.join(", "));
            }
            false => out.push_str(" (given)"),
        }
        out.push('\n');
    }

    let suggestions = suggestions(analysis, opts.suggestions);
    if !suggestions.is_empty() {
        out.push_str("suggestions:\n");
        for (i, (f, s)) in suggestions.iter().enumerate() {
            let _ = write!(out, "  {}. ", i + 1);
            p.paint(out, finding_color(f), &format!("[{}]", f.category));
            out.push(' ');
            out.push_str(s);
            out.push('\n');
        }
    }
    if !analysis.missing.is_empty() {
        out.push_str("missing, most important first:\n");
        for m in &analysis.missing {
            let _ = writeln!(out, "  - {}: {}", m.name, m.advice);
        }
    }
    Ok(())
}

/// What the report says instead of a score when the writer does not apologize.
const WHAT_IS_AN_APOLOGY: &str = "  \
A text is an apology when the writer, in their own voice, says sorry or apologizes for
  something (\"I'm sorry I...\", \"I apologize for...\") or admits fault (\"I was wrong\",
  \"that's on me\"). Sympathy (\"sorry for your loss\"), softeners (\"sorry to bother you\"),
  refusals (\"sorry, we can't\") and someone else's apology (\"he said sorry\") are not.
";

/// What the report says, after the safety note, instead of a score and advice.
const CARE_FIRST: &str =
    "this text speaks of self-harm, which matters more than how an apology is worded.
  ownup gives no rewrite advice and no score on it. If you or the writer may be in danger,
  reach out now to someone you trust or a local crisis line.";

/// The safety notes, each with the line it sits on.
fn safety_notes(
    out: &mut String,
    p: &Painter,
    lines: &LineIndex<'_>,
    analysis: &Analysis,
    width: usize,
) {
    for s in &analysis.safety {
        let (line, col) = lines.line_col(s.start);
        p.paint(
            out,
            &format!("{BOLD}{MAGENTA}"),
            &format!("! {line}:{col}  note"),
        );
        out.push_str("  ");
        out.push_str(s.message);
        out.push('\n');
        let span = Span {
            text: lines.text,
            start: s.start,
            end: s.end,
            width,
        };
        excerpt(out, p, lines, span, MAGENTA);
    }
}

/// The score breakdown in one line: points summed per label, in order of first appearance.
pub fn breakdown(analysis: &Analysis) -> String {
    let mut parts: Vec<(Label, i32)> = Vec::new();
    for c in &analysis.contributions {
        match parts.iter_mut().find(|(l, _)| *l == c.label) {
            Some((_, p)) => *p += c.points,
            None => parts.push((c.label, c.points)),
        }
    }
    parts
        .iter()
        .map(|(l, p)| format!("{l} {p:+}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The suggestions of counted deflections, the costliest first (points lost, then severity,
/// then position), without repeats, at most `n`.
pub fn suggestions(analysis: &Analysis, n: usize) -> Vec<(&Finding, &str)> {
    // Points lost per finding, in one pass: a pass per finding is quadratic in long texts.
    let mut costs = vec![0i32; analysis.findings.len()];
    for c in analysis.contributions.iter().filter(|c| c.points < 0) {
        if let Some(cost) = costs.get_mut(c.finding) {
            *cost -= c.points;
        }
    }
    let mut cands: Vec<(i32, usize, &Finding, &str)> = analysis
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.reported && f.kind == Kind::Deflection)
        .filter_map(|(i, f)| Some((costs[i], i, f, f.suggestion.as_deref()?)))
        .collect();
    cands.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.2.severity.cmp(&a.2.severity))
            .then(a.1.cmp(&b.1))
    });
    let mut out: Vec<(&Finding, &str)> = Vec::new();
    for (_, _, f, s) in cands {
        if out.len() >= n {
            break;
        }
        if !out.iter().any(|(_, t)| *t == s) {
            out.push((f, s));
        }
    }
    out
}

/// Writes the line holding `start..end` (cut to `width` columns around the span), then the
/// span marked: with `^` under it, or in bold colour when painting.
///
/// Only the chars that can be shown are looked at, at most about `width` on each side of the
/// span's start, so a report on one long line costs the same per finding whatever the line's
/// length (reading the whole line for every finding made such a report quadratic).
fn excerpt(out: &mut String, p: &Painter, lines: &LineIndex<'_>, span: Span, style: &str) {
    let Span {
        text,
        start,
        end,
        width,
    } = span;
    let start = floor_boundary(text, start.min(text.len()));
    let line = lines.line_span(start);
    let line_end = line.end.max(start);
    // A span running past the end of its line is shown up to the end of the line.
    let end = floor_boundary(text, end.clamp(start, line_end));

    // The span, cut at `width` columns; and its full width, counted no further than needed.
    let span_max = width.max(10);
    let (span_cells, cut_span) = take_cells(text[start..end].chars(), span_max);
    let span_w = cells_width(&span_cells).max(1);
    let room = width.saturating_sub(span_w.min(width)).max(10);

    // Whether the whole line fits, known after reading at most `width + 1` columns of it.
    let before_all = &text[line.start..start];
    let after_all = &text[end..line_end];
    let fits = !cut_span && {
        let (b, cut_b) = take_cells(before_all.chars(), width);
        let (a, cut_a) = take_cells(after_all.chars(), width);
        !cut_b && !cut_a && cells_width(&b) + span_w + cells_width(&a) <= width
    };
    let (before, cut_before) = if fits {
        take_cells(before_all.chars(), usize::MAX)
    } else {
        // Spend a third of the room before the span, the rest after it.
        let (mut rev, cut) = take_cells(before_all.chars().rev(), room / 3);
        rev.reverse();
        (rev, cut)
    };
    let after_budget = if fits {
        usize::MAX
    } else {
        room.saturating_sub(cells_width(&before))
    };
    let (after, cut_after) = take_cells(after_all.chars(), after_budget);

    let s = |v: &[(char, usize)]| v.iter().map(|&(c, _)| c).collect::<String>();
    out.push_str("   | ");
    let mut pad = 0;
    if cut_before {
        out.push('…');
        pad += 1;
    }
    out.push_str(&s(&before));
    pad += cells_width(&before);
    let mut span_text = s(&span_cells);
    if cut_span {
        span_text.push('…');
    }
    if p.on {
        p.paint(out, &format!("{BOLD}{style}"), &span_text);
    } else {
        out.push_str(&span_text);
    }
    out.push_str(&s(&after));
    if cut_after {
        out.push('…');
    }
    out.push('\n');
    if !p.on {
        out.push_str("   | ");
        out.push_str(&" ".repeat(pad));
        out.push_str(&"^".repeat(cells_width(&span_cells).max(1)));
        out.push('\n');
    }
}

/// What [`excerpt`] shows: a span of `text` in at most `width` columns.
struct Span<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    width: usize,
}

/// The display cells of `chars` up to `budget` columns, and whether some were left out.
fn take_cells(chars: impl Iterator<Item = char>, budget: usize) -> (Vec<(char, usize)>, bool) {
    let mut cells = Vec::new();
    let mut acc = 0;
    for c in chars {
        let cell = display(c);
        if acc + cell.1 > budget {
            return (cells, true);
        }
        acc += cell.1;
        cells.push(cell);
    }
    (cells, false)
}

fn cells_width(cells: &[(char, usize)]) -> usize {
    cells.iter().map(|&(_, w)| w).sum()
}

/// A char as displayed in an excerpt, with its width: control characters and tabs show as
/// one space so the carets line up.
fn display(c: char) -> (char, usize) {
    if c.is_control() {
        return (' ', 1);
    }
    (c, c.width().unwrap_or(0))
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analyzer;

    fn plain(text: &str) -> String {
        let a = Analyzer::builtin().analyze(text);
        render(&a, text, &HumanOptions::default())
    }

    #[test]
    fn marks_spans_with_carets_without_colour() {
        let text = "I'm sorry I yelled, but you provoked me.";
        let out = plain(text);
        assert!(out.contains("1:1  "), "{out}");
        assert!(
            out.contains("   | I'm sorry I yelled, but you provoked me.\n"),
            "{out}"
        );
        assert!(out.contains("^^^"), "{out}");
        assert!(out.contains("score "), "{out}");
        assert!(!out.contains('\x1b'), "{out}");
    }

    #[test]
    fn colour_has_no_carets() {
        let text = "I'm sorry I yelled, but you provoked me.";
        let a = Analyzer::builtin().analyze(text);
        let out = render(
            &a,
            text,
            &HumanOptions {
                color: true,
                ..HumanOptions::default()
            },
        );
        assert!(out.contains('\x1b'));
        assert!(!out.contains('^'));
    }

    #[test]
    fn no_apology_has_no_score() {
        let out = plain("So sorry for your loss.");
        assert!(out.contains("no apology"), "{out}");
        assert!(!out.contains("score "), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let filler = "word ".repeat(100);
        let text = format!("{filler}I'm sorry, but you provoked me. {filler}");
        let out = plain(&text);
        for line in out.lines().filter(|l| l.starts_with("   | ")) {
            assert!(line.chars().count() <= 110, "{line}");
        }
        assert!(out.contains('…'), "{out}");
    }

    #[test]
    fn carets_line_up_after_wide_chars() {
        let text = "😭😭 I'm sorry I yelled, but you provoked me.";
        let out = plain(text);
        let mut lines = out.lines();
        while let Some(l) = lines.next() {
            if l.starts_with("   | 😭") {
                let carets = lines.next().unwrap_or_default();
                let col = carets.find('^').unwrap_or(0);
                // "   | " is 5 columns, two emoji 4 columns, then a space.
                assert!(col >= 10, "{l}\n{carets}");
            }
        }
    }
}
