//! Checking a draft through the binary: what is missing, advice that fits the setting, the
//! project config, inline control and Markdown, care before critique, no apology, marks that
//! read without colour, and error messages for people.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs ownup in `dir` with `stdin`, never reading a config from above the test's directory
/// unless the test puts one there.
fn run_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ownup"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start ownup: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("ownup did not finish: {e}"))
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut all = vec!["--no-config"];
    all.extend_from_slice(args);
    // `--no-config` belongs after a command name.
    if let Some(cmd) = args.first().filter(|a| !a.starts_with('-')) {
        all = vec![cmd, "--no-config"];
        all.extend_from_slice(&args[1..]);
    }
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &all, stdin)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(out(o).lines().next().unwrap_or_default()).unwrap_or_default()
}

/// A scratch directory of its own under target/.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("advice-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

const SUPPORT: &str = "Hi @sam, we apologize for any frustration this may have caused. Please DM us your order number.";

#[test]
fn missing_components_come_most_important_first_and_quote_the_text() {
    let o = run(&["--format", "json"], "We apologize for the delay.");
    let missing = json(&o)["missing"].as_array().cloned().unwrap_or_default();
    assert!(!missing.is_empty(), "{}", out(&o));
    let first = missing[0]["advice"].as_str().unwrap_or_default();
    assert!(
        first.starts_with("You say sorry for 'the delay'; "),
        "{first}"
    );
    let o = run(&[], "We apologize for the delay.");
    assert!(
        out(&o).contains("missing, most important first:\n  - "),
        "{}",
        out(&o)
    );
    // The order depends on the setting: support wants the fix before the feelings.
    let order = |setting: &str| -> Vec<String> {
        let o = run(
            &["--format", "json", "--setting", setting],
            "Sorry for the delay.",
        );
        json(&o)["missing"]
            .as_array()
            .map(|m| {
                m.iter()
                    .map(|x| x["category"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let support = order("support");
    let personal = order("personal");
    let pos = |v: &[String], c: &str| v.iter().position(|x| x == c);
    assert!(
        pos(&support, "repair") < pos(&support, "impact"),
        "{support:?}"
    );
    assert!(
        pos(&personal, "impact") < pos(&personal, "repair"),
        "{personal:?}"
    );
    let o = run(
        &["check", "--format", "json"],
        "We apologize for the delay.",
    );
    assert!(json(&o)["missing"].is_array() && json(&o)["check"].is_object());
}

#[test]
fn the_setting_is_told_from_the_text_and_chooses_the_advice() {
    let o = run(&["--format", "json"], SUPPORT);
    let r = json(&o);
    assert_eq!(r["setting"], "support", "{r}");
    assert_eq!(r["setting_source"], "auto");
    let signals = r["setting_signals"].to_string();
    assert!(
        signals.contains("dm us") && signals.contains("@handle"),
        "{signals}"
    );
    let suggestions: Vec<String> = r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["suggestion"].as_str().map(str::to_string))
        .collect();
    assert!(
        !suggestions.iter().any(|s| s.contains("I said X")),
        "{suggestions:?}"
    );
    // The message quotes what was written, not the rule's example.
    let text = out(&o);
    assert!(text.contains("('any frustration')"), "{text}");
    assert!(!text.contains("('any inconvenience')"), "{text}");

    let personal = run(&["--setting", "personal"], SUPPORT);
    assert!(
        out(&personal).contains("setting: personal (given)"),
        "{}",
        out(&personal)
    );
    assert!(out(&personal).contains("I said X"), "{}", out(&personal));
    let o = run(&["--setting", "formal"], SUPPORT);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not a setting"), "{}", err(&o));
}

#[test]
fn the_setting_moves_no_score() {
    let score = |setting: &str| {
        json(&run(&["--format", "json", "--setting", setting], SUPPORT))["score"].clone()
    };
    assert_eq!(score("personal"), score("support"));
    assert_eq!(score("public"), score("auto"));
}

#[test]
fn a_project_config_is_found_upward_and_explained() {
    let dir = scratch("config");
    let sub = dir.join("a").join("b");
    std::fs::create_dir_all(&sub).unwrap_or_default();
    std::fs::write(
        dir.join("ownup.toml"),
        "min_score = 90\nsetting = \"public\"\n\n[rules]\nconditional = \"off\"\n\"regret.sorry\" = \"info\"\n",
    )
    .unwrap_or_default();
    let o = run_in(&sub, &["config"], "");
    let text = out(&o);
    assert!(text.contains("config file: ../../ownup.toml"), "{text}");
    assert!(
        text.contains("min_score  90") && text.contains("../../ownup.toml:1"),
        "{text}"
    );
    assert!(
        text.contains("conditional") && text.contains("off"),
        "{text}"
    );
    assert!(
        text.contains("fail_on    error") && text.contains("default"),
        "{text}"
    );

    let draft = "Sorry if I upset you.";
    let o = run_in(&sub, &["check", "--format", "json"], draft);
    let r = json(&o);
    assert_eq!(r["setting"], "public", "{r}");
    assert!(!r["findings"].to_string().contains("conditional"), "{r}");
    assert!(
        r["check"]["reasons"].to_string().contains("min-score 90"),
        "{r}"
    );
    // The command line wins over the config.
    let o = run_in(
        &sub,
        &["check", "--min-score", "0", "--format", "json"],
        draft,
    );
    assert_eq!(json(&o)["check"]["passed"], true, "{}", out(&o));
    let o = run_in(&sub, &["check", "--no-config", "--format", "json"], draft);
    assert_eq!(json(&o)["setting"], "personal");
    // batch and threads read it too.
    let o = run_in(
        &sub,
        &["batch"],
        "{\"id\":1,\"text\":\"Sorry if I upset you.\"}\n",
    );
    assert!(!out(&o).contains("conditional"), "{}", out(&o));
    assert!(out(&o).contains("\"setting\":\"public\""), "{}", out(&o));
}

#[test]
fn pyproject_tool_ownup_is_a_config() {
    let dir = scratch("pyproject");
    std::fs::write(
        dir.join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.ownup]\nsetting = \"support\"\n",
    )
    .unwrap_or_default();
    let o = run_in(&dir, &["config"], "");
    assert!(
        out(&o).contains("setting    support") && out(&o).contains("pyproject.toml:5"),
        "{}",
        out(&o)
    );
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let dir = scratch("bad-config");
    let cases = [
        (
            "min_score = 60\nsetings = \"public\"\n",
            "ownup.toml:2: unknown key `setings`",
        ),
        (
            "min_score = \"sixty\"\n",
            "ownup.toml:1: `min_score` must be a whole number",
        ),
        (
            "[rules]\nconditionl = \"off\"\n",
            "ownup.toml:2: [rules] `conditionl` names no rule",
        ),
        (
            "[rules]\nconditional = \"loud\"\n",
            "ownup.toml:2: `rules.conditional` must be one of off",
        ),
        ("fail_on = \"sometimes\"\n", "ownup.toml:1: `fail_on` has"),
        (
            "setting = support\n",
            "ownup.toml:1: a text value needs quotes",
        ),
    ];
    for (config, expected) in cases {
        std::fs::write(dir.join("ownup.toml"), config).unwrap_or_default();
        for args in [&["check"][..], &["batch"][..], &["config"][..]] {
            let o = run_in(&dir, args, "Sorry.");
            assert_eq!(o.status.code(), Some(2), "{config:?} {args:?}");
            assert!(err(&o).contains(expected), "{config:?}: {}", err(&o));
        }
    }
    let o = run_in(&dir, &["check", "--config", "no/such/ownup.toml"], "Sorry.");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("cannot read the config"), "{}", err(&o));
}

#[test]
fn inline_directives_and_markdown() {
    let dir = scratch("markdown");
    let md = "Intro.\n\n<!-- ownup disable conditional -->\nSorry if I upset you.\n\n\
              <!-- ownup off -->\nSorry, but you started it.\n<!-- ownup on -->\n\n\
              ```\nsorry if code\n```\n\n    sorry if indented code\n\n\
              > Sorry if that was rude, but you were wrong.\n";
    std::fs::write(dir.join("draft.md"), md).unwrap_or_default();
    let o = run_in(&dir, &["--no-config", "--format", "json", "draft.md"], "");
    let r = json(&o);
    let findings = r["findings"].as_array().cloned().unwrap_or_default();
    let counted: Vec<&str> = findings
        .iter()
        .filter(|f| f["reported"] == false)
        .filter_map(|f| f["category"].as_str())
        .collect();
    assert!(counted.contains(&"regret"), "{r}");
    assert!(
        !counted.contains(&"conditional"),
        "disabled for its paragraph: {r}"
    );
    assert!(!counted.contains(&"but_undoing"), "between off and on: {r}");
    // Offsets are those of the file as written.
    for f in &findings {
        let (s, e) = (
            f["start"].as_u64().unwrap_or(0) as usize,
            f["end"].as_u64().unwrap_or(0) as usize,
        );
        assert_eq!(md.get(s..e), f["text"].as_str(), "{f}");
    }
    // Code is never analyzed; a block quote is someone else's words.
    assert!(
        !findings.iter().any(|f| f["line"] == 11 || f["line"] == 14),
        "{r}"
    );
    assert!(
        findings
            .iter()
            .filter(|f| f["line"] == 16)
            .all(|f| f["reported"] == true),
        "{r}"
    );
    // The directive holds for the next paragraph only, and without Markdown, code counts.
    let plain =
        "<!-- ownup disable conditional -->\nSorry if I upset you.\n\nSorry if I was rude.\n";
    let o = run(&["--format", "json"], plain);
    assert!(
        json(&o)["findings"].to_string().contains("conditional"),
        "{}",
        out(&o)
    );
    let indented = "Here it is:\n\n    I'm sorry I broke it.\n";
    let o = run(&["--format", "json"], indented);
    assert_eq!(
        json(&o)["apology"],
        true,
        "not Markdown: an indented line is text"
    );
    let o = run(&["--markdown", "--format", "json"], indented);
    assert_eq!(json(&o)["apology"], false, "{}", out(&o));
}

#[test]
fn care_comes_before_critique() {
    let text = "I'm so sorry for everything. I don't want to be alive anymore.";
    let o = run(&[], text);
    let report = out(&o);
    assert!(report.starts_with("! 1:"), "the note leads: {report}");
    assert!(report.contains("care first"), "{report}");
    for advice in [
        "suggestions:",
        "missing",
        "/100",
        "breakdown",
        "Say what you did",
        "(weak)",
    ] {
        assert!(
            !report.contains(advice),
            "no {advice:?} after a safety note: {report}"
        );
    }
    let r = json(&run(&["--format", "json"], text));
    assert_eq!(r["care_first"], true);
    assert_eq!(r["missing"], serde_json::json!([]));
    assert!(
        r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|f| f["suggestion"].is_null()),
        "{r}"
    );
    let o = run(&["check", "--min-score", "100"], text);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("check: not judged"), "{}", out(&o));
}

