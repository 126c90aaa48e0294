//! The CLI's CSV reader: no row lost or merged, every malformed row reported.
//!
//! The input is a table: records separated by 0x1E, fields by 0x1F, any other byte (quotes,
//! commas, CR, LF, invalid UTF-8) inside a field. It is written with the csv crate under the
//! export header, read back, and each record must come out as one row, numbered in order:
//! parsed with every non-blank field as given when it has the 11 columns and is UTF-8, else
//! malformed with a message. The raw input is also read as a CSV file of its own: a usage
//! error or rows numbered 1, 2, 3…, never an I/O error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vivamo_fuzz::input::COLUMNS;
use vivamo_fuzz::{rows, FileFormat};

fuzz_target!(|data: &[u8]| {
    let table: Vec<Vec<&[u8]>> = data
        .split(|&b| b == 0x1E)
        .map(|record| record.split(|&b| b == 0x1F).collect())
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    writer.write_record(COLUMNS).unwrap();
    for record in &table {
        writer.write_record(record).unwrap();
    }
    let file = writer.into_inner().unwrap();
    let read = rows(file, FileFormat::Csv).expect("the export header is accepted");
    assert_eq!(read.len(), table.len(), "rows lost or merged");
    for (i, (row, record)) in read.iter().zip(&table).enumerate() {
        assert_eq!(row.number, i as u64 + 1);
        let utf8: Option<Vec<&str>> = record.iter().map(|f| std::str::from_utf8(f).ok()).collect();
        match (&row.parsed, utf8) {
            (Ok(parsed), Some(fields)) if fields.len() == COLUMNS.len() => {
                let d = &parsed.input.data;
                let got = [
                    &parsed.input.external_customer_id,
                    &d.email,
                    &d.phone,
                    &d.first_name,
                    &d.last_name,
                    &d.street,
                    &d.street2,
                    &d.city,
                    &d.state,
                    &d.zip,
                    &d.country,
                ];
                for (value, given) in got.into_iter().zip(fields) {
                    let expected = (!given.trim().is_empty()).then(|| given.to_string());
                    assert_eq!(value, &expected);
                }
            }
            (Ok(parsed), _) => panic!("record {record:?} parsed as {parsed:?}"),
            (Err(malformed), fields) => {
                assert!(
                    fields.is_none_or(|f| f.len() != COLUMNS.len()),
                    "a well-formed record {record:?} reported as {malformed:?}"
                );
                assert!(!malformed.message.is_empty());
            }
        }
    }

    if let Ok(read) = rows(data.to_vec(), FileFormat::Csv) {
        for (i, row) in read.iter().enumerate() {
            assert_eq!(row.number, i as u64 + 1);
            if let Err(malformed) = &row.parsed {
                assert!(!malformed.message.is_empty());
            }
        }
    }
});
