//! Span lookups that stay logarithmic: texts can hold thousands of matches, and a pass that
//! scanned every span for every match would be quadratic.

use crate::segment::Span;

/// Spans sorted by start with the furthest end so far, so that "does anything overlap this
/// span" is a binary search rather than a scan.
#[derive(Debug, Default)]
pub struct SpanSet {
    spans: Vec<Span>,
    reach: Vec<usize>,
}

impl SpanSet {
    /// The set of these spans.
    pub fn new(mut spans: Vec<Span>) -> SpanSet {
        spans.sort_unstable_by_key(|s| s.start);
        let reach = spans
            .iter()
            .scan(0, |reach, s| {
                *reach = (*reach).max(s.end);
                Some(*reach)
            })
            .collect();
        SpanSet { spans, reach }
    }

    /// Whether some span of the set overlaps `span`.
    pub fn overlaps(&self, span: Span) -> bool {
        let i = self.spans.partition_point(|s| s.start < span.end);
        i > 0 && self.reach[i - 1] > span.start
    }
}

/// Whether some span in `spans` (sorted by start) starts in `from..until`.
pub fn starts_within(spans: &[Span], from: usize, until: usize) -> bool {
    let i = spans.partition_point(|r| r.start < from);
    spans.get(i).is_some_and(|r| r.start < until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    #[test]
    fn overlap_and_start_queries() {
        let set = SpanSet::new(vec![span(10, 20), span(0, 3), span(12, 40)]);
        assert!(set.overlaps(span(2, 5)));
        assert!(set.overlaps(span(35, 36)));
        assert!(!set.overlaps(span(3, 10)));
        assert!(!set.overlaps(span(40, 50)));
        let sorted = [span(0, 3), span(10, 20), span(12, 40)];
        assert!(starts_within(&sorted, 5, 11));
        assert!(!starts_within(&sorted, 13, 100));
    }
}
