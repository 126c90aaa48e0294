//! The CLI's JSONL reader over any bytes: one row per line that is not blank, numbered by
//! its line, none lost or merged; a line that is a create request comes out with its
//! `externalCustomerId` and email as given; every other line is reported malformed, with
//! the id when the line has one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vivamo_fuzz::{rows, FileFormat};

fuzz_target!(|data: &[u8]| {
    let read =
        rows(data.to_vec(), FileFormat::Jsonl).expect("a JSONL file has no header to refuse");
    let lines: Vec<(u64, &[u8])> = data
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| (i as u64 + 1, line))
        .filter(|(_, line)| match std::str::from_utf8(line) {
            Ok(text) => !text.trim_start_matches('\u{feff}').trim().is_empty(),
            Err(_) => true,
        })
        .collect();
    assert_eq!(read.len(), lines.len(), "rows lost or merged");
    for (row, (number, line)) in read.iter().zip(lines) {
        assert_eq!(row.number, number);
        let json = std::str::from_utf8(line).ok().and_then(|t| {
            serde_json::from_str::<serde_json::Value>(t.trim_start_matches('\u{feff}').trim()).ok()
        });
        let id = json
            .as_ref()
            .and_then(|v| v.get("externalCustomerId"))
            .and_then(|v| v.as_str())
            .map(str::to_string);
        match &row.parsed {
            Ok(parsed) => {
                let json = json.expect("a parsed line is JSON");
                let id = id.expect("a parsed line has an externalCustomerId");
                assert_eq!(
                    parsed.input.external_customer_id.as_deref(),
                    Some(id.as_str()).filter(|s| !s.trim().is_empty())
                );
                let email = json
                    .get("data")
                    .and_then(|d| d.get("email"))
                    .and_then(|e| e.as_str());
                assert_eq!(parsed.input.data.email.as_deref(), email);
            }
            Err(malformed) => {
                assert!(!malformed.message.is_empty());
                assert_eq!(malformed.external_id, id.unwrap_or_default());
            }
        }
    }
});
