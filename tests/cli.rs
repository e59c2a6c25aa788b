//! Runs the built `ownup` binary for each use: the report, `check`, `batch` (JSONL, CSV,
//! lines, gzip, bad records), `threads`, `rules`, `eval`, completions, exit codes, colour
//! and a closed stdout. Scores depend on rule tuning, which goes on independently of the
//! command line, so these tests pin structure, exit codes and clear-cut categories, never
//! exact numbers; and nothing here is timed.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ownup::eval::EvalReport;
use ownup::report::WireReport;
use serde::Deserialize;
use serde_json::{Map, Value};

const DEFLECTING: &str = "I'm sorry, but you provoked me.";
const CONDITIONAL: &str = "sorry if anyone was offended";
const OWNING: &str = "I'm sorry I yelled at you in front of everyone. I was wrong, and I \
                      embarrassed you. I'll apologize to the team today, and I won't do it again.";

fn ownup() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ownup"));
    // The tests' own environment must not decide whether colour is used.
    c.env_remove("NO_COLOR").env_remove("TERM");
    c
}

fn run_with(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ownup");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    // A writer thread, so that a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait for ownup");
    let _ = writer.join();
    out
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = ownup();
    cmd.args(args);
    run_with(cmd, stdin)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

/// A file under cargo's scratch directory for integration tests; every test uses names of
/// its own, since tests run in parallel.
fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ownup-cli");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn json_object(line: &str) -> Map<String, Value> {
    match serde_json::from_str(line) {
        Ok(Value::Object(m)) => m,
        other => panic!("not a JSON object: {other:?}: {line}"),
    }
}

/// One `batch` output line, with its schema checked: `id` (a string or `null`), `file`,
/// `line` and `error`, and then either the report contract (a good record; `WireReport`
/// denies unknown fields) or every report field `null` (a bad record).
#[derive(Debug)]
struct BatchLine {
    id: Value,
    file: String,
    line: u64,
    error: Option<String>,
    report: Option<WireReport>,
}

fn report_keys() -> BTreeSet<String> {
    let o = run(&["--format", "json"], b"sorry");
    let mut m = json_object(stdout(&o).trim());
    m.remove("path");
    m.into_iter().map(|(k, _)| k).collect()
}

fn batch_lines(o: &Output) -> Vec<BatchLine> {
    let keys = report_keys();
    stdout(o)
        .lines()
        .map(|l| {
            let mut m = json_object(l);
            let id = m.remove("id").expect("`id` field");
            assert!(
                id.is_string() || id.is_null(),
                "`id` is a string or null: {l}"
            );
            let file = match m.remove("file") {
                Some(Value::String(f)) => f,
                other => panic!("`file` is {other:?}: {l}"),
            };
            let line = m
                .remove("line")
                .and_then(|v| v.as_u64())
                .expect("`line` field");
            let error = match m.remove("error").expect("`error` field") {
                Value::Null => None,
                Value::String(s) => Some(s),
                other => panic!("`error` is {other}"),
            };
            let report = if error.is_none() {
                Some(serde_json::from_value(Value::Object(m)).expect("the report schema"))
            } else {
                let got: BTreeSet<String> = m.keys().cloned().collect();
                assert_eq!(got, keys, "an error record has every report field: {l}");
                assert!(m.values().all(Value::is_null), "all null: {l}");
                None
            };
            BatchLine {
                id,
                file,
                line,
                error,
                report,
            }
        })
        .collect()
}

/// The `batch` output lines without their `file`, to compare the same records read from
/// different inputs.
fn records_only(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| {
            let mut m = json_object(l);
            m.remove("file");
            Value::Object(m).to_string()
        })
        .collect()
}

fn categories(r: &WireReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.category.as_str()).collect()
}

fn has_category(l: &BatchLine, c: &str) -> bool {
    l.report
        .as_ref()
        .is_some_and(|r| categories(r).contains(&c))
}

