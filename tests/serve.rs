//! Starts the real `ownup serve` on a free port and calls every route, and every kind of bad
//! input, with a real HTTP client. Answers are checked against the server's own OpenAPI
//! document and against the command line's output for the same input. Nothing is timed;
//! waits are bounds, never measurements.
#![cfg(feature = "serve")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const DEFLECTING: &str = "I'm sorry if you were upset, but you made me do it.";
const OWNING: &str = "I'm sorry I yelled at you in front of everyone. I was wrong, and I \
                      embarrassed you. I'll apologize to the team today, and I won't do it again.";

/// Every route the server has, as the OpenAPI document must list it.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/app.js"),
    ("get", "/app.css"),
    ("get", "/healthz"),
    ("get", "/api/openapi.json"),
    ("post", "/api/analyze"),
    ("post", "/api/batch"),
    ("get", "/api/rules"),
    ("get", "/api/rules/{id}"),
];

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ownup"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ownup serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its URL");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    /// Sends SIGTERM and waits (at most a bound) for the exit; returns stderr.
    fn terminate(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM");
        let (ok, stderr) = self.wait_exit();
        std::mem::forget(self);
        (ok, stderr)
    }

    fn wait_exit(&mut self) -> (bool, String) {
        let until = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                break s;
            }
            assert!(Instant::now() < until, "the server did not stop");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        (status.success(), stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    content_type: String,
    allow: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn lines(&self) -> Vec<Value> {
        String::from_utf8_lossy(&self.body)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn reply(res: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut res = res.expect("the request gets an answer");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (content_type, allow) = (header("content-type"), header("allow"));
    let body = res
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .expect("read the body");
    Reply {
        status: res.status().as_u16(),
        content_type,
        allow,
        body,
    }
}

fn get(s: &Server, path: &str) -> Reply {
    reply(agent().get(s.url(path)).call())
}

fn post(s: &Server, path: &str, content_type: Option<&str>, body: &[u8]) -> Reply {
    let mut req = agent().post(s.url(path));
    if let Some(t) = content_type {
        req = req.header("Content-Type", t);
    }
    reply(req.send(body))
}

/// A POST whose body is sent chunked, without a Content-Length.
fn post_chunked(s: &Server, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let req = agent()
        .post(s.url(path))
        .header("Content-Type", content_type);
    let mut reader = std::io::Cursor::new(body);
    reply(req.send(ureq::SendBody::from_reader(&mut reader)))
}

fn analyze(s: &Server, text: &str) -> Reply {
    post(
        s,
        "/api/analyze",
        Some("application/json"),
        json!({ "text": text }).to_string().as_bytes(),
    )
}

/// Runs the command line with `stdin` as its standard input (from a file, so that no writer
/// thread is needed) and returns its standard output.
fn cli(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("ownup-serve-test-{}-{n}", std::process::id()));
    std::fs::write(&path, stdin).expect("write the input");
    let input = std::fs::File::open(&path).expect("open the input");
    let out = Command::new(env!("CARGO_BIN_EXE_ownup"))
        .args(args)
        .stdin(input)
        .stderr(Stdio::null())
        .output()
        .expect("run ownup");
    let _ = std::fs::remove_file(&path);
    out.stdout
}

/// Runs `ownup batch body` on `input`, in a folder of its own where `body` is the input's
/// file: the `file` of every line is then `"body"`, the name the API gives a request body.
fn cli_batch(input: &[u8]) -> Vec<u8> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ownup-serve-batch-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("make the folder");
    std::fs::write(dir.join("body"), input).expect("write the input");
    let out = Command::new(env!("CARGO_BIN_EXE_ownup"))
        .args(["batch", "body"])
        .current_dir(&dir)
        .stderr(Stdio::null())
        .output()
        .expect("run ownup");
    let _ = std::fs::remove_dir_all(&dir);
    out.stdout
}

// ---- a small JSON Schema check, for the parts of the schema language the document uses ----

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.trim_start_matches('#');
            resolve(
                doc,
                doc.pointer(pointer).unwrap_or_else(|| panic!("no {r}")),
            )
        }
        None => schema,
    }
}

