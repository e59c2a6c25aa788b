//! The README's examples cannot go stale: every `$ ...` command in a ```` ```console ````
//! block runs against the built binary, in a fresh directory holding the files of
//! `tests/readme/` (the `reply.txt`, `comments.jsonl`, ... the examples name), and its output
//! must be the lines that follow it in the README.
//!
//! - stdout and stderr are compared together; the README may show their lines in either
//!   order, as long as each stream's own lines stay in order (a pipe makes their order
//!   vary).
//! - `[..]` in an expected line matches any text (elapsed times, rates).
//! - `echo $?` prints the exit code of the command before it.
//! - Blocks that talk to a running server (`ownup serve`, `curl`) are not run.
//! - A command that needs a tool that is missing here (`jq`) is skipped, and said so.
//!
//! After a change that moves an output (a rule that moves a score), refresh the README in the
//! same commit: `OWNUP_UPDATE_README=1 cargo test --release --test readme` writes each
//! command's actual output (stderr first) in place of the expected one, then check the diff.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One `$ command` of a console block and the README lines of its expected output.
#[derive(Debug)]
struct Example {
    command: String,
    /// Index of the first expected line in the README's lines, and how many.
    output_at: usize,
    expected: Vec<String>,
    /// The block's index, for a fresh directory per block.
    block: usize,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The console blocks' commands, in README order.
fn examples(lines: &[&str]) -> Vec<Example> {
    let mut out = Vec::new();
    let mut block = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```console" {
            i += 1;
            continue;
        }
        block += 1;
        let start = i + 1;
        let end = (start..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or(lines.len());
        let body = &lines[start..end];
        if !body.iter().any(|l| needs_server(l)) {
            out.extend(block_examples(body, start, block));
        }
        i = end + 1;
    }
    out
}

fn needs_server(line: &str) -> bool {
    line.starts_with("$ ownup serve") || line.starts_with("$ curl")
}

fn block_examples(body: &[&str], offset: usize, block: usize) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut j = 0;
    while j < body.len() {
        let Some(first) = body[j].strip_prefix("$ ") else {
            if let Some(last) = out.last_mut() {
                last.expected.push(body[j].to_string());
            }
            j += 1;
            continue;
        };
        let mut command = first.to_string();
        while command.ends_with('\\') && j + 1 < body.len() {
            command.pop();
            j += 1;
            command.push_str(body[j].trim_start());
        }
        j += 1;
        out.push(Example {
            command,
            output_at: offset + j,
            expected: Vec::new(),
            block,
        });
    }
    out
}

/// A fresh directory for a block, with the example files.
fn workdir(block: usize) -> PathBuf {
    let dir = root()
        .join("target")
        .join("readme-examples")
        .join(block.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let fixtures = root().join("tests").join("readme");
    for entry in std::fs::read_dir(&fixtures).into_iter().flatten().flatten() {
        let _ = std::fs::copy(entry.path(), dir.join(entry.file_name()));
    }
    dir
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(tool).is_file()))
}

/// What a command printed: its stdout and stderr lines, and its exit code.
struct Ran {
    stdout: Vec<String>,
    stderr: Vec<String>,
    code: i32,
}

fn run(command: &str, dir: &Path, bin_dir: &Path) -> Ran {
    let path = match std::env::var_os("PATH") {
        Some(p) => {
            let mut all = vec![bin_dir.to_path_buf()];
            all.extend(std::env::split_paths(&p));
            std::env::join_paths(all).unwrap_or(p)
        }
        None => bin_dir.as_os_str().to_owned(),
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("OWNUP_UPDATE_README")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    let lines = |b: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(b)
            .lines()
            .map(str::to_string)
            .collect()
    };
    Ran {
        stdout: lines(&out.stdout),
        stderr: lines(&out.stderr),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Whether an expected line matches an actual one; `[..]` matches any text.
fn line_matches(expected: &str, actual: &str) -> bool {
    let mut parts = expected.split("[..]");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (k, part) in parts.iter().enumerate() {
        if k + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether `expected` is some interleaving of `a` and `b`, each kept in order.
fn interleaves(expected: &[String], a: &[String], b: &[String]) -> bool {
    if expected.len() != a.len() + b.len() {
        return false;
    }
    // reach[i][j]: the first i + j expected lines are a[..i] and b[..j] interleaved.
    let mut reach = vec![vec![false; b.len() + 1]; a.len() + 1];
    reach[0][0] = true;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if (i, j) == (0, 0) {
                continue;
            }
            let e = &expected[i + j - 1];
            let from_a = i > 0 && reach[i - 1][j] && line_matches(e, &a[i - 1]);
            let from_b = j > 0 && reach[i][j - 1] && line_matches(e, &b[j - 1]);
            reach[i][j] = from_a || from_b;
        }
    }
    reach[a.len()][b.len()]
}

#[test]
fn every_readme_example_prints_what_the_readme_shows() {
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap_or_default();
    let lines: Vec<&str> = readme.lines().collect();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_ownup"));
    let bin_dir = bin.parent().map(Path::to_path_buf).unwrap_or_default();
    let update = std::env::var_os("OWNUP_UPDATE_README").is_some();
    let examples = examples(&lines);
    assert!(
        examples.len() > 10,
        "too few console examples found: {}",
        examples.len()
    );

    let mut failures = Vec::new();
    let mut updates: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut dir = PathBuf::new();
    let mut block = 0;
    let mut last_code = 0;
    for ex in &examples {
        if ex.block != block {
            block = ex.block;
            dir = workdir(block);
        }
        let ran = if ex.command.trim() == "echo $?" {
            Ran {
                stdout: vec![last_code.to_string()],
                stderr: Vec::new(),
                code: 0,
            }
        } else if ex.command.contains("| jq") && !on_path("jq") {
            eprintln!("skipped (no jq here): {}", ex.command);
            continue;
        } else {
            run(&ex.command, &dir, &bin_dir)
        };
        last_code = ran.code;
        if interleaves(&ex.expected, &ran.stdout, &ran.stderr) {
            continue;
        }
        let mut actual = ran.stderr.clone();
        actual.extend(ran.stdout.iter().cloned());
        // An expected line with `[..]` that still matches its place is kept as written.
        for (a, e) in actual.iter_mut().zip(&ex.expected) {
            if e.contains("[..]") && line_matches(e, a) {
                a.clone_from(e);
            }
        }
        failures.push(format!(
            "README.md:{}: `$ {}`\n--- README shows\n{}\n--- it prints (stderr first)\n{}",
            ex.output_at,
            ex.command,
            ex.expected.join("\n"),
            actual.join("\n")
        ));
        updates.push((ex.output_at, ex.expected.len(), actual));
    }
    if update && !updates.is_empty() {
        let mut new: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        for (at, len, actual) in updates.into_iter().rev() {
            new.splice(at..at + len, actual);
        }
        let mut text = new.join("\n");
        text.push('\n');
        std::fs::write(&readme_path, text).unwrap_or_else(|e| panic!("README.md: {e}"));
        eprintln!("README.md updated: {} examples rewritten", failures.len());
        return;
    }
    assert!(
        failures.is_empty(),
        "{} README example(s) print something else (OWNUP_UPDATE_README=1 rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn wildcards_and_interleaving() {
    assert!(line_matches(
        "elapsed [..] records/s",
        "elapsed 0.1s (10 records/s"
    ));
    assert!(!line_matches("score 74/100", "score 68/100"));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(interleaves(
        &s(&["e1", "o1", "o2"]),
        &s(&["o1", "o2"]),
        &s(&["e1"])
    ));
    assert!(!interleaves(&s(&["o2", "o1"]), &s(&["o1", "o2"]), &[]));
}