#[test]
fn default_report_on_stdin_a_dash_and_a_file() {
    let o = run(&[], DEFLECTING.as_bytes());
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("1:1  regret  regret.sorry"), "{s}");
    assert!(
        s.contains("but_undoing") && s.contains("blame_shift"),
        "{s}"
    );
    assert!(
        s.contains("| I'm sorry, but you provoked me."),
        "the line is shown: {s}"
    );
    assert!(s.contains("^^^"), "the span is marked: {s}");
    assert!(s.contains("score ") && s.contains("/100"), "{s}");
    assert!(s.contains("suggestions:"), "{s}");
    assert!(!s.contains('\x1b'), "no colour on a pipe: {s}");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));

    let dash = run(&["-"], DEFLECTING.as_bytes());
    assert_eq!(code(&dash), Some(0));
    assert_eq!(stdout(&dash), s, "`-` is stdin");

    let path = temp("report-draft.txt", OWNING.as_bytes());
    let o = run(&[path_str(&path)], b"");
    assert_eq!(code(&o), Some(0));
    assert!(stdout(&o).contains("responsibility"), "{}", stdout(&o));

    let other = temp("report-other.txt", CONDITIONAL.as_bytes());
    let o = run(&[path_str(&path), path_str(&other)], b"");
    assert_eq!(code(&o), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains("report-draft.txt") && s.contains("report-other.txt"),
        "{s}"
    );
    assert!(s.contains("conditional"), "{s}");
}

#[test]
fn json_report_matches_the_schema() {
    let o = run(
        &["--format", "json"],
        format!("\u{feff}{CONDITIONAL} 😅\r\n").as_bytes(),
    );
    assert_eq!(code(&o), Some(0));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "one object per text");
    let mut m = json_object(out.trim());
    assert_eq!(m.remove("path"), Some("<stdin>".into()));
    let report: WireReport = serde_json::from_value(Value::Object(m)).expect("wire schema");
    assert!(report.apology);
    assert!(categories(&report).contains(&"conditional"));
    let sum: i32 = report.contributions.iter().map(|c| c.points).sum();
    assert_eq!(Some(sum), report.score.map(i32::from), "points add up");
    for f in &report.findings {
        assert!(f.start < f.end && f.line >= 1 && f.column >= 1);
    }

    // `check --format json` adds its verdict and nothing else.
    let o = run(&["check", "--format", "json"], DEFLECTING.as_bytes());
    assert_eq!(code(&o), Some(1));
    let mut m = json_object(stdout(&o).trim());
    let check = m.remove("check").expect("`check` field");
    assert_eq!(check["passed"], false);
    assert!(check["reasons"].as_array().is_some_and(|r| !r.is_empty()));
    m.remove("path");
    let _: WireReport = serde_json::from_value(Value::Object(m)).expect("wire schema");
}

#[test]
fn check_exit_codes() {
    let o = run(&["check"], OWNING.as_bytes());
    assert_eq!(code(&o), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("check: passed"));

    let o = run(&["check"], DEFLECTING.as_bytes());
    assert_eq!(code(&o), Some(1), "an undoing deflection fails by default");
    assert!(stdout(&o).contains("check: FAILED"));

    // A bare "Sorry." owns nothing else, so it cannot reach 100 under any tuning.
    let o = run(
        &["check", "--min-score", "100", "--fail-on", "none"],
        b"Sorry.",
    );
    assert_eq!(code(&o), Some(1), "a score below --min-score fails");
    assert!(stdout(&o).contains("min-score 100"), "{}", stdout(&o));
    let o = run(
        &["check", "--min-score", "0", "--fail-on", "none"],
        b"Sorry.",
    );
    assert_eq!(code(&o), Some(0));
    let o = run(&["check"], b"See you at noon.");
    assert_eq!(code(&o), Some(0), "no apology, no score: nothing fails");

    let o = run(
        &["check", "--min-score", "0", "--fail-on", "none"],
        DEFLECTING.as_bytes(),
    );
    assert_eq!(code(&o), Some(0), "nothing to fail on");

    let o = run(
        &["check", "--min-score", "0", "--fail-on", "conditional"],
        CONDITIONAL.as_bytes(),
    );
    assert_eq!(code(&o), Some(1), "a --fail-on category fails");
    assert!(stdout(&o).contains("conditional"), "{}", stdout(&o));

    let o = run(
        &["check", "--min-score", "0", "--fail-on", "blame_shift"],
        CONDITIONAL.as_bytes(),
    );
    assert_eq!(code(&o), Some(0), "a category that is not there");

    for bad in [
        &["check", "--fail-on", "nonsense"][..],
        &["check", "--fail-on", "regret"],
        &["check", "--min-score", "101"],
    ] {
        let o = run(bad, b"sorry");
        assert_eq!(code(&o), Some(2), "{bad:?}");
    }

    // One failing text among several fails the run; the others are still reported.
    let good = temp("check-good.txt", OWNING.as_bytes());
    let bad = temp("check-bad.txt", DEFLECTING.as_bytes());
    let o = run(&["check", path_str(&good), path_str(&bad)], b"");
    assert_eq!(code(&o), Some(1));
    assert!(stdout(&o).contains("check: passed"));
}