fn type_matches(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("schema type {other} not handled"),
    }
}

fn check_schema(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.iter().any(|t| type_matches(v, t)) {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(v) {
            return Err(format!("{at}: {v} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), v.as_i64()) {
        if n < min {
            return Err(format!("{at}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema.get("maximum").and_then(Value::as_i64), v.as_i64()) {
        if n > max {
            return Err(format!("{at}: {n} > {max}"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = req.as_str().unwrap_or_default();
            if !obj.contains_key(key) {
                return Err(format!("{at}: required `{key}` is missing"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check_schema(doc, s, val, &format!("{at}.{k}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{at}: `{k}` is not in the document"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check_schema(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The documented response of `path`/`method` for `status`, with `$ref`s followed.
fn documented<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let op = &doc["paths"][path][method];
    let res = op["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| panic!("{method} {path} does not document {status}"));
    resolve(doc, res)
}

/// Checks a reply against the document: a documented status, its content type, its schema
/// (for JSON Lines, each line against `x-item-schema`).
fn conforms(doc: &Value, path: &str, method: &str, r: &Reply) {
    let res = documented(doc, path, method, r.status);
    let content = res["content"].as_object().expect("documented content");
    let essence = r.content_type.split(';').next().unwrap_or_default().trim();
    let media = content
        .get(essence)
        .unwrap_or_else(|| panic!("{method} {path} {}: {essence} is not documented", r.status));
    let at = format!("{method} {path} {}", r.status);
    if let Some(item) = media.get("x-item-schema") {
        for line in r.lines() {
            check_schema(doc, item, &line, &at).unwrap_or_else(|e| panic!("{e}"));
        }
    } else if essence.ends_with("json") {
        check_schema(doc, &media["schema"], &r.json(), &at).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn openapi(s: &Server) -> Value {
    let r = get(s, "/api/openapi.json");
    assert_eq!(r.status, 200);
    r.json()
}

// ---- the tests ----

#[test]
fn the_openapi_document_lists_exactly_the_routes_and_every_answer_conforms() {
    let s = Server::start(&[]);
    let doc = openapi(&s);
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let mut listed: Vec<(String, String)> = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            listed.push((method.clone(), path.clone()));
        }
    }
    let mut routes: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    listed.sort();
    routes.sort();
    assert_eq!(listed, routes, "the document and the routes differ");

    for (method, path) in ROUTES {
        let r = match (*method, *path) {
            ("post", "/api/analyze") => analyze(&s, DEFLECTING),
            ("post", "/api/batch") => post(
                &s,
                path,
                Some("application/x-ndjson"),
                b"{\"id\":1,\"text\":\"Sorry, my bad.\"}\n{\"text\":3}\n",
            ),
            ("get", "/api/rules/{id}") => get(&s, "/api/rules/conditional.sorry_if"),
            ("get", p) => get(&s, p),
            other => panic!("no request for {other:?}"),
        };
        assert_eq!(r.status, 200, "{method} {path}");
        conforms(&doc, path, method, &r);
        // Every other method gets a JSON 405 naming the allowed one.
        let wrong = if *method == "get" {
            post(
                &s,
                &path.replace("{id}", "regret"),
                Some("text/plain"),
                b"x",
            )
        } else {
            get(&s, path)
        };
        assert_eq!(wrong.status, 405, "{path}");
        assert_eq!(wrong.json()["code"], "method_not_allowed");
        assert!(wrong
            .allow
            .to_ascii_uppercase()
            .contains(&method.to_ascii_uppercase()));
    }
    let missing = get(&s, "/api/nothing-here");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], "not_found");
}

#[test]
fn analyze_answers_with_the_command_lines_json_report() {
    let s = Server::start(&[]);
    for text in [
        DEFLECTING,
        OWNING,
        "Thanks, that worked!",
        "Sorry, \u{e9}t\u{e9} 😭\r\nline two",
    ] {
        let mut expected: Value =
            serde_json::from_slice(&cli(&["--format", "json"], text.as_bytes()))
                .expect("the command line's JSON");
        if let Some(obj) = expected.as_object_mut() {
            obj.remove("path");
        }
        let by_json = analyze(&s, text);
        assert_eq!(by_json.status, 200);
        assert_eq!(by_json.content_type, "application/json");
        assert_eq!(by_json.json(), expected, "{text}");
        let by_text = post(
            &s,
            "/api/analyze",
            Some("text/plain; charset=utf-8"),
            text.as_bytes(),
        );
        assert_eq!(by_text.json(), expected, "{text}");
    }
    // Chunked bodies (no Content-Length) are read too, and other JSON fields are ignored.
    let body = json!({"id": 7, "text": DEFLECTING})
        .to_string()
        .into_bytes();
    let r = post_chunked(&s, "/api/analyze", "application/json", body);
    assert_eq!(r.status, 200);
    let categories: Vec<String> = r.json()["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["category"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        categories.iter().any(|c| c == "conditional"),
        "{categories:?}"
    );
    assert!(
        categories.iter().any(|c| c == "blame_shift"),
        "{categories:?}"
    );
}

#[test]
fn every_bad_input_gets_a_4xx_json_error_that_says_what_was_wrong() {
    let s = Server::start(&["--body-limit", "4KiB"]);
    let doc = openapi(&s);
    let json = Some("application/json");
    let big = vec![b'a'; 5000];
    // What is sent, the content type, the body, then the status, code and words expected.
    type Case<'a> = (&'a str, Option<&'a str>, Vec<u8>, u16, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            "not valid JSON",
            json,
            b"{\"text\": \"Sorry".to_vec(),
            400,
            "malformed_json",
            "line 1, column",
        ),
        (
            "trailing garbage",
            json,
            b"{\"text\": \"Sorry\"} x".to_vec(),
            400,
            "malformed_json",
            "more after the JSON value",
        ),
        (
            "no content type",
            None,
            b"{\"text\":\"Sorry\"}".to_vec(),
            415,
            "unsupported_media_type",
            "missing",
        ),
        (
            "wrong content type",
            Some("application/xml"),
            b"<text/>".to_vec(),
            415,
            "unsupported_media_type",
            "application/xml",
        ),
        (
            "form",
            Some("application/x-www-form-urlencoded"),
            b"text=Sorry".to_vec(),
            415,
            "unsupported_media_type",
            "application/json or text/plain",
        ),
        (
            "other charset",
            Some("text/plain; charset=latin1"),
            b"Sorry".to_vec(),
            415,
            "unsupported_media_type",
            "UTF-8",
        ),
        (
            "invalid UTF-8 in JSON",
            json,
            b"{\"text\": \"Sorry \xff\"}".to_vec(),
            400,
            "invalid_utf8",
            "byte 16",
        ),
        (
            "invalid UTF-8 in text",
            Some("text/plain"),
            b"Sorry \xc3".to_vec(),
            400,
            "invalid_utf8",
            "byte 6",
        ),
        (
            "missing field",
            json,
            b"{\"txt\": \"Sorry\"}".to_vec(),
            422,
            "missing_field",
            "`text`",
        ),
        (
            "not a string",
            json,
            b"{\"text\": 42}".to_vec(),
            422,
            "wrong_type",
            "a number",
        ),
        (
            "not an object",
            json,
            b"[\"Sorry\"]".to_vec(),
            422,
            "wrong_type",
            "an array",
        ),
        ("null", json, b"null".to_vec(), 422, "wrong_type", "null"),
        (
            "empty text",
            json,
            b"{\"text\": \"\"}".to_vec(),
            422,
            "empty_text",
            "empty",
        ),
        (
            "white space only",
            json,
            b"{\"text\": \" \\n\\t \"}".to_vec(),
            422,
            "empty_text",
            "empty",
        ),
        (
            "empty body, JSON",
            json,
            Vec::new(),
            400,
            "malformed_json",
            "JSON ends",
        ),
        (
            "empty body, text",
            Some("text/plain"),
            Vec::new(),
            422,
            "empty_text",
            "empty",
        ),
        (
            "oversized",
            Some("text/plain"),
            big.clone(),
            413,
            "body_too_large",
            "4 KiB",
        ),
    ];
    for (what, ct, body, status, code, says) in &cases {
        let r = post(&s, "/api/analyze", *ct, body);
        assert_eq!(
            r.status,
            *status,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.content_type, "application/json", "{what}");
        let e = r.json();
        assert_eq!(e["code"], *code, "{what}: {e}");
        assert_eq!(e["status"], *status, "{what}");
        let msg = e["error"].as_str().unwrap_or_default();
        assert!(msg.contains(says), "{what}: {msg:?} should say {says:?}");
        conforms(&doc, "/api/analyze", "post", &r);
    }
    // Over the limit without a Content-Length: found while reading.
    let r = post_chunked(&s, "/api/analyze", "text/plain", big);
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["code"], "body_too_large");
    // The batch route checks its media type and declared length before anything else.
    let r = post(&s, "/api/batch", json, b"{\"text\":\"Sorry\"}\n");
    assert_eq!(r.status, 415);
    let r = post(
        &s,
        "/api/batch",
        Some("application/x-ndjson"),
        &vec![b'\n'; 5000],
    );
    assert_eq!(r.status, 413);
    let r = post(
        &s,
        "/api/batch?text_field=a&text_field=b",
        Some("application/x-ndjson"),
        b"",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "bad_query");
    for id in ["no.such.rule", "%FF"] {
        let r = get(&s, &format!("/api/rules/{id}"));
        assert_eq!(r.status, 404, "{id}");
        assert_eq!(r.json()["code"], "unknown_rule");
        conforms(&doc, "/api/rules/{id}", "get", &r);
    }
    // None of it took the server down.
    assert_eq!(get(&s, "/healthz").json()["status"], "ok");
    assert_eq!(analyze(&s, OWNING).status, 200);
}

#[test]
fn batch_writes_what_the_batch_command_writes_one_line_per_record_in_order() {
    let s = Server::start(&[]);
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice(
        "\u{feff}{\"id\":\"a\",\"text\":\"Sorry, my bad. I'll fix the link tonight.\"}\r\n"
            .as_bytes(),
    );
    input.extend_from_slice(b"\n   \n");
    input.extend_from_slice(b"{\"id\":\"b\",\"text\":42}\n");
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(b"[1,2]\n");
    input.extend_from_slice(b"{\"id\":\"c\"}\n");
    input.extend_from_slice(b"{\"id\":\"d\",\"text\":\"Sorry \xff\"}\n");
    for i in 0..2000 {
        let text = if i % 3 == 0 {
            DEFLECTING
        } else {
            "Thanks, that worked!"
        };
        input.extend_from_slice(json!({"id": i, "text": text}).to_string().as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"{\"text\":\"no newline at the end, no id\"}");
    let expected = cli_batch(&input);
    let r = post(&s, "/api/batch", Some("application/x-ndjson"), &input);
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/x-ndjson");
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        String::from_utf8_lossy(&expected)
    );
    let lines = r.lines();
    assert_eq!(
        lines.len(),
        2007,
        "one line per record, blank lines skipped"
    );
    let errors: Vec<(u64, &str)> = lines
        .iter()
        .filter_map(|l| Some((l["line"].as_u64()?, l["error"].as_str()?)))
        .collect();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(
        errors[0].1.starts_with("line 4: field `text`"),
        "{errors:?}"
    );
    assert!(
        errors[1].1.starts_with("line 5: not valid JSON"),
        "{errors:?}"
    );
    assert!(
        errors[3].1.contains("field `text` is missing"),
        "{errors:?}"
    );
    assert!(errors[4].1.contains("not valid UTF-8"), "{errors:?}");
    let ids: Vec<&Value> = lines[6..].iter().map(|l| &l["id"]).collect();
    assert!(
        ids.iter()
            .take(2000)
            .enumerate()
            .all(|(i, id)| **id == json!(i.to_string())),
        "order kept, ids as text"
    );
    assert!(lines.iter().all(|l| l["file"] == "body"));

    // Chunked, and with other field names.
    let body = b"{\"key\":\"x\",\"body\":\"Sorry, my bad.\"}\n{\"key\":\"y\",\"text\":\"Sorry\"}\n"
        .to_vec();
    let r = post_chunked(
        &s,
        "/api/batch?text_field=body&id_field=key",
        "application/jsonl",
        body,
    );
    let lines = r.lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "x");
    assert_eq!(lines[0]["apology"], true);
    assert_eq!(lines[1]["id"], "y");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("field `body` is missing"));
    // An empty body is zero records.
    let r = post(&s, "/api/batch", Some("text/plain"), b"");
    assert_eq!((r.status, r.body.len()), (200, 0));
    // A gzip-compressed body is read as it is, never inflated past the body limit: its
    // bytes are not JSON Lines. (`ownup batch` would decompress the same bytes in a file.)
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"text\":\"Sorry, my bad.\"}\n")
        .expect("compress");
    let r = post(
        &s,
        "/api/batch",
        Some("application/x-ndjson"),
        &gz.finish().expect("compress"),
    );
    let lines = r.lines();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["error"].is_string()), "{:?}", lines);
    assert!(lines[0]["error"]
        .as_str()
        .unwrap_or_default()
        .starts_with("line 1: "));
}

#[test]
fn a_batch_over_the_limit_without_a_length_ends_with_a_record_saying_where_reading_stopped() {
    let s = Server::start(&["--body-limit", "4KiB"]);
    let mut input = Vec::new();
    let mut n = 0;
    while input.len() < 8192 {
        n += 1;
        input.extend_from_slice(
            json!({"id": n, "text": "Sorry, my bad."})
                .to_string()
                .as_bytes(),
        );
        // A blank line after each record: skipped, but counted in the line numbers.
        input.extend_from_slice(b"\n\n");
    }
    // Reading stops at the limit, on the line it falls in.
    let stop_line = input[..4096].iter().filter(|&&b| b == b'\n').count() + 1;
    let r = post_chunked(&s, "/api/batch", "application/x-ndjson", input);
    assert_eq!(r.status, 200, "the answer had begun");
    let lines = r.lines();
    let last = lines.last().expect("lines");
    let err = last["error"].as_str().unwrap_or_default();
    assert!(
        err.contains("larger than the limit of 4 KiB") && err.contains("not read"),
        "{err}"
    );
    let read = &lines[..lines.len() - 1];
    assert!(
        read.len() > 10 && read.len() < n,
        "{} of {n} read",
        read.len()
    );
    assert!(read
        .iter()
        .enumerate()
        .all(|(i, l)| l["id"] == json!((i + 1).to_string())
            && l["line"] == json!(2 * i + 1)
            && l["error"].is_null()));
    assert_eq!(last["line"], json!(stop_line));
    assert!(err.starts_with(&format!("line {stop_line}: ")), "{err}");
}

#[test]
fn rules_routes_answer_what_the_rules_command_prints() {
    let s = Server::start(&["--disable", "grudging"]);
    let all = get(&s, "/api/rules");
    let expected: Value = serde_json::from_slice(&cli(
        &["rules", "--format", "json", "--disable", "grudging"],
        b"",
    ))
    .expect("rules JSON");
    assert_eq!(all.json(), expected);
    let grudging = all.json()["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == "grudging")
        .map(|c| c["rules"].as_array().map_or(0, Vec::len));
    assert_eq!(grudging, Some(0), "--disable applies to the server");
    for id in ["conditional.sorry_if", "conditional", "conditional."] {
        let expected: Value = serde_json::from_slice(&cli(&["rules", "--format", "json", id], b""))
            .expect("rule JSON");
        assert_eq!(
            get(&s, &format!("/api/rules/{id}")).json(),
            expected,
            "{id}"
        );
    }
}

#[test]
fn the_page_and_its_assets_come_from_the_binary_and_load_nothing_from_elsewhere() {
    let s = Server::start(&[]);
    let page = get(&s, "/");
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    let html = String::from_utf8_lossy(&page.body).into_owned();
    for needle in [
        "<textarea",
        "id=\"sample\"",
        "id=\"copy\"",
        "/app.js",
        "/app.css",
        "lang=\"en\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    for path in ["/", "/app.js", "/app.css"] {
        let body = String::from_utf8_lossy(&get(&s, path).body).into_owned();
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{path} names another site"
        );
        assert!(!body.contains("//cdn"), "{path}");
    }
    let health = get(&s, "/healthz").json();
    assert_eq!(
        health,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
}

#[test]
fn concurrent_clients_are_all_answered() {
    let s = Server::start(&["--jobs", "1"]);
    let base = s.base.clone();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let base = base.clone();
            std::thread::spawn(move || {
                let agent = agent();
                (0..25)
                    .map(|i| {
                        let text = if (w + i) % 2 == 0 { DEFLECTING } else { OWNING };
                        let body = json!({ "text": text }).to_string();
                        let res = agent
                            .post(format!("{base}/api/analyze"))
                            .header("Content-Type", "application/json")
                            .send(body.as_bytes());
                        reply(res).status
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for w in workers {
        let statuses = w.join().expect("worker");
        assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    }
}

#[test]
fn a_request_slower_than_the_timeout_gets_a_503_and_the_server_goes_on() {
    let s = Server::start(&["--timeout", "1"]);
    let mut conn = TcpStream::connect(s.addr()).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let head = "POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nI'm sorry";
    conn.write_all(head.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("\"code\":\"timeout\""), "{answer}");
    assert_eq!(analyze(&s, DEFLECTING).status, 200);
}

#[test]
fn sigterm_lets_a_request_in_progress_finish_then_stops_cleanly() {
    let s = Server::start(&[]);
    let mut conn = TcpStream::connect(s.addr()).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let text = "I'm sorry I was late.";
    // With `Expect: 100-continue` the server says when its handler starts reading the body:
    // from then on the request is in progress.
    let head = format!(
        "POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        text.len()
    );
    conn.write_all(head.as_bytes()).expect("send");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") && conn.read(&mut byte).is_ok_and(|n| n == 1) {
        seen.push(byte[0]);
    }
    assert!(
        seen.starts_with(b"HTTP/1.1 100"),
        "{}",
        String::from_utf8_lossy(&seen)
    );
    let pid = s.child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(sent.is_ok_and(|st| st.success()));
    std::thread::sleep(Duration::from_millis(300));
    conn.write_all(text.as_bytes()).expect("send the body");
    let mut answer = String::new();
    let _ = conn.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"apology\":true"), "{answer}");
    let mut s = s;
    let (ok, stderr) = s.wait_exit();
    assert!(ok, "exit status; stderr: {stderr}");
    assert!(stderr.contains("stopping"), "{stderr}");
}

#[test]
fn it_binds_loopback_by_default_and_says_so_when_the_port_is_taken() {
    let s = Server::start(&[]);
    assert!(s.base.starts_with("http://127.0.0.1:"), "{}", s.base);
    let port = s.base.rsplit(':').next().unwrap_or_default().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_ownup"))
        .args(["serve", "--port", &port])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ownup"))
        .args(["serve", "--body-limit", "lots"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_text_reaches_the_servers_output() {
    let s = Server::start(&[]);
    let secret = "I'm sorry about the zebra-quartz-umbrella incident.";
    assert_eq!(analyze(&s, secret).status, 200);
    let batch = format!("{}\n", json!({"text": secret}));
    assert_eq!(
        post(
            &s,
            "/api/batch",
            Some("application/x-ndjson"),
            batch.as_bytes()
        )
        .status,
        200
    );
    assert_eq!(
        post(
            &s,
            "/api/analyze",
            Some("application/json"),
            b"{\"text\": \"zebra-quartz"
        )
        .status,
        400
    );
    let (ok, stderr) = s.terminate();
    assert!(ok);
    assert!(!stderr.contains("zebra"), "{stderr}");
}
