//! A bounded load test of `ownup serve` on loopback, in one run:
//!
//! 1. 20,000 `POST /api/analyze` requests from 16 concurrent clients (keep-alive, one
//!    connection each), with real comments from `../shared/data/bench/comments.jsonl.gz`
//!    (the project's own corpora when that is absent): errors, requests/s, p50/p99 latency
//!    and the server's peak resident memory.
//! 2. 64 clients at once, each sending a 1 MiB body (the default limit) of real comments
//!    run together: every request must be answered, and the server's memory must stay
//!    bounded (its body slots hold a few bodies at a time; the rest wait unread).
//!
//! The server runs with `--timeout 120`: 64 analyses of 1 MiB queue for about 15 s on two
//! idle cores, and longer beside other builds; with the default 30 s the last of them may
//! get a 503 instead, which is an answer too, but says nothing about memory.
//!
//! `cargo bench --bench serve_load`. It starts the built binary, sends only to 127.0.0.1,
//! and stops by itself; it exits 1 when a request of phase 1 fails or one of phase 2 goes
//! unanswered.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const REQUESTS: usize = 20_000;
const CLIENTS: usize = 16;
const BIG_CLIENTS: usize = 64;
const BIG_BODY: usize = 1 << 20;

fn comments() -> (Vec<String>, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/bench/comments.jsonl.gz");
    let text_of = |line: &str| -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let t = v.get("text")?.as_str()?;
        (!t.trim().is_empty()).then(|| t.to_string())
    };
    if let Ok(file) = std::fs::File::open(&shared) {
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(file));
        let texts: Vec<String> = reader
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| text_of(&l))
            .take(REQUESTS)
            .collect();
        if !texts.is_empty() {
            return (texts, "real comments (shared bench corpus)");
        }
    }
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(root.join("corpora"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "jsonl") {
            let src = std::fs::read_to_string(entry.path()).unwrap_or_default();
            texts.extend(src.lines().filter_map(text_of));
        }
    }
    (
        texts,
        "the project's corpora (the shared bench corpus is absent)",
    )
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ownup"))
            .args(["serve", "--port", "0", "--timeout", "120"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ownup serve");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout).read_line(&mut line).expect("URL");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("the server prints its URL")
            .trim_end_matches('/')
            .to_string();
        Server { child, base }
    }

    /// A field of /proc/PID/status, in KiB.
    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()));
        status
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Samples the server's resident memory until stopped; the highest sample.
struct RssWatch {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl RssWatch {
    fn start(pid: u32) -> RssWatch {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                let rss = status
                    .lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                p.fetch_max(rss, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        RssWatch { stop, peak, thread }
    }

    fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak.load(Ordering::Relaxed)
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into()
}

/// One request: its status (0 for a transport error) and how long it took.
fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> (u16, Duration) {
    let start = Instant::now();
    let status = match agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)
    {
        Ok(mut res) => {
            let read = res.body_mut().with_config().limit(64 << 20).read_to_vec();
            if read.is_ok() {
                res.status().as_u16()
            } else {
                0
            }
        }
        Err(_) => 0,
    };
    (status, start.elapsed())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Phase 1; true when every request was answered 200.
fn many_small(server: &Server, texts: &[String]) -> bool {
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        texts
            .iter()
            .map(|t| serde_json::json!({ "text": t }).to_string().into_bytes())
            .collect(),
    );
    let url = format!("{}/api/analyze", server.base);
    let next = Arc::new(AtomicU64::new(0));
    let watch = RssWatch::start(server.child.id());
    let start = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (bodies, url, next) = (bodies.clone(), url.clone(), next.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut seen = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    if i >= REQUESTS {
                        return seen;
                    }
                    seen.push(post(&agent, &url, &bodies[i % bodies.len()]));
                }
            })
        })
        .collect();
    let mut results: Vec<(u16, Duration)> = Vec::with_capacity(REQUESTS);
    for c in clients {
        results.extend(c.join().expect("client"));
    }
    let wall = start.elapsed();
    let sampled = watch.finish();
    let errors = results.iter().filter(|(s, _)| *s != 200).count();
    let mut latencies: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let bytes: usize = (0..REQUESTS).map(|i| bodies[i % bodies.len()].len()).sum();
    println!("phase 1: {REQUESTS} POST /api/analyze from {CLIENTS} clients");
    println!("  errors           {errors}");
    println!("  wall             {:.2} s", wall.as_secs_f64());
    println!(
        "  requests/s       {:.0}",
        REQUESTS as f64 / wall.as_secs_f64()
    );
    println!("  mean body        {} bytes", bytes / REQUESTS);
    println!("  latency p50      {}", ms(percentile(&latencies, 0.50)));
    println!("  latency p99      {}", ms(percentile(&latencies, 0.99)));
    println!("  latency max      {}", ms(percentile(&latencies, 1.0)));
    println!(
        "  server peak RSS  {} (sampled every 10 ms: {})",
        mib(server.status_kib("VmHWM:")),
        mib(sampled)
    );
    errors == 0
}