#[test]
fn usage_and_input_errors_exit_2() {
    let o = run(&["no-such-file.txt"], b"");
    assert_eq!(code(&o), Some(2));
    assert!(stderr(&o).contains("no-such-file.txt"), "{}", stderr(&o));

    for cmd in ["check", "batch", "threads", "eval"] {
        let o = run(&[cmd, "missing-input.jsonl"], b"");
        assert_eq!(code(&o), Some(2), "{cmd}");
        assert!(
            stderr(&o).contains("missing-input.jsonl"),
            "{cmd}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"));
    }

    // A missing file among good ones: the good ones are reported, the run exits 2.
    let good = temp("errors-good.txt", b"sorry I was late");
    let o = run(&[path_str(&good), "gone.txt"], b"");
    assert_eq!(code(&o), Some(2));
    assert!(stdout(&o).contains("regret") && stderr(&o).contains("gone.txt"));

    for args in [
        &["--no-such-option"][..],
        &["batch", "--no-such-option"],
        &["batch", "--input", "xml"],
        &["batch", "--threads", "many"],
        &["batch", "--format", "human"],
        // Options are offered only where they work.
        &["batch", "--format", "json"],
        &["threads", "--color", "never"],
        &["completions", "--format", "json", "bash"],
        &["completions", "--lexicon", "x.toml", "bash"],
        &["--format", "json", "batch"],
        &["completions", "tcsh"],
        &["eval"],
    ] {
        let o = run(args, b"");
        assert_eq!(code(&o), Some(2), "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?} says why");
    }

    let o = run(&["--format", "json", "batch", "x.jsonl"], b"");
    assert!(
        stderr(&o).contains("`batch` is a command"),
        "{}",
        stderr(&o)
    );

    for (cmd, absent) in [
        ("batch", &["--format", "--color"][..]),
        ("threads", &["--format", "--color"]),
        (
            "completions",
            &["--format", "--color", "--lexicon", "--disable"],
        ),
        ("rules", &["--color"]),
    ] {
        let help = stdout(&run(&[cmd, "--help"], b""));
        for option in absent {
            assert!(!help.contains(option), "`{cmd} --help` offers {option}");
        }
    }

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for cmd in [&[][..], &["batch"], &["eval"]] {
        let mut args = cmd.to_vec();
        args.push(path_str(&dir));
        let o = run(&args, b"");
        assert_eq!(code(&o), Some(2), "a directory is an input error: {args:?}");
        assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
    }
}

#[test]
fn help_and_version() {
    let o = run(&["--help"], b"");
    assert_eq!(code(&o), Some(0));
    let s = stdout(&o);
    for word in [
        "Usage: ownup",
        "check",
        "batch",
        "threads",
        "rules",
        "eval",
        "completions",
        "Exit codes",
        "NO_COLOR",
    ] {
        assert!(s.contains(word), "--help mentions {word}");
    }
    let o = run(&["batch", "--help"], b"");
    assert_eq!(code(&o), Some(0));
    for flag in [
        "--input",
        "--text-field",
        "--id-field",
        "--threads",
        "--summary",
    ] {
        assert!(stdout(&o).contains(flag), "batch --help mentions {flag}");
    }
    let o = run(&["--version"], b"");
    assert_eq!(code(&o), Some(0));
    assert!(stdout(&o).starts_with("ownup "));
}

