//! Throughput of the full analysis against a floor, in one run so the ratios hold on a
//! noisy machine.
//!
//! - `floor`: parse each JSON line, one Aho-Corasick pass over ownup's own lexicon phrases,
//!   iterate Unicode words and sentences: the least any lexicon tool must do per record.
//! - `ownup/1-thread` and `ownup/2-threads`: parse + the full analysis, as `ownup batch`.
//! - `adversarial`: 2 MB of "sorry but if you " against 2 MB of prose, as one text and as
//!   lines of about 200 bytes analyzed one by one.
//! - `startup`: building the built-in analyzer and analyzing "I'm sorry".
//!
//! The corpus is `../shared/data/bench/comments.jsonl.gz` beside the crate when present,
//! else the project's own corpora repeated.

use std::io::{BufRead, BufReader};
use std::path::Path;

use aho_corasick::AhoCorasick;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ownup::Analyzer;
use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

const SAMPLE: usize = 20_000;

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/bench/comments.jsonl.gz");
    let mut lines = Vec::new();
    if let Ok(file) = std::fs::File::open(&shared) {
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
        lines.extend(reader.lines().map_while(Result::ok).take(SAMPLE));
    }
    if lines.is_empty() {
        let mut own = Vec::new();
        if let Ok(dir) = std::fs::read_dir(root.join("corpora")) {
            for entry in dir.flatten() {
                if entry.path().extension().is_some_and(|e| e == "jsonl") {
                    if let Ok(src) = std::fs::read_to_string(entry.path()) {
                        own.extend(src.lines().map(str::to_string));
                    }
                }
            }
        }
        while !own.is_empty() && lines.len() < SAMPLE {
            lines.extend(own.iter().cloned());
        }
        lines.truncate(SAMPLE);
    }
    lines
}

fn text_of(line: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    v.get("text")?.as_str().map(str::to_string)
}

/// Splits `text` into lines of about 200 bytes, at multiples of `unit` (the repeated piece).
fn as_lines(text: &str, unit: usize) -> Vec<&str> {
    let step = unit * (200 / unit).max(1);
    (0..text.len())
        .step_by(step)
        .map(|i| &text[i..(i + step).min(text.len())])
        .collect()
}

fn count_findings(analyzer: &Analyzer, lines: &[&str]) -> usize {
    lines
        .iter()
        .map(|l| analyzer.analyze(l).findings.len())
        .sum()
}

fn throughput(c: &mut Criterion) {
    let analyzer = Analyzer::builtin();
    let lines = corpus();
    let phrases: Vec<&str> = analyzer
        .lexicon()
        .rules
        .iter()
        .flat_map(|r| r.expanded.iter().map(String::as_str))
        .collect();
    let ac = AhoCorasick::new(&phrases).expect("lexicon phrases build an automaton");
    let pool2 = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");

    let mut g = c.benchmark_group("records");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.sample_size(10);
    g.bench_function("floor", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for line in &lines {
                let Some(text) = text_of(line) else { continue };
                let lower = text.to_lowercase();
                n += ac.find_overlapping_iter(&lower).count();
                n += text.unicode_words().count();
                n += text.unicode_sentences().count();
            }
            n
        })
    });
    g.bench_function("ownup/1-thread", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for line in &lines {
                let Some(text) = text_of(line) else { continue };
                n += analyzer.analyze(&text).findings.len();
            }
            n
        })
    });
    g.bench_function("ownup/2-threads", |b| {
        b.iter(|| {
            pool2.install(|| {
                lines
                    .par_chunks(256)
                    .map(|chunk| {
                        chunk
                            .iter()
                            .filter_map(|l| text_of(l))
                            .map(|t| analyzer.analyze(&t).findings.len())
                            .sum::<usize>()
                    })
                    .sum::<usize>()
            })
        })
    });
    g.finish();

    // Ordinary prose in the first person, so that it takes the full analysis like the
    // adversarial text (prose with no first person is skipped after one automaton pass).
    let prose_unit = "I went to the store on Tuesday and my brother was there, so we talked for \
        a while about the roads, the library and the new school before it got late and I \
        walked home. ";
    let adversarial = "sorry but if you ".repeat(2_000_000 / 17);
    let prose = prose_unit.repeat(2_000_000 / prose_unit.len());
    let mut g = c.benchmark_group("adversarial-2MB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(2_000_000));
    g.bench_function("prose", |b| {
        b.iter(|| analyzer.analyze(&prose).findings.len())
    });
    g.bench_function("sorry-but-if-you", |b| {
        b.iter(|| analyzer.analyze(&adversarial).findings.len())
    });
    let prose_lines = as_lines(&prose, prose_unit.len());
    let adversarial_lines = as_lines(&adversarial, 17);
    g.bench_function("prose-lines", |b| {
        b.iter(|| count_findings(&analyzer, &prose_lines))
    });
    g.bench_function("sorry-but-if-you-lines", |b| {
        b.iter(|| count_findings(&analyzer, &adversarial_lines))
    });
    g.finish();

    let mut g = c.benchmark_group("startup");
    g.sample_size(20);
    g.bench_function("builtin+analyze", |b| {
        b.iter_batched(
            || (),
            |_| Analyzer::builtin().analyze("I'm sorry").score,
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
