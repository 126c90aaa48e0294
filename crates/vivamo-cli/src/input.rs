//! Streaming readers of the import/validate files: CSV (header row) and JSONL.
//!
//! One row at a time, constant memory. A row that cannot be read (wrong column count, bad
//! UTF-8, a JSON line that is not a create request) comes out as [`Malformed`], never stops
//! the file; only an unusable header or an I/O error does.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use vivamo::rules::CustomerInput;

use crate::cli::FileFormat;
use crate::error::CliError;

/// The CSV columns, in the order `export` writes them: `externalCustomerId`, then every
/// field of the spec.
pub use crate::generated::COLUMNS;

/// One row of the input file.
#[derive(Debug)]
pub struct Row {
    /// 1-based: the data record number in a CSV (header excluded), the line in a JSONL file.
    pub number: u64,
    /// The customer, or why the row could not be read.
    pub parsed: Result<Parsed, Malformed>,
}

/// A row read into a create request.
#[derive(Debug)]
pub struct Parsed {
    /// The customer as given.
    pub input: CustomerInput,
    /// `verifyAfterCreation` (JSONL only).
    pub verify: bool,
}

/// A row that could not be read.
#[derive(Debug)]
pub struct Malformed {
    /// Its externalCustomerId when it could be found.
    pub external_id: String,
    /// What is wrong, one sentence.
    pub message: String,
}

/// The format of `path`: `explicit`, else from the extension.
pub fn detect(path: &Path, explicit: Option<FileFormat>) -> Result<FileFormat, CliError> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => Ok(FileFormat::Csv),
        Some("jsonl" | "ndjson") => Ok(FileFormat::Jsonl),
        _ => Err(CliError::Usage(format!(
            "cannot tell the format of {} from its extension: pass --format csv or --format jsonl",
            path.display()
        ))),
    }
}

/// Opens `path` (or stdin for `-`).
pub fn open_path(path: &Path) -> Result<Box<dyn Read + Send>, CliError> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    File::open(path)
        .map(|f| Box::new(f) as Box<dyn Read + Send>)
        .map_err(|e| CliError::io("open", path, e))
}

/// Counts the lines of a file quickly (an upper bound of its rows), for progress and sizing.
pub fn count_lines(path: &Path) -> Result<u64, CliError> {
    let mut file = File::open(path).map_err(|e| CliError::io("open", path, e))?;
    let mut buf = vec![0u8; 1 << 16];
    let (mut lines, mut last) = (0u64, b'\n');
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| CliError::io("read", path, e))?;
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[n - 1];
    }
    Ok(lines + u64::from(last != b'\n'))
}

/// A streaming row reader over CSV or JSONL.
pub enum Rows {
    /// CSV with a header row.
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        /// For each column of the file, which field it holds.
        columns: Vec<usize>,
        record: csv::ByteRecord,
        number: u64,
    },
    /// One JSON create request per line.
    Jsonl {
        reader: BufReader<Box<dyn Read + Send>>,
        line: Vec<u8>,
        number: u64,
    },
}

/// `externalCustomerId`, `external_customer_id`, `External Customer ID` → `externalcustomerid`.
fn canonical(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Rows {
    /// Reads the header (CSV) and prepares to stream rows.
    pub fn new(source: Box<dyn Read + Send>, format: FileFormat) -> Result<Rows, CliError> {
        match format {
            FileFormat::Jsonl => Ok(Rows::Jsonl {
                reader: BufReader::with_capacity(1 << 16, source),
                line: Vec::new(),
                number: 0,
            }),
            FileFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(true)
                    .buffer_capacity(1 << 16)
                    .from_reader(source);
                let header = reader
                    .byte_headers()
                    .map_err(|e| CliError::Failure(format!("cannot read the CSV header: {e}")))?
                    .clone();
                let mut columns = Vec::with_capacity(header.len());
                for raw in header.iter() {
                    let name = String::from_utf8_lossy(raw);
                    let key = canonical(&name);
                    let Some(i) = COLUMNS.iter().position(|c| c.to_ascii_lowercase() == key) else {
                        return Err(CliError::Usage(format!(
                            "unknown column {:?} in the CSV header: expected {}",
                            name.trim_start_matches('\u{feff}'),
                            COLUMNS.join(",")
                        )));
                    };
                    if columns.contains(&i) {
                        return Err(CliError::Usage(format!(
                            "column {} appears twice in the CSV header",
                            COLUMNS[i]
                        )));
                    }
                    columns.push(i);
                }
                for required in [0, 1] {
                    if !columns.contains(&required) {
                        return Err(CliError::Usage(format!(
                            "the CSV header has no {} column (expected {})",
                            COLUMNS[required],
                            COLUMNS.join(",")
                        )));
                    }
                }
                Ok(Rows::Csv {
                    reader,
                    columns,
                    record: csv::ByteRecord::new(),
                    number: 0,
                })
            }
        }
    }

    /// The next row, `None` at the end; `Err` only for an I/O error.
    pub fn next_row(&mut self) -> Option<Result<Row, CliError>> {
        match self {
            Rows::Csv {
                reader,
                columns,
                record,
                number,
            } => match reader.read_byte_record(record) {
                Ok(false) => None,
                Ok(true) => {
                    *number += 1;
                    Some(Ok(Row {
                        number: *number,
                        parsed: csv_row(columns, record),
                    }))
                }
                Err(e) => match e.kind() {
                    csv::ErrorKind::Io(_) => {
                        Some(Err(CliError::Failure(format!("cannot read the file: {e}"))))
                    }
                    _ => {
                        *number += 1;
                        Some(Ok(Row {
                            number: *number,
                            parsed: Err(Malformed {
                                external_id: String::new(),
                                message: format!("unreadable CSV row: {e}"),
                            }),
                        }))
                    }
                },
            },
            Rows::Jsonl {
                reader,
                line,
                number,
            } => loop {
                line.clear();
                match reader.read_until(b'\n', line) {
                    Ok(0) => return None,
                    Ok(_) => {
                        *number += 1;
                        let Ok(text) = std::str::from_utf8(line) else {
                            // Only this line is lost; the next one is read as usual.
                            return Some(Ok(Row {
                                number: *number,
                                parsed: Err(Malformed {
                                    external_id: String::new(),
                                    message: "the line is not valid UTF-8".into(),
                                }),
                            }));
                        };
                        let text = text.trim_start_matches('\u{feff}').trim();
                        if text.is_empty() {
                            continue;
                        }
                        return Some(Ok(Row {
                            number: *number,
                            parsed: json_row(text),
                        }));
                    }
                    Err(e) => {
                        return Some(Err(CliError::Failure(format!("cannot read the file: {e}"))))
                    }
                }
            },
        }
    }
}