#[test]
fn no_apology_says_what_an_apology_is() {
    let o = run(&[], "Thanks for the update, see you Monday.");
    assert!(out(&o).starts_with("no apology found\n"), "{}", out(&o));
    assert!(out(&o).contains("A text is an apology when"), "{}", out(&o));
    let o = run(&["check"], "Thanks for the update.");
    assert_eq!(o.status.code(), Some(0));
    let o = run(&["check", "--require-apology"], "Thanks for the update.");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("no apology found, and --require-apology is set"),
        "{}",
        out(&o)
    );
}

#[test]
fn marks_read_without_colour_and_help_explains_them() {
    let o = run(
        &[],
        "I'm sorry I yelled, but you provoked me. He said \"sorry if\".",
    );
    let report = out(&o);
    assert!(
        report.lines().any(|l| l.starts_with("+ 1:1  regret")),
        "{report}"
    );
    assert!(report.lines().any(|l| l.starts_with("- ")), "{report}");
    assert!(!report.contains('\x1b'));
    let help = out(&run(&["--help"], ""));
    for word in [
        "+  an ownership component",
        "-  a deflection",
        "elaboration",
        "CATEGORY.RULE",
    ] {
        assert!(help.contains(word), "--help explains {word:?}");
    }
}

#[test]
fn json_errors_speak_to_people() {
    let o = run(
        &["batch"],
        "{\"id\":1,\"text\": }\n{\"id\":2, text: \"x\"}\n",
    );
    let e = err(&o);
    assert!(
        e.contains("line 1: not valid JSON: expected a value"),
        "{e}"
    );
    assert!(
        e.contains("line 2: not valid JSON: a key must be text in double quotes"),
        "{e}"
    );
    assert!(
        !e.contains("expected ident") && !e.contains("key must be a string"),
        "{e}"
    );
}

#[test]
fn rules_show_the_suggestion_of_each_setting() {
    let o = run(&["rules", "conditional.sorry_if"], "");
    assert!(out(&o).contains("suggestion (support): "), "{}", out(&o));
    let o = run(&["rules", "--format", "json", "conditional.sorry_if"], "");
    let r = json(&o);
    let rule = &r["categories"][0]["rules"][0];
    assert!(
        rule["suggestion_by_setting"]["public"].is_string(),
        "{rule}"
    );
}
