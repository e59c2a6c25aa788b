//! End to end: the built `ownup` binary on the bench corpus beside the scan floor, run one
//! after the other in one session, and the ratios the README quotes. What a user sees is the
//! binary (reading, parsing, analysis, output), not the in-process criterion bench.
//!
//! - throughput: `ownup batch --threads 1` and `--threads 2` against the floor
//!   (`../shared/bench-floor`, mode `ac_seg`: parse each JSON line, one Aho-Corasick pass
//!   over ~1,500 phrases, Unicode words and sentences, one thread), on the decompressed
//!   corpus `../shared/data/bench/comments.jsonl.gz`;
//! - trigger-free text: records of neutral prose, ownup against the floor;
//! - one long text: 100 and 400 KB of apology sentences (JSON and human report), and 2 MB of
//!   "sorry but if you " and 2 MB of apology sentences against 2 MB of neutral prose, each as
//!   one batch record (the target: at most 10x);
//! - memory: peak resident set of a 2 MB record and of an empty one (the fixed base), when
//!   `/usr/bin/time` is there; with `OWNUP_BENCH_BIG=1`, also a 1 GB batch of real comments.
//!
//! Every command runs `OWNUP_BENCH_ROUNDS` times (default 5), alternating, and the median
//! is kept: the machine may be shared, and alternating spreads any load over all of them.
//! Files are written under the target directory. Run: `cargo bench --bench end_to_end`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One command to time.
struct Run {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
}