impl Iterator for Rows {
    type Item = Result<Row, CliError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

fn csv_row(columns: &[usize], record: &csv::ByteRecord) -> Result<Parsed, Malformed> {
    let id_col = columns.iter().position(|&c| c == 0);
    let external_id = id_col
        .and_then(|i| record.get(i))
        .map(|b| String::from_utf8_lossy(b).trim().to_string())
        .unwrap_or_default();
    if record.len() != columns.len() {
        return Err(Malformed {
            external_id,
            message: format!(
                "wrong column count: expected {}, found {}",
                columns.len(),
                record.len()
            ),
        });
    }
    let mut input = CustomerInput::default();
    for (i, raw) in record.iter().enumerate() {
        let value = std::str::from_utf8(raw).map_err(|_| Malformed {
            external_id: external_id.clone(),
            message: format!("column {} is not valid UTF-8", COLUMNS[columns[i]]),
        })?;
        if value.trim().is_empty() {
            continue;
        }
        let value = Some(value.to_string());
        match columns[i] {
            0 => input.external_customer_id = value,
            column => {
                if let Some(slot) = input.data.field_mut(COLUMNS[column]) {
                    *slot = value;
                }
            }
        }
    }
    Ok(Parsed {
        input,
        verify: false,
    })
}

fn json_row(text: &str) -> Result<Parsed, Malformed> {
    let malformed = |external_id: String, why: String| Malformed {
        external_id,
        message: format!("the line is not a create request: {why}"),
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| malformed(String::new(), e.to_string()))?;
    let external_id = value
        .get("externalCustomerId")
        .and_then(|s| s.as_str())
        .map(str::to_string)
        .unwrap_or_default();
    // serde reads a struct from an array too (`["user_1"]` would be a customer with that id
    // and nothing else): a create request is an object, and so is its `data`.
    if !value.is_object() || value.get("data").is_some_and(serde_json::Value::is_array) {
        return Err(malformed(
            external_id,
            r#"give an object {"externalCustomerId": ..., "data": {"email": ...}}"#.into(),
        ));
    }
    match serde_json::from_value::<vivamo::NewCustomer>(value) {
        Ok(c) => Ok(Parsed {
            input: CustomerInput {
                external_customer_id: Some(c.external_customer_id).filter(|s| !s.trim().is_empty()),
                data: c.data,
            },
            verify: c.verify_after_creation,
        }),
        Err(e) => Err(malformed(external_id, e.to_string())),
    }
}

/// Builds the reader for `path` in `format`.
pub fn rows(path: &Path, format: FileFormat) -> Result<Rows, CliError> {
    Rows::new(open_path(path)?, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_rows(bytes: Vec<u8>, format: FileFormat) -> Result<Vec<Row>, CliError> {
        Rows::new(Box::new(std::io::Cursor::new(bytes)), format)?.collect()
    }

    /// Found by the `jsonl_rows` fuzz target: serde reads a struct from an array, so
    /// `["user_1"]` was a create request for `user_1` with no data, and `"data": ["a@b.c"]`
    /// an email. Both are reported malformed now, the id kept when the line has one.
    #[test]
    fn a_jsonl_line_in_array_form_is_malformed() {
        let text = "[\"da)ta\"]\n{\"externalCustomerId\":\"u2\",\"data\":[\"a@b.co\"]}\n";
        let rows = all_rows(text.as_bytes().to_vec(), FileFormat::Jsonl).unwrap();
        assert_eq!(rows.len(), 2);
        let first = rows[0]
            .parsed
            .as_ref()
            .expect_err("an array is not a create request");
        assert_eq!(first.external_id, "");
        assert!(
            first.message.contains("give an object"),
            "{}",
            first.message
        );
        let second = rows[1].parsed.as_ref().expect_err("data in array form");
        assert_eq!(second.external_id, "u2");
        assert!(
            second.message.contains("give an object"),
            "{}",
            second.message
        );
    }

    const HEADER: &str =
        "externalCustomerId,email,phone,firstName,lastName,street,street2,city,state,zip,country\n";

    /// A field value: anything, with the characters CSV and JSON make special likely.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            prop::string::string_regex(r#"[ a-z0-9@.,"\r\n\t\u{feff}\u{00A0}+()-]{0,12}"#).unwrap(),
        ]
    }