#[test]
fn batch_bad_records_each_give_one_error_record() {
    let mut input = Vec::new();
    input.extend_from_slice(
        b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"I'm sorry, but you provoked me.\"}\r\n",
    );
    input.extend_from_slice(b"{bad json\r\n");
    input.extend_from_slice(b"[1,2]\n");
    input.extend_from_slice(b"{\"id\":\"d\"}\n");
    input.extend_from_slice(b"{\"id\":\"e\",\"text\":42}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"text\":\"nul \\u0000 inside, sorry I was late\"}\n");
    input.extend_from_slice(b"{\"id\":\"g\",\"text\":\"\xff\xfe\"}\n");
    input.extend_from_slice(b"{\"id\":\"h\",\"text\":null}");
    let o = run(&["batch"], &input);
    assert_eq!(code(&o), Some(0), "bad records do not fail the batch");
    let lines = batch_lines(&o);
    assert_eq!(
        lines.len(),
        8,
        "one output per record; the blank line is none"
    );
    let at: Vec<u64> = lines.iter().map(|l| l.line).collect();
    assert_eq!(at, vec![1, 2, 3, 4, 5, 7, 8, 9]);

    assert_eq!(lines[0].id, "a", "the BOM is not part of the first record");
    assert!(lines[0].error.is_none());
    assert!(has_category(&lines[0], "but_undoing"));
    assert_eq!(lines[5].id, Value::Null, "no id: null (`line` says where)");
    assert!(lines[5].report.as_ref().is_some_and(|r| r.apology));

    for (i, what) in [
        (1, "not valid JSON"),
        (2, "expected a JSON object"),
        (3, "field `text` is missing"),
        (4, "field `text` is not a string"),
        (6, "not valid UTF-8"),
        (7, "field `text` is not a string"),
    ] {
        let e = lines[i].error.as_deref().unwrap_or_default();
        assert!(e.contains(what), "record {i}: {e}");
        assert!(e.starts_with(&format!("line {}: ", lines[i].line)), "{e}");
        assert!(lines[i].report.is_none());
    }
    assert_eq!(lines[3].id, "d", "an id that could be read is kept");
    assert_eq!(lines[6].id, "g", "even when the text is not UTF-8");
    assert!(
        lines.iter().all(|l| l.file == "<stdin>"),
        "the file of every line"
    );
    assert!(
        stderr(&o).contains("6 of 8 records were bad"),
        "{}",
        stderr(&o)
    );

    let o = run(&["batch", "--strict"], &input);
    assert_eq!(code(&o), Some(1), "--strict fails on bad records");
    assert_eq!(batch_lines(&o).len(), 8);

    let empty = temp("batch-empty.jsonl", b"");
    for args in [&["batch"][..], &["batch", path_str(&empty)]] {
        let o = run(args, b"");
        assert_eq!(code(&o), Some(0), "{args:?}");
        assert!(stdout(&o).is_empty(), "an empty input has no records");
    }
}

#[test]
fn batch_errors_name_the_file_when_there_are_several() {
    let a = temp(
        "several-a.jsonl",
        b"{\"id\":1,\"text\":\"sorry\"}\n{\"id\":2,\"text\":7}\n",
    );
    let b = temp(
        "several-b.jsonl",
        b"{\"id\":3,\"text\":\"my bad\"}\n{oops\n",
    );
    let o = run(&["batch", path_str(&a), path_str(&b)], b"");
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let lines = batch_lines(&o);
    let ids: Vec<Value> = lines.iter().map(|l| l.id.clone()).collect();
    assert_eq!(
        ids,
        vec![Value::from("1"), "2".into(), "3".into(), Value::Null]
    );
    let files: Vec<&str> = lines.iter().map(|l| l.file.as_str()).collect();
    assert_eq!(
        files,
        [path_str(&a), path_str(&a), path_str(&b), path_str(&b)],
        "each line says which file it came from"
    );
    let e1 = lines[1].error.as_deref().unwrap_or_default();
    assert!(
        e1.starts_with(&format!("{}: line 2: field `text`", path_str(&a))),
        "{e1}"
    );
    let e3 = lines[3].error.as_deref().unwrap_or_default();
    assert!(
        e3.starts_with(&format!("{}: line 2: not valid JSON", path_str(&b))),
        "{e3}"
    );

    // One input: the message stays `line N: ...`.
    let o = run(&["batch", path_str(&a)], b"");
    let e = batch_lines(&o)[1].error.clone().unwrap_or_default();
    assert!(e.starts_with("line 2: "), "{e}");
}

#[test]
fn batch_keeps_every_record_in_order_across_chunks_and_threads() {
    // More records than one chunk holds, with bad ones spread through them.
    let n = 9_000;
    let mut input = String::new();
    for i in 0..n {
        match i % 7 {
            3 => input.push_str(&format!("{{\"id\":{i},\"text\":{i}}}\n")),
            5 => input.push_str("not json\n"),
            _ => input.push_str(&format!(
                "{{\"id\":{i},\"text\":\"I'm sorry I broke the build, number {i}.\"}}\n"
            )),
        }
    }
    let path = temp("order.jsonl.gz", &gzip(input.as_bytes()));
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let o = run(&["batch", "--threads", threads, path_str(&path)], b"");
        assert_eq!(code(&o), Some(0));
        let lines = batch_lines(&o);
        assert_eq!(lines.len(), n, "records out == records in");
        for (i, l) in lines.iter().enumerate() {
            assert_eq!(l.line, i as u64 + 1);
            let expected = if i % 7 == 5 {
                Value::Null
            } else {
                Value::from(i.to_string())
            };
            assert_eq!(l.id, expected, "in input order");
            assert_eq!(l.error.is_some(), i % 7 == 3 || i % 7 == 5);
        }
        outputs.push(o.stdout);
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "--threads changes nothing but speed"
    );
}

