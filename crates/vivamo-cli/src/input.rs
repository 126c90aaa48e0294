//! Streaming readers of the import/validate files: CSV (header row) and JSONL.
//!
//! One row at a time, constant memory. A row that cannot be read (wrong column count, bad
//! UTF-8, a JSON line that is not a create request) comes out as [`Malformed`], never stops
//! the file; only an unusable header or an I/O error does.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use vivamo::rules::{CustomerData, CustomerInput};

use crate::cli::FileFormat;
use crate::error::CliError;

/// The CSV columns, in the order `export` writes them.
pub const COLUMNS: [&str; 11] = [
    "externalCustomerId",
    "email",
    "phone",
    "firstName",
    "lastName",
    "street",
    "street2",
    "city",
    "state",
    "zip",
    "country",
];

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
        line: String,
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
                line: String::new(),
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
                match reader.read_line(line) {
                    Ok(0) => return None,
                    Ok(_) => {
                        *number += 1;
                        let text = line.trim_start_matches('\u{feff}').trim();
                        if text.is_empty() {
                            continue;
                        }
                        return Some(Ok(Row {
                            number: *number,
                            parsed: json_row(text),
                        }));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                        // Not UTF-8: skip the bytes of this line and report it.
                        *number += 1;
                        let mut skip = Vec::new();
                        if let Err(e) = reader.read_until(b'\n', &mut skip) {
                            return Some(Err(CliError::Failure(format!(
                                "cannot read the file: {e}"
                            ))));
                        }
                        return Some(Ok(Row {
                            number: *number,
                            parsed: Err(Malformed {
                                external_id: String::new(),
                                message: "the line is not valid UTF-8".into(),
                            }),
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
    let mut fields: [Option<String>; 11] = Default::default();
    for (i, raw) in record.iter().enumerate() {
        let value = std::str::from_utf8(raw).map_err(|_| Malformed {
            external_id: external_id.clone(),
            message: format!("column {} is not valid UTF-8", COLUMNS[columns[i]]),
        })?;
        if !value.trim().is_empty() {
            fields[columns[i]] = Some(value.to_string());
        }
    }
    let [id, email, phone, first_name, last_name, street, street2, city, state, zip, country] =
        fields;
    Ok(Parsed {
        input: CustomerInput {
            external_customer_id: id,
            data: CustomerData {
                email,
                phone,
                first_name,
                last_name,
                street,
                street2,
                city,
                state,
                zip,
                country,
            },
        },
        verify: false,
    })
}

fn json_row(text: &str) -> Result<Parsed, Malformed> {
    match serde_json::from_str::<vivamo::NewCustomer>(text) {
        Ok(c) => Ok(Parsed {
            input: CustomerInput {
                external_customer_id: Some(c.external_customer_id).filter(|s| !s.trim().is_empty()),
                data: c.data,
            },
            verify: c.verify_after_creation,
        }),
        Err(e) => {
            let external_id = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| {
                    v.get("externalCustomerId")
                        .and_then(|s| s.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_default();
            Err(Malformed {
                external_id,
                message: format!("the line is not a create request: {e}"),
            })
        }
    }
}

/// Builds the reader for `path` in `format`.
pub fn rows(path: &Path, format: FileFormat) -> Result<Rows, CliError> {
    Rows::new(open_path(path)?, format)
}
