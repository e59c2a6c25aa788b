//! Time is linear in the input, on every shape of input: each shape is analyzed at n and 4n
//! bytes, as the JSON report and as the human report, and the check fails when the larger
//! takes more than 6 times as long (linear is 4; quadratic would be 16).
//!
//! A ratio, not a speed: it holds on a slow or busy machine, where absolute times do not.
//! Each size is timed a few times, alternating, and the fastest run of each is compared, so
//! that one run slowed by another process does not fail the check.

use std::time::{Duration, Instant};

use ownup::report::human::{self, HumanOptions};
use ownup::report::WireReport;
use ownup::Analyzer;

/// The smaller size; the larger is four times this.
const N: usize = 24_000;
const MAX_RATIO: f64 = 6.0;
const RUNS: usize = 3;
/// How many times a shape over the bound is measured before it fails.
const ATTEMPTS: usize = 3;

/// Shapes of text, each as a unit repeated to the size wanted (and its separator).
fn shapes() -> Vec<(&'static str, String)> {
    let long_sentence = format!(
        "{}and I am sorry. ",
        "I am sorry that I was late ".repeat(40)
    );
    vec![
        (
            "apology-dense prose with but/if/you",
            "I'm sorry if you were hurt, but you started it and you know it. ".into(),
        ),
        ("sorry but if you", "sorry but if you ".into()),
        (
            "many lines",
            "I am sorry I was late, but the traffic was bad and you were rude.\n".into(),
        ),
        (
            "no spaces",
            "Imsorry,butyoustartedit!Iapologizeifyouwerehurt.".into(),
        ),
        (
            "no punctuation",
            "i am sorry i was late but you were rude and i apologize if you felt bad ".into(),
        ),
        (
            "all caps",
            "I AM SORRY I WAS LATE, BUT YOU WERE RUDE. I APOLOGIZE IF YOU FELT BAD. ".into(),
        ),
        (
            // Quotes that open and never close: the nesting deepens with the text.
            "deep quotes",
            "He said \"she wrote 'they told me \"I'm sorry, but you made me ".into(),
        ),
        (
            "thousands of tiny sentences",
            "Sorry. I was. But you. ".into(),
        ),
        ("long sentences over the segmenter's limit", long_sentence),
        (
            "emoji and combining marks",
            "😭 I\u{2019}m sorry 🙏🏽 for what I did, but you\u{0308} were rude\u{200D}! \
             e\u{0301}\u{0302} na\u{0308}i\u{0308}ve "
                .into(),
        ),
        (
            // Every apology followed by an account, each read against what else was found.
            "an account after each apology",
            "Sorry for the delay, the courier lost your parcel because the van broke down. ".into(),
        ),
        ("one apology word", "sorry ".into()),
        (
            "neutral prose",
            "The store opened on Tuesday and the roads were quiet. ".into(),
        ),
    ]
}

fn repeat_to(unit: &str, len: usize) -> String {
    unit.repeat(len.div_ceil(unit.len()))
}

fn json(analyzer: &Analyzer, text: &str) -> usize {
    let wire = WireReport::new(&analyzer.analyze(text), text);
    serde_json::to_string(&wire).map_or(0, |s| s.len())
}

fn human(analyzer: &Analyzer, text: &str) -> usize {
    human::render(&analyzer.analyze(text), text, &HumanOptions::default()).len()
}

/// A report, from the analyzer's text to its length.
type Report<'a> = &'a dyn Fn(&str) -> usize;

/// The fastest of a few runs of `f` on each text, alternating between them.
fn fastest(f: Report<'_>, small: &str, large: &str) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(f(small));
        best.0 = best.0.min(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(f(large));
        best.1 = best.1.min(t.elapsed());
    }
    best
}

#[test]
fn time_grows_linearly_on_every_shape() {
    let analyzer = Analyzer::builtin();
    let mut failures = Vec::new();
    let mut table = String::new();
    for (name, unit) in shapes() {
        let small = repeat_to(&unit, N);
        let large = repeat_to(&unit, 4 * N);
        // Warm up: regexes compile on first use.
        json(&analyzer, &small);
        let reports: [(&str, Report<'_>); 2] = [
            ("json", &|t| json(&analyzer, t)),
            ("human", &|t| human(&analyzer, t)),
        ];
        for (report, f) in reports {
            let mut ratio = f64::INFINITY;
            let (mut t1, mut t4) = (Duration::ZERO, Duration::ZERO);
            // A shape over the bound is measured again: a busy machine slows one size by
            // chance, a quadratic cost slows the larger every time (x16, not x6).
            for _ in 0..ATTEMPTS {
                (t1, t4) = fastest(f, &small, &large);
                ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-6);
                if ratio <= MAX_RATIO {
                    break;
                }
            }
            table.push_str(&format!(
                "{name:<42} {report:<6} {:>8.1} ms {:>8.1} ms  x{ratio:.2}\n",
                t1.as_secs_f64() * 1e3,
                t4.as_secs_f64() * 1e3
            ));
            if ratio > MAX_RATIO {
                failures.push(format!("{name} ({report}): x{ratio:.2}"));
            }
        }
    }
    eprintln!("shape, report, {N} bytes, {} bytes, ratio\n{table}", 4 * N);
    assert!(
        failures.is_empty(),
        "more than linear (ratio over {MAX_RATIO}): {failures:?}\n{table}"
    );
}