#[test]
fn batch_csv_lines_gzip_and_fields() {
    let csv = "\u{feff}msg_id,body\r\n1,\"Sorry if anyone was offended, honestly.\"\r\n2,\"I was wrong,\r\nand I'm sorry.\"\r\n3\r\n";
    let path = temp("fields.csv", csv.as_bytes());
    let args = [
        "batch",
        "--text-field",
        "body",
        "--id-field",
        "msg_id",
        path_str(&path),
    ];
    let o = run(&args, b"");
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let lines = batch_lines(&o);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].id, "1");
    assert!(has_category(&lines[0], "conditional"));
    assert_eq!((lines[1].id.clone(), lines[1].line), ("2".into(), 3));
    assert!(lines[1].report.is_some(), "a quoted field may span lines");
    let e = lines[2].error.as_deref().unwrap_or_default();
    assert_eq!(e, "line 5: the row has 1 field, the header 2");

    let gz = temp("fields.csv.gz", &gzip(csv.as_bytes()));
    let mut args_gz = args;
    args_gz[5] = path_str(&gz);
    let o_gz = run(&args_gz, b"");
    assert_eq!(
        records_only(&o_gz),
        records_only(&o),
        ".csv.gz reads as .csv"
    );

    let o = run(
        &["batch", "--input", "csv", "--text-field", "nope"],
        csv.as_bytes(),
    );
    assert_eq!(code(&o), Some(2), "a CSV without the text column");
    assert!(stderr(&o).contains("nope"));

    let jsonl =
        "{\"key\":\"k1\",\"body\":\"sorry if anyone was offended\"}\n{\"body\":\"thanks!\"}\n";
    let o = run(
        &["batch", "--text-field", "body", "--id-field", "key"],
        jsonl.as_bytes(),
    );
    let lines = batch_lines(&o);
    assert_eq!(lines[0].id, "k1");
    assert!(has_category(&lines[0], "conditional"));
    assert_eq!(lines[1].id, Value::Null);
    assert!(lines[1].report.as_ref().is_some_and(|r| !r.apology));

    let text = b"sorry, my bad\r\n\r\nthank you\n";
    let plain = temp("texts.txt", text);
    let packed = temp("texts.txt.gz", &gzip(text));
    let o = run(&["batch", path_str(&plain)], b"");
    let lines = batch_lines(&o);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0].line, lines[1].line, lines[0].id.clone()),
        (1, 3, Value::Null)
    );
    assert!(lines[0].report.as_ref().is_some_and(|r| r.apology));
    assert!(lines[1].report.as_ref().is_some_and(|r| !r.apology));
    let o_packed = run(&["batch", path_str(&packed)], b"");
    assert_eq!(records_only(&o_packed), records_only(&o));
    let o_stdin = run(&["batch", "--input", "lines"], text);
    assert_eq!(
        records_only(&o_stdin),
        records_only(&o),
        "--input lines on stdin"
    );

    let jsonl_gz = temp("records.jsonl.gz", &gzip(jsonl.as_bytes()));
    let o = run(&["batch", "--text-field", "body", path_str(&jsonl_gz)], b"");
    assert_eq!(batch_lines(&o).len(), 2);

    let o_piped = run(&["batch", "--text-field", "body"], &gzip(jsonl.as_bytes()));
    assert_eq!(
        records_only(&o_piped),
        records_only(&run(&["batch", "--text-field", "body"], jsonl.as_bytes())),
        "gzip on stdin is told by its first bytes"
    );

    let bad_csv = "id,text\n1,\"ok\"\n2,one,too many\n3,\"sorry\n4,never closed\n";
    let o = run(&["batch", "--input", "csv"], bad_csv.as_bytes());
    assert_eq!(code(&o), Some(0));
    let lines = batch_lines(&o);
    let got: Vec<(u64, Option<&str>)> =
        lines.iter().map(|l| (l.line, l.error.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            (2, None),
            (3, Some("line 3: the row has 3 fields, the header 2")),
            (
                4,
                Some(
                    "line 4: a quoted field opened on line 4 never closes: the rest of the \
                     input was read as this one field"
                )
            ),
        ]
    );
    assert_eq!(lines[2].id, "3", "the id of a bad row is kept");

    let corrupt = temp("corrupt.jsonl.gz", b"\x1f\x8b\x08\x00not gzip at all");
    let o = run(&["batch", path_str(&corrupt)], b"");
    assert_eq!(code(&o), Some(2), "a corrupt gzip stream is an input error");
    assert!(stderr(&o).contains("corrupt.jsonl.gz"), "{}", stderr(&o));
}