impl Run {
    fn new(name: &'static str, program: &Path, args: &[&str]) -> Run {
        Run {
            name,
            program: program.to_path_buf(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// Wall time in seconds, and peak resident set in KiB when `/usr/bin/time` can tell.
    fn once(&self, scratch: &Path) -> (f64, Option<u64>) {
        let time = Path::new("/usr/bin/time");
        let rss_file = scratch.join("rss.txt");
        let mut cmd = if time.exists() {
            let mut c = Command::new(time);
            c.arg("-f").arg("%M").arg("-o").arg(&rss_file);
            c.arg(&self.program);
            c
        } else {
            Command::new(&self.program)
        };
        cmd.args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let start = Instant::now();
        let status = cmd.status();
        let secs = start.elapsed().as_secs_f64();
        match status {
            Ok(s) if s.success() => {}
            other => panic!("{} failed: {other:?}", self.name),
        }
        let rss = std::fs::read_to_string(&rss_file)
            .ok()
            .and_then(|s| s.lines().last()?.trim().parse().ok());
        (secs, rss)
    }
}

/// Runs each command `rounds` times, alternating; the median time and largest RSS of each.
fn measure(runs: &[Run], rounds: usize, scratch: &Path) -> Vec<(f64, Option<u64>)> {
    let mut times = vec![Vec::new(); runs.len()];
    let mut rss = vec![None; runs.len()];
    for _ in 0..rounds {
        for (i, run) in runs.iter().enumerate() {
            let (t, r) = run.once(scratch);
            times[i].push(t);
            rss[i] = rss[i].max(r);
        }
    }
    times
        .into_iter()
        .zip(rss)
        .map(|(mut t, r)| {
            t.sort_by(f64::total_cmp);
            (t[t.len() / 2], r)
        })
        .collect()
}

fn print_runs(runs: &[Run], results: &[(f64, Option<u64>)]) {
    for (run, (t, rss)) in runs.iter().zip(results) {
        let rss = rss.map_or(String::new(), |r| {
            format!("  {:>7.1} MiB", r as f64 / 1024.0)
        });
        println!("  {:<44} {:>8.3} s{rss}", run.name, t);
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// The bench corpus, decompressed once into the target directory.
fn corpus(shared: &Path, scratch: &Path) -> Option<PathBuf> {
    let gz = shared.join("data/bench/comments.jsonl.gz");
    let out = scratch.join("comments.jsonl");
    if out.exists() {
        return Some(out);
    }
    let file = File::open(&gz).ok()?;
    let mut reader = flate2::read::MultiGzDecoder::new(file);
    let mut writer = BufWriter::new(File::create(&out).ok()?);
    std::io::copy(&mut reader, &mut writer).ok()?;
    writer.flush().ok()?;
    Some(out)
}

/// The floor program, built once into the target directory.
fn floor(shared: &Path, target: &Path) -> Option<PathBuf> {
    let manifest = shared.join("bench-floor/Cargo.toml");
    let dir = target.join("floor");
    let exe = dir.join("release/limit");
    if !exe.exists() {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&dir)
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
    }
    exe.exists().then_some(exe)
}

fn write(path: &Path, bytes: &[u8]) -> PathBuf {
    if let Err(e) = std::fs::write(path, bytes) {
        panic!("cannot write {}: {e}", path.display());
    }
    path.to_path_buf()
}

fn one_record(text: &str) -> String {
    let mut line = serde_json::json!({ "id": "1", "text": text }).to_string();
    line.push('\n');
    line
}

/// Neutral prose that wakes no rule: no apology word and none of the words that make the
/// analysis look closer (`i`, `my`, `was`...).
const NEUTRAL: &[&str] = &[
    "The store opens on Tuesday and the roads are quiet in the morning.",
    "A new library branch will open next spring near the old station.",
    "Rain is expected over the weekend, with sun returning on Monday.",
    "The recipe calls for two cups of flour, some butter and a pinch of salt.",
    "Tickets for the concert go on sale at noon on the official site.",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared");
    let target = target_dir(root);
    let scratch = target.join("bench-end-to-end");
    if let Err(e) = std::fs::create_dir_all(&scratch) {
        panic!("cannot create {}: {e}", scratch.display());
    }
    let ownup = Path::new(env!("CARGO_BIN_EXE_ownup"));
    let rounds: usize = std::env::var("OWNUP_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let phrases = shared.join("bench-floor/phrases.txt");
    let phrases = phrases.to_string_lossy().into_owned();

    println!(
        "end-to-end bench, {rounds} rounds, medians (ownup: {})",
        ownup.display()
    );
    match (corpus(&shared, &scratch), floor(&shared, &target)) {
        (Some(corpus), Some(floor)) => {
            let c = corpus.to_string_lossy().into_owned();
            let runs = [
                Run::new(
                    "floor (ac_seg, 1 thread)",
                    &floor,
                    &["ac_seg", &c, &phrases],
                ),
                Run::new(
                    "ownup batch --threads 1",
                    ownup,
                    &["batch", "--threads", "1", &c],
                ),
                Run::new(
                    "ownup batch --threads 2",
                    ownup,
                    &["batch", "--threads", "2", &c],
                ),
            ];
            let r = measure(&runs, rounds, &scratch);
            println!("bench corpus ({}):", corpus.display());
            print_runs(&runs, &r);
            println!(
                "  ratio: --threads 1 vs the floor {:.2}x, --threads 2 vs --threads 1 {:.2}x",
                r[0].0 / r[1].0,
                r[1].0 / r[2].0
            );

            let mut neutral = String::new();
            for i in 0..200_000 {
                let text = NEUTRAL[i % NEUTRAL.len()];
                neutral.push_str(&format!("{{\"id\":\"n{i}\",\"text\":\"{text}\"}}\n"));
            }
            let n = write(&scratch.join("neutral.jsonl"), neutral.as_bytes());
            let n = n.to_string_lossy().into_owned();
            let runs = [
                Run::new(
                    "floor (ac_seg, 1 thread)",
                    &floor,
                    &["ac_seg", &n, &phrases],
                ),
                Run::new(
                    "ownup batch --threads 1",
                    ownup,
                    &["batch", "--threads", "1", &n],
                ),
            ];
            let r = measure(&runs, rounds, &scratch);
            println!("trigger-free records (200,000 of neutral prose):");
            print_runs(&runs, &r);
            println!("  ratio: ownup vs the floor {:.2}x", r[0].0 / r[1].0);

            if std::env::var_os("OWNUP_BENCH_BIG").is_some() {
                big_batch(ownup, &corpus, &scratch);
            }
        }
        _ => println!("bench corpus or floor not found beside the project: throughput skipped"),
    }

    let unit = "I am sorry I was late, but the traffic was bad and you were rude. ";
    let mut runs = Vec::new();
    for (kb, name_json, name_human) in [
        (
            100,
            "100 KB of apology sentences, --format json",
            "100 KB of apology sentences, human",
        ),
        (
            400,
            "400 KB of apology sentences, --format json",
            "400 KB of apology sentences, human",
        ),
    ] {
        let text = unit.repeat(kb * 1000 / unit.len());
        let path = write(&scratch.join(format!("apology{kb}.txt")), text.as_bytes());
        let p = path.to_string_lossy().into_owned();
        runs.push(Run::new(name_json, ownup, &["--format", "json", &p]));
        runs.push(Run::new(name_human, ownup, &["--color", "never", &p]));
    }
    let adversarial = "sorry but if you ".repeat(2_000_000 / 17);
    let prose = NEUTRAL
        .join(" ")
        .repeat(2_000_000 / (NEUTRAL.join(" ").len() + 1));
    let adv = write(
        &scratch.join("adversarial.jsonl"),
        one_record(&adversarial).as_bytes(),
    );
    let pro = write(&scratch.join("prose.jsonl"), one_record(&prose).as_bytes());
    let dense_unit = "I am sorry I was late, but the traffic was bad and you were rude. \
                      Sorry if you were offended, but you provoked me. ";
    let dense = write(
        &scratch.join("dense.jsonl"),
        one_record(&dense_unit.repeat(2_000_000 / dense_unit.len())).as_bytes(),
    );
    let empty = write(&scratch.join("empty.jsonl"), one_record("").as_bytes());
    for (name, path) in [
        ("2 MB of \"sorry but if you \", one record", &adv),
        ("2 MB of neutral prose, one record", &pro),
        ("an empty record (the fixed base)", &empty),
        ("2 MB of apology sentences, one record", &dense),
    ] {
        runs.push(Run::new(name, ownup, &["batch", &path.to_string_lossy()]));
    }
    let r = measure(&runs, rounds, &scratch);
    println!("one long text:");
    print_runs(&runs, &r);
    println!(
        "  ratio: 400 KB vs 100 KB, json {:.2}x, human {:.2}x (linear: 4)",
        r[2].0 / r[0].0,
        r[3].0 / r[1].0
    );
    println!(
        "  ratio: 2 MB of \"sorry but if you \" vs 2 MB of neutral prose {:.1}x (target 10)",
        r[4].0 / r[5].0
    );
    println!(
        "  ratio: 2 MB of apology sentences vs 2 MB of neutral prose {:.1}x (target 10)",
        r[7].0 / r[5].0
    );
    for (name, i) in [
        ("\"sorry but if you \"", 4),
        ("neutral prose", 5),
        ("apology sentences", 7),
    ] {
        if let (Some(text), Some(base)) = (r[i].1, r[6].1) {
            println!(
                "  memory: 2 MB of {name} takes {:.1} MiB over the base of {:.1} MiB ({:.1}x the text; target 4)",
                (text.saturating_sub(base)) as f64 / 1024.0,
                base as f64 / 1024.0,
                (text.saturating_sub(base)) as f64 * 1024.0 / 2e6
            );
        }
    }
}

/// Peak memory of `ownup batch` on about 1 GB of real comments (the corpus repeated).
fn big_batch(ownup: &Path, corpus: &Path, scratch: &Path) {
    let big = scratch.join("comments-1gb.jsonl");
    if !big.exists() {
        let Ok(one) = std::fs::read(corpus) else {
            return;
        };
        let Ok(file) = File::create(&big) else { return };
        let mut w = BufWriter::new(file);
        let times = (1usize << 30).div_ceil(one.len().max(1));
        for _ in 0..times {
            if w.write_all(&one).is_err() {
                return;
            }
        }
        let _ = w.flush();
    }
    let b = big.to_string_lossy().into_owned();
    let runs = [
        Run::new("ownup batch, 1 GB of comments", ownup, &["batch", &b]),
        Run::new("ownup threads, 1 GB of comments", ownup, &["threads", &b]),
    ];
    let r = measure(&runs, 1, scratch);
    println!("a 1 GB batch (one run):");
    print_runs(&runs, &r);
}
