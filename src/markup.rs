//! Before the pipeline: what of a draft is not the writer's prose. Inline directives turn
//! checking off and on (`<!-- ownup off -->` ... `<!-- ownup on -->`) or drop some rules for
//! the next paragraph (`<!-- ownup disable but_undoing,conditional -->`), as Vale and alex
//! do. In Markdown, code (fenced, indented, and inline) and HTML comments are not prose
//! either. Block quotes (`> ...`) need nothing here: the segmenter already reads a line that
//! starts with `>` as quoted speech, whose findings are reported and never count.
//!
//! What is skipped is blanked to spaces byte for byte (line ends kept), so the text keeps its
//! length and every byte offset of a finding is an offset of the original text.

use std::ops::Range;

/// A text with what is not to be checked blanked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    /// The text to analyze: the original, skipped bytes turned into spaces.
    pub text: String,
    /// Byte ranges (paragraphs) where the listed rule or category ids are off.
    pub disabled: Vec<(Range<usize>, Vec<String>)>,
}

impl Masked {
    /// Whether a finding of `rule` (and category) starting at `start` is switched off here.
    pub fn is_disabled(&self, start: usize, answers_to: impl Fn(&str) -> bool) -> bool {
        self.disabled
            .iter()
            .any(|(range, ids)| range.contains(&start) && ids.iter().any(|id| answers_to(id)))
    }
}

/// What a directive comment asks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Directive {
    Off,
    On,
    Disable(Vec<String>),
}

/// Reads `<!-- ownup ... -->` on a line; `None` when the line holds no directive.
fn directive(line: &str) -> Option<Directive> {
    let body = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let mut words = body.strip_prefix("ownup")?.split_whitespace();
    match words.next()? {
        "off" => Some(Directive::Off),
        "on" => Some(Directive::On),
        "disable" => {
            let ids = words
                .flat_map(|w| w.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            Some(Directive::Disable(ids))
        }
        _ => None,
    }
}

/// Where a line stands in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Prose,
    /// Inside a fenced code block opened by this fence character, repeated this many times.
    Fence(u8, usize),
}

/// Masks `text`; `markdown` also skips code and HTML comments.
pub fn mask(text: &str, markdown: bool) -> Masked {
    let mut out = text.as_bytes().to_vec();
    let mut disabled = Vec::new();
    let mut off = false;
    let mut block = Block::Prose;
    // The ids of a `disable` directive, until its paragraph starts.
    let mut pending: Option<Vec<String>> = None;
    // The ids and start of the paragraph they apply to.
    let mut current: Option<(Vec<String>, usize)> = None;
    let mut previous_blank = true;
    let mut in_indented_code = false;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let range = pos..pos + line.len();
        pos = range.end;
        let blank = line.trim().is_empty();
        if blank {
            close_paragraph(&mut current, range.start, &mut disabled);
        }
        let skip = match directive(line) {
            Some(Directive::Off) => {
                off = true;
                true
            }
            Some(Directive::On) => {
                off = false;
                true
            }
            Some(Directive::Disable(ids)) => {
                pending = Some(ids);
                true
            }
            None if markdown => {
                let code = code_line(line, &mut block, previous_blank, &mut in_indented_code);
                code || off
            }
            None => off,
        };
        if skip {
            blank_out(&mut out[range.clone()]);
        } else if markdown {
            mask_inline(line, &mut out[range.clone()]);
        }
        if !blank && !skip {
            if let Some(ids) = pending.take() {
                close_paragraph(&mut current, range.start, &mut disabled);
                current = Some((ids, range.start));
            }
        }
        previous_blank = blank;
    }
    close_paragraph(&mut current, pos, &mut disabled);
    // Only ASCII bytes were written, over whole chars, so the bytes stay UTF-8.
    let text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Masked { text, disabled }
}

fn close_paragraph(
    current: &mut Option<(Vec<String>, usize)>,
    end: usize,
    disabled: &mut Vec<(Range<usize>, Vec<String>)>,
) {
    if let Some((ids, start)) = current.take() {
        disabled.push((start..end, ids));
    }
}

/// Whether a Markdown line is code: a fence, inside a fenced block, or an indented block
/// (four spaces or a tab after a blank line, and the lines that go on with it).
fn code_line(line: &str, block: &mut Block, previous_blank: bool, indented: &mut bool) -> bool {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    if let Block::Fence(c, n) = *block {
        let closes = indent < 4 && fence(trimmed).is_some_and(|(c2, n2)| c2 == c && n2 >= n);
        if closes {
            *block = Block::Prose;
        }
        return true;
    }
    if indent < 4 {
        if let Some((c, n)) = fence(trimmed) {
            *block = Block::Fence(c, n);
            return true;
        }
    }
    let is_blank = line.trim().is_empty();
    let code_indent = indent >= 4 || line.starts_with('\t');
    *indented = code_indent && !is_blank && (previous_blank || *indented);
    *indented
}

/// The fence character and its count when `s` opens or closes a fenced code block.
fn fence(s: &str) -> Option<(u8, usize)> {
    let c = *s.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = s.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

/// Blanks inline code spans and HTML comments within one line.
fn mask_inline(line: &str, out: &mut [u8]) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end = if bytes[i] == b'`' {
            let ticks = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let close = "`".repeat(ticks);
            line[i + ticks..]
                .find(&close)
                .map(|e| i + ticks + e + ticks)
        } else if bytes[i..].starts_with(b"<!--") {
            line[i..].find("-->").map(|e| i + e + 3)
        } else {
            None
        };
        match end {
            Some(end) => {
                blank_out(&mut out[i..end]);
                i = end;
            }
            None => i += 1,
        }
    }
}

/// Spaces over every byte but line ends.
fn blank_out(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b != b'\n' && **b != b'\r') {
        *b = b' ';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_length_and_line_ends() {
        let text = "Sorry é.\n```\ncode ü\n```\nMore.\n";
        let m = mask(text, true);
        assert_eq!(m.text.len(), text.len());
        assert_eq!(m.text.matches('\n').count(), text.matches('\n').count());
        assert!(!m.text.contains("code"));
        assert!(m.text.contains("Sorry é."));
    }

    #[test]
    fn off_and_on() {
        let m = mask(
            "A.\n<!-- ownup off -->\nSorry if.\n<!-- ownup on -->\nB.\n",
            false,
        );
        assert!(!m.text.contains("Sorry") && m.text.contains("B."));
    }

    #[test]
    fn disable_applies_to_the_next_paragraph_only() {
        let text = "<!-- ownup disable conditional, but_undoing -->\nSorry if.\nStill.\n\nNext.\n";
        let m = mask(text, false);
        let (range, ids) = &m.disabled[0];
        assert_eq!(ids, &["conditional", "but_undoing"]);
        assert!(range.contains(&text.find("Sorry").unwrap_or(0)));
        assert!(range.contains(&text.find("Still").unwrap_or(0)));
        assert!(!range.contains(&text.find("Next").unwrap_or(0)));
    }

    #[test]
    fn indented_code_needs_a_blank_line_before() {
        let m = mask("Para\n    goes on\n\n    let x = 1;\n", true);
        assert!(m.text.contains("goes on"));
        assert!(!m.text.contains("let x"));
    }

    #[test]
    fn inline_code_and_comments_are_skipped_in_markdown_only() {
        let text = "I said `sorry if` <!-- sorry -->.";
        assert!(!mask(text, true).text.contains("sorry"));
        assert_eq!(mask(text, false).text, text);
    }
}
