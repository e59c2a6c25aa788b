//! Runs the built `ownup` binary for each use: the report, `check`, `batch` (JSONL, CSV,
//! lines, gzip, bad records), `threads`, `rules`, `eval`, completions, exit codes, colour
//! and a closed stdout. Scores depend on rule tuning, so these tests pin structure, exit
//! codes and clear-cut categories, not exact numbers.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use ownup::report::WireReport;
use serde::Deserialize;

fn ownup() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ownup"));
    c.env_remove("NO_COLOR");
    c
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = ownup()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ownup");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait for ownup");
    let _ = writer.join();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

/// One `batch` output line; unknown fields are an error, so the schema is pinned.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchLine {
    id: serde_json::Value,
    line: u64,
    apology: Option<bool>,
    score: Option<u8>,
    verdict: Option<String>,
    findings: Option<Vec<serde_json::Value>>,
    contributions: Option<Vec<serde_json::Value>>,
    safety: Option<Vec<serde_json::Value>>,
    error: Option<String>,
}

fn batch_lines(o: &Output) -> Vec<BatchLine> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn categories(line: &BatchLine) -> Vec<String> {
    line.findings
        .iter()
        .flatten()
        .filter_map(|f| f["category"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn report_on_stdin_and_file() {
    let o = run(&[], b"I'm sorry, but you provoked me.\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("but_undoing"), "{s}");
    assert!(s.contains("1:1"), "{s}");
    assert!(s.contains("score "), "{s}");
    assert!(!s.contains('\x1b'), "no colour on a pipe: {s}");

    let path = temp(
        "draft.txt",
        "I was wrong. I'm sorry I missed your recital.\n".as_bytes(),
    );
    let o = run(&[path.to_str().expect("utf-8 path")], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("responsibility"));
}

#[test]
fn json_report_matches_the_schema() {
    let o = run(
        &["--format", "json"],
        "sorry if anyone was offended 😅\r\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0));
    let mut line: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    assert_eq!(line.remove("path"), Some("<stdin>".into()));
    // WireReport denies unknown fields: everything else must be the report contract.
    let report: WireReport =
        serde_json::from_value(serde_json::Value::Object(line)).expect("wire schema");
    assert!(report.apology);
    assert!(report.findings.iter().any(|f| f.category == "conditional"));
    let sum: i32 = report.contributions.iter().map(|c| c.points).sum();
    assert_eq!(Some(sum), report.score.map(i32::from));
}

#[test]
fn check_exit_codes() {
    let good = "I'm sorry I yelled at you. I was wrong, and I'll apologize to the team too.";
    let o = run(&["check"], good.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("check: passed"));

    let o = run(&["check"], b"I'm sorry, but you provoked me.");
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("check: FAILED"));

    let o = run(
        &["check", "--min-score", "100", "--fail-on", "none"],
        good.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1), "a score below --min-score fails");

    let o = run(
        &["check", "--min-score", "0", "--fail-on", "conditional"],
        b"Sorry if anyone was offended.",
    );
    assert_eq!(o.status.code(), Some(1), "a --fail-on category fails");

    let o = run(&["check", "--fail-on", "nonsense"], b"sorry");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn usage_and_input_errors_exit_2() {
    let o = run(&["no-such-file.txt"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-file.txt"), "{}", stderr(&o));

    let o = run(&["batch", "missing.jsonl"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.jsonl"));

    let o = run(&["--no-such-option"], b"");
    assert_eq!(o.status.code(), Some(2));

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let o = run(&[dir.to_str().expect("utf-8 path")], b"");
    assert_eq!(o.status.code(), Some(2), "a directory is an input error");
}

#[test]
fn batch_jsonl_keeps_every_record_in_order() {
    let input = concat!(
        "\u{feff}{\"id\":\"a\",\"text\":\"I'm sorry, but you provoked me.\"}\r\n",
        "{bad json\n",
        "[1,2]\n",
        "{\"id\":\"d\"}\n",
        "{\"id\":\"e\",\"text\":42}\n",
        "\n",
        "{\"text\":\"nul \\u0000 inside, sorry I was late\"}\n",
    );
    let mut bytes = input.as_bytes().to_vec();
    bytes.extend_from_slice(b"{\"id\":\"g\",\"text\":\"\xff\xfe\"}\n");
    let o = run(&["batch"], &bytes);
    assert_eq!(
        o.status.code(),
        Some(0),
        "bad records do not fail the batch"
    );
    let lines = batch_lines(&o);
    assert_eq!(lines.len(), 7, "one output per record");
    let lines_in: Vec<u64> = lines.iter().map(|l| l.line).collect();
    assert_eq!(lines_in, vec![1, 2, 3, 4, 5, 7, 8]);
    assert_eq!(lines[0].id, "a");
    assert!(lines[0].error.is_none());
    assert!(categories(&lines[0]).contains(&"but_undoing".to_string()));
    let sum: i64 = lines[0]
        .contributions
        .iter()
        .flatten()
        .filter_map(|c| c["points"].as_i64())
        .sum();
    assert_eq!(Some(sum), lines[0].score.map(i64::from));
    assert!(lines[0].verdict.is_some() && lines[0].safety.is_some());
    for (i, what) in [
        (1, "malformed JSON"),
        (2, "expected a JSON object"),
        (3, "field `text` is missing"),
        (4, "not a string"),
        (6, "not valid UTF-8"),
    ] {
        let e = lines[i].error.as_deref().unwrap_or_default();
        assert!(e.contains(what), "record {i}: {e}");
        assert!(e.contains(&format!("line {}", lines[i].line)), "{e}");
        assert!(lines[i].score.is_none() && lines[i].findings.is_none());
        assert!(lines[i].verdict.is_none() && lines[i].contributions.is_none());
    }
    assert_eq!(lines[5].id, 7, "no id: the line number");
    assert_eq!(lines[5].apology, Some(true));

    let o = run(&["batch", "--strict"], &bytes);
    assert_eq!(o.status.code(), Some(1), "--strict fails on bad records");
}

#[test]
fn batch_csv_lines_and_gzip() {
    let csv = "msg_id,body\r\n1,\"Sorry if anyone was offended, honestly.\"\r\n2,\"I was wrong, and I'm sorry.\"\r\n";
    let path = temp("records.csv", csv.as_bytes());
    let o = run(
        &[
            "batch",
            "--text-field",
            "body",
            "--id-field",
            "msg_id",
            path.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = batch_lines(&o);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].id, "1");
    assert_eq!(lines[1].line, 3);
    assert!(categories(&lines[0]).contains(&"conditional".to_string()));

    let o = run(
        &["batch", "--input", "csv", "--text-field", "nope"],
        csv.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(2), "a CSV without the text column");
    assert!(stderr(&o).contains("nope"));

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"sorry, my bad\n\nthank you\n").expect("gzip");
    let path = temp("texts.txt.gz", &gz.finish().expect("gzip"));
    let o = run(&["batch", path.to_str().expect("utf-8 path")], b"");
    let lines = batch_lines(&o);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].apology, Some(true));
    assert_eq!(lines[1].apology, Some(false));
    assert_eq!(lines[1].id, 3);

    let o = run(&["batch"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty(), "an empty input has no records");
}

#[test]
fn batch_summary_and_threads() {
    let input = concat!(
        "{\"id\":\"c1\",\"thread_id\":\"t1\",\"author\":\"ann\",\"text\":\"You deleted my branch.\"}\n",
        "{\"id\":\"c2\",\"thread_id\":\"t1\",\"author\":\"bob\",\"parent_id\":\"c1\",\"text\":\"I'm sorry, that was my mistake. I'll restore it today.\"}\n",
        "{\"id\":\"c3\",\"thread_id\":\"t2\",\"author\":\"cy\",\"text\":\"Sorry if anyone was offended.\"}\n",
    );
    let o = run(&["batch", "--summary", "--threads", "2"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("records      3"), "{}", stderr(&o));

    let o = run(&["threads"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let threads: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("thread JSON"))
        .collect();
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0]["thread_id"], "t1");
    assert_eq!(threads[0]["comments"], 2);
    assert_eq!(threads[0]["apologies"], 1);
    let replies = threads[0]["apology_replies"].to_string();
    assert!(
        replies.contains("c2") && replies.contains("c1"),
        "{replies}"
    );
    assert!(threads[0]["authors"].to_string().contains("bob"));
    assert_eq!(threads[1]["deflections"]["conditional"], 1);
}

#[test]
fn rules_completions_and_eval() {
    let o = run(&["rules"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("blame_shift.you_made_me"));
    let o = run(&["rules", "conditional.sorry_if", "--format", "json"], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("\"flag\""));
    let o = run(&["rules", "no.such.rule"], b"");
    assert_eq!(o.status.code(), Some(2));

    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell], b"");
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("ownup"), "{shell}");
    }

    let labels = concat!(
        "{\"id\":\"1\",\"text\":\"I'm sorry, but you provoked me.\",\"apology\":true,\"ownership\":10,\"components\":[\"regret\"],\"deflections\":[\"but_undoing\",\"blame_shift\"]}\n",
        "{\"id\":\"2\",\"text\":\"Thanks for the help!\",\"apology\":false,\"ownership\":null,\"components\":[],\"deflections\":[]}\n",
        "{\"id\":\"3\",\"text\":\"I was wrong. I'm sorry I lied to you, and I'll tell them the truth today.\",\"apology\":true,\"ownership\":85,\"components\":[\"regret\",\"responsibility\",\"repair\"],\"deflections\":[]}\n",
    );
    let path = temp("labels.jsonl", labels.as_bytes());
    let o = run(&["eval", path.to_str().expect("utf-8 path")], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("apology detection"));
    let o = run(
        &[
            "eval",
            "--format",
            "json",
            path.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("eval JSON");
    assert_eq!(v["texts"], 3);
    assert_eq!(v["detection"]["f1"], 1.0);

    let bad = temp("bad-labels.jsonl", b"{\"text\":\"ok\"}\n{oops\n");
    let o = run(&["eval", bad.to_str().expect("utf-8 path")], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad-labels.jsonl:"), "{}", stderr(&o));
}

#[test]
fn colour_follows_the_flags_and_no_color() {
    let o = run(&["--color", "always"], b"I'm sorry, but you provoked me.");
    assert!(stdout(&o).contains('\x1b'), "--color always colours a pipe");
    let o = run(&["--color", "never"], b"I'm sorry, but you provoked me.");
    assert!(!stdout(&o).contains('\x1b'));
    let o = ownup()
        .env("NO_COLOR", "1")
        .args(["--color", "auto"])
        .stdin(Stdio::null())
        .output()
        .expect("run ownup");
    assert!(!stdout(&o).contains('\x1b'), "NO_COLOR in auto mode");
}

#[test]
fn closed_stdout_ends_quietly() {
    let mut input = String::new();
    for i in 0..50_000 {
        input.push_str(&format!(
            "{{\"id\":{i},\"text\":\"I'm sorry I was late, but the trains were awful.\"}}\n"
        ));
    }
    let mut child = ownup()
        .arg("batch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ownup");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