#[test]
fn batch_summary_and_no_progress_bar_on_a_pipe() {
    let input = format!(
        "{{\"text\":\"{DEFLECTING}\"}}\n{{\"text\":\"{CONDITIONAL}\"}}\n{{\"text\":\"see you at noon\"}}\n{{oops\n"
    );
    let o = run(&["batch", "--summary", "--threads", "2"], input.as_bytes());
    assert_eq!(code(&o), Some(0));
    let e = stderr(&o);
    for total in [
        "records      4",
        "apologies    2",
        "mean score",
        "errors       1",
        "elapsed",
        "but_undoing",
        "conditional",
    ] {
        assert!(e.contains(total), "summary has {total}: {e}");
    }
    assert_eq!(batch_lines(&o).len(), 4, "the summary is not on stdout");
    assert!(
        !e.contains('\r') && !e.contains('\x1b'),
        "no progress bar: {e:?}"
    );
}

/// One `threads` output line; unknown fields are an error, so the schema is pinned.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreadLine {
    thread_id: String,
    comments: u64,
    apologies: u64,
    mean_score: Option<f64>,
    min_score: Option<u8>,
    deflections: std::collections::BTreeMap<String, u64>,
    authors: std::collections::BTreeMap<String, AuthorTally>,
    apology_replies: Vec<ApologyReply>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorTally {
    comments: u64,
    apologies: u64,
    mean_score: Option<f64>,
    min_score: Option<u8>,
    deflections: std::collections::BTreeMap<String, u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApologyReply {
    id: String,
    parent_id: String,
    parent_author: Option<String>,
    author: Option<String>,
    score: Option<u8>,
}

#[test]
fn threads_count_per_thread_and_author_and_link_replies() {
    let input = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        r#"{"id":"c1","thread_id":"t1","author":"ann","text":"You deleted my branch."}"#,
        r#"{"id":"c2","thread_id":"t1","author":"bob","parent_id":"c1","text":"I'm sorry, that was my mistake. I'll restore it today."}"#,
        r#"{"id":"c3","thread_id":"t2","author":"cy","text":"sorry if anyone was offended"}"#,
        r#"{"id":"c4","thread_id":"t1","author":"bob","parent_id":"c1","text":"I'm sorry, but you provoked me."}"#,
        r#"{"id":"c5","thread_id":"t1","text":7}"#,
    );
    let o = run(&["threads"], input.as_bytes());
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 5"),
        "a bad record is named: {}",
        stderr(&o)
    );
    let threads: Vec<ThreadLine> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(threads.len(), 2, "in order of first appearance");
    let t1 = &threads[0];
    assert_eq!(t1.thread_id, "t1");
    assert_eq!((t1.comments, t1.apologies), (3, 2));
    let (mean, min) = (t1.mean_score.unwrap_or(-1.0), t1.min_score.unwrap_or(0));
    assert!(f64::from(min) <= mean, "{mean} {min}");
    assert!(
        t1.deflections.contains_key("but_undoing"),
        "{:?}",
        t1.deflections
    );
    let bob = &t1.authors["bob"];
    assert_eq!((bob.comments, bob.apologies), (2, 2));
    assert!(bob.deflections.contains_key("but_undoing"));
    assert!(bob.mean_score.is_some() && bob.min_score.is_some());
    let ann = &t1.authors["ann"];
    assert_eq!((ann.comments, ann.apologies), (1, 0));
    assert_eq!((ann.mean_score, ann.min_score), (None, None));
    let replies: Vec<(&str, &str, Option<&str>, Option<&str>)> = t1
        .apology_replies
        .iter()
        .map(|r| {
            assert!(r.score.is_some());
            (
                r.id.as_str(),
                r.parent_id.as_str(),
                r.parent_author.as_deref(),
                r.author.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        replies,
        vec![
            ("c2", "c1", Some("ann"), Some("bob")),
            ("c4", "c1", Some("ann"), Some("bob"))
        ]
    );
    let t2 = &threads[1];
    assert_eq!(
        (t2.thread_id.as_str(), t2.comments, t2.apologies),
        ("t2", 1, 1)
    );
    assert_eq!(t2.deflections.get("conditional"), Some(&1));
    assert!(t2.apology_replies.is_empty());

    let o = run(&["threads", "--strict"], input.as_bytes());
    assert_eq!(code(&o), Some(1));

    let csv = "conv,who,reply_to,id,text\nx,ann,,1,You were late.\nx,bob,1,2,Sorry I was late.\n";
    let o = run(
        &[
            "threads",
            "--input",
            "csv",
            "--thread-field",
            "conv",
            "--author-field",
            "who",
            "--parent-field",
            "reply_to",
        ],
        csv.as_bytes(),
    );
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let t: ThreadLine = serde_json::from_str(stdout(&o).trim()).expect("one thread");
    assert_eq!((t.thread_id.as_str(), t.comments), ("x", 2));
    assert_eq!(t.apology_replies.len(), 1);
    assert_eq!(t.apology_replies[0].parent_author.as_deref(), Some("ann"));
}

#[test]
fn rules_and_completions() {
    let o = run(&["rules"], b"");
    assert_eq!(code(&o), Some(0));
    let s = stdout(&o);
    for id in [
        "regret",
        "blame_shift.you_made_me",
        "conditional.sorry_if",
        "but_undoing",
    ] {
        assert!(s.contains(id), "rules lists {id}");
    }

    let o = run(&["rules", "conditional.sorry_if"], b"");
    assert_eq!(code(&o), Some(0));
    assert!(stdout(&o).contains("conditional.sorry_if"));
    assert!(
        !stdout(&o).contains("blame_shift.you_made_me"),
        "one rule only"
    );

    let o = run(&["rules", "conditional.sorry_if", "--format", "json"], b"");
    assert_eq!(code(&o), Some(0));
    let v: Value = serde_json::from_str(stdout(&o).trim()).expect("rules JSON");
    assert!(v.to_string().contains("\"flag\""), "{v}");

    let o = run(&["rules", "--format", "json"], b"");
    let v: Value = serde_json::from_str(stdout(&o).trim()).expect("rules JSON");
    assert!(v["categories"].as_array().is_some_and(|c| c.len() >= 20));

    let o = run(&["rules", "no.such.rule"], b"");
    assert_eq!(code(&o), Some(2));
    assert!(stderr(&o).contains("no.such.rule"), "{}", stderr(&o));

    for (shell, marker) in [
        ("bash", "complete"),
        ("zsh", "#compdef"),
        ("fish", "complete -c ownup"),
    ] {
        let o = run(&["completions", shell], b"");
        assert_eq!(code(&o), Some(0), "{shell}");
        let s = stdout(&o);
        assert!(s.contains(marker) && s.contains("batch"), "{shell}: {s}");
    }
}

fn label(
    id: &str,
    text: &str,
    apology: bool,
    own: Option<u8>,
    comp: &[&str],
    defl: &[&str],
) -> String {
    serde_json::json!({
        "id": id, "text": text, "apology": apology, "ownership": own,
        "components": comp, "deflections": defl,
    })
    .to_string()
}

#[test]
fn eval_reports_agreement_and_names_bad_labels() {
    let labels = [
        label("1", DEFLECTING, true, Some(10), &["regret"], &["but_undoing", "blame_shift"]),
        label("2", "Thanks for the help!", false, None, &[], &[]),
        label("3", OWNING, true, Some(90), &["regret", "responsibility", "impact", "repair", "change"], &[]),
        label("4", CONDITIONAL, true, Some(20), &["regret"], &["conditional"]),
        // A superset of the fields, as ownup's own corpora have: ignored by the measures
        // that do not use them.
        r#"{"id":"5","text":"ok, see you at noon","apology":false,"ownership":null,"components":[],"deflections":[],"band":"no_apology","absent":["regret"],"kind":"chat","note":"x"}"#.to_string(),
    ]
    .join("\n");
    let path = temp("eval-labels.jsonl", labels.as_bytes());
    let o = run(&["eval", path_str(&path)], b"");
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    for part in [
        "texts: 5",
        "apology detection",
        "spearman",
        "components (micro)",
        "deflections (micro)",
        "per category, components:",
        "per category, deflections:",
    ] {
        assert!(s.contains(part), "{part}: {s}");
    }

    let o = run(
        &["eval", "--format", "json", "--worst", "1", path_str(&path)],
        b"",
    );
    assert_eq!(code(&o), Some(0));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "one JSON object");
    let report: EvalReport = serde_json::from_str(out.trim()).expect("eval JSON");
    assert_eq!(report.texts, 5);
    assert_eq!(
        report.detection.f1, 1.0,
        "clear-cut apologies and non-apologies"
    );
    assert_eq!(report.spearman_n, 3);
    assert!(report.worst.len() <= 1);
    assert!(report.categories.contains_key("but_undoing"));

    let o = run(&["eval", "-"], labels.as_bytes());
    assert_eq!(code(&o), Some(0), "labels on stdin");

    for (name, body, what) in [
        (
            "eval-bad-json.jsonl",
            "{\"text\":\"ok\"}\n\n{oops\n",
            "line 3: ",
        ),
        (
            "eval-no-text.jsonl",
            "{\"apology\":true}\n",
            "line 1: missing field `text`",
        ),
        (
            "eval-bad-type.jsonl",
            "{\"text\":\"x\",\"apology\":\"yes\"}\n",
            "line 1: ",
        ),
        (
            "eval-bad-category.jsonl",
            "{\"text\":\"x\",\"deflections\":[\"blameshift\"]}\n",
            "line 1: `deflections`: unknown category `blameshift`",
        ),
    ] {
        let bad = temp(name, body.as_bytes());
        let o = run(&["eval", path_str(&path), path_str(&bad)], b"");
        assert_eq!(code(&o), Some(2), "{name}");
        let e = stderr(&o);
        assert!(
            e.contains(&format!("{}: {what}", path_str(&bad))),
            "{name}: {e}"
        );
        assert!(stdout(&o).is_empty(), "no report from bad labels");
    }
}