    /// The parser keeps a value unless it is blank.
    fn kept(v: &str) -> Option<String> {
        (!v.trim().is_empty()).then(|| v.to_string())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Any bytes as a CSV body under a valid header: every record is a row, numbered
        /// 1, 2, 3…, parsed or malformed, never an error and never a panic.
        #[test]
        fn csv_rows_over_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
            let mut bytes = HEADER.as_bytes().to_vec();
            bytes.extend_from_slice(&body);
            let rows = all_rows(bytes, FileFormat::Csv).expect("only I/O errors stop a file");
            for (i, row) in rows.iter().enumerate() {
                prop_assert_eq!(row.number, i as u64 + 1);
            }
        }

        /// Any bytes as a CSV header: a usage error or a reader, never a panic.
        #[test]
        fn csv_headers_over_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(rows) = Rows::new(Box::new(std::io::Cursor::new(bytes)), FileFormat::Csv) {
                for row in rows {
                    prop_assert!(row.is_ok());
                }
            }
        }

        /// Any bytes as JSONL: one row per line that is not blank, numbered by its line,
        /// never an error and never a panic.
        #[test]
        fn jsonl_rows_over_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let expected: Vec<u64> = bytes
                .split(|&b| b == b'\n')
                .enumerate()
                .filter(|(_, line)| match std::str::from_utf8(line) {
                    Ok(text) => !text.trim_start_matches('\u{feff}').trim().is_empty(),
                    Err(_) => true,
                })
                .map(|(i, _)| i as u64 + 1)
                .collect();
            let rows = all_rows(bytes, FileFormat::Jsonl).expect("only I/O errors stop a file");
            let numbers: Vec<u64> = rows.iter().map(|r| r.number).collect();
            prop_assert_eq!(numbers, expected);
        }

        /// What the csv crate writes, the parser reads back as given (blank fields absent).
        #[test]
        fn csv_round_trips(records in prop::collection::vec(prop::collection::vec(value(), COLUMNS.len()), 1..8)) {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(COLUMNS).unwrap();
            for r in &records {
                writer.write_record(r).unwrap();
            }
            let bytes = writer.into_inner().unwrap();
            let rows = all_rows(bytes, FileFormat::Csv).unwrap();
            prop_assert_eq!(rows.len(), records.len());
            for (row, r) in rows.iter().zip(&records) {
                let parsed = row.parsed.as_ref().expect("a well-formed record parses");
                let d = &parsed.input.data;
                prop_assert_eq!(&parsed.input.external_customer_id, &kept(&r[0]));
                for (column, given) in COLUMNS[1..].iter().zip(&r[1..]) {
                    prop_assert_eq!(d.field(column).unwrap(), &kept(given));
                }
            }
        }

        /// A serialized create request read back from a JSONL line is the same request.
        #[test]
        fn jsonl_round_trips(id in value(), email in value(), city in value(), verify in any::<bool>()) {
            let line = serde_json::json!({
                "externalCustomerId": id,
                "verifyAfterCreation": verify,
                "data": {"email": email, "city": city},
            })
            .to_string();
            let rows = all_rows(format!("{line}\n").into_bytes(), FileFormat::Jsonl).unwrap();
            let expected_rows = usize::from(!line.trim().is_empty());
            prop_assert_eq!(rows.len(), expected_rows);
            let parsed = rows[0].parsed.as_ref().expect("a create request parses");
            prop_assert_eq!(&parsed.input.external_customer_id, &Some(id.clone()).filter(|s| !s.trim().is_empty()));
            prop_assert_eq!(&parsed.input.data.email, &Some(email.clone()));
            prop_assert_eq!(&parsed.input.data.city, &Some(city.clone()));
            prop_assert_eq!(parsed.verify, verify);
        }
    }
}
