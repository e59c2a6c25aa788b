//! Any bytes, read as JSON Lines, CSV or plain lines, must give one result per record in
//! order, never a panic: records out = records in.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use ownup::batch::{ChunkSize, Chunks, Fields, Input, InputFormat};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let format = match selector % 3 {
        0 => InputFormat::Jsonl,
        1 => InputFormat::Csv,
        _ => InputFormat::Lines,
    };
    let fields = Fields {
        extra: vec!["author".to_string()],
        ..Fields::default()
    };
    let input = Input::from_reader("fuzz", format, Box::new(Cursor::new(body.to_vec())));
    let size = ChunkSize {
        records: 1 + usize::from(selector / 3 % 7),
        bytes: 64,
    };
    let mut last_line = 0;
    let mut records = 0usize;
    for chunk in Chunks::new(vec![input], fields.clone(), size) {
        // A CSV stream can fail as a whole (e.g. a header without `text`); that is an input
        // error, reported, not a lost record.
        let Ok(chunk) = chunk else { break };
        for raw in chunk {
            assert!(raw.line() >= last_line, "records out of order");
            last_line = raw.line();
            let line = raw.line();
            match raw.parse(&fields) {
                Ok(r) => assert_eq!(r.line, line),
                Err(e) => {
                    assert_eq!(e.line, line);
                    assert!(e.message.starts_with(&format!("line {line}: ")));
                }
            }
            records += 1;
        }
    }
    if format != InputFormat::Csv {
        // Every non-blank line is a record (after a leading BOM, with CRLF as LF).
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let expected = body
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .count();
        assert_eq!(records, expected);
    }
});
