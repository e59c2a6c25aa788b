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
    // Input that starts like gzip is read as gzip; that reader is flate2's to fuzz.
    if body.starts_with(&[0x1f, 0x8b]) {
        return;
    }
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
        bytes: 1 + usize::from(selector / 3 % 7) * 16,
    };
    let mut last_line = 0;
    let mut records = 0usize;
    for chunk in Chunks::new(vec![input], fields.clone(), size) {
        // A CSV stream can fail as a whole (e.g. a header without `text`); that is an input
        // error, reported, not a lost record.
        let Ok(chunk) = chunk else { break };
        for record in chunk.records(&fields) {
            let line = match record {
                Ok(r) => r.line,
                Err(e) => {
                    assert!(e.message.starts_with(&format!("line {}: ", e.line)));
                    e.line
                }
            };
            assert!(line >= last_line, "records out of order");
            last_line = line;
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