#[test]
fn eval_reads_the_corpora_and_the_shared_dev_set() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("corpora"))
        .expect("corpora/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    // The dev set lives outside the repository; when it is absent, only the corpora run.
    let dev = root.join("../shared/data/dev/apologies.jsonl");
    if dev.exists() {
        files.push(dev);
    }
    let mut args = vec!["eval", "--format", "json", "--worst", "0"];
    args.extend(files.iter().map(|p| path_str(p)));
    let o = run(&args, b"");
    assert_eq!(code(&o), Some(0), "{}", stderr(&o));
    let report: EvalReport = serde_json::from_str(stdout(&o).trim()).expect("eval JSON");
    assert!(report.texts > 100 && report.spearman.is_some());
    assert!(report.worst.is_empty());
}

#[test]
fn colour_follows_the_flags_and_no_color() {
    let coloured = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = ownup();
        cmd.args(args).envs(envs.iter().copied());
        stdout(&run_with(cmd, DEFLECTING.as_bytes())).contains('\x1b')
    };
    assert!(
        coloured(&[], &["--color", "always"]),
        "--color always colours a pipe"
    );
    assert!(!coloured(&[], &["--color", "never"]));
    assert!(!coloured(&[], &[]), "auto: not on a pipe");
    assert!(
        !coloured(&[("NO_COLOR", "1")], &["--color", "auto"]),
        "NO_COLOR in auto mode"
    );
    assert!(
        coloured(&[("NO_COLOR", "1")], &["--color", "always"]),
        "--color always overrides NO_COLOR, as documented"
    );
    assert!(!coloured(
        &[("NO_COLOR", "1")],
        &["check", "--color", "auto"]
    ));
    // JSON is never coloured.
    assert!(!coloured(&[], &["--color", "always", "--format", "json"]));
}

#[test]
fn closed_stdout_ends_quietly() {
    let mut input = String::new();
    for i in 0..50_000 {
        input.push_str(&format!(
            "{{\"id\":{i},\"text\":\"I'm sorry I was late, but the trains were awful.\"}}\n"
        ));
    }
    let path = temp("closed-stdout.jsonl", input.as_bytes());
    let small = temp("closed-stdout.txt", DEFLECTING.as_bytes());
    let mut many = vec!["--format", "json"];
    many.extend(std::iter::repeat_n(path_str(&small), 5_000));
    for args in [vec!["batch", path_str(&path)], many] {
        let mut child = ownup()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ownup");
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        reader.read_line(&mut first).expect("one line");
        assert!(first.starts_with('{'), "{first}");
        drop(reader);
        let out = child.wait_with_output().expect("wait");
        assert_eq!(code(&out), Some(0), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        assert!(!stderr(&out).contains("Broken pipe"), "{}", stderr(&out));
    }
}
