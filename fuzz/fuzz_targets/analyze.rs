//! Any bytes, read as (lossy) UTF-8, must analyze without a panic and with the invariants of
//! the output: findings inside the text on char boundaries and sorted, a score exactly when
//! there is an apology, contributions adding up to it, and the wire report's line/column
//! agreeing with the offsets.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ownup::report::WireReport;
use ownup::Analyzer;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::builtin)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let a = analyzer().analyze(&text);
    let mut last = (0, 0);
    for f in &a.findings {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!((f.start, f.end) >= last, "findings out of order");
        last = (f.start, f.end);
    }
    for s in &a.safety {
        assert!(s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    }
    assert_eq!(a.score.is_some(), a.apology);
    match a.score {
        Some(score) => {
            assert!(score <= 100);
            let total: i32 = a.contributions.iter().map(|c| c.points).sum();
            assert_eq!(total, i32::from(score));
            assert!(a.contributions.iter().all(|c| c.finding < a.findings.len()));
        }
        None => assert!(a.contributions.is_empty()),
    }
    // Small inputs also go through every stage, and must agree with the shortcut.
    if data.len() <= 512 {
        assert_eq!(a, analyzer().analyze_exhaustive(&text));
    }
    let wire = WireReport::new(&a, &text);
    assert_eq!(wire.findings.len(), a.findings.len());
    for (w, f) in wire.findings.iter().zip(&a.findings) {
        let before = &text[..f.start];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(w.line, before.matches('\n').count() + 1);
        assert_eq!(w.column, before[line_start..].chars().count() + 1);
        assert_eq!((w.start, w.end), (f.start, f.end));
    }
});