/// A JSON body of `{"text": ...}` just under `size` bytes, of texts run together.
fn big_body(texts: &[String], size: usize) -> Vec<u8> {
    let mut text = String::new();
    let mut encoded = 12; // {"text":""} and a margin
    for t in texts.iter().cycle() {
        let piece = format!("{t}\n");
        let cost = serde_json::to_string(&piece).map_or(piece.len(), |s| s.len() - 2);
        if encoded + cost > size {
            break;
        }
        encoded += cost;
        text.push_str(&piece);
    }
    serde_json::json!({ "text": text }).to_string().into_bytes()
}

/// Phase 2; true when every request got an answer.
fn many_big(server: &Server, texts: &[String]) -> bool {
    let body = Arc::new(big_body(texts, BIG_BODY));
    let url = format!("{}/api/analyze", server.base);
    let before = server.status_kib("VmRSS:");
    let watch = RssWatch::start(server.child.id());
    let barrier = Arc::new(Barrier::new(BIG_CLIENTS));
    let start = Instant::now();
    let clients: Vec<_> = (0..BIG_CLIENTS)
        .map(|_| {
            let (body, url, barrier) = (body.clone(), url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let agent = agent();
                barrier.wait();
                post(&agent, &url, &body)
            })
        })
        .collect();
    let results: Vec<(u16, Duration)> = clients
        .into_iter()
        .map(|c| c.join().expect("client"))
        .collect();
    let wall = start.elapsed();
    let peak = watch.finish();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for (s, _) in &results {
        *statuses.entry(*s).or_default() += 1;
    }
    let mut latencies: Vec<Duration> = results.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let unanswered = statuses.get(&0).copied().unwrap_or(0);
    println!(
        "phase 2: {BIG_CLIENTS} clients at once, each a {} byte body",
        body.len()
    );
    println!("  statuses         {statuses:?} (0: no answer)");
    println!("  wall             {:.2} s", wall.as_secs_f64());
    println!("  latency p50      {}", ms(percentile(&latencies, 0.50)));
    println!("  latency max      {}", ms(percentile(&latencies, 1.0)));
    println!(
        "  server RSS       {} before, {} at the peak (sampled every 10 ms)",
        mib(before),
        mib(peak)
    );
    println!(
        "  bodies held      at most {} at a time (4 per analysis slot; the others wait unread)",
        4 * std::thread::available_parallelism().map_or(2, |n| n.get())
    );
    unanswered == 0
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours means another bench.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && !"serve_load".contains(&a))
    {
        return;
    }
    let (texts, source) = comments();
    assert!(!texts.is_empty(), "no texts to send");
    println!(
        "serve_load: {} texts from {source}; server on loopback, {} CPUs",
        texts.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let server = Server::start();
    let small_ok = many_small(&server, &texts);
    let big_ok = many_big(&server, &texts);
    println!(
        "  server peak RSS over both phases: {}",
        mib(server.status_kib("VmHWM:"))
    );
    if !(small_ok && big_ok) {
        eprintln!("serve_load: FAILED (errors in phase 1 or unanswered requests in phase 2)");
        std::process::exit(1);
    }
}
